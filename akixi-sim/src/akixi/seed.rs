//! The data an empty simulator starts with (documented in the crate's README): a CM
//! environment, one telephony server per platform (and the documentation's 100100), three
//! partitions on each (the first playing the Common Devices Partition), devices, ACD agents,
//! codes and directory entries in each server's customer partition, a call recording
//! integration, an e-mail and a live-chat integration, the administrator and a few
//! supervisors.
//!
//! Each entity is built with the generated types and captured as the properties it would
//! send, so the seed follows the spec like everything else; a spec change that renames what
//! the seed sets fails to compile.

use akixi_client::akixi::acd_agent::{ACDAgentAddRequest, ACDAgentInfoResponse};
use akixi_client::akixi::call_rec_int::{CallRecIntAddRequest, CallRecIntInfoResponse};
use akixi_client::akixi::cm_environment::{CMEnvironmentAddRequest, CMEnvironmentInfoResponse};
use akixi_client::akixi::code::{CodeAddRequest, CodeInfoResponse};
use akixi_client::akixi::device::{DeviceAddRequest, DeviceInfoResponse};
use akixi_client::akixi::directory_entry::{DirectoryEntryAddRequest, DirectoryEntryInfoResponse};
use akixi_client::akixi::omnichannel_int::{
    ApiCommunicationSettings, OmnichannelIntAddRequest, OmnichannelIntInfoResponse,
};
use akixi_client::akixi::partition::{PartitionAddRequest, PartitionInfoResponse};
use akixi_client::akixi::tel_sys::{TelSysAddRequest, TelSysInfoResponse};
use akixi_client::akixi::user::{Permissions, Scope, UserAddRequest};
use akixi_client::akixi::{
    AdminPermission, AdminPermissions, CodeType, DeviceSelector, DeviceType, IntegrationType,
    Language, NonAdminPermission, NonAdminPermissions, OtherPermission, OtherPermissions, Platform,
    ReportingAccess, TelSysPlatform,
};
use akixi_client::runtime::akixi_ws::{
    EncodeError, EncodePayload, Operation, Password, PasswordEncoder, PayloadSink, WireValue,
};

/// The CM environment every seeded server belongs to: the identifier the documented examples
/// use, so that they run unchanged.
pub const CM_ENVIRONMENT_ID: &str = "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613";

/// The partitions (`PartIDInTelSys`) of every seeded telephony server.
pub const PARTITIONS: &[i64] = &[1, 2, 3];

/// The partition of every seeded server that plays its Common Devices Partition (the
/// documentation says each server gets one, not how the API shows it).
pub const COMMON_DEVICES_PARTITION: i64 = 1;

/// The customer partition of every seeded server that holds its devices, agents, codes and
/// directory entries.
pub const CUSTOMER_PARTITION: i64 = 2;

/// The seeded call recording integration: the identifier the documented `UserInfo` example's
/// `Scope.CallRecIntID` names, scoped to the first BroadWorks server.
pub const CALL_REC_INT_ID: &str = "4f124376cc1db4d4:-5629173c:17d7be86775:-7fb6";

/// A second Cisco BroadWorks server, `TelSysID` 100100, which the documented `UserChange` and
/// `UserList` examples use.
pub const DOCS_TEL_SYS_ID: i64 = 100_100;

/// The `TelSysID` of the seeded server of `platform`: 1 for the first of [`Platform::ALL`], 2
/// for the next, and so on.
pub fn tel_sys_id(platform: Platform) -> i64 {
    // `index` is below the number of platforms, which fits any integer type.
    platform.index() as i64 + 1
}

/// Every seeded telephony server as `(TelSysID, platform)`, the documentation's 100100
/// included: what a client needs to validate requests per server.
pub fn telephony_servers() -> Vec<(i64, Platform)> {
    let mut servers: Vec<(i64, Platform)> =
        Platform::ALL.iter().map(|&p| (tel_sys_id(p), p)).collect();
    servers.push((DOCS_TEL_SYS_ID, Platform::CiscoBroadworks));
    servers
}

/// A seeded supervisor: narrower permissions and scope than the administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supervisor {
    /// `Username`.
    pub username: &'static str,
    /// `FullName`.
    pub full_name: &'static str,
    /// The platform of the server it is scoped to.
    pub platform: Platform,
    /// The partition it is scoped to, if it is narrowed to one.
    pub partition: Option<i64>,
    /// The `User|…` permissions it holds.
    pub user_permissions: &'static [AdminPermission],
}

/// The seeded supervisors. Each gets its own random password when a state is created (or one
/// given with `Config::demo_password`), shown once: `SimulatorHandle::demo_logins`, printed by
/// `akixi-sim serve`, and written (mode 0600) to `<state>.demo-logins`.
pub const SUPERVISORS: &[Supervisor] = &[
    Supervisor {
        username: "supervisor.broadworks@akixi-sim.invalid",
        full_name: "BroadWorks Supervisor",
        platform: Platform::CiscoBroadworks,
        partition: None,
        user_permissions: &[
            AdminPermission::UserCreate,
            AdminPermission::UserRead,
            AdminPermission::UserUpdate,
            AdminPermission::UserDelete,
        ],
    },
    Supervisor {
        username: "supervisor.hipath@akixi-sim.invalid",
        full_name: "HiPath Partition Supervisor",
        platform: Platform::Hipath3000,
        partition: Some(2),
        user_permissions: &[AdminPermission::UserRead, AdminPermission::UserUpdate],
    },
    Supervisor {
        username: "reader.m6@akixi-sim.invalid",
        full_name: "M6 Read-only Supervisor",
        platform: Platform::BroadsoftM6,
        partition: Some(1),
        user_permissions: &[AdminPermission::UserRead],
    },
    Supervisor {
        username: "wallboard.demo@akixi-sim.invalid",
        full_name: "Demo Wallboard",
        platform: Platform::DemoSimulator,
        partition: Some(1),
        user_permissions: &[],
    },
];

/// The administrator's full name.
pub const ADMIN_FULL_NAME: &str = "Simulator Administrator";

/// One seeded entity: its family and the properties its generated shape writes.
pub(crate) struct SeedEntity {
    pub(crate) family: &'static str,
    pub(crate) properties: Vec<(Option<String>, String, String)>,
    /// Whether it is an account that signs in.
    pub(crate) signs_in: bool,
    /// The user name of a demo login (a supervisor), which gets a password of its own; `None`
    /// for the administrator and for what is not an account.
    pub(crate) demo_login: Option<&'static str>,
}

impl SeedEntity {
    fn of<T: EncodePayload>(
        family: &'static str,
        shape: &T,
        signs_in: bool,
    ) -> Result<Self, EncodeError> {
        Ok(SeedEntity {
            family,
            properties: Capture::of(shape)?.properties,
            signs_in,
            demo_login: None,
        })
    }
}

/// The demo data, in the order it must be stored (what is referenced first).
pub(crate) fn demo(admin_username: &str) -> Result<Vec<SeedEntity>, EncodeError> {
    let mut out = Vec::new();
    let mut cme = CMEnvironmentInfoResponse::default();
    cme.cm_environment_id = Some(CM_ENVIRONMENT_ID.to_owned());
    cme.description = Some("Simulated primary CM environment".to_owned());
    out.push(SeedEntity::of(FAMILY_CM_ENVIRONMENT, &cme, false)?);
    for (id, platform) in telephony_servers() {
        let mut server = TelSysInfoResponse::default();
        server.tel_sys_id = small(id);
        server.cm_environment_id = Some(CM_ENVIRONMENT_ID.to_owned());
        server.platform = Some(TelSysPlatform::from(platform.id()));
        server.description = Some(if id == DOCS_TEL_SYS_ID {
            "Cisco BroadWorks server of the documented examples".to_owned()
        } else {
            format!("{} server", platform.name())
        });
        out.push(SeedEntity::of(FAMILY_TEL_SYS, &server, false)?);
        for &p in PARTITIONS {
            let mut partition = PartitionInfoResponse::default();
            partition.tel_sys_id = small(id);
            partition.part_id_in_tel_sys = small(p);
            partition.description = Some(if p == COMMON_DEVICES_PARTITION {
                "Common Devices Partition".to_owned()
            } else {
                format!("Customer partition {p}")
            });
            out.push(SeedEntity::of(FAMILY_PARTITION, &partition, false)?);
        }
        components(&mut out, id, platform)?;
    }
    let mut recording = CallRecIntInfoResponse::default();
    recording.call_rec_int_id = Some(CALL_REC_INT_ID.to_owned());
    recording.tel_sys_id = small(tel_sys_id(Platform::CiscoBroadworks));
    recording.description = Some("Call recording of the BroadWorks server".to_owned());
    out.push(SeedEntity::of(FAMILY_CALL_REC_INT, &recording, false)?);
    for (unique_id, kind, description) in [
        ("email-demo", IntegrationType::Email, "Support mailbox"),
        ("chat-demo", IntegrationType::LiveChat, "Web site live chat"),
    ] {
        let mut integration = OmnichannelIntInfoResponse::default();
        integration.unique_id = Some(unique_id.to_owned());
        integration.tel_sys_id = small(tel_sys_id(Platform::CiscoBroadworks));
        integration.part_id_in_tel_sys = small(CUSTOMER_PARTITION);
        integration.description = Some(description.to_owned());
        if kind == IntegrationType::Email {
            let mut comms = ApiCommunicationSettings::default();
            comms.ip_address1 = Some("192.0.2.25".to_owned());
            integration.api_communication_settings = Some(comms);
        }
        integration.integration_type = Some(kind);
        out.push(SeedEntity::of(FAMILY_OMNICHANNEL_INT, &integration, false)?);
    }
    out.push(SeedEntity::of(FAMILY_USER, &admin(admin_username), true)?);
    for s in SUPERVISORS.iter().filter(|s| s.username != admin_username) {
        let mut login = SeedEntity::of(FAMILY_USER, &supervisor(s), true)?;
        login.demo_login = Some(s.username);
        out.push(login);
    }
    Ok(out)
}

/// The devices, ACD agents, codes and directory entries of a seeded server's customer
/// partition; codes only where the platform captures them (the spec's support matrix).
fn components(
    out: &mut Vec<SeedEntity>,
    server: i64,
    platform: Platform,
) -> Result<(), EncodeError> {
    let at = |n: i64| small(n);
    for (number, kind, description) in [
        ("2001", DeviceType::Extension, "Reception desk"),
        ("2002", DeviceType::Extension, "Sales desk"),
        ("2900", DeviceType::Virtual, "Sales hunt group"),
    ] {
        let mut device = DeviceInfoResponse::default();
        device.tel_sys_id = at(server);
        device.part_id_in_tel_sys = at(CUSTOMER_PARTITION);
        device.device_number = Some(number.to_owned());
        device.device_type = Some(kind);
        device.description = Some(description.to_owned());
        out.push(SeedEntity::of(FAMILY_DEVICE, &device, false)?);
    }
    for (number, name) in [("3001", "Alex Agent"), ("3002", "Sam Agent")] {
        let mut agent = ACDAgentInfoResponse::default();
        agent.tel_sys_id = at(server);
        agent.part_id_in_tel_sys = at(CUSTOMER_PARTITION);
        agent.agent_number = Some(number.to_owned());
        agent.agent_name = Some(name.to_owned());
        out.push(SeedEntity::of(FAMILY_ACD_AGENT, &agent, false)?);
    }
    let codes_supported = CodeAddRequest::new(0, 0, "0", CodeType::Account)
        .validate_for(platform)
        .is_ok();
    if codes_supported {
        for (code, kind, description) in [
            ("100", CodeType::Account, "Billable client call"),
            ("900", CodeType::NotAvailable, "Lunch break"),
        ] {
            let mut entry = CodeInfoResponse::default();
            entry.tel_sys_id = at(server);
            entry.part_id_in_tel_sys = at(CUSTOMER_PARTITION);
            entry.code = Some(code.to_owned());
            entry.code_type = Some(kind);
            entry.description = Some(description.to_owned());
            out.push(SeedEntity::of(FAMILY_CODE, &entry, false)?);
        }
    }
    for (number, description) in [
        ("01234567890", "Head office"),
        ("08001234567", "Support line"),
    ] {
        let mut entry = DirectoryEntryInfoResponse::default();
        entry.tel_sys_id = at(server);
        entry.part_id_in_tel_sys = at(CUSTOMER_PARTITION);
        entry.telephone_number = Some(number.to_owned());
        entry.description = Some(description.to_owned());
        out.push(SeedEntity::of(FAMILY_DIRECTORY_ENTRY, &entry, false)?);
    }
    Ok(())
}

// The families the demo data fills, as the generated types name them.
const FAMILY_CM_ENVIRONMENT: &str = <CMEnvironmentAddRequest as Operation>::FAMILY;
const FAMILY_TEL_SYS: &str = <TelSysAddRequest as Operation>::FAMILY;
const FAMILY_PARTITION: &str = <PartitionAddRequest as Operation>::FAMILY;
const FAMILY_USER: &str = <UserAddRequest as Operation>::FAMILY;
const FAMILY_DEVICE: &str = <DeviceAddRequest as Operation>::FAMILY;
const FAMILY_ACD_AGENT: &str = <ACDAgentAddRequest as Operation>::FAMILY;
const FAMILY_CODE: &str = <CodeAddRequest as Operation>::FAMILY;
const FAMILY_DIRECTORY_ENTRY: &str = <DirectoryEntryAddRequest as Operation>::FAMILY;
const FAMILY_OMNICHANNEL_INT: &str = <OmnichannelIntAddRequest as Operation>::FAMILY;
const FAMILY_CALL_REC_INT: &str = <CallRecIntAddRequest as Operation>::FAMILY;

/// A small seeded number as the spec's integer type.
fn small<T: From<i32>>(n: i64) -> Option<T> {
    i32::try_from(n).ok().map(T::from)
}

/// Collects what a shape writes: `(container, name, wire text)` in document order; passwords
/// are left out (the seed's accounts get theirs apart, hashed).
#[derive(Debug, Default)]
pub(crate) struct Capture {
    container: Option<String>,
    depth: u32,
    pub(crate) properties: Vec<(Option<String>, String, String)>,
}

impl Capture {
    pub(crate) fn of<T: EncodePayload>(shape: &T) -> Result<Self, EncodeError> {
        let mut capture = Capture::default();
        shape.encode_payload(&mut capture, &NoPasswords)?;
        Ok(capture)
    }
}

impl PayloadSink for Capture {
    fn property(&mut self, name: &str, value: &str) {
        if self.depth <= 1 && !value.is_empty() {
            self.properties
                .push((self.container.clone(), name.to_owned(), value.to_owned()));
        }
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        self.property(name, &value.to_wire());
    }
    fn begin_container(&mut self, name: Option<&str>) {
        self.depth += 1;
        if self.depth == 1 {
            self.container = name.map(str::to_owned);
        }
    }
    fn end_container(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.container = None;
        }
    }
}

/// Writes every password as empty text, which [`Capture`] leaves out.
struct NoPasswords;

impl PasswordEncoder for NoPasswords {
    fn encode_password(&self, _: &Password) -> Result<String, EncodeError> {
        Ok(String::new())
    }
}

/// The administrator: every permission the spec lists, no scope restriction.
fn admin(username: &str) -> UserAddRequest {
    let admin = AdminPermission::VALUES
        .iter()
        .fold(AdminPermissions::new(), |set, v| {
            set.with(AdminPermission::from(*v))
        });
    let non_admin = NonAdminPermission::VALUES
        .iter()
        .fold(NonAdminPermissions::new(), |set, v| {
            set.with(NonAdminPermission::from(*v))
        });
    let other = OtherPermission::VALUES
        .iter()
        .fold(OtherPermissions::new(), |set, v| {
            set.with(OtherPermission::from(*v))
        });
    UserAddRequest::new(username)
        .full_name(ADMIN_FULL_NAME)
        .lock_out(false)
        .default_lang(Language::EnGb)
        .scope(
            Scope::new()
                .device_number(DeviceSelector::All)
                .agent_number(DeviceSelector::All)
                .reporting_access(ReportingAccess::Akixi3000)
                .admin(true),
        )
        .permissions(
            Permissions::new()
                .admin(admin)
                .non_admin(non_admin)
                .other(other),
        )
}

fn supervisor(s: &Supervisor) -> UserAddRequest {
    let mut scope = Scope::new()
        .cm_environment_id(CM_ENVIRONMENT_ID)
        .device_number(DeviceSelector::All)
        .agent_number(DeviceSelector::All)
        .reporting_access(ReportingAccess::Akixi2000);
    // Seeded ids are small constants, well inside the Integer range.
    scope.tel_sys_id = i32::try_from(tel_sys_id(s.platform)).ok().map(Into::into);
    scope.part_id_in_tel_sys = s
        .partition
        .and_then(|p| i32::try_from(p).ok())
        .map(Into::into);
    let admin = s
        .user_permissions
        .iter()
        .fold(AdminPermissions::new(), |set, p| set.with(p.clone()));
    UserAddRequest::new(s.username)
        .full_name(s.full_name)
        .lock_out(false)
        .default_lang(Language::EnGb)
        .scope(scope)
        .permissions(
            Permissions::new()
                .admin(admin)
                .non_admin(NonAdminPermissions::new().with(NonAdminPermission::ReportRead))
                .other(OtherPermissions::new().with(OtherPermission::ConcurrentSignIn)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_server_per_platform_plus_the_documented_one() {
        let entities = demo("admin@example.invalid").expect("encodes");
        assert_eq!(
            entities
                .iter()
                .filter(|e| e.family == FAMILY_TEL_SYS)
                .count(),
            Platform::ALL.len() + 1
        );
        let servers = telephony_servers();
        assert_eq!(servers.len(), Platform::ALL.len() + 1);
        for &p in Platform::ALL {
            assert!(servers.contains(&(tel_sys_id(p), p)));
        }
        assert!(servers.contains(&(DOCS_TEL_SYS_ID, Platform::CiscoBroadworks)));
    }
}
