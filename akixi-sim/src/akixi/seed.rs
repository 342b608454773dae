//! The data an empty simulator starts with (documented in the crate's README).
//!
//! Users are built with the generated request builders and stored through the same path as a
//! `UserAdd`, so the seed follows the spec like everything else.

use std::collections::BTreeMap;

use akixi_client::akixi::user::{Permissions, Scope, UserAddRequest};
use akixi_client::akixi::{
    AdminPermission, AdminPermissions, DeviceSelector, Language, NonAdminPermission,
    NonAdminPermissions, OtherPermission, OtherPermissions, Platform, ReportingAccess,
};

use crate::akixi::world::{CmEnvironment, TelephonyServer};

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
    servers().values().map(|s| (s.id, s.platform)).collect()
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

pub(crate) fn cm_environments() -> Vec<CmEnvironment> {
    vec![CmEnvironment {
        id: CM_ENVIRONMENT_ID.to_owned(),
        name: "Simulated primary CM environment".to_owned(),
    }]
}

pub(crate) fn servers() -> BTreeMap<i64, TelephonyServer> {
    let partitions = || {
        PARTITIONS
            .iter()
            .map(|&p| (p, format!("Partition {p}")))
            .collect::<BTreeMap<_, _>>()
    };
    let mut servers: BTreeMap<i64, TelephonyServer> = Platform::ALL
        .iter()
        .map(|&platform| {
            let id = tel_sys_id(platform);
            let server = TelephonyServer {
                id,
                name: format!("{} server", platform.name()),
                platform,
                cm_environment: CM_ENVIRONMENT_ID.to_owned(),
                partitions: partitions(),
            };
            (id, server)
        })
        .collect();
    servers.insert(
        DOCS_TEL_SYS_ID,
        TelephonyServer {
            id: DOCS_TEL_SYS_ID,
            name: "Cisco BroadWorks server of the documented examples".to_owned(),
            platform: Platform::CiscoBroadworks,
            cm_environment: CM_ENVIRONMENT_ID.to_owned(),
            partitions: partitions(),
        },
    );
    servers
}

/// The administrator: every permission the spec lists, no scope restriction.
pub(crate) fn admin(username: &str) -> UserAddRequest {
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

pub(crate) fn supervisor(s: &Supervisor) -> UserAddRequest {
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
        let servers = telephony_servers();
        assert_eq!(servers.len(), Platform::ALL.len() + 1);
        for &p in Platform::ALL {
            assert!(servers.contains(&(tel_sys_id(p), p)));
        }
        assert!(servers.contains(&(DOCS_TEL_SYS_ID, Platform::CiscoBroadworks)));
    }
}
