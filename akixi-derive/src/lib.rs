//! The proc macro that turns the akixi spec into typed Rust.
//!
//! ```ignore
//! akixi_derive::service!(spec = "spec", service = "akixi");
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
//!
//! For an operation the vendor offers and the spec does not have yet, `#[derive(Operation)]`
//! and `#[derive(Response)]` write the same runtime traits on a user's own structs (see
//! [`macro@Operation`]).
#![deny(missing_docs)]

mod operation;

use std::path::PathBuf;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, MetaNameValue, Token};

/// An `akixi-ws` operation the spec lacks, on a request struct: implements `Operation`,
/// `EncodePayload`, `DecodePayload` and `Validate` (the runtime traits of a generated request,
/// from `akixi_client::runtime::akixi_ws`), so that the struct goes through
/// `akixi_client::Client::call` with the API session, InvokeIDs, retries and typed errors of
/// any generated request.
///
/// On the struct, `#[akixi(…)]` with all of:
///
/// - `operation = "UserInfo"`: the operation's wire name;
/// - `family = "User"`: its family;
/// - `kind = "info"`: what it does, a spec `OpKind` name (`add`, `change`, `delete`, `info`,
///   `list`, `bulk-add`, …); the client's retry and error handling go by it;
/// - `service = akixi_client::akixi::Service`: the service marker it belongs to, whose
///   `Platform` and `Unsupported` are `Validate`'s; the Booleans are written and read with the
///   `BOOLEAN_TRUE`, `BOOLEAN_FALSE` and `BOOLEAN_SPELLINGS` of that path's module (where
///   `service!` generates them; a bare `Service` means they are in scope);
/// - `response = MyResponse`: the response type, a struct deriving [`macro@Response`] (or `()`
///   for none).
///
/// On each field, optionally, `#[akixi(name = "FullName")]` (its wire name; the default is the
/// field name in PascalCase: `full_name` → `FullName`, so acronyms such as `EnableMFA` need
/// `name`) and `#[akixi(container = "Scope")]` (the named container it is written in; a
/// container whose fields are all `Option`s is sent only when one is `Some`).
///
/// Field types: `String`, `i32`, `i64`, `u32`, `u64`, `bool`, `Password` (sent protected as the
/// service's password scheme says, never logged), `Option<…>` of those (sent when `Some`), and
/// in a response `Vec<T>` for list entries (`T` deriving [`macro@Response`]). The type is
/// recognised by its last path segment (no aliases); anything else is a compile error on it.
///
/// What is not there: no platform checks (`validate_for` is `Ok(())` on every platform, as the
/// spec has no support matrix for the operation), no documented error codes
/// (`Operation::ERROR_CODES` is empty; a `Fail` still decodes to the service's typed
/// `ErrorCode`), no paging (`PAGED` is `false`), and properties the struct does not name are
/// ignored when decoding.
///
/// (Compiled and run against the simulator in `tests/tests/derive_operation.rs`.)
///
/// ```ignore
/// use akixi_client::runtime::akixi_ws::Password;
///
/// /// `UserInfo`, written by hand.
/// #[derive(Debug, Clone, akixi_derive::Operation)]
/// #[akixi(
///     operation = "UserInfo",
///     family = "User",
///     kind = "info",
///     service = akixi_client::akixi::Service,
///     response = MyUserInfoResponse,
/// )]
/// struct MyUserInfo {
///     username: String,
/// }
///
/// #[derive(Debug, Default, akixi_derive::Response)]
/// #[akixi(service = akixi_client::akixi::Service)]
/// struct MyUserInfoResponse {
///     username: Option<String>,
///     full_name: Option<String>,
///     lock_out: Option<bool>,
///     #[akixi(name = "EnableMFA")]
///     enable_mfa: Option<bool>,
///     #[akixi(container = "Scope", name = "TelSysID")]
///     tel_sys_id: Option<u32>,
/// }
///
/// /// `UserAdd`, with a password.
/// #[derive(Debug, Clone, akixi_derive::Operation)]
/// #[akixi(
///     operation = "UserAdd",
///     family = "User",
///     kind = "add",
///     service = akixi_client::akixi::Service,
///     response = (),
/// )]
/// struct MyUserAdd {
///     username: String,
///     full_name: Option<String>,
///     password: Option<Password>,
/// }
///
/// async fn run(client: &akixi_client::Client) -> Result<(), akixi_client::Error> {
///     client
///         .call(MyUserAdd {
///             username: "ada@example.com".into(),
///             full_name: Some("Ada".into()),
///             password: Some(Password::new("S3cret-pass")),
///         })
///         .await?;
///     let user = client.call(MyUserInfo { username: "ada@example.com".into() }).await?;
///     assert_eq!(user.full_name.as_deref(), Some("Ada"));
///     Ok(())
/// }
/// ```
#[proc_macro_derive(Operation, attributes(akixi))]
pub fn derive_operation(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    operation::expand(input, operation::Derive::Operation).into()
}

/// The response of an operation written with [`macro@Operation`], or an entry of its list:
/// implements `EncodePayload` and `DecodePayload`. The struct must also implement `Debug` and
/// `Default` (as `Operation::Response` asks). Its fields are as [`macro@Operation`]'s; a
/// required (non-`Option`) field missing from the response is a decode error naming it. The one
/// struct attribute, `#[akixi(service = path::to::Service)]`, is needed only for `bool` fields
/// (the service's Boolean spellings).
#[proc_macro_derive(Response, attributes(akixi))]
pub fn derive_response(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    operation::expand(input, operation::Derive::Response).into()
}

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
