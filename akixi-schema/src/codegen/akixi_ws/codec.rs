//! The codec of a shape, written once for containers, requests and responses: `EncodePayload`
//! writes the fields and containers in table order and then what was kept in `extra`;
//! `DecodePayload` reads every property and container of a level, keeping the unknown ones.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{Field, Layout, encode_fields};
use crate::codegen::run::Gen;

/// A shape's fields and containers, and how the shape is built from what was read.
pub(super) struct Shape<'s, 'a> {
    pub(super) ty: &'s Ident,
    pub(super) layout: &'s Layout<'a>,
    /// `(field, type, wire name)` of each container, in layout order.
    pub(super) containers: &'s [(Ident, Ident, String)],
    /// Whether a field holds its value directly (a required request property) rather than in
    /// an `Option`.
    pub(super) required: &'s dyn Fn(&Field<'_>) -> bool,
    /// More fields to initialise when decoding (a paged request's `offset` and `limit`).
    pub(super) more_inits: TokenStream,
}

/// The local a field is read into; prefixed so that no property name can shadow the
/// generated code's own bindings.
pub(super) fn local(id: &Ident) -> Ident {
    format_ident!("field_{}", id.to_string().trim_start_matches("r#"))
}

/// `impl EncodePayload` and `impl DecodePayload` for the shape.
pub(super) fn impls(g: &Gen<'_>, s: &Shape<'_, '_>) -> TokenStream {
    let encode = encode_impl(g, s);
    let decode = decode_impl(g, s);
    quote! { #encode #decode }
}

fn encode_impl(g: &Gen<'_>, s: &Shape<'_, '_>) -> TokenStream {
    let rt = &g.rt;
    let ty = s.ty;
    let writes = s.layout.order.iter().map(|o| match o {
        Ok(i) => encode_fields(g, std::slice::from_ref(&s.layout.top[*i]), s.required),
        Err(c) => {
            let (id, _, name) = &s.containers[*c];
            quote! {
                if let Some(c) = &self.#id {
                    #rt::PayloadSink::begin_container(out, Some(#name));
                    #rt::EncodePayload::encode_payload(c, out, passwords)?;
                    #rt::PayloadSink::end_container(out);
                }
            }
        }
    });
    quote! {
        impl #rt::EncodePayload for #ty {
            #[allow(unused_variables)]
            fn encode_payload<S: #rt::PayloadSink>(&self, out: &mut S, passwords: &dyn #rt::PasswordEncoder) -> ::std::result::Result<(), #rt::EncodeError> {
                #(#writes)*
                #rt::write_extra(&self.extra, out);
                Ok(())
            }
        }
    }
}

fn decode_impl(g: &Gen<'_>, s: &Shape<'_, '_>) -> TokenStream {
    let rt = &g.rt;
    let ty = s.ty;
    let top = &s.layout.top;
    let lets = top.iter().map(|f| {
        let v = local(&f.ident);
        let t = f.codec.rust_type(g);
        quote!(let mut #v: ::std::option::Option<#t> = None;)
    });
    let container_lets = s.containers.iter().map(|(id, t, _)| {
        let v = local(id);
        quote!(let mut #v: ::std::option::Option<#t> = None;)
    });
    let arms = top.iter().map(|f| {
        let v = local(&f.ident);
        let names = f.names();
        let dec = f.codec.decode(g, &f.prop.name);
        quote!(#names => #v = Some(#dec),)
    });
    let container_arms = s.containers.iter().map(|(id, t, c)| {
        let v = local(id);
        quote!(Some(#c) => #v = Some(r.decode_container::<#t>()?),)
    });
    let inits = top.iter().map(|f| {
        let id = &f.ident;
        let v = local(id);
        let pname = &f.prop.name;
        if (s.required)(f) {
            quote!(#id: #v.ok_or_else(|| r.missing_property(#pname))?,)
        } else {
            quote!(#id: #v,)
        }
    });
    let container_inits = s.containers.iter().map(|(id, _, _)| {
        let v = local(id);
        quote!(#id: #v,)
    });
    let more = &s.more_inits;
    let keep_container = quote! {
        let items = r.read_extra()?;
        extra.push_container(name.map(::std::borrow::Cow::into_owned), items);
    };
    let on_container = if s.containers.is_empty() {
        keep_container
    } else {
        quote! {
            match name.as_deref() {
                #(#container_arms)*
                _ => { #keep_container }
            }
        }
    };
    quote! {
        impl #rt::DecodePayload for #ty {
            #[allow(unused_mut)]
            fn decode(r: &mut #rt::PayloadReader<'_>) -> ::std::result::Result<Self, #rt::DecodeError> {
                #(#lets)*
                #(#container_lets)*
                let mut extra = #rt::Extra::default();
                while let Some(node) = r.next()? {
                    match node {
                        #rt::Node::Property { name, value } => match &*name {
                            #(#arms)*
                            _ => extra.push_property(name, value),
                        },
                        #rt::Node::Container { name } => { #on_container }
                    }
                }
                Ok(#ty { #(#inits)* #(#container_inits)* #more extra })
            }
        }
    }
}
