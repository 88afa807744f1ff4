//! A loop to profile the engine under `perf` or `valgrind --tool=callgrind`: analyses a generated
//! manuscript again and again, either from scratch (`full`) or after a one-character edit
//! through a reused `Analyzer` (`keystroke`), and prints the mean time per analysis; or replays
//! the typing trace of the server bench (`typing`: "the council said on Tuesday that …" typed
//! one character at a time at [`generate::typing_point`] through one `Analyzer`) and prints the
//! per-keystroke percentiles and how many keystrokes regrouped the entities from scratch.
//!
//! `stages SIZE|FILE [RUNS]` times whole analyses from scratch, as `copydesk check` makes them,
//! and prints the median time of each stage: the paragraph scans and each document pass.
//!
//! `replay FILE OFFSET TEXT [KEYSTROKES]` replays another typing trace (e.g. lspbench.py's) the same
//! way. With `PROFILE_THRASH_MB=16` in the environment, `typing` and `replay` write that many
//! megabytes between keystrokes, untimed, so each analysis starts with cold caches, as in the
//! server after it has written a large publish. With `PROFILE_PAUSE_MS=5` they sleep that
//! long between keystrokes, untimed, as the server's analysis thread waits for the next edit
//! (an idle processor is slower to start again than one kept busy). With `PROFILE_EACH=1` they
//! print each keystroke's index and time on standard error (to find the slow ones of a trace).
//!
//! ```text
//! cargo build --release --example profile_engine
//! perf record --call-graph dwarf target/release/examples/profile_engine keystroke 1MB 200
//! perf report --children
//! target/release/examples/profile_engine typing 1MB 200
//! ```

use std::time::{Duration, Instant};

use copydesk::engine::{self, Analyzer, Config, Format, StageTimes};
use copydesk::generate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("full", String::as_str);
    if mode == "replay" {
        replay(&args[2..]);
        return;
    }
    if mode == "stages" {
        stages(&args[2..]);
        return;
    }
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
        let words = "the council said on Tuesday that a revised plan would be delivered ";
        typing(analyzer, before, at, words, iterations, &config);
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

/// `stages SIZE|FILE [RUNS]`: whole analyses of a generated manuscript of SIZE (or of the
/// Markdown FILE) from scratch, as `copydesk check` makes them, and the median time of each
/// stage ([`copydesk::engine::StageTimes`]) over RUNS.
fn stages(args: &[String]) {
    let Some(what) = args.first() else {
        eprintln!("usage: profile_engine stages SIZE|FILE [RUNS]");
        std::process::exit(2);
    };
    let text = match generate::parse_size(what) {
        Some(size) => generate::markdown(1, size),
        None => std::fs::read_to_string(what).expect("cannot read FILE"),
    };
    let runs: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5).max(1);
    let config = Config::default();
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut analyzer = Analyzer::one_shot();
        let start = Instant::now();
        let analysis = analyzer.analyze(&text, Format::Markdown, &config);
        let total = start.elapsed();
        all.push((analyzer.last_times, total));
        // Freed untimed (`copydesk check` does not free them at all). The later runs reuse
        // the memory freed here: they take fewer page faults than `check` does, and the first
        // run's total is printed as well.
        drop(analysis);
        drop(analyzer);
    }
    let median = |f: &dyn Fn(&(StageTimes, Duration)) -> f64| {
        let mut v: Vec<f64> = all.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let total = median(&|(_, t)| ms(*t));
    println!(
        "stages {} bytes, median of {runs}: {total:.1} ms ({:.1} MB/s); first run {:.1} ms",
        text.len(),
        text.len() as f64 / total / 1000.0,
        ms(all[0].1)
    );
    for (i, (name, _)) in all[0].0.named().into_iter().enumerate() {
        let m = median(&|(t, _)| ms(t.named()[i].1));
        println!("  {name:<16} {m:8.1} ms  {:5.1} %", 100.0 * m / total);
    }
}

/// `replay FILE OFFSET TEXT [KEYSTROKES]`: another typing trace, e.g. the one lspbench.py reports
/// (its `trace` gives a line and a UTF-16 column; OFFSET is the byte offset of that point): TEXT
/// typed one character at a time at byte OFFSET of the Markdown manuscript FILE.
fn replay(args: &[String]) {
    let [file, offset, words, rest @ ..] = args else {
        eprintln!("usage: profile_engine replay FILE OFFSET TEXT [KEYSTROKES]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(file).expect("cannot read FILE");
    let at: usize = offset.parse().expect("OFFSET is a byte offset");
    assert!(
        text.is_char_boundary(at),
        "OFFSET is not at a character boundary"
    );
    let keystrokes = rest
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(words.chars().count());
    let config = Config::default();
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&text, Format::Markdown, &config);
    typing(analyzer, text, at, words, keystrokes, &config);
}

/// The server bench's typing trace (`benches/lsp_latency.rs`) in the engine: `keystrokes`
/// characters typed one at a time at the typing point, each analysed through `analyzer`.
fn typing(
    mut analyzer: Analyzer,
    mut text: String,
    mut at: usize,
    words: &str,
    keystrokes: usize,
    config: &Config,
) {
    let mut times = Vec::with_capacity(keystrokes);
    let mut regroup_times = Vec::new();
    let mut which = String::new();
    let mut findings = 0;
    let mut thrash = std::env::var("PROFILE_THRASH_MB")
        .ok()
        .and_then(|mb| mb.parse::<usize>().ok())
        .map(|mb| vec![0u8; mb << 20]);
    // One line per keystroke on standard error: its index and time.
    let each = std::env::var_os("PROFILE_EACH").is_some();
    let pause = std::env::var("PROFILE_PAUSE_MS")
        .ok()
        .and_then(|ms| ms.parse::<u64>().ok())
        .map(std::time::Duration::from_millis);
    for (i, c) in words.chars().cycle().take(keystrokes).enumerate() {
        // As the server does, the analyzer is told what the keystroke left alone.
        analyzer.assume_unchanged(at, text.len() - at);
        text.insert(at, c);
        at += c.len_utf8();
        let regrouped = analyzer.entities_regrouped();
        if let Some(buffer) = thrash.as_mut() {
            // Evicts the caches, as the server's publish of the last result does.
            for (j, b) in buffer.iter_mut().enumerate() {
                *b = (j ^ i) as u8;
            }
            std::hint::black_box(&buffer);
        }
        if let Some(pause) = pause {
            // Idle between keystrokes, as the server's analysis thread waits for the next one.
            std::thread::sleep(pause);
        }
        let start = Instant::now();
        let analysis = analyzer.analyze(&text, Format::Markdown, config);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if each {
            eprintln!("{i} {ms:.3}");
        }
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
