//! Quotations and their speakers, and the phrases that put vague or anonymous sources behind
//! a claim.
//!
//! Paragraph stage ([`scan`]): quotation marks paired into spans; speech cues near them.
//! Document stage ([`resolve`]): quotes left open at a paragraph end and reopened in the next
//! are joined; speakers are linked to entities; bare quotes continue the previous speaker.

use serde::Serialize;

use super::entities::Entity;
use super::paragraph::ParaCtx;
use super::text::TextRange;
use super::{Paragraph, Placed};

/// What a quoted span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteKind {
    /// A direct quotation of whole words said or written.
    Direct,
    /// A few quoted words inside the reporter's own sentence (`hailed the “close” ties`).
    Partial,
    /// Quotation marks around a title, nickname, scare quote or so-called word: not a quotation.
    NotAQuote,
}

/// Who said a quotation, and how copydesk knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// Canonical name: the entity's name when the speaker was linked to one, else the words.
    pub name: String,
    /// The words that name the speaker for this quote ("Putin", "the Chinese head of state", "he").
    pub mention: TextRange,
    /// Index into [`super::Analysis::entities`].
    pub entity: Option<usize>,
    /// The rule that attributed the quote, in words ("‘said X’ after the quote").
    pub rule: &'static str,
    /// The reporting verb or cue ("said", "according to", a colon), if any.
    pub cue: Option<TextRange>,
}

/// A quotation in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quotation including its marks; a quote that runs on into the next paragraph ends
    /// at its paragraph end.
    pub range: TextRange,
    pub kind: QuoteKind,
    pub speaker: Option<Speaker>,
    /// Index into [`super::Analysis::paragraphs`].
    pub paragraph: usize,
}

/// Kinds of unnamed source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// An unnamed group behind a claim ("critics say", "many believe").
    Vague,
    /// A single unnamed source ("a source said", "officials who spoke on condition of anonymity").
    Anonymous,
}

/// A phrase that puts an unnamed source behind a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourcePhrase {
    pub range: TextRange,
    pub kind: SourceKind,
}

/// Paragraph-stage result (offsets relative to the paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaQuotes {
    /// Paired quotation spans, marks included.
    pub spans: Vec<TextRange>,
    /// Opening marks never closed in this paragraph.
    pub open: Vec<TextRange>,
    /// Closing marks with no opening mark.
    pub stray_close: Vec<TextRange>,
}

/// Paragraph stage.
pub fn scan(_ctx: &ParaCtx<'_>) -> ParaQuotes {
    ParaQuotes::default()
}

/// Document stage: quotes, vague/anonymous source phrases, and quotation marks left unbalanced.
pub fn resolve(
    _text: &str,
    _paras: &[Placed<'_>],
    _entities: &[Entity],
    _paragraphs: &[Paragraph],
) -> (Vec<Quote>, Vec<SourcePhrase>) {
    (Vec::new(), Vec::new())
}

/// The sources ledger: every source of the document with its quotes, named people,
/// institutions, and anonymous and vague sources counted apart. Serialised as JSON by
/// `copydesk sources --format json` and the `copydesk.sources` LSP command.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    pub sources: Vec<LedgerSource>,
    /// Quotations nobody is named for.
    pub unattributed: Vec<LedgerQuote>,
    pub anonymous: usize,
    pub vague: usize,
}

/// One source in the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerSource {
    pub name: String,
    /// `person`, `organization`, `place`, `anonymous`, `vague` or `unknown`.
    pub kind: String,
    pub role: Option<String>,
    pub quotes: Vec<LedgerQuote>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerQuote {
    pub range: TextRange,
    pub text: String,
}

/// Builds the sources ledger of an analysis.
pub fn ledger(_analysis: &super::Analysis, _text: &str) -> Ledger {
    Ledger::default()
}

/// Hover text (Markdown) for the quotation with index `quote` in `analysis.quotes`.
pub fn hover(_analysis: &super::Analysis, _text: &str, _quote: usize) -> String {
    String::new()
}
