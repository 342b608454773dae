//! The memory the simulator holds per 10,000 users: live Rust heap bytes (counted by a global
//! allocator) and the growth of the resident set, before and after adding 10,000 typical users
//! over loopback, in memory and with a state file. SQLite allocates outside Rust's allocator,
//! so only the resident set shows its page cache. Prints one line each.

mod common;

use std::alloc::System;
use std::sync::Arc;

use akixi_sim::{Config, HashCost, Simulator};
use cap::Cap;
use common::{ADMIN, PASSWORD, Session};

/// Counts live heap bytes (no limit).
#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const USERS: u64 = 10_000;
const CONCURRENCY: u64 = 16;

async fn add(session: &Arc<Session>, prefix: &str, count: u64) {
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let session = Arc::clone(session);
            let prefix = prefix.to_owned();
            tokio::spawn(async move {
                let mut i = t;
                while i < count {
                    let body =
                        session.body(&common::user(&format!("{prefix}-{i:06}@example.invalid")));
                    let reply = session.post(body).await;
                    assert!(reply.starts_with("<Response Result=\"Success\""), "{reply}");
                    i += CONCURRENCY;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
}

async fn measure(label: &str, state: Option<std::path::PathBuf>) {
    let mut config = Config::default()
        .admin(ADMIN, PASSWORD)
        .hash_cost(HashCost::Minimal);
    if let Some(path) = &state {
        config = config.state(path);
    }
    let sim = Simulator::start(config).await.expect("starts");
    let session = Arc::new(Session::login(sim.url()).await);
    // Warm up connections, buffers and caches first.
    add(&session, "warm", 200).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let before = ALLOCATOR.allocated() as isize;
    let rss_before = rss_kib();
    add(&session, "user", USERS).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let after = ALLOCATOR.allocated() as isize;
    let held = after - before;
    let rss = rss_kib()
        .zip(rss_before)
        .map(|(a, b)| (a - b) as f64 / 1024.0);
    println!(
        "sim_memory/{label}: Rust heap {:.2} MiB held per {USERS} users ({} bytes per user); \
         resident set grew {} ({} users stored)",
        held as f64 / (1024.0 * 1024.0),
        held / USERS as isize,
        rss.map_or_else(|| "?".to_owned(), |m| format!("{m:.2} MiB")),
        sim.user_count()
    );
    sim.shutdown().await.expect("stops");
}

/// The resident set size (Linux), which also counts SQLite's own allocations.
fn rss_kib() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench`-less args: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = std::env::temp_dir().join(format!("akixi-sim-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    rt.block_on(measure("memory", None));
    rt.block_on(measure("state", Some(dir.join("state.db"))));
    let _ = std::fs::remove_dir_all(&dir);
}
