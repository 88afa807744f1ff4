//! A loop to profile the rendering of a publishDiagnostics body under `valgrind
//! --tool=callgrind`: analyses a manuscript once, builds its `Snapshot` as the server does
//! (text, line index, analysis, position encoding) and renders the whole body N times, as the
//! server does for a document's first publish ([`Rendered::update`] with nothing kept), then
//! writes it into a sink that discards the bytes. Divide the instructions of
//! `Rendered::update` (inclusive) by N for the cost of one render.
//!
//! `profile_publish DOC [N] [utf8|utf16|utf32] [--dump FILE] [--typing K]`: DOC is a
//! Markdown file, or a size (`30KB`, `1MB`) for a manuscript generated with seed 1
//! (`copydesk::generate`); the encoding is UTF-16 unless said. `--dump FILE` writes the body
//! once more to FILE after the loop, to compare bodies byte for byte (`cmp`) before and after
//! a change to the renderer. `--typing K` then types K characters in the middle of the
//! document, analysing each version (untimed) and bringing the server's kept body up to date
//! ([`Rendered::update`], as the server does on a keystroke), and prints that step's p50 / p99
//! / max.
//!
//! ```text
//! cargo build --release --example profile_publish
//! valgrind --tool=callgrind --callgrind-out-file=cg.out \
//!     target/release/examples/profile_publish 1MB 5 utf16
//! callgrind_annotate --inclusive=yes cg.out | grep -E 'Rendered::update'
//! target/release/examples/profile_publish examples/xi-moscow.md 1 utf8 --dump /tmp/xi.utf8.json
//! ```

use std::hint::black_box;
use std::time::Instant;

use copydesk::engine::{Analyzer, Config, Format};
use copydesk::generate;
use copydesk::lsp::capabilities::DiagnosticFields;
use copydesk::lsp::documents::Snapshot;
use copydesk::lsp::documents::Unchanged;
use copydesk::lsp::position::PositionEncoding;
use copydesk::lsp::to_proto::Rendered;
use tower_lsp_server::ls_types::Uri;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let doc = args.get(1).map_or("1MB", String::as_str);
    let iterations: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let encoding = match args.get(3).map(String::as_str) {
        Some("utf8") => PositionEncoding::Utf8,
        Some("utf32") => PositionEncoding::Utf32,
        _ => PositionEncoding::Utf16,
    };
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|at| args.get(at + 1));
    let text = match generate::parse_size(doc) {
        Some(size) => generate::markdown(1, size),
        None => std::fs::read_to_string(doc).expect("cannot read DOC"),
    };
    let typing: usize = args
        .iter()
        .position(|a| a == "--typing")
        .and_then(|at| args.get(at + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(0);
    let typed_text = text.clone();
    let analysis = Analyzer::default().analyze(&text, Format::Markdown, &Config::default());
    let version = 2;
    let snap = Snapshot::new(version, text, analysis, encoding);
    let uri: Uri = "file:///newsroom/story.md".parse().expect("a URI");
    let start = Instant::now();
    let mut bytes = 0;
    let mut rendered = Rendered::default();
    for _ in 0..iterations {
        // Nothing kept to bring up to date (job 0 took no text): rendered whole, into the
        // body of the last iteration, as the server renders a document's body again.
        rendered.update(
            DiagnosticFields::ALL,
            black_box(&snap),
            1,
            Unchanged::NOTHING,
        );
        let publish = rendered.publish(&uri, Some(version));
        bytes += publish.len();
        publish
            .write(&mut |chunk| {
                black_box(chunk);
                Ok(())
            })
            .expect("written");
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / iterations.max(1) as f64;
    if let Some(path) = dump {
        let mut body = Vec::new();
        rendered.update(DiagnosticFields::ALL, &snap, 1, Unchanged::NOTHING);
        let publish = rendered.publish(&uri, Some(version));
        publish
            .write(&mut |chunk| {
                body.extend_from_slice(chunk);
                Ok(())
            })
            .expect("written");
        std::fs::write(path, &body).expect("cannot write the dump");
    }
    println!(
        "{} bytes, {} findings, {encoding:?}: {per:.3} ms per publish, {} bytes of JSON",
        snap.text.len(),
        snap.analysis.findings.len(),
        bytes / iterations.max(1)
    );
    if typing > 0 {
        type_into(typed_text, typing, encoding, &uri);
    }
}

/// Types `keystrokes` characters in the middle of `text` (after the first space past its
/// middle), bringing a kept body up to date after each, and prints how long that took.
fn type_into(mut text: String, keystrokes: usize, encoding: PositionEncoding, uri: &Uri) {
    let config = Config::default();
    let mut analyzer = Analyzer::default();
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at += text[at..].find(' ').unwrap_or(0);
    let mut version = 1;
    let mut ticket = 1;
    let analysis = analyzer.analyze(&text, Format::Markdown, &config);
    let mut snap = Snapshot::new(version, text.clone(), analysis, encoding);
    let mut rendered = Rendered::default();
    let fields = DiagnosticFields::ALL;
    rendered.update(fields, &snap, ticket, Unchanged::NOTHING);
    let mut times = Vec::with_capacity(keystrokes);
    for k in 0..keystrokes {
        let c = b"news desk "[k % 10] as char;
        text.insert(at, c);
        let unchanged = Unchanged {
            since: ticket,
            prefix: at,
            suffix: text.len() - at - 1,
        };
        at += 1;
        version += 1;
        ticket += 1;
        let mut old = std::mem::take(&mut snap.analysis.findings);
        rendered.keep_findings(ticket - 1, &mut old);
        let analysis = analyzer.analyze(&text, Format::Markdown, &config);
        snap = Snapshot::new(version, text.clone(), analysis, encoding);
        let start = Instant::now();
        rendered.update(fields, black_box(&snap), ticket, unchanged);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        rendered
            .publish(uri, Some(version))
            .write(&mut |chunk| {
                black_box(chunk);
                Ok(())
            })
            .expect("written");
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "typing {keystrokes} characters: kept body brought up to date in p50 {:.3} / p99 {:.3} / max {:.3} ms",
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
}
