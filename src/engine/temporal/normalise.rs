//! Normalisation: a recognised expression and an anchor date in, a TIMEX3 value and an
//! explanation out. All calendar arithmetic goes through `jiff`.
//!
//! Conventions (TimeML 1.2.1 / TimeBank): days `2023-03-20`, ISO weeks `2023-W11`, weekends
//! `2023-W11-WE`, months `2023-03`, quarters `2023-Q1`, halves `2023-H1`, seasons `2023-SU`,
//! years `2023`, decades `199`, centuries `19`, times of day `2023-03-20T15:00` or `…TNI`.
//! Without an anchor a relative expression keeps `X` placeholders (`XXXX-WXX-1`).

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::lexicon::{HolidayRule, Unit, holidays};
use super::recognise::{RawTimex, Sem, Tense, YearRef, month_name};
use crate::engine::shared::{SharedText, shared_text};

/// The date an expression resolves against, and how to describe it.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    pub date: Date,
    /// E.g. "the publication date 2023-03-20 (front matter)".
    pub describe: &'a str,
}

/// A normalised value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normal {
    pub value: SharedText,
    pub relative: bool,
    pub resolved: bool,
    pub how: SharedText,
    /// The day it denotes, when it denotes one.
    pub day: Option<Date>,
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The English name of weekday `wd` (1 = Monday).
pub fn weekday_name(wd: u8) -> &'static str {
    WEEKDAYS
        .get(usize::from(wd).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Monday = 1 … Sunday = 7.
pub fn weekday_number(d: Date) -> u8 {
    (d.weekday().to_monday_zero_offset() + 1) as u8
}

fn jiff_weekday(wd: u8) -> Weekday {
    Weekday::from_monday_one_offset(wd as i8).unwrap_or(Weekday::Monday)
}

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(n.days()).ok()
}

fn iso_week(d: Date) -> SharedText {
    let w = d.iso_week_date();
    shared_text!("{:04}-W{:02}", w.year(), w.week())
}

/// Appends `n`, zero-padded to `width` digits, as `format!("{n:0width$}")` writes it.
fn push_padded(s: &mut String, n: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || start == 0 {
            break;
        }
    }
    for _ in digits.len() - start..width {
        s.push('0');
    }
    s.push_str(std::str::from_utf8(digits.get(start..).unwrap_or(&[])).unwrap_or(""));
}

/// `format!("{y:04}-{m:02}-{d:02}{tod}")` without the formatting machinery (a value is built
/// for every date of the document).
fn ymd_value(y: i32, m: u8, d: u8, tod: &str) -> SharedText {
    // The usual date, written on the stack and copied once (no reused buffer needed when
    // there is no time of day).
    if let Some([a, b, c, e]) = four_digits(y)
        && m < 100
        && d < 100
    {
        let text = [
            a,
            b,
            c,
            e,
            b'-',
            b'0' + m / 10,
            b'0' + m % 10,
            b'-',
            b'0' + d / 10,
            b'0' + d % 10,
        ];
        let date = std::str::from_utf8(&text).unwrap_or("");
        return if tod.is_empty() {
            SharedText::copy(date)
        } else {
            SharedText::build(|s| {
                s.push_str(date);
                s.push_str(tod);
            })
        };
    }
    let Ok(year) = u32::try_from(y) else {
        return shared_text!("{y:04}-{m:02}-{d:02}{tod}");
    };
    SharedText::build(|s| {
        push_padded(s, year, 4);
        s.push('-');
        push_padded(s, m.into(), 2);
        s.push('-');
        push_padded(s, d.into(), 2);
        s.push_str(tod);
    })
}

/// The digits of a year from 0 to 9999, as `format!("{y:04}")` writes them.
fn four_digits(y: i32) -> Option<[u8; 4]> {
    let y = u16::try_from(y).ok().filter(|&y| y <= 9999)?;
    let digit = |place: u16| b'0' + (y / place % 10) as u8;
    Some([digit(1000), digit(100), digit(10), digit(1)])
}

/// `shared_text!("{y:04}")`, without the formatting machinery for a year from 0 to 9999.
fn year_value(y: i32) -> SharedText {
    match four_digits(y) {
        Some(digits) => SharedText::copy(std::str::from_utf8(&digits).unwrap_or("")),
        None => shared_text!("{y:04}"),
    }
}

/// `format!("{d}{tod}")`: jiff writes a day of the years 0 to 9999 as `YYYY-MM-DD`.
fn day_value(d: Date, tod: &str) -> SharedText {
    if (0..=9999).contains(&d.year()) {
        ymd_value(i32::from(d.year()), d.month() as u8, d.day() as u8, tod)
    } else {
        shared_text!("{d}{tod}")
    }
}

/// How a weekday was resolved, appended to `s`: "'last Monday' → the Monday before",
/// "weekday 'Monday', past tense → the most recent Monday on or before", "'since Monday',
/// past tense → …" (pieces pushed, not formatted: a rule is written for every weekday).
fn weekday_rule(s: &mut String, dir: i8, tense: Tense, cue: Option<&str>, name: &str) {
    let parts: [&str; 5] = match (dir, tense) {
        (-1, _) => ["'last ", name, "' → the ", name, " before"],
        (1, _) => ["'next ", name, "' → the ", name, " after"],
        (_, Tense::Past) => [
            ", past tense → the most recent ",
            name,
            " on or before",
            "",
            "",
        ],
        (_, Tense::Future) => [", future tense → the first ", name, " on or after", "", ""],
        (_, Tense::Present) => [", present tense → the first ", name, " on or after", "", ""],
    };
    if !matches!(dir, -1 | 1) {
        // The weekday itself, or the preposition that fixed its tense.
        match cue {
            Some(c @ ("since" | "until")) if dir == 0 => {
                s.push('\'');
                s.push_str(c);
                s.push(' ');
                s.push_str(name);
                s.push('\'');
            }
            _ => {
                s.push_str("weekday '");
                s.push_str(name);
                s.push('\'');
            }
        }
    }
    for p in parts {
        s.push_str(p);
    }
}

fn tense_word(t: Tense) -> &'static str {
    match t {
        Tense::Past => "past tense",
        Tense::Present => "present tense",
        Tense::Future => "future tense",
    }
}

/// Days a date on the wrong side of the anchor for its tense counts as further away: about
/// eight months, so a past-tense "in March" written in October is this year's March, but one
/// written in January is last year's.
const WRONG_SIDE_PENALTY: i64 = 250;

/// The year for a yearless month and day: of the anchor's year and the years either side,
/// the one that puts the date nearest the anchor, where a date after the anchor in a
/// past-tense clause (or before it in a future one) counts as eight months further away.
fn auto_year(anchor: Date, month: u8, day: u8, tense: Tense) -> i32 {
    let y = i32::from(anchor.year());
    let cost = |cand: i32| -> i64 {
        let Some(d) = ymd(cand, month, day.min(28)) else {
            return i64::MAX;
        };
        let Ok(span) = anchor.until(d) else {
            return i64::MAX;
        };
        let diff = i64::from(span.get_days());
        let wrong = match tense {
            Tense::Past => diff > 0,
            Tense::Future => diff < 0,
            Tense::Present => false,
        };
        diff.abs() + if wrong { WRONG_SIDE_PENALTY } else { 0 }
    };
    [y, y - 1, y + 1]
        .into_iter()
        .min_by_key(|c| cost(*c))
        .unwrap_or(y)
}

fn quarter_of(d: Date) -> u8 {
    (d.month() as u8 - 1) / 3 + 1
}

fn season_start(s: &str) -> u8 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

fn holiday_date(index: usize, year: i32) -> Option<Date> {
    let h = holidays().get(index)?;
    match h.rule {
        HolidayRule::Fixed(m, d) => ymd(year, m, d),
        HolidayRule::Nth(n, wd, m) => ymd(year, m, 1)?
            .nth_weekday_of_month(n, jiff_weekday(wd))
            .ok(),
    }
}

/// Normalises one expression. `reference` is the anchor (publication date or speech date).
pub fn normalise(raw: &RawTimex, reference: Option<Reference<'_>>) -> Normal {
    let tod = raw.time.map(|t| t.suffix()).unwrap_or_default();
    let fixed = |value: SharedText, how: SharedText| Normal {
        value,
        relative: false,
        resolved: true,
        how,
        day: None,
    };
    let unresolved = |value: SharedText, what: &str| Normal {
        value,
        relative: true,
        resolved: false,
        how: shared_text!("{what}: relative to the publication date, and the document has none"),
        day: None,
    };
    let against = reference.map_or("", |r| r.describe);
    match &raw.sem {
        Sem::Fixed(v) => fixed(SharedText::copy(v), "written out in full".into()),
        Sem::Ref(r) => fixed(
            SharedText::fixed(r),
            match *r {
                "PRESENT_REF" => "a general reference to the present".into(),
                "PAST_REF" => "a general reference to the past".into(),
                _ => "a general reference to the future".into(),
            },
        ),
        Sem::Date {
            year: YearRef::Abs(y),
            month,
            day,
        } => {
            let d = ymd(*y, *month, *day);
            Normal {
                value: ymd_value(*y, *month, *day, &tod),
                relative: false,
                resolved: true,
                how: "a full date, written out".into(),
                day: d,
            }
        }
        Sem::Date {
            year: YearRef::Rel(n),
            month,
            day,
        } => match reference {
            None => unresolved(
                shared_text!("XXXX-{month:02}-{day:02}{tod}"),
                "a day of a year counted from now",
            ),
            Some(r) => {
                let y = i32::from(r.date.year()) + n;
                Normal {
                    value: ymd_value(y, *month, *day, &tod),
                    relative: true,
                    resolved: true,
                    how: shared_text!(
                        "{} {day} of the year {y}, counted from {against}",
                        month_name(*month)
                    ),
                    day: ymd(y, *month, *day),
                }
            }
        },
        Sem::Date {
            year: _,
            month,
            day,
        } => match reference {
            None => Normal {
                value: shared_text!("XXXX-{month:02}-{day:02}{tod}"),
                relative: false,
                resolved: false,
                how: "a date without a year, and no publication date to take the year from".into(),
                day: None,
            },
            Some(r) => {
                let y = auto_year(r.date, *month, *day, raw.tense);
                Normal {
                    value: ymd_value(y, *month, *day, &tod),
                    relative: false,
                    resolved: true,
                    how: shared_text!(
                        "a date without a year, {} → the year {y} from {against}",
                        tense_word(raw.tense)
                    ),
                    day: ymd(y, *month, *day),
                }
            }
        },
        Sem::Month { year, month } => {
            let name = month_name(*month);
            match (year, reference) {
                (YearRef::Abs(y), _) => fixed(
                    shared_text!("{y:04}-{month:02}"),
                    "a month and year, written out".into(),
                ),
                (_, None) => unresolved(
                    shared_text!("XXXX-{month:02}"),
                    &format!("'{name}' without a year"),
                ),
                (YearRef::Rel(n), Some(r)) => {
                    let y = i32::from(r.date.year()) + n;
                    rel(
                        shared_text!("{y:04}-{month:02}"),
                        shared_text!("{name} of the year {y}, counted from {against}"),
                    )
                }
                (YearRef::Prev, Some(r)) => {
                    let y = i32::from(r.date.year()) - i32::from(*month >= r.date.month() as u8);
                    rel(
                        shared_text!("{y:04}-{month:02}"),
                        shared_text!("'last {name}' → the latest {name} before {against}"),
                    )
                }
                (YearRef::Following, Some(r)) => {
                    let y = i32::from(r.date.year()) + i32::from(*month <= r.date.month() as u8);
                    rel(
                        shared_text!("{y:04}-{month:02}"),
                        shared_text!("'next {name}' → the first {name} after {against}"),
                    )
                }
                (YearRef::Auto, Some(r)) => {
                    let y = if *month == r.date.month() as u8 {
                        i32::from(r.date.year())
                    } else {
                        auto_year(r.date, *month, 15, raw.tense)
                    };
                    Normal {
                        value: shared_text!("{y:04}-{month:02}"),
                        relative: false,
                        resolved: true,
                        how: shared_text!(
                            "'{name}' without a year, {} → {y} from {against}",
                            tense_word(raw.tense)
                        ),
                        day: None,
                    }
                }
            }
        }
        Sem::Year(YearRef::Abs(y)) => fixed(year_value(*y), "a year, written out".into()),
        Sem::Year(YearRef::Rel(n))
            if raw.quarter_context
                && matches!(raw.cue, Some("ago" | "earlier"))
                && reference.is_some() =>
        {
            // "a year earlier" in a sentence about quarterly results: the same quarter a year
            // before the latest reported one.
            let Some(r) = reference else {
                return unresolved("XXXX-QX".into(), "a quarter");
            };
            let idx = i32::from(r.date.year()) * 4 + i32::from(quarter_of(r.date)) - 2 + 4 * n;
            let (y, q) = (idx.div_euclid(4), idx.rem_euclid(4) + 1);
            rel(
                shared_text!("{y:04}-Q{q}"),
                shared_text!(
                    "a year before the latest quarter reported before {against} (the sentence is about quarters)"
                ),
            )
        }
        Sem::Year(yr) => match reference {
            None => unresolved("XXXX".into(), "a year counted from now"),
            Some(r) => {
                let n = match yr {
                    YearRef::Rel(n) => *n,
                    YearRef::Prev => -1,
                    YearRef::Following => 1,
                    _ => 0,
                };
                let y = i32::from(r.date.year()) + n;
                let what = match n {
                    0 => "this year".into(),
                    -1 => "the year before".into(),
                    1 => "the year after".into(),
                    n if n < 0 => shared_text!("{} years before", -n),
                    n => shared_text!("{n} years after"),
                };
                // A four-digit year is written as its digits, the rest pushed.
                let how = match four_digits(y).filter(|_| y >= 1000) {
                    Some(digits) => SharedText::build(|s| {
                        s.push_str(what.as_str());
                        s.push_str(" → ");
                        s.push_str(std::str::from_utf8(&digits).unwrap_or(""));
                        s.push_str(", counted from ");
                        s.push_str(against);
                    }),
                    None => shared_text!("{what} → {y}, counted from {against}"),
                };
                rel(year_value(y), how)
            }
        },
        Sem::Weekday { wd, dir } => {
            let name = weekday_name(*wd);
            let Some(r) = reference else {
                return unresolved(
                    shared_text!("XXXX-WXX-{wd}{tod}"),
                    &format!("weekday '{name}'"),
                );
            };
            let here = weekday_number(r.date) as i64;
            let target = i64::from(*wd);
            let back = (here - target).rem_euclid(7); // days back to the latest such day, 0 = today
            let fwd = (target - here).rem_euclid(7); // days ahead to the next, 0 = today
            let offset = match (dir, raw.tense) {
                (-1, _) => -(if back == 0 { 7 } else { back }),
                (1, _) => {
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                (_, Tense::Past) => -back,
                (_, Tense::Future | Tense::Present) => fwd,
            };
            match add_days(r.date, offset) {
                Some(d) => Normal {
                    value: day_value(d, &tod),
                    relative: true,
                    resolved: true,
                    how: SharedText::build(|s| {
                        weekday_rule(s, *dir, raw.tense, raw.cue, name);
                        s.push(' ');
                        s.push_str(against);
                    }),
                    day: Some(d),
                },
                None => unresolved(
                    shared_text!("XXXX-WXX-{wd}{tod}"),
                    &format!("weekday '{name}'"),
                ),
            }
        }
        Sem::DayNextTo { base, days } => {
            let as_day = RawTimex {
                sem: (**base).clone(),
                ..raw.clone()
            };
            let n = normalise(&as_day, reference);
            match n.day.and_then(|d| add_days(d, i64::from(*days))) {
                Some(d) => Normal {
                    value: day_value(d, &tod),
                    how: shared_text!(
                        "the day {} {}: {}",
                        if *days < 0 { "before" } else { "after" },
                        n.day.map(|b| b.to_string()).unwrap_or_default(),
                        n.how
                    ),
                    day: Some(d),
                    ..n
                },
                None => Normal {
                    value: shared_text!("XXXX-XX-XX{tod}"),
                    day: None,
                    ..n
                },
            }
        }
        Sem::WeekOf { year, month, day } => {
            // The day as a date of its own, then its ISO week.
            let as_day = RawTimex {
                sem: Sem::Date {
                    year: *year,
                    month: *month,
                    day: *day,
                },
                time: None,
                ..raw.clone()
            };
            let n = normalise(&as_day, reference);
            match n.day {
                Some(d) => Normal {
                    value: iso_week(d),
                    how: shared_text!("the week of {}: {}", d, n.how),
                    day: None,
                    ..n
                },
                None => Normal {
                    value: shared_text!("{}-WXX", n.value.get(..4).unwrap_or("XXXX")),
                    day: None,
                    ..n
                },
            }
        }
        Sem::TimeOnly => match reference {
            Some(r) => Normal {
                value: shared_text!("{}{tod}", r.date),
                relative: true,
                resolved: true,
                how: shared_text!("a time of day on {against}"),
                day: Some(r.date),
            },
            None => unresolved(shared_text!("XXXX-XX-XX{tod}"), "a time of day"),
        },
        Sem::DayOffset(n) => {
            let what = match n {
                0 => "the same day as".into(),
                -1 => "the day before".into(),
                1 => "the day after".into(),
                n if *n < 0 => shared_text!("{} days before", -n),
                n => shared_text!("{n} days after"),
            };
            match reference.and_then(|r| add_days(r.date, i64::from(*n))) {
                Some(d) => Normal {
                    value: day_value(d, &tod),
                    relative: true,
                    resolved: true,
                    how: shared_text!("{what} {against}"),
                    day: Some(d),
                },
                None => unresolved(shared_text!("XXXX-XX-XX{tod}"), "a day counted from now"),
            }
        }
        Sem::Offset { unit, n } => offset(*unit, *n, reference, &tod),
        Sem::Season { season, year } => {
            let Some(r) = reference.filter(|_| !matches!(year, YearRef::Abs(_))) else {
                return match year {
                    YearRef::Abs(y) => fixed(
                        shared_text!("{y:04}-{season}"),
                        "a season and year, written out".into(),
                    ),
                    _ => unresolved(shared_text!("XXXX-{season}"), "a season counted from now"),
                };
            };
            let base = i32::from(r.date.year());
            let start = season_start(season);
            let m = r.date.month() as u8;
            let y = match year {
                YearRef::Rel(n) => base + n,
                YearRef::Prev => base - i32::from(start >= m),
                YearRef::Following => base + i32::from(start <= m),
                // "the summer" in a past-tense clause before it has begun is last year's; in a
                // future-tense one after it has ended (three months on), next year's.
                YearRef::Auto => match raw.tense {
                    Tense::Past if start > m => base - 1,
                    Tense::Future if m >= start + 3 => base + 1,
                    _ => base,
                },
                _ => base,
            };
            rel(
                shared_text!("{y:04}-{season}"),
                shared_text!("the season in {y}, counted from {against}"),
            )
        }
        Sem::Quarter {
            q,
            year: YearRef::Rel(n),
        } if reference.is_some() => {
            let Some(r) = reference else {
                return unresolved(shared_text!("XXXX-Q{q}"), "a quarter");
            };
            let y = i32::from(r.date.year()) + n;
            rel(
                shared_text!("{y:04}-Q{q}"),
                shared_text!("quarter {q} of the year {y}, counted from {against}"),
            )
        }
        Sem::Quarter { q, year } | Sem::Half { h: q, year } => {
            let is_half = matches!(raw.sem, Sem::Half { .. });
            let letter = if is_half { 'H' } else { 'Q' };
            if let YearRef::Abs(y) = year {
                return fixed(
                    shared_text!("{y:04}-{letter}{q}"),
                    "a quarter of a written year".into(),
                );
            }
            let Some(r) = reference else {
                return Normal {
                    value: shared_text!("XXXX-{letter}{q}"),
                    relative: false,
                    resolved: false,
                    how: "a quarter without a year, and no publication date to take the year from"
                        .into(),
                    day: None,
                };
            };
            let here = if is_half {
                (r.date.month() as u8 - 1) / 6 + 1
            } else {
                quarter_of(r.date)
            };
            let base = i32::from(r.date.year());
            // Quarters are reported after they end: a quarter later in the year than the
            // anchor's is last year's.
            let y = base - i32::from(*q > here);
            Normal {
                value: shared_text!("{y:04}-{letter}{q}"),
                relative: false,
                resolved: true,
                how: shared_text!("a quarter without a year → {y} from {against}"),
                day: None,
            }
        }
        Sem::LatestQuarter => match reference {
            None => unresolved("XXXX-QX".into(), "the latest quarter"),
            Some(r) => {
                let idx = i32::from(r.date.year()) * 4 + i32::from(quarter_of(r.date)) - 1 - 1;
                let (y, q) = (idx.div_euclid(4), idx.rem_euclid(4) + 1);
                rel(
                    shared_text!("{y:04}-Q{q}"),
                    shared_text!("the latest quarter reported → the quarter before {against}"),
                )
            }
        },
        Sem::Holiday { index, year } => {
            let name = holidays()
                .get(*index)
                .map(|h| h.words.join(" "))
                .unwrap_or_default();
            let y = match (year, reference) {
                (YearRef::Abs(y), _) => Some(*y),
                (_, Some(r)) => {
                    let base = i32::from(r.date.year());
                    let this = holiday_date(*index, base);
                    Some(match (this, raw.tense) {
                        (Some(d), Tense::Past) if d > r.date => base - 1,
                        (Some(d), Tense::Future) if d < r.date => base + 1,
                        _ => base,
                    })
                }
                _ => None,
            };
            match y.and_then(|y| holiday_date(*index, y)) {
                Some(d) => Normal {
                    value: day_value(d, &tod),
                    relative: !matches!(year, YearRef::Abs(_)),
                    resolved: true,
                    how: shared_text!("the holiday '{name}' in {}", d.year()),
                    day: Some(d),
                },
                None => Normal {
                    value: "XXXX-XX-XX".into(),
                    relative: false,
                    resolved: false,
                    how: shared_text!("the holiday '{name}' without a year"),
                    day: None,
                },
            }
        }
    }
}

fn rel(value: SharedText, how: SharedText) -> Normal {
    Normal {
        value,
        relative: true,
        resolved: true,
        how,
        day: None,
    }
}

fn offset(unit: Unit, n: i32, reference: Option<Reference<'_>>, tod: &str) -> Normal {
    let word = match unit {
        Unit::Week => "week",
        Unit::Weekend => "weekend",
        Unit::Month => "month",
        Unit::Quarter => "quarter",
        _ => "day",
    };
    let what = match n {
        0 => shared_text!("this {word}"),
        -1 => shared_text!("the {word} before"),
        1 => shared_text!("the {word} after"),
        n if n < 0 => shared_text!("{} {word}s before", -n),
        n => shared_text!("{n} {word}s after"),
    };
    let Some(r) = reference else {
        let v = match unit {
            Unit::Week => "XXXX-WXX".into(),
            Unit::Weekend => "XXXX-WXX-WE".into(),
            Unit::Month => "XXXX-XX".into(),
            Unit::Quarter => "XXXX-QX".into(),
            _ => shared_text!("XXXX-XX-XX{tod}"),
        };
        return Normal {
            value: v,
            relative: true,
            resolved: false,
            how: shared_text!(
                "{what}: relative to the publication date, and the document has none"
            ),
            day: None,
        };
    };
    let against = r.describe;
    match unit {
        Unit::Weekend => {
            // The weekend meant is the last one begun by the anchor (its Saturday on or before),
            // moved by `n` weeks.
            let back = (i64::from(weekday_number(r.date)) - 6).rem_euclid(7);
            match add_days(r.date, i64::from(n) * 7 - back) {
                Some(d) => {
                    let week = iso_week(d);
                    rel(
                        shared_text!("{week}-WE"),
                        shared_text!("{what} {against} → the weekend of ISO week {week}"),
                    )
                }
                None => rel("XXXX-WXX-WE".into(), what),
            }
        }
        Unit::Week => match add_days(r.date, i64::from(n) * 7) {
            Some(d) => {
                let week = iso_week(d);
                let how = shared_text!("{what} {against} → ISO week {week}");
                rel(week, how)
            }
            None => rel("XXXX-WXX".into(), what),
        },
        Unit::Month => match r.date.first_of_month().checked_add(n.months()) {
            Ok(d) => rel(
                shared_text!("{:04}-{:02}", d.year(), d.month()),
                shared_text!("{what} {against}"),
            ),
            Err(_) => rel("XXXX-XX".into(), what),
        },
        Unit::Quarter => {
            let idx = i32::from(r.date.year()) * 4 + i32::from(quarter_of(r.date)) - 1 + n;
            let (y, q) = (idx.div_euclid(4), idx.rem_euclid(4) + 1);
            rel(
                shared_text!("{y:04}-Q{q}"),
                shared_text!("{what} {against}"),
            )
        }
        _ => match add_days(r.date, i64::from(n)) {
            Some(d) => Normal {
                value: day_value(d, tod),
                relative: true,
                resolved: true,
                how: shared_text!("{what} {against}"),
                day: Some(d),
            },
            None => rel("XXXX-XX-XX".into(), what),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates and years are written without `format!`, as it would write them, on both sides
    /// of the fast path's bounds.
    #[test]
    fn values_as_formatted() {
        for y in [
            -10_000, -1, 0, 7, 99, 999, 1999, 2024, 9999, 10_000, 123_456,
        ] {
            assert_eq!(year_value(y), format!("{y:04}").as_str(), "{y}");
            for (m, d) in [
                (1, 1),
                (3, 9),
                (12, 31),
                (0, 0),
                (99, 99),
                (100, 7),
                (7, 255),
            ] {
                for tod in ["", "T15:00", "TNI"] {
                    let want = format!("{y:04}-{m:02}-{d:02}{tod}");
                    assert_eq!(ymd_value(y, m, d, tod), want.as_str(), "{want}");
                }
            }
        }
    }

    /// The weekday rules are pushed in pieces, as the formatted rules read.
    #[test]
    fn weekday_rules_as_formatted() {
        let name = "Tuesday";
        for dir in [-1i8, 0, 1, 2] {
            for tense in [Tense::Past, Tense::Present, Tense::Future] {
                for cue in [None, Some("since"), Some("until"), Some("ago")] {
                    let rule = match (dir, tense) {
                        (-1, _) => format!("'last {name}' → the {name} before"),
                        (1, _) => format!("'next {name}' → the {name} after"),
                        (_, Tense::Past) => format!(
                            "weekday '{name}', past tense → the most recent {name} on or before"
                        ),
                        (_, Tense::Future) => {
                            format!("weekday '{name}', future tense → the first {name} on or after")
                        }
                        (_, Tense::Present) => format!(
                            "weekday '{name}', present tense → the first {name} on or after"
                        ),
                    };
                    let want = match cue {
                        Some(c @ ("since" | "until")) if dir == 0 => {
                            rule.replacen(&format!("weekday '{name}'"), &format!("'{c} {name}'"), 1)
                        }
                        _ => rule,
                    };
                    let mut got = String::new();
                    weekday_rule(&mut got, dir, tense, cue, name);
                    assert_eq!(got, want, "{dir} {tense:?} {cue:?}");
                }
            }
        }
    }

    #[test]
    fn values_are_written_as_format_writes_them() {
        for y in [
            0, 1, 9, 10, 99, 999, 1000, 1999, 2023, 9999, 12345, -1, -2023,
        ] {
            for (m, d) in [(1, 1), (3, 9), (10, 31), (12, 5)] {
                assert_eq!(
                    ymd_value(y, m, d, "T15:00"),
                    format!("{y:04}-{m:02}-{d:02}T15:00")
                );
            }
        }
        for y in [-9999i16, -1, 0, 1, 99, 999, 2023, 9999] {
            let d = Date::new(y, 2, 28).unwrap();
            assert_eq!(day_value(d, ""), format!("{d}"));
            assert_eq!(day_value(d, "TNI"), format!("{d}TNI"));
        }
    }
}
