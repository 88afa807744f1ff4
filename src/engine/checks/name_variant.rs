//! `name-variant`: two spellings of what is probably one person's name, or a spelling that
//! differs from the entity sheet's preferred one.

use rustc_hash::FxHashMap;

use strsim::jaro_winkler;

use super::{Check, CheckMeta, Edit, Finding, Fix, Severity};
use crate::engine::Analysis;
use crate::engine::config::EntityKind;
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
changes it to the sheet's spelling.

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
        && jaro_winkler(a, b) >= SIMILAR
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
        let people: Vec<&Entity> = analysis
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .collect();
        // The spelling a mention uses: the entity's name as written, or its last word.
        let mention_text = |e: &Entity, i: usize| -> String {
            let m = &e.mentions[i];
            match m.form {
                MentionForm::Surname => surname(&e.written).to_string(),
                _ => e.written.clone(),
            }
        };
        let mut push = |e: &Entity, from: &str, to_full: &str, why: String| {
            for (i, edit) in respell(&mention_text, e, to_full) {
                let m = &e.mentions[i];
                out.push(Finding {
                    code: META.code,
                    severity: META.default_severity,
                    range: m.name,
                    message: format!("“{from}” {why}").into(),
                    fixes: vec![Fix {
                        title: format!("Spell it “{}”", edit.new_text),
                        edits: vec![edit],
                    }],
                });
            }
        };
        // Each person's surname, its length in characters and its first letter, computed once.
        // Two surnames can only be variants when their first letters agree, so each person is
        // compared only with the later people of its letter's bucket, and Jaro-Winkler runs once
        // per distinct pair of spellings (a long manuscript repeats its names).
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
            let id = first.filter(|_| len >= 4).map(|c| {
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
                    if lx.abs_diff(ly) > 2 {
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
            if let Some(sheet) = &a.sheet {
                let preferred = sheet.preferred.as_deref().unwrap_or(&sheet.name);
                if variants(surname(&a.written), surname(preferred)) {
                    push(
                        a,
                        surname(&a.written),
                        preferred,
                        format!("is spelled “{}” in the entity sheet", surname(preferred)),
                    );
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
                // The rarer spelling is the suspect; on a tie, the later one.
                let (minor, major) = if a.mentions.len() > b.mentions.len() {
                    (b, a)
                } else if b.mentions.len() > a.mentions.len() {
                    (a, b)
                } else {
                    (b, a)
                };
                if minor.sheet.is_some() {
                    continue;
                }
                let target = if first_name(&minor.written).is_some()
                    && first_name(&major.written).is_none()
                {
                    format!(
                        "{} {}",
                        first_name(&minor.written).unwrap_or(""),
                        surname(&major.written)
                    )
                } else {
                    major.written.clone()
                };
                push(
                    minor,
                    surname(&minor.written),
                    &target,
                    format!(
                        "looks like a misspelling of “{}” (used {} times)",
                        surname(&major.written),
                        major.mentions.len()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::{check, check_with};
    use crate::engine::{Config, analyze};

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
        let a = analyze(text, &Config::default());
        let f: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.code == "name-variant")
            .collect();
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
    fn different_first_names_are_different_people() {
        check(
            "name-variant",
            "Anna Heusgen met Peter Heusgan. Anna Heusgen left.\n",
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
}
