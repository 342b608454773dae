//! Containers: a named group of a family's properties, as a struct of its own.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::codec::{self, Shape};
use super::fields::*;
use super::typed::{typed_container, unsupported_check};
use crate::codegen::names::type_name;
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::Family;

pub(super) fn container(g: &Gen<'_>, fam: &Family, name: &str) -> TokenStream {
    let rt = &g.rt;
    let ty = type_name(name);
    let fields: Vec<Field<'_>> = fam
        .properties
        .iter()
        .filter(|p| p.container.as_deref() == Some(name))
        .map(|p| Field::new(g, p))
        .collect();
    let desc = fam.container(name).map_or("", |c| c.description.as_str());
    let doc = doc_attrs(&format!("The `{name}` container. {desc}"));
    let idents: Vec<&Ident> = fields.iter().map(|f| &f.ident).collect();
    let tys: Vec<TokenStream> = fields.iter().map(|f| f.codec.rust_type(g)).collect();
    let docs: Vec<TokenStream> = fields.iter().map(Field::doc).collect();
    let serde_attrs: Vec<TokenStream> = fields.iter().map(|f| f.serde(g, true)).collect();
    let serde_derive = g.serde_derive(true);
    let serde_extra = g.serde_extra();
    let setters = fields.iter().map(|f| {
        let id = &f.ident;
        let (arg, conv) = f.codec.setter_arg(g);
        let d = f.doc();
        quote! { #d pub fn #id(mut self, value: #arg) -> Self { self.#id = Some(#conv); self } }
    });
    let checks = fields.iter().filter_map(|f| {
        let check = unsupported_check(g, f.prop)?;
        let id = &f.ident;
        let pname = &f.prop.name;
        Some(quote! {
            if self.#id.is_some() && #check {
                out.push(PropertyRef { container: Some(#name), name: #pname });
            }
        })
    });
    let set_arms = fields.iter().map(|f| {
        let id = &f.ident;
        let names = f.names();
        let parse = f.codec.parse_str(g);
        quote!(#names => Some(#parse.map(|v| self.#id = Some(v))),)
    });
    let typed = typed_container(g, &ty, &fields);
    // A container's fields are all its own: none is a container in turn.
    let layout = Layout {
        order: (0..fields.len()).map(Ok).collect(),
        top: fields.clone(),
        containers: Vec::new(),
    };
    let codec = codec::impls(
        g,
        &Shape {
            ty: &ty,
            layout: &layout,
            containers: &[],
            required: &|_| false,
            more_inits: TokenStream::new(),
        },
    );
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Default)]
        #serde_derive
        pub struct #ty {
            #(#docs #serde_attrs pub #idents: ::std::option::Option<#tys>,)*
            /// What the server sent that the spec does not know.
            #serde_extra
            pub extra: #rt::Extra,
        }

        impl #ty {
            /// An empty container.
            pub fn new() -> Self { Self::default() }
            #(#setters)*

            /// Adds the unsupported properties this container sets on `platform` to `out`.
            #[allow(unused_variables, clippy::ptr_arg)]
            pub fn unsupported_on(&self, platform: Platform, out: &mut ::std::vec::Vec<PropertyRef>) {
                #(#checks)*
            }

            /// Sets property `name` from its wire text; `None` if the container has no such property.
            #[allow(unused_variables)]
            pub fn set_wire(&mut self, name: &str, value: &str) -> ::std::option::Option<::std::result::Result<(), #rt::ValueError>> {
                match name {
                    #(#set_arms)*
                    _ => None,
                }
            }
        }

        #codec

        #typed
    }
}
