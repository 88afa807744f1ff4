//! `impossible-date`: a date that does not exist (February 30, April 31, a 13th month).

use super::{Cache, Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::Analysis;
use crate::engine::temporal::{DateProblem, Timex};

pub struct ImpossibleDate;

static META: CheckMeta = CheckMeta {
    code: "impossible-date",
    default_severity: Severity::Error,
    summary: "A date that does not exist",
    explanation: "\
## What it flags
A written date whose day or month does not exist: February 30, April 31, February 29 in a year
that is not a leap year, or a numeric date with a month above 12 (“13/02/2023” read month
first).

## Why
An impossible date is always a typo, and readers cannot know which digit is wrong. It also
defeats every tool that reads dates, copydesk included.

## Example
```text
The agreement was signed on April 31, 2023.
```
April has 30 days: check the date with the source.
",
};

impl Check for ImpossibleDate {
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
        if let Some(DateProblem::Impossible { why }) = t.problem.as_deref() {
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: t.range,
                message: format!("No such date: {why}").into(),
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_days_and_months_that_do_not_exist() {
        check(
            "impossible-date",
            "It was signed on April 31, 2023, and ratified on February 30.
                 ^^^^^^^^^^^^^^ impossible-date
                                                 ^^^^^^^^^^^ impossible-date
The deadline is 13/02/2023. Leap day: February 29, 2024. Not leap: Feb. 29, 2023.
                ^^^^^^^^^^ impossible-date
                                                                   ^^^^^^^^^^^^^ impossible-date
Fine: April 30, 2023 and February 28.
",
        );
    }
}
