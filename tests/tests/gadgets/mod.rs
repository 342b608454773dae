//! The fixture service `fixtures/gadgets` (families no Rust names), generated into the test
//! binary that includes this module (`mod gadgets;`), and a signed-in session of its API that
//! writes requests with the generated types and reads the answers back through the runtime's
//! codec. Shared by `generic_family.rs` and `snapshot_fixture.rs`.

akixi_derive::service!(spec = "fixtures/gadgets", service = "gadgets");

use akixi_client::akixi_ws::cipher::{NonceCipher, SessionPasswords};
use akixi_client::akixi_ws::{DecodePayload, Extra, decode_response};
use akixi_client::runtime::akixi_ws::{Operation, Secret, encode_request};
use akixi_sim::SimulatorHandle;

use session::{HelloRequest, HelloResponse, LoginRequest};

/// A signed-in session of the fixture's API: requests written by the generated types.
pub struct Api {
    http: reqwest::Client,
    url: String,
    session_id: String,
    nonce: Secret,
    next: u32,
    cipher: NonceCipher,
}

impl Api {
    pub async fn login(sim: &SimulatorHandle, user: &str, password: &str) -> Api {
        let http = reqwest::Client::new();
        let cipher = NonceCipher::new(&PASSWORD_SCHEME).expect("the fixture's cipher");
        let hello =
            encode_request(&HelloRequest::new(), "00000", None, &NoPasswords).expect("encodes");
        let reply = post(&http, sim.url(), hello).await;
        let data: HelloResponse = decode(&reply).expect("Hello succeeds").expect("data");
        let mut api = Api {
            http,
            url: sim.url().to_owned(),
            session_id: data.session_id.expect("a session").expose().to_owned(),
            nonce: data.nonce.expect("a nonce"),
            next: 1,
            cipher,
        };
        api.call(&LoginRequest::new(user, password))
            .await
            .expect("Login succeeds");
        api
    }

    /// Sends `op`; its typed data, or the failure's code.
    pub async fn call<O: Operation>(&mut self, op: &O) -> Result<Option<O::Response>, u32> {
        let invoke_id = format!("{:05}", self.next);
        self.next += 1;
        let passwords = SessionPasswords {
            cipher: &self.cipher,
            nonce: &self.nonce,
        };
        let xml =
            encode_request(op, &invoke_id, Some(&self.session_id), &passwords).expect("encodes");
        let reply = post(&self.http, &self.url, xml).await;
        decode(&reply)
    }

    /// Sends a request written by hand inside this session.
    pub async fn raw(&mut self, operation: &str, payload: &str) -> Result<Option<Extra>, u32> {
        let reply = self.raw_reply(operation, payload).await;
        decode(&reply)
    }

    /// The answer to `operation` with `payload`, as the service wrote it.
    pub async fn raw_reply(&mut self, operation: &str, payload: &str) -> String {
        let xml = format!(
            "<Request Operation=\"{operation}\"><InvokeID>{:05}</InvokeID><SessionID>{}</SessionID>\
             <OperationPayload>{payload}</OperationPayload></Request>",
            self.next, self.session_id
        );
        self.next += 1;
        post(&self.http, &self.url, xml).await
    }
}

struct NoPasswords;

impl akixi_client::runtime::akixi_ws::PasswordEncoder for NoPasswords {
    fn encode_password(
        &self,
        _: &akixi_client::runtime::akixi_ws::Password,
    ) -> Result<String, akixi_client::runtime::akixi_ws::EncodeError> {
        Ok(String::new())
    }
}

async fn post(http: &reqwest::Client, url: &str, body: String) -> String {
    let response = http
        .post(url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("the simulator answers");
    assert_eq!(response.status(), 200);
    response.text().await.expect("a body")
}

fn decode<T: DecodePayload>(xml: &str) -> Result<Option<T>, u32> {
    let decoded = decode_response::<T>(xml.as_bytes(), &BINDING)
        .unwrap_or_else(|e| panic!("the response decodes: {e}\n{xml}"));
    match decoded.errors.first() {
        Some(error) => Err(error.code.unwrap_or_else(|| panic!("a code: {xml}"))),
        None => Ok(decoded.data),
    }
}
