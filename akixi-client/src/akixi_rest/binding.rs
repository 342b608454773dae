//! The REST binding of a service as static data (`REST`, generated from the spec's
//! `rest-binding`, `rest-statuses`, `rest-operations` and `rest-properties` tables): routes,
//! session names, statuses and JSON forms, for the client, the simulator and the command line.

pub use akixi_schema::model::{HttpMethod, JsonForm};

use crate::meta::Condition;

/// A service's REST binding.
#[derive(Debug, Clone, Copy)]
pub struct RestInfo {
    /// The path every route is under (`/CCS/API/v1`).
    pub base_path: &'static str,
    /// The route that opens a session.
    pub create_session: Route,
    /// The route that signs a session in (HTTP Basic).
    pub login: Route,
    /// The route that closes a session.
    pub logout: Route,
    /// The cookie carrying the session id.
    pub session_cookie: &'static str,
    /// The field of `create_session`'s answer holding the session id.
    pub session_id_field: &'static str,
    /// The field of `create_session`'s answer holding the nonce.
    pub nonce_field: &'static str,
    /// The query parameter of `login` naming the locale.
    pub locale_parameter: &'static str,
    /// The locales `login` accepts, the default first.
    pub locales: &'static [&'static str],
    /// The header carrying an API key.
    pub api_key_header: &'static str,
    /// How a password goes in a REST body (`plain`: as given).
    pub password_form: &'static str,
    /// The status of a successful answer.
    pub success_status: u16,
    /// The field of a failure's body holding its message.
    pub error_message_field: &'static str,
    /// The field of a failure's body holding the service's error code, where given.
    pub error_code_field: &'static str,
    /// The status `login` answers when the user has other sessions, although it succeeded.
    pub other_sessions_status: u16,
    /// How that answer's message begins.
    pub other_sessions_message: &'static str,
    /// The query parameter of a paged list's offset.
    pub offset_parameter: &'static str,
    /// The query parameter of a paged list's limit.
    pub limit_parameter: &'static str,
    /// The status each condition is answered with.
    pub statuses: &'static [(Condition, u16)],
    /// Every REST operation.
    pub operations: &'static [RestOperationInfo],
    /// The properties whose JSON is not their type's own.
    pub forms: &'static [FormInfo],
}

impl RestInfo {
    /// The status `condition` is answered with.
    pub fn status(&self, condition: Condition) -> Option<u16> {
        self.statuses
            .iter()
            .find(|(c, _)| *c == condition)
            .map(|(_, s)| *s)
    }

    /// The conditions answered with `status`, in the spec's order.
    pub fn conditions_of(&self, status: u16) -> impl Iterator<Item = Condition> + '_ {
        self.statuses
            .iter()
            .filter(move |(_, s)| *s == status)
            .map(|(c, _)| *c)
    }

    /// The REST operation `name` of `family`.
    pub fn operation(&self, family: &str, name: &str) -> Option<&'static RestOperationInfo> {
        self.operations
            .iter()
            .find(|o| o.family == family && o.name == name)
    }

    /// The REST operations carrying `shape` (`UserChange`: `Change`, `Update`, `SendEmail`).
    pub fn carrying<'a>(
        &'a self,
        shape: &'a str,
    ) -> impl Iterator<Item = &'static RestOperationInfo> + 'a {
        self.operations.iter().filter(move |o| o.shape == shape)
    }

    /// How `family`'s property at `path` goes in JSON.
    pub fn form(&self, family: &str, path: &str) -> JsonForm {
        self.forms
            .iter()
            .find(|f| f.family == family && f.path == path)
            .map_or(JsonForm::Native, |f| f.form)
    }
}

/// A method and a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The method.
    pub method: HttpMethod,
    /// The path under the base path, segment by segment.
    pub path: &'static [Segment],
    /// Whether the path ends with `/`.
    pub trailing_slash: bool,
}

impl Route {
    /// The top-level properties the path names, in order.
    pub fn path_properties(&self) -> impl Iterator<Item = &'static str> {
        self.path.iter().filter_map(|s| match s {
            Segment::Property(p) => Some(*p),
            Segment::Literal(_) => None,
        })
    }

    /// Whether `name` is one of the path's properties.
    pub fn names_in_path(&self, name: &str) -> bool {
        self.path_properties().any(|p| p == name)
    }

    /// The path as written (`/admin/user/{Username}`).
    pub fn template(&self) -> String {
        let segments = self.path.iter().map(|s| match s {
            Segment::Literal(l) => (false, *l),
            Segment::Property(p) => (true, *p),
        });
        akixi_schema::model::rest::write_template(segments, self.trailing_slash)
    }
}

/// One segment of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Text as written.
    Literal(&'static str),
    /// A top-level property's value, percent-encoded.
    Property(&'static str),
}

/// A REST operation: a route carrying (part of) one operation's shape.
#[derive(Debug, Clone, Copy)]
pub struct RestOperationInfo {
    /// The family.
    pub family: &'static str,
    /// Its REST name (`Update`).
    pub name: &'static str,
    /// The operation whose shapes it carries (`UserChange`).
    pub shape: &'static str,
    /// Its route.
    pub route: Route,
    /// Inputs a body-carrying method sends in the query instead.
    pub query: &'static [&'static str],
    /// The shape's inputs it carries; `None`: every one but `except`.
    pub inputs: Option<&'static [&'static str]>,
    /// The shape's inputs it does not carry.
    pub except: &'static [&'static str],
    /// Inputs it sets without carrying them, as wire text.
    pub implies: &'static [(&'static str, &'static str)],
}

impl RestOperationInfo {
    /// Whether it carries the shape's input at `path` (`Scope.TelSysID`).
    pub fn carries(&self, path: &str) -> bool {
        self.inputs.is_none_or(|only| only.contains(&path))
            && !self.except.contains(&path)
            && !self.implies.iter().any(|(p, _)| *p == path)
    }
}

/// A property whose JSON is not its type's own.
#[derive(Debug, Clone, Copy)]
pub struct FormInfo {
    /// The family.
    pub family: &'static str,
    /// The property's path.
    pub path: &'static str,
    /// Its form.
    pub form: JsonForm,
}
