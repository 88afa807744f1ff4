//! `copydesk extract [FILE|-]`: JSON lines in, JSON lines out, for batch jobs and measurement.
//!
//! Contract (documented in `docs/extract.md`):
//! - Each input line is `{"id", "text", "dct"?}`; other fields are ignored. `dct` (`YYYY-MM-DD`,
//!   longer timestamps are cut to the date) is the publication date of that record.
//! - Each output line is `{"id", "quotes", "timexes", "entities", "findings"}` with exactly the
//!   fields of the schema, UTF-8 byte offsets into `text`, end exclusive; `id` is echoed as given.
//! - Input is streamed line by line and each result is written and flushed before the next
//!   line is read. A line that is not a valid record is reported on stderr with its line number
//!   and skipped; the others are still processed, and the exit status is then [`EXIT_ERROR`].
//! - The settings are the defaults (no `copydesk.toml` is read), so results are reproducible.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::engine::quotes::QuoteKind;
use crate::engine::{self, Analysis, Config, Format, Severity};

#[derive(Deserialize)]
struct Record {
    id: Value,
    text: String,
    #[serde(default)]
    dct: Option<String>,
}

/// One output line.
#[derive(Serialize)]
struct Output<'a> {
    id: &'a Value,
    quotes: Vec<OutQuote>,
    timexes: Vec<OutTimex>,
    entities: Vec<OutEntity>,
    findings: Vec<OutFinding>,
}

#[derive(Serialize)]
struct OutQuote {
    start: usize,
    end: usize,
    speaker: Option<String>,
    speaker_mention: Option<[usize; 2]>,
}

#[derive(Serialize)]
struct OutTimex {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

#[derive(Serialize)]
struct OutEntity {
    name: String,
    kind: &'static str,
    mentions: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct OutFinding {
    code: &'static str,
    severity: Severity,
    start: usize,
    end: usize,
    message: String,
}

fn output<'a>(id: &'a Value, a: &Analysis) -> Output<'a> {
    Output {
        id,
        quotes: a
            .quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::NotAQuote)
            .map(|q| OutQuote {
                start: q.range.start,
                end: q.range.end,
                speaker: q.speaker.as_ref().map(|s| s.name.to_string()),
                speaker_mention: q.speaker.as_ref().map(|s| [s.mention.start, s.mention.end]),
            })
            .collect(),
        timexes: a
            .timexes
            .iter()
            .map(|t| OutTimex {
                start: t.range.start,
                end: t.range.end,
                kind: t.kind.as_str(),
                value: t.value.to_string(),
            })
            .collect(),
        entities: a
            .entities
            .iter()
            .map(|e| OutEntity {
                name: e.name.clone(),
                kind: e.kind.as_str(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|m| [m.range.start, m.range.end])
                    .collect(),
            })
            .collect(),
        findings: a
            .findings
            .iter()
            .map(|f| OutFinding {
                code: f.code,
                severity: f.severity,
                start: f.range.start,
                end: f.range.end,
                message: f.message.to_string(),
            })
            .collect(),
    }
}

/// Processes one input line; the error says what is wrong with it.
fn process(line: &[u8], format: Format) -> Result<String, String> {
    let record: Record = serde_json::from_slice(line).map_err(|e| {
        if e.is_data() {
            format!("not a record {{\"id\", \"text\", \"dct\"?}}: {e}")
        } else {
            format!("not valid JSON: {e}")
        }
    })?;
    let mut config = Config::default();
    if let Some(dct) = record.dct.as_deref().filter(|d| !d.trim().is_empty()) {
        match engine::config::parse_date(dct) {
            Some(date) => config.publication_date = Some(date),
            None => return Err(format!("`dct` is `{dct}`, not a date YYYY-MM-DD")),
        }
    }
    let analysis = super::analyze_guarded(&record.text, format, &config)?;
    serde_json::to_string(&output(&record.id, &analysis))
        .map_err(|e| format!("cannot write the result: {e}"))
}

/// Runs `extract` over `input` and returns the exit status.
pub fn run(
    input: &mut dyn BufRead,
    name: &str,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut failed = false;
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let _ = writeln!(
                    err,
                    "error: {name}: cannot read: {}",
                    super::inputs::io_message(&e)
                );
                return EXIT_ERROR;
            }
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // A byte order mark some editors put at the start of a file is not part of the JSON.
        let record = if number == 1 {
            line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&line)
        } else {
            &line
        };
        match process(record, format) {
            Ok(json) => {
                let written = out
                    .write_all(json.as_bytes())
                    .and_then(|()| out.write_all(b"\n"))
                    .and_then(|()| out.flush());
                if let Err(e) = written {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        let _ = writeln!(
                            err,
                            "error: cannot write output: {}",
                            super::inputs::io_message(&e)
                        );
                        return EXIT_ERROR;
                    }
                    return if failed { EXIT_ERROR } else { EXIT_CLEAN };
                }
            }
            Err(message) => {
                failed = true;
                let _ = writeln!(err, "error: {name}:{number}: {message}; line skipped");
            }
        }
    }
    if failed { EXIT_ERROR } else { EXIT_CLEAN }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(input: &str) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(
            &mut input.as_bytes(),
            "in.jsonl",
            Format::PlainText,
            &mut out,
            &mut err,
        );
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn every_record_gets_exactly_the_schema_fields() {
        let (code, out, err) = extract(
            "{\"id\": \"a\", \"text\": \"Hi.\", \"extra\": [1]}\n\n{\"id\": 7, \"text\": \"\", \"dct\": \"2023-03-20T10:00\"}\n",
        );
        assert_eq!((code, err.as_str()), (EXIT_CLEAN, ""));
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "a");
        assert_eq!(lines[1]["id"], 7);
        for l in &lines {
            let keys: Vec<_> = l.as_object().unwrap().keys().cloned().collect();
            assert_eq!(keys.len(), 5, "{keys:?}");
            for k in ["quotes", "timexes", "entities", "findings"] {
                assert!(l[k].is_array(), "{k}");
            }
        }
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_goes_on() {
        let (code, out, err) = extract(
            "{\"id\": 1, \"text\": \"a\"}\n{oops\n{\"id\": 2}\n{\"id\": 3, \"text\": \"b\", \"dct\": \"March\"}\n{\"id\": 4, \"text\": \"c\"}\n",
        );
        assert_eq!(code, EXIT_ERROR);
        assert_eq!(out.lines().count(), 2);
        assert!(err.contains("in.jsonl:2: not valid JSON"), "{err}");
        assert!(
            err.contains("in.jsonl:3: not a record") && err.contains("text"),
            "{err}"
        );
        assert!(err.contains("in.jsonl:4: `dct` is `March`"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_accepted() {
        let (code, out, err) =
            extract("\u{feff}{\"id\": 1, \"text\": \"a\"}\r\n{\"id\": 2, \"text\": \"b\"}\r\n");
        assert_eq!((code, err.as_str()), (EXIT_CLEAN, ""));
        assert_eq!(out.lines().count(), 2);
    }

    #[test]
    fn invalid_utf8_in_a_line_is_that_line_only() {
        let mut input = b"{\"id\": 1, \"text\": \"caf\xe9\"}\n".to_vec();
        input.extend_from_slice(b"{\"id\": 2, \"text\": \"ok\"}\n");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(
            &mut input.as_slice(),
            "-",
            Format::PlainText,
            &mut out,
            &mut err,
        );
        assert_eq!(code, EXIT_ERROR);
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);
        assert!(String::from_utf8(err).unwrap().contains("-:1:"));
    }
}
