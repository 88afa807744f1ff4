//! Quotations and their speakers, and the phrases that put vague or anonymous sources behind
//! a claim.
//!
//! Paragraph stage ([`scan`]): quotation marks paired into spans ([`marks`]); the paragraph's
//! words outside its quotations read as a token stream ([`words`]); speech cues found for each
//! quotation ([`attribution`]), with vague and anonymous source phrases and candidate full names.
//! Everything is paragraph-relative and depends on the paragraph alone.
//!
//! Document stage ([`resolve`]): quotes left open at a paragraph end and reopened in the next
//! are joined; speakers are linked to entities (or, without one, completed from the names the
//! story gives); bare quotes continue the previous speaker; quoted words nobody said become
//! [`QuoteKind::NotAQuote`]. [`ledger`] and [`hover`] present the result.

mod attribution;
mod lexicon;
mod marks;
#[cfg(test)]
mod tests;
mod words;

use std::cell::{OnceCell, RefCell};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::entities::Entity;
use super::entities::coref::Change;
use super::paragraph::ParaCtx;
use super::shared::SharedVec;
use super::text::TextRange;
use super::{CachedBlock, EntityKind, Paragraph, Placed};

pub use marks::Family;

pub use super::shared::SharedText;

/// What a quoted span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteKind {
    /// A direct quotation of whole words said or written.
    Direct,
    /// A few quoted words inside the reporter's own sentence (`hailed the “close” ties`).
    Partial,
    /// Quotation marks around a title, nickname, scare quote or so-called word: not a quotation.
    NotAQuote,
}

/// What kind of words name a speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpeakerClass {
    /// A person's name ("Putin", "Christoph Heusgen", "Mr. Burman").
    Person,
    /// An institution ("the Kremlin", "the ministry", "the campaign").
    Institution,
    /// A description of a person ("the Chinese head of state", "a campaign spokesman").
    Descriptor,
    /// A pronoun ("he", "she", "they").
    Pronoun,
    /// A single unnamed source ("a source", "officials").
    Anonymous,
    /// An unnamed group ("critics", "many experts").
    Vague,
}

/// Who said a quotation, and how copydesk knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// Canonical name: the entity's name when the speaker was linked to one, else the words
    /// (titles dropped, a surname completed from a full name the story gives). Shared with
    /// the paragraph cache, the entity or the quote it comes from.
    pub name: SharedText,
    /// The words that name the speaker for this quote ("Putin", "the Chinese head of state", "he").
    pub mention: TextRange,
    /// Index into [`super::Analysis::entities`].
    pub entity: Option<usize>,
    /// The rule that attributed the quote, in words ("‘said X’ after the quote").
    pub rule: &'static str,
    /// The reporting verb or cue ("said", "according to", a colon), if any.
    pub cue: Option<TextRange>,
    /// What kind of words name the speaker.
    pub class: SpeakerClass,
}

/// A quotation in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quotation including its marks; a quote that runs on into the next paragraph ends
    /// at its paragraph end.
    pub range: TextRange,
    pub kind: QuoteKind,
    pub speaker: Option<Speaker>,
    /// Index into [`super::Analysis::paragraphs`].
    pub paragraph: usize,
    /// Whether the quotation has its closing mark (false for one that runs on into the next
    /// paragraph, or that is never closed).
    pub closed: bool,
    /// The punctuation that ends the quoted words inside the closing mark, with its offset
    /// (`.` in `“…failed.”`), if any.
    pub closing_punct: Option<(char, usize)>,
    /// The quoted words without the marks, whitespace collapsed (for comparing quotations).
    /// Shared with the paragraph cache.
    pub content: SharedText,
}

/// Kinds of unnamed source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// An unnamed group behind a claim ("critics say", "many believe").
    Vague,
    /// A single unnamed source ("a source said", "officials who spoke on condition of anonymity").
    Anonymous,
}

/// A phrase that puts an unnamed source behind a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourcePhrase {
    pub range: TextRange,
    pub kind: SourceKind,
}

/// A speech cue found in a paragraph (paragraph-relative offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cue {
    /// The words naming the speaker.
    pub mention: TextRange,
    /// The reporting verb or cue word.
    pub verb: Option<TextRange>,
    pub rule: &'static str,
    pub class: SpeakerClass,
    /// The name to show when no entity is linked.
    pub name: SharedText,
    /// The phrase a relative pronoun mention refers back to (`Smith` in `Smith, who said`),
    /// used to link the speaker to an entity.
    pub refers_to: Option<TextRange>,
}

/// One top-level quotation of a paragraph, as the paragraph stage reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParaQuote {
    /// Marks included; a quotation never closed runs to the paragraph end.
    pub range: TextRange,
    pub closed: bool,
    /// The cue the paragraph gives for it.
    pub cue: Option<Cue>,
    /// For a quotation with no cue that does not open its paragraph: the subject of its
    /// sentence, which the document stage prefers to the speaker of the paragraph before.
    pub fallback: Option<Box<Cue>>,
    /// `Direct` or `Partial`, by the quotation's shape (whole sentences or a few words).
    pub shape: QuoteKind,
    /// Introduced as a term ("so-called", "titled", "known as"): never a quotation.
    pub term: bool,
    /// Looks like a title (a few capitalised words without final punctuation).
    pub title_like: bool,
    /// The punctuation ending the quoted words inside the closing mark, with its offset.
    pub closing_punct: Option<(char, usize)>,
    /// The quoted words without the marks, whitespace collapsed.
    pub content: SharedText,
    /// Whether it uses single marks (‘…’, '…'): in news copy mostly headlines and apostrophe
    /// slips, so a single-marked quotation nobody is named for is not flagged.
    pub single: bool,
}

/// Paragraph-stage result (offsets relative to the paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaQuotes {
    /// Paired top-level quotation spans, marks included.
    pub spans: Vec<TextRange>,
    /// Opening marks never closed in this paragraph.
    pub open: Vec<TextRange>,
    /// Closing marks with no opening mark.
    pub stray_close: Vec<TextRange>,
    /// Paired quotation spans nested inside another quotation.
    pub nested: Vec<TextRange>,
    /// Every top-level quotation in order, with its cue.
    pub items: Vec<ParaQuote>,
    /// Vague and anonymous source phrases.
    pub sources: Vec<SourcePhrase>,
    /// Runs of capitalised words that may be full names, with the name they give.
    pub names: Vec<(TextRange, SharedText)>,
    /// For each of `names`, the hash of its last word ([`surname_key`]): the document stage
    /// indexes names by surname without hashing their text again on every analysis.
    pub surname_keys: Vec<u64>,
    /// A cue at the end of the paragraph (`Smith said:`, or a last sentence that reports
    /// speech) for a quotation opening the next paragraph.
    pub trailing_cue: Option<Box<Cue>>,
    /// Whether the paragraph opens with a quotation mark.
    pub opens_with_quote: bool,
    /// Whether the paragraph ends inside a quotation that was never closed.
    pub ends_open: bool,
}

/// Working buffers of the paragraph stage, kept from paragraph to paragraph so that they are
/// allocated once; the lists of a [`ParaQuotes`] are copied out of them at their final size.
#[derive(Debug, Default)]
struct Scratch {
    tokens: words::Tokens,
    marks: marks::Buffers,
    pairing: marks::Pairing,
    /// Top-level quotations: range, closed, opening mark length, closing mark length.
    items: Vec<(TextRange, bool, usize, usize)>,
    /// Per top-level quotation: whether it uses single marks.
    single: Vec<bool>,
    ranges: Vec<TextRange>,
    quote_toks: Vec<usize>,
    sources: attribution::SourceBuffers,
    names: Vec<(TextRange, SharedText)>,
}

/// Paragraph stage.
pub fn scan(ctx: &ParaCtx<'_>) -> ParaQuotes {
    thread_local! {
        /// The working buffers, reused from paragraph to paragraph.
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let out = scan_with(ctx, &mut scratch);
            // A giant paragraph's buffers are not kept for the life of the thread.
            if scratch.tokens.toks.capacity() > 1 << 14 {
                *scratch = Scratch::default();
            }
            out
        }
        // Not reentrant in practice; fresh buffers keep it correct if it ever is.
        Err(_) => scan_with(ctx, &mut Scratch::default()),
    })
}

/// [`scan`] with the working buffers to use.
fn scan_with(ctx: &ParaCtx<'_>, scratch: &mut Scratch) -> ParaQuotes {
    let text = ctx.text;
    let Scratch {
        tokens,
        marks: mark_buffers,
        pairing,
        items,
        single,
        ranges,
        quote_toks,
        sources,
        names,
    } = scratch;
    marks::pair_into(text, mark_buffers, pairing);
    items.clear();
    single.clear();
    let top = pairing.spans.iter().filter(|s| s.depth == 0).count();
    let mut out = ParaQuotes {
        spans: Vec::with_capacity(top),
        nested: Vec::with_capacity(pairing.spans.len() - top),
        ..ParaQuotes::default()
    };
    for s in &pairing.spans {
        if s.depth == 0 {
            out.spans.push(s.range);
            items.push((s.range, true, s.open_len, s.close_len));
            single.push(s.family == Family::Single);
        } else {
            out.nested.push(s.range);
        }
    }
    out.stray_close = pairing.stray_close.clone();
    out.open = pairing.open.iter().map(|(r, _)| *r).collect();
    // The last opening mark never closed, at top level and after every paired quotation, is
    // a quotation running to the paragraph end (perhaps on into the next paragraph).
    if let Some((r, 0)) = pairing.open.last()
        && items.last().is_none_or(|(last, ..)| last.end <= r.start)
    {
        let end = text.trim_end().len().max(r.end);
        items.push((TextRange::new(r.start, end), false, r.len(), 0));
        single.push(text.get(r.start..r.end).is_some_and(|m| m == "‘"));
        out.ends_open = true;
    }
    out.opens_with_quote = items.first().is_some_and(|(r, ..)| r.start == 0);
    ranges.clear();
    ranges.extend(items.iter().map(|i| i.0));
    words::tokenize_into(text, ranges, ctx.sentences, tokens);
    let tokens = &*tokens;
    let toks = &tokens.toks;
    quote_toks.clear();
    // The tokenizer lists the quotation tokens.
    quote_toks.extend_from_slice(&tokens.quotes);
    let quote_toks = &*quote_toks;
    let reader = attribution::Reader::new(text, tokens);
    let cues = if quote_toks.len() == items.len() {
        attribution::attribute(&reader, quote_toks)
    } else {
        vec![None; items.len()]
    };
    out.items = Vec::with_capacity(items.len());
    for (i, (&(range, closed, open_len, close_len), cue)) in items.iter().zip(cues).enumerate() {
        let content = text
            .get(range.start + open_len..range.end - close_len)
            .unwrap_or("")
            .trim();
        let k = quote_toks.get(i).copied();
        let starts_sentence =
            k.is_none_or(|k| k == 0 || toks[k - 1].last_sentence != toks[k].sentence);
        let after_colon = k.is_some_and(|k| k > 0 && toks[k - 1].range.of(text) == ":");
        let ends_clause = content.ends_with(['.', ',', '?', '!', '…', ':', ';', '—', '–', '-']);
        // American style sets the comma or full stop inside the closing mark, so a few words
        // in mid-sentence that end with one (`the claim was “true.”`) are still a fragment
        // when nothing attributes them; a capitalised sentence after a comma (`a promise,
        // “We will build it.”`) is quoted whole.
        let after_comma = k.is_some_and(|k| k > 0 && toks[k - 1].range.of(text) == ",");
        let capitalised = content.chars().next().is_some_and(char::is_uppercase);
        let fragment = cue.is_none()
            && content.split_whitespace().nth(4).is_none()
            && !(after_comma && capitalised);
        let shape = if (ends_clause && !fragment) || starts_sentence || after_colon || !closed {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        };
        let term = k.is_some_and(|k| attribution::introduced_as_term(&reader, k));
        let closing_punct = if closed {
            let inner_end = range.end - close_len;
            text.get(..inner_end)
                .and_then(|t| t.chars().next_back())
                .filter(|c| matches!(c, '.' | ',' | '?' | '!' | '…' | ';' | ':'))
                .map(|c| (c, inner_end - c.len_utf8()))
        } else {
            None
        };
        let fallback = match k {
            Some(k) if cue.is_none() && range.start > 0 => {
                attribution::sentence_subject(&reader, k).map(Box::new)
            }
            _ => None,
        };
        out.items.push(ParaQuote {
            range,
            closed,
            cue,
            fallback,
            shape,
            term,
            title_like: looks_like_title(content),
            closing_punct,
            single: single.get(i).copied().unwrap_or(false),
            content: if is_collapsed(content) {
                SharedText::copy(content)
            } else {
                SharedText::from(collapse_whitespace(content))
            },
        });
    }
    out.sources = reader
        .source_phrases(sources)
        .iter()
        .map(|&(range, vague)| SourcePhrase {
            range,
            kind: if vague {
                SourceKind::Vague
            } else {
                SourceKind::Anonymous
            },
        })
        .collect();
    reader.name_runs(names);
    out.names = Vec::with_capacity(names.len());
    out.names.append(names);
    out.surname_keys = out.names.iter().map(|(_, n)| surname_key(n)).collect();
    out.trailing_cue = attribution::trailing_colon(&reader)
        .or_else(|| {
            let last = toks.last()?;
            if out.ends_open
                || toks
                    .iter()
                    .rev()
                    .take_while(|t| t.sentence == last.sentence)
                    .any(|t| matches!(t.kind, words::Kind::Quote(_)))
            {
                return None;
            }
            reader.last_sentence_speaker(last.sentence)
        })
        .map(Box::new);
    out
}

/// A few capitalised words: a title or name ("War and Peace", “Hail, Caesar!”, “Friends,”).
/// News style puts a comma or period inside the closing mark, so trailing punctuation is ignored.
fn looks_like_title(content: &str) -> bool {
    let core = content.trim_end_matches(['.', ',', '!', ';', ':']);
    let mut words = core.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let one_word = words.next().is_none();
    if core.ends_with('?') || !first.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let small = |w: &str| {
        matches!(
            w,
            "a" | "an"
                | "the"
                | "and"
                | "or"
                | "of"
                | "in"
                | "on"
                | "to"
                | "for"
                | "at"
                | "with"
                | "by"
                | "&"
        )
    };
    let title_word = |w: &str| {
        small(w)
            || w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
    };
    // Seven words or more are no title, unless it has a subtitle ("Austin Powers: The Spy Who
    // Shagged Me"): ten then. The words are read only up to the limit (most quotations fail
    // on their second word), and the subtitle looked for only past the seventh.
    let mut words = core.split_whitespace();
    let fits = words.by_ref().take(6).all(title_word)
        && match words.next() {
            None => true,
            Some(seventh) => {
                title_word(seventh)
                    && words.by_ref().take(2).all(title_word)
                    && words.next().is_none()
                    && core.contains(": ")
            }
        };
    fits && !(one_word
        && matches!(
            first.trim_end_matches(['.', ',', '!']),
            "I" | "No"
                | "Yes"
                | "OK"
                | "Okay"
                | "Thanks"
                | "Never"
                | "Absolutely"
                | "Nothing"
                | "Wow"
                | "Why"
                | "Exactly"
        ))
}

/// `s` with every run of whitespace made one space, and none at either end (the words of
/// `split_whitespace` joined by spaces), in one pass.
fn collapse_whitespace(s: &str) -> String {
    if is_collapsed(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether [`collapse_whitespace`] leaves `s` as it is: whitespace in it is single ASCII
/// spaces between words. Eight bytes are read at once; a chunk holding a non-ASCII byte or an
/// ASCII control character is read by byte, where a character is decoded only where a byte
/// may start non-ASCII whitespace (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
fn is_collapsed(s: &str) -> bool {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = s.as_bytes();
    let mut after_space = true;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // A byte's top bit: set for non-ASCII; in `below`, for an ASCII byte under 0x21; in
        // `space`, for 0x20 (adding 0x7F to a seven-bit byte sets its top bit unless it is 0).
        let below = !(((x & LOW7) + 0x5F5F_5F5F_5F5F_5F5F) | x) & HIGH;
        let z = x ^ 0x2020_2020_2020_2020;
        let space = !(((z & LOW7) + LOW7) | z) & HIGH;
        if x & HIGH != 0 || below != space {
            // Rare: the byte rules, as below.
            if !bytes_collapsed(s, at, chunk, &mut after_space) {
                return false;
            }
        } else {
            // Spaces only: none first after a space, none twice in a row.
            if space & (space << 8) != 0 || after_space && space & 0x80 != 0 {
                return false;
            }
            after_space = space >> 63 != 0;
        }
        at += 8;
    }
    if !bytes_collapsed(s, at, chunks.remainder(), &mut after_space) {
        return false;
    }
    !after_space || s.is_empty()
}

/// [`is_collapsed`] for the bytes `chunk` of `s`, starting at byte `at`, one by one:
/// whether they may stand in a collapsed text, with `after_space` carried along.
fn bytes_collapsed(s: &str, at: usize, chunk: &[u8], after_space: &mut bool) -> bool {
    for (k, &b) in chunk.iter().enumerate() {
        match b {
            b' ' if *after_space => return false,
            b' ' => *after_space = true,
            b'\t'..=b'\r' => return false,
            0xC2 | 0xE1 | 0xE2 | 0xE3
                if s.get(at + k..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(char::is_whitespace) =>
            {
                return false;
            }
            _ => *after_space = false,
        }
    }
    true
}

/// A quotation mark left unbalanced, in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MarkIssue {
    /// The mark itself.
    pub range: TextRange,
    /// True for an opening mark never closed, false for a closing mark never opened.
    pub unclosed: bool,
}

/// Quotation marks left unbalanced, beyond the news convention that a quotation running on
/// into the next paragraph is not closed at its paragraph end when the next paragraph reopens it.
///
/// Reads only the scans of paragraphs whose [`Placed::marks`] say they have a mark to check.
pub fn unbalanced(paras: &[Placed<'_>]) -> Vec<MarkIssue> {
    let mut out = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        if !p.marks.unpaired() {
            continue;
        }
        let q = &p.scan.quotes;
        let continued =
            p.marks.ends_open() && paras.get(i + 1).is_some_and(|n| n.marks.opens_with_quote());
        let run_on = if q.ends_open {
            q.items.last().map(|it| it.range.start)
        } else {
            None
        };
        for r in &q.open {
            if continued && run_on == Some(r.start) {
                continue;
            }
            out.push(MarkIssue {
                range: r.shift(p.offset),
                unclosed: true,
            });
        }
        for r in &q.stray_close {
            out.push(MarkIssue {
                range: r.shift(p.offset),
                unclosed: false,
            });
        }
    }
    out
}

/// The last word of a name (after its last space).
fn surname(name: &str) -> &str {
    // (A byte loop: names are short, and a space is one byte.)
    match name.as_bytes().iter().rposition(|&b| b == b' ') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The hash of a name's [`surname`].
fn surname_key(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(surname(name))
}

/// A nonzero 32-bit tag of a [`surname_key`] (see [`Deps::surname`]).
fn surname_tag(key: u64) -> u32 {
    key as u32 | 1
}

/// Document-wide context for turning cues into speakers.
struct Linker<'a> {
    entities: &'a [Entity],
    paras: &'a [Placed<'a>],
    /// (start, end, entity) of every mention of a person entity, by start. Gathered on first
    /// use (only pronouns need them).
    person_mentions: OnceCell<Vec<(usize, usize, usize)>>,
    /// Full names the story gives, in document order: (range, name). Gathered on first use
    /// (few speakers need them).
    names: OnceCell<Vec<(TextRange, &'a SharedText)>>,
    /// Every entity mention as (start, end, entity), by start ([`sorted_mentions`]).
    all_mentions: &'a [(usize, usize, usize)],
    /// The first full name the story gives for each last word ("Heusgen" → "Christoph Heusgen"),
    /// by the [`surname_key`] of the word (see [`Linker::complete`] for keys that collide).
    /// Built on first use.
    by_surname: OnceCell<FxHashMap<u64, usize>>,
    /// The name of each entity a speaker is linked to, made once (see [`Linker::entity_name`]).
    entity_names: RefCell<Vec<Option<SharedText>>>,
    /// What the speakers made since it was last reset read of the full names (see [`Deps`]).
    deps: std::cell::Cell<Deps>,
}

/// What attributing a quotation read of the full names the story gives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Deps {
    /// [`surname_tag`] of a surname looked up to complete a name; 0 for none. (Kept for
    /// every quotation between analyses, hence 32 bits: two surnames with the same tag only
    /// make an edit of one of them attribute everything again.)
    surname: u32,
    /// Whether a pronoun took the name given last before it.
    nearest_name: bool,
}

impl<'a> Linker<'a> {
    fn new(
        entities: &'a [Entity],
        paras: &'a [Placed<'a>],
        all_mentions: &'a [(usize, usize, usize)],
    ) -> Self {
        Linker {
            entities,
            paras,
            person_mentions: OnceCell::new(),
            names: OnceCell::new(),
            all_mentions,
            by_surname: OnceCell::new(),
            entity_names: RefCell::default(),
            deps: std::cell::Cell::default(),
        }
    }

    /// The mentions of person entities (see [`Linker::person_mentions`]).
    fn person_mentions(&self) -> &[(usize, usize, usize)] {
        self.person_mentions.get_or_init(|| {
            // Filtering keeps the order: no second sort.
            self.all_mentions
                .iter()
                .copied()
                .filter(|m| self.entities[m.2].kind == EntityKind::Person)
                .collect()
        })
    }

    /// The full names the story gives (see [`Linker::names`]).
    fn names(&self) -> &[(TextRange, &'a SharedText)] {
        self.names.get_or_init(|| {
            let mut names: Vec<(TextRange, &SharedText)> =
                Vec::with_capacity(self.paras.iter().map(|p| p.scan.quotes.names.len()).sum());
            for p in self.paras {
                names.extend(
                    p.scan
                        .quotes
                        .names
                        .iter()
                        .map(|(r, n)| (r.shift(p.offset), n)),
                );
            }
            names
        })
    }

    /// The first full name for each last word (see [`Linker::by_surname`]).
    fn by_surname(&self) -> &FxHashMap<u64, usize> {
        self.by_surname.get_or_init(|| {
            let keys = self.paras.iter().flat_map(|p| &p.scan.quotes.surname_keys);
            let mut by_surname =
                FxHashMap::with_capacity_and_hasher(self.names().len(), Default::default());
            for (i, &key) in keys.enumerate() {
                by_surname.entry(key).or_insert(i);
            }
            by_surname
        })
    }

    /// The entity with a mention overlapping `mention` (binary search over mention starts).
    /// With `person` (the name a speaker phrase gives), a person's mention wins: the one whose
    /// name ends with the same word, else the last one, for a phrase that names a person is
    /// headed by the name, after what qualifies it ("Kremlin spokesman Dmitry Peskov",
    /// "Clinton campaign manager Robby Mook"). Otherwise the entity of lowest index.
    fn entity_at(&self, mention: TextRange, person: Option<&str>) -> Option<usize> {
        let i = self.all_mentions.partition_point(|m| m.0 < mention.end);
        // Mentions do not nest deeply: a short look back finds any that overlaps.
        let overlapping = || {
            self.all_mentions[..i]
                .iter()
                .rev()
                .take(8)
                .filter(|m| m.1 > mention.start)
        };
        let named = |name: &str| {
            // Nearly every phrase overlaps one mention: nothing to choose.
            overlapping().nth(1)?;
            let people = || overlapping().filter(|m| self.entities[m.2].kind == EntityKind::Person);
            // The person the phrase names ("Jason Gilbert of Cheyenne": Gilbert, not a
            // Cheyenne taken for a given name), else the last.
            let last = name.split_whitespace().next_back().unwrap_or(name);
            people()
                .filter(|m| self.entities[m.2].name.ends_with(last))
                .max_by_key(|m| m.0)
                .or_else(|| people().max_by_key(|m| m.0))
                .map(|m| m.2)
        };
        person
            .and_then(named)
            .or_else(|| overlapping().map(|m| m.2).min())
    }

    /// A full name ending with `surname`, from the first full name the story gives.
    fn complete(&self, name: &str) -> Option<&'a SharedText> {
        let last = name.split_whitespace().last()?;
        if name.split_whitespace().count() > 1 {
            return None;
        }
        let key = surname_key(last);
        self.deps.set(Deps {
            surname: surname_tag(key),
            ..self.deps.get()
        });
        let names = self.names();
        let i = *self.by_surname().get(&key)?;
        if surname(names[i].1) == last {
            return Some(names[i].1);
        }
        // Another surname with the same hash came first: look for this one's first name.
        names
            .iter()
            .find(|(_, n)| surname(n) == last)
            .map(|(_, n)| *n)
    }

    /// The name of entity `e`, shared by every speaker linked to it.
    fn entity_name(&self, e: usize) -> SharedText {
        let mut cache = self.entity_names.borrow_mut();
        if cache.is_empty() {
            cache.resize(self.entities.len(), None);
        }
        cache[e]
            .get_or_insert_with(|| SharedText::copy(self.entities[e].name.as_str()))
            .clone()
    }

    fn speaker(&self, cue: &Cue, offset: usize, previous: &[Quote]) -> Speaker {
        let mention = cue.mention.shift(offset);
        let mut sp = Speaker {
            name: SharedText::default(),
            mention,
            entity: None,
            rule: cue.rule,
            cue: cue.verb.map(|v| v.shift(offset)),
            class: cue.class,
        };
        let linked = cue.refers_to.map_or(mention, |r| r.shift(offset));
        // Unnamed sources ("officials in Brussels said") are not the place they are in.
        let unnamed = matches!(cue.class, SpeakerClass::Anonymous | SpeakerClass::Vague);
        let person = (cue.class == SpeakerClass::Person).then_some(cue.name.as_str());
        if let Some(e) = self.entity_at(linked, person).filter(|_| !unnamed) {
            sp.entity = Some(e);
            sp.name = self.entity_name(e);
            if self.entities[e].kind == EntityKind::Organization && sp.class == SpeakerClass::Person
            {
                sp.class = SpeakerClass::Institution;
            }
            return sp;
        }
        // The name, when something better than the cue's own words gives it.
        let mut name: Option<SharedText> = None;
        match cue.class {
            SpeakerClass::Pronoun => {
                // (Only ASCII letters lowercase to these words.)
                let word = |w: &str| cue.name.eq_ignore_ascii_case(w);
                if word("he") || word("she") {
                    // The nearest person named before the pronoun.
                    let person_mentions = self.person_mentions();
                    let i = person_mentions.partition_point(|m| m.0 < mention.start);
                    let by_entity = i.checked_sub(1).map(|j| person_mentions[j]);
                    let by_speaker = previous
                        .iter()
                        .rev()
                        .take(SPEAKERS_LOOKED_BACK)
                        .filter_map(|q| q.speaker.as_ref())
                        .find(|s| {
                            s.class == SpeakerClass::Person
                                || s.entity
                                    .is_some_and(|e| self.entities[e].kind == EntityKind::Person)
                        });
                    if let Some((_, _, e)) = by_entity {
                        sp.entity = Some(e);
                        name = Some(self.entity_name(e));
                    } else if let Some(s) = by_speaker {
                        sp.entity = s.entity;
                        name = Some(s.name.clone());
                    } else if let Some(i) = {
                        self.deps.set(Deps {
                            nearest_name: true,
                            ..self.deps.get()
                        });
                        self.names()
                            .partition_point(|(r, _)| r.end <= mention.start)
                            .checked_sub(1)
                    } {
                        name = Some(self.names()[i].1.clone());
                    }
                } else if word("it")
                    && let Some(s) = previous
                        .iter()
                        .rev()
                        .take(SPEAKERS_LOOKED_BACK)
                        .filter_map(|q| q.speaker.as_ref())
                        .find(|s| s.class == SpeakerClass::Institution)
                {
                    sp.entity = s.entity;
                    name = Some(s.name.clone());
                }
            }
            SpeakerClass::Person => name = self.complete(&cue.name).cloned(),
            _ => {}
        }
        sp.name = name.unwrap_or_else(|| cue.name.clone());
        sp
    }
}

/// Sorts `(start, end, entity)` triples into the order `sort_unstable` gives them, by a
/// counting sort on the start (about one bucket per triple) and a sort of each bucket, which
/// holds a few at most: linear where one sort of a long manuscript's mentions is not.
fn sort_mentions(v: &mut Vec<(usize, usize, usize)>) {
    let n = v.len();
    let Some(max) = v.iter().map(|m| m.0).max().filter(|_| n >= 64) else {
        v.sort_unstable();
        return;
    };
    let mut shift = 0;
    while max >> shift >= n {
        shift += 1;
    }
    let buckets = (max >> shift) + 1;
    // `at[b]`: where bucket `b` starts; then, as triples are placed, where its next one goes.
    let mut at = vec![0usize; buckets + 1];
    for m in v.iter() {
        at[(m.0 >> shift) + 1] += 1;
    }
    for b in 1..=buckets {
        at[b] += at[b - 1];
    }
    let mut out = vec![(0, 0, 0); n];
    for &m in v.iter() {
        let slot = &mut at[m.0 >> shift];
        out[*slot] = m;
        *slot += 1;
    }
    // Now `at[b]` is where bucket `b` ends.
    let mut lo = 0;
    for &hi in &at[..buckets] {
        if hi - lo > 1 {
            out[lo..hi].sort_unstable();
        }
        lo = hi;
    }
    *v = out;
}

/// How many quotations back a pronoun looks for the speaker it stands for.
const SPEAKERS_LOOKED_BACK: usize = 50;

/// What the last pass of attribution ([`last_pass`]) reads of a quotation besides its speaker.
#[derive(Clone, Copy, Debug)]
struct Info {
    /// Introduced as a term.
    term: bool,
    title_like: bool,
    shape: QuoteKind,
    /// Opens its paragraph.
    opens: bool,
    /// Uses single marks.
    single: bool,
    /// What its attribution read of the full names the story gives.
    deps: Deps,
}

/// Every entity mention as (start, end, entity), by start.
fn sorted_mentions(entities: &[Entity]) -> Vec<(usize, usize, usize)> {
    let mut all: Vec<(usize, usize, usize)> =
        Vec::with_capacity(entities.iter().map(|e| e.mentions.len()).sum());
    for (i, e) in entities.iter().enumerate() {
        all.extend(e.mentions.iter().map(|m| (m.range.start, m.range.end, i)));
    }
    sort_mentions(&mut all);
    all
}

/// Attributes the quotations of paragraph `pi`, appending them to `quotes` and what the last
/// pass reads of them to `info`. Reads the paragraph's scan and the scan of the paragraph
/// before it, the speakers of the last [`SPEAKERS_LOOKED_BACK`] quotations before it (and
/// the paragraph of the last one), and the linker's document-wide lists.
fn attribute_paragraph(
    linker: &Linker<'_>,
    pi: usize,
    quotes: &mut Vec<Quote>,
    info: &mut Vec<Info>,
) {
    let paras = linker.paras;
    let p = &paras[pi];
    let q = &p.scan.quotes;
    let first_in_para = quotes.len();
    for (ii, item) in q.items.iter().enumerate() {
        linker.deps.set(Deps::default());
        let mut speaker = item
            .cue
            .as_ref()
            .map(|c| linker.speaker(c, p.offset, quotes));
        // Only whole-sentence quotations continue a speaker: a few quoted words with no
        // cue of their own are scare quotes more often than not.
        if speaker.is_none() && !item.term && item.shape == QuoteKind::Direct && !item.title_like {
            if ii > 0 {
                // Continuation inside the paragraph.
                speaker = quotes[first_in_para..]
                    .iter()
                    .rev()
                    .find_map(|x| x.speaker.clone())
                    .map(|mut s| {
                        s.rule = "continues the attributed quote before it";
                        s
                    });
            } else if pi > 0 {
                let prev = &paras[pi - 1];
                let run_on = prev.scan.quotes.ends_open;
                let last_prev = first_in_para
                    .checked_sub(1)
                    .filter(|&j| quotes[j].paragraph == pi - 1);
                let from_quote = || {
                    last_prev
                        .and_then(|j| quotes[j].speaker.clone())
                        .map(|mut s| {
                            s.rule = if run_on {
                                "continues the quotation of the paragraph before"
                            } else {
                                "continues the attributed quote of the paragraph before"
                            };
                            s
                        })
                };
                speaker = if run_on {
                    from_quote()
                } else if let Some(c) = &item.fallback {
                    // Words before the quotation in its own paragraph name its subject.
                    Some(linker.speaker(c, p.offset, quotes))
                } else {
                    prev.scan
                        .quotes
                        .trailing_cue
                        .as_ref()
                        .map(|c| linker.speaker(c, prev.offset, quotes))
                        .or_else(from_quote)
                };
            }
        }
        quotes.push(Quote {
            range: item.range.shift(p.offset),
            kind: item.shape,
            speaker,
            paragraph: pi,
            closed: item.closed,
            closing_punct: item.closing_punct.map(|(c, at)| (c, at + p.offset)),
            content: item.content.clone(),
        });
        info.push(Info {
            term: item.term,
            title_like: item.title_like,
            shape: item.shape,
            opens: item.range.start == 0,
            single: item.single,
            deps: linker.deps.get(),
        });
    }
}

/// Appends the source phrases of paragraph `p`, in document space, to `out`.
fn push_sources(p: &Placed<'_>, out: &mut Vec<SourcePhrase>) {
    out.extend(p.scan.quotes.sources.iter().map(|s| SourcePhrase {
        range: s.range.shift(p.offset),
        kind: s.kind,
    }));
}

/// The pass over the whole list of quotations attributed paragraph by paragraph: a quotation
/// running on into the next paragraph takes the speaker its later part names, and each
/// quotation's kind is decided (house style for single marks included).
fn last_pass(mut quotes: Vec<Quote>, info: &[Info]) -> Vec<Quote> {
    // A quotation running on into the next paragraph takes the speaker its later part names.
    for i in (0..quotes.len().saturating_sub(1)).rev() {
        let next = i + 1;
        if quotes[i].speaker.is_none()
            && !quotes[i].closed
            && quotes[next].paragraph == quotes[i].paragraph + 1
            && info[next].opens
            && let Some(mut s) = quotes[next].speaker.clone()
        {
            s.rule = "quotation continued in the next paragraph";
            quotes[i].speaker = Some(s);
        }
    }
    // House style: when the copy quotes in double marks, single marks at top level belong to
    // headlines and display type ("Trump: ‘I’m not a politician’"), not to the story's
    // quotations; copy that quotes in single marks (British style) keeps them.
    let singles = info.iter().filter(|i| i.single).count();
    let headline_singles = singles * 2 < info.len();
    for (q, i) in quotes.iter_mut().zip(info) {
        q.kind = if i.term || (i.single && headline_singles) {
            QuoteKind::NotAQuote
        } else if q.speaker.is_some() && !(i.title_like && i.shape == QuoteKind::Partial) {
            i.shape
        } else if i.shape == QuoteKind::Partial || i.title_like {
            QuoteKind::NotAQuote
        } else {
            QuoteKind::Direct
        };
        if q.kind == QuoteKind::NotAQuote {
            q.speaker = None;
        }
    }
    quotes
}

/// Writes [`last_pass`] of `quotes` (with their `info`) over `out`, its result for the
/// previous version, and returns whether it read single marks as headline marks. Instead of
/// a copy of the list, each quotation is brought up to date where it differs: no allocation,
/// and a text shared with the paragraph cache (the quoted words, a speaker's name) is cloned
/// only where it changed. With `changed` (what [`carry_over_changed`] changed, and the
/// previous headline reading), the quotations before the changed ones, and before any that
/// may take a speaker from them, are left as they are. `out` is changed in place if nothing
/// else holds it (else copied first: see [`SharedVec`]).
fn last_pass_into(
    out: &mut SharedVec<Quote>,
    quotes: &[Quote],
    info: &[Info],
    changed: Option<((usize, usize, usize), bool)>,
) -> bool {
    let singles = info.iter().filter(|i| i.single).count();
    let headline_singles = singles * 2 < info.len();
    // The first quotation that may differ from the previous result.
    let mut start = 0;
    match changed {
        Some(((qa, ob, fresh), headlines))
            if headlines == headline_singles
                && ob <= out.len()
                && out.len() - ob == quotes.len() - qa - fresh =>
        {
            // A quotation before the changed ones that may take its speaker from a later
            // one (no speaker of its own, not closed) is decided again.
            start = qa;
            while start > 0 && quotes[start - 1].speaker.is_none() && !quotes[start - 1].closed {
                start -= 1;
            }
            if ob - qa != fresh {
                out.make_mut()
                    .splice(qa..ob, quotes[qa..qa + fresh].iter().cloned());
            }
        }
        _ if out.len() != quotes.len() => {
            *out = last_pass(quotes.to_vec(), info).into();
            return headline_singles;
        }
        _ => {}
    }
    debug_assert_eq!(out.len(), quotes.len());
    const NONE: usize = usize::MAX;
    // The quotation whose speaker each one has after the run-on rule of `last_pass` (itself,
    // the next one's, or `NONE`): read backwards, as the next one's may be taken over too.
    let n = quotes.len();
    let mut from = vec![NONE; n - start];
    for i in (start..n).rev() {
        let q = &quotes[i];
        from[i - start] = if q.speaker.is_some() {
            i
        } else if i + 1 < n
            && !q.closed
            && quotes[i + 1].paragraph == q.paragraph + 1
            && info[i + 1].opens
        {
            from[i + 1 - start]
        } else {
            NONE
        };
    }
    let same = |a: &SharedText, b: &SharedText| std::ptr::eq(a.as_str(), b.as_str()) || a == b;
    let out = &mut out.make_mut()[start..];
    let (quotes_from, info_from) = (&quotes[start..], &info[start..]);
    for (k, ((o, q), inf)) in out.iter_mut().zip(quotes_from).zip(info_from).enumerate() {
        let i = start + k;
        // As `last_pass` decides it.
        let kind = if inf.term || (inf.single && headline_singles) {
            QuoteKind::NotAQuote
        } else if from[k] != NONE && !(inf.title_like && inf.shape == QuoteKind::Partial) {
            inf.shape
        } else if inf.shape == QuoteKind::Partial || inf.title_like {
            QuoteKind::NotAQuote
        } else {
            QuoteKind::Direct
        };
        o.range = q.range;
        o.kind = kind;
        o.paragraph = q.paragraph;
        o.closed = q.closed;
        o.closing_punct = q.closing_punct;
        if !same(&o.content, &q.content) {
            o.content = q.content.clone();
        }
        let j = from[k];
        let Some(s) = quotes.get(j).and_then(|q| q.speaker.as_ref()) else {
            o.speaker = None;
            continue;
        };
        if kind == QuoteKind::NotAQuote {
            o.speaker = None;
            continue;
        }
        let rule = if j == i {
            s.rule
        } else {
            "quotation continued in the next paragraph"
        };
        match &mut o.speaker {
            Some(os) if same(&os.name, &s.name) => {
                os.mention = s.mention;
                os.entity = s.entity;
                os.rule = rule;
                os.cue = s.cue;
                os.class = s.class;
            }
            slot => {
                let mut s = s.clone();
                s.rule = rule;
                *slot = Some(s);
            }
        }
    }
    headline_singles
}

/// Quotations attributed paragraph by paragraph (before [`last_pass`]), with their info.
fn attribute_all(
    paras: &[Placed<'_>],
    entities: &[Entity],
    mentions: &[(usize, usize, usize)],
) -> (Vec<Quote>, Vec<Info>) {
    let linker = Linker::new(entities, paras, mentions);
    let n_quotes = paras.iter().map(|p| p.scan.quotes.items.len()).sum();
    let mut quotes: Vec<Quote> = Vec::with_capacity(n_quotes);
    let mut info: Vec<Info> = Vec::with_capacity(n_quotes);
    for pi in 0..paras.len() {
        attribute_paragraph(&linker, pi, &mut quotes, &mut info);
    }
    (quotes, info)
}

/// Every source phrase of the document, in document space.
fn all_sources(paras: &[Placed<'_>]) -> Vec<SourcePhrase> {
    let mut sources = Vec::with_capacity(paras.iter().map(|p| p.scan.quotes.sources.len()).sum());
    for p in paras {
        push_sources(p, &mut sources);
    }
    sources
}

/// Document stage: quotes with their speakers, and vague/anonymous source phrases.
pub fn resolve(
    _text: &str,
    paras: &[Placed<'_>],
    entities: &[Entity],
    _paragraphs: &[Paragraph],
) -> (Vec<Quote>, Vec<SourcePhrase>) {
    let mentions = sorted_mentions(entities);
    let (quotes, info) = attribute_all(paras, entities, &mentions);
    (last_pass(quotes, &info), all_sources(paras))
}

/// What attribution keeps from one analysis of a document to the next.
///
/// Attributing a paragraph's quotations reads, besides the paragraph's own scan, the scan of
/// the paragraph before (a run-on quotation, a trailing cue), the speakers of the last
/// [`SPEAKERS_LOOKED_BACK`] quotations (continued speakers, pronouns) and three document-wide
/// lists: the entity mentions, the entities' names and kinds, and the full names the story
/// gives. When an edit leaves those lists as they were but for the move of what follows the
/// edited bytes (or changes full names that no quotation's attribution read, see [`Deps`], or
/// organisations and places only in the edited paragraphs, see [`carry_over`]),
/// [`resolve_cached`] attributes again only the changed paragraphs and those after them until
/// the last [`SPEAKERS_LOOKED_BACK`] quotations are those of the previous analysis (moved):
/// the rest is the previous result, moved. The last pass ([`last_pass`]) reads the whole
/// list and is always run.
#[derive(Default)]
pub(crate) struct Cache {
    prev: Option<Remembered>,
    /// How many analyses reused the previous attribution (for tests).
    pub carried: usize,
    /// How many paragraphs the last analysis attributed (for tests).
    pub attributed: usize,
}

/// The previous attribution and what it was computed from.
struct Remembered {
    /// The blocks it was computed from (holding them keeps their scans alive, so a block of
    /// the next version that is the same `Arc` is certainly the same scan).
    blocks: Vec<CachedBlock>,
    /// Every entity mention as (start, end, entity), by start.
    mentions: Vec<(usize, usize, usize)>,
    /// [`entity_sigs`] of the entities.
    sigs: Vec<EntitySig>,
    /// The quotations as attributed paragraph by paragraph, before [`last_pass`].
    quotes: Vec<Quote>,
    info: Vec<Info>,
    /// The quotations after [`last_pass`], shared with the analysis (updated in place once it
    /// is dropped: see [`last_pass_into`]).
    out: SharedVec<Quote>,
    /// What [`carry_over_changed`] changed in `quotes`, for [`last_pass_into`]: `None` if it
    /// may have changed any quotation, else `Some((qa, ob, fresh))`: the quotations before
    /// `qa` are the previous ones, `fresh` new ones replace the previous `qa..ob`, and the rest
    /// are the previous ones moved.
    changed: Option<(usize, usize, usize)>,
    /// Whether the last [`last_pass`] read single marks as headline marks.
    headline_singles: bool,
    /// Shared with the analysis (updated in place once it is dropped).
    sources: SharedVec<SourcePhrase>,
}

/// One mention's share of the sum that stands for an entity's mentions (a bijective mix of its
/// start, end and entity).
fn mention_hash(start: usize, end: usize, entity: usize) -> u64 {
    let x = (start as u64) ^ (end as u64).rotate_left(21) ^ (entity as u64).rotate_left(42);
    // An odd multiplier, then the high half folded into the low: both steps are bijective.
    let x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 32)
}

/// What attribution reads of an entity besides its mentions: a hash of its name, and its
/// kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EntitySig {
    name: u64,
    kind: EntityKind,
}

/// The [`EntitySig`] of each entity, in order.
fn entity_sigs(entities: &[Entity]) -> Vec<EntitySig> {
    use std::hash::BuildHasher;
    entities
        .iter()
        .map(|e| EntitySig {
            name: rustc_hash::FxBuildHasher.hash_one(e.name.as_str()),
            kind: e.kind,
        })
        .collect()
}

/// For each old entity (signatures `old`), the new entity (signatures `new`) it is, or
/// `usize::MAX` for none: the two lists are walked in step, an entity inserted, removed or
/// replaced in between is passed over. The map keeps the order of the entities (what
/// [`Linker::entity_at`] and the order of the mentions read of their indices).
fn align(old: &[EntitySig], new: &[EntitySig]) -> Vec<usize> {
    let mut map = vec![usize::MAX; old.len()];
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if old[i] == new[j] {
            map[i] = j;
            i += 1;
            j += 1;
        } else if new.get(j + 1) == Some(&old[i]) {
            j += 1;
        } else if old.get(i + 1) == Some(&new[j]) {
            i += 1;
        } else {
            i += 1;
            j += 1;
        }
    }
    map
}

/// [`resolve`], reusing the previous attribution where the edit `change` (`None`: unknown)
/// cannot have changed it (see [`Cache`]). `blocks` are the blocks `paras` come from.
/// Remembers the result unless `remember` is false (a one-off analysis).
// (Not inlined: one call per analysis, and profiles show its cost apart.)
#[inline(never)]
pub(crate) fn resolve_cached(
    paras: &[Placed<'_>],
    blocks: &[CachedBlock],
    entities: &[Entity],
    cache: &mut Cache,
    change: Option<Change>,
    remember: bool,
) -> (SharedVec<Quote>, SharedVec<SourcePhrase>) {
    if !remember {
        cache.prev = None;
        cache.attributed = paras.len();
        let mentions = sorted_mentions(entities);
        let (quotes, info) = attribute_all(paras, entities, &mentions);
        return (last_pass(quotes, &info).into(), all_sources(paras).into());
    }
    let sigs = entity_sigs(entities);
    let reused = match (cache.prev.take(), change) {
        (Some(prev), Some(change)) => carry_over(prev, paras, blocks, entities, &sigs, change),
        _ => None,
    };
    let prev = match reused {
        Some((mut prev, attributed)) => {
            cache.carried += 1;
            cache.attributed = attributed;
            prev.sigs = sigs;
            prev
        }
        None => {
            cache.attributed = paras.len();
            let mentions = sorted_mentions(entities);
            let (quotes, info) = attribute_all(paras, entities, &mentions);
            Remembered {
                blocks: Vec::new(),
                mentions,
                sigs,
                quotes,
                info,
                out: SharedVec::default(),
                changed: None,
                headline_singles: false,
                sources: all_sources(paras).into(),
            }
        }
    };
    let prev = cache.prev.insert(prev);
    super::follow_blocks(&mut prev.blocks, blocks);
    let changed = prev.changed.take();
    prev.headline_singles = last_pass_into(
        &mut prev.out,
        &prev.quotes,
        &prev.info,
        changed.map(|c| (c, prev.headline_singles)),
    );
    (prev.out.clone(), prev.sources.clone())
}

/// The previous attribution `prev` brought up to date with `paras` after the edit `change`,
/// if what it read of the entities is unchanged (see below); and how many paragraphs were
/// attributed again.
///
/// What attribution reads of the entities: the kind and name of an entity linked to a
/// speaker, its index, the mentions of people (a pronoun takes the person named last before
/// it), and the mentions overlapping a speaker's words ([`Linker::entity_at`]). The edited
/// stretch R (between the blocks before and after the edit that stayed the same scans) is
/// attributed again; a mention of an organisation or place inside R may come, go or change
/// entity, and an entity may come or go (an organisation renamed there), as long as every
/// other mention is the previous one, moved, of the same entity (the same name and kind, its
/// index perhaps moved by the entities that came or went). That is all a quotation outside R
/// reads: its speaker's words lie in its own paragraph or the one before it (the paragraph
/// after R is always attributed again), no mention straddles an end of R (checked), so a
/// mention inside R overlaps no such words, and as it starts before every mention that does
/// (or after the words), it does not push one out of the few that
/// [`Linker::entity_at`] looks back over either.
fn carry_over(
    mut prev: Remembered,
    paras: &[Placed<'_>],
    blocks: &[CachedBlock],
    entities: &[Entity],
    sigs: &[EntitySig],
    change: Change,
) -> Option<(Remembered, usize)> {
    let delta = change.new_len as isize - change.old_len as isize;
    let old_suffix_start = change.old_len.checked_sub(change.suffix)?;
    // Where a range of the previous version is now: unchanged before the edited bytes, moved
    // with the text after them; `None` for a range that touches them.
    let moved = |r: TextRange| {
        if r.end <= change.prefix {
            Some(r)
        } else if r.start >= old_suffix_start {
            Some(TextRange::new(
                r.start.wrapping_add_signed(delta),
                r.end.wrapping_add_signed(delta),
            ))
        } else {
            None
        }
    };
    // Blocks at the start that are the same scans at the same place, and at the end that are
    // the same scans moved with the text; the blocks in between changed.
    let (ob, nb) = (&prev.blocks, blocks);
    let (kb, ke) = super::unchanged_ends(ob, nb, delta);
    // The edited stretch R: `r_start..r_old_end` in the previous version, `r_start..r_new_end`
    // now.
    let r_start = match kb {
        0 => 0,
        _ if ob[kb - 1].range.end != nb[kb - 1].range.end => return None,
        _ => nb[kb - 1].range.end,
    };
    let (r_old_end, r_new_end) = match ke {
        0 => (usize::MAX, usize::MAX),
        _ => (ob[ob.len() - ke].range.start, nb[nb.len() - ke].range.start),
    };
    // Which entity of now each previous one is (`None`: the same index).
    let map = (prev.sigs[..] != sigs[..]).then(|| align(&prev.sigs, sigs));
    let to_new = |e: usize| match &map {
        None => Some(e),
        Some(map) => Some(map[e]).filter(|&e| e != usize::MAX),
    };
    // The mentions but those of organisations and places inside R must be the previous ones,
    // moved, of the same entities: compared as sets, by hash. Then the sorted list is moved,
    // and its stretch inside R made that of now.
    let (mut now, mut count) = (0u64, 0usize);
    let mut inside: Vec<(usize, usize, usize)> = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let free = e.kind != EntityKind::Person;
        for m in &e.mentions {
            let (s, t) = (m.range.start, m.range.end);
            if s < r_start {
                if t > r_start {
                    return None;
                }
            } else if s < r_new_end {
                if t > r_new_end {
                    return None;
                }
                if free {
                    inside.push((s, t, i));
                    continue;
                }
            }
            now = now.wrapping_add(mention_hash(s, t, i));
            count += 1;
        }
    }
    let lo = prev.mentions.partition_point(|m| m.0 < r_start);
    let hi = prev.mentions.partition_point(|m| m.0 < r_old_end);
    let shift = |m: &mut (usize, usize, usize)| -> Option<u64> {
        let r = moved(TextRange::new(m.0, m.1))?;
        *m = (r.start, r.end, to_new(m.2)?);
        Some(mention_hash(m.0, m.1, m.2))
    };
    let (head, after) = prev.mentions.split_at_mut(hi);
    let (before, mid) = head.split_at_mut(lo);
    let mut back = shift_all(before, &moved, map.as_deref())?.wrapping_add(shift_all(
        after,
        &moved,
        map.as_deref(),
    )?);
    let mut old_count = before.len() + after.len();
    for &m in mid.iter() {
        if m.1 > r_old_end {
            return None;
        }
        if prev.sigs[m.2].kind != EntityKind::Person {
            continue;
        }
        let mut m = m;
        back = back.wrapping_add(shift(&mut m)?);
        old_count += 1;
        if m.0 < r_start || m.1 > r_new_end {
            return None;
        }
        inside.push(m);
    }
    // (The sets are the same; each part must also be where it was in the list.)
    if old_count != count
        || back != now
        || before.last().is_some_and(|m| m.0 >= r_start)
        || after.first().is_some_and(|m| m.0 < r_new_end)
    {
        return None;
    }
    inside.sort_unstable();
    prev.mentions.splice(lo..hi, inside);
    let (ob, nb) = (&prev.blocks, blocks);
    let (old_mid, new_mid) = (&ob[kb..ob.len() - ke], &nb[kb..nb.len() - ke]);
    let count_paras = |bs: &[CachedBlock]| bs.iter().map(|b| b.scans.len()).sum::<usize>();
    // Paragraphs: `pa` before the changed ones, `ps` after them.
    let pa = count_paras(&nb[..kb]);
    let ps = count_paras(&nb[nb.len() - ke..]);
    let n_new = paras.len();
    let n_old = pa + count_paras(old_mid) + ps;
    if n_new != pa + count_paras(new_mid) + ps {
        return None;
    }
    let dp = n_new as isize - n_old as isize;
    // Where the changed paragraphs' full names differ from the old ones, a quotation that
    // looked up one of their surnames, or took the name given last before a pronoun (rare),
    // may change anywhere: then everything is attributed again.
    let names_same = block_names(old_mid)
        .map(|(r, n)| (moved(r), n))
        .eq(block_names(new_mid).map(|(r, n)| (Some(r), n)));
    if !names_same {
        let keys = |bs: &[CachedBlock]| -> Vec<u32> {
            bs.iter()
                .flat_map(|b| b.scans.iter().flat_map(|p| p.quotes.surname_keys.iter()))
                .map(|&k| surname_tag(k))
                .collect()
        };
        let mut touched = keys(old_mid);
        touched.extend(keys(new_mid));
        touched.sort_unstable();
        let reads = |i: &Info| {
            i.deps.nearest_name
                || (i.deps.surname != 0 && touched.binary_search(&i.deps.surname).is_ok())
        };
        if prev.info.iter().any(reads) {
            return None;
        }
    }
    // Sources: the changed paragraphs' replace the previous ones, those after them move.
    let old_start = |i: usize| ob.get(i).map_or(usize::MAX, |b| b.range.start);
    let sa = prev
        .sources
        .partition_point(|s| s.range.start < old_start(kb));
    let sb = prev
        .sources
        .partition_point(|s| s.range.start < old_start(ob.len() - ke));
    let mut mid_sources = Vec::new();
    for p in &paras[pa..n_new - ps] {
        push_sources(p, &mut mid_sources);
    }
    let after = sa + mid_sources.len();
    prev.sources.splice(sa..sb, mid_sources);
    for s in &mut prev.sources[after..] {
        s.range = TextRange::new(
            s.range.start.wrapping_add_signed(delta),
            s.range.end.wrapping_add_signed(delta),
        );
    }
    // Whether new quotation `b` reads, to what follows it, as the old `a` did (its speaker
    // and its paragraph, moved).
    let same = |a: &Quote, b: &Quote| -> bool {
        let paragraph = if a.paragraph < pa {
            a.paragraph as isize
        } else {
            a.paragraph as isize + dp
        };
        paragraph == b.paragraph as isize
            && match (&a.speaker, &b.speaker) {
                (None, None) => true,
                (Some(a), Some(b)) => same_speaker_moved(a, b, &moved),
                _ => false,
            }
    };
    carry_over_changed(
        prev,
        paras,
        entities,
        map.as_deref(),
        (pa, ps, n_old),
        &same,
        &moved,
        delta,
    )
}

/// Mentions `ms` (start, end, entity) of the previous version `moved` to where they are now,
/// their entities renumbered by `map` ([`align`]; `None`: the same); the sum of their
/// [`mention_hash`]es, or `None` if one touches the edited bytes or its entity is gone.
fn shift_all(
    ms: &mut [(usize, usize, usize)],
    moved: &impl Fn(TextRange) -> Option<TextRange>,
    map: Option<&[usize]>,
) -> Option<u64> {
    let mut sum = 0u64;
    match map {
        None => {
            for m in ms {
                let r = moved(TextRange::new(m.0, m.1))?;
                (m.0, m.1) = (r.start, r.end);
                sum = sum.wrapping_add(mention_hash(m.0, m.1, m.2));
            }
        }
        Some(map) => {
            for m in ms {
                let r = moved(TextRange::new(m.0, m.1))?;
                let e = map[m.2];
                if e == usize::MAX {
                    return None;
                }
                *m = (r.start, r.end, e);
                sum = sum.wrapping_add(mention_hash(m.0, m.1, m.2));
            }
        }
    }
    Some(sum)
}

/// [`carry_over`] when only the changed paragraphs `pa..n_new - ps` (`pa..n_old - ps` in the
/// previous version) need attributing again, and those after them until in step: they are
/// attributed after a copy of the last quotations before them (all they read of the earlier
/// ones), the result replaces the old quotations in place, and the rest are moved. `map`
/// gives the entity of now of each previous one, when they differ ([`align`]).
#[allow(clippy::too_many_arguments)]
fn carry_over_changed(
    mut prev: Remembered,
    paras: &[Placed<'_>],
    entities: &[Entity],
    map: Option<&[usize]>,
    (pa, ps, n_old): (usize, usize, usize),
    same: &impl Fn(&Quote, &Quote) -> bool,
    moved: &impl Fn(TextRange) -> Option<TextRange>,
    delta: isize,
) -> Option<(Remembered, usize)> {
    let n_new = paras.len();
    let dp = n_new as isize - n_old as isize;
    let qa = prev.quotes.partition_point(|q| q.paragraph < pa);
    let qb = prev.quotes.partition_point(|q| q.paragraph < n_old - ps);
    let seed = qa.saturating_sub(SPEAKERS_LOOKED_BACK);
    // The speakers' entities, as they are numbered now (`usize::MAX`: gone). The quotations
    // before the changed paragraphs are kept, and those after them that are kept are
    // checked below.
    if let Some(map) = map {
        for (i, q) in prev.quotes.iter_mut().enumerate() {
            if let Some(Speaker {
                entity: Some(e), ..
            }) = &mut q.speaker
            {
                *e = map[*e];
                if *e == usize::MAX && i < qa {
                    return None;
                }
            }
        }
    }
    // `work`: the last quotations before the changed paragraphs, then the new ones.
    let mut work: Vec<Quote> = prev.quotes[seed..qa].to_vec();
    let mut work_info: Vec<Info> = Vec::new();
    let linker = Linker::new(entities, paras, &prev.mentions);
    for p in pa..n_new - ps {
        attribute_paragraph(&linker, p, &mut work, &mut work_info);
    }
    // How many quotations at the end read as their old counterparts, and whether every
    // quotation has its old index.
    let in_place = work.len() - (qa - seed) == qb - qa;
    let mut run = 0;
    if in_place {
        run = qa;
        for (a, b) in prev.quotes[qa..qb].iter().zip(&work[qa - seed..]) {
            run = if same(a, b) { run + 1 } else { 0 };
        }
    }
    let mut oi = qb;
    let mut pi = n_new - ps;
    while pi < n_new {
        // In step: what the paragraph reads of the quotations before it is as it was. The
        // paragraph after the changed ones reads their scans: always attributed again.
        let in_step = run >= SPEAKERS_LOOKED_BACK || (in_place && run == seed + work.len());
        if pi > n_new - ps && in_step {
            break;
        }
        let before = work.len();
        attribute_paragraph(&linker, pi, &mut work, &mut work_info);
        for b in &work[before..] {
            let a = prev.quotes.get(oi)?;
            if a.paragraph as isize + dp != pi as isize {
                return None;
            }
            run = if same(a, b) { run + 1 } else { 0 };
            oi += 1;
        }
        pi += 1;
    }
    drop(linker);
    let fresh = work.len() - (qa - seed);
    if map.is_some()
        && prev.quotes[oi..].iter().any(|q| {
            q.speaker
                .as_ref()
                .is_some_and(|s| s.entity == Some(usize::MAX))
        })
    {
        return None;
    }
    prev.changed = map.is_none().then_some((qa, oi, fresh));
    prev.quotes.splice(qa..oi, work.drain(qa - seed..));
    prev.info.splice(qa..oi, work_info);
    // The rest, moved.
    if delta != 0 || dp != 0 {
        for q in &mut prev.quotes[qa + fresh..] {
            q.range = TextRange::new(
                q.range.start.wrapping_add_signed(delta),
                q.range.end.wrapping_add_signed(delta),
            );
            q.closing_punct = q
                .closing_punct
                .map(|(c, at)| (c, at.wrapping_add_signed(delta)));
            q.paragraph = q.paragraph.wrapping_add_signed(dp);
            if let Some(s) = &mut q.speaker {
                s.mention = moved(s.mention)?;
                s.cue = match s.cue {
                    Some(c) => Some(moved(c)?),
                    None => None,
                };
            }
        }
    }
    debug_assert_eq!(prev.quotes.len(), prev.info.len());
    Some((prev, pi - pa))
}

/// The full names the paragraphs of `blocks` give, in document space.
fn block_names(blocks: &[CachedBlock]) -> impl Iterator<Item = (TextRange, &SharedText)> {
    blocks.iter().flat_map(|b| {
        b.scans.iter().flat_map(move |p| {
            let at = b.range.start + p.start_in_block;
            p.quotes.names.iter().map(move |(r, n)| (r.shift(at), n))
        })
    })
}

/// Whether speaker `b` is speaker `a` of the previous version with its ranges `moved`.
fn same_speaker_moved(
    a: &Speaker,
    b: &Speaker,
    moved: &impl Fn(TextRange) -> Option<TextRange>,
) -> bool {
    // Every field, by name: a field added to `Speaker` must be compared here too.
    let Speaker {
        name,
        mention,
        entity,
        rule,
        cue,
        class,
    } = a;
    moved(*mention) == Some(b.mention)
        && *entity == b.entity
        && *class == b.class
        && *rule == b.rule
        && match (cue, b.cue) {
            (None, None) => true,
            (Some(c), Some(d)) => moved(*c) == Some(d),
            _ => false,
        }
        && *name == b.name
}

/// The sources ledger: every source of the document with its quotes, named people,
/// institutions, and anonymous and vague sources counted apart. Serialised as JSON by
/// `copydesk sources --format json` and the `copydesk.sources` LSP command.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    pub sources: Vec<LedgerSource>,
    /// Quotations nobody is named for.
    pub unattributed: Vec<LedgerQuote>,
    /// Anonymous source phrases and quotations from anonymous sources.
    pub anonymous: usize,
    /// Vague source phrases and quotations from unnamed groups.
    pub vague: usize,
}

/// One source in the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerSource {
    pub name: String,
    /// `person`, `organization`, `place`, `anonymous`, `vague` or `unknown`.
    pub kind: String,
    pub role: Option<String>,
    pub quotes: Vec<LedgerQuote>,
}

/// One quotation in the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerQuote {
    pub range: TextRange,
    pub text: String,
}

fn ledger_kind(analysis: &super::Analysis, s: &Speaker) -> &'static str {
    if let Some(e) = s.entity.and_then(|e| analysis.entities.get(e)) {
        return e.kind.as_str();
    }
    match s.class {
        SpeakerClass::Person => "person",
        SpeakerClass::Institution => "organization",
        SpeakerClass::Anonymous => "anonymous",
        SpeakerClass::Vague => "vague",
        SpeakerClass::Descriptor | SpeakerClass::Pronoun => "unknown",
    }
}

/// Builds the sources ledger of an analysis.
pub fn ledger(analysis: &super::Analysis, text: &str) -> Ledger {
    let mut out = Ledger::default();
    let quote_of = |q: &Quote| LedgerQuote {
        range: q.range,
        text: text
            .get(q.range.start..q.range.end)
            .unwrap_or("")
            .to_string(),
    };
    for q in analysis
        .quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::NotAQuote)
    {
        let Some(s) = &q.speaker else {
            out.unattributed.push(quote_of(q));
            continue;
        };
        let kind = ledger_kind(analysis, s);
        let found = out
            .sources
            .iter_mut()
            .find(|x| x.name == s.name && x.kind == kind);
        match found {
            Some(src) => src.quotes.push(quote_of(q)),
            None => out.sources.push(LedgerSource {
                name: s.name.to_string(),
                kind: kind.to_string(),
                role: s
                    .entity
                    .and_then(|e| analysis.entities.get(e))
                    .and_then(|e| e.role.clone()),
                quotes: vec![quote_of(q)],
            }),
        }
    }
    let quoted_phrase = |r: TextRange| {
        analysis
            .quotes
            .iter()
            .any(|q| q.speaker.as_ref().is_some_and(|s| s.mention.overlaps(r)))
    };
    for s in &analysis.sources {
        if quoted_phrase(s.range) {
            continue;
        }
        match s.kind {
            SourceKind::Anonymous => out.anonymous += 1,
            SourceKind::Vague => out.vague += 1,
        }
    }
    for src in &out.sources {
        match src.kind.as_str() {
            "anonymous" => out.anonymous += 1,
            "vague" => out.vague += 1,
            _ => {}
        }
    }
    out
}

/// Shortens quoted text for a one-line display.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// Hover text (Markdown) for the quotation with index `quote` in `analysis.quotes`.
pub fn hover(analysis: &super::Analysis, text: &str, quote: usize) -> String {
    let Some(q) = analysis.quotes.get(quote) else {
        return String::new();
    };
    let of = |r: TextRange| text.get(r.start..r.end).unwrap_or("");
    if q.kind == QuoteKind::NotAQuote {
        return "**Not a quotation**: a title, nickname, scare quote or so-called word (no one is said to have said it).".into();
    }
    let Some(s) = &q.speaker else {
        return "**Unattributed quotation**: no speaker is named for it in its sentence, by a colon, or by the quote before it.".into();
    };
    let mut md = format!("**Quotation** · speaker: **{}**", s.name);
    if let Some(e) = s.entity.and_then(|e| analysis.entities.get(e))
        && let Some(role) = &e.role
    {
        md.push_str(&format!(" ({role})"));
    }
    md.push_str("\n\n");
    let mention = of(s.mention);
    match s.cue.map(of) {
        Some(cue) if !cue.is_empty() => {
            md.push_str(&format!("Named by “{mention}” with “{cue}”: {}.", s.rule))
        }
        _ => md.push_str(&format!("Named by “{mention}”: {}.", s.rule)),
    }
    let same = |o: &Speaker| match (o.entity, s.entity) {
        (Some(a), Some(b)) => a == b,
        _ => o.name == s.name,
    };
    let others: Vec<&Quote> = analysis
        .quotes
        .iter()
        .enumerate()
        .filter(|(i, o)| {
            *i != quote && o.kind != QuoteKind::NotAQuote && o.speaker.as_ref().is_some_and(same)
        })
        .map(|(_, o)| o)
        .collect();
    if others.is_empty() {
        md.push_str(&format!(
            "\n\nNo other quote from {} in this story.",
            s.name
        ));
    } else {
        md.push_str(&format!(
            "\n\nOther quotes from {} in this story ({}):",
            s.name,
            others.len()
        ));
        for o in others {
            let (line, _) = super::text::line_col(text, o.range.start);
            md.push_str(&format!("\n- line {line}: {}", clip(of(o.range), 80)));
        }
    }
    md
}
