//! `unbalanced-quote`: a quotation mark that is never closed (or never opened).

use super::{Check, CheckMeta, Finding, Severity};
use crate::engine::Analysis;

pub struct UnbalancedQuote;

static META: CheckMeta = CheckMeta {
    code: "unbalanced-quote",
    default_severity: Severity::Warning,
    summary: "A quotation mark is never closed, or a closing mark has no opening",
    explanation: "\
## What it flags
An opening quotation mark with no closing mark, or a closing mark with no opening one.

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

    fn run(&self, _analysis: &Analysis, _out: &mut Vec<Finding>) {}
}
