//! Snapshots are spec-driven: the fixture service `fixtures/gadgets` (families no Rust names)
//! is snapshotted, restored into a simulator and snapshotted back identical through
//! `akixi_sim`'s snapshot API, which takes any `ServiceInfo`; and a rehearsal on the restored
//! copy, signed in as a copy of the caller (its account restored from the snapshot, the
//! password given at restore), meets the fixture's reference and platform rules.
//! (`akixi snapshot` and `--rehearse` are this API over the akixi service's own client.)

mod gadgets {
    akixi_derive::service!(spec = "fixtures/gadgets", service = "gadgets");
}

use std::sync::Arc;

use akixi_client::akixi_ws::cipher::{NonceCipher, SessionPasswords};
use akixi_client::akixi_ws::{DecodePayload, Extra, decode_response};
use akixi_client::runtime::akixi_ws::{Operation, Secret, encode_request};
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle, Snapshot};

use gadgets::gadget::GadgetAddRequest;
use gadgets::session::{HelloRequest, HelloResponse, LoginRequest};
use gadgets::{Weight, error_conditions as cond};

const ROOT: &str = "root";
const RESTORED: &str = "restored-pa55";

/// A signed-in session of the fixture's API: requests written by the generated types.
struct Api {
    http: reqwest::Client,
    url: String,
    session_id: String,
    nonce: Secret,
    next: u32,
    cipher: NonceCipher,
}

impl Api {
    async fn login(sim: &SimulatorHandle, user: &str, password: &str) -> Api {
        let http = reqwest::Client::new();
        let cipher = NonceCipher::new(&gadgets::PASSWORD_SCHEME).expect("the fixture's cipher");
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
    async fn call<O: Operation>(&mut self, op: &O) -> Result<Option<O::Response>, u32> {
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
    async fn raw(&mut self, operation: &str, payload: &str) -> Result<Option<Extra>, u32> {
        let reply = self.raw_reply(operation, payload).await;
        decode(&reply)
    }

    /// The answer to `operation` with `payload`, as the service wrote it.
    async fn raw_reply(&mut self, operation: &str, payload: &str) -> String {
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
    let decoded = decode_response::<T>(xml.as_bytes(), &gadgets::BINDING)
        .unwrap_or_else(|e| panic!("the response decodes: {e}\n{xml}"));
    match decoded.errors.first() {
        Some(error) => Err(error.code.unwrap_or_else(|| panic!("a code: {xml}"))),
        None => Ok(decoded.data),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixture_service_is_snapshotted_restored_and_rehearsed_with_no_rust_naming_it() {
    let svc = &gadgets::SERVICE;
    let family = |name: &str| {
        svc.families
            .iter()
            .find(|f| f.name == name)
            .expect("family")
    };
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    // A state written as a snapshot: the caller's account, shelves, gadgets and stickers.
    let mut snap = Snapshot::new(svc, "fixture", ROOT);
    let order: Vec<&str> = akixi_sim::snapshot::family_order(svc)
        .iter()
        .map(|f| f.name)
        .collect();
    assert!(
        order.iter().position(|f| *f == "Shelf") < order.iter().position(|f| *f == "Gadget"),
        "a gadget references a shelf: {order:?}"
    );
    let grants = "Gadget|Make,Gadget|Alter,Gadget|See,Shelf|See,Shelf|Make,Sticker|See";
    snap.push(
        family("Operator"),
        &[
            pair("Name", ROOT),
            pair("Grants", grants),
            pair("Barred", "No"),
        ],
    );
    snap.push(
        family("Shelf"),
        &[pair("ShelfCode", "A1"), pair("Rack", "alpha")],
    );
    snap.push(
        family("Shelf"),
        &[pair("ShelfCode", "B1"), pair("Rack", "beta")],
    );
    snap.push(
        family("Gadget"),
        &[
            pair("Serial", "G1"),
            pair("Label", "One"),
            pair("Colour", "Green"),
            pair("ShelfCode", "A1"),
            pair("Weight", "5"),
        ],
    );
    snap.push(
        family("Sticker"),
        &[
            pair("Code", "S1"),
            pair("Shape", "round"),
            pair("Glossy", "Yes"),
        ],
    );
    let mut text = Vec::new();
    snap.write_to(&mut text).expect("writes");
    let read = Snapshot::read_from(text.as_slice(), svc, "fixture").expect("reads");

    let sim = Simulator::start(
        Config::default()
            .admin("ignored", RESTORED)
            .hash_cost(HashCost::Minimal)
            .from_snapshot(Arc::new(read)),
    )
    .await
    .expect("restores");
    assert_eq!(
        sim.admin().username,
        ROOT,
        "signed in as the snapshot's caller"
    );
    let back = sim.snapshot("fixture");
    let mut sorted_in = snap.entity_lines().to_vec();
    let mut sorted_back = back.entity_lines().to_vec();
    sorted_in.sort();
    sorted_back.sort();
    assert_eq!(sorted_back, sorted_in, "the same entities");
    // Restored again from what it gave, it gives the same lines in the same order.
    let again = Simulator::start(
        Config::default()
            .admin("ignored", RESTORED)
            .hash_cost(HashCost::Minimal)
            .from_snapshot(Arc::new(back.clone())),
    )
    .await
    .expect("restores");
    assert_eq!(
        again.snapshot("fixture").entity_lines(),
        back.entity_lines()
    );

    // A rehearsal there as the caller's copy: the fixture's own rules answer.
    let mut api = Api::login(&sim, ROOT, RESTORED).await;
    api.call(&GadgetAddRequest::new("G2").shelf_code("A1"))
        .await
        .expect("a clean add");
    assert_eq!(
        api.call(&GadgetAddRequest::new("G3").shelf_code("Z9"))
            .await
            .err(),
        Some(cond::UNKNOWN_ENTITY_SHELF.code()),
        "a reference to a missing shelf"
    );
    assert_eq!(
        api.call(
            &GadgetAddRequest::new("G4")
                .shelf_code("B1")
                .weight(Weight::new(3).expect("in range"))
        )
        .await
        .err(),
        Some(cond::UNSUPPORTED_PROPERTY.code()),
        "a property the shelf's platform refuses"
    );
    assert!(
        api.raw("ShelfDelete", "<ShelfCode>A1</ShelfCode>")
            .await
            .is_err(),
        "the caller lacks Shelf|Scrap"
    );
    again.shutdown().await.expect("stops");
    sim.shutdown().await.expect("stops");
}
