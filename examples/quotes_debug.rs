//! Quotations with the rule that attributed each, for error analysis of the quote engine.
//!
//! Reads JSON lines `{"id", "text"}` (the input of `copydesk extract`) and writes, per record,
//! `{"id", "quotes": [{start, end, speaker, speaker_mention, rule, class, kind}]}`: the same
//! quotations and speakers as `copydesk extract` (plain text, default settings, quoted words
//! that are not quotations left out), plus the rule and speaker class. The quote scorer reads
//! the output as it reads `extract`'s and ignores the extra fields, so errors can be counted
//! per rule.
//!
//! ```text
//! cargo run --release --example quotes_debug -- ../shared/corpus/quotes/dev.jsonl > /tmp/qd.jsonl
//! python3 ../shared/scripts/score_quotes.py ../shared/corpus/quotes/dev.jsonl /tmp/qd.jsonl
//! ```

use std::io::{BufRead, Write};

use copydesk::engine::quotes::QuoteKind;
use copydesk::engine::{Config, Format, analyze_as};
use serde_json::{Value, json};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let input: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("error: {path}: {e}");
                std::process::exit(2);
            }
        }
    };
    let config = Config::default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in input.lines().enumerate() {
        let Ok(line) = line else {
            eprintln!("error: {path}: cannot read line {}", n + 1);
            std::process::exit(2);
        };
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: {path}:{}: {e}; line skipped", n + 1);
                continue;
            }
        };
        let text = record.get("text").and_then(Value::as_str).unwrap_or("");
        let analysis = analyze_as(text, Format::PlainText, &config);
        let quotes: Vec<Value> = analysis
            .quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::NotAQuote)
            .map(|q| {
                let s = q.speaker.as_ref();
                json!({
                    "start": q.range.start,
                    "end": q.range.end,
                    "speaker": s.map(|s| s.name.clone()),
                    "speaker_mention": s.map(|s| [s.mention.start, s.mention.end]),
                    "rule": s.map(|s| s.rule),
                    "class": s.map(|s| s.class),
                    "kind": q.kind,
                })
            })
            .collect();
        let id = record.get("id").cloned().unwrap_or(Value::Null);
        if writeln!(out, "{}", json!({"id": id, "quotes": quotes})).is_err() {
            return;
        }
    }
}
