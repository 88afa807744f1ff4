//! `quote-mismatch`: the same quotation twice with different wording, or the same words given
//! to two speakers.

use std::collections::HashMap;

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

/// Share of distinct words two quotations have in common (Jaccard), on sorted word-id sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// The Jaccard threshold below which two quotations are not compared further.
const MIN_OVERLAP: f64 = 0.5;

/// Pairs `(earlier, later)` of quotations whose word sets have a Jaccard similarity of at least
/// [`MIN_OVERLAP`], found by prefix filtering (Chaudhuri et al. 2006): with the words of every
/// set ordered rarest first, two sets that similar must share a word among the first
/// `|s| - ceil(t·|s|) + 1` words of each. Only quotations sharing such a word are compared, so
/// the check stays near-linear on a long manuscript instead of comparing every pair.
fn similar_pairs(sets: &[Vec<u32>], vocabulary: usize) -> Vec<(usize, usize)> {
    let mut df = vec![0u32; vocabulary];
    for set in sets {
        for &w in set {
            df[w as usize] += 1;
        }
    }
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut seen = vec![usize::MAX; sets.len()];
    let mut pairs = Vec::new();
    for (j, set) in sets.iter().enumerate() {
        let mut ordered = set.clone();
        ordered.sort_by_key(|&w| (df[w as usize], w));
        let prefix = set.len() - (MIN_OVERLAP * set.len() as f64).ceil() as usize + 1;
        for &w in &ordered[..prefix.min(ordered.len())] {
            if let Some(earlier) = index.get(&w) {
                for &i in earlier {
                    if seen[i] != j {
                        seen[i] = j;
                        // Jaccard similarity is at most |small| / |large|: skip pairs whose
                        // sizes alone rule it out before merging their words.
                        let (small, large) = if sets[i].len() < set.len() {
                            (sets[i].len(), set.len())
                        } else {
                            (set.len(), sets[i].len())
                        };
                        if (small as f64) < MIN_OVERLAP * large as f64 {
                            continue;
                        }
                        if jaccard(&sets[i], set) >= MIN_OVERLAP {
                            pairs.push((i, j));
                        }
                    }
                }
            }
            index.entry(w).or_default().push(j);
        }
    }
    pairs.sort_unstable_by_key(|&(i, j)| (j, i));
    pairs
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
        let mut vocabulary: HashMap<&str, u32> = HashMap::new();
        let sets: Vec<Vec<u32>> = qs
            .iter()
            .map(|(_, ws)| {
                let mut ids: Vec<u32> = ws
                    .iter()
                    .map(|w| {
                        let next = vocabulary.len() as u32;
                        *vocabulary.entry(w.as_str()).or_insert(next)
                    })
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        let mut flagged = std::collections::HashSet::new();
        for (i, j) in similar_pairs(&sets, vocabulary.len()) {
            let ((earlier, we), (later, wl)) = (&qs[i], &qs[j]);
            if flagged.contains(&later.range) {
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

#[cfg(test)]
mod tests {
    use super::{MIN_OVERLAP, jaccard, similar_pairs};
    use crate::engine::checks::testing::check;

    #[test]
    fn prefix_filter_finds_exactly_the_similar_pairs() {
        // Pseudo-random word sets over a small vocabulary, so that many pairs are similar.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20 {
            let sets: Vec<Vec<u32>> = (0..60)
                .map(|_| {
                    let len = 6 + (next() % 8) as usize;
                    let mut s: Vec<u32> = (0..len).map(|_| (next() % 14) as u32).collect();
                    s.sort_unstable();
                    s.dedup();
                    s
                })
                .collect();
            let mut brute = Vec::new();
            for j in 0..sets.len() {
                for i in 0..j {
                    if jaccard(&sets[i], &sets[j]) >= MIN_OVERLAP {
                        brute.push((i, j));
                    }
                }
            }
            assert_eq!(similar_pairs(&sets, 14), brute);
        }
    }

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
