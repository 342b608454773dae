//! Values on the wire, for every protocol: [`WireValue`] (a value to and from its wire text),
//! what a bad value reports ([`ValueError`]), enumeration values the spec does not know
//! ([`UnknownValue`]), Boolean spellings, and setting a property by name ([`SetError`]).

use std::borrow::Cow;
use std::fmt;

use crate::xml_text::trim_xml;

/// A value that travels as the text of an element (a `<Property>`, a parameter's element).
///
/// Generated value types (booleans, enums, ranged numbers, comma lists) implement this;
/// the impls here cover the plain types they are built from.
pub trait WireValue: Sized {
    /// The text written on the wire, unescaped (the writer escapes it).
    fn to_wire(&self) -> Cow<'_, str>;

    /// Parses the wire text, already unescaped by the reader.
    fn from_wire(raw: &str) -> Result<Self, ValueError>;

    /// Writes the wire text to `out`. The default calls [`to_wire`](Self::to_wire); types
    /// that would allocate there (numbers) override it to format in place.
    fn write_wire<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        out.write_str(&self.to_wire())
    }
}

/// A property value that does not parse as its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected}, found \"{}\"", shorten(found))]
pub struct ValueError {
    expected: Cow<'static, str>,
    found: String,
}

impl ValueError {
    /// A value error: `expected` completes "expected …" (e.g. "an integer from 1 to 10"),
    /// `found` is the offending text.
    pub fn new(expected: impl Into<Cow<'static, str>>, found: impl Into<String>) -> Self {
        Self {
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// What the value should have been.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// The text that was found, in full.
    pub fn found(&self) -> &str {
        &self.found
    }
}

/// Shortens long offending text in messages; the full text stays in the error.
fn shorten(text: &str) -> Cow<'_, str> {
    const MAX_CHARS: usize = 60;
    match text.char_indices().nth(MAX_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

impl WireValue for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }

    /// Strings keep their text exactly: nothing is trimmed.
    fn from_wire(raw: &str) -> Result<Self, ValueError> {
        Ok(raw.to_owned())
    }
}

macro_rules! integer_wire_value {
    ($($ty:ty),*) => {$(
        impl WireValue for $ty {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }

            /// Leading and trailing whitespace is trimmed, as the docs say for supported values.
            fn from_wire(raw: &str) -> Result<Self, ValueError> {
                trim_xml(raw).parse().map_err(|_| {
                    ValueError::new(
                        format!("an integer from {} to {}", <$ty>::MIN, <$ty>::MAX),
                        raw,
                    )
                })
            }

            fn write_wire<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
                write!(out, "{self}")
            }
        }
    )*};
}

integer_wire_value!(u32, i32, u64, i64);

/// An enumeration value the spec does not know, kept exactly as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) String);

impl UnknownValue {
    /// Keep `raw` as an unknown value. Generated code calls this; prefer the enum's `From<&str>`.
    #[doc(hidden)]
    pub fn new(raw: &str) -> Self {
        UnknownValue(raw.to_string())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A strict parse met a value the spec does not list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {type_name}; known values: {}", known.join(", "))]
pub struct UnknownValueError {
    /// The type (`ReportingAccess`).
    pub type_name: &'static str,
    /// The value given.
    pub value: String,
    /// The values the spec lists.
    pub known: &'static [&'static str],
}

/// A property could not be set by name (see the generated `set_wire` methods).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// The operation takes no property of that name.
    #[error("{operation} takes no property `{property}`")]
    UnknownProperty {
        /// The operation.
        operation: &'static str,
        /// `Container.Name` or `Name`.
        property: String,
    },
    /// The text is not a value of the property's type.
    #[error("bad value for `{property}`: {error}")]
    BadValue {
        /// `Container.Name` or `Name`.
        property: String,
        /// Why.
        error: ValueError,
    },
    /// A required property is missing.
    #[error("`{property}` is required")]
    Missing {
        /// The property.
        property: String,
    },
    /// The property identifies the entity and is set when the request is made.
    #[error("`{property}` is set when the request is created")]
    Key {
        /// The property.
        property: String,
    },
}

/// Parses a Boolean in the spellings the spec lists (`spellings`: text and meaning).
pub fn parse_boolean(raw: &str, spellings: &[(&str, bool)]) -> Result<bool, ValueError> {
    let t = raw.trim();
    spellings
        .iter()
        .find(|(s, _)| *s == t)
        .map(|(_, v)| *v)
        .ok_or_else(|| ValueError::new(boolean_expected(spellings), raw))
}

fn boolean_expected(spellings: &[(&str, bool)]) -> String {
    let words: Vec<&str> = spellings.iter().map(|(s, _)| *s).collect();
    format!("a Boolean ({})", words.join(", "))
}

/// The items of a comma list, as generated list types read them: split at commas, trimmed,
/// blanks dropped.
pub fn list_items(raw: &str) -> impl Iterator<Item = &str> {
    // `split` on a single ASCII char already searches with memchr.
    raw.split(',')
        .map(trim_value)
        .filter(|item| !item.is_empty())
}

/// At most how many items [`list_items`] gives for `raw` (to size the list once).
pub fn list_len(raw: &str) -> usize {
    memchr::memchr_iter(b',', raw.as_bytes()).count() + 1
}

/// `str::trim`, without its Unicode scan when both ends are plainly not blank (what generated
/// enumerations and lists read values with).
#[inline]
pub fn trim_value(item: &str) -> &str {
    match (item.as_bytes().first(), item.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => item,
        _ => item.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_trim_and_name_their_range() {
        assert_eq!(u32::from_wire(" 42\n"), Ok(42));
        assert_eq!(i32::from_wire("-1"), Ok(-1));
        assert_eq!(i64::from_wire("\t-9000000000 "), Ok(-9_000_000_000));
        let err = u32::from_wire("-1").unwrap_err();
        assert_eq!(err.expected(), "an integer from 0 to 4294967295");
        assert_eq!(err.found(), "-1");
        assert_eq!(
            err.to_string(),
            "expected an integer from 0 to 4294967295, found \"-1\""
        );
        let err = i32::from_wire("x").unwrap_err();
        assert_eq!(err.expected(), "an integer from -2147483648 to 2147483647");
        assert!(u64::from_wire("").is_err());
    }

    #[test]
    fn strings_are_kept_exactly() {
        assert_eq!(String::from_wire("  a b \n"), Ok("  a b \n".to_owned()));
        assert_eq!("x".to_owned().to_wire(), "x");
    }

    #[test]
    fn long_offending_text_is_shortened_in_the_message_only() {
        let long = "é".repeat(100);
        let err = ValueError::new("a short text", long.clone());
        assert_eq!(err.found(), long);
        assert!(err.to_string().ends_with("…\""));
    }

    #[test]
    fn write_wire_formats_numbers_in_place() {
        let mut out = String::new();
        7u64.write_wire(&mut out).unwrap();
        (-3i32).write_wire(&mut out).unwrap();
        "s".to_owned().write_wire(&mut out).unwrap();
        assert_eq!(out, "7-3s");
    }

    #[test]
    fn list_items_are_split_trim_and_filter() {
        for raw in [
            "",
            ",",
            "a",
            " a , b,,c ",
            "\u{a0}a\u{a0},b\u{2003}",
            "x|Read,Report|Read, ReportDataAPI",
            ",,a,",
        ] {
            let expected: Vec<&str> = raw
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            assert_eq!(list_items(raw).collect::<Vec<_>>(), expected, "{raw:?}");
            assert!(list_len(raw) >= expected.len());
        }
    }
}
