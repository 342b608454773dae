//! Operations by name: build a typed request from `(wire name, text)` pairs, validate it, call
//! it through any `Caller`, and turn the response into records. Tools that work from the spec at
//! run time (the command line, bulk import) use this instead of naming types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::names::field_name;
use crate::codegen::run::Gen;
use crate::model::OpKind;

pub(crate) fn generate(g: &Gen<'_>) -> TokenStream {
    let rt = &g.rt;
    let ops: Vec<(String, TokenStream, TokenStream)> = g
        .svc
        .families
        .iter()
        .flat_map(|fam| {
            let module = field_name(&fam.name);
            fam.operations
                .iter()
                .filter(|op| {
                    !matches!(
                        op.kind,
                        OpKind::CreateSession | OpKind::Authenticate | OpKind::CloseSession
                    )
                })
                .map(move |op| {
                    let ty = format_ident!("{}Request", op.name);
                    // What one record of the response is: a list's entry, or the whole data.
                    let record = if op.kind == OpKind::List {
                        format_ident!("{}Entry", op.name)
                    } else {
                        format_ident!("{}Response", op.name)
                    };
                    (
                        op.name.clone(),
                        quote!(super::#module::#ty),
                        quote!(super::#module::#record),
                    )
                })
        })
        .collect();
    let names: Vec<&String> = ops.iter().map(|(n, ..)| n).collect();
    let lists = g
        .svc
        .families
        .iter()
        .flat_map(|f| &f.operations)
        .filter(|op| {
            !matches!(
                op.kind,
                OpKind::CreateSession | OpKind::Authenticate | OpKind::CloseSession
            )
        })
        .map(|op| op.kind == OpKind::List);
    let types: Vec<&TokenStream> = ops.iter().map(|(_, t, _)| t).collect();
    let json = g.serde.then(|| {
        let record_types = ops.iter().map(|(.., r)| r);
        let json = g.json();
        quote! {
            /// `operation`'s request from JSON in its typed shape (wire names, typed values;
            /// see `akixi_client::json`), as `(wire name, text)` pairs for [`call`] or
            /// [`validate`]. Keys the request does not have are ignored: check them first
            /// against the operation's metadata where that matters.
            pub fn request_fields_from_json(operation: &str, json: &#json::Value) -> ::std::result::Result<#rt::Record, #rt::DynError<::std::convert::Infallible>> {
                match operation {
                    #(#names => #json::fields_of::<#types>(json),)*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }

            /// `operation`'s request built from `(wire name, text)` pairs (checked as [`call`]
            /// checks them, for `platform` if given), as JSON in its typed shape. Secrets are
            /// left out.
            pub fn request_json(operation: &str, fields: &[(String, String)], platform: ::std::option::Option<Platform>) -> ::std::result::Result<#json::Value, #rt::DynError<::std::convert::Infallible>> {
                match operation {
                    #(#names => #json::to_json(&build::<#types>(fields, platform, |f| <#types>::from_wire_fields(f), |r, p| r.validate_for(p))?),)*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }

            /// One record of `operation`'s response (a list's entry) from JSON in its typed
            /// shape (what [`call_paged_with`] gives with the JSON collector), as records.
            pub fn response_record_from_json(operation: &str, json: &#json::Value) -> ::std::result::Result<#rt::Record, #rt::DynError<::std::convert::Infallible>> {
                match operation {
                    #(#names => #json::fields_of::<#record_types>(json),)*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }
        }
    });
    quote! {
        /// Operations by name, for tools that work from the spec at run time.
        pub mod dynamic {
            use super::Platform;

            /// The operations that can be called by name (the session operations are the
            /// client's own business).
            pub const NAMES: &[&str] = &[#(#names),*];

            fn build<O: #rt::Operation>(
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
                from: impl FnOnce(&[(String, String)]) -> ::std::result::Result<O, ::std::vec::Vec<#rt::SetError>>,
                validate: impl FnOnce(&O, Platform) -> ::std::result::Result<(), super::Unsupported>,
            ) -> ::std::result::Result<O, #rt::DynError<::std::convert::Infallible>> {
                let req = from(fields).map_err(#rt::DynError::Fields)?;
                if let Some(p) = platform {
                    validate(&req, p).map_err(|e| #rt::DynError::Unsupported(e.to_string()))?;
                }
                Ok(req)
            }

            fn widen<E>(e: #rt::DynError<::std::convert::Infallible>) -> #rt::DynError<E> {
                match e {
                    #rt::DynError::UnknownOperation(n) => #rt::DynError::UnknownOperation(n),
                    #rt::DynError::Fields(f) => #rt::DynError::Fields(f),
                    #rt::DynError::Unsupported(u) => #rt::DynError::Unsupported(u),
                    #rt::DynError::Json(j) => #rt::DynError::Json(j),
                    #rt::DynError::Call(never) => match never {},
                }
            }

            /// Checks that `fields` make a valid `operation` request (for `platform`, if given),
            /// reporting every problem; sends nothing.
            pub fn validate(
                operation: &str,
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
            ) -> ::std::result::Result<(), #rt::DynError<::std::convert::Infallible>> {
                match operation {
                    #(#names => build::<#types>(fields, platform, |f| <#types>::from_wire_fields(f), |r, p| r.validate_for(p)).map(|_| ()),)*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }

            /// Like [`call_paged`], with the response turned into what `collect` makes of it
            /// (records, or with the `serde` feature records and JSON: see the runtime's
            /// `Collect`).
            pub async fn call_paged_with<C: super::Caller<Platform = super::Platform, Unsupported = super::Unsupported>, K: #rt::Collect>(
                caller: &C,
                operation: &str,
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
                offset: ::std::option::Option<u64>,
                limit: ::std::option::Option<u64>,
                collect: &K,
            ) -> ::std::result::Result<K::Out, #rt::DynError<C::Error>> {
                match operation {
                    #(#names => {
                        let mut req = build::<#types>(fields, platform, |f| <#types>::from_wire_fields(f), |r, p| r.validate_for(p)).map_err(widen)?;
                        #rt::Operation::set_paging(&mut req, offset, limit);
                        let data = caller.call(req).await.map_err(#rt::DynError::Call)?;
                        Ok(collect.collect(&data, #lists))
                    })*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }

            /// Like [`call`], with `Offset`/`Limit` for a paged operation (ignored by the others).
            pub async fn call_paged<C: super::Caller<Platform = super::Platform, Unsupported = super::Unsupported>>(
                caller: &C,
                operation: &str,
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
                offset: ::std::option::Option<u64>,
                limit: ::std::option::Option<u64>,
            ) -> ::std::result::Result<::std::vec::Vec<#rt::Record>, #rt::DynError<C::Error>> {
                call_paged_with(caller, operation, fields, platform, offset, limit, &#rt::CollectRecords).await
            }

            /// Builds, validates and sends `operation`; returns the response as records.
            pub async fn call<C: super::Caller<Platform = super::Platform, Unsupported = super::Unsupported>>(
                caller: &C,
                operation: &str,
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
            ) -> ::std::result::Result<::std::vec::Vec<#rt::Record>, #rt::DynError<C::Error>> {
                call_paged(caller, operation, fields, platform, None, None).await
            }

            #json
        }
    }
}
