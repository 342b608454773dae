//! A small Akixi server for the client's tests: real HTTP on loopback (axum), speaking the XML
//! of the spec through the generated types, with sessions, users, counters and a hook that
//! lets a test answer any request its own way (errors, delays, HTML pages, bad XML).
//!
//! Not the simulator (`akixi-sim`): only what the client tests need.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use akixi_client::akixi::session::{AuthenticateRequest, CreateSessionResponse};
use akixi_client::akixi::user::{
    UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserInfoResponse,
    UserListEntry, UserListRequest,
};
use akixi_client::akixi::{self, ErrorCode, error_conditions};
use akixi_client::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use akixi_client::akixi_ws::{DecodePayload, Extra, decode_request};
use akixi_client::runtime::akixi_ws::{
    EncodePayload, PasswordsAsIs, PayloadSink, Secret, WireValue,
};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

pub const PATH: &str = "/akixi/ws";
pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "Adm1n-p@ss";

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub operation: String,
    pub invoke_id: Option<String>,
    pub session_id: Option<String>,
    /// 1 for the first request of this operation, 2 for the second, …
    pub nth: usize,
    pub body: String,
}

/// How to answer a request.
pub enum Reply {
    /// As an Akixi server would.
    Normal,
    /// This XML, with status 200.
    Xml(String),
    /// Any status, content type and body.
    Http {
        status: u16,
        content_type: &'static str,
        body: String,
        headers: Vec<(&'static str, String)>,
    },
    /// Wait, then answer normally.
    Sleep(Duration),
    /// `n` bytes of padding inside a valid response, streamed without a Content-Length.
    Streamed(usize),
}

pub type Hook = Arc<dyn Fn(&Incoming) -> Reply + Send + Sync>;

#[derive(Debug, Clone, Default)]
pub struct StoredUser {
    pub full_name: Option<String>,
    pub email_addr: Option<String>,
    pub lock_out: Option<bool>,
    /// The password as the server decrypted it.
    pub password: Option<String>,
}

#[derive(Default)]
pub struct Counters {
    pub requests: AtomicUsize,
    pub create_session: AtomicUsize,
    pub authenticate: AtomicUsize,
    pub logout: AtomicUsize,
    by_operation: Mutex<HashMap<String, usize>>,
}

impl Counters {
    pub fn of(&self, operation: &str) -> usize {
        self.by_operation
            .lock()
            .unwrap()
            .get(operation)
            .copied()
            .unwrap_or(0)
    }
}

struct Session {
    nonce: String,
    authenticated: bool,
}

pub struct FakeState {
    pub counters: Counters,
    pub users: Mutex<BTreeMap<String, StoredUser>>,
    sessions: Mutex<HashMap<String, Session>>,
    next_session: AtomicUsize,
    hook: Mutex<Hook>,
    /// Every InvokeID seen, in order.
    pub invoke_ids: Mutex<Vec<String>>,
    /// Every request body, for redaction checks.
    pub bodies: Mutex<Vec<String>>,
}

impl FakeState {
    /// Forgets every session, as a server does when sessions time out.
    pub fn expire_sessions(&self) {
        self.sessions.lock().unwrap().clear();
    }

    pub fn set_hook(&self, hook: impl Fn(&Incoming) -> Reply + Send + Sync + 'static) {
        *self.hook.lock().unwrap() = Arc::new(hook);
    }

    pub fn session_count(&self) -> usize {
        self.sessions.lock().unwrap().len()
    }

    /// The SessionIDs and Nonces handed out, for checking they never leak.
    pub fn secrets(&self) -> Vec<String> {
        let n = self.next_session.load(Ordering::SeqCst);
        (1..=n).flat_map(|i| [session_id(i), nonce(i)]).collect()
    }
}

pub struct Fake {
    pub url: String,
    pub state: Arc<FakeState>,
}

impl Fake {
    pub async fn start() -> Fake {
        let state = Arc::new(FakeState {
            counters: Counters::default(),
            users: Mutex::new(BTreeMap::new()),
            sessions: Mutex::new(HashMap::new()),
            next_session: AtomicUsize::new(0),
            hook: Mutex::new(Arc::new(|_: &Incoming| Reply::Normal)),
            invoke_ids: Mutex::new(Vec::new()),
            bodies: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .route(PATH, post(handle))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Fake {
            url: format!("http://{addr}{PATH}"),
            state,
        }
    }

    /// Adds `n` users named `user00000`… directly.
    pub fn seed_users(&self, n: usize) {
        let mut users = self.state.users.lock().unwrap();
        for i in 0..n {
            users.insert(
                format!("user{i:05}"),
                StoredUser {
                    full_name: Some(format!("User {i}")),
                    ..StoredUser::default()
                },
            );
        }
    }
}

fn session_id(i: usize) -> String {
    format!(
        "{:032X}",
        0xEFA4_902A_7F61_D03E_u128 * 1_000_003 + i as u128
    )
}

fn nonce(i: usize) -> String {
    format!("{:032x}", 0x20d5_e39b_41c7_016d_u128 * 7_919 + i as u128)
}

async fn handle(State(state): State<Arc<FakeState>>, body: Bytes) -> Response {
    state.counters.requests.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&body).into_owned();
    state.bodies.lock().unwrap().push(text.clone());
    let envelope = match decode_request::<Extra>(&body) {
        Ok(e) => e,
        Err(e) => {
            return xml(fail(
                None,
                &[(error_conditions::MALFORMED_REQUEST, &e.to_string())],
            ));
        }
    };
    let nth = {
        let mut by_op = state.counters.by_operation.lock().unwrap();
        let n = by_op.entry(envelope.operation.clone()).or_default();
        *n += 1;
        *n
    };
    if let Some(id) = &envelope.invoke_id {
        state.invoke_ids.lock().unwrap().push(id.clone());
    }
    let incoming = Incoming {
        operation: envelope.operation.clone(),
        invoke_id: envelope.invoke_id.clone(),
        session_id: envelope.session_id.clone(),
        nth,
        body: text,
    };
    let hook = state.hook.lock().unwrap().clone();
    match hook(&incoming) {
        Reply::Normal => xml(akixi_answer(&state, &incoming, &body)),
        Reply::Xml(x) => xml(x),
        Reply::Http {
            status,
            content_type,
            body,
            headers,
        } => {
            let mut r = Response::new(Body::from(body));
            *r.status_mut() = StatusCode::from_u16(status).unwrap();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            for (name, value) in headers {
                r.headers_mut()
                    .insert(name, HeaderValue::from_str(&value).unwrap());
            }
            r
        }
        Reply::Sleep(d) => {
            tokio::time::sleep(d).await;
            xml(akixi_answer(&state, &incoming, &body))
        }
        Reply::Streamed(n) => {
            let id = incoming.invoke_id.clone().unwrap_or_default();
            let head =
                format!("<Response Result=\"Success\"><InvokeID>{id}</InvokeID><Success><!-- ");
            let chunks: Vec<Result<Bytes, std::io::Error>> = std::iter::once(Bytes::from(head))
                .chain((0..n / 4096 + 1).map(|_| Bytes::from(vec![b'x'; 4096])))
                .chain(std::iter::once(Bytes::from_static(
                    b" --></Success></Response>",
                )))
                .map(Ok)
                .collect();
            let stream = futures_util::stream::iter(chunks);
            let mut r = Response::new(Body::from_stream(stream));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
            r
        }
    }
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

/// Writes a `<Response>` document.
pub struct ResponseWriter(String);

impl ResponseWriter {
    pub fn new(result: &str, invoke_id: Option<&str>) -> Self {
        let mut s =
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response Result=\"{result}\">");
        if let Some(id) = invoke_id {
            s.push_str(&format!("<InvokeID>{}</InvokeID>", escape(id)));
        }
        ResponseWriter(s)
    }

    pub fn data<T: EncodePayload>(mut self, data: &T) -> Self {
        self.0.push_str(&format!("<{}>", akixi::BINDING.success));
        data.encode_payload(&mut self, &PasswordsAsIs).unwrap();
        self.0.push_str(&format!("</{}>", akixi::BINDING.success));
        self
    }

    pub fn errors(mut self, errors: &[(ErrorCode, &str)]) -> Self {
        let b = akixi::BINDING;
        self.0.push_str(&format!("<{}>", b.fail));
        for (code, message) in errors {
            self.0.push_str(&format!(
                "<Error><{c}>{}</{c}><{m}>{}</{m}></Error>",
                code.code(),
                escape(message),
                c = b.error_code,
                m = b.error_message
            ));
        }
        self.0.push_str(&format!("</{}>", b.fail));
        self
    }

    pub fn finish(mut self) -> String {
        self.0.push_str("</Response>");
        self.0
    }
}

impl PayloadSink for ResponseWriter {
    fn property(&mut self, name: &str, value: &str) {
        self.0.push_str(&format!(
            "<Property Name=\"{name}\">{}</Property>",
            escape(value)
        ));
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        self.property(name, &value.to_wire());
    }
    fn begin_container(&mut self, name: Option<&str>) {
        match name {
            Some(n) => self.0.push_str(&format!("<Container Name=\"{n}\">")),
            None => self.0.push_str("<Container>"),
        }
    }
    fn end_container(&mut self) {
        self.0.push_str("</Container>");
    }
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn success(invoke_id: Option<&str>) -> String {
    ResponseWriter::new("Success", invoke_id).finish()
}

pub fn fail(invoke_id: Option<&str>, errors: &[(ErrorCode, &str)]) -> String {
    ResponseWriter::new("Fail", invoke_id)
        .errors(errors)
        .finish()
}

fn payload<T: DecodePayload>(body: &[u8]) -> Result<T, String> {
    decode_request::<T>(body)
        .map_err(|e| e.to_string())?
        .payload
        .ok_or_else(|| "no OperationPayload".to_string())
}

/// The answer of a well-behaved server.
fn akixi_answer(state: &FakeState, req: &Incoming, body: &[u8]) -> String {
    let id = req.invoke_id.as_deref();
    let malformed = |e: String| fail(id, &[(error_conditions::MALFORMED_REQUEST, &e)]);
    match req.operation.as_str() {
        "CreateSession" => {
            state.counters.create_session.fetch_add(1, Ordering::SeqCst);
            let i = state.next_session.fetch_add(1, Ordering::SeqCst) + 1;
            state.sessions.lock().unwrap().insert(
                session_id(i),
                Session {
                    nonce: nonce(i),
                    authenticated: false,
                },
            );
            let mut data = CreateSessionResponse::default();
            data.session_id = Some(Secret::new(session_id(i)));
            data.nonce = Some(Secret::new(nonce(i)));
            return ResponseWriter::new("Success", id).data(&data).finish();
        }
        "Authenticate" => {
            state.counters.authenticate.fetch_add(1, Ordering::SeqCst);
            let auth: AuthenticateRequest = match payload(body) {
                Ok(a) => a,
                Err(e) => return malformed(e),
            };
            let mut sessions = state.sessions.lock().unwrap();
            let Some(sid) = req.session_id.clone() else {
                return fail(id, &[(error_conditions::MISSING_SESSION, "no SessionID")]);
            };
            let Some(session) = sessions.get_mut(&sid) else {
                return fail(
                    id,
                    &[(error_conditions::UNKNOWN_SESSION, "unknown session")],
                );
            };
            let cipher = NonceCipher::new(&akixi::PASSWORD_SCHEME).unwrap();
            let ok = auth.get_username() == ADMIN
                && cipher
                    .decrypt(
                        &Secret::new(session.nonce.clone()),
                        auth.get_password().expose(),
                    )
                    .is_ok_and(|p| p.expose() == ADMIN_PASSWORD);
            if !ok {
                // As documented: a failed Authenticate clears the session and its Nonce.
                sessions.remove(&sid);
                return fail(
                    id,
                    &[(error_conditions::AUTHENTICATION_FAILED, "bad credentials")],
                );
            }
            session.authenticated = true;
            return success(id);
        }
        _ => {}
    }

    // Everything else needs an authenticated session.
    let sid = match &req.session_id {
        None => return fail(id, &[(error_conditions::MISSING_SESSION, "no SessionID")]),
        Some(s) => s.clone(),
    };
    let nonce = {
        let sessions = state.sessions.lock().unwrap();
        match sessions.get(&sid) {
            Some(s) if s.authenticated => s.nonce.clone(),
            _ => {
                return fail(
                    id,
                    &[(error_conditions::UNKNOWN_SESSION, "the session has expired")],
                );
            }
        }
    };
    let decrypt = |wire: &str| {
        NonceCipher::new(&akixi::PASSWORD_SCHEME)
            .unwrap()
            .decrypt(&Secret::new(nonce.clone()), wire)
            .map(|p| p.expose().to_string())
    };
    let mut users = state.users.lock().unwrap();
    let unknown = |name: &str| {
        fail(
            id,
            &[(
                error_conditions::UNKNOWN_ENTITY_USER,
                &format!("no user {name}"),
            )],
        )
    };
    match req.operation.as_str() {
        "Logout" => {
            state.counters.logout.fetch_add(1, Ordering::SeqCst);
            state.sessions.lock().unwrap().remove(&sid);
            success(id)
        }
        "UserAdd" => {
            let add: UserAddRequest = match payload(body) {
                Ok(a) => a,
                Err(e) => return malformed(e),
            };
            let name = add.get_username().clone();
            if users.contains_key(&name) {
                return fail(
                    id,
                    &[(
                        error_conditions::DUPLICATE_ENTITY_USER,
                        &format!("{name} exists"),
                    )],
                );
            }
            let password = match add.get_password().map(|p| decrypt(p.expose())) {
                Some(Ok(p)) => Some(p),
                Some(Err(e)) => return malformed(e.to_string()),
                None => None,
            };
            users.insert(
                name,
                StoredUser {
                    full_name: add.get_full_name().cloned(),
                    email_addr: add.get_email_addr().cloned(),
                    lock_out: add.get_lock_out().copied(),
                    password,
                },
            );
            success(id)
        }
        "UserChange" => {
            let change: UserChangeRequest = match payload(body) {
                Ok(a) => a,
                Err(e) => return malformed(e),
            };
            let name = change.get_username().clone();
            let Some(user) = users.get_mut(&name) else {
                return unknown(&name);
            };
            if let Some(v) = change.get_full_name() {
                user.full_name = Some(v.clone());
            }
            if let Some(v) = change.get_email_addr() {
                user.email_addr = Some(v.clone());
            }
            if let Some(v) = change.get_lock_out() {
                user.lock_out = Some(*v);
            }
            if let Some(p) = change.get_password() {
                match decrypt(p.expose()) {
                    Ok(p) => user.password = Some(p),
                    Err(e) => return malformed(e.to_string()),
                }
            }
            success(id)
        }
        "UserDelete" => {
            let del: UserDeleteRequest = match payload(body) {
                Ok(a) => a,
                Err(e) => return malformed(e),
            };
            match users.remove(del.get_username()) {
                Some(_) => success(id),
                None => unknown(del.get_username()),
            }
        }
        "UserInfo" => {
            let info: UserInfoRequest = match payload(body) {
                Ok(a) => a,
                Err(e) => return malformed(e),
            };
            let name = info.get_username();
            let Some(user) = users.get(name) else {
                return unknown(name);
            };
            let mut data = UserInfoResponse::default();
            data.username = Some(name.clone());
            data.full_name = user.full_name.clone();
            data.email_addr = user.email_addr.clone();
            data.lock_out = user.lock_out;
            ResponseWriter::new("Success", id).data(&data).finish()
        }
        "UserList" => {
            let envelope = match decode_request::<UserListRequest>(body) {
                Ok(e) => e,
                Err(e) => return malformed(e.to_string()),
            };
            let offset = envelope.offset.unwrap_or(akixi::DEFAULT_OFFSET) as usize;
            let limit = envelope.limit.unwrap_or(akixi::DEFAULT_LIMIT) as usize;
            let mut list = akixi_client::runtime::akixi_ws::List::<UserListEntry>::default();
            for (name, user) in users.iter().skip(offset).take(limit) {
                let mut e = UserListEntry::default();
                e.username = Some(name.clone());
                e.full_name = user.full_name.clone();
                e.lock_out = user.lock_out;
                list.entries.push(e);
            }
            ResponseWriter::new("Success", id).data(&list).finish()
        }
        other => fail(
            id,
            &[(
                error_conditions::UNKNOWN_OPERATION,
                &format!("unknown operation {other}"),
            )],
        ),
    }
}

/// A raw HTTP/1.1 server on loopback, for what axum cannot do: it answers the session
/// operations (one request per connection, then closes it) and resets the connection (RST)
/// after reading a whole request of the operations in `reset`, so the client sees the failure
/// after its request was sent. [`RawServer::stop`] stops listening, so that later connections
/// are refused.
pub struct RawServer {
    pub url: String,
    counts: Arc<Mutex<HashMap<String, usize>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl RawServer {
    pub async fn start(reset: &'static [&'static str]) -> RawServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let counts = Arc::new(Mutex::new(HashMap::new()));
        let seen = counts.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(raw_connection(stream, reset, seen.clone()));
            }
        });
        RawServer {
            url: format!("http://{addr}{PATH}"),
            counts,
            accept,
        }
    }

    /// Requests of `operation` read in full.
    pub fn count(&self, operation: &str) -> usize {
        self.counts
            .lock()
            .unwrap()
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// Stops listening: new connections are refused.
    pub async fn stop(&self) {
        self.accept.abort();
        // Let the aborted task drop the listener.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn raw_connection(
    mut stream: tokio::net::TcpStream,
    reset: &'static [&'static str],
    counts: Arc<Mutex<HashMap<String, usize>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let body_start = loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break end + 4;
            }
        }
    };
    let envelope = match decode_request::<Extra>(&buf[body_start..]) {
        Ok(e) => e,
        Err(_) => return,
    };
    *counts
        .lock()
        .unwrap()
        .entry(envelope.operation.clone())
        .or_default() += 1;
    if reset.contains(&envelope.operation.as_str()) {
        let _ = stream.set_zero_linger();
        return;
    }
    let id = envelope.invoke_id.as_deref();
    let body = if envelope.operation == "CreateSession" {
        let mut data = CreateSessionResponse::default();
        data.session_id = Some(Secret::new(session_id(0)));
        data.nonce = Some(Secret::new(nonce(0)));
        ResponseWriter::new("Success", id).data(&data).finish()
    } else {
        success(id)
    };
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A loopback URL where nothing listens (connections are refused).
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}{PATH}")
}

/// Everything the tests' tracing subscriber wrote on one thread.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

thread_local! {
    static CAPTURE: std::cell::RefCell<Option<Logs>> = const { std::cell::RefCell::new(None) };
}

/// Writes to the capturing buffer of the current thread, if any.
struct ThreadWriter;

impl std::io::Write for ThreadWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|c| {
            if let Some(logs) = &*c.borrow() {
                logs.0.lock().unwrap().extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct CaptureGuard;

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|c| *c.borrow_mut() = None);
    }
}

/// Captures every event and span (with its fields, at close) at TRACE on this thread, for a
/// test on a current-thread runtime.
///
/// One global subscriber serves every test of the binary: tracing caches per call site
/// whether anyone listens, and with thread-scoped subscribers in parallel tests that cache
/// can drop a test's spans.
pub fn capture_logs() -> (Logs, CaptureGuard) {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadWriter)
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
    let logs = Logs::default();
    CAPTURE.with(|c| *c.borrow_mut() = Some(logs.clone()));
    (logs, CaptureGuard)
}

/// A client of `url` with the fake's credentials and short waits, for tests.
pub fn builder(url: &str) -> akixi_client::ClientBuilder {
    akixi_client::Client::builder(url)
        .credentials(ADMIN, ADMIN_PASSWORD)
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_secs(5))
        .retry_policy(fast_retries(3))
}

/// `attempts` attempts with millisecond backoffs.
pub fn fast_retries(attempts: u32) -> akixi_client::RetryPolicy {
    akixi_client::RetryPolicy::new(attempts)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
        .max_elapsed(Duration::from_secs(10))
}
