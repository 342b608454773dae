//! Every kind of change, and the one table that classifies each for the generated API, the wire
//! and the simulator ([`ChangeKind::impact`]). The audiences are defined in [the module
//! above](super). Where a rule depends on how a value type is used (a narrowed range breaks what
//! is sent, a widened one what is received), it reads [`Uses`].

use super::impact::{Effect, Impact};

/// How the properties of a value type are used across a service: sent (some operation takes
/// one), received (some operation returns one), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Uses {
    /// Some operation takes a property of the type.
    pub input: bool,
    /// Some operation returns a property of the type.
    pub output: bool,
}

macro_rules! change_kinds {
    ($($(#[doc = $doc:literal])+ $name:ident = $word:literal,)+) => {
        /// What kind of change a [`Change`](super::Change) is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ChangeKind {
            $($(#[doc = $doc])+ $name,)+
        }

        impl ChangeKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$name,)+];

            /// The kind's name in reports and JSON (`property-removed`).
            pub fn name(self) -> &'static str {
                match self {
                    $(ChangeKind::$name => $word,)+
                }
            }
        }
    };
}

change_kinds! {
    /// A service appeared.
    ServiceAdded = "service-added",
    /// A service is gone.
    ServiceRemoved = "service-removed",
    /// A service speaks another protocol.
    ProtocolChanged = "protocol-changed",
    /// A platform appeared (the generated `Platform` enum is exhaustive).
    PlatformAdded = "platform-added",
    /// A platform is gone.
    PlatformRemoved = "platform-removed",
    /// A value type appeared.
    TypeAdded = "type-added",
    /// A value type is gone.
    TypeRemoved = "type-removed",
    /// A value type is of another kind.
    TypeKindChanged = "type-kind-changed",
    /// A list's item type, a selector's fallback or a field list's operation changed.
    TypeShapeChanged = "type-shape-changed",
    /// An integer type accepts fewer values.
    RangeNarrowed = "range-narrowed",
    /// An integer type accepts more values.
    RangeWidened = "range-widened",
    /// A secret goes on the wire another way (plain or encrypted).
    SecretWireChanged = "secret-wire-changed",
    /// An enumeration or selector lists a new value.
    ValueAdded = "value-added",
    /// An enumeration or selector no longer lists a value (values it does not list are kept,
    /// so only the generated variant goes).
    ValueRemoved = "value-removed",
    /// A listed value has another Rust variant name.
    ValueVariantRenamed = "value-variant-renamed",
    /// A Boolean spelling is accepted that was not.
    BooleanSpellingAdded = "boolean-spelling-added",
    /// A Boolean spelling is no longer accepted.
    BooleanSpellingRemoved = "boolean-spelling-removed",
    /// A Boolean spelling means the other value, or is (no longer) the one writers use.
    BooleanSpellingChanged = "boolean-spelling-changed",
    /// An error category appeared.
    ErrorCategoryAdded = "error-category-added",
    /// An error category is gone.
    ErrorCategoryRemoved = "error-category-removed",
    /// An error code appeared.
    ErrorAdded = "error-added",
    /// An error code is gone.
    ErrorRemoved = "error-removed",
    /// A named error has another number.
    ErrorCodeChanged = "error-code-changed",
    /// An error code has another Rust variant name.
    ErrorRenamed = "error-renamed",
    /// An error code is in another category.
    ErrorCategoryChanged = "error-category-changed",
    /// An error code's documented message changed (the text `ErrorCode::message` gives and a
    /// simulator answers).
    ErrorMessageChanged = "error-message-changed",
    /// What a client should do after an error changed (retry later, renew the session).
    ErrorHandlingChanged = "error-handling-changed",
    /// An error code is (no longer) returned with `PartialFail`.
    ErrorPartialFailChanged = "error-partial-fail-changed",
    /// The simulator answers a condition (for a family, or for all) it did not name.
    ConditionAdded = "condition-added",
    /// The simulator no longer has a rule for a condition.
    ConditionRemoved = "condition-removed",
    /// The simulator answers a condition with another code.
    ConditionCodeChanged = "condition-code-changed",
    /// A partial-fail rule appeared, went or changed.
    PartialRuleChanged = "partial-rule-changed",
    /// The permission verb of an operation kind appeared, went or changed.
    PermissionVerbChanged = "permission-verb-changed",
    /// A binding row appeared.
    BindingRowAdded = "binding-row-added",
    /// A binding row is gone.
    BindingRowRemoved = "binding-row-removed",
    /// A binding row has another value.
    BindingRowChanged = "binding-row-changed",
    /// A family appeared.
    FamilyAdded = "family-added",
    /// A family is gone, with its operations and properties.
    FamilyRemoved = "family-removed",
    /// A family's operations need another permission token.
    FamilyPermissionChanged = "family-permission-changed",
    /// Another row of a family's `family` table changed (placement, search, platform, support
    /// axis, accounts): what the simulator checks.
    FamilyTableChanged = "family-table-changed",
    /// Which of a family's entries are billable changed: only the metadata
    /// (`FamilyInfo::billable`) and what the command line's plans count follow.
    BillableChanged = "billable-changed",
    /// A container appeared.
    ContainerAdded = "container-added",
    /// A container is gone.
    ContainerRemoved = "container-removed",
    /// An operation appeared.
    OperationAdded = "operation-added",
    /// An operation is gone.
    OperationRemoved = "operation-removed",
    /// An operation has another name (one of that kind went and one came, in the same family),
    /// and its old name is not an alias of the new one.
    OperationRenamed = "operation-renamed",
    /// An operation has another name, and its old name is an alias of the new one: servers
    /// still accept it.
    OperationRenamedWithAlias = "operation-renamed-with-alias",
    /// An operation is of another kind.
    OperationKindChanged = "operation-kind-changed",
    /// An operation pages that did not.
    PagingAdded = "paging-added",
    /// An operation no longer pages.
    PagingRemoved = "paging-removed",
    /// An operation's wire element changed.
    OperationElementChanged = "operation-element-changed",
    /// An operation accepts another spelling of its name.
    OperationAliasAdded = "operation-alias-added",
    /// An operation no longer accepts a spelling of its name.
    OperationAliasRemoved = "operation-alias-removed",
    /// An operation documents another error code.
    OperationErrorAdded = "operation-error-added",
    /// An operation no longer documents an error code.
    OperationErrorRemoved = "operation-error-removed",
    /// A property appeared that no operation on both sides requires.
    PropertyAdded = "property-added",
    /// A property appeared that an operation on both sides requires (or takes as its key).
    PropertyAddedRequired = "property-added-required",
    /// A property is gone.
    PropertyRemoved = "property-removed",
    /// A property is of another type, of another shape.
    PropertyTypeChanged = "property-type-changed",
    /// A property is of another type of the same shape: only the Rust type's name changes.
    PropertyTypeRenamed = "property-type-renamed",
    /// A property may be written less (read-write to read-only after creation or write-only).
    AccessNarrowed = "access-narrowed",
    /// A property may be written more, or is returned again.
    AccessWidened = "access-widened",
    /// A property has a default where it had none.
    DefaultAdded = "default-added",
    /// A property's default changed or is gone.
    DefaultChanged = "default-changed",
    /// A property accepts another spelling of its name.
    PropertyAliasAdded = "property-alias-added",
    /// A property no longer accepts a spelling of its name.
    PropertyAliasRemoved = "property-alias-removed",
    /// A property names another family's entity, which the simulator now checks.
    ReferenceAdded = "reference-added",
    /// A property no longer names another family's entity.
    ReferenceRemoved = "reference-removed",
    /// A property names another family, or deleting what it names does something else.
    ReferenceChanged = "reference-changed",
    /// The key a property renames changed.
    RenamesChanged = "renames-changed",
    /// A property's wire element changed.
    PropertyElementChanged = "property-element-changed",
    /// A property is supported on fewer platforms (or values of the family's support axis).
    SupportNarrowed = "support-narrowed",
    /// A property is supported on more platforms (or values of the family's support axis).
    SupportWidened = "support-widened",
    /// An operation takes a property it did not, optionally.
    InputAddedOptional = "input-added-optional",
    /// An operation requires a property it did not take (or takes it as its key).
    InputAddedRequired = "input-added-required",
    /// An operation requires a property it took optionally.
    InputBecameRequired = "input-became-required",
    /// An operation takes optionally a property it required.
    InputBecameOptional = "input-became-optional",
    /// A property an operation requires is now its key, or was and is now merely required.
    InputKeyChanged = "input-key-changed",
    /// An operation no longer takes a property.
    InputRemoved = "input-removed",
    /// An operation returns a property it did not.
    OutputAdded = "output-added",
    /// An operation no longer returns a property.
    OutputRemoved = "output-removed",
    /// A list returns a property without being asked.
    OutputNowByDefault = "output-now-by-default",
    /// A list returns a property only when asked.
    OutputNoLongerByDefault = "output-no-longer-by-default",
    /// The service is carried over REST as well.
    RestBindingAdded = "rest-binding-added",
    /// The service is no longer carried over REST.
    RestBindingRemoved = "rest-binding-removed",
    /// A `rest-binding` row appeared, went or holds another value.
    RestSettingChanged = "rest-setting-changed",
    /// A condition is answered with another HTTP status over REST.
    RestStatusChanged = "rest-status-changed",
    /// A REST operation appeared.
    RestOperationAdded = "rest-operation-added",
    /// A REST operation is gone.
    RestOperationRemoved = "rest-operation-removed",
    /// A REST operation has another route, shape, carried inputs, query or implied values.
    RestOperationChanged = "rest-operation-changed",
    /// A property goes in JSON in another form.
    RestFormChanged = "rest-form-changed",
}

use Effect::{Additive as A, Breaking as B, None as N};

const fn impact(api: Effect, wire: Effect, simulator: Effect) -> Impact {
    Impact {
        api,
        wire,
        simulator,
    }
}

impl ChangeKind {
    /// What a change of this kind does to each audience; `uses` says how the properties of the
    /// value type it is about are used, for the rules that depend on it (ranges).
    pub fn impact(self, uses: Uses) -> Impact {
        use ChangeKind::*;
        let sent = if uses.input { B } else { N };
        match self {
            ServiceAdded | FamilyAdded | ContainerAdded | OperationAdded | PagingAdded
            | PropertyAdded | SupportWidened | AccessWidened | InputAddedOptional | OutputAdded
            | ValueAdded => impact(A, A, A),
            ServiceRemoved
            | ProtocolChanged
            | PlatformRemoved
            | TypeKindChanged
            | TypeShapeChanged
            | ErrorCodeChanged
            | ErrorPartialFailChanged
            | FamilyRemoved
            | ContainerRemoved
            | OperationRemoved
            | OperationRenamed
            | OperationKindChanged
            | PagingRemoved
            | PropertyAddedRequired
            | PropertyRemoved
            | PropertyTypeChanged
            | AccessNarrowed
            | RenamesChanged
            | SupportNarrowed
            | InputAddedRequired
            | InputBecameRequired
            | InputRemoved
            | OutputRemoved => impact(B, B, B),
            // The generated `Platform` enum is exhaustive: a match on it needs a new arm.
            PlatformAdded => impact(B, A, A),
            TypeAdded | ErrorCategoryAdded => impact(A, N, N),
            TypeRemoved
            | ErrorCategoryRemoved
            | ValueRemoved
            | ValueVariantRenamed
            | ErrorRemoved
            | ErrorRenamed
            | ErrorCategoryChanged
            | ErrorHandlingChanged
            | OperationRenamedWithAlias
            | PropertyTypeRenamed => impact(B, N, N),
            // The old range's values may be refused where they are sent; received values are
            // a subset of what the old client reads.
            RangeNarrowed => impact(B, sent, sent),
            // An old client cannot read a received value beyond its range.
            RangeWidened => impact(A, if uses.output { B } else { A }, A),
            SecretWireChanged
            | BooleanSpellingRemoved
            | BooleanSpellingChanged
            | PermissionVerbChanged
            | BindingRowAdded
            | BindingRowRemoved
            | BindingRowChanged
            | FamilyPermissionChanged
            | OperationElementChanged
            | OperationAliasRemoved
            | DefaultChanged
            | PropertyAliasRemoved
            | PropertyElementChanged
            | OutputNoLongerByDefault
            | RestBindingRemoved
            | RestSettingChanged
            | RestStatusChanged
            | RestOperationRemoved
            | RestOperationChanged
            | RestFormChanged => impact(N, B, B),
            BooleanSpellingAdded | OperationAliasAdded | DefaultAdded | PropertyAliasAdded
            | OutputNowByDefault | RestBindingAdded | RestOperationAdded => impact(N, A, A),
            ErrorAdded | OperationErrorAdded => impact(A, A, N),
            // Only the generated list of the request's documented codes shrinks.
            OperationErrorRemoved | BillableChanged => impact(N, N, N),
            ConditionAdded | ConditionRemoved | ConditionCodeChanged | PartialRuleChanged
            | FamilyTableChanged | ReferenceAdded | ReferenceChanged | ErrorMessageChanged => {
                impact(N, N, B)
            }
            ReferenceRemoved => impact(N, N, A),
            // The constructor's arguments change; servers accept more.
            InputBecameOptional => impact(B, A, A),
            // A key names the entity: the simulator looks it up instead of storing it.
            InputKeyChanged => impact(B, N, B),
        }
    }
}
