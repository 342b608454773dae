//! Containers: a named group of a family's properties, as a struct of its own.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

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
    let encode = encode_fields(g, &fields, &|_| false);
    let decode_arms = fields.iter().map(|f| {
        let id = &f.ident;
        let names = f.names();
        let dec = f.codec.decode(g, &f.prop.name);
        quote!(#names => out.#id = Some(#dec),)
    });
    let set_arms = fields.iter().map(|f| {
        let id = &f.ident;
        let names = f.names();
        let parse = f.codec.parse_str(g);
        quote!(#names => Some(#parse.map(|v| self.#id = Some(v))),)
    });
    let typed = typed_container(g, &ty, &fields);
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #ty {
            #(#docs pub #idents: ::std::option::Option<#tys>,)*
            /// What the server sent that the spec does not know.
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

        impl #rt::EncodePayload for #ty {
            #[allow(unused_variables)]
            fn encode_payload<S: #rt::PayloadSink>(&self, out: &mut S, passwords: &dyn #rt::PasswordEncoder) -> ::std::result::Result<(), #rt::EncodeError> {
                #encode
                #rt::write_extra(&self.extra, out);
                Ok(())
            }
        }

        impl #rt::DecodePayload for #ty {
            fn decode(r: &mut #rt::PayloadReader<'_>) -> ::std::result::Result<Self, #rt::DecodeError> {
                let mut out = Self::default();
                while let Some(node) = r.next()? {
                    match node {
                        #rt::Node::Property { name, value } => match &*name {
                            #(#decode_arms)*
                            _ => out.extra.push_property(name, value),
                        },
                        #rt::Node::Container { name } => {
                            let items = r.read_extra()?;
                            out.extra.push_container(name.map(::std::borrow::Cow::into_owned), items);
                        }
                    }
                }
                Ok(out)
            }
        }

        #typed
    }
}
