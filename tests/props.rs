//! Property tests: state that never drifts.
//!
//! - The paragraph cache: for random sequences of edits, a reused [`Analyzer`] gives exactly the
//!   same [`Analysis`] (findings, quotes, sources, timexes, events, entities, paragraphs) as a
//!   fresh analysis of the same text, so no stale or shifted result survives an edit.
//!
//! - The language server: random sequences of incremental edits (inserts, deletes, replacements
//!   spanning lines; CRLF, lone CR, emoji, CJK, combining marks, ZWJ) sent through the real LSP
//!   layer in each position encoding (UTF-8, UTF-16, UTF-32). After every step the text the
//!   server analysed equals a plain model string, every diagnostic range lies inside the document
//!   on a character boundary of the negotiated encoding, and a finding placed on each multi-byte
//!   character comes back at exactly the position an independent conversion computes.
//!
//! Case counts are modest so the suite stays fast; raise `PROPTEST_CASES` to search harder.

mod common;

use std::sync::{Arc, Mutex};

use copydesk::engine::checks::{Finding, Fixes, Severity};
use copydesk::engine::{self, Analyzer, Config, Format, TextRange};
use copydesk::generate::{self, ADVERSARIAL, Options};
use copydesk::lsp::AnalyzeFn;
use proptest::prelude::*;
use serde_json::{Value, json};

/// One edit of the model text: replace the bytes between two relative positions with `insert`.
#[derive(Clone, Debug)]
struct Edit {
    /// Start, as a fraction of the text length (0..=1000 per mille).
    at: u16,
    /// How many bytes to delete after `at`, before snapping to a character boundary.
    delete: u16,
    insert: String,
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Edit {
    /// Applies the edit to `text` at character boundaries; returns how many bytes at the start
    /// and at the end of the text it left alone.
    fn apply(&self, text: &mut String) -> (usize, usize) {
        let start = floor_boundary(text, text.len() * usize::from(self.at) / 1000);
        let end = floor_boundary(text, start + usize::from(self.delete));
        let suffix = text.len() - end;
        text.replace_range(start..end, &self.insert);
        (start, suffix)
    }
}

fn insert_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(ADVERSARIAL).prop_map(str::to_string),
        3 => prop::collection::vec(prop::sample::select(ADVERSARIAL), 1..5).prop_map(|v| v.concat()),
        2 => (0u64..1000).prop_map(|seed| {
            // A generated sentence or two: quotes, names and dates that the analysis picks up.
            let text = generate::manuscript(&Options::plain(seed, 400));
            let start = floor_boundary(&text, text.len() / 3);
            let end = floor_boundary(&text, start + 120);
            text[start..end].to_string()
        }),
        1 => "\\PC{0,12}",
        1 => Just(String::new()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0u16..=1000,
        prop_oneof![3 => 0u16..4, 1 => 0u16..200],
        insert_text(),
    )
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

/// A starting text: a generated manuscript (either format, either quote style) or a mix of
/// adversarial fragments.
fn base_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u64..10_000, 200usize..3000, any::<bool>(), any::<bool>())
            .prop_map(|(seed, size, markdown, ascii)| generate::manuscript(&Options { seed, size, markdown, ascii })),
        1 => prop::collection::vec(prop::sample::select(ADVERSARIAL), 0..60).prop_map(|v| v.concat()),
    ]
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Markdown), Just(Format::PlainText)]
}

/// Everything an analysis says, as one string to compare.
fn render(a: &engine::Analysis) -> String {
    format!("{a:#?}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn cached_analysis_equals_fresh_analysis_after_every_edit(
        text in base_text(),
        format in format(),
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        let config = Config::default();
        let mut analyzer = Analyzer::default();
        // Told what each edit left alone (all of it, or less: a caller may know only that).
        let mut told = Analyzer::default();
        let mut text = text;
        let first = analyzer.analyze(&text, format, &config);
        prop_assert_eq!(render(&first), render(&engine::analyze_as(&text, format, &config)));
        told.analyze(&text, format, &config);
        for (step, e) in edits.iter().enumerate() {
            let (prefix, suffix) = e.apply(&mut text);
            let cached = analyzer.analyze(&text, format, &config);
            let fresh = engine::analyze_as(&text, format, &config);
            prop_assert_eq!(render(&cached), render(&fresh), "after edit {} ({:?})", step, e);
            prop_assert_eq!(cached.len, text.len());
            let less = usize::from(e.at) % 3;
            told.assume_unchanged(prefix.saturating_sub(less), suffix.saturating_sub(less));
            let promised = told.analyze(&text, format, &config);
            prop_assert_eq!(render(&promised), render(&fresh), "told, after edit {} ({:?})", step, e);
        }
    }
}

/// The same check on a real-sized manuscript with a typing trace: one character at a time in the
/// middle of a paragraph, then deleting back, then a paste that splits a paragraph in two.
#[test]
fn typing_trace_through_the_cache_matches_fresh_analysis() {
    let config = Config::default();
    let mut text = generate::markdown(11, 15_000);
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&text, Format::Markdown, &config);
    let mut at = generate::typing_point(&text);
    for (i, c) in "“Yes,” Mr. Ortiz said on Monday.\n\nA new paragraph last week"
        .chars()
        .enumerate()
    {
        text.insert(at, c);
        at += c.len_utf8();
        let cached = analyzer.analyze(&text, Format::Markdown, &config);
        if i % 7 == 0 || c == '\n' {
            assert_eq!(
                render(&cached),
                render(&engine::analyze_as(&text, Format::Markdown, &config)),
                "step {i}"
            );
        }
        assert!(
            analyzer.last_stats.1 <= 2,
            "a keystroke re-scans at most the blocks it touched"
        );
    }
    while at > 0 && text.is_char_boundary(at) && text[..at].ends_with(|c: char| c != '\n') {
        let c = text[..at].chars().next_back().unwrap_or(' ');
        at -= c.len_utf8();
        text.remove(at);
    }
    let cached = analyzer.analyze(&text, Format::Markdown, &config);
    assert_eq!(
        render(&cached),
        render(&engine::analyze_as(&text, Format::Markdown, &config))
    );
}

/// An analysis for the server that records the text it was given and adds, besides the real
/// findings, a `test-char` finding on every character that takes more than one byte.
fn recording_analysis() -> (AnalyzeFn, Arc<Mutex<Option<String>>>) {
    let last = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&last);
    let f: AnalyzeFn = Arc::new(
        move |analyzer: &mut Analyzer, text: &str, format: Format, config: &Config| {
            *seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.to_string());
            let mut analysis = analyzer.analyze(text, format, config);
            for (at, c) in text.char_indices().filter(|(_, c)| c.len_utf8() > 1) {
                analysis.findings.push(Finding {
                    code: "test-char",
                    severity: Severity::Hint,
                    range: TextRange::new(at, at + c.len_utf8()),
                    message: "a multi-byte character".into(),
                    fixes: Fixes::NONE,
                });
            }
            analysis
        },
    );
    (f, last)
}

/// LSP lines of `text`: (start, end without the break) byte offsets; `\n`, `\r\n` and a lone
/// `\r` end a line.
fn lsp_lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

fn units(s: &str, encoding: &str) -> usize {
    match encoding {
        "utf-8" => s.len(),
        "utf-32" => s.chars().count(),
        _ => s.encode_utf16().count(),
    }
}

/// The position of a byte offset (not inside a `\r\n` pair), computed independently.
fn position(text: &str, offset: usize, encoding: &str) -> Value {
    let lines = lsp_lines(text);
    let line = lines.iter().rposition(|&(s, _)| s <= offset).unwrap_or(0);
    let (start, end) = lines[line];
    let character = units(&text[start..offset.min(end)], encoding);
    json!({"line": line, "character": character})
}

/// Whether `pos` lies inside `text`, on a character boundary of `encoding`.
fn valid_position(text: &str, pos: &Value, encoding: &str) -> bool {
    let lines = lsp_lines(text);
    let (Some(line), Some(character)) = (pos["line"].as_u64(), pos["character"].as_u64()) else {
        return false;
    };
    let Some(&(start, end)) = lines.get(line as usize) else {
        return false;
    };
    let line_text = &text[start..end];
    let mut seen = 0usize;
    if character == 0 {
        return true;
    }
    for c in line_text.chars() {
        seen += units(c.encode_utf8(&mut [0; 4]), encoding);
        if seen as u64 == character {
            return true;
        }
        if seen as u64 > character {
            return false;
        }
    }
    false
}

/// Snaps an offset to a character boundary that is not inside a `\r\n` pair.
fn snap(text: &str, mut i: usize) -> usize {
    i = floor_boundary(text, i);
    if i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n') {
        i -= 1;
    }
    i
}

/// Runs one random edit sequence through the real server in one encoding.
async fn lsp_session(encoding: &str, start: String, edits: &[Edit]) -> Result<(), String> {
    let (analyze, last) = recording_analysis();
    let (mut server, _) = common::TestServerBuilder::default()
        .encodings(&[encoding])
        .analyze(analyze)
        .start()
        .await;
    let uri = "file:///prop.md";
    let mut model = start;
    let check = |model: &str,
                 diagnostics: &[Value],
                 last: &Arc<Mutex<Option<String>>>,
                 step: usize| {
        let seen = last.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if seen.as_deref() != Some(model) {
            return Err(format!(
                "{encoding} step {step}: server text {seen:?} != model {model:?}"
            ));
        }
        for d in diagnostics {
            for end in ["start", "end"] {
                if !valid_position(model, &d["range"][end], encoding) {
                    return Err(format!(
                        "{encoding} step {step}: bad {end} in {d} for {model:?}"
                    ));
                }
            }
        }
        let got: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] == "test-char")
            .map(|d| &d["range"])
            .collect();
        let want: Vec<Value> = model
            .char_indices()
            .filter(|(_, c)| c.len_utf8() > 1)
            .map(|(at, c)| {
                json!({"start": position(model, at, encoding), "end": position(model, at + c.len_utf8(), encoding)})
            })
            .collect();
        if got.len() != want.len() || got.iter().zip(&want).any(|(g, w)| *g != w) {
            return Err(format!(
                "{encoding} step {step}: multi-byte ranges {got:?} != {want:?} in {model:?}"
            ));
        }
        Ok(())
    };
    let diagnostics = server.open(uri, "markdown", &model).await;
    check(&model, &diagnostics, &last, 0)?;
    for (step, e) in edits.iter().enumerate() {
        let start = snap(&model, model.len() * usize::from(e.at) / 1000);
        let end = snap(&model, start + usize::from(e.delete)).max(start);
        let (s, t) = (
            position(&model, start, encoding),
            position(&model, end, encoding),
        );
        let range = [&s["line"], &s["character"], &t["line"], &t["character"]]
            .map(|v| v.as_u64().unwrap_or(0) as u32);
        let version = step as i64 + 2;
        server.change(uri, version, range, &e.insert).await;
        model.replace_range(start..end, &e.insert);
        let diagnostics = server.diagnostics(uri, Some(version)).await;
        check(&model, &diagnostics, &last, step + 1)?;
    }
    server.shutdown().await;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 300, ..ProptestConfig::default() })]

    #[test]
    fn lsp_text_and_diagnostic_ranges_never_drift(
        text in prop_oneof![
            (0u64..1000, 100usize..800).prop_map(|(seed, size)| generate::manuscript(&Options::markdown(seed, size))),
            prop::collection::vec(prop::sample::select(ADVERSARIAL), 0..30).prop_map(|v| v.concat()),
        ],
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        for encoding in ["utf-8", "utf-16", "utf-32"] {
            let result = runtime.block_on(lsp_session(encoding, text.clone(), &edits));
            prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        }
    }
}
