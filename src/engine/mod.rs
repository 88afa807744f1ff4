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
pub mod temporal;
pub mod text;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::Serialize;

pub use checks::{Finding, Severity};
pub use config::{Config, EntityKind};
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
    pub sentences: Vec<TextRange>,
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
    pub paragraphs: Vec<Paragraph>,
    pub quotes: Vec<quotes::Quote>,
    /// Phrases that put an unnamed or vague source behind a claim.
    pub sources: Vec<quotes::SourcePhrase>,
    /// Quotation marks left unbalanced (beyond the run-on-paragraph convention).
    pub quote_marks: Vec<quotes::MarkIssue>,
    pub timexes: Vec<temporal::Timex>,
    /// Past-tense events with whether a reader can date them.
    pub events: Vec<temporal::Event>,
    pub entities: Vec<entities::Entity>,
    pub findings: Vec<Finding>,
}

/// Analyses `text` from scratch. Same result as a fresh [`Analyzer`].
pub fn analyze(text: &str, config: &Config) -> Analysis {
    Analyzer::default().analyze(text, Format::detect(text), config)
}

/// Analyses `text` read as `format`.
pub fn analyze_as(text: &str, format: Format, config: &Config) -> Analysis {
    Analyzer::default().analyze(text, format, config)
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

/// Analyses successive versions of one document, re-scanning only paragraphs whose text changed.
///
/// The cache maps (block text, format, config fingerprint) to the scans of the paragraphs in
/// that block, with block-relative offsets. Entries not used by the latest analysis are dropped,
/// so memory follows the document.
#[derive(Default)]
pub struct Analyzer {
    cache: HashMap<u64, Arc<Vec<ParagraphScan>>>,
    /// Statistics of the last run: (blocks reused, blocks scanned).
    pub last_stats: (usize, usize),
}

fn block_key(block: &str, format: Format, fingerprint: u64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    block.hash(&mut h);
    format.hash(&mut h);
    fingerprint.hash(&mut h);
    h.finish()
}

impl Analyzer {
    pub fn analyze(&mut self, text: &str, format: Format, config: &Config) -> Analysis {
        let layout = markup::layout(text, format);
        let fingerprint = config.fingerprint();
        let mut next_cache = HashMap::with_capacity(layout.blocks.len());
        let mut scans: Vec<(usize, Arc<Vec<ParagraphScan>>)> = Vec::with_capacity(layout.blocks.len());
        let (mut reused, mut scanned) = (0, 0);
        for block in &layout.blocks {
            let src = block.range.of(text);
            let key = block_key(src, format, fingerprint);
            let scan = match self.cache.get(&key).or_else(|| next_cache.get(&key)) {
                Some(hit) => {
                    reused += 1;
                    Arc::clone(hit)
                }
                None => {
                    scanned += 1;
                    Arc::new(paragraph::scan_block(src, format, config))
                }
            };
            next_cache.insert(key, Arc::clone(&scan));
            scans.push((block.range.start, scan));
        }
        self.cache = next_cache;
        self.last_stats = (reused, scanned);
        document_passes(text, format, config, layout.front_matter, &scans)
    }
}

/// One paragraph scan placed in the document: the scan, and the document offset of the paragraph
/// start, which its relative offsets are to be shifted by.
pub struct Placed<'a> {
    pub offset: usize,
    pub scan: &'a ParagraphScan,
}

fn document_passes(
    text: &str,
    format: Format,
    config: &Config,
    front_matter: Option<markup::FrontMatter>,
    scans: &[(usize, Arc<Vec<ParagraphScan>>)],
) -> Analysis {
    let placed: Vec<Placed<'_>> = scans
        .iter()
        .flat_map(|(block_start, paras)| {
            paras.iter().map(move |p| Placed { offset: *block_start + p.start_in_block, scan: p })
        })
        .collect();
    let paragraphs = placed
        .iter()
        .map(|p| Paragraph {
            range: p.scan.range().shift(p.offset),
            kind: p.scan.kind,
            sentences: p.scan.sentences.iter().map(|s| s.shift(p.offset)).collect(),
        })
        .collect();
    let mut analysis = Analysis { len: text.len(), format, front_matter, paragraphs, ..Analysis::default() };
    analysis.entities = entities::resolve(text, &placed, config);
    let (quotes, sources) = quotes::resolve(text, &placed, &analysis.entities, &analysis.paragraphs);
    analysis.quotes = quotes;
    analysis.sources = sources;
    analysis.quote_marks = quotes::unbalanced(&placed);
    analysis.anchor = temporal::anchor(text, config, analysis.front_matter.as_ref(), &placed);
    let (timexes, events) = temporal::resolve(text, &placed, analysis.anchor.as_ref(), &analysis.quotes);
    analysis.timexes = timexes;
    analysis.events = events;
    entities::attach_quotes(&mut analysis.entities, &analysis.quotes);
    analysis.findings = checks::run(&analysis, config);
    analysis
}

#[cfg(test)]
mod tests {
    use super::*;

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
