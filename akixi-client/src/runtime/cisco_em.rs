//! The runtime of `cisco-em` generated code: the neutral core and the protocol's codec (named
//! from the modules that define them, so that the generated code never depends on the client).

pub use crate::cisco_em::action::{
    Action, ActionKind, EndpointParams, Field, FieldValue, ReadError, RequestDocument,
};
pub use crate::cisco_em::binding::{Binding, CcmVersion};
pub use crate::cisco_em::invalid::InvalidAction;
pub use crate::cisco_em::outcome::{Outcome, outcome_view};
pub use crate::cisco_em::response::{
    ActionOutput, DeviceProfileResults, DeviceUserResults, Response, UserDevicesResults,
};
pub use crate::meta::*;
pub use crate::secret::{Password, Secret};
pub use crate::value::*;
