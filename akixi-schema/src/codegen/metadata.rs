//! Operation and property metadata as static data (`runtime::OperationInfo`, `PropertyInfo`),
//! for tools that work from the spec at run time; shared by both protocols.

use proc_macro2::TokenStream;
use quote::quote;

use super::run::Gen;
use crate::model::{
    Access, Billable, Condition, Family, Input, OnDelete, OpKind, Operation, Property, Returned,
    Service, TypeKind,
};

pub(crate) fn op_kind(g: &Gen<'_>, kind: OpKind) -> TokenStream {
    let rt = &g.rt;
    let v = match kind {
        OpKind::Add => quote!(Add),
        OpKind::Change => quote!(Change),
        OpKind::Delete => quote!(Delete),
        OpKind::Info => quote!(Info),
        OpKind::List => quote!(List),
        OpKind::BulkAdd => quote!(BulkAdd),
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
        let access = match p.access {
            Access::ReadWrite => quote!(#rt::Access::ReadWrite),
            Access::ReadOnlyAfterCreation => quote!(#rt::Access::ReadOnlyAfterCreation),
            Access::WriteOnly => quote!(#rt::Access::WriteOnly),
        };
        let default = option_str(p.default.as_deref());
        let references = option_str(p.references.as_ref().map(|r| r.family.as_str()));
        let on_delete = match p.references.as_ref().map(|r| r.on_delete) {
            Some(OnDelete::Cascade) => quote!(#rt::OnDelete::Cascade),
            _ => quote!(#rt::OnDelete::Refuse),
        };
        let renames = option_str(p.renames.as_deref());
        let axis_support = p.axis_support.clone().unwrap_or_default();
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
                access: #access,
                default: #default,
                references: #references,
                on_delete: #on_delete,
                renames: #renames,
                axis_support: &[#(#axis_support),*],
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
    let aliases = &op.aliases;
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
            aliases: &[#(#aliases),*],
            error_codes: &[#(#codes),*],
            fields: &[#(#fields),*],
        }
    }
}

fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// One family as a `runtime::FamilyInfo` literal; `properties` is the path of its
/// `PROPERTIES` const. Its operations point into the service's `OPERATIONS`, which lists every
/// family's operations in the spec's order (`akixi_ws::operation_infos`).
pub(crate) fn family_info(g: &Gen<'_>, fam: &Family, properties: &TokenStream) -> TokenStream {
    let rt = &g.rt;
    let name = &fam.name;
    let base: usize = g
        .svc
        .families
        .iter()
        .take_while(|f| !std::ptr::eq(*f, fam))
        .map(|f| f.operations.len())
        .sum();
    let operations = (base..base + fam.operations.len()).map(|i| quote!(&OPERATIONS[#i]));
    let key_paths = fam.key_paths();
    let order = g.svc.reference_order();
    let index = g.svc.families.iter().position(|f| std::ptr::eq(f, fam));
    let reference_rank = order
        .iter()
        .position(|i| Some(*i) == index)
        .unwrap_or_default();
    let reference_depth = g.svc.reference_depth(fam);
    let keys: Vec<usize> = fam
        .keys()
        .filter_map(|k| fam.properties.iter().position(|p| std::ptr::eq(p, k)))
        .collect();
    let t = &fam.traits;
    let permission = option_str(t.permission.as_deref());
    let placement = option_str(t.placement.as_deref());
    let platform = option_str(t.platform.as_deref());
    let search = match &t.search {
        Some(s) => {
            let (input, matches) = (&s.input, &s.matches);
            quote!(Some(#rt::SearchInfo { input: #input, matches: &[#(#matches),*] }))
        }
        None => quote!(None),
    };
    let accounts = match &t.accounts {
        Some(a) => {
            let (password, locked) = (&a.password, &a.locked);
            let (container, list) = match a.permissions.split_once('.') {
                Some((c, n)) => (Some(c), n),
                None => (None, a.permissions.as_str()),
            };
            let container = option_str(container);
            let rights = &a.rights;
            let grants = &rights.grants;
            let flags = &rights.flags;
            let tiers = rights.tiers.iter().map(|t| {
                let (property, order) = (&t.property, &t.order);
                quote!(#rt::TierInfo { property: #property, order: &[#(#order),*] })
            });
            quote!(Some(#rt::AccountsInfo {
                password: #password,
                locked: #locked,
                permissions_container: #container,
                permissions: #list,
                grants: &[#(#grants),*],
                flags: &[#(#flags),*],
                tiers: &[#(#tiers),*],
            }))
        }
        None => quote!(None),
    };
    let billable = match &t.billable {
        None => quote!(None),
        Some(Billable::Always) => quote!(Some(#rt::BillableInfo::Always)),
        Some(Billable::Never) => quote!(Some(#rt::BillableInfo::Never)),
        Some(Billable::When { property, values }) => {
            quote!(Some(#rt::BillableInfo::When { property: #property, values: &[#(#values),*] }))
        }
    };
    let support_axis = match &t.support_axis {
        None => quote!(None),
        Some(a) => {
            let property = &a.property;
            let values = a.columns.iter().map(|(v, _)| v);
            let columns = a.columns.iter().map(|(_, c)| c);
            quote!(Some(#rt::AxisInfo { property: #property, values: &[#(#values),*], columns: &[#(#columns),*] }))
        }
    };
    quote! {
        #rt::FamilyInfo {
            name: #name,
            properties: #properties,
            keys: &[#(#keys),*],
            permission: #permission,
            placement: #placement,
            search: #search,
            platform: #platform,
            accounts: #accounts,
            billable: #billable,
            support_axis: #support_axis,
            operations: &[#(#operations),*],
            key_paths: &[#(#key_paths),*],
            reference_rank: #reference_rank,
            reference_depth: #reference_depth,
        }
    }
}

/// The `error-conditions` rows as `runtime::ConditionInfo` literals.
pub(crate) fn condition_infos(g: &Gen<'_>, svc: &Service) -> Vec<TokenStream> {
    let rt = &g.rt;
    svc.conditions
        .iter()
        .map(|c| {
            let id = &c.id;
            let code = c.code;
            let family = option_str(c.family.as_deref());
            let condition = match c.condition {
                Some(k) => {
                    let v = condition_variant(k);
                    quote!(Some(#rt::Condition::#v))
                }
                None => quote!(None),
            };
            quote!(#rt::ConditionInfo { id: #id, condition: #condition, family: #family, code: #code })
        })
        .collect()
}

pub(crate) fn condition_variant(c: Condition) -> TokenStream {
    match c {
        Condition::MissingInvokeId => quote!(MissingInvokeId),
        Condition::UnknownOperation => quote!(UnknownOperation),
        Condition::MalformedRequest => quote!(MalformedRequest),
        Condition::BadPropertyValue => quote!(BadPropertyValue),
        Condition::UnsupportedProperty => quote!(UnsupportedProperty),
        Condition::MissingSession => quote!(MissingSession),
        Condition::UnknownSession => quote!(UnknownSession),
        Condition::AuthenticationFailed => quote!(AuthenticationFailed),
        Condition::NotAuthenticated => quote!(NotAuthenticated),
        Condition::PermissionDenied => quote!(PermissionDenied),
        Condition::OutOfScope => quote!(OutOfScope),
        Condition::MissingKey => quote!(MissingKey),
        Condition::UnknownEntity => quote!(UnknownEntity),
        Condition::DuplicateEntity => quote!(DuplicateEntity),
        Condition::ReadOnlyProperty => quote!(ReadOnlyProperty),
        Condition::EntityInUse => quote!(EntityInUse),
        Condition::InternalError => quote!(InternalError),
        Condition::StorageUnavailable => quote!(StorageUnavailable),
        Condition::Busy => quote!(Busy),
    }
}
