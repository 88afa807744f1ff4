//! Tokens and the words the temporal recogniser knows.
//!
//! [`tokenize`] cuts a paragraph into words, numbers and single punctuation characters, with
//! byte offsets on character boundaries, and classifies each word once ([`Lex`]) against the
//! tables below, so the matchers compare small enums instead of strings. The tables are built
//! once per process ([`LazyLock`]) from `data/temporal/*.txt` and a few grammar words.
//!
//! The tokenizer reads ASCII byte by byte and decodes only non-ASCII characters; an ASCII word
//! is looked up by its lower case packed into an integer ([`key`]), with no string built.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// FNV-1a (the `fnv` crate): the word tables are looked up once per word of every paragraph,
/// and their keys are short fixed strings, so a simple fast hash beats the default
/// DoS-resistant one.
pub use fnv::FnvHasher as Fnv;

/// A hash map keyed by short static words.
pub type WordMap<V> = HashMap<&'static str, V, BuildHasherDefault<Fnv>>;
use std::sync::LazyLock;

/// Units of time, from smallest to largest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    /// The ISO 8601 duration letter(s) and multiplier, and whether it is a time unit (`PT`).
    pub fn duration(self) -> (&'static str, u32, bool) {
        match self {
            Unit::Second => ("S", 1, true),
            Unit::Minute => ("M", 1, true),
            Unit::Hour => ("H", 1, true),
            Unit::Day => ("D", 1, false),
            Unit::Week => ("W", 1, false),
            Unit::Weekend => ("D", 2, false),
            Unit::Month => ("M", 1, false),
            Unit::Quarter => ("Q", 1, false),
            Unit::Year => ("Y", 1, false),
            Unit::Decade => ("DE", 1, false),
            Unit::Century => ("CE", 1, false),
        }
    }
}

/// Grammar words the matchers and the tense finder look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kw {
    The,
    A,
    Of,
    In,
    On,
    At,
    By,
    For,
    Since,
    Until,
    From,
    To,
    Before,
    After,
    During,
    And,
    Or,
    Last,
    Next,
    This,
    That,
    These,
    Past,
    Coming,
    Previous,
    Following,
    First,
    Ago,
    Earlier,
    Later,
    Early,
    Late,
    Mid,
    End,
    Beginning,
    Start,
    Middle,
    Every,
    Each,
    Per,
    Today,
    Yesterday,
    Tomorrow,
    Tonight,
    Now,
    Currently,
    Current,
    Recently,
    Recent,
    Previously,
    Future,
    Soon,
    Nowadays,
    Fiscal,
    Noon,
    Midnight,
    Few,
    Several,
    Couple,
    Many,
    Some,
    Nearly,
    Almost,
    About,
    Around,
    More,
    Less,
    Than,
    Least,
    Over,
    Up,
    Half,
    Old,
    Long,
    Same,
    Latest,
    Period,
    Full,
    Will,
    Shall,
    Going,
    Would,
    Has,
    Have,
    Had,
    Was,
    Were,
    Is,
    Are,
    Am,
    Be,
    Been,
    Being,
    Said,
    Says,
    Told,
    Added,
    Did,
    Do,
    Does,
    Not,
    Who,
    Which,
    Weekly,
    Daily,
    Monthly,
    Yearly,
    Annually,
    Hourly,
    Quarterly,
    Nightly,
    Times,
    Once,
    Twice,
}

impl Kw {
    /// Auxiliaries and determiners after which an "-ed" word is a participle or an adjective,
    /// not a finite past verb ("has announced", "was signed", "the proposed merger").
    pub fn precedes_participle(self) -> bool {
        matches!(
            self,
            Kw::Has
                | Kw::Have
                | Kw::Had
                | Kw::Is
                | Kw::Are
                | Kw::Was
                | Kw::Were
                | Kw::Be
                | Kw::Been
                | Kw::Being
                | Kw::The
                | Kw::A
        )
    }
}

/// What a word is, for the recogniser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lex {
    Other,
    Month(u8),
    /// 1 = Monday … 7 = Sunday.
    Weekday(u8),
    /// "Mondays".
    Weekdays(u8),
    /// `MO`, `AF`, `EV`, `NI` (morning, afternoon, evening, night).
    DayPart(Code),
    Unit(Unit),
    Units(Unit),
    /// `SP`, `SU`, `FA`, `WI`.
    Season(Code),
    /// Cardinal number words ("two", "twenty", "hundred" = 100).
    Num(u32),
    /// Ordinal words ("third", "20th" is handled as a number).
    Ordinal(u8),
    /// Index into the holiday table.
    Holiday(u16),
    Kw(Kw),
    /// A time zone abbreviation (EST, GMT, …).
    Zone,
    /// An irregular past-tense verb form ("began", "met"), for the tense finder.
    PastVerb,
}

/// A two-letter TIMEX3 code (a part of the day or a season), kept as a byte so that [`Lex`]
/// and every token stay small.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(u8);

const CODES: [&str; 8] = ["MO", "AF", "EV", "NI", "SP", "SU", "FA", "WI"];

impl Code {
    const fn of(code: &str) -> Code {
        let b = code.as_bytes();
        let mut k = 0;
        while k < CODES.len() {
            let c = CODES[k].as_bytes();
            if c[0] == b[0] && c[1] == b[1] {
                return Code(k as u8);
            }
            k += 1;
        }
        panic!("unknown code")
    }

    /// The code: `MO`, `SP`, …
    pub fn as_str(self) -> &'static str {
        CODES.get(usize::from(self.0)).copied().unwrap_or("")
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// A holiday's rule: fixed month-day, or the nth weekday (1 = Monday) of a month (-1 = last).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HolidayRule {
    Fixed(u8, u8),
    Nth(i8, u8, u8),
}

/// A holiday: its words (lower case, hyphen-joined) and rule.
#[derive(Clone, Debug)]
pub struct Holiday {
    pub words: Vec<String>,
    pub rule: HolidayRule,
}

/// The word table: open addressing on the packed lower-case word ([`key`]), so a lookup is a
/// multiply, a shift and (nearly always) one or two key comparisons.
struct WordTable {
    /// Zero marks an empty slot (no word packs to zero).
    keys: Vec<u128>,
    lex: Vec<(Lex, u8)>,
    /// `keys.len() - 1`; the length is a power of two.
    mask: usize,
    /// One bit per 8,192 values of a key's hash, set for the listed words' (1 KB, read from
    /// the first-level cache): the words not listed, half of a text's, are mostly turned away
    /// before the read of `keys` (past that cache).
    filter: Box<[u64; 128]>,
}

impl WordTable {
    fn new(words: &[(u128, (Lex, u8))]) -> WordTable {
        // At most a quarter full, so probe runs stay short.
        let len = (words.len() * 4).next_power_of_two().max(16);
        let mut t = WordTable {
            keys: vec![0; len],
            lex: vec![(Lex::Other, 0); len],
            mask: len - 1,
            filter: Box::new([0; 128]),
        };
        for &(k, l) in words {
            let hash = Self::hash(k);
            t.filter[Self::filter_word(hash)] |= Self::filter_bit(hash);
            let mut h = t.slot(k);
            while t.keys.get(h).is_some_and(|&x| x != 0 && x != k) {
                h = (h + 1) & t.mask;
            }
            if let (Some(key), Some(lex)) = (t.keys.get_mut(h), t.lex.get_mut(h)) {
                *key = k;
                *lex = l;
            }
        }
        t
    }

    /// A key's hash: bits 40 and up pick its first slot, bits 27 to 39 its bit of `filter`.
    fn hash(k: u128) -> u64 {
        let folded = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
        folded.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn filter_word(hash: u64) -> usize {
        (hash >> 33) as usize & 127
    }

    fn filter_bit(hash: u64) -> u64 {
        1 << ((hash >> 27) & 63)
    }

    fn slot(&self, k: u128) -> usize {
        (Self::hash(k) >> 40) as usize & self.mask
    }

    fn get(&self, k: u128) -> (Lex, u8) {
        let hash = Self::hash(k);
        if self.filter[Self::filter_word(hash)] & Self::filter_bit(hash) == 0 {
            return (Lex::Other, 0);
        }
        let mut h = (hash >> 40) as usize & self.mask;
        loop {
            match self.keys.get(h) {
                Some(&x) if x == k => return self.lex.get(h).copied().unwrap_or((Lex::Other, 0)),
                Some(&x) if x != 0 => h = (h + 1) & self.mask,
                _ => return (Lex::Other, 0),
            }
        }
    }
}

struct Tables {
    words: WordTable,
    holidays: Vec<Holiday>,
}

const CALENDAR: &str = include_str!("../data/temporal/calendar_names.txt");

static TABLES: LazyLock<Tables> = LazyLock::new(build_tables);

fn build_tables() -> Tables {
    let mut words: WordMap<Lex> = WordMap::default();
    let mut holidays = Vec::new();
    for line in CALENDAR.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(cat), Some(word), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        match cat {
            "month" => {
                if let Ok(m) = value.parse() {
                    words.insert(word, Lex::Month(m));
                }
            }
            "weekday" => {
                if let Ok(d) = value.parse::<u8>() {
                    words.insert(word, Lex::Weekday(d));
                    if word.len() > 4 {
                        // "Mondays" is a set; leak-free because the plural is a static table.
                        if let Some(plural) = WEEKDAY_PLURALS.get(usize::from(d) - 1) {
                            words.insert(plural, Lex::Weekdays(d));
                        }
                    }
                }
            }
            "season" => {
                let code = match value {
                    "SP" => Code::of("SP"),
                    "SU" => Code::of("SU"),
                    "FA" => Code::of("FA"),
                    _ => Code::of("WI"),
                };
                words.insert(word, Lex::Season(code));
            }
            "holiday" => {
                let rule = parse_holiday_rule(value);
                if let Some(rule) = rule {
                    holidays.push(Holiday {
                        words: word.split('-').map(str::to_string).collect(),
                        rule,
                    });
                }
            }
            _ => {}
        }
    }
    for (w, l) in GRAMMAR {
        words.entry(w).or_insert(*l);
    }
    // Holidays are recognised by their first word; the matcher checks the rest.
    for (i, h) in holidays.iter().enumerate() {
        if let Some(first) = h.words.first()
            && let Some(&k) = HOLIDAY_HEADS.iter().find(|k| **k == first.as_str())
        {
            words.entry(k).or_insert(Lex::Holiday(i as u16));
        }
    }
    // Words the later passes look for by spelling get a flag (and stay `Lex::Other` when
    // the recogniser does not know them).
    let mut flags: WordMap<u8> = WordMap::default();
    for (w, l) in &words {
        let starts = match l {
            Lex::Other => false,
            Lex::Kw(k) => super::recognise::kw_may_start(*k),
            l => super::recognise::lex_may_start(*l),
        };
        if starts {
            *flags.entry(w).or_default() |= F_START;
        }
        if matches!(l, Lex::Unit(Unit::Quarter) | Lex::Units(Unit::Quarter)) {
            *flags.entry(w).or_default() |= F_QUARTER;
        }
    }
    for w in super::recognise::THE_WORDS {
        *flags.entry(w).or_default() |= F_THE;
    }
    for w in TENSE_WORDS {
        *flags.entry(w).or_default() |= F_TENSE;
    }
    for w in SPEECH_WORDS.iter().chain(SPEECH_KEYWORDS) {
        *flags.entry(w).or_default() |= F_SPEECH;
    }
    for w in super::events::first_words() {
        *flags.entry(w).or_default() |= F_EVENT;
    }
    for w in flags.keys() {
        words.entry(w).or_insert(Lex::Other);
    }
    // Every word is ASCII and at most 16 bytes long (checked in the tests), so each has a key.
    let words: Vec<(u128, (Lex, u8))> = words
        .into_iter()
        .filter_map(|(w, l)| {
            let f = flags.get(w).copied().unwrap_or(0);
            Some((key(w.as_bytes())?, (l, f)))
        })
        .collect();
    let words = WordTable::new(&words);
    Tables { words, holidays }
}

/// [`Tok::flags`]: an expression may start at the token (a number, an apostrophe, or a word
/// the recogniser knows and may start with).
pub const F_START: u8 = 1;
/// [`Tok::flags`]: one of [`TENSE_WORDS`].
pub const F_TENSE: u8 = 2;
/// [`Tok::flags`]: the first word of an event verb (`data/temporal/event_verbs.txt`), in any
/// case.
pub const F_EVENT: u8 = 4;
/// [`Tok::flags`]: one of [`SPEECH_WORDS`] or [`SPEECH_KEYWORDS`] (a speech verb).
pub const F_SPEECH: u8 = 8;
/// [`Tok::flags`]: a double quotation mark (`“`, `”`, `"`).
pub const F_QUOTE: u8 = 16;
/// [`Tok::flags`]: "quarter" or "quarters".
pub const F_QUARTER: u8 = 32;
/// [`Tok::flags`]: a word the recogniser reads by spelling after "the" ("nineties").
pub const F_THE: u8 = 64;
/// The flags whose tokens [`Tokens::marked`] lists: rare tokens that later passes look for in
/// every paragraph.
pub const F_MARKED: u8 = F_EVENT | F_QUOTE | F_QUARTER | F_SPEECH;

/// A paragraph's tokens, with the indices of the few that later passes look for, so that
/// they need not walk every token.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub toks: Vec<Tok>,
    /// Indices into `toks` of the tokens with a flag of [`F_MARKED`], in order.
    pub marked: Vec<usize>,
    /// Indices into `toks` of the tokens an expression may start at ([`F_START`]), in order.
    pub starts: Vec<usize>,
}

impl Tokens {
    /// The indices of the tokens with `flag` (one of [`F_MARKED`]), in order.
    pub fn marked(&self, flag: u8) -> impl Iterator<Item = usize> + '_ {
        self.marked
            .iter()
            .copied()
            .filter(move |&i| self.toks.get(i).is_some_and(|t: &Tok| t.flags & flag != 0))
    }
}

/// Words the tense finder reads by spelling (besides the grammar words): "could" and the
/// words of a plan ("planned to", "is expected to").
const TENSE_WORDS: &[&str] = &[
    "could",
    "planned",
    "scheduled",
    "expected",
    "due",
    "set",
    "plans",
    "plan",
    "intends",
    "expects",
    "hopes",
    "aims",
    "planning",
    "preparing",
    "intend",
    "ready",
];

/// Speech verbs the tense finder reads by spelling (besides "said", "says", "told", "added").
const SPEECH_WORDS: &[&str] = &["stated", "declared", "wrote", "insisted", "argued"];

/// The speech verbs the tense finder knows as grammar words ([`Kw::Said`], …): flagged
/// [`F_SPEECH`] too, so that every speech verb is listed ([`F_MARKED`]).
const SPEECH_KEYWORDS: &[&str] = &["said", "says", "told", "added"];

const WEEKDAY_PLURALS: [&str; 7] = [
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
];

/// First words of holiday names (static, so the word table can borrow them).
const HOLIDAY_HEADS: &[&str] = &[
    "christmas",
    "new",
    "valentine's",
    "halloween",
    "independence",
    "veterans",
    "thanksgiving",
    "labor",
    "memorial",
    "election",
];

fn parse_holiday_rule(v: &str) -> Option<HolidayRule> {
    let nums: Vec<i32> = if let Some(rest) = v.strip_prefix('-') {
        let mut n: Vec<i32> = rest.split('-').filter_map(|p| p.parse().ok()).collect();
        if let Some(first) = n.first_mut() {
            *first = -*first;
        }
        n
    } else {
        v.split('-').filter_map(|p| p.parse().ok()).collect()
    };
    match nums.as_slice() {
        [m, d] => Some(HolidayRule::Fixed(
            u8::try_from(*m).ok()?,
            u8::try_from(*d).ok()?,
        )),
        [n, wd, m] => Some(HolidayRule::Nth(
            i8::try_from(*n).ok()?,
            u8::try_from(*wd).ok()?,
            u8::try_from(*m).ok()?,
        )),
        _ => None,
    }
}

/// The holiday table.
pub fn holidays() -> &'static [Holiday] {
    &TABLES.holidays
}

const GRAMMAR: &[(&str, Lex)] = &[
    ("the", Lex::Kw(Kw::The)),
    ("a", Lex::Kw(Kw::A)),
    ("an", Lex::Kw(Kw::A)),
    ("of", Lex::Kw(Kw::Of)),
    ("in", Lex::Kw(Kw::In)),
    ("on", Lex::Kw(Kw::On)),
    ("at", Lex::Kw(Kw::At)),
    ("by", Lex::Kw(Kw::By)),
    ("for", Lex::Kw(Kw::For)),
    ("since", Lex::Kw(Kw::Since)),
    ("until", Lex::Kw(Kw::Until)),
    ("till", Lex::Kw(Kw::Until)),
    ("through", Lex::Kw(Kw::Until)),
    ("from", Lex::Kw(Kw::From)),
    ("to", Lex::Kw(Kw::To)),
    ("before", Lex::Kw(Kw::Before)),
    ("after", Lex::Kw(Kw::After)),
    ("during", Lex::Kw(Kw::During)),
    ("and", Lex::Kw(Kw::And)),
    ("or", Lex::Kw(Kw::Or)),
    ("last", Lex::Kw(Kw::Last)),
    ("next", Lex::Kw(Kw::Next)),
    ("this", Lex::Kw(Kw::This)),
    ("that", Lex::Kw(Kw::That)),
    ("these", Lex::Kw(Kw::These)),
    ("past", Lex::Kw(Kw::Past)),
    ("coming", Lex::Kw(Kw::Coming)),
    ("previous", Lex::Kw(Kw::Previous)),
    ("prior", Lex::Kw(Kw::Previous)),
    ("following", Lex::Kw(Kw::Following)),
    ("ago", Lex::Kw(Kw::Ago)),
    ("earlier", Lex::Kw(Kw::Earlier)),
    ("later", Lex::Kw(Kw::Later)),
    ("early", Lex::Kw(Kw::Early)),
    ("late", Lex::Kw(Kw::Late)),
    ("mid", Lex::Kw(Kw::Mid)),
    ("end", Lex::Kw(Kw::End)),
    ("beginning", Lex::Kw(Kw::Beginning)),
    ("start", Lex::Kw(Kw::Start)),
    ("middle", Lex::Kw(Kw::Middle)),
    ("every", Lex::Kw(Kw::Every)),
    ("each", Lex::Kw(Kw::Each)),
    ("per", Lex::Kw(Kw::Per)),
    ("today", Lex::Kw(Kw::Today)),
    ("yesterday", Lex::Kw(Kw::Yesterday)),
    ("tomorrow", Lex::Kw(Kw::Tomorrow)),
    ("tonight", Lex::Kw(Kw::Tonight)),
    ("now", Lex::Kw(Kw::Now)),
    ("currently", Lex::Kw(Kw::Currently)),
    ("current", Lex::Kw(Kw::Current)),
    ("recently", Lex::Kw(Kw::Recently)),
    ("recent", Lex::Kw(Kw::Recent)),
    ("previously", Lex::Kw(Kw::Previously)),
    ("formerly", Lex::Kw(Kw::Previously)),
    ("future", Lex::Kw(Kw::Future)),
    ("soon", Lex::Kw(Kw::Soon)),
    ("nowadays", Lex::Kw(Kw::Nowadays)),
    ("fiscal", Lex::Kw(Kw::Fiscal)),
    ("noon", Lex::Kw(Kw::Noon)),
    ("midday", Lex::Kw(Kw::Noon)),
    ("midnight", Lex::Kw(Kw::Midnight)),
    ("few", Lex::Kw(Kw::Few)),
    ("several", Lex::Kw(Kw::Several)),
    ("couple", Lex::Kw(Kw::Couple)),
    ("many", Lex::Kw(Kw::Many)),
    ("some", Lex::Kw(Kw::Some)),
    ("nearly", Lex::Kw(Kw::Nearly)),
    ("almost", Lex::Kw(Kw::Almost)),
    ("about", Lex::Kw(Kw::About)),
    ("around", Lex::Kw(Kw::Around)),
    ("roughly", Lex::Kw(Kw::About)),
    ("approximately", Lex::Kw(Kw::About)),
    ("more", Lex::Kw(Kw::More)),
    ("less", Lex::Kw(Kw::Less)),
    ("fewer", Lex::Kw(Kw::Less)),
    ("than", Lex::Kw(Kw::Than)),
    ("least", Lex::Kw(Kw::Least)),
    ("over", Lex::Kw(Kw::Over)),
    ("up", Lex::Kw(Kw::Up)),
    ("half", Lex::Kw(Kw::Half)),
    ("old", Lex::Kw(Kw::Old)),
    ("long", Lex::Kw(Kw::Long)),
    ("same", Lex::Kw(Kw::Same)),
    ("latest", Lex::Kw(Kw::Latest)),
    ("period", Lex::Kw(Kw::Period)),
    ("full", Lex::Kw(Kw::Full)),
    ("will", Lex::Kw(Kw::Will)),
    ("'ll", Lex::Kw(Kw::Will)),
    ("shall", Lex::Kw(Kw::Shall)),
    ("going", Lex::Kw(Kw::Going)),
    ("would", Lex::Kw(Kw::Would)),
    ("has", Lex::Kw(Kw::Has)),
    ("have", Lex::Kw(Kw::Have)),
    ("had", Lex::Kw(Kw::Had)),
    ("was", Lex::Kw(Kw::Was)),
    ("were", Lex::Kw(Kw::Were)),
    ("is", Lex::Kw(Kw::Is)),
    ("are", Lex::Kw(Kw::Are)),
    ("am", Lex::Kw(Kw::Am)),
    ("be", Lex::Kw(Kw::Be)),
    ("been", Lex::Kw(Kw::Been)),
    ("being", Lex::Kw(Kw::Being)),
    ("said", Lex::Kw(Kw::Said)),
    ("says", Lex::Kw(Kw::Says)),
    ("told", Lex::Kw(Kw::Told)),
    ("added", Lex::Kw(Kw::Added)),
    ("did", Lex::Kw(Kw::Did)),
    ("do", Lex::Kw(Kw::Do)),
    ("does", Lex::Kw(Kw::Does)),
    ("not", Lex::Kw(Kw::Not)),
    ("who", Lex::Kw(Kw::Who)),
    ("which", Lex::Kw(Kw::Which)),
    ("weekly", Lex::Kw(Kw::Weekly)),
    ("daily", Lex::Kw(Kw::Daily)),
    ("monthly", Lex::Kw(Kw::Monthly)),
    ("yearly", Lex::Kw(Kw::Yearly)),
    ("annually", Lex::Kw(Kw::Annually)),
    ("hourly", Lex::Kw(Kw::Hourly)),
    ("quarterly", Lex::Kw(Kw::Quarterly)),
    ("nightly", Lex::Kw(Kw::Nightly)),
    ("times", Lex::Kw(Kw::Times)),
    ("once", Lex::Kw(Kw::Once)),
    ("twice", Lex::Kw(Kw::Twice)),
    ("morning", Lex::DayPart(Code::of("MO"))),
    ("afternoon", Lex::DayPart(Code::of("AF"))),
    ("evening", Lex::DayPart(Code::of("EV"))),
    ("night", Lex::DayPart(Code::of("NI"))),
    ("nights", Lex::DayPart(Code::of("NI"))),
    ("second", Lex::Ordinal(2)),
    ("seconds", Lex::Units(Unit::Second)),
    ("minute", Lex::Unit(Unit::Minute)),
    ("minutes", Lex::Units(Unit::Minute)),
    ("hour", Lex::Unit(Unit::Hour)),
    ("hours", Lex::Units(Unit::Hour)),
    ("day", Lex::Unit(Unit::Day)),
    ("days", Lex::Units(Unit::Day)),
    ("week", Lex::Unit(Unit::Week)),
    ("weeks", Lex::Units(Unit::Week)),
    ("weekend", Lex::Unit(Unit::Weekend)),
    ("weekends", Lex::Units(Unit::Weekend)),
    ("month", Lex::Unit(Unit::Month)),
    ("months", Lex::Units(Unit::Month)),
    ("quarter", Lex::Unit(Unit::Quarter)),
    ("quarters", Lex::Units(Unit::Quarter)),
    ("year", Lex::Unit(Unit::Year)),
    ("years", Lex::Units(Unit::Year)),
    ("decade", Lex::Unit(Unit::Decade)),
    ("decades", Lex::Units(Unit::Decade)),
    ("century", Lex::Unit(Unit::Century)),
    ("centuries", Lex::Units(Unit::Century)),
    ("one", Lex::Num(1)),
    ("two", Lex::Num(2)),
    ("three", Lex::Num(3)),
    ("four", Lex::Num(4)),
    ("five", Lex::Num(5)),
    ("six", Lex::Num(6)),
    ("seven", Lex::Num(7)),
    ("eight", Lex::Num(8)),
    ("nine", Lex::Num(9)),
    ("ten", Lex::Num(10)),
    ("eleven", Lex::Num(11)),
    ("twelve", Lex::Num(12)),
    ("thirteen", Lex::Num(13)),
    ("fourteen", Lex::Num(14)),
    ("fifteen", Lex::Num(15)),
    ("sixteen", Lex::Num(16)),
    ("seventeen", Lex::Num(17)),
    ("eighteen", Lex::Num(18)),
    ("nineteen", Lex::Num(19)),
    ("twenty", Lex::Num(20)),
    ("thirty", Lex::Num(30)),
    ("forty", Lex::Num(40)),
    ("fifty", Lex::Num(50)),
    ("sixty", Lex::Num(60)),
    ("seventy", Lex::Num(70)),
    ("eighty", Lex::Num(80)),
    ("ninety", Lex::Num(90)),
    ("hundred", Lex::Num(100)),
    ("first", Lex::Ordinal(1)),
    ("third", Lex::Ordinal(3)),
    ("fourth", Lex::Ordinal(4)),
    ("fifth", Lex::Ordinal(5)),
    ("sixth", Lex::Ordinal(6)),
    ("seventh", Lex::Ordinal(7)),
    ("eighth", Lex::Ordinal(8)),
    ("ninth", Lex::Ordinal(9)),
    ("tenth", Lex::Ordinal(10)),
    ("began", Lex::PastVerb),
    ("met", Lex::PastVerb),
    ("went", Lex::PastVerb),
    ("came", Lex::PastVerb),
    ("took", Lex::PastVerb),
    ("made", Lex::PastVerb),
    ("held", Lex::PastVerb),
    ("left", Lex::PastVerb),
    ("saw", Lex::PastVerb),
    ("gave", Lex::PastVerb),
    ("got", Lex::PastVerb),
    ("spoke", Lex::PastVerb),
    ("won", Lex::PastVerb),
    ("lost", Lex::PastVerb),
    ("fell", Lex::PastVerb),
    ("rose", Lex::PastVerb),
    ("sold", Lex::PastVerb),
    ("bought", Lex::PastVerb),
    ("paid", Lex::PastVerb),
    ("sent", Lex::PastVerb),
    ("brought", Lex::PastVerb),
    ("thought", Lex::PastVerb),
    ("found", Lex::PastVerb),
    ("became", Lex::PastVerb),
    ("ran", Lex::PastVerb),
    ("wrote", Lex::PastVerb),
    ("led", Lex::PastVerb),
    ("struck", Lex::PastVerb),
    ("fled", Lex::PastVerb),
    ("flew", Lex::PastVerb),
    ("drove", Lex::PastVerb),
    ("knew", Lex::PastVerb),
    ("felt", Lex::PastVerb),
    ("kept", Lex::PastVerb),
    ("broke", Lex::PastVerb),
    ("chose", Lex::PastVerb),
    ("grew", Lex::PastVerb),
    ("threw", Lex::PastVerb),
    ("stood", Lex::PastVerb),
    ("withdrew", Lex::PastVerb),
    ("shot", Lex::PastVerb),
    ("spent", Lex::PastVerb),
    ("meant", Lex::PastVerb),
    ("heard", Lex::PastVerb),
    ("built", Lex::PastVerb),
    ("caught", Lex::PastVerb),
    ("taught", Lex::PastVerb),
    ("fought", Lex::PastVerb),
    ("sought", Lex::PastVerb),
    ("forgot", Lex::PastVerb),
    ("hid", Lex::PastVerb),
    ("rode", Lex::PastVerb),
    ("sang", Lex::PastVerb),
    ("sank", Lex::PastVerb),
    ("swore", Lex::PastVerb),
    ("tore", Lex::PastVerb),
    ("wore", Lex::PastVerb),
    ("woke", Lex::PastVerb),
    ("ate", Lex::PastVerb),
    ("drank", Lex::PastVerb),
    ("overtook", Lex::PastVerb),
    ("undertook", Lex::PastVerb),
    ("est", Lex::Zone),
    ("edt", Lex::Zone),
    ("cst", Lex::Zone),
    ("cdt", Lex::Zone),
    ("mst", Lex::Zone),
    ("mdt", Lex::Zone),
    ("pst", Lex::Zone),
    ("pdt", Lex::Zone),
    ("gmt", Lex::Zone),
    ("utc", Lex::Zone),
    ("cet", Lex::Zone),
    ("bst", Lex::Zone),
];

/// What kind of token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Word,
    /// A run of ASCII digits; `num` holds its value (saturating).
    Number,
    /// One character that is neither a letter nor a digit nor white space.
    Punct(char),
}

/// One token of a paragraph.
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    pub lex: Lex,
    /// Value of a number token; digit count in `digits`.
    pub num: u32,
    pub digits: u8,
    /// Whether white space separates it from the previous token.
    pub space_before: bool,
    /// Whether the word starts with an upper-case letter.
    pub cap: bool,
    /// Whether the whole word is upper case (and longer than one letter).
    pub all_caps: bool,
    /// Whether the word ends in "ed" (a past-tense or participle form, for the tense finder).
    pub ed: bool,
    /// [`F_START`], [`F_TENSE`], [`F_EVENT`], [`F_SPEECH`].
    pub flags: u8,
}

impl Tok {
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }

    pub fn kw(&self) -> Option<Kw> {
        match self.lex {
            Lex::Kw(k) => Some(k),
            _ => None,
        }
    }
}

/// Whether a word (any case) is a calendar word whose possessive is split off.
fn is_calendar_word(word: &str) -> bool {
    if word.len() > 16 {
        return false;
    }
    let lex = if word.is_ascii() {
        lookup_lower(word.as_bytes())
    } else {
        classify(&word.to_lowercase())
    };
    matches!(
        lex,
        Lex::Month(_)
            | Lex::Weekday(_)
            | Lex::Unit(_)
            | Lex::Season(_)
            | Lex::Kw(Kw::Today | Kw::Yesterday | Kw::Tomorrow | Kw::Tonight)
    )
}

/// A word of at most 16 bytes packed into an integer (little-endian, zero-padded), the key of
/// the word table. Words never contain a NUL byte, so the padding cannot make two words equal.
fn key(bytes: &[u8]) -> Option<u128> {
    let mut buf = [0u8; 16];
    buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u128::from_le_bytes(buf))
}

/// Looks a word up by its ASCII lower case (the word itself may be in any case), without
/// building the lower-case string.
fn lookup_lower(word: &[u8]) -> Lex {
    let mut buf = [0u8; 16];
    let Some(b) = buf.get_mut(..word.len()) else {
        return Lex::Other;
    };
    b.copy_from_slice(word);
    b.make_ascii_lowercase();
    lookup(b)
}

/// Looks up a word given in lower case.
fn lookup(lower: &[u8]) -> Lex {
    key(lower).map_or(Lex::Other, |k| lookup_key(k).0)
}

/// Looks up the [`key`] of a lower-case word: its class and flags.
fn lookup_key(k: u128) -> (Lex, u8) {
    // No first-letter-and-length filter before the hash: it rejected too few words to pay,
    // as nearly half of all words are in the table and most others share a first letter and
    // a length with one that is.
    TABLES.words.get(k)
}

/// The lower-case [`key`] of the ASCII word `bytes[i..end]` (letters and apostrophes only),
/// if it fits: sixteen bytes are read at once and the ones past the word masked off.
fn ascii_word_key(bytes: &[u8], i: usize, end: usize) -> Option<u128> {
    let mask = LOW_BYTES.get(end.checked_sub(i)?).copied()?;
    // Setting bit 5 lower-cases an ASCII letter and leaves the apostrophe (0x27) as it is.
    Some((load16(bytes, i) | CASE_BITS) & mask)
}

/// The bytes of `word` in ASCII lower case, written into `buf`, for matching against short
/// byte-string literals (`b"said"`) without allocating. A word longer than the buffer comes
/// back empty: callers compare with literals of at most 16 bytes, which it could not equal.
pub fn lower16<'b>(word: &str, buf: &'b mut [u8; 16]) -> &'b [u8] {
    let len = word.len();
    let Some(b) = buf.get_mut(..len) else {
        return &[];
    };
    b.copy_from_slice(word.as_bytes());
    // All sixteen bytes at once: an upper-case ASCII letter (0x41..=0x5A, top bit clear) gets
    // bit 5 (see [`letter_run`] for the arithmetic).
    const LOW7: u128 = 0x7F7F_7F7F_7F7F_7F7F_7F7F_7F7F_7F7F_7F7F;
    const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
    let x = u128::from_le_bytes(*buf);
    let y = x & LOW7;
    let ge_a = y + 0x3F3F_3F3F_3F3F_3F3F_3F3F_3F3F_3F3F_3F3F;
    let past_z = y + 0x2525_2525_2525_2525_2525_2525_2525_2525;
    let upper = ge_a & !past_z & !x & HIGH;
    *buf = (x | (upper >> 2)).to_le_bytes();
    buf.get(..len).unwrap_or(&[])
}

/// Looks a lower-case word up.
pub fn classify(lower: &str) -> Lex {
    lookup(lower.as_bytes())
}

/// Cuts `text` into tokens. Letters (with inner apostrophes) make words, ASCII digits make
/// numbers, every other non-space character is a punctuation token of its own.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Tokens::default();
    tokenize_into(text, &mut out);
    out.toks
}

/// Byte classes for the tokenizer ([`CLASS`]).
const C_SPACE: u8 = 1;
const C_DIGIT: u8 = 2;
const C_UPPER: u8 = 4;
const C_LOWER: u8 = 8;
const C_LETTER: u8 = C_UPPER | C_LOWER;
/// ASCII that is neither a letter, a digit nor white space (the apostrophe included).
const C_PUNCT: u8 = 16;
/// The ASCII apostrophe, which may join a word.
const C_APOS: u8 = 32;
/// A byte of a non-ASCII character.
const C_HIGH: u8 = 64;

/// The class of every byte, so the tokenizer tests a byte with one load and one mask.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            // The ASCII white space of `char::is_whitespace` (which includes U+000B).
            b' ' | b'\n' | b'\r' | b'\t' | b'\x0B' | b'\x0C' => C_SPACE,
            b'0'..=b'9' => C_DIGIT,
            b'A'..=b'Z' => C_UPPER,
            b'a'..=b'z' => C_LOWER,
            b'\'' => C_PUNCT | C_APOS,
            0..=0x7F => C_PUNCT,
            _ => C_HIGH,
        };
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(C_HIGH)
}

/// [`tokenize`] into a buffer that is cleared first, so that one buffer serves many
/// paragraphs.
pub fn tokenize_into(text: &str, tokens: &mut Tokens) {
    tokens.marked.clear();
    tokens.starts.clear();
    let out = &mut tokens.toks;
    out.clear();
    // News copy averages about five bytes a token: room for four avoids regrowing the vector.
    out.reserve(text.len() / 4 + 8);
    let bytes = text.as_bytes();
    let mut space = true;
    let mut i = 0;
    // One pass over the bytes: ASCII (nearly all of news copy) is classified by a table
    // lookup per byte, and only non-ASCII characters are decoded.
    while let Some(&b) = bytes.get(i) {
        let c = class(b);
        let tok = if c & C_LETTER != 0 {
            // Nearly every word is ASCII letters ended by ASCII other than an apostrophe
            // (or by the end of the text): that word is classified here, from sixteen bytes
            // read at once.
            let raw = load16(bytes, i);
            let run = letter_run(raw);
            let mut end = i + run;
            // Whether the letters after the first sixteen are all upper case.
            let mut tail_upper = true;
            if run == 16 {
                // A long word: the rest of it byte by byte.
                while let Some(&x) = bytes.get(end) {
                    let cx = class(x);
                    if cx & C_LETTER == 0 {
                        break;
                    }
                    tail_upper &= cx == C_UPPER;
                    end += 1;
                }
            }
            let next = bytes.get(end).map_or(0, |&x| class(x));
            if next & (C_APOS | C_HIGH) == 0 {
                ascii_word(bytes, i, end, space, (run, tail_upper), raw)
            } else {
                word(text, i, char::from(b), space)
            }
        } else if c == C_SPACE {
            space = true;
            i += 1;
            continue;
        } else if c == C_DIGIT {
            number(bytes, i, space)
        } else if c & C_PUNCT != 0 {
            punct(i, char::from(b), space)
        } else {
            let Some(ch) = text.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            if is_general_punctuation(ch) {
                punct(i, ch, space)
            } else if ch.is_whitespace() {
                space = true;
                i += ch.len_utf8();
                continue;
            } else if ch.is_alphabetic() {
                word(text, i, ch, space)
            } else {
                punct(i, ch, space)
            }
        };
        i = tok.end;
        if tok.flags & (F_MARKED | F_START) != 0 {
            if tok.flags & F_MARKED != 0 {
                tokens.marked.push(out.len());
            }
            if tok.flags & F_START != 0 {
                tokens.starts.push(out.len());
            }
        }
        out.push(tok);
        // The single space that most often follows, skipped here rather than by the loop.
        space = bytes.get(i) == Some(&b' ');
        i += usize::from(space);
    }
}

/// Dashes, quotation marks, bullets and the like (U+2010–U+2027, U+2030–U+205E): neither
/// letters nor white space, so news copy's curly quotes and dashes skip the Unicode tables.
fn is_general_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
}

/// Bit 5 of every byte: set in an ASCII lower-case letter, clear in an upper-case one.
const CASE_BITS: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;

/// `LOW_BYTES[n]` keeps the low `n` bytes of a [`load16`] word.
const LOW_BYTES: [u128; 17] = {
    let mut m = [0u128; 17];
    let mut k = 1;
    while k <= 16 {
        m[k] = u128::MAX >> (8 * (16 - k));
        k += 1;
    }
    m
};

/// The sixteen bytes from `i` as a little-endian integer, zero-padded past the end of
/// `bytes`.
fn load16(bytes: &[u8], i: usize) -> u128 {
    match bytes.get(i..i + 16) {
        Some(b) => b.try_into().map_or(0, u128::from_le_bytes),
        None => {
            let rest = bytes.get(i..).unwrap_or(&[]);
            let mut buf = [0u8; 16];
            if let Some(b) = buf.get_mut(..rest.len()) {
                b.copy_from_slice(rest);
            }
            u128::from_le_bytes(buf)
        }
    }
}

/// How many ASCII letters a [`load16`] word starts with (16 when all are): its first eight
/// bytes are read at once, and the next eight only when all of those are letters (most
/// words are shorter).
fn letter_run(raw: u128) -> usize {
    let run = letter_run8(raw as u64);
    if run < 8 {
        run
    } else {
        8 + letter_run8((raw >> 64) as u64)
    }
}

/// How many ASCII letters eight little-endian bytes start with (8 when all are), with a few
/// arithmetic operations on all eight bytes at once.
fn letter_run8(raw: u64) -> usize {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Lower-cased, seven bits: a byte is a letter when it lies in 0x61..=0x7A and its own
    // top bit is clear. Adding 0x1F (0x05) to a seven-bit byte sets its top bit exactly when
    // it is at least 0x61 (0x7B), and never carries into the next byte.
    let x = (raw | CASE_BITS as u64) & LOW7;
    let ge_a = x + 0x1F1F_1F1F_1F1F_1F1F;
    let past_z = x + 0x0505_0505_0505_0505;
    let letter = ge_a & !past_z & !raw & HIGH;
    ((!letter & HIGH).trailing_zeros() / 8) as usize
}

/// The word `bytes[i..end]`, all ASCII letters, ended by an ASCII byte other than an
/// apostrophe or by the end of the text: what [`word`] makes of it, without decoding.
/// `raw` is [`load16`] at `i`, `run` is [`letter_run`] of it, and `tail_upper` says whether
/// the letters after the first sixteen are all upper case.
fn ascii_word(
    bytes: &[u8],
    i: usize,
    end: usize,
    space: bool,
    (run, tail_upper): (usize, bool),
    raw: u128,
) -> Tok {
    let len = end - i;
    let cap = raw as u8 & 0x20 == 0;
    // Whether every letter is upper case (bit 5 clear on each of the first sixteen), worked out
    // only for a capitalised word.
    let upper = || tail_upper && raw & LOW_BYTES.get(run).copied().unwrap_or(0) & CASE_BITS == 0;
    // The table's key: the word lower-cased (bit 5 set), the bytes after it masked off.
    let (lex, flags) = match LOW_BYTES.get(len) {
        Some(&mask) => lookup_key((raw | CASE_BITS) & mask),
        None => (Lex::Other, 0),
    };
    // Bit 5: "ed" in any case.
    let ed = len > 4
        && bytes.get(end - 2).map(|b| b | 0x20) == Some(b'e')
        && bytes.get(end - 1).map(|b| b | 0x20) == Some(b'd');
    Tok {
        start: i,
        end,
        kind: TokKind::Word,
        lex,
        num: 0,
        digits: 0,
        space_before: space,
        cap,
        all_caps: cap && len > 1 && upper(),
        ed,
        flags,
    }
}

fn punct(i: usize, c: char, space: bool) -> Tok {
    Tok {
        start: i,
        end: i + c.len_utf8(),
        kind: TokKind::Punct(c),
        lex: Lex::Other,
        num: 0,
        digits: 0,
        space_before: space,
        cap: false,
        all_caps: false,
        ed: false,
        // An apostrophe may start a decade ("'90s").
        flags: match c {
            '\'' | '’' => F_START,
            '“' | '”' | '"' => F_QUOTE,
            _ => 0,
        },
    }
}

/// The run of ASCII digits at `i`.
fn number(bytes: &[u8], i: usize, space: bool) -> Tok {
    let mut end = i;
    let mut val: u32 = 0;
    let mut digits = 0u8;
    while let Some(&d) = bytes.get(end).filter(|d| d.is_ascii_digit()) {
        val = val.saturating_mul(10).saturating_add(u32::from(d - b'0'));
        digits = digits.saturating_add(1);
        end += 1;
    }
    Tok {
        start: i,
        end,
        kind: TokKind::Number,
        lex: Lex::Other,
        num: val,
        digits,
        space_before: space,
        cap: false,
        all_caps: false,
        ed: false,
        flags: F_START,
    }
}

/// The word starting at `i` with the letter `c`.
fn word(text: &str, i: usize, c: char, space: bool) -> Tok {
    let bytes = text.as_bytes();
    let mut end = i + c.len_utf8();
    let mut all_caps = c.is_uppercase();
    let mut ascii = c.is_ascii();
    let mut n = 1;
    loop {
        // A run of ASCII letters, the bulk of every word, takes the fast path.
        let rest = bytes.get(end..).unwrap_or(&[]);
        let run = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if run > 0 {
            all_caps = all_caps && rest.iter().take(run).all(u8::is_ascii_uppercase);
            n += run;
            end += run;
        }
        let Some(&db) = rest.get(run) else {
            break;
        };
        if db.is_ascii() && db != b'\'' {
            break;
        }
        let Some(d) = text.get(end..).and_then(|r| r.chars().next()) else {
            break;
        };
        if d != '’' && is_general_punctuation(d) {
            break;
        }
        if d.is_alphabetic() {
            all_caps &= d.is_uppercase();
            ascii = false;
            n += 1;
            end += d.len_utf8();
        } else if d == '\'' || d == '’' {
            // An inner apostrophe joins ("Valentine's"), but only before a letter; a
            // possessive "'s" after a calendar word stays apart ("Friday's", "last
            // year's"), as TimeBank leaves it out of the expression.
            let j = end;
            let rest = text.get(j + d.len_utf8()..).unwrap_or("");
            let after = rest.chars().next();
            let possessive = (rest.starts_with('s') || rest.starts_with('S'))
                && !rest
                    .get(1..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphabetic);
            if possessive && text.get(i..j).is_some_and(is_calendar_word) {
                break;
            }
            if after.is_some_and(char::is_alphabetic) {
                ascii &= d.is_ascii();
                end = j + d.len_utf8();
            } else {
                break;
            }
        } else {
            break;
        }
    }
    let (lex, ed, flags) = if ascii {
        let (lex, flags) = ascii_word_key(bytes, i, end).map_or((Lex::Other, 0), lookup_key);
        // Bit 5 again: "ed" in any case.
        let ed = end - i > 4
            && bytes.get(end - 2).map(|b| b | 0x20) == Some(b'e')
            && bytes.get(end - 1).map(|b| b | 0x20) == Some(b'd');
        (lex, ed, flags)
    } else {
        let word = text.get(i..end).unwrap_or("");
        let mut lower = String::with_capacity(word.len());
        for ch in word.chars() {
            if ch == '’' {
                lower.push('\'');
            } else {
                lower.extend(ch.to_lowercase());
            }
        }
        // The words read by spelling are ASCII: only the recogniser's flag applies.
        let (lex, flags) = if lower.len() <= 16 {
            key(lower.as_bytes()).map_or((Lex::Other, 0), lookup_key)
        } else {
            (Lex::Other, 0)
        };
        (
            lex,
            lower.ends_with("ed") && lower.len() > 4,
            flags & F_START,
        )
    };
    Tok {
        start: i,
        end,
        kind: TokKind::Word,
        lex,
        num: 0,
        digits: 0,
        space_before: space,
        cap: c.is_uppercase(),
        all_caps: all_caps && n > 1,
        ed,
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_classes() {
        let t = tokenize("On Sept. 11, 2001, at 3 p.m. Valentine’s");
        let kinds: Vec<_> = t.iter().map(|t| t.lex).collect();
        assert_eq!(kinds[0], Lex::Kw(Kw::On));
        assert_eq!(kinds[1], Lex::Month(9));
        assert!(t[2].is_punct('.'));
        assert_eq!((t[3].kind, t[3].num), (TokKind::Number, 11));
        assert_eq!(t[5].num, 2001);
        assert!(matches!(t.last().map(|t| t.lex), Some(Lex::Holiday(_))));
        assert!(classify("mondays") == Lex::Weekdays(1));
        // Non-ASCII letters, spaces and punctuation keep character boundaries.
        let text = "Zoë’s café\u{a0}—Friday’s 12\u{e9}";
        let t = tokenize(text);
        let words: Vec<&str> = t.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Zoë’s", "café", "—", "Friday", "’", "s", "12", "é"]);
        assert!(t[0].cap && t[1].space_before && !t[4].space_before);
        assert_eq!(t[3].lex, Lex::Weekday(5));
        assert_eq!(t[6].num, 12);
        assert!(matches!(classify("thanksgiving"), Lex::Holiday(_)));
        assert_eq!(tokenize("MONDAY Tomorrow")[0].lex, Lex::Weekday(1));
        assert_eq!(tokenize("MONDAY Tomorrow")[1].lex, Lex::Kw(Kw::Tomorrow));
        assert!(tokenize("STARTED")[0].ed && !tokenize("bred")[0].ed);
    }

    /// The punctuation fast path agrees with the Unicode tables, and ASCII words come out of
    /// it as out of the general path.
    #[test]
    fn fast_paths_agree() {
        for c in ('\u{2000}'..='\u{2070}').filter(|&c| is_general_punctuation(c)) {
            assert!(!c.is_whitespace() && !c.is_alphabetic(), "{c:?}");
        }
        for text in [
            "Monday",
            "mOnDaY",
            "STARTED",
            "bred",
            "A",
            "I",
            "x",
            "announced.",
            "US,",
            "ABCDEFGHIJKLMNOPQRS",
            "ABCDEFGHIJKLMNOPQRs",
            "ABCDEFGHIJKLMNOpQRS",
        ] {
            let b = text.as_bytes();
            let end = b.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let run = end.min(16);
            let tail_upper = b[run..end].iter().all(u8::is_ascii_uppercase);
            assert_eq!(letter_run(load16(b, 0)), run, "{text}");
            let fast = ascii_word(b, 0, end, true, (run, tail_upper), load16(b, 0));
            let slow = word(text, 0, char::from(b[0]), true);
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}");
        }
    }

    /// The letter run of sixteen bytes, read eight at a time, counts the leading ASCII
    /// letters of any bytes: each byte value at each position, after runs of every length.
    #[test]
    fn letter_runs_count_leading_letters() {
        let mut checked = 0;
        for len in 0..16 {
            for b in 0..=255u8 {
                let mut bytes = [b'q'; 16];
                bytes[len] = b;
                if len % 3 == 0 {
                    bytes[..len].make_ascii_uppercase();
                }
                let want = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                assert_eq!(letter_run(u128::from_le_bytes(bytes)), want, "{len} {b}");
                checked += 1;
            }
        }
        assert_eq!(letter_run(u128::from_le_bytes(*b"ABCDEFGHijklmnop")), 16);
        assert_eq!(checked, 16 * 256);
    }

    /// Tokens stay small: a paragraph's tokens are written once and read by every pass.
    #[test]
    fn tokens_are_small() {
        assert!(std::mem::size_of::<Lex>() <= 8);
        assert!(std::mem::size_of::<Tok>() <= 48);
        assert_eq!(classify("evening"), Lex::DayPart(Code::of("EV")));
        assert_eq!(classify("autumn"), Lex::Season(Code::of("FA")));
        assert!(Code::of("WI") == "WI" && format!("{}", Code::of("NI")) == "NI");
    }

    /// The flags say what the later passes would find by spelling, in any case, and only for
    /// the words they name.
    #[test]
    fn flags_follow_the_word_lists() {
        // The tense finder reads these words only when the recogniser does not know them.
        for w in TENSE_WORDS {
            assert_eq!(classify(w), Lex::Other, "{w}");
        }
        let flags = |text: &str| tokenize(text).iter().map(|t| t.flags).collect::<Vec<_>>();
        assert_eq!(flags("Could PLANNED plans"), [F_TENSE; 3]);
        assert_eq!(flags("Declared wrote"), [F_SPEECH | F_EVENT, F_SPEECH]);
        // Calendar words start expressions; a plural unit, a unit other than "year", a part of
        // the day, a late ordinal, a past-tense verb do not. The words read after "the" are
        // flagged in any case.
        assert_eq!(
            flags("year years month morning third fifth began NINETIES corresponding companies"),
            [F_START, 0, 0, 0, F_START, 0, F_EVENT, F_THE, F_THE, 0]
        );
        assert_eq!(flags("announced ANNOUNCED Announced"), [F_EVENT; 3]);
        // Every speech verb is flagged, the grammar words among them too.
        for w in ["said", "Says", "TOLD", "added"] {
            let t = tokenize(w);
            assert!(
                t[0].flags & F_SPEECH != 0 && matches!(t[0].lex, Lex::Kw(_)),
                "{w}"
            );
        }
        assert_eq!(
            flags("Monday of last 12 ' ’ , government"),
            [F_START, 0, F_START, F_START, F_START, F_START, 0, 0]
        );
        // Non-ASCII words keep only the recogniser's flag.
        assert_eq!(flags("plannéd Valentine’s"), [0, F_START]);
        assert_eq!(tokenize("Monday")[0].lex, Lex::Weekday(1));
    }

    /// The marked tokens are those of the rare flags, in order.
    #[test]
    fn marked_tokens() {
        let mut t = Tokens::default();
        tokenize_into(
            "“We announced the quarter,” she said. \"Quarters\" abducted",
            &mut t,
        );
        let words = |flag| t.marked(flag).map(|i| t.toks[i].start).collect::<Vec<_>>();
        assert_eq!(words(F_QUOTE), [0, 28, 42, 51]);
        assert_eq!(words(F_QUARTER), [20, 43]);
        assert_eq!(words(F_EVENT), [6, 53]);
        // The tokens an expression may start at: "the" before "quarter" and "Quarters" are
        // not among them ("the" is a grammar word that may start one).
        let starts = |t: &Tokens| {
            t.starts
                .iter()
                .map(|&i| t.toks[i].start)
                .collect::<Vec<_>>()
        };
        assert_eq!(starts(&t), [16]);
        tokenize_into("On Monday, 12 of the ’90s.", &mut t);
        assert_eq!(starts(&t), [3, 11, 17, 21, 24]);
        // Reused: the marks of the previous text are gone.
        tokenize_into("none here", &mut t);
        assert!(t.marked.is_empty());
        assert!(t.starts.is_empty());
    }

    /// The table finds every word it was built with and no other, past its filter.
    #[test]
    fn the_word_table_finds_its_words_only() {
        let k = |i: usize| key(format!("w{i}x").as_bytes()).expect("fits");
        let listed: Vec<(u128, (Lex, u8))> = (0..2000)
            .map(|i| (k(i), (Lex::Weekday((i % 7) as u8 + 1), (i % 200) as u8 + 1)))
            .collect();
        let t = WordTable::new(&listed);
        for &(key, v) in &listed {
            assert_eq!(t.get(key), v);
        }
        for i in 2000..20_000 {
            assert_eq!(t.get(k(i)), (Lex::Other, 0), "{i}");
        }
        assert_eq!(lookup(b"monday"), Lex::Weekday(1));
        assert_eq!(lookup(b"mondayz"), Lex::Other);
    }

    /// The word table is keyed by packed words ([`key`]): every word must fit.
    #[test]
    fn every_table_word_fits_a_key() {
        let calendar = CALENDAR
            .lines()
            .filter(|l| !l.trim().starts_with('#'))
            .filter_map(|l| l.split_whitespace().nth(1));
        let all = GRAMMAR
            .iter()
            .map(|(w, _)| *w)
            .chain(WEEKDAY_PLURALS)
            .chain(HOLIDAY_HEADS.iter().copied())
            .chain(calendar);
        for w in all {
            assert!(w.is_ascii() && w.len() <= 16 && !w.contains('\0'), "{w}");
            assert_eq!(w, w.to_lowercase(), "{w}");
        }
    }
}
