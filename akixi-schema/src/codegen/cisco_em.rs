//! The `cisco-em` binding: the `BINDING` constants, one action type per operation (its
//! parameters placed by their `Element` paths), each action's result data, `AnyAction` for
//! servers, and (client glue) one method per action on `akixi_client::cisco_em::Client`.
//!
//! Element names, the documents' roots, the endpoint's parameters and the result data's
//! properties all come from the spec (`Element` columns and `binding` rows); what the spec
//! lacks becomes a `compile_error!` naming the row to add, never a name made up here.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{field_name, type_name};
use super::{Gen, doc_attrs};
use crate::model::{Family, Input, OpKind, Operation, Property, SecretWire, TypeKind};

/// The runtime of the binding.
fn em() -> TokenStream {
    quote!(::akixi_client::cisco_em)
}

fn compile_error(msg: impl AsRef<str>) -> TokenStream {
    let msg = format!("spec (cisco-em): {}", msg.as_ref());
    quote!(::std::compile_error!(#msg);)
}

/// The binding rows the generated code needs.
struct Rows<'a> {
    g: &'a Gen<'a>,
    errors: std::cell::RefCell<Vec<String>>,
}

impl<'a> Rows<'a> {
    fn new(g: &'a Gen<'a>) -> Self {
        Rows {
            g,
            errors: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The value of `key`; an error (and an empty value) when the row is missing.
    fn get(&self, key: &str) -> &'a str {
        match self.g.svc.binding(key) {
            Some(v) => v,
            None => {
                self.errors
                    .borrow_mut()
                    .push(format!("the `binding` table has no `{key}` row"));
                ""
            }
        }
    }

    fn number<T: std::str::FromStr + Default>(&self, key: &str) -> T {
        let raw = self.get(key);
        raw.parse().unwrap_or_else(|_| {
            if !raw.is_empty() {
                self.errors
                    .borrow_mut()
                    .push(format!("binding `{key}` = `{raw}` is not a number"));
            }
            T::default()
        })
    }

    fn error(&self, msg: String) {
        self.errors.borrow_mut().push(msg);
    }

    fn into_errors(self) -> TokenStream {
        self.errors.into_inner().iter().map(compile_error).collect()
    }
}

/// How a parameter's value is held and written.
#[derive(Clone)]
enum Kind {
    /// `String`, an element's text.
    Text,
    /// `Secret`, an element's text.
    Secret,
    /// `bool`, an empty element when true.
    Flag,
    /// A generated list type, one element per value.
    List,
    /// A generated value type (`WireValue`), an element's text.
    Wire,
}

/// One parameter of one action.
struct Param<'a> {
    prop: &'a Property,
    ident: Ident,
    ty: TokenStream,
    kind: Kind,
    required: bool,
    /// The spec's default, as an expression of the field's type.
    default: Option<TokenStream>,
    /// The `Element` path; `None` for the endpoint parameters.
    path: Option<&'a str>,
}

impl Param<'_> {
    /// Rust type of the field.
    fn field_type(&self) -> TokenStream {
        let ty = &self.ty;
        if self.required {
            quote!(#ty)
        } else {
            quote!(::std::option::Option<#ty>)
        }
    }

    fn doc(&self) -> TokenStream {
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
    fn arg(&self, g: &Gen<'_>) -> (TokenStream, TokenStream) {
        let ty = &self.ty;
        match self.kind {
            Kind::Flag => (quote!(bool), quote!(value)),
            Kind::List => {
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

pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let rows = Rows::new(g);
    let binding = binding(&rows);
    let mut actions = TokenStream::new();
    let mut any = Vec::new();
    let mut infos = Vec::new();
    for fam in &g.svc.families {
        for op in &fam.operations {
            if !matches!(op.kind, OpKind::Request | OpKind::Query) {
                rows.error(format!(
                    "operation `{}` is of kind `{}`; cisco-em operations are `request` or `query`",
                    op.name,
                    op.kind.name()
                ));
                continue;
            }
            actions.extend(action(&rows, fam, op));
            any.push(op);
            infos.push((fam, op));
        }
    }
    let any_action = any_action(&any);
    let infos = action_infos(g, &infos);
    let errors = rows.into_errors();
    quote! { #errors #binding #actions #any_action #infos }
}

/// `BINDING` (what the runtime reads) and `BINDING_ROWS` (every row, for tools).
fn binding(rows: &Rows<'_>) -> TokenStream {
    let em = em();
    let s = |key: &str| rows.get(key);
    let (http_method, content_type, form_field) =
        (s("http-method"), s("content-type"), s("form-field"));
    let (request_root, query_root, app_info, response_root) = (
        s("request-root"),
        s("query-root"),
        s("app-info-element"),
        s("response-root"),
    );
    let (service_path, v333_path, v333_query_path) =
        (s("service-path"), s("v333-path"), s("v333-query-path"));
    let (default_scheme, secure_scheme) = (s("default-scheme"), s("secure-scheme"));
    let secure_port: u16 = rows.number("secure-port");
    let v333_version = s("v333-version");
    let v333_actions: Vec<&str> = s("v333-actions")
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    for a in &v333_actions {
        if rows.g.svc.operation(a).is_none() {
            rows.error(format!(
                "binding `v333-actions` names `{a}`, which is no operation"
            ));
        }
    }
    let (url_param, host_param, version_param) = (
        s("url-parameter"),
        s("host-parameter"),
        s("version-parameter"),
    );
    let no_response: u32 = rows.number("no-response-error-code");
    let keys = rows.g.svc.binding.iter().map(|b| &b.key);
    let values = rows.g.svc.binding.iter().map(|b| &b.value);
    quote! {
        /// The wire details of the service, from the spec's `binding` table.
        pub const BINDING: #em::Binding = #em::Binding {
            http_method: #http_method,
            content_type: #content_type,
            form_field: #form_field,
            request_root: #request_root,
            query_root: #query_root,
            app_info_element: #app_info,
            response_root: #response_root,
            service_path: #service_path,
            v333_path: #v333_path,
            v333_query_path: #v333_query_path,
            default_scheme: #default_scheme,
            secure_scheme: #secure_scheme,
            secure_port: #secure_port,
            v333_version: #v333_version,
            v333_actions: &[#(#v333_actions),*],
            url_parameter: #url_param,
            host_parameter: #host_param,
            version_parameter: #version_param,
            no_response_error_code: #no_response,
        };

        /// Every row of the spec's `binding` table, as `(key, value)`.
        pub const BINDING_ROWS: &[(&str, &str)] = &[#((#keys, #values)),*];

        /// The `ErrorCode` of an outcome without response XML (`no-response-error-code`).
        pub const NO_RESPONSE_ERROR_CODE: ErrorCode = ErrorCode::from_code(#no_response);
    }
}

/// Checks a spec `Element` path: `/first/…` from the root (first = the `app-info-element`),
/// else from the action's element; every step an XML name.
fn check_path(rows: &Rows<'_>, p: &Property, path: &str) {
    let relative = path.strip_prefix('/').unwrap_or(path);
    let name_ok = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if !relative.split('/').all(name_ok) {
        rows.error(format!(
            "property `{}`: `{path}` is not an element path (`a/b`, or `/a/b` from the root)",
            p.name
        ));
        return;
    }
    if path.starts_with('/') {
        let first = relative.split('/').next().unwrap_or_default();
        let app_info = rows.g.svc.binding("app-info-element").unwrap_or_default();
        if first != app_info {
            rows.error(format!(
                "property `{}`: `{path}` starts at the root but not in `{app_info}` (the \
                 `app-info-element` binding); the request DTD has nothing else there",
                p.name
            ));
        }
    }
}

fn params<'a>(rows: &Rows<'_>, fam: &'a Family, op: &'a Operation) -> Vec<Param<'a>> {
    let g = rows.g;
    let endpoint = [
        g.svc.binding("url-parameter"),
        g.svc.binding("host-parameter"),
        g.svc.binding("version-parameter"),
    ];
    let mut out = Vec::new();
    for (prop, input) in fam.inputs(&op.name) {
        let ty_def = g.svc.ty(&prop.ty);
        let kind = match ty_def.map(|t| &t.kind) {
            None | Some(TypeKind::String) => Kind::Text,
            Some(TypeKind::Boolean) => Kind::Flag,
            Some(TypeKind::Secret {
                wire: SecretWire::Plain,
            }) => Kind::Secret,
            Some(TypeKind::List { .. }) => Kind::List,
            Some(TypeKind::Integer { .. } | TypeKind::Enum | TypeKind::Selector { .. }) => {
                Kind::Wire
            }
            Some(other) => {
                rows.error(format!(
                    "property `{}` is of a `{}` type, which the cisco-em binding cannot write",
                    prop.name,
                    other.name()
                ));
                continue;
            }
        };
        let rt = &g.rt;
        let ty = match kind {
            Kind::Text => quote!(::std::string::String),
            Kind::Secret => quote!(#rt::Secret),
            Kind::Flag => quote!(bool),
            Kind::List | Kind::Wire => {
                let t = type_name(&prop.ty);
                quote!(#t)
            }
        };
        let is_endpoint = endpoint.contains(&Some(prop.name.as_str()));
        let path = prop.element.as_deref();
        match (is_endpoint, path) {
            (true, Some(_)) => rows.error(format!(
                "property `{}` decides the endpoint (binding), so it has no `Element`",
                prop.name
            )),
            (false, None) => rows.error(format!(
                "property `{}` of `{}` has no `Element`: give the element path it is written at",
                prop.name, op.name
            )),
            (false, Some(p)) => check_path(rows, prop, p),
            (true, None) => {}
        }
        let default = prop
            .default
            .as_deref()
            .and_then(|d| default_value(rows, prop, &kind, d));
        out.push(Param {
            prop,
            ident: field_name(&prop.name),
            ty,
            kind,
            required: matches!(input, Input::Required | Input::Key),
            default,
            path: if is_endpoint { None } else { path },
        });
    }
    out
}

/// The spec's `Default` as an expression of the field's type (checked here, so that the
/// generated code cannot fail).
fn default_value(rows: &Rows<'_>, p: &Property, kind: &Kind, raw: &str) -> Option<TokenStream> {
    let g = rows.g;
    let bad = |why: &str| {
        rows.error(format!("property `{}`: default `{raw}` {why}", p.name));
        None
    };
    match (kind, g.svc.ty(&p.ty).map(|t| &t.kind)) {
        (Kind::Text, _) => Some(quote!(::std::string::String::from(#raw))),
        (Kind::Flag, _) => match g.svc.boolean_spellings.iter().find(|s| s.spelling == raw) {
            Some(s) => {
                let v = s.value;
                Some(quote!(#v))
            }
            None => bad("is not a Boolean spelling of `boolean-spellings`"),
        },
        (Kind::Wire, Some(TypeKind::Integer { min, max })) => match raw.parse::<i64>() {
            // The generated integer's field is private to this module, which is ours.
            Ok(n) if (*min..=*max).contains(&n) => {
                let t = type_name(&p.ty);
                Some(quote!(#t(#n)))
            }
            _ => bad(&format!("is not a whole number from {min} to {max}")),
        },
        (Kind::Wire, Some(TypeKind::Enum)) => {
            let listed = g
                .svc
                .ty(&p.ty)
                .is_some_and(|t| t.values.iter().any(|v| v.value == raw));
            if listed {
                let t = type_name(&p.ty);
                Some(quote!(#t::from(#raw)))
            } else {
                bad(&format!("is not a value of `{}`", p.ty))
            }
        }
        _ => bad("cannot be a default of this type"),
    }
}

/// How generated code reaches a value of type `T`.
enum Access {
    /// A place of type `T` borrowed from `self` (`self.app_id`).
    Place(TokenStream),
    /// A `&T` (`v` in a `match` arm).
    Ref(TokenStream),
    /// A temporary `T` (`self.timeout_or_default()`).
    Temp(TokenStream),
}

/// The `FieldValue` of a value.
fn value_of(kind: &Kind, access: Access) -> TokenStream {
    let em = em();
    let rt = quote!(::akixi_client::runtime);
    let cow = quote!(::std::borrow::Cow);
    let text = |t: TokenStream| quote!(#em::FieldValue::Text(#t));
    match (kind, access) {
        (Kind::Flag, Access::Place(v) | Access::Temp(v)) => quote!(#em::FieldValue::Flag(#v)),
        (Kind::Flag, Access::Ref(v)) => quote!(#em::FieldValue::Flag(*#v)),
        (Kind::List, Access::Place(v) | Access::Ref(v) | Access::Temp(v)) => quote! {
            #em::FieldValue::List(#v.iter().map(|item| #cow::Borrowed(item.as_str())).collect())
        },
        (Kind::Text, Access::Place(v) | Access::Ref(v)) => {
            text(quote!(#cow::Borrowed(#v.as_str())))
        }
        (Kind::Text, Access::Temp(v)) => text(quote!(#cow::Owned(#v))),
        (Kind::Secret, Access::Place(v) | Access::Ref(v)) => {
            text(quote!(#cow::Borrowed(#v.expose())))
        }
        (Kind::Secret, Access::Temp(v)) => text(quote!(#cow::Owned(#v.expose().to_owned()))),
        (Kind::Wire, Access::Place(v)) => text(quote!(#rt::WireValue::to_wire(&#v))),
        (Kind::Wire, Access::Ref(v)) => text(quote!(#rt::WireValue::to_wire(#v))),
        (Kind::Wire, Access::Temp(v)) => {
            text(quote!(#cow::Owned(#rt::WireValue::to_wire(&#v).into_owned())))
        }
    }
}

fn action(rows: &Rows<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let g = rows.g;
    let em = em();
    let rt = &g.rt;
    let name = &op.name;
    let ty = type_name(&op.name);
    let Some(element) = op.element.as_deref() else {
        rows.error(format!(
            "operation `{name}` has no `Element`: give its element (`logoutAll`)"
        ));
        return TokenStream::new();
    };
    let params = params(rows, fam, op);
    let (kind, output) = match op.kind {
        OpKind::Query => {
            let key = format!("results:{element}");
            let results = rows.get(&key);
            let t = type_name(results);
            (quote!(#em::ActionKind::Query), quote!(#em::#t))
        }
        _ => (quote!(#em::ActionKind::Request), quote!(())),
    };

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
        quote!(#id: #t,)
    });
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
            (value_of(&p.kind, Access::Place(quote!(self.#id))), quote!(true), quote!(false))
        } else if let Some(default) = &p.default {
            let f = format_ident!("{}_or_default", id.to_string().trim_start_matches("r#"));
            let v = value_of(&p.kind, Access::Temp(quote!(self.#f())));
            (
                v,
                quote!(self.#id.is_some()),
                quote!(self.#id.as_ref().is_none_or(|v| *v == #default)),
            )
        } else {
            let v = value_of(&p.kind, Access::Ref(quote!(v)));
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

    // The endpoint parameters.
    let endpoint_param = |key: &str| {
        let pname = g.svc.binding(key)?;
        params.iter().find(|p| p.prop.name == pname)
    };
    let str_param = |key: &str| match endpoint_param(key) {
        None => quote!(::std::option::Option::None),
        Some(p) if !matches!(p.kind, Kind::Text) => {
            rows.error(format!(
                "`{}` ({key}) must be of a string type",
                p.prop.name
            ));
            quote!(::std::option::Option::None)
        }
        Some(p) if p.required => {
            let id = &p.ident;
            quote!(::std::option::Option::Some(self.#id.as_str()))
        }
        Some(p) => {
            let id = &p.ident;
            quote!(self.#id.as_deref())
        }
    };
    let url = str_param("url-parameter");
    let host = str_param("host-parameter");
    let version = match endpoint_param("version-parameter") {
        None => quote!(""),
        Some(p)
            if !matches!(p.kind, Kind::Text | Kind::Wire)
                || matches!(
                    g.svc.ty(&p.prop.ty).map(|t| &t.kind),
                    Some(TypeKind::Integer { .. } | TypeKind::Selector { .. })
                ) =>
        {
            rows.error(format!(
                "`{}` (version-parameter) must be of an enum or string type",
                p.prop.name
            ));
            quote!("")
        }
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
            Kind::Text => quote!(raw),
            Kind::Secret => quote!(#rt::Secret::new(raw)),
            _ => quote! {
                <#t as #rt::WireValue>::from_wire(&raw)
                    .map_err(|error| #em::ReadError::BadValue { action: #name, property: #pname, error })?
            },
        };
        match (&p.kind, p.required) {
            (Kind::Flag, true) => quote!(let #id = doc.has(#path);),
            (Kind::Flag, false) => quote!(let #id = doc.has(#path).then_some(true);),
            (Kind::List, required) => {
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

    let result_data = result_data(rows, fam, op, &output);
    let by_name = from_wire_fields(rows, op, &params);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq)]
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
fn from_wire_fields(rows: &Rows<'_>, op: &Operation, params: &[Param<'_>]) -> TokenStream {
    let g = rows.g;
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
            Kind::Text => {
                return quote!(#pname => #id = ::std::option::Option::Some(::std::clone::Clone::clone(raw)),);
            }
            Kind::Secret => {
                return quote!(#pname => #id = ::std::option::Option::Some(#rt::Secret::new(::std::clone::Clone::clone(raw))),);
            }
            Kind::Flag => quote!(#rt::parse_boolean(raw, BOOLEAN_SPELLINGS)),
            Kind::Wire if matches!(g.svc.ty(&p.prop.ty).map(|t| &t.kind), Some(TypeKind::Enum)) => quote! {
                #t::try_parse(raw).map_err(|e| #rt::ValueError::new(
                    ::std::format!("one of: {}", e.known.join(", ")),
                    e.value,
                ))
            },
            Kind::List | Kind::Wire => quote!(<#t as #rt::WireValue>::from_wire(raw)),
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
            Kind::List => quote!(|v| v.is_empty()),
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

/// `PROPERTIES` and `ACTIONS`: the actions and their parameters as static data
/// (`runtime::OperationInfo`), for tools that work from the spec at run time (the CLI).
fn action_infos(g: &Gen<'_>, ops: &[(&Family, &Operation)]) -> TokenStream {
    let rt = &g.rt;
    let mut props = Vec::new();
    let mut offsets = Vec::new();
    for fam in &g.svc.families {
        offsets.push((fam.name.as_str(), props.len()));
        props.extend(
            fam.properties
                .iter()
                .map(|p| super::shapes::property_info(g, p)),
        );
    }
    let actions = ops.iter().map(|(fam, op)| {
        let base = offsets
            .iter()
            .find(|(f, _)| *f == fam.name)
            .map_or(0, |(_, b)| *b);
        super::shapes::operation_info(g, fam, op, &quote!(PROPERTIES), base)
    });
    quote! {
        /// Every parameter and result property of the service, as the spec describes it.
        pub const PROPERTIES: &[#rt::PropertyInfo] = &[#(#props),*];
        /// Every action of the service with its parameters, as the spec describes them, in
        /// the spec's order (the names of `AnyAction::NAMES`).
        pub const ACTIONS: &[#rt::OperationInfo] = &[#(#actions),*];
    }
}

/// `…ResultData`: the seed's view of an outcome, with one field per `returned` property.
fn result_data(rows: &Rows<'_>, fam: &Family, op: &Operation, output: &TokenStream) -> TokenStream {
    let g = rows.g;
    let em = em();
    let name = &op.name;
    let data = format_ident!("{}ResultData", op.name);
    let code_prop = rows.get("error-code-result");
    let message_prop = rows.get("error-message-result");
    let branch_ty = type_name(rows.get("branch-type"));
    let (success, failure) = (rows.get("success-branch"), rows.get("failure-branch"));
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    for (p, _) in fam.outputs(&op.name) {
        let id = field_name(&p.name);
        let doc = doc_attrs(&format!("`{}`: {}", p.name, p.description));
        if p.name == code_prop {
            fields.push(quote!(#doc pub #id: ErrorCode,));
            inits.push(quote!(#id: view.error_code,));
        } else if p.name == message_prop {
            fields.push(quote!(#doc pub #id: ::std::string::String,));
            inits.push(quote!(#id: ::std::clone::Clone::clone(&view.error_message),));
        } else {
            rows.error(format!(
                "`{}` returns `{}`, which is neither `error-code-result` nor \
                 `error-message-result`; the runtime cannot fill it",
                op.name, p.name
            ));
        }
    }
    let results = (op.kind == OpKind::Query).then(|| {
        (
            quote! {
                /// The results, when the query succeeded.
                pub results: ::std::option::Option<#output>,
            },
            quote!(results: result.as_ref().ok().cloned(),),
        )
    });
    let (results_field, results_init) = results.unzip();
    let doc = doc_attrs(&format!(
        "The result data of `{name}` as the application server's action returns it, and its \
         branch: `{success}` when the service answered success; `{failure}` otherwise, with the \
         service's code and message for a failure, and code `{}` without message when it did not \
         answer with response XML or could not be reached.",
        g.svc.binding("no-response-error-code").unwrap_or("0")
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #data {
            /// The branch the action takes.
            pub branch: #branch_ty,
            #(#fields)*
            #results_field
        }

        impl #data {
            /// The result data of an outcome of `Client::send` or the action's own method.
            pub fn from_result(result: &::std::result::Result<#output, #em::Error>) -> Self {
                let view = #em::SeedView::of(result, &BINDING);
                #data {
                    branch: #branch_ty::from(if view.success { #success } else { #failure }),
                    #(#inits)*
                    #results_init
                }
            }
        }
    }
}

/// `AnyAction`: every action, read from a request document by its root and element.
fn any_action(ops: &[&Operation]) -> TokenStream {
    let em = em();
    let ops: Vec<&&Operation> = ops.iter().filter(|o| o.element.is_some()).collect();
    let variants: Vec<Ident> = ops.iter().map(|o| type_name(&o.name)).collect();
    let names: Vec<&String> = ops.iter().map(|o| &o.name).collect();
    let elements: Vec<&str> = ops
        .iter()
        .map(|o| o.element.as_deref().unwrap_or_default())
        .collect();
    let kinds: Vec<TokenStream> = ops
        .iter()
        .map(|o| match o.kind {
            OpKind::Query => quote!(#em::ActionKind::Query),
            _ => quote!(#em::ActionKind::Request),
        })
        .collect();
    let docs = ops.iter().map(|o| doc_attrs(&format!("`{}`.", o.name)));
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

            /// The action named `name` (`LogoutAll`, one of [`Self::NAMES`]) from
            /// `(parameter, text)` pairs: see each action's `from_wire_fields`. A name no
            /// action has is one `SetError::UnknownProperty` with operation `AnyAction`.
            pub fn from_wire_fields(
                name: &str,
                fields: &[(::std::string::String, ::std::string::String)],
            ) -> ::std::result::Result<Self, ::std::vec::Vec<::akixi_client::runtime::SetError>> {
                match name {
                    #(#names => #variants::from_wire_fields(fields).map(Self::#variants),)*
                    other => ::std::result::Result::Err(::std::vec![::akixi_client::runtime::SetError::UnknownProperty {
                        operation: "AnyAction",
                        property: ::std::string::ToString::to_string(other),
                    }]),
                }
            }

            /// The action's name (`LogoutAll`).
            pub fn name(&self) -> &'static str {
                match self { #(Self::#variants(_) => #names,)* }
            }
        }
    }
}

/// One method per action on `akixi_client::cisco_em::Client` (akixi-client only).
pub(crate) fn generate_client(g: &Gen<'_>) -> TokenStream {
    let em = em();
    let methods = g.svc.operations().filter_map(|(_, op)| {
        let query = match op.kind {
            OpKind::Request => false,
            OpKind::Query => true,
            _ => return None,
        };
        let element = op.element.as_deref()?;
        let method = field_name(&op.name);
        let ty = type_name(&op.name);
        let output = if query {
            let results = g.svc.binding(&format!("results:{element}"))?;
            let t = type_name(results);
            quote!(#em::#t)
        } else {
            quote!(())
        };
        let doc = doc_attrs(&format!(
            "Sends `{}` (`<{element}>`): {}\n\n{} For the seed's view, pass the result to \
             `{}ResultData::from_result`.",
            op.name,
            op.description,
            if query {
                "Returns the results, or why there are none."
            } else {
                "Returns `Ok(())` for `<success/>`, or why it did not succeed."
            },
            op.name
        ));
        Some(quote! {
            #doc
            pub async fn #method(&self, action: &#ty) -> ::std::result::Result<#output, #em::Error> {
                self.send(action).await
            }
        })
    });
    quote! {
        impl #em::Client {
            #(#methods)*
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{Service, Spec};

    fn cisco_em() -> Service {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let spec = Spec::load(dir).expect("the real spec loads");
        spec.service("cisco-em").expect("cisco-em").clone()
    }

    fn generated(svc: &Service) -> String {
        let g = Gen::new(svc);
        let tokens = generate(&g);
        let client = generate_client(&g);
        // Both halves must be valid items.
        syn::parse2::<syn::File>(client).expect("client glue parses");
        syn::parse2::<syn::File>(tokens.clone()).expect("generated code parses");
        tokens.to_string()
    }

    #[test]
    fn the_real_spec_generates_without_errors() {
        let code = generated(&cisco_em());
        assert!(!code.contains("compile_error"), "{code}");
        for name in [
            "Login",
            "Logout",
            "LogoutAll",
            "QueryUsers",
            "QueryDevices",
            "QueryDeviceProfiles",
        ] {
            assert!(code.contains(&format!("pub struct {name} ")), "{name}");
            assert!(
                code.contains(&format!("pub struct {name}ResultData ")),
                "{name}"
            );
        }
        // Element names come from the spec: they appear only as string literals.
        assert!(code.contains("\"logoutAll\""));
        assert!(code.contains("\"exclusiveDuration/indefinite\""));
    }

    #[test]
    fn a_missing_binding_row_is_a_compile_error_naming_it() {
        let mut svc = cisco_em();
        svc.binding
            .retain(|b| b.key != "form-field" && b.key != "results:deviceUserQuery");
        let code = generated(&svc);
        assert!(
            code.contains("the `binding` table has no `form-field` row"),
            "{code}"
        );
        assert!(code.contains("no `results:deviceUserQuery` row"), "{code}");
    }

    #[test]
    fn parameters_without_elements_and_bad_paths_are_compile_errors() {
        let mut svc = cisco_em();
        for p in &mut svc.families[0].properties {
            match p.name.as_str() {
                "DeviceName" => p.element = None,
                "UserId" => p.element = Some("a//b".into()),
                "AppId" => p.element = Some("/elsewhere/appID".into()),
                "Timeout" => p.default = Some("-1".into()),
                _ => {}
            }
        }
        let code = generated(&svc);
        assert!(
            code.contains("property `DeviceName` of `Login` has no `Element`"),
            "{code}"
        );
        assert!(code.contains("`a//b` is not an element path"), "{code}");
        assert!(
            code.contains("starts at the root but not in `appInfo`"),
            "{code}"
        );
        assert!(
            code.contains("default `-1` is not a whole number from 0"),
            "{code}"
        );
    }
}
