//! `BINDING` (what the runtime reads), `BINDING_ROWS` (every row, for tools), and the
//! results documents' `ActionOutput`s (their elements named by the spec's `result-document:`
//! rows).

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Em, em_rt, shape_type};

/// `BINDING` (what the runtime reads) and `BINDING_ROWS` (every row, for tools).
pub(super) fn binding(em: &Em<'_>) -> TokenStream {
    let rt = em_rt();
    let b = em.b;
    let (http_method, content_type, form_field) = (&b.http_method, &b.content_type, &b.form_field);
    let (request_root, query_root, app_info, response_root) = (
        &b.request_root,
        &b.query_root,
        &b.app_info_element,
        &b.response_root,
    );
    let service_path = &b.service_path;
    let (default_scheme, secure_scheme) = (&b.default_scheme, &b.secure_scheme);
    let secure_port = b.secure_port;
    let option = |s: &Option<String>| match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    };
    let versions = b.versions.iter().map(|v| {
        let (release, version, port) = (&v.release, &v.version, v.port);
        let (request_path, query_path) = (option(&v.request_path), option(&v.query_path));
        let actions = match &v.actions {
            Some(a) => quote!(::std::option::Option::Some(&[#(#a),*])),
            None => quote!(::std::option::Option::None),
        };
        quote!(#rt::CcmVersion {
            release: #release,
            version: #version,
            port: #port,
            request_path: #request_path,
            query_path: #query_path,
            actions: #actions,
        })
    });
    let (url_param, host_param, version_param) =
        (&b.url_parameter, &b.host_parameter, &b.version_parameter);
    let no_response = b.no_response_error_code;
    let (success_branch, failure_branch) = (&b.success_branch, &b.failure_branch);
    let (app_id, app_certificate) = (&b.app_id_parameter, &b.app_certificate_parameter);
    let (device, user, profile) = (
        &b.device_parameter,
        &b.user_parameter,
        &b.device_profile_parameter,
    );
    let (timeout, no_timeout) = (&b.timeout_parameter, &b.no_timeout_parameter);
    // Each results document is the output of the queries answered with it; its element is the
    // spec's (the runtime reads it as `ActionOutput::ELEMENT`).
    let outputs = b.result_documents.iter().map(|(shape, element)| {
        let ty = shape_type(*shape);
        quote! {
            impl #rt::ActionOutput for #rt::#ty {
                const ELEMENT: &'static str = #element;
                fn from_response(response: #rt::Response) -> ::std::result::Result<Self, #rt::Response> {
                    match response {
                        #rt::Response::#ty(results) => ::std::result::Result::Ok(results),
                        other => ::std::result::Result::Err(other),
                    }
                }
                fn into_response(self) -> #rt::Response {
                    #rt::Response::#ty(self)
                }
            }
        }
    });
    let keys = em.g.svc.binding_rows.iter().map(|b| &b.key);
    let values = em.g.svc.binding_rows.iter().map(|b| &b.value);
    quote! {
        /// The wire details of the service, from the spec's `binding` table.
        pub const BINDING: #rt::Binding = #rt::Binding {
            http_method: #http_method,
            content_type: #content_type,
            form_field: #form_field,
            request_root: #request_root,
            query_root: #query_root,
            app_info_element: #app_info,
            response_root: #response_root,
            service_path: #service_path,
            default_scheme: #default_scheme,
            secure_scheme: #secure_scheme,
            secure_port: #secure_port,
            versions: &[#(#versions),*],
            url_parameter: #url_param,
            host_parameter: #host_param,
            version_parameter: #version_param,
            no_response_error_code: #no_response,
            success_branch: #success_branch,
            failure_branch: #failure_branch,
            app_id_parameter: #app_id,
            app_certificate_parameter: #app_certificate,
            device_parameter: #device,
            user_parameter: #user,
            device_profile_parameter: #profile,
            timeout_parameter: #timeout,
            no_timeout_parameter: #no_timeout,
        };

        #(#outputs)*

        /// Every row of the spec's `binding` table, as `(key, value)`.
        pub const BINDING_ROWS: &[(&str, &str)] = &[#((#keys, #values)),*];

        /// The `ErrorCode` of an outcome without response XML (`no-response-error-code`).
        pub const NO_RESPONSE_ERROR_CODE: ErrorCode = ErrorCode::from_code(#no_response);
    }
}
