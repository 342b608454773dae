//! The `cisco-em` protocol: the `BINDING` constants, one action type per operation (its
//! parameters placed by their `Element` paths), each action's result data, `AnyAction` for
//! servers, the action metadata, and (client glue) one method per action on
//! `akixi_client::cisco_em::Client`.
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
    quote! { #binding #actions #any_action #infos }
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

/// One method per action on `akixi_client::cisco_em::Client` (akixi-client only).
pub(crate) fn generate_client(g: &Gen<'_>, b: &CiscoEmBinding, types: &TokenStream) -> TokenStream {
    let em = Em { g, b };
    let client = quote!(::akixi_client::cisco_em);
    let methods = g.svc.operations().map(|(_, op)| {
        let element = op.element.as_deref().unwrap_or_default();
        let method = field_name(&op.name);
        let ty = type_name(&op.name);
        let output = actions::output(&em, op);
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
            pub async fn #method(&self, action: &#types::#ty) -> ::std::result::Result<#output, #client::Error> {
                self.send(action).await
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
    let rt = em_rt();
    quote! {
        impl #client::Client {
            #(#methods)*

            /// Sends any action of the service and returns what the service answered, as a
            /// response: a success, or a query's results (see [`send`](Self::send)).
            pub async fn send_any(&self, action: &#types::AnyAction) -> ::std::result::Result<#client::Response, #client::Error> {
                match action {
                    #(#types::AnyAction::#variants(a) => self.send(a).await.map(#rt::ActionOutput::into_response),)*
                }
            }
        }
    }
}
