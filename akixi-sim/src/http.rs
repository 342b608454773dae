//! HTTP: the Akixi API on `POST` to any path, its REST/JSON API under the REST binding's base
//! path, and other services at their own paths.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use akixi_client::akixi_ws::grammar;
use akixi_client::runtime::akixi_ws::Secret;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};

use crate::akixi::engine::Engine;
use crate::akixi::rest::{RestCall, RestFront};
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

/// Where the injected faults are read and replaced while the simulator runs (on loopback or a
/// Unix socket only): `GET` shows the rules, `PUT` replaces them with the body's, `DELETE`
/// removes them. Every request must carry the run's token in [`FAULTS_TOKEN_HEADER`]
/// ([`SimulatorHandle::faults_token`](crate::SimulatorHandle::faults_token)), name a loopback
/// `Host`, and carry no `Origin`.
pub const FAULTS_PATH: &str = "/_akixi-sim/faults";

/// The header that carries the fault endpoint's token. Being a custom header, a web page can
/// send it to another origin only after a CORS preflight, which the simulator never approves.
pub const FAULTS_TOKEN_HEADER: &str = "x-akixi-sim-token";

/// The REST API keys' admin endpoint: on loopback, with the fault endpoint's token
/// ([`FAULTS_TOKEN_HEADER`]) and no `Origin`, `POST {"Username": …}` issues a key acting as that
/// account and `DELETE {"ApiKey": …}` revokes one.
pub const API_KEYS_PATH: &str = "/_akixi-sim/api-keys";

/// The largest body the fault endpoint reads (the rules' text).
const MAX_FAULT_RULES_BYTES: usize = 64 * 1024;

/// What the fault endpoint needs: the live rules, the run's token and the request timeout
/// (which bounds the latency rules).
pub(crate) struct FaultAdmin {
    pub(crate) faults: Arc<Faults>,
    pub(crate) token: Secret,
    pub(crate) request_timeout: std::time::Duration,
}

pub(crate) fn router(
    engine: Arc<Engine>,
    em: crate::em::EmSimulator,
    services: Vec<(String, Arc<dyn Service>)>,
    faults: Arc<Faults>,
    admin: Option<FaultAdmin>,
    rest_front: Option<Arc<RestFront>>,
) -> Router {
    let mut router = Router::new();
    if let Some(admin) = admin {
        let admin = Arc::new(admin);
        if let Some(front) = &rest_front {
            let (admin, front) = (Arc::clone(&admin), Arc::clone(front));
            router = router.route(
                API_KEYS_PATH,
                any(move |method: Method, headers: HeaderMap, body: Bytes| {
                    let (admin, front) = (Arc::clone(&admin), Arc::clone(&front));
                    async move {
                        tokio::task::spawn_blocking(move || {
                            api_keys_admin(&admin, &front, &method, &headers, &body)
                        })
                        .await
                        .unwrap_or_else(|_| {
                            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
                        })
                    }
                }),
            );
        }
        router = router.route(
            FAULTS_PATH,
            any(move |method: Method, headers: HeaderMap, body: Bytes| {
                let admin = Arc::clone(&admin);
                async move { fault_admin(&admin, &method, &headers, &body) }
            }),
        );
    }
    // The Extension Mobility simulator answers at its paths unless a service replaces it.
    let em_registered = services
        .iter()
        .any(|(path, _)| crate::em::EmPath::all().iter().any(|p| p.path() == path));
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
    // The REST/JSON API of the same world, under its base path (the spec's REST binding).
    if let Some(front) = rest_front {
        let route = format!("{}/{{*rest}}", front.base_path());
        router = router.route(
            &route,
            any(
                move |peer: Option<Extension<ConnectInfo<SocketAddr>>>,
                      method: Method,
                      uri: axum::http::Uri,
                      headers: HeaderMap,
                      body: Bytes| {
                    let front = Arc::clone(&front);
                    let peer = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
                    rest(front, peer, method, uri, headers, body)
                },
            ),
        );
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

/// One REST request, answered on a blocking thread (the engine may hash passwords and write
/// the state file).
async fn rest(
    front: Arc<RestFront>,
    peer: Option<IpAddr>,
    method: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path()
        .strip_prefix(front.base_path())
        .unwrap_or("")
        .to_string();
    let query = uri.query().map(str::to_string);
    tokio::task::spawn_blocking(move || {
        front.handle(&RestCall {
            method: &method,
            path: &path,
            query: query.as_deref(),
            headers: &headers,
            body: &body,
            peer,
        })
    })
    .await
    .unwrap_or_else(|error| {
        tracing::error!(%error, "the REST handler failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
    })
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

fn fault_admin(admin: &FaultAdmin, method: &Method, headers: &HeaderMap, body: &[u8]) -> Response {
    let text = |status: StatusCode, body: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    };
    if let Err((status, why)) = fault_admin_allowed(admin, headers) {
        tracing::warn!(%why, "fault endpoint request refused");
        return text(status, format!("{why}\n"));
    }
    let faults = &admin.faults;
    match *method {
        Method::GET => text(StatusCode::OK, faults.plan().to_string()),
        Method::PUT | Method::POST => {
            if body.len() > MAX_FAULT_RULES_BYTES {
                return text(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("fault rules of more than {MAX_FAULT_RULES_BYTES} bytes\n"),
                );
            }
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or_default().trim());
            if content_type.is_some_and(|t| !t.eq_ignore_ascii_case("text/plain")) {
                return text(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "fault rules are text/plain\n".to_owned(),
                );
            }
            let parsed = std::str::from_utf8(body)
                .map_err(|e| e.to_string())
                .and_then(|t| t.parse::<FaultPlan>().map_err(|e| e.to_string()))
                .and_then(|plan| {
                    plan.check_within(admin.request_timeout)
                        .map(|()| plan)
                        .map_err(|e| e.to_string())
                });
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

/// Whether a request may use the fault endpoint: a loopback `Host` (a page that rebinds its own
/// name to 127.0.0.1 still sends its name), no `Origin` (browsers send one with every
/// cross-origin request, and with every same-origin one but `GET`/`HEAD`: no page has a reason to
/// call this endpoint), and the run's token.
/// The REST API keys' admin endpoint (loopback, the run's token, no web page): `POST`
/// `{"Username": …}` issues a key acting as that account (`{"ApiKey": …}`); `DELETE`
/// `{"ApiKey": …}` revokes one.
fn api_keys_admin(
    admin: &FaultAdmin,
    front: &RestFront,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let json = |status: StatusCode, body: serde_json::Value| {
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    };
    if let Err((status, why)) = fault_admin_allowed(admin, headers) {
        tracing::warn!(%why, "API key endpoint request refused");
        return json(status, serde_json::json!({ "Message": why }));
    }
    if body.len() > MAX_FAULT_RULES_BYTES {
        return json(
            StatusCode::PAYLOAD_TOO_LARGE,
            serde_json::json!({ "Message": "body too large" }),
        );
    }
    let field = |name: &str| {
        serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get(name)?.as_str().map(str::to_owned))
    };
    match *method {
        Method::POST => match field("Username") {
            None => json(
                StatusCode::BAD_REQUEST,
                serde_json::json!({ "Message": "send {\"Username\": …}" }),
            ),
            Some(user) => match front.issue_api_key(&user) {
                Some(key) => {
                    tracing::info!("API key issued");
                    json(
                        StatusCode::OK,
                        serde_json::json!({ "ApiKey": key.expose() }),
                    )
                }
                None => json(
                    StatusCode::NOT_FOUND,
                    serde_json::json!({ "Message": "no such account, or it is locked out" }),
                ),
            },
        },
        Method::DELETE => match field("ApiKey") {
            None => json(
                StatusCode::BAD_REQUEST,
                serde_json::json!({ "Message": "send {\"ApiKey\": …}" }),
            ),
            Some(key) if front.revoke_api_key(&key) => {
                tracing::info!("API key revoked");
                json(StatusCode::OK, serde_json::json!({}))
            }
            Some(_) => json(
                StatusCode::NOT_FOUND,
                serde_json::json!({ "Message": "no such API key" }),
            ),
        },
        _ => json(
            StatusCode::METHOD_NOT_ALLOWED,
            serde_json::json!({ "Message": "POST issues a key, DELETE revokes one" }),
        ),
    }
}

fn fault_admin_allowed(
    admin: &FaultAdmin,
    headers: &HeaderMap,
) -> Result<(), (StatusCode, String)> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(is_loopback_host) {
        return Err((
            StatusCode::FORBIDDEN,
            "the fault endpoint answers only requests to a loopback Host (localhost, 127.0.0.1, [::1])".to_owned(),
        ));
    }
    if headers.contains_key(header::ORIGIN) {
        return Err((
            StatusCode::FORBIDDEN,
            "the fault endpoint answers no request from a web page (one with an Origin header)"
                .to_owned(),
        ));
    }
    let given = headers
        .get(FAULTS_TOKEN_HEADER)
        .map(HeaderValue::as_bytes)
        .unwrap_or_default();
    if !same_secret(given, admin.token.expose().as_bytes()) {
        return Err((
            StatusCode::UNAUTHORIZED,
            format!(
                "the fault endpoint needs the run's token in {FAULTS_TOKEN_HEADER} (printed by \
                 `akixi-sim serve`, and in <state>.faults-token)"
            ),
        ));
    }
    Ok(())
}

/// Whether a `Host` header names loopback: `localhost`, an address in 127.0.0.0/8 or `[::1]`,
/// with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, port)) if port.is_empty() || port.starts_with(':') => inside,
            _ => return false,
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                name
            }
            Some(_) => return false,
            None => host,
        }
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Compares two secrets in time that depends only on their lengths.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    if given.len() != expected.len() {
        return false;
    }
    given
        .iter()
        .zip(expected)
        .fold(0u8, |diff, (a, b)| diff | (a ^ b))
        == 0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.1.2.3:9",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "example.com",
            "localhost.example.com:8080",
            "127.0.0.1.nip.io",
            "10.0.0.1:80",
            "[::2]:80",
            "[::1]x",
            "localhost:",
            "localhost:80:80",
            "0.0.0.0:8080",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }
}
