//! A response as records: one per device or user of a query's results, as `(column, text)`
//! pairs, for tools that print or export them (the command line).

use super::grammar::{DOES_NOT_EXIST, NONE};
use super::response::{
    DeviceProfileResults, DeviceState, DeviceUserResults, Response, UserDevicesResults, UserState,
};
use crate::meta::Record;

/// The state of a device or user that is logged in.
const LOGGED_IN: &str = "loggedIn";
/// The state of a user who exists (device profile results).
const EXISTS: &str = "exists";
/// The state the results leave unsaid.
const UNSPECIFIED: &str = "unspecified";

impl Response {
    /// The records of a query's results; `None` for a success or a failure.
    pub fn records(&self) -> Option<Vec<Record>> {
        match self {
            Response::Success | Response::Failure(_) => None,
            Response::DeviceUserResults(r) => Some(devices(r)),
            Response::UserDevicesResults(r) => Some(users(r)),
            Response::DeviceProfileResults(r) => Some(profiles(r)),
        }
    }
}

fn rec(pairs: &[(&str, String)]) -> Record {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn devices(r: &DeviceUserResults) -> Vec<Record> {
    r.devices
        .iter()
        .map(|d| {
            let state = match &d.state {
                DeviceState::LoggedIn { .. } => LOGGED_IN,
                DeviceState::NoUser => NONE,
                DeviceState::DoesNotExist => DOES_NOT_EXIST,
                _ => UNSPECIFIED,
            };
            rec(&[
                ("Device", d.name.clone()),
                ("State", state.to_string()),
                ("UserId", d.user_id().unwrap_or_default().to_string()),
                ("LastLogin", d.last_login.clone().unwrap_or_default()),
                ("EmccDevice", d.emcc_device.clone().unwrap_or_default()),
            ])
        })
        .collect()
}

fn users(r: &UserDevicesResults) -> Vec<Record> {
    r.users
        .iter()
        .map(|u| {
            let state = match &u.state {
                UserState::LoggedIn { .. } => LOGGED_IN,
                UserState::NoDevice => NONE,
                UserState::DoesNotExist => DOES_NOT_EXIST,
                _ => UNSPECIFIED,
            };
            rec(&[
                ("UserId", u.user_id.clone()),
                ("State", state.to_string()),
                ("Devices", u.devices().join(",")),
            ])
        })
        .collect()
}

fn profiles(r: &DeviceProfileResults) -> Vec<Record> {
    r.users
        .iter()
        .map(|u| {
            let default = u
                .profiles
                .iter()
                .find(|p| p.is_default == Some(true))
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let state = if u.does_not_exist {
                DOES_NOT_EXIST
            } else {
                EXISTS
            };
            rec(&[
                ("UserId", u.user_id.clone()),
                ("State", state.to_string()),
                (
                    "DeviceProfiles",
                    u.profiles
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                ("Default", default),
            ])
        })
        .collect()
}
