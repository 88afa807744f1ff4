//! `quote-mismatch`: the same quotation twice with different wording, or the same words given
//! to two speakers.

use super::{Check, CheckMeta, Finding, Severity};
use crate::engine::Analysis;
use crate::engine::quotes::{Quote, QuoteKind, SpeakerClass};

pub struct QuoteMismatch;

static META: CheckMeta = CheckMeta {
    code: "quote-mismatch",
    default_severity: Severity::Warning,
    summary: "A quotation repeated with different wording, or given to two speakers",
    explanation: "\
## What it flags
A quotation that appears twice in the story with slightly different words (a pull quote, a
summary paragraph or a repeated line that no longer matches the body), and the same words
given to two different speakers.

## Why
A quotation is a promise that these were the speaker's exact words. Two versions cannot both
be exact, and the same words cannot have been said by two people unless the story says so.
Usually one copy was edited and the other was not.

## Example
```text
“We will never give up the port,” Ruiz said.

Later she repeated: “We will never give up this port.”
```
Check the notes or the recording and make both copies match.
",
};

/// Lowercase words without punctuation.
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Share of distinct words two quotations have in common (Jaccard), a cheap first filter.
fn overlap(a: &[String], b: &[String]) -> f64 {
    let sa: std::collections::HashSet<&String> = a.iter().collect();
    let sb: std::collections::HashSet<&String> = b.iter().collect();
    let inter = sa.intersection(&sb).count();
    let union = sa.len() + sb.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

fn speaker_key(q: &Quote) -> Option<String> {
    let s = q.speaker.as_ref()?;
    if matches!(s.class, SpeakerClass::Pronoun) && s.entity.is_none() {
        return None;
    }
    Some(
        s.entity
            .map_or_else(|| s.name.to_lowercase(), |e| format!("#{e}")),
    )
}

impl Check for QuoteMismatch {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        // Quotations of six words or more: shorter ones repeat by chance.
        let qs: Vec<(&Quote, Vec<String>)> = analysis
            .quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::NotAQuote)
            .map(|q| (q, words(&q.content)))
            .filter(|(_, w)| w.len() >= 6)
            .collect();
        let mut flagged = std::collections::HashSet::new();
        for (j, (later, wl)) in qs.iter().enumerate() {
            for (earlier, we) in &qs[..j] {
                if overlap(wl, we) < 0.5 {
                    continue;
                }
                let (a, b) = (wl.join(" "), we.join(" "));
                let message = if a == b {
                    match (speaker_key(earlier), speaker_key(later)) {
                        (Some(x), Some(y)) if x != y => {
                            let name = |q: &Quote| {
                                q.speaker.as_ref().map_or(String::new(), |s| s.name.clone())
                            };
                            format!(
                                "The same words are given to {} here and to {} earlier",
                                name(later),
                                name(earlier)
                            )
                        }
                        _ => continue,
                    }
                } else if a.contains(&b) || b.contains(&a) {
                    // One quotes part of the other: an excerpt, not a mismatch.
                    continue;
                } else if strsim::normalized_levenshtein(&a, &b) >= 0.8 {
                    "This quotation appears earlier in the story with different wording".to_string()
                } else {
                    continue;
                };
                if flagged.insert(later.range) {
                    out.push(Finding {
                        code: META.code,
                        severity: META.default_severity,
                        range: later.range,
                        message,
                        fixes: Vec::new(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_a_repeated_quote_with_different_wording() {
        check(
            "quote-mismatch",
            "“We will never give up the port to anyone,” Ana Ruiz said.

Later she repeated: “We will never give up this port to anyone.”
                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-mismatch
",
        );
    }

    #[test]
    fn flags_the_same_words_given_to_two_speakers() {
        check(
            "quote-mismatch",
            "“We will never give up the port to anyone,” Ana Ruiz said.

“We will never give up the port to anyone,” Tom Reed said.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-mismatch
",
        );
    }

    #[test]
    fn exact_repeats_excerpts_and_short_quotes_are_fine() {
        check(
            "quote-mismatch",
            "“We will never give up the port to anyone,” Ana Ruiz said.

Ruiz, who said “we will never give up the port”, left. “Yes,” she said. “No,” she added.

“We will never give up the port to anyone,” Ruiz said again.
",
        );
    }
}
