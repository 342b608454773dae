//! One property as a field of a generated shape: its Rust name and how `akixi-ws` codes its
//! value; and the layout of a shape's fields and containers in table order.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::names::{field_name, type_name};
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{Family, Operation, Property, SecretWire, TypeKind};

/// One property as a field of a generated struct.
#[derive(Clone)]
pub(super) struct Field<'a> {
    pub(super) prop: &'a Property,
    pub(super) ident: Ident,
    pub(super) codec: Codec,
}

impl<'a> Field<'a> {
    pub(super) fn new(g: &Gen<'_>, prop: &'a Property) -> Self {
        Field {
            prop,
            ident: field_name(&prop.name),
            codec: codec(g, &prop.ty),
        }
    }

    /// Wire names accepted when reading: the name and its aliases.
    pub(super) fn names(&self) -> TokenStream {
        let name = &self.prop.name;
        let aliases = &self.prop.aliases;
        quote!(#name #(| #aliases)*)
    }

    /// The field's serde attribute (see [`Gen::serde_field`]).
    pub(super) fn serde(&self, g: &Gen<'_>, optional: bool) -> TokenStream {
        let secret = matches!(self.codec, Codec::Password | Codec::Secret);
        g.serde_field(&self.prop.name, &self.prop.aliases, optional, secret)
    }

    pub(super) fn doc(&self) -> TokenStream {
        let p = self.prop;
        let mut text = format!("`{}`: {}", p.path(), p.description);
        if p.provenance.provisional {
            text.push_str(" (Provisional: inferred, not documented.)");
        }
        doc_attrs(&text)
    }
}

/// How a property's value is held and coded, decided by its type.
#[derive(Clone)]
pub(super) enum Codec {
    /// `String`, written as is.
    Text,
    /// `bool`, in the spec's spellings.
    Boolean,
    /// A generated type implementing `WireValue`.
    Wire(TokenStream),
    /// `Password`, protected by the password encoder.
    Password,
    /// `Secret`, written as is.
    Secret,
}

impl Codec {
    /// The Rust type of a field holding this value.
    pub fn rust_type(&self, g: &Gen<'_>) -> TokenStream {
        let rt = &g.rt;
        match self {
            Codec::Text => quote!(::std::string::String),
            Codec::Boolean => quote!(bool),
            Codec::Wire(t) => t.clone(),
            Codec::Password => quote!(#rt::Password),
            Codec::Secret => quote!(#rt::Secret),
        }
    }

    /// The argument type of a setter, and how to turn the argument into the field value.
    pub fn setter_arg(&self, g: &Gen<'_>) -> (TokenStream, TokenStream) {
        let ty = self.rust_type(g);
        match self {
            Codec::Boolean => (quote!(bool), quote!(value)),
            _ => (quote!(impl ::std::convert::Into<#ty>), quote!(value.into())),
        }
    }

    /// Statement writing `value` (an expression of type `&T`) as property `name` to `out`.
    pub fn encode(&self, g: &Gen<'_>, name: &str, value: TokenStream) -> TokenStream {
        let rt = &g.rt;
        match self {
            Codec::Text => quote!(#rt::PayloadSink::property(out, #name, #value);),
            Codec::Boolean => quote! {
                #rt::PayloadSink::property(out, #name, if *#value { BOOLEAN_TRUE } else { BOOLEAN_FALSE });
            },
            Codec::Wire(_) => quote!(#rt::PayloadSink::property_value(out, #name, #value);),
            Codec::Password => quote! {
                #rt::PayloadSink::property(out, #name, &passwords.encode_password(#value)?);
            },
            Codec::Secret => quote!(#rt::PayloadSink::property(out, #name, #value.expose());),
        }
    }

    /// Expression parsing `value` (a `Cow<str>`) read for property `name` with reader `r`.
    pub fn decode(&self, g: &Gen<'_>, name: &str) -> TokenStream {
        let rt = &g.rt;
        match self {
            Codec::Text => quote!(value.into_owned()),
            Codec::Boolean => quote! {
                #rt::parse_boolean(&value, BOOLEAN_SPELLINGS).map_err(|e| r.value_error(#name, &value, e))?
            },
            Codec::Wire(t) => quote!(r.parse::<#t>(#name, &value)?),
            Codec::Password => quote!(#rt::Password::new(value.into_owned())),
            Codec::Secret => quote!(#rt::Secret::new(value.into_owned())),
        }
    }

    /// Expression parsing `value: &str` to a `Result<T, ValueError>` (for set-by-name).
    pub fn parse_str(&self, g: &Gen<'_>) -> TokenStream {
        let rt = &g.rt;
        match self {
            Codec::Text => {
                quote!(::std::result::Result::<_, #rt::ValueError>::Ok(value.to_string()))
            }
            Codec::Boolean => quote!(#rt::parse_boolean(value, BOOLEAN_SPELLINGS)),
            Codec::Wire(t) => quote!(<#t as #rt::WireValue>::from_wire(value)),
            Codec::Password => {
                quote!(::std::result::Result::<_, #rt::ValueError>::Ok(#rt::Password::new(value)))
            }
            Codec::Secret => {
                quote!(::std::result::Result::<_, #rt::ValueError>::Ok(#rt::Secret::new(value)))
            }
        }
    }
}

/// The codec for a type name (text for a name the spec does not define).
pub(super) fn codec(g: &Gen<'_>, ty: &str) -> Codec {
    match g.svc.ty(ty).map(|t| &t.kind) {
        None | Some(TypeKind::String) => Codec::Text,
        Some(TypeKind::Boolean) => Codec::Boolean,
        Some(TypeKind::Secret {
            wire: SecretWire::Encrypted,
        }) => Codec::Password,
        Some(TypeKind::Secret {
            wire: SecretWire::Plain,
        }) => Codec::Secret,
        Some(_) => {
            let t = type_name(ty);
            Codec::Wire(quote!(#t))
        }
    }
}

/// The top-level fields and the containers (in table order) an operation takes or returns.
pub(super) struct Layout<'a> {
    pub(super) top: Vec<Field<'a>>,
    pub(super) containers: Vec<String>,
    /// Table order of writes: `Ok(index into top)` or `Err(container index)`.
    pub(super) order: Vec<Result<usize, usize>>,
}

pub(super) fn layout<'a>(
    g: &Gen<'_>,
    props: impl Iterator<Item = &'a Property>,
    fam: &'a Family,
) -> Layout<'a> {
    let mut l = Layout {
        top: Vec::new(),
        containers: Vec::new(),
        order: Vec::new(),
    };
    for p in props {
        match &p.container {
            Some(c) if fam.container(c).is_some() => {
                if !l.containers.contains(c) {
                    l.containers.push(c.clone());
                    l.order.push(Err(l.containers.len() - 1));
                }
            }
            _ => {
                l.top.push(Field::new(g, p));
                l.order.push(Ok(l.top.len() - 1));
            }
        }
    }
    l
}

/// Encode statements for `fields` (each `Option<T>` unless `required`), given as `self.<field>`.
pub(super) fn encode_fields(
    g: &Gen<'_>,
    fields: &[Field<'_>],
    required: &dyn Fn(&Field<'_>) -> bool,
) -> TokenStream {
    let stmts = fields.iter().map(|f| {
        let id = &f.ident;
        let name = &f.prop.name;
        if required(f) {
            let enc = f.codec.encode(g, name, quote!((&self.#id)));
            quote!(#enc)
        } else {
            let enc = f.codec.encode(g, name, quote!(v));
            quote!(if let Some(v) = &self.#id { #enc })
        }
    });
    quote!(#(#stmts)*)
}

pub(super) fn error_list(g: &Gen<'_>, op: &Operation) -> (Vec<u32>, Vec<TokenStream>) {
    let codes: Vec<u32> = op.errors.iter().map(|e| e.code).collect();
    let variants = op
        .errors
        .iter()
        .filter_map(|e| g.svc.error(e.code))
        .map(|e| {
            let v = match &e.name {
                Some(n) => type_name(n),
                None => format_ident!("Code{}", e.code),
            };
            quote!(ErrorCode::#v)
        })
        .collect();
    (codes, variants)
}

pub(super) fn response_type(op: &Operation) -> Ident {
    format_ident!("{}Response", op.name)
}

/// `conv` is written in terms of `value`; constructor arguments are named after their field.
pub(super) fn rename_value(conv: TokenStream, id: &Ident) -> TokenStream {
    conv.into_iter()
        .map(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) if i == "value" => {
                proc_macro2::TokenTree::Ident(id.clone())
            }
            other => other,
        })
        .collect()
}
