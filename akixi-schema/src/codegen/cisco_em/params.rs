//! The parameters of an action: their Rust types, how `cisco-em` writes each, and where.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::context::{Em, em_rt};
use crate::codegen::names::{field_name, type_name};
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{ElementValue, Family, Input, Operation, Property, TypeKind};

/// One parameter of one action.
pub(super) struct Param<'a> {
    pub(super) prop: &'a Property,
    pub(super) ident: Ident,
    pub(super) ty: TokenStream,
    pub(super) kind: ElementValue,
    pub(super) required: bool,
    /// The spec's default, as an expression of the field's type.
    pub(super) default: Option<TokenStream>,
    /// The `Element` path; `None` for the endpoint parameters.
    pub(super) path: Option<&'a str>,
}

impl Param<'_> {
    /// Rust type of the field.
    pub(super) fn field_type(&self) -> TokenStream {
        let ty = &self.ty;
        if self.required {
            quote!(#ty)
        } else {
            quote!(::std::option::Option<#ty>)
        }
    }

    pub(super) fn doc(&self) -> TokenStream {
        let p = self.prop;
        let mut text = format!("`{}`: {}", p.name, p.description);
        if let Some(d) = &p.default {
            text.push_str(&format!(" Default: `{d}`."));
        }
        if let Some(net) = &p.net_type {
            text.push_str(&format!(" (.NET `{net}`.)"));
        }
        if p.provenance.provisional {
            text.push_str(" (Provisional: inferred, not documented.)");
        }
        doc_attrs(&text)
    }

    /// The argument type of the constructor or setter, and how to turn `value` into `T`.
    pub(super) fn arg(&self, g: &Gen<'_>) -> (TokenStream, TokenStream) {
        let ty = &self.ty;
        match self.kind {
            ElementValue::Flag => (quote!(bool), quote!(value)),
            ElementValue::List => {
                let item = list_item(g, self.prop);
                (
                    quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>),
                    quote!(value.into_iter().collect::<#ty>()),
                )
            }
            _ => (quote!(impl ::std::convert::Into<#ty>), quote!(value.into())),
        }
    }
}

/// The Rust type of a list property's items.
fn list_item(g: &Gen<'_>, p: &Property) -> TokenStream {
    let item = match g.svc.ty(&p.ty).map(|t| &t.kind) {
        Some(TypeKind::List { item }) => item.as_str(),
        _ => "",
    };
    match g.svc.ty(item).map(|t| &t.kind) {
        None | Some(TypeKind::String) => quote!(::std::string::String),
        Some(_) => {
            let t = type_name(item);
            quote!(#t)
        }
    }
}

/// The parameters `op` takes, in table order.
pub(super) fn params<'a>(em: &Em<'_>, fam: &'a Family, op: &'a Operation) -> Vec<Param<'a>> {
    let g = em.g;
    let rt = &g.rt;
    let mut out = Vec::new();
    for (prop, input) in fam.inputs(&op.name) {
        // The loader refused types the protocol cannot write; an unknown one is text.
        let kind = match g.svc.ty(&prop.ty) {
            None => ElementValue::Text,
            Some(t) => match ElementValue::of(&t.kind) {
                Some(k) => k,
                None => continue,
            },
        };
        let ty = match kind {
            ElementValue::Text => quote!(::std::string::String),
            ElementValue::Secret => quote!(#rt::Secret),
            ElementValue::Flag => quote!(bool),
            ElementValue::List | ElementValue::Wire => {
                let t = type_name(&prop.ty);
                quote!(#t)
            }
        };
        let is_endpoint = em.b.is_endpoint_parameter(&prop.name);
        let default = prop
            .default
            .as_deref()
            .and_then(|d| default_value(g, prop, kind, d));
        out.push(Param {
            prop,
            ident: field_name(&prop.name),
            ty,
            kind,
            required: matches!(input, Input::Required | Input::Key),
            default,
            path: if is_endpoint {
                None
            } else {
                prop.element.as_deref()
            },
        });
    }
    out
}

/// The spec's `Default` as an expression of the field's type (the loader checked it).
fn default_value(g: &Gen<'_>, p: &Property, kind: ElementValue, raw: &str) -> Option<TokenStream> {
    match (kind, g.svc.ty(&p.ty).map(|t| &t.kind)) {
        (ElementValue::Text, _) => Some(quote!(::std::string::String::from(#raw))),
        (ElementValue::Flag, _) => {
            let s = g.svc.boolean_spellings.iter().find(|s| s.spelling == raw)?;
            let v = s.value;
            Some(quote!(#v))
        }
        (ElementValue::Wire, Some(TypeKind::Integer { .. })) => {
            // The generated integer's field is private to this module, which is ours.
            let n = raw.parse::<i64>().ok()?;
            let t = type_name(&p.ty);
            Some(quote!(#t(#n)))
        }
        (ElementValue::Wire, Some(TypeKind::Enum)) => {
            let t = type_name(&p.ty);
            Some(quote!(#t::from(#raw)))
        }
        _ => None,
    }
}

/// How generated code reaches a value of type `T`.
pub(super) enum Access {
    /// A place of type `T` borrowed from `self` (`self.app_id`).
    Place(TokenStream),
    /// A `&T` (`v` in a `match` arm).
    Ref(TokenStream),
    /// A temporary `T` (`self.timeout_or_default()`).
    Temp(TokenStream),
}

/// The `FieldValue` of a value.
pub(super) fn value_of(kind: ElementValue, access: Access) -> TokenStream {
    let em = em_rt();
    let rt = em_rt();
    let cow = quote!(::std::borrow::Cow);
    let text = |t: TokenStream| quote!(#em::FieldValue::Text(#t));
    match (kind, access) {
        (ElementValue::Flag, Access::Place(v) | Access::Temp(v)) => {
            quote!(#em::FieldValue::Flag(#v))
        }
        (ElementValue::Flag, Access::Ref(v)) => quote!(#em::FieldValue::Flag(*#v)),
        (ElementValue::List, Access::Place(v) | Access::Ref(v) | Access::Temp(v)) => quote! {
            #em::FieldValue::List(#v.iter().map(|item| #cow::Borrowed(item.as_str())).collect())
        },
        (ElementValue::Text, Access::Place(v) | Access::Ref(v)) => {
            text(quote!(#cow::Borrowed(#v.as_str())))
        }
        (ElementValue::Text, Access::Temp(v)) => text(quote!(#cow::Owned(#v))),
        (ElementValue::Secret, Access::Place(v) | Access::Ref(v)) => {
            text(quote!(#cow::Borrowed(#v.expose())))
        }
        (ElementValue::Secret, Access::Temp(v)) => {
            text(quote!(#cow::Owned(#v.expose().to_owned())))
        }
        (ElementValue::Wire, Access::Place(v)) => text(quote!(#rt::WireValue::to_wire(&#v))),
        (ElementValue::Wire, Access::Ref(v)) => text(quote!(#rt::WireValue::to_wire(#v))),
        (ElementValue::Wire, Access::Temp(v)) => {
            text(quote!(#cow::Owned(#rt::WireValue::to_wire(&#v).into_owned())))
        }
    }
}
