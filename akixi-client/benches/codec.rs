//! Codec baselines, side by side in one run: for each fixture, `scan` (every quick-xml event
//! read, nothing built: the floor of any decoder on quick-xml), `handwritten` (quick-xml
//! events by hand: the practical limit), `serde` (quick-xml's serde support: what users
//! would pick), `runtime` (the akixi-ws runtime driven by hand as generated code drives it)
//! and `generated` (the types generated from the spec, parsing every value to its type).

mod baseline;

use std::hint::black_box;
use std::time::Duration;

use baseline::{fixtures, generated, handwritten, runtime, scan, serde_xml};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn encode_user_add(c: &mut Criterion) {
    let request = fixtures::user_add_request();
    let size = runtime::encode_user_add(&request).len() as u64;
    let mut group = c.benchmark_group("encode_user_add");
    group.throughput(Throughput::Bytes(size));
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten::encode_user_add(black_box(&request)).unwrap())
    });
    group.bench_function("serde", |b| {
        b.iter(|| serde_xml::encode_user_add(black_box(&request)).unwrap())
    });
    group.bench_function("runtime", |b| {
        b.iter(|| runtime::encode_user_add(black_box(&request)))
    });
    let typed = generated::user_add_request();
    group.bench_function("generated", |b| {
        b.iter(|| generated::encode_user_add(black_box(&typed)))
    });
    group.finish();
}

fn decode_user_info(c: &mut Criterion) {
    let xml = fixtures::user_info_response();
    let mut group = c.benchmark_group("decode_user_info");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("scan", |b| b.iter(|| scan::scan(black_box(xml)).unwrap()));
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten::decode_user_info(black_box(xml)).unwrap())
    });
    group.bench_function("serde", |b| {
        b.iter(|| serde_xml::decode_user_info(black_box(xml)).unwrap())
    });
    group.bench_function("runtime", |b| {
        b.iter(|| runtime::decode_user_info(black_box(xml)).unwrap())
    });
    group.bench_function("generated", |b| {
        b.iter(|| generated::decode_user_info(black_box(xml)).unwrap())
    });
    group.finish();
}

fn decode_user_list(c: &mut Criterion) {
    for users in [1_000usize, 10_000, 100_000] {
        let xml = fixtures::user_list_response(users);
        let mut group = c.benchmark_group(format!("decode_user_list/{users}"));
        group.throughput(Throughput::Elements(users as u64));
        // Few samples for the big documents keep the whole run under two minutes.
        if users >= 100_000 {
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(5));
        } else if users >= 10_000 {
            group.sample_size(10);
        }
        group.bench_function(BenchmarkId::from_parameter("scan"), |b| {
            b.iter(|| scan::scan(black_box(&xml)).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("handwritten"), |b| {
            b.iter(|| handwritten::decode_user_list(black_box(&xml)).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("serde"), |b| {
            b.iter(|| serde_xml::decode_user_list(black_box(&xml)).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("runtime"), |b| {
            b.iter(|| runtime::decode_user_list(black_box(&xml)).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("generated"), |b| {
            b.iter(|| generated::decode_user_list(black_box(&xml)).unwrap())
        });
        group.finish();
    }
}

/// The Extension Mobility decoder (an element tree, then the typed answer) against the same
/// scan floor, on a large query answer.
fn decode_em_device_users(c: &mut Criterion) {
    let devices = 1_000usize;
    let xml = fixtures::em_device_users_response(devices);
    let mut group = c.benchmark_group(format!("decode_em_device_users/{devices}"));
    group.throughput(Throughput::Elements(devices as u64));
    group.bench_function(BenchmarkId::from_parameter("scan"), |b| {
        b.iter(|| scan::scan(black_box(&xml)).unwrap())
    });
    group.bench_function(BenchmarkId::from_parameter("generated"), |b| {
        b.iter(|| {
            akixi_client::cisco_em::decode_response(
                black_box(xml.as_bytes()),
                &akixi_client::em::BINDING,
            )
            .unwrap()
        })
    });
    group.finish();
}

/// Counts heap bytes, to show that decoding holds memory in proportion to the data (printed
/// once, before the timings).
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

fn decoding_memory(_: &mut Criterion) {
    // The allocator's peak never goes down, so sizes run in increasing order and each
    // decode's peak is the new maximum.
    println!("decode_user_list peak heap (generated codec; the document itself excluded):");
    for users in [1_000usize, 10_000, 100_000] {
        let xml = fixtures::user_list_response(users);
        let base = ALLOCATOR.allocated();
        let list = generated::decode_user_list(black_box(&xml)).unwrap();
        let peak = ALLOCATOR.max_allocated().saturating_sub(base);
        let held = ALLOCATOR.allocated().saturating_sub(base);
        println!(
            "  {users:>6} users: input {:>9} B, peak {:>9} B ({:.0} B/user, {:.2}x input), result {:>9} B",
            xml.len(),
            peak,
            peak as f64 / users as f64,
            peak as f64 / xml.len() as f64,
            held
        );
        black_box(list);
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = codec;
    config = config();
    targets = decoding_memory, encode_user_add, decode_user_info, decode_user_list, decode_em_device_users
}
criterion_main!(codec);
