//! Requests per second for `UserInfo` over loopback, at concurrency 1, 16 and 64, against a
//! minimal local server answering with the documented `UserInfo` response (about 3 KB). In
//! each group, `client` (`Client::user_info`: encode, session, InvokeID, POST, size-bounded
//! read, typed decode, InvokeID check) runs beside `bare_post` (a reqwest POST of the same
//! request bytes with the same timeouts, body read, nothing decoded). Throughput is in
//! requests ("elements") per second.
//!
//! After the criterion groups (`cargo bench`, not `cargo test --benches`), an interleaved A/B
//! run prints the client's overhead per request over the bare POST, for the documented
//! response and for a minimal one (two properties), with the time the typed decoding of each
//! takes alone: on loopback, decoding the 3 KB document is most of what the client adds.

#[path = "baseline/seed.rs"]
mod seed;

use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use akixi_client::Client;
use akixi_client::akixi::user::{UserInfoRequest, UserInfoResponse};
use akixi_client::akixi_ws::decode_response;
use akixi_client::client::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
use akixi_client::runtime::akixi_ws::{PasswordsAsIs, encode_request};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use criterion::{BenchmarkId, Criterion, Throughput};

const SESSION_ID: &str = "EFA4902A7F61D03E42BF3222B0A246BF";
const NONCE: &str = "20d5e39b41c7016d3ec9e647ccdbac1f";
const USER: &str = "supervisor@example.com";
const MINIMAL: &str = "<Response Result=\"Success\"><InvokeID>00028</InvokeID><Success>\
    <Property Name=\"Username\">supervisor@example.com</Property>\
    <Property Name=\"FullName\">Sample Supervisor Account 2</Property></Success></Response>";

/// The text between `open` and the next `close` in `body`.
fn between<'a>(body: &'a [u8], open: &[u8], close: u8) -> &'a [u8] {
    let Some(start) = body.windows(open.len()).position(|w| w == open) else {
        return b"";
    };
    let rest = &body[start + open.len()..];
    let end = rest.iter().position(|b| *b == close).unwrap_or(rest.len());
    &rest[..end]
}

/// A `UserInfo` response split around its InvokeID.
struct Canned {
    head: String,
    tail: String,
}

impl Canned {
    fn new(doc: &str) -> Canned {
        let (head, tail) = doc
            .split_once("00028")
            .expect("the response has an InvokeID");
        Canned {
            head: head.to_string(),
            tail: tail.to_string(),
        }
    }
}

/// Answers by operation with canned documents, echoing the InvokeID: as little server work
/// as a well-formed exchange allows, so that the client's share shows.
async fn answer(State(info): State<Arc<Canned>>, body: Bytes) -> impl IntoResponse {
    let id = String::from_utf8_lossy(between(&body, b"<InvokeID>", b'<')).into_owned();
    let xml = match between(&body, b"Operation=\"", b'"') {
        b"UserInfo" => format!("{}{id}{}", info.head, info.tail),
        b"CreateSession" => format!(
            "<Response Result=\"Success\"><InvokeID>{id}</InvokeID><Success>\
             <Property Name=\"SessionID\">{SESSION_ID}</Property>\
             <Property Name=\"Nonce\">{NONCE}</Property></Success></Response>"
        ),
        _ => format!("<Response Result=\"Success\"><InvokeID>{id}</InvokeID></Response>"),
    };
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml)
}

/// Serves the documented response at `/ws` and the minimal one at `/ws-minimal`.
async fn start_server() -> String {
    let documented = axum::Router::new()
        .route("/ws", axum::routing::post(answer))
        .with_state(Arc::new(Canned::new(&seed::USER_INFO_RESPONSE)));
    let minimal = axum::Router::new()
        .route("/ws-minimal", axum::routing::post(answer))
        .with_state(Arc::new(Canned::new(MINIMAL)));
    let app = documented.merge(minimal);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// Runs `total` requests in `concurrency` tasks; the time it took.
async fn run(
    total: u64,
    concurrency: u64,
    one: impl Fn() -> Request + Clone + Send + 'static,
) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|i| {
            let n = total / concurrency + u64::from(i < total % concurrency);
            let one = one.clone();
            tokio::spawn(async move {
                for _ in 0..n {
                    one().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    started.elapsed()
}

type Request = Pin<Box<dyn Future<Output = ()> + Send>>;

/// One endpoint, reached both ways.
struct Target {
    client: Client,
    bare: reqwest::Client,
    url: reqwest::Url,
    body: Bytes,
}

impl Target {
    async fn new(url: String) -> Target {
        let client = Client::builder(&url)
            .credentials("admin", "secret")
            .build()
            .expect("client");
        // Establish the session outside the measurements.
        client
            .user_info(UserInfoRequest::new(USER))
            .await
            .expect("UserInfo");
        let bare = reqwest::Client::builder()
            .use_rustls_tls()
            .no_proxy()
            .tcp_nodelay(true)
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .timeout(DEFAULT_REQUEST_TIMEOUT)
            .build()
            .expect("reqwest");
        // The bytes the client sends for the same request (only the InvokeID differs).
        let body = encode_request(
            &UserInfoRequest::new(USER),
            "00001",
            Some(SESSION_ID),
            &PasswordsAsIs,
        )
        .expect("encode");
        Target {
            client,
            bare,
            url: url.parse().expect("url"),
            body: Bytes::from(body),
        }
    }

    fn client(&self) -> impl Fn() -> Request + Clone + Send + 'static {
        let client = self.client.clone();
        move || {
            let client = client.clone();
            Box::pin(async move {
                let info = client
                    .user_info(UserInfoRequest::new(USER))
                    .await
                    .expect("UserInfo");
                std::hint::black_box(info);
            })
        }
    }

    fn bare(&self) -> impl Fn() -> Request + Clone + Send + 'static {
        let (bare, url, body) = (self.bare.clone(), self.url.clone(), self.body.clone());
        move || {
            let (bare, url, body) = (bare.clone(), url.clone(), body.clone());
            Box::pin(async move {
                let response = bare
                    .post(url)
                    .header(header::CONTENT_TYPE, "text/xml; charset=utf-8")
                    .body(body)
                    .send()
                    .await
                    .expect("POST");
                std::hint::black_box(response.bytes().await.expect("body"));
            })
        }
    }
}

fn user_info(c: &mut Criterion, rt: &tokio::runtime::Runtime, target: &Target) {
    for concurrency in [1u64, 16, 64] {
        let mut group = c.benchmark_group(format!("user_info/concurrency={concurrency}"));
        group.throughput(Throughput::Elements(1));
        group.sample_size(20);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(6));
        group.bench_function(BenchmarkId::from_parameter("bare_post"), |b| {
            let one = target.bare();
            b.iter_custom(|iters| rt.block_on(run(iters, concurrency, one.clone())));
        });
        group.bench_function(BenchmarkId::from_parameter("client"), |b| {
            let one = target.client();
            b.iter_custom(|iters| rt.block_on(run(iters, concurrency, one.clone())));
        });
        group.finish();
    }
}

/// The typed decoding of `doc` alone, per document.
fn decode_time(doc: &str) -> Duration {
    let n = 20_000;
    let started = Instant::now();
    for _ in 0..n {
        let decoded =
            decode_response::<UserInfoResponse>(doc.as_bytes(), &akixi_client::akixi::BINDING)
                .expect("decode");
        std::hint::black_box(decoded);
    }
    started.elapsed() / n
}

/// Interleaved rounds of both, so that drift in the machine's speed hits both alike; prints
/// the median time per request of each and the client's overhead.
fn overhead(rt: &tokio::runtime::Runtime, name: &str, doc: &str, target: &Target) {
    let decode = decode_time(doc).as_secs_f64();
    println!(
        "\n{name} response ({} bytes; its typed decoding alone takes {:.1} µs):",
        doc.len(),
        decode * 1e6
    );
    for concurrency in [1u64, 16, 64] {
        let per_round = 2_000;
        let (mut bare, mut client) = (Vec::new(), Vec::new());
        for _ in 0..15 {
            let t = rt.block_on(run(per_round, concurrency, target.bare()));
            bare.push(t.as_secs_f64() / per_round as f64);
            let t = rt.block_on(run(per_round, concurrency, target.client()));
            client.push(t.as_secs_f64() / per_round as f64);
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (b, k) = (median(&mut bare), median(&mut client));
        println!(
            "  concurrency {concurrency:>2}: bare POST {:>5.1} µs/req ({:>5.0} req/s), client {:>5.1} \
             µs/req ({:>5.0} req/s): {:+.1} µs ({:+.0}%); less the decoding: {:+.1} µs ({:+.0}%)",
            b * 1e6,
            1.0 / b,
            k * 1e6,
            1.0 / k,
            (k - b) * 1e6,
            (k / b - 1.0) * 100.0,
            (k - b - decode) * 1e6,
            ((k - decode) / b - 1.0) * 100.0,
        );
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (documented, minimal) = rt.block_on(async {
        let base = start_server().await;
        (
            Target::new(format!("{base}/ws")).await,
            Target::new(format!("{base}/ws-minimal")).await,
        )
    });

    let mut c = Criterion::default().configure_from_args();
    user_info(&mut c, &rt, &documented);
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        println!("\nclient overhead over a bare POST (interleaved, median of 15 rounds of 2,000):");
        overhead(&rt, "documented", &seed::USER_INFO_RESPONSE, &documented);
        overhead(&rt, "minimal", MINIMAL, &minimal);
    }
}
