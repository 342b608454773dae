//! A small XML tree for EM documents (a few hundred bytes each): parsed with quick-xml,
//! written by hand, and the decoding error both directions report.
//!
//! The parser is hardened for input from strangers (the simulator reads requests before any
//! sign-in): nesting is bounded ([`MAX_DEPTH`]), and each element holds its name once, shared
//! with its children's paths, so memory grows with the input's length, not with the square
//! of its depth.

use std::rc::Rc;

use crate::xml_text::{MAX_DEPTH, bom_len, one_line, snippet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// An element: its name, attributes, text and child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) attributes: Vec<(String, String)>,
    /// The text directly inside the element (between its children), unescaped, untrimmed.
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
    /// Byte offset of the start tag, for error messages.
    pub(crate) offset: usize,
    /// Its name and its parent's place (for error messages): the one copy of the name.
    place: Rc<Place>,
}

/// An element's place in the document: a list from the element up to the root whose links are
/// shared, so a deep document costs one link per element.
#[derive(Debug, PartialEq, Eq)]
struct Place {
    name: Rc<str>,
    parent: Option<Rc<Place>>,
}

impl Place {
    /// `/response/failure/error`.
    fn path(&self) -> String {
        let mut names = vec![&*self.name];
        let mut at = self.parent.as_deref();
        while let Some(p) = at {
            names.push(&p.name);
            at = p.parent.as_deref();
        }
        names.iter().rev().fold(String::new(), |mut out, n| {
            out.push('/');
            out.push_str(n);
            out
        })
    }
}

impl Element {
    /// The element's name.
    pub(crate) fn name(&self) -> &str {
        &self.place.name
    }

    /// Where the element is: `/response/failure/error`.
    pub(crate) fn path(&self) -> String {
        self.place.path()
    }

    /// The first child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name() == name)
    }

    /// The children named `name`, in order.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name() == name)
    }

    /// The value of attribute `name`.
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The element's text without surrounding whitespace.
    pub(crate) fn trimmed_text(&self) -> &str {
        self.text.trim()
    }
}

/// A document that could not be read: what was expected, what was found, where (an
/// XPath-like path and a byte offset) and about 60 characters of input around that place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected}, found {found}; at {path} (byte {offset}), near `{snippet}`")]
pub struct DecodeError {
    expected: String,
    found: String,
    path: String,
    offset: usize,
    snippet: String,
}

impl DecodeError {
    pub(crate) fn new(
        expected: impl Into<String>,
        found: impl Into<String>,
        path: impl Into<String>,
        input: &[u8],
        offset: usize,
    ) -> Self {
        DecodeError {
            expected: expected.into(),
            found: found.into(),
            path: path.into(),
            offset,
            snippet: snippet(input, u64::try_from(offset).unwrap_or(u64::MAX)),
        }
    }

    /// At `element`, in `input`.
    pub(crate) fn at(
        element: &Element,
        input: &[u8],
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Self::new(expected, found, element.path(), input, element.offset)
    }

    /// What the document should have held.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// What it held instead.
    pub fn found(&self) -> &str {
        &self.found
    }

    /// Where: `/response/failure/error`, or `/` for the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The byte offset in the input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// About 60 characters of input around the offset, whitespace collapsed and control
    /// characters escaped.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }
}

/// Parses `input` as one XML document: its root element. Comments, processing
/// instructions and the XML declaration are skipped; entity declarations are refused.
pub(crate) fn parse(input: &[u8]) -> Result<Element, DecodeError> {
    let text = std::str::from_utf8(input).map_err(|e| {
        DecodeError::new(
            "UTF-8 text",
            "a byte that is not UTF-8",
            "/",
            input,
            e.valid_up_to(),
        )
    })?;
    let mut reader = Reader::from_str(text);
    let bom = bom_len(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut names = Names::default();
    let path_of = |stack: &[Element]| stack.last().map_or_else(|| "/".to_owned(), Element::path);
    loop {
        let offset = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(bom);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position())
                .map_or(offset, |at| at.saturating_add(bom));
            DecodeError::new("well-formed XML", e.to_string(), path_of(&stack), input, at)
        })?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() && stack.is_empty() => {
                let _ = start;
                return Err(DecodeError::new(
                    "the end of the document",
                    "a second root element",
                    "/",
                    input,
                    offset,
                ));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(DecodeError::new(
                        format!("at most {MAX_DEPTH} nested elements"),
                        "deeper nesting",
                        path_of(&stack),
                        input,
                        offset,
                    ));
                }
                let el = element(&start, &stack, &mut names, input, offset)?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let el = element(&start, &stack, &mut names, input, offset)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                // quick-xml checks that end tags match their start tags.
                if let Some(el) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content(), input, offset)?,
            Event::CData(t) => push_text(&mut stack, &t.xml10_content(), input, offset)?,
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r)
                        .and_then(|s| s.chars().next()),
                    Err(_) => None,
                };
                let Some(c) = c else {
                    return Err(DecodeError::new(
                        "a predefined entity or a character reference",
                        format!("&{};", &*r),
                        path_of(&stack),
                        input,
                        offset,
                    ));
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]), input, offset)?;
            }
            Event::DocType(d) if d.contains("<!ENTITY") => {
                return Err(DecodeError::new(
                    "a document without entity declarations",
                    "a DOCTYPE declaring entities",
                    "/",
                    input,
                    offset,
                ));
            }
            Event::DocType(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(DecodeError::new(
            format!("</{}>", open.name()),
            "the end of the input",
            open.path(),
            input,
            input.len(),
        ));
    }
    root.ok_or_else(|| {
        DecodeError::new(
            "an XML document",
            if input.iter().all(u8::is_ascii_whitespace) {
                "an empty body"
            } else {
                "no element"
            },
            "/",
            input,
            0,
        )
    })
}

/// The element names met so far, shared between elements of the same name (an answer repeats
/// a handful of names per entry). Bounded, so a document of ever new names costs a lookup in a
/// short list and then what it would cost without sharing.
#[derive(Default)]
struct Names(Vec<Rc<str>>);

impl Names {
    const MAX: usize = 32;

    fn get(&mut self, name: &str) -> Rc<str> {
        if let Some(known) = self.0.iter().find(|known| &***known == name) {
            return Rc::clone(known);
        }
        let name: Rc<str> = Rc::from(name);
        if self.0.len() < Self::MAX {
            self.0.push(Rc::clone(&name));
        }
        name
    }
}

fn element(
    start: &BytesStart<'_>,
    stack: &[Element],
    names: &mut Names,
    input: &[u8],
    offset: usize,
) -> Result<Element, DecodeError> {
    let place = Rc::new(Place {
        name: names.get(start.name().as_ref()),
        parent: stack.last().map(|p| Rc::clone(&p.place)),
    });
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let bad = |detail: String| {
            DecodeError::new(
                "well-formed attributes",
                detail,
                place.path(),
                input,
                offset,
            )
        };
        let attribute = attribute.map_err(|e| bad(e.to_string()))?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| bad(e.to_string()))?;
        attributes.push((attribute.key.as_ref().to_owned(), value.into_owned()));
    }
    Ok(Element {
        attributes,
        text: String::new(),
        children: Vec::new(),
        offset,
        place,
    })
}

fn push_text(
    stack: &mut [Element],
    text: &str,
    input: &[u8],
    offset: usize,
) -> Result<(), DecodeError> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(DecodeError::new(
            "an XML document",
            format!("text `{}`", one_line(text, 40)),
            "/",
            input,
            offset,
        )),
    }
}

/// Appends `text` to `out`, escaped for element content and attribute values.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    crate::xml_text::escape_attribute(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shared_up_to_a_bound() {
        let doc = parse(b"<a><b/><b/></a>").expect("well-formed");
        let (first, second) = (&doc.children[0], &doc.children[1]);
        assert!(Rc::ptr_eq(&first.place.name, &second.place.name));
        let mut names = Names::default();
        let many: Vec<String> = (0..Names::MAX + 8).map(|i| format!("n{i}")).collect();
        for name in &many {
            names.get(name);
        }
        assert_eq!(names.0.len(), Names::MAX);
        let late = many.last().expect("names");
        assert!(!Rc::ptr_eq(&names.get(late), &names.get(late)));
        assert_eq!(&*names.get(late), late.as_str());
    }

    #[test]
    fn offsets_count_a_byte_order_mark() {
        let second_root = |xml: &str| parse(xml.as_bytes()).expect_err("two roots").offset();
        assert_eq!(second_root("<a/><b/>"), 4);
        assert_eq!(second_root("\u{FEFF}<a/><b/>"), 7);
    }

    #[test]
    fn parses_a_tree_with_text_attributes_and_references() {
        let doc = br#"<?xml version="1.0"?><!-- c --><a x="1 &amp; 2"><b>t&lt;&#65;<![CDATA[<c>]]></b><e/></a>"#;
        let a = parse(doc).expect("parses");
        assert_eq!(a.name(), "a");
        assert_eq!(a.attribute("x"), Some("1 & 2"));
        let b = a.child("b").expect("b");
        assert_eq!(b.text, "t<A<c>");
        assert_eq!(b.path(), "/a/b");
        assert!(a.child("e").is_some());
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        let e = parse(b"").expect_err("empty");
        assert_eq!(e.found(), "an empty body");
        let e = parse(b"<a><b></a>").expect_err("mismatched");
        assert_eq!(e.expected(), "well-formed XML");
        assert_eq!(e.path(), "/a/b");
        let e = parse(b"<a>").expect_err("truncated");
        assert_eq!(e.expected(), "</a>");
        let e = parse(b"<a/><b/>").expect_err("two roots");
        assert_eq!(e.found(), "a second root element");
        let e = parse(b"\xff").expect_err("not utf-8");
        assert_eq!(e.expected(), "UTF-8 text");
        let e = parse(b"<a>&nope;</a>").expect_err("entity");
        assert_eq!(e.found(), "&nope;");
        let e = parse(b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").expect_err("doctype");
        assert!(e.to_string().contains("DOCTYPE"), "{e}");
        assert_eq!(one_line("a\n\n  b\u{1}", 10), "a b\\u{1}");
    }

    #[test]
    fn nesting_is_bounded_and_the_refusal_says_where() {
        let nested = |depth: usize| {
            let mut doc = "<e>".repeat(depth);
            doc.push_str(&"</e>".repeat(depth));
            doc
        };
        assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
        let e = parse(nested(MAX_DEPTH + 1).as_bytes()).expect_err("too deep");
        assert_eq!(e.expected(), format!("at most {MAX_DEPTH} nested elements"));
        assert_eq!(e.path(), "/e".repeat(MAX_DEPTH));
        // A megabyte of open tags is refused as soon as the bound is passed.
        let e = parse("<e>".repeat(350_000).as_bytes()).expect_err("too deep");
        assert!(e.offset() < 3 * (MAX_DEPTH + 1), "{e}");
    }
}
