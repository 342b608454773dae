//! What both protocols' clients read the generated `ErrorCode` through: the runtime's
//! `ServiceErrorCode`, implemented by calling the generated inherent methods.

use proc_macro2::TokenStream;
use quote::quote;

use super::run::Gen;

/// `impl ServiceErrorCode for ErrorCode`: the generated codes as the runtime's clients read them
/// (both protocols).
pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let rt = &g.rt;
    quote! {
        impl #rt::ServiceErrorCode for ErrorCode {
            fn from_code(code: u32) -> Self {
                ErrorCode::from_code(code)
            }
            fn code(self) -> u32 {
                ErrorCode::code(self)
            }
            fn handling(self) -> ::std::option::Option<#rt::ErrorHandling> {
                ErrorCode::handling(self)
            }
            fn message(self) -> ::std::option::Option<&'static str> {
                ErrorCode::message(self)
            }
        }
    }
}
