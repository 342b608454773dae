//! HTTP: the Akixi API on `POST` to any path, and other services at their own paths.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use crate::akixi::engine::Engine;

/// A request to a [`Service`].
#[derive(Debug, Clone)]
pub struct ServiceRequest {
    /// The HTTP method (`POST`, `GET`, …).
    pub method: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// A [`Service`]'s answer.
#[derive(Debug, Clone)]
pub struct ServiceReply {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` of the body.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// Another API served beside the Akixi API, at its own path. By default the built-in
/// [`em`](crate::em) simulator answers at the Extension Mobility paths of the spec's binding
/// (`akixi_client::em::BINDING`); a service registered with
/// [`Config::service`](crate::Config::service) at one of those paths replaces it. Calls run on a blocking thread, so a service may take locks or do I/O.
pub trait Service: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, request: ServiceRequest) -> ServiceReply;
}

pub(crate) fn router(
    engine: Arc<Engine>,
    em: crate::em::EmSimulator,
    services: Vec<(String, Arc<dyn Service>)>,
) -> Router {
    let mut router = Router::new();
    // The Extension Mobility simulator answers at its paths unless a service replaces it.
    let em_registered = services
        .iter()
        .any(|(path, _)| crate::em::EmPath::ALL.iter().any(|p| p.path() == path));
    for (path, service) in services {
        router = router.route(
            &path,
            any(move |method: Method, headers: HeaderMap, body: Bytes| {
                call_service(Arc::clone(&service), method, headers, body)
            }),
        );
    }
    if !em_registered {
        router = router.merge(crate::em::router_with(em));
    }
    // Any other path is the Akixi API, so a client can keep its production endpoint's path.
    router.fallback(move |method: Method, body: Bytes| akixi(Arc::clone(&engine), method, body))
}

async fn akixi(engine: Arc<Engine>, method: Method, body: Bytes) -> Response {
    if method != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "POST")],
            "the Akixi Web Services API takes POST requests with a <Request> document\n",
        )
            .into_response();
    }
    match tokio::task::spawn_blocking(move || engine.handle(&body)).await {
        Ok(xml) => ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response(),
        Err(error) => {
            tracing::error!(%error, "the request handler failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

async fn call_service(
    service: Arc<dyn Service>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = ServiceRequest {
        method: method.to_string(),
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: body.to_vec(),
    };
    match tokio::task::spawn_blocking(move || service.handle(request)).await {
        Ok(reply) => {
            let status =
                StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                [(header::CONTENT_TYPE, reply.content_type)],
                reply.body,
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "a service handler failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}
