//! Actions: one struct per operation, its `Action` impl (fields, endpoint, reading from a
//! document), set-by-name, and `AnyAction`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::context::{Em, em_rt, shape_type};
use super::params::{Access, Param, params, value_of};
use super::results::result_data;
use crate::codegen::names::{field_name, type_name};
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{ElementValue, Family, OpKind, Operation, TypeKind};

/// What sending `op` gives back: `()` for a request, its results document for a query.
pub(super) fn output(em: &Em<'_>, op: &Operation) -> TokenStream {
    let rt = em_rt();
    let shape = op
        .element
        .as_deref()
        .and_then(|e| em.b.results_of(e))
        .and_then(|d| em.b.shape_of(d));
    match (op.kind, shape) {
        (OpKind::Query, Some(shape)) => {
            let t = shape_type(shape);
            quote!(#rt::#t)
        }
        _ => quote!(()),
    }
}

/// `ActionKind::Query` or `ActionKind::Request`.
fn action_kind(op: &Operation) -> TokenStream {
    let rt = em_rt();
    match op.kind {
        OpKind::Query => quote!(#rt::ActionKind::Query),
        _ => quote!(#rt::ActionKind::Request),
    }
}

pub(super) fn action(em_: &Em<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let g = em_.g;
    let em = em_rt();
    let rt = &g.rt;
    let name = &op.name;
    let ty = type_name(&op.name);
    let element = op.element.as_deref().unwrap_or_default();
    let params = params(em_, fam, op);
    let (kind, output) = (action_kind(op), output(em_, op));

    // The struct.
    let (req, opt): (Vec<&Param<'_>>, Vec<&Param<'_>>) = params.iter().partition(|p| p.required);
    let req_names: Vec<String> = req.iter().map(|p| format!("`{}`", p.prop.name)).collect();
    let mut doc_text = format!(
        "The `{name}` action (`<{element}>`): {}\n\nRequired, given to `new`: {}. Send it with `Client::send` or `Client::{}`.",
        op.description,
        req_names.join(", "),
        field_name(name)
    );
    if op.provenance.provisional {
        doc_text
            .push_str("\n\nProvisional: the sources disagree on this action's XML; see the spec.");
    }
    let doc = doc_attrs(&doc_text);
    let fields = params.iter().map(|p| {
        let id = &p.ident;
        let t = p.field_type();
        let secret = p.kind == ElementValue::Secret;
        let serde = g.serde_field(&p.prop.name, &p.prop.aliases, !p.required, secret);
        quote!(#serde #id: #t,)
    });
    let serde_derive = g.serde_derive(false);
    let ctor_args = req.iter().map(|p| {
        let id = &p.ident;
        let (arg, _) = p.arg(g);
        quote!(#id: #arg)
    });
    let inits = params.iter().map(|p| {
        let id = &p.ident;
        if p.required {
            let (_, conv) = p.arg(g);
            quote!(#id: { let value = #id; #conv },)
        } else {
            quote!(#id: ::std::option::Option::None,)
        }
    });
    let setters = opt.iter().map(|p| {
        let id = &p.ident;
        let (arg, conv) = p.arg(g);
        let d = p.doc();
        quote! { #d pub fn #id(mut self, value: #arg) -> Self { self.#id = ::std::option::Option::Some(#conv); self } }
    });
    let getters = params.iter().map(|p| {
        let id = &p.ident;
        let getter = format_ident!("get_{}", id.to_string().trim_start_matches("r#"));
        let t = &p.ty;
        let d = p.doc();
        if p.required {
            quote! { #d pub fn #getter(&self) -> &#t { &self.#id } }
        } else {
            quote! { #d pub fn #getter(&self) -> ::std::option::Option<&#t> { self.#id.as_ref() } }
        }
    });
    let defaults = params.iter().filter(|p| !p.required).filter_map(|p| {
        let default = p.default.as_ref()?;
        let id = &p.ident;
        let f = format_ident!("{}_or_default", id.to_string().trim_start_matches("r#"));
        let t = &p.ty;
        let d = format!(
            " `{}` as sent: the value given, else the spec's default `{}`.",
            p.prop.name,
            p.prop.default.as_deref().unwrap_or_default()
        );
        Some(quote! {
            #[doc = #d]
            pub fn #f(&self) -> #t {
                match &self.#id {
                    ::std::option::Option::Some(v) => ::std::clone::Clone::clone(v),
                    ::std::option::Option::None => #default,
                }
            }
        })
    });

    // The fields as written.
    let field_entries = params.iter().filter_map(|p| {
        let path = p.path?;
        let id = &p.ident;
        let pname = &p.prop.name;
        let required = p.required;
        let (value, given, at_default) = if p.required {
            (value_of(p.kind, Access::Place(quote!(self.#id))), quote!(true), quote!(false))
        } else if let Some(default) = &p.default {
            let f = format_ident!("{}_or_default", id.to_string().trim_start_matches("r#"));
            let v = value_of(p.kind, Access::Temp(quote!(self.#f())));
            (
                v,
                quote!(self.#id.is_some()),
                quote!(self.#id.as_ref().is_none_or(|v| *v == #default)),
            )
        } else {
            let v = value_of(p.kind, Access::Ref(quote!(v)));
            (
                quote!(match &self.#id { ::std::option::Option::Some(v) => #v, ::std::option::Option::None => #em::FieldValue::Absent }),
                quote!(self.#id.is_some()),
                quote!(false),
            )
        };
        Some(quote! {
            #em::Field {
                property: #pname,
                path: #path,
                value: #value,
                required: #required,
                given: #given,
                at_default: #at_default,
            },
        })
    });

    // The endpoint parameters (the loader checked their types).
    let endpoint_param = |name: &str| params.iter().find(|p| p.prop.name == name);
    let str_param = |name: &str| match endpoint_param(name) {
        None => quote!(::std::option::Option::None),
        Some(p) if p.required => {
            let id = &p.ident;
            quote!(::std::option::Option::Some(self.#id.as_str()))
        }
        Some(p) => {
            let id = &p.ident;
            quote!(self.#id.as_deref())
        }
    };
    let url = str_param(&em_.b.url_parameter);
    let host = str_param(&em_.b.host_parameter);
    let version = match endpoint_param(&em_.b.version_parameter) {
        None => quote!(""),
        Some(p) if p.required => {
            let id = &p.ident;
            quote!(self.#id.as_str())
        }
        Some(p) => {
            let id = &p.ident;
            let default = p.prop.default.as_deref().unwrap_or_default();
            quote!(match &self.#id { ::std::option::Option::Some(v) => v.as_str(), ::std::option::Option::None => #default })
        }
    };

    // Reading from a request document.
    let reads = params.iter().map(|p| {
        let id = &p.ident;
        let pname = &p.prop.name;
        let t = &p.ty;
        let Some(path) = p.path else {
            return if p.required {
                quote!(let #id = ::std::default::Default::default();)
            } else {
                quote!(let #id = ::std::option::Option::None;)
            };
        };
        let missing = quote! {
            #em::ReadError::Missing { action: #name, property: #pname, path: #path }
        };
        // An expression of type `T` from `raw: String`; `?` returns a bad value.
        let parse = match p.kind {
            ElementValue::Text => quote!(raw),
            ElementValue::Secret => quote!(#rt::Secret::new(raw)),
            _ => quote! {
                <#t as #rt::WireValue>::from_wire(&raw)
                    .map_err(|error| #em::ReadError::BadValue { action: #name, property: #pname, error })?
            },
        };
        match (&p.kind, p.required) {
            (ElementValue::Flag, true) => quote!(let #id = doc.has(#path);),
            (ElementValue::Flag, false) => quote!(let #id = doc.has(#path).then_some(true);),
            (ElementValue::List, required) => {
                let check = required.then(|| quote! {
                    if #id.is_empty() { return ::std::result::Result::Err(#missing); }
                });
                let wrap = if required { quote!(#id) } else { quote!((!#id.is_empty()).then_some(#id)) };
                quote! {
                    let #id: #t = doc.texts(#path).iter().map(::std::string::String::as_str).collect();
                    #check
                    let #id = #wrap;
                }
            }
            (_, true) => {
                quote! {
                    let #id = match doc.text(#path) {
                        ::std::option::Option::Some(raw) => #parse,
                        ::std::option::Option::None => return ::std::result::Result::Err(#missing),
                    };
                }
            }
            (_, false) => {
                quote! {
                    let #id = match doc.text(#path) {
                        ::std::option::Option::Some(raw) => ::std::option::Option::Some(#parse),
                        ::std::option::Option::None => ::std::option::Option::None,
                    };
                }
            }
        }
    });
    let idents: Vec<&Ident> = params.iter().map(|p| &p.ident).collect();

    let result_data = result_data(em_, fam, op, &output);
    let by_name = from_wire_fields(g, op, &params);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #serde_derive
        pub struct #ty {
            #(#fields)*
        }

        impl #ty {
            /// The action with its required parameters; set the others with the methods
            /// named after them.
            pub fn new(#(#ctor_args),*) -> Self {
                #ty { #(#inits)* }
            }
            #(#setters)*
            #(#getters)*
            #(#defaults)*
        }

        impl #em::Action for #ty {
            const NAME: &'static str = #name;
            const KIND: #em::ActionKind = #kind;
            const ELEMENT: &'static str = #element;
            const BINDING: &'static #em::Binding = &BINDING;
            type Output = #output;

            fn fields(&self) -> ::std::vec::Vec<#em::Field<'_>> {
                ::std::vec::Vec::from([#(#field_entries)*])
            }

            fn endpoint(&self) -> #em::EndpointParams<'_> {
                #em::EndpointParams { url: #url, call_manager_host: #host, version: #version }
            }

            fn from_document(doc: &#em::RequestDocument) -> ::std::result::Result<Self, #em::ReadError> {
                #(#reads)*
                ::std::result::Result::Ok(#ty { #(#idents),* })
            }
        }

        #by_name
        #result_data
    }
}

/// `<Action>::from_wire_fields`: the action from `(parameter, text)` pairs, every parameter
/// parsed with its spec type and every problem reported at once.
fn from_wire_fields(g: &Gen<'_>, op: &Operation, params: &[Param<'_>]) -> TokenStream {
    let rt = &g.rt;
    let name = &op.name;
    let ty = type_name(&op.name);
    let decls = params.iter().map(|p| {
        let id = &p.ident;
        let t = &p.ty;
        quote!(let mut #id: ::std::option::Option<#t> = ::std::option::Option::None;)
    });
    let arms = params.iter().map(|p| {
        let id = &p.ident;
        let t = &p.ty;
        let pname = &p.prop.name;
        let parse = match p.kind {
            ElementValue::Text => {
                return quote!(#pname => #id = ::std::option::Option::Some(::std::clone::Clone::clone(raw)),);
            }
            ElementValue::Secret => {
                return quote!(#pname => #id = ::std::option::Option::Some(#rt::Secret::new(::std::clone::Clone::clone(raw))),);
            }
            ElementValue::Flag => quote!(#rt::parse_boolean(raw, BOOLEAN_SPELLINGS)),
            ElementValue::Wire if matches!(g.svc.ty(&p.prop.ty).map(|t| &t.kind), Some(TypeKind::Enum)) => quote! {
                #t::try_parse(raw).map_err(|e| #rt::ValueError::new(
                    ::std::format!("one of: {}", e.known.join(", ")),
                    e.value,
                ))
            },
            ElementValue::List | ElementValue::Wire => quote!(<#t as #rt::WireValue>::from_wire(raw)),
        };
        quote! {
            #pname => match #parse {
                ::std::result::Result::Ok(v) => #id = ::std::option::Option::Some(v),
                ::std::result::Result::Err(error) => errors.push(#rt::SetError::BadValue {
                    property: ::std::string::ToString::to_string(#pname),
                    error,
                }),
            },
        }
    });
    let required = params.iter().filter(|p| p.required).map(|p| {
        let id = &p.ident;
        let pname = &p.prop.name;
        let empty = match p.kind {
            ElementValue::List => quote!(|v| v.is_empty()),
            _ => quote!(|_| false),
        };
        quote! {
            if #id.as_ref().is_none_or(#empty) {
                errors.push(#rt::SetError::Missing { property: ::std::string::ToString::to_string(#pname) });
            }
        }
    });
    let req: Vec<&Ident> = params
        .iter()
        .filter(|p| p.required)
        .map(|p| &p.ident)
        .collect();
    let opt: Vec<&Ident> = params
        .iter()
        .filter(|p| !p.required)
        .map(|p| &p.ident)
        .collect();
    quote! {
        impl #ty {
            /// The action from `(parameter, text)` pairs named as the spec names its
            /// parameters (`DeviceName`), each parsed from its wire text with the spec's type
            /// (lists comma-separated). Every problem is reported at once: unknown
            /// parameters, bad values, missing required parameters.
            pub fn from_wire_fields(
                fields: &[(::std::string::String, ::std::string::String)],
            ) -> ::std::result::Result<Self, ::std::vec::Vec<#rt::SetError>> {
                let mut errors = ::std::vec::Vec::new();
                #(#decls)*
                for (property, raw) in fields {
                    match property.as_str() {
                        #(#arms)*
                        other => errors.push(#rt::SetError::UnknownProperty {
                            operation: #name,
                            property: ::std::string::ToString::to_string(other),
                        }),
                    }
                }
                #(#required)*
                match (#(#req,)*) {
                    (#(::std::option::Option::Some(#req),)*) if errors.is_empty() => {
                        ::std::result::Result::Ok(#ty { #(#req,)* #(#opt,)* })
                    }
                    _ => ::std::result::Result::Err(errors),
                }
            }
        }
    }
}

/// `AnyAction`: every action, read from a request document by its root and element.
pub(super) fn any_action(ops: &[(&Family, &Operation)]) -> TokenStream {
    let em = em_rt();
    let ops: Vec<&Operation> = ops
        .iter()
        .map(|(_, o)| *o)
        .filter(|o| o.element.is_some())
        .collect();
    let variants: Vec<Ident> = ops.iter().map(|o| type_name(&o.name)).collect();
    let names: Vec<&String> = ops.iter().map(|o| &o.name).collect();
    // An action's element is read as the spec's `Element`, or as any of its aliases spelt as
    // this protocol's elements are (a lower-case first letter: the Request Types Reference's
    // `userDeviceProfileQuery`); aliases with a capital (`LogoutALL`) spell the name only.
    let elements: Vec<TokenStream> = ops
        .iter()
        .map(|o| {
            let element = o.element.as_deref().unwrap_or_default();
            let aliases = o
                .aliases
                .iter()
                .filter(|a| a.starts_with(|c: char| c.is_ascii_lowercase()));
            quote!(#element #(| #aliases)*)
        })
        .collect();
    let kinds: Vec<TokenStream> = ops
        .iter()
        .map(|o| match o.kind {
            OpKind::Query => quote!(#em::ActionKind::Query),
            _ => quote!(#em::ActionKind::Request),
        })
        .collect();
    let docs = ops.iter().map(|o| doc_attrs(&format!("`{}`.", o.name)));
    // A name is read as the spec names the action or as any of its aliases (the seed's own
    // spellings, such as `LogoutALL`).
    let spellings: Vec<TokenStream> = ops
        .iter()
        .map(|o| {
            let (name, aliases) = (&o.name, &o.aliases);
            quote!(#name #(| #aliases)*)
        })
        .collect();
    quote! {
        /// Any action of the service: what a server reads from a request document.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum AnyAction {
            #(#docs #variants(#variants),)*
        }

        impl AnyAction {
            /// The actions' names, in the spec's order.
            pub const NAMES: &'static [&'static str] = &[#(#names),*];

            /// The action in `doc`, by its root and element.
            pub fn from_document(doc: &#em::RequestDocument) -> ::std::result::Result<Self, #em::ReadError> {
                match (doc.kind(), doc.action_element()) {
                    #((#kinds, #elements) => <#variants as #em::Action>::from_document(doc).map(Self::#variants),)*
                    (kind, element) => ::std::result::Result::Err(#em::ReadError::UnknownAction {
                        kind,
                        element: ::std::string::ToString::to_string(element),
                    }),
                }
            }

            /// The action's kind: a request or a query.
            pub fn kind(&self) -> #em::ActionKind {
                match self { #(Self::#variants(_) => <#variants as #em::Action>::KIND,)* }
            }

            /// The element of what a success answers with: the success element for a request,
            /// the results document for a query.
            pub fn output_element(&self) -> &'static str {
                match self { #(Self::#variants(_) => <<#variants as #em::Action>::Output as #em::ActionOutput>::ELEMENT,)* }
            }

            /// The request document the action is sent as (see `Action::to_xml`), or why it
            /// cannot be sent.
            pub fn to_xml(&self) -> ::std::result::Result<::std::string::String, #em::InvalidAction> {
                match self { #(Self::#variants(a) => #em::Action::to_xml(a),)* }
            }

            /// The action's parameters as written, by the spec's names (see `Action::fields`).
            pub fn fields(&self) -> ::std::vec::Vec<#em::Field<'_>> {
                match self { #(Self::#variants(a) => #em::Action::fields(a),)* }
            }

            /// The action named `name` (one of [`Self::NAMES`] or an alias the spec lists) from
            /// `(parameter, text)` pairs: see each action's `from_wire_fields`. A name no
            /// action has is one `SetError::UnknownProperty` with operation `AnyAction`.
            pub fn from_wire_fields(
                name: &str,
                fields: &[(::std::string::String, ::std::string::String)],
            ) -> ::std::result::Result<Self, ::std::vec::Vec<#em::SetError>> {
                match name {
                    #(#spellings => #variants::from_wire_fields(fields).map(Self::#variants),)*
                    other => ::std::result::Result::Err(::std::vec![#em::SetError::UnknownProperty {
                        operation: "AnyAction",
                        property: ::std::string::ToString::to_string(other),
                    }]),
                }
            }

            /// The action's name, as the spec names it.
            pub fn name(&self) -> &'static str {
                match self { #(Self::#variants(_) => #names,)* }
            }
        }
    }
}
