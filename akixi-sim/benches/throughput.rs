//! Simulator throughput in requests per second ("elements" per second), for `UserInfo` and
//! `UserAdd` at concurrency 16 over loopback, in memory and with a state file (SQLite, WAL,
//! `synchronous = FULL`), and the same `UserInfo` over the REST API (in memory). Requests are written once per iteration with the client's codec and
//! POSTed with reqwest; client and server share the machine's two cores.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};
use common::{ADMIN, PASSWORD, Session};
use criterion::{BenchmarkId, Criterion, Throughput};

const CONCURRENCY: u64 = 16;

struct Bench {
    _sim: SimulatorHandle,
    session: Arc<Session>,
    next: Arc<AtomicU64>,
}

async fn start(state: Option<&std::path::Path>) -> Bench {
    let mut config = Config::default()
        .admin(ADMIN, PASSWORD)
        .hash_cost(HashCost::Minimal);
    if let Some(path) = state {
        config = config.state(path);
    }
    let sim = Simulator::start(config).await.expect("starts");
    let session = Session::login(sim.url()).await;
    let added = session
        .post(session.body(&common::user("info-target")))
        .await;
    assert!(added.contains("Result=\"Success\""), "{added}");
    Bench {
        _sim: sim,
        session: Arc::new(session),
        next: Arc::new(AtomicU64::new(0)),
    }
}

/// Runs `iters` requests from 16 concurrent tasks; returns the wall time.
async fn run(bench: &Bench, iters: u64, add: bool) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let session = Arc::clone(&bench.session);
            let next = Arc::clone(&bench.next);
            let n = iters / CONCURRENCY + u64::from(t < iters % CONCURRENCY);
            tokio::spawn(async move {
                for _ in 0..n {
                    let body = if add {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        session.body(&common::user(&format!("bench-{i:08}")))
                    } else {
                        session.body(&common::info("info-target"))
                    };
                    let reply = session.post(body).await;
                    assert!(reply.starts_with("<Response Result=\"Success\""), "{reply}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    started.elapsed()
}

/// A REST session on the same simulator: `POST /session`, then `GET /login` with HTTP Basic.
async fn rest_session(url: &str) -> (reqwest::Client, String, String) {
    let http = reqwest::Client::new();
    let base = format!("{}/CCS/API/v1", url.trim_end_matches('/'));
    let body = http
        .post(format!("{base}/session"))
        .send()
        .await
        .expect("answers")
        .text()
        .await
        .expect("body");
    let id = body
        .split("\"SessionID\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a session id")
        .to_string();
    let cookie = format!("JSESSIONID={id}");
    let login = http
        .get(format!("{base}/login?locale=en_GB"))
        .header("Cookie", &cookie)
        .basic_auth(ADMIN, Some(PASSWORD))
        .send()
        .await
        .expect("login");
    assert!(login.status().is_success(), "{:?}", login.text().await);
    (http, base, cookie)
}

/// Runs `iters` REST `Info` requests of users (`GET /admin/user/{Username}`) from 16 tasks.
async fn run_rest(rest: &(reqwest::Client, String, String), iters: u64) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let (http, base, cookie) = rest.clone();
            let n = iters / CONCURRENCY + u64::from(t < iters % CONCURRENCY);
            tokio::spawn(async move {
                for _ in 0..n {
                    let reply = http
                        .get(format!("{base}/admin/user/info-target"))
                        .header("Cookie", &cookie)
                        .send()
                        .await
                        .expect("answers");
                    assert!(reply.status().is_success(), "{:?}", reply.text().await);
                    let body = reply.bytes().await.expect("body");
                    assert!(body.starts_with(b"{"), "{body:?}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    started.elapsed()
}

fn throughput(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = std::env::temp_dir().join(format!("akixi-sim-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut group = c.benchmark_group("sim_c16");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for (storage, state) in [("memory", None), ("state", Some(dir.join("state.db")))] {
        let bench = rt.block_on(start(state.as_deref()));
        for (op, add) in [("UserInfo", false), ("UserAdd", true)] {
            group.bench_function(BenchmarkId::new(op, storage), |b| {
                b.iter_custom(|iters| rt.block_on(run(&bench, iters, add)));
            });
        }
        if state.is_none() {
            // The same Info over the REST API: the REST front translates it for the same engine.
            let rest = rt.block_on(rest_session(bench._sim.url()));
            group.bench_function(BenchmarkId::new("UserInfo-REST", storage), |b| {
                b.iter_custom(|iters| rt.block_on(run_rest(&rest, iters)));
            });
        }
        drop(bench);
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion::criterion_group!(benches, throughput);
criterion::criterion_main!(benches);
