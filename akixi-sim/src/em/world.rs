//! The simulated cluster's state, and what an action does to it.

use std::collections::BTreeMap;

use akixi_client::cisco_em::{
    ActionKind, DeviceProfile, DeviceProfileResults, DeviceState, DeviceUser, DeviceUserResults,
    Failure, FieldValue, Response, ResponseKind, UserDeviceProfiles, UserDevices,
    UserDevicesResults, UserState,
};
use akixi_client::em::{AnyAction, BINDING, ErrorCode, error_conditions as cond};
use akixi_client::runtime::akixi_ws::Secret;

use super::seed;

/// An application user: who may call the service.
#[derive(Debug, Clone)]
pub(crate) struct AppUser {
    pub(crate) certificate: Secret,
    pub(crate) proxy_rights: bool,
}

/// A device, who is logged in to it, and whose login on it ended last.
#[derive(Debug, Clone, Default)]
pub(crate) struct Device {
    pub(crate) em_enabled: bool,
    /// An Extension Mobility Cross Cluster device (`emccDevice`).
    pub(crate) emcc: bool,
    pub(crate) login: Option<Occupant>,
    /// The user whose login on the device ended last (`lastlogin`): kept in memory only, so a
    /// new process on the same state file starts without one.
    pub(crate) last_login: Option<String>,
}

/// A user: its device profiles and which is its default.
#[derive(Debug, Clone, Default)]
pub(crate) struct User {
    pub(crate) profiles: Vec<String>,
    pub(crate) default_profile: Option<String>,
}

/// A user logged in to a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupant {
    /// The user id.
    pub user: String,
    /// The device profile logged in with.
    pub profile: String,
    /// Minutes until the automatic logout (recorded, not applied); `None` for indefinite.
    pub minutes: Option<i64>,
}

/// The cluster.
#[derive(Debug, Clone, Default)]
pub(crate) struct World {
    pub(crate) app_users: BTreeMap<String, AppUser>,
    pub(crate) devices: BTreeMap<String, Device>,
    /// User id → device profiles.
    pub(crate) users: BTreeMap<String, User>,
}

impl World {
    /// Who is logged in where, by device.
    pub(crate) fn logins(&self) -> BTreeMap<String, Occupant> {
        self.devices
            .iter()
            .filter_map(|(name, d)| d.login.clone().map(|l| (name.clone(), l)))
            .collect()
    }

    /// Restores logins read from a state file; devices the seed no longer has are skipped.
    pub(crate) fn restore(&mut self, logins: Vec<(String, Occupant)>) {
        for (device, occupant) in logins {
            match self.devices.get_mut(&device) {
                Some(d) => d.login = Some(occupant),
                None => {
                    tracing::warn!(%device, "dropping a stored login on a device the seed lacks")
                }
            }
        }
    }

    pub(crate) fn seeded() -> Self {
        let mut w = World::default();
        w.app_users.insert(
            seed::APP_ID.to_owned(),
            AppUser {
                certificate: Secret::new(seed::APP_CERTIFICATE),
                proxy_rights: true,
            },
        );
        for (id, certificate) in seed::GUIDE_APP_USERS {
            w.app_users.insert(
                (*id).to_owned(),
                AppUser {
                    certificate: Secret::new(*certificate),
                    proxy_rights: true,
                },
            );
        }
        w.app_users.insert(
            seed::NO_RIGHTS_APP_ID.to_owned(),
            AppUser {
                certificate: Secret::new(seed::NO_RIGHTS_APP_CERTIFICATE),
                proxy_rights: false,
            },
        );
        for d in seed::DEVICES {
            w.devices.insert(
                d.name.to_owned(),
                Device {
                    em_enabled: d.em_enabled,
                    emcc: d.emcc,
                    login: None,
                    last_login: None,
                },
            );
        }
        for u in seed::USERS {
            w.users.insert(
                u.id.to_owned(),
                User {
                    profiles: u.profiles.iter().map(|p| (*p).to_owned()).collect(),
                    default_profile: u.default_profile.map(str::to_owned),
                },
            );
        }
        w
    }

    /// Checks the application's credentials: `Err` with the code to answer.
    pub(crate) fn authorize(&self, app_id: &str, certificate: &Secret) -> Result<(), ErrorCode> {
        match self.app_users.get(app_id) {
            Some(app) if app.certificate == *certificate => {
                if app.proxy_rights {
                    Ok(())
                } else {
                    Err(cond::NO_PROXY_RIGHTS)
                }
            }
            _ => Err(cond::BAD_APP_CREDENTIALS),
        }
    }

    /// Carries out an authorized action. What it does is read from the parameters it takes,
    /// by the roles the spec's binding gives them: a request with a user and a device logs the
    /// user in, one with a device only logs the device out, one with neither logs everybody
    /// out; a query answers with the results document the spec names for it, about the
    /// devices or users its list parameter gives.
    pub(crate) fn apply(&mut self, action: &AnyAction) -> Response {
        let fields = action.fields();
        let text = |name: &str| {
            fields.iter().find_map(|f| match &f.value {
                FieldValue::Text(t) if f.property == name => Some(t.as_ref()),
                _ => None,
            })
        };
        let flag = |name: &str| {
            fields
                .iter()
                .any(|f| f.property == name && f.value == FieldValue::Flag(true))
        };
        let result = match action.kind() {
            ActionKind::Request => {
                match (text(BINDING.user_parameter), text(BINDING.device_parameter)) {
                    (Some(user), Some(device)) => {
                        // The timeout as sent (its default when not given), unless there is none.
                        let minutes = (!flag(BINDING.no_timeout_parameter)).then(|| {
                            text(BINDING.timeout_parameter)
                                .and_then(|t| t.trim().parse().ok())
                                .unwrap_or(0)
                        });
                        self.login(
                            device,
                            user,
                            text(BINDING.device_profile_parameter),
                            minutes,
                        )
                        .map(|()| Response::Success)
                    }
                    (None, Some(device)) => self.logout(device).map(|()| Response::Success),
                    (None, None) => {
                        for d in self.devices.values_mut() {
                            if let Some(l) = d.login.take() {
                                d.last_login = Some(l.user);
                            }
                        }
                        Ok(Response::Success)
                    }
                    (Some(_), None) => Err(cond::MALFORMED_REQUEST),
                }
            }
            ActionKind::Query => {
                let asked: Vec<&str> = fields
                    .iter()
                    .find_map(|f| match &f.value {
                        FieldValue::List(items) => Some(items.iter().map(AsRef::as_ref).collect()),
                        _ => None,
                    })
                    .unwrap_or_default();
                self.query(action.output_element(), &asked)
            }
        };
        result.unwrap_or_else(failure)
    }

    /// The results document `element` about the devices or users `asked`.
    fn query(&self, element: &str, asked: &[&str]) -> Result<Response, ErrorCode> {
        Ok(match ResponseKind::of_element(element) {
            Some(ResponseKind::DeviceUserResults) => {
                Response::DeviceUserResults(DeviceUserResults {
                    devices: asked.iter().map(|name| self.device_user(name)).collect(),
                })
            }
            Some(ResponseKind::UserDevicesResults) => {
                Response::UserDevicesResults(UserDevicesResults {
                    users: asked.iter().map(|id| self.user_devices(id)).collect(),
                })
            }
            Some(ResponseKind::DeviceProfileResults) => {
                Response::DeviceProfileResults(DeviceProfileResults {
                    users: asked.iter().map(|id| self.user_profiles(id)).collect(),
                })
            }
            // A newer spec's query this simulator does not answer yet.
            _ => return Err(cond::UNKNOWN_QUERY_TYPE),
        })
    }

    fn login(
        &mut self,
        device: &str,
        user: &str,
        profile: Option<&str>,
        minutes: Option<i64>,
    ) -> Result<(), ErrorCode> {
        let Some(d) = self.devices.get(device) else {
            return Err(cond::UNKNOWN_DEVICE);
        };
        if !d.em_enabled {
            return Err(cond::EM_DISABLED_ON_DEVICE);
        }
        let Some(known) = self.users.get(user) else {
            return Err(cond::UNKNOWN_USER);
        };
        let profile = match profile {
            Some(p) if known.profiles.iter().any(|q| q == p) => p.to_owned(),
            Some(_) => return Err(cond::UNKNOWN_DEVICE_PROFILE),
            None => known
                .default_profile
                .as_ref()
                .or(known.profiles.first())
                .ok_or(cond::UNKNOWN_DEVICE_PROFILE)?
                .clone(),
        };
        if d.login.as_ref().is_some_and(|l| l.user != user) {
            return Err(cond::DEVICE_IN_USE);
        }
        // Multiple logins are not allowed (the cluster's default).
        let elsewhere = self.devices.iter().any(|(name, other)| {
            name != device && other.login.as_ref().is_some_and(|l| l.user == user)
        });
        if elsewhere {
            return Err(cond::USER_LOGGED_IN_ELSEWHERE);
        }
        if let Some(d) = self.devices.get_mut(device) {
            d.login = Some(Occupant {
                user: user.to_owned(),
                profile,
                minutes,
            });
        }
        Ok(())
    }

    fn logout(&mut self, device: &str) -> Result<(), ErrorCode> {
        let Some(d) = self.devices.get_mut(device) else {
            return Err(cond::UNKNOWN_DEVICE);
        };
        if !d.em_enabled {
            return Err(cond::EM_DISABLED_AT_LOGOUT);
        }
        match d.login.take() {
            Some(l) => {
                d.last_login = Some(l.user);
                Ok(())
            }
            None => Err(cond::NO_USER_LOGGED_IN),
        }
    }

    /// A device as the guide's example and CUCM's traces show it: who is logged in (or
    /// `none`), whose login ended last (or `none`), and whether it is an EMCC device; only
    /// `doesNotExist` for a device that does not exist.
    fn device_user(&self, name: &str) -> DeviceUser {
        let Some(d) = self.devices.get(name) else {
            return DeviceUser {
                name: name.to_owned(),
                state: DeviceState::DoesNotExist,
                last_login: None,
                emcc_device: None,
                extra: Vec::new(),
            };
        };
        DeviceUser {
            name: name.to_owned(),
            state: match &d.login {
                Some(l) => DeviceState::LoggedIn {
                    user_id: l.user.clone(),
                },
                None => DeviceState::NoUser,
            },
            last_login: d.last_login.clone(),
            emcc_device: Some(if d.emcc { EMCC_YES } else { EMCC_NO }.to_owned()),
            extra: Vec::new(),
        }
    }

    fn user_devices(&self, id: &str) -> UserDevices {
        let state = if self.users.contains_key(id) {
            let devices: Vec<String> = self
                .devices
                .iter()
                .filter(|(_, d)| d.login.as_ref().is_some_and(|l| l.user == id))
                .map(|(name, _)| name.clone())
                .collect();
            if devices.is_empty() {
                UserState::NoDevice
            } else {
                UserState::LoggedIn { devices }
            }
        } else {
            UserState::DoesNotExist
        };
        UserDevices {
            user_id: id.to_owned(),
            state,
            extra: Vec::new(),
        }
    }

    fn user_profiles(&self, id: &str) -> UserDeviceProfiles {
        let user = self.users.get(id);
        UserDeviceProfiles {
            user_id: id.to_owned(),
            profiles: user
                .into_iter()
                .flat_map(|u| {
                    u.profiles.iter().map(|name| DeviceProfile {
                        name: name.clone(),
                        is_default: Some(u.default_profile.as_ref() == Some(name)),
                        extra: Vec::new(),
                    })
                })
                .collect(),
            does_not_exist: user.is_none(),
            extra: Vec::new(),
        }
    }
}

/// How `emccDevice` says yes and no (the guide's example shows `no`).
const EMCC_YES: &str = "yes";
const EMCC_NO: &str = "no";

/// A `<failure>` with `code` and its documented message.
pub(crate) fn failure(code: ErrorCode) -> Response {
    Response::Failure(Failure::new(code, code.message().unwrap_or_default()))
}
