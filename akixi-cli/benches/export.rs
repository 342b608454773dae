//! `akixi user export` against the embedded simulator with 20 ms of injected latency on every
//! Info (the round trip of a service 20 ms away), at several concurrencies, beside the ideal
//! (entries × RTT ÷ concurrency) printed for each. The whole command is timed, process start,
//! simulator start and sign-in included, as a user meets it.
//!
//! `cargo bench -p akixi-cli --bench export`

mod common;

use std::time::Duration;

use common::{akixi, state_with_users};
use criterion::{Criterion, criterion_group, criterion_main};

/// Users exported (besides the demo data).
const USERS: usize = 1000;
/// Injected on each UserInfo.
const RTT: Duration = Duration::from_millis(20);

fn export(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (state, _) = state_with_users(dir.path(), USERS);
    let entries = {
        let out = akixi(&state)
            .args(["user", "export"])
            .output()
            .expect("export runs");
        String::from_utf8_lossy(&out.stdout).lines().count() - 1
    };
    let faults = format!("UserInfo p=1 latency={}", RTT.as_millis());
    let mut group = c.benchmark_group("export_1000_users_20ms");
    group.sample_size(10);
    for concurrency in [4usize, 8, 16] {
        let ideal = RTT * entries as u32 / concurrency as u32;
        eprintln!(
            "concurrency {concurrency}: ideal {ideal:?} ({entries} entries × {RTT:?} ÷ {concurrency})"
        );
        group.bench_function(format!("concurrency_{concurrency}"), |b| {
            b.iter(|| {
                let out = akixi(&state)
                    .args(["user", "export", "--concurrency", &concurrency.to_string()])
                    .env("AKIXI_SIM_FAULTS", &faults)
                    .output()
                    .expect("export runs");
                assert!(out.status.success());
                out.stdout.len()
            })
        });
    }
    // The floor of the command itself: the same export without latency.
    group.bench_function("no_latency_concurrency_8", |b| {
        b.iter(|| {
            let out = akixi(&state)
                .args(["user", "export", "--concurrency", "8"])
                .output()
                .expect("export runs");
            assert!(out.status.success());
            out.stdout.len()
        })
    });
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
