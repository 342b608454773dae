//! The text of a payload, for both writers (the client's requests, a server's responses):
//! properties, containers (and how many are open), and the envelope's simple elements.

use std::fmt::Write as _;

use super::grammar;
use crate::value::WireValue;
use crate::xml_text::{escape_attribute, escape_text, escape_text_since};

/// `<element>text</element>`, the text escaped.
#[inline]
pub(crate) fn push_element(out: &mut String, element: &str, text: &str) {
    out.push('<');
    out.push_str(element);
    out.push('>');
    escape_text(out, text);
    out.push_str("</");
    out.push_str(element);
    out.push('>');
}

/// `<element>number</element>`.
#[inline]
pub(crate) fn push_number(out: &mut String, element: &str, number: u64) {
    // Writing to a String cannot fail.
    let _ = write!(out, "<{element}>{number}</{element}>");
}

/// `<Property Name="name">value</Property>`, both escaped.
#[inline]
pub(crate) fn push_property(out: &mut String, name: &str, value: &str) {
    open_property(out, name);
    escape_text(out, value);
    out.push_str(grammar::PROPERTY_CLOSE);
}

/// A property from a [`WireValue`], formatted in place (no intermediate string).
pub(crate) fn push_property_value<T: WireValue>(out: &mut String, name: &str, value: &T) {
    open_property(out, name);
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = value.write_wire(out);
    escape_text_since(out, start);
    out.push_str(grammar::PROPERTY_CLOSE);
}

#[inline]
fn open_property(out: &mut String, name: &str) {
    out.push_str(grammar::PROPERTY_OPEN);
    escape_attribute(out, name);
    out.push_str("\">");
}

/// The open containers of a payload. Every container closes with the same tag, so a count is
/// enough.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Containers(u32);

impl Containers {
    /// Opens `<Container Name="name">`, or an unnamed `<Container>` (a list entry) for `None`.
    #[inline]
    pub(crate) fn open(&mut self, out: &mut String, name: Option<&str>) {
        match name {
            Some(name) => {
                out.push_str(grammar::CONTAINER_OPEN);
                escape_attribute(out, name);
                out.push_str("\">");
            }
            None => out.push_str(grammar::CONTAINER_OPEN_UNNAMED),
        }
        self.0 += 1;
    }

    /// Closes the innermost open container, if there is one.
    #[inline]
    pub(crate) fn close(&mut self, out: &mut String) {
        debug_assert!(self.0 > 0, "end_container without a container");
        if self.0 > 0 {
            out.push_str(grammar::CONTAINER_CLOSE);
            self.0 -= 1;
        }
    }

    /// Closes every open container.
    #[inline]
    pub(crate) fn close_all(&mut self, out: &mut String) {
        for _ in 0..self.0 {
            out.push_str(grammar::CONTAINER_CLOSE);
        }
        self.0 = 0;
    }
}
