//! `copydesk sources FILE`: who speaks in a story, as a table or as JSON.
//!
//! Contract: prints [`crate::engine::quotes::ledger`] of the manuscript, the same ledger the
//! language server returns for `copydesk.sources`. The JSON format is that ledger serialised
//! as it is; the table has one row per source (source, kind, role, number of quotes, first
//! quote), then the unattributed quotations and the counts of anonymous and vague sources.

use std::io::Write;

use super::inputs::{self, Input};
use super::{EXIT_CLEAN, EXIT_ERROR, Language, SettingsArgs};
use crate::engine::quotes::Ledger;
use crate::engine::{self, Format};

/// Output formats of `sources`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LedgerFormat {
    #[default]
    Table,
    Json,
}

/// How wide the first-quote column may grow, in characters.
const QUOTE_WIDTH: usize = 60;

fn cut(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The ledger as an aligned table (column widths in characters).
pub fn table(ledger: &Ledger) -> String {
    let header = ["SOURCE", "KIND", "ROLE", "QUOTES", "FIRST QUOTE"];
    let mut rows: Vec<[String; 5]> = vec![header.map(String::from)];
    for s in &ledger.sources {
        rows.push([
            s.name.clone(),
            s.kind.clone(),
            s.role.clone().unwrap_or_else(|| "-".into()),
            s.quotes.len().to_string(),
            s.quotes
                .first()
                .map_or_else(|| "-".into(), |q| cut(&q.text, QUOTE_WIDTH)),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    if ledger.sources.is_empty() {
        out.push_str("No named sources.\n");
    } else {
        for row in &rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    if !ledger.unattributed.is_empty() {
        out.push_str(&format!(
            "\nUnattributed quotations ({}):\n",
            ledger.unattributed.len()
        ));
        for q in &ledger.unattributed {
            out.push_str(&format!("  {}\n", cut(&q.text, QUOTE_WIDTH + 20)));
        }
    }
    out.push_str(&format!(
        "\nAnonymous sources: {}. Vague sources: {}.\n",
        ledger.anonymous, ledger.vague
    ));
    out
}

/// Runs `sources` and returns the exit status.
pub fn run(
    input: &Input,
    output: LedgerFormat,
    settings: &SettingsArgs,
    language: Option<Language>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let config = match super::load_config(settings, err) {
        Ok(c) => c,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return EXIT_ERROR;
        }
    };
    let text = match inputs::read(input) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_ERROR;
        }
    };
    let format = match (language, input) {
        (Some(lang), _) => lang.format(),
        (None, Input::File(path)) => super::format_for_path(path),
        (None, Input::Stdin) => Format::detect(&text),
    };
    let analysis = match super::analyze_guarded(&text, format, &config) {
        Ok(a) => a,
        Err(message) => {
            let _ = writeln!(err, "error: {}: {message}", input.display_name());
            return EXIT_ERROR;
        }
    };
    let ledger = engine::quotes::ledger(&analysis, &text);
    let rendered = match output {
        LedgerFormat::Table => table(&ledger),
        LedgerFormat::Json => match serde_json::to_string_pretty(&ledger) {
            Ok(s) => s + "\n",
            Err(e) => {
                let _ = writeln!(err, "error: cannot write JSON: {e}");
                return EXIT_ERROR;
            }
        },
    };
    match out.write_all(rendered.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => EXIT_ERROR,
        _ => EXIT_CLEAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::quotes::{LedgerQuote, LedgerSource};
    use crate::engine::text::TextRange;

    #[test]
    fn table_aligns_columns_and_cuts_long_quotes() {
        let q = |t: &str| LedgerQuote {
            range: TextRange::new(0, 1),
            text: t.to_string(),
        };
        let ledger = Ledger {
            sources: vec![
                LedgerSource {
                    name: "Christoph Heusgen".into(),
                    kind: "person".into(),
                    role: Some("head of the Munich Security Conference".into()),
                    quotes: vec![q(&format!("“{}”", "word ".repeat(40))), q("“b”")],
                },
                LedgerSource {
                    name: "Kremlin".into(),
                    kind: "organization".into(),
                    role: None,
                    quotes: vec![q("“x”")],
                },
            ],
            unattributed: vec![q("“who?”")],
            anonymous: 1,
            vague: 2,
        };
        let t = table(&ledger);
        let lines: Vec<_> = t.lines().collect();
        assert!(lines[0].starts_with("SOURCE             KIND"), "{t}");
        assert!(lines[1].contains(" 2 ") && lines[1].ends_with('…'), "{t}");
        assert!(
            lines[2].starts_with("Kremlin            organization  -"),
            "{t}"
        );
        assert!(t.contains("Unattributed quotations (1):\n  “who?”"), "{t}");
        assert!(t.contains("Anonymous sources: 1. Vague sources: 2."), "{t}");
    }
}
