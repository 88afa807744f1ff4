//! `unattributed-quote`: a direct quotation no rule attributes to anyone.

use super::{Check, CheckMeta, Finding, Severity};
use crate::engine::Analysis;
use crate::engine::quotes::QuoteKind;

pub struct UnattributedQuote;

static META: CheckMeta = CheckMeta {
    code: "unattributed-quote",
    default_severity: Severity::Warning,
    summary: "A quotation with no speaker",
    explanation: "\
## What it flags
A direct quotation that has no speaker: no reporting verb with a name, noun phrase or pronoun in
its sentence (`“…,” Putin said`), no colon introduction (`Heusgen: “…”`), and no attributed
quotation right before it that it could continue.

## Why
Readers need to know who is speaking to weigh what is said. An unattributed quotation reads as
the reporter's own claim, or as a quote whose source was lost in editing.

## Example
```text
“The talks have failed.” The delegations left Geneva on Friday.
```
Add the speaker: `“The talks have failed,” the UN envoy said.`
",
};

impl Check for UnattributedQuote {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for q in &analysis.quotes {
            if q.kind == QuoteKind::Direct && q.speaker.is_none() {
                out.push(Finding {
                    code: META.code,
                    severity: META.default_severity,
                    range: q.range,
                    message: "Quotation without a speaker: who said this?".into(),
                    fixes: Vec::new(),
                });
            }
        }
    }
}
