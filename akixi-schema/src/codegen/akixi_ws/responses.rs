//! Responses: the data of a successful response, or of one list entry.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::*;
use crate::codegen::names::{field_name, type_name};
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{Family, OpKind, Operation, Property, Returned};

pub(super) fn response(g: &Gen<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let rt = &g.rt;
    let resp = response_type(op);
    let outputs: Vec<(&Property, Returned)> = fam.outputs(&op.name).collect();
    if op.kind == OpKind::List {
        let entry = format_ident!("{}Entry", op.name);
        let entry_doc = format!("One entry of a `{}` response.", op.name);
        let body = data_struct(g, fam, &entry, &entry_doc, outputs.iter().map(|(p, _)| *p));
        let doc = format!(
            " The data of a successful `{}` response: one [`{entry}`] per entry.",
            op.name
        );
        quote! {
            #body
            #[doc = #doc]
            pub type #resp = #rt::List<#entry>;
        }
    } else {
        let doc = format!("The data of a successful `{}` response.", op.name);
        data_struct(g, fam, &resp, &doc, outputs.iter().map(|(p, _)| *p))
    }
}

/// A response-side struct: every field optional, unknown data kept in `extra`.
fn data_struct<'a>(
    g: &Gen<'_>,
    fam: &'a Family,
    ty: &Ident,
    doc: &str,
    props: impl Iterator<Item = &'a Property>,
) -> TokenStream {
    let rt = &g.rt;
    let l = layout(g, props, fam);
    let doc = doc_attrs(doc);
    let containers: Vec<(Ident, Ident, String)> = l
        .containers
        .iter()
        .map(|c| (field_name(c), type_name(c), c.clone()))
        .collect();
    let fields = l.top.iter().map(|f| {
        let id = &f.ident;
        let t = f.codec.rust_type(g);
        let d = f.doc();
        quote!(#d pub #id: ::std::option::Option<#t>,)
    });
    let cont_fields = containers.iter().map(|(id, t, c)| {
        let d = format!(" The `{c}` container.");
        quote!(#[doc = #d] pub #id: ::std::option::Option<#t>,)
    });
    let encode_order = l.order.iter().map(|o| match o {
        Ok(i) => encode_fields(g, std::slice::from_ref(&l.top[*i]), &|_| false),
        Err(c) => {
            let (id, _, name) = &containers[*c];
            quote! {
                if let Some(c) = &self.#id {
                    #rt::PayloadSink::begin_container(out, Some(#name));
                    #rt::EncodePayload::encode_payload(c, out, passwords)?;
                    #rt::PayloadSink::end_container(out);
                }
            }
        }
    });
    let dec_arms = l.top.iter().map(|f| {
        let id = &f.ident;
        let names = f.names();
        let dec = f.codec.decode(g, &f.prop.name);
        quote!(#names => out.#id = Some(#dec),)
    });
    let dec_cont_arms = containers
        .iter()
        .map(|(id, t, c)| quote!(Some(#c) => out.#id = Some(r.decode_container::<#t>()?),));
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #ty {
            #(#fields)*
            #(#cont_fields)*
            /// What the server sent that the spec does not know.
            pub extra: #rt::Extra,
        }

        impl #rt::EncodePayload for #ty {
            #[allow(unused_variables)]
            fn encode_payload<S: #rt::PayloadSink>(&self, out: &mut S, passwords: &dyn #rt::PasswordEncoder) -> ::std::result::Result<(), #rt::EncodeError> {
                #(#encode_order)*
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
                            #(#dec_arms)*
                            _ => out.extra.push_property(name, value),
                        },
                        #rt::Node::Container { name } => match name.as_deref() {
                            #(#dec_cont_arms)*
                            _ => {
                                let items = r.read_extra()?;
                                out.extra.push_container(name.map(::std::borrow::Cow::into_owned), items);
                            }
                        },
                    }
                }
                Ok(out)
            }
        }
    }
}
