//! The REST binding of an `akixi-ws` service as static data: `REST`, the runtime's `RestInfo`,
//! read by the REST client, the simulator and the command line (`SERVICE.rest` names it).

use proc_macro2::TokenStream;
use quote::quote;

use super::metadata::condition_variant;
use super::run::Gen;
use crate::model::{HttpMethod, JsonForm, PathSegment, RestBinding, RestRoute};

/// `SERVICE.rest`'s value: `Some(&REST)` where the service has a REST binding.
pub(crate) fn service_field(rest: Option<&RestBinding>) -> TokenStream {
    match rest {
        Some(_) => quote!(Some(&REST)),
        None => quote!(None),
    }
}

/// `REST`, where the service has a REST binding.
pub(crate) fn rest_info(g: &Gen<'_>, rest: Option<&RestBinding>) -> TokenStream {
    let Some(r) = rest else {
        return TokenStream::new();
    };
    let rt = &g.rt;
    let route = |route: &RestRoute| {
        let method = method(g, route.method);
        let segments = route.path.iter().map(|s| match s {
            PathSegment::Literal(l) => quote!(#rt::rest::Segment::Literal(#l)),
            PathSegment::Property(p) => quote!(#rt::rest::Segment::Property(#p)),
        });
        let trailing = route.trailing_slash;
        quote!(#rt::rest::Route { method: #method, path: &[#(#segments),*], trailing_slash: #trailing })
    };
    let (create, login, logout) = (route(&r.create_session), route(&r.login), route(&r.logout));
    let statuses = r.statuses.iter().map(|s| {
        let c = condition_variant(s.condition);
        let status = s.status;
        quote!((#rt::Condition::#c, #status))
    });
    let operations = r.operations.iter().map(|o| {
        let (family, name, shape) = (&o.family, &o.name, &o.shape);
        let route = route(&o.route);
        let query = &o.query;
        let inputs = match &o.inputs {
            Some(only) => quote!(Some(&[#(#only),*])),
            None => quote!(None),
        };
        let except = &o.except;
        let implies = o.implies.iter().map(|(p, v)| quote!((#p, #v)));
        quote!(#rt::rest::RestOperationInfo {
            family: #family,
            name: #name,
            shape: #shape,
            route: #route,
            query: &[#(#query),*],
            inputs: #inputs,
            except: &[#(#except),*],
            implies: &[#(#implies),*],
        })
    });
    let forms = r.properties.iter().map(|p| {
        let (family, path) = (&p.family, &p.path);
        let form = match p.form {
            JsonForm::Native => quote!(Native),
            JsonForm::Array => quote!(Array),
            JsonForm::BracketList => quote!(BracketList),
        };
        quote!(#rt::rest::FormInfo { family: #family, path: #path, form: #rt::rest::JsonForm::#form })
    });
    let (base, cookie, sid, nonce, locale) = (
        &r.base_path,
        &r.session_cookie,
        &r.session_id_field,
        &r.nonce_field,
        &r.locale_parameter,
    );
    let locales = &r.locales;
    let (key, ok, message, code) = (
        &r.api_key_header,
        r.success_status,
        &r.error_message_field,
        &r.error_code_field,
    );
    let password_form = &r.password_form;
    let (others_status, others_message) = (r.other_sessions_status, &r.other_sessions_message);
    let (offset, limit) = (&r.offset_parameter, &r.limit_parameter);
    quote! {
        /// The REST/JSON binding of the same shapes (the spec's `rest-*` tables).
        pub const REST: #rt::rest::RestInfo = #rt::rest::RestInfo {
            base_path: #base,
            create_session: #create,
            login: #login,
            logout: #logout,
            session_cookie: #cookie,
            session_id_field: #sid,
            nonce_field: #nonce,
            locale_parameter: #locale,
            locales: &[#(#locales),*],
            api_key_header: #key,
            password_form: #password_form,
            success_status: #ok,
            error_message_field: #message,
            error_code_field: #code,
            other_sessions_status: #others_status,
            other_sessions_message: #others_message,
            offset_parameter: #offset,
            limit_parameter: #limit,
            statuses: &[#(#statuses),*],
            operations: &[#(#operations),*],
            forms: &[#(#forms),*],
        };
    }
}

fn method(g: &Gen<'_>, m: HttpMethod) -> TokenStream {
    let rt = &g.rt;
    let v = match m {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Delete => quote!(Delete),
    };
    quote!(#rt::rest::HttpMethod::#v)
}
