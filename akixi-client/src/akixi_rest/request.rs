//! Writing a REST request from a shape: the shape writes its properties to a sink (the same
//! [`EncodePayload`] the XML codec uses), and the REST operation's binding places each one: a
//! `{Property}` of the route in the path (percent-encoded), the rest in the query (`GET`,
//! `DELETE`, and the `Query` inputs of the others) or in a JSON body (containers as nested
//! objects), each value in its type's JSON (Booleans and whole numbers as JSON's own) or its
//! binding's form (`array`: `[-1]`; `bracket-list`: `"[a,b]"`).
//!
//! A request that sets an input the REST operation does not carry is refused before anything is
//! sent ([`RestEncodeError::NotCarried`]): REST `Update` of users does not carry `Password`, and
//! silently dropping it would change a different thing than the caller asked.

use std::fmt::Write as _;

use super::binding::{HttpMethod, JsonForm, RestInfo, RestOperationInfo, Segment};
use crate::akixi_ws::{EncodeError, EncodePayload, PasswordEncoder, PayloadSink};
use crate::meta::{FamilyInfo, ValueKind};
use crate::value::WireValue;

/// A REST request, ready for the HTTP layer.
#[derive(Clone, PartialEq, Eq)]
pub struct RestRequest {
    /// The method.
    pub method: HttpMethod,
    /// The path under the service's base path, percent-encoded (`/admin/user/Jane%20Doe`).
    pub path: String,
    /// Query parameters, in order, not yet encoded.
    pub query: Vec<(String, String)>,
    /// The JSON body, for methods that carry one.
    pub body: Option<String>,
}

impl std::fmt::Debug for RestRequest {
    // The body may hold a password: shown by size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestRequest")
            .field("method", &self.method.name())
            .field("path", &self.path)
            .field(
                "query",
                &self.query.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body_bytes", &self.body.as_ref().map(String::len))
            .finish()
    }
}

/// Why a shape could not be written as a REST request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RestEncodeError {
    /// The request sets an input the REST operation does not carry.
    #[error(
        "REST `{operation}` does not carry `{property}`{}",
        others.as_deref().map(|o| format!(" (the REST operations that do: {o})")).unwrap_or_default()
    )]
    NotCarried {
        /// The REST operation.
        operation: String,
        /// The property's path.
        property: String,
        /// The REST operations of the same shape that carry it, if any.
        others: Option<String>,
    },
    /// The request gives an input the REST operation implies another value for.
    #[error("REST `{operation}` sets `{property}` to `{implied}`; the request gives `{given}`")]
    ImpliedOtherwise {
        /// The REST operation.
        operation: String,
        /// The property.
        property: String,
        /// What the operation implies.
        implied: String,
        /// What the request gave.
        given: String,
    },
    /// The route names a property the request does not set.
    #[error("REST `{operation}` needs `{property}` for its path `{template}`")]
    MissingPathValue {
        /// The REST operation.
        operation: String,
        /// The property.
        property: String,
        /// The route's template.
        template: String,
    },
    /// A list entry (an unnamed container) in a request: no REST operation takes one.
    #[error("REST `{0}` cannot carry a list in its request")]
    UnnamedContainer(String),
    /// The password could not be protected.
    #[error(transparent)]
    Password(#[from] EncodeError),
}

/// One thing a shape wrote.
enum Item {
    Property {
        container: Option<String>,
        name: String,
        text: String,
    },
}

/// Collects what a shape writes, with the container each property is in.
#[derive(Default)]
struct Collect {
    items: Vec<Item>,
    container: Option<String>,
    unnamed: bool,
    depth: usize,
}

impl PayloadSink for Collect {
    fn property(&mut self, name: &str, value: &str) {
        self.items.push(Item::Property {
            container: self.container.clone(),
            name: name.to_string(),
            text: value.to_string(),
        });
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        let text = value.to_wire();
        self.property(name, &text);
    }
    fn begin_container(&mut self, name: Option<&str>) {
        self.depth += 1;
        match name {
            Some(n) if self.depth == 1 => self.container = Some(n.to_string()),
            _ => self.unnamed = true,
        }
    }
    fn end_container(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.container = None;
        }
    }
}

/// What [`encode_request`] reads besides the request.
#[derive(Debug, Clone, Copy)]
pub struct EncodeContext<'a> {
    /// The service's REST binding.
    pub rest: &'a RestInfo,
    /// The family of the operation.
    pub family: &'a FamilyInfo,
    /// How the service writes `true` and `false` on the wire (`True`, `False`).
    pub boolean_words: (&'a str, &'a str),
}

/// Writes `request` (a shape of `op.shape`) as the REST request of `op`, with `paging`
/// (offset, limit) in the query of a paged list.
pub fn encode_request<R: EncodePayload>(
    request: &R,
    op: &RestOperationInfo,
    cx: EncodeContext<'_>,
    paging: (Option<u64>, Option<u64>),
    passwords: &dyn PasswordEncoder,
) -> Result<RestRequest, RestEncodeError> {
    let mut sink = Collect::default();
    request.encode_payload(&mut sink, passwords)?;
    if sink.unnamed {
        return Err(RestEncodeError::UnnamedContainer(op.name.to_string()));
    }
    let mut path_values: Vec<(&str, String)> = Vec::new();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut body = JsonObject::default();
    for item in &sink.items {
        let Item::Property {
            container,
            name,
            text,
        } = item;
        let path = match container {
            Some(c) => format!("{c}.{name}"),
            None => name.clone(),
        };
        if let Some((_, implied)) = op.implies.iter().find(|(p, _)| *p == path) {
            if !same_value(cx, &path, text, implied) {
                return Err(RestEncodeError::ImpliedOtherwise {
                    operation: op.name.to_string(),
                    property: path,
                    implied: implied.to_string(),
                    given: text.clone(),
                });
            }
            continue;
        }
        // Properties the spec does not know (a hand-set extra) go as they are.
        let known = cx.family.property(&path).is_some();
        if known && !op.carries(&path) {
            let others: Vec<&str> = cx
                .rest
                .carrying(op.shape)
                .filter(|o| o.carries(&path))
                .map(|o| o.name)
                .collect();
            return Err(RestEncodeError::NotCarried {
                operation: op.name.to_string(),
                property: path,
                others: (!others.is_empty()).then(|| others.join(", ")),
            });
        }
        if container.is_none()
            && let Some(p) = op.route.path_properties().find(|p| *p == name)
        {
            path_values.push((p, text.clone()));
            continue;
        }
        let form = cx.rest.form(op.family, &path);
        if !op.route.method.has_body() || op.query.contains(&path.as_str()) {
            let value = match form {
                JsonForm::BracketList => format!("[{text}]"),
                JsonForm::Native | JsonForm::Array => text.clone(),
            };
            query.push((path, value));
        } else {
            let json = json_value(cx, &path, text, form);
            body.insert(container.as_deref(), name, json);
        }
    }
    let (offset, limit) = paging;
    if let Some(o) = offset {
        query.push((cx.rest.offset_parameter.to_string(), o.to_string()));
    }
    if let Some(l) = limit {
        query.push((cx.rest.limit_parameter.to_string(), l.to_string()));
    }
    let mut path = String::new();
    for s in op.route.path {
        path.push('/');
        match s {
            Segment::Literal(l) => path.push_str(l),
            Segment::Property(p) => {
                let Some((_, v)) = path_values.iter().find(|(q, _)| q == p) else {
                    return Err(RestEncodeError::MissingPathValue {
                        operation: op.name.to_string(),
                        property: (*p).to_string(),
                        template: op.route.template(),
                    });
                };
                percent_encode_segment(&mut path, v);
            }
        }
    }
    if op.route.trailing_slash || path.is_empty() {
        path.push('/');
    }
    let body = op.route.method.has_body().then(|| body.finish());
    Ok(RestRequest {
        method: op.route.method,
        path,
        query,
        body,
    })
}

/// Whether `given` and `implied` are the same value of the property at `path` (Booleans in
/// any case).
fn same_value(cx: EncodeContext<'_>, path: &str, given: &str, implied: &str) -> bool {
    match cx.family.property(path).map(|p| p.kind) {
        Some(ValueKind::Boolean) => given.eq_ignore_ascii_case(implied),
        _ => given == implied,
    }
}

/// The JSON text of a value: Booleans and whole numbers as JSON's own, the rest as strings;
/// `array` wraps it in a one-element array.
fn json_value(cx: EncodeContext<'_>, path: &str, text: &str, form: JsonForm) -> String {
    let kind = cx.family.property(path).map(|p| p.kind);
    let scalar = match kind {
        Some(ValueKind::Boolean) if text == cx.boolean_words.0 => "true".to_string(),
        Some(ValueKind::Boolean) if text == cx.boolean_words.1 => "false".to_string(),
        Some(ValueKind::Integer { .. }) if text.parse::<i64>().is_ok() => text.to_string(),
        Some(ValueKind::List) => list_json(text),
        _ => json_string(text),
    };
    match form {
        JsonForm::Array => format!("[{scalar}]"),
        JsonForm::BracketList => json_string(&format!("[{text}]")),
        JsonForm::Native => scalar,
    }
}

/// A comma list as an array of strings (as the generated types' JSON has it).
fn list_json(text: &str) -> String {
    let items: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(json_string)
        .collect();
    format!("[{}]", items.join(","))
}

/// `text` as a JSON string.
pub(crate) fn json_string(text: &str) -> String {
    // serde_json's escaper: one rule for every JSON string this crate writes.
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// A JSON object being built: top-level members, then one nested object per container, in
/// the order the shape wrote them.
#[derive(Default)]
struct JsonObject {
    top: Vec<(String, String)>,
    containers: Vec<(String, Vec<(String, String)>)>,
}

impl JsonObject {
    fn insert(&mut self, container: Option<&str>, name: &str, json: String) {
        match container {
            None => self.top.push((name.to_string(), json)),
            Some(c) => match self.containers.iter_mut().find(|(n, _)| n == c) {
                Some((_, members)) => members.push((name.to_string(), json)),
                None => self
                    .containers
                    .push((c.to_string(), vec![(name.to_string(), json)])),
            },
        }
    }

    fn finish(self) -> String {
        let mut out = String::from("{");
        let mut first = true;
        let mut member = |out: &mut String, name: &str, json: &str| {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&json_string(name));
            out.push(':');
            out.push_str(json);
        };
        for (name, json) in &self.top {
            member(&mut out, name, json);
        }
        for (c, members) in &self.containers {
            let mut inner = String::from("{");
            for (i, (name, json)) in members.iter().enumerate() {
                if i > 0 {
                    inner.push(',');
                }
                inner.push_str(&json_string(name));
                inner.push(':');
                inner.push_str(json);
            }
            inner.push('}');
            member(&mut out, c, &inner);
        }
        out.push('}');
        out
    }
}

/// Appends `value` to a path as one segment: unreserved characters as they are, every other
/// byte as `%XX` (a `+` too, so that no server reads it as a space).
pub(crate) fn percent_encode_segment(out: &mut String, value: &str) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}
