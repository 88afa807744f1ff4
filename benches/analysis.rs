//! Engine benchmarks: whole-document analysis throughput and incremental re-analysis after a
//! one-character edit, on generated news manuscripts of 10 KB, 100 KB, 1 MB and 20 MB.
//!
//! `cargo bench --bench analysis` measures everything. Under `cargo test --all-targets` criterion
//! runs each benchmark once as a smoke test; the 20 MB manuscript is then skipped (it is only
//! generated when `--bench` is on the command line) so the test suite stays quick.

use std::hint::black_box;

use copydesk::engine::{self, Analyzer, Config, Format};
use copydesk::generate;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The manuscript sizes measured, with their labels.
fn sizes() -> Vec<(&'static str, usize)> {
    let mut out = vec![("10KB", 10_000), ("100KB", 100_000), ("1MB", 1_000_000)];
    if std::env::args().any(|a| a == "--bench") {
        out.push(("20MB", 20_000_000));
    }
    out
}

fn full_analysis(c: &mut Criterion) {
    let config = Config::default();
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    for (label, size) in sizes() {
        let text = generate::markdown(1, size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), &text, |b, text| {
            b.iter(|| engine::analyze_as(black_box(text), Format::Markdown, &config));
        });
    }
    group.finish();
}

fn incremental(c: &mut Criterion) {
    let config = Config::default();
    let mut group = c.benchmark_group("keystroke");
    for (label, size) in sizes() {
        let before = generate::markdown(1, size);
        let at = generate::typing_point(&before);
        let mut after = before.clone();
        after.insert(at, 'x');
        let mut analyzer = Analyzer::default();
        analyzer.analyze(&before, Format::Markdown, &config);
        if size >= 1_000_000 {
            group.sample_size(20);
        }
        // Each iteration alternates between the two versions, so every analysis re-scans the
        // edited block (the cache keeps only the blocks of the latest version) and reuses the rest.
        let mut flip = false;
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter(|| {
                flip = !flip;
                let text = if flip { &after } else { &before };
                analyzer.analyze(black_box(text), Format::Markdown, &config)
            });
        });
        assert_eq!(
            analyzer.last_stats.1, 1,
            "a one-character edit re-scans exactly one block"
        );
    }
    group.finish();
}

criterion_group!(benches, full_analysis, incremental);
criterion_main!(benches);
