//! Per-family shapes: containers, requests (with validation, set-by-name and platform-typed
//! builders), responses, their codecs, and the static operation descriptions.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{field_name, type_name};
use super::values::{Codec, codec};
use super::{Gen, doc_attrs};
use crate::model::{Family, Input, OpKind, Operation, Property, Returned, TypeKind};

/// One property as a field of a generated struct.
struct Field<'a> {
    prop: &'a Property,
    ident: Ident,
    codec: Codec,
}

impl<'a> Field<'a> {
    fn new(g: &Gen<'_>, prop: &'a Property) -> Self {
        Field {
            prop,
            ident: field_name(&prop.name),
            codec: codec(g, &prop.ty),
        }
    }

    /// Wire names accepted when reading: the name and its aliases.
    fn names(&self) -> TokenStream {
        let name = &self.prop.name;
        let aliases = &self.prop.aliases;
        quote!(#name #(| #aliases)*)
    }

    fn doc(&self) -> TokenStream {
        let p = self.prop;
        let mut text = format!("`{}`: {}", p.path(), p.description);
        if p.provenance.provisional {
            text.push_str(" (Provisional: inferred, not documented.)");
        }
        doc_attrs(&text)
    }
}

pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    for fam in &g.svc.families {
        out.extend(family(g, fam));
    }
    out.extend(operation_infos(g));
    let rt = &g.rt;
    let binding = |key: &str, default: &str| g.svc.binding(key).unwrap_or(default).to_string();
    let (success, fail, code, message) = (
        binding("success-element", "Success"),
        binding("fail-element", "Fail"),
        binding("error-code-name", "ErrorCode"),
        binding("error-message-name", "ErrorMessage"),
    );
    let num = |key: &str, default: u64| {
        g.svc
            .binding(key)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let (offset, limit, digits) = (
        num("default-offset", 0),
        num("default-limit", 1000),
        num("invoke-id-digits", 5),
    );
    let digits = usize::try_from(digits).unwrap_or(5);
    let tel_sys = binding("telephony-server-property", "");
    let mut secret_names: Vec<&str> = Vec::new();
    for p in g.svc.families.iter().flat_map(|f| f.properties.iter()) {
        let secret = matches!(
            g.svc.ty(&p.ty).map(|t| &t.kind),
            Some(TypeKind::Secret { .. })
        );
        if secret && !secret_names.contains(&p.name.as_str()) {
            secret_names.push(&p.name);
        }
    }
    let (cipher, key, iv, padding, encoding) = (
        binding("password-cipher", ""),
        binding("password-key", ""),
        binding("password-iv", ""),
        binding("password-padding", ""),
        binding("password-encoding", ""),
    );
    out.extend(quote! {
        /// The element names of the response envelope (from the spec's `binding` table).
        pub const BINDING: #rt::Binding = #rt::Binding {
            success: #success,
            fail: #fail,
            error_code: #code,
            error_message: #message,
        };
        /// Entries skipped when a list request gives no `Offset`.
        pub const DEFAULT_OFFSET: u64 = #offset;
        /// Entries returned when a list request gives no `Limit`.
        pub const DEFAULT_LIMIT: u64 = #limit;
        /// The properties whose values are secrets (never logged).
        pub const SECRET_PROPERTIES: &[&str] = &[#(#secret_names),*];
        /// The property that names the telephony server a request is about (wherever it appears),
        /// which decides the platform to validate for.
        pub const TELEPHONY_SERVER_PROPERTY: &str = #tel_sys;
        /// Digits of an `InvokeID` (zero-padded; it wraps after the largest).
        pub const INVOKE_ID_DIGITS: usize = #digits;
        /// How passwords are protected on the wire (from the spec's `binding` table; provisional).
        pub const PASSWORD_SCHEME: #rt::PasswordScheme = #rt::PasswordScheme {
            cipher: #cipher,
            key: #key,
            iv: #iv,
            padding: #padding,
            encoding: #encoding,
        };
    });
    out
}

fn family(g: &Gen<'_>, fam: &Family) -> TokenStream {
    let module = field_name(&fam.name);
    let doc = format!(
        " The `{}` family: its operations, containers and shapes.",
        fam.name
    );
    let containers = fam.containers.iter().map(|c| container(g, fam, &c.name));
    let supports = support_traits(g, fam);
    let ops = fam.operations.iter().map(|op| operation(g, fam, op));
    let infos = property_infos(g, fam);
    quote! {
        #[doc = #doc]
        pub mod #module {
            #[allow(unused_imports)]
            use super::*;
            #(#containers)*
            #supports
            #(#ops)*
            #infos
        }
    }
}

/// `matches!` expression: whether `platform` supports `p` (None when every platform does).
fn unsupported_check(g: &Gen<'_>, p: &Property) -> Option<TokenStream> {
    let support = p.support.as_ref()?;
    if support.iter().all(|s| *s) {
        return None;
    }
    let ok: Vec<Ident> = g
        .svc
        .platforms
        .iter()
        .zip(support)
        .filter(|(_, s)| **s)
        .map(|(pl, _)| type_name(&pl.id))
        .collect();
    Some(if ok.is_empty() {
        quote!(true)
    } else {
        quote!(!matches!(platform, #(Platform::#ok)|*))
    })
}

/// Name of the compile-time support trait of `p`.
fn support_trait(p: &Property) -> Ident {
    type_name(&format!(
        "{}{}",
        p.container.as_deref().unwrap_or(""),
        p.name
    ))
}

fn support_traits(g: &Gen<'_>, fam: &Family) -> TokenStream {
    let traits = fam
        .properties
        .iter()
        .filter(|p| unsupported_check(g, p).is_some())
        .map(|p| {
            let tr = support_trait(p);
            let support = p.support.as_deref().unwrap_or(&[]);
            let ok: Vec<&crate::model::Platform> = g
                .svc
                .platforms
                .iter()
                .zip(support)
                .filter(|(_, s)| **s)
                .map(|(pl, _)| pl)
                .collect();
            let markers: Vec<Ident> = ok.iter().map(|pl| type_name(&pl.id)).collect();
            let names: Vec<&str> = ok.iter().map(|pl| pl.name.as_str()).collect();
            let message = format!("`{}` is not supported on platform `{{Self}}`", p.path());
            let label = format!("`{}` needs a platform that supports it", p.path());
            let note = format!(
                "`{}` is supported on: {}",
                p.path(),
                if names.is_empty() {
                    "no platform".to_string()
                } else {
                    names.join(", ")
                }
            );
            let doc = format!(" Platforms that support `{}`.", p.path());
            quote! {
                #[doc = #doc]
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                pub trait #tr: PlatformMarker {}
                #(impl #tr for platforms::#markers {})*
            }
        });
    quote! {
        /// Compile-time support: a platform marker implements a trait here when the platform
        /// supports the property of that name.
        pub mod supports {
            #[allow(unused_imports)]
            use super::*;
            #(#traits)*
        }
    }
}

/// Encode statements for `fields` (each `Option<T>` unless `required`), given as `self.<field>`.
fn encode_fields(
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

fn container(g: &Gen<'_>, fam: &Family, name: &str) -> TokenStream {
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

/// `ScopeFor<P>`: the container with only the setters platform `P` supports.
fn typed_container(g: &Gen<'_>, ty: &Ident, fields: &[Field<'_>]) -> TokenStream {
    let typed = format_ident!("{}For", ty);
    let doc = format!(
        " [`{ty}`] for a platform fixed at compile time: setters for properties `P` does not support do not apply."
    );
    let setters = fields.iter().map(|f| typed_setter(g, f));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #typed<P: PlatformMarker> {
            inner: #ty,
            platform: ::std::marker::PhantomData<P>,
        }

        impl<P: PlatformMarker> ::std::default::Default for #typed<P> {
            fn default() -> Self { #typed { inner: #ty::default(), platform: ::std::marker::PhantomData } }
        }

        impl<P: PlatformMarker> #typed<P> {
            #(#setters)*
            /// The container.
            pub fn build(self) -> #ty { self.inner }
        }
    }
}

fn typed_setter(g: &Gen<'_>, f: &Field<'_>) -> TokenStream {
    let id = &f.ident;
    let (arg, conv) = f.codec.setter_arg(g);
    let d = f.doc();
    let bound = unsupported_check(g, f.prop).map(|_| {
        let tr = support_trait(f.prop);
        quote!(where P: supports::#tr)
    });
    quote! { #d pub fn #id(mut self, value: #arg) -> Self #bound { self.inner.#id = Some(#conv); self } }
}

fn error_list(g: &Gen<'_>, op: &Operation) -> (Vec<u32>, Vec<TokenStream>) {
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

pub(super) fn op_kind(g: &Gen<'_>, kind: OpKind) -> TokenStream {
    let rt = &g.rt;
    let v = match kind {
        OpKind::Add => quote!(Add),
        OpKind::Change => quote!(Change),
        OpKind::Delete => quote!(Delete),
        OpKind::Info => quote!(Info),
        OpKind::List => quote!(List),
        OpKind::CreateSession => quote!(CreateSession),
        OpKind::Authenticate => quote!(Authenticate),
        OpKind::CloseSession => quote!(CloseSession),
        OpKind::Request => quote!(Request),
        OpKind::Query => quote!(Query),
    };
    quote!(#rt::OpKind::#v)
}

/// The top-level fields and the containers (in table order) an operation takes or returns.
struct Layout<'a> {
    top: Vec<Field<'a>>,
    containers: Vec<String>,
    /// Table order of writes: `Ok(index into top)` or `Err(container index)`.
    order: Vec<Result<usize, usize>>,
}

fn layout<'a>(
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

fn operation(g: &Gen<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let request = request(g, fam, op);
    let response = response(g, fam, op);
    quote! { #request #response }
}

fn response_type(op: &Operation) -> Ident {
    format_ident!("{}Response", op.name)
}

fn request(g: &Gen<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let rt = &g.rt;
    let opname = &op.name;
    let family_name = &fam.name;
    let ty = format_ident!("{}Request", op.name);
    let resp = response_type(op);
    let inputs: Vec<(&Property, Input)> = fam.inputs(&op.name).collect();
    // Locals are prefixed so that no property name can shadow the generated code's own bindings.
    let local = |id: &Ident| format_ident!("field_{}", id.to_string().trim_start_matches("r#"));
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
        quote!(#id: #t,)
    });
    let opt_fields = opt.iter().map(|f| {
        let id = &f.ident;
        let t = f.codec.rust_type(g);
        quote!(#id: ::std::option::Option<#t>,)
    });
    let cont_fields = containers
        .iter()
        .map(|(id, t, _)| quote!(#id: ::std::option::Option<#t>,));
    let paging_fields = op
        .paged
        .then(|| quote!(offset: ::std::option::Option<u64>, limit: ::std::option::Option<u64>,));

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
    let encode_order = l.order.iter().map(|o| match o {
        Ok(i) => {
            let f = &l.top[*i];
            encode_fields(g, std::slice::from_ref(f), &|f| is_required(f))
        }
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
    let dec_lets = l.top.iter().map(|f| {
        let v = local(&f.ident);
        let t = f.codec.rust_type(g);
        quote!(let mut #v: ::std::option::Option<#t> = None;)
    });
    let dec_cont_lets = containers.iter().map(|(id, t, _)| {
        let v = local(id);
        quote!(let mut #v: ::std::option::Option<#t> = None;)
    });
    let dec_arms = l.top.iter().map(|f| {
        let v = local(&f.ident);
        let names = f.names();
        let dec = f.codec.decode(g, &f.prop.name);
        quote!(#names => #v = Some(#dec),)
    });
    let dec_cont_arms = containers.iter().map(|(id, t, c)| {
        let v = local(id);
        quote!(Some(#c) => #v = Some(r.decode_container::<#t>()?),)
    });
    let dec_fields = l.top.iter().map(|f| {
        let id = &f.ident;
        let v = local(id);
        let pname = &f.prop.name;
        if is_required(f) {
            quote!(#id: #v.ok_or_else(|| r.missing_property(#pname))?,)
        } else {
            quote!(#id: #v,)
        }
    });
    let dec_conts = containers.iter().map(|(id, _, _)| {
        let v = local(id);
        quote!(#id: #v,)
    });
    let dec_paging = op.paged.then(|| quote!(offset: None, limit: None,));

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
        pub struct #ty {
            #(#req_fields)*
            #(#opt_fields)*
            #(#cont_fields)*
            #paging_fields
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

        impl #rt::EncodePayload for #ty {
            #[allow(unused_variables)]
            fn encode_payload<S: #rt::PayloadSink>(&self, out: &mut S, passwords: &dyn #rt::PasswordEncoder) -> ::std::result::Result<(), #rt::EncodeError> {
                #(#encode_order)*
                #rt::write_extra(&self.extra, out);
                Ok(())
            }
        }

        impl #rt::DecodePayload for #ty {
            #[allow(unused_mut)]
            fn decode(r: &mut #rt::PayloadReader<'_>) -> ::std::result::Result<Self, #rt::DecodeError> {
                #(#dec_lets)*
                #(#dec_cont_lets)*
                let mut extra = #rt::Extra::default();
                while let Some(node) = r.next()? {
                    match node {
                        #rt::Node::Property { name, value } => match &*name {
                            #(#dec_arms)*
                            _ => extra.push_property(name, value),
                        },
                        #rt::Node::Container { name } => match name.as_deref() {
                            #(#dec_cont_arms)*
                            _ => {
                                let items = r.read_extra()?;
                                extra.push_container(name.map(::std::borrow::Cow::into_owned), items);
                            }
                        },
                    }
                }
                Ok(#ty { #(#dec_fields)* #(#dec_conts)* #dec_paging extra })
            }
        }

        #typed
    }
}

/// `conv` is written in terms of `value`; constructor arguments are named after their field.
fn rename_value(conv: TokenStream, id: &Ident) -> TokenStream {
    conv.into_iter()
        .map(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) if i == "value" => {
                proc_macro2::TokenTree::Ident(id.clone())
            }
            other => other,
        })
        .collect()
}

/// `UserAddRequestFor<P>`: the request for a platform fixed at compile time.
fn typed_request(
    g: &Gen<'_>,
    ty: &Ident,
    req: &[&Field<'_>],
    opt: &[&Field<'_>],
    containers: &[(Ident, Ident, String)],
) -> TokenStream {
    let typed = format_ident!("{}For", ty);
    let doc = format!(
        " [`{ty}`] for a platform `P` fixed at compile time: the setters of properties `P` does not \
         support cannot be called, so the request needs no validation."
    );
    let ctor_args = req.iter().map(|f| {
        let id = &f.ident;
        let (arg, _) = f.codec.setter_arg(g);
        quote!(#id: #arg)
    });
    let ctor_pass: Vec<&Ident> = req.iter().map(|f| &f.ident).collect();
    let ctor_bounds = req.iter().filter_map(|f| {
        unsupported_check(g, f.prop).map(|_| {
            let tr = support_trait(f.prop);
            quote!(P: supports::#tr,)
        })
    });
    let setters = opt.iter().map(|f| {
        let id = &f.ident;
        let (arg, _) = f.codec.setter_arg(g);
        let d = f.doc();
        let bound = unsupported_check(g, f.prop).map(|_| {
            let tr = support_trait(f.prop);
            quote!(where P: supports::#tr)
        });
        quote! { #d pub fn #id(mut self, value: #arg) -> Self #bound { self.inner = self.inner.#id(value); self } }
    });
    let cont_setters = containers.iter().map(|(id, t, c)| {
        let tf = format_ident!("{}For", t);
        let d = format!(" Builds the `{c}` container with the setters `P` supports.");
        quote! {
            #[doc = #d]
            pub fn #id(mut self, build: impl FnOnce(#tf<P>) -> #tf<P>) -> Self {
                self.inner = self.inner.#id(build(#tf::default()).build());
                self
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #typed<P: PlatformMarker> {
            inner: #ty,
            platform: ::std::marker::PhantomData<P>,
        }

        impl<P: PlatformMarker> #typed<P> {
            /// A request with its required properties.
            pub fn new(#(#ctor_args),*) -> Self where #(#ctor_bounds)* {
                #typed { inner: #ty::new(#(#ctor_pass),*), platform: ::std::marker::PhantomData }
            }
            #(#setters)*
            #(#cont_setters)*
            /// The platform.
            pub const PLATFORM: Platform = P::PLATFORM;
            /// The request (valid for `P` by construction).
            pub fn build(self) -> #ty { self.inner }
        }
    }
}

fn response(g: &Gen<'_>, fam: &Family, op: &Operation) -> TokenStream {
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

/// `PROPERTIES`: every property of the family as static data.
fn property_infos(g: &Gen<'_>, fam: &Family) -> TokenStream {
    let rt = &g.rt;
    let infos = fam.properties.iter().map(|p| property_info(g, p));
    quote! {
        /// Every property of the family, as the spec describes it.
        pub const PROPERTIES: &[#rt::PropertyInfo] = &[#(#infos),*];
    }
}

/// One property as a `runtime::PropertyInfo` expression (shared with the `cisco-em` binding).
pub(super) fn property_info(g: &Gen<'_>, p: &Property) -> TokenStream {
    let rt = &g.rt;
    {
        let name = &p.name;
        let container = match &p.container {
            Some(c) => quote!(Some(#c)),
            None => quote!(None),
        };
        let type_name = &p.ty;
        let ty = g.svc.ty(&p.ty);
        let kind = match ty.map(|t| &t.kind) {
            None | Some(TypeKind::String) => quote!(#rt::ValueKind::String),
            Some(TypeKind::Integer { min, max }) => {
                quote!(#rt::ValueKind::Integer { min: #min, max: #max })
            }
            Some(TypeKind::Boolean) => quote!(#rt::ValueKind::Boolean),
            Some(TypeKind::Enum | TypeKind::Fields { .. }) => quote!(#rt::ValueKind::Enum),
            Some(TypeKind::List { .. }) => quote!(#rt::ValueKind::List),
            Some(TypeKind::Selector { .. }) => quote!(#rt::ValueKind::Selector),
            Some(TypeKind::Secret { .. }) => quote!(#rt::ValueKind::Secret),
        };
        let values: Vec<String> = match ty.map(|t| &t.kind) {
            Some(TypeKind::List { item }) => values_of(g, item),
            Some(_) => values_of(g, &p.ty),
            None => Vec::new(),
        };
        let aliases = &p.aliases;
        let description = &p.description;
        let support: Vec<bool> = match &p.support {
            Some(s) => s.clone(),
            None => vec![true; g.svc.platforms.len()],
        };
        quote! {
            #rt::PropertyInfo {
                name: #name,
                container: #container,
                type_name: #type_name,
                kind: #kind,
                values: &[#(#values),*],
                aliases: &[#(#aliases),*],
                description: #description,
                support: &[#(#support),*],
            }
        }
    }
}

fn values_of(g: &Gen<'_>, ty: &str) -> Vec<String> {
    let Some(t) = g.svc.ty(ty) else {
        return Vec::new();
    };
    match &t.kind {
        TypeKind::Fields { operation } => g
            .svc
            .operation(operation)
            .map(|(f, _)| {
                f.outputs(operation)
                    .filter(|(p, _)| p.container.is_none())
                    .map(|(p, _)| p.name.clone())
                    .collect()
            })
            .unwrap_or_default(),
        _ => t.values.iter().map(|v| v.value.clone()).collect(),
    }
}

/// One operation as a `runtime::OperationInfo` literal; its fields point into `properties`
/// (a path to a `PROPERTIES` const), where the family's properties start at `base`.
pub(super) fn operation_info(
    g: &Gen<'_>,
    fam: &Family,
    op: &Operation,
    properties: &TokenStream,
    base: usize,
) -> TokenStream {
    let rt = &g.rt;
    let name = &op.name;
    let family = &fam.name;
    let kind = op_kind(g, op.kind);
    let description = &op.description;
    let paged = op.paged;
    let codes: Vec<u32> = op.errors.iter().map(|e| e.code).collect();
    let fields = fam.properties.iter().enumerate().filter_map(|(i, p)| {
        let u = p.usage(&op.name)?;
        let i = base + i;
        let input = match u.input {
            None => quote!(None),
            Some(Input::Required) => quote!(Some(#rt::InputUse::Required)),
            Some(Input::Optional) => quote!(Some(#rt::InputUse::Optional)),
            Some(Input::Key) => quote!(Some(#rt::InputUse::Key)),
        };
        let returned = match u.returned {
            None => quote!(None),
            Some(Returned::Returned) => quote!(Some(false)),
            Some(Returned::Default) => quote!(Some(true)),
        };
        Some(quote!(#rt::FieldInfo { property: &#properties[#i], input: #input, returned: #returned }))
    });
    quote! {
        #rt::OperationInfo {
            name: #name,
            family: #family,
            kind: #kind,
            description: #description,
            paged: #paged,
            error_codes: &[#(#codes),*],
            fields: &[#(#fields),*],
        }
    }
}

/// `OPERATIONS`: every operation of the service as static data, for tools that work from the
/// spec at run time (the command line, the simulator).
fn operation_infos(g: &Gen<'_>) -> TokenStream {
    let rt = &g.rt;
    let ops = g.svc.families.iter().flat_map(|fam| {
        let module = field_name(&fam.name);
        let properties = quote!(#module::PROPERTIES);
        fam.operations
            .iter()
            .map(move |op| operation_info(g, fam, op, &properties, 0))
    });
    quote! {
        /// Every operation of the service, as the spec describes it.
        pub const OPERATIONS: &[#rt::OperationInfo] = &[#(#ops),*];
    }
}
