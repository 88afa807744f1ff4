//! Acceptance: the xi-moscow article, read as a careful copy editor would, against
//! `tests/fixtures/xi-moscow.expected.json`.
//!
//! Every expectation comes from that JSON; nothing here restates its answers. Each aspect is its
//! own test so that a failure names what is missing. `xi-moscow.md` has the publication date in
//! its front matter; `xi-moscow.txt` is the same story with no date at all.

use copydesk::engine::entities::MentionForm;
use copydesk::engine::quotes::QuoteKind;
use copydesk::engine::{self, Analysis, Config, Format, TextRange, navigation};
use serde_json::Value;

const MD: &str = include_str!("fixtures/xi-moscow.md");
const TXT: &str = include_str!("fixtures/xi-moscow.txt");
const EXPECTED: &str = include_str!("fixtures/xi-moscow.expected.json");

fn expected() -> &'static Value {
    static PARSED: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(EXPECTED).expect("xi-moscow.expected.json is JSON"))
}

/// Analyses one version of the story, read as the CLI reads a file of that name.
fn analyse(name: &str, text: &str) -> Analysis {
    let format: Format = copydesk::cli::format_for_path(std::path::Path::new(name));
    engine::analyze_as(text, format, &Config::default())
}

/// Both versions of the story, with a name for messages.
fn both() -> [(&'static str, &'static str); 2] {
    [("xi-moscow.txt", TXT), ("xi-moscow.md", MD)]
}

fn str_of(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string in the JSON, found {v}"))
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().map_or(&[], Vec::as_slice)
}

/// The `n`th (1-based) occurrence of `needle` in `text`.
fn occurrence(text: &str, needle: &str, n: usize) -> TextRange {
    let start = text
        .match_indices(needle)
        .nth(n.saturating_sub(1))
        .unwrap_or_else(|| panic!("occurrence {n} of {needle:?} is not in the text"))
        .0;
    TextRange::new(start, start + needle.len())
}

fn occurrence_of(item: &Value, text: &str) -> TextRange {
    let n = item["occurrence"].as_u64().unwrap_or(1) as usize;
    occurrence(text, str_of(&item["text"]), n)
}

/// The quotations found, by their exact text.
fn quote_texts<'a>(a: &Analysis, text: &'a str) -> Vec<&'a str> {
    a.quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::NotAQuote)
        .map(|q| q.range.of(text))
        .collect()
}

fn assert_quotes_exactly(name: &str, text: &str) {
    let want: Vec<&str> = list(expected(), "quotes")
        .iter()
        .map(|q| str_of(&q["text"]))
        .collect();
    let got = quote_texts(&analyse(name, text), text);
    assert_eq!(
        got,
        want,
        "{name}: the quotations found differ from the {} listed",
        want.len()
    );
}

#[test]
fn exactly_the_listed_quotations_in_the_txt() {
    assert_quotes_exactly("xi-moscow.txt", TXT);
}

#[test]
fn exactly_the_listed_quotations_in_the_md() {
    assert_quotes_exactly("xi-moscow.md", MD);
}

fn assert_no_finding(code: &str) {
    for (name, text) in both() {
        let a = analyse(name, text);
        let bad: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.range.of(text))
            .collect();
        assert!(bad.is_empty(), "{name}: unexpected {code} at {bad:?}");
    }
}

#[test]
fn no_unbalanced_quote() {
    assert_no_finding("unbalanced-quote");
}

#[test]
fn no_unattributed_quote() {
    assert_no_finding("unattributed-quote");
    assert!(
        list(expected(), "unattributed_quotes").is_empty(),
        "the JSON lists no unattributed quote"
    );
}

#[test]
fn every_quotation_has_the_listed_speaker() {
    for (name, text) in both() {
        let a = analyse(name, text);
        let mut problems = Vec::new();
        let mut seen = std::collections::HashMap::<&str, usize>::new();
        for q in list(expected(), "quotes") {
            let quote = str_of(&q["text"]);
            let n = seen.entry(quote).or_default();
            *n += 1;
            let at = occurrence(text, quote, *n);
            let speaker = str_of(&q["speaker"]);
            match a.quotes.iter().find(|x| x.range == at) {
                None => problems.push(format!("{quote}: not found as a quotation")),
                Some(x) => {
                    let got = x.speaker.as_ref().map(|s| s.name.as_str());
                    if got != Some(speaker) {
                        problems.push(format!(
                            "{quote}: speaker {got:?}, expected {speaker:?} ({})",
                            str_of(&q["how"])
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn publication_date_comes_from_the_front_matter() {
    let want = str_of(&expected()["publication_date"]).to_string();
    let md = analyse("xi-moscow.md", MD);
    assert_eq!(md.anchor.map(|a| a.date.to_string()), Some(want));
    assert_eq!(
        analyse("xi-moscow.txt", TXT).anchor,
        None,
        "xi-moscow.txt has no publication date"
    );
}

/// Asserts that a timex overlapping each listed expression has the listed value.
fn assert_timex_values(name: &str, text: &str, key: &str, kind: Option<&str>) {
    let a = analyse(name, text);
    let mut problems = Vec::new();
    for item in list(expected(), key) {
        let at = occurrence_of(item, text);
        let value = str_of(&item["value"]);
        let over: Vec<_> = a.timexes.iter().filter(|t| t.range.overlaps(at)).collect();
        let ok = over
            .iter()
            .any(|t| t.value == value && kind.is_none_or(|k| t.kind.as_str() == k));
        if !ok {
            let got: Vec<_> = over
                .iter()
                .map(|t| format!("{:?} {} {}", t.range.of(text), t.kind.as_str(), t.value))
                .collect();
            problems.push(format!(
                "{:?} at {}..{}: expected {value}, found {got:?}",
                at.of(text),
                at.start,
                at.end
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{name} {key}:\n{}",
        problems.join("\n")
    );
}

#[test]
fn relative_dates_resolve_against_the_publication_date() {
    assert_timex_values("xi-moscow.md", MD, "relative_dates", None);
}

#[test]
fn relative_dates_are_unresolved_without_a_publication_date() {
    let a = analyse("xi-moscow.txt", TXT);
    let mut missing = Vec::new();
    for item in list(expected(), "relative_dates") {
        let at = occurrence_of(item, TXT);
        if !a
            .findings
            .iter()
            .any(|f| f.code == "unresolved-relative-date" && f.range.overlaps(at))
        {
            missing.push(format!("{:?} at {}..{}", at.of(TXT), at.start, at.end));
        }
    }
    assert!(
        missing.is_empty(),
        "xi-moscow.txt: no unresolved-relative-date on:\n{}",
        missing.join("\n")
    );
}

#[test]
fn absolute_dates_have_their_values() {
    for (name, text) in both() {
        assert_timex_values(name, text, "absolute_dates", Some("DATE"));
    }
}

#[test]
fn durations_have_their_values() {
    for (name, text) in both() {
        assert_timex_values(name, text, "durations", Some("DURATION"));
    }
}

/// The `undated-event` findings inside `sentence`.
fn undated_in(a: &Analysis, text: &str, sentence: &str) -> usize {
    let at = occurrence(text, sentence, 1);
    a.findings
        .iter()
        .filter(|f| f.code == "undated-event" && at.contains_range(f.range))
        .count()
}

#[test]
fn undated_events_that_must_be_flagged() {
    let a = analyse("xi-moscow.txt", TXT);
    let events = &expected()["undated_events"];
    let missing: Vec<&str> = list(events, "must_flag")
        .iter()
        .map(str_of)
        .filter(|s| undated_in(&a, TXT, s) == 0)
        .collect();
    assert!(
        missing.is_empty(),
        "xi-moscow.txt: no undated-event in:\n{}",
        missing.join("\n")
    );
}

#[test]
fn dated_events_that_must_not_be_flagged() {
    let a = analyse("xi-moscow.txt", TXT);
    let events = &expected()["undated_events"];
    let wrong: Vec<&str> = list(events, "must_not_flag")
        .iter()
        .map(str_of)
        .filter(|s| undated_in(&a, TXT, s) > 0)
        .collect();
    assert!(
        wrong.is_empty(),
        "xi-moscow.txt: undated-event wrongly in:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn vague_source_is_flagged() {
    for (name, text) in both() {
        let a = analyse(name, text);
        for item in list(expected(), "vague_sources") {
            let at = occurrence(text, str_of(&item["text"]), 1);
            assert!(
                a.findings
                    .iter()
                    .any(|f| f.code == "vague-source" && f.range.overlaps(at)),
                "{name}: no vague-source on {:?}",
                at.of(text)
            );
        }
    }
}

/// The analysed entity the JSON entry names, or a panic listing the entities found.
fn entity<'a>(name: &str, a: &'a Analysis, item: &Value) -> &'a engine::entities::Entity {
    let want = str_of(&item["name"]);
    a.entities
        .iter()
        .find(|e| e.name == want)
        .unwrap_or_else(|| {
            let names: Vec<_> = a.entities.iter().map(|e| e.name.as_str()).collect();
            panic!("{name}: no entity named {want:?}; found {names:?}")
        })
}

/// Runs `check` on every listed entity that has `key`, in both files.
fn for_entities(
    key: &str,
    check: impl Fn(&str, &str, &engine::entities::Entity, &Value) -> Option<String>,
) {
    for (name, text) in both() {
        let a = analyse(name, text);
        let problems: Vec<String> = list(expected(), "entities")
            .iter()
            .filter(|item| !item[key].is_null())
            .filter_map(|item| check(name, text, entity(name, &a, item), item))
            .collect();
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn entities_have_their_kinds() {
    for_entities("kind", |_, _, e, item| {
        let want = str_of(&item["kind"]);
        (e.kind.as_str() != want)
            .then(|| format!("{}: kind {}, expected {want}", e.name, e.kind.as_str()))
    });
}

#[test]
fn entities_have_their_roles() {
    for_entities("role", |_, _, e, item| {
        let want = str_of(&item["role"]);
        (e.role.as_deref() != Some(want))
            .then(|| format!("{}: role {:?}, expected {want:?}", e.name, e.role))
    });
}

/// Whether a mention at `range` names the listed `form`. It does when its words are the form,
/// or when it is a full-name mention whose words are the form with a title before it: the
/// engine's contract for [`MentionForm::FullName`] ("the full name, possibly with a title before
/// it"), so "Russian President Vladimir Putin" names the form "Vladimir Putin".
fn names_form(a: &Analysis, text: &str, range: TextRange, form: &str) -> bool {
    let words = range.of(text);
    words == form
        || (words.ends_with(&format!(" {form}"))
            && a.entities
                .iter()
                .flat_map(|e| &e.mentions)
                .any(|m| m.range == range && m.form == MentionForm::FullName))
}

#[test]
fn entities_have_their_mentions() {
    for (name, text) in both() {
        let a = analyse(name, text);
        let mut problems = Vec::new();
        for item in list(expected(), "entities")
            .iter()
            .filter(|i| !i["mentions"].is_null())
        {
            let e = entity(name, &a, item);
            let missing: Vec<&str> = list(item, "mentions")
                .iter()
                .map(str_of)
                .filter(|form| {
                    !e.mentions
                        .iter()
                        .any(|m| names_form(&a, text, m.range, form))
                })
                .collect();
            if !missing.is_empty() {
                let got: Vec<&str> = e.mentions.iter().map(|m| m.range.of(text)).collect();
                problems.push(format!(
                    "{}: no mention {missing:?}; mentions are {got:?}",
                    e.name
                ));
            }
        }
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn entities_are_introduced_where_the_story_introduces_them() {
    for_entities("introduced_by", |_, text, e, item| {
        let intro = occurrence(text, str_of(&item["introduced_by"]), 1);
        let got = e.mentions.get(e.introduced).map(|m| m.range);
        (!got.is_some_and(|r| intro.contains_range(r))).then(|| {
            format!(
                "{}: introduced by {:?}, expected within {:?}",
                e.name,
                got.map(|r| r.of(text)),
                intro.of(text)
            )
        })
    });
}

#[test]
fn entities_have_their_quote_counts() {
    for_entities("quotes", |_, _, e, item| {
        let want = item["quotes"].as_u64().unwrap_or_default() as usize;
        (e.quotes.len() != want)
            .then(|| format!("{}: {} quotes, expected {want}", e.name, e.quotes.len()))
    });
}

/// Where a navigation expectation points: `WORD in 'CONTEXT ...'` is the first character of
/// WORD inside the first occurrence of CONTEXT.
fn navigation_offset(text: &str, at: &str) -> usize {
    let (word, context) = at
        .split_once(" in '")
        .unwrap_or_else(|| panic!("cannot read navigation point {at:?}"));
    let context = context
        .trim_end_matches('\'')
        .trim_end_matches("...")
        .trim_end();
    let ctx = occurrence(text, context, 1);
    let within = context
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} is not in {context:?}"));
    ctx.start + within
}

/// The text a definition is expected to land in: the first occurrence of the named words
/// (a trailing parenthetical remark is not part of them).
fn definition_target(text: &str, target: &str) -> TextRange {
    let words = target.split(" (").next().unwrap_or(target).trim();
    occurrence(text, words, 1)
}

fn for_navigation(key: &str, check: impl Fn(&str, &Analysis, usize, &Value) -> Option<String>) {
    for (name, text) in both() {
        let a = analyse(name, text);
        let problems: Vec<String> = list(expected(), "navigation")
            .iter()
            .filter(|item| !item[key].is_null())
            .filter_map(|item| {
                let at = str_of(&item["at"]);
                check(text, &a, navigation_offset(text, at), item).map(|p| format!("at {at}: {p}"))
            })
            .collect();
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn hover_shows_the_listed_facts() {
    for_navigation("hover_shows", |text, a, offset, item| {
        let hover = navigation::hover(a, text, offset)
            .map(|h| h.markdown)
            .unwrap_or_default();
        let missing: Vec<&str> = list(item, "hover_shows")
            .iter()
            .map(str_of)
            .filter(|s| !hover.contains(s))
            .collect();
        (!missing.is_empty()).then(|| format!("hover lacks {missing:?}; it shows:\n{hover}"))
    });
}

#[test]
fn definition_goes_to_the_introduction() {
    for_navigation("definition_goes_to", |text, a, offset, item| {
        let target = definition_target(text, str_of(&item["definition_goes_to"]));
        let got = navigation::definition(a, offset);
        (!got.is_some_and(|r| target.contains_range(r) && !r.is_empty())).then(|| {
            format!(
                "definition is {:?}, expected within {:?}",
                got.map(|r| r.of(text)),
                target.of(text)
            )
        })
    });
}

#[test]
fn references_include_the_listed_mentions() {
    for_navigation("references_include", |text, a, offset, item| {
        let refs = navigation::references(a, offset, true);
        let missing: Vec<&str> = list(item, "references_include")
            .iter()
            .map(str_of)
            .filter(|form| !refs.iter().any(|r| names_form(a, text, *r, form)))
            .collect();
        let got: Vec<&str> = refs.iter().map(|r| r.of(text)).collect();
        (!missing.is_empty()).then(|| format!("references lack {missing:?}; they are {got:?}"))
    });
}
