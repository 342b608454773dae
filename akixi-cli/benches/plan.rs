//! `akixi user plan` of 10,000 desired users against the embedded simulator holding them (the
//! whole command: read and check the file, list, read each, compare), and of 2,000 through
//! 20 ms of injected latency on every Info at concurrency 16, beside the ideal
//! (entries × RTT ÷ 16).
//!
//! `cargo bench -p akixi-cli --bench plan`

mod common;

use std::time::Duration;

use common::{akixi, state_with_users};
use criterion::{Criterion, criterion_group, criterion_main};

const RTT: Duration = Duration::from_millis(20);

fn plan_once(state: &std::path::Path, csv: &std::path::Path, faults: Option<&str>) -> usize {
    let mut cmd = akixi(state);
    cmd.args(["user", "plan"]).arg(csv).args([
        "--where",
        "Scope.TelSysID=4",
        "--concurrency",
        "16",
    ]);
    if let Some(f) = faults {
        cmd.env("AKIXI_SIM_FAULTS", f);
    }
    let out = cmd.output().expect("plan runs");
    assert!(out.status.success(), "{out:?}");
    out.stdout.len()
}

fn plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);

    let big = tempfile::tempdir().expect("tempdir");
    let (state, csv) = state_with_users(big.path(), 10_000);
    group.bench_function("users_10000_no_latency", |b| {
        b.iter(|| plan_once(&state, &csv, None))
    });

    let small = tempfile::tempdir().expect("tempdir");
    let (state, csv) = state_with_users(small.path(), 2_000);
    let faults = format!("UserInfo p=1 latency={}", RTT.as_millis());
    eprintln!(
        "users_2000_20ms_concurrency_16: ideal {:?} (2,000 entries × {RTT:?} ÷ 16)",
        RTT * 2_000 / 16
    );
    group.bench_function("users_2000_20ms_concurrency_16", |b| {
        b.iter(|| plan_once(&state, &csv, Some(&faults)))
    });
    group.finish();
}

criterion_group!(benches, plan);
criterion_main!(benches);
