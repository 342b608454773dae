//! The `Platform` enum, compile-time platform markers, and the report of unsupported properties.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::type_name;
use super::run::{Gen, doc_attrs};

pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let rt = &g.rt;
    let ps = &g.svc.platforms;
    let variants: Vec<_> = ps.iter().map(|p| type_name(&p.id)).collect();
    let ids: Vec<&String> = ps.iter().map(|p| &p.id).collect();
    let names: Vec<&String> = ps.iter().map(|p| &p.name).collect();
    let docs: Vec<TokenStream> = ps
        .iter()
        .map(|p| doc_attrs(&format!("{} (`{}`). {}", p.name, p.id, p.description)))
        .collect();
    let indexes: Vec<usize> = (0..ps.len()).collect();
    let marker_docs: Vec<String> = ps
        .iter()
        .map(|p| format!(" {}, known at compile time.", p.name))
        .collect();
    let uninhabited = ps.is_empty().then(|| quote!(#[allow(clippy::empty_enum)]));
    quote! {
        /// A telephony platform type. Which properties an operation accepts depends on it.
        #uninhabited
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Platform {
            #(#docs #variants,)*
        }

        impl Platform {
            /// Every platform, in the documentation's order.
            pub const ALL: &'static [Platform] = &[#(Platform::#variants),*];

            /// The stable identifier (`cisco-broadworks`).
            pub const fn id(self) -> &'static str {
                match self { #(Platform::#variants => #ids,)* }
            }

            /// The display name.
            pub const fn name(self) -> &'static str {
                match self { #(Platform::#variants => #names,)* }
            }

            /// Position in [`Platform::ALL`] (and in the support tables).
            pub const fn index(self) -> usize {
                match self { #(Platform::#variants => #indexes,)* }
            }

            /// The platform with identifier or display name `text` (case-insensitive).
            pub fn parse(text: &str) -> ::std::result::Result<Self, #rt::UnknownValueError> {
                let t = text.trim();
                Platform::ALL
                    .iter()
                    .copied()
                    .find(|p| p.id().eq_ignore_ascii_case(t) || p.name().eq_ignore_ascii_case(t))
                    .ok_or_else(|| #rt::UnknownValueError {
                        type_name: "Platform",
                        value: text.to_string(),
                        known: &[#(#ids),*],
                    })
            }
        }

        impl ::std::fmt::Display for Platform {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.name()) }
        }

        impl ::std::str::FromStr for Platform {
            type Err = #rt::UnknownValueError;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> { Platform::parse(s) }
        }

        /// A platform fixed at compile time: a type of [`platforms`].
        pub trait PlatformMarker {
            /// The platform.
            const PLATFORM: Platform;
        }

        /// Compile-time platforms, for the platform-typed request builders (`…For<P>`), whose
        /// setters for properties the platform does not support do not exist.
        pub mod platforms {
            #(
                #[doc = #marker_docs]
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
                pub struct #variants;
                impl super::PlatformMarker for #variants {
                    const PLATFORM: super::Platform = super::Platform::#variants;
                }
            )*
        }

        /// A property a request sets, named with its container.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct PropertyRef {
            /// The container, if any.
            pub container: ::std::option::Option<&'static str>,
            /// The property's wire name.
            pub name: &'static str,
        }

        impl ::std::fmt::Display for PropertyRef {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.container {
                    Some(c) => ::std::write!(f, "{} (in {})", self.name, c),
                    None => f.write_str(self.name),
                }
            }
        }

        /// A request sets properties its target platform does not support.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Unsupported {
            /// The operation.
            pub operation: &'static str,
            /// The platform.
            pub platform: Platform,
            /// Every unsupported property the request sets, in request order.
            pub properties: ::std::vec::Vec<PropertyRef>,
        }

        impl ::std::fmt::Display for Unsupported {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{} sets properties that {} does not support: ", self.operation, self.platform)?;
                for (i, p) in self.properties.iter().enumerate() {
                    if i > 0 { f.write_str(", ")?; }
                    ::std::write!(f, "{p}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for Unsupported {}
    }
}
