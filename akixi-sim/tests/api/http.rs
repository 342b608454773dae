//! The HTTP surface and secrets kept out of debug output.

use super::*;
use akixi_sim::{Service, ServiceReply, ServiceRequest};

struct Echo;

impl Service for Echo {
    fn handle(&self, request: ServiceRequest) -> ServiceReply {
        ServiceReply {
            status: 200,
            content_type: "text/plain".into(),
            body: [request.method.as_bytes(), b" ", &request.body].concat(),
        }
    }
}

#[tokio::test]
async fn the_http_surface() {
    let sim = support::start().await;
    let http = reqwest::Client::new();
    // Only POST.
    let get = http.get(sim.url()).send().await.expect("answers");
    assert_eq!(get.status(), 405);
    assert_eq!(
        get.headers().get("allow").map(|v| v.to_str().ok()),
        Some(Some("POST"))
    );
    // Any path is the API, so a client keeps a realistic endpoint URL.
    let endpoint = format!("{}CCS/WebServices/AdminAPI", sim.url());
    let client = akixi_client::Client::builder(endpoint.as_str())
        .credentials(ADMIN, PASSWORD)
        .allow_http(true)
        .build()
        .expect("client");
    client
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("served at any path");
    let reply = http
        .post(&endpoint)
        .body("<Request/>")
        .send()
        .await
        .expect("answers");
    assert_eq!(
        reply
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/xml; charset=utf-8")
    );
    // The Extension Mobility simulator answers at its endpoint (an empty form is malformed XML,
    // which the EM API reports in a 200 response, as the real service does).
    let em = format!("{}{}", sim.url().trim_end_matches('/'), EM_SERVICE_PATH);
    let reply = http.post(&em).body("xml=").send().await.expect("answers");
    assert_eq!(reply.status(), 200);
    let body = reply.text().await.expect("body");
    assert!(
        body.contains("<failure>") && body.contains("code=\"1\""),
        "{body}"
    );
    sim.shutdown().await.expect("stops");

    let sim = support::start_with(support::config().service(EM_SERVICE_PATH, Arc::new(Echo))).await;
    let em = format!("{}{}", sim.url().trim_end_matches('/'), EM_SERVICE_PATH);
    let reply = http
        .post(&em)
        .body("xml=<request/>")
        .send()
        .await
        .expect("answers");
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.text().await.expect("body"), "POST xml=<request/>");
    // A path axum could not route is a configuration error, not a panic.
    let bad =
        akixi_sim::Simulator::start(Config::default().service("no-slash", Arc::new(Echo))).await;
    assert!(matches!(bad, Err(akixi_sim::Error::Config(_))));
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let sim = support::start().await;
    let shown = format!(
        "{sim:?} {:?} {:?}",
        support::config().preset_session("ABC0123", "abcdef0123", ADMIN),
        sim.admin()
    );
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(
        !shown.contains("ABC0123") && !shown.contains("abcdef0123"),
        "{shown}"
    );
}
