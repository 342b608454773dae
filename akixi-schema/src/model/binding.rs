//! Protocols and their typed bindings: what a service's `binding` rows say, as values the
//! generators can trust. The loader reads every row into these (`load/binding`), reporting a
//! missing row, a bad value, an unknown key or a reference to something the spec does not
//! define at the row; nothing downstream re-checks or defaults them.

use super::vocab::{Provenance, SecretWire, TypeKind};
use crate::diag::Loc;

/// How a service's shapes go on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Akixi Web Services: `<Request Operation="…">` with `Property`/`Container` payloads.
    AkixiWs,
    /// Cisco Extension Mobility: form-encoded `xml=` documents of named elements.
    CiscoEm,
}

impl Protocol {
    /// Every protocol, with the name the spec uses for it.
    pub const ALL: &'static [(&'static str, Protocol)] = &[
        ("akixi-ws", Protocol::AkixiWs),
        ("cisco-em", Protocol::CiscoEm),
    ];

    /// The spec's name for this protocol.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AkixiWs => "akixi-ws",
            Protocol::CiscoEm => "cisco-em",
        }
    }
}

/// One protocol binding setting.
#[derive(Debug, Clone)]
pub struct BindingEntry {
    /// Key (`fail-element`).
    pub key: String,
    /// Value.
    pub value: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A service's protocol with the typed value of its `binding` rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// The `akixi-ws` protocol.
    AkixiWs(Box<AkixiWsBinding>),
    /// The `cisco-em` protocol.
    CiscoEm(Box<CiscoEmBinding>),
}

impl Binding {
    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        match self {
            Binding::AkixiWs(_) => Protocol::AkixiWs,
            Binding::CiscoEm(_) => Protocol::CiscoEm,
        }
    }
}

/// The `akixi-ws` binding. The documented envelope (`Request`, `InvokeID`, `Property`, …) is the
/// protocol's fixed grammar and lives in the runtime's `akixi_ws::grammar`; these rows are what
/// the documentation leaves open or what a service may vary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AkixiWsBinding {
    /// `success-element`: the element holding a successful response's payload.
    pub success_element: String,
    /// `fail-element`: the element holding a failed response's errors.
    pub fail_element: String,
    /// `error-code-name`: the element or property holding an error's code.
    pub error_code_name: String,
    /// `error-message-name`: the element or property holding an error's message.
    pub error_message_name: String,
    /// `invoke-id-digits`: digits of an `InvokeID`.
    pub invoke_id_digits: u32,
    /// `default-offset`: entries a list skips without `Offset`.
    pub default_offset: u64,
    /// `default-limit`: entries a list returns without `Limit`.
    pub default_limit: u64,
    /// `session-idle-timeout`: seconds an API session may go unused before it expires.
    pub session_idle_timeout: u64,
    /// `session-limit`: live API sessions a server keeps at most.
    pub session_limit: u64,
    /// `telephony-server-property`: the property naming the telephony server a request is
    /// about, which decides the platform to validate for.
    pub telephony_server_property: String,
    /// The `password-*` rows: how passwords are protected on the wire.
    pub password: PasswordScheme,
    /// The operations and properties of the API session, where the service has one.
    pub session: Option<SessionRoles>,
}

impl AkixiWsBinding {
    /// The distinct permission tokens (`User|Create`) an akixi-ws server guards operations with
    /// at most: an account's rights are a 64-bit set (checked by the loader).
    pub const MAX_PERMISSION_TOKENS: usize = 64;
}

/// The operations and properties that play the API session's parts: resolved by the loader from
/// the operations' kinds and the `session-id-type` and `nonce-type` rows, so that no operation,
/// property or type name of the session is written in Rust.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionRoles {
    /// The `create-session` operation.
    pub create: String,
    /// The `authenticate` operation.
    pub authenticate: String,
    /// The `close-session` operation.
    pub close: String,
    /// The property of the `create` response holding the session id.
    pub session_id: String,
    /// The property of the `create` response holding the nonce.
    pub nonce: String,
    /// The path of `authenticate`'s user name.
    pub username: String,
    /// The path of `authenticate`'s password.
    pub password: String,
}

/// How passwords are protected on the wire (`password-cipher`, `password-key`, `password-iv`,
/// `password-padding`, `password-encoding`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordScheme {
    /// The cipher (`aes-128-cbc`).
    pub cipher: String,
    /// Where the key comes from (`nonce-hex`).
    pub key: String,
    /// The initialisation vector (`zero`).
    pub iv: String,
    /// The padding (`pkcs7`).
    pub padding: String,
    /// The text encoding of the result (`base64`).
    pub encoding: String,
}

/// The `cisco-em` binding: the form field, the documents' roots, the endpoint rules and the
/// result data. The elements inside a response (`success`, `failure`, the results' children)
/// are the protocol's fixed grammar and live in the runtime's `cisco_em::grammar`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiscoEmBinding {
    /// `http-method`: how requests are sent.
    pub http_method: String,
    /// `content-type`: the body's type.
    pub content_type: String,
    /// `form-field`: the form field holding the document.
    pub form_field: String,
    /// `request-root`: the root of `request` actions.
    pub request_root: String,
    /// `query-root`: the root of `query` actions.
    pub query_root: String,
    /// `app-info-element`: the element holding the application's credentials.
    pub app_info_element: String,
    /// `response-root`: the root of every response.
    pub response_root: String,
    /// `service-path`: the service's path, for every version without paths of its own
    /// ([`versions`](Self::versions)).
    pub service_path: String,
    /// `default-scheme`: the scheme of URLs built from a host.
    pub default_scheme: String,
    /// `secure-scheme`: the scheme of secure services.
    pub secure_scheme: String,
    /// `secure-port`: the port of the secure service.
    pub secure_port: u16,
    /// `no-response-error-code`: the `ErrorCode` of an outcome without response XML.
    pub no_response_error_code: u32,
    /// `url-parameter`: the parameter holding the service's URL.
    pub url_parameter: String,
    /// `host-parameter`: the parameter holding the publisher's `[IP]:[Port]`.
    pub host_parameter: String,
    /// `version-parameter`: the parameter holding the Unified CM version.
    pub version_parameter: String,
    /// The `versions` table: the Unified CM releases, what selects each and where its service
    /// is, in table order.
    pub versions: Vec<CcmVersion>,
    /// `error-code-result`: the result property holding the `ErrorCode`.
    pub error_code_result: String,
    /// `error-message-result`: the result property holding the `ErrorMessage`.
    pub error_message_result: String,
    /// `branch-type`: the enumeration of branches.
    pub branch_type: String,
    /// `success-branch`: the branch of a success.
    pub success_branch: String,
    /// `failure-branch`: the branch of every other outcome.
    pub failure_branch: String,
    /// `result-document:<shape>`: the element of the results document of each shape the
    /// protocol reads and writes, in [`ResultShape::ALL`] order.
    pub result_documents: Vec<(ResultShape, String)>,
    /// `results:<query element>`: each query's element, with the element of its results (one
    /// of [`result_documents`](Self::result_documents)).
    pub results: Vec<(String, String)>,
    /// `app-id-parameter`: the parameter naming the application user.
    pub app_id_parameter: String,
    /// `app-certificate-parameter`: the parameter holding the application user's password.
    pub app_certificate_parameter: String,
    /// `device-parameter`: the parameter naming the device a request is about.
    pub device_parameter: String,
    /// `user-parameter`: the parameter naming the user a request is about.
    pub user_parameter: String,
    /// `device-profile-parameter`: the parameter naming the device profile to log in with.
    pub device_profile_parameter: String,
    /// `timeout-parameter`: the parameter giving the minutes until an automatic logout.
    pub timeout_parameter: String,
    /// `no-timeout-parameter`: the parameter asking for no automatic logout.
    pub no_timeout_parameter: String,
}

/// A row of the `cisco-em` `versions` table: a Unified CM release, the value of the
/// `version-parameter` that selects it, and what is particular to it. Rows sharing a value
/// agree on the paths and actions (checked by the loader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcmVersion {
    /// The releases (`CCM 3.3`), as the documentation names them.
    pub release: String,
    /// The value of the `version-parameter` that selects them (`v333`).
    pub version: String,
    /// The service's port on these releases (documentation; a URL built from a host takes the
    /// host's port).
    pub port: u16,
    /// The path of requests, where not the `service-path`.
    pub request_path: Option<String>,
    /// The path of queries, where not the `service-path`.
    pub query_path: Option<String>,
    /// The actions (operation names) the service answers, where not every one.
    pub actions: Option<Vec<String>>,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// How the `cisco-em` protocol writes a value of each kind of type into its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementValue {
    /// A string: the element's text.
    Text,
    /// A plain secret: the element's text, never printed.
    Secret,
    /// A Boolean: an empty element, present when true.
    Flag,
    /// A list: one element per value.
    List,
    /// An integer, enumeration or selector: its wire text.
    Wire,
}

impl ElementValue {
    /// How a value of `kind` is written, or `None` when the protocol cannot write it (field
    /// lists, encrypted secrets).
    pub fn of(kind: &TypeKind) -> Option<Self> {
        match kind {
            TypeKind::String => Some(ElementValue::Text),
            TypeKind::Boolean => Some(ElementValue::Flag),
            TypeKind::Secret {
                wire: SecretWire::Plain,
            } => Some(ElementValue::Secret),
            TypeKind::List { .. } => Some(ElementValue::List),
            TypeKind::Integer { .. } | TypeKind::Enum | TypeKind::Selector { .. } => {
                Some(ElementValue::Wire)
            }
            TypeKind::Fields { .. } | TypeKind::Secret { .. } => None,
        }
    }
}

/// The shapes of the `cisco-em` results documents, as the response DTDs give them: what the
/// runtime reads and writes (one type, decoder and encoder each). They are the protocol's
/// vocabulary; the spec's `result-document:<shape>` rows name each one's element, and its
/// `results:<query>` rows name a document for each query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultShape {
    /// Who is logged in to each device asked about.
    DeviceUsers,
    /// Which devices each user asked about is logged in to.
    UserDevices,
    /// Each user's device profiles.
    DeviceProfiles,
}

impl ResultShape {
    /// Every shape, with its name in the spec.
    pub const ALL: &'static [(&'static str, ResultShape)] = &[
        ("device-users", ResultShape::DeviceUsers),
        ("user-devices", ResultShape::UserDevices),
        ("device-profiles", ResultShape::DeviceProfiles),
    ];

    /// Its name in the spec.
    pub fn name(self) -> &'static str {
        ResultShape::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("?", |(n, _)| n)
    }
}

impl CiscoEmBinding {
    /// The element of the results document of `shape`.
    pub fn document(&self, shape: ResultShape) -> Option<&str> {
        self.result_documents
            .iter()
            .find(|(s, _)| *s == shape)
            .map(|(_, e)| e.as_str())
    }

    /// The shape of the results document whose element is `element`.
    pub fn shape_of(&self, element: &str) -> Option<ResultShape> {
        self.result_documents
            .iter()
            .find(|(_, e)| e == element)
            .map(|(s, _)| *s)
    }

    /// The results element of the query whose element is `query_element`.
    pub fn results_of(&self, query_element: &str) -> Option<&str> {
        self.results
            .iter()
            .find(|(q, _)| q == query_element)
            .map(|(_, r)| r.as_str())
    }

    /// Whether `property` decides the endpoint (the URL, host or version parameter).
    pub fn is_endpoint_parameter(&self, property: &str) -> bool {
        [
            &self.url_parameter,
            &self.host_parameter,
            &self.version_parameter,
        ]
        .iter()
        .any(|p| *p == property)
    }
}

/// A condition the `akixi-ws` simulator answers with an error code: its rules, named by the
/// `error-conditions` table (which says which code answers each). Another protocol's simulator
/// names its own conditions (any kebab-case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    /// The request has no `InvokeID`.
    MissingInvokeId,
    /// The operation is missing or not supported.
    UnknownOperation,
    /// The request cannot be read.
    MalformedRequest,
    /// A property's value is not of its type.
    BadPropertyValue,
    /// A property the platform does not support.
    UnsupportedProperty,
    /// The request has no session.
    MissingSession,
    /// The session is unknown, closed or expired.
    UnknownSession,
    /// Wrong credentials.
    AuthenticationFailed,
    /// The session is not authenticated.
    NotAuthenticated,
    /// The caller lacks the permission.
    PermissionDenied,
    /// The target is outside the caller's scope.
    OutOfScope,
    /// The request does not name the entity (per family).
    MissingKey,
    /// No entity has the key (per family).
    UnknownEntity,
    /// An entity with the key exists already (per family).
    DuplicateEntity,
    /// A change gives a property that cannot change after creation (per family).
    ReadOnlyProperty,
    /// A delete of an entity that others still reference (per family).
    EntityInUse,
    /// The server failed in a way the request cannot explain.
    InternalError,
    /// The change could not be recorded durably.
    StorageUnavailable,
    /// Too busy to check a password now (verifications queued to their bound, or an account's
    /// sign-in rate spent), or the session table is full of live sessions: try again later.
    Busy,
}

impl Condition {
    /// Every condition, with its name in the spec and where the simulator answers it.
    pub const ALL: &'static [(&'static str, Condition, ConditionScope)] = &[
        (
            "missing-invoke-id",
            Condition::MissingInvokeId,
            ConditionScope::Service,
        ),
        (
            "unknown-operation",
            Condition::UnknownOperation,
            ConditionScope::Service,
        ),
        (
            "malformed-request",
            Condition::MalformedRequest,
            ConditionScope::Service,
        ),
        (
            "bad-property-value",
            Condition::BadPropertyValue,
            ConditionScope::Both,
        ),
        (
            "unsupported-property",
            Condition::UnsupportedProperty,
            ConditionScope::Family,
        ),
        (
            "missing-session",
            Condition::MissingSession,
            ConditionScope::Service,
        ),
        (
            "unknown-session",
            Condition::UnknownSession,
            ConditionScope::Service,
        ),
        (
            "authentication-failed",
            Condition::AuthenticationFailed,
            ConditionScope::Service,
        ),
        (
            "not-authenticated",
            Condition::NotAuthenticated,
            ConditionScope::Service,
        ),
        (
            "permission-denied",
            Condition::PermissionDenied,
            ConditionScope::Family,
        ),
        (
            "out-of-scope",
            Condition::OutOfScope,
            ConditionScope::Family,
        ),
        ("missing-key", Condition::MissingKey, ConditionScope::Family),
        (
            "unknown-entity",
            Condition::UnknownEntity,
            ConditionScope::Family,
        ),
        (
            "duplicate-entity",
            Condition::DuplicateEntity,
            ConditionScope::Family,
        ),
        (
            "read-only-property",
            Condition::ReadOnlyProperty,
            ConditionScope::Family,
        ),
        (
            "entity-in-use",
            Condition::EntityInUse,
            ConditionScope::Family,
        ),
        (
            "internal-error",
            Condition::InternalError,
            ConditionScope::Service,
        ),
        (
            "storage-unavailable",
            Condition::StorageUnavailable,
            ConditionScope::Service,
        ),
        ("busy", Condition::Busy, ConditionScope::Service),
    ];

    /// The condition's name in the spec.
    pub fn name(self) -> &'static str {
        Condition::ALL
            .iter()
            .find(|(_, c, _)| *c == self)
            .map_or("?", |(n, _, _)| n)
    }

    /// Where the simulator answers it.
    pub fn scope(self) -> ConditionScope {
        Condition::ALL
            .iter()
            .find(|(_, c, _)| *c == self)
            .map_or(ConditionScope::Service, |(_, _, s)| *s)
    }
}

/// Where the `akixi-ws` simulator answers a condition, which decides the `error-conditions` rows
/// a service needs (checked by the loader when the service has the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionScope {
    /// Whatever the request is about: one row without a `Family`.
    Service,
    /// About one family's entities: a row may name a family, and every family the simulator
    /// serves needs a code (its own row, or the row without a `Family`).
    Family,
    /// Both: outside any family (the envelope, a session's input), where the row without a
    /// `Family` answers, and about a family's entities, where a row may name the family.
    Both,
}

impl ConditionScope {
    /// Whether a row may name a family.
    pub fn per_family(self) -> bool {
        self != ConditionScope::Service
    }

    /// Whether the row without a `Family` is needed whatever the families.
    pub fn needs_general_row(self) -> bool {
        self != ConditionScope::Family
    }
}
