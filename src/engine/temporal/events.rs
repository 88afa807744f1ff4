//! Past-tense events a reader may need a date for.
//!
//! Paragraph stage: a verb from `data/temporal/event_verbs.txt` ("announced", "called on") is
//! an event when it is finite past tense in the reporter's own words: not inside a quotation,
//! not after an auxiliary or a determiner ("has signed", "had met", "the launched product"),
//! not a passive participle ("sanctions imposed by the West"), not in a question, and with a
//! subject-like word before it. Tuned for precision: when in doubt, no event.
//!
//! Document stage ([`super::resolve`]) decides whether each event is dated.

use std::sync::LazyLock;

use super::lexicon::{F_EVENT, Kw, Lex, Tok, TokKind, Tokens, WordMap, lower16};
use crate::engine::text::TextRange;

const EVENT_VERBS: &str = include_str!("../data/temporal/event_verbs.txt");

/// First word → possible second words ("" for a one-word verb).
static VERBS: LazyLock<WordMap<Vec<&'static str>>> = LazyLock::new(|| {
    let mut m: WordMap<Vec<&'static str>> = WordMap::default();
    for line in EVENT_VERBS.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        if let Some(first) = words.next() {
            m.entry(first).or_default().push(words.next().unwrap_or(""));
        }
    }
    m
});

/// The first words of the event verbs, for the tokenizer's [`super::lexicon::F_EVENT`] flag.
pub(super) fn first_words() -> impl Iterator<Item = &'static str> {
    EVENT_VERBS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
}

/// An event verb in a paragraph (paragraph-relative).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawEvent {
    pub verb: TextRange,
    /// Index into the paragraph's sentences.
    pub sentence: usize,
}

/// Finds event verbs, at most one per sentence (the first); `quoted` flags the tokens inside a
/// quotation ([`super::tense::quoted_tokens`]).
pub fn scan(
    text: &str,
    tokens: &Tokens,
    sentences: &[TextRange],
    quoted: &[bool],
) -> Vec<RawEvent> {
    let toks = &tokens.toks[..];
    // Only a word the tokenizer found among the verbs' first words ([`F_EVENT`]) can be one:
    // most paragraphs have a few, many none.
    let mut out = Vec::new();
    if tokens.marked(F_EVENT).next().is_none() {
        return out;
    }
    // The marked tokens (of every kind, in order), read from each sentence's first.
    let marked = &tokens.marked[..];
    for (si, s) in sentences.iter().enumerate() {
        let body = s.of(text).trim_end();
        if body.ends_with('?') || body.ends_with("?”") || body.ends_with("?\"") {
            continue;
        }
        let lo = toks.partition_point(|t| t.start < s.start);
        let hi = toks.partition_point(|t| t.start < s.end);
        let from = marked.partition_point(|&c| c < lo);
        for &i in marked.get(from..).unwrap_or(&[]) {
            if i >= hi {
                break;
            }
            let Some(t) = toks.get(i) else { break };
            if t.flags & F_EVENT == 0 {
                continue;
            }
            // Every verb in the list ends in "-ed", is an irregular past form, or is "hit"
            // (compared as bytes: tokens lie on character boundaries).
            let candidate = t.kind == TokKind::Word
                && (matches!(t.lex, Lex::PastVerb) || {
                    let w = text.as_bytes().get(t.start..t.end).unwrap_or(&[]);
                    w.ends_with(b"ed") || w.eq_ignore_ascii_case(b"hit")
                });
            if !candidate || t.cap && i != lo || quoted.get(i).copied().unwrap_or(false) {
                continue;
            }
            // Every verb in the list is at most 16 bytes long.
            let mut buf = [0u8; 16];
            let lower = std::str::from_utf8(lower16(&text[t.start..t.end], &mut buf)).unwrap_or("");
            let Some(seconds) = VERBS.get(lower) else {
                continue;
            };
            let mut end = t.end;
            let mut matched = false;
            for second in seconds {
                if second.is_empty() {
                    matched = true;
                } else if let Some(n) = toks.get(i + 1)
                    && n.kind == TokKind::Word
                    && text[n.start..n.end].eq_ignore_ascii_case(second)
                {
                    matched = true;
                    end = n.end;
                    break;
                }
            }
            if !matched || i == lo {
                continue;
            }
            let prev = toks.get(i - 1);
            let prev_ok = prev.is_some_and(|p| {
                let aux = p.kw().is_some_and(|k| {
                    k.precedes_participle()
                        || matches!(
                            k,
                            Kw::To
                                | Kw::Will
                                | Kw::Would
                                | Kw::Not
                                | Kw::Of
                                | Kw::In
                                | Kw::On
                                | Kw::At
                                | Kw::By
                                | Kw::For
                                | Kw::From
                                | Kw::And
                                | Kw::Or
                                | Kw::That
                                | Kw::Did
                                | Kw::Who
                                | Kw::Which
                        )
                });
                let word = p.kind == TokKind::Word
                    || p.is_punct('’')
                    || p.is_punct('\'')
                    || p.is_punct(')');
                word && !aux && !text[p.start..p.end].eq_ignore_ascii_case("newly")
            });
            let passive = toks.get(i + 1).and_then(Tok::kw) == Some(Kw::By) && end == t.end;
            if prev_ok && !passive {
                out.push(RawEvent {
                    verb: TextRange::new(t.start, end),
                    sentence: si,
                });
                break;
            }
        }
    }
    out
}
