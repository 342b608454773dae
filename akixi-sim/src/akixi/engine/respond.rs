//! Answers: why a request is refused, the envelope a handler answers in, and what can still be
//! read from a request the codec refused.

use std::borrow::Cow;

use akixi_client::akixi_ws::{Extra, ResponseWriter, ResultKind, grammar};
use akixi_client::runtime::akixi_ws::Condition;

use crate::akixi::catalog::{Catalog, FamilyId};

/// Why a request is refused: the condition (whose code the spec's `error-conditions` give, for
/// the family it is about) and a message.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(super) condition: Condition,
    pub(super) family: Option<FamilyId>,
    pub(super) message: Cow<'static, str>,
}

impl Failure {
    /// The condition it answers.
    pub(crate) fn condition(&self) -> Condition {
        self.condition
    }

    /// Why.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// A condition that is the same for every family.
    pub(super) fn new(condition: Condition, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            condition,
            family: None,
            message: message.into(),
        }
    }

    /// A condition about an entity of `family` (its code may be the family's own).
    pub(super) fn of(
        condition: Condition,
        family: FamilyId,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            condition,
            family: Some(family),
            message: message.into(),
        }
    }
}

pub(super) type Outcome = Result<String, Failure>;

/// The envelope of the request being answered.
pub(super) struct Ctx<'a> {
    pub(super) operation: &'a str,
    pub(super) invoke_id: &'a str,
    pub(super) session_id: Option<&'a str>,
    pub(super) offset: Option<u64>,
    pub(super) limit: Option<u64>,
    pub(super) payload: Option<&'a Extra>,
    /// The caller's address, where the transport knows it.
    pub(super) peer: Option<std::net::IpAddr>,
}

pub(super) fn success(catalog: &Catalog, ctx: &Ctx<'_>) -> ResponseWriter {
    let mut w = ResponseWriter::new(ResultKind::Success, catalog.svc.binding);
    w.invoke_id(&xml_safe(ctx.invoke_id));
    w
}

pub(super) fn failure(catalog: &Catalog, invoke_id: Option<&str>, f: &Failure) -> String {
    let mut w = ResponseWriter::new(ResultKind::Fail, catalog.svc.binding);
    if let Some(id) = invoke_id {
        w.invoke_id(&xml_safe(id));
    }
    w.error(
        catalog.code(f.condition, f.family),
        Some(&xml_safe(&f.message)),
    );
    w.finish()
}

/// The first character of `text` that XML 1.0 cannot carry, even as a character reference
/// (C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF), with its
/// character index.
pub(super) fn xml_forbidden(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find(|(_, c)| is_xml_forbidden(*c))
}

fn is_xml_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// `text` with every character XML 1.0 cannot carry written as a visible escape (`\u{1b}`),
/// for what an answer echoes from a request (an InvokeID, a message quoting a value), so that
/// no answer is ill-formed.
pub(super) fn xml_safe(text: &str) -> Cow<'_, str> {
    if xml_forbidden(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_xml_forbidden(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What can still be read from a request the codec refused.
#[derive(Debug, Default)]
pub(super) struct Salvaged {
    pub(super) invoke_id: Option<String>,
    /// The root is `<Request>` but has no `Operation` attribute.
    pub(super) request_without_operation: bool,
}

/// Looks for the envelope's `InvokeID` in a request the codec refused, so that even a
/// failure for a malformed request can be matched to it. The element names are the
/// protocol's fixed envelope ([`grammar`]).
pub(super) fn salvage(body: &[u8]) -> Salvaged {
    use quick_xml::events::Event;
    let mut out = Salvaged::default();
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut depth = 0usize;
    let mut in_invoke_id = false;
    let mut text = String::new();
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(start) if depth == 0 => {
                out.request_without_operation = lacks_operation(&start);
                depth = 1;
            }
            Event::Empty(start) if depth == 0 => {
                out.request_without_operation = lacks_operation(&start);
                break;
            }
            Event::Start(start) => {
                if depth == 1 && start.name().as_ref() == grammar::INVOKE_ID {
                    in_invoke_id = true;
                }
                depth += 1;
            }
            Event::Text(t) if in_invoke_id => text.push_str(&t.xml10_content()),
            Event::End(_) => {
                if in_invoke_id {
                    let id = text.trim();
                    if !id.is_empty() {
                        out.invoke_id = Some(id.to_owned());
                    }
                    break;
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn lacks_operation(root: &quick_xml::events::BytesStart<'_>) -> bool {
    root.name().as_ref() == grammar::REQUEST
        && !root
            .attributes()
            .flatten()
            .any(|a| a.key.as_ref() == grammar::OPERATION)
}
