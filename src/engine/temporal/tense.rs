//! Tense and speech time: the clause facts that decide how a weekday or a yearless date
//! resolves.
//!
//! Rules, in order (the first that applies wins):
//! 1. A cue inside the expression or the word right before it: "ago", "last", "past",
//!    "since", "earlier" → past; "next", "coming", "until", "later" → future.
//! 2. The nearest tense-bearing verb in the same clause region (inside the same quotation, or
//!    the sentence outside quotations): "will", "’ll", "is expected to" → future; "was",
//!    "had", "said", an irregular past form or a finite "-ed" form → past; "is", "says" →
//!    present. Nearest means fewest tokens away, ties going to the verb before the expression.
//!
//! Quotations are found here as well (paired typographic or straight double quotes), so that a
//! date inside a quote can be anchored to when it was spoken: "“…last week…,” said X on
//! Monday" resolves "last week" against that Monday.

use super::lexicon::{
    F_QUARTER, F_QUOTE, F_SPEECH, F_TENSE, Kw, Lex, Tok, TokKind, Tokens, lower16,
};
use super::recognise::{RawTimex, Sem, Tense};
use crate::engine::text::TextRange;

/// Quotation spans of a paragraph (marks included), from paired double quotation marks.
pub fn quote_spans(tokens: &Tokens) -> Vec<TextRange> {
    let mut out = Vec::new();
    quote_spans_into(tokens, &mut out);
    out
}

/// [`quote_spans`] into `out` (cleared first), so that one buffer serves many paragraphs.
pub fn quote_spans_into(tokens: &Tokens, out: &mut Vec<TextRange>) {
    out.clear();
    let mut open: Option<usize> = None;
    let mut straight_open: Option<usize> = None;
    // The tokenizer lists the quotation marks ([`F_QUOTE`]).
    for t in tokens.marked(F_QUOTE).filter_map(|i| tokens.toks.get(i)) {
        match t.kind {
            TokKind::Punct('“') => open = Some(t.start),
            TokKind::Punct('”') => {
                if let Some(s) = open.take() {
                    out.push(TextRange::new(s, t.end));
                }
            }
            TokKind::Punct('"') => match straight_open.take() {
                Some(s) => out.push(TextRange::new(s, t.end)),
                None => straight_open = Some(t.start),
            },
            _ => {}
        }
    }
    out.sort();
}

fn cue_tense(cue: &str) -> Option<Tense> {
    match cue {
        "ago" | "last" | "past" | "previous" | "earlier" | "since" => Some(Tense::Past),
        "next" | "coming" | "following" | "later" | "until" => Some(Tense::Future),
        _ => None,
    }
}

/// Whether [`verb_tense`] can find a tense in the token: a grammar word or an irregular past
/// form it knows, a word it reads by spelling ([`F_TENSE`]), or an "-ed" form.
fn may_have_tense(t: &Tok) -> bool {
    t.kind == TokKind::Word
        && match t.lex {
            Lex::Kw(k) => matches!(
                k,
                Kw::Will
                    | Kw::Shall
                    | Kw::Going
                    | Kw::Would
                    | Kw::Was
                    | Kw::Were
                    | Kw::Had
                    | Kw::Did
                    | Kw::Said
                    | Kw::Told
                    | Kw::Added
                    | Kw::Has
                    | Kw::Have
                    | Kw::Is
                    | Kw::Are
                    | Kw::Am
                    | Kw::Says
                    | Kw::Do
                    | Kw::Does
            ),
            Lex::PastVerb => true,
            Lex::Other => t.flags & F_TENSE != 0 || t.ed && !t.cap,
            _ => false,
        }
}

/// The tense a token signals, if any; `i` indexes `toks`.
fn verb_tense(toks: &[Tok], i: usize, text: &str, before_expr: bool) -> Option<Tense> {
    let t = toks.get(i)?;
    if !may_have_tense(t) {
        return None;
    }
    let prev = i.checked_sub(1).and_then(|p| toks.get(p));
    let prev_kw = prev.and_then(Tok::kw);
    match t.lex {
        Lex::Kw(Kw::Will | Kw::Shall) => return Some(Tense::Future),
        Lex::Kw(Kw::Going) if toks.get(i + 1).and_then(Tok::kw) == Some(Kw::To) => {
            return Some(Tense::Future);
        }
        Lex::Kw(Kw::Would) => return Some(Tense::Future),
        Lex::Kw(Kw::Was | Kw::Were | Kw::Had | Kw::Did | Kw::Said | Kw::Told | Kw::Added) => {
            return Some(Tense::Past);
        }
        Lex::Other if text[t.start..t.end].eq_ignore_ascii_case("could") => {
            return Some(Tense::Past);
        }
        // The present perfect ("has fluctuated", "have gathered") tells of the past.
        Lex::Kw(Kw::Has | Kw::Have)
            if toks.get(i + 1).is_some_and(|n| {
                n.kind == TokKind::Word
                    && (n.ed && n.lex == Lex::Other
                        || matches!(n.lex, Lex::PastVerb | Lex::Kw(Kw::Been)))
            }) =>
        {
            return Some(Tense::Past);
        }
        Lex::Kw(Kw::Is | Kw::Are | Kw::Am | Kw::Says | Kw::Has | Kw::Have | Kw::Do | Kw::Does) => {
            return Some(Tense::Present);
        }
        Lex::PastVerb => {
            if prev_kw.is_some_and(Kw::precedes_participle) {
                return None;
            }
            return Some(Tense::Past);
        }
        _ => {}
    }
    let w = &text[t.start..t.end];
    // "expected to", "scheduled to", "plans to", "set to", "due to" look ahead, to what
    // follows them ("planned to leave on Thursday"; but "On Friday, the government planned
    // to …" is a past plan).
    let mut buf = [0u8; 16];
    let lw = lower16(w, &mut buf);
    // A plan in the past perfect is over ("had been scheduled to expire Friday").
    let past_perfect = (1..=2)
        .any(|k| i.checked_sub(k).and_then(|p| toks.get(p)).and_then(Tok::kw) == Some(Kw::Had));
    if past_perfect
        && matches!(
            lw,
            b"planned" | b"scheduled" | b"expected" | b"due" | b"set"
        )
    {
        return Some(Tense::Past);
    }
    if before_expr && matches!(lw, b"planned" | b"scheduled") {
        return Some(Tense::Future);
    }
    // A plan in the present looks forward from either side ("On Tuesday, the league plans to
    // hold a news conference").
    if toks.get(i + 1).and_then(Tok::kw) == Some(Kw::To)
        && matches!(
            lw,
            b"plans" | b"plan" | b"intends" | b"expects" | b"hopes" | b"aims"
        )
    {
        return Some(Tense::Future);
    }
    if before_expr
        && toks.get(i + 1).and_then(Tok::kw) == Some(Kw::To)
        && matches!(
            lw,
            b"expected"
                | b"scheduled"
                | b"plans"
                | b"plan"
                | b"planned"
                | b"planning"
                | b"preparing"
                | b"set"
                | b"due"
                | b"intends"
                | b"intend"
                | b"hopes"
                | b"aims"
                | b"ready"
        )
    {
        return Some(Tense::Future);
    }
    if t.ed && t.lex == Lex::Other && !t.cap {
        // A finite past form follows its subject; a participle follows an auxiliary or a
        // determiner ("has announced", "the proposed merger").
        let after_aux =
            prev_kw.is_some_and(|k| k.precedes_participle() || matches!(k, Kw::Will | Kw::Would));
        let by_after = toks.get(i + 1).and_then(Tok::kw) == Some(Kw::By);
        // An "-ed" word after a preposition, a possessive or a degree word is an adjective
        // ("an unspecified date", "its proposed merger", "in limited trading").
        let adjectival = prev.is_some_and(|p| {
            matches!(
                p.kw(),
                Some(
                    Kw::Of
                        | Kw::In
                        | Kw::On
                        | Kw::At
                        | Kw::For
                        | Kw::From
                        | Kw::To
                        | Kw::This
                        | Kw::That
                        | Kw::These
                )
            ) || p.kind == TokKind::Word
                && matches!(
                    lower16(&text[p.start..p.end], &mut [0u8; 16]),
                    b"its"
                        | b"their"
                        | b"his"
                        | b"her"
                        | b"our"
                        | b"still"
                        | b"very"
                        | b"newly"
                        | b"well"
                        | b"fully"
                        | b"with"
                        | b"as"
                        | b"more"
                        | b"most"
                        | b"less"
                )
        });
        if !after_aux && !by_after && !adjectival {
            return Some(Tense::Past);
        }
    }
    None
}

/// Which tokens lie inside a quotation (`quotes` as from [`quote_spans`]): one flag per token,
/// or no flags at all when there is no quotation (readers take a missing flag as `false`).
pub fn quoted_tokens(toks: &[Tok], quotes: &[TextRange]) -> Vec<bool> {
    let mut inside = Vec::new();
    quoted_tokens_into(toks, quotes, &mut inside);
    inside
}

/// [`quoted_tokens`] into `inside` (cleared first), so that one buffer serves many paragraphs.
pub fn quoted_tokens_into(toks: &[Tok], quotes: &[TextRange], inside: &mut Vec<bool>) {
    inside.clear();
    if quotes.is_empty() {
        return;
    }
    inside.resize(toks.len(), false);
    for q in quotes {
        let lo = toks.partition_point(|t| t.start < q.start);
        let rest = toks.get(lo..).unwrap_or(&[]);
        // The tokens starting inside the quotation; as tokens do not overlap, only the last of
        // them can end past it.
        let mut hi = lo + rest.partition_point(|t| t.start < q.end);
        if hi > lo && toks.get(hi - 1).is_some_and(|t| t.end > q.end) {
            hi -= 1;
        }
        if let Some(f) = inside.get_mut(lo..hi) {
            f.fill(true);
        }
    }
}

/// Sorted spans that do not overlap, so that a binary search finds the one holding a range.
fn disjoint(spans: &[TextRange]) -> bool {
    spans.iter().all(|s| s.start <= s.end) && spans.windows(2).all(|w| w[0].end <= w[1].start)
}

/// The first of `spans` that contains `r`: by binary search when the spans are `disjoint`
/// (at most one can hold a non-empty range), else by a linear search.
fn holding(spans: &[TextRange], is_disjoint: bool, r: TextRange) -> Option<TextRange> {
    if is_disjoint && r.start < r.end {
        let k = spans.partition_point(|s| s.start <= r.start);
        k.checked_sub(1)
            .and_then(|k| spans.get(k))
            .copied()
            .filter(|s| s.contains_range(r))
    } else {
        spans.iter().find(|s| s.contains_range(r)).copied()
    }
}

/// Sets `tense` and `speech` on each recognised expression of a paragraph. `quoted` flags the
/// tokens inside a quotation ([`quoted_tokens`]).
///
/// Linear in the paragraph for sorted sentences and quotations that do not overlap (the usual
/// case): the sentence or quotation of an expression is found by binary search, and whether a
/// sentence mentions quarters from the sorted positions of the quarter words.
pub fn annotate(
    text: &str,
    tokens: &Tokens,
    sentences: &[TextRange],
    quotes: &[TextRange],
    quoted: &[bool],
    timexes: &mut [RawTimex],
) {
    // Nothing to annotate, and no timex to say when a quotation was spoken.
    if timexes.is_empty() {
        return;
    }
    let toks = &tokens.toks[..];
    // Token index of each timex start and end (timexes are in order, tokens too).
    let tok_at = |offset: usize| toks.partition_point(|t| t.start < offset);
    // `tok_at` of an offset known to give at most `hi` (at or before a timex start), or at
    // least `lo` (at or after its end): a search of fewer tokens.
    let tok_before = |hi: usize, offset: usize| {
        toks.get(..hi).map_or_else(
            || tok_at(offset),
            |ts| ts.partition_point(|t| t.start < offset),
        )
    };
    let tok_after = |lo: usize, offset: usize| {
        toks.get(lo..).map_or_else(
            || tok_at(offset),
            |ts| lo + ts.partition_point(|t| t.start < offset),
        )
    };
    let sentences_disjoint = disjoint(sentences);
    let quotes_disjoint = disjoint(quotes);
    // Token indices of the word "quarter(s)", in order (most paragraphs have none).
    let quarters: Vec<usize> = tokens.marked(F_QUARTER).collect();
    // Whether a quarter word lies among tokens lo..hi.
    let quarter_between = |lo: usize, hi: usize| {
        quarters
            .get(quarters.partition_point(|&q| q < lo))
            .is_some_and(|&q| q < hi)
    };
    for tx in timexes.iter_mut() {
        let first = tok_at(tx.range.start);
        // The token after the expression, found once.
        let after = tok_after(first, tx.range.end);
        let holder = holding(sentences, sentences_disjoint, tx.range);
        // The holding sentence's tokens, found once (it holds the expression).
        let holder_toks = holder.map(|s| (tok_before(first, s.start), tok_after(after, s.end)));
        if let Some((lo, hi)) = holder_toks {
            tx.quarter_context = lo < hi && hi <= toks.len() && quarter_between(lo, hi);
        }
        let prev_word = first
            .checked_sub(1)
            .and_then(|p| toks.get(p))
            .and_then(Tok::kw);
        let prep_cue = match prev_word {
            Some(Kw::Since) => Some("since"),
            Some(Kw::Until) => Some("until"),
            _ => None,
        };
        if tx.cue.is_none() {
            tx.cue = prep_cue;
        }
        // "as soon as Tuesday", "as early as next week" look forward.
        let as_soon = first >= 3
            && toks.get(first - 3).is_some_and(|t| {
                t.kind == TokKind::Word && text[t.start..t.end].eq_ignore_ascii_case("as")
            })
            && toks.get(first - 2).is_some_and(|t| {
                matches!(
                    lower16(&text[t.start..t.end], &mut [0u8; 16]),
                    b"soon" | b"early"
                )
            })
            && toks
                .get(first - 1)
                .is_some_and(|t| text[t.start..t.end].eq_ignore_ascii_case("as"));
        // "effective Feb. 1": a change takes effect on a coming date.
        let effective = first >= 1
            && toks.get(first - 1).is_some_and(|t| {
                t.kind == TokKind::Word && text[t.start..t.end].eq_ignore_ascii_case("effective")
            });
        if (as_soon || effective) && tx.cue.is_none() {
            tx.tense = Tense::Future;
            continue;
        }
        // A possessive ("Friday's decision") looks back.
        let possessive = toks
            .get(after)
            .is_some_and(|t| t.is_punct('\'') || t.is_punct('’'))
            && toks
                .get(after + 1)
                .is_some_and(|t| &text[t.start..t.end] == "s");
        if possessive && tx.cue.is_none() {
            tx.tense = Tense::Past;
            continue;
        }
        // "until" points forward unless its clause is in the past ("Until Thursday, they had
        // not called him a suspect").
        if let Some(t) = tx.cue.filter(|c| *c != "until").and_then(cue_tense) {
            tx.tense = t;
            continue;
        }
        // The clause region: the quotation holding the expression, else its sentence.
        let quote = holding(quotes, quotes_disjoint, tx.range);
        let sentence = holder.unwrap_or(tx.range);
        let region = quote.unwrap_or(sentence);
        let (lo, hi) = match (quote, holder_toks) {
            (None, Some(bounds)) => bounds,
            // The region holds the expression.
            _ => (
                tok_before(first, region.start),
                tok_after(after, region.end),
            ),
        };
        let last = after;
        let in_other_quote = |i: usize| quote.is_none() && quoted.get(i).copied().unwrap_or(false);
        // Look outwards from the expression on each side for the nearest verb with a tense.
        // A reporting verb ("said") ends the search on its side: what lies beyond it is another
        // clause. It governs the expression itself only right before it ("said on Friday") or
        // when no other verb is found.
        let is_reporting = |i: usize| {
            toks.get(i).is_some_and(|t| {
                matches!(t.lex, Lex::Kw(Kw::Said | Kw::Says | Kw::Told | Kw::Added))
            })
        };
        let mut best: Option<(usize, Tense)> = None;
        let mut reporting: Option<(usize, Tense)> = None;
        let mut left = (lo..first.min(hi)).rev().map(|i| (i, (first - i) * 2));
        let mut right = (last..hi).map(|i| (i, (i - last) * 2 + 1));
        for side in [
            &mut left as &mut dyn Iterator<Item = (usize, usize)>,
            &mut right,
        ] {
            for (i, dist) in side {
                if in_other_quote(i) {
                    continue;
                }
                let Some(t) = verb_tense(toks, i, text, i < first) else {
                    continue;
                };
                let slot = if is_reporting(i) && !(i < first && first - i <= 2) {
                    &mut reporting
                } else {
                    &mut best
                };
                if slot.is_none_or(|(d, _)| dist < d) {
                    *slot = Some((dist, t));
                }
                break;
            }
        }
        match (best.or(reporting), tx.cue) {
            (Some((_, Tense::Past)), Some("until"))
                if toks.get(lo..hi).is_some_and(|ts| {
                    ts.iter()
                        .any(|t| matches!(t.lex, Lex::Kw(Kw::Had | Kw::Was | Kw::Were | Kw::Did)))
                }) =>
            {
                tx.tense = Tense::Past;
            }
            (_, Some("until")) => tx.tense = Tense::Future,
            (Some((_, t)), _) => tx.tense = t,
            (None, _) => {}
        }
    }
    let disjoint = (sentences_disjoint, quotes_disjoint);
    link_speech(text, tokens, sentences, quotes, quoted, disjoint, timexes);
}

/// For each quotation, the timex that says when it was spoken: a day-level expression right
/// after a speech verb in the same sentence, outside the quotation ("…,” said Heusgen on
/// Monday"; "Heusgen said on Monday: “…”"). `disjoint` says of `sentences` and `quotes`
/// whether they are [`disjoint`].
fn link_speech(
    text: &str,
    tokens: &Tokens,
    sentences: &[TextRange],
    quotes: &[TextRange],
    quoted: &[bool],
    (sentences_disjoint, quotes_disjoint): (bool, bool),
    timexes: &mut [RawTimex],
) {
    let toks = &tokens.toks[..];
    // Timexes are in text order: those starting after `offset` begin at this index.
    let starts_after = |timexes: &[RawTimex], offset: usize| {
        timexes.partition_point(|tx| tx.range.start <= offset)
    };
    for q in quotes {
        // The first sentence overlapping the quotation: with disjoint sorted sentences, the
        // first that ends after the quotation starts, if it overlaps at all.
        let first_overlap = if sentences_disjoint {
            let k = sentences.partition_point(|s| s.end <= q.start);
            sentences.get(k).copied().filter(|s| s.overlaps(*q))
        } else {
            sentences.iter().find(|s| s.overlaps(*q)).copied()
        };
        let Some(sentence) = first_overlap else {
            continue;
        };
        let sentence = TextRange::new(sentence.start.min(q.start), sentence.end.max(q.end));
        // Speech verbs in the sentence, outside any quotation: every one is flagged
        // ([`F_SPEECH`]) and listed by the tokenizer, so only the listed tokens are read.
        // The sentence's tokens are those starting inside it (tokens are sorted by start), so
        // the short list is searched by offset rather than the tokens by index.
        let mut found: Option<usize> = None;
        let starts_at = |i: usize| toks.get(i).map_or(usize::MAX, |t| t.start);
        let marked = &tokens.marked[..];
        let listed = marked
            .get(marked.partition_point(|&i| starts_at(i) < sentence.start)..)
            .unwrap_or(&[]);
        for &i in listed.iter().take_while(|&&i| starts_at(i) < sentence.end) {
            let Some(t) = toks.get(i).filter(|t| t.flags & F_SPEECH != 0) else {
                continue;
            };
            if quoted.get(i).copied().unwrap_or(false) {
                continue;
            }
            let speech = matches!(t.lex, Lex::Kw(Kw::Said | Kw::Says | Kw::Told | Kw::Added))
                || (t.kind == TokKind::Word
                    && t.flags & F_SPEECH != 0
                    && matches!(
                        lower16(&text[t.start..t.end], &mut [0u8; 16]),
                        b"stated" | b"declared" | b"wrote" | b"insisted" | b"argued"
                    ));
            if !speech {
                continue;
            }
            // The first day-level timex within a few tokens after the verb.
            let window_end = toks
                .get(i + 8)
                .map_or(sentence.end, |t| t.start)
                .min(sentence.end);
            let from = starts_after(timexes, t.end);
            found = timexes
                .get(from..)
                .unwrap_or(&[])
                .iter()
                .take_while(|tx| tx.range.start < window_end)
                .position(|tx| {
                    holding(quotes, quotes_disjoint, tx.range).is_none()
                        && matches!(
                            tx.sem,
                            Sem::Weekday { .. } | Sem::DayOffset(_) | Sem::Date { .. }
                        )
                })
                .map(|k| from + k);
            if found.is_some() {
                break;
            }
        }
        let Some(k) = found else { continue };
        // Only timexes starting inside the quotation can lie in it.
        let from = timexes.partition_point(|tx| tx.range.start < q.start);
        for (idx, tx) in timexes.iter_mut().enumerate().skip(from) {
            if tx.range.start >= q.end {
                break;
            }
            if idx != k && q.contains_range(tx.range) {
                tx.speech = u32::try_from(k).ok();
            }
        }
    }
}
