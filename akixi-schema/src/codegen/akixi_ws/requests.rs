//! Requests: one struct per operation, with its constructor, setters, validation, set-by-name,
//! the `Operation` impl and its codec.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::codec::{self, Shape, local};
use super::fields::*;
use super::typed::{typed_request, unsupported_check};
use crate::codegen::metadata::op_kind;
use crate::codegen::names::{field_name, type_name};
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{Family, Input, Operation, Property};

pub(super) fn request(g: &Gen<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let rt = &g.rt;
    let opname = &op.name;
    let family_name = &fam.name;
    let ty = format_ident!("{}Request", op.name);
    let resp = response_type(op);
    let inputs: Vec<(&Property, Input)> = fam.inputs(&op.name).collect();
    // Locals are prefixed so that no property name can shadow the generated code's own bindings.
    let l = layout(g, inputs.iter().map(|(p, _)| *p), fam);
    let input_of = |f: &Field<'_>| {
        inputs
            .iter()
            .find(|(p, _)| std::ptr::eq(*p, f.prop))
            .map_or(Input::Optional, |(_, i)| *i)
    };
    let is_required = |f: &Field<'_>| matches!(input_of(f), Input::Required | Input::Key);
    let (req, opt): (Vec<&Field<'_>>, Vec<&Field<'_>>) = l.top.iter().partition(|f| is_required(f));
    let containers: Vec<(Ident, Ident, String)> = l
        .containers
        .iter()
        .map(|c| (field_name(c), type_name(c), c.clone()))
        .collect();

    let req_names: Vec<String> = req.iter().map(|f| format!("`{}`", f.prop.name)).collect();
    let mut doc_text = format!("A `{opname}` request: {}", op.description);
    if !req_names.is_empty() {
        doc_text.push_str(&format!(
            "\n\nRequired, given to `new`: {}.",
            req_names.join(", ")
        ));
    }
    let keys: Vec<String> = req
        .iter()
        .filter(|f| input_of(f) == Input::Key)
        .map(|f| format!("`{}`", f.prop.name))
        .collect();
    if !keys.is_empty() {
        doc_text.push_str(&format!(
            " {} identif{} the entity and cannot be changed by this request.",
            keys.join(", "),
            if keys.len() == 1 { "ies" } else { "y" }
        ));
    }
    if op.provenance.provisional {
        doc_text.push_str("\n\nProvisional: the documentation does not show this operation's XML.");
    }
    let doc = doc_attrs(&doc_text);

    // Struct fields.
    let req_fields = req.iter().map(|f| {
        let id = &f.ident;
        let t = f.codec.rust_type(g);
        let serde = f.serde(g, false);
        quote!(#serde #id: #t,)
    });
    let opt_fields = opt.iter().map(|f| {
        let id = &f.ident;
        let t = f.codec.rust_type(g);
        let serde = f.serde(g, true);
        quote!(#serde #id: ::std::option::Option<#t>,)
    });
    let cont_fields = containers.iter().map(|(id, t, c)| {
        let serde = g.serde_field(c, &[], true, false);
        quote!(#serde #id: ::std::option::Option<#t>,)
    });
    let paging_fields = op.paged.then(|| {
        let (offset, limit) = (
            g.serde_field("Offset", &[], true, false),
            g.serde_field("Limit", &[], true, false),
        );
        quote!(#offset offset: ::std::option::Option<u64>, #limit limit: ::std::option::Option<u64>,)
    });
    let serde_derive = g.serde_derive(false);
    let serde_extra = g.serde_extra();

    // Constructor.
    let ctor_args = req.iter().map(|f| {
        let id = &f.ident;
        let (arg, _) = f.codec.setter_arg(g);
        quote!(#id: #arg)
    });
    let ctor_inits = req.iter().map(|f| {
        let id = &f.ident;
        let (_, conv) = f.codec.setter_arg(g);
        let conv = rename_value(conv, id);
        quote!(#id: #conv,)
    });
    let opt_inits: Vec<TokenStream> = opt
        .iter()
        .map(|f| {
            let id = &f.ident;
            quote!(#id: None,)
        })
        .collect();
    let cont_inits: Vec<TokenStream> = containers
        .iter()
        .map(|(id, _, _)| quote!(#id: None,))
        .collect();
    let paging_inits = op.paged.then(|| quote!(offset: None, limit: None,));

    // Setters and getters.
    let setters = opt.iter().map(|f| {
        let id = &f.ident;
        let (arg, conv) = f.codec.setter_arg(g);
        let d = f.doc();
        quote! { #d pub fn #id(mut self, value: #arg) -> Self { self.#id = Some(#conv); self } }
    });
    let cont_setters = containers.iter().map(|(id, t, c)| {
        let d = format!(" Sets the `{c}` container.");
        quote! { #[doc = #d] pub fn #id(mut self, value: #t) -> Self { self.#id = Some(value); self } }
    });
    let req_getters = req.iter().map(|f| {
        let id = &f.ident;
        let getter = format_ident!("get_{}", id.to_string().trim_start_matches("r#"));
        let t = f.codec.rust_type(g);
        let d = f.doc();
        quote! { #d pub fn #getter(&self) -> &#t { &self.#id } }
    });
    let opt_getters = opt.iter().map(|f| {
        let id = &f.ident;
        let getter = format_ident!("get_{}", id.to_string().trim_start_matches("r#"));
        let t = f.codec.rust_type(g);
        let d = f.doc();
        quote! { #d pub fn #getter(&self) -> ::std::option::Option<&#t> { self.#id.as_ref() } }
    });
    let cont_getters = containers.iter().map(|(id, t, c)| {
        let getter = format_ident!("get_{}", id.to_string().trim_start_matches("r#"));
        let d = format!(" The `{c}` container, if set.");
        quote! { #[doc = #d] pub fn #getter(&self) -> ::std::option::Option<&#t> { self.#id.as_ref() } }
    });
    let paging_methods = op.paged.then(|| {
        quote! {
            /// Entries to skip (`Offset`; the service assumes [`DEFAULT_OFFSET`] without it).
            pub fn offset(mut self, value: u64) -> Self { self.offset = Some(value); self }
            /// Entries to return (`Limit`; the service assumes [`DEFAULT_LIMIT`] without it).
            pub fn limit(mut self, value: u64) -> Self { self.limit = Some(value); self }
        }
    });

    // Validation.
    let checks = l.order.iter().filter_map(|o| match o {
        Ok(i) => {
            let f = &l.top[*i];
            let check = unsupported_check(g, f.prop)?;
            let id = &f.ident;
            let pname = &f.prop.name;
            let present = if is_required(f) { quote!(true) } else { quote!(self.#id.is_some()) };
            Some(quote! {
                if #present && #check {
                    properties.push(PropertyRef { container: None, name: #pname });
                }
            })
        }
        Err(c) => {
            let id = &containers[*c].0;
            Some(quote! { if let Some(c) = &self.#id { c.unsupported_on(platform, &mut properties); } })
        }
    });

    // Set by name: `apply_wire` checks, and assigns when given a target.
    let set_arms = l.top.iter().map(|f| {
        let id = &f.ident;
        let names = f.names();
        let parse = f.codec.parse_str(g);
        let assign = if input_of(f) == Input::Key {
            quote! { return Err(#rt::SetError::Key { property: property.to_string() }) }
        } else if is_required(f) {
            quote! { let v = #parse.map_err(bad)?; if let Some(t) = target { t.#id = v; } }
        } else {
            quote! { let v = #parse.map_err(bad)?; if let Some(t) = target { t.#id = Some(v); } }
        };
        quote!((None, #names) => { #assign; Ok(()) })
    });
    let set_cont_arms = containers.iter().map(|(id, t, c)| {
        quote! {
            (Some(#c), name) => match #t::default().set_wire(name, value) {
                Some(Ok(())) => {
                    if let Some(t) = target {
                        let _ = t.#id.get_or_insert_with(#t::default).set_wire(name, value);
                    }
                    Ok(())
                }
                Some(Err(e)) => Err(bad(e)),
                None => Err(unknown()),
            },
        }
    });

    // Build from fields by name (all problems at once).
    let from_required = req.iter().map(|f| {
        let id = &local(&f.ident);
        let names = f.names();
        let pname = &f.prop.name;
        let parse = f.codec.parse_str(g);
        quote! {
            let #id = match fields.iter().find(|(k, _)| matches!(k.as_ref(), #names)) {
                Some((_, value)) => { let value = value.as_ref(); match #parse { Ok(v) => Some(v), Err(error) => { errors.push(#rt::SetError::BadValue { property: #pname.to_string(), error }); None } } }
                None => { errors.push(#rt::SetError::Missing { property: #pname.to_string() }); None }
            };
        }
    });
    let req_names_match: Vec<TokenStream> = req.iter().map(|f| f.names()).collect();
    let is_required_name = if req_names_match.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(k, #(#req_names_match)|*))
    };
    let req_ids: Vec<&Ident> = req.iter().map(|f| &f.ident).collect();
    let req_locals: Vec<Ident> = req.iter().map(|f| local(&f.ident)).collect();

    // Codec.
    let more_inits = if op.paged {
        quote!(offset: None, limit: None,)
    } else {
        TokenStream::new()
    };
    let codec = codec::impls(
        g,
        &Shape {
            ty: &ty,
            layout: &l,
            containers: &containers,
            required: &|f| is_required(f),
            more_inits,
        },
    );

    let (codes, error_variants) = error_list(g, op);
    let kind = op_kind(g, op.kind);
    let paged = op.paged;
    let paging_impl = op.paged.then(|| {
        quote! {
            fn paging(&self) -> (::std::option::Option<u64>, ::std::option::Option<u64>) { (self.offset, self.limit) }
            fn set_paging(&mut self, offset: ::std::option::Option<u64>, limit: ::std::option::Option<u64>) {
                self.offset = offset;
                self.limit = limit;
            }
        }
    });

    let typed = typed_request(g, &ty, &req, &opt, &containers);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #serde_derive
        pub struct #ty {
            #(#req_fields)*
            #(#opt_fields)*
            #(#cont_fields)*
            #paging_fields
            #serde_extra
            extra: #rt::Extra,
        }

        impl #ty {
            /// A request with its required properties.
            pub fn new(#(#ctor_args),*) -> Self {
                #ty { #(#ctor_inits)* #(#opt_inits)* #(#cont_inits)* #paging_inits extra: #rt::Extra::default() }
            }
            #(#setters)*
            #(#cont_setters)*
            #paging_methods
            #(#req_getters)*
            #(#opt_getters)*
            #(#cont_getters)*

            /// Sends a property the spec does not know, as it is (for a newer server).
            pub fn extra_property(mut self, name: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.extra.push_property(name.into(), value.into());
                self
            }

            /// Properties the spec does not know: sent as they are, or kept when decoded.
            pub fn extra(&self) -> &#rt::Extra { &self.extra }

            /// The documented error codes of this operation.
            pub const ERRORS: &'static [ErrorCode] = &[#(#error_variants),*];

            /// Every property this request sets that `platform` does not support.
            #[allow(unused_mut)]
            pub fn validate_for(&self, platform: Platform) -> ::std::result::Result<(), Unsupported> {
                let mut properties = ::std::vec::Vec::new();
                #(#checks)*
                if properties.is_empty() {
                    Ok(())
                } else {
                    Err(Unsupported { operation: #opname, platform, properties })
                }
            }

            /// Sets a property by its wire name (`Name`, or `Container.Name`) from its wire text.
            pub fn set_wire(&mut self, property: &str, value: &str) -> ::std::result::Result<(), #rt::SetError> {
                Self::apply_wire(Some(self), property, value)
            }

            #[allow(unused_variables, unreachable_code)]
            fn apply_wire(target: ::std::option::Option<&mut Self>, property: &str, value: &str) -> ::std::result::Result<(), #rt::SetError> {
                let bad = |error: #rt::ValueError| #rt::SetError::BadValue { property: property.to_string(), error };
                let unknown = || #rt::SetError::UnknownProperty { operation: #opname, property: property.to_string() };
                let (container, name) = match property.split_once('.') {
                    Some((c, n)) => (Some(c), n),
                    None => (None, property),
                };
                match (container, name) {
                    #(#set_arms)*
                    #(#set_cont_arms)*
                    _ => Err(unknown()),
                }
            }

            /// A request from `(wire name, wire text)` pairs; reports every problem at once.
            #[allow(unused_variables, unused_mut)]
            pub fn from_wire_fields<K: ::std::convert::AsRef<str>, V: ::std::convert::AsRef<str>>(fields: &[(K, V)]) -> ::std::result::Result<Self, ::std::vec::Vec<#rt::SetError>> {
                let mut errors = ::std::vec::Vec::new();
                #(#from_required)*
                let mut req = match (#(#req_locals,)*) {
                    (#(Some(#req_locals),)*) => Some(#ty { #(#req_ids: #req_locals,)* #(#opt_inits)* #(#cont_inits)* #paging_inits extra: #rt::Extra::default() }),
                    #[allow(unreachable_patterns)]
                    _ => None,
                };
                for (k, v) in fields {
                    let k = k.as_ref();
                    if #is_required_name { continue; }
                    if let Err(e) = Self::apply_wire(req.as_mut(), k, v.as_ref()) { errors.push(e); }
                }
                match req {
                    Some(r) if errors.is_empty() => Ok(r),
                    _ => Err(errors),
                }
            }
        }

        impl #rt::Operation for #ty {
            const NAME: &'static str = #opname;
            const FAMILY: &'static str = #family_name;
            const KIND: #rt::OpKind = #kind;
            const PAGED: bool = #paged;
            const ERROR_CODES: &'static [u32] = &[#(#codes),*];
            type Response = #resp;
            #paging_impl
        }

        #codec

        #typed
    }
}
