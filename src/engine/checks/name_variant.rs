//! `name-variant`: two spellings of what is probably one person's name, or a spelling that
//! differs from the entity sheet's preferred one.

use rustc_hash::FxHashMap;

use strsim::jaro_winkler;

use super::{Check, CheckMeta, Edit, Finding, Fix, Message, Severity};
use crate::engine::Analysis;
use crate::engine::config::EntityKind;
use crate::engine::entities::gazetteer::GAZETTEER;
use crate::engine::entities::{Entity, MentionForm};

pub struct NameVariant;

static META: CheckMeta = CheckMeta {
    code: "name-variant",
    default_severity: Severity::Warning,
    summary: "A name spelled two ways, or not as the entity sheet spells it",
    explanation: "\
## What it flags
A surname that is spelled almost, but not exactly, like another person's surname in the same
story (`Heusgen` and `Heusgan`, `Zelensky` and `Zelenskyy`), when their first names do not
tell them apart. The less frequent spelling is flagged and the quick fix changes it to the
more frequent one. It also flags a name that is close to, but not the same as, the preferred
spelling of a person in the workspace entity sheet (`[[entity]]` in `copydesk.toml`); the fix
changes it to the sheet's spelling. A mention is flagged once even when it is close to several
names (several people called Whitfield): the fix offers the sheet's spelling if it is one of
them, else the spelling the story uses most. Two spellings that differ only in their
apostrophes (`O’Neill`, `O'Neill`) or by a plural ending (`Order`, `Orders`) are not flagged.

## Why
A misspelt name is one of the most common corrections newspapers print. Two spellings also
make a reader wonder whether two people are meant.

## Example
```text
Christoph Heusgen spoke on Monday. Heusgan said Russia was isolated.
```
Use one spelling: `Heusgen said Russia was isolated.`
",
};

/// Surnames closer than this (Jaro-Winkler) are probably one name.
const SIMILAR: f64 = 0.9;

fn surname(name: &str) -> &str {
    name.split_whitespace().next_back().unwrap_or(name)
}

fn first_name(name: &str) -> Option<&str> {
    let mut w = name.split_whitespace();
    let first = w.next()?;
    w.next().map(|_| first)
}

/// Whether two surnames are different spellings of one name.
fn variants(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    // Cheap tests first: one letter at the start and at most two in length may differ.
    a != b
        && la >= 4
        && lb >= 4
        && la.abs_diff(lb) <= 2
        && a.chars().next() == b.chars().next()
        && !plural_of(a, b)
        && !plural_of(b, a)
        && !derived_from(a, b)
        && !derived_from(b, a)
        && !same_but_apostrophes(a, b)
        && jaro_winkler(a, b) >= SIMILAR
}

/// Whether `a` is `b` with a plural ending ("Orders", "Ricans"): another word, not another
/// spelling.
fn plural_of(a: &str, b: &str) -> bool {
    a.strip_prefix(b)
        .is_some_and(|rest| matches!(rest, "s" | "es"))
}

/// Whether `a` is `b` with a handle's or a model's ending ("NolteNC", "Future45") or a
/// derived word's ("Islamic", "Christian"): another word, not another spelling.
fn derived_from(a: &str, b: &str) -> bool {
    a.strip_prefix(b).is_some_and(|rest| {
        rest.chars().all(|c| c.is_ascii_digit() || c.is_uppercase())
            || matches!(rest, "ic" | "ian" | "ism" | "ist" | "ite")
    })
}

/// Whether `a` and `b` differ only in their apostrophes (`O’Neill`, `O'Neill`): typography,
/// which a style guide or the editor's settings decide, not a misspelt name.
fn same_but_apostrophes(a: &str, b: &str) -> bool {
    let plain = |c: char| {
        if matches!(c, '’' | '‘' | 'ʼ') {
            '\''
        } else {
            c
        }
    };
    a.chars().map(plain).eq(b.chars().map(plain))
}

/// Edits that respell every name mention of `from` to use `to_full` (full names) and its last
/// word (surnames).
fn respell(
    text_of: &dyn Fn(&Entity, usize) -> String,
    e: &Entity,
    to_full: &str,
) -> Vec<(usize, Edit)> {
    let to_surname = surname(to_full);
    e.mentions
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let current = text_of(e, i);
            let new_text = match m.form {
                MentionForm::FullName if current.split_whitespace().count() >= 2 => {
                    let head = current.rsplit_once(' ').map_or("", |(h, _)| h);
                    if first_name(to_full).is_some() && to_full.split_whitespace().count() >= 2 {
                        to_full.to_string()
                    } else {
                        format!("{head} {to_surname}")
                    }
                }
                MentionForm::FullName | MentionForm::Surname | MentionForm::Alias => {
                    to_surname.to_string()
                }
                _ => return None,
            };
            (new_text != current).then_some((
                i,
                Edit {
                    range: m.name,
                    new_text,
                },
            ))
        })
        .collect()
}

impl Check for NameVariant {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        let people = people(analysis);
        emit(&people, &plan(&people), out);
    }

    fn run_cached(&self, analysis: &Analysis, cache: &mut super::Cache, out: &mut Vec<Finding>) {
        let people = people(analysis);
        let cache = &mut cache.name_variant;
        if !cache.made_from(&people) {
            cache.plan = plan(&people);
            cache.made += 1;
            cache.people = people.iter().map(|&e| Signature::of(e)).collect();
        }
        emit(&people, &cache.plan, out);
    }
}

/// The people of the story, in order of first mention.
fn people(analysis: &Analysis) -> Vec<&Entity> {
    analysis
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .collect()
}

/// One person to flag: `people[minor]`, whose mentions are to be spelt as `target` (a full
/// name), with `message`.
struct Planned {
    minor: usize,
    target: String,
    message: Message,
}

/// What [`plan`] reads of a person: the name as written, the entity sheet's spelling, and the
/// number of mentions.
struct Signature {
    written: String,
    sheet: Option<String>,
    mentions: usize,
}

impl Signature {
    fn of(e: &Entity) -> Signature {
        Signature {
            written: e.written.clone(),
            sheet: sheet_spelling(e).map(str::to_string),
            mentions: e.mentions.len(),
        }
    }

    fn is(&self, e: &Entity) -> bool {
        self.written == e.written
            && self.sheet.as_deref() == sheet_spelling(e)
            && self.mentions == e.mentions.len()
    }
}

/// The spelling the entity sheet prefers for `e`, if it is in the sheet.
fn sheet_spelling(e: &Entity) -> Option<&str> {
    e.sheet
        .as_ref()
        .map(|sheet| sheet.preferred.as_deref().unwrap_or(&sheet.name))
}

/// What the check keeps from one analysis to the next: its plan and the people it was made
/// from. The plan reads only each person's name, sheet spelling and number of mentions, which
/// a keystroke seldom changes (at 1 MB, comparing them is a small fraction of making the plan:
/// hundreds of people, a pairwise comparison of surnames by first letter); the findings are
/// then written at the mentions' new places.
#[derive(Default)]
pub(super) struct Cache {
    people: Vec<Signature>,
    plan: Vec<Planned>,
    /// How many plans were made (for tests).
    made: usize,
}

impl Cache {
    /// Whether the plan was made from these people.
    fn made_from(&self, people: &[&Entity]) -> bool {
        self.people.len() == people.len()
            && self.people.iter().zip(people).all(|(sig, e)| sig.is(e))
    }
}

/// The findings of `plan`: each planned person's mentions respelt.
fn emit(people: &[&Entity], plan: &[Planned], out: &mut Vec<Finding>) {
    // The spelling a mention uses: the entity's name as written, or its last word.
    let mention_text = |e: &Entity, i: usize| -> String {
        let m = &e.mentions[i];
        match m.form {
            MentionForm::Surname => surname(&e.written).to_string(),
            _ => e.written.clone(),
        }
    };
    for p in plan {
        let e = people[p.minor];
        for (i, edit) in respell(&mention_text, e, &p.target) {
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: e.mentions[i].name,
                message: p.message.clone(),
                fixes: vec![Fix {
                    title: format!("Spell it “{}”", edit.new_text),
                    edits: vec![edit],
                }]
                .into(),
            });
        }
    }
}

/// Who is to be flagged, as a variant of whom.
fn plan(people: &[&Entity]) -> Vec<Planned> {
    // What each person may be flagged for, in the order found; one finding per person is
    // made of it at the end.
    let mut suspects: Vec<Suspect> = Vec::new();
    let keys: Vec<(&str, usize, Option<char>)> = people
        .iter()
        .map(|p| {
            let s = surname(&p.written);
            (s, s.chars().count(), s.chars().next())
        })
        .collect();
    // The distinct surnames of four letters or more, and the people who carry each (in
    // order). Two surnames can only be variants when their first letters agree and their
    // lengths differ by two at most, so each distinct pair within a first letter is compared
    // once (in both directions, as the loop below meets them), not each pair of people.
    let mut surname_ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut distinct: Vec<(&str, usize, char)> = Vec::new();
    let mut carriers: Vec<Vec<usize>> = Vec::new();
    // Per person: the id of their surname among `distinct`, if it has four letters or more.
    let mut id_of: Vec<Option<usize>> = Vec::with_capacity(keys.len());
    for (i, &(s, len, first)) in keys.iter().enumerate() {
        // A group ("Americans", "Democratic") is spelt as a word, not as a name: it is
        // compared with nobody (asked here, when the people change, not on every keystroke).
        let id = first
            .filter(|_| len >= 4 && !people[i].is_group())
            .map(|c| {
                let id = *surname_ids.entry(s).or_insert_with(|| {
                    distinct.push((s, len, c));
                    carriers.push(Vec::new());
                    distinct.len() - 1
                });
                carriers[id].push(i);
                id
            });
        id_of.push(id);
    }
    let mut by_letter: FxHashMap<char, Vec<usize>> = FxHashMap::default();
    for (id, &(_, _, c)) in distinct.iter().enumerate() {
        by_letter.entry(c).or_default().push(id);
    }
    // `similar_to[x]` holds `y` when an earlier `x` and a later `y` are spelling variants.
    let mut similar_to: Vec<Vec<usize>> = vec![Vec::new(); distinct.len()];
    for ids in by_letter.values() {
        for (n, &x) in ids.iter().enumerate() {
            for &y in &ids[n + 1..] {
                let ((sx, lx, _), (sy, ly, _)) = (distinct[x], distinct[y]);
                if lx.abs_diff(ly) > 2
                    || plural_of(sx, sy)
                    || plural_of(sy, sx)
                    || same_but_apostrophes(sx, sy)
                    || derived_from(sx, sy)
                    || derived_from(sy, sx)
                {
                    continue;
                }
                if jaro_winkler(sx, sy) >= SIMILAR {
                    similar_to[x].push(y);
                }
                if jaro_winkler(sy, sx) >= SIMILAR {
                    similar_to[y].push(x);
                }
            }
        }
    }
    let mut later: Vec<usize> = Vec::new();
    for (ai, &a) in people.iter().enumerate() {
        // Against the entity sheet: a near miss of the preferred spelling.
        if let Some(preferred) = sheet_spelling(a) {
            if variants(surname(&a.written), surname(preferred)) {
                suspects.push(Suspect {
                    minor: ai,
                    target: preferred.to_string(),
                    major: None,
                });
            }
        }
        // Against the later people of the story whose surname is a variant of this one.
        let Some(id) = id_of[ai] else {
            continue;
        };
        later.clear();
        for &y in &similar_to[id] {
            later.extend(carriers[y].iter().copied().filter(|&bi| bi > ai));
        }
        later.sort_unstable();
        for &bi in &later {
            let b = people[bi];
            if let (Some(fa), Some(fb)) = (first_name(&a.written), first_name(&b.written))
                && fa != fb
            {
                continue;
            }
            // A one-word name that is a given name ("Pope Francis", "Luay Sami" known as
            // "Sami") is no misspelling of another person's surname ("Massimo Franco", "Hamid
            // Salami"), who has a given name of their own.
            let given_alone = |x: &Entity, y: &Entity| {
                first_name(&x.written).is_none()
                    && first_name(&y.written).is_some()
                    && GAZETTEER.is_first_name(&x.written)
            };
            if given_alone(a, b) || given_alone(b, a) {
                continue;
            }
            // The rarer spelling is the suspect; on a tie, the later one.
            let (minor_i, major_i) = if a.mentions.len() > b.mentions.len() {
                (bi, ai)
            } else if b.mentions.len() > a.mentions.len() {
                (ai, bi)
            } else {
                (bi, ai)
            };
            let (minor, major) = (people[minor_i], people[major_i]);
            if minor.sheet.is_some() {
                continue;
            }
            let target =
                if first_name(&minor.written).is_some() && first_name(&major.written).is_none() {
                    format!(
                        "{} {}",
                        first_name(&minor.written).unwrap_or(""),
                        surname(&major.written)
                    )
                } else {
                    major.written.clone()
                };
            suspects.push(Suspect {
                minor: minor_i,
                target,
                major: Some(major_i),
            });
        }
    }
    choose(people, suspects)
}

/// A person who may be flagged: `people[minor]`, to be spelt as `target`, after the entity
/// sheet (`major` is `None`) or after `people[major]`.
struct Suspect {
    minor: usize,
    target: String,
    major: Option<usize>,
}

/// One plan per person flagged. A person can be the rarer spelling of several: of the entity
/// sheet, and of several people whose surnames are alike ("Whitfiield" in a story with a
/// Michael, a Grace and an Omar Whitfield). One finding is made for each mention all the
/// same: the sheet's spelling if it is among them, else the spelling the story uses most, its
/// uses counted over every person who has it.
fn choose(people: &[&Entity], mut suspects: Vec<Suspect>) -> Vec<Planned> {
    // In order of the person flagged, then as found (a stable sort).
    suspects.sort_by_key(|s| s.minor);
    let mut plan = Vec::new();
    for group in suspects.chunk_by(|a, b| a.minor == b.minor) {
        let minor = group[0].minor;
        let written = surname(&people[minor].written);
        if let Some(sheet) = group.iter().find(|s| s.major.is_none()) {
            plan.push(Planned {
                minor,
                message: format!(
                    "“{written}” is spelled “{}” in the entity sheet",
                    surname(&sheet.target)
                )
                .into(),
                target: sheet.target.clone(),
            });
            continue;
        }
        // Each spelling's uses, counted once per person, and the first suspect that has it.
        let mut spellings: Vec<(&str, usize, &Suspect)> = Vec::new();
        for s in group {
            let Some(major) = s.major else { continue };
            let spelling = surname(&people[major].written);
            let uses = people[major].mentions.len();
            match spellings.iter_mut().find(|(w, ..)| *w == spelling) {
                Some(entry) => entry.1 += uses,
                None => spellings.push((spelling, uses, s)),
            }
        }
        // The most used spelling; on a tie, the first found.
        let Some(&(spelling, uses, chosen)) =
            spellings.iter().rev().max_by_key(|(_, uses, _)| *uses)
        else {
            continue;
        };
        plan.push(Planned {
            minor,
            target: chosen.target.clone(),
            message: format!(
                "“{written}” looks like a misspelling of “{spelling}” (used {})",
                if uses == 1 {
                    "once".to_string()
                } else {
                    format!("{uses} times")
                }
            )
            .into(),
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::{check, check_with};
    use crate::engine::{Config, analyze};

    /// The kept plan gives the findings a fresh run gives, at the mentions' new places, and
    /// is made again only when a person's name, sheet spelling or number of mentions changes.
    #[test]
    fn a_kept_plan_gives_the_fresh_findings() {
        use super::{Check, NameVariant};
        let story = "Christoph Heusgen spoke on Monday. Heusgen said Russia was isolated. \
                     Heusgan said more.\n\nVolodymyr Zelensky spoke. Zelensky said the talks \
                     failed. Zelenskyy said no more.\n";
        let mut config = Config::default();
        assert!(
            config
                .apply_toml("[[entity]]\nname = \"Anna Keusgen\"\nkind = \"person\"\n")
                .is_empty()
        );
        // (text, whether the plan must be made again)
        let versions = [
            (story.to_string(), true),
            // Text moved: the same people, mentions elsewhere.
            (format!("Talks resumed.\n\n{story}"), false),
            (format!("Talks resumed in Geneva.\n\n{story}"), false),
            // One more mention of the rarer spelling.
            (
                format!("Talks resumed.\n\n{story}Heusgan said goodbye.\n"),
                true,
            ),
            // A near miss of the sheet's spelling appears.
            (
                format!("Talks resumed.\n\n{story}Heusgan said goodbye. Anna Keusgan came.\n"),
                true,
            ),
            (
                format!("Talks resumed!\n\n{story}Heusgan said goodbye. Anna Keusgan came.\n"),
                false,
            ),
            // The variants gone.
            (story.replace("Heusgan", "Heusgen"), true),
        ];
        let mut cache = crate::engine::checks::Cache::default();
        let mut flagged = 0;
        for (n, (text, remade)) in versions.iter().enumerate() {
            let analysis = analyze(text, &config);
            let made = cache.name_variant.made;
            let (mut cached, mut fresh) = (Vec::new(), Vec::new());
            NameVariant.run_cached(&analysis, &mut cache, &mut cached);
            NameVariant.run(&analysis, &mut fresh);
            assert_eq!(cached, fresh, "version {n}");
            assert_eq!(cache.name_variant.made > made, *remade, "version {n}");
            if n == 4 {
                assert!(
                    fresh.iter().any(|f| f.message.contains("entity sheet")),
                    "{fresh:?}"
                );
            }
            flagged += fresh.len();
        }
        assert!(flagged >= 12, "{flagged}");
    }

    /// The name-variant findings of `text`.
    fn name_variants(text: &str) -> Vec<crate::engine::checks::Finding> {
        let a = analyze(text, &Config::default());
        a.findings
            .iter()
            .filter(|f| f.code == "name-variant")
            .cloned()
            .collect()
    }

    #[test]
    fn flags_the_rarer_of_two_spellings() {
        check(
            "name-variant",
            concat!(
                "Christoph Heusgen spoke on Monday. Heusgen said Russia was isolated. Heusgan said more.\n",
                "                                                                     ^^^^^^^ name-variant\n",
            ),
        );
    }

    #[test]
    fn flags_zelenskyy_against_zelensky_and_fixes_to_the_majority() {
        let text =
            "Volodymyr Zelensky spoke. Zelensky said the talks failed. Zelenskyy said no more.";
        let f = name_variants(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].range.of(text), "Zelenskyy");
        assert_eq!(f[0].fixes[0].edits[0].new_text, "Zelensky");
    }

    #[test]
    fn compares_across_other_people_of_the_same_letter() {
        // Other people between the two spellings, some sharing the first letter, do not hide
        // the variant; a surname with another first letter is never a variant.
        check(
            "name-variant",
            concat!(
                "Christoph Heusgen spoke. Maria Hoffmann agreed. Heusgen said more. Karl Heller ",
                "left. Anna Keusgen came. Heusgan said little.\n",
                "                                                                              ",
                "                          ^^^^^^^ name-variant\n",
            ),
        );
    }

    #[test]
    fn one_finding_per_mention_when_several_people_share_the_spelling() {
        // Three Whitfields, and one mention of a surname alone that misspells theirs: one
        // finding, counting every use of the spelling, not one per Whitfield.
        let text = "Michael Whitfield spoke. Grace Whitfield agreed. Omar Whitfield left. \
                    Michael Whitfield came back. Whitfiield said no.";
        let f = name_variants(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].range.of(text), "Whitfiield");
        assert_eq!(
            &*f[0].message,
            "“Whitfiield” looks like a misspelling of “Whitfield” (used 4 times)"
        );
        assert_eq!(f[0].fixes[0].edits[0].new_text, "Whitfield");
    }

    #[test]
    fn the_most_used_of_two_alike_spellings_is_suggested() {
        let text = "Ingrid Moreau spoke. Moreau said yes. Moreau left. Viktor Morreau came. \
                    Moraeu said no.";
        let a = analyze(text, &Config::default());
        let f: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.range.of(text) == "Moraeu")
            .collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            &*f[0].message,
            "“Moraeu” looks like a misspelling of “Moreau” (used 3 times)"
        );
    }

    /// Curly and straight apostrophes, and a plural, are no second spelling of a name.
    #[test]
    fn handles_and_derived_words_are_not_variants() {
        for (a, b) in [
            ("Nolte", "NolteNC"),
            ("Future", "Future45"),
            ("Islam", "Islamic"),
        ] {
            assert!(!super::variants(a, b) && !super::variants(b, a), "{a} {b}");
        }
        assert!(super::variants("Manafort", "Manafortin"));
    }

    #[test]
    fn apostrophes_and_plurals_are_not_variants() {
        assert!(!super::variants("O’Neill", "O'Neill"));
        assert!(!super::variants("Orders", "Order"));
        assert!(!super::variants("Ricans", "Rican"));
        assert!(super::variants("Heusgan", "Heusgen"));
        check(
            "name-variant",
            "NYPD Commissioner James O’Neill spoke. O'Neill said the cause was unclear. \
             O’Neill left.\n",
        );
    }

    #[test]
    fn different_first_names_are_different_people() {
        check(
            "name-variant",
            "Anna Heusgen met Peter Heusgan. Anna Heusgen left.\n",
        );
        // A given name alone is another person than a surname with a given name of its own.
        check(
            "name-variant",
            "Pope Francis said “no.” Francis left. Francis spoke. Massimo Franco, a columnist, \
             said “yes.”\n",
        );
    }

    /// A handle in the text is no misspelling of the name it is made of.
    #[test]
    fn a_handle_is_not_a_variant_in_a_story() {
        check(
            "name-variant",
            "John Nolte wrote it. Nolte said “yes.” Nolte left. Follow him on Twitter @NolteNC.\n",
        );
    }

    #[test]
    fn flags_a_near_miss_of_the_entity_sheet_spelling() {
        let mut config = Config::default();
        assert!(
            config
                .apply_toml("[[entity]]\nname = \"Christoph Heusgen\"\nkind = \"person\"\n")
                .is_empty()
        );
        check_with(
            "name-variant",
            concat!(
                "Christoph Heusgan said Russia was isolated.\n",
                "^^^^^^^^^^^^^^^^^ name-variant\n"
            ),
            &config,
        );
        let text = "Christoph Heusgan said Russia was isolated.";
        let a = analyze(text, &config);
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "name-variant")
            .expect("finding");
        assert_eq!(f.fixes[0].edits[0].new_text, "Christoph Heusgen");
        let e = a
            .entities
            .iter()
            .find(|e| e.kind == crate::engine::EntityKind::Person)
            .expect("person");
        assert_eq!(
            e.name, "Christoph Heusgen",
            "the sheet's name is the canonical one"
        );
    }

    /// Groups are words, not names: a group that speaks is a person entity ("Americans
    /// said"), but its spelling is compared with nobody's (in PolNeAR, "“Americans” looks like
    /// a misspelling of “American”", "“Christians” … of “Christie”").
    #[test]
    fn groups_are_not_names_to_spell() {
        let text = "“We want jobs,” Americans said. Ann Americano agreed. “Yes,” Americans \
                    said. Americano spoke again.";
        let a = analyze(text, &Config::default());
        let kind = |name: &str| a.entities.iter().find(|e| e.name == name).map(|e| e.kind);
        assert_eq!(kind("Americans"), Some(super::EntityKind::Person));
        assert_eq!(kind("Ann Americano"), Some(super::EntityKind::Person));
        assert!(name_variants(text).is_empty(), "{:?}", name_variants(text));
    }
}
