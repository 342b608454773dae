//! What the simulator benchmarks share: a signed-in raw session and request bodies.
#![allow(dead_code)]

use akixi_client::akixi::user::{Scope, UserAddRequest, UserInfoRequest};
use akixi_client::akixi::{self, ReportingAccess, session};
use akixi_client::akixi_ws::cipher::{NonceCipher, SessionPasswords};
use akixi_client::akixi_ws::decode_response;
use akixi_client::runtime::akixi_ws::{Operation, Secret, encode_request};

pub const ADMIN: &str = "admin@akixi-sim.invalid";
pub const PASSWORD: &str = "bench-Pa55";

/// A signed-in API session, for writing requests by hand.
pub struct Session {
    pub http: reqwest::Client,
    pub url: String,
    pub id: String,
    pub nonce: Secret,
}

impl Session {
    pub async fn login(url: &str) -> Session {
        let http = reqwest::Client::new();
        let body = "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>";
        let xml = http
            .post(url)
            .body(body)
            .send()
            .await
            .expect("answers")
            .bytes()
            .await
            .expect("body");
        let created = decode_response::<session::CreateSessionResponse>(&xml, &akixi::BINDING)
            .expect("decodes")
            .data
            .expect("data");
        let session = Session {
            http,
            url: url.to_owned(),
            id: created.session_id.expect("id").expose().to_owned(),
            nonce: created.nonce.expect("nonce"),
        };
        let reply = session
            .post(session.body(&session::AuthenticateRequest::new(ADMIN, PASSWORD)))
            .await;
        assert!(reply.contains("Result=\"Success\""), "{reply}");
        session
    }

    /// The request document for `op` in this session.
    pub fn body<O: Operation>(&self, op: &O) -> String {
        let cipher = NonceCipher::new(&akixi::PASSWORD_SCHEME).expect("cipher");
        let passwords = SessionPasswords {
            cipher: &cipher,
            nonce: &self.nonce,
        };
        encode_request(op, "00001", Some(&self.id), &passwords).expect("encodes")
    }

    pub async fn post(&self, body: String) -> String {
        self.http
            .post(&self.url)
            .body(body)
            .send()
            .await
            .expect("answers")
            .text()
            .await
            .expect("body")
    }
}

/// A typical supervisor: name, e-mail, full name, scope and permissions, no password (so
/// that the figures measure the simulator, not Argon2).
pub fn user(name: &str) -> UserAddRequest {
    use akixi_client::akixi::user::Permissions;
    use akixi_client::akixi::{AdminPermission, AdminPermissions, DeviceSelector};
    UserAddRequest::new(name)
        .email_addr(format!("{name}.mail@example.invalid"))
        .full_name(format!("Benchmark user {name}"))
        .lock_out(false)
        .scope(
            Scope::new()
                .cm_environment_id(akixi_sim::seed::CM_ENVIRONMENT_ID)
                .tel_sys_id(1)
                .part_id_in_tel_sys(1)
                .device_number(DeviceSelector::All)
                .agent_number(DeviceSelector::All)
                .reporting_access(ReportingAccess::Akixi2000),
        )
        .permissions(
            Permissions::new().admin(AdminPermissions::new().with(AdminPermission::UserRead)),
        )
}

pub fn info(name: &str) -> UserInfoRequest {
    UserInfoRequest::new(name)
}
