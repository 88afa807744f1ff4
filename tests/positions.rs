//! State that never drifts: random incremental edits through the real server, in each position
//! encoding, against a plain model string.
//!
//! After every step the text the server analyses equals the model, and every diagnostic range
//! lies inside the document and on a character boundary of the negotiated encoding. Texts mix
//! CRLF, lone CR, emoji with modifiers, ZWJ sequences, CJK, combining marks and quotation marks
//! (so the real engine's quote checks produce diagnostics too).

mod common;

use std::sync::{Arc, Mutex};

use common::TestServerBuilder;
use copydesk::engine::checks::{Finding, Fixes, Severity};
use copydesk::engine::{Analyzer, Config, Format, TextRange};
use copydesk::lsp::AnalyzeFn;
use copydesk::lsp::position::{LineIndex, PositionEncoding};
use proptest::prelude::*;
use serde_json::Value;
use tower_lsp_server::ls_types::Position;

const URI: &str = "file:///drift.md";

const PIECES: &[&str] = &[
    "a",
    "word ",
    " ",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "é",
    "e\u{301}",
    "中文",
    "👍🏽",
    "👨\u{200d}👩\u{200d}👧",
    "“",
    "”",
    "XX",
    ".",
];

/// The engine plus a finding on every `XX`; records each analysed text.
fn recording() -> (AnalyzeFn, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let f: AnalyzeFn = Arc::new(
        move |analyzer: &mut Analyzer, text: &str, format: Format, config: &Config| {
            seen.lock().unwrap().push(text.to_string());
            let mut analysis = analyzer.analyze(text, format, config);
            for (at, _) in text.match_indices("XX") {
                analysis.findings.push(Finding {
                    code: "test-marker",
                    severity: Severity::Hint,
                    range: TextRange::new(at, at + 2),
                    message: "marker".into(),
                    fixes: Fixes::NONE,
                });
            }
            analysis
        },
    );
    (f, log)
}

/// LSP lines of `text` (content without breaks), split independently of the server's code.
fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push(&text[start..i]);
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&text[start..]);
    out
}

fn units(c: char, encoding: &str) -> usize {
    match encoding {
        "utf-8" => c.len_utf8(),
        "utf-16" => c.len_utf16(),
        _ => 1,
    }
}

/// Whether `p` is inside the document and on a character boundary in `encoding`.
fn valid(text: &str, p: &Value, encoding: &str) -> bool {
    let lines = lines(text);
    let (Some(line), Some(character)) = (p["line"].as_u64(), p["character"].as_u64()) else {
        return false;
    };
    let Some(content) = lines.get(line as usize) else {
        return false;
    };
    let mut at = 0;
    for c in content.chars() {
        if at == character as usize {
            return true;
        }
        at += units(c, encoding);
    }
    at == character as usize
}

/// The LSP position of byte `offset` (an addressable char boundary) in `encoding`.
fn position(text: &str, offset: usize, encoding: &str) -> (u32, u32) {
    let mut line = 0;
    let mut line_start = 0;
    let b = text.as_bytes();
    for i in 0..offset {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let character: usize = text[line_start..offset]
        .chars()
        .map(|c| units(c, encoding))
        .sum();
    (line, character as u32)
}

/// Snaps a byte offset to an addressable one: a char boundary, not between `\r` and `\n`.
fn addressable(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0
        && text.as_bytes()[offset - 1] == b'\r'
        && text.as_bytes().get(offset) == Some(&b'\n')
    {
        offset -= 1;
    }
    offset
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..20).prop_map(|v| v.concat())
}

/// An edit as fractions of the document (start, length) and the inserted text.
fn edits() -> impl Strategy<Value = Vec<(f64, f64, String)>> {
    prop::collection::vec((0.0..=1.0f64, 0.0..0.5f64, text_strategy()), 1..8)
}

async fn run(encoding: &'static str, initial: String, edits: Vec<(f64, f64, String)>) {
    let (analyze, log) = recording();
    let (mut server, _) = TestServerBuilder::default()
        .encodings(&[encoding])
        .analyze(analyze)
        .start()
        .await;
    let mut model = initial;
    let check = |model: &str, diagnostics: &[Value], log: &Arc<Mutex<Vec<String>>>| {
        assert_eq!(
            log.lock().unwrap().last().map(String::as_str),
            Some(model),
            "{encoding}: server text drifted"
        );
        for d in diagnostics {
            for end in ["start", "end"] {
                assert!(
                    valid(model, &d["range"][end], encoding),
                    "{encoding}: bad {end} in {d} for {model:?}"
                );
            }
        }
        let markers = diagnostics
            .iter()
            .filter(|d| d["code"] == "test-marker")
            .count();
        assert_eq!(markers, model.matches("XX").count());
    };
    let diagnostics = server.open(URI, "markdown", &model).await;
    check(&model, &diagnostics, &log);
    for (version, (at, len, insert)) in (2..).zip(edits) {
        let start = addressable(&model, (at * model.len() as f64) as usize);
        let end = addressable(&model, start + (len * model.len() as f64) as usize).max(start);
        let (sl, sc) = position(&model, start, encoding);
        let (el, ec) = position(&model, end, encoding);
        server.change(URI, version, [sl, sc, el, ec], &insert).await;
        model.replace_range(start..end, &insert);
        let diagnostics = server.diagnostics(URI, Some(version)).await;
        check(&model, &diagnostics, &log);
    }
    server.shutdown().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_never_drift(initial in text_strategy(), edits in edits(), enc in 0usize..3) {
        let encoding = ["utf-8", "utf-16", "utf-32"][enc];
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(encoding, initial, edits));
    }
}

/// The public conversion API on the classic hard cases, all three encodings.
#[test]
fn hard_characters_in_every_encoding() {
    // (text, probe, expected (line, character) of the probe in UTF-8, UTF-16, UTF-32).
    type Case = (&'static str, &'static str, [(u32, u32); 3]);
    let cases: &[Case] = &[
        ("👍🏽|", "|", [(0, 8), (0, 4), (0, 2)]),
        ("👨\u{200d}👩\u{200d}👧|", "|", [(0, 18), (0, 8), (0, 5)]),
        ("中文|", "|", [(0, 6), (0, 2), (0, 2)]),
        ("e\u{301}|", "|", [(0, 3), (0, 2), (0, 2)]),
        ("a\r\n中|", "|", [(1, 3), (1, 1), (1, 1)]),
        ("a\r👍|", "|", [(1, 4), (1, 2), (1, 1)]),
    ];
    let encodings = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ];
    for (text, probe, expected) in cases {
        let offset = text.find(probe).unwrap();
        let index = LineIndex::new(text);
        for (enc, (line, character)) in encodings.iter().zip(expected) {
            let p = index.position(text, offset, *enc);
            assert_eq!(
                p,
                Position {
                    line: *line,
                    character: *character
                },
                "{text:?} {enc:?}"
            );
            assert_eq!(index.offset(text, p, *enc), offset, "{text:?} {enc:?}");
        }
    }
}
