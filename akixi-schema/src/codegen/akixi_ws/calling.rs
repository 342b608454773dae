//! What the client and tools call the generated shapes through, generated beside them because
//! they name the service's `Platform`: `Validate` (checked before sending) with an impl per
//! request, `Caller` (anything that sends typed operations: the client, or a stand-in), and
//! `ClientSession` (the session's operations, as the loader resolved them from the spec).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::names::field_name;
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{AkixiWsBinding, SessionRoles};

pub(super) fn generate(g: &Gen<'_>, b: &AkixiWsBinding) -> TokenStream {
    let rt = &g.rt;
    let validates = g.svc.operations().map(|(fam, op)| {
        let module = field_name(&fam.name);
        let req = format_ident!("{}Request", op.name);
        quote! {
            impl Validate for #module::#req {
                fn validate_for(&self, platform: Platform) -> ::std::result::Result<(), Unsupported> {
                    #module::#req::validate_for(self, platform)
                }
            }
        }
    });
    let session = b
        .session
        .as_ref()
        .map(|roles| session_glue(g, roles))
        .unwrap_or_default();
    quote! {
        /// A request that can be checked against a platform's support matrix before it is sent:
        /// every request of the service, through its own `validate_for`. A hand-written
        /// `Operation` without platform rules implements it by returning `Ok(())`.
        pub trait Validate {
            /// Every property the request sets that `platform` does not support.
            fn validate_for(&self, platform: Platform) -> ::std::result::Result<(), Unsupported>;
        }

        #(#validates)*

        /// Something that sends typed operations: the client, or anything standing in for it.
        /// Tools that work by operation name (`dynamic`, the command line) call through this.
        pub trait Caller: ::std::marker::Sync {
            /// What a failed call says.
            type Error: ::std::marker::Send;
            /// Sends `op` and returns its response data.
            fn call<O>(
                &self,
                op: O,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<O::Response, Self::Error>> + ::std::marker::Send
            where
                O: #rt::Operation + Validate + ::std::marker::Send + ::std::marker::Sync + 'static,
                O::Response: ::std::marker::Send + ::std::marker::Sync + 'static;
        }

        #session
    }
}

/// `impl SessionOperations for ClientSession`: the session's operations and properties, as the
/// loader resolved them from the spec.
fn session_glue(g: &Gen<'_>, roles: &SessionRoles) -> TokenStream {
    let rt = &g.rt;
    let op = |name: &str| {
        g.svc.operation(name).map(|(fam, op)| {
            let module = field_name(&fam.name);
            let req = format_ident!("{}Request", op.name);
            let resp = format_ident!("{}Response", op.name);
            (quote!(#module::#req), quote!(#module::#resp))
        })
    };
    let (Some((create_ty, create_resp)), Some((auth_ty, _)), Some((close_ty, _))) =
        (op(&roles.create), op(&roles.authenticate), op(&roles.close))
    else {
        return TokenStream::new();
    };
    let session_field = field_name(&roles.session_id);
    let nonce_field = field_name(&roles.nonce);
    let (user, password) = (&roles.username, &roles.password);
    let doc = doc_attrs(&format!(
        "The API session operations of this service, from the spec: `{}`, `{}` and `{}`. \
         Used by the client; not meant to be called directly.",
        roles.create, roles.authenticate, roles.close
    ));
    quote! {
        #doc
        #[doc(hidden)]
        #[derive(Debug, Clone, Copy)]
        pub struct ClientSession;
        impl #rt::SessionOperations for ClientSession {
            type Create = #create_ty;
            type Authenticate = #auth_ty;
            type Close = #close_ty;
            fn create() -> Self::Create {
                #create_ty::new()
            }
            fn session_of(
                response: #create_resp,
            ) -> (
                ::std::option::Option<#rt::Secret>,
                ::std::option::Option<#rt::Secret>,
            ) {
                (response.#session_field, response.#nonce_field)
            }
            fn authenticate(
                username: &str,
                password: &#rt::Password,
            ) -> ::std::result::Result<
                Self::Authenticate,
                ::std::vec::Vec<#rt::SetError>,
            > {
                #auth_ty::from_wire_fields(&[(#user, username), (#password, password.expose())])
            }
            fn close() -> Self::Close {
                #close_ty::new()
            }
        }
    }
}
