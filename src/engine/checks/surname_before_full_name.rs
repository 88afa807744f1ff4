//! `surname-before-full-name`: a person who first appears by surname (or first name) only,
//! with the full name coming later.

use super::{Check, CheckMeta, Edit, Finding, Fix, Severity};
use crate::engine::Analysis;
use crate::engine::config::EntityKind;
use crate::engine::entities::MentionForm;

pub struct SurnameBeforeFullName;

static META: CheckMeta = CheckMeta {
    code: "surname-before-full-name",
    default_severity: Severity::Warning,
    summary: "A person appears by surname before their full name is given",
    explanation: "\
## What it flags
The first mention of a person that uses only their surname (or only their first name) when
the full name comes later in the story. Descriptors before the name (`the head of the Munich
Security Conference … said Christoph Heusgen`) are fine and not flagged, and so are surnames in
headings (`# Heusgen warns Europe`, or the first line of a plain-text story when it is as
short as a headline, and a one-line deck under it), names inside quotation marks (a
speaker's own words, `“It's between Hillary and Trump,” Brown said`, or a title such as
`MSNBC's “Morning Joe”`), surnames that modify a noun (`the Obama administration`, `a Trump
presidency`) and groups (`Democrats … Virginia Democrats`).

## Why
News style gives a person's full name on first reference and the surname after that. A
surname first leaves the reader guessing who is meant; it usually means paragraphs were moved
in editing.

## Example
```text
Heusgen said Russia was isolated. Christoph Heusgen heads the Munich Security Conference.
```
Give the full name first: `Christoph Heusgen said Russia was isolated.`
",
};

impl Check for SurnameBeforeFullName {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        for e in analysis
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
        {
            // "Democrats … Virginia Democrats": a group, whose short name is no surname.
            if e.is_group() {
                continue;
            }
            let Some(full) = e
                .mentions
                .iter()
                .position(|m| m.form == MentionForm::FullName)
            else {
                continue;
            };
            // A headline names people by surname ("Cruz reboots his attacks on Trump"): the
            // story's first reference is the first one in its body.
            let Some(first) = e.mentions[..full].iter().find(|m| {
                matches!(m.form, MentionForm::Surname | MentionForm::FirstName)
                    // "the Obama administration" names his office, not him.
                    && !m.modifier
                    && !analysis.in_heading(m.name.start)
                    // A speaker's words are theirs: "“If it's between Hillary and Trump,
                    // Trump wins,” Brown said" is no first reference.
                    && !analysis.in_quotation(m.name.start)
            }) else {
                continue;
            };
            let full_name = e.written.clone();
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: first.name,
                message: format!(
                    "First mention of {full_name} uses a short name; the full name only comes later"
                )
                .into(),
                fixes: vec![Fix {
                    title: format!("Use the full name “{full_name}” here"),
                    edits: vec![Edit {
                        range: first.name,
                        new_text: full_name,
                    }],
                }]
                .into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::check;

    #[test]
    fn a_name_inside_a_quotation_is_not_the_first_reference() {
        check(
            "surname-before-full-name",
            concat!(
                "“Between Hillary and Trump, Trump wins,” Brown said. Heusgen agreed. ",
                "Hillary Clinton and Donald Trump spoke. Christoph Heusgen left.\n",
                "                                                     ^^^^^^^ surname-before-full-name\n",
            ),
        );
    }

    /// "the Obama administration", "a Trump presidency" name an office or a time, not the
    /// person; the surname that follows is still a first reference.
    #[test]
    fn a_surname_that_modifies_a_noun_is_not_the_first_reference() {
        check(
            "surname-before-full-name",
            concat!(
                "The Heusgen administration acted. A Heusgen presidency looms. ",
                "Heusgen agreed. Christoph Heusgen left.\n",
                "                                                              ^^^^^^^ surname-before-full-name\n",
            ),
        );
    }

    #[test]
    fn flags_a_surname_before_the_full_name() {
        check(
            "surname-before-full-name",
            concat!(
                "Heusgen said Russia was isolated. Later, Christoph Heusgen left.\n",
                "^^^^^^^ surname-before-full-name\n"
            ),
        );
    }

    #[test]
    fn full_name_first_is_fine() {
        check(
            "surname-before-full-name",
            "Christoph Heusgen spoke. Heusgen said Russia was isolated.\n",
        );
    }

    #[test]
    fn a_descriptor_first_is_fine() {
        check(
            "surname-before-full-name",
            "According to the head of the Munich Security Conference, it matters, said Christoph Heusgen. Heusgen left.\n",
        );
    }

    /// "Democrats … Virginia Democrats": a group's short name is no surname.
    #[test]
    fn a_group_is_not_flagged() {
        check(
            "surname-before-full-name",
            &format!(
                "{}Berg spoke first. Then Anna Berg left.\n\
                 ^^^^ surname-before-full-name\n",
                crate::engine::checks::testing::GROUPS_SPEAK
            ),
        );
    }

    /// A headline names people by surname; the story's first reference is in its body.
    #[test]
    fn a_surname_in_a_heading_is_not_flagged() {
        check(
            "surname-before-full-name",
            "# Cruz reboots his attacks on Trump\n\nSen. Ted Cruz spoke about Donald Trump.\n",
        );
        // The body's own first reference still counts.
        check(
            "surname-before-full-name",
            "# Cruz speaks\n\nCruz spoke first. Then Sen. Ted Cruz left.\n\
             ^^^^ surname-before-full-name
",
        );
    }

    /// Plain text has no heading marks: its first line, when as short as a headline, is one.
    #[test]
    fn a_surname_in_the_headline_of_plain_text_is_not_flagged() {
        check(
            "surname-before-full-name",
            "Sanders says his meeting with Obama went well.\n\n\
             Sen. Bernie Sanders met President Barack Obama on Thursday.\n",
        );
        check(
            "surname-before-full-name",
            "Stealth Over Health: Sanders Was Headed to the Hospital but Went Home to Avoid the \
             Cameras of the Waiting Press.\n\n\
             Sen. Bernie Sanders went home on Thursday.\n",
        );
        // A lede is longer than a headline: its surname still counts.
        check(
            "surname-before-full-name",
            "Sanders told reporters on Thursday that he would stay in the race until the last \
             primary in June, whatever the delegates say.\n\
             ^^^^^^^ surname-before-full-name
\n\
             Sen. Bernie Sanders left.\n",
        );
    }

    /// A deck under the headline is part of it: the next short paragraph, or the rest of the
    /// headline's paragraph.
    #[test]
    fn a_surname_in_the_deck_of_plain_text_is_not_flagged() {
        check(
            "surname-before-full-name",
            "Democrats to sue Arizona on poll access.\n\n\
             Clinton campaign says long lines kept many from casting ballots.\n\n\
             The campaign of Hillary Clinton will sue the state.\n",
        );
        check(
            "surname-before-full-name",
            "Sanders advances agenda via side doors;\n\
             In Congress, Sanders proves adept at tying provisions to large bills.\n\n\
             Sen. Bernie Sanders found ways to press his agenda.\n",
        );
        // With nothing after it, a short second paragraph is the story, not a deck.
        check(
            "surname-before-full-name",
            "Democrats to sue Arizona.\n\n\
             Clinton said long lines kept many from voting, and Hillary Clinton will sue.\n\
             ^^^^^^^ surname-before-full-name
",
        );
    }
}
