//! The `cisco-em` protocol: the `BINDING` constants, one action type per operation (its
//! parameters placed by their `Element` paths), each action's result data, `AnyAction` for
//! servers, the action metadata, and the service's client: the marker `Service` implementing
//! the runtime's `CiscoEmService`, and the `Client` newtype over the runtime's generic client
//! with one method per action.
//!
//! Element names, the documents' roots, the endpoint's parameters and the result data's
//! properties all come from the spec (`Element` columns and `binding` rows), checked by the
//! loader; nothing here makes a name up or reports a problem.

mod actions;
mod binding;
mod context;
mod params;
mod results;

use proc_macro2::TokenStream;
use quote::quote;

use super::metadata::{operation_info, property_info};
use super::names::{field_name, type_name};
use super::run::{Gen, doc_attrs};
use crate::model::{CiscoEmBinding, Family, OpKind, Operation};
use context::{Em, em_rt};

pub(crate) fn generate(g: &Gen<'_>, b: &CiscoEmBinding) -> TokenStream {
    let em = Em { g, b };
    let binding = binding::binding(&em);
    let mut actions = TokenStream::new();
    let mut ops = Vec::new();
    for fam in &g.svc.families {
        for op in &fam.operations {
            actions.extend(actions::action(&em, fam, op));
            ops.push((fam, op));
        }
    }
    let any_action = actions::any_action(&ops);
    let infos = action_infos(g, &ops);
    let error_codes = super::error_code::generate(g);
    let client = client(&em);
    quote! { #binding #actions #any_action #infos #error_codes #client }
}

/// `PROPERTIES` and `ACTIONS`: the actions and their parameters as static data
/// (`runtime::OperationInfo`), for tools that work from the spec at run time (the CLI).
fn action_infos(g: &Gen<'_>, ops: &[(&Family, &Operation)]) -> TokenStream {
    let rt = &g.rt;
    let mut props = Vec::new();
    let mut offsets = Vec::new();
    for fam in &g.svc.families {
        offsets.push((fam.name.as_str(), props.len()));
        props.extend(fam.properties.iter().map(|p| property_info(g, p)));
    }
    let actions = ops.iter().map(|(fam, op)| {
        let base = offsets
            .iter()
            .find(|(f, _)| *f == fam.name)
            .map_or(0, |(_, b)| *b);
        operation_info(g, fam, op, &quote!(PROPERTIES), base)
    });
    quote! {
        /// Every parameter and result property of the service, as the spec describes it.
        pub const PROPERTIES: &[#rt::PropertyInfo] = &[#(#props),*];
        /// Every action of the service with its parameters, as the spec describes them, in
        /// the spec's order (the names of `AnyAction::NAMES`).
        pub const ACTIONS: &[#rt::OperationInfo] = &[#(#actions),*];
    }
}

/// The marker `Service`, the `Client` newtype with one method per action and `send_any`, and
/// the aliases `ClientBuilder`, `Error`, `FailureError` and `SeedView`.
fn client(em: &Em<'_>) -> TokenStream {
    let g = em.g;
    let rt = em_rt();
    let handle = super::client_handle::newtype(&rt, &TokenStream::new());
    let methods = g.svc.operations().map(|(_, op)| {
        let element = op.element.as_deref().unwrap_or_default();
        let method = field_name(&op.name);
        let ty = type_name(&op.name);
        let output = actions::output(em, op);
        let output = match op.kind {
            OpKind::Query => output,
            _ => quote!(()),
        };
        let doc = doc_attrs(&format!(
            "Sends `{}` (`<{element}>`): {}\n\n{} For the seed's view, pass the result to \
             `{}ResultData::from_result`.",
            op.name,
            op.description,
            if op.kind == OpKind::Query {
                "Returns the results, or why there are none."
            } else {
                "Returns `Ok(())` for `<success/>`, or why it did not succeed."
            },
            op.name
        ));
        quote! {
            #doc
            pub async fn #method(&self, action: &#ty) -> ::std::result::Result<#output, Error> {
                self.0.send(action).await
            }
        }
    });
    let with_element: Vec<&Operation> = g
        .svc
        .operations()
        .map(|(_, op)| op)
        .filter(|op| op.element.is_some())
        .collect();
    let variants = with_element.iter().map(|op| type_name(&op.name));
    let name = &g.svc.name;
    let service_doc = doc_attrs(&format!(
        "The `{name}` service, as the runtime's generic client sees it. The client is \
         [`Client`]."
    ));
    quote! {
        #service_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct Service;

        impl #rt::CiscoEmService for Service {
            type ErrorCode = ErrorCode;
            type Client = Client;
            const BINDING: #rt::Binding = BINDING;
        }

        /// Builds a [`Client`].
        pub type ClientBuilder = #rt::ClientBuilder<Service>;
        /// Why a [`Client`] call did not succeed.
        pub type Error = #rt::Error<Service>;
        /// The service answered `<failure>`.
        pub type FailureError = #rt::FailureError<Service>;
        /// The seed's view of an outcome: what the application server's action returned.
        pub type SeedView = #rt::SeedView<Service>;

        /// A client of Extension Mobility services: cheap to clone (clones share the connection
        /// pool), `Send + Sync`. Each action names its own service (its host or URL parameter),
        /// so one client serves any number of clusters.
        ///
        /// It dereferences to the runtime's generic client (`send`, `endpoint`, `scheme`) and
        /// adds one method per action of the spec, named after it in snake case, and
        /// `send_any`.
        #handle

        impl Client {
            /// A client with the defaults (`http` for hosts, as the original; 10 s to connect,
            /// 30 s per exchange, 4 MiB responses).
            pub fn new() -> ::std::result::Result<Self, Error> {
                ClientBuilder::new().build()
            }

            /// A builder.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            #(#methods)*

            /// Sends any action of the service and returns what the service answered, as a
            /// response: a success, or a query's results (see the generic client's `send`).
            pub async fn send_any(&self, action: &AnyAction) -> ::std::result::Result<#rt::Response, Error> {
                match action {
                    #(AnyAction::#variants(a) => self.0.send(a).await.map(#rt::ActionOutput::into_response),)*
                }
            }
        }
    }
}
