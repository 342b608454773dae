//! Result data: the seed's view of each action's outcome.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{Em, em_rt};
use crate::codegen::names::{field_name, type_name};
use crate::codegen::run::doc_attrs;
use crate::model::{Family, OpKind, Operation};

/// `…ResultData`: the seed's view of an outcome, with one field per `returned` property.
pub(super) fn result_data(
    em_: &Em<'_>,
    fam: &Family,
    op: &Operation,
    output: &TokenStream,
) -> TokenStream {
    let b = em_.b;
    let em = em_rt();
    let name = &op.name;
    let data = format_ident!("{}ResultData", op.name);
    let code_prop = &b.error_code_result;
    let message_prop = &b.error_message_result;
    let branch_ty = type_name(&b.branch_type);
    let (success, failure) = (&b.success_branch, &b.failure_branch);
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    for (p, _) in fam.outputs(&op.name) {
        let id = field_name(&p.name);
        let doc = doc_attrs(&format!("`{}`: {}", p.name, p.description));
        // The loader allows these two only.
        let serde = em_.g.serde_field(&p.name, &[], false, false);
        if p.name == *code_prop {
            fields.push(quote!(#doc #serde pub #id: ErrorCode,));
            inits.push(quote!(#id: ErrorCode::from_code(view.error_code),));
        } else if p.name == *message_prop {
            fields.push(quote!(#doc #serde pub #id: ::std::option::Option<::std::string::String>,));
            inits.push(quote!(#id: view.error_message.map(::std::string::ToString::to_string),));
        }
    }
    let results_serde = em_.g.serde_field("results", &[], true, false);
    let branch_serde = em_.g.serde_field("branch", &[], false, false);
    let serde_derive = em_.g.serde_derive(false);
    let results = (op.kind == OpKind::Query).then(|| {
        (
            quote! {
                /// The results, when the query succeeded.
                #results_serde
                pub results: ::std::option::Option<#output>,
            },
            quote!(results: result.as_ref().ok().cloned(),),
        )
    });
    let (results_field, results_init) = results.unzip();
    let doc = doc_attrs(&format!(
        "The result data of `{name}` as the application server's action returns it, and its \
         branch: `{success}` when the service answered success; `{failure}` otherwise, with the \
         service's code and message for a failure, and code `{}` with a null message (`None`) when it \
         did not answer with response XML or could not be reached.",
        b.no_response_error_code
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #serde_derive
        pub struct #data {
            /// The branch the action takes.
            #branch_serde
            pub branch: #branch_ty,
            #(#fields)*
            #results_field
        }

        impl #data {
            /// The result data of an outcome of `Client::send` or the action's own method.
            pub fn from_result<E: #em::Outcome>(result: &::std::result::Result<#output, E>) -> Self {
                let view = #em::outcome_view(result, &BINDING);
                #data {
                    branch: #branch_ty::from(if view.success { #success } else { #failure }),
                    #(#inits)*
                    #results_init
                }
            }
        }
    }
}
