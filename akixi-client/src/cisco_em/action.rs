//! Actions and their documents: what generated action types implement, how their parameters
//! are written from the spec's `Element` paths, and how a server reads them back.

use std::borrow::Cow;
use std::fmt;

use super::binding::Binding;
use super::form::unescape_user_id;
use super::grammar;
use super::invalid::{InvalidAction, InvalidReason};
use super::response::{ActionOutput, Response, ResponseKind};
use super::xml::{self, DecodeError, Element};
use crate::meta::OpKind;
use crate::value::ValueError;

/// Whether an action changes state (`<request>`) or looks it up (`<query>`): from the spec's
/// `Kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// A state-changing request.
    Request,
    /// A look-up.
    Query,
}

impl ActionKind {
    /// The spec's kind of such an action.
    pub const fn op_kind(self) -> OpKind {
        match self {
            ActionKind::Request => OpKind::Request,
            ActionKind::Query => OpKind::Query,
        }
    }

    /// Whether sending it twice has the effect of sending it once (a query).
    pub const fn is_idempotent(self) -> bool {
        matches!(self, ActionKind::Query)
    }
}

/// One parameter of an action, ready to be written: its spec `Element` path and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The spec's property name (`Timeout`).
    pub property: &'static str,
    /// The spec's `Element` path: from the root when it starts with `/` (`/appInfo/appID`),
    /// else from the action's element (`exclusiveDuration/time`).
    pub path: &'static str,
    /// What to write.
    pub value: FieldValue<'a>,
    /// The action requires it.
    pub required: bool,
    /// The caller set it (rather than it taking the spec's default or nothing).
    pub given: bool,
    /// The value is the spec's default.
    pub at_default: bool,
}

/// The value of a [`Field`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// Nothing to write.
    Absent,
    /// One element holding the text.
    Text(Cow<'a, str>),
    /// One element per value.
    List(Vec<Cow<'a, str>>),
    /// An empty element, written only when true.
    Flag(bool),
}

/// The parameters that decide where an action goes (the spec's `url-parameter`,
/// `host-parameter` and `version-parameter`); see [`resolve_endpoint`](super::resolve_endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndpointParams<'a> {
    /// `Url`: used verbatim, and only when `call_manager_host` is missing or empty.
    pub url: Option<&'a str>,
    /// `CallManagerHost`: `[IP]:[Port]` of the publisher.
    pub call_manager_host: Option<&'a str>,
    /// `Version`, as its wire value, the spec's default applied (`Undefined`).
    pub version: &'a str,
}

/// An EM action: a generated type per row of the spec's `operations` table (`Login`,
/// `LogoutAll`, `QueryDevices`, …). Send one with [`Client::send`](super::client::Client::send) or the
/// generated per-action methods.
pub trait Action: Sized + fmt::Debug {
    /// The spec's name (`LogoutAll`).
    const NAME: &'static str;
    /// Request or query.
    const KIND: ActionKind;
    /// The action's element (`logoutAll`).
    const ELEMENT: &'static str;
    /// The service's wire details.
    const BINDING: &'static Binding;
    /// What a successful answer carries: `()` for requests, the results for queries.
    type Output: ActionOutput;

    /// The parameters that go in the document, in the spec's table order.
    fn fields(&self) -> Vec<Field<'_>>;

    /// The parameters that decide the endpoint.
    fn endpoint(&self) -> EndpointParams<'_>;

    /// Reads the action from a request document (a server's view; endpoint parameters are not
    /// on the wire and stay unset).
    fn from_document(doc: &RequestDocument) -> Result<Self, ReadError>;

    /// The request document (no XML declaration, no whitespace), or why it cannot be sent.
    fn to_xml(&self) -> Result<String, InvalidAction> {
        write_request(self)
    }

    /// The form-encoded request body (`xml=%3Crequest%3E…`).
    fn to_form_body(&self) -> Result<String, InvalidAction> {
        let xml = self.to_xml()?;
        Ok(super::form::encode_form_field(
            Self::BINDING.form_field,
            &xml,
        ))
    }
}

impl Binding {
    /// The root element of documents of `kind`.
    pub const fn root(&self, kind: ActionKind) -> &'static str {
        match kind {
            ActionKind::Request => self.request_root,
            ActionKind::Query => self.query_root,
        }
    }
}

/// Writes the request document of `action`: the root for its kind, the root-relative fields
/// (`appInfo`), then the action's element with the rest, each placed by its `Element` path.
pub fn write_request<A: Action>(action: &A) -> Result<String, InvalidAction> {
    let fields = action.fields();
    let invalid = |reason| InvalidAction {
        action: A::NAME,
        reason,
    };
    let skipped = choices(&fields).map_err(invalid)?;
    let mut top: Vec<Node<'_>> = Vec::new();
    let mut inside: Vec<Node<'_>> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if skipped.contains(&i) {
            continue;
        }
        let (nodes, path) = match f.path.strip_prefix('/') {
            Some(rest) => (&mut top, rest),
            None => (&mut inside, f.path),
        };
        let segments: Vec<&str> = path.split('/').collect();
        match &f.value {
            FieldValue::Absent | FieldValue::Flag(false) => {}
            FieldValue::Flag(true) => insert(nodes, &segments, None),
            FieldValue::Text(t) => insert(nodes, &segments, Some(t.as_ref())),
            FieldValue::List(items) => {
                if items.is_empty() && f.required {
                    return Err(invalid(InvalidReason::Empty {
                        property: f.property,
                    }));
                }
                for item in items {
                    insert(nodes, &segments, Some(item.as_ref()));
                }
            }
        }
    }
    top.push(Node {
        name: A::ELEMENT,
        text: None,
        children: inside,
    });
    let mut out = String::with_capacity(256);
    write_node(
        &mut out,
        &Node {
            name: A::BINDING.root(A::KIND),
            text: None,
            children: top,
        },
    );
    Ok(out)
}

/// The DTD's choices (`exclusiveDuration = (time | indefinite)`): a flag that is set and
/// shares its parent element with other fields is written alone. Returns the indices of the
/// fields left out, or the conflict when a sibling was set to other than its default.
fn choices(fields: &[Field<'_>]) -> Result<Vec<usize>, InvalidReason> {
    let parent = |path: &'static str| path.rfind('/').map(|i| &path[..i]);
    let mut skipped = Vec::new();
    for flag in fields.iter().filter(|f| f.value == FieldValue::Flag(true)) {
        let Some(group) = parent(flag.path).filter(|g| !g.is_empty()) else {
            continue;
        };
        for (i, other) in fields.iter().enumerate() {
            if std::ptr::eq(other, flag) || parent(other.path) != Some(group) {
                continue;
            }
            if other.given && !other.at_default && other.value != FieldValue::Absent {
                return Err(InvalidReason::Conflict {
                    flag: flag.property,
                    other: other.property,
                });
            }
            skipped.push(i);
        }
    }
    Ok(skipped)
}

/// An element being written: a leaf with text (or an empty element), or a group.
struct Node<'a> {
    name: &'a str,
    text: Option<&'a str>,
    children: Vec<Node<'a>>,
}

/// Places a leaf at `segments` (the parents are shared with earlier fields).
fn insert<'a>(nodes: &mut Vec<Node<'a>>, segments: &[&'a str], text: Option<&'a str>) {
    match segments {
        [] => {}
        [leaf] => nodes.push(Node {
            name: leaf,
            text,
            children: Vec::new(),
        }),
        [first, rest @ ..] => {
            let existing = nodes
                .iter()
                .rposition(|n| n.name == *first && n.text.is_none());
            let i = match existing {
                Some(i) => i,
                None => {
                    nodes.push(Node {
                        name: first,
                        text: None,
                        children: Vec::new(),
                    });
                    nodes.len() - 1
                }
            };
            insert(&mut nodes[i].children, rest, text);
        }
    }
}

fn write_node(out: &mut String, node: &Node<'_>) {
    out.push('<');
    out.push_str(node.name);
    match (node.text, node.children.is_empty()) {
        (None, true) => out.push_str("/>"),
        (text, _) => {
            out.push('>');
            if let Some(t) = text {
                xml::push_escaped(out, t);
            }
            for child in &node.children {
                write_node(out, child);
            }
            out.push_str("</");
            out.push_str(node.name);
            out.push('>');
        }
    }
}

/// A request document as a server reads it: the root (`request` or `query`), the
/// application's credentials and the action's element.
#[derive(Debug, Clone)]
pub struct RequestDocument {
    root: Element,
    kind: ActionKind,
    /// Index of the action's element among the root's children.
    action: usize,
}

impl RequestDocument {
    /// Parses a request document.
    pub fn parse(xml: &[u8], binding: &Binding) -> Result<Self, ReadError> {
        let root = xml::parse(xml).map_err(ReadError::Syntax)?;
        let kind = if root.name() == binding.request_root {
            ActionKind::Request
        } else if root.name() == binding.query_root {
            ActionKind::Query
        } else {
            return Err(ReadError::Syntax(DecodeError::at(
                &root,
                xml,
                format!("<{}> or <{}>", binding.request_root, binding.query_root),
                format!("<{}>", root.name()),
            )));
        };
        let mut actions = root
            .children
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name() != binding.app_info_element);
        let Some((action, _)) = actions.next() else {
            return Err(ReadError::Syntax(DecodeError::at(
                &root,
                xml,
                format!("an action element after <{}>", binding.app_info_element),
                "none",
            )));
        };
        if let Some((_, extra)) = actions.next() {
            return Err(ReadError::Syntax(DecodeError::at(
                extra,
                xml,
                "one action element",
                format!("a second one, <{}>", extra.name()),
            )));
        }
        Ok(RequestDocument { root, kind, action })
    }

    /// Parses the document in field `binding.form_field` of a form-encoded body.
    pub fn from_form_body(body: &[u8], binding: &Binding) -> Result<Self, ReadError> {
        let xml = super::form::decode_form_field(body, binding.form_field).ok_or(
            ReadError::NoFormField {
                field: binding.form_field,
            },
        )?;
        Self::parse(xml.as_bytes(), binding)
    }

    /// Request or query, from the root.
    pub fn kind(&self) -> ActionKind {
        self.kind
    }

    /// The name of the action's element (`logoutAll`).
    pub fn action_element(&self) -> &str {
        self.action_node().map_or("", |e| e.name())
    }

    fn action_node(&self) -> Option<&Element> {
        self.root.children.get(self.action)
    }

    /// The elements at `path` (a spec `Element` path), in order.
    fn at(&self, path: &str) -> Vec<&Element> {
        let (start, path) = match path.strip_prefix('/') {
            Some(rest) => (Some(&self.root), rest),
            None => (self.action_node(), path),
        };
        let Some(mut node) = start else {
            return Vec::new();
        };
        let segments: Vec<&str> = path.split('/').collect();
        let Some((leaf, parents)) = segments.split_last() else {
            return Vec::new();
        };
        for segment in parents {
            match node.child(segment) {
                Some(next) => node = next,
                None => return Vec::new(),
            }
        }
        node.children.iter().filter(|c| c.name() == *leaf).collect()
    }

    /// The trimmed text of the first element at `path`, if there is one. A user id
    /// (`userID`) is percent-decoded, as "How It Works" says requests carry it
    /// (`em%40cisco.com`); one without escapes is read as it is, so both spellings mean the
    /// same user.
    pub fn text(&self, path: &str) -> Option<String> {
        self.at(path).first().map(|e| Self::value(path, e))
    }

    /// The trimmed texts of every element at `path` (user ids decoded, as [`text`](Self::text)).
    pub fn texts(&self, path: &str) -> Vec<String> {
        self.at(path).iter().map(|e| Self::value(path, e)).collect()
    }

    fn value(path: &str, e: &Element) -> String {
        let text = e.trimmed_text();
        if path.rsplit('/').next() == Some(grammar::USER_ID) {
            unescape_user_id(text)
        } else {
            text.to_owned()
        }
    }

    /// Whether an element is at `path`.
    pub fn has(&self, path: &str) -> bool {
        !self.at(path).is_empty()
    }
}

/// A request document a server cannot act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The form-encoded body has no document field.
    #[error("the body has no `{field}` form field")]
    NoFormField {
        /// The field (`xml`).
        field: &'static str,
    },
    /// Not well-formed, or not shaped as a request document.
    #[error("cannot read the request document: {0}")]
    Syntax(DecodeError),
    /// The action's element names no action of its kind.
    #[error("no {kind:?} action has the element <{element}>")]
    UnknownAction {
        /// Request or query.
        kind: ActionKind,
        /// The element.
        element: String,
    },
    /// A required parameter is missing.
    #[error("{action}: `{property}` (at `{path}`) is missing")]
    Missing {
        /// The action.
        action: &'static str,
        /// The parameter.
        property: &'static str,
        /// Its element path.
        path: &'static str,
    },
    /// A parameter's text is not a value of its type.
    #[error("{action}: `{property}`: {error}")]
    BadValue {
        /// The action.
        action: &'static str,
        /// The parameter.
        property: &'static str,
        /// Why.
        error: ValueError,
    },
}

/// What a response element means, for messages: used by [`ActionOutput`] implementations.
pub(crate) fn describe(response: &Response) -> String {
    match response.kind() {
        ResponseKind::Success => "<success/>".to_owned(),
        kind => format!("<{}>", kind.element()),
    }
}
