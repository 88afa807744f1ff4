//! `vague-source`: an unnamed group stands behind a claim ("critics say", "many believe").

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::Analysis;
use crate::engine::quotes::SourceKind;

pub struct VagueSource;

static META: CheckMeta = CheckMeta {
    code: "vague-source",
    default_severity: Severity::Warning,
    summary: "An unnamed group stands behind a claim",
    explanation: "\
## What it flags
A claim put in the mouth of an unnamed group: `critics say`, `experts say`, `many believe`,
`some have argued`, `it is understood`, `many Western heads of state and government believe`.

## Why
A reader cannot tell who the group is, how many of them there are, or whether the reporter
asked any of them. Vague attribution lets an opinion pass as consensus. Name at least one
member of the group, or say how the reporter knows what the group thinks.

## Example
```text
Critics say the plan will fail.
```
Name them: `Two opposition leaders, Ana Ruiz and Tom Reed, say the plan will fail.`
",
};

impl Check for VagueSource {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for s in analysis
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Vague)
        {
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: s.range,
                message: "Vague source: who exactly says or believes this?".into(),
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_unnamed_groups_behind_claims() {
        check(
            "vague-source",
            "Critics say the plan will fail. It is understood that talks stalled.
^^^^^^^^^^^ vague-source
                                ^^^^^^^^^^^^^^^^ vague-source
However, many Western heads of state and government believe that it will.
         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ vague-source
",
        );
    }

    /// A claim word that is a noun is no claim.
    #[test]
    fn claim_words_used_as_nouns_are_not_flagged() {
        check(
            "vague-source",
            "Ryan rejected several of Trump's comments. He raised it at various points.
The nominee had some explaining to do. The plans dominate many state exchanges.
The most telling promise came late. Many regulars continued to stay away.
It hid havens, in many cases reporting two numbers. Numerous emails asking about it went out.
Many state that it failed. Several critics say it failed.
^^^^^^^^^^ vague-source
                           ^^^^^^^^^^^^^^^^^^^ vague-source
",
        );
    }

    /// The object of a preposition or a condition, a superlative, "consider" + gerund: no
    /// group's claim. A group after "with" or "about" still is.
    #[test]
    fn objects_conditions_and_superlatives_are_not_flagged() {
        check(
            "vague-source",
            "An email to his supporters notes the date. Research by four economists suggests it.
If his core supporters were worried, they hid it. That is most telling to them.
Others consider moving there. About 20 people said it failed.
                                    ^^^^^^^^^^^^^^ vague-source
It fell apart, with many worried that it would.
                    ^^^^^^^^^^^^ vague-source
",
        );
    }

    /// A claim not made is no source.
    #[test]
    fn a_claim_not_made_is_not_flagged() {
        check(
            "vague-source",
            "Two others have not said who they would vote for. Critics never said so.
Some governments did not actually agree. Critics say it failed.
                                         ^^^^^^^^^^^ vague-source
",
        );
    }

    #[test]
    fn named_and_single_sources_are_not_vague() {
        check(
            "vague-source",
            "Ana Ruiz, a critic of the plan, says it will fail. The minister believes it will work.
",
        );
    }

    /// A crowd that chants, laughs or sings makes no claim to source.
    #[test]
    fn a_crowd_chanting_is_no_source() {
        check(
            "vague-source",
            "“USA! USA!” some supporters chanted. Many marchers were chanting “Disarm hate.”
Some laughed at the joke. Critics say it failed.
                          ^^^^^^^^^^^ vague-source
",
        );
    }
}
