//! Recognition: temporal expressions in one paragraph, with TimeBank extents and a meaning that
//! does not yet depend on the publication date ([`Sem`]).
//!
//! The recogniser walks the paragraph's tokens once, left to right. At each word it tries a
//! fixed set of matchers, each looking at a bounded number of tokens ahead, and keeps the
//! longest match; then it continues after it. So the scan is linear in the paragraph length.
//! Extents follow the TimeML/TimeBank conventions: a preposition before an expression is not
//! part of it ("on \[Monday\]", "since \[Friday\]"), modifiers are ("\[the past three
//! years\]", "\[early next year\]"), and a weekday that introduces a date joins it
//! ("\[Monday, March 20\]").

use super::lexicon::{F_THE, Kw, Lex, Tok, TokKind, Tokens, Unit};
use crate::engine::temporal::TimexType;
use crate::engine::text::TextRange;

/// A year as written or relative to the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YearRef {
    /// Written out ("2023").
    Abs(i32),
    /// Relative to the anchor's year ("last year" = -1).
    Rel(i32),
    /// Not written: the anchor's year, moved by tense when the month lies on the wrong side.
    Auto,
    /// "last November": the latest such month or season that began before the anchor's.
    Prev,
    /// "next April": the first such month or season after the anchor's.
    Following,
}

/// What an expression means, before the anchor is known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Sem {
    /// A value that needs no anchor (`2023-03-20`, `P3D`, `199`, `XXXX-WXX-1`).
    Fixed(String),
    /// `PRESENT_REF`, `PAST_REF`, `FUTURE_REF`.
    Ref(&'static str),
    Date {
        year: YearRef,
        month: u8,
        day: u8,
    },
    Month {
        year: YearRef,
        month: u8,
    },
    Year(YearRef),
    /// 1 = Monday … 7 = Sunday; `dir` -1 for "last", +1 for "next", 0 by tense.
    Weekday {
        wd: u8,
        dir: i8,
    },
    /// The day `days` away from another day ("the day before last Tuesday").
    DayNextTo {
        base: Box<Sem>,
        days: i8,
    },
    /// The ISO week holding a day ("the week of March 6").
    WeekOf {
        year: YearRef,
        month: u8,
        day: u8,
    },
    /// Days from the anchor (today 0, yesterday -1).
    DayOffset(i32),
    /// A time of day with no day: the day last mentioned, else the anchor's.
    TimeOnly,
    /// Units (week, month, quarter, weekend, day) from the anchor's.
    Offset {
        unit: Unit,
        n: i32,
    },
    Season {
        season: &'static str,
        year: YearRef,
    },
    Quarter {
        q: u8,
        year: YearRef,
    },
    Half {
        h: u8,
        year: YearRef,
    },
    /// "the quarter", "the latest quarter": the last quarter that ended before the anchor.
    LatestQuarter,
    /// Index into the holiday table.
    Holiday {
        index: usize,
        year: YearRef,
    },
}

/// Time of day attached to a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tod {
    /// Hour and minute.
    Clock(u8, u8),
    /// `MO`, `AF`, `EV`, `NI`.
    Part(&'static str),
}

impl Tod {
    /// The TIMEX3 time suffix (`T15:00`, `TNI`).
    pub fn suffix(self) -> String {
        match self {
            Tod::Clock(h, m) => format!("T{h:02}:{m:02}"),
            Tod::Part(p) => format!("T{p}"),
        }
    }
}

/// Tense of the clause an expression belongs to, for weekday and year resolution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tense {
    Past,
    #[default]
    Present,
    Future,
}

/// Something wrong with a written date, found while reading it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Flaw {
    /// A day or month that does not exist; the words say why.
    Impossible(String),
    /// A numeric date whose day and month could be swapped: (month, day) as read, and as swapped.
    Ambiguous {
        read: (u8, u8),
        swapped: (u8, u8),
        year: i32,
    },
}

/// A recognised expression, paragraph-relative.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawTimex {
    pub range: TextRange,
    pub kind: TimexType,
    pub sem: Sem,
    pub time: Option<Tod>,
    pub tense: Tense,
    /// A word in or before the expression that fixed its tense ("since", "until", "last").
    pub cue: Option<&'static str>,
    /// A weekday written with a date ("Monday, March 21"): the weekday and its range.
    pub weekday: Option<(u8, TextRange)>,
    /// The day number's range in a written date, for fixes.
    pub day_range: Option<TextRange>,
    /// Boxed: rare, and the scan of every paragraph is kept while its text is unchanged.
    pub flaw: Option<Box<Flaw>>,
    /// Index (in this paragraph) of the timex that says when the quotation holding this one was
    /// spoken ("… ,” he said on Monday").
    pub speech: Option<u32>,
    /// Whether its sentence talks about quarters (so "a year earlier" means a quarter).
    pub quarter_context: bool,
}

struct Cx<'a> {
    toks: &'a [Tok],
    text: &'a str,
}

/// One match: token span `[start, end)` and what it means.
struct M {
    start: usize,
    end: usize,
    kind: TimexType,
    sem: Sem,
    time: Option<Tod>,
    weekday: Option<(u8, TextRange)>,
    day_range: Option<TextRange>,
    flaw: Option<Flaw>,
    cue: Option<&'static str>,
}

impl M {
    fn new(start: usize, end: usize, kind: TimexType, sem: Sem) -> M {
        M {
            start,
            end,
            kind,
            sem,
            time: None,
            weekday: None,
            day_range: None,
            flaw: None,
            cue: None,
        }
    }
    fn date(start: usize, end: usize, sem: Sem) -> M {
        M::new(start, end, TimexType::Date, sem)
    }
    fn dur(start: usize, end: usize, v: String) -> M {
        M::new(start, end, TimexType::Duration, Sem::Fixed(v))
    }
    fn cue(mut self, c: &'static str) -> M {
        self.cue = Some(c);
        self
    }
}

impl<'a> Cx<'a> {
    fn tok(&self, i: usize) -> Option<&'a Tok> {
        self.toks.get(i)
    }
    fn lex(&self, i: usize) -> Lex {
        self.toks.get(i).map_or(Lex::Other, |t| t.lex)
    }
    fn kw(&self, i: usize) -> Option<Kw> {
        self.toks.get(i).and_then(Tok::kw)
    }
    fn is_kw(&self, i: usize, k: Kw) -> bool {
        self.kw(i) == Some(k)
    }
    fn punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(c))
    }
    /// Whether tokens `i` and `i + 1` touch (no space between).
    fn tight(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.space_before)
    }
    /// A hyphen at `i` joining the tokens around it ("three-day").
    fn hyphen(&self, i: usize) -> bool {
        self.punct(i, '-') && self.tight(i) && self.tight(i + 1) && i + 1 < self.toks.len()
    }
    fn number(&self, i: usize) -> Option<u32> {
        self.toks
            .get(i)
            .filter(|t| t.kind == TokKind::Number)
            .map(|t| t.num)
    }
    fn word(&self, i: usize) -> Option<&'a str> {
        self.toks
            .get(i)
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| &self.text[t.start..t.end])
    }
    /// Whether token `i` is the word `w`, in any case (compared as bytes, the length
    /// first: most words asked about are not `w`).
    fn word_is(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.kind == TokKind::Word
                && t.end.wrapping_sub(t.start) == w.len()
                && self
                    .text
                    .as_bytes()
                    .get(t.start..t.end)
                    .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()))
        })
    }
    /// A number token that stands alone (not part of "1,500" or "3.5").
    fn plain_number(&self, i: usize) -> Option<u32> {
        let n = self.number(i)?;
        let joined_before = i >= 2
            && (self.punct(i - 1, ',') || self.punct(i - 1, '.'))
            && self.tight(i - 1)
            && self.tight(i)
            && self.number(i - 2).is_some();
        let joined_after = (self.punct(i + 1, ',') || self.punct(i + 1, '.'))
            && self.tight(i + 1)
            && self.tight(i + 2)
            && self.number(i + 2).is_some();
        let money = i >= 1
            && (self.punct(i - 1, '$') || self.punct(i - 1, '£') || self.punct(i - 1, '€'))
            && self.tight(i);
        if joined_before || joined_after || money {
            None
        } else {
            Some(n)
        }
    }
}

/// A cardinal quantity at `i`: digits, number words ("twenty four", "twenty-four", "a"), or a
/// vague quantity ("several", "a few", "a couple of": `None` for the value). Returns the value
/// and the index after it.
fn quantity(cx: &Cx<'_>, i: usize) -> Option<(Option<u32>, usize)> {
    if let Some(n) = cx.plain_number(i) {
        // "2 1/2 years" and "5 1/2 hours" keep their fraction in the extent.
        if cx.number(i + 1).is_some() && cx.punct(i + 2, '/') && cx.number(i + 3).is_some() {
            return Some((None, i + 4));
        }
        return Some((Some(n), i + 1));
    }
    match cx.lex(i) {
        Lex::Num(n) => {
            let mut v = n;
            let mut j = i + 1;
            if n >= 20 && n % 10 == 0 {
                if cx.hyphen(j)
                    && let Lex::Num(m) = cx.lex(j + 1)
                    && m < 10
                {
                    v += m;
                    j += 2;
                } else if let Lex::Num(m) = cx.lex(j)
                    && m < 10
                {
                    v += m;
                    j += 1;
                }
            }
            if let Lex::Num(100) = cx.lex(j) {
                v *= 100;
                j += 1;
            }
            Some((Some(v), j))
        }
        Lex::Kw(Kw::A) => match cx.lex(i + 1) {
            Lex::Kw(Kw::Few) => Some((None, i + 2)),
            Lex::Kw(Kw::Couple) if cx.is_kw(i + 2, Kw::Of) => Some((Some(2), i + 3)),
            Lex::Num(100) => Some((Some(100), i + 2)),
            _ => Some((Some(1), i + 1)),
        },
        Lex::Kw(Kw::Several | Kw::Few | Kw::Many | Kw::Some) => Some((None, i + 1)),
        _ => None,
    }
}

/// A duration value: `P3D`, `PT2H`, `PXY`; decades and centuries in years.
fn duration_value(n: Option<u32>, unit: Unit) -> String {
    let (letter, mul, time) = unit.duration();
    let (letter, mul) = match unit {
        Unit::Decade => ("Y", 10),
        Unit::Century => ("Y", 100),
        _ => (letter, mul),
    };
    // `format!("P{amount}{letter}")` (`PT…` for a time unit), written into one string.
    let mut out = String::with_capacity(16);
    out.push_str(if time { "PT" } else { "P" });
    match n {
        Some(n) => push_decimal(&mut out, n.saturating_mul(mul)),
        None => match unit {
            Unit::Decade => return "PXDE".into(),
            Unit::Century => return "PXCE".into(),
            _ => out.push('X'),
        },
    }
    out.push_str(letter);
    out
}

/// Appends `n` in decimal, as `to_string` writes it.
fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut rest = n;
    while start > 0 {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in digits.get(start..).unwrap_or(&[]) {
        out.push(char::from(d));
    }
}

/// A unit word at `i` (singular or plural), and whether it was plural.
fn unit_at(cx: &Cx<'_>, i: usize) -> Option<(Unit, bool)> {
    match cx.lex(i) {
        Lex::Unit(u) => Some((u, false)),
        Lex::Units(u) => Some((u, true)),
        Lex::Ordinal(2) if cx.word_is(i, "second") => None,
        _ => {
            if cx.word_is(i, "seconds") {
                Some((Unit::Second, true))
            } else if cx.word_is(i, "second") {
                Some((Unit::Second, false))
            } else {
                None
            }
        }
    }
}

fn is_year_number(cx: &Cx<'_>, i: usize) -> Option<i32> {
    let t = cx.tok(i)?;
    if t.kind != TokKind::Number || t.digits != 4 {
        return None;
    }
    let n = cx.plain_number(i)?;
    (1000..=2099).contains(&n).then_some(n as i32)
}

/// A time of day at `i`: "3 p.m.", "3:30 p.m.", "15:30", "noon", "10 a.m. EST". Returns the
/// time and the index after it.
fn time_of_day(cx: &Cx<'_>, i: usize) -> Option<(Tod, usize)> {
    match cx.lex(i) {
        Lex::Kw(Kw::Noon) => return Some((Tod::Clock(12, 0), i + 1)),
        Lex::Kw(Kw::Midnight) => return Some((Tod::Clock(24, 0), i + 1)),
        _ => {}
    }
    let h = cx.plain_number(i).or_else(|| match cx.lex(i) {
        Lex::Num(n) if (1..=12).contains(&n) => Some(n),
        _ => None,
    })?;
    let mut j = i + 1;
    let mut m = 0;
    let mut clock = false;
    if cx.punct(j, ':')
        && cx.tight(j)
        && cx.tight(j + 1)
        && cx.tok(j + 1).is_some_and(|t| t.digits == 2)
    {
        m = cx.number(j + 1)?;
        j += 2;
        clock = true;
    }
    // a.m. / p.m. / am / pm
    let mut pm = None;
    if let Some(w) = cx.word(j) {
        let lw = w.to_ascii_lowercase();
        if (lw == "a" || lw == "p")
            && cx.punct(j + 1, '.')
            && cx.tight(j + 1)
            && cx.word_is(j + 2, "m")
            && cx.tight(j + 2)
        {
            pm = Some(lw == "p");
            j += 3;
            if cx.punct(j, '.') && cx.tight(j) {
                j += 1;
            }
        } else if lw == "am" || lw == "pm" {
            pm = Some(lw == "pm");
            j += 1;
        }
    }
    if pm.is_none() && !clock {
        // "4 in the morning"
        if cx.is_kw(j, Kw::In)
            && cx.is_kw(j + 1, Kw::The)
            && let Lex::DayPart(p) = cx.lex(j + 2)
        {
            let h = if p == "MO" { h } else { h + 12 };
            return (h <= 24).then_some((Tod::Clock(h as u8, 0), j + 3));
        }
        return None;
    }
    if h > 24 || m > 59 || (pm.is_some() && h > 12) {
        return None;
    }
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    if matches!(cx.lex(j), Lex::Zone) {
        j += 1;
    }
    Some((Tod::Clock(h as u8, m as u8), j))
}

/// A day number after a month name at `i` ("20", "20th", "20," ): the day and index after.
fn day_number(cx: &Cx<'_>, i: usize) -> Option<(u8, usize)> {
    let t = cx.tok(i)?;
    if t.kind != TokKind::Number || t.digits > 2 {
        return None;
    }
    let d = cx.plain_number(i)?;
    if d == 0 {
        return None;
    }
    let mut j = i + 1;
    if cx.tight(j)
        && cx
            .word(j)
            .is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th"))
    {
        j += 1;
    }
    // A number followed by a unit or a percent is not a day ("March 3 percent").
    if cx.punct(j, '%')
        || cx
            .word(j)
            .is_some_and(|w| w.eq_ignore_ascii_case("percent"))
        || unit_at(cx, j).is_some()
    {
        return None;
    }
    Some((u8::try_from(d).unwrap_or(99), j))
}

fn days_in_month(year: Option<i32>, month: u8) -> u8 {
    match month {
        2 => match year
            .and_then(|y| i16::try_from(y).ok())
            .and_then(|y| jiff::civil::Date::new(y, 1, 1).ok())
        {
            Some(d) => {
                if d.in_leap_year() {
                    29
                } else {
                    28
                }
            }
            None => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of month `m` (1-12).
pub fn month_name(m: u8) -> &'static str {
    MONTH_NAMES
        .get(usize::from(m).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Month \[.\] \[day\[,\] \[year\]\] | month year | month alone (in a date-like context).
fn month_expr(cx: &Cx<'_>, i: usize, m: u8) -> Option<M> {
    let t = cx.tok(i)?;
    if !t.cap {
        return None;
    }
    let word = cx.word(i)?;
    let full = word.len() > 3 && !matches!(word.to_ascii_lowercase().as_str(), "sept");
    let mut j = i + 1;
    if cx.punct(j, '.') && cx.tight(j) && !full {
        j += 1;
    } else if !full && !matches!(word, "May" | "June" | "July") {
        // An abbreviation without its period ("Jan 5") still counts before a number.
        cx.number(j)?;
    }
    if let Some((d, k)) = day_number(cx, j) {
        let day_r = cx.tok(j).map(|t| TextRange::new(t.start, t.end));
        let mut end = k;
        let mut year = None;
        if cx.punct(end, ',')
            && let Some(y) = is_year_number(cx, end + 1)
        {
            year = Some(y);
            end += 2;
        } else if let Some(y) = is_year_number(cx, end) {
            year = Some(y);
            end += 1;
        }
        let mut mm = M::date(i, end, date_sem(year, m, d));
        mm.day_range = day_r;
        if d > days_in_month(year, m) {
            mm.flaw = Some(Flaw::Impossible(format!(
                "{} has {} days",
                month_name(m),
                days_in_month(year, m)
            )));
            mm.sem = Sem::Fixed(format!(
                "{}-{m:02}-{d:02}",
                year.map_or("XXXX".to_string(), |y| format!("{y:04}"))
            ));
        }
        return Some(mm);
    }
    if let Some((y, e)) = is_year_number(cx, j)
        .map(|y| (y, j + 1))
        .or_else(|| spelled_year(cx, j))
    {
        return Some(M::date(
            i,
            e,
            Sem::Month {
                year: YearRef::Abs(y),
                month: m,
            },
        ));
    }
    if cx.punct(j, ',')
        && let Some(y) = is_year_number(cx, j + 1)
    {
        return Some(M::date(
            i,
            j + 2,
            Sem::Month {
                year: YearRef::Abs(y),
                month: m,
            },
        ));
    }
    // "June last year", "January this year"
    if let Some(k) = cx.kw(j)
        && matches!(k, Kw::Last | Kw::This | Kw::Next)
        && matches!(cx.lex(j + 1), Lex::Unit(Unit::Year))
    {
        let n = match k {
            Kw::Last => -1,
            Kw::Next => 1,
            _ => 0,
        };
        return Some(M::date(
            i,
            j + 2,
            Sem::Month {
                year: YearRef::Rel(n),
                month: m,
            },
        ));
    }
    // A bare month name. "May" and "March" are also a verb: take them only after a word that
    // introduces a date.
    if matches!(word, "May" | "March") || !full {
        let prev = i.checked_sub(1).and_then(|p| cx.kw(p));
        let ok = matches!(
            prev,
            Some(
                Kw::In
                    | Kw::Since
                    | Kw::Until
                    | Kw::By
                    | Kw::Early
                    | Kw::Late
                    | Kw::Mid
                    | Kw::Last
                    | Kw::Next
                    | Kw::This
                    | Kw::Of
                    | Kw::From
                    | Kw::Before
                    | Kw::After
                    | Kw::Each
                    | Kw::Every
            )
        ) || (i >= 1 && cx.punct(i - 1, '-'));
        if !ok {
            return None;
        }
    }
    Some(M::date(
        i,
        j,
        Sem::Month {
            year: YearRef::Auto,
            month: m,
        },
    ))
}

fn date_sem(year: Option<i32>, m: u8, d: u8) -> Sem {
    Sem::Date {
        year: year.map_or(YearRef::Auto, YearRef::Abs),
        month: m,
        day: d,
    }
}

/// Numeric dates at `i`: 2023-03-20, 3/20/2023, 20.03.2023, 3/20.
fn numeric_date(cx: &Cx<'_>, i: usize) -> Option<M> {
    let a = cx.tok(i)?;
    if a.kind != TokKind::Number {
        return None;
    }
    // ISO: yyyy-mm-dd
    if a.digits == 4
        && cx.punct(i + 1, '-')
        && cx.tight(i + 1)
        && cx.tight(i + 2)
        && cx
            .tok(i + 2)
            .is_some_and(|t| t.digits == 2 && t.kind == TokKind::Number)
    {
        let y = a.num as i32;
        let m = cx.number(i + 2)? as u8;
        if cx.punct(i + 3, '-')
            && cx.tight(i + 3)
            && cx.tight(i + 4)
            && cx
                .tok(i + 4)
                .is_some_and(|t| t.digits == 2 && t.kind == TokKind::Number)
        {
            let d = cx.number(i + 4)? as u8;
            let mut mm = M::date(
                i,
                i + 5,
                Sem::Date {
                    year: YearRef::Abs(y),
                    month: m,
                    day: d,
                },
            );
            mm.day_range = cx.tok(i + 4).map(|t| TextRange::new(t.start, t.end));
            check_numeric(&mut mm, Some(y), m, d);
            return Some(mm);
        }
        if (1..=12).contains(&m) {
            return Some(M::date(
                i,
                i + 3,
                Sem::Month {
                    year: YearRef::Abs(y),
                    month: m,
                },
            ));
        }
        return None;
    }
    if a.digits > 2 {
        return None;
    }
    let sep = if cx.punct(i + 1, '/') {
        '/'
    } else if cx.punct(i + 1, '.') {
        '.'
    } else {
        return None;
    };
    if !(cx.tight(i + 1) && cx.tight(i + 2)) {
        return None;
    }
    let b = cx
        .tok(i + 2)
        .filter(|t| t.kind == TokKind::Number && t.digits <= 2)?;
    let has_year = cx.punct(i + 3, sep)
        && cx.tight(i + 3)
        && cx.tight(i + 4)
        && cx
            .tok(i + 4)
            .is_some_and(|t| t.kind == TokKind::Number && (t.digits == 4 || t.digits == 2));
    if !has_year {
        // "3/20" is a date only with a slash and plausible numbers; a dotted pair is a decimal.
        if sep != '/' || a.num == 0 || b.num == 0 || a.num > 12 || b.num > 31 {
            return None;
        }
        // A fraction ("1/2") is not a date.
        if b.num <= 9 && b.digits == 1 && a.num < b.num {
            return None;
        }
    }
    let year = if has_year {
        let y = cx.tok(i + 4)?;
        Some(if y.digits == 2 {
            if y.num < 50 {
                2000 + y.num as i32
            } else {
                1900 + y.num as i32
            }
        } else {
            y.num as i32
        })
    } else {
        None
    };
    let end = if has_year { i + 5 } else { i + 3 };
    if cx.tight(end) && (cx.punct(end, '/') || cx.number(end).is_some()) {
        return None;
    }
    // Slashes read month first (US news style); dots read day first (European style).
    let (m, d, day_tok) = if sep == '/' {
        (a.num, b.num, i + 2)
    } else {
        (b.num, a.num, i)
    };
    let (m, d) = (u8::try_from(m).unwrap_or(99), u8::try_from(d).unwrap_or(99));
    let mut mm = M::date(
        i,
        end,
        Sem::Date {
            year: year.map_or(YearRef::Auto, YearRef::Abs),
            month: m,
            day: d,
        },
    );
    mm.day_range = cx.tok(day_tok).map(|t| TextRange::new(t.start, t.end));
    check_numeric(&mut mm, year, m, d);
    if mm.flaw.is_none() && m != d && d <= 12 && has_year {
        mm.flaw = Some(Flaw::Ambiguous {
            read: (m, d),
            swapped: (d, m),
            year: year.unwrap_or(0),
        });
    }
    Some(mm)
}

fn check_numeric(mm: &mut M, year: Option<i32>, m: u8, d: u8) {
    if !(1..=12).contains(&m) {
        mm.flaw = Some(Flaw::Impossible(format!("there is no month {m}")));
    } else if d == 0 || d > days_in_month(year, m) {
        mm.flaw = Some(Flaw::Impossible(format!(
            "{} has {} days",
            month_name(m),
            days_in_month(year, m)
        )));
    } else {
        return;
    }
    // Only a flawed date is written here (most are not).
    let y = year.map_or("XXXX".to_string(), |y| format!("{y:04}"));
    mm.sem = Sem::Fixed(format!("{y}-{m:02}-{d:02}"));
}

/// Expressions starting with a number token.
fn number_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    if let Some(m) = numeric_date(cx, i) {
        return Some(m);
    }
    let t = cx.tok(i)?;
    // Decades: "1990s", "the '90s" is handled by the apostrophe path.
    if t.digits == 4
        && cx.word_is(i + 1, "s")
        && cx.tight(i + 1)
        && t.num % 10 == 0
        && (1000..2100).contains(&t.num)
    {
        return Some(M::date(i, i + 2, Sem::Fixed(format!("{:03}", t.num / 10))));
    }
    if let Some(y) = is_year_number(cx, i) {
        // Not a year when a unit or a plural noun of quantity follows ("2000 people", "1990 levels"
        // is kept: a year used as an adjective is still a date in TimeML).
        if cx.punct(i + 1, '%')
            || cx
                .word(i + 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("percent"))
            || unit_at(cx, i + 1).is_some()
        {
            return None;
        }
        let prev_kw = i.checked_sub(1).and_then(|p| cx.kw(p));
        let next_is_noun = cx
            .tok(i + 1)
            .is_some_and(|n| n.kind == TokKind::Word && !n.cap && n.lex == Lex::Other)
            && cx
                .word(i + 1)
                .is_some_and(|w| w.ends_with('s') && !w.ends_with("ss"));
        if next_is_noun
            && !matches!(
                prev_kw,
                Some(Kw::In | Kw::Since | Kw::Of | Kw::By | Kw::Until | Kw::Fiscal)
            )
        {
            return None;
        }
        // "the 1988 third quarter"
        if let Lex::Ordinal(q) = cx.lex(i + 1)
            && (1..=4).contains(&q)
            && matches!(cx.lex(i + 2), Lex::Unit(Unit::Quarter))
        {
            let start = if i >= 1 && cx.is_kw(i - 1, Kw::The) {
                i - 1
            } else {
                i
            };
            return Some(M::date(
                start,
                i + 3,
                Sem::Quarter {
                    q,
                    year: YearRef::Abs(y),
                },
            ));
        }
        // "2,000" and "$2000" were excluded by `plain_number`; a year in a range ("1990-91") is fine.
        return Some(M::date(i, i + 1, Sem::Year(YearRef::Abs(y))));
    }
    // Times: "3 p.m.", "15:30".
    if let Some((tod, j)) = time_of_day(cx, i) {
        let mut m = M::new(i, j, TimexType::Time, Sem::TimeOnly);
        m.time = Some(tod);
        attach_day_after_time(cx, &mut m);
        return Some(m);
    }
    // "20 March 2023"
    if t.digits <= 2
        && let Lex::Month(mo) = cx.lex(i + 1)
        && cx.tok(i + 1).is_some_and(|x| x.cap)
    {
        let d = u8::try_from(t.num).unwrap_or(99);
        if d == 0 {
            return None;
        }
        let mut j = i + 2;
        if cx.punct(j, '.') && cx.tight(j) {
            j += 1;
        }
        let year = is_year_number(cx, j);
        if year.is_some() {
            j += 1;
        }
        let mut mm = M::date(i, j, date_sem(year, mo, d));
        mm.day_range = Some(TextRange::new(t.start, t.end));
        if d > days_in_month(year, mo) {
            mm.flaw = Some(Flaw::Impossible(format!(
                "{} has {} days",
                month_name(mo),
                days_in_month(year, mo)
            )));
            mm.sem = Sem::Fixed(format!(
                "{}-{mo:02}-{d:02}",
                year.map_or("XXXX".to_string(), |y| format!("{y:04}"))
            ));
        }
        return Some(mm);
    }
    // Ordinal century: "20th century".
    if cx.tight(i + 1)
        && cx
            .word(i + 1)
            .is_some_and(|w| matches!(w, "st" | "nd" | "rd" | "th"))
        && matches!(cx.lex(i + 2), Lex::Unit(Unit::Century))
    {
        return Some(M::date(
            i,
            i + 3,
            Sem::Fixed(format!("{:02}", t.num.saturating_sub(1))),
        ));
    }
    quantity_expr(cx, i)
}

/// "9 a.m. Tuesday", "noon Thursday", "10 p.m. today": a day right after a time joins it.
fn attach_day_after_time(cx: &Cx<'_>, m: &mut M) {
    let j = m.end;
    match cx.lex(j) {
        Lex::Weekday(wd) if cx.tok(j).is_some_and(|t| t.cap) => {
            m.sem = Sem::Weekday { wd, dir: 0 };
            m.end = j + 1;
        }
        Lex::Kw(Kw::Today) => {
            m.sem = Sem::DayOffset(0);
            m.end = j + 1;
        }
        Lex::Month(_) | Lex::Other
            if cx.tok(j).is_some_and(|t| {
                t.kind == TokKind::Punct(',') || matches!(t.lex, Lex::Month(_))
            }) =>
        {
            // "5 p.m. EST Nov. 9", "5 p.m. EST, Nov. 6"
            let k = if cx.punct(j, ',') { j + 1 } else { j };
            if let Lex::Month(mo) = cx.lex(k)
                && let Some(d) = month_expr(cx, k, mo)
                && matches!(d.sem, Sem::Date { .. })
            {
                m.sem = d.sem;
                m.day_range = d.day_range;
                m.end = d.end;
            }
        }
        Lex::Kw(Kw::Yesterday) => {
            m.sem = Sem::DayOffset(-1);
            m.end = j + 1;
        }
        Lex::Kw(Kw::Tomorrow) => {
            m.sem = Sem::DayOffset(1);
            m.end = j + 1;
        }
        _ => {}
    }
}

/// Quantity + unit: durations ("three days", "three-day", "10-year-old") and offsets
/// ("two days ago", "a year earlier").
/// `n` and a half units as an ISO 8601 duration ("P2Y6M", "PT5H30M"), where the half is a
/// whole number of the next smaller unit.
fn and_a_half(n: u32, unit: Unit) -> Option<String> {
    Some(match unit {
        Unit::Year => format!("P{n}Y6M"),
        Unit::Month => format!("P{n}M15D"),
        Unit::Day => format!("P{n}DT12H"),
        Unit::Hour => format!("PT{n}H30M"),
        Unit::Minute => format!("PT{n}M30S"),
        _ => return None,
    })
}

/// "2 1/2 years", "a minute and a half", "an hour and a half".
fn half_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    if let Some(n) = cx.plain_number(i)
        && cx.number(i + 1) == Some(1)
        && cx.punct(i + 2, '/')
        && cx.number(i + 3) == Some(2)
        && let Some((u, _)) = unit_at(cx, i + 4)
    {
        return Some(M::dur(i, i + 5, and_a_half(n, u)?));
    }
    if matches!(cx.lex(i), Lex::Kw(Kw::A) | Lex::Num(1))
        && let Some((u, false)) = unit_at(cx, i + 1)
        && cx.is_kw(i + 2, Kw::And)
        && cx.is_kw(i + 3, Kw::A)
        && cx.is_kw(i + 4, Kw::Half)
    {
        return Some(M::dur(i, i + 5, and_a_half(1, u)?));
    }
    None
}

fn quantity_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    if let Some(m) = half_expr(cx, i) {
        return Some(m);
    }
    let (n, j) = quantity(cx, i)?;
    // "a few", "the" etc. handled by callers; here the unit must follow.
    // Hyphenated adjective: "three-day", "10-year", "five-hour", "8-month-old".
    if cx.hyphen(j)
        && let Some((u, false)) = unit_at(cx, j + 1)
    {
        if cx.lex(i) == Lex::Kw(Kw::A) {
            return None;
        }
        let mut end = j + 2;
        if cx.hyphen(end) && cx.is_kw(end + 1, Kw::Old) {
            // An age ("six-year-old") is not a time expression in TimeML.
            return None;
        }
        if cx.hyphen(end) && cx.is_kw(end + 1, Kw::Long) {
            end += 2;
        }
        return Some(M::dur(i, end, duration_value(n, u)));
    }
    let mut k = j;
    if cx.is_kw(k, Kw::More) {
        k += 1;
    }
    let (u, plural) = unit_at(cx, k)?;
    // "a year-earlier period": the adjective is the expression, not "a year".
    if cx.hyphen(k + 1)
        && matches!(
            cx.kw(k + 2),
            Some(Kw::Ago | Kw::Earlier | Kw::End | Kw::Old)
        )
    {
        return None;
    }
    // "a day" / "one year" need a singular unit; "two days" a plural one ("one day" is fine).
    if plural && n == Some(1) && cx.lex(i) == Lex::Kw(Kw::A) {
        return None;
    }
    let end = k + 1;
    // An age ("52 years old") is not a time expression.
    if cx.is_kw(end, Kw::Old) {
        return None;
    }
    // "a week or so ago": the hedge sits between the quantity and "ago".
    let hedged = cx.is_kw(end, Kw::Or) && cx.word_is(end + 1, "so") && cx.is_kw(end + 2, Kw::Ago);
    let (end, next) = if hedged {
        (end + 2, Some(Kw::Ago))
    } else {
        (end, cx.kw(end))
    };
    match next {
        Some(Kw::Ago) => {
            let mut m = M::date(i, end + 1, offset_sem(u, n.map(|n| -(n as i32))));
            m.cue = Some("ago");
            Some(m)
        }
        Some(Kw::Earlier) if n.is_some() => {
            // "a year earlier": a date before the time under discussion; the publication
            // date is the best reference a rule has. ("three days later", "ten days before"
            // are durations between two events, as TimeBank annotates them.)
            let mut m = M::date(i, end + 1, offset_sem(u, n.map(|n| -(n as i32))));
            m.cue = Some("earlier");
            Some(m)
        }
        _ => {
            // "a year" after "once"/"per"/"times" is a frequency, handled by the set matcher.
            if cx.lex(i) == Lex::Kw(Kw::A)
                && i >= 1
                && matches!(cx.kw(i - 1), Some(Kw::Once | Kw::Twice | Kw::Times))
            {
                return Some(M::new(
                    i,
                    end,
                    TimexType::Set,
                    Sem::Fixed(duration_value(Some(1), u)),
                ));
            }
            // Bare "a month" after a number ("$5 a month") is a rate, not a duration.
            if cx.lex(i) == Lex::Kw(Kw::A)
                && i >= 1
                && cx.tok(i - 1).is_some_and(|t| {
                    t.kind == TokKind::Number
                        || t.lex == Lex::Other
                            && !t.cap
                            && cx
                                .word(i - 1)
                                .is_some_and(|w| w.ends_with("ion") || w.ends_with("ars"))
                })
            {
                return None;
            }
            Some(M::dur(i, end, duration_value(n, u)))
        }
    }
}

/// A relative offset of `n` units from the anchor (unknown `n`: a vague past/future).
fn offset_sem(u: Unit, n: Option<i32>) -> Sem {
    match n {
        None => Sem::Ref("PAST_REF"),
        Some(n) => match u {
            Unit::Year => Sem::Year(YearRef::Rel(n)),
            Unit::Decade => Sem::Year(YearRef::Rel(n.saturating_mul(10))),
            Unit::Century => Sem::Year(YearRef::Rel(n.saturating_mul(100))),
            Unit::Second | Unit::Minute | Unit::Hour => Sem::DayOffset(0),
            _ => Sem::Offset { unit: u, n },
        },
    }
}

/// last/next/this/past/coming + unit | month | weekday | season.
fn deictic(cx: &Cx<'_>, i: usize, k: Kw) -> Option<M> {
    let n: i32 = match k {
        Kw::Last | Kw::Past | Kw::Previous => -1,
        Kw::Next | Kw::Coming | Kw::Following => 1,
        Kw::This | Kw::That => 0,
        _ => return None,
    };
    let cue: &'static str = match k {
        Kw::Last => "last",
        Kw::Past => "past",
        Kw::Previous => "previous",
        Kw::Next => "next",
        Kw::Coming => "coming",
        Kw::Following => "following",
        Kw::That => "that",
        _ => "this",
    };
    // "that same day"
    let j = if k == Kw::That && cx.is_kw(i + 1, Kw::Same) {
        i + 2
    } else {
        i + 1
    };
    // "this past spring": the latest such season before the anchor.
    if k == Kw::This
        && cx.is_kw(j, Kw::Past)
        && let Lex::Season(season) = cx.lex(j + 1)
    {
        return Some(
            M::date(
                i,
                j + 2,
                Sem::Season {
                    season: season.as_str(),
                    year: YearRef::Prev,
                },
            )
            .cue("past"),
        );
    }
    match cx.lex(j) {
        Lex::Unit(u) => {
            // "that day", "the next day", "the following day" count from the time last
            // mentioned (see `resolve`); "last day" and "this day" are not dates.
            let relational = matches!(k, Kw::That | Kw::Following | Kw::Previous | Kw::Next);
            // A bare "that day" or "that week" is more often a reference back than a date.
            let same = j == i + 2;
            if k == Kw::That && !(matches!(u, Unit::Year | Unit::Quarter) || same && u == Unit::Day)
            {
                return None;
            }
            let sem = match u {
                Unit::Year => Sem::Year(YearRef::Rel(n)),
                Unit::Day if relational => {
                    let cue = if k == Kw::Next { "following" } else { cue };
                    return Some(M::date(i, j + 1, Sem::DayOffset(n)).cue(cue));
                }
                Unit::Day => return None,
                Unit::Second | Unit::Minute | Unit::Hour => return None,
                Unit::Decade | Unit::Century => {
                    return Some(M::dur(i, j + 1, duration_value(Some(1), u)).cue(cue));
                }
                _ => Sem::Offset { unit: u, n },
            };
            // "this year's third quarter"
            if u == Unit::Year
                && (cx.punct(j + 1, '\'') || cx.punct(j + 1, '’'))
                && cx.word_is(j + 2, "s")
                && let Lex::Ordinal(q) = cx.lex(j + 3)
                && (1..=4).contains(&q)
                && matches!(cx.lex(j + 4), Lex::Unit(Unit::Quarter))
            {
                return Some(
                    M::date(
                        i,
                        j + 5,
                        Sem::Quarter {
                            q,
                            year: YearRef::Rel(n),
                        },
                    )
                    .cue(cue),
                );
            }
            // "last year's quarter", "last year's period": the same quarter a year before
            // (see `resolve`).
            if u == Unit::Year
                && n == -1
                && (cx.punct(j + 1, '\'') || cx.punct(j + 1, '’'))
                && cx.word_is(j + 2, "s")
                && (matches!(cx.lex(j + 3), Lex::Unit(Unit::Quarter))
                    || cx.is_kw(j + 3, Kw::Period))
            {
                return Some(M::date(i, j + 4, sem).cue("earlier"));
            }
            // "the past year" and "the following year" read as the year before/after.
            Some(M::date(i, j + 1, sem).cue(cue))
        }
        Lex::Month(m) if cx.tok(j).is_some_and(|t| t.cap) => {
            if k == Kw::That || k == Kw::Past {
                return None;
            }
            let year = match n {
                -1 => YearRef::Prev,
                1 => YearRef::Following,
                _ => YearRef::Rel(0),
            };
            Some(M::date(i, j + 1, Sem::Month { year, month: m }).cue(cue))
        }
        Lex::Weekday(wd) => {
            if k == Kw::That || k == Kw::Past {
                return None;
            }
            let dir = match n {
                -1 => -1,
                1 => 1,
                _ => 0,
            };
            Some(with_daypart(
                cx,
                M::date(i, j + 1, Sem::Weekday { wd, dir }).cue(cue),
            ))
        }
        Lex::Season(s) => {
            if k == Kw::Past {
                return None;
            }
            let year = match n {
                -1 => YearRef::Prev,
                1 => YearRef::Following,
                _ => YearRef::Rel(0),
            };
            Some(
                M::date(
                    i,
                    j + 1,
                    Sem::Season {
                        season: s.as_str(),
                        year,
                    },
                )
                .cue(cue),
            )
        }
        Lex::DayPart(p) if k == Kw::This || k == Kw::Last => {
            // "this morning", "last night"
            let mut m = M::new(
                i,
                j + 1,
                TimexType::Time,
                Sem::DayOffset(if k == Kw::Last { -1 } else { 0 }),
            )
            .cue(cue);
            m.time = Some(Tod::Part(p.as_str()));
            Some(m)
        }
        _ => {
            // "the past three years", "last five years", "the next two weeks": durations.
            if matches!(
                k,
                Kw::Last | Kw::Past | Kw::Next | Kw::Coming | Kw::Previous | Kw::Following
            ) && let Some((q, e)) = quantity(cx, j)
                && let Some((u, plural)) = unit_at(cx, e)
                && (plural || q == Some(1))
            {
                if matches!(cx.lex(j), Lex::Kw(Kw::A)) && !plural {
                    return None;
                }
                // "the past several quarters": reporting periods with no count are a general
                // reference to the past (or future), as TimeBank annotates them.
                if q.is_none() && u == Unit::Quarter {
                    return Some(M::date(i, e + 1, vague_ref(n)).cue(cue));
                }
                return Some(M::dur(i, e + 1, duration_value(q, u)).cue(cue));
            }
            // "recent years", "coming months": vague.
            if k == Kw::Coming
                && let Some((u, true)) = unit_at(cx, j)
            {
                if u == Unit::Quarter {
                    return Some(M::date(i, j + 1, vague_ref(n)).cue(cue));
                }
                return Some(M::dur(i, j + 1, duration_value(None, u)).cue(cue));
            }
            None
        }
    }
}

/// Modifier words that TimeBank keeps inside the extent ("early", "late", "mid-", "the end
/// of"); returns the index of the core expression.
fn modifier_prefix(cx: &Cx<'_>, i: usize) -> Option<usize> {
    match cx.kw(i) {
        Some(Kw::Early | Kw::Late | Kw::Earlier | Kw::Later) => Some(i + 1),
        Some(Kw::Mid) if cx.hyphen(i + 1) => Some(i + 2),
        Some(Kw::The)
            if matches!(
                cx.kw(i + 1),
                Some(Kw::End | Kw::Beginning | Kw::Start | Kw::Middle)
            ) && cx.is_kw(i + 2, Kw::Of) =>
        {
            Some(i + 3)
        }
        _ => None,
    }
}

/// Expressions starting at a word.
fn word_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    let t = cx.tok(i)?;
    match t.lex {
        Lex::Month(m) => month_expr(cx, i, m),
        Lex::Weekday(wd) => weekday_expr(cx, i, wd),
        Lex::Weekdays(wd) if t.cap => Some(M::new(
            i,
            i + 1,
            TimexType::Set,
            Sem::Fixed(format!("XXXX-WXX-{wd}")),
        )),
        Lex::Holiday(_) => holiday_expr(cx, i),
        Lex::Season(s) => {
            // "summer 1990", "the summer of 1990" (the "the" path comes through `the_expr`).
            if let Some(y) = is_year_number(cx, i + 1) {
                return Some(M::date(
                    i,
                    i + 2,
                    Sem::Season {
                        season: s.as_str(),
                        year: YearRef::Abs(y),
                    },
                ));
            }
            if cx.is_kw(i + 1, Kw::Of)
                && let Some(y) = is_year_number(cx, i + 2)
            {
                return Some(M::date(
                    i,
                    i + 3,
                    Sem::Season {
                        season: s.as_str(),
                        year: YearRef::Abs(y),
                    },
                ));
            }
            None
        }
        Lex::Ordinal(q) if (1..=4).contains(&q) => quarter_expr(cx, i, q),
        Lex::Num(19 | 2) if spelled_year(cx, i).is_some() => {
            let (y, e) = spelled_year(cx, i)?;
            Some(M::date(i, e, Sem::Year(YearRef::Abs(y))))
        }
        Lex::Num(_) => quantity_expr(cx, i).or_else(|| {
            let (tod, j) = time_of_day(cx, i)?;
            let mut m = M::new(i, j, TimexType::Time, Sem::TimeOnly);
            m.time = Some(tod);
            attach_day_after_time(cx, &mut m);
            Some(m)
        }),
        Lex::Kw(k) => kw_expr(cx, i, k),
        _ => None,
    }
}

/// Whether an expression can start at the grammar word `k`: the words [`kw_expr`] and
/// [`modifier_prefix`] act on (every other grammar word, "of", "said", "was", …, starts none,
/// as the other matchers of [`match_at`] start at numbers, calendar words and apostrophes).
pub(super) fn kw_may_start(k: Kw) -> bool {
    matches!(
        k,
        Kw::Today
            | Kw::Yesterday
            | Kw::Tomorrow
            | Kw::Tonight
            | Kw::Now
            | Kw::Currently
            | Kw::Nowadays
            | Kw::Current
            | Kw::Recently
            | Kw::Recent
            | Kw::These
            | Kw::Last
            | Kw::Next
            | Kw::This
            | Kw::Past
            | Kw::Coming
            | Kw::Previous
            | Kw::That
            | Kw::Every
            | Kw::Each
            | Kw::Daily
            | Kw::Weekly
            | Kw::Monthly
            | Kw::Yearly
            | Kw::Annually
            | Kw::Hourly
            | Kw::Nightly
            | Kw::Fiscal
            | Kw::The
            | Kw::A
            | Kw::Several
            | Kw::Few
            | Kw::Couple
            | Kw::Many
            | Kw::Some
            | Kw::Nearly
            | Kw::Almost
            | Kw::More
            | Kw::Less
            | Kw::At
            | Kw::Up
            | Kw::Noon
            | Kw::Midnight
            // modifier_prefix
            | Kw::Early
            | Kw::Late
            | Kw::Earlier
            | Kw::Later
            | Kw::Mid
    )
}

/// Whether an expression can start at a word of class `l` other than a grammar word
/// ([`kw_may_start`]): a calendar word or a number word, an ordinal that may name a quarter or
/// half ("third"), or "year" ("year-end"). A plural unit ("years"), any other unit ("month"),
/// a part of the day, a time zone or a past-tense verb starts none (see [`match_at`]).
pub(super) fn lex_may_start(l: Lex) -> bool {
    match l {
        Lex::Month(_)
        | Lex::Weekday(_)
        | Lex::Weekdays(_)
        | Lex::Holiday(_)
        | Lex::Season(_)
        | Lex::Num(_)
        | Lex::Unit(Unit::Year) => true,
        Lex::Ordinal(q) => (1..=4).contains(&q),
        Lex::Kw(k) => kw_may_start(k),
        Lex::Other | Lex::Unit(_) | Lex::Units(_) | Lex::DayPart(_) | Lex::Zone | Lex::PastVerb => {
            false
        }
    }
}

fn kw_expr(cx: &Cx<'_>, i: usize, k: Kw) -> Option<M> {
    let j = i + 1;
    match k {
        Kw::Today => Some(M::date(i, j, Sem::DayOffset(0))),
        Kw::Yesterday => Some(with_daypart(cx, M::date(i, j, Sem::DayOffset(-1)))),
        Kw::Tomorrow => Some(with_daypart(cx, M::date(i, j, Sem::DayOffset(1)))),
        Kw::Tonight => {
            let mut m = M::new(i, j, TimexType::Time, Sem::DayOffset(0));
            m.time = Some(Tod::Part("NI"));
            Some(m)
        }
        // A sentence-opening "Now," is a discourse marker ("Now, he says, ..."), not a time.
        Kw::Now if cx.tok(i).is_some_and(|t| t.cap) && cx.punct(j, ',') => None,
        Kw::Now | Kw::Currently | Kw::Nowadays => Some(M::date(i, j, Sem::Ref("PRESENT_REF"))),
        Kw::Current => {
            // "current" as an adjective of time ("the current quarter" is a quarter).
            if let Some((Unit::Quarter, false)) = unit_at(cx, j) {
                return Some(M::date(
                    i,
                    j + 1,
                    Sem::Offset {
                        unit: Unit::Quarter,
                        n: 0,
                    },
                ));
            }
            if let Some((Unit::Year, false)) = unit_at(cx, j) {
                return Some(M::date(i, j + 1, Sem::Year(YearRef::Rel(0))));
            }
            Some(M::date(i, j, Sem::Ref("PRESENT_REF")))
        }
        // "previously", "soon" and a bare "future" are left out: in news copy they rarely
        // mark a time a reader would look for.
        Kw::Recently => Some(M::date(i, j, Sem::Ref("PAST_REF"))),
        Kw::Recent => {
            // "recent years": an unspecified number of them.
            let (u, plural) = unit_at(cx, j)?;
            plural.then(|| M::dur(i, j + 1, duration_value(None, u)))
        }
        Kw::These if cx.word_is(j, "days") => Some(M::date(i, j + 1, Sem::Ref("PRESENT_REF"))),
        Kw::Last | Kw::Next | Kw::This | Kw::Past | Kw::Coming | Kw::Previous | Kw::That => {
            deictic(cx, i, k)
        }
        Kw::Every | Kw::Each => set_expr(cx, i),
        Kw::Daily => Some(M::new(i, j, TimexType::Set, Sem::Fixed("P1D".into()))),
        Kw::Weekly => Some(M::new(i, j, TimexType::Set, Sem::Fixed("P1W".into()))),
        Kw::Monthly => Some(M::new(i, j, TimexType::Set, Sem::Fixed("P1M".into()))),
        Kw::Yearly | Kw::Annually => Some(M::new(i, j, TimexType::Set, Sem::Fixed("P1Y".into()))),
        Kw::Hourly => Some(M::new(i, j, TimexType::Set, Sem::Fixed("PT1H".into()))),
        Kw::Nightly => Some(M::new(
            i,
            j,
            TimexType::Set,
            Sem::Fixed("XXXX-XX-XXTNI".into()),
        )),
        Kw::Fiscal => {
            // "fiscal 1989", "fiscal year 1989"
            let mut k2 = j;
            if matches!(cx.lex(k2), Lex::Unit(Unit::Year)) {
                k2 += 1;
            }
            let y = is_year_number(cx, k2).or_else(|| {
                // "fiscal '89"
                (cx.punct(k2, '\'') || cx.punct(k2, '’'))
                    .then(|| {
                        cx.tok(k2 + 1)
                            .filter(|t| t.digits == 2)
                            .map(|t| 1900 + t.num as i32)
                    })
                    .flatten()
            })?;
            let end = if is_year_number(cx, k2).is_some() {
                k2 + 1
            } else {
                k2 + 2
            };
            Some(M::date(i, end, Sem::Year(YearRef::Abs(y))))
        }
        Kw::The => the_expr(cx, i),
        Kw::A => quantity_expr(cx, i),
        Kw::Several | Kw::Few | Kw::Couple | Kw::Many | Kw::Some => quantity_expr(cx, i),
        // "about", "around" and "over" are left outside the extent, as TimeBank mostly does.
        Kw::Nearly | Kw::Almost => {
            let m = number_or_quantity(cx, j)?;
            (m.kind == TimexType::Duration || matches!(m.cue, Some("ago")))
                .then_some(M { start: i, ..m })
        }
        Kw::More | Kw::Less if cx.is_kw(j, Kw::Than) => {
            let m = number_or_quantity(cx, j + 1)?;
            (m.kind == TimexType::Duration || matches!(m.cue, Some("ago")))
                .then_some(M { start: i, ..m })
        }
        Kw::At if cx.is_kw(j, Kw::Least) => {
            let m = number_or_quantity(cx, j + 1)?;
            (m.kind == TimexType::Duration).then_some(M { start: i, ..m })
        }
        Kw::Up if cx.is_kw(j, Kw::To) => {
            let m = number_or_quantity(cx, j + 1)?;
            (m.kind == TimexType::Duration).then_some(M { start: i, ..m })
        }
        Kw::Noon | Kw::Midnight => {
            let (tod, e) = time_of_day(cx, i)?;
            let mut m = M::new(i, e, TimexType::Time, Sem::TimeOnly);
            m.time = Some(tod);
            attach_day_after_time(cx, &mut m);
            // A bare "noon" with no day is still a time of the anchor day.
            Some(m)
        }
        _ => None,
    }
}

fn number_or_quantity(cx: &Cx<'_>, i: usize) -> Option<M> {
    if cx.number(i).is_some() {
        number_expr(cx, i)
    } else {
        quantity_expr(cx, i)
    }
}

/// "yesterday morning", "Monday night": the part of the day joins the extent; evening and
/// afternoon also join the value (`TEV`, `TAF`), while morning and night mostly stay at the
/// day in TimeBank (measured: a weekday with "night" is twice as often the bare day).
fn with_daypart(cx: &Cx<'_>, mut m: M) -> M {
    if let Lex::DayPart(p) = cx.lex(m.end) {
        m.end += 1;
        if p == "EV" || p == "AF" {
            m.time = Some(Tod::Part(p.as_str()));
        }
    }
    m
}

fn weekday_expr(cx: &Cx<'_>, i: usize, wd: u8) -> Option<M> {
    let t = cx.tok(i)?;
    if !t.cap {
        return None;
    }
    let word = cx.word(i)?;
    let mut j = i + 1;
    let abbreviated = word.len() <= 5 && !word.eq_ignore_ascii_case("friday") && word.len() < 6;
    if abbreviated {
        // "Mon." / "Sat" are too ambiguous without the period or a following date.
        if cx.punct(j, '.') && cx.tight(j) {
            j += 1;
        } else if !(matches!(cx.lex(j), Lex::Month(_))
            || cx.punct(j, ',') && matches!(cx.lex(j + 1), Lex::Month(_)))
        {
            return None;
        }
    }
    let wr = TextRange::new(t.start, t.end);
    // "Monday, March 20, 2023" / "Monday, 20 March" / "Monday March 20"
    let mut k = j;
    if cx.punct(k, ',') {
        k += 1;
    }
    let date = match cx.lex(k) {
        Lex::Month(m) => month_expr(cx, k, m),
        _ if cx.number(k).is_some() => number_expr(cx, k),
        _ => None,
    };
    if let Some(mut d) = date
        && matches!(d.sem, Sem::Date { .. } | Sem::Fixed(_))
        && d.kind == TimexType::Date
    {
        d.start = i;
        d.weekday = Some((wd, wr));
        return Some(d);
    }
    let mut m = with_daypart(cx, M::date(i, j, Sem::Weekday { wd, dir: 0 }));
    if m.end > j {
        // "Monday night": the day, as TimeBank mostly annotates it.
    } else if cx.is_kw(j, Kw::At)
        && let Some((tod, e)) = time_of_day(cx, j + 1)
    {
        m.time = Some(tod);
        m.end = e;
        m.kind = TimexType::Time;
    }
    Some(m)
}

fn holiday_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    let t = cx.tok(i)?;
    if !t.cap {
        return None;
    }
    let mut best: Option<(usize, usize)> = None; // (holiday index, end token)
    // The lower-case text of the next few tokens, with single spaces where the text has space.
    let mut window = String::new();
    let mut ends: Vec<(usize, usize)> = Vec::new(); // (byte length of window, token end)
    for k in i..(i + 6).min(cx.toks.len()) {
        let Some(t) = cx.tok(k) else { break };
        if k > i && t.space_before {
            window.push(' ');
        }
        window.extend(cx.text[t.start..t.end].chars().map(|c| {
            if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        }));
        ends.push((window.len(), k + 1));
    }
    for (idx, h) in super::lexicon::holidays().iter().enumerate() {
        let phrase = h.words.join(" ");
        if let Some(&(_, end)) = ends
            .iter()
            .find(|(len, _)| *len == phrase.len() && window.starts_with(&phrase))
            && best.is_none_or(|(_, e)| end > e)
        {
            best = Some((idx, end));
        }
    }
    let (index, mut end) = best?;
    let mut year = YearRef::Auto;
    if let Some(y) = is_year_number(cx, end) {
        year = YearRef::Abs(y);
        end += 1;
    }
    Some(M::date(i, end, Sem::Holiday { index, year }))
}

/// "third quarter", "third-quarter", "first half" (with "of 1990" / "1990").
fn quarter_expr(cx: &Cx<'_>, i: usize, q: u8) -> Option<M> {
    let mut j = i + 1;
    if cx.hyphen(j) {
        j += 1;
    }
    let is_half = cx.kw(j) == Some(Kw::Half);
    if !(matches!(cx.lex(j), Lex::Unit(Unit::Quarter)) || is_half) || (is_half && q > 2) {
        return None;
    }
    let mut end = j + 1;
    let mut year = YearRef::Auto;
    if cx.is_kw(end, Kw::Of)
        && let Some(y) = is_year_number(cx, end + 1)
    {
        year = YearRef::Abs(y);
        end += 2;
    }
    let sem = if is_half {
        Sem::Half { h: q, year }
    } else {
        Sem::Quarter { q, year }
    };
    Some(M::date(i, end, sem))
}

/// "every Monday", "each year", "every day".
fn set_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    let j = i + 1;
    match cx.lex(j) {
        Lex::Weekday(wd) => {
            let mut m = M::new(
                i,
                j + 1,
                TimexType::Set,
                Sem::Fixed(format!("XXXX-WXX-{wd}")),
            );
            if let Lex::DayPart(p) = cx.lex(j + 1) {
                m.sem = Sem::Fixed(format!("XXXX-WXX-{wd}T{p}"));
                m.end += 1;
            }
            Some(m)
        }
        Lex::Month(m) => Some(M::new(
            i,
            j + 1,
            TimexType::Set,
            Sem::Fixed(format!("XXXX-{m:02}")),
        )),
        Lex::Season(s) => Some(M::new(
            i,
            j + 1,
            TimexType::Set,
            Sem::Fixed(format!("XXXX-{s}")),
        )),
        Lex::Unit(u) => Some(M::new(
            i,
            j + 1,
            TimexType::Set,
            Sem::Fixed(duration_value(Some(1), u)),
        )),
        Lex::DayPart(p) => Some(M::new(
            i,
            j + 1,
            TimexType::Set,
            Sem::Fixed(format!("XXXX-XX-XXT{p}")),
        )),
        _ => {
            // "every two weeks"
            let (n, e) = quantity(cx, j)?;
            let (u, _) = unit_at(cx, e)?;
            Some(M::new(
                i,
                e + 1,
                TimexType::Set,
                Sem::Fixed(duration_value(n, u)),
            ))
        }
    }
}

/// Expressions opening with "the".
fn the_expr(cx: &Cx<'_>, i: usize) -> Option<M> {
    let j = i + 1;
    match cx.lex(j) {
        Lex::Kw(Kw::Future) => Some(M::date(i, j + 1, Sem::Ref("FUTURE_REF"))),
        // "the last half of 1989", "the first half": halves of a year.
        Lex::Kw(Kw::Last | Kw::First) if cx.is_kw(j + 1, Kw::Half) => {
            let h = if cx.is_kw(j, Kw::Last) { 2 } else { 1 };
            // "the last half of the '80s" is about the decade, not a year's half.
            if cx.is_kw(j + 2, Kw::Of) && is_year_number(cx, j + 3).is_none() {
                return None;
            }
            Some(half_of(cx, i, j + 2, h))
        }
        Lex::Kw(Kw::Past) => {
            // "the past three years" (duration), "the past year" (the year before); "the past"
            // alone is PAST_REF.
            if let Some(m) = deictic(cx, j, Kw::Past) {
                return Some(M { start: i, ..m });
            }
            let next_is_word = cx.tok(j + 1).is_some_and(|t| {
                t.kind == TokKind::Word && !matches!(t.lex, Lex::Kw(Kw::And | Kw::Or | Kw::Of))
            });
            // "in the past" is the past whatever follows it ("said that in the past it
            // considered …"); elsewhere "the past" before a word is an adjective ("the past
            // decision").
            let after_in = i >= 1 && cx.is_kw(i - 1, Kw::In);
            if next_is_word && !after_in {
                return None;
            }
            Some(M::date(i, j + 1, Sem::Ref("PAST_REF")))
        }
        Lex::Kw(Kw::Last | Kw::Next | Kw::Coming | Kw::Previous | Kw::Following) => {
            let k = cx.kw(j)?;
            let m = deictic(cx, j, k)?;
            // "the last week", "the following year": keep "the".
            Some(M { start: i, ..m })
        }
        // "the current fiscal year", "the current year": the anchor's year.
        Lex::Kw(Kw::Current)
            if matches!(
                cx.lex(j + 1 + usize::from(cx.is_kw(j + 1, Kw::Fiscal))),
                Lex::Unit(Unit::Year)
            ) =>
        {
            let end = j + 2 + usize::from(cx.is_kw(j + 1, Kw::Fiscal));
            Some(M::date(i, end, Sem::Year(YearRef::Rel(0))))
        }
        Lex::Kw(Kw::Latest | Kw::Current)
            if matches!(cx.lex(j + 1), Lex::Unit(Unit::Quarter)) || cx.is_kw(j + 1, Kw::Period) =>
        {
            let sem = if cx.is_kw(j, Kw::Current) {
                Sem::Offset {
                    unit: Unit::Quarter,
                    n: 0,
                }
            } else {
                Sem::LatestQuarter
            };
            Some(M::date(i, j + 2, sem))
        }
        Lex::Unit(Unit::Quarter)
            if !cx.is_kw(j + 1, Kw::Of) || is_year_number(cx, j + 2).is_none() =>
        {
            // "the quarter" in an earnings story is the latest reported quarter.
            if cx
                .tok(j + 1)
                .is_some_and(|t| t.kind == TokKind::Word && t.lex == Lex::Other && !t.cap)
                && !cx.word(j + 1).is_some_and(|w| w.ends_with("ed"))
            {
                return None;
            }
            Some(M::date(i, j + 1, Sem::LatestQuarter))
        }
        // "the day before last Tuesday", "the day after Christmas": a day next to a day.
        Lex::Unit(Unit::Day)
            if matches!(cx.kw(j + 1), Some(Kw::Before | Kw::After))
                // The day must open with a calendar word (so the matchers cannot recurse
                // here again: "the day before the day before …").
                && (matches!(
                    cx.lex(j + 2),
                    Lex::Weekday(_) | Lex::Month(_) | Lex::Holiday(_)
                ) || matches!(cx.kw(j + 2), Some(Kw::Last | Kw::Next | Kw::This))
                    && matches!(cx.lex(j + 3), Lex::Weekday(_)))
                && let Some(d) = match_at(cx, j + 2)
                && d.kind == TimexType::Date
                && matches!(
                    d.sem,
                    Sem::Weekday { .. } | Sem::Date { .. } | Sem::Holiday { .. }
                ) =>
        {
            let days = if cx.is_kw(j + 1, Kw::Before) { -1 } else { 1 };
            Some(M::date(
                i,
                d.end,
                Sem::DayNextTo {
                    base: Box::new(d.sem),
                    days,
                },
            ))
        }
        Lex::Unit(Unit::Weekend) => Some(M::date(
            i,
            j + 1,
            Sem::Offset {
                unit: Unit::Weekend,
                n: 0,
            },
        )),
        Lex::Kw(Kw::Fiscal) => {
            // "the fiscal first quarter", "the fiscal year"
            if let Lex::Ordinal(q) = cx.lex(j + 1)
                && let Some(m) = quarter_expr(cx, j + 1, q)
            {
                return Some(M { start: i, ..m });
            }
            if let Some(m) = kw_expr(cx, j, Kw::Fiscal) {
                return Some(M { start: i, ..m });
            }
            whole_year(cx, i, j + 1)
        }
        Lex::Kw(Kw::Full) => whole_year(cx, i, j + 1),
        Lex::Unit(Unit::Year) => {
            // "the year two thousand"
            if let Some((y, e)) = spelled_year(cx, j + 1) {
                return Some(M::date(i, e, Sem::Year(YearRef::Abs(y))));
            }
            // "the year-ago quarter" keeps "the"; before another noun ("the year-ago
            // results") the adjective alone is the expression.
            if let Some(m) = year_ago_adjective(cx, i, j) {
                return (m.end > j + 3).then_some(m);
            }
            whole_year(cx, i, j)
        }
        // "the week of March 6": the ISO week holding that day.
        Lex::Unit(Unit::Week)
            if cx.is_kw(j + 1, Kw::Of)
                && let Lex::Month(mo) = cx.lex(j + 2)
                && let Some(d) = month_expr(cx, j + 2, mo)
                && let Sem::Date { year, month, day } = d.sem =>
        {
            let mut m = M::date(i, d.end, Sem::WeekOf { year, month, day });
            m.day_range = d.day_range;
            Some(m)
        }
        Lex::Unit(Unit::Week)
            if !cx.is_kw(j + 1, Kw::Of)
                && !matches!(
                    cx.kw(j + 1),
                    Some(Kw::Before | Kw::After | Kw::Earlier | Kw::Later)
                ) =>
        {
            Some(M::date(
                i,
                j + 1,
                Sem::Offset {
                    unit: Unit::Week,
                    n: 0,
                },
            ))
        }
        Lex::Ordinal(q) if (1..=4).contains(&q) => {
            if let Some(m) = quarter_expr(cx, j, q) {
                // "the third-quarter loss": TimeBank leaves "the" out of an adjective.
                let start = if cx.hyphen(j + 1) { j } else { i };
                return Some(M { start, ..m });
            }
            // "the first nine months"
            if q != 1 {
                return None;
            }
            let (n, e) = quantity(cx, j + 1)?;
            let (u, plural) = unit_at(cx, e)?;
            // "the first two quarters of 1990" is that year's first half.
            if n == Some(2)
                && u == Unit::Quarter
                && let Some(m) = two_quarters(cx, i, e + 1, 1)
            {
                return Some(m);
            }
            plural.then(|| M::dur(i, e + 1, duration_value(n, u)))
        }
        Lex::Season(s) => {
            if cx.is_kw(j + 1, Kw::Of)
                && let Some((y, e)) = is_year_number(cx, j + 2)
                    .map(|y| (y, j + 3))
                    .or_else(|| spelled_year(cx, j + 2))
            {
                return Some(M::date(
                    i,
                    e,
                    Sem::Season {
                        season: s.as_str(),
                        year: YearRef::Abs(y),
                    },
                ));
            }
            // "the summer": this year's, or the one before or after by tense.
            Some(M::date(
                i,
                j + 1,
                Sem::Season {
                    season: s.as_str(),
                    year: YearRef::Auto,
                },
            ))
        }
        Lex::Num(_) | Lex::Kw(Kw::First) => {
            // "the first nine months", "the nine months"
            let k = if cx.is_kw(j, Kw::First) || matches!(cx.lex(j), Lex::Ordinal(1)) {
                j + 1
            } else {
                j
            };
            let (n, e) = quantity(cx, k)?;
            let (u, plural) = unit_at(cx, e)?;
            if !plural {
                return None;
            }
            // "the first two quarters of 1990" is that year's first half.
            if k > j
                && n == Some(2)
                && u == Unit::Quarter
                && let Some(m) = two_quarters(cx, i, e + 1, 1)
            {
                return Some(m);
            }
            Some(M::dur(i, e + 1, duration_value(n, u)))
        }
        Lex::Ordinal(1) => None,
        _ => {
            // "the 1990s", "the late 1970s", "the '90s"
            let mut k = j;
            if matches!(cx.kw(k), Some(Kw::Early | Kw::Late))
                || cx.is_kw(k, Kw::Mid) && cx.hyphen(k + 1)
            {
                k += if cx.is_kw(k, Kw::Mid) { 2 } else { 1 };
            }
            if let Some(t) = cx.tok(k)
                && t.digits == 4
                && cx.word_is(k + 1, "s")
                && cx.tight(k + 1)
                && t.num % 10 == 0
            {
                return Some(M::date(i, k + 2, Sem::Fixed(format!("{:03}", t.num / 10))));
            }
            if (cx.punct(k, '\'') || cx.punct(k, '’'))
                && let Some(t) = cx.tok(k + 1)
                && t.digits == 2
                && cx.word_is(k + 2, "s")
                && cx.tight(k + 2)
            {
                return Some(M::date(i, k + 3, Sem::Fixed(format!("19{}", t.num / 10))));
            }
            // "the nineties": a decade in words is of the twentieth century.
            if let Some(d) = cx.word(k).and_then(spelled_decade) {
                return Some(M::date(i, k + 1, Sem::Fixed(format!("19{d}"))));
            }
            // "the early summer"
            if k > j
                && let Lex::Season(season) = cx.lex(k)
            {
                return Some(M::date(
                    i,
                    k + 1,
                    Sem::Season {
                        season: season.as_str(),
                        year: YearRef::Auto,
                    },
                ));
            }
            // "the 1988 period", "the 1988 quarter": in an earnings story, that year's part of
            // the period reported.
            if let Some(y) = is_year_number(cx, k)
                && k == j
                && (cx.is_kw(k + 1, Kw::Period)
                    || matches!(cx.lex(k + 1), Lex::Unit(Unit::Quarter)))
            {
                return Some(M::date(i, k + 2, Sem::Year(YearRef::Abs(y))).cue("period"));
            }
            // "the same period last year", "the corresponding quarter a year ago": the
            // period reported, a year before.
            if k == j
                && (cx.is_kw(k, Kw::Same)
                    || cx.word(k).is_some_and(|w| {
                        w.eq_ignore_ascii_case("corresponding")
                            || w.eq_ignore_ascii_case("comparable")
                    }))
                && (cx.is_kw(k + 1, Kw::Period)
                    || matches!(cx.lex(k + 1), Lex::Unit(Unit::Quarter)))
            {
                let end = if cx.is_kw(k + 2, Kw::Last)
                    && matches!(cx.lex(k + 3), Lex::Unit(Unit::Year))
                {
                    k + 4
                } else if matches!(cx.lex(k + 2), Lex::Kw(Kw::A) | Lex::Num(1))
                    && matches!(cx.lex(k + 3), Lex::Unit(Unit::Year))
                    && matches!(cx.kw(k + 4), Some(Kw::Ago | Kw::Earlier))
                {
                    k + 5
                } else {
                    return None;
                };
                return Some(M::date(i, end, Sem::Year(YearRef::Rel(-1))).cue("earlier"));
            }
            year_ago_adjective(cx, i, k)
        }
    }
}

/// `PAST_REF` for a backward deictic (`n` < 0), else `FUTURE_REF`.
fn vague_ref(n: i32) -> Sem {
    Sem::Ref(if n < 0 { "PAST_REF" } else { "FUTURE_REF" })
}

/// A half of a year whose "half" word ends before `k`: "of 1989" may follow.
fn half_of(cx: &Cx<'_>, i: usize, k: usize, h: u8) -> M {
    match is_year_number(cx, k + 1).filter(|_| cx.is_kw(k, Kw::Of)) {
        Some(y) => M::date(
            i,
            k + 2,
            Sem::Half {
                h,
                year: YearRef::Abs(y),
            },
        ),
        None => M::date(
            i,
            k,
            Sem::Half {
                h,
                year: YearRef::Auto,
            },
        ),
    }
}

/// "the first two quarters of 1990": half `h` of a written year; `k` is after "quarters".
fn two_quarters(cx: &Cx<'_>, i: usize, k: usize, h: u8) -> Option<M> {
    let y = is_year_number(cx, k + 1).filter(|_| cx.is_kw(k, Kw::Of))?;
    Some(M::date(
        i,
        k + 2,
        Sem::Half {
            h,
            year: YearRef::Abs(y),
        },
    ))
}

/// Decades in words, twenties to nineties.
const DECADES: [&str; 8] = [
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
];

/// The words [`the_expr`] reads by spelling right after "the" ("the nineties", "the
/// corresponding quarter"): the tokenizer flags them ([`F_THE`]), so that "the" before any
/// other word the lexicon does not know is passed over without trying the matchers.
pub(super) const THE_WORDS: [&str; 10] = [
    DECADES[0],
    DECADES[1],
    DECADES[2],
    DECADES[3],
    DECADES[4],
    DECADES[5],
    DECADES[6],
    DECADES[7],
    "corresponding",
    "comparable",
];

/// The decade digit of a decade in words ("nineties" → 9), twenties to nineties.
fn spelled_decade(w: &str) -> Option<u8> {
    DECADES
        .iter()
        .position(|d| d.eq_ignore_ascii_case(w))
        .and_then(|p| u8::try_from(p + 2).ok())
}

/// "the year-ago quarter", "the year-earlier period" with the year word at `k`.
fn year_ago_adjective(cx: &Cx<'_>, i: usize, k: usize) -> Option<M> {
    if !(matches!(cx.lex(k), Lex::Unit(Unit::Year))
        && cx.hyphen(k + 1)
        && matches!(cx.kw(k + 2), Some(Kw::Ago | Kw::Earlier)))
    {
        return None;
    }
    let mut end = k + 3;
    if let Lex::Ordinal(q) = cx.lex(end)
        && (1..=4).contains(&q)
        && matches!(cx.lex(end + 1), Lex::Unit(Unit::Quarter))
    {
        end += 2;
    } else if matches!(cx.lex(end), Lex::Unit(Unit::Quarter)) || cx.is_kw(end, Kw::Period) {
        end += 1;
    }
    Some(M::date(i, end, Sem::Year(YearRef::Rel(-1))).cue("earlier"))
}

/// "the year", "the full year", "the fiscal year" with the year word at `k`: the year
/// being reported on (the anchor's), or a one-year period when it "ended"/"ending" on a day.
fn whole_year(cx: &Cx<'_>, i: usize, k: usize) -> Option<M> {
    if !matches!(cx.lex(k), Lex::Unit(Unit::Year)) {
        return None;
    }
    let next = cx.word(k + 1).map(str::to_ascii_lowercase);
    match next.as_deref() {
        Some("ended" | "ending" | "ends" | "through") => Some(M::dur(i, k + 1, "P1Y".into())),
        Some("before" | "after" | "earlier" | "later" | "ago") => None,
        _ if cx.punct(k + 1, '-') => None,
        _ => Some(M::date(i, k + 1, Sem::Year(YearRef::Rel(0)))),
    }
}

/// A year in words at `i`: "nineteen ninety-six", "nineteen eighty", "two thousand".
fn spelled_year(cx: &Cx<'_>, i: usize) -> Option<(i32, usize)> {
    match cx.lex(i) {
        Lex::Num(19) => {
            let (n, e) = quantity(cx, i + 1)?;
            let n = n?;
            (10..100).contains(&n).then_some((1900 + n as i32, e))
        }
        Lex::Num(2) if cx.word_is(i + 1, "thousand") => Some((2000, i + 2)),
        _ => None,
    }
}

/// The longest match at token `i`, with modifiers.
fn match_at(cx: &Cx<'_>, i: usize) -> Option<M> {
    let t = cx.tok(i)?;
    if !may_match(cx, i, t) {
        return None;
    }
    match_unchecked(cx, i, t)
}

/// Whether a match may start at token `t` (= `i`), from the next token's class: a test of a
/// few instructions that rules out most grammar words ("the", "a", "this", "at") before the
/// matchers run. Exact: where it says no, [`match_unchecked`] finds nothing (tested).
fn may_match(cx: &Cx<'_>, i: usize, t: &Tok) -> bool {
    let next = cx.tok(i + 1);
    let next_lex = next.map_or(Lex::Other, |n| n.lex);
    // The next token is a word the lexicon does not know, or punctuation (or nothing).
    let next_plain = next_lex == Lex::Other && next.is_none_or(|n| n.kind != TokKind::Number);
    match t.lex {
        Lex::Kw(Kw::The) => {
            // `the_expr` reads only a number, an apostrophe ("the '90s") or a word of
            // [`THE_WORDS`] after "the" when the lexicon does not know the next word.
            !next_plain
                || next.is_some_and(|n| n.flags & F_THE != 0 || n.is_punct('\'') || n.is_punct('’'))
        }
        // "a" is a quantity only before a unit, "few", "couple", "more" or "hundred".
        Lex::Kw(Kw::A) => matches!(
            next_lex,
            Lex::Unit(_) | Lex::Units(_) | Lex::Kw(Kw::Few | Kw::Couple | Kw::More) | Lex::Num(100)
        ),
        // `deictic` after "this"/"that" reads only a word the lexicon knows.
        Lex::Kw(Kw::This | Kw::That) => next_lex != Lex::Other,
        Lex::Kw(Kw::At) => next_lex == Lex::Kw(Kw::Least),
        Lex::Kw(Kw::More | Kw::Less) => next_lex == Lex::Kw(Kw::Than),
        Lex::Kw(Kw::Up) => next_lex == Lex::Kw(Kw::To),
        // A modifier before a core expression, a set ("every two weeks"), a quarter or half
        // ("third quarter"), a season with a year: the next token is a number or a known word.
        Lex::Kw(Kw::Early | Kw::Late | Kw::Earlier | Kw::Later | Kw::Every | Kw::Each)
        | Lex::Ordinal(_)
        | Lex::Season(_) => !next_plain || next.is_some_and(|n| n.is_punct('-')),
        // A number that is not a year is part of an expression only before a date's or a
        // clock's separator ("3/20", "20.03.2023", "3:30", "10-year"), a number ("5 1/2"), a
        // known word, or a word of at most two letters ("3 pm", "20th"); not before a comma,
        // a parenthesis, an unknown longer word ("12 people", "3 million") or nothing.
        Lex::Other if t.kind == TokKind::Number && t.digits != 4 => {
            next.is_some_and(|n| match n.kind {
                TokKind::Punct(c) => matches!(c, '/' | '.' | ':' | '-'),
                TokKind::Word => n.lex != Lex::Other || n.end - n.start <= 2,
                TokKind::Number => true,
            })
        }
        _ => true,
    }
}

/// [`match_at`] without the [`may_match`] test.
fn match_unchecked(cx: &Cx<'_>, i: usize, t: &Tok) -> Option<M> {
    let core = |k: usize| -> Option<M> {
        let tk = cx.tok(k)?;
        match tk.kind {
            TokKind::Number => number_expr(cx, k),
            TokKind::Word => word_expr(cx, k),
            TokKind::Punct(_) => None,
        }
    };
    if let Some(k) = modifier_prefix(cx, i)
        && let Some(m) = core(k)
        && m.kind == TimexType::Date
        && !matches!(m.sem, Sem::Ref(_) | Sem::Weekday { .. })
    {
        return Some(M { start: i, ..m });
    }
    // "year-earlier", "year-ago" as adjectives.
    if matches!(t.lex, Lex::Unit(Unit::Year))
        && cx.hyphen(i + 1)
        && matches!(cx.kw(i + 2), Some(Kw::Ago | Kw::Earlier))
    {
        return Some(M::date(i, i + 3, Sem::Year(YearRef::Rel(-1))).cue("earlier"));
    }
    // "year-end"
    if matches!(t.lex, Lex::Unit(Unit::Year)) && cx.hyphen(i + 1) && cx.is_kw(i + 2, Kw::End) {
        return Some(M::date(
            i,
            i + 3,
            Sem::Date {
                year: YearRef::Auto,
                month: 12,
                day: 31,
            },
        ));
    }
    // "by year end", "by year's end": the end of the anchor's year, after a preposition
    // (so "the fiscal year end" is left to the "year" matchers).
    if matches!(t.lex, Lex::Unit(Unit::Year))
        && i >= 1
        && matches!(
            cx.kw(i - 1),
            Some(Kw::By | Kw::At | Kw::Around | Kw::Before | Kw::Until | Kw::After | Kw::To)
        )
    {
        let end = if cx.is_kw(i + 1, Kw::End) {
            Some(i + 2)
        } else if (cx.punct(i + 1, '\'') || cx.punct(i + 1, '’'))
            && cx.word_is(i + 2, "s")
            && cx.is_kw(i + 3, Kw::End)
        {
            Some(i + 4)
        } else {
            None
        };
        if let Some(end) = end {
            return Some(M::date(i, end, Sem::Year(YearRef::Rel(0))));
        }
    }
    // "'90s"
    if (t.is_punct('\'') || t.is_punct('’'))
        && let Some(n) = cx.tok(i + 1)
        && n.digits == 2
        && cx.tight(i + 1)
        && cx.word_is(i + 2, "s")
        && cx.tight(i + 2)
    {
        return Some(M::date(i, i + 3, Sem::Fixed(format!("19{}", n.num / 10))));
    }
    let mut m = core(i)?;
    // "earlier this month", "later this year", "early next week": the modifier path above
    // handles dates; "earlier today" and "late yesterday" come here.
    if m.end <= m.start {
        return None;
    }
    // A time right after a date joins it ("Monday at 3 p.m." is handled in weekday_expr).
    if m.kind == TimexType::Date
        && m.time.is_none()
        && matches!(m.sem, Sem::Date { .. })
        && cx.is_kw(m.end, Kw::At)
        && let Some((tod, e)) = time_of_day(cx, m.end + 1)
    {
        m.time = Some(tod);
        m.end = e;
        m.kind = TimexType::Time;
    }
    Some(m)
}

/// Recognises the temporal expressions of a paragraph. The list comes at its final size: the
/// expressions are gathered in a buffer kept from paragraph to paragraph, then moved out.
pub fn recognise(text: &str, tokens: &Tokens) -> Vec<RawTimex> {
    thread_local! {
        static OUT: std::cell::RefCell<Vec<RawTimex>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    OUT.with(|buf| match buf.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            recognise_into(text, tokens, &mut buf);
            let mut out = Vec::with_capacity(buf.len());
            out.append(&mut buf);
            // A paragraph full of dates does not leave its buffer with the thread.
            if buf.capacity() > 64 {
                *buf = Vec::new();
            }
            out
        }
        // Not reentrant in practice; a fresh buffer keeps it correct if it ever is.
        Err(_) => {
            let mut out = Vec::new();
            recognise_into(text, tokens, &mut out);
            out
        }
    })
}

/// [`recognise`] into `out` (appended).
fn recognise_into(text: &str, tokens: &Tokens, out: &mut Vec<RawTimex>) {
    let toks = &tokens.toks[..];
    let cx = Cx { toks, text };
    // The first token not inside an expression found.
    let mut free = 0;
    // Only a number, a known word or an apostrophe ("'90s") can start an expression, and of
    // the grammar words only a few: the tokenizer lists them ([`F_START`]).
    for &i in &tokens.starts {
        if i < free {
            continue;
        }
        if let Some(m) = match_at(&cx, i)
            && m.end > i
            && m.end <= toks.len()
        {
            let (Some(first), Some(last)) = (toks.get(m.start), toks.get(m.end - 1)) else {
                continue;
            };
            out.push(RawTimex {
                range: TextRange::new(first.start, last.end),
                kind: m.kind,
                sem: m.sem,
                time: m.time,
                tense: Tense::Present,
                cue: m.cue,
                weekday: m.weekday,
                day_range: m.day_range,
                flaw: m.flaw.map(Box::new),
                speech: None,
                quarter_context: false,
            });
            free = m.end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::temporal::lexicon::tokenize;

    /// `word_is` compares bytes, length first: as the word's text compared in any case.
    #[test]
    fn word_is_compares_in_any_case() {
        let text = "Seconds s SAID, 12 Zoë’s second";
        let toks = tokenize(text);
        let cx = Cx { toks: &toks, text };
        let mut matched = 0;
        for i in 0..=toks.len() {
            for w in [
                "seconds", "s", "said", "12", ",", "zoë’s", "ZOË’S", "second", "secon", "",
            ] {
                let want = cx.word(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
                matched += usize::from(want);
                assert_eq!(cx.word_is(i, w), want, "{i} {w}");
            }
        }
        assert_eq!(matched, 5);
    }

    /// Durations are written without `format!`, as it would write them.
    #[test]
    fn duration_values_as_formatted() {
        let units = [
            Unit::Second,
            Unit::Minute,
            Unit::Hour,
            Unit::Day,
            Unit::Week,
            Unit::Weekend,
            Unit::Month,
            Unit::Quarter,
            Unit::Year,
            Unit::Decade,
            Unit::Century,
        ];
        for unit in units {
            let (letter, mul, time) = unit.duration();
            let (letter, mul) = match unit {
                Unit::Decade => ("Y", 10),
                Unit::Century => ("Y", 100),
                _ => (letter, mul),
            };
            let t = if time { "T" } else { "" };
            for n in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX / 10, u32::MAX] {
                let want = format!("P{t}{}{letter}", n.saturating_mul(mul));
                assert_eq!(duration_value(Some(n), unit), want);
            }
            let vague = match unit {
                Unit::Decade => "PXDE".to_string(),
                Unit::Century => "PXCE".to_string(),
                _ => format!("P{t}X{letter}"),
            };
            assert_eq!(duration_value(None, unit), vague);
        }
        assert_eq!(duration_value(Some(3), Unit::Day), "P3D");
        assert_eq!(duration_value(Some(2), Unit::Hour), "PT2H");
    }

    /// No expression starts at a grammar word [`kw_may_start`] leaves out: checked at every
    /// token of generated manuscripts and of phrases built to follow each such word.
    #[test]
    fn skipped_grammar_words_start_nothing() {
        let mut texts: Vec<String> = (0..6u64)
            .map(|seed| {
                crate::generate::manuscript(&crate::generate::Options {
                    seed,
                    size: 20_000,
                    markdown: seed % 2 == 0,
                    ascii: seed % 3 == 0,
                })
            })
            .collect();
        let tails = [
            "year",
            "year-end",
            "year's end",
            "least two years",
            "to three weeks",
            "than five days",
            "of 1990",
            "the end of March",
            "March 3, 2021",
            "Monday",
            "three days ago",
            "'90s",
            "1990s",
            "two weeks",
            "the past week",
            "noon",
            "days",
            "last year",
            "this week",
            "early 2020",
            "mid-1990",
            "quarter",
            "the first quarter",
            // After "the", "a" and the other words `may_match` reads the next token of.
            "nineties",
            "Sixties",
            "corresponding quarter a year ago",
            "comparable period last year",
            "same period last year",
            "1988 quarter",
            "’80s",
            "company said",
            "-day trip",
            "- day",
            "few days",
            "couple of weeks",
            "hundred years",
            "more years",
            "Monday",
            "morning",
            "past spring",
            "same day",
            "2 weeks",
            "quarter-",
            "half of 1990",
            "of 1990",
            "summer",
            "",
            // After a number.
            "3 pm",
            "3 PM.",
            "3 p.m.",
            "9 am",
            "3:30",
            "4 in the morning",
            "20th century",
            "21st Century",
            "5 1/2 years",
            "12, 2020",
            "12 (2020)",
            "12.03.2020",
            "3/20",
            "10-year",
            "12 people",
            "3 million",
            "20 March",
            "15 Jan.",
            "2 thousand",
            "12 days",
            "12 more days",
            "12",
        ];
        let words = [
            "of",
            "in",
            "on",
            "by",
            "for",
            "since",
            "until",
            "from",
            "to",
            "before",
            "after",
            "during",
            "and",
            "or",
            "first",
            "ago",
            "end",
            "beginning",
            "start",
            "middle",
            "per",
            "previously",
            "future",
            "soon",
            "about",
            "around",
            "than",
            "least",
            "over",
            "half",
            "old",
            "long",
            "same",
            "latest",
            "period",
            "full",
            "will",
            "shall",
            "going",
            "would",
            "has",
            "have",
            "had",
            "was",
            "were",
            "is",
            "are",
            "am",
            "be",
            "been",
            "being",
            "said",
            "says",
            "told",
            "added",
            "did",
            "do",
            "does",
            "not",
            "who",
            "which",
            "quarterly",
            "times",
            "once",
            "twice",
            "at",
            "up",
            "more",
            "less",
            "nearly",
            "the",
            "a",
            "recent",
            "fiscal",
            "these",
            "every",
            "current",
            "now",
            "this",
            "that",
            "every",
            "each",
            "early",
            "late",
            "earlier",
            "later",
            "third",
            "fifth",
            "summer",
            "several",
            "years",
            "month",
            "began",
            "morning",
            "EST",
            "The",
            "A",
            "12",
            "1990",
            "on 3",
            "7",
        ];
        for w in words {
            for tail in tails {
                texts.push(format!("He {w} {tail} said. {w} {tail}"));
            }
        }
        let mut skipped = 0;
        for text in &texts {
            let toks = tokenize(text);
            let cx = Cx { toks: &toks, text };
            for (i, t) in toks.iter().enumerate() {
                let at = || text.get(t.start..(t.start + 40).min(text.len()));
                if let Lex::Kw(k) = t.lex
                    && !kw_may_start(k)
                {
                    assert!(
                        match_at(&cx, i).is_none(),
                        "{k:?} at {i} starts an expression in {:?}",
                        at()
                    );
                }
                if t.kind == TokKind::Word && !lex_may_start(t.lex) {
                    assert!(
                        match_unchecked(&cx, i, t).is_none(),
                        "{:?} at {i} starts an expression in {:?}",
                        t.lex,
                        at()
                    );
                }
                if !may_match(&cx, i, t) {
                    skipped += usize::from(t.flags & super::super::lexicon::F_START != 0);
                    assert!(
                        match_unchecked(&cx, i, t).is_none(),
                        "{:?} at {i} starts an expression in {:?}",
                        t.lex,
                        at()
                    );
                }
            }
        }
        // The test rules out most of the grammar words the tokenizer lets through.
        assert!(skipped > 1000, "{skipped}");
    }
}
