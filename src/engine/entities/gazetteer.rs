//! The shipped gazetteers: given names, countries with capitals and demonyms, major cities,
//! regions and well-known institutions, compiled in from `src/engine/data/gazetteer/` (see its
//! `SOURCES.md` for sources and licences).
//!
//! Everything is parsed once, on first use, into [`GAZETTEER`]: hash maps for exact look-ups and
//! one sorted table of every name and alias, searched leftmost-longest and case-sensitively (what
//! an Aho-Corasick automaton would find, without the cost of building one) to find gazetteer names
//! inside a run of capitalised words.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use crate::engine::config::EntityKind;

const FIRST_NAMES: &str = include_str!("../data/gazetteer/first_names.txt");
/// Given names news copy needs that the generated list lacks ("Donald", "Walter"), by hand.
const FIRST_NAMES_EXTRA: &str = include_str!("../data/gazetteer/first_names_extra.txt");
const COUNTRIES: &str = include_str!("../data/gazetteer/countries.tsv");
const CITIES: &str = include_str!("../data/gazetteer/cities.txt");
const CURATED: &str = include_str!("../data/gazetteer/curated.tsv");
const US_STATES: &str = include_str!("../data/gazetteer/us_states.tsv");

/// A fast hash for the short words and names the entity engine looks up millions of times
/// (SipHash's resistance to flooding buys nothing for compiled-in keys and words of a story):
/// eight bytes per step, where FNV-1a takes one, then MurmurHash3's finaliser.
#[derive(Clone, Copy, Default)]
pub struct WordHasher(u64);

impl WordHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn mix(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(Self::K).rotate_left(29);
    }

    /// Writes ASCII `bytes` with their letters in lower case: the same as writing the
    /// lower-cased bytes, eight at a time, without copying them.
    pub fn write_lower_ascii(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(c);
            self.mix(ascii_lower8(u64::from_le_bytes(buf)));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.mix(ascii_lower8(pack_tail(bytes)) ^ ((rest.len() as u64) << 59));
        }
    }
}

/// The last `bytes.len() % 8` bytes of `bytes` (at least one) as a little-endian number, the
/// bytes above them zero: read in one or two loads instead of a byte at a time. From a word of
/// eight bytes or more, the last eight shifted down; from a shorter one, two overlapping loads
/// of four or two bytes (the bytes they share are the same, so or-ing them is exact).
fn pack_tail(bytes: &[u8]) -> u64 {
    let n = bytes.len() % 8;
    let len = bytes.len();
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .and_then(|b| b.try_into().ok())
            .map_or(0, |b| u64::from(u16::from_le_bytes(b)))
    };
    let u32_at = |i: usize| {
        bytes
            .get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    };
    if len >= 8 {
        let last = bytes
            .get(len - 8..)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes);
        // `n` is 1 to 7 here (a caller with no tail does not ask): the shift stays below 64.
        last >> (8 * (8 - n) % 64)
    } else if n >= 4 {
        u32_at(0) | u32_at(n - 4) << (8 * (n - 4))
    } else if n >= 2 {
        u16_at(0) | u16_at(n - 2) << (8 * (n - 2))
    } else {
        bytes.first().map_or(0, |&b| u64::from(b))
    }
}

/// Eight ASCII bytes (each below 0x80) with their upper-case letters in lower case, at once:
/// per byte, `b + (0x80 - b'A')` has its top bit set when `b >= b'A'`, `b + (0x80 - b'Z' - 1)`
/// when `b > b'Z'` (neither carries into the next byte), so their difference marks `A..=Z`,
/// which then gain 0x20.
pub(super) fn ascii_lower8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let ge_a = x + ONES * (0x80 - u64::from(b'A'));
    let gt_z = x + ONES * (0x80 - u64::from(b'Z') - 1);
    let upper = (ge_a ^ gt_z) & (ONES * 0x80);
    x | (upper >> 2)
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(c);
            self.mix(u64::from_le_bytes(buf));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The length keeps "a" and "a\0" apart.
            self.mix(pack_tail(bytes) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A hash map keyed by words, with [`WordHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// A hash set of words, with [`WordHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

/// What the gazetteer knows about one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GazEntry {
    pub kind: EntityKind,
    /// The canonical name ("United States" for "US").
    pub canonical: &'static str,
    /// The ISO country code the name stands for or belongs to ("RU" for Russia and the Kremlin).
    pub country: Option<&'static str>,
}

/// All gazetteer data, parsed.
pub struct Gazetteer {
    first_names: FastSet<&'static str>,
    /// Name or alias → entry.
    names: FastMap<&'static str, GazEntry>,
    /// Demonym ("Chinese") → country code.
    demonyms: FastMap<&'static str, &'static str>,
    /// National capital → the code of its country ("Moscow" → "RU").
    capitals: FastMap<&'static str, &'static str>,
    /// Country code → canonical country name.
    country_names: FastMap<&'static str, &'static str>,
    /// The states of the United States, each with its AP abbreviation if it has one.
    us_states: Vec<(&'static str, Option<&'static str>)>,
    /// The names that start with a lower-case letter (a handful: a list is quicker to test
    /// than a hash set, and nearly every word fails on its length or first byte).
    lowercase_names: Vec<&'static str>,
    /// The first bytes of `lowercase_names`, as a 256-bit set.
    lowercase_first: [u64; 4],
    /// The lengths of `lowercase_names` in bytes, as a set (bit 63 for 63 and more).
    lowercase_lens: u64,
    /// Every name and alias, sorted by bytes, for [`Self::find_in`].
    patterns: Vec<&'static str>,
    /// `patterns[by_first[b]..by_first[b + 1]]` are the names whose first byte is `b`.
    by_first: Vec<u32>,
    /// For an ASCII first byte `a` and an ASCII second byte `b`,
    /// `patterns[by_second[a * 129 + b]..by_second[a * 129 + b + 1]]` are the names that start
    /// with `a` then `b`: one look-up instead of two binary searches over a first byte's names.
    by_second: Vec<u32>,
}

/// The gazetteer, built on first use.
pub static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::build);

/// The lines of a data file that are neither blank nor comments, without trailing white space.
/// Split at the line breaks `memchr` finds (`str::lines` searches for each one anew, which
/// costs more than the rest of the gazetteer's parsing; a `\r` before a break is white space).
fn data_lines(s: &'static str) -> impl Iterator<Item = &'static str> {
    let mut at = 0;
    memchr::memchr_iter(b'\n', s.as_bytes())
        .chain(std::iter::once(s.len()))
        .map(move |end| {
            // `\n` is ASCII: both ends are character boundaries.
            let line = s.get(at..end).unwrap_or_default();
            at = end + 1;
            line
        })
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Gazetteer {
    fn build() -> Gazetteer {
        // Sized up front: growing a table rehashes every key already in it.
        let lines = |s: &str| memchr::memchr_iter(b'\n', s.as_bytes()).count() + 1;
        let mut first_names = FastSet::with_capacity_and_hasher(
            lines(FIRST_NAMES) + lines(FIRST_NAMES_EXTRA),
            Default::default(),
        );
        first_names.extend(data_lines(FIRST_NAMES));
        first_names.extend(data_lines(FIRST_NAMES_EXTRA));
        let mut names: FastMap<&'static str, GazEntry> = FastMap::with_capacity_and_hasher(
            lines(CITIES) + lines(COUNTRIES) + lines(CURATED) + lines(US_STATES),
            Default::default(),
        );
        let mut demonyms = FastMap::default();
        let mut country_names = FastMap::default();
        let mut capitals = FastMap::default();
        let place = |canonical, country| GazEntry {
            kind: EntityKind::Place,
            canonical,
            country,
        };
        // Cities first, so that countries and curated entries win on a clash.
        for city in data_lines(CITIES) {
            names.insert(city, place(city, None));
        }
        for line in data_lines(COUNTRIES) {
            let mut cols = line.split('\t');
            let (Some(code), Some(name)) = (cols.next(), cols.next()) else {
                continue;
            };
            let capital = cols.next().unwrap_or("");
            let demonym = cols.next().unwrap_or("");
            country_names.insert(code, name);
            names.insert(name, place(name, Some(code)));
            if !capital.is_empty() {
                names.entry(capital).or_insert_with(|| place(capital, None));
                capitals.insert(capital, code);
            }
            if !demonym.is_empty() {
                demonyms.insert(demonym, code);
            }
        }
        let code_of: HashMap<&'static str, &'static str> =
            country_names.iter().map(|(c, n)| (*n, *c)).collect();
        for line in data_lines(CURATED) {
            let mut cols = line.split('\t');
            let (Some(kind), Some(name)) = (cols.next(), cols.next()) else {
                continue;
            };
            let aliases = cols.next().unwrap_or("");
            let country = cols.next().filter(|c| !c.is_empty());
            let entry = match kind {
                "alias" => match names.get(name) {
                    Some(e) => e.clone(),
                    None => continue,
                },
                "place" => place(name, country.or_else(|| code_of.get(name).copied())),
                "org" => GazEntry {
                    kind: EntityKind::Organization,
                    canonical: name,
                    country,
                },
                "person" => GazEntry {
                    kind: EntityKind::Person,
                    canonical: name,
                    country,
                },
                _ => continue,
            };
            names.insert(name, entry.clone());
            for alias in aliases.split('|').filter(|a| !a.is_empty()) {
                names.insert(alias, entry.clone());
            }
        }
        // The states, as places (after the countries: "Georgia" is both, and the state's
        // entry keeps the country's code, as the curated list's did).
        let us_states: Vec<(&'static str, Option<&'static str>)> = data_lines(US_STATES)
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let name = cols.next().filter(|n| !n.is_empty())?;
                Some((name, cols.next().filter(|a| !a.is_empty())))
            })
            .collect();
        for &(name, _) in &us_states {
            names.insert(name, place(name, code_of.get(name).copied()));
        }
        // Demonyms the nationality list spells differently from news usage.
        for (d, code) in [
            ("American", "US"),
            ("British", "GB"),
            ("Dutch", "NL"),
            ("Turkish", "TR"),
            ("Czech", "CZ"),
            ("Ukrainian", "UA"),
        ] {
            demonyms.insert(d, code);
        }
        // Capitals as news copy names them (the country list has "Washington D.C.").
        capitals.insert("Washington", "US");
        // Sorted by bytes. Most names differ in their first eight bytes, so those, as one
        // big-endian number, decide nearly every comparison without a call to `memcmp`.
        let mut keyed: Vec<(u64, &'static str)> = names
            .keys()
            .map(|&n| {
                let mut head = [0u8; 8];
                let k = n.len().min(8);
                head[..k].copy_from_slice(&n.as_bytes()[..k]);
                (u64::from_be_bytes(head), n)
            })
            .collect();
        keyed.sort_unstable();
        let patterns: Vec<&'static str> = keyed.into_iter().map(|(_, n)| n).collect();
        let by_first: Vec<u32> = (0..=256)
            .map(|b| {
                let start = patterns.partition_point(|p| {
                    p.as_bytes().first().map_or(0, |&f| usize::from(f) + 1) <= b
                });
                u32::try_from(start).unwrap_or(u32::MAX)
            })
            .collect();
        let mut by_second = Vec::with_capacity(128 * 129);
        for b0 in 0..128 {
            let end = by_first.get(b0 + 1).map_or(0, |&i| i as usize);
            let mut i = by_first.get(b0).map_or(0, |&i| i as usize);
            // A one-byte name comes first among those of its first byte.
            if i < end && patterns.get(i).is_some_and(|p| p.len() == 1) {
                i += 1;
            }
            // Entry 128 starts the names with a non-ASCII second byte.
            for c in 0..=128 {
                while i < end
                    && patterns
                        .get(i)
                        .and_then(|p| p.as_bytes().get(1))
                        .is_some_and(|&b| usize::from(b) < c)
                {
                    i += 1;
                }
                by_second.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        let mut lowercase_names: Vec<&'static str> = names
            .keys()
            .copied()
            .filter(|n| n.starts_with(|c: char| c.is_lowercase()))
            .collect();
        lowercase_names.sort_unstable();
        let mut lowercase_first = [0u64; 4];
        let mut lowercase_lens = 0u64;
        for n in &lowercase_names {
            if let Some(&b) = n.as_bytes().first() {
                lowercase_first[usize::from(b >> 6)] |= 1 << (b & 63);
            }
            lowercase_lens |= 1 << n.len().min(63);
        }
        Gazetteer {
            first_names,
            names,
            demonyms,
            capitals,
            country_names,
            us_states,
            lowercase_names,
            lowercase_first,
            lowercase_lens,
            patterns,
            by_first,
            by_second,
        }
    }

    /// The state of the United States named `name` ("Ohio", "New York"), as its name.
    pub fn us_state(&self, name: &str) -> Option<&'static str> {
        self.us_states
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, _)| *n)
    }

    /// The AP abbreviations of the states of the United States ("Conn.", "N.J.", "W.Va.").
    pub fn us_state_abbreviations(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.us_states.iter().filter_map(|(_, a)| *a)
    }

    /// The state of the United States that AP abbreviates as `abbreviation` ("Conn."), as its
    /// name.
    pub fn us_state_abbreviated(&self, abbreviation: &str) -> Option<&'static str> {
        self.us_states
            .iter()
            .find(|(_, a)| *a == Some(abbreviation))
            .map(|(n, _)| *n)
    }

    /// Whether a word in lower case may be a gazetteer name ("ntv"): a cheap test before a
    /// look-up, since most lower-case words are not.
    pub fn may_be_lowercase_name(&self, word: &str) -> bool {
        word.as_bytes()
            .first()
            .is_some_and(|&b| self.may_start_lowercase_name(b, word.len()))
            && self.lowercase_names.contains(&word)
    }

    /// Whether a name the gazetteer spells in lower case starts with byte `b` and is `len`
    /// bytes long (a test of two bits: "a", "and", "not" fail it).
    pub fn may_start_lowercase_name(&self, b: u8, len: usize) -> bool {
        self.lowercase_first[usize::from(b >> 6)] & (1 << (b & 63)) != 0
            && self.lowercase_lens & (1 << len.min(63)) != 0
    }

    /// Whether `word` is a known given name ("Christoph", "Vladimir").
    pub fn is_first_name(&self, word: &str) -> bool {
        self.first_names.contains(word)
    }

    /// The entry for exactly this name or alias.
    pub fn lookup(&self, name: &str) -> Option<&GazEntry> {
        self.names.get(name)
    }

    /// The country code a demonym stands for ("Chinese" → "CN").
    pub fn demonym(&self, word: &str) -> Option<&'static str> {
        self.demonyms.get(word).copied()
    }

    /// The code of the country whose capital `name` is ("Moscow" → "RU").
    pub fn capital_of(&self, name: &str) -> Option<&'static str> {
        self.capitals.get(name).copied()
    }

    /// The canonical name of a country code.
    pub fn country_name(&self, code: &str) -> Option<&'static str> {
        self.country_names.get(code).copied()
    }

    /// The longest name that `s` starts with, as an index into `patterns`.
    ///
    /// The names that start with `s[..k]` are one slice of the sorted table, and the one equal
    /// to `s[..k]`, if any, comes first in it: the slice narrows one byte at a time.
    fn longest_prefix(&self, s: &[u8]) -> Option<usize> {
        let &b0 = s.first()?;
        let at = |t: &[u32], i: usize| t.get(i).map_or(0, |&i| i as usize);
        let (mut lo, mut hi) = (
            at(&self.by_first, usize::from(b0)),
            at(&self.by_first, usize::from(b0) + 1),
        );
        let mut best = None;
        let mut k = 1;
        while lo < hi {
            // Every name in `patterns[lo..hi]` starts with `s[..k]`.
            if self.patterns.get(lo).is_some_and(|p| p.len() == k) {
                best = Some(lo);
                lo += 1;
            }
            let Some(&c) = s.get(k) else { break };
            // One name left: it is a prefix of `s` or none is (it is longer than `k` bytes).
            if hi - lo == 1 {
                if self
                    .patterns
                    .get(lo)
                    .is_some_and(|p| s.starts_with(p.as_bytes()))
                {
                    best = Some(lo);
                }
                break;
            }
            if k == 1 && b0.is_ascii() && c.is_ascii() {
                let row = usize::from(b0) * 129 + usize::from(c);
                (lo, hi) = (at(&self.by_second, row), at(&self.by_second, row + 1));
                k += 1;
                continue;
            }
            // The names left are longer than `k` bytes.
            let slice = self.patterns.get(lo..hi).unwrap_or_default();
            let byte = |p: &&str| p.as_bytes().get(k).copied().unwrap_or(0);
            let from = slice.partition_point(|p| byte(p) < c);
            let to = from
                + slice
                    .get(from..)
                    .unwrap_or_default()
                    .partition_point(|p| byte(p) == c);
            (lo, hi) = (lo + from, lo + to);
            k += 1;
        }
        best
    }

    /// Gazetteer names inside `text` (leftmost-longest, non-overlapping), as byte ranges that
    /// start and end on word boundaries, with their entries.
    ///
    /// Exactly what a leftmost-longest Aho-Corasick search over all names finds, then filtered
    /// to word boundaries: at each position from the left the longest name that starts there
    /// is a match (even one inside a word, which the filter then drops), and the search goes on
    /// after it.
    pub fn find_in<'s, 't>(
        &'s self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, usize, &'s GazEntry)> + use<'s, 't> {
        let bytes = text.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            while let Some(&b) = bytes.get(at) {
                // Most bytes start no name (lower-case letters, spaces): skip them here.
                let b = usize::from(b);
                if self.by_first.get(b) == self.by_first.get(b + 1) {
                    at += 1;
                    continue;
                }
                let Some(idx) = self.longest_prefix(bytes.get(at..).unwrap_or_default()) else {
                    at += 1;
                    continue;
                };
                let pat = self.patterns.get(idx)?;
                // Names are whole UTF-8 strings, so a match starts and ends on character
                // boundaries.
                let (start, end) = (at, at + pat.len());
                at = end;
                let before = text.get(..start).and_then(|t| t.chars().next_back());
                let after = text.get(end..).and_then(|t| t.chars().next());
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                if boundary(before) && boundary(after) {
                    return Some((start, end, self.names.get(pat)?));
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first-byte-and-length filter lets every lower-case name through, and the names
    /// only; it rules out the commonest words that share a first letter with one.
    #[test]
    fn lowercase_name_filter_keeps_every_lowercase_name() {
        let g = &*GAZETTEER;
        assert!(!g.lowercase_names.is_empty());
        for &n in &g.lowercase_names {
            assert!(g.may_start_lowercase_name(n.as_bytes()[0], n.len()), "{n}");
            assert!(g.may_be_lowercase_name(n), "{n}");
        }
        assert!(g.may_be_lowercase_name("ntv"));
        for w in ["a", "and", "an", "not", "now", "ntvx", "Ntv", ""] {
            assert!(!g.may_be_lowercase_name(w), "{w}");
        }
    }

    /// The tail read in one or two loads is the tail read a byte at a time, for every length
    /// (and so the hashes are those of the byte-at-a-time hasher).
    #[test]
    fn pack_tail_is_the_bytes_of_the_tail() {
        let text = b"Abcdefghijklmnopqrstuvwxyz0123456789\xE2\x80\x99 VLADIMIR putin";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let w = &text[start..end];
                let rest = &w[w.len() - w.len() % 8..];
                if rest.is_empty() {
                    continue;
                }
                let plain = rest
                    .iter()
                    .enumerate()
                    .fold(0u64, |v, (k, &b)| v | u64::from(b) << (8 * k));
                assert_eq!(pack_tail(w), plain, "{start}..{end}");
                let lower = rest.iter().enumerate().fold(0u64, |v, (k, &b)| {
                    v | u64::from(b.to_ascii_lowercase()) << (8 * k)
                });
                if w.is_ascii() {
                    assert_eq!(ascii_lower8(pack_tail(w)), lower, "{start}..{end}");
                }
            }
        }
    }

    #[test]
    fn countries_capitals_cities_and_institutions() {
        let g = &*GAZETTEER;
        assert_eq!(g.lookup("Moscow").map(|e| e.kind), Some(EntityKind::Place));
        assert_eq!(g.lookup("US").map(|e| e.canonical), Some("United States"));
        assert_eq!(g.lookup("Kremlin").and_then(|e| e.country), Some("RU"));
        assert_eq!(
            g.lookup("Munich Security Conference").map(|e| e.kind),
            Some(EntityKind::Organization)
        );
        assert_eq!(g.demonym("Chinese"), Some("CN"));
        assert_eq!(g.country_name("CN"), Some("China"));
        assert!(g.is_first_name("Christoph") || g.is_first_name("Vladimir"));
        assert!(
            g.lookup("Nice").is_none(),
            "city names that are common words are left out"
        );
    }

    /// The data files' lines are those `str::lines` gives, on the shipped files and on text
    /// with blank lines, comments, CR LF breaks and no final break.
    #[test]
    fn data_lines_are_the_lines_of_the_text() {
        let reference = |s: &'static str| -> Vec<&'static str> {
            s.lines()
                .map(str::trim_end)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        };
        for s in [
            FIRST_NAMES,
            COUNTRIES,
            CITIES,
            CURATED,
            US_STATES,
            "",
            "\n",
            "a",
            "a\r\n\r\n# c\nb \t\r\n\n  c\u{2003}\nd",
            "é\n\nf\n",
        ] {
            assert_eq!(data_lines(s).collect::<Vec<_>>(), reference(s), "{s:?}");
        }
        assert!(data_lines(CITIES).count() > 1000);
    }

    /// The states are read from their data file: fifty of them, each a place, found by name
    /// and by AP's abbreviation.
    #[test]
    fn us_states_by_name_and_abbreviation() {
        let g = &*GAZETTEER;
        assert_eq!(g.us_states.len(), 50);
        for &(name, _) in &g.us_states {
            assert_eq!(
                g.lookup(name).map(|e| e.kind),
                Some(EntityKind::Place),
                "{name}"
            );
        }
        assert_eq!(g.us_state("New York"), Some("New York"));
        assert_eq!(g.us_state("Conn."), None);
        assert_eq!(g.us_state_abbreviated("Conn."), Some("Connecticut"));
        assert_eq!(g.us_state_abbreviated("W.Va."), Some("West Virginia"));
        // Some states are never abbreviated.
        assert_eq!(g.us_state_abbreviated("Ohio"), None);
        assert_eq!(g.us_state("Ohio"), Some("Ohio"));
    }

    /// The hash of a word's last bytes, built a byte at a time, is what it was with a buffer.
    #[test]
    fn word_hash_of_the_last_bytes_is_unchanged() {
        let reference = |bytes: &[u8]| {
            let mut h = WordHasher::default();
            let mut chunks = bytes.chunks_exact(8);
            for c in &mut chunks {
                h.mix(u64::from_le_bytes(c.try_into().unwrap()));
            }
            let rest = chunks.remainder();
            if !rest.is_empty() {
                let mut buf = [0u8; 8];
                buf[..rest.len()].copy_from_slice(rest);
                h.mix(u64::from_le_bytes(buf) ^ ((rest.len() as u64) << 59));
            }
            h.finish()
        };
        for w in [
            "",
            "a",
            "the",
            "Berg",
            "Christoph",
            "Munich Security",
            "é’s",
            "abcdefghijklmnop",
        ] {
            let mut h = WordHasher::default();
            h.write(w.as_bytes());
            assert_eq!(h.finish(), reference(w.as_bytes()), "{w}");
        }
    }

    /// Hashing ASCII in lower case on the fly is hashing its lower-cased copy.
    #[test]
    fn lower_case_hashing_is_hashing_the_lower_case_copy() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..40 {
            for _ in 0..200 {
                let w: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state % 128) as u8
                    })
                    .collect();
                let (mut a, mut b) = (WordHasher::default(), WordHasher::default());
                a.write_lower_ascii(&w);
                b.write(&w.to_ascii_lowercase());
                assert_eq!(a.finish(), b.finish(), "{w:?}");
            }
        }
    }

    #[test]
    fn finds_longest_names_on_word_boundaries() {
        let g = &*GAZETTEER;
        let text = "the Munich Security Conference in Romania";
        let found: Vec<&str> = g.find_in(text).map(|(s, e, _)| &text[s..e]).collect();
        assert_eq!(found, vec!["Munich Security Conference", "Romania"]);
    }

    /// The sorted-table search finds exactly what the leftmost-longest Aho-Corasick automaton
    /// it replaced found, on text made of gazetteer names glued together in many ways (inside
    /// words, across spaces and hyphens, overlapping prefixes).
    #[test]
    fn same_matches_as_aho_corasick() {
        use aho_corasick::{AhoCorasick, MatchKind};
        let g = &*GAZETTEER;
        assert!(g.patterns.is_sorted() && g.patterns.windows(2).all(|w| w[0] != w[1]));
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&g.patterns)
            .unwrap();
        let reference = |text: &str| -> Vec<(usize, usize, &'static str)> {
            ac.find_iter(text)
                .filter_map(|m| {
                    let before = text[..m.start()].chars().next_back();
                    let after = text[m.end()..].chars().next();
                    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                    (boundary(before) && boundary(after)).then(|| {
                        (
                            m.start(),
                            m.end(),
                            g.names[g.patterns[m.pattern().as_usize()]].canonical,
                        )
                    })
                })
                .collect()
        };
        let ours = |text: &str| -> Vec<(usize, usize, &'static str)> {
            g.find_in(text)
                .map(|(s, e, en)| (s, e, en.canonical))
                .collect()
        };
        let seps = [" ", "", "-", " of ", "s ", "’s ", ", ", "\n", "X", "é"];
        let mut texts = Vec::new();
        for (n, chunk) in g.patterns.chunks(7).enumerate() {
            let sep = seps[n % seps.len()];
            texts.push(chunk.join(sep));
            // Each name's own prefixes and suffixes next to the next name.
            let cut: Vec<String> = chunk
                .iter()
                .map(|p| {
                    let k = p
                        .char_indices()
                        .nth(p.chars().count() / 2)
                        .map_or(0, |(k, _)| k);
                    format!("{} {}", &p[..k], &p[k..])
                })
                .collect();
            texts.push(cut.join(sep));
        }
        texts.push(
            "the Munich Security Conference in Romania and New York City, Papua New Guineans"
                .into(),
        );
        for t in &texts {
            assert_eq!(ours(t), reference(t), "{t}");
        }
    }
}
