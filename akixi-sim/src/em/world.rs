//! The simulated cluster's state, and what each action does to it.

use std::collections::BTreeMap;

use akixi_client::cisco_em::{
    DeviceProfile, DeviceProfileResults, DeviceState, DeviceUser, DeviceUserResults, Failure,
    Response, UserDeviceProfiles, UserDevices, UserDevicesResults, UserState,
};
use akixi_client::em::{AnyAction, ErrorCode, error_conditions as cond};
use akixi_client::runtime::akixi_ws::Secret;

use super::seed;

/// An application user: who may call the service.
#[derive(Debug, Clone)]
pub(crate) struct AppUser {
    pub(crate) certificate: Secret,
    pub(crate) proxy_rights: bool,
}

/// A device, and who is logged in to it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Device {
    pub(crate) em_enabled: bool,
    pub(crate) login: Option<Login>,
}

/// A user logged in to a device.
#[derive(Debug, Clone)]
pub(crate) struct Login {
    pub(crate) user: String,
    pub(crate) profile: String,
    /// Minutes until the automatic logout (recorded, not applied); `None` for indefinite.
    pub(crate) minutes: Option<i64>,
}

/// The cluster.
#[derive(Debug, Clone, Default)]
pub(crate) struct World {
    pub(crate) app_users: BTreeMap<String, AppUser>,
    pub(crate) devices: BTreeMap<String, Device>,
    /// User id → device profiles, the default first.
    pub(crate) users: BTreeMap<String, Vec<String>>,
}

impl World {
    pub(crate) fn seeded() -> Self {
        let mut w = World::default();
        w.app_users.insert(
            seed::APP_ID.to_owned(),
            AppUser {
                certificate: Secret::new(seed::APP_CERTIFICATE),
                proxy_rights: true,
            },
        );
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
                    login: None,
                },
            );
        }
        for u in seed::USERS {
            w.users.insert(
                u.id.to_owned(),
                u.profiles.iter().map(|p| (*p).to_owned()).collect(),
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

    /// Carries out an authorized action.
    pub(crate) fn apply(&mut self, action: &AnyAction) -> Response {
        let result = match action {
            AnyAction::Login(a) => self
                .login(
                    a.get_device_name(),
                    a.get_user_id(),
                    a.get_device_profile().map(String::as_str),
                    (!a.no_timeout_or_default()).then(|| a.timeout_or_default().get()),
                )
                .map(|()| Response::Success),
            AnyAction::Logout(a) => self.logout(a.get_device_name()).map(|()| Response::Success),
            AnyAction::LogoutAll(_) => {
                for d in self.devices.values_mut() {
                    d.login = None;
                }
                Ok(Response::Success)
            }
            AnyAction::QueryDevices(a) => Ok(Response::DeviceUserResults(DeviceUserResults {
                devices: a
                    .get_device_names()
                    .iter()
                    .map(|name| self.device_user(name))
                    .collect(),
            })),
            AnyAction::QueryUsers(a) => Ok(Response::UserDevicesResults(UserDevicesResults {
                users: a
                    .get_users()
                    .iter()
                    .map(|id| self.user_devices(id))
                    .collect(),
            })),
            AnyAction::QueryDeviceProfiles(a) => {
                Ok(Response::DeviceProfileResults(DeviceProfileResults {
                    users: a
                        .get_user_ids()
                        .iter()
                        .map(|id| self.user_profiles(id))
                        .collect(),
                }))
            }
            // A newer spec's action this simulator does not implement yet.
            _ => Err(cond::MALFORMED_REQUEST),
        };
        result.unwrap_or_else(failure)
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
        let Some(profiles) = self.users.get(user) else {
            return Err(cond::UNKNOWN_USER);
        };
        let profile = match profile {
            Some(p) if profiles.iter().any(|q| q == p) => p.to_owned(),
            Some(_) => return Err(cond::UNKNOWN_DEVICE_PROFILE),
            None => profiles
                .first()
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
            d.login = Some(Login {
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
            Some(_) => Ok(()),
            None => Err(cond::NO_USER_LOGGED_IN),
        }
    }

    fn device_user(&self, name: &str) -> DeviceUser {
        let state = match self.devices.get(name) {
            None => DeviceState::DoesNotExist,
            Some(Device { login: Some(l), .. }) => DeviceState::LoggedIn {
                user_id: l.user.clone(),
            },
            Some(_) => DeviceState::NoUser,
        };
        DeviceUser {
            name: name.to_owned(),
            state,
            last_login: None,
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
        let profiles = self.users.get(id);
        UserDeviceProfiles {
            user_id: id.to_owned(),
            profiles: profiles
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, name)| DeviceProfile {
                    name: name.clone(),
                    is_default: Some(i == 0),
                    extra: Vec::new(),
                })
                .collect(),
            does_not_exist: profiles.is_none(),
            extra: Vec::new(),
        }
    }
}

/// A `<failure>` with `code` and its documented message.
pub(crate) fn failure(code: ErrorCode) -> Response {
    Response::Failure(Failure::new(code, code.message().unwrap_or_default()))
}
