//! `undated-event`: a past event in the reporter's words that the reader has no date for.

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::Analysis;

pub struct UndatedEvent;

static META: CheckMeta = CheckMeta {
    code: "undated-event",
    default_severity: Severity::Hint,
    summary: "A past event with no date in its sentence or paragraph",
    explanation: "\
## What it flags
A finite past-tense verb of happening (announced, met, called on, criticized, signed, launched,
arrested, …) in the reporter's own words, in a sentence with no date or time, in a paragraph
with no earlier date it could inherit. Verbs inside quotations, after auxiliaries (“has
signed”, “had just signed”), passive participles (“imposed by”), adjectives (“an emotionally
charged debate”, “her adopted home state”), what is done to an object (“got him elected”,
“get a budget passed”), conditions (“if elected”) and questions are left alone.

## Why
Readers want to know when things happened, and “the ministry called on Xi” could be today or
last year. Tuned for precision: a hint, not a warning, and only where no date is in sight.

## Example
```text
Ukraine's foreign ministry called on Xi to use his influence with Putin.
```
Say when: “On Tuesday, Ukraine's foreign ministry called on Xi …”.
",
};

impl Check for UndatedEvent {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for e in analysis.events.iter().filter(|e| !e.dated) {
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: e.range,
                message: "When did this happen? No date in this sentence or paragraph".into(),
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_past_events_with_no_date_in_sight() {
        check(
            "undated-event",
            "The ministry announced new sanctions.
             ^^^^^^^^^ undated-event

The ministry announced new sanctions on Monday. It also criticized the plan.

Sanctions imposed by the West hurt. The treaty has signed nothing. “We signed it,” she said.

Did the ministry sign it?
",
        );
    }

    /// Conditions, participles after adverbs, objects and amounts are no events; the same
    /// verbs as finite past tense still are.
    #[test]
    fn conditions_adjectives_and_objects_are_not_events() {
        check(
            "undated-event",
            "Mrs. Clinton, if elected, might nominate him. Even if Trump lost the state, he would win.

He had just signed the bill. Britain's emotionally charged uprising worried her.

The policies that got him elected are popular. With a year left in his term, he waits.

Another moment immediately seized upon by Republicans followed.

Nearly 10 percent of them voted for Carson.
                          ^^^^^ undated-event

Local racists once fired potshots. The rally denounced Trump. The court leans left or right.
                   ^^^^^ undated-event
                                             ^^^^^^^^^ undated-event

It redacted past emails released in the inquiry. Immigrants convicted of crimes must go.
Having announced that, the judge left. She's signed it. Clinton, who’s called for it, won. It worries Republican elected officials.
                                 ^^^^ undated-event

Officials met in Geneva.
          ^^^ undated-event

A group of rabbis called for a boycott.
                  ^^^^^^^^^^ undated-event

The biggest donors signed on.
                   ^^^^^^ undated-event

Sanders often attacked Clinton.
              ^^^^^^^^ undated-event

The committee also approved the plan.
                   ^^^^^^^^ undated-event

Beating her in her adopted home state was the goal. He cannot get a budget passed.

If Clinton is the first woman elected as president, her husband would be a first.

The institutional left media complex cowers. The far left balked. The left is angry.

The party left the coalition.
          ^^^^ undated-event
",
        );
    }
}
