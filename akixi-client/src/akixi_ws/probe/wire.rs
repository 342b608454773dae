//! A response read as a plain element tree, so that the probe sees the names the service
//! used (the outcome element, the error code's and message's names) instead of the names the
//! spec's binding would make the codec look for.

use quick_xml::events::Event;

use crate::akixi_ws::grammar;

/// One element: its name, attributes, text and children.
#[derive(Debug, Clone, Default)]
pub(crate) struct Elem {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Elem>,
}

impl Elem {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The document `xml` as a tree; `None` when it is not well-formed (or deeper than the
/// codec's limit).
pub(crate) fn parse(xml: &[u8]) -> Option<Elem> {
    let text = std::str::from_utf8(xml).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Elem> = vec![Elem::default()];
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                if stack.len() > crate::akixi_ws::MAX_DEPTH + 4 {
                    return None;
                }
                stack.push(open(&e));
            }
            Event::Empty(e) => {
                let elem = open(&e);
                stack.last_mut()?.children.push(elem);
            }
            Event::End(_) => {
                let done = stack.pop()?;
                stack.last_mut()?.children.push(done);
            }
            Event::Text(t) => stack.last_mut()?.text.push_str(&t),
            Event::CData(t) => stack.last_mut()?.text.push_str(&t),
            Event::GeneralRef(r) => {
                let name = r.to_string();
                let resolved = match name.as_str() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    other => format!("&{other};"),
                };
                stack.last_mut()?.text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop()?;
    if !stack.is_empty() {
        return None;
    }
    root.children.pop()
}

fn open(e: &quick_xml::events::BytesStart<'_>) -> Elem {
    Elem {
        name: e.name().0.to_owned(),
        attrs: e
            .attributes()
            .flatten()
            .map(|a| (a.key.0.to_owned(), a.value.to_string()))
            .collect(),
        text: String::new(),
        children: Vec::new(),
    }
}

/// A response, as the probe reads it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answer {
    /// The `Result` attribute.
    pub(crate) result: String,
    /// The outcome element's name (the first child that is not `InvokeID`).
    pub(crate) element: Option<String>,
    /// The outcome element's children (the payload of a success).
    pub(crate) payload: Vec<Elem>,
    /// The numeric codes found inside a failure.
    pub(crate) codes: Vec<u32>,
    /// The name carrying a code (an element's, or a `Property`'s `Name`).
    pub(crate) code_name: Option<String>,
    /// The name carrying a message.
    pub(crate) message_name: Option<String>,
}

impl Answer {
    /// Whether the service answered `Success`.
    pub(crate) fn ok(&self) -> bool {
        self.result == "Success"
    }

    /// Whether the failure holds `code`.
    pub(crate) fn has_code(&self, code: u32) -> bool {
        !self.ok() && self.codes.contains(&code)
    }

    /// The entries of a list: the payload's unnamed containers.
    pub(crate) fn entries(&self) -> Vec<&Elem> {
        self.payload
            .iter()
            .filter(|e| e.name == grammar::CONTAINER && e.attr(grammar::NAME).is_none())
            .collect()
    }

    /// The top-level property named `name` of the payload.
    pub(crate) fn property(&self, name: &str) -> Option<&str> {
        property_of(&self.payload, name)
    }
}

/// The value of the property `name` among `items`.
pub(crate) fn property_of<'a>(items: &'a [Elem], name: &str) -> Option<&'a str> {
    items
        .iter()
        .find(|e| e.name == grammar::PROPERTY && e.attr(grammar::NAME) == Some(name))
        .map(|e| e.text.as_str())
}

/// The property paths among `items` (`Name`, `Container.Name`), in document order, once each.
pub(crate) fn property_paths(items: &[Elem]) -> Vec<String> {
    let mut out = Vec::new();
    collect_paths(items, "", &mut out);
    out
}

fn collect_paths(items: &[Elem], prefix: &str, out: &mut Vec<String>) {
    for e in items {
        if e.name == grammar::PROPERTY {
            if let Some(name) = e.attr(grammar::NAME) {
                let path = format!("{prefix}{name}");
                if !out.contains(&path) {
                    out.push(path);
                }
            }
        } else if e.name == grammar::CONTAINER {
            match e.attr(grammar::NAME) {
                Some(name) => collect_paths(&e.children, &format!("{prefix}{name}."), out),
                None => collect_paths(&e.children, prefix, out),
            }
        }
    }
}

/// Reads `root` as a `<Response>`.
pub(crate) fn answer(root: &Elem) -> Option<Answer> {
    if root.name != grammar::RESPONSE {
        return None;
    }
    let mut answer = Answer {
        result: root.attr(grammar::RESULT)?.to_owned(),
        ..Answer::default()
    };
    let outcome = root
        .children
        .iter()
        .find(|c| c.name != grammar::INVOKE_ID && c.name != grammar::SESSION_ID);
    if let Some(outcome) = outcome {
        answer.element = Some(outcome.name.clone());
        if answer.ok() {
            answer.payload = outcome.children.clone();
        } else {
            find_errors(outcome, &mut answer);
        }
    }
    Some(answer)
}

/// Codes and messages anywhere inside the failure element: a numeric text is a code, another
/// text a message; each is named by its element, or by the `Name` of its `Property`.
fn find_errors(elem: &Elem, answer: &mut Answer) {
    for child in &elem.children {
        if child.children.is_empty() {
            let name = if child.name == grammar::PROPERTY {
                child.attr(grammar::NAME).unwrap_or(&child.name)
            } else {
                &child.name
            };
            let text = child.text.trim();
            if let Ok(code) = text.parse::<u32>() {
                answer.codes.push(code);
                answer.code_name.get_or_insert_with(|| name.to_owned());
            } else if !text.is_empty() {
                answer.message_name.get_or_insert_with(|| name.to_owned());
            }
        } else {
            find_errors(child, answer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{answer, parse, property_paths};

    #[test]
    fn failures_are_read_whatever_their_names() {
        let xml = br#"<Response Result="Fail"><InvokeID>1</InvokeID><Failure><Error><Property Name="Code">10102</Property><Property Name="Text">no &amp; such</Property></Error></Failure></Response>"#;
        let a = parse(xml).and_then(|r| answer(&r)).expect("an answer");
        assert!(!a.ok() && a.has_code(10102));
        assert_eq!(a.element.as_deref(), Some("Failure"));
        assert_eq!(a.code_name.as_deref(), Some("Code"));
        assert_eq!(a.message_name.as_deref(), Some("Text"));
        assert!(parse(b"<Response Result=\"Fail\">").is_none());
    }

    #[test]
    fn payload_paths_and_entries() {
        let xml = br#"<Response Result="Success"><Success><Container><Property Name="A">1</Property><Container Name="Scope"><Property Name="B">2</Property></Container></Container><Container><Property Name="A">3</Property></Container></Success></Response>"#;
        let a = parse(xml).and_then(|r| answer(&r)).expect("an answer");
        assert_eq!(a.entries().len(), 2);
        assert_eq!(property_paths(&a.payload), vec!["A", "Scope.B"]);
    }
}
