//! The spec's vocabulary, shared by every protocol: the words its cells may hold (kinds of
//! types, operations, access, usage, handling, references) and provenance. The client's runtime
//! shares `OpKind`, `Input`, `Handling`, `Access` and `OnDelete`, so that each is defined once.
//! A protocol's own words (the akixi-ws simulator's conditions) are in its binding
//! ([`super::binding`]).

/// Where a fact comes from, and whether it was read or inferred.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// A key of the service's `sources` table.
    pub source: Option<String>,
    /// The public documentation does not state this; we inferred it.
    pub provisional: bool,
}

/// The kinds of value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// Text.
    String,
    /// A whole number in `min..=max`.
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// True or false, in the spellings of `boolean-spellings`.
    Boolean,
    /// One of the type's `values`, or an unknown value kept as text.
    Enum,
    /// A comma-separated list of `item` values.
    List {
        /// The element type (an `enum` or `fields` type).
        item: String,
    },
    /// One of the type's `values` as keywords, or else a `variant` holding an `of` value.
    Selector {
        /// The fallback variant's name (`Number`).
        variant: String,
        /// The fallback variant's type (`String`).
        of: String,
    },
    /// The names of the properties `operation` can return.
    Fields {
        /// A `list` operation.
        operation: String,
    },
    /// A secret; never printed.
    Secret {
        /// How it goes on the wire.
        wire: SecretWire,
    },
}

impl TypeKind {
    /// The kind's name in the spec.
    pub fn name(&self) -> &'static str {
        match self {
            TypeKind::String => "string",
            TypeKind::Integer { .. } => "integer",
            TypeKind::Boolean => "boolean",
            TypeKind::Enum => "enum",
            TypeKind::List { .. } => "list",
            TypeKind::Selector { .. } => "selector",
            TypeKind::Fields { .. } => "fields",
            TypeKind::Secret { .. } => "secret",
        }
    }
}

/// How a secret value goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretWire {
    /// As it is (session ids, nonces).
    Plain,
    /// Encrypted with the session's password cipher.
    Encrypted,
}

/// What a client should do after an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handling {
    /// The documented resolution is to try again later.
    RetryLater,
    /// The API session is gone: start a new one.
    RenewSession,
}

/// What an operation does; drives client behaviour such as retries and sessions. The client's
/// runtime uses this type too (`akixi_client::runtime::OpKind`), so it is defined once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// Creates an entity.
    Add,
    /// Changes an entity, identified by its key.
    Change,
    /// Deletes an entity.
    Delete,
    /// Reads one entity.
    Info,
    /// Lists entities.
    List,
    /// Adds many entities of the family from one CSV text (a row per entity).
    BulkAdd,
    /// Starts an API session.
    CreateSession,
    /// Authenticates an API session.
    Authenticate,
    /// Ends an API session.
    CloseSession,
    /// A state-changing request of an element-based protocol.
    Request,
    /// A query of an element-based protocol.
    Query,
}

impl OpKind {
    /// Every kind, with its name in the spec.
    pub const ALL: &'static [(&'static str, OpKind)] = &[
        ("add", OpKind::Add),
        ("change", OpKind::Change),
        ("delete", OpKind::Delete),
        ("info", OpKind::Info),
        ("list", OpKind::List),
        ("bulk-add", OpKind::BulkAdd),
        ("create-session", OpKind::CreateSession),
        ("authenticate", OpKind::Authenticate),
        ("close-session", OpKind::CloseSession),
        ("request", OpKind::Request),
        ("query", OpKind::Query),
    ];

    /// The kinds that act on a family's entities (what permission verbs and a server's
    /// entity handlers are given for), in a fixed order tools may index by.
    pub const ENTITY_KINDS: [OpKind; 6] = [
        OpKind::Add,
        OpKind::Change,
        OpKind::Delete,
        OpKind::Info,
        OpKind::List,
        OpKind::BulkAdd,
    ];

    /// The kind's name in the spec.
    pub fn name(self) -> &'static str {
        OpKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(n, _)| n)
    }

    /// Whether sending it twice has the same effect as once (safe to retry).
    pub const fn is_idempotent(self) -> bool {
        matches!(self, OpKind::Info | OpKind::List | OpKind::Query)
    }
}

/// When a property can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Written on creation and change, returned when read.
    ReadWrite,
    /// Set on creation; identifies the entity afterwards and cannot change.
    ReadOnlyAfterCreation,
    /// Sent, never returned.
    WriteOnly,
}

impl Access {
    /// Every access, with its name in the spec (`ReadWrite` is the empty cell).
    pub const ALL: &'static [(&'static str, Access)] = &[
        ("", Access::ReadWrite),
        ("read-write", Access::ReadWrite),
        ("read-only-after-creation", Access::ReadOnlyAfterCreation),
        ("write-only", Access::WriteOnly),
    ];
}

/// What deleting an entity does to the entities whose properties reference it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnDelete {
    /// The delete is refused while anything references the entity.
    #[default]
    Refuse,
    /// The referencing entities are deleted with it.
    Cascade,
}

impl OnDelete {
    /// Every choice, with its name in the spec (`Refuse` is the empty cell).
    pub const ALL: &'static [(&'static str, OnDelete)] = &[
        ("", OnDelete::Refuse),
        ("refuse", OnDelete::Refuse),
        ("cascade", OnDelete::Cascade),
    ];
}

/// How an operation takes a property (the runtime's `InputUse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    /// Must be given.
    Required,
    /// May be given.
    Optional,
    /// Must be given and identifies the entity; never changes it.
    Key,
}

/// How an operation returns a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Returned (for lists: when asked for through the fields property).
    Returned,
    /// Returned by a list without being asked for.
    Default,
}
