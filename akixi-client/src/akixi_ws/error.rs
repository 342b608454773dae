//! Decoding errors: what was expected, where in the document, and the text around it.

use crate::value::ValueError;
use crate::xml_text::snippet;

/// A response (or request) that could not be decoded.
///
/// The message names what was expected, the path of the element in the document (for
/// example `/Response/Success/Container[2]/Property[@Name='LockOut']`), the byte offset and
/// a short snippet of the input around that offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct DecodeError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}; at {path} (byte {offset}), near `{snippet}`")]
struct Details {
    kind: DecodeErrorKind,
    path: String,
    offset: u64,
    snippet: String,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, path: String, input: &[u8], offset: u64) -> Self {
        Self(Box::new(Details {
            kind,
            path,
            offset,
            snippet: snippet(input, offset),
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// Where: an XPath-like path such as `/Response/Success/Container[2]/Property[@Name='X']`.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// The byte offset in the input.
    pub fn offset(&self) -> u64 {
        self.0.offset
    }

    /// About 60 characters of input around the offset, control characters escaped.
    pub fn snippet(&self) -> &str {
        &self.0.snippet
    }
}

/// The kinds of [`DecodeError`]; each message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input is not well-formed XML (or not UTF-8).
    #[error("expected well-formed XML: {detail}")]
    Syntax {
        /// The parser's description of the problem.
        detail: String,
    },
    /// The input ends before the document does.
    #[error("the document ends early: expected {expected}")]
    Truncated {
        /// What should have come next.
        expected: String,
    },
    /// The root element is not the expected one (an HTML error page, for instance).
    #[error("expected the root element <{expected}>, found {found}")]
    WrongRoot {
        /// The expected root element.
        expected: &'static str,
        /// What was found instead.
        found: String,
    },
    /// A required attribute is missing.
    #[error("<{element}> has no {attribute} attribute: expected {expected}")]
    MissingAttribute {
        /// The element.
        element: &'static str,
        /// The attribute.
        attribute: &'static str,
        /// What the attribute should hold.
        expected: &'static str,
    },
    /// The `Result` attribute holds a value that is not documented.
    #[error("unknown Result \"{found}\": expected Success, Fail or PartialFail")]
    UnknownResult {
        /// The value found.
        found: String,
    },
    /// Something other than what the structure allows at this point (bad nesting, stray text).
    #[error("expected {expected}, found {found}")]
    Unexpected {
        /// What the structure allows here.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// An element that holds only text (a property, `InvokeID`, …) contains an element.
    #[error("expected only text inside <{element}>, found a child element <{found}>")]
    ElementInText {
        /// The text-only element.
        element: String,
        /// The child element found.
        found: String,
    },
    /// A value that does not parse as its type.
    #[error("invalid value for {name}: {error}")]
    InvalidValue {
        /// The property or element name.
        name: String,
        /// The whole raw value.
        raw: String,
        /// The parser's error.
        error: ValueError,
    },
    /// A required property is absent (reported by generated code).
    #[error("expected property \"{name}\" in this element, found none")]
    MissingProperty {
        /// The property name.
        name: String,
    },
    /// An element that may appear once appears again.
    #[error("expected at most one <{element}>, found another")]
    Duplicate {
        /// The repeated element.
        element: String,
    },
    /// An entity reference other than the five predefined ones.
    #[error(
        "unknown entity \"&{name};\": expected &lt; &gt; &amp; &apos; &quot; or a character reference"
    )]
    UnknownEntity {
        /// The entity name.
        name: String,
    },
    /// A character reference that does not denote a Unicode scalar value.
    #[error(
        "invalid character reference \"&{reference};\": expected &#N; or &#xH; naming a Unicode scalar value"
    )]
    InvalidCharRef {
        /// The reference, without `&` and `;`.
        reference: String,
    },
    /// A DOCTYPE that declares entities; nothing is ever expanded from a DTD.
    #[error("expected no entity declarations, found a DOCTYPE declaring entities")]
    EntityDeclaration,
    /// Containers nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    #[error("expected containers nested at most {limit} deep, found deeper nesting")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_has_kind_path_offset_and_snippet() {
        let err = DecodeError::new(
            DecodeErrorKind::MissingProperty {
                name: "Username".into(),
            },
            "/Response/Success".into(),
            b"<Response><Success/></Response>",
            10,
        );
        assert_eq!(
            err.to_string(),
            "expected property \"Username\" in this element, found none; at /Response/Success \
             (byte 10), near `<Response><Success/></Response>`"
        );
    }
}
