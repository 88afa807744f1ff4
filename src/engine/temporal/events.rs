//! Past-tense events a reader may need a date for.
//!
//! Paragraph stage: a verb from `data/temporal/event_verbs.txt` ("announced", "called on") is
//! an event when it is finite past tense in the reporter's own words: not inside a quotation,
//! not after an auxiliary or a determiner ("has signed", "had met", "the launched product"),
//! not a passive participle ("sanctions imposed by the West"), not in a question, and with a
//! subject-like word before it, and not in a condition ("if elected", "even if Trump lost"),
//! after an adverb that follows an auxiliary or a determiner ("had just signed", "Britain's
//! emotionally charged uprising"), after a possessive determiner ("her adopted home state"),
//! after an object pronoun ("got him elected") or the object of "get" or "have" ("get a
//! budget passed"), or as "left" after an amount ("with a year left") or for the political
//! side ("the far left"). Tuned for precision: when in doubt, no event.
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
            let passive = toks.get(i + 1).and_then(Tok::kw) == Some(Kw::By) && end == t.end
                || toks.get(i + 1).is_some_and(|n| word_is(text, n, "upon"))
                    && toks.get(i + 2).and_then(Tok::kw) == Some(Kw::By);
            if prev_ok && !passive && !not_finite(text, toks, lo, i, end != t.end) {
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

/// Whether `t` is the word `w` (ASCII case-insensitive).
fn word_is(text: &str, t: &Tok, w: &str) -> bool {
    t.kind == TokKind::Word
        && text
            .as_bytes()
            .get(t.start..t.end)
            .is_some_and(|b| b.eq_ignore_ascii_case(w.as_bytes()))
}

/// Adverbs that sit between an auxiliary and its participle ("had just signed", "has also
/// agreed", "have since released"); words in "-ly" are adverbs too.
const ADVERBS: [&str; 11] = [
    "just", "also", "already", "since", "never", "ever", "still", "even", "only", "now", "first",
];

/// Event verbs that take no object ("officials met in Geneva", "voters arrived at dawn"):
/// after a plural noun and before a preposition they are still finite.
const INTRANSITIVE: [&str; 18] = [
    "met",
    "arrived",
    "left",
    "died",
    "voted",
    "began",
    "closed",
    "resigned",
    "collapsed",
    "crashed",
    "erupted",
    "escaped",
    "exploded",
    "fled",
    "protested",
    "won",
    "agreed",
    "opened",
];

/// Words in "-ly" that are no adverbs ("the rally denounced", "the family released").
const LY_NOUNS: [&str; 12] = [
    "rally", "ally", "family", "assembly", "supply", "reply", "monopoly", "anomaly", "bully",
    "homily", "folly", "lily",
];

/// Whether the past form at token `i` (sentence tokens from `lo`), which passed the tests of
/// [`scan`], still is no finite past event: in a condition, a participle after an adverb after
/// an auxiliary or a determiner, after an object pronoun, "left" after an amount, a
/// participle after a plural noun or the object of a preposition and before a preposition,
/// or "long shot"; `two_word`: the verb is one of
/// two words ("called for").
fn not_finite(text: &str, toks: &[Tok], lo: usize, i: usize, two_word: bool) -> bool {
    let word = |j: usize| {
        toks.get(j)
            .filter(|t| t.kind == TokKind::Word)
            .and_then(|t| text.get(t.start..t.end))
    };
    let is = |j: usize, w: &str| toks.get(j).is_some_and(|t| word_is(text, t, w));
    let Some(prev) = word(i - 1) else {
        return false;
    };
    let lower = prev.to_ascii_lowercase();
    // A condition: "if elected", "even if Trump lost", "if they agreed", "If Hillary Clinton
    // is the first woman elected as president, …" (back to the punctuation that ends the
    // clause's run of words).
    for j in (lo..i).rev().take(12) {
        if word(j).is_none() {
            break;
        }
        if is(j, "if") || is(j, "unless") {
            return true;
        }
    }
    // A participle with no subject after a conjunction that opens a clause: "Once elected,",
    // "more than expected" (not "racists once fired").
    let clause_start = i < lo + 2 || word(i - 2).is_none();
    if lower == "than"
        || clause_start
            && matches!(
                lower.as_str(),
                "once" | "when" | "whether" | "though" | "although"
            )
    {
        return true;
    }
    // An object, not a subject: "got him elected", "saw them arrested" (but "many of them
    // signed up").
    if matches!(lower.as_str(), "him" | "them" | "me" | "us")
        && !(i >= lo + 2 && toks[i - 2].kw() == Some(Kw::Of))
    {
        return true;
    }
    // A participle after "having" or after "'s" for "has": "Having announced that …",
    // "who's called for".
    let has = ["who", "he", "she", "it", "that", "there"].iter().any(|w| {
        lower
            .strip_prefix(w)
            .is_some_and(|rest| rest == "'s" || rest == "’s")
    });
    if lower == "having" || has {
        return true;
    }
    // After a possessive determiner, an adjective: "her adopted home state".
    if matches!(
        lower.as_str(),
        "his" | "her" | "its" | "their" | "our" | "my" | "your"
    ) {
        return true;
    }
    // The object of "get" or "have" with what was done to it: "He cannot get a budget
    // passed", "had the plan approved".
    if i >= lo + 3
        && (is(i - 2, "a") || is(i - 2, "the"))
        && [
            "get", "gets", "got", "getting", "have", "has", "had", "having",
        ]
        .iter()
        .any(|w| is(i - 3, w))
    {
        return true;
    }
    // "the left", "the institutional left", "the far left": the political side.
    if is(i, "left")
        && (lower == "the"
            || i >= lo + 2
                && word(i - 2).is_some_and(|w| w.eq_ignore_ascii_case("the"))
                && (matches!(lower.as_str(), "far" | "hard" | "new" | "old" | "whole")
                    || ["al", "ic", "ive"].iter().any(|s| lower.ends_with(s))))
    {
        return true;
    }
    // "elected officials".
    if is(i, "elected")
        && [
            "official",
            "officials",
            "leaders",
            "representatives",
            "lawmakers",
            "members",
        ]
        .iter()
        .any(|w| is(i + 1, w))
    {
        return true;
    }
    // A participle after a plural noun and before a preposition, a clause of its own: "past
    // emails released in the investigation", "immigrants convicted of crimes" (not a verb
    // that takes no object: "officials met in Geneva").
    let plural_noun = prev.len() > 3
        && prev.ends_with('s')
        && !prev.ends_with("ss")
        && (prev.starts_with(|c: char| c.is_ascii_lowercase()) || i == lo + 1);
    if plural_noun
        && !two_word
        && [
            "in", "of", "by", "at", "for", "from", "during", "into", "under", "over", "with",
            "against", "since", "after",
        ]
        .iter()
        .any(|w| is(i + 1, w))
        && toks
            .get(i + 2)
            .is_some_and(|t| t.kind != TokKind::Punct('.'))
        && !INTRANSITIVE.iter().any(|w| is(i, w))
    {
        return true;
    }
    // A participle after the object of a preposition and before a preposition, a clause of
    // its own: "including a birth certificate issued in Hawaii", "parts of his administration
    // charged with", "in states hit hard by" (not "The senator won in Ohio", whose noun
    // opens the sentence).
    if !two_word && !INTRANSITIVE.iter().any(|w| is(i, w)) {
        let noun = |j: usize| {
            toks.get(j).is_some_and(|t| t.kw().is_none())
                && word(j).is_some_and(|w| {
                    w.len() > 2
                        && !w.ends_with("ly")
                        && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                })
        };
        let mut j = i - 1;
        while j > lo && j + 2 >= i && noun(j) {
            j -= 1;
        }
        if j + 1 < i {
            let determiner = [
                "a", "an", "the", "his", "her", "its", "their", "our", "this", "these", "those",
            ]
            .iter()
            .any(|w| is(j, w));
            if determiner && j > lo {
                j -= 1;
            }
            let after_preposition = [
                "of",
                "in",
                "at",
                "for",
                "from",
                "with",
                "including",
                "to",
                "on",
                "into",
                "about",
                "among",
                "across",
                "under",
                "over",
                "against",
            ]
            .iter()
            .any(|w| is(j, w));
            // (Not after other adverbs: "such moments of unity passed quickly in an
            // evening" is the sentence's verb.)
            let k = if is(i + 1, "hard") { i + 2 } else { i + 1 };
            let before_preposition = ["in", "of", "by", "at", "for", "from", "with", "to", "on"]
                .iter()
                .any(|w| is(k, w));
            if after_preposition && before_preposition {
                return true;
            }
        }
    }
    // "his long shot", "a long shot": the noun.
    if is(i, "shot") && lower == "long" {
        return true;
    }
    // "leans left or right".
    if is(i, "left") && (is(i + 1, "or") || is(i + 1, "and")) {
        return true;
    }
    // "with a year left", "days left", "nothing left".
    if is(i, "left")
        && matches!(
            lower.as_str(),
            "year"
                | "years"
                | "month"
                | "months"
                | "week"
                | "weeks"
                | "day"
                | "days"
                | "hour"
                | "hours"
                | "minute"
                | "minutes"
                | "seconds"
                | "time"
                | "nothing"
                | "little"
                | "much"
                | "anything"
                | "something"
                | "few"
                | "none"
        )
    {
        return true;
    }
    // An adverb between an auxiliary or a determiner and the participle: "had just signed",
    // "the newly elected", "Britain's emotionally charged uprising", "an emotionally charged".
    let adverb = ADVERBS.contains(&lower.as_str())
        || lower.len() > 4
            && lower.ends_with("ly")
            && prev.starts_with(|c: char| c.is_ascii_lowercase())
            && !LY_NOUNS.contains(&lower.as_str());
    if adverb && i >= lo + 2 {
        let before = &toks[i - 2];
        if before.kw().is_some_and(|k| {
            k.precedes_participle() || matches!(k, Kw::Will | Kw::Would | Kw::Did | Kw::To)
        }) {
            return true;
        }
        let head = text[..toks[i - 1].start].trim_end();
        let possessive = head.ends_with("'s")
            || head.ends_with("’s")
            || ["his", "her", "its", "their", "our", "my", "your", "an"]
                .iter()
                .any(|w| word_is(text, before, w));
        if possessive {
            return true;
        }
    }
    false
}
