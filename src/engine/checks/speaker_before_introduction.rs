//! `speaker-before-introduction`: a person quoted by surname or pronoun before the story gives
//! their full name.

use rustc_hash::FxHashSet;

use super::{Check, CheckMeta, Finding, Fixes, Severity};
use crate::engine::entities::MentionForm;
use crate::engine::quotes::{QuoteKind, SpeakerClass};
use crate::engine::{Analysis, EntityKind};

pub struct SpeakerBeforeIntroduction;

static META: CheckMeta = CheckMeta {
    code: "speaker-before-introduction",
    default_severity: Severity::Warning,
    summary: "A speaker is quoted by surname or pronoun before their full name appears",
    explanation: "\
## What it flags
A quotation whose speaker is named only by surname (`Heusgen said`, `Mr. Burman said`) or by a
pronoun (`he said`) at a point where the story has not yet given that person's full name. The
full name may come later in the story, or nowhere.

## Why
News style introduces every source by full name (and usually role) the first time they appear,
and by surname after that. When paragraphs are moved in editing, a quote can end up before the
introduction, and readers meet a stranger.

## Example
```text
“We will not back down,” Ruiz said.

Ana Ruiz, the mayor of Springfield, spoke after the vote.
```
Give the full name at the first quote (`said Ana Ruiz, the mayor of Springfield`), and the
surname afterwards.
",
};

/// Whether `name` is "he" or "she" in any case (as its lowercase form would say).
fn is_he_or_she(name: &str) -> bool {
    if name.is_ascii() {
        name.eq_ignore_ascii_case("he") || name.eq_ignore_ascii_case("she")
    } else {
        matches!(name.to_lowercase().as_str(), "he" | "she")
    }
}

impl Check for SpeakerBeforeIntroduction {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        let mut flagged = FxHashSet::default();
        for q in analysis
            .quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::NotAQuote)
        {
            let Some(s) = &q.speaker else { continue };
            let pronoun_unresolved =
                s.class == SpeakerClass::Pronoun && s.entity.is_none() && is_he_or_she(&s.name);
            let late_intro = s
                .entity
                .filter(|_| matches!(s.class, SpeakerClass::Person | SpeakerClass::Pronoun))
                .and_then(|e| analysis.entities.get(e))
                .and_then(|e| {
                    // The first full name introduces the person, with a role or not (the
                    // entity's `introduced`, its definition, prefers one with a role: "Donald
                    // Trump is questioning …" then "Donald J. Trump, the Republican nominee").
                    let intro = e
                        .mentions
                        .iter()
                        .find(|m| m.form == MentionForm::FullName)?;
                    let full = intro.range.start > s.mention.end;
                    // A group ("Democrats … Virginia Democrats") is no person to introduce.
                    (e.kind == EntityKind::Person && full && !e.is_group())
                        .then_some((e.name.as_str(), intro.range))
                });
            if !(pronoun_unresolved || late_intro.is_some()) {
                continue;
            }
            // Asked only now, as few quotations get this far (the answer is the same).
            if s.rule.starts_with("continues")
                || s.rule.starts_with("shares")
                || s.rule.starts_with("quotation continued")
            {
                // The speaker was named at an earlier quote; that one is checked.
                continue;
            }
            let key = s.entity.map_or(usize::MAX - s.mention.start, |e| e);
            if !flagged.insert(key) {
                continue;
            }
            let message = match &late_intro {
                Some((name, _)) => {
                    format!("{name} is quoted here before the story introduces them by full name")
                        .into()
                }
                None => "Quoted by a pronoun before anyone it could refer to is named".into(),
            };
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: s.mention,
                message,
                fixes: Fixes::NONE,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn flags_a_surname_quoted_before_the_full_name() {
        check(
            "speaker-before-introduction",
            "“We will not back down,” Ruiz said.
                         ^^^^ speaker-before-introduction

Ana Ruiz, the mayor of Springfield, spoke after the vote. “It is done,” Ruiz said.
",
        );
    }

    #[test]
    fn flags_a_pronoun_before_anyone_is_named() {
        check(
            "speaker-before-introduction",
            "“We will not back down,” she said.
                         ^^^ speaker-before-introduction
",
        );
    }

    #[test]
    fn introduced_speakers_are_fine() {
        check(
            "speaker-before-introduction",
            "Ana Ruiz, the mayor of Springfield, spoke after the vote.

“We will not back down,” Ruiz said. “Never,” she added.
",
        );
    }

    /// A full name introduces its person even when a later mention gives the role (the
    /// entity's definition): "Donald Trump says" was flagged before "Donald J. Trump, the
    /// Republican nominee".
    #[test]
    fn a_full_name_without_a_role_introduces() {
        check(
            "speaker-before-introduction",
            "Ana Ruiz says the vote was a disgrace. “We will not back down,” Ruiz said.

Later, Ana M. Ruiz, the mayor of Springfield, left. “It is done,” Ruiz said.
",
        );
    }

    /// "said Democrats … the Virginia Democrats": a group needs no introduction by full name.
    #[test]
    fn a_group_is_not_flagged() {
        check(
            "speaker-before-introduction",
            crate::engine::checks::testing::GROUPS_SPEAK,
        );
    }
}
