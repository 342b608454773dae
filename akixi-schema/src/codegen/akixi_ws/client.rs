//! Client glue (`service!(…, client = true)`): one method per operation on
//! `akixi_client::client::Client`, the `Validate` impls the client checks requests with, and the
//! session operations by kind, so that the names of `CreateSession`, `Authenticate` and the
//! closing operation (and the properties they carry) stay in the spec.
//!
//! Only the crate that defines `Client` (akixi-client) can take this output: it is an inherent
//! `impl` of that type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::names::field_name;
use crate::codegen::{Gen, doc_attrs};
use crate::model::{AkixiWsBinding, Family, OpKind, Operation, SessionRoles};

pub(crate) fn generate(g: &Gen<'_>, b: &AkixiWsBinding) -> Result<TokenStream, String> {
    let Some(roles) = &b.session else {
        return Err(
            "a client needs the API session operations (create-session, authenticate, \
             close-session), and the service has none"
                .to_string(),
        );
    };
    let mut methods = TokenStream::new();
    let mut validates = TokenStream::new();
    for (fam, op) in g.svc.operations() {
        let module = field_name(&fam.name);
        let req = format_ident!("{}Request", op.name);
        validates.extend(quote! {
            impl ::akixi_client::client::Validate for #module::#req {
                fn validate_for(
                    &self,
                    platform: Platform,
                ) -> ::std::result::Result<(), Unsupported> {
                    #module::#req::validate_for(self, platform)
                }
            }
        });
        if !is_session(op.kind) {
            methods.extend(method(fam, op));
        }
    }
    let session = session_glue(g, roles);
    // Calls by name go through the client's `Caller`, so they come with the client glue.
    let dynamic = super::dynamic::generate(g);
    Ok(quote! {
        impl ::akixi_client::client::Client {
            #methods
        }
        #validates
        #session
        #dynamic
    })
}

fn is_session(kind: OpKind) -> bool {
    matches!(
        kind,
        OpKind::CreateSession | OpKind::Authenticate | OpKind::CloseSession
    )
}

fn method(fam: &Family, op: &Operation) -> TokenStream {
    let module = field_name(&fam.name);
    let req = format_ident!("{}Request", op.name);
    let resp = format_ident!("{}Response", op.name);
    let name = field_name(&op.name);
    let retry = if op.kind.is_idempotent() {
        "It reads only, so transport failures, timeouts, 502/503/504 and the documented \
         \"try again\" codes are retried under the client's retry policy."
    } else {
        "It changes data, so it is retried only when it cannot have reached the server \
         (a failed connection, a 503 or 429, an expired API session)."
    };
    let text = format!(
        "`{}`: {}\n\nValidates the request for the target platform, sends it in the client's API \
         session and returns the decoded response. {retry} `Fail` is [`Error::Api`], \
         `PartialFail` is [`Error::PartialFail`] holding the decoded data and every error \
         (see [`Client::call`]).\n\n[`Error::Api`]: crate::client::Error::Api\n\
         [`Error::PartialFail`]: crate::client::Error::PartialFail\n\
         [`Client::call`]: crate::client::Client::call",
        op.name,
        op.description.trim_end_matches('.'),
    );
    let doc = doc_attrs(&format!("{text}."));
    let one = quote! {
        #doc
        pub async fn #name(
            &self,
            request: #module::#req,
        ) -> ::std::result::Result<#module::#resp, ::akixi_client::client::Error> {
            self.call(request).await
        }
    };
    if op.kind != OpKind::List || !op.paged {
        return one;
    }
    let stream = format_ident!("{}_stream", name);
    let entry = format_ident!("{}Entry", op.name);
    let doc = doc_attrs(&format!(
        "`{}`, every page: a stream of [`{entry}`]s that pages with `Offset`/`Limit` from the \
         request's `Offset`, holds at most one page in memory and ends after a short page \
         (see [`Client::list`]).\n\n[`{entry}`]: {module}::{entry}\n\
         [`Client::list`]: crate::client::Client::list",
        op.name
    ));
    quote! {
        #one
        #doc
        pub fn #stream(
            &self,
            request: #module::#req,
        ) -> ::akixi_client::client::ListStream<#module::#req, #module::#entry> {
            self.list(request)
        }
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
         Used by `akixi_client::client::Client`; not meant to be called directly.",
        roles.create, roles.authenticate, roles.close
    ));
    quote! {
        #doc
        #[doc(hidden)]
        #[derive(Debug, Clone, Copy)]
        pub struct ClientSession;
        impl ::akixi_client::client::SessionOperations for ClientSession {
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
