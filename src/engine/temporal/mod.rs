//! Temporal expressions (TimeML TIMEX3), the publication date they resolve against, and past
//! events a reader cannot date.
//!
//! Contract:
//! - Paragraph stage ([`scan`]): tokens, recognised expressions with TimeBank extents and an
//!   anchor-free meaning ([`recognise`]), the tense of each expression's clause and the speech
//!   time of quotations ([`tense`]), and event verbs ([`events`]). Offsets are relative to the
//!   paragraph; nothing outside the paragraph is read, so the scan caches exactly.
//! - Document stage: [`anchor()`] finds the publication date ([`anchor`](mod@anchor) module);
//!   [`resolve`] turns each expression into a TIMEX3 value against it ([`normalise`]), with
//!   dates inside a quotation counted from when it was spoken when the text says so, and
//!   decides which events are dated. An [`super::Analyzer`] keeps the previous resolution
//!   ([`Cache`]) and, after an edit, resolves again only the changed paragraphs and those after
//!   them whose context the edit changed; the rest is moved. Values and explanations are
//!   [`SharedText`], so reusing them copies nothing.
//! - Editor features ([`hover`], [`hover_anchor`], [`inlay_hints`]) answer from a finished
//!   [`super::Analysis`].
//! - Matchers and word tables are built once per process; every pass is linear in the text.

pub mod anchor;
pub mod events;
pub mod lexicon;
pub mod normalise;
pub mod recognise;
pub mod tense;

use jiff::civil::Date;
use serde::Serialize;

use super::entities::coref::Change;
use super::markup::FrontMatter;
use super::navigation::{Hover, InlayHint};
use super::paragraph::ParaCtx;
use super::quotes::{ParaQuotes, Quote};
pub use super::shared::SharedText;
use super::shared::{SharedVec, shared_text};
use super::text::TextRange;
use super::{CachedBlock, Config, Placed};
use normalise::{Reference, weekday_name, weekday_number};
use recognise::{Flaw, RawTimex, month_name};

/// TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    /// The TIMEX3 `type` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// Where the publication date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnchorSource {
    /// `copydesk.toml`, an editor setting or `--date`.
    Setting,
    /// The `date:` key of the front matter.
    FrontMatter,
    /// A dateline or a date line in the story's header.
    Dateline,
}

impl AnchorSource {
    /// In words, for hovers and explanations.
    pub fn describe(self) -> &'static str {
        match self {
            AnchorSource::Setting => "setting",
            AnchorSource::FrontMatter => "front matter",
            AnchorSource::Dateline => "dateline",
        }
    }
}

/// The publication date relative expressions resolve against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Anchor {
    pub date: Date,
    pub source: AnchorSource,
    /// The text it was read from (front matter value or dateline), if any.
    pub range: Option<TextRange>,
}

/// Something wrong with a written date, for the date checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DateProblem {
    /// The weekday written with a date is not that date's weekday.
    WeekdayMismatch {
        /// The weekday word.
        weekday: TextRange,
        written: &'static str,
        actual: &'static str,
        /// The day number, and the nearest day of the same month that is the written weekday.
        day: Option<TextRange>,
        suggested_day: Option<u8>,
    },
    /// A day or month that does not exist.
    Impossible { why: String },
    /// A numeric date whose day and month could be swapped; both readings in words.
    Ambiguous {
        read: String,
        swapped: String,
        read_iso: String,
        swapped_iso: String,
    },
}

/// A temporal expression in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timex {
    pub range: TextRange,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value: `2023-03-20`, `2023-W11`, `P3D`, `PRESENT_REF`, `XXXX-WXX-1`; for a relative
    /// expression with no anchor, an unresolved pattern like `XXXX-XX-XX`.
    pub value: SharedText,
    /// Whether its value depends on the publication date (or another anchor).
    pub relative: bool,
    /// Whether a relative value was resolved.
    pub resolved: bool,
    /// How the value was worked out, in words, for hover.
    pub how: SharedText,
    /// The day it denotes, when it denotes one day.
    pub day: Option<Date>,
    /// Something wrong with the date as written. Boxed, as it is rare: a timex is copied
    /// into every analysis, and half its size would be this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Box<DateProblem>>,
}

/// A past-tense event verb and whether the reader can date it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The verb ("announced", "called on").
    pub range: TextRange,
    pub sentence: TextRange,
    pub dated: bool,
}

/// Paragraph-stage result (offsets relative to the paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaTemporal {
    /// Recognised expressions, in order, not overlapping.
    pub timexes: Vec<RawTimex>,
    /// Event verbs, at most one per sentence.
    pub events: Vec<events::RawEvent>,
    /// Whether the paragraph talks about quarters (of a business year).
    pub mentions_quarter: bool,
}

/// Paragraph stage: expressions, their clause tense and speech time, and event verbs.
pub fn scan(ctx: &ParaCtx<'_>, _quotes: &ParaQuotes) -> ParaTemporal {
    thread_local! {
        /// The token and quotation buffers, reused from paragraph to paragraph.
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            lexicon::tokenize_into(ctx.text, &mut scratch.tokens);
            let scan = scan_tokens(ctx, &mut scratch);
            // A giant paragraph's tokens are not kept for the life of the thread.
            if scratch.tokens.toks.capacity() > 1 << 14 || scratch.quoted.capacity() > 1 << 14 {
                *scratch = Scratch::default();
            }
            scan
        }
        // Not reentrant in practice; a fresh buffer keeps it correct if it ever is.
        Err(_) => {
            let mut scratch = Scratch::default();
            lexicon::tokenize_into(ctx.text, &mut scratch.tokens);
            scan_tokens(ctx, &mut scratch)
        }
    })
}

/// A paragraph's tokens and quotations, in buffers kept from paragraph to paragraph.
#[derive(Default)]
struct Scratch {
    tokens: lexicon::Tokens,
    /// [`tense::quote_spans`].
    quotes: Vec<TextRange>,
    /// [`tense::quoted_tokens`].
    quoted: Vec<bool>,
}

fn scan_tokens(ctx: &ParaCtx<'_>, scratch: &mut Scratch) -> ParaTemporal {
    let Scratch {
        tokens,
        quotes,
        quoted,
    } = scratch;
    let toks = &tokens.toks[..];
    let mut timexes = recognise::recognise(ctx.text, tokens);
    // Quotation spans are found here from the tokens, so the scan does not depend on the
    // quotation module's (possibly different) notion of a quote.
    tense::quote_spans_into(tokens, quotes);
    tense::quoted_tokens_into(toks, quotes, quoted);
    tense::annotate(
        ctx.text,
        tokens,
        ctx.sentences,
        quotes,
        quoted,
        &mut timexes,
    );
    let events = events::scan(ctx.text, tokens, ctx.sentences, quoted);
    let mentions_quarter = tokens.marked(lexicon::F_QUARTER).next().is_some();
    ParaTemporal {
        timexes,
        events,
        mentions_quarter,
    }
}

/// The publication date: the setting, else front matter `date:`, else a dateline or header
/// date line.
pub fn anchor(
    _text: &str,
    config: &Config,
    front_matter: Option<&FrontMatter>,
    paras: &[Placed<'_>],
) -> Option<Anchor> {
    anchor::find(config, front_matter, paras)
}

fn describe_anchor(a: &Anchor) -> String {
    format!("the publication date {} ({})", a.date, a.source.describe())
}

/// What the document stage carries from one paragraph to the next (words borrowed from the
/// paragraphs' text). Two carries are equal when every part is: the same flag, days and
/// quarters, with the same words.
#[derive(Clone, Copy, Default, PartialEq)]
struct Carry<'a> {
    /// Once a story has talked about quarters, "a year earlier" compares quarters.
    quarters: bool,
    /// The day last mentioned, for a bare time of day.
    last_day: Option<(Date, &'a str)>,
    /// The time last mentioned, for "the following year", "that day".
    last_time: Option<(Date, &'a str)>,
    /// The quarter a story last named ("the fiscal first quarter"): "the quarter" and "a year
    /// earlier" refer to it rather than to the latest quarter before the publication date.
    last_quarter: Option<(i32, &'a str)>,
}

/// Parts of the [`Carry`], as flags: what an expression leaves in it (kept with each resolved
/// expression by the [`Cache`]), and what a paragraph's expressions read of it.
const DAY: u8 = 1;
const TIME: u8 = 2;
const QUARTER: u8 = 4;

impl<'a> Carry<'a> {
    /// Leaves in the carry what the resolved expression `t` (with words `words`) left in it
    /// when it was resolved: the parts `sets` (flags), each read back from its value.
    fn apply(&mut self, t: &Timex, sets: u8, words: &'a str) {
        if sets & DAY != 0
            && let Some(day) = t.day
        {
            self.last_day = Some((day, words));
        }
        if sets & TIME != 0
            && let Some(start) = first_day_of(&t.value)
        {
            self.last_time = Some((start, words));
        }
        if sets & QUARTER != 0
            && let Some(q) = quarter_index(&t.value)
        {
            self.last_quarter = Some((q, words));
        }
    }

    /// Whether a paragraph that reads the parts `reads` of the carry (and the quarters flag)
    /// resolves the same with `self` as with `other`.
    fn agrees(&self, other: &Carry<'_>, reads: u8) -> bool {
        self.quarters == other.quarters
            && (reads & DAY == 0 || self.last_day == other.last_day)
            && (reads & TIME == 0 || self.last_time == other.last_time)
            && (reads & QUARTER == 0 || self.last_quarter == other.last_quarter)
    }
}

/// Whether an expression reads the "following", "previous" or "that" of its cue from the
/// time last mentioned.
fn reads_time(tx: &RawTimex) -> bool {
    matches!(tx.cue, Some("following" | "previous" | "that"))
}

/// What a paragraph's expressions read of the [`Carry`] entering it, besides the quarters flag
/// (flags): only those parts decide whether its resolution is the same as before.
fn reads(raw: &[RawTimex]) -> u8 {
    let mut reads = 0;
    for tx in raw {
        if tx.sem == recognise::Sem::TimeOnly {
            reads |= DAY;
        }
        if reads_time(tx) {
            reads |= TIME;
        }
        if matches!(
            tx.sem,
            recognise::Sem::LatestQuarter | recognise::Sem::Year(_)
        ) {
            reads |= QUARTER;
        }
    }
    reads
}

/// Document stage: timexes resolved against the anchor, and events.
pub fn resolve(
    text: &str,
    paras: &[Placed<'_>],
    anchor: Option<&Anchor>,
    _quotes: &[Quote],
) -> (Vec<Timex>, Vec<Event>) {
    let _ = text;
    let (timexes, _, events) = resolve_all(paras, anchor, false);
    (timexes, events)
}

/// Resolves every paragraph's expressions in order; also returns what each expression left in
/// the carry (flags), if `sets` is asked for.
fn resolve_all(
    paras: &[Placed<'_>],
    anchor: Option<&Anchor>,
    sets: bool,
) -> (Vec<Timex>, Vec<u8>, Vec<Event>) {
    let pub_describe = anchor.map(describe_anchor).unwrap_or_default();
    let pub_ref = anchor.map(|a| Reference {
        date: a.date,
        describe: &pub_describe,
    });
    // Every expression and event becomes one output item: size the lists once.
    let n = paras.iter().map(|p| p.scan.temporal.timexes.len()).sum();
    let mut timexes = Vec::with_capacity(n);
    let mut flags = Vec::with_capacity(if sets { n } else { 0 });
    let mut events = Vec::with_capacity(paras.iter().map(|p| p.scan.temporal.events.len()).sum());
    let mut carry = Carry::default();
    for p in paras {
        let t = &p.scan.temporal;
        carry.quarters |= t.mentions_quarter;
        if !t.timexes.is_empty() {
            resolve_paragraph(
                p,
                anchor,
                pub_ref,
                &mut carry,
                &mut timexes,
                sets.then_some(&mut flags),
            );
        }
        push_events(p, &mut events);
    }
    (timexes, flags, events)
}

/// The events of a paragraph, in document space, each dated when its sentence, or an earlier
/// sentence of its paragraph, has a date or time (nothing outside the paragraph is read).
fn push_events(p: &Placed<'_>, events: &mut Vec<Event>) {
    let t = &p.scan.temporal;
    for ev in &t.events {
        let Some(sentence) = p.scan.sentences.get(ev.sentence).copied() else {
            continue;
        };
        let dated = t.timexes.iter().any(|tx| {
            matches!(tx.kind, TimexType::Date | TimexType::Time) && tx.range.start < sentence.end
        });
        events.push(Event {
            range: ev.verb.shift(p.offset),
            sentence: sentence.shift(p.offset),
            dated,
        });
    }
}

/// What the document stage keeps from one analysis of a document to the next.
///
/// A paragraph's expressions resolve from its own scan, the anchor and the [`Carry`] entering
/// it; its events from its scan alone. After an edit that leaves the anchor as it was,
/// [`resolve_cached`] resolves again only the changed paragraphs, then walks on through those
/// after them until the carry entering one is the carry that entered it before (then every
/// paragraph from there on resolves as before). On the way, a paragraph is resolved again
/// only if the parts of the carry it reads differ; otherwise its previous result is moved.
/// The rest of the previous result is moved with the text.
#[derive(Default)]
pub(crate) struct Cache {
    prev: Option<Remembered>,
    /// How many analyses carried the previous resolution over (for tests).
    pub carried: usize,
    /// How many paragraphs the last analysis resolved (for tests).
    pub resolved: usize,
}

/// The previous resolution and what it was computed from.
struct Remembered {
    /// The blocks it was computed from (holding them keeps their scans alive, so a block of
    /// the next version that is the same `Arc` is certainly the same scan).
    blocks: Vec<CachedBlock>,
    anchor: Option<(Date, AnchorSource)>,
    /// Shared with the analysis that got them (updated in place once it is dropped).
    timexes: SharedVec<Timex>,
    /// What each expression left in the carry (flags).
    sets: Vec<u8>,
    /// How many of them set the quarter.
    quarters_set: usize,
    events: SharedVec<Event>,
    /// The first paragraph that talks about quarters.
    first_quarter: Option<usize>,
}

/// The words of the expression at `range` (document space) as its paragraph's scan has them,
/// found in `blocks`.
fn words_in(blocks: &[CachedBlock], range: TextRange) -> &str {
    let bi = blocks.partition_point(|b| b.range.start <= range.start);
    let Some(b) = bi.checked_sub(1).and_then(|i| blocks.get(i)) else {
        return "";
    };
    let pi = b
        .scans
        .partition_point(|p| b.range.start + p.start_in_block <= range.start);
    let Some(p) = pi.checked_sub(1).and_then(|i| b.scans.get(i)) else {
        return "";
    };
    let at = b.range.start + p.start_in_block;
    p.prose
        .get(range.start - at..range.end.saturating_sub(at))
        .unwrap_or("")
}

/// The carry left by the resolved expressions `timexes` (with flags `sets`), their words found
/// in `blocks`: each part from the last expression that set it (read backwards, the quarter
/// only if `quarters`, as no expression set one otherwise). The quarters flag is left unset.
fn carry_after<'b>(
    timexes: &[Timex],
    sets: &[u8],
    blocks: &'b [CachedBlock],
    quarters: bool,
) -> Carry<'b> {
    let mut carry = Carry::default();
    let mut want = if quarters {
        DAY | TIME | QUARTER
    } else {
        DAY | TIME
    };
    for (t, &s) in timexes.iter().zip(sets).rev() {
        if want == 0 {
            break;
        }
        let part = s & want;
        if part != 0 {
            carry.apply(t, part, words_in(blocks, t.range));
            want &= !part;
        }
    }
    carry
}

/// How many of `sets` set the quarter.
fn quarters_set(sets: &[u8]) -> usize {
    sets.iter().filter(|&&s| s & QUARTER != 0).count()
}

/// `r` moved `delta` bytes along the text.
fn moved(r: TextRange, delta: isize) -> TextRange {
    TextRange::new(
        r.start.wrapping_add_signed(delta),
        r.end.wrapping_add_signed(delta),
    )
}

/// Moves a resolved expression `delta` bytes along the text.
fn shift_timex(t: &mut Timex, delta: isize) {
    let mv = |r: TextRange| moved(r, delta);
    t.range = mv(t.range);
    if let Some(DateProblem::WeekdayMismatch { weekday, day, .. }) = t.problem.as_deref_mut() {
        *weekday = mv(*weekday);
        *day = day.map(mv);
    }
}

/// [`resolve`], reusing the previous resolution where the edit `change` (`None`: unknown)
/// cannot have changed it (see [`Cache`]). `blocks` are the blocks `paras` come from.
/// Remembers the result unless `remember` is false (a one-off analysis).
// (Not inlined: one call per analysis, and profiles show its cost apart.)
#[inline(never)]
pub(crate) fn resolve_cached(
    paras: &[Placed<'_>],
    blocks: &[CachedBlock],
    anchor: Option<&Anchor>,
    cache: &mut Cache,
    change: Option<Change>,
    remember: bool,
) -> (SharedVec<Timex>, SharedVec<Event>) {
    cache.resolved = paras.len();
    if !remember {
        cache.prev = None;
        let (timexes, _, events) = resolve_all(paras, anchor, false);
        return (timexes.into(), events.into());
    }
    let key = anchor.map(|a| (a.date, a.source));
    let reused = match (cache.prev.take(), change) {
        (Some(prev), Some(change)) if prev.anchor == key => {
            carry_over(prev, paras, blocks, anchor, change)
        }
        _ => None,
    };
    let prev = match reused {
        Some((prev, resolved)) => {
            cache.carried += 1;
            cache.resolved = resolved;
            prev
        }
        None => {
            let (timexes, sets, events) = resolve_all(paras, anchor, true);
            Remembered {
                blocks: blocks.to_vec(),
                anchor: key,
                timexes: timexes.into(),
                quarters_set: quarters_set(&sets),
                sets,
                events: events.into(),
                first_quarter: paras.iter().position(|p| p.scan.temporal.mentions_quarter),
            }
        }
    };
    let prev = cache.prev.insert(prev);
    (prev.timexes.clone(), prev.events.clone())
}

/// The previous resolution `prev` brought up to date with `paras` after the edit `change`
/// (with the same anchor), and how many paragraphs were resolved again; `None` if the blocks
/// do not fit the edit.
fn carry_over(
    mut prev: Remembered,
    paras: &[Placed<'_>],
    blocks: &[CachedBlock],
    anchor: Option<&Anchor>,
    change: Change,
) -> Option<(Remembered, usize)> {
    let delta = change.new_len as isize - change.old_len as isize;
    // Blocks at the start that are the same scans at the same place, and at the end that are
    // the same scans moved with the text; the blocks in between changed.
    let (ob, nb) = (&prev.blocks, blocks);
    let (kb, ke) = super::unchanged_ends(ob, nb, delta);
    let count_paras = |bs: &[CachedBlock]| bs.iter().map(|b| b.scans.len()).sum::<usize>();
    // Paragraphs: `pa` before the changed ones, `ps` after them.
    let pa = count_paras(&nb[..kb]);
    let ps = count_paras(&nb[nb.len() - ke..]);
    let n_new = paras.len();
    let n_old = pa + count_paras(&ob[kb..ob.len() - ke]) + ps;
    if n_new != pa + count_paras(&nb[kb..nb.len() - ke]) + ps {
        return None;
    }
    let (j0, k0) = (n_new - ps, n_old - ps);
    // The previous expressions and events of the changed paragraphs.
    let old_start = |i: usize| ob.get(i).map_or(usize::MAX, |b| b.range.start);
    let (sa, sb) = (old_start(kb), old_start(ob.len() - ke));
    let ta = prev.timexes.partition_point(|t| t.range.start < sa);
    let tb = prev.timexes.partition_point(|t| t.range.start < sb);
    let ea = prev.events.partition_point(|e| e.range.start < sa);
    let eb = prev.events.partition_point(|e| e.range.start < sb);
    let pub_describe = anchor.map(describe_anchor).unwrap_or_default();
    let pub_ref = anchor.map(|a| Reference {
        date: a.date,
        describe: &pub_describe,
    });
    let Remembered {
        blocks: old_blocks,
        timexes,
        sets,
        quarters_set: nq,
        events,
        first_quarter,
        ..
    } = &mut prev;
    let fq = *first_quarter;
    // The carry entering the changed paragraphs (what the unchanged ones before leave), and
    // the carry that entered the first paragraph after them before.
    let mut carry = carry_after(&timexes[..ta], &sets[..ta], blocks, *nq > 0);
    carry.quarters = fq.is_some_and(|f| f < pa);
    let mut was = carry_after(&timexes[..tb], &sets[..tb], old_blocks, *nq > 0);
    was.quarters = fq.is_some_and(|f| f < k0);
    // The changed paragraphs, resolved again.
    let mut mid = Vec::new();
    let mut mid_sets = Vec::new();
    let mut mid_events = Vec::new();
    let mut mid_quarter = None;
    for (j, p) in paras.iter().enumerate().take(j0).skip(pa) {
        let t = &p.scan.temporal;
        if t.mentions_quarter && mid_quarter.is_none() {
            mid_quarter = Some(j);
        }
        carry.quarters |= t.mentions_quarter;
        if !t.timexes.is_empty() {
            resolve_paragraph(
                p,
                anchor,
                pub_ref,
                &mut carry,
                &mut mid,
                Some(&mut mid_sets),
            );
        }
        push_events(p, &mut mid_events);
    }
    let mut resolved = j0 - pa;
    // Events read nothing outside their paragraph: the rest are moved.
    let after = ea + mid_events.len();
    events.splice(ea..eb, mid_events);
    if delta != 0 {
        for e in &mut events[after..] {
            e.range = moved(e.range, delta);
            e.sentence = moved(e.sentence, delta);
        }
    }
    let mut i = ta + mid.len();
    *nq = *nq + quarters_set(&mid_sets) - quarters_set(&sets[ta..tb]);
    timexes.splice(ta..tb, mid);
    sets.splice(ta..tb, mid_sets);
    // The paragraphs after the changed ones, in their previous resolution until in step.
    let mut fresh = Vec::new();
    let mut fresh_sets = Vec::new();
    for p in &paras[j0..] {
        let t = &p.scan.temporal;
        carry.quarters |= t.mentions_quarter;
        was.quarters |= t.mentions_quarter;
        if carry == was {
            break;
        }
        let n = t.timexes.len();
        if n == 0 {
            continue;
        }
        let (Some(slot), Some(slot_sets)) = (timexes.get_mut(i..i + n), sets.get_mut(i..i + n))
        else {
            return None;
        };
        let prose: &str = &p.scan.prose;
        let old_at = p.offset.wrapping_add_signed(-delta);
        let words = |r: TextRange, at: usize| {
            prose
                .get(r.start.wrapping_sub(at)..r.end.wrapping_sub(at))
                .unwrap_or("")
        };
        if carry.agrees(&was, reads(&t.timexes)) {
            // It resolves as it did: its previous expressions, moved.
            for (tx, s) in slot.iter_mut().zip(slot_sets.iter()) {
                shift_timex(tx, delta);
                let w = words(tx.range, p.offset);
                carry.apply(tx, *s, w);
                was.apply(tx, *s, w);
            }
        } else {
            resolved += 1;
            for (tx, s) in slot.iter().zip(slot_sets.iter()) {
                was.apply(tx, *s, words(tx.range, old_at));
            }
            fresh.clear();
            fresh_sets.clear();
            resolve_paragraph(
                p,
                anchor,
                pub_ref,
                &mut carry,
                &mut fresh,
                Some(&mut fresh_sets),
            );
            if fresh.len() != n {
                return None;
            }
            for (dst, src) in slot.iter_mut().zip(fresh.drain(..)) {
                *dst = src;
            }
            *nq = *nq + quarters_set(&fresh_sets) - quarters_set(slot_sets);
            slot_sets.copy_from_slice(&fresh_sets);
        }
        i += n;
    }
    if delta != 0 {
        for t in &mut timexes[i..] {
            shift_timex(t, delta);
        }
    }
    // The first paragraph that talks about quarters now.
    let dp = n_new as isize - n_old as isize;
    *first_quarter = match (fq, mid_quarter) {
        (Some(f), _) if f < pa => Some(f),
        (_, Some(m)) => Some(m),
        (Some(f), None) if f >= k0 => Some(f.wrapping_add_signed(dp)),
        (None, None) => None,
        (Some(_), None) => paras[j0..]
            .iter()
            .position(|p| p.scan.temporal.mentions_quarter)
            .map(|x| x + j0),
    };
    // The blocks: the changed ones replaced, those after them moved.
    let end = old_blocks.len() - ke;
    old_blocks.splice(kb..end, blocks[kb..blocks.len() - ke].iter().cloned());
    let from = old_blocks.len() - ke;
    for (o, b) in old_blocks[from..]
        .iter_mut()
        .zip(&blocks[blocks.len() - ke..])
    {
        o.range = b.range;
    }
    debug_assert_eq!(timexes.len(), sets.len());
    Some((prev, resolved))
}

/// Resolves one paragraph's expressions given the carry entering it, which it updates; pushes
/// them in document space to `out`, and what each left in the carry to `sets` if given.
fn resolve_paragraph<'a>(
    p: &Placed<'a>,
    anchor: Option<&Anchor>,
    pub_ref: Option<Reference<'_>>,
    carry: &mut Carry<'a>,
    out: &mut Vec<Timex>,
    mut sets: Option<&mut Vec<u8>>,
) {
    let raw = &p.scan.temporal.timexes;
    let prose: &'a str = &p.scan.prose;
    let quarters = carry.quarters;
    let first = out.len();
    let mut normals: Vec<normalise::Normal> = raw
        .iter()
        .map(|tx| {
            if quarters && !tx.quarter_context {
                let mut tx = tx.clone();
                tx.quarter_context = true;
                normalise::normalise(&tx, pub_ref)
            } else {
                normalise::normalise(tx, pub_ref)
            }
        })
        .collect();
    // A quotation's speech time is read from these first normalisations, so keep its days
    // apart from the values changed below.
    let days: Vec<Option<Date>> = if raw.iter().any(|tx| tx.speech.is_some()) {
        normals.iter().map(|n| n.day).collect()
    } else {
        Vec::new()
    };
    for (tx, n) in raw.iter().zip(normals.iter_mut()) {
        // A date inside a quotation counts from when the quotation was spoken.
        if let Some(k) = tx.speech.map(|k| k as usize)
            && let Some(spoken) = days.get(k).copied().flatten()
            && (n.relative || n.day.is_none())
        {
            let words = raw.get(k).map(|s| s.range.of(prose)).unwrap_or("");
            let describe = format!("the day the quotation was spoken, {spoken} (‘{words}’)");
            *n = normalise::normalise(
                tx,
                Some(Reference {
                    date: spoken,
                    describe: &describe,
                }),
            );
        }
        // A bare time of day ("at 10 p.m.") belongs to the day last mentioned.
        if tx.sem == recognise::Sem::TimeOnly
            && let Some((day, words)) = &carry.last_day
        {
            let describe = format!("the day last mentioned, {day} (‘{words}’)");
            *n = normalise::normalise(
                tx,
                Some(Reference {
                    date: *day,
                    describe: &describe,
                }),
            );
        }
        // "the following year", "the previous Friday", "that day" count from the time last
        // mentioned.
        if reads_time(tx)
            && let Some((date, words)) = &carry.last_time
        {
            let describe = format!("the time last mentioned, {date} (‘{words}’)");
            *n = normalise::normalise(
                tx,
                Some(Reference {
                    date: *date,
                    describe: &describe,
                }),
            );
        }
        // "the quarter", "the latest period" and "a year earlier" (about quarters) take the
        // quarter last named as their focus, as TimeML resolves anaphoric expressions.
        if let Some((q, words)) = &carry.last_quarter {
            let shift = match tx.sem {
                recognise::Sem::LatestQuarter => Some(0),
                // "the 1988 period": that year's quarter of the same number.
                recognise::Sem::Year(recognise::YearRef::Abs(y)) if tx.cue == Some("period") => {
                    Some(y.saturating_sub(q.div_euclid(4)).saturating_mul(4))
                }
                recognise::Sem::Year(recognise::YearRef::Rel(k))
                    if quarter_index(&n.value).is_some() =>
                {
                    Some(k.saturating_mul(4))
                }
                _ => None,
            };
            if let Some(shift) = shift {
                let idx = q.saturating_add(shift);
                n.value = shared_text!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1);
                n.how = shared_text!("counted from the quarter last named (‘{words}’)");
            }
        }
        // Only a quarter that had ended by publication can be the one a story reports on.
        let ended = |q: i32| {
            anchor.is_none_or(|a| {
                q < i32::from(a.date.year()) * 4 + (i32::from(a.date.month()) - 1) / 3
            })
        };
        let words = tx.range.of(prose);
        let mut set = 0;
        if matches!(tx.sem, recognise::Sem::Quarter { .. })
            && let Some(q) = quarter_index(&n.value)
            && ended(q)
        {
            carry.last_quarter = Some((q, words));
            set |= QUARTER;
        }
        if let Some(day) = n.day
            && tx.sem != recognise::Sem::TimeOnly
        {
            carry.last_day = Some((day, words));
            set |= DAY;
        }
        if tx.kind == TimexType::Date
            && let Some(start) = first_day_of(&n.value)
        {
            carry.last_time = Some((start, words));
            set |= TIME;
        }
        if let Some(sets) = sets.as_deref_mut() {
            sets.push(set);
        }
    }
    out.extend(raw.iter().zip(normals).map(|(tx, n)| Timex {
        problem: problem_of(tx, &n, p.offset).map(Box::new),
        range: tx.range.shift(p.offset),
        kind: tx.kind,
        value: n.value,
        relative: n.relative,
        resolved: n.resolved,
        how: n.how,
        day: n.day,
    }));
    debug_assert_eq!(out.len() - first, raw.len());
}

/// A quarter value (`2023-Q1`) as a count of quarters (year × 4 + quarter − 1).
fn quarter_index(value: &str) -> Option<i32> {
    let (y, q) = value.split_once("-Q")?;
    if y.len() != 4 || q.len() != 1 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let q: i32 = q.parse().ok()?;
    (1..=4).contains(&q).then_some(y * 4 + q - 1)
}

/// The first day of a calendar value (`2023`, `2023-03`, `2023-03-20`), if it is one.
fn first_day_of(value: &str) -> Option<Date> {
    // The number a part of the value spells, if it is all ASCII digits (as `str::parse`
    // reads them: at least one digit, within range).
    fn num(s: &[u8]) -> Option<i16> {
        if s.is_empty() {
            return None;
        }
        let mut n: i32 = 0;
        for &b in s {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n.checked_mul(10)?.checked_add(i32::from(b - b'0'))?;
        }
        i16::try_from(n).ok()
    }
    let bytes = value.as_bytes();
    // Nothing else can start with a year ("XXXX-WXX-1", "P3D", "PRESENT_REF").
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut parts = value
        .get(..10.min(value.len()))?
        .as_bytes()
        .split(|&b| b == b'-');
    let year = parts
        .next()
        .and_then(num)
        .filter(|_| bytes.len() >= 4 && bytes.get(4).is_none_or(|b| *b == b'-'))?;
    let month = parts.next().map_or(Some(1), num)?;
    let day = parts.next().map_or(Some(1), num)?;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn problem_of(tx: &RawTimex, n: &normalise::Normal, offset: usize) -> Option<DateProblem> {
    match tx.flaw.as_deref() {
        Some(Flaw::Impossible(why)) => return Some(DateProblem::Impossible { why: why.clone() }),
        Some(Flaw::Ambiguous {
            read,
            swapped,
            year,
        }) => {
            let words = |(m, d): (u8, u8)| format!("{} {d}, {year}", month_name(m));
            return Some(DateProblem::Ambiguous {
                read: words(*read),
                swapped: words(*swapped),
                read_iso: format!("{year:04}-{:02}-{:02}", read.0, read.1),
                swapped_iso: format!("{year:04}-{:02}-{:02}", swapped.0, swapped.1),
            });
        }
        None => {}
    }
    let (wd, wr) = tx.weekday?;
    let day = n.day?;
    let actual = weekday_number(day);
    if actual == wd {
        return None;
    }
    // The nearest day of the same month with the written weekday.
    let fwd = (i64::from(wd) - i64::from(actual)).rem_euclid(7);
    let back = 7 - fwd;
    let dom = i64::from(day.day());
    let last = i64::from(day.days_in_month());
    let suggested = [(fwd, dom + fwd), (back, dom - back)]
        .into_iter()
        .filter(|(_, d)| (1..=last).contains(d))
        .min_by_key(|(dist, _)| *dist)
        .and_then(|(_, d)| u8::try_from(d).ok());
    Some(DateProblem::WeekdayMismatch {
        weekday: wr.shift(offset),
        written: weekday_name(wd),
        actual: weekday_name(actual),
        day: tx.day_range.map(|r| r.shift(offset)),
        suggested_day: suggested,
    })
}

/// A short label for a resolved value: `Mon 20 Mar 2023` for a day, the value otherwise.
fn label(t: &Timex) -> String {
    match t.day {
        Some(d) => {
            let wd = weekday_name(weekday_number(d));
            let month = month_name(d.month() as u8);
            format!(
                "{} {} {} {}",
                wd.get(..3).unwrap_or(wd),
                d.day(),
                month.get(..3).unwrap_or(month),
                d.year()
            )
        }
        None => t.value.to_string(),
    }
}

/// Hover text (Markdown) for the temporal expression with index `timex` in `analysis.timexes`.
pub fn hover(analysis: &super::Analysis, text: &str, timex: usize) -> String {
    let Some(t) = analysis.timexes.get(timex) else {
        return String::new();
    };
    let words = text.get(t.range.start..t.range.end).unwrap_or("");
    let mut md = format!("**{}** · {} `{}`", words.trim(), t.kind.as_str(), t.value);
    if let Some(d) = t.day {
        md.push_str(&format!(
            "\n\n{} {}",
            weekday_name(weekday_number(d)),
            label(t).split_once(' ').map_or("", |x| x.1)
        ));
    }
    md.push_str(&format!("\n\n{}", t.how));
    if t.relative && !t.resolved {
        md.push_str("\n\nAdd a publication date (front matter `date:`, a dateline, or the `publication-date` setting) to resolve it.");
    }
    match t.problem.as_deref() {
        Some(DateProblem::WeekdayMismatch {
            written, actual, ..
        }) => {
            md.push_str(&format!("\n\n⚠ The date is a {actual}, not a {written}."));
        }
        Some(DateProblem::Impossible { why }) => {
            md.push_str(&format!("\n\n⚠ No such date: {why}."))
        }
        Some(DateProblem::Ambiguous { read, swapped, .. }) => {
            md.push_str(&format!(
                "\n\n⚠ Ambiguous: read as {read}; could be {swapped}."
            ));
        }
        None => {}
    }
    md
}

/// Hover text (Markdown) for the publication date, when `offset` is on its source.
pub fn hover_anchor(analysis: &super::Analysis, text: &str, offset: usize) -> Option<Hover> {
    let a = analysis.anchor.as_ref()?;
    let range = a.range?;
    if !range.touches(offset) {
        return None;
    }
    let wd = weekday_name(weekday_number(a.date));
    let from = match a.source {
        AnchorSource::Setting => "the `publication-date` setting".to_string(),
        AnchorSource::FrontMatter => "the front matter `date:`".to_string(),
        AnchorSource::Dateline => format!(
            "the dateline ‘{}’",
            text.get(range.start..range.end).unwrap_or("").trim()
        ),
    };
    let relative = analysis
        .timexes
        .iter()
        .filter(|t| t.relative && t.resolved)
        .count();
    Some(Hover {
        range,
        markdown: format!(
            "**Publication date: {wd}, {} {} {}** (`{}`)\n\nRead from {from}. {relative} relative date{} resolve against it.",
            a.date.day(),
            month_name(a.date.month() as u8),
            a.date.year(),
            a.date,
            if relative == 1 { "" } else { "s" }
        ),
    })
}

/// Inlay hints with the resolved value after each relative expression inside `range`.
pub fn inlay_hints(analysis: &super::Analysis, range: TextRange) -> Vec<InlayHint> {
    analysis
        .timexes
        .iter()
        .filter(|t| {
            t.relative && t.resolved && range.touches(t.range.end) && range.start <= t.range.start
        })
        .map(|t| InlayHint {
            offset: t.range.end,
            label: format!("‹{}›", label(t)),
            tooltip: Some(t.how.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests;
