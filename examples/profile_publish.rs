//! A loop to profile the rendering of a publishDiagnostics body under `valgrind
//! --tool=callgrind`: analyses a manuscript once, builds its `Snapshot` as the server does
//! (text, line index, analysis, position encoding) and renders the publish N times, both passes
//! ([`Publish::measure`] and [`Publish::write`]) into a sink that discards the bytes. Divide
//! the instructions of `Publish::measure` and `Publish::write` (inclusive) by N for the cost
//! of one publish.
//!
//! `profile_publish DOC [N] [utf8|utf16|utf32] [--dump FILE]`: DOC is a Markdown file, or a
//! size (`30KB`, `1MB`) for a manuscript generated with seed 1 (`copydesk::generate`); the
//! encoding is UTF-16 unless said. `--dump FILE` writes the body once more to FILE after the
//! loop, to compare bodies byte for byte (`cmp`) before and after a change to the renderer.
//!
//! ```text
//! cargo build --release --example profile_publish
//! valgrind --tool=callgrind --callgrind-out-file=cg.out \
//!     target/release/examples/profile_publish 1MB 5 utf16
//! callgrind_annotate --inclusive=yes cg.out | grep -E 'Publish::(measure|write)'
//! target/release/examples/profile_publish examples/xi-moscow.md 1 utf8 --dump /tmp/xi.utf8.json
//! ```

use std::hint::black_box;
use std::time::Instant;

use copydesk::engine::{Analyzer, Config, Format};
use copydesk::generate;
use copydesk::lsp::documents::Snapshot;
use copydesk::lsp::position::PositionEncoding;
use copydesk::lsp::to_proto::Publish;
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
    let analysis = Analyzer::default().analyze(&text, Format::Markdown, &Config::default());
    let version = 2;
    let snap = Snapshot::new(version, text, analysis, encoding);
    let uri: Uri = "file:///newsroom/story.md".parse().expect("a URI");
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..iterations {
        let publish = Publish::measure(&uri, Some(version), Some(black_box(&snap)));
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
        let publish = Publish::measure(&uri, Some(version), Some(&snap));
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
}
