//! HTTP: the Akixi API on `POST` to any path, and other services at their own paths.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use akixi_client::akixi_ws::grammar;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};

use crate::akixi::engine::Engine;
use crate::faults::{FaultAction, FaultPlan, Faults};

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

/// Where the injected faults are read and replaced while the simulator runs (on loopback only):
/// `GET` shows the rules, `PUT` replaces them with the body's, `DELETE` removes them.
pub const FAULTS_PATH: &str = "/_akixi-sim/faults";

pub(crate) fn router(
    engine: Arc<Engine>,
    em: crate::em::EmSimulator,
    services: Vec<(String, Arc<dyn Service>)>,
    faults: Arc<Faults>,
    loopback: bool,
) -> Router {
    let mut router = Router::new();
    if loopback {
        let admin = Arc::clone(&faults);
        router = router.route(
            FAULTS_PATH,
            any(move |method: Method, body: Bytes| {
                let faults = Arc::clone(&admin);
                async move { fault_admin(&faults, &method, &body) }
            }),
        );
    }
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
    // Bodies beyond the bound are refused (413) before they are read whole; the EM routes set
    // their own, tighter bound.
    router
        .fallback(
            move |peer: Option<Extension<ConnectInfo<SocketAddr>>>, method: Method, body: Bytes| {
                let peer = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
                akixi(Arc::clone(&engine), Arc::clone(&faults), peer, method, body)
            },
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::MAX_AKIXI_REQUEST_BYTES,
        ))
}

const XML: &str = "text/xml; charset=utf-8";

async fn akixi(
    engine: Arc<Engine>,
    faults: Arc<Faults>,
    peer: Option<IpAddr>,
    method: Method,
    body: Bytes,
) -> Response {
    if method != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "POST")],
            "the Akixi Web Services API takes POST requests with a <Request> document\n",
        )
            .into_response();
    }
    let decision = faults.decide(operation_of(&body).as_deref());
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    if let Some(fault) = &decision.fault {
        tracing::info!(?fault, "injecting a fault");
    }
    match decision.fault {
        Some(FaultAction::Unavailable { retry_after }) => {
            let mut response =
                (StatusCode::SERVICE_UNAVAILABLE, "injected: unavailable\n").into_response();
            if let Some(secs) = retry_after
                && let Ok(value) = HeaderValue::from_str(&secs.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Some(FaultAction::ErrorCode(code)) => {
            let xml = engine.injected_failure(&body, code);
            ([(header::CONTENT_TYPE, XML)], xml).into_response()
        }
        Some(FaultAction::ResetBefore) => reset(),
        Some(FaultAction::ResetAfter) => match process(engine, body, peer).await {
            Ok(_) => reset(),
            Err(response) => response,
        },
        Some(FaultAction::Truncate) => match process(engine, body, peer).await {
            Ok(xml) => {
                let mut half = xml.len() / 2;
                while !xml.is_char_boundary(half) {
                    half -= 1;
                }
                ([(header::CONTENT_TYPE, XML)], xml[..half].to_owned()).into_response()
            }
            Err(response) => response,
        },
        Some(FaultAction::Latency { .. }) | None => match process(engine, body, peer).await {
            Ok(xml) => ([(header::CONTENT_TYPE, XML)], xml).into_response(),
            Err(response) => response,
        },
    }
}

async fn process(
    engine: Arc<Engine>,
    body: Bytes,
    peer: Option<IpAddr>,
) -> Result<String, Response> {
    tokio::task::spawn_blocking(move || engine.handle(&body, peer))
        .await
        .map_err(|error| {
            tracing::error!(%error, "the request handler failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        })
}

/// A response whose body fails at once: the connection is dropped and the answer lost.
fn reset() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("injected connection reset"))
    });
    Response::new(Body::from_stream(failing))
}

/// The `Operation` of a request, read from its root element only.
fn operation_of(body: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(root) | Event::Empty(root) => {
                return root
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == grammar::OPERATION)
                    // Operation names are identifiers: nothing to unescape.
                    .map(|a| a.value.into_owned());
            }
            Event::Eof => return None,
            _ => buf.clear(),
        }
    }
}

fn fault_admin(faults: &Faults, method: &Method, body: &[u8]) -> Response {
    let text = |status: StatusCode, body: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    };
    match *method {
        Method::GET => text(StatusCode::OK, faults.plan().to_string()),
        Method::PUT | Method::POST => {
            let parsed = std::str::from_utf8(body)
                .map_err(|e| e.to_string())
                .and_then(|t| t.parse::<FaultPlan>().map_err(|e| e.to_string()));
            match parsed {
                Ok(plan) => {
                    tracing::info!(rules = plan.rules.len(), "fault rules replaced");
                    faults.replace(plan);
                    text(StatusCode::OK, faults.plan().to_string())
                }
                Err(e) => text(StatusCode::BAD_REQUEST, format!("{e}\n")),
            }
        }
        Method::DELETE => {
            faults.replace(FaultPlan::default());
            text(StatusCode::OK, String::new())
        }
        _ => text(
            StatusCode::METHOD_NOT_ALLOWED,
            "GET, PUT or DELETE\n".to_owned(),
        ),
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
