//! The bodies of the fuzz targets, shared with the corpus-replay test (`tests/fuzz_replay.rs`
//! includes this file with `#[path]`), so an input that once crashed a target is replayed by
//! `cargo test` through exactly the same code.
//!
//! Every function takes arbitrary bytes, must return normally for every input, and panics only
//! when copydesk breaks one of its own invariants (which is then a bug to fix):
//! - the analysis never panics, in either format, and every byte range it reports lies inside
//!   the text, on character boundaries, with `start <= end`;
//! - the paragraph cache agrees with a fresh analysis after an edit;
//! - the layout's blocks are in order, disjoint, inside the text and on character boundaries.

#![allow(dead_code)]

use copydesk::engine::{self, Analyzer, Config, Format, markup};

/// Reads fuzz bytes as text: invalid UTF-8 is replaced, as an editor would have to.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Walks a serialized analysis and checks every `{start, end}` object in it against `text`.
pub fn assert_ranges_valid(value: &serde_json::Value, text: &str, path: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(s), Some(e)) = (map.get("start"), map.get("end"))
                && let (Some(s), Some(e)) = (s.as_u64(), e.as_u64())
                && map.len() == 2
            {
                let (s, e) = (s as usize, e as usize);
                assert!(
                    s <= e && e <= text.len(),
                    "range {s}..{e} out of bounds (len {}) at {path}",
                    text.len()
                );
                assert!(
                    text.is_char_boundary(s) && text.is_char_boundary(e),
                    "range {s}..{e} not on character boundaries at {path}"
                );
                return;
            }
            for (k, v) in map {
                let before = path.len();
                path.push('.');
                path.push_str(k);
                assert_ranges_valid(v, text, path);
                path.truncate(before);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let before = path.len();
                path.push_str(&format!("[{i}]"));
                assert_ranges_valid(v, text, path);
                path.truncate(before);
            }
        }
        _ => {}
    }
}

/// Target `analyze`: the whole analysis of arbitrary text, in both formats.
pub fn analyze(data: &[u8]) {
    let text = text_of(data);
    let config = Config::default();
    for format in [Format::Markdown, Format::PlainText] {
        let analysis = engine::analyze_as(&text, format, &config);
        assert_eq!(analysis.len, text.len());
        let json = serde_json::to_value(&analysis).expect("an analysis always serializes");
        assert_ranges_valid(&json, &text, &mut String::from("analysis"));
    }
    let _ = engine::analyze(&text, &config);
}

/// Target `incremental`: the input is two versions of a document separated by the first `0xFF`
/// byte (never valid UTF-8, so it cannot be part of either text); the cached re-analysis of the
/// second must equal its fresh analysis.
pub fn incremental(data: &[u8]) {
    let (a, b) = match data.iter().position(|&x| x == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..data.len() / 2]),
    };
    let (a, b) = (text_of(a), text_of(b));
    let config = Config::default();
    for format in [Format::Markdown, Format::PlainText] {
        let mut analyzer = Analyzer::default();
        let _ = analyzer.analyze(&a, format, &config);
        let cached = analyzer.analyze(&b, format, &config);
        let fresh = engine::analyze_as(&b, format, &config);
        assert_eq!(
            format!("{cached:?}"),
            format!("{fresh:?}"),
            "cached and fresh analysis differ"
        );
    }
}

/// Target `markup`: front matter and block layout, and the prose mask of every block.
pub fn markup(data: &[u8]) {
    let text = text_of(data);
    let config = Config::default();
    let _ = markup::front_matter_of(&text);
    for format in [Format::Markdown, Format::PlainText] {
        let layout = markup::layout(&text, format);
        let mut last_end = layout.front_matter.as_ref().map_or(0, |fm| fm.range.end);
        if let Some(fm) = &layout.front_matter {
            assert!(fm.range.end <= text.len() && text.is_char_boundary(fm.range.end));
            if let Some(d) = fm.date_range {
                assert!(
                    d.start <= d.end && d.end <= fm.range.end,
                    "date range outside front matter"
                );
                assert!(text.is_char_boundary(d.start) && text.is_char_boundary(d.end));
            }
        }
        for block in &layout.blocks {
            let r = block.range;
            assert!(
                last_end <= r.start && r.start < r.end && r.end <= text.len(),
                "block {r:?} out of order"
            );
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            last_end = r.end;
            let src = r.of(&text);
            for scan in engine::paragraph::scan_block(src, format, &config) {
                let end = scan.start_in_block + scan.len;
                assert!(end <= src.len(), "paragraph outside its block");
                assert_eq!(
                    scan.prose.len(),
                    scan.len,
                    "prose mask must keep the paragraph's length"
                );
                for s in &scan.sentences {
                    assert!(s.start <= s.end && s.end <= scan.len);
                    assert!(
                        scan.prose.is_char_boundary(s.start) && scan.prose.is_char_boundary(s.end)
                    );
                }
            }
        }
    }
}
