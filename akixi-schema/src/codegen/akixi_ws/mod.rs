//! The `akixi-ws` protocol: the family shapes (containers, requests, responses) with their codec,
//! the platform-typed builders, the operation metadata, the binding constants, the calls by
//! name, and the service's client (its marker `Service` and the `Client` newtype with one
//! method per operation; none for a service without API session operations).

mod calling;
mod client;
mod codec;
mod containers;
mod dynamic;
mod fields;
mod requests;
mod responses;
mod typed;

use proc_macro2::TokenStream;
use quote::quote;

use super::metadata::{family_info, operation_info, property_info};
use super::names::field_name;
use super::run::Gen;
use crate::model::{AkixiWsBinding, Family, Operation, TypeKind};
use containers::container;
use requests::request;
use responses::response;
use typed::support_traits;

pub(crate) fn generate(g: &Gen<'_>, b: &AkixiWsBinding) -> TokenStream {
    let mut out = TokenStream::new();
    for fam in &g.svc.families {
        out.extend(family(g, fam));
    }
    out.extend(operation_infos(g));
    out.extend(binding(g, b));
    out.extend(service_info(g, b));
    out.extend(calling::generate(g, b));
    out.extend(client::generate(g, b));
    out.extend(dynamic::generate(g));
    out
}

/// The binding's constants, for the runtime and for tools.
fn binding(g: &Gen<'_>, b: &AkixiWsBinding) -> TokenStream {
    let rt = &g.rt;
    let (success, fail, code, message) = (
        &b.success_element,
        &b.fail_element,
        &b.error_code_name,
        &b.error_message_name,
    );
    let (offset, limit) = (b.default_offset, b.default_limit);
    let digits = usize::try_from(b.invoke_id_digits).unwrap_or(usize::MAX);
    let tel_sys = &b.telephony_server_property;
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
    let pw = &b.password;
    let (cipher, key, iv, padding, encoding) =
        (&pw.cipher, &pw.key, &pw.iv, &pw.padding, &pw.encoding);
    quote! {
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
    }
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

fn operation(g: &Gen<'_>, fam: &Family, op: &Operation) -> TokenStream {
    let request = request(g, fam, op);
    let response = response(g, fam, op);
    quote! { #request #response }
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

/// `FAMILIES` and `SERVICE`: the whole service as data, for a server (the simulator) that answers
/// any operation of any family from the spec alone.
fn service_info(g: &Gen<'_>, b: &AkixiWsBinding) -> TokenStream {
    let rt = &g.rt;
    let svc = g.svc;
    let families = svc.families.iter().map(|fam| {
        let module = field_name(&fam.name);
        family_info(g, fam, &quote!(#module::PROPERTIES))
    });
    let name = &svc.name;
    let platforms = svc.platforms.iter().map(|p| &p.id);
    let error_codes = svc.errors.iter().map(|e| e.code);
    let error_categories = svc.errors.iter().map(|e| &e.category);
    let verbs = svc.permission_verbs.iter().map(|v| {
        let kind = super::metadata::op_kind(g, v.kind);
        let verb = &v.verb;
        quote!((#kind, #verb))
    });
    let (offset, limit) = (b.default_offset, b.default_limit);
    let (idle, sessions) = (b.session_idle_timeout, b.session_limit);
    let partial_rules = svc.partial_rules.iter().map(|r| {
        let (id, family, property, needs, code) =
            (&r.id, &r.family, &r.property, &r.needs, r.code);
        quote!(#rt::PartialRuleInfo { id: #id, family: #family, property: #property, needs: #needs, code: #code })
    });
    let session = match &b.session {
        Some(r) => {
            let (create, authenticate, close) = (&r.create, &r.authenticate, &r.close);
            let (session_id, nonce, username, password) =
                (&r.session_id, &r.nonce, &r.username, &r.password);
            quote!(Some(#rt::SessionInfo {
                create: #create,
                authenticate: #authenticate,
                close: #close,
                session_id: #session_id,
                nonce: #nonce,
                username: #username,
                password: #password,
            }))
        }
        None => quote!(None),
    };
    let rest_field = super::akixi_rest::service_field(svc.rest.as_ref());
    let rest_info = super::akixi_rest::rest_info(g, svc.rest.as_ref());
    quote! {
        /// Every family of the service, as the spec describes it.
        pub const FAMILIES: &[#rt::FamilyInfo] = &[#(#families),*];

        /// The whole service as data: what a server needs to answer any of its operations.
        pub const SERVICE: #rt::ServiceInfo = #rt::ServiceInfo {
            name: #name,
            platforms: &[#(#platforms),*],
            families: FAMILIES,
            operations: OPERATIONS,
            conditions: error_conditions::ALL,
            partial_rules: &[#(#partial_rules),*],
            errors: &[#((#error_codes, #error_categories)),*],
            permission_verbs: &[#(#verbs),*],
            boolean_spellings: BOOLEAN_SPELLINGS,
            boolean_words: (BOOLEAN_TRUE, BOOLEAN_FALSE),
            binding: &BINDING,
            password_scheme: &PASSWORD_SCHEME,
            default_offset: #offset,
            default_limit: #limit,
            session_idle_timeout_secs: #idle,
            session_limit: #sessions,
            session: #session,
            rest: #rest_field,
        };
        #rest_info
    }
}
