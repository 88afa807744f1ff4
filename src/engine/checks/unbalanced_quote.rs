//! `unbalanced-quote`: a quotation mark that is never closed (or never opened).

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::Analysis;

pub struct UnbalancedQuote;

static META: CheckMeta = CheckMeta {
    code: "unbalanced-quote",
    default_severity: Severity::Warning,
    summary: "A quotation mark is never closed, or a closing mark has no opening",
    explanation: "\
## What it flags
An opening quotation mark with no closing mark, or a closing mark with no opening one. Straight
marks (`\"`, `'`, `''`) open or close by their position; apostrophes (don’t, the ’90s,
students’ union) and the feet and inches of a height (`5’2”`, `6'3\"`) are never taken for
quotation marks.

## Why
A reader cannot tell where the quoted words end, and neither can an editor checking the quote
against notes. By news convention a quotation that runs on into the next paragraph has no
closing mark at the end of its paragraph and reopens the next one: that is not flagged.

## Example
```text
“We will not back down, the minister said.
```
Close the quotation after the quoted words: `“We will not back down,” the minister said.`
",
};

impl Check for UnbalancedQuote {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for m in &analysis.quote_marks {
            let message = if m.unclosed {
                "This quotation mark is never closed: where does the quotation end?"
            } else {
                "This closing quotation mark has no opening mark: where does the quotation start?"
            };
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: m.range,
                message: message.into(),
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_an_opening_mark_never_closed() {
        check(
            "unbalanced-quote",
            "“We will not back down, the minister said.
^ unbalanced-quote
",
        );
    }

    #[test]
    fn flags_a_closing_mark_never_opened() {
        check(
            "unbalanced-quote",
            "We will not back down,” the minister said.
                      ^ unbalanced-quote
",
        );
    }

    #[test]
    fn a_quotation_continued_in_the_next_paragraph_is_not_flagged() {
        check(
            "unbalanced-quote",
            "“We will not back down,” the minister said. “We have waited long enough.

“Now is the time,” she added.
",
        );
    }

    #[test]
    fn an_open_quote_at_the_end_of_the_story_is_flagged() {
        check(
            "unbalanced-quote",
            "The minister spoke.

“We have waited long enough.
^ unbalanced-quote
",
        );
    }

    #[test]
    fn apostrophes_and_wire_style_marks_are_balanced() {
        check(
            "unbalanced-quote",
            "''It's the '90s again, rock 'n' roll,'' said the students' union head. Russia’s ‘best’ o’clock.
",
        );
    }
}
