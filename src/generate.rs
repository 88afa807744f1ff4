//! Deterministic news-like manuscripts for benchmarks, property tests and fuzz seeds.
//!
//! Contract:
//! - [`manuscript`] returns the same bytes for the same [`Options`] on every platform and every
//!   run: the only source of variation is a small built-in PRNG ([`Rng`], SplitMix64) seeded from
//!   [`Options::seed`]. No I/O, no clock, no external crates.
//! - The output is close to, but never above, [`Options::size`] bytes once the size is at least a
//!   few hundred bytes (it is cut at a paragraph boundary), and always ends with a line break.
//! - The text looks like wire copy a reporter would file: Markdown front matter with a
//!   publication date (Markdown only), headlines, datelines, bylines, paragraphs with direct and
//!   partial quotes attributed with speech verbs (“…,” Name said), anonymous and vague sources,
//!   names, organisations, places, absolute and relative dates, sub-heads, bullet lists, links and
//!   code spans, and a small share of deliberate slips (bare quotes, undated events, an unclosed
//!   quotation mark) so every check has something to find.
//!
//! This module is not part of copydesk's interface; it is public only so benches, tests and fuzz
//! targets share one generator.

/// A small, fast, deterministic PRNG (SplitMix64). Good enough to pick words; not for anything
/// that needs real randomness.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is `0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Seed of the PRNG: the same seed gives the same text.
    pub seed: u64,
    /// Target size in bytes; the text stops at the last paragraph boundary at or below it.
    pub size: usize,
    /// Markdown (front matter, `#` headlines, lists, links, code spans) or plain wire text.
    pub markdown: bool,
    /// Straight quotes and `--` instead of curly quotes and em dashes.
    pub ascii: bool,
}

impl Options {
    /// The format to read the manuscript in: Markdown or plain text, as it is written.
    pub fn format(&self) -> crate::engine::Format {
        if self.markdown {
            crate::engine::Format::Markdown
        } else {
            crate::engine::Format::PlainText
        }
    }

    /// A Markdown manuscript with curly quotes.
    pub fn markdown(seed: u64, size: usize) -> Self {
        Options {
            seed,
            size,
            markdown: true,
            ascii: false,
        }
    }

    /// A plain-text manuscript with curly quotes.
    pub fn plain(seed: u64, size: usize) -> Self {
        Options {
            seed,
            size,
            markdown: false,
            ascii: false,
        }
    }
}

/// A manuscript size written the way the tools take it: `10KB`, `1MB`, `2.5mb`, `20MB` (decimal
/// units, case-insensitive, the `B` optional) or a plain number of bytes. `None` if it does not
/// read as one.
pub fn parse_size(s: &str) -> Option<usize> {
    let lower = s.trim().to_ascii_lowercase();
    let digits = lower.strip_suffix('b').unwrap_or(&lower);
    let (number, unit) = match digits.strip_suffix('k') {
        Some(n) => (n, 1_000.0),
        None => match digits.strip_suffix('m') {
            Some(n) => (n, 1_000_000.0),
            None => (digits, 1.0),
        },
    };
    let n = number.trim().parse::<f64>().ok()?;
    (n.is_finite() && n >= 0.0).then_some((n * unit) as usize)
}

/// A Markdown manuscript of about `size` bytes (see [`Options::markdown`]).
pub fn markdown(seed: u64, size: usize) -> String {
    manuscript(&Options::markdown(seed, size))
}

const FIRST: &[&str] = &[
    "Maria", "James", "Aisha", "Daniel", "Priya", "Tomasz", "Grace", "Luis", "Hannah", "Kwame",
    "Sofia", "Michael", "Yuki", "Omar", "Elena", "Robert", "Fatima", "Chen", "Olivia", "Samuel",
    "Ingrid", "Mateo", "Nadia", "Patrick", "Leila", "Viktor", "Abena", "Diego", "Zoë", "José",
    "Søren", "Łukasz",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Okafor",
    "Nguyen",
    "Whitfield",
    "Kowalski",
    "Haddad",
    "Brennan",
    "Castillo",
    "Lindqvist",
    "Mensah",
    "Ferreira",
    "Osei",
    "Petrov",
    "Tanaka",
    "Gallagher",
    "Rahman",
    "Delacroix",
    "Moreau",
    "Abernathy",
    "Kaminski",
    "Oyelaran",
    "Sutherland",
    "Varga",
    "Zielinski",
    "O’Brien",
    "Müller",
    "Nuñez",
    "Van der Berg",
];
const TITLES: &[&str] = &[
    "Mayor",
    "Councilwoman",
    "Councilman",
    "Gov.",
    "Sen.",
    "Rep.",
    "Police Chief",
    "Superintendent",
    "Judge",
    "Commissioner",
    "Fire Chief",
    "Treasurer",
    "Dr.",
    "Prof.",
    "Gen.",
];
const ROLES: &[&str] = &[
    "a spokeswoman for",
    "a spokesman for",
    "the director of",
    "a senior analyst at",
    "the president of",
    "an economist at",
    "a lawyer representing",
    "the chief executive of",
    "a professor of public policy at",
    "a researcher at",
];
const ORGS: &[&str] = &[
    "the Metropolitan Transit Authority",
    "Riverside County",
    "the State Department of Health",
    "Northgate Hospital",
    "the Teachers Union",
    "Harbor Bank",
    "the Housing Coalition",
    "the Port Authority",
    "the University of Eastbrook",
    "the Chamber of Commerce",
    "Greenfield Water District",
    "the Office of the Attorney General",
    "Lakeside Energy",
    "the U.N. Security Council",
    "the European Commission",
    "Acme Corp.",
];
const CITIES: &[&str] = &[
    "EASTBROOK",
    "RIVERSIDE",
    "PORT HOLLIS",
    "GREENFIELD",
    "MILLBURY",
    "NORTHGATE",
    "SALT CREEK",
    "HARBOR CITY",
    "WASHINGTON",
    "BRUSSELS",
    "MOSCOW",
    "BEIJING",
];
const PLACES: &[&str] = &[
    "Eastbrook",
    "Riverside",
    "Port Hollis",
    "Greenfield",
    "the Kremlin",
    "Washington",
    "Brussels",
    "Beijing",
    "Ukraine",
    "the city hall",
    "Main Street",
    "the Senate Palace",
];
const TOPICS: &[&str] = &[
    "budget",
    "transit plan",
    "school levy",
    "flood barrier",
    "hospital merger",
    "rent control measure",
    "water contract",
    "police oversight board",
    "bridge repair",
    "zoning overhaul",
    "pension fund",
    "wildfire response",
];
const SPEECH: &[&str] = &[
    "said",
    "said",
    "said",
    "says",
    "told reporters",
    "added",
    "noted",
    "argued",
    "explained",
    "acknowledged",
    "wrote in an email",
    "said in a statement",
    "told the council",
    "claimed",
    "insisted",
    "warned",
    "stressed",
];
const DAYS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
];
const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const RELATIVE: &[&str] = &[
    "last week",
    "recently",
    "earlier this year",
    "in recent days",
    "some time ago",
    "last month",
    "this spring",
    "yesterday",
    "two days ago",
    "next Tuesday",
    "later this month",
    "last year",
    "tomorrow",
];
const VAGUE: &[&str] = &[
    "Critics say",
    "Some experts believe",
    "Many residents argue",
    "Observers note",
    "It is widely believed",
    "Sources familiar with the talks said",
];
const QUOTES: &[&str] = &[
    "We are not going to balance this on the backs of working families",
    "Nobody told us the numbers were this bad until it was too late",
    "This is the most serious shortfall we have seen in a decade",
    "I think people deserve a straight answer, and they have not gotten one",
    "The plan was always going to cost more than the first estimate",
    "We followed every rule that was in place at the time",
    "If the state does not step in, the service will be cut by summer",
    "Our members are exhausted, and they are not being heard",
    "There is no evidence that anyone acted in bad faith",
    "We have asked for the records three times and received nothing",
    "It is a good first step, but it is only a first step",
    "I would not have voted for it if I had seen the full report",
    "The water is safe to drink, and we will keep testing it daily",
    "We expect the repairs to take at least eighteen months",
    "Frankly, the timeline was never realistic",
    "Every family on this street has a story about the last flood",
];
const PARTIAL: &[&str] = &[
    "historic",
    "close",
    "unacceptable",
    "symbolic",
    "a first step",
    "deeply troubling",
];
const CLAIMS: &[&str] = &[
    "would cost taxpayers an additional {m} million dollars",
    "was approved by a {a}-{b} vote",
    "grew {p} percent over the previous year",
    "affects roughly {k},000 residents",
    "had been delayed {n} times since {y}",
    "is expected to be completed by {mo} {y2}",
];
const FILLER: &[&str] = &[
    "The proposal drew sharp criticism from neighborhood groups.",
    "Officials did not respond to several requests for comment.",
    "Records obtained by the newspaper show the contract was amended twice.",
    "The agency has faced scrutiny over its spending for years.",
    "Several residents spoke during the public comment period.",
    "The measure now goes to the full council for a final vote.",
    "An independent audit is expected to be released later.",
    "The figures could not be independently verified.",
    "Attendance at the hearing was the highest in recent memory.",
    "The county has not released a detailed breakdown of the costs.",
    "The meeting ended at 10 p.m. The vote was postponed.",
    "Mr. Smith, Ms. Jones and Dr. Lee met in the U.S. Capitol.",
];
const SUBHEADS: &[&str] = &[
    "Background",
    "What happens next",
    "The numbers",
    "Reaction",
    "A long delay",
    "Residents weigh in",
];
const CODE: &[&str] = &[
    "budget_2025.xlsx",
    "TKTK",
    "#council-vote",
    "v2.1",
    "SELECT * FROM votes",
];

/// A person introduced in a story: full name, last name.
struct Person {
    full: String,
    last: String,
}

struct Writer<'a> {
    rng: Rng,
    opts: &'a Options,
    people: Vec<Person>,
}

impl Writer<'_> {
    fn open(&self) -> &'static str {
        if self.opts.ascii { "\"" } else { "\u{201c}" }
    }

    fn close(&self) -> &'static str {
        if self.opts.ascii { "\"" } else { "\u{201d}" }
    }

    fn dash(&self) -> &'static str {
        if self.opts.ascii { "--" } else { "\u{2014}" }
    }

    fn person(&mut self) -> String {
        let first = self.rng.pick(FIRST);
        let last = self.rng.pick(LAST);
        let intro = if self.rng.chance(50) {
            format!("{} {first} {last}", self.rng.pick(TITLES))
        } else {
            format!(
                "{first} {last}, {} {},",
                self.rng.pick(ROLES),
                self.rng.pick(ORGS)
            )
        };
        self.people.push(Person {
            full: format!("{first} {last}"),
            last: last.to_string(),
        });
        intro
    }

    fn claim(&mut self) -> String {
        let r = &mut self.rng;
        let template = r.pick(CLAIMS);
        let (m, m2, a, b, p, k, n) = (
            r.range(1, 90),
            r.range(1, 9),
            r.range(4, 9),
            r.range(0, 3),
            r.range(2, 40),
            r.range(2, 80),
            r.range(2, 6),
        );
        let (y, mo, y2) = (r.range(2009, 2023), r.pick(MONTHS), r.range(2025, 2031));
        template
            .replace("{m}", &format!("{m}.{m2}"))
            .replace("{a}", &a.to_string())
            .replace("{b}", &b.to_string())
            .replace("{p}", &p.to_string())
            .replace("{k}", &k.to_string())
            .replace("{n}", &n.to_string())
            .replace("{y}", &y.to_string())
            .replace("{mo}", mo)
            .replace("{y2}", &y2.to_string())
    }

    fn when(&mut self, vague_ok: bool) -> String {
        let x = self.rng.below(100);
        if vague_ok && x < 25 {
            self.rng.pick(RELATIVE).to_string()
        } else if x < 60 {
            self.rng.pick(DAYS).to_string()
        } else if x < 80 {
            format!(
                "on {} {}, {}",
                self.rng.pick(MONTHS),
                self.rng.range(1, 28),
                self.rng.range(2019, 2025)
            )
        } else {
            format!(
                "on {}-{:02}-{:02}",
                self.rng.range(2019, 2025),
                self.rng.range(1, 12),
                self.rng.range(1, 28)
            )
        }
    }

    fn sentence(&mut self, topic: &str) -> String {
        let kind = self.rng.below(100);
        let quote = self.rng.pick(QUOTES);
        let (o, c) = (self.open(), self.close());
        match kind {
            0..=24 => {
                let intro = self.person();
                let verb = self.rng.pick(SPEECH);
                let when = self.when(true);
                format!("{o}{quote},{c} {intro} {verb} {when}.")
            }
            25..=33 if !self.people.is_empty() => {
                let i = self.rng.below(self.people.len());
                let verb = self.rng.pick(SPEECH);
                let who = if self.rng.chance(70) {
                    self.people[i].last.clone()
                } else {
                    "she".to_string()
                };
                format!("{o}{quote},{c} {who} {verb}.")
            }
            34..=39 if !self.people.is_empty() => {
                let i = self.rng.below(self.people.len());
                let full = self.people[i].full.clone();
                format!(
                    "{full} {} that {o}{}{c}.",
                    self.rng.pick(SPEECH),
                    quote.to_lowercase()
                )
            }
            40..=44 => format!("{o}{quote}.{c}"),
            45..=49 => format!(
                "{o}{quote},{c} said an official who spoke on the condition of anonymity because they were not \
                 authorized to discuss the {topic}."
            ),
            50..=53 => format!("{} the {topic} {}.", self.rng.pick(VAGUE), self.claim()),
            54..=58 => {
                let word = self.rng.pick(PARTIAL);
                let place = self.rng.pick(PLACES);
                format!(
                    "Officials in {place} called the {topic} {o}{word}{c} {}.",
                    self.when(true)
                )
            }
            59..=69 => {
                let intro = self.person();
                let intro = intro.trim_end_matches(',').to_string();
                let claim = self.claim();
                let when = self.when(true);
                format!("The {topic} {claim}, according to {intro}, who spoke {when}.")
            }
            70..=80 => {
                let org = self.rng.pick(ORGS);
                let mut org = org.to_string();
                if let Some(first) = org.get(..1) {
                    let upper = first.to_uppercase();
                    org.replace_range(..1, &upper);
                }
                if self.rng.chance(30) {
                    format!("{org} announced the {topic}.")
                } else {
                    format!("{org} announced the {topic} {}.", self.when(true))
                }
            }
            81..=82 => format!("{o}{quote}, {} said.", self.rng.pick(LAST)),
            83..=85 if self.opts.markdown => {
                format!(
                    "The file `{}` lists the {topic} figures.",
                    self.rng.pick(CODE)
                )
            }
            _ => self.rng.pick(FILLER).to_string(),
        }
    }

    fn paragraph(&mut self, topic: &str) -> String {
        let n = self.rng.range(2, 4);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.sentence(topic));
        }
        out
    }

    fn front_matter(&mut self, out: &mut String) {
        let topic = self.rng.pick(TOPICS);
        out.push_str("---\n");
        out.push_str(&format!("title: Council debates the {topic}\n"));
        out.push_str(&format!(
            "date: {}-{:02}-{:02}\n",
            self.rng.range(2020, 2025),
            self.rng.range(1, 12),
            self.rng.range(1, 28)
        ));
        out.push_str(&format!(
            "author: {} {}\n",
            self.rng.pick(FIRST),
            self.rng.pick(LAST)
        ));
        out.push_str("tags: [local, politics]\n---\n\n");
    }

    fn story(&mut self, n: usize, out: &mut String) {
        let topic = self.rng.pick(TOPICS);
        let city = self.rng.pick(CITIES);
        self.people.clear();
        let h = if self.opts.markdown { "# " } else { "" };
        let head = format!(
            "{h}{} {} {topic} after months of debate",
            self.rng
                .pick(&["Council", "State", "County", "Board", "Agency"]),
            self.rng
                .pick(&["delays", "approves", "rejects", "revisits", "defends"])
        );
        let claim = self.claim();
        let mut parts: Vec<String> = vec![head];
        if self.opts.markdown {
            parts.push(format!(
                "*{}{} {claim}, officials said.*",
                topic[..1].to_uppercase(),
                &topic[1..]
            ));
        }
        parts.push(format!(
            "By {} {} | Story {n} | Filed {} {}, 2025",
            self.rng.pick(FIRST),
            self.rng.pick(LAST),
            self.rng.pick(MONTHS),
            self.rng.range(1, 28)
        ));
        let lead = self.paragraph(topic);
        parts.push(format!("{city} {} {lead}", self.dash()));
        for i in 0..self.rng.range(6, 12) {
            if self.opts.markdown && i > 0 && self.rng.chance(18) {
                parts.push(format!("## {}", self.rng.pick(SUBHEADS)));
            }
            if self.opts.markdown && self.rng.chance(7) {
                let items: Vec<String> = (0..3)
                    .map(|_| {
                        let c = self.claim();
                        format!("- The {topic} {c}.")
                    })
                    .collect();
                parts.push(items.join("\n"));
            }
            if self.opts.markdown && self.rng.chance(5) {
                parts.push(format!(
                    "Read the [full report](https://example.org/reports/{n}-{i}) released by {} {}.",
                    self.rng.pick(ORGS),
                    self.when(false)
                ));
            }
            if self.rng.chance(2) {
                // A slip: a quotation mark never closed.
                parts.push(format!(
                    "{}{} she said.",
                    self.open(),
                    self.rng.pick(QUOTES)
                ));
            }
            parts.push(self.paragraph(topic));
        }
        if self.opts.markdown {
            parts.push("---".to_string());
        }
        for p in parts {
            out.push_str(&p);
            out.push_str("\n\n");
        }
    }
}

/// Generates a manuscript as described by `opts` (see the module contract).
pub fn manuscript(opts: &Options) -> String {
    let mut w = Writer {
        rng: Rng::new(opts.seed),
        opts,
        people: Vec::new(),
    };
    let mut out = String::with_capacity(opts.size + 4096);
    if opts.markdown {
        w.front_matter(&mut out);
    }
    let mut n = 1;
    while out.len() < opts.size {
        w.story(n, &mut out);
        n += 1;
    }
    if out.len() > opts.size {
        // Cut at the last paragraph break at or below the size, but keep at least half of it.
        let bytes = out.as_bytes();
        let limit = opts.size.min(bytes.len());
        let window = &bytes[..limit];
        let cut = window
            .windows(2)
            .rposition(|w| w == b"\n\n")
            .filter(|&i| i >= opts.size / 2)
            .or_else(|| window.iter().rposition(|&b| b == b'\n'))
            .map_or(out.len(), |i| i + 1);
        out.truncate(cut);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A byte offset in the middle of a body paragraph near the middle of `text`, on a character
/// boundary and right after a space, where a benchmark can type a character as a reporter would.
pub fn typing_point(text: &str) -> usize {
    let mid = text.len() / 2;
    // The first paragraph break after the middle, then into the paragraph after it.
    let para = text[mid..].find("\n\n").map_or(mid, |i| mid + i + 2);
    let limit = text.len();
    let search_end = text[para..].find("\n\n").map_or(limit, |i| para + i);
    let target = para + (search_end - para) / 2;
    let target = (target..=search_end)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(para);
    match text[target..search_end].find(' ') {
        Some(i) => target + i + 1,
        None => target,
    }
}

/// Text fragments that stress offset handling: line-break styles, astral characters,
/// combining marks, joiners, right-to-left text and quotation marks. Property tests splice
/// these into generated text.
pub const ADVERSARIAL: &[&str] = &[
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\r\n\r\n",
    "\r\r",
    "😀",
    "👩‍👩‍👧",
    "🇺🇦",
    "漢字",
    "中文，“引号”。",
    "e\u{301}",
    "a\u{308}\u{301}",
    "\u{200d}",
    "\u{200b}",
    "\u{feff}",
    "שָׁלוֹם",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    "«",
    "»",
    "—",
    "…",
    "\t",
    " ",
    "# ",
    "- ",
    "```",
    "`",
    "---\n",
    "<!--",
    "-->",
    "[a](b)",
    "*",
    "_",
    "said",
    "Mr.",
    "on Monday",
    "last week",
    "2023-03-20",
    "\u{0}",
    "\u{7f}",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_the_tools_take_them() {
        assert_eq!(parse_size("10KB"), Some(10_000));
        assert_eq!(parse_size("1mb"), Some(1_000_000));
        assert_eq!(parse_size("2.5MB"), Some(2_500_000));
        assert_eq!(parse_size(" 30k "), Some(30_000));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("MB"), None);
        assert_eq!(parse_size("-1MB"), None);
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn same_seed_same_text_and_size_is_respected() {
        for size in [300, 10_000, 100_000] {
            let a = markdown(7, size);
            assert_eq!(a, markdown(7, size));
            assert!(a.len() <= size, "{} > {size}", a.len());
            assert!(a.len() >= size / 2, "{} < {size}/2", a.len());
        }
        assert_ne!(markdown(1, 10_000), markdown(2, 10_000));
    }

    #[test]
    fn news_like_content() {
        let md = markdown(3, 50_000);
        assert!(md.starts_with("---\ntitle: "));
        for needle in [
            "\n# ",
            "\u{201c}",
            ",\u{201d} ",
            " said",
            "](https://",
            "`",
            "\n- ",
            "\n## ",
        ] {
            assert!(md.contains(needle), "missing {needle:?}");
        }
        let plain = manuscript(&Options {
            ascii: true,
            ..Options::plain(3, 20_000)
        });
        assert!(
            plain.is_ascii() || plain.contains('é') || plain.contains('ø') || plain.contains('ü')
        );
        assert!(!plain.starts_with("---"));
        assert!(plain.contains("\" "));
    }

    #[test]
    fn typing_point_is_inside_a_paragraph() {
        let md = markdown(5, 20_000);
        let p = typing_point(&md);
        assert!(md.is_char_boundary(p));
        assert!(p > md.len() / 2 && p < md.len());
        assert_eq!(&md[p - 1..p], " ");
    }
}

/// How [`Typist::step`] edits a text like a reporter typing: the cursor jumps elsewhere one
/// step in `jump_one_in`; then one of `choices` equally likely edits: the first `deletes`
/// delete back up to `max_delete - 1` characters, the next one inserts an [`ADVERSARIAL`]
/// fragment, the last one (when `delete_names`) deletes the next capitalised word (a name's
/// first mention, often), and the others type one of `typed`.
#[derive(Clone, Copy, Debug)]
pub struct Typing<'a> {
    pub jump_one_in: usize,
    pub choices: usize,
    pub deletes: usize,
    pub max_delete: usize,
    pub delete_names: bool,
    pub typed: &'a [&'a str],
}

/// A typing cursor for the carried-over-equals-fresh property tests.
#[derive(Clone, Copy, Debug)]
pub struct Typist<'a> {
    pub at: usize,
    pub typing: Typing<'a>,
}

impl<'a> Typist<'a> {
    /// A cursor at a random place of `text`.
    pub fn new(rng: &mut Rng, text: &str, typing: Typing<'a>) -> Self {
        Typist {
            at: rng.below(text.len() + 1),
            typing,
        }
    }

    /// Makes one edit of `text` at the cursor, and moves the cursor on.
    pub fn step(&mut self, rng: &mut Rng, text: &mut String) {
        let t = self.typing;
        if rng.below(t.jump_one_in) == 0 {
            self.at = rng.below(text.len() + 1);
        }
        let mut at = self.at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let choice = rng.below(t.choices);
        if t.delete_names && choice == t.choices - 1 {
            let b = text.as_bytes();
            let from =
                (at..b.len()).find(|&i| b[i].is_ascii_uppercase() && (i == 0 || b[i - 1] == b' '));
            if let Some(from) = from {
                let to = (from..b.len())
                    .find(|&i| !b[i].is_ascii_alphabetic())
                    .unwrap_or(b.len());
                text.replace_range(from..to, "");
                at = from;
            }
        } else if choice < t.deletes {
            let mut from = at.saturating_sub(rng.below(t.max_delete));
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            text.replace_range(from..at, "");
            at = from;
        } else {
            let insert = if choice == t.deletes {
                rng.pick(ADVERSARIAL)
            } else {
                rng.pick(t.typed)
            };
            text.insert_str(at, insert);
            at += insert.len();
        }
        self.at = at;
    }
}
