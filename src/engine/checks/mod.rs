//! Findings and the registry of checks.
//!
//! Each check lives in its own file with a stable kebab-case code, a default severity, a one-line
//! summary and an explanation (what it flags / why / example), which `copydesk explain CODE`
//! prints and diagnostics link to. [`REGISTRY`] lists them all; tests below keep it honest.
//!
//! A check reads a finished [`Analysis`] (document space, absolute byte offsets) and pushes
//! [`Finding`]s. Checks are cheap linear passes over what the analysis modules extracted; the
//! expensive work happens once per paragraph in the modules themselves.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::text::TextRange;
use super::{Analysis, Config};

mod ambiguous_date;
mod anonymous_source;
mod impossible_date;
mod name_variant;
mod quote_mismatch;
mod speaker_before_introduction;
mod surname_before_full_name;
mod unattributed_quote;
mod unbalanced_quote;
mod undated_event;
mod unidentified_source;
mod unresolved_relative_date;
mod vague_source;
mod weekday_mismatch;

/// How serious a finding is. Ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Hint,
        Severity::Info,
        Severity::Warning,
        Severity::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `hint`, `info` (or `information`), `warning` (or `warn`) and `error`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hint" => Some(Severity::Hint),
            "info" | "information" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One text replacement of a quick fix, in document byte offsets. An empty range inserts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

/// A quick fix the editor can offer for a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Something a copy editor would point out, at a byte range of the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: Message,
    #[serde(skip_serializing_if = "Fixes::is_empty")]
    pub fixes: Fixes,
}

/// A finding's quick fixes: none (nothing allocated), or a list shared by the finding's copies
/// and by every finding that offers the same fixes (each relative date of a story without a
/// publication date offers the same "add the date"; at 1 MB that is thousands of findings made
/// again on every keystroke). Reads as a slice of [`Fix`]es; serialises as a list; made with
/// `.into()` from a `Vec<Fix>` or collected from an iterator.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Fixes(Option<Arc<[Fix]>>);

impl Fixes {
    /// No fixes.
    pub const NONE: Fixes = Fixes(None);

    /// Whether there are no fixes.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl std::ops::Deref for Fixes {
    type Target = [Fix];

    fn deref(&self) -> &[Fix] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl From<Vec<Fix>> for Fixes {
    fn from(fixes: Vec<Fix>) -> Fixes {
        Fixes((!fixes.is_empty()).then(|| fixes.into()))
    }
}

impl FromIterator<Fix> for Fixes {
    fn from_iter<I: IntoIterator<Item = Fix>>(iter: I) -> Fixes {
        iter.into_iter().collect::<Vec<Fix>>().into()
    }
}

impl<'a> IntoIterator for &'a Fixes {
    type Item = &'a Fix;
    type IntoIter = std::slice::Iter<'a, Fix>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl std::fmt::Debug for Fixes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As a `Vec<Fix>` prints.
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Fixes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A finding's message: a fixed text, or one made for the finding and shared by its copies
/// ([`SharedText`](super::shared::SharedText)). Cloning or dropping one never allocates or frees
/// (a check that makes the same message again and again, or keeps it from one analysis to the
/// next, hands out the same text). Reads as a `str`; serialises as a string.
pub type Message = super::shared::SharedText;

/// What a check is: its stable code, default severity, one-line summary and explanation.
#[derive(Debug)]
pub struct CheckMeta {
    /// Stable kebab-case code, e.g. `unattributed-quote`. Never rename one: users configure by it.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line, no trailing period.
    pub summary: &'static str,
    /// Markdown with three sections: what it flags, why, example.
    pub explanation: &'static str,
}

/// A check over a finished analysis.
pub trait Check: Sync {
    fn meta(&self) -> &'static CheckMeta;
    /// Pushes findings with the check's default severity; [`run`] applies the configuration.
    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>);
    /// [`Check::run`], with what the check kept from the previous analysis of the same
    /// document (the same findings; only the work differs).
    fn run_cached(&self, analysis: &Analysis, _cache: &mut Cache, out: &mut Vec<Finding>) {
        self.run(analysis, out);
    }
}

/// What the checks keep from one analysis of a document to the next (see
/// [`super::Analyzer`]): work that depends only on parts of the analysis that a keystroke
/// rarely changes.
#[derive(Default)]
pub struct Cache {
    quote_mismatch: quote_mismatch::Cache,
    name_variant: name_variant::Cache,
    messages: Messages,
    /// How many findings the last run gave, to size the next run's list.
    findings: usize,
    /// See [`Cache::dates_with_problems`] (`None` until a check of this run asks).
    problem_dates: Option<Vec<usize>>,
}

impl Cache {
    /// The dates of `analysis` with a problem, in order: found by one pass over the dates
    /// (7,000 of them, 600 KB, in a long story) for the three checks that read only those,
    /// instead of one pass each. For the analysis of the current run only.
    pub(crate) fn dates_with_problems<'a>(
        &'a mut self,
        analysis: &'a Analysis,
    ) -> impl Iterator<Item = &'a crate::engine::temporal::Timex> + 'a {
        self.problem_dates
            .get_or_insert_with(|| {
                (analysis.timexes.iter().enumerate())
                    .filter(|(_, t)| t.problem.is_some())
                    .map(|(i, _)| i)
                    .collect()
            })
            .iter()
            .map(|&i| &analysis.timexes[i])
    }
}

/// The messages checks made, kept from one analysis to the next: a check that writes a message
/// made before (a long manuscript repeats many; most survive a keystroke) gets the same shared
/// text back instead of a new allocation, and dropping its finding frees nothing.
#[derive(Default)]
struct Messages {
    known: FxHashSet<Arc<str>>,
    /// Where a message is written before it is looked up.
    buf: String,
    /// How many messages were asked for since the last [`Messages::end_run`].
    asked: usize,
}

impl Messages {
    /// The message `write` writes.
    fn make(&mut self, write: impl FnOnce(&mut String)) -> Message {
        self.buf.clear();
        write(&mut self.buf);
        if self.buf.len() <= Message::INLINE_MAX {
            // Held inline: nothing to share.
            return Message::copy(&self.buf);
        }
        self.asked += 1;
        if let Some(m) = self.known.get(self.buf.as_str()) {
            return Message::from(Arc::clone(m));
        }
        let m: Arc<str> = Arc::from(self.buf.as_str());
        self.known.insert(Arc::clone(&m));
        Message::from(m)
    }

    /// Forgets every message when most of those kept were not asked for in this run, so that
    /// what is kept stays in proportion to the document.
    fn end_run(&mut self) {
        if self.known.len() > 2 * self.asked + 1024 {
            self.known = FxHashSet::default();
        }
        self.asked = 0;
    }
}

/// Every check copydesk has, in the order they are documented.
pub static REGISTRY: &[&dyn Check] = &[
    &unbalanced_quote::UnbalancedQuote,
    &unattributed_quote::UnattributedQuote,
    &vague_source::VagueSource,
    &anonymous_source::AnonymousSource,
    &quote_mismatch::QuoteMismatch,
    &speaker_before_introduction::SpeakerBeforeIntroduction,
    &unresolved_relative_date::UnresolvedRelativeDate,
    &weekday_mismatch::WeekdayMismatch,
    &impossible_date::ImpossibleDate,
    &ambiguous_date::AmbiguousDate,
    &undated_event::UndatedEvent,
    &name_variant::NameVariant,
    &surname_before_full_name::SurnameBeforeFullName,
    &unidentified_source::UnidentifiedSource,
];

/// The check with this code, if any.
pub fn lookup(code: &str) -> Option<&'static CheckMeta> {
    REGISTRY.iter().map(|c| c.meta()).find(|m| m.code == code)
}

/// Runs every enabled check, applies configured severities, and sorts findings by position.
pub fn run(analysis: &Analysis, config: &Config) -> Vec<Finding> {
    run_cached(analysis, config, &mut Cache::default())
}

/// [`run`], reusing (and updating) what `cache` kept from the previous analysis of the same
/// document.
pub fn run_cached(analysis: &Analysis, config: &Config, cache: &mut Cache) -> Vec<Finding> {
    let mut all = Vec::with_capacity(cache.findings);
    let mut keys = Some(Vec::with_capacity(cache.findings));
    cache.problem_dates = None;
    for check in REGISTRY {
        let meta = check.meta();
        if !config.check_enabled(meta.code) {
            continue;
        }
        let start = all.len();
        check.run_cached(analysis, cache, &mut all);
        if let Some(sev) = config.severity_override(meta.code) {
            for f in &mut all[start..] {
                f.severity = sev;
            }
        }
        if let Some(k) = &mut keys {
            let rank = rank_of(meta.code);
            let all_keyed = all[start..].iter().enumerate().all(|(i, f)| {
                // A check pushes findings with its own code (compared by address first).
                let rank = if std::ptr::eq(f.code, meta.code) {
                    rank
                } else {
                    rank_of(f.code)
                };
                let key = rank.and_then(|rank| sort_key(start + i, f, rank));
                key.map(|key| k.push(key)).is_some()
            });
            if !all_keyed {
                keys = None;
            }
        }
    }
    let all = sort_by_position(all, keys);
    cache.findings = all.len();
    cache.problem_dates = None;
    cache.messages.end_run();
    all
}

/// The codes of [`REGISTRY`] in alphabetical order.
static CODES_SORTED: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut codes: Vec<&'static str> = REGISTRY.iter().map(|c| c.meta().code).collect();
    codes.sort_unstable();
    codes
});

/// The rank of `code` among the codes of [`REGISTRY`] in alphabetical order.
fn rank_of(code: &str) -> Option<usize> {
    CODES_SORTED.binary_search(&code).ok()
}

/// The key [`sort_by_position`] sorts the `i`th finding `f` by, its code being the `rank`th:
/// its start, end, the code's rank and `i`, packed into a `u128` (`None` if an offset or the
/// index takes more than 32 bits).
fn sort_key(i: usize, f: &Finding, rank: usize) -> Option<u128> {
    let start = u32::try_from(f.range.start).ok()?;
    let end = u32::try_from(f.range.end).ok()?;
    let i = u32::try_from(i).ok()?;
    Some(
        (u128::from(start) << 96)
            | (u128::from(end) << 64)
            | ((rank as u128) << 32)
            | u128::from(i),
    )
}

/// `findings` in order of position (start, then end), then code; findings equal in all three
/// keep the order they were pushed in.
///
/// The findings themselves are large: with `keys` (one [`sort_key`] per finding, in order)
/// they are put in place by swaps along the cycles of the permutation, after a sort of the
/// keys (the checks push runs already in order, which the stable sort merges): no second
/// list, and each finding moved about once. Without (an offset beyond 32 bits, or a code not
/// in the registry), the findings are sorted themselves.
fn sort_by_position(mut findings: Vec<Finding>, keys: Option<Vec<u128>>) -> Vec<Finding> {
    let Some(mut keys) = keys.filter(|k| k.len() == findings.len()) else {
        findings.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
        });
        return findings;
    };
    if keys.is_sorted() {
        return findings;
    }
    keys.sort();
    // `from[i]`: the index of the finding that goes to `i` (`DONE` once it is there).
    const DONE: u32 = u32::MAX;
    let mut from: Vec<u32> = keys.iter().map(|&k| k as u32).collect();
    drop(keys);
    for start in 0..from.len() {
        let mut i = start;
        while from[i] != DONE {
            let src = from[i] as usize;
            from[i] = DONE;
            if src == start {
                break;
            }
            // The finding that goes to `i` is still where it was (every earlier swap of this
            // cycle moved only the one that started it).
            findings.swap(i, src);
            i = src;
        }
    }
    findings
}

/// Test helper: the code a marker line names, for `^^^ code` annotations.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::engine::{Config, analyze};

    /// Groups that are quoted and named like people ("Americans said", "Virginia Democrats"),
    /// for the checks that must not take them for persons. One line, ending in a line break.
    pub const GROUPS_SPEAK: &str = "“We want jobs,” Americans said. “We want peace,” Muslims \
        said. “We will win,” said Democrats in the state. Later the Virginia Democrats met.\n";

    /// Parses a fixture of prose lines with marker lines under them:
    ///
    /// ```text
    /// “We won,” he said.
    /// ^^^^^^^^^ unattributed-quote
    /// ```
    ///
    /// A marker line consists of spaces, a run of `^` and a code; its carets sit under the
    /// characters (not bytes) of the line above. Returns the text without marker lines and the
    /// expected (range, code) pairs.
    pub fn parse_markers(fixture: &str) -> (String, Vec<(TextRange, String)>) {
        let mut text = String::new();
        let mut expected = Vec::new();
        let mut prev_line_start: Option<usize> = None;
        for line in fixture.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let trimmed = body.trim_start();
            let is_marker = trimmed.starts_with('^')
                && trimmed.trim_start_matches('^').starts_with(' ')
                && prev_line_start.is_some();
            if is_marker {
                let line_start = prev_line_start.unwrap();
                let prev = text[line_start..].trim_end_matches(['\n', '\r']);
                let col = body.len() - trimmed.len();
                let carets = trimmed.len() - trimmed.trim_start_matches('^').len();
                let code = trimmed.trim_start_matches('^').trim().to_string();
                let char_to_byte = |c: usize| {
                    prev.char_indices().nth(c).map_or(prev.len(), |(i, _)| i) + line_start
                };
                expected.push((
                    TextRange::new(char_to_byte(col), char_to_byte(col + carets)),
                    code,
                ));
            } else {
                prev_line_start = Some(text.len());
                text.push_str(line);
            }
        }
        (text, expected)
    }

    /// Asserts that the findings with `code` on the fixture are exactly those its markers name.
    #[track_caller]
    pub fn check(code: &str, fixture: &str) {
        check_with(code, fixture, &Config::default());
    }

    #[track_caller]
    pub fn check_with(code: &str, fixture: &str, config: &Config) {
        let (text, expected) = parse_markers(fixture);
        let analysis = analyze(&text, config);
        let got: Vec<(TextRange, String)> = analysis
            .findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| (f.range, f.code.to_string()))
            .collect();
        let expected: Vec<_> = expected.into_iter().filter(|(_, c)| c == code).collect();
        if got != expected {
            let show = |v: &[(TextRange, String)]| {
                v.iter()
                    .map(|(r, c)| format!("  {c} {:?} {:?}\n", r, &text[r.start..r.end]))
                    .collect::<String>()
            };
            panic!(
                "findings for {code} differ\nexpected:\n{}got:\n{}",
                show(&expected),
                show(&got)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message made again is the same shared text, not a copy; one made differently is
    /// another text; messages nobody asks for any more are let go; a short one is inline.
    #[test]
    fn messages_are_shared_and_pruned() {
        let mut messages = Messages::default();
        let a = messages.make(|m| m.push_str("Said by Ana Ruiz of the city council"));
        let b = messages.make(|m| {
            m.push_str("Said by ");
            m.push_str("Ana Ruiz of the city council");
        });
        let c = messages.make(|m| m.push_str("Said by Tom Reed of the city council"));
        assert_eq!(a, "Said by Ana Ruiz of the city council");
        assert_eq!(a, b);
        assert_eq!(a.as_str().as_ptr(), b.as_str().as_ptr());
        assert_eq!(c, "Said by Tom Reed of the city council");
        assert_ne!(a, c);
        assert_eq!(messages.known.len(), 2);
        // A short message is held inline: not kept, nothing to share.
        let short = messages.make(|m| m.push_str("Said by Ana"));
        assert_eq!(short, "Said by Ana");
        assert!(!short.is_allocated());
        assert_eq!(messages.known.len(), 2);
        messages.end_run();
        assert_eq!(messages.known.len(), 2, "kept while few");
        for n in 0..2000 {
            messages.make(|m| m.push_str(&format!("message number {n} of the long run")));
        }
        messages.end_run();
        assert_eq!(messages.known.len(), 2002, "all asked for in the last run");
        messages.make(|m| m.push_str("a message asked for once only"));
        messages.end_run();
        assert!(messages.known.is_empty(), "mostly unused: forgotten");
        // A message outlives the cache that made it, and serialises as its text.
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            "\"Said by Ana Ruiz of the city council\""
        );
        assert_eq!(
            format!("{a:?}"),
            format!("{:?}", "Said by Ana Ruiz of the city council")
        );
    }

    /// Findings sorted through their keys come out exactly as sorting the findings by (start,
    /// end, code), stably, would put them: with ties in all three, codes out of the registry
    /// and offsets beyond 32 bits (the fallback).
    #[test]
    fn sorting_by_keys_equals_sorting_the_findings() {
        use crate::generate::Rng;
        let finding = |code: &'static str, start: usize, end: usize, n: usize| Finding {
            code,
            severity: Severity::Hint,
            range: TextRange::new(start, end),
            message: Message::copy(&n.to_string()),
            fixes: Fixes::NONE,
        };
        let mut rng = Rng::new(5);
        let codes: Vec<&'static str> = REGISTRY.iter().map(|c| c.meta().code).collect();
        for round in 0..200 {
            let len = rng.below(60);
            let far = if round % 10 == 9 { 1 << 33 } else { 0 };
            let mut findings: Vec<Finding> = (0..len)
                .map(|n| {
                    let start = far + rng.below(20);
                    let code = if round % 7 == 6 && n == 0 {
                        "not-a-registered-code"
                    } else {
                        codes[rng.below(4)]
                    };
                    finding(code, start, start + rng.below(3), n)
                })
                .collect();
            if round % 5 == 0 {
                findings.sort_by_key(|f| f.range.start);
            }
            let mut want = findings.clone();
            want.sort_by(|a, b| {
                (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
            });
            let keys: Option<Vec<u128>> = findings
                .iter()
                .enumerate()
                .map(|(i, f)| sort_key(i, f, rank_of(f.code)?))
                .collect();
            let keyed = len == 0 || (far == 0 && round % 7 != 6);
            assert_eq!(keys.is_some(), keyed, "round {round}");
            assert_eq!(sort_by_position(findings, keys), want, "round {round}");
        }
    }

    /// After typing-like edits (letters, words, quotation marks, names, line breaks, deletions)
    /// anywhere in a story, the findings of an [`Analyzer`](crate::engine::Analyzer) that
    /// carries the checks' work over from one version to the next are exactly those of a fresh
    /// analysis; and the work is carried over (quotations keep their text ids and flagged ones
    /// their messages), or the test would prove nothing.
    #[test]
    fn carried_over_findings_equal_fresh_ones_after_typing() {
        use crate::engine::{Analyzer, analyze_as};
        use crate::generate::{Options, Rng, Typing, Typist, manuscript};
        let config = Config::default();
        let typed: &[&str] = &[
            "x",
            " ",
            "the ",
            "said ",
            "Smith",
            " Anna",
            "Mr. ",
            "“",
            "”",
            ".",
            ", ",
            "\n",
            "\n\n",
            "“We will never give up the port to anyone,” Ana Ruiz said. ",
            "“We will never give up the port to anyone,” Tom Reed said. ",
            "On Monday ",
            "é",
        ];
        let mut rng = Rng::new(11);
        let (mut steps, mut flagged) = (0, 0);
        let mut analyzer = Analyzer::default();
        for round in 0..10u64 {
            let markdown = round % 2 == 0;
            let opts = Options {
                seed: 200 + round,
                size: 6000,
                markdown,
                ascii: round % 3 == 0,
            };
            let (format, mut text) = (opts.format(), manuscript(&opts));
            // A new document half the time; else the next story is typed into the same
            // analyzer, which has to forget what no longer applies.
            if round % 2 == 0 {
                analyzer = Analyzer::default();
            }
            let _ = analyzer.analyze(&text, format, &config);
            let mut typist = Typist::new(
                &mut rng,
                &text,
                Typing {
                    jump_one_in: 5,
                    choices: 8,
                    deletes: 1,
                    max_delete: 8,
                    delete_names: false,
                    typed,
                },
            );
            for step in 0..20 {
                typist.step(&mut rng, &mut text);
                let cached = analyzer.analyze(&text, format, &config);
                let fresh = analyze_as(&text, format, &config);
                assert_eq!(
                    format!("{:?}", cached.findings),
                    format!("{:?}", fresh.findings),
                    "round {round} step {step}: {text:?}"
                );
                steps += 1;
                flagged += fresh
                    .findings
                    .iter()
                    .filter(|f| f.message.starts_with("The same words are given"))
                    .count();
            }
        }
        let (ids, messages, runs) = analyzer.checks.quote_mismatch.carried;
        assert!(
            flagged > 0,
            "no quotation given to two speakers in {steps} edits"
        );
        assert!(ids > 0, "no quotation kept its text id");
        assert!(messages > 0, "no finding kept its message");
        assert!(runs > 0, "no run kept all its findings");
        assert!(runs < steps, "every run kept all its findings");
    }

    #[test]
    fn codes_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for check in REGISTRY {
            let m = check.meta();
            assert!(seen.insert(m.code), "duplicate code {}", m.code);
            assert!(
                !m.code.is_empty()
                    && m.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && !m.code.starts_with('-')
                    && !m.code.ends_with('-'),
                "{} is not kebab-case",
                m.code
            );
            assert!(
                !m.summary.ends_with('.') && !m.summary.contains('\n'),
                "{}: summary must be one line",
                m.code
            );
            for section in ["## What it flags", "## Why", "## Example"] {
                assert!(
                    m.explanation.contains(section),
                    "{}: explanation lacks {section}",
                    m.code
                );
            }
        }
    }

    #[test]
    fn markers_map_characters_to_bytes() {
        let (text, exp) = testing::parse_markers("a “b” c\n  ^^^ x\n");
        assert_eq!(text, "a “b” c\n");
        assert_eq!(exp.len(), 1);
        assert_eq!(exp[0].0.of(&text), "“b”");
    }
}
