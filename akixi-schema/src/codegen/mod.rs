//! The code generator: model → Rust tokens. Pure (no I/O), so it is unit- and snapshot-tested
//! directly and shared by the proc macro and `akixi-spec expand`.
//!
//! Generated code refers to its runtime as `::akixi_client::runtime`; inside `akixi-client`
//! that path works through `extern crate self as akixi_client`.
//!
//! The generator never panics on a partial model (the proc macro generates from what loaded,
//! next to the spec's errors, so one mistake does not cascade): an unknown type falls back to
//! text, an unknown container to the top level.

mod cisco_em;
mod client;
mod dynamic;
mod errors;
mod names;
mod platforms;
mod shapes;
mod values;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Protocol, Service, Spec};

pub use names::{field_name, type_name};

/// Everything generated for one service, as one token stream of items.
pub fn generate(service: &Service) -> TokenStream {
    let g = Gen::new(service);
    match service.protocol {
        Protocol::AkixiWs => {
            let values = values::generate(&g);
            let platforms = platforms::generate(&g);
            let errors = errors::generate(&g);
            let shapes = shapes::generate(&g);
            quote! { #values #platforms #errors #shapes }
        }
        Protocol::CiscoEm => {
            let values = values::generate(&g);
            let errors = errors::generate(&g);
            let actions = cisco_em::generate(&g);
            quote! { #values #errors #actions }
        }
    }
}

/// The client glue of a service (`service!(…, client = true)`): `client.rs` for `akixi-ws`,
/// `cisco_em.rs` for `cisco-em`.
pub fn generate_client(service: &Service) -> TokenStream {
    let g = Gen::new(service);
    if service.protocol == Protocol::CiscoEm {
        return cisco_em::generate_client(&g);
    }
    let glue = client::generate(&g);
    // Calls by name go through the client's `Caller`, so they come with the client glue.
    let dynamic = dynamic::generate(&g);
    quote! { #glue #dynamic }
}

/// The generated code of service `name`, formatted for reading (`akixi-spec expand`).
pub fn expand(spec: &Spec, name: &str) -> Result<String, String> {
    let svc = spec.service(name).ok_or_else(|| {
        let names: Vec<&str> = spec.services.iter().map(|s| s.name.as_str()).collect();
        format!("no service `{name}` (services: {})", names.join(", "))
    })?;
    pretty(generate(svc))
}

/// Format tokens as a Rust file.
pub fn pretty(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Shared state of one generation run.
pub(crate) struct Gen<'a> {
    pub svc: &'a Service,
    /// Path of the runtime module.
    pub rt: TokenStream,
}

impl<'a> Gen<'a> {
    fn new(svc: &'a Service) -> Self {
        Gen {
            svc,
            rt: quote!(::akixi_client::runtime),
        }
    }
}

/// `#[doc = "…"]` attributes for `text`, made safe for rustdoc: no line is indented enough to
/// become a code block, and fences are broken so that nothing becomes a doctest.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|l| format!(" {}", l.trim().replace("```", "'''")))
        .collect();
    quote! { #(#[doc = #lines])* }
}
