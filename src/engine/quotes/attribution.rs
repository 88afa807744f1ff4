//! Speech cues: who a quotation is attributed to, read from its own paragraph.
//!
//! Contract: [`attribute`] gets the token stream of one paragraph ([`super::words`]) and returns,
//! for each top-level quotation, the cue the paragraph gives for it (speaker words, reporting
//! verb, rule) or `None`. It reads nothing outside the paragraph; continuation across paragraphs
//! and linking to entities happen in the document stage ([`super::resolve`]).
//!
//! Rules, tried in order for each quotation (a cue found by an earlier rule wins):
//! 1. after the quotation: `“…,” said X`, `“…,” X said`, `“…,” X, a spokesman, said`,
//!    `“…,” according to X`;
//! 2. a colon before it: `X said: “…”`, `X: “…”`;
//! 3. a cue earlier in its sentence: `X said that “…”`, `X hailed the “close” ties`,
//!    `X described … as “symbolic”`, `According to X, … “…”`;
//! 4. a cue later in its sentence (`according to X`, or a reporting verb with its subject);
//! 5. another quotation of the same sentence that has a cue;
//! 6. a sentence-initial quotation right after a sentence whose subject reports speech
//!    (`Smith said he would run. “It is time.”`).

use std::borrow::Cow;

use super::lexicon::{
    AMBIGUOUS_BASE, ANONYMOUS, CLAIM_VERB, CUE_WORD, Class, DETERMINER, INSTITUTION, NP_STOP,
    PARTIAL, PHRASE_START, QUANTIFIER, REPORTING, SUBJECT_PRONOUN, TIME_WORD, TITLE, VAGUE,
    VERB_FILLER, lexicon, ly_adverb,
};
use super::words::{Kind, Tok, Tokens};
use super::{Cue, SpeakerClass};
use crate::engine::text::TextRange;

/// What kind of cue a word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Reporting,
    Partial,
    According,
}

pub(super) struct Reader<'a> {
    text: &'a str,
    toks: &'a [Tok],
    /// The words in lowercase ([`Tok::lower`] ranges into it: see [`Tokens::lower`]).
    lower: &'a str,
    /// [`Tokens::caps`].
    caps: &'a [u32],
    /// [`Tokens::cued`].
    cued: &'a [u32],
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str, toks: &'a Tokens) -> Self {
        Reader {
            text,
            toks: &toks.toks,
            lower: &toks.lower,
            caps: &toks.caps,
            cued: &toks.cued,
        }
    }

    fn w(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .map_or("", |t| &self.lower[t.lower.0 as usize..t.lower.1 as usize])
    }

    /// The word-list classes of token `i` (0 past the end).
    fn c(&self, i: usize) -> Class {
        self.toks.get(i).map_or(0, |t| t.class)
    }

    /// Whether token `i` is on any of the word lists in `bits`.
    fn is(&self, i: usize, bits: Class) -> bool {
        self.c(i) & bits != 0
    }

    /// Whether token `i` starts with a capital letter (false past the end).
    fn cap(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.cap)
    }

    fn raw(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.range.of(self.text))
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Word)
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Punct) && self.raw(i) == p
    }

    fn is_quote(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| matches!(t.kind, Kind::Quote(_)))
    }

    /// Whether token `i` is a cue word, used as a verb (not after a determiner: "the report").
    #[inline]
    fn verb(&self, i: usize) -> Option<Verb> {
        // Most tokens are on no cue list: one test of their classes rejects them.
        if !self
            .toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Word && t.class & CUE_WORD != 0)
        {
            return None;
        }
        self.cue_verb(i)
    }

    /// [`Self::verb`] for a word on a cue list.
    fn cue_verb(&self, i: usize) -> Option<Verb> {
        let w = self.w(i);
        let wc = self.c(i);
        if wc & (REPORTING | PARTIAL) == 0 && !matches!(w, "according" | "read" | "reads") {
            return None;
        }
        if w == "according" && self.w(i + 1) == "to" {
            return Some(Verb::According);
        }
        // Punctuation and quotations have class 0, like the empty word they read as.
        let pc = if i > 0 { self.c(i - 1) } else { 0 };
        if matches!(w, "read" | "reads") {
            // "the statement read": only documents read out their words.
            let prev = if i > 0 { self.w(i - 1) } else { "" };
            let document = (pc & INSTITUTION != 0)
                || matches!(
                    prev,
                    "it" | "signs"
                        | "ad"
                        | "message"
                        | "note"
                        | "tweet"
                        | "post"
                        | "caption"
                        | "headline"
                        | "banner"
                        | "email"
                        | "text"
                        | "card"
                        | "placard"
                        | "letter"
                        | "statement"
                        | "memo"
                        | "release"
                        | "editorial"
                        | "column"
                        | "article"
                        | "story"
                        | "report"
                        | "petition"
                        | "suit"
                        | "lawsuit"
                        | "complaint"
                        | "filing"
                        | "indictment"
                        | "ruling"
                        | "order"
                        | "resolution"
                        | "motion"
                        | "sign"
                );
            return document.then_some(Verb::Reporting);
        }
        let kind = if wc & REPORTING != 0 {
            Verb::Reporting
        } else if wc & PARTIAL != 0 {
            Verb::Partial
        } else {
            return None;
        };
        let prev = if i > 0 && self.is_word(i - 1) {
            self.w(i - 1)
        } else {
            ""
        };
        if (pc & DETERMINER != 0)
            || matches!(
                prev,
                "of" | "for" | "in" | "on" | "with" | "by" | "from" | "at"
            )
            || prev.ends_with("’s")
            || prev.ends_with("'s")
        {
            return None;
        }
        // A plural-looking form ("claims", "comments", "calls") is a verb only after a
        // subject-looking word: a name, a pronoun or a source noun.
        if w.ends_with('s')
            && !matches!(
                w,
                "says"
                    | "tells"
                    | "adds"
                    | "asks"
                    | "writes"
                    | "argues"
                    | "insists"
                    | "warns"
                    | "explains"
                    | "thinks"
                    | "believes"
                    | "notes"
                    | "recalls"
                    | "tweets"
                    | "wonders"
            )
        {
            let subjectish = (pc & SUBJECT_PRONOUN != 0)
                || (i > 0
                    && self.cap(i - 1)
                    && i > 1
                    && !matches!(self.w(i - 2), "of" | "the" | "a" | "an"))
                || (pc & ANONYMOUS != 0)
                || (pc & VAGUE != 0)
                || (pc & INSTITUTION != 0)
                || (pc & VERB_FILLER != 0);
            if !subjectish {
                return None;
            }
        }
        if w.starts_with("continu")
            && matches!(
                prev,
                "to" | "will" | "would" | "could" | "should" | "may" | "might" | "must" | "can"
            )
        {
            // "her campaign would continue “to break barriers”": going on, not speaking.
            return None;
        }
        // A plural subject before the base form: "the Saudis state", "officials state".
        let plural_subject = || {
            prev.len() > 3
                && prev.ends_with('s')
                && ((pc & (ANONYMOUS | VAGUE | INSTITUTION) != 0)
                    || i > 1 && self.cap(i - 1) && self.w(i - 2) == "the")
        };
        // A modal before an adverb counts as before the verb: "could only quip", "would
        // simply say".
        let prev = if i > 1
            && self.is_word(i - 2)
            && (matches!(prev, "only" | "just" | "also" | "even") || ly_adverb(prev))
        {
            self.w(i - 2)
        } else {
            prev
        };
        if (wc & AMBIGUOUS_BASE != 0)
            && !((pc & SUBJECT_PRONOUN != 0)
                || plural_subject()
                // "as Leonard Burman put it": a past tense spelt as the base form.
                || w == "put" && self.w(i + 1) == "it"
                || matches!(
                    prev,
                    "to" | "will"
                        | "would"
                        | "did"
                        | "does"
                        | "do"
                        | "could"
                        | "should"
                        | "may"
                        | "might"
                        | "must"
                        | "can"
                ))
        {
            return None;
        }
        // A capitalised cue word inside a sentence is a name ("Post", "Read").
        if self.cap(i) && i > 0 && self.toks[i - 1].sentence == self.toks[i].sentence {
            return None;
        }
        Some(kind)
    }

    /// The noun phrase that ends at token `e`, reading back no further than `lo`.
    fn np_back(&self, e: usize, lo: usize) -> Option<(usize, usize)> {
        if e < lo || !self.is_word(e) {
            return None;
        }
        let wec = self.c(e);
        if wec & SUBJECT_PRONOUN != 0 {
            return Some((e, e));
        }
        let name_like = self.cap(e)
            && e > 0
            && self.toks[e - 1].sentence == self.toks[e].sentence
            && (wec & VERB_FILLER != 0);
        if ((wec & NP_STOP != 0) || (wec & VERB_FILLER != 0) || (wec & DETERMINER != 0))
            && !name_like
        {
            return None;
        }
        let mut s = e;
        let mut n = 1;
        while s > lo && n < 9 {
            let j = s - 1;
            if !self.is_word(j) {
                break;
            }
            let wj = self.w(j);
            let wjc = self.c(j);
            if wjc & DETERMINER != 0 {
                s = j;
                break;
            }
            if wj == "of" {
                if j > lo && self.is_word(j - 1) && !self.is(j - 1, NP_STOP) {
                    s = j;
                    continue;
                }
                break;
            }
            if matches!(wj, "with" | "to" | "on")
                && j > lo
                && matches!(
                    self.w(j - 1),
                    "familiar" | "close" | "briefed" | "knowledgeable" | "involved"
                )
            {
                s = j;
                continue;
            }
            // "a spokesman for Bernie Sanders said": the spokesman speaks, not Sanders.
            if wj == "for" && j > lo && is_spokesman(self.w(j - 1)) {
                s = j;
                continue;
            }
            // "officials in Washington": a source noun and where it is ([`classify`] reads the
            // phrase as that source, not as the place).
            if matches!(wj, "in" | "at" | "from")
                && j > lo
                && self.is(j - 1, ANONYMOUS | VAGUE)
                && self.w(j - 1).ends_with('s')
            {
                s = j;
                continue;
            }
            if wj == "and" && j > lo && self.cap(j - 1) && self.cap(s) {
                s = j;
                continue;
            }
            if (wjc & NP_STOP != 0) || self.verb(j).is_some() || (wjc & VERB_FILLER != 0) {
                break;
            }
            s = j;
            n += 1;
        }
        Some((s, e))
    }

    /// The noun phrase that starts at token `s`, reading on no further than `hi` (exclusive).
    fn np_fwd(&self, s: usize, hi: usize) -> Option<(usize, usize)> {
        if s >= hi || !self.is_word(s) {
            return None;
        }
        let wsc = self.c(s);
        if wsc & SUBJECT_PRONOUN != 0 {
            return Some((s, s));
        }
        if (wsc & NP_STOP != 0) || (wsc & TIME_WORD != 0) || (wsc & VERB_FILLER != 0) {
            return None;
        }
        let mut e = s;
        while e + 1 < hi && e - s < 10 {
            let j = e + 1;
            if !self.is_word(j) {
                break;
            }
            let wj = self.w(j);
            let wjc = self.c(j);
            if wj == "of" {
                if self.is_word(j + 1) && j + 1 < hi {
                    e = j;
                    continue;
                }
                break;
            }
            if (wj == "and" && self.cap(e) && self.cap(j + 1) && j + 1 < hi)
                || (matches!(wj, "with" | "to" | "on")
                    && matches!(
                        self.w(e),
                        "familiar" | "close" | "briefed" | "knowledgeable"
                    ))
            {
                e = j;
                continue;
            }
            if (wjc & NP_STOP != 0) || self.verb(j).is_some() || ((wjc & TIME_WORD != 0) && e > s) {
                break;
            }
            if (wjc & VERB_FILLER != 0) && !self.cap(j) {
                break;
            }
            e = j;
        }
        // Trailing words that cannot end a speaker's name ("the", "of").
        while e > s && (self.is(e, DETERMINER) || self.w(e) == "of" || self.w(e) == "and") {
            e -= 1;
        }
        Some((s, e))
    }

    /// The subject that opens a clause at `s` (before `hi`): a pronoun, a name (capitalised
    /// words, with "of" and initials), or a determiner and the few words up to its verb.
    fn subject_fwd(&self, s: usize, hi: usize) -> Option<(usize, usize)> {
        if s >= hi || !self.is_word(s) {
            return None;
        }
        let w = self.w(s);
        let wc = self.c(s);
        if wc & SUBJECT_PRONOUN != 0 {
            return Some((s, s));
        }
        let verbish = |i: usize| {
            let x = self.w(i);
            let xc = self.c(i);
            (xc & REPORTING != 0) || (xc & PARTIAL != 0) || x.ends_with("ed") || (xc & NP_STOP != 0)
        };
        if matches!(w, "and" | "but" | "then" | "so" | "yet" | "also") {
            // "And then Trump went on the attack, saying …": the subject after the link word.
            return self.subject_fwd(s + 1, hi);
        }
        if ((wc & NP_STOP != 0) || (wc & TIME_WORD != 0))
            && let Some(c) = (s + 1..hi.min(s + 12)).find(|&c| self.is_punct(c, ","))
        {
            // "At the time, she released a statement saying …": the subject after an opening
            // adverbial phrase.
            return self.subject_fwd(c + 1, hi);
        }
        if self.cap(s)
            && w.ends_with("ing")
            && w.len() > 5
            && self.is_word(s + 1)
            && !self.cap(s + 1)
            && !self.verb_follows(s + 1, hi)
            && let Some(c) = (s + 2..hi).find(|&c| self.is_punct(c, ","))
        {
            // "Speaking to reporters, Smith said …": the subject follows the opening phrase.
            return self.subject_fwd(c + 1, hi);
        }
        let mut e = s;
        if self.cap(s) && (wc & DETERMINER == 0) {
            while e + 1 < hi
                && self.is_word(e + 1)
                && (self.cap(e + 1)
                    || self.w(e + 1) == "of" && self.is_word(e + 2) && self.cap(e + 2))
            {
                e += 1;
            }
        } else if wc & DETERMINER != 0 {
            while e + 1 < hi
                && e - s < 5
                && self.is_word(e + 1)
                && !verbish(e + 1)
                && !(e > s
                    && self.w(e + 1).ends_with('s')
                    && !self.cap(e + 1)
                    && !self.w(e).ends_with('s')
                    && self.is_word(e + 2))
            {
                e += 1;
            }
            if e == s {
                return None;
            }
        } else {
            return None;
        }
        Some((s, e)).filter(|np| self.speaker_ok(*np))
    }

    /// Whether a verb-like word (after optional fillers) stands at `i`, before `hi`.
    fn verb_follows(&self, mut i: usize, hi: usize) -> bool {
        let copula = |w: &str| {
            matches!(
                w,
                "is" | "was" | "are" | "were" | "be" | "has" | "had" | "have" | "'s"
            )
        };
        while i < hi && self.is_word(i) && self.is(i, VERB_FILLER) && !copula(self.w(i)) {
            i += 1;
        }
        if i >= hi || !self.is_word(i) || self.cap(i) {
            return false;
        }
        let w = self.w(i);
        let wc = self.c(i);
        if copula(w) {
            return false;
        }
        (wc & REPORTING != 0)
            || (wc & PARTIAL != 0)
            || (w.ends_with("ed") && w.len() > 4)
            || (w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && w.len() > 3)
            || matches!(
                w,
                "went"
                    | "made"
                    | "took"
                    | "gave"
                    | "sent"
                    | "got"
                    | "put"
                    | "kept"
                    | "left"
                    | "brought"
                    | "sought"
                    | "held"
                    | "began"
                    | "led"
                    | "won"
                    | "lost"
                    | "came"
                    | "became"
                    | "set"
                    | "let"
                    | "met"
            )
    }

    /// Whether a noun phrase can name a speaker.
    fn speaker_ok(&self, (s, e): (usize, usize)) -> bool {
        let last = self.w(e);
        let lc = self.c(e);
        if s == e
            && s > 0
            && self.cap(s)
            && self.toks[s - 1].sentence == self.toks[s].sentence
            && (lc & VERB_FILLER != 0)
        {
            // A capitalised filler inside a sentence is a name ("Will").
            return true;
        }
        if (lc & TIME_WORD != 0) || (lc & NP_STOP != 0) && (lc & SUBJECT_PRONOUN == 0) {
            return false;
        }
        if s == e {
            return (lc & SUBJECT_PRONOUN != 0)
                || self.cap(s)
                || (lc & VAGUE != 0)
                || (lc & ANONYMOUS != 0)
                || (lc & INSTITUTION != 0)
                || (last.len() > 2 && (lc & VERB_FILLER == 0) && (lc & DETERMINER == 0));
        }
        true
    }

    /// The subject of the verb at `v`, no further back than `lo`.
    fn subject_of(&self, v: usize, lo: usize) -> Option<(usize, usize)> {
        if v <= lo {
            return None;
        }
        let mut j = v - 1;
        while j > lo
            && self.is_word(j)
            && (self.is(j, VERB_FILLER)
                || self.is(j, TIME_WORD)
                || self.w(j) == "on" && self.is(j + 1, TIME_WORD))
            && !self.is(j, SUBJECT_PRONOUN)
            // A capitalised filler inside a sentence is a name ("Will described …").
            && !(self.cap(j)
                && self.is(j, VERB_FILLER)
                && self.toks[j - 1].sentence == self.toks[j].sentence
                && !self.is_quote(j - 1))
        {
            j -= 1;
        }
        if self.is_word(j) && self.w(j) == "to" && j >= lo + 2 {
            // "X refused to call it …": the subject of the governing verb; "X went on to
            // say …": of the verb before its particle.
            j -= 2;
            if j > lo
                && self.is_word(j + 1)
                && matches!(self.w(j + 1), "on" | "up" | "out" | "back")
            {
                j -= 1;
            }
            while j > lo && self.is_word(j) && self.is(j, VERB_FILLER) {
                j -= 1;
            }
        }
        if self.w(v).ends_with("ing") && j > lo {
            // "X went after Y, calling it …", "X issued a statement saying …": the subject of
            // the clause; "X said, adding …", "as he defended it, saying …": of the nearest
            // clause before the participle.
            // "…, with Lewandowski taking to Twitter to call …": the phrase after "with" is
            // the participle's own subject.
            if let Some(np) = self
                .np_back(j, lo)
                .filter(|np| np.0 > lo && self.w(np.0 - 1) == "with" && self.speaker_ok(*np))
            {
                return Some(np);
            }
            if let Some(np) = self.participle_subject(v, lo) {
                return Some(np);
            }
            return self.subject_fwd(lo, j);
        }
        if self.is_word(j)
            && self.w(j) == "and"
            && j > lo + 1
            && let Some(k) = (lo + 1..j)
                .rev()
                .take(20)
                .find(|&k| self.verb(k) == Some(Verb::Reporting))
        {
            // "X said at a news conference, and then predicted …": the subject of the
            // reporting verb the clause began with.
            return self.subject_of(k, lo);
        }
        if self.is_word(j) && self.w(j) == "and" && j > lo + 1 {
            // "X supports A, opposes B and recalled …": the subject that opens the clause,
            // when a verb follows it.
            if let Some(np) = self.subject_fwd(lo, j).filter(|np| {
                np.1 + 1 < j && self.verb_follows(self.past_appositive(np.1 + 1, j), j)
            }) {
                return Some(np);
            }
            // "X laughed and said …": the subject of the first verb.
            j -= 2;
            while j > lo && self.is_word(j) && self.is(j, VERB_FILLER) {
                j -= 1;
            }
        }
        if self.is_punct(j, ",") {
            // "X, a spokesman for Y, said": the phrase before the appositive.
            let mut c = j;
            while c > lo && j - c < 25 {
                c -= 1;
                if self.is_quote(c) {
                    return None;
                }
                if self.is_punct(c, ",") {
                    // "Courtney Johnson, 23, a social worker, said": an age before the
                    // appositive is one more aside.
                    if c > lo + 1
                        && self.raw(c - 1).bytes().all(|b| b.is_ascii_digit())
                        && self.is_punct(c - 2, ",")
                    {
                        c -= 2;
                    }
                    if c <= lo {
                        return None;
                    }
                    // "Rep. Elijah Cummings (D-Md.), chair of the committee, said": the
                    // name is before the party and state.
                    let e = self.before_parenthesis(c - 1, lo).unwrap_or(c - 1);
                    return self.np_back(e, lo).filter(|np| self.speaker_ok(*np));
                }
            }
            // No opening comma: the appositive opens the clause ("Officials, …, said").
            return None;
        }
        // "Lisa M. Madigan (D) asserted".
        if let Some(e) = self.before_parenthesis(j, lo) {
            j = e;
        }
        if self.is_word(j) && matches!(self.w(j), "who" | "which" | "that") && j > lo {
            let k = if self.is_punct(j - 1, ",") {
                j.checked_sub(2)?
            } else {
                j - 1
            };
            return self.np_back(k, lo).filter(|np| self.speaker_ok(*np));
        }
        let np = self.np_back(j, lo);
        if let Some((s, _)) = np
            && s >= lo + 2
            && matches!(
                self.w(s - 1),
                "in" | "on" | "at" | "during" | "since" | "over" | "for"
            )
            && !self.is(s, SUBJECT_PRONOUN)
            && self.is_word(s - 2)
            && (self.is(s - 2, VERB_FILLER)
                || matches!(self.w(s - 2), "who" | "which" | "that")
                || (self.cap(s - 2) || self.is(s - 2, SUBJECT_PRONOUN)) && !self.cap(s))
        {
            // "X, who has in the past described …": the phrase is an adverbial, not the
            // subject; read on back from the word before it.
            return self.subject_of(s - 1, lo);
        }
        np.filter(|np| self.speaker_ok(*np))
    }

    /// The token before the parenthesis that closes at token `j` ("Madigan" in "Lisa M.
    /// Madigan (D)"), if `j` closes one that opens within 12 tokens, after `lo`.
    fn before_parenthesis(&self, j: usize, lo: usize) -> Option<usize> {
        if !self.is_punct(j, ")") {
            return None;
        }
        let mut c = j;
        while c > lo && j - c < 12 && !self.is_punct(c, "(") {
            c -= 1;
        }
        (self.is_punct(c, "(") && c > lo).then(|| c - 1)
    }

    /// The subject of the nearest clause before the participle at `v` (no further back than
    /// `lo`): a subject pronoun with its verb, or the subject of a finite cue verb.
    fn participle_subject(&self, v: usize, lo: usize) -> Option<(usize, usize)> {
        for i in (lo..v).rev().take(25) {
            if self.is_quote(i) || self.is_punct(i, ";") {
                return None;
            }
            if !self.is_word(i) {
                continue;
            }
            let w = self.w(i);
            let subordinate = i > lo
                && matches!(
                    self.w(i - 1),
                    "after" | "before" | "when" | "because" | "since" | "if" | "until" | "once"
                );
            if matches!(w, "he" | "she" | "i" | "we") && !subordinate && self.verb_follows(i + 1, v)
            {
                return Some((i, i));
            }
            if matches!(self.verb(i), Some(Verb::Reporting | Verb::Partial))
                && !w.ends_with("ing")
                && !self.relative_subject(i, lo)
            {
                return self.subject_of(i, lo);
            }
        }
        None
    }

    /// The token after an appositive that opens at `i` (`, a spokesman for Y,`, `(R-Tex.)`,
    /// `-- a former senator --`), or `i` when none opens there; never at or past `hi`.
    fn past_appositive(&self, i: usize, hi: usize) -> usize {
        let close = if self.is_punct(i, ",") {
            ","
        } else if self.is_punct(i, "(") {
            ")"
        } else if ["--", "—", "―", "–"].iter().any(|d| self.is_punct(i, d)) {
            self.raw(i)
        } else {
            return i;
        };
        (i + 1..hi.min(i + 30))
            .take_while(|&c| !self.is_quote(c) && !self.is_punct(c, ";"))
            .find(|&c| self.is_punct(c, close))
            .map_or(i, |c| c + 1)
    }

    /// A pronoun speaker later in a sentence whose subject is a name ("Trump took to Twitter
    /// to attack what he called …") stands for that name: the words stay the pronoun, the
    /// speaker is the subject.
    fn refer_to_sentence_subject(&self, cue: &mut Cue, np: (usize, usize), sentence_lo: usize) {
        if np.0 != np.1 || np.0 <= sentence_lo || !matches!(self.w(np.0), "he" | "she") {
            return;
        }
        self.refer_to_subject_before(cue, np.0, sentence_lo);
    }

    /// Gives `cue` the capitalised person's name that is the subject of the sentence (from
    /// `sentence_lo`) before token `at`, if there is one.
    fn refer_to_subject_before(&self, cue: &mut Cue, at: usize, sentence_lo: usize) {
        let Some(main) = self
            .subject_fwd(sentence_lo, at)
            .filter(|m| m.1 < at && self.cap(m.1))
        else {
            return;
        };
        let (class, name) = classify(self, main);
        if class == SpeakerClass::Person {
            cue.class = class;
            cue.name = super::SharedText::copy(&name);
            cue.refers_to = Some(TextRange::new(
                self.toks[main.0].range.start,
                self.toks[main.1].range.end,
            ));
        }
    }

    /// Whether the verb at `v` has a relative pronoun for subject (`an architect who said`),
    /// so that it belongs to a relative clause.
    fn relative_subject(&self, v: usize, lo: usize) -> bool {
        let mut j = v;
        while j > lo && self.is_word(j - 1) && self.is(j - 1, VERB_FILLER) {
            j -= 1;
        }
        j > lo && self.is_word(j - 1) && matches!(self.w(j - 1), "who" | "which" | "that")
    }

    /// Builds a cue from a speaker phrase.
    fn cue(&self, np: (usize, usize), verb: Option<usize>, rule: &'static str) -> Cue {
        let mut mention = TextRange::new(self.toks[np.0].range.start, self.toks[np.1].range.end);
        let (class, name) = classify(self, np);
        let mut refers_to = None;
        // "Smith, who said …": the relative pronoun is the subject of the verb and names the
        // speaker for this quote; the phrase before it says who that is.
        if let Some(v) = verb
            && let Some(r) = self.relative_between(np.1, v)
        {
            refers_to = Some(mention);
            mention = self.toks[r].range;
        }
        let mut cue = Cue {
            mention,
            verb: verb.map(|v| self.toks[v].range),
            rule,
            class,
            name: super::SharedText::copy(&name),
            refers_to,
        };
        if cue.refers_to.is_none() {
            self.refer_to_sentence_subject(&mut cue, np, self.clause_start(np.0, false));
        }
        cue
    }

    /// A relative pronoun (`who`, `which`, `that`) right after the phrase ending at `e` (or
    /// after a comma there), with only words between it and the verb at `v`.
    fn relative_between(&self, e: usize, v: usize) -> Option<usize> {
        let r = if self.is_punct(e + 1, ",") {
            e + 2
        } else {
            e + 1
        };
        (r < v
            && self.is_word(r)
            && matches!(self.w(r), "who" | "which" | "that")
            && (r + 1..v).all(|i| self.is_word(i)))
        .then_some(r)
    }

    /// First token of the clause a token belongs to: its sentence start, or just after the
    /// previous quotation in the same sentence.
    fn clause_start(&self, k: usize, stop_at_quotes: bool) -> usize {
        let sent = self.toks[k].sentence;
        let mut i = k;
        while i > 0 {
            let p = &self.toks[i - 1];
            if p.last_sentence != sent && p.sentence != sent {
                break;
            }
            if stop_at_quotes && matches!(p.kind, Kind::Quote(_)) {
                break;
            }
            if p.kind == Kind::Punct && self.raw(i - 1) == ";" {
                break;
            }
            i -= 1;
        }
        i
    }

    /// One past the last token of the sentence the quotation at `k` ends in.
    fn sentence_end(&self, k: usize) -> usize {
        let mut sent = self.toks[k].last_sentence;
        let mut i = k + 1;
        // `“Why?” she asked.`: a sentence break after a quoted question or exclamation is no
        // break when the words after it go on in lowercase.
        if i < self.toks.len()
            && self.toks[i].sentence != sent
            && self.toks[i].kind == Kind::Word
            && !self.cap(i)
            && self.toks[k]
                .range
                .of(self.text)
                .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '?' && c != '!')
                .ends_with(['?', '!'])
        {
            sent = self.toks[i].sentence;
        } else if i < self.toks.len()
            && self.toks[i].sentence != sent
            && self.toks[i].kind == Kind::Word
            && (self.quote_ends_in_question(k) && self.name_then_reporting_verb(i).is_some()
                || self
                    .name_then_reporting_verb(i)
                    .is_some_and(|v| self.ends_clause(v + 1)))
        {
            // `“Why?” Clinton asked.`, `“We won.” Trump said.`: a name and its reporting verb
            // finish the sentence.
            sent = self.toks[i].sentence;
        } else if i + 1 < self.toks.len()
            && self.toks[i].sentence != sent
            && ["―", "—"].iter().any(|d| self.is_punct(i, d))
            && self.is_word(i + 1)
            && self.cap(i + 1)
        {
            // `“….” ― Steve Quinlan`: the name after a dash signs the quotation.
            sent = self.toks[i].sentence;
        }
        while i < self.toks.len() && self.toks[i].sentence == sent {
            i += 1;
        }
        i
    }

    /// Whether the quotation at token `k` ends with a question or exclamation mark.
    fn quote_ends_in_question(&self, k: usize) -> bool {
        self.toks[k]
            .range
            .of(self.text)
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '?' && c != '!')
            .ends_with(['?', '!'])
    }

    /// Whether a short capitalised name starting at `i` is followed by a lowercase reporting
    /// verb (`Mrs. Clinton asked`), so that the words belong to the quotation before them.
    fn name_then_reporting_verb(&self, i: usize) -> Option<usize> {
        let mut j = i;
        while j < self.toks.len() && j - i < 6 {
            if self.is_word(j) && self.cap(j) {
                j += 1;
                continue;
            }
            if self.is_punct(j, ".") && j > i && self.raw(j).len() == 1 {
                // The point of an abbreviated title ("Mrs.", "Sen.").
                j += 1;
                continue;
            }
            break;
        }
        if j == i {
            return None;
        }
        // "Rep. Glenn Thompson, R-Pa., said": past an appositive.
        j = self.past_appositive(j, self.toks.len());
        while j < self.toks.len() && self.is_word(j) && self.is(j, VERB_FILLER) {
            j += 1;
        }
        (self.is_word(j) && !self.cap(j) && self.is(j, REPORTING)).then_some(j)
    }

    /// Whether the sentence ends at token `i` (a full stop, or the paragraph end), perhaps
    /// after a time word ("Trump said Monday.").
    fn ends_clause(&self, i: usize) -> bool {
        let i = if self.is_word(i) && self.is(i, TIME_WORD) {
            i + 1
        } else {
            i
        };
        i >= self.toks.len() || self.is_punct(i, ".")
    }

    /// Rule 1: a cue right after the quotation.
    fn after(&self, k: usize, hi: usize) -> Option<Cue> {
        let mut j = k + 1;
        let mut skipped = 0;
        while j < hi
            && skipped < 2
            && [",", "—", "―", "–", "-", "("]
                .iter()
                .any(|p| self.is_punct(j, p))
        {
            j += 1;
            skipped += 1;
        }
        if j >= hi || !self.is_word(j) {
            return None;
        }
        if j > k + 1 && ["—", "―", "–"].iter().any(|d| self.is_punct(j - 1, d)) && self.cap(j)
        {
            // "“…” ― Esther Tapia": a name after a dash.
            if let Some(np) = self.np_fwd(j, hi).filter(|np| {
                np.1 + 1 >= hi || self.is_punct(np.1 + 1, ",") || self.is_punct(np.1 + 1, ".")
            }) {
                return Some(self.cue(np, None, "name after a dash"));
            }
        }
        // Right after a quotation any cue word is a verb ("reads a Wednesday editorial").
        let lenient =
            if !self.cap(j) && (self.is(j, REPORTING) || matches!(self.w(j), "reads" | "read")) {
                Some(Verb::Reporting)
            } else {
                self.verb(j)
            };
        match lenient {
            Some(Verb::According) => {
                let np = self.np_fwd(j + 2, hi).filter(|np| self.speaker_ok(*np))?;
                return Some(self.cue(np, Some(j), "‘according to X’ after the quote"));
            }
            Some(Verb::Reporting) => {
                let mut s = j + 1;
                while s < hi && self.is_word(s) && self.is(s, VERB_FILLER) {
                    s += 1;
                }
                if let Some(np) = self.np_fwd(s, hi).filter(|np| self.speaker_starts_ok(*np)) {
                    return Some(self.cue(np, Some(j), "‘said X’ after the quote"));
                }
                return None;
            }
            _ => {}
        }
        if j + 1 < hi
            && !self.cap(j)
            && self.w(j).ends_with("ed")
            && self.w(j).len() > 4
            && self.is_word(j + 1)
            && self.cap(j + 1)
            && let Some(np) = self.np_fwd(j + 1, hi).filter(|np| self.speaker_ok(*np))
        {
            // "“This is fantastic!” beamed Donald Hartley": right after a quotation, a
            // past-tense word before a name is the verb of speech.
            return Some(self.cue(np, Some(j), "‘said X’ after the quote"));
        }
        let np = self
            .np_fwd(j, hi)
            .filter(|np| self.speaker_starts_ok(*np) && self.speaker_ok(*np))?;
        // "“…,” Beck questioned.", "“…,” Trump went on": a lowercase past-tense word after
        // the name ends the clause, so it is the verb, not part of the name.
        if let Some(p) = (np.0 + 1..=np.1).find(|&p| {
            let w = self.w(p);
            !self.cap(p) && self.cap(p - 1) && (w.ends_with("ed") && w.len() > 4 || w == "went")
        }) && (p == np.1 || p + 1 == np.1 && matches!(self.w(np.1), "on" | "back"))
            && (np.1 + 1 >= hi || !self.is_word(np.1 + 1) || self.w(np.1 + 1) == "and")
        {
            return Some(self.cue((np.0, p - 1), Some(p), "‘X said’ after the quote"));
        }
        let mut m = np.1 + 1;
        // A parenthesis after the name: "Sen. Chuck Schumer (D-N.Y.) said".
        if self.is_punct(m, "(") {
            let mut c = m + 1;
            while c < hi && c - m < 12 && !self.is_punct(c, ")") {
                c += 1;
            }
            if self.is_punct(c, ")") {
                m = c + 1;
            }
        }
        while m < hi && self.is_word(m) && (self.is(m, VERB_FILLER) || self.is(m, TIME_WORD)) {
            m += 1;
        }
        if m < hi && self.is_word(m) {
            let w = self.w(m);
            let wc = self.c(m);
            // Right after a quotation, any cue word is a verb ("the Saudis state"), and so is a
            // past-tense word that ends the clause ("he surmised.").
            let cue_word = (wc & REPORTING != 0)
                || (wc & PARTIAL != 0)
                || matches!(w, "read" | "reads")
                || w == "went" && self.w(m + 1) == "on";
            let ends_clause = m + 1 >= hi
                || !self.is_word(m + 1)
                || self.is(m + 1, TIME_WORD)
                || matches!(
                    self.w(m + 1),
                    "in" | "on"
                        | "at"
                        | "to"
                        | "during"
                        | "after"
                        | "before"
                        | "when"
                        | "while"
                        | "of"
                        | "about"
                );
            let past = w.ends_with("ed") && w.len() > 4 && !self.cap(m) && ends_clause;
            if cue_word && !self.cap(m) || past {
                return Some(self.cue(np, Some(m), "‘X said’ after the quote"));
            }
        }
        if self.is_punct(m, ",") {
            // "“…,” X, a spokesman for Y, said."
            let mut c = m + 1;
            while c < hi && c - m < 25 {
                if self.is_quote(c) {
                    return None;
                }
                if self.is_punct(c, ",") {
                    let mut v = c + 1;
                    while v < hi && self.is_word(v) && self.is(v, VERB_FILLER) {
                        v += 1;
                    }
                    if v < hi && self.verb(v) == Some(Verb::Reporting) {
                        return Some(self.cue(np, Some(v), "‘X, …, said’ after the quote"));
                    }
                    return None;
                }
                c += 1;
            }
        }
        None
    }

    /// Whether a phrase read forward can open a speaker: a name, a pronoun, a determiner or a
    /// known source noun.
    fn speaker_starts_ok(&self, (s, e): (usize, usize)) -> bool {
        let w = self.w(s);
        let wc = self.c(s);
        self.cap(s)
            // A lowercase title before a name: "former Utah governor Michael Leavitt".
            || (e > s && self.cap(e) && (wc & TIME_WORD == 0))
            || (wc & SUBJECT_PRONOUN != 0)
            || (wc & DETERMINER != 0)
            || (wc & VAGUE != 0)
            || (wc & ANONYMOUS != 0)
            || (wc & INSTITUTION != 0)
            || w.ends_with('s') && w.len() > 3
    }

    /// Rule 2: `X said: “…”` or `X: “…”`.
    fn colon(&self, k: usize) -> Option<Cue> {
        if k == 0 || !self.is_punct(k - 1, ":") {
            return None;
        }
        let c = k - 1;
        let lo = self.clause_start(c, true);
        let mut j = c;
        while j > lo && c - j < 30 {
            j -= 1;
            if let Some(v) = self.verb(j) {
                if v == Verb::According {
                    if let Some(np) = self.np_fwd(j + 2, c).filter(|np| self.speaker_ok(*np)) {
                        return Some(self.cue(np, Some(j), "‘according to X:’ before the quote"));
                    }
                    continue;
                }
                if let Some(np) = self.subject_of(j, lo) {
                    return Some(self.cue(np, Some(j), "‘X said:’ before the quote"));
                }
                if let Some(np) = self.np_fwd(j + 1, c).filter(|np| {
                    self.speaker_starts_ok(*np) && self.speaker_ok(*np) && self.cap(np.1)
                }) {
                    return Some(self.cue(np, Some(j), "‘said X:’ before the quote"));
                }
            }
        }
        if c > lo {
            let np = self.np_back(c - 1, lo)?;
            let opens = np.0 == lo || self.toks[np.0 - 1].kind == Kind::Punct && self.cap(np.0);
            if opens && np.1 - np.0 < 8 && self.speaker_ok(np) {
                return Some(self.cue(np, None, "colon introduction ‘X: “…”’"));
            }
        }
        None
    }

    /// Rule 3b: "her remark that “…”", "after his March comment that, “…”": the person the
    /// possessive stands for said it (the sentence's subject, if a person, else the pronoun's
    /// referent).
    fn possessive_remark(&self, k: usize) -> Option<Cue> {
        let mut j = k.checked_sub(1)?;
        if self.is_punct(j, ",") {
            j = j.checked_sub(1)?;
        }
        if !(self.is_word(j) && self.w(j) == "that") {
            return None;
        }
        let n = j.checked_sub(1)?;
        if !(self.is_word(n) && REMARK_NOUNS.contains(&self.w(n))) {
            return None;
        }
        // One modifier may stand between: "her March comment", "his famous remark".
        let mut p = n.checked_sub(1)?;
        if !matches!(self.w(p), "his" | "her") && self.is_word(p) {
            p = p.checked_sub(1)?;
        }
        let pronoun = match self.w(p) {
            "his" => "he",
            "her" => "she",
            _ => return None,
        };
        let mut cue = self.cue((p, p), None, "‘her remark that “…”’ before the quote");
        cue.class = SpeakerClass::Pronoun;
        cue.name = super::SharedText::fixed(pronoun);
        self.refer_to_subject_before(&mut cue, p, self.clause_start(p, false));
        Some(cue)
    }

    /// Rule 3: a cue earlier in the quotation's sentence.
    fn before(&self, k: usize) -> Option<Cue> {
        let lo = self.clause_start(k, true);
        let sentence_lo = self.clause_start(k, false);
        let mut j = k;
        while j > lo && k - j < 30 {
            j -= 1;
            if self.is_punct(j, ";") {
                break;
            }
            let Some(v) = self.verb(j) else { continue };
            match v {
                Verb::According => {
                    if let Some(np) = self.np_fwd(j + 2, k).filter(|np| self.speaker_ok(*np)) {
                        return Some(self.cue(np, Some(j), "‘according to X’ in the sentence"));
                    }
                }
                _ => {
                    if v == Verb::Reporting
                        && self.w(j + 1) == "by"
                        && j > lo
                        && matches!(
                            self.w(j - 1),
                            "was" | "were" | "been" | "being" | "is" | "are" | "be"
                        )
                        && let Some(np) = self
                            .np_fwd(j + 2, k)
                            .map(|(s, e)| {
                                // "asked by X whether …": the agent ends before the question.
                                let cut = (s + 1..=e).find(|&i| {
                                    matches!(self.w(i), "whether" | "if" | "about" | "to" | "for")
                                });
                                (s, cut.map_or(e, |c| c - 1))
                            })
                            .filter(|np| self.speaker_starts_ok(*np) && self.speaker_ok(*np))
                    {
                        // "Rubio was asked by moderator Gerard Baker whether …": the agent
                        // of a passive reporting verb speaks.
                        return Some(self.cue(np, Some(j), "‘was asked by X’ before the quote"));
                    }
                    if let Some(mut np) = self.subject_of(j, sentence_lo) {
                        // "He says he believes …": the outer speaker reports the inner one.
                        let mut at = np.0;
                        if at > sentence_lo && self.w(at - 1) == "that" {
                            at -= 1;
                        }
                        if at > sentence_lo
                            && self.verb(at - 1) == Some(Verb::Reporting)
                            && let Some(outer) = self.subject_of(at - 1, sentence_lo)
                        {
                            np = outer;
                        }
                        // "X said the poll shows that Americans say “…”": the outermost
                        // reporting verb of the clause gives the source.
                        let mut verb_at = j;
                        while let Some((i, outer)) = self.outer_report(np.0, lo, sentence_lo) {
                            np = outer;
                            verb_at = i;
                        }
                        let rule = if v == Verb::Reporting {
                            "subject of the reporting verb before the quote"
                        } else {
                            "subject of the clause that carries the partial quote"
                        };
                        return Some(self.cue(np, Some(verb_at), rule));
                    }
                    if v == Verb::Reporting
                        && let Some(np) = self.np_fwd(j + 1, k).filter(|np| {
                            self.speaker_starts_ok(*np) && self.speaker_ok(*np) && self.cap(np.0)
                        })
                    {
                        return Some(self.cue(np, Some(j), "‘said X’ before the quote"));
                    }
                }
            }
        }
        None
    }

    /// A finite reporting verb before token `at` in the same clause (from `lo`), with its
    /// subject: the speaker whose report contains the words from `at` on.
    fn outer_report(
        &self,
        at: usize,
        lo: usize,
        sentence_lo: usize,
    ) -> Option<(usize, (usize, usize))> {
        // "X said, and Y said …", "When X noted …, Y said", "…, which he called": a clause
        // joined by "and" or set off by punctuation is not the outer verb's report.
        if at > lo && self.is_word(at - 1) && self.w(at - 1) == "and" {
            return None;
        }
        let mut i = at;
        while i > lo && at - i < 30 {
            i -= 1;
            if !self.is_word(i) {
                return None;
            }
            if self.is_word(i)
                && matches!(
                    self.w(i),
                    "but" | "while" | "whereas" | "yet" | "although" | "though"
                )
            {
                return None;
            }
            if self.verb(i) == Some(Verb::Reporting) && !self.w(i).ends_with("ing") {
                return self
                    .subject_of(i, sentence_lo)
                    .filter(|np| np.1 < i)
                    .map(|np| (i, np));
            }
        }
        None
    }

    /// Rule 4: a cue later in the sentence, after other words.
    fn later(&self, k: usize, hi: usize) -> Option<Cue> {
        let mut j = k + 1;
        while j < hi && j - k < 45 {
            if self.is_quote(j) || self.is_punct(j, ";") {
                return None;
            }
            match self.verb(j) {
                Some(Verb::According) => {
                    return self
                        .np_fwd(j + 2, hi)
                        .filter(|np| self.speaker_ok(*np))
                        .map(|np| self.cue(np, Some(j), "‘according to X’ in the sentence"));
                }
                Some(Verb::Reporting) => {
                    if let Some(np) = self.subject_of(j, k + 1) {
                        return Some(self.cue(
                            np,
                            Some(j),
                            "subject of the reporting verb after the quote",
                        ));
                    }
                    if self.is_punct(j - 1, ",")
                        && let Some(np) = self
                            .np_fwd(j + 1, hi)
                            .filter(|np| self.speaker_starts_ok(*np) && self.speaker_ok(*np))
                    {
                        return Some(self.cue(np, Some(j), "‘, said X’ later in the sentence"));
                    }
                }
                _ => {}
            }
            j += 1;
        }
        None
    }

    /// The speaker of the paragraph's sentence `sentence`, if it reports speech and has no
    /// quotation.
    pub(super) fn last_sentence_speaker(&self, sentence: usize) -> Option<Cue> {
        self.sentence_speaker(sentence)
    }

    /// Rule 6: the speaker of a sentence that reports speech, with no quotation in it.
    fn sentence_speaker(&self, sentence: usize) -> Option<Cue> {
        // Sentence indices never decrease along the tokens.
        let start = self.toks.partition_point(|t| t.sentence < sentence);
        if self.toks.get(start)?.sentence != sentence {
            return None;
        }
        let mut j = start;
        let mut found = None;
        while j < self.toks.len() && self.toks[j].sentence == sentence {
            if self.is_quote(j) {
                return None;
            }
            if found.is_none()
                && self.verb(j) == Some(Verb::Reporting)
                && let Some(np) = self.subject_of(j, start)
            {
                found = Some(self.cue(np, Some(j), "speaker of the sentence before the quote"));
            }
            j += 1;
        }
        found
    }
}

/// Nouns for what someone said, before "that" and a quotation ("her remark that “…”").
const REMARK_NOUNS: [&str; 16] = [
    "remark",
    "comment",
    "statement",
    "claim",
    "assertion",
    "quip",
    "declaration",
    "promise",
    "pledge",
    "vow",
    "warning",
    "insistence",
    "admission",
    "boast",
    "complaint",
    "prediction",
];

/// "spokesman", "spokeswoman", "spokesperson": who speaks for someone else.
fn is_spokesman(w: &str) -> bool {
    matches!(w, "spokesman" | "spokeswoman" | "spokesperson")
}

/// Sorts a speaker phrase into a class and gives the name to show when no entity is linked.
fn classify<'a>(r: &Reader<'a>, (s, e): (usize, usize)) -> (SpeakerClass, Cow<'a, str>) {
    let words = Indices::new((s..=e).filter(|&i| r.is_word(i)));
    let words = words.as_slice();
    let text = Cow::Borrowed(TextRange::new(r.toks[s].range.start, r.toks[e].range.end).of(r.text));
    let first = r.w(s);
    let fc = r.c(s);
    let last = r.w(e);
    let lc = r.c(e);
    if s == e && (fc & SUBJECT_PRONOUN != 0) {
        return (SpeakerClass::Pronoun, text);
    }
    // A capital at a sentence start says nothing, unless the word is not a common source noun.
    let sentence_initial = (s == 0 || r.toks[s - 1].sentence != r.toks[s].sentence)
        && ((fc & VAGUE != 0)
            || (fc & ANONYMOUS != 0)
            || (fc & INSTITUTION != 0)
            || (fc & DETERMINER != 0)
            || (fc & QUANTIFIER != 0)
            || first.ends_with('s') && s < e);
    let quantified = (s..=e).any(|i| r.is(i, QUANTIFIER));
    if (lc & VAGUE != 0)
        && !((fc & DETERMINER != 0) && matches!(first, "the" | "his" | "her" | "their"))
        || quantified && last.ends_with('s')
    {
        return (SpeakerClass::Vague, text);
    }
    // "Officials in Washington", "sources in Kyiv": the source noun before the
    // preposition heads the phrase; the name after it says where they are, not who spoke.
    if let Some(p) = (s + 1..e).find(|&i| matches!(r.w(i), "in" | "at" | "from"))
        && r.is(p - 1, ANONYMOUS | VAGUE)
        && r.w(p - 1).ends_with('s')
    {
        let class = if r.is(p - 1, ANONYMOUS) {
            SpeakerClass::Anonymous
        } else {
            SpeakerClass::Vague
        };
        return (class, text);
    }
    // "A spokesman for Hillary Clinton said": an unnamed spokesman speaks, not the person
    // the spokesman speaks for.
    if matches!(first, "a" | "an")
        && (s + 1..e).any(|i| is_spokesman(r.w(i)) && r.w(i + 1) == "for")
    {
        return (SpeakerClass::Anonymous, text);
    }
    let headed_by = |i: usize| r.is(i, ANONYMOUS);
    if headed_by(e) || (s..=e).any(|i| matches!(r.w(i), "familiar" | "anonymity")) {
        let named = (s..e).any(|i| r.cap(i) && !(i == s && sentence_initial) && !r.is(i, TITLE));
        if !named || last.ends_with('s') || matches!(first, "a" | "an" | "one" | "two" | "three") {
            return (SpeakerClass::Anonymous, text);
        }
    }
    let capital_last = r.cap(e) && !(s == e && sentence_initial);
    if fc & DETERMINER != 0 {
        let rest = r.join(&words[1..]);
        if capital_last || (lc & INSTITUTION != 0) {
            return (
                SpeakerClass::Institution,
                if capital_last { rest } else { text },
            );
        }
        return (SpeakerClass::Descriptor, text);
    }
    if capital_last {
        if (lc & INSTITUTION != 0) && words.len() == 1 {
            return (SpeakerClass::Institution, r.join(words));
        }
        return (SpeakerClass::Person, r.person_name(words));
    }
    if lc & INSTITUTION != 0 {
        return (SpeakerClass::Institution, text);
    }
    (SpeakerClass::Descriptor, text)
}

/// Token indices, kept on the stack when there are few (a phrase has a handful of words).
struct Indices {
    buf: [usize; 16],
    len: usize,
    /// All of them, when there are more than `buf` holds.
    more: Vec<usize>,
}

impl Indices {
    fn new(it: impl Iterator<Item = usize>) -> Self {
        let mut out = Indices {
            buf: [0; 16],
            len: 0,
            more: Vec::new(),
        };
        for i in it {
            if out.len < out.buf.len() {
                out.buf[out.len] = i;
            } else {
                if out.more.is_empty() {
                    out.more.extend_from_slice(&out.buf);
                }
                out.more.push(i);
            }
            out.len += 1;
        }
        out
    }

    fn as_slice(&self) -> &[usize] {
        if self.len > self.buf.len() {
            &self.more
        } else {
            &self.buf[..self.len]
        }
    }
}

impl<'a> Reader<'a> {
    /// Word tokens as they stand in the text, joined by single spaces: borrowed from the text
    /// when a single space parts them there.
    fn join(&self, words: &[usize]) -> Cow<'a, str> {
        let (Some(&first), Some(&last)) = (words.first(), words.last()) else {
            return Cow::Borrowed("");
        };
        // One space between each two words: one byte, a space (read as a byte, not sliced).
        let bytes = self.text.as_bytes();
        if words.windows(2).all(|p| {
            let (end, next) = (self.toks[p[0]].range.end, self.toks[p[1]].range.start);
            next == end + 1 && bytes.get(end) == Some(&b' ')
        }) {
            return Cow::Borrowed(span_of(self.toks, first, last).of(self.text));
        }
        let len = words.iter().map(|&i| self.raw(i).len() + 1).sum::<usize>();
        let mut out = String::with_capacity(len.saturating_sub(1));
        for (n, &i) in words.iter().enumerate() {
            if n > 0 {
                out.push(' ');
            }
            out.push_str(self.raw(i));
        }
        Cow::Owned(out)
    }

    /// The name in a speaker phrase given as word tokens: the capitalised words after the
    /// last title ("Russian President Vladimir Putin" → "Vladimir Putin"), joined by single
    /// spaces, possessive dropped.
    fn person_name(&self, words: &[usize]) -> Cow<'a, str> {
        self.name_of(self.name_words(words))
    }

    /// [`Self::person_name`] of the words [`Self::name_words`] gave.
    fn name_of(&self, name_words: &[usize]) -> Cow<'a, str> {
        let mut name = self.join(name_words);
        for suffix in ["’s", "'s"] {
            if name.ends_with(suffix) {
                let keep = name.len() - suffix.len();
                match &mut name {
                    Cow::Borrowed(b) => *b = &b[..keep],
                    Cow::Owned(o) => o.truncate(keep),
                }
            }
        }
        name
    }

    /// The word tokens [`Self::person_name`] joins (as many as the name has words: a token
    /// holds no space, and dropping a possessive leaves its word).
    fn name_words<'w>(&self, words: &'w [usize]) -> &'w [usize] {
        // "Jason Gilbert of Cheyenne", "Paul Sperry of Counter Jihad": a name, then where or
        // what the person is of; the name is before "of" (but "Bank of America CEO Brian
        // Moynihan" and "Secretary of State John Kerry" name the person after a title).
        let is_of = |i: usize| self.w(i) == "of";
        let words = match words.iter().position(|&i| is_of(i)) {
            Some(p)
                if p > 0
                    && self.cap(words[p - 1])
                    && !self.is(words[p - 1], TITLE)
                    && !words[p + 1..].iter().any(|&i| self.is(i, TITLE)) =>
            {
                &words[..p]
            }
            _ => words,
        };
        // (The length of "of" is tested first: most words are not two letters long.)
        let start = words
            .iter()
            .rposition(|&i| {
                self.toks.get(i).is_none_or(|t| {
                    t.class & TITLE != 0
                        || !t.cap
                        || t.lower.1.wrapping_sub(t.lower.0) == 2 && self.w(i) == "of"
                })
            })
            .map_or(0, |i| i + 1);
        if start < words.len() {
            &words[start..]
        } else {
            words
        }
    }
}

/// Paragraph-stage attribution: a cue (or none) for each top-level quotation, given the
/// quotations' token indices in order.
pub(super) fn attribute(r: &Reader<'_>, quote_toks: &[usize]) -> Vec<Option<Cue>> {
    let mut cues: Vec<Option<Cue>> = Vec::with_capacity(quote_toks.len());
    for &k in quote_toks {
        let hi = r.sentence_end(k);
        let next_quote = (k + 1..hi).find(|&i| r.is_quote(i)).unwrap_or(hi);
        let cue = r
            .after(k, next_quote)
            .or_else(|| r.colon(k))
            .or_else(|| r.before(k))
            .or_else(|| r.possessive_remark(k))
            .or_else(|| r.later(k, next_quote));
        cues.push(cue);
    }
    // Rule 5: quotations of one sentence share a cue, nearest first.
    for i in 0..quote_toks.len() {
        if cues[i].is_some() {
            continue;
        }
        let sent = |j: usize| {
            (
                r.toks[quote_toks[j]].sentence,
                r.toks[quote_toks[j]].last_sentence,
            )
        };
        let (s, _) = sent(i);
        let prev = (0..i)
            .rev()
            .find(|&j| cues[j].is_some() && (sent(j).1 == s || sent(j).0 == s));
        let next = (i + 1..quote_toks.len()).find(|&j| cues[j].is_some() && sent(j).0 == sent(i).1);
        if let Some(j) = prev.or(next) {
            if let Some(mut c) = cues[j].clone() {
                c.rule = "shares the attribution of its sentence";
                cues[i] = Some(c);
            }
        }
    }
    // Rule 5b: a quotation inside a sentence whose subject is a speaker-like phrase followed by
    // a verb ("He also seeks “a permanent injunction”").
    for (i, &k) in quote_toks.iter().enumerate() {
        if cues[i].is_some() {
            continue;
        }
        let lo = r.clause_start(k, false);
        if lo == k {
            continue;
        }
        if let Some(np) = r.subject_fwd(lo, k)
            && r.verb_follows(r.past_appositive(np.1 + 1, k), k)
        {
            cues[i] = Some(r.cue(np, None, "subject of the sentence that carries the quote"));
        }
    }
    // Rule 6: a quotation that opens its sentence, right after a sentence that reports speech.
    for (i, &k) in quote_toks.iter().enumerate() {
        if cues[i].is_some() || (i > 0 && cues[..i].iter().any(Option::is_some)) {
            continue;
        }
        let sentence = r.toks[k].sentence;
        let opens = k == 0 || r.toks[k - 1].last_sentence != sentence;
        if opens && sentence > 0 && k > 0 && r.toks[k - 1].last_sentence + 1 == sentence {
            cues[i] = r.sentence_speaker(r.toks[k - 1].last_sentence);
        }
    }
    cues
}

/// The subject that opens the sentence of the quotation at token `k` (past an appositive),
/// if it can name a speaker: the last resort for a quotation no rule attributes.
pub(super) fn sentence_subject(r: &Reader<'_>, k: usize) -> Option<Cue> {
    let lo = r.clause_start(k, false);
    if lo == k {
        return None;
    }
    let np = r.subject_fwd(lo, k)?;
    // "Immediately after …", "Ending …": an opening adverb or participle is no subject.
    if np.0 == np.1 && (r.w(np.0).ends_with("ly") || r.w(np.0).ends_with("ing")) {
        return None;
    }
    let cue = r.cue(np, None, "subject of the sentence that carries the quote");
    matches!(
        cue.class,
        SpeakerClass::Person | SpeakerClass::Institution | SpeakerClass::Pronoun
    )
    .then_some(cue)
}

/// The cue of a paragraph that ends with a colon (`Smith said:`), for a quotation opening the
/// next paragraph.
pub(super) fn trailing_colon(r: &Reader<'_>) -> Option<Cue> {
    let last = r.toks.len().checked_sub(1)?;
    if !r.is_punct(last, ":") {
        return None;
    }
    let lo = r.clause_start(last, true);
    // "Trump issued the following statement:", "Sanders made the following comment:", "the
    // campaign released a statement:".
    let noun = last >= lo + 3
        && r.is_word(last - 1)
        && matches!(
            r.w(last - 1),
            "statement" | "statements" | "comment" | "comments" | "remarks" | "message" | "tweet"
        );
    let verb = if !noun {
        None
    } else if last >= lo + 4 && r.w(last - 2) == "following" && r.w(last - 3) == "the" {
        Some(last - 4)
    } else if matches!(r.w(last - 2), "a" | "this") {
        Some(last - 3)
    } else {
        None
    };
    if let Some(v) = verb
        && r.is_word(v)
        && matches!(
            r.w(v),
            "issued" | "released" | "made" | "gave" | "posted" | "sent" | "tweeted" | "delivered"
        )
        && let Some(np) = r.subject_of(v, lo)
        && r.speaker_ok(np)
    {
        return Some(r.cue(np, Some(v), "‘X issued the following statement:’"));
    }
    let mut j = last;
    while j > lo {
        j -= 1;
        if r.verb(j) == Some(Verb::Reporting)
            && let Some(np) = r.subject_of(j, lo)
        {
            return Some(r.cue(np, Some(j), "‘X said:’ ending the paragraph before"));
        }
    }
    if last > lo && last - lo <= 6 {
        let np = r.np_back(last - 1, lo)?;
        if np.0 == lo && r.speaker_ok(np) {
            return Some(r.cue(np, None, "colon introduction ending the paragraph before"));
        }
    }
    None
}

/// Whether the words right before token `k` say the quotation is a title, nickname or
/// so-called word rather than a quotation.
pub(super) fn introduced_as_term(r: &Reader<'_>, k: usize) -> bool {
    if k == 0 || !r.is_word(k - 1) {
        return false;
    }
    let w = r.w(k - 1);
    matches!(
        w,
        "so-called"
            | "titled"
            | "entitled"
            | "headlined"
            | "nicknamed"
            | "hashtag"
            | "slogan"
            | "motto"
    ) || (w == "called" && k >= 2 && r.w(k - 2) == "so")
        || (w == "as" && k >= 2 && r.w(k - 2) == "known")
}

/// Working buffers of [`Reader::source_phrases`], kept from paragraph to paragraph.
#[derive(Debug, Default)]
pub(super) struct SourceBuffers {
    found: Vec<(TextRange, bool)>,
    kept: Vec<(TextRange, bool)>,
}

impl Reader<'_> {
    /// Phrases that put a vague or anonymous source behind a claim: `(range, is vague)`, in
    /// `buffers`.
    pub(super) fn source_phrases<'b>(
        &self,
        buffers: &'b mut SourceBuffers,
    ) -> &'b [(TextRange, bool)] {
        let SourceBuffers { found: out, kept } = buffers;
        out.clear();
        kept.clear();
        let span =
            |s: usize, e: usize| TextRange::new(self.toks[s].range.start, self.toks[e].range.end);
        // Only the words the tokenizer listed (a class of `SOURCE_CUES`) start or end one.
        for i in self.cued.iter().map(|&i| i as usize) {
            if !self.is_word(i) {
                continue;
            }
            // Fixed phrases (found by the word's class: their first word is this one).
            if self.is(i, PHRASE_START) {
                for (words, vague) in lexicon().phrases_of(self.c(i)) {
                    let n = words.len();
                    if (1..n).all(|d| self.is_word(i + d) && self.w(i + d) == words[d]) {
                        out.push((span(i, i + n - 1), *vague));
                        break;
                    }
                }
            }
            // A vague or anonymous subject of a claim verb.
            let wc = self.c(i);
            if i == 0
                || wc & CLAIM_VERB == 0
                || self.cap(i) && self.toks[i - 1].sentence == self.toks[i].sentence
            {
                continue;
            }
            let mut k = i - 1;
            while k > 0 && self.is_word(k) && self.is(k, VERB_FILLER) {
                k -= 1;
            }
            if !self.is_word(k) {
                continue;
            }
            // A claim not made is no source: "two others have not said who they would back".
            if (k + 1..i).any(|x| {
                matches!(
                    self.w(x),
                    "not" | "never" | "didn't" | "haven't" | "hasn't" | "won't" | "wouldn't"
                ) || self.w(x).ends_with("n't")
            }) {
                continue;
            }
            // The claim word is a noun: "Trump's comments", "had some explaining to do",
            // "many state exchanges".
            let raw_k = self.raw(k);
            let wi = self.w(i);
            // "many regulars continued to stay away" goes on, says nothing; "the most telling
            // promise", "the most pledged delegates" are superlatives.
            let next = self.w(i + 1);
            if raw_k.ends_with("'s")
                || raw_k.ends_with("’s")
                || wi.ends_with("ing") && next == "to" && self.w(i + 2) == "do"
                || wi == "state" && next != "that"
                || wi.starts_with("continu") && next == "to"
                // "others consider moving there": weighing, not claiming.
                || wi.starts_with("consider") && next.ends_with("ing")
                // "the one that's most telling".
                || self.w(k) == "most" && wi.ends_with("ing")
                || self.w(k) == "most"
                    && self.is_word(i + 1)
                    && !self.cap(i + 1)
                    && self.c(i + 1) & (DETERMINER | SUBJECT_PRONOUN | NP_STOP) == 0
                    && next != "that"
            {
                continue;
            }
            // "many Western heads of state and government believe".
            let mut j = k;
            let mut quantifier = None;
            while self.is_word(j) && k - j < 9 {
                let wj = self.w(j);
                let wjc = self.c(j);
                if (wjc & QUANTIFIER != 0) && wj != "other" {
                    quantifier = Some(j);
                    break;
                }
                if (wjc & NP_STOP != 0) && !matches!(wj, "and") || (wjc & SUBJECT_PRONOUN != 0) {
                    break;
                }
                if j == 0 {
                    break;
                }
                j -= 1;
            }
            let head = self.w(k);
            let hc = self.c(k);
            // Things, not people: "in many cases reporting", "numerous emails asking".
            if matches!(
                head,
                "cases" | "emails" | "works" | "times" | "ways" | "instances" | "respects"
            ) {
                continue;
            }
            // A plural group takes "say", not "says": "at various points", "several of the
            // comments" hold a noun.
            let plural_noun = wi.ends_with('s') && !wi.ends_with("ss");
            // The object of a preposition or a condition is no one's claim: "an email to his
            // supporters notes", "research by four economists suggests", "If his core
            // supporters were worried" (not "with": "with many worried that …" is theirs; nor
            // "about": "about 20 people said").
            let governed = |start: usize| {
                start > 0
                    && self.is_word(start - 1)
                    && matches!(
                        self.w(start - 1),
                        "to" | "for"
                            | "from"
                            | "among"
                            | "by"
                            | "against"
                            | "toward"
                            | "towards"
                            | "if"
                            | "unless"
                    )
            };
            if let Some(q) = quantifier
                && (k == q || head.ends_with('s') || head == "people" || head == "government")
            {
                if !(governed(q) || plural_noun && head != "government") {
                    out.push((span(q, i), true));
                }
                continue;
            }
            let Some((s, _)) = self.np_back(k, 0) else {
                continue;
            };
            if governed(s) {
                continue;
            }
            if (hc & VAGUE != 0) && (hc & SUBJECT_PRONOUN == 0) {
                out.push((span(s, i), true));
            } else if (hc & ANONYMOUS != 0) && (wc & REPORTING != 0) {
                let named = (s..k).any(|x| self.cap(x) && !self.is(x, TITLE) && x > s);
                if !named || head.ends_with('s') {
                    out.push((span(s, i), false));
                }
            }
        }
        // "according to critics", "according to sources".
        for i in self.cued.iter().map(|&i| i as usize) {
            // (What `verb` calls `According`, without its other tests; the class bit first
            // rejects most words.)
            if self.is(i, CUE_WORD)
                && self.w(i) == "according"
                && self.w(i + 1) == "to"
                && let Some((s, e)) = self.np_fwd(i + 2, self.toks.len())
            {
                let hc = self.c(e);
                if hc & VAGUE != 0 {
                    out.push((span(i, e), true));
                } else if hc & ANONYMOUS != 0 {
                    out.push((span(i, e.max(s)), false));
                }
            }
        }
        out.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        // Overlapping or touching phrases are one source ("spoke on condition" + "on condition
        // of anonymity"); the vague reading wins over the anonymous one.
        for &(r, v) in out.iter() {
            if let Some((k, kv)) = kept.last_mut()
                && r.start <= k.end + 1
            {
                k.end = k.end.max(r.end);
                *kv = *kv || v;
                continue;
            }
            kept.push((r, v));
        }
        kept
    }

    /// Runs of two or more capitalised words (candidate full names), as
    /// `(range, name without titles)`, into `out` (cleared first).
    pub(super) fn name_runs(&self, out: &mut Vec<(TextRange, super::SharedText)>) {
        out.clear();
        // The capitalised words, listed by the tokenizer: a run is consecutive ones.
        let caps = self.caps;
        let mut c = 0;
        while let Some(&first) = caps.get(c) {
            let s = first as usize;
            let sentence = self.toks.get(s).map(|t| t.sentence);
            c += 1;
            let mut i = s + 1;
            while caps.get(c).is_some_and(|&k| k as usize == i)
                && self.toks.get(i).map(|t| t.sentence) == sentence
            {
                c += 1;
                i += 1;
            }
            if i - s < 2 {
                // One word names no one in full (tokens hold no spaces).
                continue;
            }
            let words = Indices::new(s..i);
            let words = words.as_slice();
            let name_words = self.name_words(words);
            if name_words.len() >= 2 {
                let name = self.name_of(name_words);
                out.push((span_of(self.toks, s, i - 1), super::SharedText::copy(&name)));
            }
        }
    }
}

fn span_of(toks: &[Tok], s: usize, e: usize) -> TextRange {
    TextRange::new(toks[s].range.start, toks[e].range.end)
}
