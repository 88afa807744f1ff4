//! Tests of the temporal engine on small texts and the xi-moscow acceptance fixture.

use super::*;
use crate::engine::{Format, analyze_as};

fn cfg(date: Option<&str>) -> Config {
    Config {
        publication_date: date.and_then(crate::engine::config::parse_date),
        ..Config::default()
    }
}

/// (text, type, value) of every timex.
fn timexes(text: &str, date: Option<&str>) -> Vec<(String, &'static str, String)> {
    let a = analyze_as(text, Format::PlainText, &cfg(date));
    a.timexes
        .iter()
        .map(|t| {
            (
                t.range.of(text).to_string(),
                t.kind.as_str(),
                t.value.to_string(),
            )
        })
        .collect()
}

fn one(text: &str, date: &str) -> (String, String) {
    let t = timexes(text, Some(date));
    assert_eq!(t.len(), 1, "{text}: {t:?}");
    (t[0].0.clone(), t[0].2.clone())
}

#[test]
fn smoke() {
    let t = timexes(
        "Xi began a three-day state visit to Russia on Monday.",
        Some("2023-03-20"),
    );
    assert_eq!(
        t,
        vec![
            ("three-day".into(), "DURATION", "P3D".into()),
            ("Monday".into(), "DATE", "2023-03-20".into())
        ]
    );
}

const XI_MD: &str = include_str!("../../../tests/fixtures/xi-moscow.md");
const XI_TXT: &str = include_str!("../../../tests/fixtures/xi-moscow.txt");

/// The byte range of the `n`th (1-based) occurrence of `needle`.
fn nth(text: &str, needle: &str, n: usize) -> TextRange {
    let start = text
        .match_indices(needle)
        .nth(n - 1)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no {needle} #{n}"));
    TextRange::new(start, start + needle.len())
}

/// The timex inside the expected expression (TimeBank extents leave out "on", "since", "until").
fn timex_in(a: &crate::engine::Analysis, r: TextRange) -> &Timex {
    a.timexes
        .iter()
        .find(|t| r.contains_range(t.range))
        .unwrap_or_else(|| panic!("no timex in {r:?}"))
}

#[test]
fn xi_moscow_md_resolves_every_date() {
    let a = crate::engine::analyze(XI_MD, &Config::default());
    let anchor = a.anchor.as_ref().expect("anchor");
    assert_eq!(
        (anchor.date.to_string(), anchor.source),
        ("2023-03-20".to_string(), AnchorSource::FrontMatter)
    );
    let expected = [
        ("on Monday", 1, "2023-03-20"),
        ("last week", 1, "2023-W11"),
        ("on Monday", 2, "2023-03-20"),
        ("Since Friday", 1, "2023-03-17"),
        ("until Wednesday", 1, "2023-03-22"),
        ("Tuesday", 1, "2023-03-21"),
        ("February 24, 2023", 1, "2023-02-24"),
        ("three-day", 1, "P3D"),
        ("three-day", 2, "P3D"),
    ];
    for (text, n, value) in expected {
        let t = timex_in(&a, nth(XI_MD, text, n));
        assert_eq!(t.value, value, "{text} #{n}: {}", t.how);
        assert!(t.resolved);
    }
    // "last week" is inside Heusgen's quote and counts from the day he spoke.
    let lw = timex_in(&a, nth(XI_MD, "last week", 1));
    assert!(lw.how.contains("quotation was spoken"), "{}", lw.how);
    assert!(
        !a.findings
            .iter()
            .any(|f| f.code == "unresolved-relative-date")
    );
}

#[test]
fn xi_moscow_txt_flags_every_relative_date() {
    let a = crate::engine::analyze(XI_TXT, &Config::default());
    assert!(a.anchor.is_none());
    let flagged: Vec<TextRange> = a
        .findings
        .iter()
        .filter(|f| f.code == "unresolved-relative-date")
        .map(|f| f.range)
        .collect();
    for (text, n) in [
        ("on Monday", 1),
        ("last week", 1),
        ("on Monday", 2),
        ("Since Friday", 1),
        ("until Wednesday", 1),
        ("Tuesday", 1),
    ] {
        let r = nth(XI_TXT, text, n);
        assert!(
            flagged.iter().any(|f| r.contains_range(*f)),
            "{text} #{n} not flagged: {flagged:?}"
        );
    }
    assert_eq!(
        flagged.len(),
        6,
        "{:?}",
        flagged.iter().map(|r| r.of(XI_TXT)).collect::<Vec<_>>()
    );
    let fd = timex_in(&a, nth(XI_TXT, "February 24, 2023", 1));
    assert_eq!(fd.value, "2023-02-24");
}

#[test]
fn xi_moscow_txt_undated_events() {
    let a = crate::engine::analyze(XI_TXT, &Config::default());
    let flagged: Vec<TextRange> = a
        .findings
        .iter()
        .filter(|f| f.code == "undated-event")
        .map(|f| f.range)
        .collect();
    let sentence_flagged = |s: &str| {
        let r = nth(XI_TXT, s, 1);
        flagged.iter().any(|f| r.contains_range(*f))
    };
    assert!(sentence_flagged(
        "Ukraine’s foreign ministry called on Xi to use his influence with Putin to push for an end to the war."
    ));
    for s in [
        "Xi began a three-day state visit to Russia on Monday.",
        "said Christoph Heusgen on Monday on ntv",
        "On the first anniversary on February 24, 2023, China published a position paper",
        "Since Friday, Putin has had an arrest warrant issued by the International Criminal Court for war crimes.",
    ] {
        assert!(!sentence_flagged(s), "flagged: {s}");
    }
}

#[test]
fn absolute_dates_in_news_forms() {
    let d = "2023-03-20";
    assert_eq!(
        one("It happened on March 20, 2023.", d),
        ("March 20, 2023".into(), "2023-03-20".into())
    );
    assert_eq!(
        one("It happened on 20 March 2023.", d),
        ("20 March 2023".into(), "2023-03-20".into())
    );
    assert_eq!(
        one("It happened on Sept. 11.", d),
        ("Sept. 11".into(), "2022-09-11".into())
    );
    assert_eq!(
        one("It happened in March 2023.", d),
        ("March 2023".into(), "2023-03".into())
    );
    assert_eq!(
        one("It happened in 2023.", d),
        ("2023".into(), "2023".into())
    );
    assert_eq!(
        one("It happened in the 1990s.", d),
        ("the 1990s".into(), "199".into())
    );
    assert_eq!(
        one("It happened on 2023-03-20.", d),
        ("2023-03-20".into(), "2023-03-20".into())
    );
    assert_eq!(
        one("It happened on 3/20/2023.", d),
        ("3/20/2023".into(), "2023-03-20".into())
    );
    assert_eq!(
        one("It happened on 20.03.2023.", d),
        ("20.03.2023".into(), "2023-03-20".into())
    );
}

#[test]
fn relative_expressions_resolve_against_the_anchor() {
    let d = "2023-03-20"; // a Monday
    assert_eq!(one("He left yesterday.", d).1, "2023-03-19");
    assert_eq!(one("He leaves tomorrow.", d).1, "2023-03-21");
    assert_eq!(one("He said it today.", d).1, "2023-03-20");
    assert_eq!(one("They met last week.", d).1, "2023-W11");
    assert_eq!(one("They meet next month.", d).1, "2023-04");
    assert_eq!(one("Sales rose this year.", d).1, "2023");
    assert_eq!(
        one("He left two days ago.", d),
        ("two days ago".into(), "2023-03-18".into())
    );
    assert_eq!(
        one("Prices rose earlier this month.", d),
        ("earlier this month".into(), "2023-03".into())
    );
    assert_eq!(
        one("He has been here since Friday.", d),
        ("Friday".into(), "2023-03-17".into())
    );
    assert_eq!(
        one("He will stay until Wednesday.", d),
        ("Wednesday".into(), "2023-03-22".into())
    );
    assert_eq!(
        one("Prices fell over the past three years.", d),
        ("the past three years".into(), "P3Y".into())
    );
    assert_eq!(
        one("He met her last Monday.", d),
        ("last Monday".into(), "2023-03-13".into())
    );
    assert_eq!(
        one("He will see her next Monday.", d),
        ("next Monday".into(), "2023-03-27".into())
    );
    assert_eq!(one("Sales rose in the third quarter.", d).1, "2022-Q3");
    assert_eq!(one("It was hot this summer.", d).1, "2023-SU");
    assert_eq!(one("He left at Christmas.", d).1, "2022-12-25");
    assert_eq!(one("He leaves at Christmas.", d).1, "2023-12-25");
}

#[test]
fn times_durations_sets_and_references() {
    let d = "2023-03-20";
    assert_eq!(
        one("They met at 3 p.m.", d),
        ("3 p.m.".into(), "2023-03-20T15:00".into())
    );
    assert_eq!(
        one("They met at 15:30 in Rome.", d),
        ("15:30".into(), "2023-03-20T15:30".into())
    );
    assert_eq!(
        one("They met at noon.", d),
        ("noon".into(), "2023-03-20T12:00".into())
    );
    assert_eq!(
        one("They met at 3:30 p.m. EST in Rome.", d),
        ("3:30 p.m. EST".into(), "2023-03-20T15:30".into())
    );
    assert_eq!(
        one("He stayed for two weeks.", d),
        ("two weeks".into(), "P2W".into())
    );
    assert_eq!(
        one("A two-hour meeting.", d),
        ("two-hour".into(), "PT2H".into())
    );
    assert_eq!(
        one("They meet every Monday.", d),
        ("every Monday".into(), "XXXX-WXX-1".into())
    );
    assert_eq!(
        one("The paper appears weekly.", d),
        ("weekly".into(), "P1W".into())
    );
    assert_eq!(one("The economy is now weak.", d).1, "PRESENT_REF");
    assert_eq!(one("He recently left.", d).1, "PAST_REF");
    assert_eq!(one("He may leave in the future.", d).1, "FUTURE_REF");
    // A six-year-old is an age, not a time.
    assert!(timexes("A six-year-old boy.", Some(d)).is_empty());
}

#[test]
fn without_an_anchor_relative_values_keep_placeholders() {
    let a = analyze_as(
        "They met on Monday and last week.",
        Format::PlainText,
        &cfg(None),
    );
    let got: Vec<_> = a
        .timexes
        .iter()
        .map(|t| (t.value.as_str(), t.relative, t.resolved))
        .collect();
    assert_eq!(
        got,
        vec![("XXXX-WXX-1", true, false), ("XXXX-WXX", true, false)]
    );
}

#[test]
fn dateline_and_header_date_lines_anchor() {
    let a = analyze_as(
        "Tuesday, January 28, 2014\n\nWASHINGTON — The senator spoke on Monday.",
        Format::PlainText,
        &cfg(None),
    );
    let anchor = a.anchor.as_ref().expect("anchor");
    assert_eq!(
        (anchor.date.to_string(), anchor.source),
        ("2014-01-28".into(), AnchorSource::Dateline)
    );
    assert_eq!(
        a.timexes.last().map(|t| t.value.as_str()),
        Some("2014-01-27")
    );
    let a = analyze_as(
        "MOSCOW, March 20, 2023 (Reuters) – Xi arrived on Sunday.",
        Format::PlainText,
        &cfg(None),
    );
    assert_eq!(
        a.anchor.as_ref().map(|x| x.date.to_string()),
        Some("2023-03-20".into())
    );
    let a = analyze_as(
        "MOSCOW, March 20 (Reuters) – Xi arrived on Sunday, a year after the talks of 2022.",
        Format::PlainText,
        &cfg(None),
    );
    assert_eq!(
        a.anchor.as_ref().map(|x| x.date.to_string()),
        Some("2022-03-20".into())
    );
    // The setting wins over the dateline.
    let a = analyze_as(
        "MOSCOW, March 20, 2023 (Reuters) – Xi arrived.",
        Format::PlainText,
        &cfg(Some("2023-03-21")),
    );
    assert_eq!(
        a.anchor.as_ref().map(|x| x.source),
        Some(AnchorSource::Setting)
    );
}

#[test]
fn editor_hints_and_hovers() {
    let text = "---\ndate: 2023-03-20\n---\n\nXi arrived on Monday and stays until Wednesday.\n";
    let a = crate::engine::analyze(text, &Config::default());
    let hints = inlay_hints(&a, TextRange::new(0, text.len()));
    let labels: Vec<_> = hints.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(labels, vec!["‹Mon 20 Mar 2023›", "‹Wed 22 Mar 2023›"]);
    assert_eq!(hints[0].offset, nth(text, "Monday", 1).end);
    let h = hover(&a, text, 0);
    assert!(
        h.contains("`2023-03-20`") && h.contains("front matter") && h.contains("Monday"),
        "{h}"
    );
    let at = nth(text, "2023-03-20", 1).start + 2;
    let ha = hover_anchor(&a, text, at).expect("anchor hover");
    assert!(
        ha.markdown.contains("Monday, 20 March 2023") && ha.markdown.contains("front matter"),
        "{}",
        ha.markdown
    );
    assert!(hover_anchor(&a, text, text.len() - 3).is_none());
}

#[test]
fn arbitrary_text_does_not_panic() {
    for s in [
        "",
        "’s",
        "3/",
        "the",
        "Monday,",
        "a.m.",
        "March 2",
        "20 March",
        "12:",
        "'9",
        "mid-",
        "—",
        "1/2/",
        "the year-",
    ] {
        let _ = analyze_as(s, Format::PlainText, &cfg(Some("2023-03-20")));
        let _ = analyze_as(s, Format::Markdown, &cfg(None));
    }
}

#[test]
fn every_event_verb_passes_the_cheap_prefilter() {
    // events::scan only looks words up that end in "-ed", are irregular past forms, or are
    // "hit"; a verb added to the list that is none of these would never be found.
    for line in include_str!("../data/temporal/event_verbs.txt").lines() {
        let Some(first) = line
            .split_whitespace()
            .next()
            .filter(|w| !line.starts_with('#') && !w.is_empty())
        else {
            continue;
        };
        let ok = first.ends_with("ed")
            || lexicon::classify(first) == lexicon::Lex::PastVerb
            || first == "hit";
        assert!(ok, "{first}");
        // events::scan compares words lower-cased on a 16-byte stack buffer.
        assert!(first.len() <= 16, "{first}");
    }
}

#[test]
fn narrative_references_count_from_the_time_last_mentioned() {
    let d = "2023-03-20";
    let t = timexes(
        "The plant opened in 1995. The following year it closed, and that year prices fell.",
        Some(d),
    );
    let values: Vec<_> = t.iter().map(|x| x.2.as_str()).collect();
    assert_eq!(values, vec!["1995", "1996", "1996"]);
    let t = timexes(
        "The blast came on Friday. It struck at 10:35 a.m. near the embassy.",
        Some(d),
    );
    assert_eq!(
        t[1],
        ("10:35 a.m.".into(), "TIME", "2023-03-17T10:35".into())
    );
    // "three days later" is a duration between two events, "a year earlier" a date.
    assert_eq!(
        one("Three days later the talks resumed.", d),
        ("Three days".into(), "P3D".into())
    );
    assert_eq!(
        one("Sales had risen a year earlier.", d),
        ("a year earlier".into(), "2022".into())
    );
    // A possessive weekday looks back; "as soon as" looks forward.
    assert_eq!(one("Friday's decision stands.", d).1, "2023-03-17");
    assert_eq!(one("He could leave as soon as Friday.", d).1, "2023-03-24");
}

#[test]
fn halves_become_the_next_smaller_unit() {
    let d = "2023-03-20";
    assert_eq!(
        one("He served 2 1/2 years.", d),
        ("2 1/2 years".into(), "P2Y6M".into())
    );
    assert_eq!(
        one("It took a minute and a half.", d),
        ("a minute and a half".into(), "PT1M30S".into())
    );
    assert_eq!(
        one("They talked for 5 1/2 hours.", d),
        ("5 1/2 hours".into(), "PT5H30M".into())
    );
}

#[test]
fn evening_joins_the_value_but_morning_and_night_stay_at_the_day() {
    assert_eq!(
        one("The talks ended on Sunday evening.", "2023-03-22"),
        ("Sunday evening".into(), "2023-03-19TEV".into())
    );
    assert_eq!(
        one("The talks ended on Sunday night.", "2023-03-22"),
        ("Sunday night".into(), "2023-03-19".into())
    );
    assert_eq!(
        one("The talks ended yesterday morning.", "2023-03-22"),
        ("yesterday morning".into(), "2023-03-21".into())
    );
}

/// The hedge does not change the value: the same ISO week as "a week ago".
#[test]
fn hedged_ago_is_a_date() {
    assert_eq!(
        one("The deal was signed a week or so ago.", "2023-03-22"),
        ("a week or so ago".into(), "2023-W11".into())
    );
}

#[test]
fn sentence_opening_now_comma_is_a_discourse_marker() {
    assert!(timexes("Now, he says, it looks different.", Some("2023-03-22")).is_empty());
    assert_eq!(
        one("The fund now holds cash.", "2023-03-22"),
        ("now".into(), "PRESENT_REF".into())
    );
}

#[test]
fn a_year_earlier_counts_from_the_quarter_last_named() {
    let t = timexes(
        "Net income rose in the fiscal first quarter. A year earlier, it fell. The quarter was good.",
        Some("1989-10-26"),
    );
    let values: Vec<&str> = t.iter().map(|t| t.2.as_str()).collect();
    assert_eq!(values, ["1989-Q1", "1988-Q1", "1989-Q1"], "{t:?}");
    // A quarter that has not ended yet is an outlook, not the reported quarter.
    let t = timexes(
        "Net income should rise in the fourth quarter. A year earlier, it fell.",
        Some("1989-10-26"),
    );
    let values: Vec<&str> = t.iter().map(|t| t.2.as_str()).collect();
    assert_eq!(values, ["1989-Q4", "1988-Q3"], "{t:?}");
}

#[test]
fn the_year_period_and_year_ago_quarter_extents() {
    let t = timexes(
        "Profit rose in the fiscal first quarter. In the 1988 period, it fell. \
         The year-ago results were weak. In the year-ago quarter it rose.",
        Some("1989-10-26"),
    );
    let got: Vec<(&str, &str)> = t.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert_eq!(
        got,
        [
            ("the fiscal first quarter", "1989-Q1"),
            ("the 1988 period", "1988-Q1"),
            ("year-ago", "1988-Q1"),
            ("the year-ago quarter", "1988-Q1"),
        ]
    );
}

#[test]
fn in_the_past_is_a_past_reference_whatever_follows() {
    let d = "1989-10-30";
    assert_eq!(
        one("Crane said that in the past it considered a bid.", d),
        ("the past".into(), "PAST_REF".into())
    );
    // Elsewhere "the past" before a noun is an adjective.
    assert!(timexes("He cited the past decision.", Some(d)).is_empty());
}

#[test]
fn current_fiscal_year_and_spelled_decades() {
    let d = "1989-11-02";
    assert_eq!(
        one("Earnings for the current fiscal year will fall.", d),
        ("the current fiscal year".into(), "1989".into())
    );
    assert_eq!(
        one("Hate groups declined through the nineties.", d),
        ("the nineties".into(), "199".into())
    );
}

#[test]
fn halves_of_a_year() {
    let d = "1989-10-26";
    assert_eq!(
        one("Sales slowed in the last half of 1989.", d),
        ("the last half of 1989".into(), "1989-H2".into())
    );
    assert_eq!(
        one(
            "Demand will hold through the first two quarters of 1990.",
            d
        ),
        ("the first two quarters of 1990".into(), "1990-H1".into())
    );
    // Without a year it stays a duration.
    assert_eq!(
        one("Profit rose in the first two quarters.", d),
        ("the first two quarters".into(), "P2Q".into())
    );
    // The last half of a decade is not a half of a year.
    assert!(
        !timexes("It marked the last half of the '80s.", Some(d))
            .iter()
            .any(|t| t.2.contains("-H"))
    );
}

#[test]
fn seasons_with_the_resolve_by_tense() {
    let d = "1989-10-26";
    assert_eq!(
        one("Competitors cut prices over the summer.", d),
        ("the summer".into(), "1989-SU".into())
    );
    assert_eq!(
        one("Orders fell from the low levels of the early summer.", d),
        ("the early summer".into(), "1989-SU".into())
    );
    assert_eq!(
        one("The company scrapped the unit this past spring.", d),
        ("this past spring".into(), "1989-SP".into())
    );
    // A past-tense winter seen from March is the one that began the December before.
    assert_eq!(
        one("Sales fell in the winter.", "1990-03-10"),
        ("the winter".into(), "1989-WI".into())
    );
}

#[test]
fn same_period_last_year_is_the_quarter_a_year_before() {
    let t = timexes(
        "Net rose in the third quarter, from $8 million for the corresponding period last year. \
         Sales for last year's quarter were $3 million. In the 1988 quarter it lost money.",
        Some("1989-11-01"),
    );
    let got: Vec<(&str, &str)> = t.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert_eq!(
        got,
        [
            ("the third quarter", "1989-Q3"),
            ("the corresponding period last year", "1988-Q3"),
            ("last year's quarter", "1988-Q3"),
            ("the 1988 quarter", "1988-Q3"),
        ]
    );
}

#[test]
fn effective_dates_look_forward() {
    let d = "1989-10-26";
    // Past tense, but the change takes effect on the coming Feb. 1.
    assert_eq!(
        one(
            "The bank created an office of the chairman, effective Feb. 1.",
            d
        ),
        ("Feb. 1".into(), "1990-02-01".into())
    );
    assert_eq!(
        one("The bank created an office of the chairman on Feb. 1.", d),
        ("Feb. 1".into(), "1989-02-01".into())
    );
}

#[test]
fn year_end_after_a_preposition_is_the_year() {
    let d = "1989-10-26";
    assert_eq!(
        one("The plan should be in place by year's end.", d),
        ("year's end".into(), "1989".into())
    );
    assert_eq!(
        one("It will cut 6,000 jobs by year end.", d),
        ("year end".into(), "1989".into())
    );
    assert_eq!(
        one("Its year-end target is lower.", d),
        ("year-end".into(), "1989-12-31".into())
    );
}

#[test]
fn uncounted_quarters_are_general_references() {
    let d = "1989-10-30";
    assert_eq!(
        one("Losses have mounted in the past several quarters.", d),
        ("the past several quarters".into(), "PAST_REF".into())
    );
    assert_eq!(
        one("Margins should recover in coming quarters.", d),
        ("coming quarters".into(), "FUTURE_REF".into())
    );
    // Counted quarters stay durations.
    assert_eq!(
        one("Losses have mounted in the past two quarters.", d),
        ("the past two quarters".into(), "P2Q".into())
    );
}

#[test]
fn present_perfect_tells_of_the_past() {
    let d = "1989-10-30";
    // Without the perfect, a bare March seen from October is the nearer, coming one.
    assert_eq!(
        one("The stock has fluctuated since a low in March.", d).1,
        "1989-03"
    );
    assert_eq!(
        one(
            "Investigators have been searching since the Oct. 23 attack.",
            "1999-05-06"
        )
        .1,
        "1998-10-23"
    );
    // A plan nearer the date still looks forward.
    assert_eq!(
        one("A vote has been scheduled for Tuesday.", d).1,
        "1989-10-31"
    );
}

/// The binary searches of the tense pass agree with a linear search, and a long paragraph of
/// many quotations still links each quotation to its own speech date.
#[test]
fn speech_dates_link_in_a_long_paragraph() {
    let one_quote = "“We met last week,” she said on Friday. Talks resumed. ";
    let text = one_quote.repeat(200);
    let a = analyze_as(&text, Format::PlainText, &cfg(Some("2023-03-22")));
    let weeks: Vec<&str> = a
        .timexes
        .iter()
        .filter(|t| t.range.of(&text) == "last week")
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!(weeks.len(), 200);
    // Spoken on Friday 2023-03-17: the week before is ISO week 10 (from the publication date
    // it would be week 11).
    assert!(weeks.iter().all(|v| *v == "2023-W10"), "{weeks:?}");
}

#[test]
fn the_week_of_a_day_is_its_iso_week() {
    let d = "2000-02-24";
    assert_eq!(
        one(
            "The case may be resolved at a hearing the week of March 6.",
            d
        ),
        ("the week of March 6".into(), "2000-W10".into())
    );
    // Without an anchor the week keeps its placeholder.
    let t = timexes("A hearing is set for the week of March 6.", None);
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0].2, "XXXX-WXX");
}

#[test]
fn the_day_next_to_a_day() {
    let d = "2000-02-24";
    assert_eq!(
        one(
            "The day before last Tuesday's hearing, he flew to Miami.",
            d
        ),
        ("The day before last Tuesday".into(), "2000-02-21".into())
    );
    assert_eq!(
        one("Shops reopened the day after Christmas.", "2023-12-30"),
        ("the day after Christmas".into(), "2023-12-26".into())
    );
    // A long chain of "the day before" neither recurses nor panics.
    let chain = "the day before ".repeat(5_000) + "Tuesday.";
    let _ = timexes(&chain, Some(d));
}

/// Every paragraph's scan is cached while its text is unchanged: keep the cached expressions
/// small (the flaw is boxed, the speech index a u32).
#[test]
fn cached_expressions_stay_compact() {
    assert!(std::mem::size_of::<super::recognise::RawTimex>() <= 168);
}

/// The document stage reuses a paragraph's resolved expressions only while the anchor and what
/// the paragraph reads from the paragraphs before it (the day, time and quarter last mentioned,
/// whether the story talks about quarters) are unchanged: edits that change each of them give
/// what a fresh analysis gives.
#[test]
fn reused_resolutions_equal_fresh_ones_after_context_edits() {
    use crate::engine::Analyzer;
    let base = "---\ndate: 2023-03-20\n---\n\nThe board met on March 3. It voted at 10 p.m.\n\nTalks resumed at 8 p.m.\n\nProfits fell a year earlier.\n\n\
                The quarter ended badly. A year earlier, sales rose.\n\n\
                He left that day and returned the following year.\n\n\
                “We met on Friday,” she said on Monday.\n\nRevenue rose in the first quarter.\n\n\
                The quarter was strong; a year earlier it was weak. At 9 a.m. they spoke.\n";
    let edits: [(&str, &str); 9] = [
        ("at 8 p.m.", "at 8 p.m. Sales fell for three quarters."),
        ("date: 2023-03-20", "date: 2024-11-02"),
        ("March 3", "June 30, 2019"),
        ("The board met on June 30, 2019. ", ""),
        (
            "The quarter ended badly.",
            "The fiscal second quarter ended badly.",
        ),
        ("He left that day", "He left on May 5, 2001,"),
        ("first quarter", "third quarter of 1998"),
        ("---\ndate: 2024-11-02\n---\n\n", ""),
        ("on Monday", "on Tuesday"),
    ];
    let config = cfg(None);
    let render = |a: &crate::engine::Analysis| format!("{:?}\n{:?}", a.timexes, a.events);
    let mut analyzer = Analyzer::default();
    let mut text = base.to_string();
    analyzer.analyze(&text, Format::Markdown, &config);
    for (k, (from, to)) in edits.iter().enumerate() {
        assert!(text.contains(from), "edit {k}: {from:?} not in {text:?}");
        text = text.replacen(from, to, 1);
        let cached = analyzer.analyze(&text, Format::Markdown, &config);
        let fresh = analyze_as(&text, Format::Markdown, &config);
        assert_eq!(
            render(&cached),
            render(&fresh),
            "after edit {k} ({from:?} → {to:?})"
        );
        // And once more with nothing changed: every resolution is reused.
        let again = analyzer.analyze(&text, Format::Markdown, &config);
        assert_eq!(render(&again), render(&fresh), "after edit {k}, again");
    }
}

/// The quoted-token flags are those of the tokens lying wholly inside a quotation, also for a
/// span that ends inside a token.
#[test]
fn quoted_tokens_lie_wholly_inside() {
    use super::lexicon::{Tokens, tokenize_into};
    use super::tense::{quote_spans, quoted_tokens};
    let text = "He said “we met on Monday” and \"left\" today.";
    let mut tokens = Tokens::default();
    tokenize_into(text, &mut tokens);
    let toks = &tokens.toks;
    let naive = |quotes: &[TextRange]| -> Vec<bool> {
        toks.iter()
            .map(|t| quotes.iter().any(|q| q.start <= t.start && t.end <= q.end))
            .collect()
    };
    let quotes = quote_spans(&tokens);
    assert_eq!(quotes.len(), 2);
    assert_eq!(quoted_tokens(toks, &quotes), naive(&quotes));
    // A span ending inside "Monday" leaves it out.
    let partial = [TextRange::new(quotes[0].start, quotes[0].end - 6)];
    let flags = quoted_tokens(toks, &partial);
    assert_eq!(flags, naive(&partial));
    assert_eq!(flags.iter().filter(|f| **f).count(), 4);
}

/// After typing-like edits anywhere in a story (dates, weekdays, "yesterday", times, years,
/// quarters and the words that count from them typed in, characters and words deleted), an
/// [`crate::engine::Analyzer`] that carries the previous resolution over gives exactly the
/// expressions and events of a fresh analysis; and it does carry it over, resolving few
/// paragraphs again (the test would prove nothing otherwise).
#[test]
fn carried_over_resolution_equals_a_fresh_one_after_typing() {
    use crate::engine::Analyzer;
    use crate::generate::{Options, Rng, Typing, Typist, manuscript};
    let typed: &[&str] = &[
        "x",
        " ",
        "1",
        "9",
        ".",
        ", ",
        "\n\n",
        "on Monday ",
        "Tuesday",
        "T",
        "yesterday ",
        "Yesterday, ",
        " at 10 p.m.",
        " at 9:30 a.m. ",
        "March 3",
        "March 3, 2019",
        "June 30, 2019, ",
        " 2019",
        "in 1998 ",
        "last week ",
        "three days ago ",
        "that day ",
        "the following year ",
        "the previous Friday ",
        "in the first quarter ",
        "the fiscal second quarter ",
        "the quarter ",
        "a year earlier ",
        "the 1998 period ",
        "“We met on Friday,” she said on Monday. ",
    ];
    let mut rng = Rng::new(23);
    let (mut carried, mut steps, mut few, mut changed) = (0, 0, 0, 0);
    for round in 0..8u64 {
        let markdown = round % 2 == 0;
        let opts = Options {
            seed: 700 + round,
            size: 6_000,
            markdown,
            ascii: round % 3 == 1,
        };
        let (format, mut text) = (opts.format(), manuscript(&opts));
        // Plain text resolves against a setting every other round, else its dateline (if any).
        let config = if round % 4 == 1 {
            cfg(Some("2023-03-20"))
        } else {
            cfg(None)
        };
        let mut analyzer = Analyzer::default();
        let first = analyzer.analyze(&text, format, &config);
        assert!(
            first.timexes.len() > 10,
            "round {round}: {} expressions",
            first.timexes.len()
        );
        let mut previous = first.timexes;
        let mut typist = Typist::new(
            &mut rng,
            &text,
            Typing {
                jump_one_in: 5,
                choices: 12,
                deletes: 3,
                max_delete: 14,
                delete_names: false,
                typed,
            },
        );
        for step in 0..30 {
            typist.step(&mut rng, &mut text);
            let before = analyzer.temporal.carried;
            let cached = analyzer.analyze(&text, format, &config);
            let reused = analyzer.temporal.carried > before;
            carried += usize::from(reused);
            few += usize::from(reused && analyzer.temporal.resolved * 4 < cached.paragraphs.len());
            steps += 1;
            let fresh = analyze_as(&text, format, &config);
            let context = || format!("round {round} step {step} at {}: {text:?}", typist.at);
            assert_eq!(cached.timexes, fresh.timexes, "{}", context());
            assert_eq!(cached.events, fresh.events, "{}", context());
            assert_eq!(format!("{cached:?}"), format!("{fresh:?}"), "{}", context());
            // Count the edits that changed some expression's value or explanation.
            let values = |ts: &[Timex]| -> Vec<(String, String)> {
                ts.iter()
                    .map(|t| (t.value.to_string(), t.how.to_string()))
                    .collect()
            };
            changed += usize::from(values(&previous) != values(&cached.timexes));
            previous = cached.timexes;
        }
    }
    assert!(
        carried * 4 >= steps * 3,
        "resolution carried over in {carried} of {steps} edits"
    );
    assert!(
        few * 2 >= steps,
        "few paragraphs resolved again in only {few} of {steps} edits"
    );
    assert!(
        changed * 5 >= steps,
        "only {changed} of {steps} edits changed an expression"
    );
}

/// Analyses `versions` one after another through one [`crate::engine::Analyzer`] (plain text,
/// publication date `date`); checks each against a fresh analysis and returns, for each after
/// the first, whether the previous resolution was carried over and how many paragraphs were
/// resolved again, with the values of its expressions.
fn carry_over_steps(versions: &[&str], date: &str) -> Vec<(bool, usize, Vec<String>)> {
    let config = cfg(Some(date));
    let mut analyzer = crate::engine::Analyzer::default();
    let _ = analyzer.analyze(versions[0], Format::PlainText, &config);
    versions[1..]
        .iter()
        .enumerate()
        .map(|(k, text)| {
            let before = analyzer.temporal.carried;
            let cached = analyzer.analyze(text, Format::PlainText, &config);
            let fresh = analyze_as(text, Format::PlainText, &config);
            assert_eq!(cached.timexes, fresh.timexes, "version {}", k + 1);
            assert_eq!(cached.events, fresh.events, "version {}", k + 1);
            let values = cached.timexes.iter().map(|t| t.value.to_string()).collect();
            (
                analyzer.temporal.carried > before,
                analyzer.temporal.resolved,
                values,
            )
        })
        .collect()
}

/// The stopping rule for the day and time last mentioned: after a changed date, the
/// paragraphs that read it are resolved again until a paragraph mentions another; one that
/// reads nothing of it keeps its resolution; an edit away from every date resolves only the
/// changed paragraph.
#[test]
fn carry_over_stops_where_the_day_last_mentioned_is_the_same_again() {
    let v0 = "The board met on March 3.\n\nIt voted at 10 p.m.\n\nNothing more happened.\n\n\
              They met again on June 5.\n\nIt ended at 9 p.m.\n\nThe end.\n";
    let v1 = v0.replace("March 3", "March 4");
    let v2 = v1.replace("Nothing more", "Nothing much more");
    let v3 = v2.replace("The end.", "The end!");
    let v4 = v3.replace("It ended at", "It ended well at");
    let v5 = v4.replace("March 4", "March 4 or so");
    let steps = carry_over_steps(&[v0, &v1, &v2, &v3, &v4, &v5], "2023-03-20");
    let summary: Vec<(bool, usize)> = steps.iter().map(|(c, r, _)| (*c, *r)).collect();
    assert_eq!(
        summary,
        [
            // The date, and the time that reads it; "June 5" reads nothing of it.
            (true, 2),
            // No expression: the carry after it is as before.
            (true, 1),
            (true, 1),
            // "9 p.m." is in the changed paragraph; the one after reads nothing.
            (true, 1),
            // The same day with the same words: nothing after it changes.
            (true, 1),
        ]
    );
    // The time read the new day.
    assert_eq!(steps[0].2[1], "2023-03-04T22:00");
    assert_eq!(steps[0].2[3], "2022-06-05T21:00");
}

/// The stopping rule for quarters: once a paragraph talks about quarters, every expression
/// after it is resolved again (and again when it stops); the quarter last named is carried
/// over to an edit after it, so such an edit resolves only its own paragraph.
#[test]
fn carry_over_follows_the_quarters_a_story_talks_about() {
    let v0 = "Revenue rose.\n\nSales fell a year earlier.\n\nThe vote was close.\n\n\
              Profit rose a year earlier.\n";
    let v1 = v0.replace("Revenue rose.", "Revenue rose in the fiscal first quarter.");
    let v2 = v1.replace("Profit rose", "Profit rose sharply");
    let v3 = v2.replace("The vote was close.", "The vote was very close.");
    let v4 = v3.replace(" in the fiscal first quarter", "");
    let v5 = v4.replace("Profit rose sharply", "Profit rose");
    let steps = carry_over_steps(&[v0, &v1, &v2, &v3, &v4, &v5], "2023-06-20");
    let summary: Vec<(bool, usize)> = steps.iter().map(|(c, r, _)| (*c, *r)).collect();
    assert_eq!(
        summary,
        [(true, 3), (true, 1), (true, 1), (true, 3), (true, 1)]
    );
    // "a year earlier" counts from the quarter named, and only while there is one.
    assert_eq!(steps[0].2, ["2023-Q1", "2022-Q1", "2022-Q1"]);
    assert_eq!(steps[2].2, ["2023-Q1", "2022-Q1", "2022-Q1"]);
    assert_eq!(steps[3].2, ["2022", "2022"]);
}

/// A new publication date resolves everything again; the next edit carries over again.
#[test]
fn a_new_anchor_resolves_every_paragraph() {
    let config = cfg(None);
    let v0 = "---\ndate: 2023-03-20\n---\n\nThey met on Monday.\n\nThe vote was close.\n\nIt ended yesterday.\n";
    let v1 = v0.replace("2023-03-20", "2023-03-27");
    let v2 = v1.replace("was close", "was tight");
    let mut analyzer = crate::engine::Analyzer::default();
    let _ = analyzer.analyze(v0, Format::Markdown, &config);
    for (k, (text, carried)) in [(&v1, false), (&v2, true)].into_iter().enumerate() {
        let before = analyzer.temporal.carried;
        let cached = analyzer.analyze(text, Format::Markdown, &config);
        let fresh = analyze_as(text, Format::Markdown, &config);
        assert_eq!(cached.timexes, fresh.timexes, "version {}", k + 1);
        assert_eq!(
            analyzer.temporal.carried > before,
            carried,
            "version {}",
            k + 1
        );
        let expected = if carried { 1 } else { cached.paragraphs.len() };
        assert_eq!(analyzer.temporal.resolved, expected, "version {}", k + 1);
        assert_eq!(cached.timexes[0].value.as_str(), "2023-03-27");
    }
}
