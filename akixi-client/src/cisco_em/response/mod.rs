//! Responses: `<success/>`, the two failure forms, and the query results, as the EM API's
//! response DTDs give them (their element names are in [`grammar`](super::grammar)): the types
//! in [`types`], reading a document in [`decode`], writing one in [`encode`].

mod decode;
mod encode;
mod types;

pub use decode::decode_response;
pub use encode::encode_response;
pub use types::{
    ActionOutput, DeviceProfile, DeviceProfileResults, DeviceState, DeviceUser, DeviceUserResults,
    ErrorElement, ExtraElement, Failure, Response, ResponseKind, UserDeviceProfiles, UserDevices,
    UserDevicesResults, UserState,
};
