//! `copydesk explain [CODE]`: what each check flags and why, from the check registry.
//!
//! Contract: the text comes only from [`crate::engine::checks::REGISTRY`], so `explain`, the
//! editor's diagnostic links and `docs/checks.md` (the output of `explain --markdown`, kept up
//! to date by a test) can never disagree. In the Markdown document each check's heading is its
//! code, preceded by an `<a id="CODE">` anchor, so `docs/checks.md#CODE` links to it.

use std::io::Write;

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::engine::checks::{CheckMeta, REGISTRY};

/// The command that regenerates `docs/checks.md`.
pub const REGENERATE_DOCS: &str = "cargo run --quiet -- explain --markdown > docs/checks.md";

fn metas() -> impl Iterator<Item = &'static CheckMeta> {
    REGISTRY.iter().map(|c| c.meta())
}

/// Runs `explain`: one check when `code` is given, else the list (or, with `markdown`, every
/// explanation as one Markdown document). Returns the exit status.
pub fn run(code: Option<&str>, markdown: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = match code {
        None if markdown => markdown_document(),
        None => list(),
        Some(code) => match metas().find(|m| m.code == code.trim()) {
            Some(meta) if markdown => markdown_section(meta),
            Some(meta) => one(meta),
            None => {
                let _ = writeln!(err, "{}", unknown(code));
                return EXIT_ERROR;
            }
        },
    };
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => EXIT_ERROR,
        _ => EXIT_CLEAN,
    }
}

/// The error for an unknown code: the closest code, if one is close, and the list of codes.
fn unknown(code: &str) -> String {
    let mut msg = format!("error: no check has the code `{code}`.");
    let closest = metas()
        .map(|m| (strsim::jaro_winkler(m.code, code), m.code))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.8);
    if let Some((_, c)) = closest {
        msg.push_str(&format!(" Did you mean `{c}`?"));
    }
    msg.push_str("\nKnown codes:\n");
    for m in metas() {
        msg.push_str(&format!("  {}\n", m.code));
    }
    msg.push_str("Run `copydesk explain` for a list with summaries.");
    msg
}

/// Every check: code, default severity and summary, aligned in columns.
pub fn list() -> String {
    let width = metas().map(|m| m.code.len()).max().unwrap_or(4).max(4);
    let mut s = format!("{:width$}  {:8}  SUMMARY\n", "CODE", "SEVERITY");
    for m in metas() {
        s.push_str(&format!(
            "{:width$}  {:8}  {}\n",
            m.code,
            m.default_severity.as_str(),
            m.summary
        ));
    }
    s.push_str("\nRun `copydesk explain CODE` for what a check flags, why, and an example.\n");
    s
}

/// One check for the terminal.
pub fn one(meta: &CheckMeta) -> String {
    format!(
        "{}\ndefault severity: {}\n{}\n\n{}\n",
        meta.code,
        meta.default_severity,
        meta.summary,
        meta.explanation.trim()
    )
}

/// The explanation with every Markdown heading one level deeper, outside code fences, so its
/// `## What it flags` sections sit under the check's own `##` heading.
fn demote_headings(explanation: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in explanation.trim().lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One check as a section of `docs/checks.md`.
pub fn markdown_section(meta: &CheckMeta) -> String {
    format!(
        "<a id=\"{code}\"></a>\n\n## {code}\n\nDefault severity: **{sev}**. {summary}.\n\n{body}",
        code = meta.code,
        sev = meta.default_severity,
        summary = meta.summary,
        body = demote_headings(meta.explanation)
    )
}

/// A Markdown table of every check (code, default severity, summary), each code linking to
/// `{link_base}#{code}`: `""` inside `docs/checks.md`, `"docs/checks.md"` from the README.
pub fn checks_table(link_base: &str) -> String {
    let mut s = String::from("| Code | Default severity | Summary |\n|---|---|---|\n");
    for m in metas() {
        s.push_str(&format!(
            "| [`{c}`]({link_base}#{c}) | {} | {} |\n",
            m.default_severity,
            m.summary,
            c = m.code
        ));
    }
    s
}

/// Every explanation as one Markdown document: the contents of `docs/checks.md`.
pub fn markdown_document() -> String {
    let mut s = String::from("# copydesk checks\n\n");
    s.push_str(&format!(
        "<!-- Generated by `copydesk explain --markdown`; do not edit. Regenerate with:\n     {REGENERATE_DOCS} -->\n\n"
    ));
    s.push_str(
        "Every finding copydesk reports has one of these codes. Turn a check off or change its severity in \
         `copydesk.toml` (`[checks]` table) or in the editor settings; `copydesk explain CODE` prints the \
         same text in a terminal.\n\n",
    );
    s.push_str(&checks_table(""));
    for m in metas() {
        s.push('\n');
        s.push_str(&markdown_section(m));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_demoted_outside_fences() {
        let got = demote_headings("## What it flags\n\n```text\n# not a heading\n```\n## Why\n");
        assert_eq!(
            got,
            "### What it flags\n\n```text\n# not a heading\n```\n### Why\n"
        );
    }

    #[test]
    fn every_check_has_an_anchor_named_by_its_code() {
        let doc = markdown_document();
        for m in metas() {
            assert!(
                doc.contains(&format!("<a id=\"{}\"></a>\n\n## {}\n", m.code, m.code)),
                "{}",
                m.code
            );
        }
    }

    #[test]
    fn unknown_codes_get_a_suggestion_and_the_list() {
        let first = metas().next().unwrap().code;
        let typo = &first[..first.len() - 1];
        let msg = unknown(typo);
        assert!(msg.contains(&format!("Did you mean `{first}`?")), "{msg}");
        assert!(msg.contains(&format!("  {first}\n")), "{msg}");
        assert!(!unknown("zzzz").contains("Did you mean"));
    }
}
