//! `#[derive(Operation)]` and `#[derive(Response)]`: an `akixi-ws` operation the spec lacks,
//! written by hand on a user's request and response structs.
//!
//! Parsing (the `#[akixi(…)]` attributes and each field's type) is checked here, every problem
//! a `syn::Error` on the tokens at fault; the expansion then trusts what it parsed. Both derives
//! write `EncodePayload` and `DecodePayload`; `Operation` adds `Operation` and a `Validate`
//! without platform checks.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, LitStr, Path, PathArguments, Type};

/// What the derive is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    /// A request: `Operation`, `Validate`, and the payload.
    Operation,
    /// A response (or a list entry): the payload.
    Response,
}

/// The struct-level `#[akixi(…)]` attributes.
#[derive(Default)]
struct StructAttrs {
    operation: Option<LitStr>,
    family: Option<LitStr>,
    kind: Option<(LitStr, Ident)>,
    service: Option<Path>,
    response: Option<Type>,
}

/// A scalar wire type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Text,
    Integer,
    Boolean,
    Password,
}

/// How a field travels.
enum Shape {
    /// A required property.
    Required(Scalar),
    /// `Option<…>`: sent when `Some`, `None` when absent.
    Optional(Scalar),
    /// `Vec<T>`: the list entries (unnamed containers), each decoded by `T`.
    Entries(Box<Type>),
}

struct Field {
    ident: Ident,
    wire: String,
    container: Option<String>,
    shape: Shape,
}

const SUPPORTED: &str = "supported field types: `String`, `i32`, `i64`, `u32`, `u64`, `bool`, \
     `Password`, `Option<…>` of those, and `Vec<T>` for list entries (`T` deriving `Response`)";

/// Expands one derive; a problem is a located compile error.
pub(crate) fn expand(input: DeriveInput, derive: Derive) -> TokenStream {
    match expand_checked(&input, derive) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn expand_checked(input: &DeriveInput, derive: Derive) -> syn::Result<TokenStream> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "an akixi operation or response cannot be generic",
        ));
    }
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named,
            Fields::Unit => {
                return Ok(expand_struct(
                    input,
                    derive,
                    &parse_struct_attrs(input, derive)?,
                    &[],
                ));
            }
            Fields::Unnamed(fields) => {
                return Err(syn::Error::new_spanned(
                    fields,
                    "an akixi operation or response is a struct with named fields",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "an akixi operation or response is a struct with named fields",
            ));
        }
    };
    let attrs = parse_struct_attrs(input, derive)?;
    let mut fields = Vec::new();
    let mut entries: Option<&Ident> = None;
    for field in &named.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let parsed = parse_field(field, ident)?;
        if let Shape::Entries(_) = parsed.shape {
            if entries.is_some() {
                return Err(syn::Error::new_spanned(
                    &field.ty,
                    "only one `Vec<…>` field may hold the list entries",
                ));
            }
            if parsed.container.is_some() {
                return Err(syn::Error::new_spanned(
                    &field.ty,
                    "list entries are unnamed containers at the top level: no `container` here",
                ));
            }
            entries = field.ident.as_ref();
        }
        let needs_booleans = matches!(
            parsed.shape,
            Shape::Required(Scalar::Boolean) | Shape::Optional(Scalar::Boolean)
        );
        if needs_booleans && attrs.service.is_none() {
            return Err(syn::Error::new_spanned(
                &field.ty,
                "a `bool` is written with the service's Boolean spellings: add \
                 `#[akixi(service = path::to::Service)]` to the struct",
            ));
        }
        if let Some(other) = fields
            .iter()
            .find(|f: &&Field| f.wire == parsed.wire && f.container == parsed.container)
        {
            return Err(syn::Error::new_spanned(
                &field.ident,
                format!(
                    "the wire name `{}` is already the field `{}`'s",
                    parsed.wire, other.ident
                ),
            ));
        }
        fields.push(parsed);
    }
    Ok(expand_struct(input, derive, &attrs, &fields))
}

fn parse_struct_attrs(input: &DeriveInput, derive: Derive) -> syn::Result<StructAttrs> {
    let mut attrs = StructAttrs::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("akixi")) {
        attr.parse_nested_meta(|meta| {
            let op_only = |name: &str| {
                if derive == Derive::Response {
                    Err(meta.error(format!(
                        "`{name}` is an attribute of `#[derive(Operation)]`, not of a response"
                    )))
                } else {
                    Ok(())
                }
            };
            if meta.path.is_ident("operation") {
                op_only("operation")?;
                attrs.operation = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("family") {
                op_only("family")?;
                attrs.family = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("kind") {
                op_only("kind")?;
                let lit: LitStr = meta.value()?.parse()?;
                let kind = akixi_schema::OpKind::ALL
                    .iter()
                    .find(|(name, _)| *name == lit.value())
                    .map(|(_, kind)| format_ident!("{}", format!("{kind:?}")));
                match kind {
                    Some(variant) => attrs.kind = Some((lit, variant)),
                    None => {
                        let names: Vec<&str> =
                            akixi_schema::OpKind::ALL.iter().map(|(n, _)| *n).collect();
                        return Err(syn::Error::new_spanned(
                            &lit,
                            format!(
                                "unknown operation kind `{}`; expected one of: {}",
                                lit.value(),
                                names.join(", ")
                            ),
                        ));
                    }
                }
            } else if meta.path.is_ident("service") {
                attrs.service = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("response") {
                op_only("response")?;
                attrs.response = Some(meta.value()?.parse()?);
            } else {
                let expected = match derive {
                    Derive::Operation => {
                        "expected `operation`, `family`, `kind`, `service` or `response`"
                    }
                    Derive::Response => "expected `service`",
                };
                return Err(meta.error(format!("unknown akixi attribute; {expected}")));
            }
            Ok(())
        })?;
    }
    if derive == Derive::Operation {
        let missing = |what: &str, example: &str, meaning: &str| {
            syn::Error::new_spanned(
                &input.ident,
                format!("missing `#[akixi({what} = {example})]`: {meaning}"),
            )
        };
        if attrs.operation.is_none() {
            return Err(missing(
                "operation",
                "\"UserInfo\"",
                "the operation's wire name",
            ));
        }
        if attrs.family.is_none() {
            return Err(missing("family", "\"User\"", "the operation's family"));
        }
        if attrs.kind.is_none() {
            return Err(missing(
                "kind",
                "\"info\"",
                "what the operation does (the spec's `OpKind` name)",
            ));
        }
        if attrs.service.is_none() {
            return Err(missing(
                "service",
                "akixi_client::akixi::Service",
                "the service marker whose `Platform` and `Unsupported` it uses",
            ));
        }
        if attrs.response.is_none() {
            return Err(missing(
                "response",
                "MyResponse",
                "the response type (deriving `Response`, or `()`)",
            ));
        }
    }
    Ok(attrs)
}

fn parse_field(field: &syn::Field, ident: Ident) -> syn::Result<Field> {
    let mut wire: Option<LitStr> = None;
    let mut container: Option<LitStr> = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("akixi")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                wire = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("container") {
                container = Some(meta.value()?.parse()?);
            } else {
                return Err(
                    meta.error("unknown akixi field attribute; expected `name` or `container`")
                );
            }
            Ok(())
        })?;
    }
    for lit in wire.iter().chain(container.iter()) {
        if lit.value().is_empty() {
            return Err(syn::Error::new_spanned(lit, "a wire name cannot be empty"));
        }
    }
    let shape = shape_of(&field.ty)?;
    let wire = match wire {
        Some(lit) => lit.value(),
        None => pascal_case(&ident.to_string()),
    };
    Ok(Field {
        ident,
        wire,
        container: container.map(|c| c.value()),
        shape,
    })
}

/// `user_name` → `UserName` (a raw identifier's `r#` dropped).
fn pascal_case(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The last segment of a plain type path, with its one generic argument if any.
fn last_segment(ty: &Type) -> Option<(&Ident, Option<&Type>)> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let argument = match &segment.arguments {
        PathArguments::None => None,
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first() {
            Some(GenericArgument::Type(inner)) => Some(inner),
            _ => return None,
        },
        _ => return None,
    };
    Some((&segment.ident, argument))
}

fn scalar_of(ty: &Type) -> Option<Scalar> {
    match last_segment(ty)? {
        (ident, None) => match ident.to_string().as_str() {
            "String" => Some(Scalar::Text),
            "i32" | "i64" | "u32" | "u64" => Some(Scalar::Integer),
            "bool" => Some(Scalar::Boolean),
            "Password" => Some(Scalar::Password),
            _ => None,
        },
        _ => None,
    }
}

fn shape_of(ty: &Type) -> syn::Result<Shape> {
    let unsupported = |at: &Type| {
        syn::Error::new_spanned(
            at,
            format!("unsupported field type for an akixi operation; {SUPPORTED}"),
        )
    };
    if let Some(scalar) = scalar_of(ty) {
        return Ok(Shape::Required(scalar));
    }
    match last_segment(ty) {
        Some((ident, Some(inner))) if ident == "Option" => scalar_of(inner)
            .map(Shape::Optional)
            .ok_or_else(|| unsupported(inner)),
        Some((ident, Some(inner))) if ident == "Vec" => match last_segment(inner) {
            Some((_, None)) if scalar_of(inner).is_none() => {
                Ok(Shape::Entries(Box::new(inner.clone())))
            }
            _ => Err(syn::Error::new_spanned(
                inner,
                "a `Vec<T>` holds list entries: `T` is a struct deriving `akixi_derive::Response`",
            )),
        },
        _ => Err(unsupported(ty)),
    }
}

fn expand_struct(
    input: &DeriveInput,
    derive: Derive,
    attrs: &StructAttrs,
    fields: &[Field],
) -> TokenStream {
    let rt = quote!(::akixi_client::runtime::akixi_ws);
    let name = &input.ident;
    let booleans = attrs.service.as_ref().map(boolean_module);
    let encode = encode_fields(fields, booleans.as_ref());
    let decode = decode_fields(name, fields, booleans.as_ref());
    let mut out = quote! {
        impl #rt::EncodePayload for #name {
            #[allow(unused_variables)]
            fn encode_payload<S: #rt::PayloadSink>(
                &self,
                out: &mut S,
                passwords: &dyn #rt::PasswordEncoder,
            ) -> ::std::result::Result<(), #rt::EncodeError> {
                #encode
                Ok(())
            }
        }
        impl #rt::DecodePayload for #name {
            #[allow(unused_mut, unused_variables)]
            fn decode(
                r: &mut #rt::PayloadReader<'_>,
            ) -> ::std::result::Result<Self, #rt::DecodeError> {
                #decode
            }
        }
    };
    if derive == Derive::Operation
        && let (Some(op), Some(family), Some((_, kind)), Some(service), Some(response)) = (
            &attrs.operation,
            &attrs.family,
            &attrs.kind,
            &attrs.service,
            &attrs.response,
        )
    {
        out.extend(quote! {
            impl #rt::Operation for #name {
                const NAME: &'static str = #op;
                const FAMILY: &'static str = #family;
                const KIND: #rt::OpKind = #rt::OpKind::#kind;
                const PAGED: bool = false;
                const ERROR_CODES: &'static [u32] = &[];
                type Response = #response;
            }
            impl #rt::Validate for #name {
                type Platform = <#service as #rt::AkixiWsService>::Platform;
                type Unsupported = <#service as #rt::AkixiWsService>::Unsupported;
                /// No platform rules: a hand-written operation is valid on every platform.
                fn validate_for(
                    &self,
                    _platform: Self::Platform,
                ) -> ::std::result::Result<(), Self::Unsupported> {
                    Ok(())
                }
            }
        });
    }
    out
}

/// The module of the service's marker type, which holds its `BOOLEAN_*` constants (as
/// `service!` generates them); a bare `Service` means they are in scope.
fn boolean_module(service: &Path) -> TokenStream {
    let mut module = service.clone();
    module.segments.pop();
    module.segments.pop_punct();
    if module.segments.is_empty() {
        TokenStream::new()
    } else {
        quote!(#module ::)
    }
}

/// Containers in the order their first field appears; `None` is the top level.
fn groups(fields: &[Field]) -> Vec<Option<&str>> {
    let mut groups: Vec<Option<&str>> = Vec::new();
    for f in fields {
        let g = f.container.as_deref();
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    groups
}

fn write_scalar(
    scalar: Scalar,
    wire: &str,
    value: TokenStream,
    booleans: Option<&TokenStream>,
) -> TokenStream {
    let rt = quote!(::akixi_client::runtime::akixi_ws);
    match scalar {
        Scalar::Text => quote!(#rt::PayloadSink::property(out, #wire, #value);),
        Scalar::Integer => quote!(#rt::PayloadSink::property_value(out, #wire, #value);),
        Scalar::Boolean => quote! {
            #rt::PayloadSink::property(
                out,
                #wire,
                if *#value { #booleans BOOLEAN_TRUE } else { #booleans BOOLEAN_FALSE },
            );
        },
        Scalar::Password => quote! {
            #rt::PayloadSink::property(out, #wire, &passwords.encode_password(#value)?);
        },
    }
}

fn encode_fields(fields: &[Field], booleans: Option<&TokenStream>) -> TokenStream {
    let rt = quote!(::akixi_client::runtime::akixi_ws);
    let mut out = TokenStream::new();
    for group in groups(fields) {
        let members: Vec<&Field> = fields
            .iter()
            .filter(|f| f.container.as_deref() == group)
            .collect();
        let mut body = TokenStream::new();
        for f in &members {
            let ident = &f.ident;
            body.extend(match &f.shape {
                Shape::Required(s) => write_scalar(*s, &f.wire, quote!((&self.#ident)), booleans),
                Shape::Optional(s) => {
                    let write = write_scalar(*s, &f.wire, quote!(v), booleans);
                    quote!(if let Some(v) = &self.#ident { #write })
                }
                Shape::Entries(_) => quote! {
                    for entry in &self.#ident {
                        #rt::PayloadSink::begin_container(out, None);
                        #rt::EncodePayload::encode_payload(entry, out, passwords)?;
                        #rt::PayloadSink::end_container(out);
                    }
                },
            });
        }
        match group {
            None => out.extend(body),
            Some(container) => {
                let optional: Vec<&Ident> = members
                    .iter()
                    .filter(|f| matches!(f.shape, Shape::Optional(_)))
                    .map(|f| &f.ident)
                    .collect();
                let wrapped = quote! {
                    #rt::PayloadSink::begin_container(out, Some(#container));
                    #body
                    #rt::PayloadSink::end_container(out);
                };
                // A container of optional properties only is written when one is set.
                if optional.len() == members.len() {
                    out.extend(quote!(if false #(|| self.#optional.is_some())* { #wrapped }));
                } else {
                    out.extend(wrapped);
                }
            }
        }
    }
    out
}

fn read_scalar(scalar: Scalar, wire: &str, booleans: Option<&TokenStream>) -> TokenStream {
    let rt = quote!(::akixi_client::runtime::akixi_ws);
    match scalar {
        Scalar::Text => quote!(value.into_owned()),
        Scalar::Integer => quote!(r.parse(#wire, &value)?),
        Scalar::Boolean => quote! {
            #rt::parse_boolean(&value, #booleans BOOLEAN_SPELLINGS)
                .map_err(|e| r.value_error(#wire, &value, e))?
        },
        Scalar::Password => quote!(#rt::Password::new(value.into_owned())),
    }
}

fn decode_fields(name: &Ident, fields: &[Field], booleans: Option<&TokenStream>) -> TokenStream {
    let rt = quote!(::akixi_client::runtime::akixi_ws);
    let slot = |f: &Field| format_ident!("field_{}", f.ident);
    let slots = fields.iter().map(|f| {
        let s = slot(f);
        match &f.shape {
            Shape::Entries(_) => quote!(let mut #s = ::std::vec::Vec::new();),
            _ => quote!(let mut #s = ::std::option::Option::None;),
        }
    });
    // The properties of one level, by wire name.
    let arms = |group: Option<&str>| {
        let arms = fields
            .iter()
            .filter(|f| f.container.as_deref() == group)
            .filter_map(|f| {
                let s = slot(f);
                let wire = &f.wire;
                let scalar = match f.shape {
                    Shape::Required(s) | Shape::Optional(s) => s,
                    Shape::Entries(_) => return None,
                };
                let read = read_scalar(scalar, wire, booleans);
                Some(quote!(#wire => #s = ::std::option::Option::Some(#read),))
            });
        quote! {
            match &*name {
                #(#arms)*
                _ => {}
            }
        }
    };
    let top = arms(None);
    let container_arms = groups(fields).into_iter().flatten().map(|container| {
        let inner = arms(Some(container));
        quote! {
            Some(#container) => {
                while let Some(node) = r.next()? {
                    match node {
                        #rt::Node::Property { name, value } => #inner,
                        #rt::Node::Container { .. } => r.skip()?,
                    }
                }
            }
        }
    });
    let entries = fields.iter().find_map(|f| match &f.shape {
        Shape::Entries(ty) => {
            let s = slot(f);
            Some(quote!(None => #s.push(r.decode_container::<#ty>()?),))
        }
        _ => None,
    });
    let build = fields.iter().map(|f| {
        let ident = &f.ident;
        let s = slot(f);
        match &f.shape {
            Shape::Required(_) => {
                let wire = match &f.container {
                    Some(c) => format!("{c}.{}", f.wire),
                    None => f.wire.clone(),
                };
                quote!(#ident: #s.ok_or_else(|| r.missing_property(#wire))?,)
            }
            Shape::Optional(_) | Shape::Entries(_) => quote!(#ident: #s,),
        }
    });
    quote! {
        #(#slots)*
        while let Some(node) = r.next()? {
            match node {
                #rt::Node::Property { name, value } => #top,
                #rt::Node::Container { name } => match name.as_deref() {
                    #(#container_arms)*
                    #entries
                    _ => r.skip()?,
                },
            }
        }
        Ok(#name { #(#build)* })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_default_to_pascal_case() {
        assert_eq!(pascal_case("full_name"), "FullName");
        assert_eq!(pascal_case("username"), "Username");
        assert_eq!(pascal_case("r#type"), "Type");
        assert_eq!(pascal_case("tel_sys_id"), "TelSysId");
    }

    #[test]
    fn field_types_are_recognised_by_their_last_segment() {
        let shape = |ty: &str| syn::parse_str::<Type>(ty).map(|t| shape_of(&t).is_ok());
        for ok in [
            "String",
            "std::string::String",
            "u32",
            "Option<bool>",
            "akixi_client::runtime::akixi_ws::Password",
            "Option<Password>",
            "Vec<Entry>",
        ] {
            assert!(matches!(shape(ok), Ok(true)), "{ok}");
        }
        for bad in [
            "f64",
            "Option<Vec<String>>",
            "Vec<String>",
            "&str",
            "(u32, u32)",
        ] {
            assert!(matches!(shape(bad), Ok(false)), "{bad}");
        }
    }
}
