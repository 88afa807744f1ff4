//! `weekday-mismatch`: a weekday written with a date that falls on another day
//! ("Monday, March 21, 2023" when March 21, 2023 is a Tuesday).

use super::{Cache, Check, CheckMeta, Edit, Finding, Fix, Severity};
use crate::engine::Analysis;
use crate::engine::temporal::{DateProblem, Timex};

pub struct WeekdayMismatch;

static META: CheckMeta = CheckMeta {
    code: "weekday-mismatch",
    default_severity: Severity::Warning,
    summary: "A weekday that does not match the date written with it",
    explanation: "\
## What it flags
A date written with its weekday where the two disagree: “Monday, March 21, 2023” when March
21, 2023 is a Tuesday. A date without a year is checked against the publication date's year.

## Why
One of the two is wrong, and readers cannot tell which. Such slips creep in when a story is
updated from one day to the next. The quick fixes correct either the weekday or the day.

## Example
```text
The summit opens on Monday, March 21, 2023.
```
Either “Tuesday, March 21, 2023” or “Monday, March 20, 2023”.
",
};

impl Check for WeekdayMismatch {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        push(analysis.timexes.iter(), out);
    }

    fn run_cached(&self, analysis: &Analysis, cache: &mut Cache, out: &mut Vec<Finding>) {
        push(cache.dates_with_problems(analysis), out);
    }
}

/// Its findings among `timexes` (all the dates, or those with a problem).
fn push<'a>(timexes: impl Iterator<Item = &'a Timex>, out: &mut Vec<Finding>) {
    for t in timexes {
        let Some(DateProblem::WeekdayMismatch {
            weekday,
            written,
            actual,
            day,
            suggested_day,
        }) = t.problem.as_deref()
        else {
            continue;
        };
        let mut fixes = vec![Fix {
            title: format!("Change the weekday to {actual}"),
            edits: vec![crate::engine::checks::Edit {
                range: *weekday,
                new_text: (*actual).to_string(),
            }],
        }];
        if let (Some(day), Some(new_day)) = (day, suggested_day) {
            fixes.push(Fix {
                title: format!("Change the day to the nearest {written}, the {new_day}"),
                edits: vec![Edit {
                    range: *day,
                    new_text: new_day.to_string(),
                }],
            });
        }
        out.push(Finding {
            code: META.code,
            severity: META.default_severity,
            range: t.range,
            message: format!("This date is a {actual}, not a {written}").into(),
            fixes: fixes.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_a_wrong_weekday_and_offers_both_fixes() {
        check(
            "weekday-mismatch",
            "The summit opens on Monday, March 21, 2023, in Moscow.
                    ^^^^^^^^^^^^^^^^^^^^^^ weekday-mismatch
It closed on Tuesday, March 21, 2023.
",
        );
        let a = crate::engine::analyze("It opens Monday, March 21, 2023.", &Default::default());
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "weekday-mismatch")
            .expect("finding");
        let texts: Vec<_> = f
            .fixes
            .iter()
            .flat_map(|x| x.edits.iter().map(|e| e.new_text.clone()))
            .collect();
        assert_eq!(texts, vec!["Tuesday".to_string(), "20".to_string()]);
    }

    #[test]
    fn a_yearless_date_uses_the_publication_year() {
        let config = crate::engine::Config {
            publication_date: jiff::civil::Date::new(2023, 3, 20).ok(),
            ..Default::default()
        };
        crate::engine::checks::testing::check_with(
            "weekday-mismatch",
            "The talks end on Friday, March 23, as planned.
                 ^^^^^^^^^^^^^^^^ weekday-mismatch
",
            &config,
        );
    }
}
