//! `ErrorCode` and `ErrorCategory` from the `errors` and `error-categories` tables.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use heck::ToSnakeCase;

use super::metadata::condition_infos;
use super::names::type_name;
use super::run::{Gen, doc_attrs};
use crate::model::Handling;

pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let rt = &g.rt;
    let svc = g.svc;
    // In JSON an error code is its number.
    let serde = g.serde.then(|| {
        quote! {
            impl ::akixi_client::runtime::serde::Serialize for ErrorCode {
                fn serialize<S: ::akixi_client::runtime::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                    s.serialize_u32(self.code())
                }
            }
            impl<'de> ::akixi_client::runtime::serde::Deserialize<'de> for ErrorCode {
                fn deserialize<D: ::akixi_client::runtime::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                    <u32 as ::akixi_client::runtime::serde::Deserialize>::deserialize(d).map(Self::from_code)
                }
            }
        }
    });
    let cats = &svc.categories;
    let cat_variants: Vec<_> = cats.iter().map(|c| type_name(&c.id)).collect();
    let cat_ids: Vec<&String> = cats.iter().map(|c| &c.id).collect();
    let cat_titles: Vec<&String> = cats.iter().map(|c| &c.title).collect();
    let cat_docs: Vec<TokenStream> = cats.iter().map(|c| doc_attrs(&c.title)).collect();

    let errs = &svc.errors;
    let variants: Vec<_> = errs
        .iter()
        .map(|e| match &e.name {
            Some(n) => type_name(n),
            None => format_ident!("Code{}", e.code),
        })
        .collect();
    let codes: Vec<u32> = errs.iter().map(|e| e.code).collect();
    let docs: Vec<TokenStream> = errs
        .iter()
        .map(|e| {
            let msg = e
                .message
                .as_deref()
                .unwrap_or("The documentation gives no message for this code.");
            let title = svc
                .category(&e.category)
                .map_or(e.category.as_str(), |c| c.title.as_str());
            let mut text = format!("{}: {msg}\n\nCategory: {title}.", e.code);
            if e.partial_fail {
                text.push_str(" Returned with `Result=\"PartialFail\"`.");
            }
            if e.provenance.provisional {
                text.push_str(" (Provisional: partly inferred.)");
            }
            doc_attrs(&text)
        })
        .collect();
    let category_arms = errs.iter().zip(&variants).filter_map(|(e, v)| {
        cats.iter().position(|c| c.id == e.category).map(|i| {
            let cv = &cat_variants[i];
            quote!(Self::#v => Some(ErrorCategory::#cv),)
        })
    });
    let message_arms = errs
        .iter()
        .zip(&variants)
        .filter_map(|(e, v)| e.message.as_ref().map(|m| quote!(Self::#v => Some(#m),)));
    let partial: Vec<_> = errs
        .iter()
        .zip(&variants)
        .filter(|(e, _)| e.partial_fail)
        .map(|(_, v)| v)
        .collect();
    let handling_arms = errs.iter().zip(&variants).filter_map(|(e, v)| {
        e.handling.map(|h| match h {
            Handling::RetryLater => quote!(Self::#v => Some(#rt::ErrorHandling::RetryLater),),
            Handling::RenewSession => quote!(Self::#v => Some(#rt::ErrorHandling::RenewSession),),
        })
    });
    let partial_check = if partial.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#partial)|*))
    };
    let conditions = svc.conditions.iter().map(|c| {
        let name = match &c.family {
            Some(f) => format!("{}_{}", c.id, f.to_snake_case()),
            None => c.id.clone(),
        };
        let name = format_ident!("{}", name.replace('-', "_").to_ascii_uppercase());
        let code = c.code;
        let mut text = match &c.family {
            Some(f) => format!("`{}` of family `{f}`: {}", c.id, c.description),
            None => format!("`{}`: {}", c.id, c.description),
        };
        if c.provenance.provisional {
            text.push_str(" (Provisional: the documentation gives codes, not conditions.)");
        }
        let doc = doc_attrs(&text);
        quote!(#doc pub const #name: super::ErrorCode = super::ErrorCode::from_code(#code);)
    });
    let condition_infos = condition_infos(g, svc);
    quote! {
        /// Which error code answers which condition, from the spec's `error-conditions` table
        /// (a condition of one family is named with the family: `UNKNOWN_ENTITY_USER`).
        pub mod error_conditions {
            #(#conditions)*
            /// Every row of the table.
            pub const ALL: &[#rt::ConditionInfo] = &[#(#condition_infos),*];
        }

        /// An error category of the documentation.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCategory {
            #(#cat_docs #cat_variants,)*
        }

        impl ErrorCategory {
            /// The spec's identifier (`session`).
            pub const fn id(self) -> &'static str {
                match self { #(Self::#cat_variants => #cat_ids,)* }
            }
            /// The documentation's title (`Session Related Error Codes`).
            pub const fn title(self) -> &'static str {
                match self { #(Self::#cat_variants => #cat_titles,)* }
            }
        }

        /// An error code the service returns. Codes the spec does not know are kept in `Unknown`.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            #(#docs #variants,)*
            /// A code the spec does not know.
            Unknown(u32),
        }

        impl ErrorCode {
            /// Every code the spec knows.
            pub const ALL: &'static [ErrorCode] = &[#(ErrorCode::#variants),*];

            /// The code for `code`.
            pub const fn from_code(code: u32) -> Self {
                match code { #(#codes => Self::#variants,)* other => Self::Unknown(other) }
            }

            /// The number.
            pub const fn code(self) -> u32 {
                match self { #(Self::#variants => #codes,)* Self::Unknown(c) => c }
            }

            /// The category, for codes the spec knows.
            pub const fn category(self) -> ::std::option::Option<ErrorCategory> {
                match self { #(#category_arms)* _ => None }
            }

            /// The documented message, where the documentation gives one.
            pub const fn message(self) -> ::std::option::Option<&'static str> {
                match self { #(#message_arms)* _ => None }
            }

            /// Whether the code comes with `Result="PartialFail"`.
            pub const fn is_partial_fail(self) -> bool { #partial_check }

            /// What a client should do about it, where the documentation says.
            pub const fn handling(self) -> ::std::option::Option<#rt::ErrorHandling> {
                match self { #(#handling_arms)* _ => None }
            }

            /// Whether the spec knows this code.
            pub const fn is_known(self) -> bool { !matches!(self, Self::Unknown(_)) }
        }

        impl ::std::convert::From<u32> for ErrorCode {
            fn from(code: u32) -> Self { Self::from_code(code) }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.code())?;
                match (self.message(), self.category()) {
                    (Some(m), _) => ::std::write!(f, ": {m}"),
                    (None, Some(c)) => ::std::write!(f, " ({})", c.title()),
                    (None, None) => f.write_str(" (not in the spec)"),
                }
            }
        }

        #serde
    }
}
