//! The generated `Client` of any protocol: a newtype over the runtime's client generic over the
//! service, which the protocol's generator documents and gives its typed methods. A newtype,
//! because a crate may not add inherent methods to another crate's generic type: this is what
//! lets a service generated in any crate (a test fixture, a user's build script) have a client.

use proc_macro2::TokenStream;
use quote::quote;

/// `pub struct Client(rt::Client<Service>)` with `Clone`, `Debug`, `Deref` to the generic
/// client and `From` it; `rt` is the protocol's runtime path, `doc` the struct's doc attributes.
pub(crate) fn newtype(rt: &TokenStream, doc: &TokenStream) -> TokenStream {
    quote! {
        #doc
        #[derive(Clone)]
        pub struct Client(#rt::Client<Service>);

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = #rt::Client<Service>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::std::convert::From<#rt::Client<Service>> for Client {
            fn from(client: #rt::Client<Service>) -> Self {
                Client(client)
            }
        }
    }
}
