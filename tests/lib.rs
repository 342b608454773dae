//! Workspace-level tests live in `tests/tests/`; this library holds what they share.
//!
//! The seed documents are read from `../shared/seeds/` (beside the workspace) at test time,
//! so their text is never copied into this repository.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The text of a seed document, e.g. `akixi-application-users.txt`.
pub fn seed(name: &str) -> String {
    let path = workspace().join("../shared/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the seed {}: {e} (is ../shared beside the project?)",
            path.display()
        )
    })
}

/// Every `<Request …>…</Request>` and `<Response …>…</Response>` document in `text`, in order.
pub fn xml_examples(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let req = rest.find("<Request ");
        let resp = rest.find("<Response ");
        let (start, close) = match (req, resp) {
            (Some(a), Some(b)) if a < b => (a, "</Request>"),
            (Some(a), None) => (a, "</Request>"),
            (_, Some(b)) => (b, "</Response>"),
            (None, None) => break,
        };
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        let end = start + len + close.len();
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The example whose root names `operation` (`<Request Operation="UserAdd">`) or, for
/// responses, whose `InvokeID` is `invoke_id`.
pub fn request_example(examples: &[String], operation: &str) -> String {
    let needle = format!("<Request Operation=\"{operation}\">");
    examples
        .iter()
        .find(|e| e.starts_with(&needle))
        .cloned()
        .unwrap_or_else(|| panic!("no {operation} request in the seed"))
}

/// The response example echoing `invoke_id`.
pub fn response_example(examples: &[String], invoke_id: &str) -> String {
    let needle = format!("<InvokeID>{invoke_id}</InvokeID>");
    examples
        .iter()
        .find(|e| e.starts_with("<Response") && e.contains(&needle))
        .cloned()
        .unwrap_or_else(|| panic!("no response with InvokeID {invoke_id} in the seed"))
}

/// A canonical form of an XML document for comparison: one line per element start, end or
/// text; comments, processing instructions and whitespace between elements dropped; text
/// trimmed with internal whitespace runs folded (and none kept around commas, since the
/// documentation breaks comma lists across lines); attributes sorted; `Name` attributes that
/// are documented aliases (`aliases`: alias → name) replaced by the canonical name.
pub fn canonical_xml(xml: &str, aliases: &[(String, String)]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = e.name().as_ref().to_string();
                let mut attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let k = a.key.as_ref().to_string();
                        let mut v = a.value.as_ref().to_string();
                        if k == "Name"
                            && let Some((_, canon)) = aliases.iter().find(|(alias, _)| *alias == v)
                        {
                            v = canon.clone();
                        }
                        format!("{k}={v:?}")
                    })
                    .collect();
                attrs.sort();
                out.push(format!("<{name} {}>", attrs.join(" ")));
            }
            Ok(Event::End(e)) => out.push(format!("</{}>", e.name().as_ref())),
            Ok(Event::Text(t)) => {
                let raw: &str = &t;
                let folded = raw
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace(", ", ",")
                    .replace(" ,", ",");
                if !folded.is_empty() {
                    out.push(format!("text {folded:?}"));
                }
            }
            Ok(Event::GeneralRef(r)) => out.push(format!("ref {:?}", &*r)),
            Ok(Event::CData(c)) => out.push(format!("text {:?}", c.trim())),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not XML: {e}"),
        }
    }
    out
}

/// A caller that answers each operation with the response document `answer` gives for its name,
/// decoded into the operation's response type: the calls by name without a server.
pub struct Canned<F: Fn(&str) -> String + Sync>(pub F);

impl<F: Fn(&str) -> String + Sync> akixi_client::akixi::Caller for Canned<F> {
    type Platform = akixi_client::akixi::Platform;
    type Unsupported = akixi_client::akixi::Unsupported;
    type Error = String;
    fn call<O>(
        &self,
        _op: O,
    ) -> impl std::future::Future<Output = Result<O::Response, String>> + Send
    where
        O: akixi_client::runtime::akixi_ws::Operation
            + akixi_client::akixi::Validate
            + Send
            + Sync
            + 'static,
        O::Response: Send + Sync + 'static,
    {
        let xml = (self.0)(O::NAME);
        let decoded = akixi_client::akixi_ws::decode_response::<O::Response>(
            xml.as_bytes(),
            &akixi_client::akixi::BINDING,
        )
        .map(|d| d.data.unwrap_or_default())
        .map_err(|e| e.to_string());
        std::future::ready(decoded)
    }
}
