//! A simulator of the Cisco Unified CM Extension Mobility API, driven by the same spec as the
//! client (`spec/cisco-em`): requests are read with the generated actions (`AnyAction`),
//! answers written with the client's codec, and every error code taken from the spec's
//! `error-conditions` table (`akixi_client::em::error_conditions`).
//!
//! # Mounting
//!
//! [`router`] serves the service at the spec's paths (the binding's `service-path`, and each
//! release's own request and query paths of the `versions` table), all on one state:
//!
//! ```ignore
//! let app = axum::Router::new().merge(akixi_sim::em::router());
//! ```
//!
//! Behind the simulator's `akixi_sim::Service` extension point instead, register one
//! adapter per path, sharing one [`EmSimulator`]:
//!
//! ```ignore
//! struct Em(EmSimulator, EmPath);
//! impl akixi_sim::Service for Em {
//!     fn handle(&self, r: ServiceRequest) -> ServiceReply {
//!         let a = self.0.answer_http(&r.method, self.1, &r.body);
//!         ServiceReply { status: a.status, content_type: a.content_type.to_owned(), body: a.body }
//!     }
//! }
//! let em = EmSimulator::new();
//! for path in EmPath::all() {
//!     config = config.service(path.path(), Arc::new(Em(em.clone(), path)));
//! }
//! ```
//!
//! # Seed data
//!
//! | what | identifiers |
//! |---|---|
//! | application user with the EM proxy rights | [`APP_ID`] `emapp`, certificate [`APP_CERTIFICATE`] `emapp-s3cret` (the CLI's defaults); the guide's `appid`/`apppasswd` and `emproxy`/`password` ([`GUIDE_APP_USERS`]) |
//! | application user without them | [`NO_RIGHTS_APP_ID`] `emapp-norights` / `emapp-norights-s3cret` |
//! | devices with EM | `SEP001122334455`, `SEP001122334466`, `SEP001122334477`, `SEP001122334488`; the guide's `SEP003094C25B15`, `SEP003094C25B49`, `SEP402CF4915265`, `SEP010203040506` |
//! | EMCC device (`emccDevice` `yes`) | `SEP0011223344CC` |
//! | device without EM | `SEP0011223344FF` |
//! | users (device profiles, default first) | `jdoe` (`jdoe-udp`, `jdoe-udp-sales`), `asmith` (`asmith-udp`), `bwayne` (`bwayne-udp`), `john` (`UserDevProf`, `UDP1`, `UDP2`), `one` (`one-udp`), `em` (`em-udp`), `em@cisco.com` (`EM-SCCP-Profile-7970`, `EM-SCCP-7975-Profile`, neither the default), `noprofile` (none) |
//!
//! # Behaviour
//!
//! `POST` with the form in the body, as the guide documents, and `GET` with the same form in
//! the query string (`…/EMServiceServlet?xml=%3Cquery%3E…`), as public client code sends it:
//! the service is a Java servlet, whose form parameters are read from either (a provisional
//! decision: the guide documents POST only; the client sends POST). Other methods: 405. Every
//! request it can read is answered `200` with a `<response>`. Checks run in this order, the first failing one answering with the code of
//! its condition:
//!
//! | condition | code | when |
//! |---|---|---|
//! | `malformed-request` | 1 | no form field; not well-formed; another root; an unknown request element; a missing required element or a bad value; at a CCM 3.3 path, an action CCM 3.3 lacks or a document of the other root |
//! | `unknown-query-type` | 8 | a query whose element is no known query |
//! | `bad-app-credentials` | 3 | an unknown application user, or a wrong certificate; or, unchecked, an application user guessed too often from the address (see below) |
//! | `no-proxy-rights` | 10 | the application user lacks the proxy rights |
//! | `unknown-device` | 11 | login or logout of a device that does not exist |
//! | `em-disabled-on-device` | 22 | login to a device without EM |
//! | `em-disabled-at-logout` | 5 | logout of a device without EM |
//! | `unknown-user` | 23 | login of a user who does not exist |
//! | `unknown-device-profile` | 12 | a device profile that is not the user's, or a user without any |
//! | `device-in-use` | 18 | login to a device another user is logged in to |
//! | `user-logged-in-elsewhere` | 25 | login of a user logged in to another device (multiple logins are not allowed) |
//! | `no-user-logged-in` | 19 | logout of a device nobody is logged in to |
//!
//! What an action does is read from the parameters it takes, by the roles the spec's binding
//! gives them (`user-parameter`, `device-parameter`, …): a request with a user and a device logs
//! the user in (again, if already on that device), one with a device only logs the device out,
//! one with neither logs everyone out and always succeeds. A query answers with the results
//! document the spec names for it, about each device or user its list parameter gives: who is
//! logged in to a device (the user percent-escaped, or nobody, or no such device), which devices
//! a user is logged in to, or a user's device profiles (the default marked). A device also says
//! whose login on it ended last (`lastlogin`, kept in memory only) and whether it is an EMCC
//! device (`emccDevice`), as the guide's example does; user ids are percent-escaped wherever
//! they appear (the user element, the last login and the user's id attribute). Failures use the
//! code form with the spec's message for the code. The automatic-logout duration is recorded
//! but never applied. The application certificate is never logged.
//!
//! Application credentials get the Akixi sign-in's back-off (`SignInBackoff`, per application
//! user and address, per address, and per application user; the crate's README, "Sign-in
//! throttling and sessions"): past the free attempts a guess is refused unchecked with
//! `bad-app-credentials` until its wait is over, and refused guesses do not extend the wait.
//!
//! Logins are kept in the simulator's state file when it has one (`Config::state`), so separate
//! processes on one file (`akixi em login`, then `akixi em query-devices`) see each other's; a
//! login or logout the file cannot record is refused (`storage-unavailable`) and changes
//! nothing.

mod seed;
mod world;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use akixi_client::cisco_em::{ActionKind, FieldValue, ReadError, RequestDocument, encode_response};
use akixi_client::em::{AnyAction, BINDING, error_conditions as cond};
use akixi_client::runtime::cisco_em::Secret;
use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::any;

pub use seed::{
    APP_CERTIFICATE, APP_ID, DEVICES, GUIDE_APP_USERS, NO_RIGHTS_APP_CERTIFICATE, NO_RIGHTS_APP_ID,
    SeedDevice, SeedUser, USERS,
};
pub use world::Occupant;

use crate::akixi::throttle::{Admission, SignInBackoff, Throttle};

/// Where a cluster's logins are kept beyond its memory.
pub trait LoginStore: Send + Sync + std::fmt::Debug {
    /// Records the logins that changed: `(device, who is logged in now)`, all or nothing.
    fn save(&self, changes: &[(String, Option<Occupant>)]) -> Result<(), String>;
}

use self::world::{World, failure};

/// The content type of answers.
const XML: &str = "text/xml; charset=utf-8";
/// The other method the service answers (see the module docs).
const GET: &str = "GET";

/// Which of the service's paths a request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmPath {
    /// The binding's `service-path`: every action.
    Service,
    /// A release's own path (the spec's `versions` table): its documents of `kind` only, and
    /// the actions the releases at that path answer.
    Release {
        /// The URL path.
        path: &'static str,
        /// Requests or queries.
        kind: ActionKind,
    },
}

impl EmPath {
    /// Every path: the `service-path`, then each release's own (once each).
    pub fn all() -> Vec<EmPath> {
        let mut out = vec![EmPath::Service];
        for v in BINDING.versions {
            for (path, kind) in [
                (v.request_path, ActionKind::Request),
                (v.query_path, ActionKind::Query),
            ] {
                if let Some(path) = path {
                    let p = EmPath::Release { path, kind };
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }

    /// The URL path, from the spec's binding.
    pub fn path(self) -> &'static str {
        match self {
            EmPath::Service => BINDING.service_path,
            EmPath::Release { path, .. } => path,
        }
    }
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmReply {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

/// One simulated cluster; clones share it.
#[derive(Debug, Clone)]
pub struct EmSimulator {
    world: Arc<Mutex<World>>,
    store: Option<Arc<dyn LoginStore>>,
    /// Slows guessing of application credentials.
    throttle: Arc<Throttle>,
}

impl Default for EmSimulator {
    fn default() -> Self {
        Self::new()
    }
}

impl EmSimulator {
    /// A cluster with the seed data (see the module docs).
    pub fn new() -> Self {
        EmSimulator {
            world: Arc::new(Mutex::new(World::seeded())),
            store: None,
            throttle: Arc::new(Throttle::new(SignInBackoff::default())),
        }
    }

    /// A cluster with the seed data and the logins `saved`, recording every change in `store`.
    pub fn persistent(saved: Vec<(String, Occupant)>, store: Arc<dyn LoginStore>) -> Self {
        let mut world = World::seeded();
        world.restore(saved);
        EmSimulator {
            world: Arc::new(Mutex::new(world)),
            store: Some(store),
            throttle: Arc::new(Throttle::new(SignInBackoff::default())),
        }
    }

    /// Slows guessing of application credentials as `policy` says (the default:
    /// [`SignInBackoff::default`]); the counts start afresh.
    pub fn with_backoff(mut self, policy: SignInBackoff) -> Self {
        self.throttle = Arc::new(Throttle::new(policy));
        self
    }

    fn world(&self) -> MutexGuard<'_, World> {
        // Every change is made whole under the lock, so a panic elsewhere leaves it usable.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Who is logged in where: `(device, user, device profile)`, by device name.
    pub fn logins(&self) -> Vec<(String, String, String)> {
        self.world()
            .devices
            .iter()
            .filter_map(|(name, d)| {
                d.login
                    .as_ref()
                    .map(|l| (name.clone(), l.user.clone(), l.profile.clone()))
            })
            .collect()
    }

    /// The automatic-logout minutes recorded for the login on `device`: `Some(None)` for an
    /// indefinite login, `None` when nobody is logged in there.
    pub fn login_minutes(&self, device: &str) -> Option<Option<i64>> {
        self.world()
            .devices
            .get(device)
            .and_then(|d| d.login.as_ref())
            .map(|l| l.minutes)
    }

    /// Answers an HTTP request to `path`: 405 for methods other than the spec's and `GET`, else
    /// 200 with [`answer`](Self::answer)'s document.
    pub fn answer_http(&self, method: &str, path: EmPath, body: &[u8]) -> EmReply {
        self.answer_http_from(method, path, body, None)
    }

    /// [`answer_http`](Self::answer_http) with the request's query string: a `GET` carries its
    /// form there (`?xml=…`); a `POST` whose body lacks the form field falls back to it, as a
    /// servlet's parameters do.
    pub fn answer_http_query(
        &self,
        method: &str,
        path: EmPath,
        query: Option<&str>,
        body: &[u8],
        peer: Option<IpAddr>,
    ) -> EmReply {
        let from_query = query
            .map(str::as_bytes)
            .filter(|q| akixi_client::cisco_em::decode_form_field(q, BINDING.form_field).is_some());
        if method.eq_ignore_ascii_case(GET) {
            return match from_query {
                Some(q) => self.answer_http_from(BINDING.http_method, path, q, peer),
                None => self.answer_http_from(BINDING.http_method, path, b"", peer),
            };
        }
        let in_body = akixi_client::cisco_em::decode_form_field(body, BINDING.form_field).is_some();
        match from_query {
            Some(q) if !in_body && method.eq_ignore_ascii_case(BINDING.http_method) => {
                self.answer_http_from(method, path, q, peer)
            }
            _ => self.answer_http_from(method, path, body, peer),
        }
    }

    /// [`answer_http`](Self::answer_http) for a request from `peer` (whose failed credentials
    /// are counted against that address too).
    pub fn answer_http_from(
        &self,
        method: &str,
        path: EmPath,
        body: &[u8],
        peer: Option<IpAddr>,
    ) -> EmReply {
        if !method.eq_ignore_ascii_case(BINDING.http_method) {
            return EmReply {
                status: 405,
                content_type: "text/plain; charset=utf-8",
                body: format!(
                    "the Extension Mobility service takes {} requests (or {GET} with ?{}=…)\n",
                    BINDING.http_method, BINDING.form_field
                )
                .into_bytes(),
            };
        }
        EmReply {
            status: 200,
            content_type: XML,
            body: self.answer_from(path, body, peer).into_bytes(),
        }
    }

    /// Answers a form-encoded request body sent to `path` with a `<response>` document.
    pub fn answer(&self, path: EmPath, body: &[u8]) -> String {
        self.answer_from(path, body, None)
    }

    /// [`answer`](Self::answer) for a request from `peer`.
    pub fn answer_from(&self, path: EmPath, body: &[u8], peer: Option<IpAddr>) -> String {
        let response = match read(path, body) {
            Err(code) => failure(code),
            Ok(action) => match credentials(&action) {
                None => failure(cond::MALFORMED_REQUEST),
                Some((app_id, certificate)) => {
                    self.authorized(&app_id, &certificate, peer, |world| {
                        self.apply_recorded(world, &action)
                    })
                }
            },
        };
        let outcome = match &response {
            akixi_client::cisco_em::Response::Failure(f) => {
                f.code().map_or(0, |c| c.code()).to_string()
            }
            _ => "success".to_owned(),
        };
        tracing::info!(path = path.path(), %outcome, "em request");
        encode_response(&response, &BINDING)
    }
}

impl EmSimulator {
    /// Checks the application's credentials as the throttle allows (counted before they are
    /// checked; a guess refused unchecked answers `bad-app-credentials` and counts nothing),
    /// then runs `then` on the cluster.
    fn authorized(
        &self,
        app_id: &str,
        certificate: &Secret,
        peer: Option<IpAddr>,
        then: impl FnOnce(&mut World) -> akixi_client::cisco_em::Response,
    ) -> akixi_client::cisco_em::Response {
        let ticket = match self.throttle.admit(app_id, peer, Instant::now()) {
            Admission::Check(ticket) => ticket,
            Admission::Refused(_) | Admission::Busy => {
                tracing::debug!("application credentials refused unchecked: too many failures");
                return failure(cond::BAD_APP_CREDENTIALS);
            }
        };
        if !ticket.delay().is_zero() {
            std::thread::sleep(ticket.delay());
        }
        let mut world = self.world();
        match world.authorize(app_id, certificate) {
            Ok(()) => {
                ticket.succeeded();
                then(&mut world)
            }
            Err(code) if code == cond::BAD_APP_CREDENTIALS => {
                ticket.failed();
                failure(code)
            }
            // The certificate was right (the rights are missing).
            Err(code) => {
                ticket.succeeded();
                failure(code)
            }
        }
    }

    /// Applies `action`, recording what it changed; if the store cannot, nothing changes.
    fn apply_recorded(
        &self,
        world: &mut World,
        action: &AnyAction,
    ) -> akixi_client::cisco_em::Response {
        let Some(store) = &self.store else {
            return world.apply(action);
        };
        let before = world.logins();
        let response = world.apply(action);
        let after = world.logins();
        let mut changes: Vec<(String, Option<Occupant>)> = after
            .iter()
            .filter(|(device, now)| before.get(*device) != Some(*now))
            .map(|(device, now)| (device.clone(), Some(now.clone())))
            .collect();
        changes.extend(
            before
                .keys()
                .filter(|device| !after.contains_key(*device))
                .map(|device| (device.clone(), None)),
        );
        if changes.is_empty() {
            return response;
        }
        match store.save(&changes) {
            Ok(()) => response,
            Err(e) => {
                tracing::error!(error = %e, "cannot record a login in the state file");
                for (device, d) in &mut world.devices {
                    d.login = before.get(device).cloned();
                }
                failure(cond::STORAGE_UNAVAILABLE)
            }
        }
    }
}

/// Reads the action; `Err` with the code to answer.
fn read(path: EmPath, body: &[u8]) -> Result<AnyAction, akixi_client::em::ErrorCode> {
    let doc = RequestDocument::from_form_body(body, &BINDING).map_err(|e| {
        tracing::debug!(error = %e, "unreadable request");
        cond::MALFORMED_REQUEST
    })?;
    let action = AnyAction::from_document(&doc).map_err(|e| {
        tracing::debug!(error = %e, "unreadable request");
        match e {
            ReadError::UnknownAction {
                kind: ActionKind::Query,
                ..
            } => cond::UNKNOWN_QUERY_TYPE,
            _ => cond::MALFORMED_REQUEST,
        }
    })?;
    // A release with paths of its own has its two documents at two paths, and maybe fewer
    // actions.
    let served = match path {
        EmPath::Service => true,
        EmPath::Release { path, kind } => {
            doc.kind() == kind
                && BINDING
                    .versions
                    .iter()
                    .filter(|v| match kind {
                        ActionKind::Request => v.request_path == Some(path),
                        ActionKind::Query => v.query_path == Some(path),
                    })
                    .any(|v| v.actions.is_none_or(|a| a.contains(&action.name())))
        }
    };
    if served {
        Ok(action)
    } else {
        Err(cond::MALFORMED_REQUEST)
    }
}

/// The application's credentials, from the parameters the binding names for them.
fn credentials(action: &AnyAction) -> Option<(String, Secret)> {
    let fields = action.fields();
    let text = |name: &str| {
        fields.iter().find_map(|f| match &f.value {
            FieldValue::Text(t) if f.property == name => Some(t.to_string()),
            _ => None,
        })
    };
    Some((
        text(BINDING.app_id_parameter)?,
        Secret::new(text(BINDING.app_certificate_parameter)?),
    ))
}

/// The service at its paths, on a new seeded cluster.
pub fn router() -> Router {
    router_with(EmSimulator::new())
}

/// The largest request body the EM simulator reads (64 KiB: its forms are a few hundred
/// bytes); a larger one is refused with 413 before it is read whole.
pub const MAX_REQUEST_BYTES: usize = 64 << 10;

/// The service at its paths, on `sim`'s cluster (keep a clone to look at its state).
pub fn router_with(sim: EmSimulator) -> Router {
    let mut router = Router::new();
    for path in EmPath::all() {
        let sim = sim.clone();
        router = router.route(
            path.path(),
            any(
                move |peer: Option<Extension<ConnectInfo<SocketAddr>>>,
                      method: Method,
                      RawQuery(query): RawQuery,
                      body: Bytes| {
                    let sim = sim.clone();
                    let peer = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
                    async move {
                        // Parsing and the state file's I/O stay off the async workers.
                        tokio::task::spawn_blocking(move || {
                            http_answer(&sim, path, &method, query.as_deref(), &body, peer)
                        })
                        .await
                        .unwrap_or_else(|error| {
                            tracing::error!(%error, "the EM handler failed");
                            StatusCode::INTERNAL_SERVER_ERROR.into_response()
                        })
                    }
                },
            ),
        );
    }
    // A form of a few hundred bytes is what the service takes; anything far larger is refused
    // (413) before it is read whole.
    router.layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
}

fn http_answer(
    sim: &EmSimulator,
    path: EmPath,
    method: &Method,
    query: Option<&str>,
    body: &[u8],
    peer: Option<IpAddr>,
) -> HttpResponse {
    let reply = sim.answer_http_query(method.as_str(), path, query, body, peer);
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, reply.body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    if status == StatusCode::METHOD_NOT_ALLOWED
        && let Ok(allow) = HeaderValue::from_str(&format!("{}, {GET}", BINDING.http_method))
    {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}
