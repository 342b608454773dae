//! What a new EM simulator holds: application users, devices, users and device profiles.

/// The application user with the Extension Mobility proxy rights ("Standard EM
/// Authentication Proxy Rights"): what a CLI or test uses by default.
pub const APP_ID: &str = "emapp";
/// [`APP_ID`]'s password (its application certificate).
pub const APP_CERTIFICATE: &str = "emapp-s3cret";
/// The application users of the EM developer guide's examples (`appid`/`apppasswd` in the
/// Request Types Reference, `emproxy`/`password` in "How It Works"), with the proxy rights, so
/// that the guide's requests are answered as documented (the conformance cases send them).
pub const GUIDE_APP_USERS: &[(&str, &str)] = &[("appid", "apppasswd"), ("emproxy", "password")];
/// An application user without the proxy rights: its requests fail with `no-proxy-rights`.
pub const NO_RIGHTS_APP_ID: &str = "emapp-norights";
/// [`NO_RIGHTS_APP_ID`]'s password.
pub const NO_RIGHTS_APP_CERTIFICATE: &str = "emapp-norights-s3cret";

/// A device of the seed data.
#[derive(Debug, Clone, Copy)]
pub struct SeedDevice {
    /// Its name.
    pub name: &'static str,
    /// Whether Extension Mobility is enabled on it.
    pub em_enabled: bool,
    /// Whether it is an Extension Mobility Cross Cluster device (`emccDevice`).
    pub emcc: bool,
}

/// The devices: four phones with Extension Mobility, one without, one EMCC device, and the
/// phones of the EM developer guide's examples.
pub const DEVICES: &[SeedDevice] = &[
    SeedDevice {
        name: "SEP001122334455",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP001122334466",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP001122334477",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP001122334488",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP0011223344FF",
        em_enabled: false,
        emcc: false,
    },
    SeedDevice {
        name: "SEP0011223344CC",
        em_enabled: true,
        emcc: true,
    },
    SeedDevice {
        name: "SEP003094C25B15",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP003094C25B49",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP402CF4915265",
        em_enabled: true,
        emcc: false,
    },
    SeedDevice {
        name: "SEP010203040506",
        em_enabled: true,
        emcc: false,
    },
];

/// A user of the seed data.
#[derive(Debug, Clone, Copy)]
pub struct SeedUser {
    /// Its user id.
    pub id: &'static str,
    /// Its device profiles.
    pub profiles: &'static [&'static str],
    /// Which of them is its default (`isDefaultDeviceProfile`), if one is; a login without a
    /// device profile uses it, else the first.
    pub default_profile: Option<&'static str>,
}

/// The users, with their device profiles (`em@cisco.com` shows the percent-escaping of user
/// ids in responses, with the two profiles of the guide's example, neither the default;
/// `john`, `one` and `em` are the guide's other users; `noprofile` has no device profile to log
/// in with).
pub const USERS: &[SeedUser] = &[
    SeedUser {
        id: "jdoe",
        profiles: &["jdoe-udp", "jdoe-udp-sales"],
        default_profile: Some("jdoe-udp"),
    },
    SeedUser {
        id: "asmith",
        profiles: &["asmith-udp"],
        default_profile: Some("asmith-udp"),
    },
    SeedUser {
        id: "bwayne",
        profiles: &["bwayne-udp"],
        default_profile: Some("bwayne-udp"),
    },
    SeedUser {
        id: "em@cisco.com",
        profiles: &["EM-SCCP-Profile-7970", "EM-SCCP-7975-Profile"],
        default_profile: None,
    },
    SeedUser {
        id: "john",
        profiles: &["UserDevProf", "UDP1", "UDP2"],
        default_profile: Some("UserDevProf"),
    },
    SeedUser {
        id: "one",
        profiles: &["one-udp"],
        default_profile: Some("one-udp"),
    },
    SeedUser {
        id: "em",
        profiles: &["em-udp"],
        default_profile: Some("em-udp"),
    },
    SeedUser {
        id: "noprofile",
        profiles: &[],
        default_profile: None,
    },
];
