//! Answers: why a request is refused, the envelope a handler answers in, and what can still be
//! read from a request the codec refused.

use std::borrow::Cow;

use akixi_client::akixi::{self, ErrorCode};
use akixi_client::akixi_ws::{ResponseWriter, ResultKind};

/// Why a request is refused: the code (from the spec's `error-conditions`) and a message.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(super) code: ErrorCode,
    pub(super) message: Cow<'static, str>,
}

impl Failure {
    pub(super) fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

pub(super) type Outcome = Result<String, Failure>;

/// The envelope fields every handler needs.
pub(super) struct Ctx<'a> {
    pub(super) operation: &'a str,
    pub(super) invoke_id: &'a str,
    pub(super) session_id: Option<&'a str>,
    pub(super) offset: Option<u64>,
    pub(super) limit: Option<u64>,
}

pub(super) fn success(ctx: &Ctx<'_>) -> ResponseWriter {
    let mut w = ResponseWriter::new(ResultKind::Success, &akixi::BINDING);
    w.invoke_id(ctx.invoke_id);
    w
}

pub(super) fn failure(invoke_id: Option<&str>, f: &Failure) -> String {
    let mut w = ResponseWriter::new(ResultKind::Fail, &akixi::BINDING);
    if let Some(id) = invoke_id {
        w.invoke_id(id);
    }
    w.error(f.code.code(), Some(&f.message));
    w.finish()
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
/// protocol's envelope (not spec properties), as the codec reads them.
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
                if depth == 1 && start.name().as_ref() == "InvokeID" {
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
    root.name().as_ref() == "Request"
        && !root
            .attributes()
            .flatten()
            .any(|a| a.key.as_ref() == "Operation")
}
