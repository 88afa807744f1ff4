//! `ambiguous-date`: a numeric date whose day and month could be swapped ("3/4/2023").

use super::{Cache, Check, CheckMeta, Edit, Finding, Fix, Severity};
use crate::engine::Analysis;
use crate::engine::temporal::{DateProblem, Timex};

pub struct AmbiguousDate;

static META: CheckMeta = CheckMeta {
    code: "ambiguous-date",
    default_severity: Severity::Warning,
    summary: "A numeric date that reads differently in American and European order",
    explanation: "\
## What it flags
A numeric date such as `3/4/2023` or `03.04.2023` where both numbers could be the month:
American readers take 3/4 as March 4, most others as 3 April. copydesk reads slashes month
first and dots day first, and says so.

## Why
An international readership cannot tell which day is meant. News style spells the month out.
The quick fixes write the date out in words, one for each reading.

## Example
```text
The vote is set for 3/4/2023.
```
Write “March 4, 2023” or “April 3, 2023”.
",
};

impl Check for AmbiguousDate {
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
        let Some(DateProblem::Ambiguous { read, swapped, .. }) = t.problem.as_deref() else {
            continue;
        };
        let fix = |words: &str| Fix {
            title: format!("Write it as {words}"),
            edits: vec![Edit {
                range: t.range,
                new_text: words.to_string(),
            }],
        };
        out.push(Finding {
            code: META.code,
            severity: META.default_severity,
            range: t.range,
            message: format!("Ambiguous date: read as {read}, but it could be {swapped}").into(),
            fixes: vec![fix(read), fix(swapped)].into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_swappable_numeric_dates_only() {
        check(
            "ambiguous-date",
            "The vote is set for 3/4/2023 and the count for 03.04.2023.
                    ^^^^^^^^ ambiguous-date
                                               ^^^^^^^^^^ ambiguous-date
Clear: 3/20/2023, 20.03.2023, 2023-03-04 and 4/4/2023.
",
        );
        let a = crate::engine::analyze("Set for 3/4/2023.", &Default::default());
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "ambiguous-date")
            .expect("finding");
        assert_eq!(f.fixes[0].edits[0].new_text, "March 4, 2023");
        assert_eq!(f.fixes[1].edits[0].new_text, "April 3, 2023");
    }
}
