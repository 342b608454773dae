//! The data an empty simulator starts with (documented in the crate's README): a CM
//! environment, one telephony server per platform (and the documentation's 100100), three
//! partitions on each, the administrator and a few supervisors.
//!
//! Each entity is built with the generated types and captured as the properties it would
//! send, so the seed follows the spec like everything else; a spec change that renames what
//! the seed sets fails to compile.

use akixi_client::akixi::cm_environment::{CMEnvironmentAddRequest, CMEnvironmentInfoResponse};
use akixi_client::akixi::partition::{PartitionAddRequest, PartitionInfoResponse};
use akixi_client::akixi::tel_sys::{TelSysAddRequest, TelSysInfoResponse};
use akixi_client::akixi::user::{Permissions, Scope, UserAddRequest};
use akixi_client::akixi::{
    AdminPermission, AdminPermissions, DeviceSelector, Language, NonAdminPermission,
    NonAdminPermissions, OtherPermission, OtherPermissions, Platform, ReportingAccess,
    TelSysPlatform,
};
use akixi_client::runtime::akixi_ws::{
    EncodeError, EncodePayload, Operation, Password, PasswordEncoder, PayloadSink, WireValue,
};

/// The CM environment every seeded server belongs to: the identifier the documented examples
/// use, so that they run unchanged.
pub const CM_ENVIRONMENT_ID: &str = "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613";

/// The partitions (`PartIDInTelSys`) of every seeded telephony server.
pub const PARTITIONS: &[i64] = &[1, 2, 3];

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

/// The seeded supervisors. They sign in with the administrator's password.
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
    /// Whether it is an account that signs in with the administrator's password.
    pub(crate) signs_in: bool,
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
            partition.description = Some(format!("Partition {p}"));
            out.push(SeedEntity::of(FAMILY_PARTITION, &partition, false)?);
        }
    }
    out.push(SeedEntity::of(FAMILY_USER, &admin(admin_username), true)?);
    for s in SUPERVISORS.iter().filter(|s| s.username != admin_username) {
        out.push(SeedEntity::of(FAMILY_USER, &supervisor(s), true)?);
    }
    Ok(out)
}

// The families the demo data fills, as the generated types name them.
const FAMILY_CM_ENVIRONMENT: &str = <CMEnvironmentAddRequest as Operation>::FAMILY;
const FAMILY_TEL_SYS: &str = <TelSysAddRequest as Operation>::FAMILY;
const FAMILY_PARTITION: &str = <PartitionAddRequest as Operation>::FAMILY;
const FAMILY_USER: &str = <UserAddRequest as Operation>::FAMILY;

/// A small seeded number as the spec's integer type.
fn small<T: From<i32>>(n: i64) -> Option<T> {
    i32::try_from(n).ok().map(T::from)
}

/// Collects what a shape writes: `(container, name, wire text)` in document order; passwords
/// are left out (the seed's accounts share the administrator's, hashed once).
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
                .reporting_access(ReportingAccess::Akixi3000),
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
