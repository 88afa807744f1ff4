//! Temporal expressions (TimeML TIMEX3), the publication date they resolve against, and past
//! events a reader cannot date.
//!
//! Contract:
//! - Paragraph stage ([`scan`]): tokens, recognised expressions with TimeBank extents and an
//!   anchor-free meaning ([`recognise`]), the tense of each expression's clause and the speech
//!   time of quotations ([`tense`]), and event verbs ([`events`]). Offsets are relative to the
//!   paragraph; nothing outside the paragraph is read, so the scan caches exactly.
//! - Document stage: [`anchor`] finds the publication date ([`anchor`](mod@anchor) module);
//!   [`resolve`] turns each expression into a TIMEX3 value against it ([`normalise`]), with
//!   dates inside a quotation counted from when it was spoken when the text says so, and
//!   decides which events are dated. Each paragraph's resolved expressions are kept with its
//!   cached scan and reused while the anchor and what they read from the paragraphs before are
//!   unchanged, so a keystroke resolves only what it changed; values and explanations are
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

use super::markup::FrontMatter;
use super::navigation::{Hover, InlayHint};
use super::paragraph::ParaCtx;
use super::quotes::{ParaQuotes, Quote};
pub use super::shared::SharedText;
use super::shared::shared_text;
use super::text::TextRange;
use super::{Config, Placed};
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
    /// The document stage's last result for this paragraph.
    resolved: ResolveMemo,
}

/// Paragraph stage: expressions, their clause tense and speech time, and event verbs.
pub fn scan(ctx: &ParaCtx<'_>, _quotes: &ParaQuotes) -> ParaTemporal {
    thread_local! {
        /// The token buffer, reused from paragraph to paragraph.
        static TOKS: std::cell::RefCell<lexicon::Tokens> = std::cell::RefCell::new(lexicon::Tokens::default());
    }
    TOKS.with(|toks| match toks.try_borrow_mut() {
        Ok(mut toks) => {
            lexicon::tokenize_into(ctx.text, &mut toks);
            let scan = scan_tokens(ctx, &toks);
            // A giant paragraph's tokens are not kept for the life of the thread.
            if toks.toks.capacity() > 1 << 14 {
                *toks = lexicon::Tokens::default();
            }
            scan
        }
        // Not reentrant in practice; a fresh buffer keeps it correct if it ever is.
        Err(_) => {
            let mut toks = lexicon::Tokens::default();
            lexicon::tokenize_into(ctx.text, &mut toks);
            scan_tokens(ctx, &toks)
        }
    })
}

fn scan_tokens(ctx: &ParaCtx<'_>, tokens: &lexicon::Tokens) -> ParaTemporal {
    let toks = &tokens.toks[..];
    let mut timexes = recognise::recognise(ctx.text, toks);
    // Quotation spans are found here from the tokens, so the scan does not depend on the
    // quotation module's (possibly different) notion of a quote.
    let quotes = tense::quote_spans(tokens);
    let quoted = tense::quoted_tokens(toks, &quotes);
    tense::annotate(
        ctx.text,
        tokens,
        ctx.sentences,
        &quotes,
        &quoted,
        &mut timexes,
    );
    let events = events::scan(ctx.text, tokens, ctx.sentences, &quoted);
    let mentions_quarter = tokens.marked(lexicon::F_QUARTER).next().is_some();
    ParaTemporal {
        timexes,
        events,
        mentions_quarter,
        resolved: ResolveMemo::default(),
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
/// paragraphs' text).
#[derive(Clone, Copy, Default)]
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

/// A paragraph's expressions as the document stage resolved them, kept in its cached scan and
/// reused while everything they were worked out from is unchanged: the paragraph (the scan
/// itself), the anchor, and the part of the [`Carry`] entering it that its expressions read.
/// So a keystroke re-resolves only the paragraphs it changed (and any whose context it
/// changed).
struct Resolved {
    anchor: Option<(Date, AnchorSource)>,
    quarters: bool,
    /// The carried values it read (`None` when it reads none of that kind).
    last_day: Option<Option<(Date, Box<str>)>>,
    last_time: Option<Option<(Date, Box<str>)>>,
    last_quarter: Option<Option<(i32, Box<str>)>>,
    /// One per raw expression, paragraph-relative.
    timexes: Vec<ResolvedTimex>,
    /// What it leaves in the carry (paragraph-relative words), when it sets that.
    set_day: Option<(Date, TextRange)>,
    set_time: Option<(Date, TextRange)>,
    set_quarter: Option<(i32, TextRange)>,
}

struct ResolvedTimex {
    n: normalise::Normal,
    /// Paragraph-relative; boxed, as it is rare.
    problem: Option<Box<DateProblem>>,
}

/// Whether a carried value read by a paragraph is the one it was resolved with.
fn same<T: PartialEq + Copy>(read: &Option<Option<(T, Box<str>)>>, now: Option<(T, &str)>) -> bool {
    match read {
        None => true,
        Some(was) => match (was, now) {
            (None, None) => true,
            (Some((a, wa)), Some((b, wb))) => *a == b && **wa == *wb,
            _ => false,
        },
    }
}

/// A carried value read by a paragraph, kept with its result.
fn owned<T>(carried: Option<(T, &str)>) -> Option<(T, Box<str>)> {
    carried.map(|(x, w)| (x, Box::from(w)))
}

impl Resolved {
    fn fits(&self, anchor: Option<(Date, AnchorSource)>, carry: &Carry<'_>) -> bool {
        self.anchor == anchor
            && self.quarters == carry.quarters
            && same(&self.last_day, carry.last_day)
            && same(&self.last_time, carry.last_time)
            && same(&self.last_quarter, carry.last_quarter)
    }
}

/// The document stage's memo of one paragraph (see [`Resolved`]). Not part of the scan's
/// value: it compares equal, prints as nothing and is not cloned.
#[derive(Default)]
pub struct ResolveMemo(std::sync::Mutex<Option<Box<Resolved>>>);

impl Clone for ResolveMemo {
    fn clone(&self) -> Self {
        ResolveMemo::default()
    }
}

impl PartialEq for ResolveMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ResolveMemo {}

impl std::fmt::Debug for ResolveMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResolveMemo")
    }
}

/// Document stage: timexes resolved against the anchor, and events.
pub fn resolve(
    text: &str,
    paras: &[Placed<'_>],
    anchor: Option<&Anchor>,
    _quotes: &[Quote],
) -> (Vec<Timex>, Vec<Event>) {
    let pub_describe = anchor.map(describe_anchor).unwrap_or_default();
    let pub_ref = anchor.map(|a| Reference {
        date: a.date,
        describe: &pub_describe,
    });
    let anchor_key = anchor.map(|a| (a.date, a.source));
    // Every expression and event becomes one output item: size the lists once.
    let mut timexes = Vec::with_capacity(paras.iter().map(|p| p.scan.temporal.timexes.len()).sum());
    let mut events = Vec::with_capacity(paras.iter().map(|p| p.scan.temporal.events.len()).sum());
    let mut carry = Carry::default();
    for p in paras {
        let t = &p.scan.temporal;
        carry.quarters |= t.mentions_quarter;
        if !t.timexes.is_empty() {
            // Another thread resolving the same (shared) scan just means no reuse here.
            let mut slot = t.resolved.0.try_lock().ok();
            let reused = slot
                .as_deref_mut()
                .and_then(Option::take)
                .filter(|r| r.fits(anchor_key, &carry));
            let r =
                reused.unwrap_or_else(|| Box::new(resolve_paragraph(p, anchor, pub_ref, &carry)));
            for (tx, r) in t.timexes.iter().zip(&r.timexes) {
                timexes.push(Timex {
                    range: tx.range.shift(p.offset),
                    kind: tx.kind,
                    value: r.n.value.clone(),
                    relative: r.n.relative,
                    resolved: r.n.resolved,
                    how: r.n.how.clone(),
                    day: r.n.day,
                    problem: r
                        .problem
                        .as_deref()
                        .map(|x| Box::new(shift_problem(x, p.offset))),
                });
            }
            let prose = &p.scan.prose;
            if let Some((d, w)) = r.set_day {
                carry.last_day = Some((d, w.of(prose)));
            }
            if let Some((d, w)) = r.set_time {
                carry.last_time = Some((d, w.of(prose)));
            }
            if let Some((q, w)) = r.set_quarter {
                carry.last_quarter = Some((q, w.of(prose)));
            }
            if let Some(slot) = slot.as_deref_mut() {
                *slot = Some(r);
            }
        }
        for ev in &t.events {
            let Some(sentence) = p.scan.sentences.get(ev.sentence).copied() else {
                continue;
            };
            // Dated when its sentence, or an earlier sentence of its paragraph, has a date or time.
            let dated = t.timexes.iter().any(|tx| {
                matches!(tx.kind, TimexType::Date | TimexType::Time)
                    && tx.range.start < sentence.end
            });
            events.push(Event {
                range: ev.verb.shift(p.offset),
                sentence: sentence.shift(p.offset),
                dated,
            });
        }
    }
    let _ = text;
    (timexes, events)
}

/// A problem found in a paragraph, moved into document space.
fn shift_problem(problem: &DateProblem, offset: usize) -> DateProblem {
    match problem {
        DateProblem::WeekdayMismatch {
            weekday,
            written,
            actual,
            day,
            suggested_day,
        } => DateProblem::WeekdayMismatch {
            weekday: weekday.shift(offset),
            written,
            actual,
            day: day.map(|r| r.shift(offset)),
            suggested_day: *suggested_day,
        },
        other => other.clone(),
    }
}

/// Resolves one paragraph's expressions given the carry entering it.
fn resolve_paragraph(
    p: &Placed<'_>,
    anchor: Option<&Anchor>,
    pub_ref: Option<Reference<'_>>,
    carry: &Carry<'_>,
) -> Resolved {
    let raw = &p.scan.temporal.timexes;
    let prose = &p.scan.prose;
    let quarters = carry.quarters;
    // What it reads of the carry: only these parts decide whether the result can be reused.
    let reads_day = raw.iter().any(|tx| tx.sem == recognise::Sem::TimeOnly);
    let reads_time = raw
        .iter()
        .any(|tx| matches!(tx.cue, Some("following" | "previous" | "that")));
    let reads_quarter = raw.iter().any(|tx| {
        matches!(
            tx.sem,
            recognise::Sem::LatestQuarter | recognise::Sem::Year(_)
        )
    });
    let mut out = Resolved {
        anchor: anchor.map(|a| (a.date, a.source)),
        quarters,
        last_day: reads_day.then(|| owned(carry.last_day)),
        last_time: reads_time.then(|| owned(carry.last_time)),
        last_quarter: reads_quarter.then(|| owned(carry.last_quarter)),
        timexes: Vec::with_capacity(raw.len()),
        set_day: None,
        set_time: None,
        set_quarter: None,
    };
    // The words are borrowed from the paragraphs' text.
    let mut last_day = carry.last_day;
    let mut last_time = carry.last_time;
    let mut last_quarter = carry.last_quarter;
    out.timexes.extend(raw.iter().map(|tx| {
        let n = if quarters && !tx.quarter_context {
            let mut tx = tx.clone();
            tx.quarter_context = true;
            normalise::normalise(&tx, pub_ref)
        } else {
            normalise::normalise(tx, pub_ref)
        };
        ResolvedTimex { n, problem: None }
    }));
    // A quotation's speech time is read from these first normalisations, so keep its days
    // apart from the values changed below.
    let days: Vec<Option<Date>> = if raw.iter().any(|tx| tx.speech.is_some()) {
        out.timexes.iter().map(|r| r.n.day).collect()
    } else {
        Vec::new()
    };
    for (tx, r) in raw.iter().zip(out.timexes.iter_mut()) {
        let n = &mut r.n;
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
            && let Some((day, words)) = &last_day
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
        if matches!(tx.cue, Some("following" | "previous" | "that"))
            && let Some((date, words)) = &last_time
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
        if let Some((q, words)) = &last_quarter {
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
        if matches!(tx.sem, recognise::Sem::Quarter { .. })
            && let Some(q) = quarter_index(&n.value)
            && ended(q)
        {
            last_quarter = Some((q, tx.range.of(prose)));
            out.set_quarter = Some((q, tx.range));
        }
        if let Some(day) = n.day
            && tx.sem != recognise::Sem::TimeOnly
        {
            last_day = Some((day, tx.range.of(prose)));
            out.set_day = Some((day, tx.range));
        }
        if tx.kind == TimexType::Date
            && let Some(start) = first_day_of(&n.value)
        {
            last_time = Some((start, tx.range.of(prose)));
            out.set_time = Some((start, tx.range));
        }
        r.problem = problem_of(tx, n, 0).map(Box::new);
    }
    out
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
