//! The service's client, in the same expansion as its API: the marker type `Service`
//! implementing the runtime's `AkixiWsService` (its types and the binding's constants), the
//! `Client` newtype over the runtime's generic client (it dereferences to it) with one method
//! per operation (`user_add`, `user_info`, …, `user_list_stream` for paged lists), and the
//! aliases `ClientBuilder`, `Error`, `ListStream`, `ApiError`, `ApiFailure`, `PartialFailure`
//! and `ValidationError`. The newtype is what lets a service generated in any crate have a
//! client with inherent methods. A service without API session operations gets no client (its
//! API is generated all the same).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::client_handle;
use crate::codegen::names::field_name;
use crate::codegen::run::{Gen, doc_attrs};
use crate::model::{AkixiWsBinding, Family, OpKind, Operation};

/// The client, or nothing for a service without API session operations.
pub(crate) fn generate(g: &Gen<'_>, b: &AkixiWsBinding) -> TokenStream {
    if b.session.is_none() {
        return TokenStream::new();
    }
    let rt = &g.rt;
    let methods = g
        .svc
        .operations()
        .filter(|(_, op)| !is_session(op.kind))
        .map(|(fam, op)| method(fam, op));
    let name = &g.svc.name;
    let service_doc = doc_attrs(&format!(
        "The `{name}` service, as the runtime's generic client sees it: its types and the \
         binding's constants. The client is [`Client`]."
    ));
    let client_doc = doc_attrs(&format!(
        "A client of one `{name}` endpoint: cheap to clone (clones share the connection pool, \
         the API session and the InvokeID counter), `Send + Sync`.\n\nBuild one with \
         [`Client::builder`]. It dereferences to the runtime's generic client, whose `call`, \
         `list`, `close` and `has_session` it has, and adds one method per operation of the \
         spec (and `…_list_stream` for paged lists)."
    ));
    let handle = client_handle::newtype(rt, &client_doc);
    quote! {
        #service_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct Service;

        impl #rt::AkixiWsService for Service {
            type Platform = Platform;
            type ErrorCode = ErrorCode;
            type Unsupported = Unsupported;
            type Session = ClientSession;
            type Client = Client;
            const BINDING: #rt::Binding = BINDING;
            const OPERATIONS: &'static [#rt::OperationInfo] = OPERATIONS;
            const SECRET_PROPERTIES: &'static [&'static str] = SECRET_PROPERTIES;
            const TELEPHONY_SERVER_PROPERTY: &'static str = TELEPHONY_SERVER_PROPERTY;
            const PASSWORD_SCHEME: #rt::PasswordScheme = PASSWORD_SCHEME;
            const DEFAULT_LIMIT: u64 = DEFAULT_LIMIT;
            const INVOKE_ID_DIGITS: usize = INVOKE_ID_DIGITS;
        }

        /// Builds a [`Client`]: `Client::builder(url).credentials(user, password).build()`.
        pub type ClientBuilder = #rt::ClientBuilder<Service>;
        /// Why a [`Client`] call failed.
        pub type Error = #rt::Error<Service>;
        /// The entries of a `List` operation, page by page (`Client::list`).
        pub type ListStream<O, E> = #rt::ListStream<Service, O, E>;
        /// One error of a `Fail` or `PartialFail` response.
        pub type ApiError = #rt::ApiError<Service>;
        /// A `Fail` response.
        pub type ApiFailure = #rt::ApiFailure<Service>;
        /// A `PartialFail` response: the decoded data and every error.
        pub type PartialFailure = #rt::PartialFailure<Service>;
        /// A request its target platform(s) do not support; nothing was sent.
        pub type ValidationError = #rt::ValidationError<Service>;

        #handle

        impl #rt::Caller for Client {
            type Platform = Platform;
            type Unsupported = Unsupported;
            type Error = Error;
            fn call<O>(
                &self,
                op: O,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<O::Response, Error>> + ::std::marker::Send
            where
                O: #rt::Operation
                    + #rt::Validate<Platform = Platform, Unsupported = Unsupported>
                    + ::std::marker::Send
                    + ::std::marker::Sync
                    + 'static,
                O::Response: ::std::marker::Send + ::std::marker::Sync + 'static,
            {
                self.0.call(op)
            }
        }

        impl Client {
            /// A builder for the XML endpoint at `endpoint` (the full URL).
            pub fn builder(endpoint: impl ::std::convert::Into<::std::string::String>) -> ClientBuilder {
                ClientBuilder::new(endpoint)
            }

            #(#methods)*
        }
    }
}

pub(super) fn is_session(kind: OpKind) -> bool {
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
         (see the generic client's `call`).\n\n\
         [`Error::Api`]: ::akixi_client::akixi_ws::client::Error::Api\n\
         [`Error::PartialFail`]: ::akixi_client::akixi_ws::client::Error::PartialFail",
        op.name,
        op.description.trim_end_matches('.'),
    );
    let doc = doc_attrs(&format!("{text}."));
    let one = quote! {
        #doc
        pub async fn #name(
            &self,
            request: #module::#req,
        ) -> ::std::result::Result<#module::#resp, Error> {
            self.0.call(request).await
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
         (see the generic client's `list`).\n\n[`{entry}`]: {module}::{entry}",
        op.name
    ));
    quote! {
        #one
        #doc
        pub fn #stream(
            &self,
            request: #module::#req,
        ) -> ListStream<#module::#req, #module::#entry> {
            self.0.list(request)
        }
    }
}
