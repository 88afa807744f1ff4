//! Measures the temporal engine alone on a TempEval-style corpus.
//!
//! Reads JSON lines `{"id", "text", "dct"}` and writes `{"id", "timexes": [{start, end, type,
//! value}]}` per record, running only the temporal paragraph scan (over plain-text paragraphs:
//! blank lines, or a line break after a sentence end) and the temporal document stage with the
//! record's `dct` as the publication date. `copydesk extract` gives the same timexes through
//! the whole pipeline; this example measures the date engine on its own, independent of the
//! other modules.
//!
//! ```text
//! cargo run --release --example timex_extract -- ../shared/corpus/timex/dev.jsonl > /tmp/pred.jsonl
//! python3 ../shared/scripts/score_timex.py ../shared/corpus/timex/dev.jsonl /tmp/pred.jsonl
//! ```
//!
//! With `--tense` after the file name, each timex also carries the tense and cue the paragraph
//! stage found for it (`"tense": "Past"`, `"cue": "last"`), for error analysis; the scorer
//! ignores the extra fields.

use std::io::{BufRead, Write};

use copydesk::engine::paragraph::{ParaCtx, ParagraphKind, ParagraphScan};
use copydesk::engine::{Config, Format, Placed, config, markup, segment, temporal};

/// Plain-text paragraphs of a block: a line break after a sentence end starts a new one.
fn paragraphs(block: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in block.match_indices('\n') {
        let line = block[start..i].trim_end();
        let next = block[i + 1..].trim_start();
        let ends = line.ends_with(['.', '?', '!', '"', ':', ')']) || line.ends_with("''");
        if line.is_empty() || ends && next.chars().next().is_some_and(|c| !c.is_lowercase()) {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, block.len()));
    out.into_iter()
        .filter_map(|(s, e)| {
            let t = &block[s..e];
            let lead = t.len() - t.trim_start().len();
            (!t.trim().is_empty()).then(|| (s + lead, s + lead + t.trim().len()))
        })
        .collect()
}

fn scan(
    text: &str,
    start: usize,
    config: &Config,
    in_sentences: &mut std::time::Duration,
) -> ParagraphScan {
    let t0 = std::time::Instant::now();
    let sentences = segment::sentences(text);
    *in_sentences += t0.elapsed();
    let ctx = ParaCtx {
        text,
        kind: ParagraphKind::Text,
        sentences: &sentences,
        config,
    };
    let quotes = Default::default();
    let temporal = temporal::scan(&ctx, &quotes);
    ParagraphScan {
        start_in_block: start,
        len: text.len(),
        kind: ParagraphKind::Text,
        prose: text.into(),
        sentences,
        quotes,
        entities: Default::default(),
        temporal,
    }
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: timex_extract FILE.jsonl"))?;
    let with_tense = std::env::args().nth(2).is_some_and(|a| a == "--tense");
    let input = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bytes = 0usize;
    let mut busy = std::time::Duration::ZERO;
    let mut in_sentences = std::time::Duration::ZERO;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: serde_json::Value = serde_json::from_str(&line)?;
        let text = rec["text"].as_str().unwrap_or("");
        bytes += text.len();
        let dct = rec["dct"].as_str().and_then(config::parse_date);
        let config = Config {
            publication_date: dct,
            ..Config::default()
        };
        let t0 = std::time::Instant::now();
        let layout = markup::layout(text, Format::PlainText);
        let scans: Vec<(usize, Vec<ParagraphScan>)> = layout
            .blocks
            .iter()
            .map(|b| {
                let src = b.range.of(text);
                let ps = paragraphs(src)
                    .into_iter()
                    .map(|(s, e)| scan(&src[s..e], s, &config, &mut in_sentences))
                    .collect();
                (b.range.start, ps)
            })
            .collect();
        let placed: Vec<Placed<'_>> = scans
            .iter()
            .flat_map(|(start, ps)| {
                ps.iter().map(move |p| Placed {
                    offset: start + p.start_in_block,
                    scan: p,
                })
            })
            .collect();
        let anchor = temporal::anchor(text, &config, None, &placed);
        let (timexes, _events) = temporal::resolve(text, &placed, anchor.as_ref(), &[]);
        busy += t0.elapsed();
        // The paragraph stage's tense and cue of each timex, in document order (the document
        // stage keeps every raw timex, in the same order).
        let raw: Vec<(String, Option<&str>)> = placed
            .iter()
            .flat_map(|p| p.scan.temporal.timexes.iter())
            .map(|r| (format!("{:?}", r.tense), r.cue))
            .collect();
        let timexes: Vec<serde_json::Value> = timexes
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut v = serde_json::json!({"start": t.range.start, "end": t.range.end, "type": t.kind.as_str(), "value": t.value});
                if with_tense && let Some((tense, cue)) = raw.get(i) {
                    v["tense"] = serde_json::json!(tense);
                    v["cue"] = serde_json::json!(cue);
                }
                v
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::json!({"id": rec["id"], "timexes": timexes})
        )?;
    }
    let secs = busy.as_secs_f64();
    let temporal_secs = (busy - in_sentences.min(busy)).as_secs_f64();
    eprintln!(
        "temporal recognition and resolution alone: {temporal_secs:.3} s ({:.1} MB/s)",
        bytes as f64 / temporal_secs / 1e6
    );
    eprintln!(
        "{bytes} bytes in {secs:.3} s ({:.1} MB/s, paragraph scan + temporal stage)",
        bytes as f64 / secs / 1e6
    );
    Ok(())
}
