//! The publication date: where relative dates are counted from.
//!
//! First found wins: the setting (`copydesk.toml`, editor setting, `--date`), the front matter
//! `date:`, then the story's header: a date line near the top ("Tuesday, January 28, 2014",
//! "Published: 2023-03-20") or a dateline that carries a full date
//! ("MOSCOW, March 20, 2023 (Reuters) –"). A dateline with a month and day but no year
//! ("MOSCOW, March 20 (Reuters) –") takes its year from a header date line, else from the
//! latest year the story writes out; without either it gives no anchor.

use jiff::civil::Date;

use super::recognise::{RawTimex, Sem, YearRef};
use super::{Anchor, AnchorSource};
use crate::engine::markup::FrontMatter;
use crate::engine::text::TextRange;
use crate::engine::{Config, Placed};

/// How many paragraphs from the top count as the header.
const HEADER_PARAGRAPHS: usize = 4;
/// A header date line is at most this long (bytes).
const DATE_LINE_MAX: usize = 64;

fn full_date(tx: &RawTimex) -> Option<Date> {
    match tx.sem {
        Sem::Date {
            year: YearRef::Abs(y),
            month,
            day,
        } => Date::new(i16::try_from(y).ok()?, month as i8, day as i8).ok(),
        _ => None,
    }
}

/// Labels a header date line may start with.
fn is_label(s: &str) -> bool {
    let s = s.trim().trim_end_matches(':').trim().to_ascii_lowercase();
    s.is_empty()
        || matches!(
            s.as_str(),
            "date" | "published" | "updated" | "posted" | "dated" | "filed" | "pubdate"
        )
}

/// A dateline opening: upper-case place words, optionally ", Month Day[, Year]" and
/// "(Agency)", then a dash or an em/en dash. Returns the byte length of the dateline.
fn dateline_len(prose: &str) -> Option<usize> {
    let head: &str = prose.get(..prose.len().min(120)).unwrap_or(prose);
    let dash = head
        .find(['—', '–'])
        .or_else(|| head.find(" - "))
        .or_else(|| head.find("--"))?;
    let before = &head[..dash];
    let place = before.split(',').next()?.trim();
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 3 || letters.iter().any(|c| c.is_lowercase()) {
        return None;
    }
    // Everything between the place and the dash must be date, agency or state words, not a
    // sentence: no sentence-ending period.
    if before.contains(". ") {
        return None;
    }
    let dash_len = head[dash..].chars().next().map_or(1, char::len_utf8);
    Some(dash + dash_len)
}

/// Finds the publication date.
pub fn find(
    config: &Config,
    front_matter: Option<&FrontMatter>,
    paras: &[Placed<'_>],
) -> Option<Anchor> {
    if let Some(date) = config.publication_date {
        return Some(Anchor {
            date,
            source: AnchorSource::Setting,
            range: None,
        });
    }
    if let Some(fm) = front_matter
        && let Some(date) = fm.date
    {
        return Some(Anchor {
            date,
            source: AnchorSource::FrontMatter,
            range: fm.date_range,
        });
    }
    let header = &paras[..paras.len().min(HEADER_PARAGRAPHS)];
    // A date line: a short line that is a full date and little else.
    for p in header {
        let prose = &p.scan.prose;
        for tx in &p.scan.temporal.timexes {
            let Some(date) = full_date(tx) else { continue };
            let line_start = prose[..tx.range.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = prose[tx.range.end..]
                .find('\n')
                .map_or(prose.len(), |i| tx.range.end + i);
            let line = &prose[line_start..line_end];
            let before = &prose[line_start..tx.range.start];
            let after = prose[tx.range.end..line_end]
                .trim()
                .trim_end_matches(['.', ',']);
            if line.len() <= DATE_LINE_MAX && is_label(before) && after.is_empty() {
                return Some(Anchor {
                    date,
                    source: AnchorSource::Dateline,
                    range: Some(tx.range.shift(p.offset)),
                });
            }
        }
    }
    // A dateline in one of the first paragraphs.
    for p in header {
        let Some(len) = dateline_len(&p.scan.prose) else {
            continue;
        };
        let range = TextRange::new(p.offset, p.offset + len);
        let in_dateline = p
            .scan
            .temporal
            .timexes
            .iter()
            .find(|tx| tx.range.end <= len);
        match in_dateline.map(|tx| &tx.sem) {
            Some(Sem::Date {
                year: YearRef::Abs(y),
                month,
                day,
            }) => {
                if let Ok(date) =
                    Date::new(i16::try_from(*y).unwrap_or(0), *month as i8, *day as i8)
                {
                    return Some(Anchor {
                        date,
                        source: AnchorSource::Dateline,
                        range: Some(range),
                    });
                }
            }
            Some(Sem::Date {
                year: YearRef::Auto,
                month,
                day,
            }) => {
                let year = latest_year(paras)?;
                if let Ok(date) =
                    Date::new(i16::try_from(year).unwrap_or(0), *month as i8, *day as i8)
                {
                    return Some(Anchor {
                        date,
                        source: AnchorSource::Dateline,
                        range: Some(range),
                    });
                }
            }
            _ => {}
        }
    }
    None
}

/// The latest year a story writes out (in a date or alone).
fn latest_year(paras: &[Placed<'_>]) -> Option<i32> {
    paras
        .iter()
        .flat_map(|p| p.scan.temporal.timexes.iter())
        .filter_map(|tx| match tx.sem {
            Sem::Date {
                year: YearRef::Abs(y),
                ..
            }
            | Sem::Month {
                year: YearRef::Abs(y),
                ..
            }
            | Sem::Year(YearRef::Abs(y)) => Some(y),
            _ => None,
        })
        .max()
}
