//! The code generator: model → Rust tokens. Pure (no I/O), so it is unit- and snapshot-tested
//! directly and shared by the proc macro and `akixi-spec expand`.
//!
//! - shared by both protocols: [`values`] (value types), [`errors`] (`ErrorCode`),
//!   [`platforms`] (`Platform` and its markers), [`metadata`] (`OperationInfo`/`PropertyInfo`
//!   statics), [`names`] (Rust names from the vendor's);
//! - one module per protocol: [`akixi_ws`] (shapes, their codec, platform-typed builders, client
//!   glue, calls by name) and [`cisco_em`] (actions, result data, client glue).
//!
//! The generators trust the model: the loader has checked every row, the binding included, so
//! nothing here re-checks a spec fact or defaults one. On a partial model (the proc macro
//! generates beside the spec's errors, so that one mistake does not cascade) nothing panics: an
//! unknown type falls back to text, an unknown container to the top level.

mod akixi_rest;
mod akixi_ws;
mod cisco_em;
mod client_handle;
mod error_code;
mod errors;
mod metadata;
mod names;
mod platforms;
mod run;
mod values;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Binding, Service, Spec};
use run::Gen;

pub use names::{field_name, type_name};

/// What to generate beyond the types and their codec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// serde `Serialize`/`Deserialize` for every generated type, naming the runtime's re-export
    /// of serde (akixi-client's `serde` feature), and calls by name that answer JSON.
    pub serde: bool,
}

/// Everything generated for one service, as one token stream of items: its API and, in the
/// same expansion, its client (a marker `Service` implementing the protocol runtime's service
/// trait, and a `Client` newtype over the runtime's generic client with one method per
/// operation). An `akixi-ws` service without API session operations gets the API alone.
pub fn generate(service: &Service) -> TokenStream {
    generate_with(service, Options::default())
}

/// [`generate`], with `options`.
pub fn generate_with(service: &Service, options: Options) -> TokenStream {
    match &service.binding {
        Binding::AkixiWs(b) => {
            let g = Gen::new(
                service,
                quote!(::akixi_client::runtime::akixi_ws),
                options.serde,
            );
            let values = values::generate(&g);
            let platforms = platforms::generate(&g);
            let errors = errors::generate(&g);
            let shapes = akixi_ws::generate(&g, b);
            quote! { #values #platforms #errors #shapes }
        }
        Binding::CiscoEm(b) => {
            let g = Gen::new(
                service,
                quote!(::akixi_client::runtime::cisco_em),
                options.serde,
            );
            let values = values::generate(&g);
            let errors = errors::generate(&g);
            let actions = cisco_em::generate(&g, b);
            quote! { #values #errors #actions }
        }
    }
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
