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
    let ops: Vec<(String, TokenStream)> = g
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
                    (op.name.clone(), quote!(super::#module::#ty))
                })
        })
        .collect();
    let names: Vec<&String> = ops.iter().map(|(n, _)| n).collect();
    let types: Vec<&TokenStream> = ops.iter().map(|(_, t)| t).collect();
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

            /// Like [`call`], with `Offset`/`Limit` for a paged operation (ignored by the others).
            pub async fn call_paged<C: super::Caller>(
                caller: &C,
                operation: &str,
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
                offset: ::std::option::Option<u64>,
                limit: ::std::option::Option<u64>,
            ) -> ::std::result::Result<::std::vec::Vec<#rt::Record>, #rt::DynError<C::Error>> {
                match operation {
                    #(#names => {
                        let mut req = build::<#types>(fields, platform, |f| <#types>::from_wire_fields(f), |r, p| r.validate_for(p)).map_err(widen)?;
                        #rt::Operation::set_paging(&mut req, offset, limit);
                        let data = caller.call(req).await.map_err(#rt::DynError::Call)?;
                        Ok(#rt::records(&data))
                    })*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }

            /// Builds, validates and sends `operation`; returns the response as records.
            pub async fn call<C: super::Caller>(
                caller: &C,
                operation: &str,
                fields: &[(String, String)],
                platform: ::std::option::Option<Platform>,
            ) -> ::std::result::Result<::std::vec::Vec<#rt::Record>, #rt::DynError<C::Error>> {
                match operation {
                    #(#names => {
                        let req = build::<#types>(fields, platform, |f| <#types>::from_wire_fields(f), |r, p| r.validate_for(p)).map_err(widen)?;
                        let data = caller.call(req).await.map_err(#rt::DynError::Call)?;
                        Ok(#rt::records(&data))
                    })*
                    other => Err(#rt::DynError::UnknownOperation(other.to_string())),
                }
            }
        }
    }
}
