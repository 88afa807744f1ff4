//! Engine tests of the quotation module: attribution patterns on small inline texts, and the
//! xi-moscow acceptance article against its expected quotes.

use crate::engine::quotes::{QuoteKind, SourceKind, SpeakerClass};
use crate::engine::{Analysis, Config, analyze};

fn run(text: &str) -> Analysis {
    analyze(text, &Config::default())
}

/// (quote text, speaker name, speaker words) for every quotation that is not `NotAQuote`.
fn quotes(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
    run(text)
        .quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::NotAQuote)
        .map(|q| {
            (
                q.range.of(text).to_string(),
                q.speaker.as_ref().map(|s| s.name.to_string()),
                q.speaker.as_ref().map(|s| s.mention.of(text).to_string()),
            )
        })
        .collect()
}

fn speakers(text: &str) -> Vec<Option<String>> {
    quotes(text).into_iter().map(|q| q.1).collect()
}

#[test]
fn xi_moscow_acceptance() {
    let text = include_str!("../../../tests/fixtures/xi-moscow.txt");
    let expected: serde_json::Value = serde_json::from_str(include_str!(
        "../../../tests/fixtures/xi-moscow.expected.json"
    ))
    .expect("fixture is JSON");
    let want: Vec<(String, Option<String>)> = expected["quotes"]
        .as_array()
        .expect("quotes")
        .iter()
        .map(|q| {
            (
                q["text"].as_str().unwrap_or("").to_string(),
                q["speaker"].as_str().map(str::to_string),
            )
        })
        .collect();
    let got: Vec<(String, Option<String>)> =
        quotes(text).into_iter().map(|(t, s, _)| (t, s)).collect();
    assert_eq!(got, want);
    let a = run(text);
    let vague: Vec<&str> = a
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Vague)
        .map(|s| s.range.of(text))
        .collect();
    assert_eq!(
        vague,
        vec!["many Western heads of state and government believe"]
    );
    let codes: Vec<&str> = a.findings.iter().map(|f| f.code).collect();
    assert!(
        !codes.contains(&"unattributed-quote") && !codes.contains(&"unbalanced-quote"),
        "{codes:?}"
    );
    assert!(codes.contains(&"vague-source"), "{codes:?}");
}

#[test]
fn speaker_after_the_quote_either_order() {
    assert_eq!(
        quotes(
            "“We won,” said Maria Lopez. “We lost,” Tom Reed said. ''Again,'' he told reporters."
        ),
        vec![
            (
                "“We won,”".into(),
                Some("Maria Lopez".into()),
                Some("Maria Lopez".into())
            ),
            (
                "“We lost,”".into(),
                Some("Tom Reed".into()),
                Some("Tom Reed".into())
            ),
            (
                "''Again,''".into(),
                Some("Tom Reed".into()),
                Some("he".into())
            ),
        ]
    );
}

#[test]
fn appositive_colon_and_according_to() {
    let t = "“It is anti-reform,” Douglas Holtz-Eakin, an economist at the forum, said. \
             Heusgen: “Russia is isolated.” According to the ministry, talks were “productive.”";
    let words: Vec<Option<String>> = quotes(t).into_iter().map(|q| q.2).collect();
    assert_eq!(
        words,
        vec![
            Some("Douglas Holtz-Eakin".into()),
            Some("Heusgen".into()),
            Some("the ministry".into())
        ]
    );
}

#[test]
fn partial_quotes_take_the_subject_of_their_clause() {
    let t = "Senator Ann Cole called the bill “a disaster” on Monday. The governor described the plan as “symbolic”.";
    let q = quotes(t);
    assert_eq!(q[0].1.as_deref(), Some("Ann Cole"));
    assert_eq!(q[1].2.as_deref(), Some("The governor"));
}

#[test]
fn surnames_are_completed_from_the_full_name() {
    let t = "Mayor Ann Cole opened the session.\n\n“We are ready,” Cole said.";
    assert_eq!(speakers(t), vec![Some("Ann Cole".into())]);
}

#[test]
fn a_possessive_remark_that_introduces_its_speaker() {
    let t = "Former Secretary of State Madeleine Albright, a Clinton supporter, fanned \
             controversy over her remark that “there’s a special place in hell for women who \
             don’t help each other.”\n\n\
             Hillary Clinton spoke in Ohio.\n\n\
             The union is unlikely to back anyone after her March comment that, “We’re going \
             to put a lot of coal companies out of business.”\n\n\
             It was her remark that “it failed” and her hope that “it works” that mattered.";
    let got = quotes(t);
    assert_eq!(got[0].1.as_deref(), Some("Madeleine Albright"), "{got:?}");
    assert_eq!(got[0].2.as_deref(), Some("her"));
    assert_eq!(got[1].1.as_deref(), Some("Hillary Clinton"), "{got:?}");
    // "hope" is no remark; the first quotation's "her" is the last person named.
    assert_eq!(got[2].1.as_deref(), Some("Hillary Clinton"), "{got:?}");
    assert_eq!(got.len(), 4, "{got:?}");
}

#[test]
fn pronouns_resolve_to_the_last_person_named() {
    let t = "Ann Cole spoke first.\n\n“We are ready,” she said.";
    let a = run(t);
    let s = a.quotes[0].speaker.as_ref().expect("a speaker");
    assert_eq!(
        (s.name.as_str(), s.mention.of(t), s.class),
        ("Ann Cole", "she", SpeakerClass::Pronoun)
    );
}

#[test]
fn multi_paragraph_quotes_keep_their_speaker() {
    let t = "“We have waited long enough,” the minister said. “We will act.\n\n“Now is the time.”\n\nThe count went on.";
    let q = quotes(t);
    assert_eq!(q.len(), 3);
    assert!(
        q.iter().all(|x| x.2.as_deref() == Some("the minister")),
        "{q:?}"
    );
    // The open part ends at its paragraph end.
    assert_eq!(q[1].0, "“We will act.");
    // A run-on quotation whose speaker comes in its later part.
    let t = "“We have waited long enough.\n\n“Now is the time,” the minister said.";
    assert_eq!(
        speakers(t),
        vec![Some("the minister".into()), Some("the minister".into())]
    );
}

#[test]
fn a_paragraph_ending_with_a_colon_introduces_the_next() {
    let t = "The minister said:\n\n“We will act.”";
    assert_eq!(speakers(t), vec![Some("The minister".into())]);
    // "issued the following statement:" introduces it too; a statement only talked about
    // introduces nothing.
    let t = "On Monday, Donald Trump issued the following statement:\n\n“We will win.”\n\n\
             Sanders made the following comment:\n\n“Never again.”\n\n\
             Clinton released a statement:\n\n“We may win or lose.”\n\n\
             Reed read the statement:\n\n“Nobody knows.”";
    assert_eq!(
        speakers(t),
        vec![
            Some("Donald Trump".into()),
            Some("Sanders".into()),
            Some("Clinton".into()),
            None
        ]
    );
}

#[test]
fn non_quotations_are_not_quotes() {
    let t = "She read “War and Peace” twice. The so-called “deal” failed. His “friends” left.";
    assert!(quotes(t).is_empty());
    let a = run(t);
    assert!(
        a.quotes
            .iter()
            .all(|q| q.kind == QuoteKind::NotAQuote && q.speaker.is_none())
    );
}

#[test]
fn anonymous_and_vague_speakers_are_classed() {
    let a = run("“It is over,” a senior official said. “It is not,” critics say.");
    let classes: Vec<SpeakerClass> = a
        .quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref().map(|s| s.class))
        .collect();
    assert_eq!(classes, vec![SpeakerClass::Anonymous, SpeakerClass::Vague]);
}

#[test]
fn ledger_groups_quotes_by_source_and_counts_unnamed_ones() {
    let t = include_str!("../../../tests/fixtures/xi-moscow.txt");
    let a = run(t);
    let l = super::ledger(&a, t);
    let count = |name: &str| {
        l.sources
            .iter()
            .find(|s| s.name == name)
            .map_or(0, |s| s.quotes.len())
    };
    assert_eq!(
        (
            count("Xi Jinping"),
            count("Vladimir Putin"),
            count("Christoph Heusgen"),
            count("Kremlin")
        ),
        (2, 6, 3, 2)
    );
    assert!(l.unattributed.is_empty());
    assert_eq!(l.vague, 1);
}

#[test]
fn hover_names_the_speaker_rule_and_other_quotes() {
    let t = include_str!("../../../tests/fixtures/xi-moscow.txt");
    let a = run(t);
    let i = a
        .quotes
        .iter()
        .position(|q| q.range.of(t).starts_with("“Russia is now"))
        .expect("the colon quote");
    let md = super::hover(&a, t, i);
    assert!(md.contains("**Christoph Heusgen**"), "{md}");
    assert!(md.contains("colon"), "{md}");
    assert!(
        md.contains("Other quotes from Christoph Heusgen in this story (2)"),
        "{md}"
    );
}

#[test]
fn never_panics_on_odd_marks() {
    for t in [
        "\"",
        "''",
        "'''",
        "“",
        "”",
        "„",
        "«»",
        "``",
        "‘’",
        "a\"b\"c",
        "\" \" \"",
        "”“",
        "x ’n’",
        "“\n\n”",
    ] {
        let _ = run(t);
    }
}

#[test]
fn a_name_and_its_verb_after_a_quoted_question_belong_to_the_quote() {
    let text = "“Why is it so hard?” Mrs. Clinton asked.\n\n“We won!” Smith said to reporters.\n";
    let got = quotes(text);
    assert_eq!(got[0].2.as_deref(), Some("Mrs. Clinton"));
    assert_eq!(got[1].2.as_deref(), Some("Smith"));
    // A new sentence that is no attribution stays apart.
    let got = quotes("“Is it over?” The crowd went home.\n");
    assert_eq!(got[0].2, None);
}

#[test]
fn a_lowercase_title_can_open_the_speaker_after_said() {
    let text = "“There is talk about that,” said former Utah governor Michael Leavitt.\n";
    let got = quotes(text);
    assert_eq!(
        got[0].2.as_deref(),
        Some("former Utah governor Michael Leavitt")
    );
}

#[test]
fn a_dash_signature_after_a_full_stop_and_a_document_that_reads() {
    let got = quotes("“We can do better.”― Ana Ruiz.\n\n“We can do better.” ― Ana Ruiz.\n");
    assert_eq!(got[0].2.as_deref(), Some("Ana Ruiz"));
    assert_eq!(got[1].2.as_deref(), Some("Ana Ruiz"));
    let got = quotes("“She should act like one,” the editorial read.\n");
    assert_eq!(got[0].2.as_deref(), Some("the editorial"));
}

#[test]
fn an_opening_participle_phrase_is_not_the_subject() {
    let got = quotes(
        "Following a late meeting, the council issued a statement calling the test \
         “a clear violation.”\n\nManning said the plan was “a disaster.”\n",
    );
    assert_eq!(got[0].2.as_deref(), Some("the council"));
    assert_eq!(got[1].2.as_deref(), Some("Manning"));
}

#[test]
fn link_words_and_opening_adverbials_are_not_the_subject() {
    let got = quotes(
        "At the time, she released a statement saying, “We are proud of the work.”\n\n\
         And then Smith went on the attack, saying, “Is that all they have?”\n\n\
         In a statement, the ministry called the test “a clear violation.”\n",
    );
    assert_eq!(got[0].2.as_deref(), Some("she"));
    assert_eq!(got[1].2.as_deref(), Some("Smith"));
    assert_eq!(got[2].2.as_deref(), Some("the ministry"));
}

#[test]
fn a_coordinated_verb_takes_the_subject_of_the_reporting_verb_before_it() {
    let got = quotes(
        "Smith said at a news conference in the capital, and then predicted: \
         “We will win this state.”\n",
    );
    assert_eq!(got[0].2.as_deref(), Some("Smith"));
}

#[test]
fn an_adverbial_between_subject_and_verb_is_skipped() {
    let got = quotes("Smith has in recent weeks called the plan “a disaster.”\n");
    assert_eq!(got[0].2.as_deref(), Some("Smith"));
}

#[test]
fn a_relative_pronoun_names_the_speaker_of_its_clause() {
    let t = "“It is over,” said Ann Cole, who said the plan was “a failure.”";
    let a = run(t);
    let s = a.quotes[1].speaker.as_ref().expect("a speaker");
    assert_eq!((s.name.as_str(), s.mention.of(t)), ("Ann Cole", "who"));
    // A relative clause set off by commas is not the subject of the verb after it.
    let t = "The complaint, which was filed on Friday, alleged that the party “failed.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("The complaint"));
}

#[test]
fn the_outermost_reporting_verb_gives_the_source() {
    let t = "Ann Cole said the poll shows that voters say the plan is “a failure.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
    // A clause joined by "and" has its own speaker.
    let t = "Ann Cole said it was late and Tom Reed called the plan “a failure.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Tom Reed"));
}

#[test]
fn went_on_to_say_takes_the_subject_before_the_particle() {
    let t = "Ann Cole spoke first. She went on to say the plan was “a failure.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("She"));
}

#[test]
fn a_participle_takes_the_subject_of_the_nearest_clause() {
    let t = "Tom Reed opened the meeting, and Ann Cole said it went well, adding that the plan \
             was “a failure.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
    // A verb in a relative clause is not that clause.
    let t = "Tom Reed refused to pay an architect who said he was owed money, saying, “He did \
             a bad job.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Tom Reed"));
}

#[test]
fn an_adverbial_between_a_name_and_its_verb_is_skipped() {
    let t = "Ann Cole at the time said the plan was “a failure.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
}

#[test]
fn the_agent_of_a_passive_reporting_verb_speaks() {
    let t = "Ann Cole was asked by moderator Tom Reed whether the plan would “cost too much.”";
    let a = run(t);
    let s = a.quotes[0].speaker.as_ref().expect("a speaker");
    assert_eq!(
        (s.mention.of(t), s.rule),
        ("moderator Tom Reed", "‘was asked by X’ before the quote")
    );
}

#[test]
fn a_past_tense_word_after_the_name_is_the_verb() {
    let t = "“We are ready,” Ann Cole shrugged.";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
}

#[test]
fn a_sentence_subject_is_found_past_its_appositive() {
    let t = "Ann Cole, the mayor of Springfield, gave her answer: “We are ready.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
}

#[test]
fn a_name_and_verb_after_a_full_stop_sign_the_quote() {
    let t = "“We are ready.” Ann Cole said. “We always were.”";
    let q = quotes(t);
    assert_eq!(q[0].2.as_deref(), Some("Ann Cole"));
    // A new sentence that goes on after its verb is not a signature.
    let t = "Tom Reed spoke first. “We are ready.” Ann Cole added, “We always were.”";
    assert_eq!(quotes(t)[0].1.as_deref(), Some("Tom Reed"));
}

#[test]
fn a_pronoun_later_in_the_sentence_stands_for_its_named_subject() {
    let t = "Ann Cole took to the radio to attack Tom Reed for what she called “a scandal.”";
    let a = run(t);
    let s = a.quotes[0].speaker.as_ref().expect("a speaker");
    assert_eq!((s.name.as_str(), s.mention.of(t)), ("Ann Cole", "she"));
}

#[test]
fn a_bare_quote_inside_a_paragraph_takes_its_sentence_subject() {
    let t = "“We will win,” said Tom Reed.\n\nAnn Cole drew cheers with a promise, “We will \
             build it.”";
    let q = quotes(t);
    assert_eq!(q[1].1.as_deref(), Some("Ann Cole"));
    // A quotation that opens its paragraph continues the speaker before it.
    let t = "“We will win,” said Tom Reed.\n\n“We will build it.”";
    assert_eq!(quotes(t)[1].1.as_deref(), Some("Tom Reed"));
}

#[test]
fn a_past_tense_word_before_a_name_after_the_quote_is_the_verb() {
    let t = "“This is fantastic!” beamed Ann Cole. “Go home,” Tom Reed barked and walked off.";
    let words: Vec<Option<String>> = quotes(t).into_iter().map(|q| q.2).collect();
    assert_eq!(
        words,
        vec![Some("Ann Cole".into()), Some("Tom Reed".into())]
    );
}

#[test]
fn a_participle_after_with_takes_the_phrase_before_it() {
    let t = "The campaign denied it, with Ann Cole telling reporters the story was “a fantasy.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
}

#[test]
fn a_coordinated_verb_takes_the_subject_that_opens_the_clause() {
    let t = "Ann Cole supports the plan, opposes the freeze and recalled the cuts as “painful.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
}

#[test]
fn a_name_spelled_like_a_modal_is_a_subject() {
    let t = "In his column, Will described the plan as “a caricature.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Will"));
}

#[test]
fn went_on_after_a_quote_is_a_verb_of_speech_and_would_continue_is_not() {
    let t = "Ann Cole spoke first.\n\n“It is late,” she went on.";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("she"));
    let t = "Ann Cole said that the campaign would continue “to break barriers.”";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("Ann Cole"));
}

#[test]
fn a_cue_far_along_a_long_sentence_still_attributes_the_quote() {
    let t = "The lack of polling places was “particularly burdensome” on the communities of the \
             county, which had fewer places to vote than the others and in some cases no places \
             to vote at all, the lawsuit alleges.";
    assert_eq!(quotes(t)[0].2.as_deref(), Some("the lawsuit"));
}

#[test]
fn single_marks_are_headline_quotes_in_double_marked_copy() {
    // A headline in single marks above a story quoted in double marks: only the body quote.
    let t = "Mayor: ‘We will rebuild’\n\n“We will rebuild the bridge,” the mayor said. \
             “It will take a year,” she added.";
    let got: Vec<String> = quotes(t).into_iter().map(|q| q.0).collect();
    assert_eq!(
        got,
        vec!["“We will rebuild the bridge,”", "“It will take a year,”"]
    );
    // Copy quoted in single marks (British style) keeps its quotations.
    let t = "‘We will rebuild,’ the mayor said. ‘It will take a year,’ she added.";
    assert_eq!(quotes(t).len(), 2);
}

#[test]
fn a_few_unattributed_words_ending_in_a_full_stop_are_a_fragment() {
    // American style puts the full stop inside the mark; the words are still a fragment.
    let t = "After months of talks, the plan was simply a “quiet deal.” Nobody objected.";
    assert!(quotes(t).is_empty());
    // A whole sentence quoted after a comma stays a quotation.
    let t = "“We will win,” said Tom Reed.\n\nAnn Cole drew cheers with a promise, “We will \
             build it.”";
    assert_eq!(quotes(t).len(), 2);
}

#[test]
fn mentions_sort_as_sort_unstable_does() {
    // Pseudo-random triples with many equal starts, short and long.
    let mut rng = crate::generate::Rng::new(0x2545_f491_4f6c_dd1d);
    let mut next = |n: usize| rng.below(n);
    for (n, span) in [
        (0, 10),
        (5, 10),
        (63, 1000),
        (64, 40),
        (500, 100_000),
        (3000, 3000),
    ] {
        let v: Vec<(usize, usize, usize)> = (0..n)
            .map(|_| {
                let s = next(span);
                (s, s + next(20), next(50))
            })
            .collect();
        let mut want = v.clone();
        want.sort_unstable();
        let mut got = v;
        super::sort_mentions(&mut got);
        assert_eq!(got, want, "{n} triples over {span}");
    }
}

/// `is_collapsed`, which reads by byte and decodes only where non-ASCII whitespace may start,
/// takes every whitespace character for one, and no other.
#[test]
fn collapsed_text_knows_every_space() {
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let s = format!("a{c}b");
        assert_eq!(
            super::is_collapsed(&s),
            !c.is_whitespace() || c == ' ',
            "{:?}",
            c
        );
        assert_eq!(
            super::collapse_whitespace(&s) == s,
            super::is_collapsed(&s),
            "{c:?}"
        );
    }
}

/// `is_collapsed` reads eight bytes at once: it agrees with collapsing by `split_whitespace`
/// for every kind of space or control character at every position of longer texts, across
/// chunk boundaries, at both ends and next to non-ASCII text.
#[test]
fn collapsed_text_read_by_chunks() {
    let reference = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ") == s;
    let fillers = ["abcdefghijklmnopqrstuvwx", "ab’defgh—jklmnopqrstuvwx"];
    let inserts = [
        " ", "  ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{1}", "\u{1f}", "\u{a0}", "\u{2009}",
        "\u{3000}", "\u{85}", "é", " x ",
    ];
    let mut differing = 0;
    for filler in fillers {
        let chars: Vec<char> = filler.chars().collect();
        for len in 0..=chars.len() {
            let base: String = chars[..len].iter().collect();
            assert_eq!(super::is_collapsed(&base), reference(&base), "{base:?}");
            for at in 0..=len {
                for ins in inserts {
                    let head: String = chars[..at].iter().collect();
                    let tail: String = chars[at..len].iter().collect();
                    let s = format!("{head}{ins}{tail}");
                    let want = reference(&s);
                    differing += usize::from(!want);
                    assert_eq!(super::is_collapsed(&s), want, "{s:?}");
                    let spaced = format!("{head} {tail}{ins}");
                    assert_eq!(
                        super::is_collapsed(&spaced),
                        reference(&spaced),
                        "{spaced:?}"
                    );
                }
            }
        }
    }
    // Both answers were asked for, many times.
    assert!(differing > 1000);
}

/// Shared text reads, compares, prints and serialises as the string it holds.
#[test]
fn shared_text_is_its_string() {
    let s = super::SharedText::from("Vladimir Putin");
    assert_eq!(s, "Vladimir Putin");
    assert_eq!(s.clone().as_str(), "Vladimir Putin");
    assert_eq!(format!("{s} {s:?}"), "Vladimir Putin \"Vladimir Putin\"");
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        serde_json::to_string("Vladimir Putin").unwrap()
    );
    assert_eq!(super::SharedText::default(), "");
}

/// After typing-like edits anywhere in stories long enough to have more quotations than a
/// pronoun looks back over (quotation marks, speech verbs, pronouns, full names and surnames,
/// paragraph breaks, deletions), an [`crate::engine::Analyzer`] that carries attribution over
/// gives exactly the quotes, sources, marks, dates and events of a fresh analysis; and it does
/// carry it over, attributing again only a few paragraphs.
#[test]
fn carried_over_attribution_equals_a_fresh_one_after_typing() {
    use crate::engine::{Analyzer, analyze_as};
    use crate::generate::{Options, Rng, Typing, Typist, manuscript};
    let config = Config::default();
    let typed: &[&str] = &[
        "x",
        " ",
        "“",
        "”",
        "\"",
        ".",
        ", ",
        "\n\n",
        "\n",
        "he said",
        "she said. ",
        " said Berg",
        "Berg said: ",
        " Anna Berg",
        "Mr. Lind ",
        "Tove Lind",
        "“We will,” ",
        "” said the ministry.",
        "it said",
        "officials said ",
        "The ",
        "on Monday ",
        "‘",
        "’",
    ];
    let mut rng = Rng::new(41);
    let (mut carried, mut steps, mut few) = (0, 0, 0);
    for round in 0..6u64 {
        let markdown = round % 2 == 1;
        let opts = Options {
            seed: 300 + round,
            size: 14_000,
            markdown,
            ascii: round % 3 == 2,
        };
        let (format, mut text) = (opts.format(), manuscript(&opts));
        let mut analyzer = Analyzer::default();
        let first = analyzer.analyze(&text, format, &config);
        assert!(
            first.quotes.len() > 60,
            "round {round}: {} quotations",
            first.quotes.len()
        );
        let mut typist = Typist::new(
            &mut rng,
            &text,
            Typing {
                jump_one_in: 5,
                choices: 10,
                deletes: 2,
                max_delete: 12,
                delete_names: false,
                typed,
            },
        );
        for step in 0..30 {
            typist.step(&mut rng, &mut text);
            let before = analyzer.quotes.carried;
            let cached = analyzer.analyze(&text, format, &config);
            let reused = analyzer.quotes.carried > before;
            carried += usize::from(reused);
            few += usize::from(reused && analyzer.quotes.attributed * 4 < cached.paragraphs.len());
            steps += 1;
            let fresh = analyze_as(&text, format, &config);
            let context = || format!("round {round} step {step} at {}: {text:?}", typist.at);
            assert_eq!(cached.quotes, fresh.quotes, "{}", context());
            assert_eq!(cached.sources, fresh.sources, "{}", context());
            assert_eq!(cached.quote_marks, fresh.quote_marks, "{}", context());
            assert_eq!(cached.timexes, fresh.timexes, "{}", context());
            assert_eq!(cached.events, fresh.events, "{}", context());
            assert_eq!(format!("{cached:?}"), format!("{fresh:?}"), "{}", context());
        }
    }
    assert!(
        carried * 4 >= steps * 3,
        "attribution carried over in {carried} of {steps} edits"
    );
    assert!(
        few * 2 >= steps,
        "few paragraphs attributed again in only {few} of {steps} edits"
    );
}

/// A pronoun looks back over the speakers of the last quotations, across paragraphs: an edit
/// of a speaker several quotations before "it said" changes who "it" is, and the carried-over
/// attribution must follow (it attributes again until the quotations a pronoun may look back
/// over are the old ones).
#[test]
fn an_edited_speaker_reaches_a_pronoun_several_quotations_later() {
    use crate::engine::{Analyzer, Format, analyze_as};
    let config = Config::default();
    let story = |who: &str| {
        let mut t = format!("“We will act,” {who} said.\n\n");
        for i in 0..8 {
            t.push_str(&format!("“Point {i} is fine,” Anna Berg said.\n\n"));
        }
        t.push_str("“Nothing more,” it said.\n");
        t
    };
    let (v1, v2) = (story("the ministry"), story("the campaign"));
    let mut analyzer = Analyzer::default();
    let first = analyzer.analyze(&v1, Format::PlainText, &config);
    let before = analyzer.quotes.carried;
    let cached = analyzer.analyze(&v2, Format::PlainText, &config);
    assert_eq!(analyzer.quotes.carried, before + 1, "carried over");
    let fresh = analyze_as(&v2, Format::PlainText, &config);
    let last = |a: &Analysis| {
        a.quotes
            .last()
            .and_then(|q| q.speaker.clone())
            .map(|s| s.name.to_string())
    };
    assert_eq!(last(&first).as_deref(), Some("the ministry"));
    assert_eq!(last(&fresh).as_deref(), Some("the campaign"));
    assert_eq!(cached.quotes, fresh.quotes);
}

/// Organisation names typed a letter at a time glued to an organisation's name ("TuThe
/// Teachers Union"), and an organisation's last word deleted and typed again, in stories
/// where organisations are speakers ("the Teachers Union said", "it said") next to quotations
/// of people: at every keystroke the carried-over attribution is that of a fresh analysis,
/// though the entities changed (patched grouping, organisations renumbered); and the edits that
/// change only organisation names do carry it over (the test would prove nothing otherwise).
#[test]
fn attribution_carried_over_as_organisation_names_are_typed_equals_a_fresh_one() {
    use crate::engine::{Analyzer, analyze_as};
    use crate::generate::{Options, Rng, manuscript};
    let config = Config::default();
    let orgs: &[&str] = &[
        "Teachers Union",
        "Harbor Bank",
        "Port Authority",
        "Housing Coalition",
        "Northgate Hospital",
        "Lakeside Energy",
    ];
    let glued: &[&str] = &["Tuesday", "Reuters", "Anna", "Union", "Mr", "The"];
    let paragraphs: &[&str] = &[
        "“We will not back down,” the Teachers Union said in a statement.",
        "The Harbor Bank said: “Rates will rise before the spring.”",
        "“The plan is sound,” said a spokesman for the Port Authority. “It is funded,” it said.",
        "Anna Berg of the Housing Coalition called the vote “a betrayal.” “We warned them,” she said.",
        "“Nothing has changed,” it said.",
        "“We are ready,” Northgate Hospital said. The Lakeside Energy board met on Monday.",
        "“The union is wrong,” Tove Lind said. “He never called,” the Port Authority said.",
    ];
    let mut rng = Rng::new(23);
    let (mut keystrokes, mut patched, mut carried_patched) = (0, 0, 0);
    for round in 0..6u64 {
        let markdown = round % 2 == 0;
        let opts = Options {
            seed: 500 + round,
            size: 9000,
            markdown,
            ascii: round % 3 == 1,
        };
        let (format, mut text) = (opts.format(), manuscript(&opts));
        // Paragraphs with organisations for speakers, at paragraph breaks.
        for _ in 0..10 {
            let from = rng.below(text.len());
            let Some(at) = text
                .char_indices()
                .skip_while(|&(i, _)| i < from)
                .find(|&(i, _)| text[i..].starts_with("\n\n"))
                .map(|(i, _)| i + 2)
            else {
                continue;
            };
            let p = rng.pick(paragraphs);
            text.insert_str(at, &format!("{p}\n\n"));
        }
        let mut analyzer = Analyzer::default();
        let first = analyzer.analyze(&text, format, &config);
        assert!(
            first.quotes.len() > super::SPEAKERS_LOOKED_BACK,
            "round {round}: {} quotations",
            first.quotes.len()
        );
        let mut check = |text: &str, analyzer: &mut Analyzer, what: &str| {
            let before = (analyzer.entities.patched, analyzer.quotes.carried);
            let cached = analyzer.analyze(text, format, &config);
            let was_patched = analyzer.entities.patched > before.0;
            patched += usize::from(was_patched);
            carried_patched += usize::from(was_patched && analyzer.quotes.carried > before.1);
            keystrokes += 1;
            let fresh = analyze_as(text, format, &config);
            assert_eq!(
                cached.quotes, fresh.quotes,
                "round {round} {what}: {text:?}"
            );
            assert_eq!(
                cached.sources, fresh.sources,
                "round {round} {what}: {text:?}"
            );
            assert_eq!(
                format!("{cached:?}"),
                format!("{fresh:?}"),
                "round {round} {what}: {text:?}"
            );
        };
        for _ in 0..10 {
            let org = rng.pick(orgs);
            let from = rng.below(text.len());
            let found = text
                .char_indices()
                .skip_while(|&(i, _)| i < from)
                .find(|&(i, _)| text[i..].starts_with(org))
                .map(|(i, _)| i)
                .or_else(|| text.find(org));
            let Some(i) = found else {
                continue;
            };
            if rng.chance(60) {
                // A word typed glued to the name (or to the "The" before it), then often a
                // space.
                let at = if text[..i].ends_with("The ") && rng.chance(50) {
                    i - 4
                } else {
                    i
                };
                let word = rng.pick(glued);
                for (k, c) in word.char_indices() {
                    text.insert(at + k, c);
                    check(&text, &mut analyzer, "glued");
                }
                if rng.chance(70) {
                    text.insert(at + word.len(), ' ');
                    check(&text, &mut analyzer, "separated");
                }
            } else {
                // The name's last word deleted from its end, then typed again.
                let at = i + org.rfind(' ').map_or(0, |k| k + 1);
                let word = org[org.rfind(' ').map_or(0, |k| k + 1)..].to_string();
                for k in (1..word.len()).rev() {
                    text.remove(at + k);
                    check(&text, &mut analyzer, "deleted");
                }
                for (k, c) in word.char_indices().skip(1) {
                    text.insert(at + k, c);
                    check(&text, &mut analyzer, "retyped");
                }
            }
        }
    }
    eprintln!(
        "{carried_patched} of {patched} patched keystrokes carried ({keystrokes} keystrokes)"
    );
    assert!(
        patched * 5 >= keystrokes,
        "grouping patched in only {patched} of {keystrokes} keystrokes"
    );
    assert!(
        carried_patched * 2 >= patched,
        "attribution carried over in only {carried_patched} of {patched} patched keystrokes"
    );
}

/// A pronoun takes the person named last before it, however far back: a person's name typed
/// in a paragraph changes who "he" is two paragraphs later, though the paragraphs between
/// them are the same, and the carried-over attribution must follow (a person's mention is
/// never one that may change inside the edited stretch, as an organisation's may).
#[test]
fn a_person_named_in_the_edited_paragraph_reaches_a_pronoun_paragraphs_later() {
    use crate::engine::{Analyzer, Format, analyze_as};
    let config = Config::default();
    let story = |met: &str| {
        format!(
            "“Yes,” Anna Berg said.\n\n“We start,” Tove Lind said.\n\nThe council met{met}.\n\n\
             Nothing else happened.\n\n“It works,” he said.\n"
        )
    };
    let (v1, v2) = (story(""), story(" Anna Berg"));
    let mut analyzer = Analyzer::default();
    let first = analyzer.analyze(&v1, Format::PlainText, &config);
    let cached = analyzer.analyze(&v2, Format::PlainText, &config);
    let fresh = analyze_as(&v2, Format::PlainText, &config);
    let last = |a: &Analysis| {
        a.quotes
            .last()
            .and_then(|q| q.speaker.clone())
            .map(|s| s.name.to_string())
    };
    assert_eq!(last(&first).as_deref(), Some("Tove Lind"));
    assert_eq!(last(&fresh).as_deref(), Some("Anna Berg"));
    assert_eq!(cached.quotes, fresh.quotes);
}

#[test]
fn unnamed_sources_somewhere_are_not_the_place_they_are_in() {
    // The place after the source noun says where they are: it is not the speaker, and a
    // place is never "quoted but never identified".
    for (text, words) in [
        (
            "“It is late,” officials in Brussels said.",
            "officials in Brussels",
        ),
        (
            "Officials in Washington called the school levy “unacceptable” on Sunday.",
            "Officials in Washington",
        ),
    ] {
        let a = run(text);
        let q = a
            .quotes
            .iter()
            .find(|q| q.kind != QuoteKind::NotAQuote)
            .expect("a quotation");
        let sp = q.speaker.as_ref().expect("a speaker");
        assert_eq!(sp.mention.of(text), words, "{text}");
        assert_eq!(sp.class, SpeakerClass::Anonymous, "{text}");
        assert_eq!(sp.entity, None, "{text}");
        assert!(
            a.findings.iter().all(|f| f.code != "unidentified-source"),
            "{text}: {:?}",
            a.findings
        );
    }
    // A named person is still the speaker, with their entity.
    let text = "“It is late,” Mayor Ann Lee of Springfield said.";
    assert_eq!(speakers(text), [Some("Ann Lee".to_string())]);
}

#[test]
fn a_song_s_words_are_sung_by_their_singers() {
    let text = "As the Rainmakers sang back in the 1980s, “They'll turn us all into beggars.”";
    assert_eq!(speakers(text), [Some("Rainmakers".to_string())]);
}

#[test]
fn plural_subjects_and_put_it_cue_the_quote() {
    // "state" is a noun as often as a verb, and "put" is a past tense spelt as its base
    // form: both were read as no verb, and the quotations as unattributed.
    assert_eq!(
        speakers(
            "\"Today, the kingdom is one of the leading nations in combating terrorism,\" the \
             Saudis state in the white paper.\n\n\
             As Leonard Burman, a senior fellow at the Tax Policy Center, recently put it, \"Did \
             Trump lower his taxes through legal tax avoidance?\"\n\n\
             \"We fight terror,\" the officials state in the paper."
        ),
        [
            Some("Saudis".to_string()),
            Some("Leonard Burman".to_string()),
            Some("the officials".to_string())
        ]
    );
    // Still no verb: "state" after a plural in a noun phrase.
    assert!(run("The officials state budget grew.").quotes.is_empty());
}

/// A spokesman speaks for someone, not as them; a verb of manner reports a quotation but is no
/// group's claim; an adverb between a modal and a base form ("could only quip").
#[test]
fn spokesmen_manner_verbs_and_modals_with_adverbs() {
    let text = "“Yes,” Tom Reed said.\n\n\
                “If they were serious, they would have acted,” Pat Toomey fumed on Tuesday.\n\n\
                The scheduling was so odd that a spokesman for Bernie Sanders could only quip: \
                “I guess Christmas Eve was booked.”\n\n\
                “It is over,” an aide said. Supporters roared when Texas was called.";
    let got = quotes(text);
    assert_eq!(got[1].1.as_deref(), Some("Pat Toomey"), "{got:?}");
    assert_eq!(
        got[2].1.as_deref(),
        Some("a spokesman for Bernie Sanders"),
        "{got:?}"
    );
    let a = run(text);
    let class = a.quotes[2].speaker.as_ref().map(|s| s.class);
    assert_eq!(class, Some(SpeakerClass::Anonymous));
    assert!(
        a.sources
            .iter()
            .all(|s| !s.range.of(text).contains("roared")),
        "{:?}",
        a.sources
    );
}

/// An age and an appositive between the subject and "said": two asides, one speaker.
#[test]
fn an_age_and_an_appositive_before_said() {
    let text = "Courtney Johnson, 23, a social worker, said “We will see.”";
    assert_eq!(speakers(text), [Some("Courtney Johnson".to_string())]);
}

#[test]
fn titles_have_six_words_or_nine_with_a_subtitle() {
    use super::looks_like_title as title;
    assert!(title("War and Peace"));
    assert!(title("The Spy Who Came In From"));
    assert!(!title("The Spy Who Came In From Cold"));
    assert!(title("Austin Powers: The Spy Who Shagged Me,"));
    assert!(title("Austin Powers: The Spy Who Came In From Cold"));
    assert!(!title("Austin Powers: The Spy Who Came In From The Cold"));
    assert!(!title("Austin Powers: The Spy who shagged me"));
    assert!(!title("Yes."));
}
