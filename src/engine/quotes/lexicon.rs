//! Word lists for attribution, read once from `src/engine/data/quotes/` (see its SOURCES.md).
//!
//! Contract: [`lexicon`] returns the same immutable tables every time; they are built on first
//! use (`LazyLock`), never per call. Lookups take lowercase words.
//!
//! Attribution asks many questions of the same word ("is it a reporting verb, a determiner, a
//! time word?"), so every list is also folded into one table of word [`Class`] bits:
//! [`Lexicon::class`] answers all of them with one hash lookup, done once per token.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

const REPORTING_SRC: &str = include_str!("../data/quotes/reporting_verbs.txt");
const PARTIAL_SRC: &str = include_str!("../data/quotes/partial_verbs.txt");
const VAGUE_SRC: &str = include_str!("../data/quotes/vague_sources.txt");
const ANONYMOUS_SRC: &str = include_str!("../data/quotes/anonymous_sources.txt");

/// The attribution word lists.
pub struct Lexicon {
    /// Fixed phrases by first word: (words, is the phrase vague rather than anonymous),
    /// longest first, the lists sorted by their first word. A list is found by the number
    /// [`PHRASE_ID`] holds in its first word's class (less one), without hashing the word.
    phrases: Vec<(&'static str, Vec<Phrase>)>,
    /// Every listed word with the [`Class`] bits of the lists it is on.
    classes: HashMap<&'static str, Class>,
    /// The same table as an open-addressing hash table ([`WordTable`]): most words of a
    /// paragraph are looked up, and this is the cost of each lookup.
    table: WordTable,
    /// The length of the longest listed word (a longer word is on no list).
    longest: usize,
}

/// A fixed phrase: its words, and whether it is vague rather than anonymous.
pub type Phrase = (Vec<&'static str>, bool);

/// What the word lists say about one lowercase word, as bits (one for each list).
pub type Class = u32;
/// Any form of a reporting verb ("said", "tells", "tweeted").
pub const REPORTING: Class = 1;
/// Any form of a verb that carries partial quotes ("hailed", "called").
pub const PARTIAL: Class = 1 << 1;
/// A noun for an unnamed group ("critics").
pub const VAGUE: Class = 1 << 2;
/// A noun for a single unnamed source ("source", "officials").
pub const ANONYMOUS: Class = 1 << 3;
/// The base form of a cue verb that is also a common noun ("state", "report", "call",
/// "term"): a verb only after a pronoun, an auxiliary or "to".
pub const AMBIGUOUS_BASE: Class = 1 << 4;
/// The first word of a fixed phrase ([`Lexicon::phrases_of`]).
pub const PHRASE_START: Class = 1 << 5;
/// On `DETERMINERS`.
pub const DETERMINER: Class = 1 << 6;
/// On `QUANTIFIERS`.
pub const QUANTIFIER: Class = 1 << 7;
/// On `SUBJECT_PRONOUNS`.
pub const SUBJECT_PRONOUN: Class = 1 << 8;
/// On `VERB_FILLERS`, or an adverb in -ly.
pub const VERB_FILLER: Class = 1 << 9;
/// On `NP_STOPS`.
pub const NP_STOP: Class = 1 << 10;
/// On `TIME_WORDS`.
pub const TIME_WORD: Class = 1 << 11;
/// On `INSTITUTION_NOUNS`.
pub const INSTITUTION: Class = 1 << 12;
/// On `TITLES`.
pub const TITLE: Class = 1 << 13;
/// A reporting verb or on `CLAIM_VERBS`.
pub const CLAIM_VERB: Class = 1 << 14;
/// A word that may be a cue verb: a reporting or partial-quote verb, "according", "read" or
/// "reads" (a cheap first test before the context is read).
pub const CUE_WORD: Class = 1 << 15;
/// The top eight bits of the class of a [`PHRASE_START`] word: the number of its list of
/// phrases ([`Lexicon::phrases_of`]), from 1; not a list bit.
pub const PHRASE_ID: Class = 0xFF << PHRASE_ID_SHIFT;
const PHRASE_ID_SHIFT: u32 = 24;

/// A word as two integers read from its bytes (the first and last eight, or four, and so
/// on: every byte is read, some twice): with its length, the integers tell the word, so
/// comparing them compares the words.
fn key(w: &[u8]) -> (u64, u64) {
    let n = w.len();
    let u64_at = |i: usize| u64::from_le_bytes(w[i..i + 8].try_into().unwrap_or([0; 8]));
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(w[i..i + 4].try_into().unwrap_or([0; 4])));
    if n >= 8 {
        (u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (u32_at(0), u32_at(n - 4))
    } else if n > 0 {
        (
            u64::from(w[0]) | u64::from(w[n / 2]) << 8 | u64::from(w[n - 1]) << 16,
            0,
        )
    } else {
        (0, 0)
    }
}

/// The listed words of at most 16 bytes, as an open-addressing table of their [`key`]s,
/// lengths and classes (linear probing; a slot of length 0 is empty).
struct WordTable {
    slots: Vec<(u64, u64, u32, Class)>,
    mask: usize,
    /// One bit per 8,192 values of a word's hash, set for the listed words' (1 KB, read from
    /// the first-level cache): most words of a text are not listed, and this turns them away
    /// before the look-up in `slots` (200 KB, past that cache), the quotation scan's costliest
    /// memory read.
    filter: Box<[u64; 128]>,
}

impl WordTable {
    /// The longest word the table holds.
    const MAX_LEN: usize = 16;

    fn new<'w>(words: impl Iterator<Item = (&'w str, Class)> + Clone) -> Self {
        let n = words.clone().count();
        let size = (n * 4).next_power_of_two().max(16);
        let mut t = WordTable {
            slots: vec![(0, 0, 0, 0); size],
            mask: size - 1,
            filter: Box::new([0; 128]),
        };
        for (w, c) in words {
            let (a, b) = key(w.as_bytes());
            let len = w.len() as u32;
            let hash = Self::hash(a, b, len);
            t.filter[Self::filter_word(hash)] |= Self::filter_bit(hash);
            let mut h = hash as usize & t.mask;
            while t.slots[h].2 != 0 {
                h = (h + 1) & t.mask;
            }
            t.slots[h] = (a, b, len, c);
        }
        t
    }

    /// A word's hash: its low bits pick its first slot, its top 13 its bit of `filter`.
    fn hash(a: u64, b: u64, len: u32) -> u64 {
        (a ^ b.rotate_left(29) ^ u64::from(len))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(26)
    }

    fn filter_word(hash: u64) -> usize {
        (hash >> 57) as usize
    }

    fn filter_bit(hash: u64) -> u64 {
        1 << ((hash >> 51) & 63)
    }

    /// The classes of a word of at most [`Self::MAX_LEN`] bytes (0 for one not listed).
    #[inline]
    fn get(&self, w: &[u8]) -> Class {
        let (a, b) = key(w);
        let len = w.len() as u32;
        let hash = Self::hash(a, b, len);
        if self.filter[Self::filter_word(hash)] & Self::filter_bit(hash) == 0 {
            return 0;
        }
        let mut h = hash as usize & self.mask;
        loop {
            let &(sa, sb, slen, c) = &self.slots[h];
            if slen == len && sa == a && sb == b {
                return c;
            }
            if slen == 0 {
                return 0;
            }
            h = (h + 1) & self.mask;
        }
    }
}

impl Lexicon {
    /// The fixed phrases (words, is the phrase vague) whose first word has the [`Class`]
    /// `class` (what [`Self::class`] says of it), longest first; none for a word that starts
    /// none. The first word of each is that word.
    #[inline]
    pub fn phrases_of(&self, class: Class) -> &[Phrase] {
        let id = (class & PHRASE_ID) >> PHRASE_ID_SHIFT;
        (id as usize)
            .checked_sub(1)
            .and_then(|k| self.phrases.get(k))
            .map_or(&[], |(_, list)| list.as_slice())
    }

    /// The [`Class`] bits of a lowercase word: one lookup for every list.
    #[inline]
    pub fn class(&self, w: &str) -> Class {
        let mut c = if w.len() <= WordTable::MAX_LEN {
            self.table.get(w.as_bytes())
        } else if w.len() <= self.longest {
            self.classes.get(w).copied().unwrap_or(0)
        } else {
            0
        };
        if ly_adverb(w) {
            c |= VERB_FILLER;
        }
        c
    }
}

fn entries(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

fn forms(src: &'static str) -> HashSet<&'static str> {
    entries(src).flat_map(str::split_whitespace).collect()
}

fn nouns_and_phrases(
    src: &'static str,
    vague: bool,
    phrases: &mut HashMap<&'static str, Vec<(Vec<&'static str>, bool)>>,
) -> HashSet<&'static str> {
    let mut nouns = HashSet::default();
    for e in entries(src) {
        if let Some(p) = e.strip_prefix("phrase:") {
            let words: Vec<&'static str> = p.split_whitespace().collect();
            if let Some(first) = words.first() {
                phrases.entry(*first).or_default().push((words, vague));
            }
        } else {
            nouns.insert(e);
        }
    }
    nouns
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut phrases = HashMap::default();
    let vague_nouns = nouns_and_phrases(VAGUE_SRC, true, &mut phrases);
    let anonymous_nouns = nouns_and_phrases(ANONYMOUS_SRC, false, &mut phrases);
    for list in phrases.values_mut() {
        // Longest phrase first, so the widest match wins.
        list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    // Base forms (first on each line) that are not core speech verbs double as nouns.
    let core = [
        "say",
        "tell",
        "add",
        "ask",
        "argue",
        "insist",
        "warn",
        "write",
        "believe",
        "think",
        "claim",
        "contend",
        "maintain",
        "predict",
        "agree",
        "feel",
        "suggest",
        "fear",
        "acknowledge",
        "admit",
        "deny",
        "confirm",
        "worry",
        "expect",
        "explain",
        "describe",
        "call",
        "hail",
        "praise",
        "condemn",
        "dub",
        "brand",
    ];
    let ambiguous_base: HashSet<&'static str> = entries(REPORTING_SRC)
        .chain(entries(PARTIAL_SRC))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !core.contains(w))
        .collect();
    let reporting = forms(REPORTING_SRC);
    let partial = forms(PARTIAL_SRC);
    let mut classes: HashMap<&'static str, Class> = HashMap::default();
    let mut add = |words: &mut dyn Iterator<Item = &'static str>, bits: Class| {
        for w in words {
            *classes.entry(w).or_default() |= bits;
        }
    };
    add(&mut reporting.iter().copied(), REPORTING | CLAIM_VERB);
    add(&mut partial.iter().copied(), PARTIAL);
    add(&mut vague_nouns.iter().copied(), VAGUE);
    add(&mut anonymous_nouns.iter().copied(), ANONYMOUS);
    add(&mut ambiguous_base.iter().copied(), AMBIGUOUS_BASE);
    add(&mut phrases.keys().copied(), PHRASE_START);
    // Each first word's list, by number (sorted by word, so the numbers do not depend on
    // the hash map's order).
    let mut firsts: Vec<&'static str> = phrases.keys().copied().collect();
    firsts.sort_unstable();
    debug_assert!(firsts.len() < 0xFF, "too many phrase lists for PHRASE_ID");
    let mut phrase_lists = Vec::with_capacity(firsts.len());
    for (k, w) in firsts.into_iter().enumerate() {
        add(&mut std::iter::once(w), (k as Class + 1) << PHRASE_ID_SHIFT);
        phrase_lists.push((w, phrases.remove(w).unwrap_or_default()));
    }
    add(&mut DETERMINERS.iter().copied(), DETERMINER);
    add(&mut QUANTIFIERS.iter().copied(), QUANTIFIER);
    add(&mut SUBJECT_PRONOUNS.iter().copied(), SUBJECT_PRONOUN);
    add(&mut VERB_FILLERS.iter().copied(), VERB_FILLER);
    add(&mut NP_STOPS.iter().copied(), NP_STOP);
    add(&mut TIME_WORDS.iter().copied(), TIME_WORD);
    add(&mut INSTITUTION_NOUNS.iter().copied(), INSTITUTION);
    add(&mut TITLES.iter().copied(), TITLE);
    add(&mut CLAIM_VERBS.iter().copied(), CLAIM_VERB);
    add(&mut reporting.iter().copied(), CUE_WORD);
    add(&mut partial.iter().copied(), CUE_WORD);
    add(&mut ["according", "read", "reads"].into_iter(), CUE_WORD);
    // Verbs of manner report a quotation ("“No,” she laughed") but make no claim of a group
    // ("many laughed at it", "supporters roared").
    for line in entries(REPORTING_SRC) {
        let mut forms = line.split_whitespace();
        if forms.next().is_some_and(|base| NOT_CLAIMS.contains(&base)) {
            for w in line.split_whitespace() {
                if let Some(c) = classes.get_mut(w) {
                    *c &= !CLAIM_VERB;
                }
            }
        }
    }
    let longest = classes.keys().map(|w| w.len()).max().unwrap_or(0);
    let table = WordTable::new(
        classes
            .iter()
            .filter(|(w, _)| w.len() <= WordTable::MAX_LEN)
            .map(|(w, &c)| (*w, c)),
    );
    Lexicon {
        phrases: phrase_lists,
        classes,
        table,
        longest,
    }
});

/// The word lists.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// Determiners, possessives and quantifiers that can open a noun phrase.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these",
    "those", "another", "one", "two", "three", "four", "five", "several", "some", "many", "most",
    "other", "each", "every", "both", "all", "few", "numerous", "various", "any", "no", "such",
];

/// Quantifiers that make a group vague ("many", "some").
const QUANTIFIERS: &[&str] = &[
    "many",
    "some",
    "most",
    "several",
    "numerous",
    "various",
    "countless",
    "few",
    "other",
];

/// Personal pronouns that can be the subject of a reporting verb.
const SUBJECT_PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "it", "you"];

/// An adverb in -ly: a verb filler ("reportedly"). Asked of every word of every paragraph.
#[inline]
pub(super) fn ly_adverb(w: &str) -> bool {
    w.len() > 4
        && w.ends_with("ly")
        && !matches!(w, "italy" | "family" | "ally" | "rally" | "assembly")
}

/// Reporting verbs (by base form) that tell how something was said, not that it was claimed.
const NOT_CLAIMS: &[&str] = &[
    "laugh", "roar", "fume", "rage", "rant", "riff", "tease", "bark", "huff", "chuckle", "sigh",
    "sing", "chant",
];

/// Verbs that put a group behind a claim when their subject is vague ("critics say"), besides
/// the reporting verbs.
const CLAIM_VERBS: &[&str] = &[
    "fear",
    "fears",
    "feared",
    "worry",
    "worries",
    "worried",
    "expect",
    "expects",
    "expected",
    "doubt",
    "doubts",
    "doubted",
    "question",
    "questioned",
    "see",
    "view",
    "regard",
    "consider",
    "considered",
    "reckon",
    "reckons",
];

/// Words that may stand between a subject and its verb ("also", "has", "later"), besides
/// adverbs in -ly.
const VERB_FILLERS: &[&str] = &[
    "also",
    "only",
    "later",
    "then",
    "has",
    "had",
    "have",
    "was",
    "were",
    "is",
    "are",
    "would",
    "will",
    "again",
    "once",
    "further",
    "even",
    "just",
    "still",
    "already",
    "now",
    "often",
    "too",
    "himself",
    "herself",
    "themselves",
    "itself",
    "soon",
    "never",
    "always",
    "not",
    "did",
    "does",
    "do",
    "could",
    "should",
    "may",
    "might",
    "must",
    "can",
    "be",
    "been",
    "being",
    "reportedly",
    "allegedly",
    "previously",
    "separately",
    "elsewhere",
    "long",
    "repeatedly",
    "later,",
];

/// Words that end a noun phrase read backwards from its last word (clause openers, most
/// prepositions, conjunctions).
const NP_STOPS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "while",
    "because",
    "but",
    "and",
    "or",
    "if",
    "as",
    "after",
    "before",
    "since",
    "than",
    "to",
    "by",
    "for",
    "with",
    "in",
    "on",
    "at",
    "from",
    "about",
    "into",
    "what",
    "how",
    "why",
    "not",
    "so",
    "said",
    "says",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "do",
    "does",
    "did",
    "also",
    "then",
    "there",
    "here",
    "yet",
    "though",
    "although",
    "unless",
    "until",
    "over",
    "under",
    "through",
    "during",
    "against",
    "without",
    "within",
    "between",
    "among",
    "upon",
    "like",
    "told",
    "asked",
    "added",
    "according",
    "him",
    "them",
    "us",
    "me",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "per",
    "via",
    "amid",
    "despite",
    "toward",
    "towards",
    "up",
    "down",
    "out",
    "off",
    "not,",
    "just",
    "only",
    "even",
    "said,",
    "however",
    "however,",
];

/// Time words that are not speakers even when capitalised ("said Monday").
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "tomorrow",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan.",
    "feb.",
    "aug.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
    "last",
    "earlier",
    "recently",
    "later",
    "this",
    "next",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "weekend",
    "month",
    "year",
];

/// Nouns that name an institution rather than a person ("the ministry", "the campaign").
const INSTITUTION_NOUNS: &[&str] = &[
    "ministry",
    "department",
    "agency",
    "company",
    "firm",
    "government",
    "campaign",
    "committee",
    "court",
    "council",
    "office",
    "party",
    "administration",
    "embassy",
    "police",
    "army",
    "military",
    "newspaper",
    "paper",
    "report",
    "statement",
    "study",
    "survey",
    "poll",
    "network",
    "magazine",
    "website",
    "group",
    "organization",
    "organisation",
    "union",
    "association",
    "commission",
    "bank",
    "board",
    "team",
    "club",
    "school",
    "university",
    "college",
    "hospital",
    "church",
    "foundation",
    "institute",
    "center",
    "centre",
    "fund",
    "corporation",
    "station",
    "channel",
    "broadcaster",
    "outlet",
    "publication",
    "journal",
    "memo",
    "letter",
    "document",
    "release",
    "lawsuit",
    "complaint",
    "filing",
    "site",
    "blog",
    "service",
    "authority",
    "authorities",
    "regime",
    "cabinet",
    "senate",
    "house",
    "congress",
    "parliament",
    "kremlin",
    "pentagon",
    "bureau",
    "unit",
    "coalition",
    "alliance",
    "federation",
    "league",
    "network's",
    "tribunal",
    "panel",
    "secretariat",
    "headquarters",
];

/// Titles that stand before a name and are not part of it ("President", "Mr.").
const TITLES: &[&str] = &[
    "mr.",
    "mrs.",
    "ms.",
    "mx.",
    "dr.",
    "prof.",
    "sen.",
    "rep.",
    "del.",
    "gov.",
    "gen.",
    "lt.",
    "col.",
    "sgt.",
    "capt.",
    "adm.",
    "rev.",
    "hon.",
    "pres.",
    "amb.",
    "atty.",
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "senator",
    "governor",
    "representative",
    "congressman",
    "congresswoman",
    "secretary",
    "minister",
    "chancellor",
    "premier",
    "general",
    "judge",
    "justice",
    "speaker",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "professor",
    "pope",
    "king",
    "queen",
    "prince",
    "princess",
    "lord",
    "sir",
    "dame",
    "mayor",
    "ambassador",
    "commissioner",
    "sheriff",
    "chief",
    "coach",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "candidate",
    "nominee",
    "vice",
    "deputy",
    "attorney",
    "prosecutor",
    "officer",
    "inspector",
    "detective",
    "captain",
    "colonel",
    "sergeant",
    "lieutenant",
    "admiral",
    "commander",
    "father",
    "sister",
    "brother",
    "rabbi",
    "imam",
    "bishop",
    "cardinal",
    "ceo",
    "founder",
    "head",
    "state",
    "former",
    "then",
    "prime",
    "foreign",
    "defense",
    "defence",
    "press",
    "first",
    "lady",
    "white",
    "house",
    "u.s.",
    "gop",
    "democratic",
    "republican",
    "former,",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_with_their_forms() {
        let l = lexicon();
        let is = |w: &str, bits: Class| l.class(w) & bits != 0;
        for w in [
            "said", "says", "told", "tweeted", "wrote", "replied", "insisted", "posted",
        ] {
            assert!(is(w, REPORTING | CLAIM_VERB), "{w}");
        }
        for w in [
            "hailed",
            "highlighted",
            "described",
            "dubbed",
            "branded",
            "called",
        ] {
            assert!(is(w, PARTIAL), "{w}");
        }
        assert!(is("critics", VAGUE) && is("sources", ANONYMOUS));
        assert!(l.phrases.iter().any(|(first, v)| {
            *first == "it"
                && v.iter()
                    .any(|(w, vague)| *vague && w.join(" ") == "it is understood")
        }));
        assert!(is("it", PHRASE_START));
        // Every first word finds its own list by its class, and other words find none.
        assert!(l.phrases.len() > 10);
        for (first, list) in &l.phrases {
            assert_eq!(l.phrases_of(l.class(first)), list.as_slice(), "{first}");
            assert!(list.iter().all(|(w, _)| w.first() == Some(first)));
        }
        assert!(l.phrases_of(l.class("said")).is_empty() && l.phrases_of(0).is_empty());
        assert_eq!(l.class(""), 0);
        assert!(!l.classes.keys().any(|w| w.starts_with('#')));
    }

    #[test]
    fn classes_follow_the_lists() {
        let l = lexicon();
        for (list, bit) in [
            (DETERMINERS, DETERMINER),
            (QUANTIFIERS, QUANTIFIER),
            (SUBJECT_PRONOUNS, SUBJECT_PRONOUN),
            (VERB_FILLERS, VERB_FILLER),
            (NP_STOPS, NP_STOP),
            (TIME_WORDS, TIME_WORD),
            (INSTITUTION_NOUNS, INSTITUTION),
            (TITLES, TITLE),
            (CLAIM_VERBS, CLAIM_VERB),
        ] {
            for w in list {
                assert!(l.class(w) & bit != 0, "{w}");
            }
        }
        assert!(l.class("reportedly") & VERB_FILLER != 0);
        assert!(l.class("quickly") & VERB_FILLER != 0);
        assert!(l.class("italy") & VERB_FILLER == 0);
        assert!(l.class("say") & AMBIGUOUS_BASE == 0 && l.class("state") & AMBIGUOUS_BASE != 0);
        assert_eq!(l.class("zebra"), 0);
    }

    #[test]
    fn the_table_answers_as_the_map_does() {
        let l = lexicon();
        for (w, &c) in &l.classes {
            if w.len() <= WordTable::MAX_LEN {
                assert_eq!(l.table.get(w.as_bytes()), c, "{w}");
            }
        }
        // Words not listed, of every length the table holds, and listed words one letter off.
        let mut unlisted = 0;
        for w in l
            .classes
            .keys()
            .chain(["zebra", "x", "qq", "parliamentarians"].iter())
        {
            for v in [
                format!("{w}q"),
                format!("q{w}"),
                w[..w.len() - 1].to_string(),
            ] {
                if v.len() <= WordTable::MAX_LEN && !l.classes.contains_key(v.as_str()) {
                    assert_eq!(l.table.get(v.as_bytes()), 0, "{v}");
                    unlisted += 1;
                }
            }
        }
        assert!(unlisted > 1000);
    }
}
