//! `akixi user export` against the embedded simulator with 20 ms of injected latency on every
//! Info (the round trip of a service 20 ms away), at several concurrencies, beside the ideal
//! (entries × RTT ÷ concurrency) printed for each. The whole command is timed, process start,
//! simulator start and sign-in included, as a user meets it.
//!
//! `cargo bench -p akixi-cli --bench export`

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

/// Users exported (besides the demo data).
const USERS: usize = 1000;
/// Injected on each UserInfo.
const RTT: Duration = Duration::from_millis(20);

fn akixi(state: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akixi"));
    c.env("AKIXI_SIM_STATE", state)
        .env("AKIXI_CONFIG", state.with_extension("toml"))
        .env_remove("AKIXI_URL")
        .env_remove("AKIXI_PROFILE");
    c
}

fn prepare(dir: &Path) -> std::path::PathBuf {
    let state = dir.join("bench.sqlite");
    let csv = dir.join("users.csv");
    let mut text = String::from("Username,FullName\n");
    for i in 0..USERS {
        text.push_str(&format!("bench{i:04}@example.com,Bench User {i}\n"));
    }
    std::fs::write(&csv, text).expect("csv");
    let status = akixi(&state)
        .args(["user", "import"])
        .arg(&csv)
        .args(["--concurrency", "8"])
        .status()
        .expect("import runs");
    assert!(status.success());
    state
}

fn export(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = prepare(dir.path());
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
