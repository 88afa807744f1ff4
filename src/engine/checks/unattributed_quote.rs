//! `unattributed-quote`: a direct quotation no rule attributes to anyone.

use super::{Check, CheckMeta, Edit, Finding, Fix, Severity};
use crate::engine::Analysis;
use crate::engine::quotes::QuoteKind;
use crate::engine::text::TextRange;

pub struct UnattributedQuote;

static META: CheckMeta = CheckMeta {
    code: "unattributed-quote",
    default_severity: Severity::Warning,
    summary: "A quotation with no speaker",
    explanation: "\
## What it flags
A direct quotation that has no speaker: no reporting verb with a name, noun phrase or pronoun in
its sentence (`“…,” Putin said`, `said Christoph Heusgen`, `according to the Kremlin`), no colon
introduction (`Heusgen: “…”`), no clause whose subject carries it (`Xi hailed the “close” ties`),
and no attributed quotation right before it that it could continue. Quoted titles, nicknames,
scare quotes and so-called words are not quotations and are not flagged.

## Why
Readers need to know who is speaking to weigh what is said. An unattributed quotation reads as
the reporter's own claim, or as a quote whose source was lost in editing.

## Example
```text
“The talks have failed.” The delegations left Geneva on Friday.
```
Add the speaker: `“The talks have failed,” the UN envoy said.` The quick fix inserts a
`, [NAME] said.` placeholder after the quotation.
",
};

impl Check for UnattributedQuote {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for q in &analysis.quotes {
            if q.kind == QuoteKind::Direct && q.speaker.is_none() {
                let fix = placeholder_fix(analysis, q.range, q.closed, q.closing_punct);
                out.push(Finding {
                    code: META.code,
                    severity: META.default_severity,
                    range: q.range,
                    message: "Quotation without a speaker: who said this?".into(),
                    fixes: fix.into_iter().collect(),
                });
            }
        }
    }
}

/// The quick fix: `, [NAME] said.` after the quotation. When the quotation ends its sentence
/// with a period inside the marks (`“…failed.”`), the period becomes a comma
/// (`“…failed,” [NAME] said.`), as news style has it.
fn placeholder_fix(
    analysis: &Analysis,
    range: TextRange,
    closed: bool,
    punct: Option<(char, usize)>,
) -> Option<Fix> {
    if !closed || range.end > analysis.len {
        return None;
    }
    let at = TextRange::new(range.end, range.end);
    let title = "Add an attribution placeholder after the quotation".to_string();
    let edits = match punct {
        Some(('.', at_period)) => vec![
            Edit {
                range: TextRange::new(at_period, at_period + 1),
                new_text: ",".into(),
            },
            Edit {
                range: at,
                new_text: " [NAME] said.".into(),
            },
        ],
        Some(_) => vec![Edit {
            range: at,
            new_text: " [NAME] said.".into(),
        }],
        _ => vec![Edit {
            range: at,
            new_text: ", [NAME] said.".into(),
        }],
    };
    Some(Fix { title, edits })
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;
    use crate::engine::{Config, analyze};

    #[test]
    fn flags_a_quotation_nobody_said() {
        check(
            "unattributed-quote",
            "“The talks have failed.” The delegations left Geneva on Friday.
^^^^^^^^^^^^^^^^^^^^^^^^ unattributed-quote
",
        );
    }

    #[test]
    fn every_attribution_pattern_is_accepted() {
        check(
            "unattributed-quote",
            "“We won,” said Maria Lopez. “We won,” Lopez said. Lopez said: “We won.”
Lopez: “We won.” According to the mayor, the plan is “dead on arrival.”
“It is over,” the campaign spokesman told reporters. She called the bill “a disaster”.
Officials described it as “symbolic”. “Nobody asked us,” she wrote in a statement.

“Hey, hey! Ho, ho! Rahm Emanuel's got to go!” some protesters chanted on Friday.

Rep. Elijah Cummings (D-Md.), chair of the committee, said that it was “committed to an open
process” and “open to every viewpoint being expressed.”
",
        );
    }

    #[test]
    fn continuation_keeps_the_speaker() {
        check(
            "unattributed-quote",
            "“We won,” Lopez said. “And we will win again.”

“Nobody thought we could.”

The count went on.

“A recount is coming.”
^^^^^^^^^^^^^^^^^^^^^^ unattributed-quote
",
        );
    }

    #[test]
    fn titles_nicknames_and_scare_quotes_are_not_flagged() {
        check(
            "unattributed-quote",
            "She read “War and Peace” on the train. The so-called “deal” collapsed. His “friends” left.
He had roles in “Apollo 13” and “Austin Powers: The Spy Who Shagged Me,” and liked them.
",
        );
    }

    #[test]
    fn the_fix_inserts_a_placeholder_after_the_quote() {
        let text = "“The talks have failed.” The delegations left.";
        let a = analyze(text, &Config::default());
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "unattributed-quote")
            .expect("a finding");
        let mut fixed = text.to_string();
        for edit in f.fixes[0].edits.iter().rev() {
            fixed.replace_range(edit.range.start..edit.range.end, &edit.new_text);
        }
        assert_eq!(
            fixed,
            "“The talks have failed,” [NAME] said. The delegations left."
        );
        let text = "Then came “the end of an era” and more.\n\n“Nobody knows why”";
        let a = analyze(text, &Config::default());
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "unattributed-quote")
            .expect("a finding");
        assert_eq!(f.fixes[0].edits.len(), 1);
        assert_eq!(f.fixes[0].edits[0].new_text, ", [NAME] said.");
    }
}
