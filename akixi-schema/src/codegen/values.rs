//! Value types: ranged integers, forward-compatible enumerations, comma lists, selectors, and
//! how each property type is written and read.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::type_name;
use super::run::{Gen, doc_attrs};
use crate::model::{OpKind, TypeKind, ValueType};

/// Every value type of the service, plus the Boolean spellings.
pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    out.extend(boolean_spellings(g));
    for t in &g.svc.types {
        out.extend(match &t.kind {
            TypeKind::Integer { min, max } => integer(g, t, *min, *max),
            TypeKind::Enum => enumeration(g, t, &enum_values(t)),
            TypeKind::Fields { operation } => {
                let values = field_values(g, operation);
                enumeration(g, t, &values)
            }
            TypeKind::List { item } => list(g, t, item),
            TypeKind::Selector { variant, of } => selector(g, t, variant, of),
            TypeKind::String | TypeKind::Boolean | TypeKind::Secret { .. } => TokenStream::new(),
        });
        out.extend(serde_impls(g, t));
    }
    out
}

/// `Serialize`/`Deserialize` of a value type, through the runtime's helpers for its kind (see
/// `akixi_client::json`); nothing without serde or for the types Rust already has.
fn serde_impls(g: &Gen<'_>, t: &ValueType) -> TokenStream {
    if !g.serde {
        return TokenStream::new();
    }
    let json = g.json();
    let name = type_name(&t.name);
    let (ser, de) = match &t.kind {
        TypeKind::Integer { .. } => (
            quote!(#json::serialize_integer(self.0, s)),
            quote!(#json::deserialize_integer(d)),
        ),
        TypeKind::Enum | TypeKind::Fields { .. } => (
            quote!(#json::serialize_text(self, s)),
            quote!(#json::deserialize_text(d)),
        ),
        TypeKind::List { .. } => (
            quote!(#json::serialize_list(self.0.iter().map(|v| ::std::borrow::Cow::Borrowed(v.as_str())), s)),
            quote!(#json::deserialize_list(d)),
        ),
        TypeKind::Selector { .. } => (
            quote!(#json::serialize_selector(self, s)),
            quote!(#json::deserialize_selector(d)),
        ),
        TypeKind::String | TypeKind::Boolean | TypeKind::Secret { .. } => {
            return TokenStream::new();
        }
    };
    quote! {
        impl ::akixi_client::runtime::serde::Serialize for #name {
            fn serialize<S: ::akixi_client::runtime::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                #ser
            }
        }
        impl<'de> ::akixi_client::runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::akixi_client::runtime::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #de
            }
        }
    }
}

fn boolean_spellings(g: &Gen<'_>) -> TokenStream {
    let sp = &g.svc.boolean_spellings;
    let texts = sp.iter().map(|s| &s.spelling);
    let vals = sp.iter().map(|s| s.value);
    let canonical = |v: bool| {
        sp.iter()
            .find(|s| s.value == v && s.canonical)
            .map_or(if v { "True" } else { "False" }, |s| s.spelling.as_str())
            .to_string()
    };
    let (t, f) = (canonical(true), canonical(false));
    quote! {
        /// Every accepted spelling of a Boolean, with its meaning.
        pub const BOOLEAN_SPELLINGS: &[(&str, bool)] = &[#((#texts, #vals)),*];
        /// How `true` is written.
        pub const BOOLEAN_TRUE: &str = #t;
        /// How `false` is written.
        pub const BOOLEAN_FALSE: &str = #f;
    }
}

fn integer(g: &Gen<'_>, t: &ValueType, min: i64, max: i64) -> TokenStream {
    let rt = &g.rt;
    let name = type_name(&t.name);
    let doc = doc_attrs(&format!("{}\n\nFrom {min} to {max}.", t.description));
    let expected = format!("a whole number from {min} to {max}");
    let from_i32 = (min <= i64::from(i32::MIN) && max >= i64::from(i32::MAX)).then(|| {
        quote! {
            impl ::std::convert::From<i32> for #name {
                fn from(v: i32) -> Self { #name(i64::from(v)) }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name(i64);

        impl #name {
            /// The smallest accepted value.
            pub const MIN: i64 = #min;
            /// The largest accepted value.
            pub const MAX: i64 = #max;

            /// `value`, if it is in range.
            pub fn new(value: i64) -> ::std::result::Result<Self, #rt::ValueError> {
                if (Self::MIN..=Self::MAX).contains(&value) {
                    Ok(#name(value))
                } else {
                    Err(#rt::ValueError::new(#expected, value.to_string()))
                }
            }

            /// The number.
            pub const fn get(self) -> i64 { self.0 }
        }

        #from_i32

        impl ::std::convert::TryFrom<i64> for #name {
            type Error = #rt::ValueError;
            fn try_from(v: i64) -> ::std::result::Result<Self, Self::Error> { Self::new(v) }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { ::std::fmt::Display::fmt(&self.0, f) }
        }

        impl #rt::WireValue for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> { ::std::borrow::Cow::Owned(self.0.to_string()) }
            fn from_wire(raw: &str) -> ::std::result::Result<Self, #rt::ValueError> {
                let v: i64 = raw.trim().parse().map_err(|_| #rt::ValueError::new(#expected, raw))?;
                Self::new(v).map_err(|_| #rt::ValueError::new(#expected, raw))
            }
            fn write_wire<W: ::std::fmt::Write>(&self, out: &mut W) -> ::std::fmt::Result {
                ::std::write!(out, "{}", self.0)
            }
        }
    }
}

/// (wire value, variant name, description, number)
type Value = (String, String, String, Option<i64>);

fn enum_values(t: &ValueType) -> Vec<Value> {
    t.values
        .iter()
        .map(|v| {
            (
                v.value.clone(),
                v.variant.clone(),
                v.description.clone(),
                v.number,
            )
        })
        .collect()
}

/// The properties a list operation can return, as the values of a `fields` type.
fn field_values(g: &Gen<'_>, operation: &str) -> Vec<Value> {
    let Some((fam, op)) = g.svc.operation(operation) else {
        return Vec::new();
    };
    if op.kind != OpKind::List {
        return Vec::new();
    }
    fam.outputs(operation)
        .filter(|(p, _)| p.container.is_none())
        .map(|(p, _)| (p.name.clone(), p.name.clone(), p.description.clone(), None))
        .collect()
}

fn enumeration(g: &Gen<'_>, t: &ValueType, values: &[Value]) -> TokenStream {
    let rt = &g.rt;
    let name = type_name(&t.name);
    let type_str = &t.name;
    let doc = doc_attrs(&format!(
        "{}\n\nForward compatible: a value this version does not know is kept in `Unknown` and written back \
         unchanged. Match with a wildcard arm; `From<&str>` never fails, `try_parse` refuses unknown values.",
        t.description
    ));
    let variants: Vec<_> = values.iter().map(|(_, v, _, _)| type_name(v)).collect();
    let wires: Vec<&String> = values.iter().map(|(w, ..)| w).collect();
    let docs: Vec<TokenStream> = values
        .iter()
        .map(|(w, _, d, _)| doc_attrs(&format!("`{w}`: {d}")))
        .collect();
    let mut lengths: Vec<usize> = values.iter().map(|(w, ..)| w.len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let by_len: Vec<TokenStream> = lengths
        .iter()
        .map(|len| {
            let arms = values
                .iter()
                .zip(&variants)
                .filter(|((w, ..), _)| w.len() == *len)
                .map(|((w, ..), v)| quote!(#w => Some(Self::#v),));
            quote!(#len => match t { #(#arms)* _ => None },)
        })
        .collect();
    let numbers = values.iter().any(|(.., n)| n.is_some()).then(|| {
        let arms = values
            .iter()
            .zip(&variants)
            .filter_map(|((.., n), v)| n.map(|n| quote!(Self::#v => Some(#n),)));
        quote! {
            /// The vendor's numeric value, where it gives one.
            pub fn number(&self) -> ::std::option::Option<i64> {
                match self { #(#arms)* _ => None }
            }
        }
    });
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#docs #variants,)*
            /// A value the spec does not list, kept exactly as received.
            Unknown(#rt::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists, as written on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(v) => v.as_str(),
                }
            }

            /// Parses a listed value; refuses values the spec does not list.
            pub fn try_parse(raw: &str) -> ::std::result::Result<Self, #rt::UnknownValueError> {
                match Self::from(raw) {
                    Self::Unknown(_) => Err(#rt::UnknownValueError {
                        type_name: #type_str,
                        value: raw.to_string(),
                        known: Self::VALUES,
                    }),
                    known => Ok(known),
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            #numbers
        }

        impl ::std::convert::From<&str> for #name {
            fn from(raw: &str) -> Self {
                let t = #rt::trim_value(raw);
                // Dispatch on length first: a long value list then costs a few comparisons
                // instead of one per value.
                let known = match t.len() {
                    #(#by_len)*
                    _ => None,
                };
                known.unwrap_or_else(|| Self::Unknown(#rt::UnknownValue::new(raw)))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> { Ok(Self::from(s)) }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }

        impl #rt::WireValue for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> { ::std::borrow::Cow::Borrowed(self.as_str()) }
            fn from_wire(raw: &str) -> ::std::result::Result<Self, #rt::ValueError> { Ok(Self::from(raw)) }
        }
    }
}

fn list(g: &Gen<'_>, t: &ValueType, item: &str) -> TokenStream {
    let rt = &g.rt;
    let name = type_name(&t.name);
    let doc = doc_attrs(&format!(
        "{}\n\nAn ordered set: written comma-separated in insertion order; values the spec does not \
         know are kept.",
        t.description
    ));
    let item_is_text = matches!(
        g.svc.ty(item).map(|t| &t.kind),
        None | Some(TypeKind::String)
    );
    let (item_ty, parse_item, item_str) = if item_is_text {
        (
            quote!(::std::string::String),
            quote!(tok.to_string()),
            quote!(v.as_str()),
        )
    } else {
        let it = type_name(item);
        (quote!(#it), quote!(#it::from(tok)), quote!(v.as_str()))
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct #name(::std::vec::Vec<#item_ty>);

        impl #name {
            /// An empty list.
            pub fn new() -> Self { Self::default() }

            /// Adds `value` at the end unless it is already there; says whether it was added.
            pub fn insert(&mut self, value: impl ::std::convert::Into<#item_ty>) -> bool {
                let value = value.into();
                if self.0.contains(&value) { return false; }
                self.0.push(value);
                true
            }

            /// The list with `value` added.
            pub fn with(mut self, value: impl ::std::convert::Into<#item_ty>) -> Self {
                self.insert(value);
                self
            }

            /// Whether `value` is in the list.
            pub fn contains(&self, value: &#item_ty) -> bool { self.0.contains(value) }

            /// The values, in order.
            pub fn iter(&self) -> ::std::slice::Iter<'_, #item_ty> { self.0.iter() }

            /// How many values.
            pub fn len(&self) -> usize { self.0.len() }

            /// Whether the list is empty.
            pub fn is_empty(&self) -> bool { self.0.is_empty() }
        }

        impl<T: ::std::convert::Into<#item_ty>> ::std::iter::FromIterator<T> for #name {
            fn from_iter<I: ::std::iter::IntoIterator<Item = T>>(iter: I) -> Self {
                let mut list = Self::new();
                for v in iter { list.insert(v); }
                list
            }
        }

        impl<'a> ::std::iter::IntoIterator for &'a #name {
            type Item = &'a #item_ty;
            type IntoIter = ::std::slice::Iter<'a, #item_ty>;
            fn into_iter(self) -> Self::IntoIter { self.0.iter() }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #rt::WireValue::write_wire(self, f)
            }
        }

        impl #rt::WireValue for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> { ::std::borrow::Cow::Owned(self.to_string()) }
            fn from_wire(raw: &str) -> ::std::result::Result<Self, #rt::ValueError> {
                // Tokens are trimmed: the documentation's own example breaks a list across lines.
                let mut items = ::std::vec::Vec::with_capacity(#rt::list_len(raw));
                for tok in #rt::list_items(raw) {
                    items.push(#parse_item);
                }
                Ok(#name(items))
            }
            // Straight to the writer: through `Display` every token would pass a `Formatter`.
            fn write_wire<W: ::std::fmt::Write>(&self, out: &mut W) -> ::std::fmt::Result {
                for (i, v) in self.0.iter().enumerate() {
                    if i > 0 { out.write_str(",")?; }
                    out.write_str(#item_str)?;
                }
                Ok(())
            }
        }
    }
}

fn selector(g: &Gen<'_>, t: &ValueType, variant: &str, of: &str) -> TokenStream {
    let rt = &g.rt;
    let name = type_name(&t.name);
    let fallback = type_name(variant);
    let doc = doc_attrs(&t.description);
    let keywords: Vec<_> = t.values.iter().map(|v| type_name(&v.variant)).collect();
    let wires: Vec<&String> = t.values.iter().map(|v| &v.value).collect();
    let docs: Vec<TokenStream> = t
        .values
        .iter()
        .map(|v| doc_attrs(&format!("`{}`: {}", v.value, v.description)))
        .collect();
    // The fallback holds text, or a generated value type (the loader allows string or integer).
    let text = matches!(g.svc.ty(of).map(|t| &t.kind), None | Some(TypeKind::String));
    let of_ty = if text {
        quote!(::std::string::String)
    } else {
        let t = type_name(of);
        quote!(#t)
    };
    let (of_parse, of_write, from_str) = match (!text).then_some(&of_ty) {
        Some(t) => (
            quote!(<#t as #rt::WireValue>::from_wire(raw)?),
            quote!(#rt::WireValue::to_wire(v)),
            TokenStream::new(),
        ),
        _ => (
            quote!(raw.to_string()),
            quote!(::std::borrow::Cow::Borrowed(v.as_str())),
            quote! {
                impl ::std::convert::From<&str> for #name {
                    fn from(raw: &str) -> Self {
                        match raw.trim() {
                            #(#wires => Self::#keywords,)*
                            _ => Self::#fallback(raw.to_string()),
                        }
                    }
                }
            },
        ),
    };
    let fallback_doc = format!("Any other value: a `{of}`.");
    let is_method = format_ident!("is_{}", super::names::field_name(variant).to_string());
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#docs #keywords,)*
            #[doc = #fallback_doc]
            #fallback(#of_ty),
        }

        impl #name {
            /// The keywords, as written on the wire.
            pub const KEYWORDS: &'static [&'static str] = &[#(#wires),*];

            /// Whether this is the fallback variant.
            pub fn #is_method(&self) -> bool { matches!(self, Self::#fallback(_)) }
        }

        #from_str

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&#rt::WireValue::to_wire(self))
            }
        }

        impl #rt::WireValue for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(Self::#keywords => ::std::borrow::Cow::Borrowed(#wires),)*
                    Self::#fallback(v) => #of_write,
                }
            }
            fn from_wire(raw: &str) -> ::std::result::Result<Self, #rt::ValueError> {
                Ok(match raw.trim() {
                    #(#wires => Self::#keywords,)*
                    _ => Self::#fallback(#of_parse),
                })
            }
        }
    }
}
