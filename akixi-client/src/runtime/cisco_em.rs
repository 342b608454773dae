//! The runtime of `cisco-em` generated code: the neutral core, the protocol's codec, and the
//! generic client with the trait a service implements for it (named from the modules that
//! define them).

pub use crate::cisco_em::action::{
    Action, ActionKind, EndpointParams, Field, FieldValue, ReadError, RequestDocument,
};
pub use crate::cisco_em::binding::{Binding, CcmVersion};
pub use crate::cisco_em::client::{Client, ClientBuilder};
pub use crate::cisco_em::error::{Error, FailureError};
pub use crate::cisco_em::invalid::InvalidAction;
pub use crate::cisco_em::outcome::{Outcome, outcome_view};
pub use crate::cisco_em::response::{
    ActionOutput, DeviceProfileResults, DeviceUserResults, Response, UserDevicesResults,
};
pub use crate::cisco_em::seed::SeedView;
pub use crate::cisco_em::service::CiscoEmService;
pub use crate::error_code::ServiceErrorCode;
pub use crate::meta::*;
pub use crate::secret::{Password, Secret};
pub use crate::value::*;
