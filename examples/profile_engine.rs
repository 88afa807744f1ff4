//! A loop to profile the engine under `perf` or `valgrind --tool=callgrind`: analyses a generated
//! manuscript again and again, either from scratch (`full`) or after a one-character edit
//! through a reused `Analyzer` (`keystroke`), and prints the mean time per analysis.
//!
//! ```text
//! cargo build --release --example profile_engine
//! perf record --call-graph dwarf target/release/examples/profile_engine keystroke 1MB 200
//! perf report --children
//! ```

use std::time::Instant;

use copydesk::engine::{self, Analyzer, Config, Format};
use copydesk::generate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("full", String::as_str);
    let size = args
        .get(2)
        .and_then(|s| generate::parse_size(s))
        .unwrap_or(100_000);
    let iterations: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let config = Config::default();
    let before = generate::markdown(1, size);
    let at = generate::typing_point(&before);
    let mut after = before.clone();
    after.insert(at, 'x');
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&before, Format::Markdown, &config);
    let start = Instant::now();
    let mut findings = 0;
    for i in 0..iterations {
        let text = if i % 2 == 0 { &after } else { &before };
        let analysis = match mode {
            "keystroke" => analyzer.analyze(text, Format::Markdown, &config),
            _ => engine::analyze_as(text, Format::Markdown, &config),
        };
        findings += analysis.findings.len();
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / iterations as f64;
    println!(
        "{mode} {} bytes: {per:.3} ms per analysis ({:.1} MB/s), {} findings",
        before.len(),
        before.len() as f64 / per / 1000.0,
        findings / iterations.max(1)
    );
}
