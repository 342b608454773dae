//! serde for the generated types (feature `serde`): how each kind of value looks in JSON, and the
//! impls of the runtime types the generated structs hold.
//!
//! The shapes: field names are the wire names; ranged integers are JSON numbers (range checked on
//! the way in); enumerations are their wire strings (a value the spec does not list is kept);
//! comma lists are arrays of strings; selectors are `"All"`, `"None"` or a number (kept a string
//! when it is not a plain integer, such as `"0123"`); `extra` is a list of the items the spec does
//! not know. Secrets (passwords, certificates) are read but never written: the types holding
//! them implement `Deserialize` only, and generated fields holding them skip serialisation.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::akixi_ws::by_name::{Collect, Collectable, DynError, records};
use crate::akixi_ws::extra::{Extra, ExtraItem};
use crate::akixi_ws::payload::EncodePayload;
use crate::akixi_ws::read::List;
use crate::meta::Record;
use crate::secret::{Password, Secret};
use crate::value::{ValueError, WireValue};

fn invalid<E: de::Error>(e: ValueError) -> E {
    E::custom(e)
}

/// A ranged integer as a JSON number.
pub fn serialize_integer<S: Serializer>(value: i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(value)
}

/// A ranged integer from a JSON number, checked by the type's own parser (same range, same
/// message as on the wire).
pub fn deserialize_integer<'de, T: WireValue, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct Integer<T>(PhantomData<T>);
    impl<'de, T: WireValue> Visitor<'de> for Integer<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            T::from_wire(&v.to_string()).map_err(invalid)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            T::from_wire(&v.to_string()).map_err(invalid)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
            only_element::<A, IntegerOf<T>>(seq).map(|i| i.0)
        }
    }
    d.deserialize_any(Integer(PhantomData))
}

/// A ranged integer read as JSON's own, as one element of an array.
struct IntegerOf<T>(T);

impl<'de, T: WireValue> Deserialize<'de> for IntegerOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_integer(d).map(IntegerOf)
    }
}

/// A text value, as one element of an array.
struct TextOf<T>(T);

impl<'de, T: WireValue> Deserialize<'de> for TextOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_text(d).map(TextOf)
    }
}

/// The one element of a one-element array: the REST API writes some single values as `[-1]`
/// (the spec's `array` form). An empty or longer array is an error saying so.
fn only_element<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(mut seq: A) -> Result<T, A::Error> {
    let Some(first) = seq.next_element::<T>()? else {
        return Err(de::Error::invalid_length(0, &"one value"));
    };
    if seq.next_element::<de::IgnoredAny>()?.is_some() {
        return Err(de::Error::custom(
            "several values where the shape holds one (only a one-element array is read)",
        ));
    }
    Ok(first)
}

/// An enumeration (or any text value) as its wire string.
pub fn serialize_text<T: WireValue, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.to_wire())
}

/// An enumeration from its wire string; a value the spec does not list is kept.
pub fn deserialize_text<'de, T: WireValue, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct Text<T>(PhantomData<T>);
    impl<'de, T: WireValue> Visitor<'de> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            T::from_wire(v).map_err(invalid)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
            only_element::<A, TextOf<T>>(seq).map(|t| t.0)
        }
    }
    d.deserialize_any(Text(PhantomData))
}

/// A comma list as an array of its items' wire strings.
pub fn serialize_list<'a, S: Serializer>(
    items: impl ExactSizeIterator<Item = std::borrow::Cow<'a, str>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(&*item)?;
    }
    seq.end()
}

/// A comma list from an array of strings (or, as people write it, one comma-separated string).
pub fn deserialize_list<'de, T: WireValue, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct ListOf<T>(PhantomData<T>);
    impl<'de, T: WireValue> Visitor<'de> for ListOf<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            T::from_wire(v).map_err(invalid)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
            let mut joined = String::new();
            while let Some(item) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                if item.contains(',') {
                    return Err(de::Error::custom(format!(
                        "a list item cannot contain a comma: \"{item}\""
                    )));
                }
                if !joined.is_empty() {
                    joined.push(',');
                }
                joined.push_str(&item);
            }
            T::from_wire(&joined).map_err(invalid)
        }
    }
    d.deserialize_any(ListOf(PhantomData))
}

/// A selector: its keywords as strings, a plain integer as a number, any other text (leading
/// zeros) as a string, so that nothing is lost.
pub fn serialize_selector<T: WireValue, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let text = value.to_wire();
    match text.parse::<i64>() {
        Ok(n) if n.to_string() == text => s.serialize_i64(n),
        _ => s.serialize_str(&text),
    }
}

/// A selector from a string or a number.
pub fn deserialize_selector<'de, T: WireValue, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct Selector<T>(PhantomData<T>);
    impl<T: WireValue> Visitor<'_> for Selector<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a keyword or a number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            T::from_wire(v).map_err(invalid)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            T::from_wire(&v.to_string()).map_err(invalid)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            T::from_wire(&v.to_string()).map_err(invalid)
        }
    }
    d.deserialize_any(Selector(PhantomData))
}

/// A secret's text. Anything else is refused without repeating it: serde's own message
/// ("invalid type: integer `12345678`") would print a password given as a number.
struct SecretText;

const NOT_TEXT: &str = "a secret must be a string (the value is not shown)";

impl Visitor<'_> for SecretText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<String, E> {
        Err(E::custom(NOT_TEXT))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<String, E> {
        Err(E::custom(NOT_TEXT))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<String, E> {
        Err(E::custom(NOT_TEXT))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<String, E> {
        Err(E::custom(NOT_TEXT))
    }
}

macro_rules! deserialize_secret {
    ($($name:ident),*) => {$(
        /// Read from a JSON string. There is deliberately no `Serialize`: a secret is never written.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(SecretText).map($name::new)
            }
        }
    )*};
}

deserialize_secret!(Password, Secret);

/// One item of an [`Extra`] in JSON: `{"Property": name, "value": text}`,
/// `{"Container": name, "items": […]}`, or `{"Entry": […]}` for an unnamed container.
impl Serialize for ExtraItem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        match self {
            ExtraItem::Property { name, value } => {
                map.serialize_entry("Property", name)?;
                map.serialize_entry("value", value)?;
            }
            ExtraItem::Container {
                name: Some(name),
                items,
            } => {
                map.serialize_entry("Container", name)?;
                map.serialize_entry("items", items)?;
            }
            ExtraItem::Container { name: None, items } => {
                map.serialize_entry("Entry", items)?;
            }
        }
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraItemJson {
    #[serde(rename = "Property")]
    property: Option<String>,
    value: Option<String>,
    #[serde(rename = "Container")]
    container: Option<String>,
    items: Option<Extra>,
    #[serde(rename = "Entry")]
    entry: Option<Extra>,
}

impl<'de> Deserialize<'de> for ExtraItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = ExtraItemJson::deserialize(d)?;
        match j {
            ExtraItemJson {
                property: Some(name),
                value: Some(value),
                container: None,
                items: None,
                entry: None,
            } => Ok(ExtraItem::Property { name, value }),
            ExtraItemJson {
                property: None,
                value: None,
                container: Some(name),
                items: Some(items),
                entry: None,
            } => Ok(ExtraItem::Container {
                name: Some(name),
                items,
            }),
            ExtraItemJson {
                property: None,
                value: None,
                container: None,
                items: None,
                entry: Some(items),
            } => Ok(ExtraItem::Container { name: None, items }),
            _ => Err(de::Error::custom(
                "an extra item is {\"Property\", \"value\"}, {\"Container\", \"items\"} or {\"Entry\"}",
            )),
        }
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items())
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<ExtraItem>::deserialize(d).map(Extra::from_iter)
    }
}

/// A list response: `{"entries": […]}`, with `"extra"` when the server sent more.
impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("entries", &self.entries)?;
        if !self.extra.is_empty() {
            map.serialize_entry("extra", &self.extra)?;
        }
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>", deny_unknown_fields)]
struct ListJson<T> {
    #[serde(default = "Vec::new")]
    entries: Vec<T>,
    #[serde(default)]
    extra: Extra,
}

/// A list response from `{"entries": […]}`, or from a bare array of entries (the REST API's
/// lists).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListOrEntries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListOrEntries<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of entries or an object with `entries`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                // Never trust a peer's size hint for an allocation.
                let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(entry) = seq.next_element()? {
                    entries.push(entry);
                }
                Ok(List {
                    entries,
                    extra: Extra::default(),
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<List<T>, A::Error> {
                let j = ListJson::<T>::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(List {
                    entries: j.entries,
                    extra: j.extra,
                })
            }
        }
        d.deserialize_any(ListOrEntries(PhantomData))
    }
}

pub use serde_json::Value;

/// `T` (a request, a response, a list entry) from JSON in its typed shape, as records: the
/// `(wire name, text)` pairs of its first record (`Container.Name` inside containers).
pub fn fields_of<T>(json: &Value) -> Result<Record, DynError<std::convert::Infallible>>
where
    T: serde::de::DeserializeOwned + EncodePayload,
{
    // The error names where in the document it is (`Scope.TelSysID: …`).
    let data: T = serde_path_to_error::deserialize(json).map_err(|e| {
        let at = e.path().to_string();
        DynError::Json(format!("{at}: {}", e.into_inner()))
    })?;
    Ok(records(&data).into_iter().next().unwrap_or_default())
}

/// Collects a response as its records and its typed JSON: one JSON value per list entry for
/// an operation that lists, else one for the whole response.
#[derive(Debug, Clone, Copy, Default)]
pub struct CollectJson;

/// What [`CollectJson`] made of a response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collected {
    /// The records (see [`records`]).
    pub records: Vec<Record>,
    /// The typed JSON: one per list entry, or one for the whole response.
    pub json: Vec<Value>,
    /// For a list, what the server sent beside the entries that the spec does not know.
    pub extra: Option<Value>,
}

impl Collect for CollectJson {
    type Out = Collected;
    fn collect<T: Collectable>(&self, data: &T, list: bool) -> Collected {
        // Serialising generated types to a Value cannot fail: every map key is a string.
        let value = serde_json::to_value(data).unwrap_or(Value::Null);
        let (json, extra) = match value {
            Value::Object(mut map) if list => (
                match map.remove("entries") {
                    Some(Value::Array(entries)) => entries,
                    _ => Vec::new(),
                },
                map.remove("extra"),
            ),
            other => (vec![other], None),
        };
        Collected {
            records: records(data),
            json,
            extra,
        }
    }
}

/// `data` as JSON in its typed shape.
pub fn to_json<T: serde::Serialize>(data: &T) -> Result<Value, DynError<std::convert::Infallible>> {
    serde_json::to_value(data).map_err(|e| DynError::Json(e.to_string()))
}
