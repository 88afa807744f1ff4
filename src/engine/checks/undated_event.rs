//! `undated-event`: a past event in the reporter's words that the reader has no date for.

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::paragraph::ParagraphKind;
use crate::engine::temporal::{Timex, TimexType};
use crate::engine::{Analysis, Paragraph};

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
“get a budget passed”), conditions (“if elected”) and questions are left alone, and so are
the entries of a live blog under their time stamps (a paragraph that is only a time, `11:20
p.m.`, dates the paragraphs after it up to the next stamp or heading).

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
        if analysis.events.iter().all(|e| e.dated) {
            return;
        }
        let mut stamps = TimeStamps::new(analysis);
        for e in analysis.events.iter().filter(|e| !e.dated) {
            if stamps
                .as_mut()
                .is_some_and(|s| s.under_stamp(e.range.start))
            {
                continue;
            }
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

/// The time stamps of a live blog ("The Latest": a paragraph that is only a time of day,
/// "11:20 p.m.", over each entry): the events of the paragraphs under one are dated by it,
/// the story's date and that time. A stamp covers the paragraphs after it up to the next
/// stamp or heading.
struct TimeStamps<'a> {
    paragraphs: std::iter::Peekable<std::slice::Iter<'a, Paragraph>>,
    timexes: std::iter::Peekable<std::slice::Iter<'a, Timex>>,
    /// Whether the last paragraph passed is under a stamp.
    stamped: bool,
}

impl<'a> TimeStamps<'a> {
    /// The stamps of `analysis`, read from the first; `None` if it has none (found from its
    /// times of day, which are few: nothing is walked on every keystroke of a long story).
    fn new(analysis: &'a Analysis) -> Option<Self> {
        let paragraphs = &analysis.paragraphs[..];
        let timexes = &analysis.timexes[..];
        let (t, p) = timexes.iter().enumerate().find_map(|(t, tx)| {
            if tx.kind != TimexType::Time {
                return None;
            }
            let p = paragraphs
                .partition_point(|p| p.range.start <= tx.range.start)
                .checked_sub(1)?;
            Self::is_stamp(tx, &paragraphs[p]).then_some((t, p))
        })?;
        Some(TimeStamps {
            paragraphs: paragraphs[p..].iter().peekable(),
            timexes: timexes[t..].iter().peekable(),
            stamped: false,
        })
    }

    /// Whether `tx` is the whole of `p` (but for a colon or period after it).
    fn is_stamp(tx: &Timex, p: &Paragraph) -> bool {
        tx.kind == TimexType::Time
            && tx.range.start == p.range.start
            && p.range.end.saturating_sub(tx.range.end) <= 1
    }

    /// Whether the paragraph holding `offset` is under a time stamp; offsets must come in
    /// increasing order.
    fn under_stamp(&mut self, offset: usize) -> bool {
        while let Some(p) = self.paragraphs.next_if(|p| p.range.start <= offset) {
            while self
                .timexes
                .next_if(|t| t.range.start < p.range.start)
                .is_some()
            {}
            let stamp = self.timexes.peek().is_some_and(|t| Self::is_stamp(t, p));
            if stamp {
                self.stamped = true;
            } else if p.kind == ParagraphKind::Heading {
                self.stamped = false;
            }
        }
        self.stamped
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

    /// A live blog's entries are dated by their time stamps, up to the next heading.
    #[test]
    fn a_time_stamp_dates_the_entry_under_it() {
        check(
            "undated-event",
            "# The Latest: Sanders wins Minnesota

The ministry announced new sanctions.
             ^^^^^^^^^ undated-event

11:20 p.m.

Democrat Bernie Sanders has earned his latest win.

The Vermont senator won the state caucuses.

___

11:15 p.m.

Rubio won second place in Nevada.

## Earlier

The ministry announced new sanctions.
             ^^^^^^^^^ undated-event

The talks ended at 11:20 p.m.

The ministry announced new sanctions.
             ^^^^^^^^^ undated-event
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

Proof, including a birth certificate issued in Hawaii, exists. Parts of his administration charged with it
failed. Trump campaigned in states hit hard by job losses. His long shot plan needs cash.

The senator won in Ohio. In the end the team signed with Nike.
            ^^^ undated-event
                                             ^^^^^^ undated-event

Such moments of unity passed quickly in an evening of divisions.
                      ^^^^^^ undated-event
",
        );
    }
}
