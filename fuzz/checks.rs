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

/// Target `cache_edit`: the input is two versions of a document separated by the first `0xFF`
/// byte (never valid UTF-8, so it cannot be part of either text); the cached re-analysis of the
/// second must equal its fresh analysis.
pub fn cache_edit(data: &[u8]) {
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

/// Target `position`: byte offsets ↔ LSP positions in every encoding. The input is a text and,
/// after the first `0xFF` byte, positions to convert (8 bytes each: line, character). Checks
/// that every conversion lands inside the text on a character boundary, that the rope used for
/// incremental edits agrees with the line index, and that offset → position → offset is the
/// identity on character boundaries (except inside a `\r\n` pair, which clamps to the line end).
pub fn position(data: &[u8]) {
    use copydesk::lsp::position::{LineIndex, PositionEncoding, rope_char_index};
    use tower_lsp_server::ls_types::Position;

    let (a, tail) = match data.iter().position(|&x| x == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = text_of(a);
    let index = LineIndex::new(&text);
    let rope = ropey::Rope::from_str(&text);
    assert_eq!(
        rope.len_lines(),
        index.line_count(),
        "rope and line index disagree on lines"
    );
    for enc in [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ] {
        for chunk in tail.chunks_exact(8) {
            let line = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let character = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
            // Mostly positions near the text, sometimes wild ones.
            let line = if line & 0x8000_0000 == 0 {
                line % (index.line_count() as u32 + 2)
            } else {
                line
            };
            let character = if character & 0x8000_0000 == 0 {
                character % 80
            } else {
                character
            };
            let pos = Position { line, character };
            let offset = index.offset(&text, pos, enc);
            assert!(
                offset <= text.len() && text.is_char_boundary(offset),
                "offset {offset} of {pos:?} is bad"
            );
            let via_rope = rope.char_to_byte(rope_char_index(&rope, pos, enc));
            assert_eq!(
                via_rope, offset,
                "rope and line index disagree on {pos:?} ({enc:?})"
            );
            let back = index.position(&text, offset, enc);
            assert_eq!(
                index.offset(&text, back, enc),
                offset,
                "{pos:?} → {offset} → {back:?} does not round-trip"
            );
        }
        let mut checked = 0;
        for (offset, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            checked += 1;
            if checked > 4096 {
                break;
            }
            let inside_crlf = offset > 0
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            let pos = index.position(&text, offset, enc);
            let back = index.offset(&text, pos, enc);
            if inside_crlf {
                assert_eq!(back, offset - 1, "inside \\r\\n must clamp to the line end");
            } else {
                assert_eq!(back, offset, "offset {offset} → {pos:?} → {back} ({enc:?})");
            }
        }
    }
}

/// Target `lsp_reader`: arbitrary bytes as the client's side of the stdio stream of the real
/// server (`copydesk::lsp::serve` over an in-memory duplex). The first byte chooses a prelude:
/// bit 0 first sends a valid `initialize`, waits for its response as a real client must, then
/// sends `initialized` and a `didOpen`; bit 1 frames the rest of the input as one message with a
/// correct `Content-Length` header (so the fuzzer reaches the JSON and the handlers, not just
/// the header parser). The server must never panic, and must finish once its input ends (a hang
/// fails after a deadline).
pub fn lsp_reader(data: &[u8]) {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let frame = |body: &[u8]| {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    };
    let init = frame(
        br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-16"]}}}}"#,
    );
    let mut opened = frame(br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    opened.extend(frame(
        "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///f.md\",\"languageId\":\"markdown\",\"version\":1,\"text\":\"“We won,” she said.\\n\\nCritics say it was close last week.\\n\"}}}"
            .as_bytes(),
    ));
    let body = if mode & 2 == 2 {
        frame(rest)
    } else {
        rest.to_vec()
    };
    let prelude = mode & 1 == 1;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server);
        let (mut client_read, mut client_write) = tokio::io::split(client);
        let serve = copydesk::lsp::serve(server_read, server_write);
        let client = async move {
            let mut seen = Vec::new();
            let mut buf = vec![0u8; 1 << 14];
            if prelude {
                let _ = client_write.write_all(&init).await;
                // Wait for the initialize response before sending anything else.
                while !seen.windows(7).any(|w| w == b"\"id\":1}") {
                    match client_read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = client_write.write_all(&opened).await;
            }
            let _ = client_write.write_all(&body).await;
            // Ending the input must end the server.
            let _ = client_write.shutdown().await;
            drop(client_write);
            while let Ok(n) = client_read.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
        };
        let finished = tokio::time::timeout(Duration::from_secs(10), async {
            tokio::join!(serve, client)
        })
        .await;
        assert!(
            finished.is_ok(),
            "the server did not finish within 10 s after its input ended"
        );
    });
}
