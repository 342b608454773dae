//! The REST/JSON API (`/CCS/API/v1`) of the same world: each REST request is translated into the
//! `<Request>` of the operation whose shape it carries and answered by the same engine, so one
//! state, one set of rules (permissions, scope, references, PartialFail) and one fault injection
//! serve both APIs; the engine's answer is translated back into JSON and the status the spec's
//! `rest-statuses` give its condition. Everything REST-specific (routes, cookie, fields, forms,
//! statuses) comes from the spec's REST binding (`SERVICE.rest`); nothing here names a family,
//! an operation or a property.
//!
//! Sessions: `create-session` answers the session id and nonce (and sets the cookie); `login`
//! takes HTTP Basic credentials and signs the session in through the engine's authenticate, its
//! password protected with the session's nonce as an XML client would; `logout` closes it.
//!
//! Here: the front, its session routes and the call into the engine; [`route`]: which route a
//! request takes; [`json`]: JSON and the engine's payloads, both ways; [`refusal`]: what a
//! refused request says.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use akixi_client::akixi_rest::binding::{JsonForm, RestInfo, RestOperationInfo};
use akixi_client::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use akixi_client::akixi_ws::{Extra, RequestWriter, ResultKind, decode_response};
use akixi_client::runtime::akixi_ws::{Condition, OpKind, ServiceInfo};
use akixi_client::secret::{Password, Secret};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

mod json;
mod refusal;
mod route;

use json::{BodyCx, Translate, paths, put, unbracket};
use refusal::Refusal;
use route::{method_of, query_pairs, route_matches};

use crate::akixi::api_keys::ApiKeys;
use crate::akixi::engine::Engine;
use crate::faults::{FaultAction, Faults};

/// The nonces of REST sessions, kept at most this many (the oldest forgotten first): a login,
/// and a password a request sets, are protected with the session's nonce for the engine, as an
/// XML client protects them. A session whose nonce is forgotten can no longer set passwords.
const SESSION_NONCES: usize = 10_000;

/// The InvokeID of every translated request (REST has none; the engine needs one).
const INVOKE_ID: &str = "00000";

/// The REST front of one engine.
pub(crate) struct RestFront {
    engine: Arc<Engine>,
    faults: Arc<Faults>,
    svc: &'static ServiceInfo,
    rest: &'static RestInfo,
    cipher: NonceCipher,
    nonces: Mutex<Nonces>,
    keys: Arc<ApiKeys>,
}

#[derive(Default)]
struct Nonces {
    nonces: HashMap<String, Secret>,
    order: VecDeque<String>,
}

/// One REST request as received.
pub(crate) struct RestCall<'a> {
    pub(crate) method: &'a Method,
    /// The path after the base path (`/admin/user/jdoe`), still percent-encoded.
    pub(crate) path: &'a str,
    /// The raw query string.
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Bytes,
    pub(crate) peer: Option<IpAddr>,
}

impl RestFront {
    /// The REST front of `engine`, where its service has a REST binding.
    pub(crate) fn new(
        engine: Arc<Engine>,
        faults: Arc<Faults>,
        keys: Arc<ApiKeys>,
    ) -> Option<RestFront> {
        let svc = engine.catalog.svc;
        let rest = svc.rest?;
        let cipher = NonceCipher::new(svc.password_scheme).ok()?;
        Some(RestFront {
            engine,
            faults,
            svc,
            rest,
            cipher,
            nonces: Mutex::new(Nonces::default()),
            keys,
        })
    }

    /// The translation of JSON to and from the engine's payloads, with this front's service.
    fn translate(&self) -> Translate<'_> {
        Translate {
            svc: self.svc,
            rest: self.rest,
            cipher: &self.cipher,
        }
    }

    /// The path every REST route is under.
    pub(crate) fn base_path(&self) -> &'static str {
        self.rest.base_path
    }

    /// Answers one REST request. Blocking (the engine may hash passwords and write the state
    /// file): run it on a blocking thread.
    pub(crate) fn handle(&self, call: &RestCall<'_>) -> Response {
        let Some(method) = method_of(call.method) else {
            return self.refuse(&Refusal::new(
                Condition::UnknownOperation,
                format!("no REST operation takes {}", call.method),
            ));
        };
        let segments: Vec<&str> = call
            .path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let key = call
            .headers
            .get(self.rest.api_key_header)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|k| !k.is_empty());
        let session = match key {
            Some(key) => match self.key_session(key, None) {
                Ok(s) => Some(s),
                Err(r) => return self.refuse(&r),
            },
            None => self.session_of(call.headers),
        };
        let rest = self.rest;
        let outcome =
            if route_matches(&rest.create_session, method, &segments).is_some() {
                self.create_session(call)
            } else if route_matches(&rest.login, method, &segments).is_some() {
                self.login(call, session.as_deref())
            } else if route_matches(&rest.logout, method, &segments).is_some() {
                self.logout(call, session.as_deref())
            } else {
                match rest.operations.iter().find_map(|op| {
                    route_matches(&op.route, method, &segments).map(|caps| (op, caps))
                }) {
                    Some((op, captures)) => {
                        match (self.operation(call, op, &captures, session.as_deref()), key) {
                            // The key's session expired: a new one, and the request once more.
                            (Err(r), Some(key)) if is_session_lost(r.condition) => {
                                match self.key_session(key, session.as_deref()) {
                                    Ok(s) => self.operation(call, op, &captures, Some(&s)),
                                    Err(r) => Err(r),
                                }
                            }
                            (outcome, _) => outcome,
                        }
                    }
                    None => Err(Refusal::new(
                        Condition::UnknownOperation,
                        format!("no REST operation is `{} {}`", call.method, call.path),
                    )),
                }
            };
        outcome.unwrap_or_else(|r| self.refuse(&r))
    }

    /// The engine session API key `key` acts through: the one it has (unless it is `stale`), or
    /// a new one signed in as its account.
    fn key_session(&self, key: &str, stale: Option<&str>) -> Result<String, Refusal> {
        let Some((username, session)) = self.keys.lookup(key) else {
            return Err(Refusal::new(
                Condition::NotAuthenticated,
                format!("unknown or revoked `{}`", self.rest.api_key_header),
            ));
        };
        if let Some(s) = session.filter(|s| Some(s.as_str()) != stale) {
            return Ok(s);
        }
        let (id, nonce) = self
            .engine
            .open_session_as(&username)
            .map_err(|f| Refusal::new(f.condition(), f.message()))?;
        self.remember_nonce(&id, nonce.expose());
        self.keys.set_session(key, id.clone());
        Ok(id)
    }

    /// A new API key acting as the account named `username`; `None` when there is no such
    /// account or it is locked out.
    pub(crate) fn issue_api_key(&self, username: &str) -> Option<Secret> {
        self.engine.usable_account(username)?;
        self.keys.issue(username).ok()
    }

    /// Revokes `key` and closes the session it used; whether it was issued.
    pub(crate) fn revoke_api_key(&self, key: &str) -> bool {
        match self.keys.revoke(key) {
            Some(session) => {
                if let Some(s) = session {
                    self.close_session(&s);
                }
                true
            }
            None => false,
        }
    }

    /// Closes an engine session (a revoked key's).
    fn close_session(&self, session: &str) {
        if let Some(roles) = self.svc.session {
            let mut w = RequestWriter::new(roles.close);
            w.invoke_id(INVOKE_ID).session_id(session);
            let _ = self.send(roles.close, w.finish(), None);
        }
    }

    fn session_of(&self, headers: &HeaderMap) -> Option<String> {
        let cookie = self.rest.session_cookie;
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == cookie)
            .map(|(_, value)| value.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn create_session(&self, call: &RestCall<'_>) -> Result<Response, Refusal> {
        let Some(roles) = self.svc.session else {
            return Err(Refusal::new(
                Condition::UnknownOperation,
                "the service has no sessions",
            ));
        };
        let w = RequestWriter::new(roles.create);
        let decoded = self.ask(roles.create, w, call.peer)?;
        let data = decoded.unwrap_or_default();
        let (Some(id), Some(nonce)) = (data.property(roles.session_id), data.property(roles.nonce))
        else {
            return Err(Refusal::new(
                Condition::InternalError,
                "the session has no id or nonce",
            ));
        };
        self.remember_nonce(id, nonce);
        let mut body = Map::new();
        body.insert(
            self.rest.nonce_field.to_string(),
            Value::String(nonce.to_string()),
        );
        body.insert(
            self.rest.session_id_field.to_string(),
            Value::String(id.to_string()),
        );
        let mut response = json_response(self.rest.success_status, &Value::Object(body));
        if let Ok(cookie) = HeaderValue::from_str(&format!(
            "{}={id}; Path=/; HttpOnly",
            self.rest.session_cookie
        )) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        Ok(response)
    }

    fn remember_nonce(&self, id: &str, nonce: &str) {
        let Ok(mut known) = self.nonces.lock() else {
            return;
        };
        while known.order.len() >= SESSION_NONCES {
            if let Some(old) = known.order.pop_front() {
                known.nonces.remove(&old);
            }
        }
        known.order.push_back(id.to_string());
        known.nonces.insert(id.to_string(), Secret::new(nonce));
    }

    fn nonce_of(&self, session: &str) -> Option<Secret> {
        self.nonces
            .lock()
            .ok()
            .and_then(|known| known.nonces.get(session).cloned())
    }

    fn login(&self, call: &RestCall<'_>, session: Option<&str>) -> Result<Response, Refusal> {
        let Some(roles) = self.svc.session else {
            return Err(Refusal::new(
                Condition::UnknownOperation,
                "the service has no sessions",
            ));
        };
        let Some(session) = session else {
            return Err(Refusal::new(
                Condition::MissingSession,
                format!("the request has no `{}` cookie", self.rest.session_cookie),
            ));
        };
        let Some((user, password)) = basic_credentials(call.headers) else {
            return Err(Refusal::new(
                Condition::AuthenticationFailed,
                "the login has no HTTP Basic credentials",
            ));
        };
        let Some(nonce) = self.nonce_of(session) else {
            return Err(Refusal::new(
                Condition::UnknownSession,
                "the session is unknown, closed or already signed in",
            ));
        };
        let protected = self
            .cipher
            .encrypt(&nonce, &password)
            .map_err(|e| Refusal::new(Condition::InternalError, e.to_string()))?;
        let mut w = RequestWriter::new(roles.authenticate);
        w.invoke_id(INVOKE_ID).session_id(session).begin_payload();
        write_path(&mut w, roles.username, &user);
        write_path(&mut w, roles.password, &protected);
        w.end_payload();
        self.send(roles.authenticate, w.finish(), call.peer)?;
        Ok(json_response(
            self.rest.success_status,
            &Value::Object(Map::new()),
        ))
    }

    fn logout(&self, call: &RestCall<'_>, session: Option<&str>) -> Result<Response, Refusal> {
        let Some(roles) = self.svc.session else {
            return Err(Refusal::new(
                Condition::UnknownOperation,
                "the service has no sessions",
            ));
        };
        let mut w = RequestWriter::new(roles.close);
        w.invoke_id(INVOKE_ID);
        if let Some(s) = session {
            w.session_id(s);
        }
        self.send(roles.close, w.finish(), call.peer)?;
        Ok(json_response(
            self.rest.success_status,
            &Value::Object(Map::new()),
        ))
    }

    fn operation(
        &self,
        call: &RestCall<'_>,
        op: &'static RestOperationInfo,
        captures: &[(&'static str, String)],
        session: Option<&str>,
    ) -> Result<Response, Refusal> {
        let info = self
            .svc
            .operation(op.shape)
            .ok_or_else(|| Refusal::new(Condition::UnknownOperation, "no such shape"))?;
        let family = self
            .svc
            .family(op.family)
            .ok_or_else(|| Refusal::new(Condition::UnknownOperation, "no such family"))?;
        let mut payload = Extra::default();
        for (name, value) in captures {
            payload.push_property(*name, value.clone());
        }
        let query = query_pairs(call.query);
        let (mut offset, mut limit) = (None, None);
        for (name, value) in &query {
            if name == self.rest.offset_parameter && info.paged {
                offset = Some(parse_count(name, value)?);
            } else if name == self.rest.limit_parameter && info.paged {
                limit = Some(parse_count(name, value)?);
            } else if op.route.method.has_body() && !op.query.contains(&name.as_str()) {
                return Err(Refusal::new(
                    Condition::MalformedRequest,
                    format!("REST `{}` takes no query parameter `{name}`", op.name),
                ));
            } else {
                let text = match self.rest.form(op.family, name) {
                    JsonForm::BracketList => unbracket(value).to_string(),
                    _ => value.clone(),
                };
                put(&mut payload, name, text);
            }
        }
        if op.route.method.has_body() && !call.body.trim_ascii().is_empty() {
            let body: Value = serde_json::from_slice(call.body).map_err(|e| {
                Refusal::new(
                    Condition::MalformedRequest,
                    format!("the body is not JSON: {e}"),
                )
            })?;
            let Value::Object(members) = body else {
                return Err(Refusal::new(
                    Condition::MalformedRequest,
                    "the body is not a JSON object",
                ));
            };
            let nonce = session.and_then(|s| self.nonce_of(s));
            let cx = BodyCx {
                op,
                family,
                nonce: nonce.as_ref(),
            };
            self.translate()
                .body_into(&mut payload, &cx, None, &members)?;
        }
        // Every input given must be one the REST operation carries.
        for path in paths(&payload) {
            if family.property(&path).is_some() && !op.carries(&path) {
                return Err(Refusal::new(
                    Condition::BadPropertyValue,
                    format!("REST `{}` does not carry `{path}`", op.name),
                ));
            }
        }
        for (path, value) in op.implies {
            put(&mut payload, path, (*value).to_string());
        }
        let mut w = RequestWriter::new(op.shape);
        w.invoke_id(INVOKE_ID);
        if let Some(s) = session {
            w.session_id(s);
        }
        if let Some(o) = offset {
            w.offset(o);
        }
        if let Some(l) = limit {
            w.limit(l);
        }
        w.begin_payload();
        payload.write_to(&mut w);
        w.end_payload();
        let (kind, data, partial) = match self.send_full(op.shape, w.finish(), call.peer)? {
            Answer::Done(data) => (info.kind, data, None),
            Answer::Partial(data, message) => (info.kind, data, Some(message)),
        };
        let mut json = match (kind, data) {
            (OpKind::List, Some(data)) => Value::Array(
                data.entries()
                    .map(|e| Value::Object(self.translate().object(family, None, e)))
                    .collect(),
            ),
            (OpKind::List, None) => Value::Array(Vec::new()),
            (_, Some(data)) => Value::Object(self.translate().object(family, None, &data)),
            (_, None) => Value::Object(Map::new()),
        };
        if let (Some(message), Value::Object(map)) = (partial, &mut json) {
            map.insert(
                self.rest.error_message_field.to_string(),
                Value::String(message),
            );
        }
        Ok(json_response(self.rest.success_status, &json))
    }

    /// Sends a request with nothing but its operation (and a session id, for some).
    fn ask(
        &self,
        operation: &str,
        mut w: RequestWriter,
        peer: Option<IpAddr>,
    ) -> Result<Option<Extra>, Refusal> {
        w.invoke_id(INVOKE_ID);
        self.send(operation, w.finish(), peer)
    }

    fn send(
        &self,
        operation: &str,
        xml: String,
        peer: Option<IpAddr>,
    ) -> Result<Option<Extra>, Refusal> {
        match self.send_full(operation, xml, peer)? {
            Answer::Done(data) | Answer::Partial(data, _) => Ok(data),
        }
    }

    /// The engine's answer to `xml` (after the fault rules for `operation`), sorted.
    fn send_full(
        &self,
        operation: &str,
        xml: String,
        peer: Option<IpAddr>,
    ) -> Result<Answer, Refusal> {
        let decision = self.faults.decide(Some(operation));
        if !decision.delay.is_zero() {
            std::thread::sleep(decision.delay);
        }
        match decision.fault {
            Some(FaultAction::Unavailable { .. }) => {
                return Err(Refusal::new(Condition::Busy, "injected: unavailable"));
            }
            Some(FaultAction::ErrorCode(code)) => {
                return Err(Refusal {
                    condition: self.condition_of(code),
                    message: "injected fault".to_string(),
                    code: Some(code),
                });
            }
            Some(FaultAction::ResetBefore | FaultAction::ResetAfter | FaultAction::Truncate) => {
                // A lost connection has no REST form; the nearest is a server error.
                if !matches!(decision.fault, Some(FaultAction::ResetBefore)) {
                    let _ = self.engine.handle(xml.as_bytes(), peer);
                }
                return Err(Refusal::new(
                    Condition::InternalError,
                    "injected: connection lost",
                ));
            }
            Some(FaultAction::Latency { .. }) | None => {}
        }
        let answer = self.engine.handle(xml.as_bytes(), peer);
        let decoded = decode_response::<Extra>(answer.as_bytes(), self.svc.binding)
            .map_err(|e| Refusal::new(Condition::InternalError, e.to_string()))?;
        let message = || {
            decoded
                .errors
                .iter()
                .filter_map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        };
        match decoded.result {
            ResultKind::Success => Ok(Answer::Done(decoded.data)),
            ResultKind::PartialFail => {
                let m = message();
                Ok(Answer::Partial(decoded.data, m))
            }
            ResultKind::Fail => {
                let code = decoded.errors.iter().find_map(|e| e.code);
                let condition = code.map_or(Condition::InternalError, |c| self.condition_of(c));
                Err(Refusal {
                    condition,
                    message: message(),
                    code,
                })
            }
        }
    }

    /// The condition the spec answers with `code` (the first, where several share it).
    fn condition_of(&self, code: u32) -> Condition {
        self.svc
            .conditions
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.condition)
            .unwrap_or(Condition::InternalError)
    }

    /// A refusal as the spec's REST failure: its condition's status and `{"Message": …}` (with
    /// the service's code, where the engine gave one).
    fn refuse(&self, r: &Refusal) -> Response {
        let status = self.rest.status(r.condition).unwrap_or(500);
        let message = r.message.clone();
        let code = r.code.or_else(|| {
            self.svc
                .conditions
                .iter()
                .find(|c| c.condition == Some(r.condition) && c.family.is_none())
                .map(|c| c.code)
        });
        let mut body = Map::new();
        body.insert(
            self.rest.error_message_field.to_string(),
            Value::String(message),
        );
        if let Some(c) = code {
            body.insert(self.rest.error_code_field.to_string(), Value::from(c));
        }
        json_response(status, &Value::Object(body))
    }
}

enum Answer {
    Done(Option<Extra>),
    Partial(Option<Extra>, String),
}

/// Conditions that mean the session is gone.
fn is_session_lost(c: Condition) -> bool {
    matches!(
        c,
        Condition::UnknownSession | Condition::NotAuthenticated | Condition::MissingSession
    )
}

fn parse_count(name: &str, value: &str) -> Result<u64, Refusal> {
    value.parse().map_err(|_| {
        Refusal::new(
            Condition::BadPropertyValue,
            format!("`{name}` = `{value}` is not a whole number"),
        )
    })
}

/// Writes `value` at `path` (`Name` or `Container.Name`) in a request being written.
fn write_path(w: &mut RequestWriter, path: &str, value: &str) {
    match path.split_once('.') {
        None => {
            w.property(path, value);
        }
        Some((container, name)) => {
            w.begin_container(container)
                .property(name, value)
                .end_container();
        }
    }
}

/// The user name and password of an `Authorization: Basic …` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, Password)> {
    use base64::Engine as _;
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), Password::new(password)))
}

fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
