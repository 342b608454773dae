//! Input from strangers, before any sign-in: deep nesting and oversized bodies are refused in
//! bounded time and memory, and the simulator goes on answering.

mod support;

use std::time::{Duration, Instant};

use akixi_client::cisco_em::encode_form_field;
use akixi_sim::{MAX_AKIXI_REQUEST_BYTES, MAX_EM_REQUEST_BYTES};

const EM_PATH: &str = "/emservice/EMServiceServlet";

fn nested(depth: usize) -> String {
    let mut doc = "<e>".repeat(depth);
    doc.push_str(&"</e>".repeat(depth));
    doc
}

async fn post_form(url: &str, body: String) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// The simulator still answers an ordinary request.
async fn still_serves(base: &str) {
    let (status, body) = post_form(
        &format!("{base}{EM_PATH}"),
        encode_form_field("xml", "<query><appInfo/><checkUser/></query>"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<error code="), "{body}");
}

#[tokio::test]
async fn deep_em_nesting_is_refused_quickly_and_the_simulator_lives_on() {
    let sim = support::start().await;
    let base = sim.url().trim_end_matches('/').to_owned();
    let base = base
        .split_once("://")
        .and_then(|(scheme, rest)| {
            rest.split_once('/')
                .map(|(host, _)| format!("{scheme}://{host}"))
        })
        .unwrap_or(base);
    let url = format!("{base}{EM_PATH}");

    // Just under the body bound: thousands of levels, refused by the depth bound.
    // Each level is `<e></e>`, 18 bytes once form-encoded.
    let depth = MAX_EM_REQUEST_BYTES / 24;
    let form = encode_form_field("xml", &nested(depth));
    assert!(form.len() < MAX_EM_REQUEST_BYTES, "{}", form.len());
    let started = Instant::now();
    let (status, body) = post_form(&url, form).await;
    assert_eq!(status, 200);
    // The service's own answer to a document it cannot parse (the depth bound's message is the
    // client's; the codec's unit tests check it).
    assert!(body.contains("<error code=\"1\">"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // A megabyte of nesting (the form that used to overflow the stack): refused by size.
    let (status, _) = post_form(&url, encode_form_field("xml", &nested(100_000))).await;
    assert_eq!(status, 413);
    still_serves(&base).await;
}

#[tokio::test]
async fn oversized_akixi_bodies_are_refused_before_they_are_read() {
    let sim = support::start().await;
    let big = "x".repeat(MAX_AKIXI_REQUEST_BYTES + 1);
    let response = reqwest::Client::new()
        .post(sim.url())
        .header("content-type", "text/xml")
        .body(big)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 413);

    // Deep nesting within the bound is a malformed request, answered with its code.
    let body = format!(
        "<Request Operation=\"UserList\"><InvokeID>00001</InvokeID><OperationPayload>{}</OperationPayload></Request>",
        nested(10_000).replace('e', "Container")
    );
    let answer = support::post(sim.url(), &body).await;
    assert_eq!(support::code(&answer), Some(10103), "{answer}");
}
