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
//!
//! `timex_extract --bench BYTES REPS` times the temporal paragraph stage alone on a generated
//! plain-text manuscript, split into paragraphs and as one giant paragraph.

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
        marks: Default::default(),
        kind: ParagraphKind::Text,
        prose: text.into(),
        sentences,
        quotes,
        entities: Default::default(),
        temporal,
    }
}

/// Times the temporal paragraph stage alone (`temporal::scan`, sentence splitting done
/// beforehand) on a generated plain-text manuscript of `size` bytes, once split into its
/// paragraphs and once as one giant paragraph (blank lines turned into spaces), and prints the
/// best of `reps` passes of each.
fn bench(size: usize, reps: usize) {
    let text = copydesk::generate::manuscript(&copydesk::generate::Options::plain(1, size));
    let config = Config::default();
    let paras: Vec<(&str, Vec<copydesk::engine::text::TextRange>)> = paragraphs(&text)
        .into_iter()
        .map(|(s, e)| (&text[s..e], segment::sentences(&text[s..e])))
        .collect();
    let giant = text.trim().replace("\n\n", "  ").replace('\n', " ");
    let giant_sentences = segment::sentences(&giant);
    // A checksum of everything the scans found (outside the timing), to check that a speed
    // change leaves the results identical.
    let run = |items: &[(&str, &[copydesk::engine::text::TextRange])]| -> (f64, u64) {
        use std::hash::{Hash, Hasher};
        let mut best = f64::INFINITY;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for (p, sentences) in items {
            let ctx = ParaCtx {
                text: p,
                kind: ParagraphKind::Text,
                sentences,
                config: &config,
            };
            format!("{:?}", temporal::scan(&ctx, &Default::default())).hash(&mut hasher);
        }
        for _ in 0..reps.max(1) {
            let t0 = std::time::Instant::now();
            let mut found = 0;
            for (p, sentences) in items {
                let ctx = ParaCtx {
                    text: p,
                    kind: ParagraphKind::Text,
                    sentences,
                    config: &config,
                };
                let scan = temporal::scan(&ctx, &Default::default());
                found += scan.timexes.len() + scan.events.len();
            }
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(found);
        }
        (best, hasher.finish())
    };
    let items: Vec<(&str, &[copydesk::engine::text::TextRange])> =
        paras.iter().map(|(p, s)| (*p, s.as_slice())).collect();
    let (ms, n) = run(&items);
    println!(
        "{} bytes in {} paragraphs: temporal::scan {ms:.2} ms (best of {reps}; results {n:016x})",
        text.len(),
        paras.len()
    );
    let (ms, n) = run(&[(giant.as_str(), giant_sentences.as_slice())]);
    println!(
        "{} bytes as one paragraph: temporal::scan {ms:.2} ms (best of {reps}; results {n:016x})",
        giant.len()
    );
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).ok_or_else(|| {
        anyhow::anyhow!("usage: timex_extract FILE.jsonl [--tense] | --bench BYTES REPS")
    })?;
    if path == "--bench" {
        let arg = |n: usize, default: usize| {
            std::env::args()
                .nth(n)
                .and_then(|s| s.parse().ok())
                .unwrap_or(default)
        };
        bench(arg(2, 1_000_000), arg(3, 5));
        return Ok(());
    }
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
                ps.iter()
                    .map(move |p| Placed::new(start + p.start_in_block, p))
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
