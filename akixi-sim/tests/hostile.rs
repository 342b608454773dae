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
    let base = format!("http://{}", sim.addr());
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

fn quick_limits() -> akixi_sim::Limits {
    akixi_sim::Limits {
        header_read: Duration::from_millis(300),
        request: Duration::from_secs(5),
        connections: None,
    }
}

/// Whether the server closed `stream` within `within`: a read returns end-of-file (or the
/// connection is reset).
async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return true,
            // A 408 or similar before closing is fine; keep reading until the close.
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn idle_and_slow_header_connections_are_closed() {
    use tokio::io::AsyncWriteExt;
    let sim = support::start_with(support::config().limits(quick_limits())).await;
    let addr = sim.addr();

    // A connection that never sends anything.
    let mut idle = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    assert!(
        closed_within(&mut idle, Duration::from_secs(3)).await,
        "idle connection kept open"
    );

    // Slowloris: the headers trickle in a byte at a time and never end.
    let mut slow = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let trickle = tokio::spawn(async move {
        for byte in b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: "
            .iter()
            .cycle()
            .take(100)
        {
            if slow.write_all(&[*byte]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    });
    let cut_off = tokio::time::timeout(Duration::from_secs(10), trickle)
        .await
        .expect("the trickle ends")
        .expect("joins");
    assert!(
        cut_off,
        "a client trickling headers for 5 s was never cut off"
    );
}

#[tokio::test]
async fn five_hundred_idle_connections_do_not_keep_others_waiting() {
    let sim = support::start().await;
    let mut held = Vec::new();
    for _ in 0..500 {
        held.push(
            tokio::net::TcpStream::connect(sim.addr())
                .await
                .expect("connects"),
        );
    }
    let started = Instant::now();
    still_serves(&format!("http://{}", sim.addr())).await;
    let answer = support::post(
        sim.url(),
        "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>",
    )
    .await;
    assert_eq!(support::code(&answer), None, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered in {:?} with 500 idle connections open",
        started.elapsed()
    );
    drop(held);
}

/// With a budget of 20 connections, 60 idle ones (headers never sent, the header timeout long)
/// close the oldest idle first, and a normal request is still answered.
#[tokio::test]
async fn past_the_connection_budget_the_oldest_idle_connections_are_closed() {
    let budget = 20;
    let sim = support::start_with(support::config().limits(akixi_sim::Limits {
        header_read: Duration::from_secs(60),
        request: Duration::from_secs(10),
        connections: Some(budget),
    }))
    .await;
    let mut held = Vec::new();
    for _ in 0..budget * 3 {
        held.push(
            tokio::net::TcpStream::connect(sim.addr())
                .await
                .expect("connects"),
        );
        // Accepted in order, so "oldest" is well defined.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // A normal request is answered (its connection is the newest; older idle ones make room).
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        support::post(
            sim.url(),
            "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>",
        ),
    )
    .await
    .expect("answered despite the flood");
    assert_eq!(support::code(&answer), None, "{answer}");
    // The oldest were closed, the newest still open: never more than the budget.
    let mut closed = Vec::new();
    for stream in &mut held {
        closed.push(closed_within(stream, Duration::from_millis(200)).await);
    }
    let first_half = &closed[..budget];
    assert!(
        first_half.iter().all(|c| *c),
        "the oldest idle connections are closed: {closed:?}"
    );
    let open = closed.iter().filter(|c| !**c).count();
    assert!(
        (1..budget).contains(&open),
        "{open} of the flood still open with a budget of {budget}: {closed:?}"
    );
    // The budget derived from the descriptor limit is below it.
    let derived = akixi_sim::Limits::default().connection_budget();
    assert!(derived >= akixi_sim::MIN_CONNECTIONS, "{derived}");
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|n| n.parse::<usize>().ok())
        });
    if let Some(soft) =
        soft.filter(|s| *s > akixi_sim::MIN_CONNECTIONS + akixi_sim::RESERVED_DESCRIPTORS)
    {
        assert_eq!(derived, soft - akixi_sim::RESERVED_DESCRIPTORS);
    }
}
