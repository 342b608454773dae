//! What the spec says about operations and properties, as static data the generated code
//! fills (`OPERATIONS`, `PROPERTIES`, `ACTIONS`) for tools that work from the spec at run time,
//! for every protocol. `OpKind`, `InputUse` and `ErrorHandling` are the spec's own vocabulary,
//! defined once in `akixi_schema::model` and shared here.

pub use akixi_schema::model::{Handling as ErrorHandling, Input as InputUse, OpKind};

/// How a property's values are typed (runtime view of the spec's type kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text.
    String,
    /// A whole number in `min..=max`.
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A Boolean.
    Boolean,
    /// One of a set of values (unknown values are kept).
    Enum,
    /// A comma-separated list.
    List,
    /// Keywords, or else a value.
    Selector,
    /// A secret.
    Secret,
}

/// A property, as the spec describes it; generated as static data for tools (the CLI, the
/// simulator) that work from the spec at run time.
#[derive(Debug, Clone, Copy)]
pub struct PropertyInfo {
    /// Wire name.
    pub name: &'static str,
    /// Container, if any.
    pub container: Option<&'static str>,
    /// Value type name in the spec.
    pub type_name: &'static str,
    /// Value kind.
    pub kind: ValueKind,
    /// Known values (enumerations, selector keywords, list elements).
    pub values: &'static [&'static str],
    /// Other accepted spellings of the name.
    pub aliases: &'static [&'static str],
    /// Description.
    pub description: &'static str,
    /// Support per platform, in the service's platform order.
    pub support: &'static [bool],
}

/// How one operation uses one property.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// The property.
    pub property: &'static PropertyInfo,
    /// How the request takes it, if it does.
    pub input: Option<InputUse>,
    /// Whether the response returns it (`Some(true)`: without being asked).
    pub returned: Option<bool>,
}

/// An operation, as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// Wire name.
    pub name: &'static str,
    /// Family.
    pub family: &'static str,
    /// What it does.
    pub kind: OpKind,
    /// Description.
    pub description: &'static str,
    /// Whether it pages.
    pub paged: bool,
    /// Documented error codes.
    pub error_codes: &'static [u32],
    /// The properties it takes or returns.
    pub fields: &'static [FieldInfo],
}

/// One record of a response, as `(path, wire text)` pairs in document order (`Scope.TelSysID`
/// for a property of a container; `Container[2].Name` when a container repeats).
pub type Record = Vec<(String, String)>;
