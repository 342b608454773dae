//! The proc macro that turns the akixi spec into typed Rust.
//!
//! ```ignore
//! akixi_derive::service!(spec = "../spec", service = "akixi");
//! ```
//!
//! `spec` is relative to the calling crate's `Cargo.toml`. The macro is called once per
//! service and generates, in one expansion, the service's API (its types, metadata and binding
//! constants) and its client: a marker type `Service` implementing the protocol runtime's
//! service trait (`akixi_client::runtime::akixi_ws::AkixiWsService` or
//! `akixi_client::runtime::cisco_em::CiscoEmService`), and a `Client` newtype over the
//! runtime's generic client that dereferences to it and adds one typed method per operation
//! (`user_add`, …, `user_list_stream`), with the aliases `ClientBuilder` and `Error`. Being a
//! newtype of the calling crate, it works in any crate, a test's fixture service included. An
//! `akixi-ws` service without API session operations gets its API and no client.
//!
//! With the `serde` feature (turned on by akixi-client's own `serde` feature, whose runtime the
//! impls name) every generated type also implements `Serialize` and `Deserialize`.
//!
//! The macro is a shim: loading and checking live in `akixi_schema`, generation in
//! `akixi_schema::codegen`. It adds what only a macro can: `include_str!` of every spec file
//! read, so that editing the spec rebuilds the caller, and every spec diagnostic as a
//! `compile_error!` on the path literal.
#![deny(missing_docs)]

use std::path::PathBuf;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, MetaNameValue, Token};

/// Generate the typed API of one service of the spec (see the crate docs).
#[proc_macro]
pub fn service(input: TokenStream) -> TokenStream {
    match expand(input.into()) {
        Ok(tokens) | Err(tokens) => tokens.into(),
    }
}

fn expand(
    input: proc_macro2::TokenStream,
) -> Result<proc_macro2::TokenStream, proc_macro2::TokenStream> {
    let args = Punctuated::<MetaNameValue, Token![,]>::parse_terminated
        .parse2(input)
        .map_err(|e| e.to_compile_error())?;
    let mut spec: Option<LitStr> = None;
    let mut service: Option<LitStr> = None;
    for arg in &args {
        let value = match &arg.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => s.clone(),
            other => {
                return Err(
                    syn::Error::new_spanned(other, "expected a string literal").to_compile_error()
                );
            }
        };
        if arg.path.is_ident("spec") {
            spec = Some(value);
        } else if arg.path.is_ident("service") {
            service = Some(value);
        } else {
            return Err(
                syn::Error::new_spanned(&arg.path, "expected `spec` or `service`")
                    .to_compile_error(),
            );
        }
    }
    let usage = "usage: service!(spec = \"path/to/spec\", service = \"name\")";
    let spec = spec.ok_or_else(|| syn::Error::new(Span::call_site(), usage).to_compile_error())?;
    let service =
        service.ok_or_else(|| syn::Error::new(Span::call_site(), usage).to_compile_error())?;

    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let dir = manifest.join(spec.value());
    let (model, diags, failed) = akixi_schema::Spec::load_partial(&dir, &spec.value());

    // Rebuild the caller when any spec file changes.
    let tracked = model.files.iter().filter_map(|p| {
        let abs = std::fs::canonicalize(p).ok()?;
        let abs = abs.to_str()?.to_string();
        Some(quote!(include_str!(#abs)))
    });
    let tracking = quote! { const _: &[&str] = &[#(#tracked),*]; };

    let generated = match model.service(&service.value()) {
        Some(svc) => akixi_schema::codegen::generate_with(
            svc,
            akixi_schema::codegen::Options {
                serde: cfg!(feature = "serde"),
            },
        ),
        None if !failed => {
            let names: Vec<&str> = model.services.iter().map(|s| s.name.as_str()).collect();
            let msg = format!(
                "the spec has no service `{}` (services: {})",
                service.value(),
                names.join(", ")
            );
            return Err(quote_spanned!(service.span() => compile_error!(#msg); #tracking));
        }
        None => proc_macro2::TokenStream::new(),
    };
    if failed {
        let errors = diags.iter().map(|d| {
            let msg = format!("spec error: {d}");
            quote_spanned!(spec.span() => compile_error!(#msg);)
        });
        return Err(quote! { #(#errors)* #tracking #generated });
    }
    Ok(quote! { #tracking #generated })
}
