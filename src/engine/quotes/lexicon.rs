//! Word lists for attribution, read once from `src/engine/data/quotes/` (see its SOURCES.md).
//!
//! Contract: [`lexicon`] returns the same immutable tables every time; they are built on first
//! use (`LazyLock`), never per call. Lookups take lowercase words.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const REPORTING: &str = include_str!("../data/quotes/reporting_verbs.txt");
const PARTIAL: &str = include_str!("../data/quotes/partial_verbs.txt");
const VAGUE: &str = include_str!("../data/quotes/vague_sources.txt");
const ANONYMOUS: &str = include_str!("../data/quotes/anonymous_sources.txt");

/// The attribution word lists.
pub struct Lexicon {
    /// Every form of every reporting verb ("said", "tells", "tweeted").
    pub reporting: HashSet<&'static str>,
    /// Every form of every verb that carries partial quotes ("hailed", "called").
    pub partial: HashSet<&'static str>,
    /// Nouns for an unnamed group ("critics").
    pub vague_nouns: HashSet<&'static str>,
    /// Nouns for a single unnamed source ("source", "officials").
    pub anonymous_nouns: HashSet<&'static str>,
    /// Base forms of cue verbs that are also common nouns ("state", "report", "call", "term"):
    /// verbs only after a pronoun, an auxiliary or "to".
    pub ambiguous_base: HashSet<&'static str>,
    /// Fixed phrases by first word: (words, is the phrase vague rather than anonymous).
    pub phrases: HashMap<&'static str, Vec<(Vec<&'static str>, bool)>>,
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
    let mut nouns = HashSet::new();
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
    let mut phrases = HashMap::new();
    let vague_nouns = nouns_and_phrases(VAGUE, true, &mut phrases);
    let anonymous_nouns = nouns_and_phrases(ANONYMOUS, false, &mut phrases);
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
    let ambiguous_base = entries(REPORTING)
        .chain(entries(PARTIAL))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !core.contains(w))
        .collect();
    Lexicon {
        reporting: forms(REPORTING),
        partial: forms(PARTIAL),
        ambiguous_base,
        vague_nouns,
        anonymous_nouns,
        phrases,
    }
});

/// The word lists.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// Determiners, possessives and quantifiers that can open a noun phrase.
pub fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "your"
            | "this"
            | "that"
            | "these"
            | "those"
            | "another"
            | "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "several"
            | "some"
            | "many"
            | "most"
            | "other"
            | "each"
            | "every"
            | "both"
            | "all"
            | "few"
            | "numerous"
            | "various"
            | "any"
            | "no"
            | "such"
    )
}

/// Quantifiers that make a group vague ("many", "some").
pub fn is_quantifier(w: &str) -> bool {
    matches!(
        w,
        "many"
            | "some"
            | "most"
            | "several"
            | "numerous"
            | "various"
            | "countless"
            | "few"
            | "other"
    )
}

/// Personal pronouns that can be the subject of a reporting verb.
pub fn is_subject_pronoun(w: &str) -> bool {
    matches!(w, "he" | "she" | "they" | "i" | "we" | "it" | "you")
}

/// Words that may stand between a subject and its verb ("also", "has", "later").
pub fn is_verb_filler(w: &str) -> bool {
    (w.len() > 4
        && w.ends_with("ly")
        && !matches!(w, "italy" | "family" | "ally" | "rally" | "assembly"))
        || matches!(
            w,
            "also"
                | "later"
                | "then"
                | "has"
                | "had"
                | "have"
                | "was"
                | "were"
                | "is"
                | "are"
                | "would"
                | "will"
                | "again"
                | "once"
                | "further"
                | "even"
                | "just"
                | "still"
                | "already"
                | "now"
                | "often"
                | "too"
                | "himself"
                | "herself"
                | "themselves"
                | "itself"
                | "soon"
                | "never"
                | "always"
                | "not"
                | "did"
                | "does"
                | "do"
                | "could"
                | "should"
                | "may"
                | "might"
                | "must"
                | "can"
                | "be"
                | "been"
                | "being"
                | "reportedly"
                | "allegedly"
                | "previously"
                | "separately"
                | "elsewhere"
                | "long"
                | "repeatedly"
                | "later,"
        )
}

/// Words that end a noun phrase read backwards from its last word (clause openers, most
/// prepositions, conjunctions).
pub fn is_np_stop(w: &str) -> bool {
    matches!(
        w,
        "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "when"
            | "where"
            | "while"
            | "because"
            | "but"
            | "and"
            | "or"
            | "if"
            | "as"
            | "after"
            | "before"
            | "since"
            | "than"
            | "to"
            | "by"
            | "for"
            | "with"
            | "in"
            | "on"
            | "at"
            | "from"
            | "about"
            | "into"
            | "what"
            | "how"
            | "why"
            | "not"
            | "so"
            | "said"
            | "says"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "may"
            | "might"
            | "must"
            | "do"
            | "does"
            | "did"
            | "also"
            | "then"
            | "there"
            | "here"
            | "yet"
            | "though"
            | "although"
            | "unless"
            | "until"
            | "over"
            | "under"
            | "through"
            | "during"
            | "against"
            | "without"
            | "within"
            | "between"
            | "among"
            | "upon"
            | "like"
            | "told"
            | "asked"
            | "added"
            | "according"
            | "him"
            | "them"
            | "us"
            | "me"
            | "it"
            | "he"
            | "she"
            | "they"
            | "we"
            | "i"
            | "you"
            | "per"
            | "via"
            | "amid"
            | "despite"
            | "toward"
            | "towards"
            | "up"
            | "down"
            | "out"
            | "off"
            | "not,"
            | "just"
            | "only"
            | "even"
            | "said,"
            | "however"
            | "however,"
    )
}

/// Time words that are not speakers even when capitalised ("said Monday").
pub fn is_time_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "yesterday"
            | "tonight"
            | "tomorrow"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan."
            | "feb."
            | "aug."
            | "sept."
            | "oct."
            | "nov."
            | "dec."
            | "last"
            | "earlier"
            | "recently"
            | "later"
            | "this"
            | "next"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "week"
            | "weekend"
            | "month"
            | "year"
    )
}

/// Nouns that name an institution rather than a person ("the ministry", "the campaign").
pub fn is_institution_noun(w: &str) -> bool {
    matches!(
        w,
        "ministry"
            | "department"
            | "agency"
            | "company"
            | "firm"
            | "government"
            | "campaign"
            | "committee"
            | "court"
            | "council"
            | "office"
            | "party"
            | "administration"
            | "embassy"
            | "police"
            | "army"
            | "military"
            | "newspaper"
            | "paper"
            | "report"
            | "statement"
            | "study"
            | "survey"
            | "poll"
            | "network"
            | "magazine"
            | "website"
            | "group"
            | "organization"
            | "organisation"
            | "union"
            | "association"
            | "commission"
            | "bank"
            | "board"
            | "team"
            | "club"
            | "school"
            | "university"
            | "college"
            | "hospital"
            | "church"
            | "foundation"
            | "institute"
            | "center"
            | "centre"
            | "fund"
            | "corporation"
            | "station"
            | "channel"
            | "broadcaster"
            | "outlet"
            | "publication"
            | "journal"
            | "memo"
            | "letter"
            | "document"
            | "release"
            | "lawsuit"
            | "complaint"
            | "filing"
            | "site"
            | "blog"
            | "service"
            | "authority"
            | "authorities"
            | "regime"
            | "cabinet"
            | "senate"
            | "house"
            | "congress"
            | "parliament"
            | "kremlin"
            | "pentagon"
            | "bureau"
            | "unit"
            | "coalition"
            | "alliance"
            | "federation"
            | "league"
            | "network's"
            | "tribunal"
            | "panel"
            | "secretariat"
            | "headquarters"
    )
}

/// Titles that stand before a name and are not part of it ("President", "Mr.").
pub fn is_title(w: &str) -> bool {
    matches!(
        w,
        "mr."
            | "mrs."
            | "ms."
            | "mx."
            | "dr."
            | "prof."
            | "sen."
            | "rep."
            | "gov."
            | "gen."
            | "lt."
            | "col."
            | "sgt."
            | "capt."
            | "adm."
            | "rev."
            | "hon."
            | "pres."
            | "amb."
            | "atty."
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "president"
            | "senator"
            | "governor"
            | "representative"
            | "congressman"
            | "congresswoman"
            | "secretary"
            | "minister"
            | "chancellor"
            | "premier"
            | "general"
            | "judge"
            | "justice"
            | "speaker"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "director"
            | "professor"
            | "pope"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "lord"
            | "sir"
            | "dame"
            | "mayor"
            | "ambassador"
            | "commissioner"
            | "sheriff"
            | "chief"
            | "coach"
            | "leader"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "candidate"
            | "nominee"
            | "vice"
            | "deputy"
            | "attorney"
            | "prosecutor"
            | "officer"
            | "inspector"
            | "detective"
            | "captain"
            | "colonel"
            | "sergeant"
            | "lieutenant"
            | "admiral"
            | "commander"
            | "father"
            | "sister"
            | "brother"
            | "rabbi"
            | "imam"
            | "bishop"
            | "cardinal"
            | "ceo"
            | "founder"
            | "head"
            | "state"
            | "former"
            | "then"
            | "prime"
            | "foreign"
            | "defense"
            | "defence"
            | "press"
            | "first"
            | "lady"
            | "white"
            | "house"
            | "u.s."
            | "gop"
            | "democratic"
            | "republican"
            | "former,"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_with_their_forms() {
        let l = lexicon();
        for w in [
            "said", "says", "told", "tweeted", "wrote", "replied", "insisted", "posted",
        ] {
            assert!(l.reporting.contains(w), "{w}");
        }
        for w in [
            "hailed",
            "highlighted",
            "described",
            "dubbed",
            "branded",
            "called",
        ] {
            assert!(l.partial.contains(w), "{w}");
        }
        assert!(l.vague_nouns.contains("critics") && l.anonymous_nouns.contains("sources"));
        assert!(l.phrases.get("it").is_some_and(|v| {
            v.iter()
                .any(|(w, vague)| *vague && w.join(" ") == "it is understood")
        }));
        assert!(!l.reporting.contains("") && !l.reporting.iter().any(|w| w.starts_with('#')));
    }
}
