//! `unidentified-source`: a quoted person the story never identifies by role or affiliation.

use std::fmt::Write;

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::Analysis;
use crate::engine::config::EntityKind;

pub struct UnidentifiedSource;

static META: CheckMeta = CheckMeta {
    code: "unidentified-source",
    default_severity: Severity::Info,
    summary: "A quoted person is never given a role or affiliation",
    explanation: "\
## What it flags
A person who is quoted in the story but never identified: no title before the name
(`Chinese President Xi Jinping`), no role before it in lower case (`Kremlin spokesman Dmitry
Peskov`) or institution's possessive (`CNN's Tara Setmayer`), no appositive (`Christoph
Heusgen, head of the Munich Security Conference`, `Brett McGurk, President Obama's special
envoy`, `Robert McAtee, one of several coal industry veterans`, `Susan Crawford, then Maples's
literary agent`, set off by commas or dashes),
no role set before the name (`An attorney for Pagliano, Mark MacDougall, said`), no party
and state (`Sen. Jon Tester (D-Mont.)`), no relation to someone named (`Walter Hewlett, son of
HP's co-founder`, `Dorothy Woods, whose husband …`), no hometown or institution (`Donna Rawlings, 59, of Ashton, Md.`, `Jason Gilbert
of Cheyenne`, `James Pethokoukis of the American Enterprise Institute`), no clause that says what they do (`Whit
Ayres, who was Rubio's campaign pollster`), no sentence right after the name that says what
they are (`Marine Le Pen is a candidate in France's election`; not inside a quotation), no
descriptor that the story links to them, and
no role in the workspace entity sheet. An age alone (`Jane Smith, 34, said`) is not an
identification. The finding sits on the mention that introduces the person. A group
that is quoted (`Americans`, `Muslims`, `Virginia Democrats`) is no person to identify and is
not flagged.

## Why
News style identifies every source on first reference, so readers can judge why this person's
words matter and what interest they may have.

## Example
```text
“Prices will rise,” said Anna Berg.
```
Say who she is: `“Prices will rise,” said Anna Berg, an economist at Nordea.`
",
};

impl Check for UnidentifiedSource {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for e in &analysis.entities {
            if e.kind != EntityKind::Person || e.quotes.is_empty() || e.role.is_some() {
                continue;
            }
            // "Americans", "Muslims": a group, not a person to name a role for.
            if e.is_group() {
                continue;
            }
            if e.sheet
                .as_ref()
                .is_some_and(|s| s.role.is_some() || s.description.is_some())
            {
                continue;
            }
            let Some(intro) = e.mentions.get(e.introduced) else {
                continue;
            };
            let n = e.quotes.len();
            // "{name} is quoted {once | n times} but never identified: …", written in place.
            const REST: &str =
                " but never identified: give a role or affiliation on first reference";
            let mut message = String::with_capacity(e.name.len() + 24 + REST.len());
            message.push_str(&e.name);
            message.push_str(" is quoted ");
            if n == 1 {
                message.push_str("once");
            } else {
                let _ = write!(message, "{n} times");
            }
            message.push_str(REST);
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: intro.range,
                message: message.into(),
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;
    use crate::engine::{Config, analyze};

    const XI: &str = include_str!("../../../tests/fixtures/xi-moscow.txt");

    #[test]
    fn identified_sources_are_not_flagged() {
        let a = analyze(XI, &Config::default());
        assert!(
            a.findings.iter().all(|f| f.code != "unidentified-source"),
            "{:?}",
            a.findings
        );
        check(
            "unidentified-source",
            "“Prices will rise,” said Anna Berg, an economist at Nordea.\n",
        );
    }

    #[test]
    fn a_quoted_person_without_a_role_is_flagged_once_quotes_are_linked() {
        let text = "“Prices will rise,” said Anna Berg. “They always do.”";
        let a = analyze(text, &Config::default());
        let berg = a
            .entities
            .iter()
            .find(|e| e.name == "Anna Berg")
            .expect("entity");
        let flagged = a
            .findings
            .iter()
            .any(|f| f.code == "unidentified-source" && f.range.of(text) == "Anna Berg");
        // The finding follows the quote engine's speaker links exactly.
        assert_eq!(flagged, !berg.quotes.is_empty());
    }

    /// A group that "says" something ("Americans said") is quoted but is no person to give a
    /// role; a person in the same story still is.
    #[test]
    fn a_group_is_not_flagged() {
        check(
            "unidentified-source",
            &format!(
                "{}“Jobs first,” said Anna Berg.\n{}^^^^^^^^^ unidentified-source\n",
                crate::engine::checks::testing::GROUPS_SPEAK,
                " ".repeat(19)
            ),
        );
    }
}
