//! A loop to profile the engine under `perf` or `valgrind --tool=callgrind`: analyses a generated
//! manuscript again and again, either from scratch (`full`) or after a one-character edit
//! through a reused `Analyzer` (`keystroke`), and prints the mean time per analysis; or replays
//! the typing trace of the server bench (`typing`: "the council said on Tuesday that …" typed
//! one character at a time at [`generate::typing_point`] through one `Analyzer`) and prints the
//! per-keystroke percentiles and how many keystrokes regrouped the entities from scratch.
//!
//! ```text
//! cargo build --release --example profile_engine
//! perf record --call-graph dwarf target/release/examples/profile_engine keystroke 1MB 200
//! perf report --children
//! target/release/examples/profile_engine typing 1MB 200
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
    if mode == "typing" {
        typing(analyzer, before, iterations, &config);
        return;
    }
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

/// The server bench's typing trace (`benches/lsp_latency.rs`) in the engine: `keystrokes`
/// characters typed one at a time at the typing point, each analysed through `analyzer`.
fn typing(mut analyzer: Analyzer, mut text: String, keystrokes: usize, config: &Config) {
    let words = "the council said on Tuesday that a revised plan would be delivered ";
    let mut at = generate::typing_point(&text);
    let mut times = Vec::with_capacity(keystrokes);
    let mut regroup_times = Vec::new();
    let mut which = String::new();
    let mut findings = 0;
    for (i, c) in words.chars().cycle().take(keystrokes).enumerate() {
        text.insert(at, c);
        at += c.len_utf8();
        let regrouped = analyzer.entities_regrouped();
        let start = Instant::now();
        let analysis = analyzer.analyze(&text, Format::Markdown, config);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        if analyzer.entities_regrouped() > regrouped {
            regroup_times.push(ms);
            // The keystroke's place in the trace: the phrase so far, up to the character typed.
            let k = i % words.chars().count();
            let typed: String = words.chars().take(k + 1).collect();
            let word = typed.rsplit(' ').find(|w| !w.is_empty()).unwrap_or("");
            which.push_str(&format!(" {i}:{word}{}", if c == ' ' { "_" } else { "" }));
        }
        findings = analysis.findings.len();
    }
    let pct = |v: &mut Vec<f64>, p: f64| -> f64 {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    };
    let n = times.len();
    println!(
        "typing {} bytes, {n} keystrokes: p50 {:.3} / p90 {:.3} / p99 {:.3} / max {:.3} ms; \
         {} regrouped (p50 {:.3} ms, max {:.3} ms); {findings} findings",
        text.len(),
        pct(&mut times, 0.5),
        pct(&mut times, 0.9),
        pct(&mut times, 0.99),
        pct(&mut times, 1.0),
        regroup_times.len(),
        pct(&mut regroup_times, 0.5),
        pct(&mut regroup_times, 1.0),
    );
    println!("regrouping keystrokes (index: word typed so far, _ = space):{which}");
}
