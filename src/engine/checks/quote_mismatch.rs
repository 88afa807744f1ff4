//! `quote-mismatch`: the same quotation twice with different wording, or the same words given
//! to two speakers.

use rustc_hash::FxHashMap;

use super::{Check, CheckMeta, Finding, Fixes, Message, Severity};
use crate::engine::Analysis;
use crate::engine::quotes::{Quote, QuoteKind, SpeakerClass};
use crate::engine::shared::SharedText;

pub struct QuoteMismatch;

static META: CheckMeta = CheckMeta {
    code: "quote-mismatch",
    default_severity: Severity::Warning,
    summary: "A quotation repeated with different wording, or given to two speakers",
    explanation: "\
## What it flags
A quotation that appears twice in the story with slightly different words (a pull quote, a
summary paragraph or a repeated line that no longer matches the body), and the same words
given to two different speakers.

## Why
A quotation is a promise that these were the speaker's exact words. Two versions cannot both
be exact, and the same words cannot have been said by two people unless the story says so.
Usually one copy was edited and the other was not.

## Example
```text
“We will never give up the port,” Ruiz said.

Later she repeated: “We will never give up this port.”
```
Check the notes or the recording and make both copies match.
",
};

/// The words of `s`, lowercased and without punctuation, joined by single spaces.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    for w in s.split_whitespace() {
        if w.is_ascii() {
            // The letters and digits of an ASCII word, lowercased, go straight into `out`.
            let mark = out.len();
            if !out.is_empty() {
                out.push(' ');
            }
            let start = out.len();
            out.extend(
                w.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            if out.len() == start {
                out.truncate(mark);
            }
            continue;
        }
        word.clear();
        word.extend(w.chars().filter(|c| c.is_alphanumeric()));
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            word.make_ascii_lowercase();
            out.push_str(&word);
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// Share of distinct words two quotations have in common (Jaccard), on sorted word-id sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// The Jaccard threshold below which two quotations are not compared further.
const MIN_OVERLAP: f64 = 0.5;

/// The normalised Levenshtein similarity from which two different texts are one quotation
/// reworded.
const MIN_SPELLING: f64 = 0.8;

/// One minus the Levenshtein distance of `a` and `b` over `longest`, the length in characters of
/// the longer of them (1 for two empty texts). The distance comes from rapidfuzz's
/// bit-parallel algorithm, dozens of times faster than the textbook table on quotation-length
/// texts.
fn spelling_similarity(a: &str, b: &str, longest: usize) -> f64 {
    if longest == 0 {
        return 1.0;
    }
    let distance = rapidfuzz::distance::levenshtein::distance(a.chars(), b.chars());
    1.0 - distance as f64 / longest as f64
}

/// Pairs `(earlier, later)` of quotations whose word sets have a Jaccard similarity of at least
/// [`MIN_OVERLAP`], found by prefix filtering (Chaudhuri et al. 2006): with the words of every
/// set ordered rarest first, two sets that similar must share a word among the first
/// `|s| - ceil(t·|s|) + 1` words of each. Only quotations sharing such a word are compared, so
/// the check stays near-linear on a long manuscript instead of comparing every pair.
fn similar_pairs(sets: &[Vec<u32>], vocabulary: usize) -> Vec<(usize, usize)> {
    let mut df = vec![0u32; vocabulary];
    for set in sets {
        for &w in set {
            df[w as usize] += 1;
        }
    }
    let mut index: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    let mut seen = vec![usize::MAX; sets.len()];
    let mut pairs = Vec::new();
    for (j, set) in sets.iter().enumerate() {
        let mut ordered = set.clone();
        ordered.sort_by_key(|&w| (df[w as usize], w));
        let prefix = set.len() - (MIN_OVERLAP * set.len() as f64).ceil() as usize + 1;
        for &w in &ordered[..prefix.min(ordered.len())] {
            if let Some(earlier) = index.get(&w) {
                for &i in earlier {
                    if seen[i] != j {
                        seen[i] = j;
                        // Jaccard similarity is at most |small| / |large|: skip pairs whose
                        // sizes alone rule it out before merging their words.
                        let (small, large) = if sets[i].len() < set.len() {
                            (sets[i].len(), set.len())
                        } else {
                            (set.len(), sets[i].len())
                        };
                        if (small as f64) < MIN_OVERLAP * large as f64 {
                            continue;
                        }
                        if jaccard(&sets[i], set) >= MIN_OVERLAP {
                            pairs.push((i, j));
                        }
                    }
                }
            }
            index.entry(w).or_default().push(j);
        }
    }
    pairs.sort_unstable_by_key(|&(i, j)| (j, i));
    pairs
}

/// Who a quotation is given to, for comparing speakers: the entity the speaker was linked to,
/// or else the words that name them, compared without regard to case.
#[derive(Clone, Copy, Debug)]
enum SpeakerKey<'a> {
    Entity(usize),
    Name(&'a str),
}

impl PartialEq for SpeakerKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (SpeakerKey::Entity(a), SpeakerKey::Entity(b)) => a == b,
            (SpeakerKey::Name(a), SpeakerKey::Name(b)) if a.is_ascii() && b.is_ascii() => {
                a.eq_ignore_ascii_case(b)
            }
            (SpeakerKey::Name(a), SpeakerKey::Name(b)) => a
                .chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase)),
            _ => false,
        }
    }
}

/// The speaker of `q` to compare, if it has one that names somebody (an unresolved pronoun
/// does not).
fn speaker_key(q: &Quote) -> Option<SpeakerKey<'_>> {
    let s = q.speaker.as_ref()?;
    if matches!(s.class, SpeakerClass::Pronoun) && s.entity.is_none() {
        return None;
    }
    Some(
        s.entity
            .map_or(SpeakerKey::Name(&s.name), SpeakerKey::Entity),
    )
}

/// What `quote-mismatch` keeps from one analysis to the next: which distinct texts the
/// quotations' contents are, and which of those texts are rewordings of each other. Both depend
/// only on the contents. While an edit leaves every content one that was seen before (a
/// keystroke outside any quotation), nothing is compared again; a few new contents (a
/// keystroke inside a quotation) are compared with the known texts one by one; many new
/// contents, or a cache that holds far more contents than the document, are grouped and
/// compared again from scratch.
#[derive(Default)]
pub struct Cache {
    /// The text id of each quotation content (`None`: fewer than six words).
    by_content: FxHashMap<Box<str>, Option<usize>>,
    /// The id of each distinct text (a content's words, normalised).
    text_ids: FxHashMap<String, usize>,
    /// Per text id: the text, its set of word ids, and the ids of the texts that are
    /// rewordings of it.
    texts: Vec<String>,
    sets: Vec<Vec<u32>>,
    reworded: Vec<Vec<usize>>,
    /// The id of each word of the texts; built only when a text is added one by one.
    vocabulary: FxHashMap<String, u32>,
    /// The last run's quotations, in order (see [`Last`]). A run compares its quotations with
    /// these from both ends; those that match keep their text ids, and only those in between
    /// are looked up by their text, so a keystroke hashes the quotations it touched, not all
    /// of them.
    last: Vec<Last>,
    /// The last run's findings: the index of the flagged quotation among `last`, and the
    /// message, in order.
    ///
    /// A finding depends on the flagged quotation and on every quotation before it (the
    /// earliest one it contradicts), through their text ids, the rewordings among the texts and
    /// the speakers. So when every quotation has the same content and speaker as in the last
    /// run (a keystroke outside any quotation that moves no speaker), the findings are the last
    /// run's, at the quotations' new ranges. Otherwise they are found again, and a flagged
    /// quotation at both ends that says the same two names gets its message back instead of
    /// writing and hashing it again.
    found: Vec<(usize, Message)>,
    /// How many quotations kept their text id, how many findings their message, and how many
    /// runs all their findings, since the cache was made (for tests: the carry-over happens).
    pub(crate) carried: (usize, usize, usize),
}

/// A quotation of the last run: its content, its text id ([`NO_ID`]: fewer than six words) and
/// its speaker as far as the check reads it ([`Said`]). Contents are compared by identity first
/// ([`same_text`]): a paragraph kept by the paragraph cache hands out the same shared texts
/// again, and holding them here keeps their memory from being reused for another text.
struct Last {
    content: SharedText,
    id: usize,
    speaker: Option<Said>,
}

/// What the check reads of a quotation's speaker: the name (for messages and, without an
/// entity, for comparing speakers), the entity, and whether the words are a pronoun (an
/// unresolved one is nobody). [`speaker_key`] and the messages depend on nothing else.
#[derive(Clone)]
struct Said {
    name: SharedText,
    entity: Option<usize>,
    pronoun: bool,
}

impl Said {
    fn of(q: &Quote) -> Option<Said> {
        q.speaker.as_ref().map(|s| Said {
            name: s.name.clone(),
            entity: s.entity,
            pronoun: matches!(s.class, SpeakerClass::Pronoun),
        })
    }

    /// Whether `q`'s speaker reads as this one.
    fn is_of(this: &Option<Said>, q: &Quote) -> bool {
        match (this, &q.speaker) {
            (None, None) => true,
            (Some(a), Some(s)) => {
                a.entity == s.entity
                    && a.pronoun == matches!(s.class, SpeakerClass::Pronoun)
                    && same_text(&a.name, &s.name)
            }
            _ => false,
        }
    }
}

/// Whether `message` is the one [`given_to_two`] writes for `later` and `earlier`.
fn says_given_to_two(message: &str, later: &str, earlier: &str) -> bool {
    message
        .strip_prefix(GIVEN[0])
        .and_then(|r| r.strip_prefix(later))
        .and_then(|r| r.strip_prefix(GIVEN[1]))
        .and_then(|r| r.strip_prefix(earlier))
        == Some(GIVEN[2])
}

/// Whether `a` and `b` are the same text: one text in memory (a shared text is kept alive by
/// its holders, so two that point at the same bytes while both are held are the same text), or
/// else equal byte for byte (a paragraph scanned again makes new texts of its unchanged
/// quotations).
fn same_text(a: &SharedText, b: &SharedText) -> bool {
    std::ptr::eq(a.as_str(), b.as_str()) || a.as_str() == b.as_str()
}

/// The text id of a quotation of fewer than six words (not compared).
const NO_ID: usize = usize::MAX;
/// The text id of a content the cache has not seen yet.
const NEW: usize = usize::MAX - 1;

/// Up to this many new contents are added to the cache one by one; more are grouped afresh.
const ADD_AT_MOST: usize = 16;

/// Whether two distinct texts whose word sets are similar enough are one quotation reworded:
/// neither an excerpt of the other, and close in spelling.
fn rewording(a: &str, b: &str) -> bool {
    // The edit distance is at least the difference in length: skip pairs whose lengths alone
    // put them below the threshold before computing it.
    let (la, lb) = (a.chars().count(), b.chars().count());
    if (la.abs_diff(lb) as f64) > (1.0 - MIN_SPELLING) * la.max(lb) as f64 {
        return false;
    }
    // An excerpt of the other? (The texts are distinct, so only a shorter one can be.)
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if short.len() < long.len() && long.contains(short) {
        return false;
    }
    spelling_similarity(a, b, la.max(lb)) >= MIN_SPELLING
}

/// The sorted, distinct word ids of `text`, giving new words the next ids of `vocabulary`.
fn word_set<'t, K: std::borrow::Borrow<str> + std::hash::Hash + Eq>(
    text: &'t str,
    vocabulary: &mut FxHashMap<K, u32>,
    key: impl Fn(&'t str) -> K,
) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::with_capacity(text.bytes().filter(|&b| b == b' ').count() + 1);
    ids.extend(text.split(' ').map(|w| match vocabulary.get(w) {
        Some(&id) => id,
        None => {
            let id = vocabulary.len() as u32;
            vocabulary.insert(key(w), id);
            id
        }
    }));
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl Cache {
    /// Groups the quotations by their words and finds the rewordings among the distinct texts,
    /// from scratch.
    fn rebuild(&mut self, quotes: &[&Quote]) {
        // Quotations of six words or more (shorter ones repeat by chance), grouped by their
        // words: a long manuscript repeats the same quotation many times, and identical texts
        // are compared once, as one distinct text. (Maps and lists sized for the quotations
        // up front, not grown.)
        let mut text_ids: FxHashMap<String, usize> =
            FxHashMap::with_capacity_and_hasher(quotes.len(), Default::default());
        let mut texts: Vec<String> = Vec::with_capacity(quotes.len());
        self.by_content.clear();
        self.by_content.reserve(quotes.len());
        for q in quotes {
            if self.by_content.contains_key(q.content.as_str()) {
                continue;
            }
            let ws = words(&q.content);
            let id = (ws.split(' ').count() >= 6).then(|| {
                *text_ids.entry(ws).or_insert_with_key(|ws| {
                    texts.push(ws.clone());
                    texts.len() - 1
                })
            });
            self.by_content.insert(q.content.as_str().into(), id);
        }
        // Sized for half the words of the texts (about six bytes a word): quotations share
        // many of their words.
        let words_in_texts: usize = texts.iter().map(|t| t.len() / 6 + 1).sum();
        let mut vocabulary: FxHashMap<&str, u32> =
            FxHashMap::with_capacity_and_hasher(words_in_texts / 2, Default::default());
        let sets: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| word_set(t, &mut vocabulary, |w| w))
            .collect();
        let mut reworded: Vec<Vec<usize>> = vec![Vec::new(); texts.len()];
        for (i, j) in similar_pairs(&sets, vocabulary.len()) {
            if rewording(&texts[j], &texts[i]) {
                reworded[i].push(j);
                reworded[j].push(i);
            }
        }
        drop(vocabulary);
        self.text_ids = text_ids;
        self.texts = texts;
        self.sets = sets;
        self.reworded = reworded;
        self.vocabulary.clear();
    }

    /// The text id of `content`, adding it (and its text, compared with every known text)
    /// if it is new.
    fn id_or_add(&mut self, content: &str) -> Option<usize> {
        if let Some(&id) = self.by_content.get(content) {
            return id;
        }
        let ws = words(content);
        let id = if ws.split(' ').count() < 6 {
            None
        } else if let Some(&id) = self.text_ids.get(&ws) {
            Some(id)
        } else {
            if self.vocabulary.is_empty() {
                // The ids `rebuild` gave: in order of first use over the texts in order.
                for t in &self.texts {
                    word_set(t, &mut self.vocabulary, str::to_string);
                }
            }
            let set = word_set(&ws, &mut self.vocabulary, str::to_string);
            let j = self.texts.len();
            let mut reworded_j = Vec::new();
            for (i, other) in self.sets.iter().enumerate() {
                if jaccard(other, &set) >= MIN_OVERLAP && rewording(&ws, &self.texts[i]) {
                    self.reworded[i].push(j);
                    reworded_j.push(i);
                }
            }
            self.reworded.push(reworded_j);
            self.sets.push(set);
            self.text_ids.insert(ws.clone(), j);
            self.texts.push(ws);
            Some(j)
        };
        self.by_content.insert(content.into(), id);
        id
    }
}

/// The fixed parts of the message [`given_to_two`] writes.
const GIVEN: [&str; 3] = ["The same words are given to ", " here and to ", " earlier"];

/// The message for a rewording.
const REWORDED: &str = "This quotation appears earlier in the story with different wording";

/// Writes "The same words are given to {later} here and to {earlier} earlier".
fn given_to_two(m: &mut String, later: &str, earlier: &str) {
    m.push_str(GIVEN[0]);
    m.push_str(later);
    m.push_str(GIVEN[1]);
    m.push_str(earlier);
    m.push_str(GIVEN[2]);
}

impl Check for QuoteMismatch {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        self.run_cached(analysis, &mut super::Cache::default(), out);
    }

    fn run_cached(&self, analysis: &Analysis, cache: &mut super::Cache, out: &mut Vec<Finding>) {
        let super::Cache {
            quote_mismatch: cache,
            messages,
            ..
        } = cache;
        let quotes = || {
            analysis
                .quotes
                .iter()
                .filter(|q| q.kind != QuoteKind::NotAQuote)
        };
        let mut current: Vec<&Quote> = Vec::with_capacity(cache.last.len());
        current.extend(quotes());
        // The text id of each quotation: those at both ends that are the last run's contents
        // keep the ids they had; the others are looked up (`NEW`: not seen yet).
        let last = std::mem::take(&mut cache.last);
        let (n, m) = (current.len(), last.len());
        let head = current
            .iter()
            .zip(&last)
            .take_while(|(q, l)| same_text(&q.content, &l.content))
            .count();
        if head == n
            && n == m
            && current
                .iter()
                .zip(&last)
                .all(|(q, l)| Said::is_of(&l.speaker, q))
        {
            // The same contents and speakers in the same order: the same findings.
            cache.carried.0 += n;
            cache.carried.1 += cache.found.len();
            cache.carried.2 += 1;
            out.extend(cache.found.iter().map(|(i, message)| Finding {
                code: META.code,
                severity: META.default_severity,
                range: current[*i].range,
                message: message.clone(),
                fixes: Fixes::NONE,
            }));
            cache.last = last;
            return;
        }
        let tail = current[head..]
            .iter()
            .rev()
            .zip(last[head..].iter().rev())
            .take_while(|(q, l)| same_text(&q.content, &l.content))
            .count();
        cache.carried.0 += head + tail;
        // The index of the last run's quotation the `i`th one is, if it is one of those
        // (growing with `i`).
        let was = |i: usize| -> Option<usize> {
            if i < head {
                Some(i)
            } else if i >= n - tail {
                Some(i + m - n)
            } else {
                None
            }
        };
        let mut ids: Vec<usize> = Vec::with_capacity(n);
        ids.extend(last[..head].iter().map(|l| l.id));
        let mut new = 0;
        for q in &current[head..n - tail] {
            ids.push(match cache.by_content.get(q.content.as_str()) {
                Some(&id) => id.unwrap_or(NO_ID),
                None => {
                    new += 1;
                    NEW
                }
            });
        }
        ids.extend(last[m - tail..].iter().map(|l| l.id));
        drop(last);
        if new > 0 {
            let few = new <= ADD_AT_MOST
                && !cache.texts.is_empty()
                && cache.by_content.len() <= 2 * analysis.quotes.len() + 64;
            if few {
                // Known texts keep their ids: only the new contents are looked up.
                for (q, id) in current.iter().zip(&mut ids) {
                    if *id == NEW {
                        *id = cache.id_or_add(&q.content).unwrap_or(NO_ID);
                    }
                }
            } else {
                cache.rebuild(&current);
                for (q, id) in current.iter().zip(&mut ids) {
                    *id = cache
                        .by_content
                        .get(q.content.as_str())
                        .copied()
                        .flatten()
                        .unwrap_or(NO_ID);
                }
            }
        }
        // The quotations of six words or more: each, the id of its text and its index.
        let mut occurrences: Vec<(&Quote, usize, usize)> = Vec::with_capacity(n);
        occurrences.extend(
            current
                .iter()
                .zip(&ids)
                .enumerate()
                .filter(|&(_, (_, &id))| id != NO_ID)
                .map(|(i, (&q, &id))| (q, id, i)),
        );
        cache.last = current
            .iter()
            .zip(&ids)
            .map(|(q, &id)| Last {
                content: q.content.clone(),
                id,
                speaker: Said::of(q),
            })
            .collect();
        let last_found = std::mem::take(&mut cache.found);
        let mut last_found = last_found.iter().peekable();
        let mut found = Vec::with_capacity(last_found.len());
        let texts = cache.reworded.len();
        let reworded = &cache.reworded;
        // In document order, each quotation is compared with the earliest earlier quotation
        // that it contradicts: a rewording of it, or the same words from another speaker.
        let mut first: Vec<Option<usize>> = vec![None; texts];
        let mut earliest_rewording: Vec<Option<usize>> = vec![None; texts];
        // Per text: the first occurrence with a speaker, and the first whose speaker differs.
        let mut first_keyed: Vec<Option<(usize, SpeakerKey<'_>)>> = vec![None; texts];
        let mut first_other: Vec<Option<usize>> = vec![None; texts];
        for (pos, &(later, t, index)) in occurrences.iter().enumerate() {
            let key = speaker_key(later);
            let conflict = key.as_ref().and_then(|k| match &first_keyed[t] {
                Some((p, k0)) if k0 != k => Some(*p),
                Some(_) => first_other[t],
                None => None,
            });
            let rewording = earliest_rewording[t];
            let earliest = match (conflict, rewording) {
                (Some(c), Some(r)) => Some(c.min(r)),
                (c, r) => c.or(r),
            };
            if let Some(i) = earliest {
                let earlier = occurrences[i].0;
                let message = if Some(i) == conflict {
                    fn name(q: &Quote) -> &str {
                        q.speaker.as_ref().map_or("", |s| s.name.as_str())
                    }
                    let (l, e) = (name(later), name(earlier));
                    // The message this quotation had in the last run, if it says the same.
                    let mut kept = None;
                    if let Some(j) = was(index) {
                        while last_found.next_if(|f| f.0 < j).is_some() {}
                        kept = last_found
                            .peek()
                            .filter(|(j0, m)| *j0 == j && says_given_to_two(m, l, e))
                            .map(|f| f.1.clone());
                    }
                    match kept {
                        Some(message) => {
                            cache.carried.1 += 1;
                            message
                        }
                        None => messages.make(|m| given_to_two(m, l, e)),
                    }
                } else {
                    Message::fixed(REWORDED)
                };
                found.push((index, message.clone()));
                out.push(Finding {
                    code: META.code,
                    severity: META.default_severity,
                    range: later.range,
                    message,
                    fixes: Fixes::NONE,
                });
            }
            if first[t].is_none() {
                first[t] = Some(pos);
                for &u in &reworded[t] {
                    earliest_rewording[u].get_or_insert(pos);
                }
            }
            if let Some(k) = key {
                match &first_keyed[t] {
                    None => first_keyed[t] = Some((pos, k)),
                    Some((_, k0)) if *k0 != k && first_other[t].is_none() => {
                        first_other[t] = Some(pos)
                    }
                    Some(_) => {}
                }
            }
        }
        drop(last_found);
        cache.found = found;
    }
}

#[cfg(test)]
mod tests {
    use super::{MIN_OVERLAP, jaccard, similar_pairs};
    use crate::engine::checks::Check;
    use crate::engine::checks::testing::check;

    /// The ASCII fast path of `words` gives what the general one gives.
    #[test]
    fn words_of_ascii_and_other_text() {
        fn general(s: &str) -> String {
            s.split_whitespace()
                .map(|w| {
                    w.chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                        .to_lowercase()
                })
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        for s in [
            "We will NEVER give up -- the port, ok?",
            " -- ... ",
            "",
            "A-1 b2 \"C\" ' x",
            "Ünïcode Wörds, and ASCII ones — “quoted” ΣΑΣ",
            "é -- e",
        ] {
            assert_eq!(super::words(s), general(s), "{s:?}");
        }
    }

    #[test]
    fn prefix_filter_finds_exactly_the_similar_pairs() {
        // Pseudo-random word sets over a small vocabulary, so that many pairs are similar.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20 {
            let sets: Vec<Vec<u32>> = (0..60)
                .map(|_| {
                    let len = 6 + (next() % 8) as usize;
                    let mut s: Vec<u32> = (0..len).map(|_| (next() % 14) as u32).collect();
                    s.sort_unstable();
                    s.dedup();
                    s
                })
                .collect();
            let mut brute = Vec::new();
            for j in 0..sets.len() {
                for i in 0..j {
                    if jaccard(&sets[i], &sets[j]) >= MIN_OVERLAP {
                        brute.push((i, j));
                    }
                }
            }
            assert_eq!(similar_pairs(&sets, 14), brute);
        }
    }

    /// The grouped, indexed check finds exactly what comparing every pair of quotations in
    /// document order finds, on generated manuscripts that repeat and reword quotations.
    #[test]
    fn grouped_check_equals_the_pairwise_definition() {
        use crate::engine::{Config, analyze};
        use crate::generate::{Options, manuscript};
        use std::collections::BTreeSet;
        let mut total = 0;
        for seed in 0..6 {
            let text = manuscript(&Options {
                seed,
                size: 40_000,
                markdown: seed % 2 == 0,
                ascii: false,
            });
            let analysis = analyze(&text, &Config::default());
            let mut got = Vec::new();
            super::QuoteMismatch.run(&analysis, &mut got);
            let qs: Vec<(&super::Quote, String)> = analysis
                .quotes
                .iter()
                .filter(|q| q.kind != super::QuoteKind::NotAQuote)
                .map(|q| (q, super::words(&q.content)))
                .filter(|(_, w)| w.split(' ').count() >= 6)
                .collect();
            let set = |w: &str| w.split(' ').map(str::to_string).collect::<BTreeSet<_>>();
            let mut want = Vec::new();
            for j in 0..qs.len() {
                for i in 0..j {
                    let ((earlier, b), (later, a)) = (&qs[i], &qs[j]);
                    let (sa, sb) = (set(a), set(b));
                    let inter = sa.intersection(&sb).count();
                    if (inter as f64) < MIN_OVERLAP * (sa.len() + sb.len() - inter) as f64 {
                        continue;
                    }
                    let flagged = if a == b {
                        matches!(
                            (super::speaker_key(earlier), super::speaker_key(later)),
                            (Some(x), Some(y)) if x != y
                        )
                    } else {
                        !a.contains(b.as_str())
                            && !b.contains(a.as_str())
                            && strsim::normalized_levenshtein(a, b) >= super::MIN_SPELLING
                    };
                    if flagged {
                        want.push((later.range, earlier.range));
                        break;
                    }
                }
            }
            let got: Vec<_> = got.iter().map(|f| f.range).collect();
            let want: Vec<_> = want.iter().map(|(l, _)| *l).collect();
            assert_eq!(got, want, "seed {seed}");
            total += want.len();
        }
        // The manuscripts do contain mismatches, so the comparison means something.
        assert!(total > 0);
    }

    /// Run after run on successive versions of a manuscript, the cached check finds exactly
    /// what a fresh one finds: whether an edit leaves the quotations alone (the cache is
    /// reused) or rewords, adds or removes one (it is rebuilt).
    #[test]
    fn cached_runs_equal_fresh_ones_across_edits() {
        use crate::engine::checks::Cache;
        use crate::engine::{Config, analyze};
        use crate::generate::{Options, manuscript};
        let text = manuscript(&Options {
            seed: 3,
            size: 30_000,
            markdown: true,
            ascii: false,
        });
        let first_quote = text.find('“').expect("the manuscript quotes someone");
        let mut versions = [
            text.clone(),
            text.replacen("the ", "a ", 1),
            format!(
                "{}never {}",
                &text[..first_quote + 3],
                &text[first_quote + 3..]
            ),
            text.replacen('“', "", 1),
            text.clone(),
            format!("“We will never give up the port to anyone,” Ana Ruiz said.\n\n{text}"),
        ]
        .to_vec();
        // Words typed into, and taken out of, one quotation after another (the contents that
        // are new each time are added to the cache one by one).
        let mut edited = text.clone();
        for (n, (at, _)) in text.match_indices('“').enumerate().take(12) {
            let at = at + '“'.len_utf8() + (edited.len() - text.len());
            let word = ["surely ", "the ", "not ", "we "][n % 4];
            edited.insert_str(at, word);
            versions.push(edited.clone());
            if n % 3 == 0 {
                edited.replace_range(at..at + word.len(), "");
                versions.push(edited.clone());
            }
        }
        // Every quotation changed at once (grouped afresh).
        versions.push(text.replace('“', "“Indeed, "));
        let mut cache = Cache::default();
        let mut flagged = 0;
        for (n, v) in versions.iter().enumerate() {
            let analysis = analyze(v, &Config::default());
            let (mut cached, mut fresh) = (Vec::new(), Vec::new());
            super::QuoteMismatch.run_cached(&analysis, &mut cache, &mut cached);
            super::QuoteMismatch.run(&analysis, &mut fresh);
            assert_eq!(cached, fresh, "version {n}");
            flagged += fresh.len();
        }
        assert!(flagged > 0);
    }

    #[test]
    fn spelling_similarity_is_the_normalised_levenshtein_similarity() {
        for (a, b) in [
            (
                "we will never give up the port",
                "we will never give up this port",
            ),
            ("", ""),
            ("abc", ""),
            ("ünïcödé wörds", "unicode words"),
            ("kitten", "sitting"),
        ] {
            let longest = a.chars().count().max(b.chars().count());
            assert_eq!(
                super::spelling_similarity(a, b, longest),
                strsim::normalized_levenshtein(a, b),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn flags_a_repeated_quote_with_different_wording() {
        check(
            "quote-mismatch",
            "“We will never give up the port to anyone,” Ana Ruiz said.

Later she repeated: “We will never give up this port to anyone.”
                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-mismatch
",
        );
    }

    #[test]
    fn flags_the_same_words_given_to_two_speakers() {
        check(
            "quote-mismatch",
            "“We will never give up the port to anyone,” Ana Ruiz said.

“We will never give up the port to anyone,” Tom Reed said.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote-mismatch
",
        );
    }

    #[test]
    fn exact_repeats_excerpts_and_short_quotes_are_fine() {
        check(
            "quote-mismatch",
            "“We will never give up the port to anyone,” Ana Ruiz said.

Ruiz, who said “we will never give up the port”, left. “Yes,” she said. “No,” she added.

“We will never give up the port to anyone,” Ruiz said again.
",
        );
    }
}
