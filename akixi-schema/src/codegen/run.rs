//! What every generator shares: the run's state and safe rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Service;

/// Shared state of one generation run.
pub(crate) struct Gen<'a> {
    pub svc: &'a Service,
    /// Path of the protocol's runtime module, the one path its generated code names.
    pub rt: TokenStream,
    /// Whether to generate serde impls (they name the runtime's `serde` and `json`).
    pub serde: bool,
}

/// The runtime root every protocol's runtime lives under; serde is re-exported there.
const RUNTIME_ROOT: &str = "::akixi_client::runtime";

impl<'a> Gen<'a> {
    pub(crate) fn new(svc: &'a Service, rt: TokenStream, serde: bool) -> Self {
        Gen { svc, rt, serde }
    }

    /// The path of the runtime's serde helpers (`json`).
    pub(crate) fn json(&self) -> TokenStream {
        quote!(::akixi_client::runtime::json)
    }

    /// `#[derive(Serialize, Deserialize)]` with the runtime's serde, for a struct whose fields
    /// carry [`Gen::serde_field`] attributes; `default` when every field may be left out.
    /// Nothing without serde.
    pub(crate) fn serde_derive(&self, default: bool) -> TokenStream {
        if !self.serde {
            return TokenStream::new();
        }
        let krate = format!("{RUNTIME_ROOT}::serde");
        let default = default.then(|| quote!(default,));
        quote! {
            #[derive(::akixi_client::runtime::serde::Serialize, ::akixi_client::runtime::serde::Deserialize)]
            #[serde(crate = #krate, #default)]
        }
    }

    /// The serde attribute of a field named `name` on the wire (also read as `aliases`):
    /// left out when `None` if `optional`, never written if `secret`.
    pub(crate) fn serde_field(
        &self,
        name: &str,
        aliases: &[String],
        optional: bool,
        secret: bool,
    ) -> TokenStream {
        if !self.serde {
            return TokenStream::new();
        }
        let default = optional.then(|| quote!(default,));
        let skip = if secret {
            quote!(skip_serializing,)
        } else if optional {
            quote!(skip_serializing_if = "::std::option::Option::is_none",)
        } else {
            TokenStream::new()
        };
        quote!(#[serde(rename = #name, #(alias = #aliases,)* #default #skip)])
    }

    /// The serde attribute of a shape's `extra` (written only when something is in it).
    pub(crate) fn serde_extra(&self) -> TokenStream {
        if !self.serde {
            return TokenStream::new();
        }
        let is_empty = format!("{RUNTIME_ROOT}::akixi_ws::Extra::is_empty");
        quote!(#[serde(rename = "extra", default, skip_serializing_if = #is_empty)])
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
