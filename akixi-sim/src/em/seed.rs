//! What a new EM simulator holds: application users, devices, users and device profiles.

/// The application user with the Extension Mobility proxy rights ("Standard EM
/// Authentication Proxy Rights"): what a CLI or test uses by default.
pub const APP_ID: &str = "emapp";
/// [`APP_ID`]'s password (its application certificate).
pub const APP_CERTIFICATE: &str = "emapp-s3cret";
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
}

/// The devices: four phones with Extension Mobility, one without.
pub const DEVICES: &[SeedDevice] = &[
    SeedDevice {
        name: "SEP001122334455",
        em_enabled: true,
    },
    SeedDevice {
        name: "SEP001122334466",
        em_enabled: true,
    },
    SeedDevice {
        name: "SEP001122334477",
        em_enabled: true,
    },
    SeedDevice {
        name: "SEP001122334488",
        em_enabled: true,
    },
    SeedDevice {
        name: "SEP0011223344FF",
        em_enabled: false,
    },
];

/// A user of the seed data.
#[derive(Debug, Clone, Copy)]
pub struct SeedUser {
    /// Its user id.
    pub id: &'static str,
    /// Its device profiles; the first is its default.
    pub profiles: &'static [&'static str],
}

/// The users, with their device profiles (`em@cisco.com` shows the percent-escaping of user
/// ids in responses; `noprofile` has no device profile to log in with).
pub const USERS: &[SeedUser] = &[
    SeedUser {
        id: "jdoe",
        profiles: &["jdoe-udp", "jdoe-udp-sales"],
    },
    SeedUser {
        id: "asmith",
        profiles: &["asmith-udp"],
    },
    SeedUser {
        id: "bwayne",
        profiles: &["bwayne-udp"],
    },
    SeedUser {
        id: "em@cisco.com",
        profiles: &["em-udp"],
    },
    SeedUser {
        id: "noprofile",
        profiles: &[],
    },
];
