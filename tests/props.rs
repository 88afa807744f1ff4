//! Property tests: state that never drifts.
//!
//! - The paragraph cache: for random sequences of edits, a reused [`Analyzer`] gives exactly the
//!   same [`Analysis`] (findings, quotes, sources, timexes, events, entities, paragraphs) as a
//!   fresh analysis of the same text, so no stale or shifted result survives an edit.
//!
//! Case counts are modest so the suite stays fast; raise `PROPTEST_CASES` to search harder.

use copydesk::engine::{self, Analyzer, Config, Format};
use copydesk::generate::{self, ADVERSARIAL, Options};
use proptest::prelude::*;

/// One edit of the model text: replace the bytes between two relative positions with `insert`.
#[derive(Clone, Debug)]
struct Edit {
    /// Start, as a fraction of the text length (0..=1000 per mille).
    at: u16,
    /// How many bytes to delete after `at`, before snapping to a character boundary.
    delete: u16,
    insert: String,
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Edit {
    /// Applies the edit to `text` at character boundaries.
    fn apply(&self, text: &mut String) {
        let start = floor_boundary(text, text.len() * usize::from(self.at) / 1000);
        let end = floor_boundary(text, start + usize::from(self.delete));
        text.replace_range(start..end, &self.insert);
    }
}

fn insert_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(ADVERSARIAL).prop_map(str::to_string),
        3 => prop::collection::vec(prop::sample::select(ADVERSARIAL), 1..5).prop_map(|v| v.concat()),
        2 => (0u64..1000).prop_map(|seed| {
            // A generated sentence or two: quotes, names and dates that the analysis picks up.
            let text = generate::manuscript(&Options::plain(seed, 400));
            let start = floor_boundary(&text, text.len() / 3);
            let end = floor_boundary(&text, start + 120);
            text[start..end].to_string()
        }),
        1 => "\\PC{0,12}",
        1 => Just(String::new()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0u16..=1000,
        prop_oneof![3 => 0u16..4, 1 => 0u16..200],
        insert_text(),
    )
        .prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

/// A starting text: a generated manuscript (either format, either quote style) or a mix of
/// adversarial fragments.
fn base_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u64..10_000, 200usize..3000, any::<bool>(), any::<bool>())
            .prop_map(|(seed, size, markdown, ascii)| generate::manuscript(&Options { seed, size, markdown, ascii })),
        1 => prop::collection::vec(prop::sample::select(ADVERSARIAL), 0..60).prop_map(|v| v.concat()),
    ]
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Markdown), Just(Format::PlainText)]
}

/// Everything an analysis says, as one string to compare.
fn render(a: &engine::Analysis) -> String {
    format!("{a:#?}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn cached_analysis_equals_fresh_analysis_after_every_edit(
        text in base_text(),
        format in format(),
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        let config = Config::default();
        let mut analyzer = Analyzer::default();
        let mut text = text;
        let first = analyzer.analyze(&text, format, &config);
        prop_assert_eq!(render(&first), render(&engine::analyze_as(&text, format, &config)));
        for (step, e) in edits.iter().enumerate() {
            e.apply(&mut text);
            let cached = analyzer.analyze(&text, format, &config);
            let fresh = engine::analyze_as(&text, format, &config);
            prop_assert_eq!(render(&cached), render(&fresh), "after edit {} ({:?})", step, e);
            prop_assert_eq!(cached.len, text.len());
        }
    }
}

/// The same check on a real-sized manuscript with a typing trace: one character at a time in the
/// middle of a paragraph, then deleting back, then a paste that splits a paragraph in two.
#[test]
fn typing_trace_through_the_cache_matches_fresh_analysis() {
    let config = Config::default();
    let mut text = generate::markdown(11, 60_000);
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&text, Format::Markdown, &config);
    let mut at = generate::typing_point(&text);
    for (i, c) in "“Yes,” Mr. Ortiz said on Monday.\n\nA new paragraph last week"
        .chars()
        .enumerate()
    {
        text.insert(at, c);
        at += c.len_utf8();
        let cached = analyzer.analyze(&text, Format::Markdown, &config);
        if i % 7 == 0 || c == '\n' {
            assert_eq!(
                render(&cached),
                render(&engine::analyze_as(&text, Format::Markdown, &config)),
                "step {i}"
            );
        }
        assert!(
            analyzer.last_stats.1 <= 2,
            "a keystroke re-scans at most the blocks it touched"
        );
    }
    while at > 0 && text.is_char_boundary(at) && text[..at].ends_with(|c: char| c != '\n') {
        let c = text[..at].chars().next_back().unwrap_or(' ');
        at -= c.len_utf8();
        text.remove(at);
    }
    let cached = analyzer.analyze(&text, Format::Markdown, &config);
    assert_eq!(
        render(&cached),
        render(&engine::analyze_as(&text, Format::Markdown, &config))
    );
}
