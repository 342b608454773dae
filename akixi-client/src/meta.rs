//! What the spec says about operations, properties, families and error conditions, as static
//! data the generated code fills (`OPERATIONS`, `PROPERTIES`, `FAMILIES`, `ACTIONS`,
//! `error_conditions::ALL`) for tools that work from the spec at run time (the simulator, the
//! command line), for every protocol. `OpKind`, `InputUse`, `ErrorHandling`, `Access`,
//! `OnDelete` and `Condition` are the spec's own vocabulary, defined once in
//! `akixi_schema::model` and shared here.

pub use akixi_schema::model::{
    Access, Condition, ConditionScope, Handling as ErrorHandling, Input as InputUse, OnDelete,
    OpKind,
};

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
    /// When it can be written.
    pub access: Access,
    /// The documented default, applied when an entity is created without it.
    pub default: Option<&'static str>,
    /// The family whose entity it names (its key read from this property and the properties
    /// beside it named as that family's keys).
    pub references: Option<&'static str>,
    /// What deleting the referenced entity does to an entity holding this reference.
    pub on_delete: OnDelete,
    /// The key a `change` gives a new value through this property, if it renames one.
    pub renames: Option<&'static str>,
    /// Support per value of the family's own support axis ([`FamilyInfo::support_axis`]), in
    /// that axis's order; empty where every value supports it.
    pub axis_support: &'static [bool],
}

impl PropertyInfo {
    /// Whether it is `container`.`name`.
    pub fn is(&self, container: Option<&str>, name: &str) -> bool {
        self.name == name && self.container == container
    }
}

/// A family, as the spec describes it: its properties and its `family` table.
#[derive(Debug, Clone, Copy)]
pub struct FamilyInfo {
    /// Name (`User`).
    pub name: &'static str,
    /// Every property of the family.
    pub properties: &'static [PropertyInfo],
    /// The indexes in `properties` of the keys that identify an entity, in order.
    pub keys: &'static [usize],
    /// The permission token's first part (`User` of `User|Create`), if guarded.
    pub permission: Option<&'static str>,
    /// The container whose references place an entity (`None`: the top level).
    pub placement: Option<&'static str>,
    /// The list operation's free-text search.
    pub search: Option<SearchInfo>,
    /// The top-level property holding a platform id, for a family that decides the platform of
    /// what it holds.
    pub platform: Option<&'static str>,
    /// The properties that make its entities accounts that sign in.
    pub accounts: Option<AccountsInfo>,
    /// Which entities count towards the customer's bill, where the spec says.
    pub billable: Option<BillableInfo>,
    /// The family's own support axis, for a family whose matrices are not per platform.
    pub support_axis: Option<AxisInfo>,
    /// Its operations, in the spec's order (the service's own `OperationInfo`s).
    pub operations: &'static [&'static OperationInfo],
    /// The paths of [`keys`](Self::keys), in order (`Name` for a top-level property).
    pub key_paths: &'static [&'static str],
    /// Its place in the service's reference order: each family comes after every family its
    /// properties reference (self-references aside), otherwise in the spec's order.
    pub reference_rank: usize,
    /// How many families deep its references go (0: it references no other family).
    pub reference_depth: usize,
}

impl FamilyInfo {
    /// Its operation of `kind` (a family has one of each kind at most).
    pub fn operation(&self, kind: OpKind) -> Option<&'static OperationInfo> {
        self.operations.iter().copied().find(|o| o.kind == kind)
    }

    /// The property at `path` (`Container.Name` or `Name`).
    pub fn property(&self, path: &str) -> Option<&'static PropertyInfo> {
        let (container, name) = match path.split_once('.') {
            Some((c, n)) => (Some(c), n),
            None => (None, path),
        };
        self.properties.iter().find(|p| p.is(container, name))
    }
}

/// Which entities of a family count towards the customer's bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillableInfo {
    /// Every entity.
    Always,
    /// None.
    Never,
    /// Those whose top-level `property` has one of `values`.
    When {
        /// The property.
        property: &'static str,
        /// The values that make an entity billable.
        values: &'static [&'static str],
    },
}

impl BillableInfo {
    /// Whether an entity is billable, given a way to read its top-level properties.
    pub fn applies<'v>(&self, value_of: impl Fn(&str) -> Option<&'v str>) -> bool {
        match self {
            BillableInfo::Always => true,
            BillableInfo::Never => false,
            BillableInfo::When { property, values } => {
                value_of(property).is_some_and(|v| values.contains(&v))
            }
        }
    }
}

/// A family's own support axis: the top-level enumeration whose values head its support
/// matrices (omnichannel integrations: e-mail and live chat) instead of the platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxisInfo {
    /// The top-level property whose value picks the column.
    pub property: &'static str,
    /// Its values, in the order of [`PropertyInfo::axis_support`].
    pub values: &'static [&'static str],
    /// The matrices' column headers, one per value.
    pub columns: &'static [&'static str],
}

impl AxisInfo {
    /// Whether `property` is supported where the axis property has `value`; `true` for a value
    /// the spec does not know (a newer server's), since nothing says otherwise.
    pub fn supports(&self, property: &PropertyInfo, value: &str) -> bool {
        self.values
            .iter()
            .position(|v| *v == value)
            .and_then(|i| property.axis_support.get(i).copied())
            .unwrap_or(true)
    }
}

/// A list's free-text search.
#[derive(Debug, Clone, Copy)]
pub struct SearchInfo {
    /// The list operation's input holding the text.
    pub input: &'static str,
    /// The top-level properties it matches.
    pub matches: &'static [&'static str],
}

/// The properties of an account family.
#[derive(Debug, Clone, Copy)]
pub struct AccountsInfo {
    /// The top-level secret holding the password.
    pub password: &'static str,
    /// The top-level Boolean that locks the account out.
    pub locked: &'static str,
    /// The container of the list of permission tokens it holds, if any.
    pub permissions_container: Option<&'static str>,
    /// The list of permission tokens it holds.
    pub permissions: &'static str,
    /// The paths (`Container.Name`) of every list of permission tokens that is a right, the
    /// permissions list first: an account grants only tokens it holds, and changes only
    /// accounts holding none it lacks.
    pub grants: &'static [&'static str],
    /// The paths of the Booleans whose `True` is a right (`Scope.Admin`).
    pub flags: &'static [&'static str],
    /// The enumerations whose values are ordered tiers.
    pub tiers: &'static [TierInfo],
}

/// An enumeration whose values rank accounts (`Scope.ReportingAccess`).
#[derive(Debug, Clone, Copy)]
pub struct TierInfo {
    /// The property's path (`Container.Name` or `Name`).
    pub property: &'static str,
    /// Every value of its type, weakest first.
    pub order: &'static [&'static str],
}

impl TierInfo {
    /// The rank of `value` (0 is the weakest); a value the spec does not rank is the
    /// weakest.
    pub fn rank(&self, value: &str) -> usize {
        self.order.iter().position(|v| *v == value).unwrap_or(0)
    }
}

/// Which error code answers a condition (an `error-conditions` row).
#[derive(Debug, Clone, Copy)]
pub struct ConditionInfo {
    /// The condition's name in the spec (`unknown-entity`).
    pub id: &'static str,
    /// The condition, where the protocol's simulator has a fixed set.
    pub condition: Option<Condition>,
    /// The family the row is about, or `None` for every family without a row of its own.
    pub family: Option<&'static str>,
    /// The error code.
    pub code: u32,
}

/// Where an add or change succeeds only partly (a `partial-fail` row).
#[derive(Debug, Clone, Copy)]
pub struct PartialRuleInfo {
    /// The rule's name in the spec.
    pub id: &'static str,
    /// The family.
    pub family: &'static str,
    /// The path of the property that asks for something (`SendWelcomeEmail`).
    pub property: &'static str,
    /// The path of the property it needs (`EmailAddr`).
    pub needs: &'static str,
    /// The PartialFail code.
    pub code: u32,
}

/// The code for `condition` about `family` in `conditions`: the family's own row, else the row
/// for every family.
pub fn condition_code(
    conditions: &[ConditionInfo],
    condition: Condition,
    family: Option<&str>,
) -> Option<u32> {
    let of = |f: Option<&str>| {
        conditions
            .iter()
            .find(|c| c.condition == Some(condition) && c.family == f)
            .map(|c| c.code)
    };
    family.and_then(|f| of(Some(f))).or_else(|| of(None))
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
    /// Other spellings a server accepts for its name.
    pub aliases: &'static [&'static str],
    /// Documented error codes.
    pub error_codes: &'static [u32],
    /// The properties it takes or returns.
    pub fields: &'static [FieldInfo],
}

/// One record of a response, as `(path, wire text)` pairs in document order (`Scope.TelSysID`
/// for a property of a container; `Container[2].Name` when a container repeats).
pub type Record = Vec<(String, String)>;
