//! What the client and tools call the generated shapes through: the runtime's `Validate`
//! (checked before sending) with an impl per request naming the service's `Platform`, and
//! `Caller` (anything that sends typed operations: the client, or a stand-in), both re-exported
//! here; the runtime's `ServiceErrorCode` for `ErrorCode`; and `ClientSession` (the session's
//! operations, as the loader resolved them from the spec).

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
                type Platform = Platform;
                type Unsupported = Unsupported;
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
    let error_codes = crate::codegen::error_code::generate(g);
    quote! {
        pub use #rt::{Caller, Validate};

        #(#validates)*

        #error_codes

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
