//! Responses: the data of a successful response, or of one list entry.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::codec::{self, Shape};
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
        let serde = f.serde(g, true);
        quote!(#d #serde pub #id: ::std::option::Option<#t>,)
    });
    let cont_fields = containers.iter().map(|(id, t, c)| {
        let d = format!(" The `{c}` container.");
        let serde = g.serde_field(c, &[], true, false);
        quote!(#[doc = #d] #serde pub #id: ::std::option::Option<#t>,)
    });
    let serde_derive = g.serde_derive(true);
    let serde_extra = g.serde_extra();
    let codec = codec::impls(
        g,
        &Shape {
            ty,
            layout: &l,
            containers: &containers,
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
            #(#fields)*
            #(#cont_fields)*
            /// What the server sent that the spec does not know.
            #serde_extra
            pub extra: #rt::Extra,
        }

        #codec
    }
}
