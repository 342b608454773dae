//! The runtime of `cisco-em` generated code: the neutral core and the protocol's codec.

pub use crate::cisco_em::{
    Action, ActionKind, ActionOutput, Binding, DeviceProfileResults, DeviceUserResults,
    EndpointParams, Field, FieldValue, Outcome, ReadError, RequestDocument, UserDevicesResults,
    outcome_view,
};
pub use crate::meta::*;
pub use crate::secret::{Password, Secret};
pub use crate::value::*;
