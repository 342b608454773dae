//! The Akixi REST/JSON binding (`akixi-rest`): a second binding of an `akixi-ws` service's
//! shapes. Its facts are the service's `rest-binding` and `rest-statuses` tables and each
//! family's `rest-operations` and `rest-properties` tables; the loader checks every row
//! (`load/binding/akixi_rest.rs`), so nothing downstream re-checks or defaults them.
//!
//! A REST operation carries the shape of one of its family's operations (`Add` of users carries
//! `UserAdd`'s), or a part of it (REST `Change` of users carries `UserChange`'s key and password
//! only), and may imply values the shape would otherwise take as input (`SendEmail` is
//! `UserChange` with `SendWelcomeEmail` set).

use super::binding::{BindingEntry, Condition};
use super::vocab::Provenance;
use crate::diag::Loc;

/// The spec's name of the REST protocol.
pub const REST_PROTOCOL: &str = "akixi-rest";

/// A service's REST binding.
#[derive(Debug, Clone)]
pub struct RestBinding {
    /// `base-path`: the path every route is under (`/CCS/API/v1`).
    pub base_path: String,
    /// `create-session`: the route that opens a session.
    pub create_session: RestRoute,
    /// `login`: the route that authenticates a session (HTTP Basic).
    pub login: RestRoute,
    /// `logout`: the route that closes a session.
    pub logout: RestRoute,
    /// `session-cookie`: the cookie carrying the session id.
    pub session_cookie: String,
    /// `session-id-field`: the field of `create-session`'s answer holding the session id.
    pub session_id_field: String,
    /// `nonce-field`: the field of `create-session`'s answer holding the nonce.
    pub nonce_field: String,
    /// `locale-parameter`: the query parameter of `login` naming the session's locale.
    pub locale_parameter: String,
    /// `locales`: the locales `login` accepts, the first the default.
    pub locales: Vec<String>,
    /// `api-key-header`: the header carrying an API key, instead of a session.
    pub api_key_header: String,
    /// `password-form`: how a password goes in a REST body (`plain`: as given).
    pub password_form: String,
    /// `success-status`: the status of a successful answer.
    pub success_status: u16,
    /// `error-message-field`: the field of a failure's body holding its message.
    pub error_message_field: String,
    /// `error-code-field`: the field of a failure's body holding the service's error code,
    /// where the server gives one.
    pub error_code_field: String,
    /// `other-sessions-status`: the status `login` answers when the user has other sessions
    /// open, although the login succeeded.
    pub other_sessions_status: u16,
    /// `other-sessions-message`: how that answer's message begins.
    pub other_sessions_message: String,
    /// `offset-parameter`: the query parameter a paged list's offset goes in.
    pub offset_parameter: String,
    /// `limit-parameter`: the query parameter a paged list's limit goes in.
    pub limit_parameter: String,
    /// `rest-statuses`: the status each condition is answered with.
    pub statuses: Vec<RestStatus>,
    /// Every family's `rest-operations`, in the spec's order.
    pub operations: Vec<RestOperation>,
    /// Every family's `rest-properties`.
    pub properties: Vec<RestProperty>,
    /// The `rest-binding` rows as written, for tools that show or compare them.
    pub rows: Vec<BindingEntry>,
}

impl RestBinding {
    /// The status `condition` is answered with (the loader requires one for each condition a
    /// REST server answers).
    pub fn status(&self, condition: Condition) -> Option<u16> {
        self.statuses
            .iter()
            .find(|s| s.condition == condition)
            .map(|s| s.status)
    }

    /// The REST operations of `family`.
    pub fn family_operations<'a>(
        &'a self,
        family: &'a str,
    ) -> impl Iterator<Item = &'a RestOperation> + 'a {
        self.operations.iter().filter(move |o| o.family == family)
    }

    /// How `family`'s property at `path` (`Scope.TelSysID`) goes in JSON.
    pub fn form(&self, family: &str, path: &str) -> JsonForm {
        self.properties
            .iter()
            .find(|p| p.family == family && p.path == path)
            .map_or(JsonForm::Native, |p| p.form)
    }
}

/// An HTTP method a route uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`: no body; inputs in the path and the query.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`: no body; inputs in the path and the query.
    Delete,
}

impl HttpMethod {
    /// Every method, with its name.
    pub const ALL: &'static [(&'static str, HttpMethod)] = &[
        ("GET", HttpMethod::Get),
        ("POST", HttpMethod::Post),
        ("PUT", HttpMethod::Put),
        ("PATCH", HttpMethod::Patch),
        ("DELETE", HttpMethod::Delete),
    ];

    /// The method's name (`GET`).
    pub fn name(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Whether requests of this method carry a JSON body (the others put every input that is
    /// not in the path in the query).
    pub fn has_body(self) -> bool {
        matches!(self, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch)
    }
}

/// A method and a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestRoute {
    /// The method.
    pub method: HttpMethod,
    /// The path under the base path, segment by segment.
    pub path: Vec<PathSegment>,
    /// Whether the path ends with `/` (documented paths keep theirs).
    pub trailing_slash: bool,
}

impl RestRoute {
    /// The path as written (`/admin/user/{Username}`).
    pub fn template(&self) -> String {
        let segments = self.path.iter().map(|s| match s {
            PathSegment::Literal(l) => (false, l.as_str()),
            PathSegment::Property(p) => (true, p.as_str()),
        });
        write_template(segments, self.trailing_slash)
    }

    /// The top-level properties the path names, in order.
    pub fn path_properties(&self) -> impl Iterator<Item = &str> {
        self.path.iter().filter_map(|s| match s {
            PathSegment::Property(p) => Some(p.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

/// A path template as written, from its segments as (names a property, text): `{…}` around a
/// property, `/` before each segment, and a `/` at the end when `trailing_slash` (or for the
/// root). One writer for the spec's routes and the runtime's.
pub fn write_template<'a>(
    segments: impl IntoIterator<Item = (bool, &'a str)>,
    trailing_slash: bool,
) -> String {
    let mut out = String::new();
    for (property, text) in segments {
        out.push('/');
        if property {
            out.push('{');
            out.push_str(text);
            out.push('}');
        } else {
            out.push_str(text);
        }
    }
    if trailing_slash || out.is_empty() {
        out.push('/');
    }
    out
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// Text as written (`admin`).
    Literal(String),
    /// A top-level property's value (`{Username}`), percent-encoded.
    Property(String),
}

/// The status one condition is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestStatus {
    /// The condition.
    pub condition: Condition,
    /// The HTTP status.
    pub status: u16,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

/// A REST operation: a route carrying (part of) one operation's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestOperation {
    /// The family it belongs to.
    pub family: String,
    /// Its REST name (`Add`, `SendEmail`), unique within the family.
    pub name: String,
    /// The operation whose request and response shapes it carries (`UserChange`).
    pub shape: String,
    /// Its route.
    pub route: RestRoute,
    /// Inputs of a body-carrying method that go in the query instead (`IntegratorClientFields`).
    pub query: Vec<String>,
    /// The shape's inputs it carries, as property paths; `None`: every one (less `except`).
    pub inputs: Option<Vec<String>>,
    /// The shape's inputs it does not carry.
    pub except: Vec<String>,
    /// Inputs it does not carry but sets, as the wire text of their value
    /// (`SendWelcomeEmail` = `True`).
    pub implies: Vec<(String, String)>,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}

impl RestOperation {
    /// Whether it carries the shape's input at `path`.
    pub fn carries(&self, path: &str) -> bool {
        let listed = self
            .inputs
            .as_ref()
            .is_none_or(|only| only.iter().any(|p| p == path));
        listed
            && !self.except.iter().any(|p| p == path)
            && !self.implies.iter().any(|(p, _)| p == path)
    }
}

/// How a property's value goes in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum JsonForm {
    /// As its type goes: Booleans and integers as JSON's own, everything else as text.
    #[default]
    Native,
    /// One value as a one-element array (`"TelSysID": [-1]`).
    Array,
    /// A list as `[a,b]` text (the query's field selections: `[Policies,Settings]`).
    BracketList,
}

impl JsonForm {
    /// Every form, with its name in the spec.
    pub const ALL: &'static [(&'static str, JsonForm)] = &[
        ("native", JsonForm::Native),
        ("array", JsonForm::Array),
        ("bracket-list", JsonForm::BracketList),
    ];
}

/// A property whose JSON differs from its type's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestProperty {
    /// The family.
    pub family: String,
    /// The property's path (`Scope.TelSysID`).
    pub path: String,
    /// Its form.
    pub form: JsonForm,
    /// Provenance.
    pub provenance: Provenance,
    /// Where it is defined.
    pub loc: Loc,
}
