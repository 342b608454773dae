//! What every generator shares: the run's state and safe rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Service;

/// Shared state of one generation run.
pub(crate) struct Gen<'a> {
    pub svc: &'a Service,
    /// Path of the protocol's runtime module, the one path its generated code names.
    pub rt: TokenStream,
}

impl<'a> Gen<'a> {
    pub(crate) fn new(svc: &'a Service, rt: TokenStream) -> Self {
        Gen { svc, rt }
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
