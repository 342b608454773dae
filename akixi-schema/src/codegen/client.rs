//! Client glue (`service!(…, client = true)`): one method per operation on
//! `akixi_client::client::Client`, the `Validate` impls the client checks requests with, and the
//! session operations by kind, so that the names of `CreateSession`, `Authenticate` and the
//! closing operation (and the properties they carry) stay in the spec.
//!
//! Only the crate that defines `Client` (akixi-client) can take this output: it is an inherent
//! `impl` of that type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::field_name;
use super::{Gen, doc_attrs};
use crate::model::{Family, Input, OpKind, Operation, SecretWire, TypeKind};

/// The spec's value types that name the session token and the nonce in `CreateSession`'s
/// response (types, not property names, say what a value is).
const SESSION_ID_TYPE: &str = "SessionId";
const NONCE_TYPE: &str = "Nonce";

pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
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
    let session = session_glue(g);
    quote! {
        impl ::akixi_client::client::Client {
            #methods
        }
        #validates
        #session
    }
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

/// `impl SessionOperations for ClientSession`, or a `compile_error!` saying what the spec lacks.
fn session_glue(g: &Gen<'_>) -> TokenStream {
    match session_parts(g) {
        Ok(tokens) => tokens,
        Err(msg) => {
            let msg = format!("client = true: {msg}");
            quote!(::std::compile_error!(#msg);)
        }
    }
}

fn session_parts(g: &Gen<'_>) -> Result<TokenStream, String> {
    let find = |kind: OpKind| {
        let mut ops = g.svc.operations().filter(move |(_, o)| o.kind == kind);
        match (ops.next(), ops.next()) {
            (Some(one), None) => Ok(one),
            (None, _) => Err(format!("the spec has no `{}` operation", kind.name())),
            (Some(_), Some(_)) => Err(format!(
                "the spec has more than one `{}` operation",
                kind.name()
            )),
        }
    };
    let path = |fam: &Family, op: &Operation| {
        let module = field_name(&fam.name);
        let req = format_ident!("{}Request", op.name);
        quote!(#module::#req)
    };

    let (cfam, create) = find(OpKind::CreateSession)?;
    let (afam, auth) = find(OpKind::Authenticate)?;
    let (xfam, close) = find(OpKind::CloseSession)?;
    for (fam, op) in [(cfam, create), (xfam, close)] {
        if fam
            .inputs(&op.name)
            .any(|(_, i)| matches!(i, Input::Required | Input::Key))
        {
            return Err(format!("`{}` must take no required property", op.name));
        }
    }

    let returned_of_type = |ty: &str| {
        cfam.outputs(&create.name)
            .find(|(p, _)| p.ty == ty)
            .map(|(p, _)| field_name(&p.name))
            .ok_or_else(|| {
                format!(
                    "`{}` returns no property of type `{ty}` (the session {})",
                    create.name,
                    if ty == SESSION_ID_TYPE { "id" } else { "nonce" }
                )
            })
    };
    let session_field = returned_of_type(SESSION_ID_TYPE)?;
    let nonce_field = returned_of_type(NONCE_TYPE)?;

    // Authenticate: one required text property (the user name) and one required encrypted
    // secret (the password); set by their wire names, so their order and names stay in the spec.
    let (mut user, mut password) = (None, None);
    for (p, input) in afam.inputs(&auth.name) {
        if !matches!(input, Input::Required | Input::Key) {
            continue;
        }
        match g.svc.ty(&p.ty).map(|t| &t.kind) {
            Some(TypeKind::Secret {
                wire: SecretWire::Encrypted,
            }) if password.is_none() => password = Some(p.path()),
            Some(TypeKind::String) if user.is_none() => user = Some(p.path()),
            _ => {
                return Err(format!(
                    "`{}` must require exactly a user name (text) and a password (encrypted \
                     secret); `{}` is neither or a second one",
                    auth.name,
                    p.path()
                ));
            }
        }
    }
    let (Some(user), Some(password)) = (user, password) else {
        return Err(format!(
            "`{}` must require a user name (text) and a password (encrypted secret)",
            auth.name
        ));
    };

    let create_ty = path(cfam, create);
    let create_resp = {
        let module = field_name(&cfam.name);
        let resp = format_ident!("{}Response", create.name);
        quote!(#module::#resp)
    };
    let auth_ty = path(afam, auth);
    let close_ty = path(xfam, close);
    let doc = doc_attrs(&format!(
        "The API session operations of this service, from the spec: `{}`, `{}` and `{}`. \
         Used by `akixi_client::client::Client`; not meant to be called directly.",
        create.name, auth.name, close.name
    ));
    Ok(quote! {
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
                ::std::option::Option<::akixi_client::runtime::Secret>,
                ::std::option::Option<::akixi_client::runtime::Secret>,
            ) {
                (response.#session_field, response.#nonce_field)
            }
            fn authenticate(
                username: &str,
                password: &::akixi_client::runtime::Password,
            ) -> ::std::result::Result<
                Self::Authenticate,
                ::std::vec::Vec<::akixi_client::runtime::SetError>,
            > {
                #auth_ty::from_wire_fields(&[(#user, username), (#password, password.expose())])
            }
            fn close() -> Self::Close {
                #close_ty::new()
            }
        }
    })
}
