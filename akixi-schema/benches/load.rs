//! How long loading and checking the full spec takes (target: under 5 ms), and how long the
//! proc macro's work (load + generate) takes per expansion.
//!
//! The baseline in the same run is reading the same files without parsing them, so the figure
//! for `load` can be read as "I/O plus parsing plus checking" against "I/O alone".

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn read_only(dir: &Path) -> usize {
    let mut total = 0;
    for svc in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if svc.path().is_dir() {
            for f in std::fs::read_dir(svc.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                total += std::fs::read(f.path()).map_or(0, |b| b.len());
            }
        }
    }
    total
}

fn bench(c: &mut Criterion) {
    let dir = spec_dir();
    let mut g = c.benchmark_group("spec");
    g.bench_function("read_files_only", |b| b.iter(|| read_only(&dir)));
    g.bench_function("load", |b| {
        b.iter(|| {
            akixi_schema::Spec::load(&dir)
                .map(|s| s.services.len())
                .unwrap_or(0)
        })
    });
    g.finish();

    // What the proc macro does at each expansion: load the spec and generate the tokens.
    let spec = akixi_schema::Spec::load(&dir).ok();
    let svc = spec.as_ref().and_then(|s| s.service("akixi"));
    let mut g = c.benchmark_group("macro");
    if let Some(svc) = svc {
        g.bench_function("generate", |b| {
            b.iter(|| akixi_schema::codegen::generate(svc).into_iter().count())
        });
    }
    g.bench_function("load_and_generate", |b| {
        b.iter(|| {
            akixi_schema::Spec::load(&dir).ok().and_then(|s| {
                s.service("akixi")
                    .map(|svc| akixi_schema::codegen::generate(svc).into_iter().count())
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
