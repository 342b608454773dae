//! Client glue (`service!(…, part = "client")`): one method per operation on the client
//! (`user_add`, `user_info`, …, `user_list_stream` for paged lists). It is emitted inside the
//! client's own module (`akixi_ws/client/methods.rs`), apart from the generated types, so that
//! the types never depend on the client; only the crate that defines the client can take it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::names::field_name;
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{AkixiWsBinding, Family, OpKind, Operation};

/// The client's module, which the glue names.
fn client_path() -> TokenStream {
    quote!(::akixi_client::akixi_ws::client)
}

/// The methods; `types` is the path of the service's generated types (`::akixi_client::akixi`).
pub(crate) fn generate(
    g: &Gen<'_>,
    b: &AkixiWsBinding,
    types: &TokenStream,
) -> Result<TokenStream, String> {
    if b.session.is_none() {
        return Err(
            "a client needs the API session operations (create-session, authenticate, \
             close-session), and the service has none"
                .to_string(),
        );
    }
    let client = client_path();
    let methods = g
        .svc
        .operations()
        .filter(|(_, op)| !is_session(op.kind))
        .map(|(fam, op)| method(types, fam, op));
    Ok(quote! {
        impl #client::Client {
            #(#methods)*
        }
    })
}

pub(super) fn is_session(kind: OpKind) -> bool {
    matches!(
        kind,
        OpKind::CreateSession | OpKind::Authenticate | OpKind::CloseSession
    )
}

fn method(types: &TokenStream, fam: &Family, op: &Operation) -> TokenStream {
    let module = field_name(&fam.name);
    let client = client_path();
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
            request: #types::#module::#req,
        ) -> ::std::result::Result<#types::#module::#resp, #client::Error> {
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
            request: #types::#module::#req,
        ) -> #client::ListStream<#types::#module::#req, #types::#module::#entry> {
            self.list(request)
        }
    }
}
