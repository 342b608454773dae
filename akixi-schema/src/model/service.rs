//! A loaded service: its platforms, types, errors and families, each item with the [`Loc`] of
//! the row that defined it.

use std::path::PathBuf;

use super::binding::{Binding, BindingEntry, Condition, Protocol};
use super::rest::RestBinding;
use super::vocab::*;
use crate::diag::Loc;

/// A loaded, checked spec: one or more services.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Services, sorted by directory name.
    pub services: Vec<Service>,
    /// Every file read, as a filesystem path (the proc macro tracks these for rebuilds).
    pub files: Vec<PathBuf>,
}

impl Spec {
    /// The service named `name`.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

/// One service (one API), from one directory of the spec.
#[derive(Debug, Clone)]
pub struct Service {
    /// Identifier (`akixi`, `cisco-em`).
    pub name: String,
    /// Human title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Where the `service` table is.
    pub loc: Loc,
    /// The documents rows may cite.
    pub sources: Vec<SourceDoc>,
    /// Telephony platforms, in the documentation's column order.
    pub platforms: Vec<Platform>,
    /// How the service goes on the wire: its protocol and the typed value of its `binding`
    /// rows, checked by the loader.
    pub binding: Binding,
    /// The `binding` rows as written, for tools that show them.
    pub binding_rows: Vec<BindingEntry>,
    /// The REST binding of the same shapes, where the service has one (`rest-binding`).
    pub rest: Option<RestBinding>,
    /// Value types.
    pub types: Vec<ValueType>,
    /// Accepted spellings of Boolean values.
    pub boolean_spellings: Vec<BooleanSpelling>,
    /// Error categories.
    pub categories: Vec<ErrorCategory>,
    /// Error codes, in table order.
    pub errors: Vec<ErrorDef>,
    /// Which error code answers which condition (the simulator's rules).
    pub conditions: Vec<ErrorCondition>,
    /// Where an add or change succeeds only partly (PartialFail), as `partial-fail` rows.
    pub partial_rules: Vec<PartialRule>,
    /// The verb of the permission token each entity operation kind needs (`add` → `Create`:
    /// `User|Create`).
    pub permission_verbs: Vec<PermissionVerb>,
    /// Operation families (`User`, `Session`).
    pub families: Vec<Family>,
}

impl Service {
    /// The value type named `name`.
    pub fn ty(&self, name: &str) -> Option<&ValueType> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The wire protocol.
    pub fn protocol(&self) -> Protocol {
        self.binding.protocol()
    }

    /// The error definition for `code`.
    pub fn error(&self, code: u32) -> Option<&ErrorDef> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// The family named `name`.
    pub fn family(&self, name: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.name == name)
    }

    /// The category with id `id`.
    pub fn category(&self, id: &str) -> Option<&ErrorCategory> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// Every operation of every family.
    pub fn operations(&self) -> impl Iterator<Item = (&Family, &Operation)> {
        self.families
            .iter()
            .flat_map(|f| f.operations.iter().map(move |o| (f, o)))
    }

    /// The operation named `name`, with its family.
    pub fn operation(&self, name: &str) -> Option<(&Family, &Operation)> {
        self.operations().find(|(_, o)| o.name == name)
    }

    /// The indexes of the families in reference order: each after every family its properties
    /// reference (self-references aside), otherwise in the spec's order. The loader refuses a
    /// cycle of references, so the order is whole.
    pub fn reference_order(&self) -> Vec<usize> {
        let (mut order, rest) = reference_order(&self.families);
        order.extend(rest);
        order
    }

    /// How many families deep `family`'s references go (0: it references no other family).
    pub fn reference_depth(&self, family: &Family) -> usize {
        self.depth(family, 0)
    }

    fn depth(&self, family: &Family, seen: usize) -> usize {
        // The loader refuses a cycle; the bound keeps a spec it refused from recursing forever.
        if seen > self.families.len() {
            return seen;
        }
        family
            .references()
            .filter(|t| *t != family.name)
            .filter_map(|t| self.family(t))
            .map(|t| 1 + self.depth(t, seen + 1))
            .max()
            .unwrap_or(0)
    }
}

/// The indexes of `families` in reference order, and those left over on a cycle of
/// references (in the spec's order).
pub(crate) fn reference_order(families: &[Family]) -> (Vec<usize>, Vec<usize>) {
    let deps: Vec<Vec<usize>> = families
        .iter()
        .map(|f| {
            f.references()
                .filter(|t| *t != f.name)
                .filter_map(|t| families.iter().position(|g| g.name == t))
                .collect()
        })
        .collect();
    let mut done = vec![false; families.len()];
    let mut order = Vec::with_capacity(families.len());
    loop {
        let before = order.len();
        for i in 0..families.len() {
            if !done[i] && deps[i].iter().all(|d| done[*d]) {
                done[i] = true;
                order.push(i);
            }
        }
        if order.len() == before {
            break;
        }
    }
    let rest = (0..families.len()).filter(|i| !done[*i]).collect();
    (order, rest)
}

/// A document rows may cite.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// Short key (`seed:users`).
    pub key: String,
    /// What and where it is.
    pub reference: String,
    /// Where it is defined.
    pub loc: Loc,
}

/// A telephony platform type.
#[derive(Debug, Clone)]
pub struct Platform {
    /// Stable identifier (`cisco-broadworks`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The column header the documentation's support matrices use.
    pub matrix_column: String,
    /// Description.
    pub description: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A value type.
#[derive(Debug, Clone)]
pub struct ValueType {
    /// Name (`Boolean`, `ReportingAccess`).
    pub name: String,
    /// What kind of value it is.
    pub kind: TypeKind,
    /// Description.
    pub description: String,
    /// Known values, for `enum` and `selector` types.
    pub values: Vec<EnumValue>,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A known value of an enumeration or selector.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The value exactly as on the wire.
    pub value: String,
    /// The Rust variant name (from the `Variant` column, or derived from the value).
    pub variant: String,
    /// A numeric value, where the vendor gives one.
    pub number: Option<i64>,
    /// The column header a family's support matrix uses for this value, when the type is that
    /// family's support axis (`POP3 SMTP (E-mail)`); `None` means the value itself.
    pub matrix_column: Option<String>,
    /// Description.
    pub description: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// One accepted spelling of a Boolean.
#[derive(Debug, Clone)]
pub struct BooleanSpelling {
    /// The text.
    pub spelling: String,
    /// What it means.
    pub value: bool,
    /// Whether writers use this spelling.
    pub canonical: bool,
    /// Where it is defined.
    pub loc: Loc,
}

/// An error category.
#[derive(Debug, Clone)]
pub struct ErrorCategory {
    /// Identifier (`session`).
    pub id: String,
    /// The documentation's title (`Session Related Error Codes`).
    pub title: String,
    /// Other titles the documentation uses for it.
    pub aliases: Vec<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// An error code.
#[derive(Debug, Clone)]
pub struct ErrorDef {
    /// The number.
    pub code: u32,
    /// Category id.
    pub category: String,
    /// Rust variant name, where the meaning is known.
    pub name: Option<String>,
    /// The documented message.
    pub message: Option<String>,
    /// What the code means, where the documentation explains more than the message.
    pub meaning: Option<String>,
    /// Returned with `Result="PartialFail"`.
    pub partial_fail: bool,
    /// What a client should do.
    pub handling: Option<Handling>,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A condition a server answers with an error code (`unknown-entity` of `User` → 11201).
#[derive(Debug, Clone)]
pub struct ErrorCondition {
    /// Identifier (`unknown-entity`).
    pub id: String,
    /// The condition it names, for a protocol whose simulator has a fixed set (akixi-ws).
    pub condition: Option<Condition>,
    /// The family it is about, or `None` for every family without a row of its own.
    pub family: Option<String>,
    /// The code.
    pub code: u32,
    /// What the condition is.
    pub description: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A `partial-fail` row: an add or change of `family` that gives `property` (true, for a
/// Boolean) to an entity without `needs` is applied, and answered `PartialFail` with `code`.
#[derive(Debug, Clone)]
pub struct PartialRule {
    /// Identifier (`welcome-email-without-address`).
    pub id: String,
    /// The family.
    pub family: String,
    /// The path of the property that asks for something (`SendWelcomeEmail`).
    pub property: String,
    /// The path of the property it needs (`EmailAddr`).
    pub needs: String,
    /// The PartialFail code.
    pub code: u32,
    /// What happens.
    pub description: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// The permission verb an entity operation kind needs (a `permission-verbs` row).
#[derive(Debug, Clone)]
pub struct PermissionVerb {
    /// The kind (`add`).
    pub kind: OpKind,
    /// The verb (`Create`).
    pub verb: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A family of operations sharing properties (`User`).
#[derive(Debug, Clone)]
pub struct Family {
    /// Name; also the operations' prefix.
    pub name: String,
    /// Where the family is first declared.
    pub loc: Loc,
    /// Operations.
    pub operations: Vec<Operation>,
    /// Containers.
    pub containers: Vec<Container>,
    /// Properties.
    pub properties: Vec<Property>,
    /// What its `family` table says.
    pub traits: FamilyTraits,
}

/// A family's `family` table: what servers and tools know of its entities beyond the
/// operations' tables.
#[derive(Debug, Clone, Default)]
pub struct FamilyTraits {
    /// The permission token's first part (`User` in `User|Create`), if its operations are
    /// guarded.
    pub permission: Option<String>,
    /// Where `permission` is written.
    pub permission_loc: Option<Loc>,
    /// The container whose references place an entity (its scope), or `None` for the top
    /// level.
    pub placement: Option<String>,
    /// The list operation's free-text search.
    pub search: Option<Search>,
    /// The top-level property whose value is a platform id, for a family whose entities decide
    /// the platform of what they hold (telephony servers).
    pub platform: Option<String>,
    /// The family's entities are accounts that sign in.
    pub accounts: Option<Accounts>,
    /// Which entities count towards the customer's bill; `None` where the spec does not say.
    pub billable: Option<Billable>,
    /// The family's own support axis: a top-level enumeration whose values head its support
    /// matrices instead of the platforms (omnichannel integrations: e-mail, live chat).
    pub support_axis: Option<SupportAxis>,
    /// Where the table is.
    pub loc: Option<Loc>,
}

/// Which entities of a family count towards the customer's bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Billable {
    /// Every entity (`yes`).
    Always,
    /// None (`no`).
    Never,
    /// Those whose top-level `property` has one of `values` (`DeviceType = Extension`).
    When {
        /// The property.
        property: String,
        /// The values that make an entity billable.
        values: Vec<String>,
    },
}

/// A family's own support axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportAxis {
    /// The top-level property whose value picks the column (`IntegrationType`).
    pub property: String,
    /// Its values, in the type's order: `(wire value, matrix column)`.
    pub columns: Vec<(String, String)>,
}

/// A list operation's free-text search: the input, and the properties it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The list operation's input holding the text (`SearchQuery`).
    pub input: String,
    /// The top-level properties it matches, case-insensitively, anywhere in the value.
    pub matches: Vec<String>,
}

/// The properties that make a family's entities accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accounts {
    /// The secret property holding the password (`Password`).
    pub password: String,
    /// The Boolean property that locks the account out (`LockOut`).
    pub locked: String,
    /// The path of the list of permission tokens the account holds (`Permissions.Admin`).
    pub permissions: String,
    /// The rights an account holds, which bound what it may grant and whom it may change.
    pub rights: Rights,
}

/// What makes one account stronger than another: lists of permission tokens, Boolean flags
/// (`True` is the stronger), ordered tiers, and the scope its placement gives it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rights {
    /// Paths of the lists of permission tokens (`Permissions.Admin`, `Permissions.NonAdmin`);
    /// the account-permissions list is always among them.
    pub grants: Vec<String>,
    /// Paths of Booleans whose `True` is a right (`Scope.Admin`).
    pub flags: Vec<String>,
    /// Enumerations whose values are ordered tiers, weakest first.
    pub tiers: Vec<Tier>,
}

/// An enumeration property whose values rank an account (`Scope.ReportingAccess`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// The property's path.
    pub property: String,
    /// Every value of its type, weakest first.
    pub order: Vec<String>,
}

impl Family {
    /// The properties that identify an entity: the top-level ones some operation takes as its
    /// `key`, in table order.
    pub fn keys(&self) -> impl Iterator<Item = &Property> {
        self.properties.iter().filter(|p| {
            p.container.is_none() && p.usage.iter().any(|u| u.input == Some(Input::Key))
        })
    }

    /// The families its properties reference, in table order (repeats kept).
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.properties
            .iter()
            .filter_map(|p| p.references.as_ref().map(|r| r.family.as_str()))
    }

    /// The paths of its keys, in order (top-level properties: their names).
    pub fn key_paths(&self) -> Vec<String> {
        self.keys().map(Property::path).collect()
    }

    /// The operation of kind `kind`, if the family has one.
    pub fn operation_of(&self, kind: OpKind) -> Option<&Operation> {
        self.operations.iter().find(|o| o.kind == kind)
    }

    /// The property at `path` (`Container.Name` or `Name`).
    pub fn property(&self, path: &str) -> Option<&Property> {
        let (container, name) = match path.split_once('.') {
            Some((c, n)) => (Some(c), n),
            None => (None, path),
        };
        self.properties
            .iter()
            .find(|p| p.name == name && p.container.as_deref() == container)
    }

    /// The properties `operation` accepts, in table order.
    pub fn inputs<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = (&'a Property, Input)> {
        self.properties
            .iter()
            .filter_map(move |p| p.usage(operation).and_then(|u| u.input).map(|i| (p, i)))
    }

    /// The properties `operation` returns, in table order.
    pub fn outputs<'a>(
        &'a self,
        operation: &'a str,
    ) -> impl Iterator<Item = (&'a Property, Returned)> {
        self.properties
            .iter()
            .filter_map(move |p| p.usage(operation).and_then(|u| u.returned).map(|r| (p, r)))
    }

    /// The container named `name`.
    pub fn container(&self, name: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.name == name)
    }
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`UserAdd`).
    pub name: String,
    /// What it does.
    pub kind: OpKind,
    /// Description.
    pub description: String,
    /// Whether it pages with `Offset`/`Limit`.
    pub paged: bool,
    /// The wire element, for element-based protocols.
    pub element: Option<String>,
    /// Other spellings a server accepts (the documentation uses both `OmniChannelIntAdd` and
    /// `OmnichannelIntAdd`); clients send `name`.
    pub aliases: Vec<String>,
    /// Its documented error codes, in documentation order.
    pub errors: Vec<OpError>,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// An error code an operation documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    /// The code.
    pub code: u32,
    /// Marked `*` (returned with `PartialFail`).
    pub partial_fail: bool,
    /// Where the code is listed (its `operation-errors` cell).
    pub loc: Loc,
}

/// A named group of properties.
#[derive(Debug, Clone)]
pub struct Container {
    /// Wire name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A property naming another family's entity (`Scope.TelSysID` → `TelSys`).
///
/// The referenced entity's key is read from the properties of the same container named as that
/// family's keys (a partition is named by `TelSysID` and `PartIDInTelSys` side by side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The family referenced.
    pub family: String,
    /// What deleting the referenced entity does to the referencing one.
    pub on_delete: OnDelete,
    /// Where the reference is written.
    pub loc: Loc,
}

/// How one operation uses one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// The operation.
    pub operation: String,
    /// Taken in the request.
    pub input: Option<Input>,
    /// Returned in the response.
    pub returned: Option<Returned>,
    /// Where it is written (the `usage` cell).
    pub loc: Loc,
}

/// A property, top-level or inside a container.
#[derive(Debug, Clone)]
pub struct Property {
    /// Wire name.
    pub name: String,
    /// The container it belongs to, if any.
    pub container: Option<String>,
    /// Value type name.
    pub ty: String,
    /// When it can be written.
    pub access: Access,
    /// Other spellings accepted when reading (`Defaultlang`).
    pub aliases: Vec<String>,
    /// Default value, where documented.
    pub default: Option<String>,
    /// The family whose entity the value names, and what deleting that entity does.
    pub references: Option<Reference>,
    /// The key property a `change` gives a new value through this one (`NewTelephoneNumber`
    /// renames `TelephoneNumber`).
    pub renames: Option<String>,
    /// Where it goes in the document, for element-based protocols (`a/b`, or `/a/b` from the root).
    pub element: Option<String>,
    /// The vendor's .NET type, where the documentation gives one (`System.String`).
    pub net_type: Option<String>,
    /// Description.
    pub description: String,
    /// Support per platform, in the service's platform order; `None` where no matrix row exists.
    pub support: Option<Vec<bool>>,
    /// Support per value of the family's own support axis (in the axis type's value order), for
    /// a family whose matrices are not per platform; `None` where no matrix row exists.
    pub axis_support: Option<Vec<bool>>,
    /// Where its support matrix row is, if it has one.
    pub support_loc: Option<Loc>,
    /// How each operation uses it.
    pub usage: Vec<Usage>,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

impl Property {
    /// `Container.Name`, or `Name` for a top-level property.
    pub fn path(&self) -> String {
        match &self.container {
            Some(c) => format!("{c}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// How `operation` uses this property.
    pub fn usage(&self, operation: &str) -> Option<&Usage> {
        self.usage.iter().find(|u| u.operation == operation)
    }

    /// Whether `platform` (an index into the service's platforms) supports it.
    pub fn supported_on(&self, platform: usize) -> bool {
        self.support
            .as_ref()
            .is_none_or(|s| s.get(platform).copied().unwrap_or(false))
    }
}
