//! Platforms known at compile time: one support trait per property some platform lacks, and
//! the `…For<P>` builders whose setters need it.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::*;
use crate::codegen::names::type_name;
use crate::codegen::run::Gen;
use crate::model::{Family, Property};

/// `matches!` expression: whether `platform` supports `p` (None when every platform does).
pub(super) fn unsupported_check(g: &Gen<'_>, p: &Property) -> Option<TokenStream> {
    let support = p.support.as_ref()?;
    if support.iter().all(|s| *s) {
        return None;
    }
    let ok: Vec<Ident> = g
        .svc
        .platforms
        .iter()
        .zip(support)
        .filter(|(_, s)| **s)
        .map(|(pl, _)| type_name(&pl.id))
        .collect();
    Some(if ok.is_empty() {
        quote!(true)
    } else {
        quote!(!matches!(platform, #(Platform::#ok)|*))
    })
}

/// Name of the compile-time support trait of `p`.
pub(super) fn support_trait(p: &Property) -> Ident {
    type_name(&format!(
        "{}{}",
        p.container.as_deref().unwrap_or(""),
        p.name
    ))
}

pub(super) fn support_traits(g: &Gen<'_>, fam: &Family) -> TokenStream {
    let traits = fam
        .properties
        .iter()
        .filter(|p| unsupported_check(g, p).is_some())
        .map(|p| {
            let tr = support_trait(p);
            let support = p.support.as_deref().unwrap_or(&[]);
            let ok: Vec<&crate::model::Platform> = g
                .svc
                .platforms
                .iter()
                .zip(support)
                .filter(|(_, s)| **s)
                .map(|(pl, _)| pl)
                .collect();
            let markers: Vec<Ident> = ok.iter().map(|pl| type_name(&pl.id)).collect();
            let names: Vec<&str> = ok.iter().map(|pl| pl.name.as_str()).collect();
            let message = format!("`{}` is not supported on platform `{{Self}}`", p.path());
            let label = format!("`{}` needs a platform that supports it", p.path());
            let note = format!(
                "`{}` is supported on: {}",
                p.path(),
                if names.is_empty() {
                    "no platform".to_string()
                } else {
                    names.join(", ")
                }
            );
            let doc = format!(" Platforms that support `{}`.", p.path());
            quote! {
                #[doc = #doc]
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                pub trait #tr: PlatformMarker {}
                #(impl #tr for platforms::#markers {})*
            }
        });
    quote! {
        /// Compile-time support: a platform marker implements a trait here when the platform
        /// supports the property of that name.
        pub mod supports {
            #[allow(unused_imports)]
            use super::*;
            #(#traits)*
        }
    }
}

/// `ScopeFor<P>`: the container with only the setters platform `P` supports.
pub(super) fn typed_container(g: &Gen<'_>, ty: &Ident, fields: &[Field<'_>]) -> TokenStream {
    let typed = format_ident!("{}For", ty);
    let doc = format!(
        " [`{ty}`] for a platform fixed at compile time: setters for properties `P` does not support do not apply."
    );
    let setters = fields.iter().map(|f| typed_setter(g, f));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #typed<P: PlatformMarker> {
            inner: #ty,
            platform: ::std::marker::PhantomData<P>,
        }

        impl<P: PlatformMarker> ::std::default::Default for #typed<P> {
            fn default() -> Self { #typed { inner: #ty::default(), platform: ::std::marker::PhantomData } }
        }

        impl<P: PlatformMarker> #typed<P> {
            #(#setters)*
            /// The container.
            pub fn build(self) -> #ty { self.inner }
        }
    }
}

pub(super) fn typed_setter(g: &Gen<'_>, f: &Field<'_>) -> TokenStream {
    let id = &f.ident;
    let (arg, conv) = f.codec.setter_arg(g);
    let d = f.doc();
    let bound = unsupported_check(g, f.prop).map(|_| {
        let tr = support_trait(f.prop);
        quote!(where P: supports::#tr)
    });
    quote! { #d pub fn #id(mut self, value: #arg) -> Self #bound { self.inner.#id = Some(#conv); self } }
}

/// `UserAddRequestFor<P>`: the request for a platform fixed at compile time.
pub(super) fn typed_request(
    g: &Gen<'_>,
    ty: &Ident,
    req: &[&Field<'_>],
    opt: &[&Field<'_>],
    containers: &[(Ident, Ident, String)],
) -> TokenStream {
    let typed = format_ident!("{}For", ty);
    let doc = format!(
        " [`{ty}`] for a platform `P` fixed at compile time: the setters of properties `P` does not \
         support cannot be called, so the request needs no validation."
    );
    let ctor_args = req.iter().map(|f| {
        let id = &f.ident;
        let (arg, _) = f.codec.setter_arg(g);
        quote!(#id: #arg)
    });
    let ctor_pass: Vec<&Ident> = req.iter().map(|f| &f.ident).collect();
    let ctor_bounds = req.iter().filter_map(|f| {
        unsupported_check(g, f.prop).map(|_| {
            let tr = support_trait(f.prop);
            quote!(P: supports::#tr,)
        })
    });
    let setters = opt.iter().map(|f| {
        let id = &f.ident;
        let (arg, _) = f.codec.setter_arg(g);
        let d = f.doc();
        let bound = unsupported_check(g, f.prop).map(|_| {
            let tr = support_trait(f.prop);
            quote!(where P: supports::#tr)
        });
        quote! { #d pub fn #id(mut self, value: #arg) -> Self #bound { self.inner = self.inner.#id(value); self } }
    });
    let cont_setters = containers.iter().map(|(id, t, c)| {
        let tf = format_ident!("{}For", t);
        let d = format!(" Builds the `{c}` container with the setters `P` supports.");
        quote! {
            #[doc = #d]
            pub fn #id(mut self, build: impl FnOnce(#tf<P>) -> #tf<P>) -> Self {
                self.inner = self.inner.#id(build(#tf::default()).build());
                self
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #typed<P: PlatformMarker> {
            inner: #ty,
            platform: ::std::marker::PhantomData<P>,
        }

        impl<P: PlatformMarker> #typed<P> {
            /// A request with its required properties.
            pub fn new(#(#ctor_args),*) -> Self where #(#ctor_bounds)* {
                #typed { inner: #ty::new(#(#ctor_pass),*), platform: ::std::marker::PhantomData }
            }
            #(#setters)*
            #(#cont_setters)*
            /// The platform.
            pub const PLATFORM: Platform = P::PLATFORM;
            /// The request (valid for `P` by construction).
            pub fn build(self) -> #ty { self.inner }
        }
    }
}
