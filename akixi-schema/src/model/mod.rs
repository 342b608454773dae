//! The validated spec model (IR): [`vocab`] (the words the tables use), [`service`] (services,
//! types, errors, families, operations, properties) and [`binding`] (each protocol's typed
//! binding). Every item keeps the [`Loc`](crate::diag::Loc) of the row that defined it.
//!
//! Names are kept exactly as the vendor documents them (`EmailAddr`, `PartIDInTelSys`); the code
//! generator derives Rust names from them. The protocol of each service and its typed wire
//! binding are in [`binding`]; the REST binding of an `akixi-ws` service's shapes in [`rest`].

pub mod binding;
pub mod rest;
pub mod service;
pub mod vocab;

pub use binding::{
    AkixiWsBinding, Binding, BindingEntry, CcmVersion, CiscoEmBinding, Condition, ConditionScope,
    ElementValue, PasswordScheme, Protocol, ResultShape, SessionRoles,
};
pub use rest::{
    HttpMethod, JsonForm, PathSegment, REST_PROTOCOL, RestBinding, RestOperation, RestProperty,
    RestRoute, RestStatus,
};
pub use service::*;
pub use vocab::*;
