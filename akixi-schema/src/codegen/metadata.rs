//! Operation and property metadata as static data (`runtime::OperationInfo`, `PropertyInfo`),
//! for tools that work from the spec at run time; shared by both protocols.

use proc_macro2::TokenStream;
use quote::quote;

use super::run::Gen;
use crate::model::{Family, Input, OpKind, Operation, Property, Returned, TypeKind};

pub(crate) fn op_kind(g: &Gen<'_>, kind: OpKind) -> TokenStream {
    let rt = &g.rt;
    let v = match kind {
        OpKind::Add => quote!(Add),
        OpKind::Change => quote!(Change),
        OpKind::Delete => quote!(Delete),
        OpKind::Info => quote!(Info),
        OpKind::List => quote!(List),
        OpKind::CreateSession => quote!(CreateSession),
        OpKind::Authenticate => quote!(Authenticate),
        OpKind::CloseSession => quote!(CloseSession),
        OpKind::Request => quote!(Request),
        OpKind::Query => quote!(Query),
    };
    quote!(#rt::OpKind::#v)
}

/// One property as a `runtime::PropertyInfo` expression (shared with the `cisco-em` binding).
pub(crate) fn property_info(g: &Gen<'_>, p: &Property) -> TokenStream {
    let rt = &g.rt;
    {
        let name = &p.name;
        let container = match &p.container {
            Some(c) => quote!(Some(#c)),
            None => quote!(None),
        };
        let type_name = &p.ty;
        let ty = g.svc.ty(&p.ty);
        let kind = match ty.map(|t| &t.kind) {
            None | Some(TypeKind::String) => quote!(#rt::ValueKind::String),
            Some(TypeKind::Integer { min, max }) => {
                quote!(#rt::ValueKind::Integer { min: #min, max: #max })
            }
            Some(TypeKind::Boolean) => quote!(#rt::ValueKind::Boolean),
            Some(TypeKind::Enum | TypeKind::Fields { .. }) => quote!(#rt::ValueKind::Enum),
            Some(TypeKind::List { .. }) => quote!(#rt::ValueKind::List),
            Some(TypeKind::Selector { .. }) => quote!(#rt::ValueKind::Selector),
            Some(TypeKind::Secret { .. }) => quote!(#rt::ValueKind::Secret),
        };
        let values: Vec<String> = match ty.map(|t| &t.kind) {
            Some(TypeKind::List { item }) => values_of(g, item),
            Some(_) => values_of(g, &p.ty),
            None => Vec::new(),
        };
        let aliases = &p.aliases;
        let description = &p.description;
        let support: Vec<bool> = match &p.support {
            Some(s) => s.clone(),
            None => vec![true; g.svc.platforms.len()],
        };
        quote! {
            #rt::PropertyInfo {
                name: #name,
                container: #container,
                type_name: #type_name,
                kind: #kind,
                values: &[#(#values),*],
                aliases: &[#(#aliases),*],
                description: #description,
                support: &[#(#support),*],
            }
        }
    }
}

fn values_of(g: &Gen<'_>, ty: &str) -> Vec<String> {
    let Some(t) = g.svc.ty(ty) else {
        return Vec::new();
    };
    match &t.kind {
        TypeKind::Fields { operation } => g
            .svc
            .operation(operation)
            .map(|(f, _)| {
                f.outputs(operation)
                    .filter(|(p, _)| p.container.is_none())
                    .map(|(p, _)| p.name.clone())
                    .collect()
            })
            .unwrap_or_default(),
        _ => t.values.iter().map(|v| v.value.clone()).collect(),
    }
}

/// One operation as a `runtime::OperationInfo` literal; its fields point into `properties`
/// (a path to a `PROPERTIES` const), where the family's properties start at `base`.
pub(crate) fn operation_info(
    g: &Gen<'_>,
    fam: &Family,
    op: &Operation,
    properties: &TokenStream,
    base: usize,
) -> TokenStream {
    let rt = &g.rt;
    let name = &op.name;
    let family = &fam.name;
    let kind = op_kind(g, op.kind);
    let description = &op.description;
    let paged = op.paged;
    let codes: Vec<u32> = op.errors.iter().map(|e| e.code).collect();
    let fields = fam.properties.iter().enumerate().filter_map(|(i, p)| {
        let u = p.usage(&op.name)?;
        let i = base + i;
        let input = match u.input {
            None => quote!(None),
            Some(Input::Required) => quote!(Some(#rt::InputUse::Required)),
            Some(Input::Optional) => quote!(Some(#rt::InputUse::Optional)),
            Some(Input::Key) => quote!(Some(#rt::InputUse::Key)),
        };
        let returned = match u.returned {
            None => quote!(None),
            Some(Returned::Returned) => quote!(Some(false)),
            Some(Returned::Default) => quote!(Some(true)),
        };
        Some(quote!(#rt::FieldInfo { property: &#properties[#i], input: #input, returned: #returned }))
    });
    quote! {
        #rt::OperationInfo {
            name: #name,
            family: #family,
            kind: #kind,
            description: #description,
            paged: #paged,
            error_codes: &[#(#codes),*],
            fields: &[#(#fields),*],
        }
    }
}
