//! What the simulator's tests share: starting a simulator, the typed client, and a raw
//! exchange for tests that must control the exact bytes on the wire.
#![allow(dead_code)]

use std::path::PathBuf;

use akixi_client::Client;
use akixi_client::akixi::{self, session};
use akixi_client::akixi_ws::cipher::{NonceCipher, PasswordCipher, SessionPasswords};
use akixi_client::akixi_ws::{DecodePayload, Decoded, Extra, ExtraItem, decode_response};
use akixi_client::runtime::akixi_ws::{Operation, Password, Secret, encode_request};
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};

/// The administrator of every test simulator; seeded supervisors have their own passwords
/// (`SimulatorHandle::demo_logins`), which [`client`] uses.
pub const ADMIN: &str = "admin@akixi-sim.invalid";
pub const PASSWORD: &str = "Adm1n-pa55word";

/// A fresh in-memory simulator with known credentials and cheap password hashes.
pub async fn start() -> SimulatorHandle {
    start_with(config()).await
}

pub fn config() -> Config {
    Config::default()
        .admin(ADMIN, PASSWORD)
        .hash_cost(HashCost::Minimal)
}

pub async fn start_with(config: Config) -> SimulatorHandle {
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

/// The typed client, signed in as `user` (end-to-end tests go through it): with a seeded
/// supervisor's own password ([`SimulatorHandle::demo_password`]), or [`PASSWORD`].
pub fn client(sim: &SimulatorHandle, user: &str) -> Client {
    match sim.demo_password(user) {
        Some(password) => client_with(sim, user, password.expose()),
        None => client_with(sim, user, PASSWORD),
    }
}

pub fn client_with(sim: &SimulatorHandle, user: &str, password: &str) -> Client {
    Client::builder(sim.url())
        .credentials(user, password)
        .allow_http(true)
        .build()
        .expect("a client")
}

/// The exact error code of a failed client call.
pub fn code_of<T: std::fmt::Debug>(result: Result<T, akixi_client::Error>) -> u32 {
    match result {
        Ok(v) => panic!("expected a failure, got {v:?}"),
        Err(e) => e
            .code()
            .unwrap_or_else(|| panic!("expected an API error code, got {e}"))
            .code(),
    }
}

/// POSTs `body` to `url` and returns the response text.
pub async fn post(url: &str, body: &str) -> String {
    let response = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body.to_owned())
        .send()
        .await
        .expect("the simulator answers");
    assert_eq!(response.status(), 200, "HTTP status");
    response.text().await.expect("a body")
}

/// Sends `request`; the body of the answer, whatever its status.
pub async fn answer(request: reqwest::RequestBuilder) -> String {
    request
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("a body")
}

pub fn decode<T: DecodePayload>(xml: &str) -> Decoded<T> {
    decode_response::<T>(xml.as_bytes(), &akixi::BINDING)
        .unwrap_or_else(|e| panic!("the response decodes: {e}\n{xml}"))
}

/// The first error code of a response (None for a success).
pub fn code(xml: &str) -> Option<u32> {
    decode::<Extra>(xml).errors.first().and_then(|e| e.code)
}

/// A hand-driven API session: requests written by the codec, sent with reqwest.
pub struct Raw {
    pub url: String,
    pub session_id: String,
    pub nonce: Secret,
    next: u32,
}

impl Raw {
    /// `CreateSession` only.
    pub async fn open(url: &str) -> Raw {
        let xml = post(
            url,
            "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>",
        )
        .await;
        let created = decode::<session::CreateSessionResponse>(&xml);
        let data = created.data.expect("CreateSession returns data");
        Raw {
            url: url.to_owned(),
            session_id: data.session_id.expect("a SessionID").expose().to_owned(),
            nonce: data.nonce.expect("a Nonce"),
            next: 2,
        }
    }

    /// `CreateSession`, then `Authenticate` as `user`.
    pub async fn login(url: &str, user: &str, password: &str) -> Raw {
        let mut raw = Raw::open(url).await;
        let xml = raw
            .send(&session::AuthenticateRequest::new(user, password))
            .await;
        assert_eq!(code(&xml), None, "Authenticate as {user}: {xml}");
        raw
    }

    pub fn protect(&self, password: &str) -> String {
        cipher()
            .encrypt(&self.nonce, &Password::new(password))
            .expect("encrypts")
    }

    /// Sends `op` in this session (passwords protected with its Nonce); returns the XML.
    pub async fn send<O: Operation>(&mut self, op: &O) -> String {
        let invoke_id = format!("{:05}", self.next);
        self.next += 1;
        let cipher = cipher();
        let passwords = SessionPasswords {
            cipher: &cipher,
            nonce: &self.nonce,
        };
        let xml =
            encode_request(op, &invoke_id, Some(&self.session_id), &passwords).expect("encodes");
        let response = post(&self.url, &xml).await;
        let decoded = decode::<Extra>(&response);
        assert_eq!(
            decoded.invoke_id.as_deref(),
            Some(invoke_id.as_str()),
            "echoed InvokeID"
        );
        response
    }

    /// Sends `op` and decodes its typed response.
    pub async fn call<O: Operation>(&mut self, op: &O) -> Decoded<O::Response> {
        let xml = self.send(op).await;
        decode(&xml)
    }
}

pub fn cipher() -> NonceCipher {
    NonceCipher::new(&akixi::PASSWORD_SCHEME).expect("the spec's cipher")
}

/// `(container, name, value)` of every property of a decoded payload, in order.
pub fn flatten(extra: &Extra) -> Vec<(Option<String>, String, String)> {
    let mut out = Vec::new();
    for item in extra {
        match item {
            ExtraItem::Property { name, value } => {
                out.push((None, name.to_string(), value.trim().to_string()));
            }
            ExtraItem::Container { name, items } => {
                for inner in flatten(items) {
                    out.push((name.clone().or(inner.0), inner.1, inner.2));
                }
            }
        }
    }
    out
}

/// A directory for one test's files, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("akixi-sim-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
