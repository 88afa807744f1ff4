//! The pure analysis core: text and [`Config`] in, [`Analysis`] out.
//!
//! Contract:
//! - No I/O, no LSP types, no async, no `ropey`: `tests/architecture.rs` enforces this.
//! - [`analyze`] cannot fail. Every offset in the output is a UTF-8 byte offset into the input,
//!   on a character boundary, end exclusive.
//! - Work happens in two stages. The *paragraph scan* ([`paragraph`]) looks at one paragraph
//!   alone and stores paragraph-relative offsets, so [`Analyzer`] can cache it by content. The
//!   *document passes* ([`Analyzer::analyze`]) lift the scans into document space and do what
//!   needs the whole story: grouping entity mentions, continuing speakers across paragraphs,
//!   resolving dates against the publication date, and the checks.

pub mod checks;
pub mod config;
pub mod entities;
pub mod markup;
pub mod navigation;
pub mod paragraph;
pub mod quotes;
pub mod segment;
pub mod shared;
pub mod temporal;
pub mod text;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use checks::{Finding, Severity};
pub use config::{Config, EntityKind};
pub use shared::SharedVec;
pub use text::TextRange;

use paragraph::{ParagraphKind, ParagraphScan};

/// How a document's text is to be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    #[default]
    PlainText,
}

impl Format {
    /// The format for an LSP languageId or a file extension: Markdown for `markdown`, `md`,
    /// `markdown`, `mdx`; plain text for everything else.
    pub fn from_language_id(id: &str) -> Format {
        match id.to_ascii_lowercase().as_str() {
            "markdown" | "md" | "mdx" | "mkd" => Format::Markdown,
            _ => Format::PlainText,
        }
    }
}

/// A paragraph of prose in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub range: TextRange,
    pub kind: ParagraphKind,
    /// Where its sentences are in [`Analysis::sentences`] (see [`Analysis::sentences_of`]).
    /// Serialized as a pair of indices, `[first, end]`, so it is not read as a text range.
    #[serde(serialize_with = "index_range_as_pair")]
    pub sentences: std::ops::Range<usize>,
}

fn index_range_as_pair<S: serde::Serializer>(
    r: &std::ops::Range<usize>,
    s: S,
) -> Result<S::Ok, S::Error> {
    (r.start, r.end).serialize(s)
}

/// Everything copydesk reads in one document.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Analysis {
    /// Length of the analysed text in bytes.
    pub len: usize,
    pub format: Format,
    pub front_matter: Option<markup::FrontMatter>,
    /// The date relative expressions resolve against, and where it came from.
    pub anchor: Option<temporal::Anchor>,
    pub paragraphs: SharedVec<Paragraph>,
    /// The sentences of every paragraph, in document order (one list for the whole document
    /// rather than one per paragraph).
    pub sentences: SharedVec<TextRange>,
    pub quotes: SharedVec<quotes::Quote>,
    /// Phrases that put an unnamed or vague source behind a claim.
    pub sources: SharedVec<quotes::SourcePhrase>,
    /// Quotation marks left unbalanced (beyond the run-on-paragraph convention).
    pub quote_marks: Vec<quotes::MarkIssue>,
    /// Shared with the [`Analyzer`] that made it, like the other [`SharedVec`] lists: an
    /// analysis holding one keeps it as it is, but while it is alive the next keystroke's
    /// analysis copies the list instead of updating it in place.
    pub timexes: SharedVec<temporal::Timex>,
    /// Past-tense events with whether a reader can date them.
    pub events: SharedVec<temporal::Event>,
    pub entities: SharedVec<entities::Entity>,
    pub findings: Vec<Finding>,
    /// The headline of a plain-text story ([`plain_headline`]); Markdown marks its headings.
    pub headline: Option<TextRange>,
}

impl Analysis {
    /// The sentences of `paragraph`, one of [`Analysis::paragraphs`].
    pub fn sentences_of(&self, paragraph: &Paragraph) -> &[TextRange] {
        &self.sentences[paragraph.sentences.clone()]
    }

    /// Whether byte `offset` lies inside quotation marks (a quotation, or a title or term in
    /// quotation marks): words the reporter did not choose.
    pub fn in_quotation(&self, offset: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.range.start <= offset);
        i.checked_sub(1)
            .and_then(|i| self.quotes.get(i))
            .is_some_and(|q| offset < q.range.end)
    }

    /// Whether byte `offset` lies in a heading (a Markdown heading or a plain-text headline).
    pub fn in_heading(&self, offset: usize) -> bool {
        if self
            .headline
            .is_some_and(|h| h.start <= offset && offset <= h.end)
        {
            return true;
        }
        let i = self.paragraphs.partition_point(|p| p.range.start <= offset);
        i.checked_sub(1)
            .and_then(|i| self.paragraphs.get(i))
            .is_some_and(|p| p.range.end >= offset && p.kind == ParagraphKind::Heading)
    }
}

/// The headline of a plain-text story, with its deck if it has one. The headline is the first
/// paragraph, if another follows and it is as short as headlines are (16 words at most, or 25
/// when most of its longer words are capitalised, as in "Stealth Over Health: Hillary Clinton
/// Was Headed to ER"), or else the first line of that paragraph if the line is. A lede is
/// longer: wire ledes run to 25–35 words. The deck is what follows a headline before the story:
/// the rest of the headline's paragraph, or the next paragraph when more follow, when it is one
/// line of 16 words at most ("Clinton campaign says long lines kept many from casting
/// ballots."). (Read only by the checks; the entity stage reads these lines as prose, which
/// scores better on GUM.)
pub fn plain_headline(text: &str, paragraphs: &[Paragraph]) -> Option<TextRange> {
    let [first, second, rest @ ..] = paragraphs else {
        return None;
    };
    let para = text.get(first.range.start..first.range.end)?;
    let deck = |s: &str| !s.trim().contains('\n') && s.split_whitespace().count() <= 16;
    if headline_like(para) {
        let end = match text.get(second.range.start..second.range.end) {
            Some(next) if !rest.is_empty() && deck(next) => second.range.end,
            _ => first.range.end,
        };
        return Some(TextRange::new(first.range.start, end));
    }
    // "Sanders advances agenda via side doors; ⏎ In Congress, senator proves adept …": a
    // headline line and its deck in one paragraph.
    let nl = para.find('\n')?;
    let (line, tail) = para.split_at(nl);
    if !headline_like(line) {
        return None;
    }
    let end = if deck(tail) { para.len() } else { nl };
    Some(TextRange::new(first.range.start, first.range.start + end))
}

/// Whether `line` is as short as a headline: 16 words at most, or 25 when most of its longer
/// words are capitalised.
fn headline_like(line: &str) -> bool {
    let (mut words, mut long, mut capitalised) = (0, 0, 0);
    for w in line.split_whitespace() {
        words += 1;
        if words > 25 {
            return false;
        }
        if w.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
            long += 1;
            capitalised += usize::from(w.starts_with(char::is_uppercase));
        }
    }
    words <= 16 || long > 0 && capitalised * 3 >= long * 2
}

/// Analyses `text` from scratch. Same result as a fresh [`Analyzer`].
pub fn analyze(text: &str, config: &Config) -> Analysis {
    analyze_as(text, Format::detect(text), config)
}

/// Analyses `text` read as `format`.
pub fn analyze_as(text: &str, format: Format, config: &Config) -> Analysis {
    Analyzer::one_shot().analyze(text, format, config)
}

impl Format {
    /// Guesses the format of an unnamed text: Markdown if it opens with front matter or a
    /// heading, plain text otherwise.
    pub fn detect(text: &str) -> Format {
        let t = text.trim_start_matches('\u{feff}');
        if t.starts_with("---\n") || t.starts_with("---\r\n") || t.starts_with("# ") {
            Format::Markdown
        } else {
            Format::PlainText
        }
    }
}

/// Analyses successive versions of one document, re-scanning only the blocks an edit touched.
///
/// It keeps the previous version: its text, front matter and blocks, each block with the scans
/// of its paragraphs in block-relative offsets. A new version is compared with the previous one
/// byte by byte from both ends. Blocks wholly inside the unchanged prefix are kept as they are;
/// the layout is re-cut from the last block that starts before the first changed byte until it
/// falls back into step with an old block inside the unchanged suffix, and the old blocks from
/// there on are kept, shifted. Only the blocks in between are looked up by their text among the
/// old blocks they replace (a split or moved paragraph is not scanned again) or scanned. So a
/// keystroke costs two comparisons of the text and a splice of the remembered copy, plus the
/// work on the block it touched, never a hash or a layout of the whole document. A change of format or settings
/// scans everything again; an edit of the front matter (or of the first line, which may start
/// one) re-cuts the whole layout but still reuses every block whose text is unchanged.
#[derive(Default)]
pub struct Analyzer {
    prev: Option<Previous>,
    /// Statistics of the last run: (blocks reused, blocks scanned).
    pub last_stats: (usize, usize),
    /// How long each stage of the last run took (a statistic for profiling).
    pub last_times: StageTimes,
    /// What the checks keep from the previous analysis.
    checks: checks::Cache,
    /// What the entity stage keeps from the previous analysis.
    entities: entities::coref::Cache,
    /// What attribution keeps from the previous analysis.
    quotes: quotes::Cache,
    /// What date resolution keeps from the previous analysis.
    temporal: temporal::Cache,
    /// The previous analysis's paragraph and sentence lists.
    lists: Option<Lists>,
    /// How the text changed in the last call, if it was compared with the previous version.
    change: Option<entities::coref::Change>,
    /// Analyses one version only ([`analyze_as`]): nothing is kept for a next one.
    one_shot: bool,
    /// What the caller promised of the next text ([`Self::assume_unchanged`]).
    unchanged: Option<(usize, usize)>,
}

/// What [`Analyzer`] remembers of the previous version.
struct Previous {
    /// The text of this version (empty for a one-shot analyzer: see [`Analyzer::one_shot`]).
    text: String,
    format: Format,
    fingerprint: u64,
    front_matter: Option<markup::FrontMatter>,
    blocks: Vec<CachedBlock>,
}

/// A block of the document and the scans of its paragraphs (block-relative offsets).
#[derive(Clone)]
pub(crate) struct CachedBlock {
    range: TextRange,
    scans: Arc<Vec<ParagraphScan>>,
}

/// Chunk sizes for comparing two texts: whole chunks compare as slices (a vectorised memcmp),
/// large ones first (few calls on a long equal stretch), then smaller ones inside the first
/// large chunk that differs; the last few bytes are compared one by one.
const COMPARE_CHUNKS: [usize; 2] = [1024, 64];

/// Length of the longest common prefix of `a` and `b`, in bytes.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    for chunk in COMPARE_CHUNKS {
        while i + chunk <= n && a[i..i + chunk] == b[i..i + chunk] {
            i += chunk;
        }
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the longest common suffix of `a` and `b`, at most `max` bytes.
fn common_suffix(a: &[u8], b: &[u8], max: usize) -> usize {
    let n = a.len().min(b.len()).min(max);
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    for chunk in COMPARE_CHUNKS {
        while i + chunk <= n && a[la - i - chunk..la - i] == b[lb - i - chunk..lb - i] {
            i += chunk;
        }
    }
    while i < n && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

/// How many blocks at the start of `new` are the same scans as in `old` at the same place, and
/// how many at the end are the same scans moved by `delta` bytes (never overlapping the first
/// count): the blocks in between are those an edit changed.
pub(crate) fn unchanged_ends(
    old: &[CachedBlock],
    new: &[CachedBlock],
    delta: isize,
) -> (usize, usize) {
    let n = old.len().min(new.len());
    let kb = (0..n)
        .take_while(|&i| {
            Arc::ptr_eq(&old[i].scans, &new[i].scans) && old[i].range.start == new[i].range.start
        })
        .count();
    let ke = (0..n - kb)
        .take_while(|&j| {
            let (o, b) = (&old[old.len() - 1 - j], &new[new.len() - 1 - j]);
            Arc::ptr_eq(&o.scans, &b.scans)
                && b.range.start as isize == o.range.start as isize + delta
        })
        .count();
    (kb, ke)
}

/// Makes `kept`, a copy of an earlier version's blocks, a copy of `blocks`, cloning only the
/// blocks whose scans are not already there: those at the ends that are the same scans keep
/// their handle and take their new place. On a long manuscript a keystroke changes a block or
/// two; cloning every block (and dropping every old clone) would touch each block's scans
/// twice, thousands of cache misses when the caches are cold.
pub(crate) fn follow_blocks(kept: &mut Vec<CachedBlock>, blocks: &[CachedBlock]) {
    let n = kept.len().min(blocks.len());
    let same = |o: &CachedBlock, b: &CachedBlock| Arc::ptr_eq(&o.scans, &b.scans);
    let head = kept
        .iter()
        .zip(blocks)
        .take_while(|(o, b)| same(o, b))
        .count();
    let tail = kept
        .iter()
        .rev()
        .zip(blocks.iter().rev())
        .take(n - head)
        .take_while(|(o, b)| same(o, b))
        .count();
    let end = kept.len() - tail;
    kept.splice(head..end, blocks[head..blocks.len() - tail].iter().cloned());
    for (o, b) in kept.iter_mut().zip(blocks) {
        o.range = b.range;
    }
    debug_assert!(
        kept.len() == blocks.len()
            && kept
                .iter()
                .zip(blocks)
                .all(|(o, b)| same(o, b) && o.range == b.range)
    );
}

/// Whether `text` opens with a `---` line, so an edit anywhere could close a front matter.
fn opens_with_dashes(text: &str) -> bool {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = t.split(['\n', '\r']).next().unwrap_or("");
    first.trim_end() == "---"
}

/// Byte offset just past the first line break of `text` (its length if it has none).
fn first_line_end(text: &str) -> usize {
    text.find(['\n', '\r']).map_or(text.len(), |i| i + 1)
}

impl Analyzer {
    /// An analyzer for one version, as [`analyze_as`] uses: the caches of the document passes
    /// keep nothing for a next one, nor does it copy the text; another call analyses its text
    /// from scratch. It still holds the paragraph scans of the version it analysed until it is
    /// dropped (freeing them costs about 4 % of a whole analysis, which a process about to exit
    /// can skip).
    pub fn one_shot() -> Self {
        Analyzer {
            one_shot: true,
            ..Analyzer::default()
        }
    }

    /// Analyses `text` read as `format`, reusing what it can from the previous call. The result
    /// is exactly that of [`analyze_as`] on the same text.
    pub fn analyze(&mut self, text: &str, format: Format, config: &Config) -> Analysis {
        let start = Instant::now();
        self.refresh(text, format, config);
        self.last_times = StageTimes {
            paragraphs: start.elapsed(),
            ..StageTimes::default()
        };
        let prev = self
            .prev
            .as_ref()
            .expect("refresh keeps the version it analysed");
        document_passes(
            text,
            format,
            config,
            prev.front_matter.clone(),
            &prev.blocks,
            Caches {
                checks: &mut self.checks,
                entities: &mut self.entities,
                quotes: &mut self.quotes,
                temporal: &mut self.temporal,
                lists: &mut self.lists,
                change: self.change,
                remember: !self.one_shot,
            },
            &mut self.last_times,
        )
    }

    /// Promises that the text of the next [`Self::analyze`] starts with the first `prefix`
    /// bytes and ends with the last `suffix` bytes of the text analysed last (an editor knows
    /// this from its edits), so the comparison of the two texts starts there instead of at
    /// their ends: on a long manuscript that saves reading both texts in full. The promise
    /// holds for that one analysis. A broken promise gives a wrong analysis; debug builds
    /// check it.
    pub fn assume_unchanged(&mut self, prefix: usize, suffix: usize) {
        self.unchanged = Some((prefix, suffix));
    }

    /// How many analyses so far grouped the entity mentions from scratch (the others carried
    /// the previous grouping over): a statistic for profiling, like [`Self::last_stats`].
    pub fn entities_regrouped(&self) -> usize {
        self.entities.regrouped
    }

    /// Brings the remembered layout and scans up to date with `text` (the paragraph stage).
    fn refresh(&mut self, text: &str, format: Format, config: &Config) -> &Previous {
        let fingerprint = config.fingerprint();
        let unchanged = self.unchanged.take().unwrap_or_default();
        let prev = self
            .prev
            .take()
            .filter(|p| !self.one_shot && p.format == format && p.fingerprint == fingerprint);
        let prev = match prev {
            Some(mut prev) => {
                let old_len = prev.text.len();
                let (stats, prefix, suffix) = prev.update(text, format, config, unchanged);
                self.last_stats = stats;
                self.change = Some(entities::coref::Change {
                    prefix,
                    suffix,
                    old_len,
                    new_len: text.len(),
                });
                prev
            }
            None => {
                self.change = None;
                let layout = markup::layout(text, format);
                let ranges: Vec<TextRange> = layout.blocks.iter().map(|b| b.range).collect();
                let blocks: Vec<CachedBlock> = scan_blocks(text, &ranges, format, config)
                    .into_iter()
                    .zip(&ranges)
                    .map(|(scans, &range)| CachedBlock { range, scans })
                    .collect();
                self.last_stats = (0, blocks.len());
                Previous {
                    // A one-shot analyzer never compares a next version with this one.
                    text: if self.one_shot {
                        String::new()
                    } else {
                        text.to_string()
                    },
                    format,
                    fingerprint,
                    front_matter: layout.front_matter,
                    blocks,
                }
            }
        };
        debug_assert!(self.one_shot || prev.text == text);
        self.prev.insert(prev)
    }
}

impl Previous {
    /// Brings the remembered text and blocks up to date with `text`; returns (reused,
    /// scanned), and how many bytes at the start and at the end of the text are unchanged.
    fn update(
        &mut self,
        text: &str,
        format: Format,
        config: &Config,
        known: (usize, usize),
    ) -> ((usize, usize), usize, usize) {
        let (old, new) = (self.text.as_bytes(), text.as_bytes());
        // The ends known to be the same are not compared again.
        let known_prefix = known.0.min(old.len()).min(new.len());
        debug_assert!(
            old[..known_prefix] == new[..known_prefix],
            "the promised prefix"
        );
        let p = known_prefix + common_prefix(&old[known_prefix..], &new[known_prefix..]);
        if p == old.len() && p == new.len() {
            return ((self.blocks.len(), 0), p, 0);
        }
        let most = old.len().min(new.len()) - p;
        let known_suffix = known.1.min(most);
        let (old_end, new_end) = (old.len() - known_suffix, new.len() - known_suffix);
        debug_assert!(old[old_end..] == new[new_end..], "the promised suffix");
        let s = known_suffix + common_suffix(&old[..old_end], &new[..new_end], most - known_suffix);
        let old_len = old.len();
        let stats = self.update_blocks(text, format, config, p, s);
        // Only the changed middle of the remembered text is replaced, not the whole copied; its
        // ends are moved out to character boundaries (the same in both texts, as the bytes
        // before and after it are the same).
        let unchanged = (p, s);
        let (mut p, mut s) = (p, s);
        while !(self.text.is_char_boundary(p) && text.is_char_boundary(p)) {
            p -= 1;
        }
        while !self.text.is_char_boundary(old_len - s) {
            s -= 1;
        }
        self.text
            .replace_range(p..old_len - s, &text[p..text.len() - s]);
        (stats, unchanged.0, unchanged.1)
    }

    /// Brings the remembered blocks up to date with `text`, which shares its first `p` and last
    /// `s` bytes with the remembered text; returns (reused, scanned).
    fn update_blocks(
        &mut self,
        text: &str,
        format: Format,
        config: &Config,
        p: usize,
        s: usize,
    ) -> (usize, usize) {
        let (old, new) = (self.text.as_bytes(), text.as_bytes());
        // Is the front matter (or its absence) certainly unchanged? Strictly after its end, so
        // a `\r` that gains a `\n` is seen as an edit of the front matter.
        let front_matter_stable = format != Format::Markdown
            || match &self.front_matter {
                Some(fm) => p > fm.range.end,
                None => !opens_with_dashes(&self.text) && p > first_line_end(&self.text),
            };
        if !front_matter_stable {
            return self.relayout_all(text, format, config);
        }
        let delta = new.len() as isize - old.len() as isize;
        let suffix_start = new.len() - s;
        // Blocks before `keep` end before the block that starts last before the edit, so the
        // blank line after each of them is unchanged: they are kept as they are.
        let k = self.blocks.partition_point(|b| b.range.start < p);
        let keep = k.saturating_sub(1);
        let resume = match self.blocks.get(keep) {
            Some(b) if k > 0 => b.range.start,
            _ => self.front_matter.as_ref().map_or(0, |fm| fm.range.end),
        };
        let mut cut = Vec::new();
        let mut sync = self.blocks.len();
        let tail = &self.blocks[keep..];
        markup::blocks_from(text, resume, format, &mut cut, |start| {
            // In step again: a block opens inside the unchanged suffix where an old block opened.
            if start < suffix_start {
                return false;
            }
            let old_start = start as isize - delta;
            match tail.binary_search_by_key(&old_start, |b| b.range.start as isize) {
                Ok(i) => {
                    sync = keep + i;
                    true
                }
                Err(_) => false,
            }
        });
        let replaced = &self.blocks[keep..sync];
        let by_text: Option<HashMap<&str, usize>> = (replaced.len() > 8).then(|| {
            replaced
                .iter()
                .enumerate()
                .map(|(i, b)| (b.range.of(&self.text), i))
                .collect()
        });
        let mut scanned = 0;
        let fresh: Vec<CachedBlock> = cut
            .iter()
            .map(|b| {
                let src = b.range.of(text);
                let hit = match &by_text {
                    Some(map) => map.get(src).copied(),
                    None => replaced.iter().position(|r| r.range.of(&self.text) == src),
                };
                let scans = match hit {
                    Some(i) => Arc::clone(&replaced[i].scans),
                    None => {
                        scanned += 1;
                        Arc::new(paragraph::scan_block(src, format, config))
                    }
                };
                CachedBlock {
                    range: b.range,
                    scans,
                }
            })
            .collect();
        for b in &mut self.blocks[sync..] {
            b.range = TextRange::new(
                b.range.start.wrapping_add_signed(delta),
                b.range.end.wrapping_add_signed(delta),
            );
        }
        self.blocks.splice(keep..sync, fresh);
        (self.blocks.len() - scanned, scanned)
    }

    /// Re-cuts the whole layout (the front matter may have changed), reusing the scans of every
    /// block whose text is unchanged; returns (reused, scanned).
    fn relayout_all(&mut self, text: &str, format: Format, config: &Config) -> (usize, usize) {
        let layout = markup::layout(text, format);
        let old: HashMap<&str, &CachedBlock> = self
            .blocks
            .iter()
            .map(|b| (b.range.of(&self.text), b))
            .collect();
        let hits: Vec<Option<Arc<Vec<ParagraphScan>>>> = layout
            .blocks
            .iter()
            .map(|b| old.get(b.range.of(text)).map(|hit| Arc::clone(&hit.scans)))
            .collect();
        drop(old);
        let missing: Vec<TextRange> = layout
            .blocks
            .iter()
            .zip(&hits)
            .filter(|(_, hit)| hit.is_none())
            .map(|(b, _)| b.range)
            .collect();
        let scanned = missing.len();
        let mut fresh = scan_blocks(text, &missing, format, config).into_iter();
        let blocks: Vec<CachedBlock> = layout
            .blocks
            .iter()
            .zip(hits)
            .map(|(b, hit)| CachedBlock {
                range: b.range,
                scans: hit.or_else(|| fresh.next()).unwrap_or_default(),
            })
            .collect();
        self.blocks = blocks;
        self.front_matter = layout.front_matter;
        (self.blocks.len() - scanned, scanned)
    }
}

/// Documents smaller than this are scanned on the calling thread alone.
const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// Scans the blocks at `ranges` of `text`, in order. A large document (a first analysis, or a
/// change of settings) is cut into contiguous runs of blocks of about equal size, scanned on
/// as many threads as the machine offers: each block's scan depends on its own text alone, so
/// the result is the same as scanning them one by one.
fn scan_blocks(
    text: &str,
    ranges: &[TextRange],
    format: Format,
    config: &Config,
) -> Vec<Arc<Vec<ParagraphScan>>> {
    let scan = |r: &TextRange| Arc::new(paragraph::scan_block(r.of(text), format, config));
    let total: usize = ranges.iter().map(|r| r.end - r.start).sum();
    if total < PARALLEL_FROM_BYTES || ranges.len() < 2 {
        return ranges.iter().map(scan).collect();
    }
    // Asked once per process: the standard library reads the CPU affinity and cgroup quota.
    static THREADS: std::sync::LazyLock<usize> =
        std::sync::LazyLock::new(|| std::thread::available_parallelism().map_or(1, usize::from));
    let threads = *THREADS;
    if threads < 2 {
        return ranges.iter().map(scan).collect();
    }
    // Cut points: each run holds about `total / threads` bytes of blocks.
    let share = total.div_ceil(threads);
    let mut runs: Vec<&[TextRange]> = Vec::with_capacity(threads);
    let (mut from, mut bytes) = (0, 0);
    for (i, r) in ranges.iter().enumerate() {
        bytes += r.end - r.start;
        if bytes >= share && runs.len() + 1 < threads {
            runs.push(&ranges[from..=i]);
            (from, bytes) = (i + 1, 0);
        }
    }
    runs.push(&ranges[from..]);
    std::thread::scope(|s| {
        let handles: Vec<_> = runs[1..]
            .iter()
            .map(|run| s.spawn(move || run.iter().map(scan).collect::<Vec<_>>()))
            .collect();
        let mut out: Vec<Arc<Vec<ParagraphScan>>> = runs[0].iter().map(scan).collect();
        for (h, run) in handles.into_iter().zip(&runs[1..]) {
            // A scan that panicked on another thread is redone here, so the panic surfaces
            // on the caller's thread like any other.
            match h.join() {
                Ok(scans) => out.extend(scans),
                Err(_) => out.extend(run.iter().map(scan)),
            }
        }
        out
    })
}

/// How long each stage of an analysis took ([`Analyzer::last_times`]): the paragraph stage
/// (layout and the scans of the blocks that changed), then each document pass. For profiling:
/// `profile_engine stages` prints them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Layout and paragraph scans.
    pub paragraphs: Duration,
    /// Placing the scans in the document, and the paragraph and sentence lists.
    pub lists: Duration,
    /// Entity grouping.
    pub entities: Duration,
    /// Attribution across paragraphs, and the quotation-mark check's pairing.
    pub quotes: Duration,
    /// The publication date and date resolution.
    pub temporal: Duration,
    /// The checks (and attaching the quotations to their entities).
    pub checks: Duration,
}

impl StageTimes {
    /// Each stage with its name, in the order they run.
    pub fn named(&self) -> [(&'static str, Duration); 6] {
        [
            ("paragraph scans", self.paragraphs),
            ("lists", self.lists),
            ("entities", self.entities),
            ("quotes", self.quotes),
            ("dates", self.temporal),
            ("checks", self.checks),
        ]
    }
}

/// One paragraph scan placed in the document: the scan, and the document offset of the paragraph
/// start, which its relative offsets are to be shifted by.
pub struct Placed<'a> {
    pub offset: usize,
    pub scan: &'a ParagraphScan,
    /// The scan's [`ParagraphScan::marks`], read with its start: the quotation-mark check
    /// reads only the scans this says have marks to check.
    pub marks: paragraph::QuoteMarks,
}

impl<'a> Placed<'a> {
    /// `scan` placed at document offset `offset`.
    pub fn new(offset: usize, scan: &'a ParagraphScan) -> Self {
        Placed {
            offset,
            scan,
            marks: scan.marks,
        }
    }
}

/// What the document passes keep from one analysis to the next, and what they are told about
/// the edit in between.
struct Caches<'a> {
    checks: &'a mut checks::Cache,
    entities: &'a mut entities::coref::Cache,
    quotes: &'a mut quotes::Cache,
    temporal: &'a mut temporal::Cache,
    lists: &'a mut Option<Lists>,
    change: Option<entities::coref::Change>,
    /// Whether to keep anything for a next analysis.
    remember: bool,
}

/// The paragraph and sentence lists of an analysis, and the blocks they were listed from.
struct Lists {
    blocks: Vec<CachedBlock>,
    paragraphs: SharedVec<Paragraph>,
    sentences: SharedVec<TextRange>,
}

/// The paragraphs of `placed` and their sentences, in document space. After an edit
/// (`change`) the previous lists are brought up to date instead of listed again: the
/// paragraphs of the blocks that changed are listed, those after them moved. Listing every
/// paragraph reads every paragraph's scan, on a long manuscript thousands of cache misses
/// per keystroke.
fn paragraph_lists(
    placed: &[Placed<'_>],
    blocks: &[CachedBlock],
    kept: &mut Option<Lists>,
    change: Option<entities::coref::Change>,
    remember: bool,
) -> (SharedVec<Paragraph>, SharedVec<TextRange>) {
    let carried = match (kept.as_mut(), change) {
        (Some(lists), Some(change)) => carry_lists(lists, placed, blocks, change),
        _ => false,
    };
    if !carried {
        let mut sentences = Vec::with_capacity(placed.iter().map(|p| p.scan.sentences.len()).sum());
        let paragraphs: Vec<Paragraph> = list_paragraphs(placed, &mut sentences);
        *kept = Some(Lists {
            blocks: Vec::new(),
            paragraphs: paragraphs.into(),
            sentences: sentences.into(),
        });
    }
    let Some(lists) = kept.as_mut() else {
        unreachable!("the lists were just kept");
    };
    let out = (lists.paragraphs.clone(), lists.sentences.clone());
    if remember {
        follow_blocks(&mut lists.blocks, blocks);
    } else {
        *kept = None;
    }
    out
}

/// The paragraphs of `placed`, their sentences pushed to `sentences` (indices counted from
/// its length).
fn list_paragraphs(placed: &[Placed<'_>], sentences: &mut Vec<TextRange>) -> Vec<Paragraph> {
    placed
        .iter()
        .map(|p| {
            let first = sentences.len();
            sentences.extend(p.scan.sentences.iter().map(|s| s.shift(p.offset)));
            Paragraph {
                range: p.scan.range().shift(p.offset),
                kind: p.scan.kind,
                sentences: first..sentences.len(),
            }
        })
        .collect()
}

/// `lists` brought up to date with `placed` (from `blocks`) after `change`; false (and
/// `lists` as they were) if the blocks do not fit the edit.
fn carry_lists(
    lists: &mut Lists,
    placed: &[Placed<'_>],
    blocks: &[CachedBlock],
    change: entities::coref::Change,
) -> bool {
    let delta = change.new_len as isize - change.old_len as isize;
    let (ob, nb) = (&lists.blocks, blocks);
    let (kb, ke) = unchanged_ends(ob, nb, delta);
    let count = |bs: &[CachedBlock]| bs.iter().map(|b| b.scans.len()).sum::<usize>();
    // Paragraphs: `before` in the unchanged blocks at the start, `after` at the end.
    let (before, after) = (count(&nb[..kb]), count(&nb[nb.len() - ke..]));
    let (n_old, n_new) = (lists.paragraphs.len(), placed.len());
    if before + after > n_old.min(n_new)
        || count(&ob[kb..ob.len() - ke]) != n_old - before - after
        || count(&nb[kb..nb.len() - ke]) != n_new - before - after
    {
        return false;
    }
    let first_sentence =
        |ps: &[Paragraph], i: usize, all: usize| ps.get(i).map_or(all, |p| p.sentences.start);
    let old = &lists.paragraphs;
    let (s_from, s_to) = (
        first_sentence(old, before, lists.sentences.len()),
        first_sentence(old, n_old - after, lists.sentences.len()),
    );
    let mut mid_sentences = Vec::new();
    let mut mid = list_paragraphs(&placed[before..n_new - after], &mut mid_sentences);
    for p in &mut mid {
        p.sentences = p.sentences.start + s_from..p.sentences.end + s_from;
    }
    let moved = (s_from + mid_sentences.len()) as isize - s_to as isize;
    let shift = |r: TextRange| {
        TextRange::new(
            r.start.wrapping_add_signed(delta),
            r.end.wrapping_add_signed(delta),
        )
    };
    let paragraphs = &mut *lists.paragraphs;
    paragraphs.splice(before..n_old - after, mid);
    if delta != 0 || moved != 0 {
        for p in &mut paragraphs[n_new - after..] {
            p.range = shift(p.range);
            p.sentences = p.sentences.start.wrapping_add_signed(moved)
                ..p.sentences.end.wrapping_add_signed(moved);
        }
    }
    let sentences = &mut *lists.sentences;
    sentences.splice(s_from..s_to, mid_sentences);
    if delta != 0 {
        let tail = paragraphs
            .get(n_new - after)
            .map_or(sentences.len(), |p| p.sentences.start);
        for s in &mut sentences[tail..] {
            *s = shift(*s);
        }
    }
    true
}

fn document_passes(
    text: &str,
    format: Format,
    config: &Config,
    front_matter: Option<markup::FrontMatter>,
    blocks: &[CachedBlock],
    caches: Caches<'_>,
    times: &mut StageTimes,
) -> Analysis {
    let mut clock = Instant::now();
    let mut lap = |stage: &mut Duration| {
        let now = Instant::now();
        *stage = now - clock;
        clock = now;
    };
    let placed: Vec<Placed<'_>> = blocks
        .iter()
        .flat_map(|b| {
            b.scans
                .iter()
                .map(move |p| Placed::new(b.range.start + p.start_in_block, p))
        })
        .collect();
    let (paragraphs, sentences) = paragraph_lists(
        &placed,
        blocks,
        caches.lists,
        caches.change,
        caches.remember,
    );
    lap(&mut times.lists);
    let headline = match format {
        Format::PlainText => plain_headline(text, &paragraphs),
        Format::Markdown => None,
    };
    let mut analysis = Analysis {
        len: text.len(),
        format,
        front_matter,
        paragraphs,
        sentences,
        headline,
        ..Analysis::default()
    };
    analysis.entities = entities::coref::resolve_cached(
        text,
        blocks,
        &placed,
        config,
        caches.entities,
        caches.change,
        caches.remember,
    );
    lap(&mut times.entities);
    let (quotes, sources) = quotes::resolve_cached(
        &placed,
        blocks,
        &analysis.entities,
        caches.quotes,
        caches.change,
        caches.remember,
    );
    analysis.quotes = quotes;
    analysis.sources = sources;
    analysis.quote_marks = quotes::unbalanced(&placed);
    lap(&mut times.quotes);
    analysis.anchor = temporal::anchor(text, config, analysis.front_matter.as_ref(), &placed);
    let (timexes, events) = temporal::resolve_cached(
        &placed,
        blocks,
        analysis.anchor.as_ref(),
        caches.temporal,
        caches.change,
        caches.remember,
    );
    analysis.timexes = timexes;
    analysis.events = events;
    lap(&mut times.temporal);
    // The quotes are attached to the entities the cache keeps, which the analysis then
    // shares: in place once the previous analysis is dropped, and kept for the next keystroke.
    let found = std::mem::take(&mut analysis.entities);
    analysis.entities = match caches.entities.kept_entities() {
        Some(kept) if kept.ptr_eq(&found) => {
            drop(found);
            entities::attach_quotes(kept, &analysis.quotes);
            kept.clone()
        }
        _ => {
            let mut found = found;
            entities::attach_quotes(&mut found, &analysis.quotes);
            found
        }
    };
    analysis.findings = checks::run_cached(&analysis, config, caches.checks);
    lap(&mut times.checks);
    analysis
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks an [`Analyzer`] keeps after a sequence of edits are exactly those of a fresh
    /// layout and scan: same ranges, same scans (checked on the block level, independently of
    /// the document passes).
    #[test]
    fn incremental_blocks_equal_a_fresh_layout_after_random_edits() {
        use crate::generate::{ADVERSARIAL, Options, Rng, manuscript};
        let config = Config::default();
        let fresh_blocks = |text: &str, format: Format| -> Vec<(TextRange, String)> {
            markup::layout(text, format)
                .blocks
                .iter()
                .map(|b| {
                    (
                        b.range,
                        format!(
                            "{:?}",
                            paragraph::scan_block(b.range.of(text), format, &config)
                        ),
                    )
                })
                .collect()
        };
        let mut rng = Rng::new(99);
        for round in 0..40u64 {
            let markdown = round % 2 == 0;
            let mut text = manuscript(&Options {
                seed: round,
                size: 1500,
                markdown,
                ascii: round % 3 == 0,
            });
            let format = if markdown {
                Format::Markdown
            } else {
                Format::PlainText
            };
            let mut analyzer = Analyzer::default();
            analyzer.refresh(&text, format, &config);
            for step in 0..12 {
                let mut at = rng.below(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + rng.below(4) * rng.below(40)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let insert: String = (0..rng.below(3)).map(|_| rng.pick(ADVERSARIAL)).collect();
                text.replace_range(at..end, &insert);
                let prev = analyzer.refresh(&text, format, &config);
                let got: Vec<(TextRange, String)> = prev
                    .blocks
                    .iter()
                    .map(|b| (b.range, format!("{:?}", b.scans)))
                    .collect();
                assert_eq!(
                    got,
                    fresh_blocks(&text, format),
                    "round {round} step {step}: {text:?}"
                );
                assert_eq!(prev.text, text);
                let fm = markup::layout(&text, format).front_matter;
                assert_eq!(
                    format!("{:?}", prev.front_matter),
                    format!("{fm:?}"),
                    "round {round} step {step}"
                );
            }
        }
    }

    /// A large document's blocks, scanned on several threads, come back in order and equal to
    /// scanning them one by one.
    #[test]
    fn parallel_block_scans_equal_serial_ones() {
        let config = Config::default();
        let text = crate::generate::markdown(3, PARALLEL_FROM_BYTES * 2);
        let ranges: Vec<TextRange> = markup::layout(&text, Format::Markdown)
            .blocks
            .iter()
            .map(|b| b.range)
            .collect();
        let parallel = scan_blocks(&text, &ranges, Format::Markdown, &config);
        assert_eq!(parallel.len(), ranges.len());
        for (scans, r) in parallel.iter().zip(&ranges) {
            let serial = paragraph::scan_block(r.of(&text), Format::Markdown, &config);
            assert_eq!(format!("{scans:?}"), format!("{serial:?}"));
        }
    }

    /// Every stage of an analysis is timed, and the stages of one analysis take no longer
    /// than the whole of it.
    #[test]
    fn stage_times_cover_every_stage() {
        let config = Config::default();
        let text = crate::generate::markdown(5, 20_000);
        let mut analyzer = Analyzer::one_shot();
        let start = std::time::Instant::now();
        analyzer.analyze(&text, Format::Markdown, &config);
        let total = start.elapsed();
        let stages = analyzer.last_times.named();
        for (name, took) in stages {
            assert!(took > Duration::ZERO, "{name} not timed: {stages:?}");
        }
        assert!(stages.iter().map(|s| s.1).sum::<Duration>() <= total);
    }

    #[test]
    fn common_prefix_and_suffix() {
        let a = "x".repeat(200) + "abc" + &"y".repeat(150);
        let b = "x".repeat(200) + "aXc" + &"y".repeat(150);
        assert_eq!(common_prefix(a.as_bytes(), b.as_bytes()), 201);
        assert_eq!(common_suffix(a.as_bytes(), b.as_bytes(), 1000), 151);
        assert_eq!(common_suffix(a.as_bytes(), b.as_bytes(), 10), 10);
        assert_eq!(common_prefix(b"", b"abc"), 0);
        assert_eq!(common_suffix(b"abc", b"bc", 5), 2);
        // Differences around and across the chunk sizes, from both ends.
        for len in [0, 1, 63, 64, 65, 1023, 1024, 1025, 3000] {
            let a = vec![b'x'; len];
            for at in [0, 1, 63, 64, 700, 1023, 1024, 2500] {
                if at >= len {
                    continue;
                }
                let mut b = a.clone();
                b[at] = b'y';
                assert_eq!(common_prefix(&a, &b), at, "{len} {at}");
                assert_eq!(common_suffix(&a, &b, len), len - at - 1, "{len} {at}");
                assert_eq!(common_suffix(&a, &b, at / 2), (len - at - 1).min(at / 2));
            }
            assert_eq!(common_prefix(&a, &a), len);
            assert_eq!(common_suffix(&a, &a[..len / 2], len), len / 2);
        }
    }

    /// After typing-like edits (letters, words, spaces, quotation marks, names, line breaks,
    /// deletions, capitalised words typed a letter at a time, names deleted) anywhere in a
    /// story, an [`Analyzer`] that carries results over from one version to the next gives
    /// exactly the analysis of a fresh one; and it does carry them over, and regroups with the
    /// word statistics it kept (the test would prove nothing otherwise).
    #[test]
    fn carried_over_analysis_equals_a_fresh_one_after_typing() {
        use crate::generate::{Options, Rng, Typing, Typist, manuscript};
        let config = Config::default();
        let typed: &[&str] = &[
            "x",
            "e",
            " ",
            "the ",
            "said ",
            "Smith",
            " Anna",
            "Berg ",
            "Mr. ",
            "“",
            "”",
            ".",
            ", ",
            "\n",
            "\n\n",
            "officials",
            "the mayor ",
            "On Monday ",
            "é",
            "Water",
            "water",
            "T",
            "Tu",
            "Tuesday",
            "Tuesday ",
            "the council ",
            "Council ",
            "The Teachers Union ",
            "Reuters",
        ];
        let mut rng = Rng::new(7);
        let (mut carried, mut kept_stats, mut steps) = (0, 0, 0);
        for round in 0..16u64 {
            let markdown = round % 2 == 0;
            let opts = Options {
                seed: 100 + round,
                size: 2500,
                markdown,
                ascii: round % 3 == 0,
            };
            let (format, mut text) = (opts.format(), manuscript(&opts));
            let mut analyzer = Analyzer::default();
            let _ = analyzer.analyze(&text, format, &config);
            // A typing point that moves on as the text grows, now and then somewhere else.
            let mut typist = Typist::new(
                &mut rng,
                &text,
                Typing {
                    jump_one_in: 6,
                    choices: 9,
                    deletes: 1,
                    max_delete: 6,
                    delete_names: true,
                    typed,
                },
            );
            for step in 0..25 {
                typist.step(&mut rng, &mut text);
                let before = (analyzer.entities.carried, analyzer.entities.kept_stats);
                let cached = analyzer.analyze(&text, format, &config);
                carried += analyzer.entities.carried - before.0;
                kept_stats += analyzer.entities.kept_stats - before.1;
                steps += 1;
                let fresh = analyze_as(&text, format, &config);
                assert_eq!(
                    format!("{cached:?}"),
                    format!("{fresh:?}"),
                    "round {round} step {step}: {text:?}"
                );
            }
        }
        assert!(
            carried * 4 >= steps,
            "entities carried over in {carried} of {steps} edits"
        );
        assert!(
            kept_stats * 4 >= steps,
            "word statistics kept in {kept_stats} of {steps} edits"
        );
    }

    /// A one-shot analyzer keeps no copy of the text, so it must not compare a next version
    /// with the one it analysed: called again, it analyses from scratch.
    #[test]
    fn a_one_shot_analyzer_called_again_analyses_from_scratch() {
        let config = Config::default();
        let v1 = "Magic Johnson spoke on Monday.\n\nThe crowd cheered.\n";
        let v2 = "Magic Johnson spoke on Tuesday.\n\nThe crowd cheered loudly.\n";
        let mut a = Analyzer::one_shot();
        a.analyze(v1, Format::PlainText, &config);
        let again = a.analyze(v2, Format::PlainText, &config);
        assert_eq!(a.last_stats.0, 0, "no block reused");
        let fresh = analyze_as(v2, Format::PlainText, &config);
        assert_eq!(format!("{again:?}"), format!("{fresh:?}"));
    }

    /// An edit away from every name can still change the entities, through the words of the
    /// story: "magic" in lower case makes the sentence-initial "Magic" a common word. The
    /// carried-over result must not survive such an edit.
    #[test]
    fn a_word_asked_about_elsewhere_stops_the_carry_over() {
        let config = Config::default();
        let v1 =
            "Magic Johnson spoke on Monday. Fans of Magic Johnson cheered.\n\nThe crowd cheered.\n";
        let v2 =
            "Magic Johnson spoke on Monday. Fans of Magic Johnson cheered.\n\nThe magic cheered.\n";
        let v3 =
            "Magic Johnson spoke on Monday. Fans of Magic Johnson cheered.\n\nThe magic cheered!\n";
        let mut a = Analyzer::default();
        let first = a.analyze(v1, Format::PlainText, &config);
        let cached = a.analyze(v2, Format::PlainText, &config);
        let fresh = analyze_as(v2, Format::PlainText, &config);
        assert_ne!(
            format!("{:?}", first.entities),
            format!("{:?}", fresh.entities)
        );
        assert_eq!(format!("{cached:?}"), format!("{fresh:?}"));
        assert_eq!(a.entities.carried, 0);
        // An edit that changes no word the names ask about is carried over.
        let cached = a.analyze(v3, Format::PlainText, &config);
        assert_eq!(a.entities.carried, 1);
        let fresh = analyze_as(v3, Format::PlainText, &config);
        assert_eq!(format!("{cached:?}"), format!("{fresh:?}"));
    }

    /// A word asked about changes nothing while the story has it elsewhere too: typing a
    /// second "magic" in lower case, or deleting one of two, is carried over; deleting the
    /// last one is not (the sentence-initial "Magic" becomes a name again).
    #[test]
    fn a_word_asked_about_is_counted_across_the_story() {
        let config = Config::default();
        let story = |second: &str, third: &str| {
            format!(
                "Magic Johnson spoke on Monday. Fans of Magic Johnson cheered.\n\n\
                 The {second}cheered.\n\nThe {third}crowd cheered.\n"
            )
        };
        let mut a = Analyzer::default();
        let _ = a.analyze(&story("magic ", ""), Format::PlainText, &config);
        let mut entities = Vec::new();
        for (step, (second, third, carried)) in [
            ("magic ", "magic ", true),
            ("", "magic ", true),
            ("", "", false),
            ("", "magic ", false),
        ]
        .into_iter()
        .enumerate()
        {
            let text = story(second, third);
            let before = a.entities.carried;
            let cached = a.analyze(&text, Format::PlainText, &config);
            assert_eq!(
                a.entities.carried - before,
                usize::from(carried),
                "step {step}"
            );
            let fresh = analyze_as(&text, Format::PlainText, &config);
            assert_eq!(format!("{cached:?}"), format!("{fresh:?}"), "step {step}");
            entities.push(format!("{:?}", fresh.entities));
        }
        // The grouping did change where the carry-over was refused.
        assert_eq!(entities[0], entities[1]);
        assert_ne!(entities[1], entities[2]);
        assert_eq!(entities[1], entities[3]);
    }

    /// The lists an analysis shares with its [`Analyzer`] ([`SharedVec`]) are copied while an
    /// earlier analysis still holds them, which then never changes, and updated in place once
    /// it is dropped (no new list); either way each analysis equals a fresh one.
    #[test]
    fn shared_lists_are_copied_while_held_and_updated_in_place_once_dropped() {
        use crate::generate::{Options, manuscript, typing_point};
        let config = Config::default();
        let opts = Options {
            seed: 11,
            size: 12_000,
            markdown: true,
            ascii: true,
        };
        let (format, mut text) = (opts.format(), manuscript(&opts));
        let mut at = typing_point(&text);
        let typed = "the council said on Tuesday that “it” would ";
        let mut analyzer = Analyzer::default();
        let mut held: Vec<(String, Analysis)> =
            vec![(text.clone(), analyzer.analyze(&text, format, &config))];
        let list_ptrs = |a: &Analysis| {
            [
                a.quotes.as_ptr() as usize,
                a.sources.as_ptr() as usize,
                a.timexes.as_ptr() as usize,
                a.events.as_ptr() as usize,
                a.entities.as_ptr() as usize,
            ]
        };
        let (mut same_lists, mut steps) = (0, 0);
        for (step, c) in typed.chars().chain(typed.chars()).enumerate() {
            text.insert(at, c);
            at += c.len_utf8();
            // The first time through, every analysis is kept; the second, each is dropped
            // before the next.
            let keep = step < typed.chars().count();
            let before = if keep {
                None
            } else {
                let (_, last) = held.pop().expect("the last analysis is held");
                Some(list_ptrs(&last))
            };
            let cached = analyzer.analyze(&text, format, &config);
            let fresh = analyze_as(&text, format, &config);
            assert_eq!(format!("{cached:?}"), format!("{fresh:?}"), "step {step}");
            if let Some(before) = before {
                let now = list_ptrs(&cached);
                same_lists += before.iter().zip(&now).filter(|(a, b)| a == b).count();
                steps += 1;
            }
            held.push((text.clone(), cached));
        }
        // The held analyses are as they were made.
        for (i, (t, a)) in held.iter().enumerate() {
            let fresh = analyze_as(t, format, &config);
            assert_eq!(format!("{a:?}"), format!("{fresh:?}"), "held analysis {i}");
        }
        assert!(
            same_lists * 4 >= steps * 5 * 3,
            "{same_lists} of {} lists updated in place",
            steps * 5
        );
    }

    /// A quotation that runs on into the next paragraph takes the speaker named there: an edit
    /// of that paragraph moves or changes the speaker of the quotation before it too, though
    /// the quotations before the edited paragraph are otherwise kept as they were.
    #[test]
    fn an_edit_reaches_the_run_on_quotation_before_it() {
        let config = Config::default();
        let story = |words: &str, verb: &str| {
            format!(
                "The council met on Monday.\n\n“We will build it, and we will pay for it.\n\n\
                 “{words},” {verb} Anna Berg, the mayor.\n\n“It is done,” Berg said.\n"
            )
        };
        let mut a = Analyzer::default();
        let first = a.analyze(
            &story("Nobody else will", "said"),
            Format::PlainText,
            &config,
        );
        let run_on = |an: &Analysis| {
            an.quotes[0]
                .speaker
                .as_ref()
                .map(|s| (s.name.to_string(), s.mention))
        };
        assert_eq!(run_on(&first).map(|s| s.0).as_deref(), Some("Anna Berg"));
        let mut mentions = vec![run_on(&first).map(|s| s.1)];
        drop(first);
        for (words, verb) in [
            ("Nobody else would", "said"),
            ("Nobody would", "said"),
            ("Nobody would", "added"),
        ] {
            let text = story(words, verb);
            let before = a.quotes.carried;
            let cached = a.analyze(&text, Format::PlainText, &config);
            assert_eq!(a.quotes.carried, before + 1, "{words} {verb}");
            let fresh = analyze_as(&text, Format::PlainText, &config);
            assert_eq!(
                format!("{cached:?}"),
                format!("{fresh:?}"),
                "{words} {verb}"
            );
            mentions.push(run_on(&cached).map(|s| s.1));
        }
        // The run-on quotation's speaker moved with the edits.
        assert_eq!(mentions.len(), 4);
        assert!(mentions.windows(2).all(|w| w[0] != w[1]), "{mentions:?}");
    }

    #[test]
    fn cached_and_fresh_analysis_agree_after_an_edit() {
        let config = Config::default();
        let mut a = Analyzer::default();
        let v1 = "“We won,” she said.\n\nThe vote was close.\n\n“It was,” Mr. Smith said.\n";
        let _ = a.analyze(v1, Format::PlainText, &config);
        let v2 = "“We won,” she said.\n\nThe vote was very close.\n\n“It was,” Mr. Smith said.\n";
        let cached = a.analyze(v2, Format::PlainText, &config);
        assert_eq!(a.last_stats, (2, 1));
        let fresh = analyze_as(v2, Format::PlainText, &config);
        assert_eq!(format!("{cached:?}"), format!("{fresh:?}"));
    }
}
