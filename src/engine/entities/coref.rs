//! Document stage of the entity engine: which candidates are names, and which entity each
//! belongs to.
//!
//! Contract: reads the paragraph scans in document order and returns entities whose mentions
//! are in document space, sorted, non-overlapping, with entities in order of first mention.
//! Linear in the number of candidates, except for look-ups among the people of one story.
//!
//! Rules, in order:
//! 1. A sentence-initial word (or a headline word) is kept only if the gazetteer knows it, or
//!    the same word is capitalised somewhere mid-sentence in the story and never lower-case.
//! 2. Full names group by name; a longer and a shorter full name group when the last words
//!    agree and the first words agree or one is an initial of the other. Two people who share
//!    a surname stay apart.
//! 3. A lone word joins the person whose surname (or first name) it is, the nearest mention
//!    before it when several qualify, else the first after it; otherwise it is a gazetteer
//!    name, a given name, or a word the context types ("X said", "in X").
//! 4. Organisations and places group by canonical name; an acronym joins the organisation
//!    whose initials it spells.
//! 5. A descriptor joins the person introduced with the same role signature (most recent
//!    first); a descriptor with no such person introduces the next new person of its
//!    paragraph ("According to the head of X … said Y") and gives them the role.

use std::cell::OnceCell;

mod patch;

use patch::{Patch, Stretch, patch};

use super::gazetteer::FastMap;

use super::gazetteer::{FastSet, GAZETTEER};
use super::recognise::{lower_word_hash, word_hash};
use super::{Candidate, Entity, Mention, MentionForm, RoleSig};
use crate::engine::config::{EntityKind, SheetEntity};
use crate::engine::shared::SharedVec;
use crate::engine::text::TextRange;
use crate::engine::{CachedBlock, Config, Placed};

/// A mention being grouped: the paragraph's candidate (borrowed, never copied) and what the
/// document stage changes about it, in document space.
/// The candidate's fields that every pass reads are copied in, so that the passes over all
/// items stay within the items rather than reach into every paragraph's scan.
struct Item<'a> {
    c: &'a Candidate,
    range: TextRange,
    name: TextRange,
    canonical: Option<&'a str>,
    sheet: Option<usize>,
    form: MentionForm,
    kind: Option<EntityKind>,
    cue: Option<EntityKind>,
    has_country: bool,
    /// The candidate has a role (and so a signature: they come together).
    has_role: bool,
    para: usize,
    entity: Option<usize>,
}

/// An entity being built. Its key, role and signature borrow from the text, the candidates,
/// the gazetteer or the sheet (as the keys of the maps do): a regroup makes a thousand of
/// these at 1 MB, and owned strings cost two allocations each; only the entities that end up
/// with mentions copy their strings out.
struct Building<'a> {
    kind: EntityKind,
    /// Grouping key: full name for people, canonical name for organisations and places.
    key: &'a str,
    /// Byte ranges of the key's words, computed once per key (see [`Building::set_key`]).
    words: KeyWords,
    role: Option<&'a str>,
    sig: Option<&'a RoleSig>,
    sheet: Option<usize>,
}

/// The byte ranges of a key's words: up to [`KeyWords::INLINE`] in place (nearly every name),
/// more in a list.
struct KeyWords {
    n: usize,
    inline: [(u32, u32); KeyWords::INLINE],
    more: Vec<(usize, usize)>,
}

impl KeyWords {
    const INLINE: usize = 4;

    fn new() -> KeyWords {
        KeyWords {
            n: 0,
            inline: [(0, 0); KeyWords::INLINE],
            more: Vec::new(),
        }
    }

    /// Sets the ranges to those of the words of `key`.
    fn split(&mut self, key: &str) {
        self.set(key, words(key));
    }

    /// Sets the ranges to those of `ws`, the words of `key` (slices of it).
    fn set<'k>(&mut self, key: &str, ws: impl IntoIterator<Item = &'k str>) {
        self.n = 0;
        self.more.clear();
        let base = key.as_ptr() as usize;
        for w in ws {
            // Each word is a slice of the key: its offset is where it starts.
            let start = w.as_ptr() as usize - base;
            debug_assert!(key.get(start..start + w.len()) == Some(w));
            self.push(start, start + w.len());
        }
    }

    fn push(&mut self, start: usize, end: usize) {
        if self.more.is_empty()
            && self.n < KeyWords::INLINE
            && let (Ok(a), Ok(b)) = (u32::try_from(start), u32::try_from(end))
        {
            self.inline[self.n] = (a, b);
        } else {
            if self.more.is_empty() {
                // Spill: every range goes to the list from now on.
                self.more.extend(
                    self.inline[..self.n]
                        .iter()
                        .map(|&(a, b)| (a as usize, b as usize)),
                );
            }
            self.more.push((start, end));
        }
        self.n += 1;
    }

    fn len(&self) -> usize {
        self.n
    }

    /// The `k`-th range.
    fn get(&self, k: usize) -> Option<(usize, usize)> {
        if k >= self.n {
            None
        } else if self.more.is_empty() {
            self.inline.get(k).map(|&(a, b)| (a as usize, b as usize))
        } else {
            self.more.get(k).copied()
        }
    }
}

impl<'a> Building<'a> {
    fn new(kind: EntityKind, key: &'a str) -> Building<'a> {
        let mut b = Building {
            kind,
            key: "",
            words: KeyWords::new(),
            role: None,
            sig: None,
            sheet: None,
        };
        b.set_key(key);
        b
    }

    /// Sets the key and splits it into words.
    fn set_key(&mut self, key: &'a str) {
        self.key = key;
        self.words.split(key);
    }

    /// [`Building::set_key`] with the words of `key` known (slices of it, as [`words`] gives
    /// them).
    fn set_key_words(&mut self, key: &'a str, ws: &[&str]) {
        self.key = key;
        self.words.set(key, ws.iter().copied());
    }

    /// The `k`-th word of the key ("" past the end).
    fn word(&self, k: usize) -> &'a str {
        let key = self.key;
        self.words
            .get(k)
            .and_then(|(a, b)| key.get(a..b))
            .unwrap_or("")
    }

    fn nwords(&self) -> usize {
        self.words.len()
    }

    /// The first word of the key.
    fn first(&self) -> Option<&'a str> {
        let key = self.key;
        self.words.get(0).and_then(|(a, b)| key.get(a..b))
    }

    /// The last word of the key (a person's surname).
    fn last(&self) -> Option<&'a str> {
        let key = self.key;
        self.words
            .len()
            .checked_sub(1)
            .and_then(|k| self.words.get(k))
            .and_then(|(a, b)| key.get(a..b))
    }
}

/// A hasher for keys that are already hashes (the word hashes of the paragraph scans): it
/// passes them through instead of hashing them again.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used for `u64` keys; folds any other input in, byte by byte (FNV-1a), so that
        // the hasher stays correct for any key.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of word hashes.
type HashSet64 = std::collections::HashSet<u64, std::hash::BuildHasherDefault<PassThrough>>;

/// For each probe word (by its hash): in how many paragraphs of the story it is capitalised
/// mid-sentence, and in how many it is written in lower case. The grouping reads only whether
/// each count is zero; the counts let [`carry_over`] tell whether an edited paragraph changed
/// that for any word.
type WordCounts =
    std::collections::HashMap<u64, (u32, u32), std::hash::BuildHasherDefault<PassThrough>>;

/// Which words the story capitalises mid-sentence and which it writes in lower case, for the
/// words its candidates ask about (the paragraphs' probes): gathering these from every
/// paragraph is a test per word against a small filter, where gathering every word of the
/// story would grow two large sets on every keystroke.
struct WordStats<'p> {
    /// The probes and their counts (kept from one analysis to the next).
    kept: KeptStats,
    /// Every paragraph's words, as (capitalised, lower case).
    all: Vec<(&'p [u64], &'p [u64])>,
    /// All words as sets, built only if a look-up falls outside `probes` (a name whose
    /// document text differs from its paragraph's prose mask), so that every answer is exact.
    full: OnceCell<(HashSet64, HashSet64)>,
}

/// What [`WordStats`] gathers from the paragraphs' word lists, which [`Cache`] keeps and
/// updates from one version to the next: gathering it means a visit to every paragraph's
/// word list, a third of the time of grouping a large story (they are cold by then).
struct KeptStats {
    /// A Bloom filter of the probes ([`PROBE_BITS`] bits, indexed by the top bits of the
    /// hash): most words fail it without a look-up in `probes`.
    /// (Kept up to date, it may have a few bits of probes that are no more: a false positive
    /// costs a look-up, nothing else.)
    bloom: Vec<u64>,
    /// The probes, each with the number of paragraphs that ask about it.
    probes: WordRefs,
    /// The probes' counts, or with `all_words` every word's (a word that occurs in no
    /// paragraph has no entry, or zeros).
    counts: WordCounts,
    /// Whether `counts` counts every word, not only the probes: then a paragraph may change
    /// its probes and the counts stay exact. A grouping that is remembered counts every word
    /// (for 0.5 % more instructions in the first analysis of a 1 MB story), so that an edit
    /// that brings a new word to ask about, such as the first letter of a name typed,
    /// patches the grouping rather than groups it again to count that word.
    all_words: bool,
}

/// Word hash → how many paragraphs ask about it.
type WordRefs = std::collections::HashMap<u64, u32, std::hash::BuildHasherDefault<PassThrough>>;

/// The size of the probe filter, in bits (a power of two; 8 KB).
const PROBE_BITS: usize = 1 << 16;

impl<'p> WordStats<'p> {
    /// Gathers the statistics, and pushes each paragraph's offset and candidates to `cands`
    /// on the way (one visit to each paragraph's scan: on a keystroke they are cold). With
    /// `kept`, the probes and counts of these very paragraphs, the word lists are not read;
    /// else `all_words` counts every word (see [`KeptStats::all_words`]).
    fn new(
        paras: &[Placed<'p>],
        cands: &mut Vec<(usize, &'p [Candidate])>,
        kept: Option<KeptStats>,
        all_words: bool,
    ) -> Self {
        let mut all = Vec::with_capacity(paras.len());
        cands.reserve(paras.len());
        if let Some(kept) = kept {
            for p in paras {
                let e: &'p super::ParaEntities = &p.scan.entities;
                cands.push((p.offset, e.cands.as_slice()));
                all.push((e.cap_words(), e.lower_words()));
            }
            let stats = WordStats {
                kept,
                all,
                full: OnceCell::new(),
            };
            #[cfg(debug_assertions)]
            stats.assert_counts_are_fresh(paras);
            return stats;
        }
        let mut probes = WordRefs::default();
        let mut bloom = vec![0u64; PROBE_BITS / 64];
        // The probes first; the words are filtered once every probe is known.
        for p in paras {
            let e: &'p super::ParaEntities = &p.scan.entities;
            cands.push((p.offset, e.cands.as_slice()));
            for &h in e.probes() {
                let n = probes.entry(h).or_default();
                if *n == 0 {
                    let bit = Self::bit(h);
                    bloom[bit / 64] |= 1 << (bit % 64);
                }
                *n += 1;
            }
            all.push((e.cap_words(), e.lower_words()));
        }
        let mut stats = WordStats {
            kept: KeptStats {
                bloom,
                probes,
                counts: WordCounts::default(),
                all_words,
            },
            all,
            full: OnceCell::new(),
        };
        let mut counts = WordCounts::default();
        for &(c, l) in &stats.all {
            for &h in c.iter().filter(|&&h| all_words || stats.is_probe(h)) {
                counts.entry(h).or_default().0 += 1;
            }
            for &h in l.iter().filter(|&&h| all_words || stats.is_probe(h)) {
                counts.entry(h).or_default().1 += 1;
            }
        }
        stats.kept.counts = counts;
        stats
    }

    /// Kept statistics are those a fresh gathering would give (zero counts aside).
    #[cfg(debug_assertions)]
    fn assert_counts_are_fresh(&self, paras: &[Placed<'p>]) {
        let fresh = WordStats::new(paras, &mut Vec::new(), None, self.kept.all_words);
        assert!(fresh.kept.probes == self.kept.probes);
        assert!(
            fresh
                .kept
                .bloom
                .iter()
                .zip(&self.kept.bloom)
                .all(|(f, k)| f & k == *f)
        );
        let nonzero = |c: &WordCounts| -> Vec<(u64, (u32, u32))> {
            let mut v: Vec<_> = c
                .iter()
                .filter(|(_, n)| **n != (0, 0))
                .map(|(h, n)| (*h, *n))
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(nonzero(&fresh.kept.counts), nonzero(&self.kept.counts));
    }

    fn bit(h: u64) -> usize {
        // The top bits: the hashes are FNV-1a, well mixed at the top.
        (h >> (64 - PROBE_BITS.trailing_zeros())) as usize
    }

    fn is_probe(&self, h: u64) -> bool {
        let bit = Self::bit(h);
        self.kept
            .bloom
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
            && self.kept.probes.contains_key(&h)
    }

    /// Every word of the story, as (capitalised mid-sentence, lower case).
    fn full(&self) -> &(HashSet64, HashSet64) {
        self.full.get_or_init(|| {
            (
                self.all.iter().flat_map(|a| a.0.iter().copied()).collect(),
                self.all.iter().flat_map(|a| a.1.iter().copied()).collect(),
            )
        })
    }

    /// Whether the word with hash `h` is capitalised somewhere mid-sentence.
    fn is_cap(&self, h: u64) -> bool {
        if self.is_probe(h) {
            self.kept.counts.get(&h).is_some_and(|c| c.0 > 0)
        } else {
            self.full().0.contains(&h)
        }
    }

    /// Whether the word with hash `h` occurs in lower case.
    fn is_lower(&self, h: u64) -> bool {
        if self.is_probe(h) {
            self.kept.counts.get(&h).is_some_and(|c| c.1 > 0)
        } else {
            self.full().1.contains(&h)
        }
    }
}

/// How many mentions back a surname or a descriptor looks for the person it stands for.
const LOOK_BACK: usize = 400;

/// Up to this many people of a descriptor's class, the most recent of them is found by
/// comparing their last mentions; with more, by walking back over the mentions before the
/// descriptor, which usually meets one of them within a few steps. Both find the same person.
const CLASS_SCAN_MAX: usize = 64;

/// The people of a story, indexed by the words of their names.
#[derive(Default)]
struct People {
    list: Vec<usize>,
    /// Whether each entity (by index) is in `list`.
    members: Vec<bool>,
    /// Word (by its hash) → the people with it in their name, each with the first letter of
    /// their name as it is now (kept current in the lists of the words of the current name).
    /// Every use checks the words themselves, so the hash only narrows the search.
    by_word: std::collections::HashMap<
        u64,
        Vec<(usize, char)>,
        std::hash::BuildHasherDefault<PassThrough>,
    >,
}

impl People {
    /// Records entity `e` (`b`) under every word of its name (again after its name grows).
    fn add(&mut self, e: usize, b: &Building<'_>) {
        if self.members.len() <= e {
            self.members.resize(e + 1, false);
        }
        if !std::mem::replace(&mut self.members[e], true) {
            self.list.push(e);
        }
        // The first letter of the name: of its first word.
        let first = b.first().and_then(|w| w.chars().next()).unwrap_or(' ');
        for w in (0..b.nwords()).map(|k| b.word(k)) {
            let v = self.by_word.entry(word_hash(w)).or_default();
            match v.iter_mut().find(|(p, _)| *p == e) {
                Some(entry) => entry.1 = first,
                None => v.push((e, first)),
            }
        }
    }

    /// People with `word` in their name, in order of creation, each with the first letter of
    /// their name (current for the people whose name still has `word`).
    fn with_word(&self, word: &str) -> &[(usize, char)] {
        self.by_word
            .get(&word_hash(word))
            .map_or(&[], Vec::as_slice)
    }
}

/// The words of `s`, as `str::split_whitespace` finds them, reading ASCII as bytes (names are
/// nearly always ASCII; other characters are decoded).
fn words(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    // Whether a (non-ASCII) character starts at `at`, and its length, if it is whitespace.
    let space_at = move |at: usize| -> Option<usize> {
        match bytes.get(at) {
            Some(&b) if b.is_ascii() => {
                matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r').then_some(1)
            }
            Some(_) => s
                .get(at..)
                .and_then(|r| r.chars().next())
                .filter(|c| c.is_whitespace())
                .map(char::len_utf8),
            None => None,
        }
    };
    let mut pos = 0;
    std::iter::from_fn(move || {
        // Skip whitespace, then take everything up to the next.
        while let Some(n) = space_at(pos) {
            pos += n;
        }
        let start = pos;
        while pos < bytes.len() && space_at(pos).is_none() {
            // Step over a whole character.
            pos += match bytes[pos] {
                b if b < 0x80 => 1,
                b if b >= 0xF0 => 4,
                b if b >= 0xE0 => 3,
                _ => 2,
            };
        }
        (pos > start).then(|| &s[start..pos])
    })
}

fn is_initial_of(a: &str, b: &str) -> bool {
    let a = a.trim_end_matches('.');
    a.chars().count() == 1 && b.starts_with(a)
}

/// Whether the full name of entity `a` and a full name `b` (as a word list) can be one person.
/// Reads `a`'s words precomputed: this runs for every full-name mention against the people
/// sharing its surname.
fn same_person(a: &Building, b: &[&str]) -> bool {
    if a.nwords() == b.len() && b.iter().enumerate().all(|(k, w)| a.word(k) == *w) {
        return true;
    }
    let (Some(la), Some(lb)) = (a.last(), b.last()) else {
        return false;
    };
    let (Some(fa), Some(fb)) = (a.first(), b.first()) else {
        return false;
    };
    la == *lb && (fa == *fb || is_initial_of(fa, fb) || is_initial_of(fb, fa))
}

/// Initials of a multi-word name, skipping function words ("International Criminal Court" → ICC).
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "&" | "The"))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Single words that look capitalised for grammatical reasons only: adjectives of place,
/// religion or direction ("Western", "Islamic").
fn adjective_like(w: &str) -> bool {
    ["ern", "ese", "ish", "ean", "ians", "ans"]
        .iter()
        .any(|s| w.ends_with(s))
        && !GAZETTEER.is_first_name(w)
}

/// The first word of a name of two words or more (only such a name has a first name).
fn first_of_several(s: &str) -> Option<&str> {
    let mut w = s.split_whitespace();
    let first = w.next();
    w.next().and(first)
}

/// Whether `b` is a different spelling of the surname of `a` (Jaro-Winkler ≥ 0.9), with the
/// same first name where both have one.
pub(crate) fn near_miss(a: &str, b: &str) -> bool {
    let (Some(sa), Some(sb)) = (
        a.split_whitespace().next_back(),
        b.split_whitespace().next_back(),
    ) else {
        return false;
    };
    near_miss_parts(first_of_several(a), sa, first_of_several(b), sb)
}

/// [`near_miss`] of two names given as their first names (of a name of two words or more,
/// see [`first_of_several`]) and surnames: the grouping has these at hand for its people.
/// The cheap tests come first (most pairs differ in the first letter or the length).
fn near_miss_parts(fa: Option<&str>, sa: &str, fb: Option<&str>, sb: &str) -> bool {
    let first_ok = match (fa, fb) {
        (Some(fa), Some(fb)) => fa == fb,
        _ => true,
    };
    sa != sb
        && sa.chars().next() == sb.chars().next()
        && {
            let (la, lb) = (sa.chars().count(), sb.chars().count());
            la >= 4 && lb >= 4 && la.abs_diff(lb) <= 2
        }
        && first_ok
        && strsim::jaro_winkler(sa, sb) >= 0.9
}

/// Groups the paragraph candidates of a document into entities.
///
/// This runs over the whole document on every keystroke, so it works on the cached paragraph
/// candidates in place (borrowed, shifted into document space on the fly), keys its maps by
/// borrowed strings, computes each entity key's words once, and finds the people a word or a
/// role may stand for through indexes rather than scans.
pub fn resolve(text: &str, paras: &[Placed<'_>], config: &Config) -> Vec<Entity> {
    resolve_all(text, paras, config, None, false).entities
}

/// Rule 1 for candidate `c` of paragraph `para` (at `offset` in the document): its item, or
/// `None` if its words are not names. `lower` and `cap` say whether a word (by its hash) is
/// written in lower case, or capitalised mid-sentence, somewhere in the story; these are all
/// the questions it asks.
#[inline(always)]
fn admit<'a>(
    text: &str,
    c: &'a Candidate,
    offset: usize,
    para: usize,
    lower: impl Fn(u64) -> bool,
    cap: impl Fn(u64) -> bool,
) -> Option<Item<'a>> {
    let is_lower_word = |w: &str| lower(lower_word_hash(w));
    let mut range = c.range.shift(offset);
    let mut name = c.name.shift(offset);
    let mut form = c.form;
    if let Some(u) = c.unsure.map(|r| r.shift(offset)) {
        let confirmed = words(u.of(text)).all(|w| {
            let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            let never_lower = !is_lower_word(w);
            // Capitalised mid-sentence elsewhere, or the subject of "said" and the
            // like (and not a plural such as "Officials said").
            never_lower
                && (cap(word_hash(w)) || c.cue == Some(EntityKind::Person) && !w.ends_with('s'))
        });
        // A name with a role of its own ("Eswar Prasad, a professor") keeps its first word,
        // known given name or not.
        let confirmed =
            confirmed || c.kind == Some(EntityKind::Person) && c.has_role() && u.end < name.end;
        if !confirmed {
            if u.end >= name.end {
                return None;
            }
            // Drop the unsure first word; keep the rest if anything is left.
            let rest = text[u.end..name.end].trim_start();
            if rest.is_empty() || name.end <= u.end {
                return None;
            }
            let start = name.end - rest.len();
            name = TextRange::new(start, name.end);
            range = TextRange::new(start.max(range.start), range.end);
            if form == MentionForm::FullName && !rest.contains(' ') {
                form = MentionForm::Surname;
            }
        }
    }
    if c.guessed && c.cue.is_none() && words(name.of(text)).any(is_lower_word) {
        return None;
    }
    Some(Item {
        c,
        range,
        name,
        canonical: c.canonical,
        sheet: c.sheet.map(|s| s as usize),
        has_country: c.country.is_some(),
        has_role: c.has_role(),
        form,
        kind: c.kind,
        cue: c.cue,
        para,
        entity: None,
    })
}

/// [`resolve`], and what [`Cache`] needs to carry the result over to the next version, or to
/// patch it ([`Grouping`]): the probes of the word statistics and their counts, whether every
/// look-up of the statistics was of a probe (of the asking paragraph), and the acronyms.
/// `kept`: the statistics of `paras`, if known. `patchable`: whether the result may be
/// remembered, and so whether [`Grouping::local`] and [`Grouping::silent`] are worth finding
/// out (else they are false and empty), and every word worth counting (see
/// [`KeptStats::all_words`]).
///
/// It reads of each paragraph only its offset and [`super::ParaEntities`], and of the text only
/// the bytes inside its candidates ([`hull`]): [`carry_over`] relies on that.
fn resolve_all<'a>(
    text: &'a str,
    paras: &[Placed<'a>],
    config: &'a Config,
    kept: Option<KeptStats>,
    patchable: bool,
) -> Grouping {
    let mut para_cands: Vec<(usize, &[Candidate])> = Vec::new();
    let stats = WordStats::new(paras, &mut para_cands, kept, patchable);
    // Whether every look-up of the statistics is of a probe of the paragraph that asks
    // (see [`Remembered::local`]).
    let local = std::cell::Cell::new(patchable);
    let asks = |para: usize, h: u64| {
        if local.get()
            && paras
                .get(para)
                .is_none_or(|p| p.scan.entities.probes().binary_search(&h).is_err())
        {
            local.set(false);
        }
    };
    let is_lower_in = |para: usize, h: u64| {
        asks(para, h);
        stats.is_lower(h)
    };
    let is_cap_in = |para: usize, h: u64| {
        asks(para, h);
        stats.is_cap(h)
    };
    // Rule 1: sentence-initial words.
    let mut items: Vec<Item<'_>> =
        Vec::with_capacity(para_cands.iter().map(|(_, cs)| cs.len()).sum());
    // The candidates that rule 1 drops (see [`Remembered::silent`]).
    let mut silent: Vec<(usize, usize)> = Vec::new();
    for (pi, &(offset, cs)) in para_cands.iter().enumerate() {
        for (k, c) in cs.iter().enumerate() {
            if let Some(item) = admit(
                text,
                c,
                offset,
                pi,
                |h| is_lower_in(pi, h),
                |h| is_cap_in(pi, h),
            ) {
                items.push(item);
            } else if patchable {
                silent.push((pi, k));
            }
        }
    }
    let is_lower_word = |para: usize, w: &str| is_lower_in(para, lower_word_hash(w));
    // Paragraphs come in order, so the items nearly always do: a stable sort only if not.
    if !items.is_sorted_by_key(|i| i.range.start) {
        items.sort_by_key(|i| i.range.start);
    }

    let mut ents: Vec<Building<'a>> = Vec::new();
    // Keys borrow from the text, the candidates or the sheet: no copy per mention.
    let mut by_key: FastMap<(EntityKind, &str), usize> = FastMap::default();
    let new_entity = |ents: &mut Vec<Building<'a>>, kind, key: &'a str| {
        ents.push(Building::new(kind, key));
        ents.len() - 1
    };

    // Sheet mentions first: each sheet entry is one entity.
    let mut sheet_entity: FastMap<usize, usize> = FastMap::default();
    for item in items.iter_mut() {
        let Some(s) = item.sheet else {
            continue;
        };
        let Some(sheet) = config.entities.get(s) else {
            continue;
        };
        let e = *sheet_entity.entry(s).or_insert_with(|| {
            let kind = sheet.kind.unwrap_or(EntityKind::Person);
            let e = new_entity(&mut ents, kind, &sheet.name);
            ents[e].sheet = Some(s);
            ents[e].role = sheet.role.as_deref();
            by_key.insert((kind, sheet.name.as_str()), e);
            e
        });
        item.entity = Some(e);
    }

    // Rule 2: full names of people.
    let mut people = People::default();
    let mut w: Vec<&str> = Vec::new();
    for it in items.iter_mut() {
        if it.entity.is_some()
            || it.kind != Some(EntityKind::Person)
            || it.form != MentionForm::FullName
        {
            continue;
        }
        let name = it.name.of(text);
        w.clear();
        w.extend(words(name));
        let last = w.last().copied().unwrap_or_default();
        // Two names of one person start with the same letter (the same first name, or an
        // initial of it): a letter compare skips the other people of the surname.
        let first = name.chars().find(|c| !c.is_whitespace()).unwrap_or(' ');
        let found = people
            .with_word(last)
            .iter()
            .filter(|&&(_, c)| c == first)
            .map(|&(e, _)| e)
            .find(|&e| same_person(&ents[e], &w));
        let e = match found {
            Some(e) => {
                if w.len() > ents[e].nwords() {
                    ents[e].set_key_words(name, &w);
                    people.add(e, &ents[e]);
                }
                e
            }
            None => {
                let mut b = Building::new(EntityKind::Person, "");
                b.set_key_words(name, &w);
                ents.push(b);
                let e = ents.len() - 1;
                people.add(e, &ents[e]);
                e
            }
        };
        if ents[e].role.is_none() {
            // Read the candidate (cold by now) only when it has something to give.
            if it.has_role {
                ents[e].role = it.c.role();
                ents[e].sig = it.c.sig();
            } else {
                ents[e].sig = None;
            }
        }
        it.entity = Some(e);
    }
    // Sheet people can be named by surname too.
    let mut sheet_people: Vec<usize> = sheet_entity.values().copied().collect();
    sheet_people.sort_unstable();
    for e in sheet_people {
        if ents[e].kind == EntityKind::Person {
            people.add(e, &ents[e]);
        }
    }

    // Rule 4: organisations and places with a known kind (gazetteer or form). A lone city
    // name that the story uses as a person more often than as a place ("Paris claims", "Paris
    // was born") is a person's name.
    let mut cues: FastMap<&str, (usize, usize)> = FastMap::default();
    for it in &items {
        if it.entity.is_none() && it.kind == Some(EntityKind::Place) && !it.has_country {
            let raw = it.name.of(text);
            if !raw.contains(' ') {
                let c = cues.entry(raw).or_default();
                c.0 += usize::from(it.cue == Some(EntityKind::Person));
                c.1 += usize::from(it.cue == Some(EntityKind::Place));
            }
        }
    }
    // The countries the story names, or names an institution of ("Kremlin": Russia), if a
    // capital "speaks" (gathered only then: a pass that reaches into every paragraph's scan).
    let capital_speaks = cues
        .iter()
        .any(|(raw, &(person, place))| person > place && GAZETTEER.capital_of(raw).is_some());
    let countries: FastSet<&str> = if capital_speaks {
        items.iter().filter_map(|it| it.c.country).collect()
    } else {
        FastSet::default()
    };
    // Countries that the story has playing matches are teams (organisations) throughout.
    let mut teams: FastMap<&str, (usize, usize)> = FastMap::default();
    for it in &items {
        if it.entity.is_none() && it.kind == Some(EntityKind::Place) && it.has_country {
            let c = teams.entry(it.name.of(text)).or_default();
            c.0 += usize::from(it.cue == Some(EntityKind::Organization));
            c.1 += usize::from(it.cue == Some(EntityKind::Place));
        }
    }
    for it in items.iter_mut() {
        if it.entity.is_some() {
            continue;
        }
        if it.kind == Some(EntityKind::Place)
            && teams
                .get(it.name.of(text))
                .is_some_and(|&(team, place)| team >= 2 && team > place)
        {
            it.kind = Some(EntityKind::Organization);
        }
        let Some(kind) = it.kind else { continue };
        if kind == EntityKind::Person {
            continue;
        }
        let raw = it.name.of(text);
        // A lone word that is part of a person's full name in this story is that person
        // ("Paris" after "Paris Hilton"), whatever the gazetteer says.
        // (Asked only of a single word: a name of several is never one word of a person's.)
        // A capital whose country the story names speaks for its government ("Moscow said",
        // in a story that names Russia or the Kremlin), whatever verbs follow it.
        let government = || {
            GAZETTEER
                .capital_of(raw)
                .is_some_and(|code| countries.contains(code))
        };
        let person_named = || {
            people
                .with_word(raw)
                .iter()
                .any(|&(e, _)| ents[e].last() == Some(raw))
                || cues.get(raw).is_some_and(|&(person, place)| person > place) && !government()
        };
        if !raw.contains(' ') && person_named() {
            it.kind = None;
            it.cue = Some(EntityKind::Person);
            it.form = MentionForm::Name;
            continue;
        }
        let key: &str = match it.canonical {
            Some(c) => c,
            // `trim_start_matches("The ")`, without setting up a substring search.
            None => org_key(raw),
        };
        if it.canonical.is_some_and(|c| c != raw) {
            it.form = MentionForm::Alias;
        }
        let e = *by_key
            .entry((kind, key))
            .or_insert_with(|| new_entity(&mut ents, kind, key));
        it.entity = Some(e);
    }
    // Acronyms join the organisation whose initials they spell.
    let orgs: Vec<usize> = (0..ents.len())
        .filter(|&e| ents[e].kind == EntityKind::Organization)
        .collect();
    // Each organisation's initials once, with the organisations that spell them (in order), and
    // each organisation's items, so an acronym moves its items without a pass over all items.
    let mut by_initials: FastMap<String, Vec<usize>> = FastMap::default();
    for &o in &orgs {
        by_initials
            .entry(initials(ents[o].key))
            .or_default()
            .push(o);
    }
    let mut org_items: FastMap<usize, Vec<usize>> = FastMap::default();
    for (idx, it) in items.iter().enumerate() {
        if let Some(e) = it.entity
            && ents[e].kind == EntityKind::Organization
        {
            org_items.entry(e).or_default().push(idx);
        }
    }
    let mut acronyms: Vec<u64> = Vec::new();
    for &e in &orgs {
        let key = ents[e].key;
        if !acronym_like(key) {
            continue;
        }
        acronyms.push(word_hash(key));
        let target = by_initials
            .get(key)
            .and_then(|os| os.iter().copied().find(|&o| o != e));
        if let Some(target) = target {
            let moved = org_items.remove(&e).unwrap_or_default();
            for &idx in &moved {
                items[idx].entity = Some(target);
                items[idx].form = MentionForm::Alias;
            }
            org_items.entry(target).or_default().extend(moved);
        }
    }

    // Rule 3: lone words. For words of unknown kind: how often each occurs, and how often
    // with a person or a place cue.
    let mut lone_kinds: FastMap<&str, (usize, usize, usize)> = FastMap::default();
    for it in &items {
        if it.entity.is_none() && it.kind.is_none() && it.form != MentionForm::Descriptor {
            let k = lone_kinds.entry(it.name.of(text)).or_default();
            k.0 += 1;
            k.1 += usize::from(it.cue == Some(EntityKind::Person));
            k.2 += usize::from(it.cue == Some(EntityKind::Place));
        }
    }
    let mut first_mention: Vec<usize> = vec![usize::MAX; ents.len()];
    for (idx, it) in items.iter().enumerate() {
        if let Some(e) = it.entity {
            first_mention[e] = first_mention[e].min(idx);
        }
    }
    let mut near_misses: FastMap<&str, bool> = FastMap::default();
    // People by the first letter of their surname: a near miss shares it, so a lone word is
    // compared only with the people of its letter. Kept up to date as people are added below.
    let initial = |key: &str| {
        key.split_whitespace()
            .next_back()
            .and_then(|s| s.chars().next())
    };
    let mut by_initial: FastMap<char, Vec<usize>> = FastMap::default();
    for &e in &people.list {
        if let Some(c) = ents[e].last().and_then(|s| s.chars().next()) {
            by_initial.entry(c).or_default().push(e);
        }
    }
    // The last item before the current one that each entity has, kept as the loop advances:
    // items before the current one are settled, so the nearest earlier mention of a candidate
    // is one look-up rather than a walk back over the last `LOOK_BACK` items.
    let mut last_seen: Vec<usize> = Vec::new();
    let mut candidates: Vec<(usize, bool)> = Vec::new();
    for idx in 0..items.len() {
        if let Some(e) = idx.checked_sub(1).and_then(|j| items[j].entity) {
            if last_seen.len() <= e {
                last_seen.resize(e + 1, usize::MAX);
            }
            last_seen[e] = idx - 1;
        }
        if items[idx].entity.is_some() || items[idx].form == MentionForm::Descriptor {
            continue;
        }
        let w = items[idx].name.of(text);
        let kind = items[idx].kind;
        if kind.is_some_and(|k| k != EntityKind::Person) {
            continue;
        }
        // People whose surname or first name this is. A titled surname the gazetteer knows
        // as someone else ("President Obama" in a story that names only Michelle Obama in
        // full) is not that person.
        // (Not a woman's honorific: "Mrs. Obama" is Michelle Obama.)
        let titled_as = (items[idx].has_role
            && !items[idx].c.role().is_some_and(|r| {
                let r = r.trim_start();
                [
                    "Mrs",
                    "Ms",
                    "Miss",
                    "Madam",
                    "First Lady",
                    "first lady",
                    "First lady",
                ]
                .iter()
                .any(|h| r.starts_with(h))
            }))
        .then(|| GAZETTEER.lookup(w))
        .flatten()
        .filter(|g| g.kind == EntityKind::Person && g.canonical.contains(' '))
        .map(|g| g.canonical);
        candidates.clear();
        candidates.extend(people.with_word(w).iter().filter_map(|&(e, _)| {
            let b = &ents[e];
            if titled_as.is_some_and(|c| b.nwords() >= 2 && b.key != c) {
                return None;
            }
            if b.last() == Some(w) {
                Some((e, true))
            } else if b.nwords() >= 2
                && (0..b.nwords()).any(|k| b.word(k) == w)
                && (GAZETTEER.is_first_name(w) || b.role.is_some() || b.sig.is_some())
            {
                // Another word of the name stands for the person when it is a given name,
                // or the name is known for sure (it came with a title). A guess made of
                // capitalised words ("Fire Cihef Grrace Kowalski", a slip for "Fire Chief")
                // does not take in a lone "Fire".
                Some((e, false))
            } else {
                None
            }
        }));
        // Only one person of the story has the word: a title with it is that person's.
        let unique = candidates.len() == 1;
        let pick = if candidates.len() <= 1 {
            candidates.first().copied()
        } else {
            // The person mentioned most recently before this mention, else the first after it.
            let since = idx.saturating_sub(LOOK_BACK);
            let before = candidates
                .iter()
                .filter_map(|&(e, s)| {
                    let j = last_seen
                        .get(e)
                        .copied()
                        .filter(|&j| j != usize::MAX && j >= since)?;
                    Some((j, (e, s)))
                })
                .max_by_key(|&(j, _)| j)
                .map(|(_, c)| c);
            before.or_else(|| {
                candidates
                    .iter()
                    .min_by_key(|(e, _)| first_mention.get(*e).copied().unwrap_or(usize::MAX))
                    .copied()
            })
        };
        if let Some((e, is_surname)) = pick {
            let it = &mut items[idx];
            it.entity = Some(e);
            // A later mention may carry the role the first lacked: "Scott (D-Va.) was …"
            // (not when the surname is shared: "President Clinton" may be Bill or Hillary).
            if unique && it.has_role && ents[e].role.is_none() && ents[e].kind == EntityKind::Person
            {
                ents[e].role = it.c.role();
                ents[e].sig = it.c.sig();
            }
            if it.form != MentionForm::Alias {
                it.form = if is_surname {
                    MentionForm::Surname
                } else if ents[e].first() == Some(w) {
                    MentionForm::FirstName
                } else {
                    MentionForm::Surname
                };
            }
            continue;
        }
        // Not a known person: decide the kind from the word and its context, the same for
        // every mention of the word.
        let it = &items[idx];
        let kind = match kind {
            Some(k) => Some(k),
            None if adjective_like(w) => None,
            // A word the story also writes in lower case is a common word ("Water", "Magic").
            None if is_lower_word(items[idx].para, w) => None,
            // A near miss of a person's surname ("Heusgan" for "Heusgen") is a person.
            None if *near_misses.entry(w).or_insert_with(|| {
                // `near_miss(key, w)` for each person of the letter, from the words of the
                // key (computed once) and of `w` (once for all of them).
                let (Some(c), Some(sw)) = (initial(w), w.split_whitespace().next_back()) else {
                    return false;
                };
                let fw = first_of_several(w);
                by_initial.get(&c).is_some_and(|es| {
                    es.iter().any(|&e| {
                        let b = &ents[e];
                        b.last().is_some_and(|sa| {
                            let fa = if b.nwords() >= 2 { b.first() } else { None };
                            near_miss_parts(fa, sa, fw, sw)
                        })
                    })
                })
            }) =>
            {
                Some(EntityKind::Person)
            }
            None => lone_kinds.get(w).and_then(|&(n, person, place)| {
                if person > 0 {
                    Some(EntityKind::Person)
                } else if place * 2 > n {
                    Some(EntityKind::Place)
                } else if n >= 2 {
                    Some(EntityKind::Organization)
                } else {
                    None
                }
            }),
        };
        let Some(kind) = kind else { continue };
        let key: &str = it.canonical.unwrap_or(w);
        let e = *by_key
            .entry((kind, key))
            .or_insert_with(|| new_entity(&mut ents, kind, key));
        if kind == EntityKind::Person {
            let known = people.list.len();
            people.add(e, &ents[e]);
            for &p in &people.list[known..] {
                if let Some(c) = ents[p].last().and_then(|s| s.chars().next()) {
                    by_initial.entry(c).or_default().push(p);
                }
            }
        }
        let it = &mut items[idx];
        it.entity = Some(e);
        // A surname with a role of its own ("Prasad, a professor", "Eswar" being no known
        // given name): the role is the person's.
        if kind == EntityKind::Person && it.has_role && ents[e].role.is_none() {
            ents[e].role = it.c.role();
            ents[e].sig = it.c.sig();
        }
        if kind == EntityKind::Person && it.form == MentionForm::Name {
            it.form = MentionForm::Surname;
        } else if kind != EntityKind::Person {
            it.form = MentionForm::Name;
        }
    }

    // Rule 5: descriptors. First mentions again: rule 3 made new entities.
    let mut first_mention: Vec<usize> = vec![usize::MAX; ents.len()];
    for (idx, it) in items.iter().enumerate() {
        if let Some(e) = it.entity {
            first_mention[e] = first_mention[e].min(idx);
        }
    }
    // People by the title class of their role signature: the only people a descriptor of that
    // class can stand for. Signatures change below, so every use re-checks the current one
    // (`matches`). Only people carry signatures, so these are all the candidates.
    // Each class's people are kept in order of first mention (ties in the order they came), so
    // that the person of the class mentioned first is the first one that matches.
    let mut by_class: FastMap<&str, Vec<usize>> = FastMap::default();
    for &e in &people.list {
        if let Some(s) = &ents[e].sig {
            by_class.entry(s.class).or_default().push(e);
        }
    }
    let first_of = |e: usize| first_mention.get(e).copied().unwrap_or(usize::MAX);
    for list in by_class.values_mut() {
        list.sort_by_key(|&e| first_of(e));
    }
    // The last item before the current one that each entity has (see rule 3).
    let mut last_seen: Vec<usize> = Vec::new();
    for idx in 0..items.len() {
        if let Some(e) = idx.checked_sub(1).and_then(|j| items[j].entity) {
            if last_seen.len() <= e {
                last_seen.resize(e + 1, usize::MAX);
            }
            last_seen[e] = idx - 1;
        }
        if items[idx].entity.is_some() || items[idx].form != MentionForm::Descriptor {
            continue;
        }
        let c = items[idx].c;
        let Some(sig) = c.sig() else {
            continue;
        };
        let matches = |e: usize, ents: &[Building]| {
            ents[e].kind == EntityKind::Person
                && ents[e].sig.as_ref().is_some_and(|s| {
                    s.class == sig.class
                        && (sig.affiliation.is_none() || s.affiliation == sig.affiliation)
                })
        };
        let class_people: &[usize] = by_class.get(sig.class).map_or(&[], Vec::as_slice);
        // The most recent person with this role before the descriptor: the latest last
        // mention among the people of the class, or a walk back over the window when the
        // class is the longer list.
        let since = idx.saturating_sub(LOOK_BACK);
        let mut pick = if class_people.len() < CLASS_SCAN_MAX {
            // The window test (two integers) before the signature test (strings): most
            // people of a class were last seen long before.
            class_people
                .iter()
                .copied()
                .filter_map(|e| {
                    let j = last_seen
                        .get(e)
                        .copied()
                        .filter(|&j| j != usize::MAX && j >= since)?;
                    Some((j, e))
                })
                .filter(|&(_, e)| matches(e, &ents))
                .max_by_key(|&(j, _)| j)
                .map(|(_, e)| e)
        } else {
            (since..idx)
                .rev()
                .find_map(|j| items[j].entity.filter(|&e| matches(e, &ents)))
        };
        if pick.is_none() {
            // Else the person of the class mentioned first (the list is in that order).
            pick = class_people.iter().copied().find(|&e| matches(e, &ents));
        }
        if pick.is_none() {
            // Descriptor first: the next person introduced in this paragraph without a role.
            let para = items[idx].para;
            pick = (idx + 1..items.len())
                .take_while(|&j| items[j].para == para)
                .find_map(|j| {
                    let e = items[j].entity?;
                    (ents[e].kind == EntityKind::Person
                        && ents[e].role.is_none()
                        && first_mention.get(e) == Some(&j)
                        && items[j].form == MentionForm::FullName)
                        .then_some(e)
                });
            if let Some(e) = pick {
                ents[e].role = c.role();
                ents[e].sig = Some(sig);
                // In order of first mention, after the people first mentioned as early.
                let list = by_class.entry(sig.class).or_default();
                let at = list.partition_point(|&p| first_of(p) <= first_of(e));
                list.insert(at, e);
            }
        }
        match pick {
            Some(e) => items[idx].entity = Some(e),
            None => {
                // A capitalised title alone ("The President") is a person of its own; a
                // lower-case descriptor nobody fits is left out.
                let t = items[idx].range.of(text);
                if t.split_whitespace()
                    .last()
                    .is_some_and(|w| w.starts_with(char::is_uppercase))
                {
                    let key: &str = c.role().unwrap_or(t);
                    let e = *by_key
                        .entry((EntityKind::Person, key))
                        .or_insert_with(|| new_entity(&mut ents, EntityKind::Person, key));
                    ents[e].role.get_or_insert(key);
                    items[idx].entity = Some(e);
                }
            }
        }
    }

    // Assemble: each entity's mentions in document order, each list allocated once at its
    // final size, and the mention that introduced it (the first full name with a role, else
    // the first full name or name) noted on the way.
    let mut counts = vec![0usize; ents.len()];
    for it in &items {
        if let Some(e) = it.entity {
            counts[e] += 1;
        }
    }
    let mut all_mentions: Vec<Vec<Mention>> =
        counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    let mut intro: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); ents.len()];
    for it in &items {
        let Some(e) = it.entity else { continue };
        let m = &mut all_mentions[e];
        let (with_role, named) = &mut intro[e];
        if with_role.is_none() && it.form == MentionForm::FullName && it.has_role {
            *with_role = Some(m.len());
        }
        if named.is_none() && matches!(it.form, MentionForm::FullName | MentionForm::Name) {
            *named = Some(m.len());
        }
        m.push(Mention {
            range: it.range,
            form: it.form,
            name: it.name,
            modifier: it.c.modifier,
        });
    }
    // At most one entity per building: sized once instead of doubling through ~70 KB.
    let mut out: Vec<(usize, Entity)> = Vec::with_capacity(ents.len());
    for ((b, mentions), (with_role, named)) in ents.into_iter().zip(all_mentions).zip(intro) {
        if mentions.is_empty() {
            continue;
        }
        let introduced = with_role.or(named).unwrap_or(0);
        let sheet: Option<SheetEntity> = b
            .sheet
            .and_then(|s| config.entities.get(s).cloned())
            .or_else(|| {
                config
                    .entities
                    .iter()
                    .find(|s| s.name == b.key || s.aliases.iter().any(|a| a == b.key))
                    .or_else(|| {
                        // A person whose name is a near miss of a sheet person's spelling is
                        // that person, misspelt (the `name-variant` check says so).
                        (b.kind == EntityKind::Person)
                            .then(|| {
                                config.entities.iter().find(|s| {
                                    s.kind.is_none_or(|k| k == EntityKind::Person)
                                        && near_miss(
                                            b.key,
                                            s.preferred.as_deref().unwrap_or(&s.name),
                                        )
                                })
                            })
                            .flatten()
                    })
                    .cloned()
            });
        let name = sheet
            .as_ref()
            .map_or_else(|| b.key.to_string(), |s| s.name.clone());
        let role = b
            .role
            .map(str::to_string)
            .or_else(|| sheet.as_ref().and_then(|s| s.role.clone()));
        let first = mentions[0].range.start;
        out.push((
            first,
            Entity {
                name,
                written: b.key.to_string(),
                kind: b.kind,
                role,
                mentions,
                introduced,
                quotes: Vec::new(),
                sheet,
            },
        ));
    }
    out.sort_by_key(|(first, _)| *first);
    Grouping {
        entities: out.into_iter().map(|(_, e)| e).collect(),
        exact: stats.full.get().is_none(),
        local: local.get(),
        stats: stats.kept,
        acronyms,
        silent,
    }
}

/// Whether an organisation's key reads as an acronym, which joins the organisation whose
/// initials it spells.
fn acronym_like(key: &str) -> bool {
    (2..=6).contains(&key.len()) && key.chars().all(char::is_uppercase)
}

/// What [`resolve_all`] found.
struct Grouping {
    entities: Vec<Entity>,
    stats: KeptStats,
    /// Whether every look-up of the statistics was of a probe (else the result is not kept:
    /// see [`WordStats::full`]).
    exact: bool,
    /// See [`Remembered::local`].
    local: bool,
    /// See [`Remembered::acronyms`].
    acronyms: Vec<u64>,
    /// See [`Remembered::silent`] (empty unless `patchable`).
    silent: Vec<(usize, usize)>,
}

/// How the text changed since the previous analysis: its first `prefix` and last `suffix`
/// bytes are those of the previous version (`old_len` bytes long, now `new_len`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub prefix: usize,
    pub suffix: usize,
    pub old_len: usize,
    pub new_len: usize,
}

/// What the entity stage keeps from one analysis of a document to the next.
///
/// Grouping mentions needs the whole story, but most keystrokes change nothing it reads: the
/// edited paragraph keeps the same candidates with the same words, and its word statistics
/// change only in words that no candidate asks about. The result is then the previous one
/// with its mentions moved. [`resolve_cached`] proves that from the scans (unchanged blocks
/// are the same `Arc`; a changed paragraph is compared candidate by candidate, each outside
/// the edited bytes). When the only candidates that changed are organisation names ("The
/// Teachers Union" becoming "TuThe Teachers Union" as "Tuesday" is typed before it), or
/// candidates that rule 1 drops ("Tu" typed at the start of a sentence), it moves those
/// mentions between their organisations and notes which candidates are dropped ([`patch()`]);
/// otherwise it groups everything again.
#[derive(Default)]
pub(crate) struct Cache {
    prev: Option<Remembered>,
    /// How many analyses carried the previous result over (for tests).
    pub carried: usize,
    /// How many analyses patched the previous result (for tests).
    pub patched: usize,
    /// How many analyses grouped the mentions from scratch.
    pub regrouped: usize,
    /// How many analyses neither carried the result over nor counted the words afresh: they
    /// patched the result, or regrouped with the word statistics they kept (for tests).
    pub kept_stats: usize,
}

impl Cache {
    /// The entities kept for the next analysis, if any: the analysis attaches its quotes to
    /// them in place instead of to a copy (the grouping reads no entity's quotes).
    pub(crate) fn kept_entities(&mut self) -> Option<&mut SharedVec<Entity>> {
        self.prev.as_mut().map(|p| &mut p.entities)
    }
}

/// The result of the previous analysis and what it was computed from.
struct Remembered {
    /// The blocks it was computed from (holding them keeps their scans alive, so a block of
    /// the next version that is the same `Arc` is certainly the same scan).
    blocks: Vec<CachedBlock>,
    /// The word statistics ([`WordStats`]) of `blocks` (kept current by [`carry_over`]).
    stats: KeptStats,
    /// Shared with the analysis (which attaches the quotes to it in place: see
    /// [`Cache::kept_entities`]).
    entities: SharedVec<Entity>,
    /// Whether every word the grouping asked [`WordStats`] about for a candidate is a probe
    /// of the candidate's own paragraph: then a paragraph that did not change asks about its
    /// probes only, and an answer that changed for no probe of theirs changes none of their
    /// mentions ([`patch()`] relies on it).
    local: bool,
    /// The [`word_hash`] of the key of every organisation that reads as an acronym
    /// ([`acronym_like`]), whether or not it joined another: an organisation whose initials
    /// are none of these neither takes an acronym's mentions nor, by where it comes in the
    /// order of the organisations, decides which organisation does.
    acronyms: Vec<u64>,
    /// The candidates that rule 1 dropped ([`admit`] gave no item: a sentence-initial word
    /// that is no name, such as "Tu" as "Tuesday" is typed), as (paragraph among all
    /// paragraphs, candidate of the paragraph), sorted: [`patch()`] reads here that a candidate
    /// an edit removed or changed was no item, which it cannot tell from the entities (nor
    /// from the text, which no longer has the candidate's bytes). A carried or patched result
    /// has as many paragraphs as before, each with the same candidates but in the stretches
    /// that [`patch()`] renumbers, so nothing else changes these numbers.
    silent: Vec<(usize, usize)>,
}

/// A stretch of the previous version, `start..end`, and how far its mentions moved.
#[derive(Clone, Copy, Debug)]
struct Moved {
    start: usize,
    end: usize,
    by: isize,
}

/// [`resolve`], reusing the previous result when the edit `change` (`None`: unknown) cannot
/// have changed it, or patching it when only organisation names and dropped candidates
/// changed (see [`patch()`]). Remembers the result unless `remember` is false (a one-off
/// analysis).
pub(crate) fn resolve_cached(
    text: &str,
    blocks: &[CachedBlock],
    paras: &[Placed<'_>],
    config: &Config,
    cache: &mut Cache,
    change: Option<Change>,
    remember: bool,
) -> SharedVec<Entity> {
    let mut kept = None;
    if let (Some(prev), Some(change)) = (cache.prev.as_mut(), change) {
        match carry_over(prev, blocks, change) {
            Outcome::Carried(moves) => {
                cache.carried += 1;
                carry(prev, &moves, blocks);
                return prev.entities.clone();
            }
            Outcome::Patched(p) => {
                cache.kept_stats += 1;
                if patch(prev, text, blocks, paras, config, &p) {
                    cache.patched += 1;
                    return prev.entities.clone();
                }
                // (The entities may be half patched: they are grouped again below.)
                kept = cache.prev.take().map(|p| p.stats);
            }
            Outcome::SameWords => {
                cache.kept_stats += 1;
                kept = cache.prev.take().map(|p| p.stats);
            }
            Outcome::Regroup => {}
        }
    }
    cache.regrouped += 1;
    let g = resolve_all(text, paras, config, kept, remember);
    let entities = SharedVec::from(g.entities);
    cache.prev = (remember && g.exact).then(|| Remembered {
        blocks: blocks.to_vec(),
        stats: g.stats,
        entities: entities.clone(),
        local: g.local,
        acronyms: g.acronyms,
        silent: g.silent,
    });
    entities
}

/// The previous result, moved to the new version (`moves` from [`carry_over`]).
fn carry(prev: &mut Remembered, moves: &[Moved], blocks: &[CachedBlock]) {
    if moves.iter().any(|m| m.by != 0) {
        for e in &mut prev.entities {
            for m in &mut e.mentions {
                let at = moves.partition_point(|s| s.start <= m.range.start);
                let by = moves[at.saturating_sub(1)].by;
                debug_assert!(at > 0 && m.range.end <= moves[at - 1].end);
                let shift = |r: TextRange| {
                    TextRange::new(
                        r.start.wrapping_add_signed(by),
                        r.end.wrapping_add_signed(by),
                    )
                };
                m.range = shift(m.range);
                m.name = shift(m.name);
            }
        }
    }
    crate::engine::follow_blocks(&mut prev.blocks, blocks);
}

/// What [`carry_over`] found.
enum Outcome {
    /// The previous result holds, with its mentions moved.
    Carried(Vec<Moved>),
    /// The previous result may hold once patched (see [`patch()`]); the kept word statistics,
    /// brought up to date, are those of the new version.
    Patched(Patch),
    /// The candidates changed, but the paragraphs are the same in number and have the same
    /// probes: the kept word statistics, brought up to date, are those of the new version.
    SameWords,
    /// Neither.
    Regroup,
}

/// The grouping key of an organisation name without a gazetteer name: the name without any
/// "The " before it (as rule 4 makes it).
fn org_key(raw: &str) -> &str {
    let mut k = raw;
    while let Some(rest) = k.strip_prefix("The ") {
        k = rest;
    }
    k
}

/// Whether the previous result holds for `blocks` after `change`, and if so where its
/// mentions moved (in order of the previous version, adjacent stretches with the same move
/// merged). Brings `prev.stats` up to date with `blocks` on the way unless it returns
/// [`Outcome::Regroup`] (they may be stale then: the caller groups again, counting afresh).
///
/// Why the result holds: [`resolve_all`] reads of each paragraph its candidates, its probes,
/// and the answers of [`WordStats`] (whether a probe word is capitalised mid-sentence, or
/// written in lower case, anywhere in the story), and of the text the bytes inside each
/// candidate's [`hull`]. Unchanged blocks are the same `Arc`d scans. In a changed paragraph,
/// every candidate must be the same, wholly outside the edited bytes (so its hull's bytes are
/// the same), and the probes the same; its word lists may differ, but only in words that are
/// no probe (nothing asks about them) or in probes whose document-wide counts stay on the
/// same side of zero (every answer is the same: "council" typed in lower case changes nothing
/// when the story already has "council" in lower case elsewhere).
fn carry_over(prev: &mut Remembered, blocks: &[CachedBlock], change: Change) -> Outcome {
    if prev.blocks.len() != blocks.len() {
        return Outcome::Regroup;
    }
    let delta = change.new_len as isize - change.old_len as isize;
    let Some(suffix_start) = change.old_len.checked_sub(change.suffix) else {
        return Outcome::Regroup;
    };
    // Whether the previous result still holds, as far as the candidates tell. Once it does
    // not, and cannot be patched either, the candidates are no longer compared, but the word
    // lists still are.
    let mut holds = true;
    // Whether it can be patched (see [`Patch`]).
    let mut patchable = prev.local;
    let mut stretches: Vec<Stretch> = Vec::new();
    let mut changed: Vec<(usize, usize)> = Vec::new();
    let mut moves: Vec<Moved> = Vec::new();
    // How the counts of probe words change: (hash, +1 or -1) for capitalised and lower-case
    // occurrences.
    let mut cap_delta: Vec<(u64, i32)> = Vec::new();
    let mut lower_delta: Vec<(u64, i32)> = Vec::new();
    // False if the stretches go back, or overlap and move differently: not expected, but
    // then the moves could not be looked up by position.
    let mut push = |start: usize, end: usize, by: isize| match moves.last_mut() {
        Some(last) if start < last.start => false,
        Some(last) if last.by == by => {
            last.end = last.end.max(end);
            true
        }
        Some(last) if start < last.end => false,
        _ => {
            moves.push(Moved { start, end, by });
            true
        }
    };
    for (bi, (old, new)) in prev.blocks.iter().zip(blocks).enumerate() {
        if std::sync::Arc::ptr_eq(&old.scans, &new.scans) {
            let by = new.range.start as isize - old.range.start as isize;
            if (holds || patchable) && !push(old.range.start, old.range.end, by) {
                (holds, patchable) = (false, false);
            }
            continue;
        }
        if old.scans.len() != new.scans.len() {
            return Outcome::Regroup;
        }
        for (si, (po, pn)) in old.scans.iter().zip(new.scans.iter()).enumerate() {
            let (eo, en) = (&po.entities, &pn.entities);
            // All that the grouping reads of a paragraph (a field added to `ParaEntities`
            // must be compared here too).
            let super::ParaEntities {
                cands: _,
                words: _,
                n_probes: _,
                n_cap: _,
            } = eo;
            let stats = &mut prev.stats;
            if eo.probes() != en.probes() {
                if !stats.all_words {
                    return Outcome::Regroup;
                }
                // Other questions are asked: the result cannot hold, but the counts of every
                // word stay exact, and the probes are kept up to date.
                holds = false;
                let mut changes = Vec::new();
                sorted_changes(eo.probes(), en.probes(), |_| true, &mut changes);
                for (h, d) in changes {
                    let n = stats.probes.entry(h).or_default();
                    let Some(now) = n.checked_add_signed(d) else {
                        return Outcome::Regroup;
                    };
                    *n = now;
                    if now == 0 {
                        stats.probes.remove(&h);
                    } else {
                        let bit = WordStats::bit(h);
                        stats.bloom[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
            // With every word counted, every changed word; else the probes (which are then
            // the same before and after).
            let (all, probes) = (stats.all_words, &stats.probes);
            let asked = |h: u64| all || probes.contains_key(&h);
            sorted_changes(eo.cap_words(), en.cap_words(), asked, &mut cap_delta);
            sorted_changes(eo.lower_words(), en.lower_words(), asked, &mut lower_delta);
            if !holds && !patchable {
                continue;
            }
            changed.push((bi, si));
            let (at_old, at_new) = (
                old.range.start + po.start_in_block,
                new.range.start + pn.start_in_block,
            );
            // Where candidate `a` (old) and `b` (new) are, and how far it moved, if they are
            // the same candidate: its bytes are the same only if it lies wholly before or
            // after the edited bytes, and moved with them.
            let moved = |a: &Candidate, b: &Candidate| {
                let (ha, hb) = (hull(a), hull(b));
                let (start, end, new_start) =
                    (at_old + ha.start, at_old + ha.end, at_new + hb.start);
                if ha.len() != hb.len() || !same_candidate(a, ha.start, b, hb.start) {
                    None
                } else if end <= change.prefix && new_start == start {
                    Some((start, end, 0))
                } else if start >= suffix_start && new_start as isize == start as isize + delta {
                    Some((start, end, delta))
                } else {
                    None
                }
            };
            let (co, cn) = (&eo.cands, &en.cands);
            if co.len() == cn.len() {
                // Candidate by candidate; each that is not the same is a stretch of its own.
                for (k, (a, b)) in co.iter().zip(cn).enumerate() {
                    match moved(a, b) {
                        Some((start, end, by)) => {
                            if !push(start, end, by) {
                                (holds, patchable) = (false, false);
                            }
                        }
                        None => {
                            holds = false;
                            if patchable {
                                stretches.push(Stretch {
                                    block: bi,
                                    para: si,
                                    old: k..k + 1,
                                    new: k..k + 1,
                                });
                            }
                        }
                    }
                    if !holds && !patchable {
                        break;
                    }
                }
            } else {
                // Candidates came or went: the same ones from the front and from the back,
                // and one stretch between them.
                holds = false;
                if !patchable {
                    continue;
                }
                let n = co.len().min(cn.len());
                let front = (0..n)
                    .take_while(|&k| moved(&co[k], &cn[k]).is_some())
                    .count();
                let back = (0..n - front)
                    .take_while(|&k| moved(&co[co.len() - 1 - k], &cn[cn.len() - 1 - k]).is_some())
                    .count();
                let same = (0..front).chain(co.len() - back..co.len());
                for k in same {
                    let j = if k < front {
                        k
                    } else {
                        k + cn.len() - co.len()
                    };
                    let pushed =
                        moved(&co[k], &cn[j]).is_some_and(|(start, end, by)| push(start, end, by));
                    if !pushed {
                        (holds, patchable) = (false, false);
                        break;
                    }
                }
                stretches.push(Stretch {
                    block: bi,
                    para: si,
                    old: front..co.len() - back,
                    new: front..cn.len() - back,
                });
            }
        }
    }
    // The counts after the edit; the result holds only if no answer changed.
    let mut flipped: Vec<u64> = Vec::new();
    for (deltas, cap) in [(&cap_delta, true), (&lower_delta, false)] {
        for &(h, d) in deltas {
            let c = prev.stats.counts.entry(h).or_default();
            let n = if cap { &mut c.0 } else { &mut c.1 };
            let was = *n > 0;
            let Some(now) = n.checked_add_signed(d) else {
                return Outcome::Regroup;
            };
            *n = now;
            // Only a probe's answers are read (and the probes are the same when the result
            // still holds).
            if was != (now > 0) {
                holds &= !prev.stats.probes.contains_key(&h);
                flipped.push(h);
            }
        }
    }
    if holds {
        Outcome::Carried(moves)
    } else if patchable {
        flipped.sort_unstable();
        flipped.dedup();
        Outcome::Patched(Patch {
            moves,
            stretches,
            changed,
            flipped,
        })
    } else {
        Outcome::SameWords
    }
}

/// Pushes to `out` each word that is in one of two sorted lists of word hashes and not in the
/// other, if `asked`: +1 if only in `b` (the new list), -1 if only in `a`.
fn sorted_changes(a: &[u64], b: &[u64], asked: impl Fn(u64) -> bool, out: &mut Vec<(u64, i32)>) {
    if a == b {
        return;
    }
    let (mut i, mut j) = (0, 0);
    loop {
        let (h, d) = match (a.get(i), b.get(j)) {
            (None, None) => return,
            (Some(&x), Some(&y)) if x == y => {
                (i, j) = (i + 1, j + 1);
                continue;
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                (x, -1)
            }
            (Some(_), Some(&y)) => {
                j += 1;
                (y, 1)
            }
            (Some(&x), None) => {
                i += 1;
                (x, -1)
            }
            (None, Some(&y)) => {
                j += 1;
                (y, 1)
            }
        };
        if asked(h) {
            out.push((h, d));
        }
    }
}

/// The smallest range around everything of a candidate the document stage reads in the text.
fn hull(c: &Candidate) -> TextRange {
    let mut start = c.range.start.min(c.name.start);
    let mut end = c.range.end.max(c.name.end);
    if let Some(u) = c.unsure {
        start = start.min(u.start);
        end = end.max(u.end);
    }
    TextRange::new(start, end)
}

/// Whether candidates `a` and `b` are the same but for where they are (`a_at` and `b_at`: the
/// starts of their hulls).
fn same_candidate(a: &Candidate, a_at: usize, b: &Candidate, b_at: usize) -> bool {
    // Every field, by name: a field added to `Candidate` must be added here.
    let Candidate {
        range,
        name,
        kind,
        form,
        canonical,
        country,
        role_info,
        unsure,
        cue,
        weak,
        guessed,
        nested,
        modifier,
        sheet,
    } = a;
    let rel = |r: TextRange, at: usize| (r.start - at, r.end - at);
    rel(*range, a_at) == rel(b.range, b_at)
        && rel(*name, a_at) == rel(b.name, b_at)
        && unsure.map(|u| rel(u, a_at)) == b.unsure.map(|u| rel(u, b_at))
        && *kind == b.kind
        && *form == b.form
        && *canonical == b.canonical
        && *country == b.country
        && *role_info == b.role_info
        && *cue == b.cue
        && *weak == b.weak
        && *guessed == b.guessed
        && *nested == b.nested
        && *modifier == b.modifier
        && *sheet == b.sheet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Format, markup, paragraph};

    /// The paragraph scans of `text`, placed in the document.
    fn scans(text: &str, format: Format) -> Vec<(usize, paragraph::ParagraphScan)> {
        let config = Config::default();
        markup::layout(text, format)
            .blocks
            .iter()
            .flat_map(|b| {
                paragraph::scan_block(b.range.of(text), format, &config)
                    .into_iter()
                    .map(move |s| (b.range.start + s.start_in_block, s))
            })
            .collect()
    }

    #[test]
    fn word_statistics_answer_as_the_full_sets_would() {
        // Sentence-initial names confirmed elsewhere, a common word, a guessed name, and a
        // name in emphasis (whose document text differs from the prose mask).
        let text = "# Water Board Meets\n\nWater rose. The water board met Anna Berg.\n\n\
                    Berg said the **Zorro Vance** plan was late. Zorro Vance agreed.\n\n\
                    Magic Johnson spoke; magic was in the air, said Tove Lind.\n";
        let scans = scans(text, Format::Markdown);
        let placed: Vec<Placed<'_>> = scans
            .iter()
            .map(|(offset, scan)| Placed::new(*offset, scan))
            .collect();
        let stats = WordStats::new(&placed, &mut Vec::new(), None, false);
        let mut cap = HashSet64::default();
        let mut lower = HashSet64::default();
        let mut asked: Vec<u64> = Vec::new();
        for p in &placed {
            let e = &p.scan.entities;
            cap.extend(e.cap_words().iter().copied());
            lower.extend(e.lower_words().iter().copied());
            asked.extend(
                e.probes()
                    .iter()
                    .chain(e.cap_words())
                    .chain(e.lower_words()),
            );
        }
        assert!(!stats.kept.probes.is_empty() && !cap.is_empty() && !lower.is_empty());
        // Words outside the probes too ("nowhere" is in no paragraph).
        asked.extend(["Water", "water", "magic", "Magic", "nowhere"].map(word_hash));
        for h in asked {
            assert_eq!(stats.is_cap(h), cap.contains(&h), "capitalised {h:x}");
            assert_eq!(stats.is_lower(h), lower.contains(&h), "lower case {h:x}");
        }
        assert!(stats.is_lower(word_hash("water")) && !stats.is_lower(word_hash("nowhere")));
    }

    #[test]
    fn words_are_those_of_split_whitespace() {
        let pieces = [
            "Anna", " ", "  ", "\n", "\t", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{A0}",
            "\u{2003}", "\u{3000}", "é", "Łódź", "’", "x", "😀", "",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..5000 {
            let mut t = String::new();
            for _ in 0..8 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                t.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let ours: Vec<&str> = words(&t).collect();
            let std: Vec<&str> = t.split_whitespace().collect();
            assert_eq!(ours, std, "{t:?}");
        }
    }

    #[test]
    fn key_words_are_those_of_split_whitespace_however_many() {
        for key in [
            "",
            "  ",
            "Xi",
            "Xi Jinping",
            " Anna  Maria\tvon Berg ",
            "International Committee of the Red Cross",
            "A B C D E F G H",
            "Zoë  Ångström Ørsted",
        ] {
            let mut b = Building::new(EntityKind::Person, key);
            let expect: Vec<&str> = key.split_whitespace().collect();
            let got: Vec<&str> = (0..b.nwords()).map(|k| b.word(k)).collect();
            assert_eq!(got, expect, "{key:?}");
            assert_eq!(b.first(), expect.first().copied());
            assert_eq!(b.last(), expect.last().copied());
            assert_eq!(b.word(expect.len()), "");
            // Set again from the words themselves, after a longer key: the same.
            b.set_key("One Two Three Four Five Six");
            b.set_key_words(key, &expect);
            let again: Vec<&str> = (0..b.nwords()).map(|k| b.word(k)).collect();
            assert_eq!(again, expect, "{key:?}");
        }
    }

    #[test]
    fn near_miss_from_parts_answers_as_from_names() {
        let names = [
            "Heusgen",
            "Heusgan",
            "Christoph Heusgen",
            "Christoph Heusgan",
            "Anna Heusgan",
            "Xi",
            "Xu",
            "Smith",
            "Smyth",
            "Jon Smith",
        ];
        for a in names {
            for b in names {
                let sa = a.split_whitespace().next_back().unwrap_or("");
                let sb = b.split_whitespace().next_back().unwrap_or("");
                let fa = first_of_several(a);
                let fb = first_of_several(b);
                assert_eq!(
                    near_miss(a, b),
                    near_miss_parts(fa, sa, fb, sb),
                    "{a} / {b}"
                );
            }
        }
        assert!(near_miss("Christoph Heusgen", "Heusgan"));
        assert!(!near_miss("Christoph Heusgen", "Anna Heusgan"));
        assert!(!near_miss("Heusgen", "Heusgen"));
    }

    #[test]
    fn people_index_keeps_the_first_letter_of_the_current_name() {
        let mut people = People::default();
        let person = |name| Building::new(EntityKind::Person, name);
        people.add(0, &person("Smith"));
        people.add(1, &person("Jane Smith"));
        // Entity 0's name grows: its letter under "Smith" follows.
        people.add(0, &person("Anna Smith"));
        assert_eq!(people.with_word("Smith"), &[(0, 'A'), (1, 'J')]);
        assert_eq!(people.with_word("Anna"), &[(0, 'A')]);
        assert!(people.with_word("Berg").is_empty());
        assert_eq!(people.list, vec![0, 1]);
    }
}
