//! `anonymous-source`: a quote or claim from an unnamed source ("a source said").

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::Analysis;
use crate::engine::quotes::SourceKind;

pub struct AnonymousSource;

static META: CheckMeta = CheckMeta {
    code: "anonymous-source",
    default_severity: Severity::Info,
    summary: "A quote or claim from an unnamed source",
    explanation: "\
## What it flags
A claim or quotation from a source the story does not name: `a source said`, `officials said`,
`according to sources`, `people familiar with the matter`, `officials who spoke on condition of
anonymity`. It is information, not a mistake: anonymous sources are sometimes necessary.

## Why
Newsroom policies usually require that an editor knows every anonymous source, that the story
says why the source was not named, and that anonymous sources are not used for opinion. Listing
them all lets an editor check each one.

## Example
```text
The deal is off, a source said.
```
Say why the source is not named and how they know: `…, said an official who took part in the
talks and was not authorised to speak publicly.`
",
};

impl Check for AnonymousSource {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for s in analysis
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Anonymous)
        {
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: s.range,
                message: "Anonymous source: does an editor know who this is, and does the story say why they are not named?".into(),
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_unnamed_sources() {
        check(
            "anonymous-source",
            "The deal is off, a source said. Officials who spoke on condition of anonymity agreed.
                 ^^^^^^^^^^^^^ anonymous-source
                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ anonymous-source
“It is over,” a senior official said. It was, according to people familiar with the matter.
              ^^^^^^^^^^^^^^^^^^^^^^ anonymous-source
                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ anonymous-source
The plan was dropped, two people briefed on the talks said.
                          ^^^^^^^^^^^^^^^^^^^^^ anonymous-source
",
        );
    }

    #[test]
    fn named_sources_are_not_anonymous() {
        check(
            "anonymous-source",
            "“It is over,” said Ana Ruiz, a senior official. The ministry said it agreed.
The stand-in is already being briefed on the topics.
",
        );
    }
}
