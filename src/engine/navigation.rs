//! Navigation as byte ranges: hover, definition, references, rename, symbols, inlay hints and
//! semantic tokens. The LSP layer converts these to protocol types; nothing here knows LSP.
//!
//! Every function answers from a finished [`Analysis`] without re-analysing.

use serde::Serialize;

use super::Analysis;
use super::checks::Edit;
use super::text::TextRange;

/// Hover text (Markdown) for the thing at an offset, and the range it describes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// Symbol kinds of the outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SymbolKind {
    /// A heading for a group ("People", "Quotations").
    Group,
    Person,
    Organization,
    Place,
    Mention,
    Quote,
}

/// A node of the document outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent of the symbol.
    pub range: TextRange,
    /// The part to select when the symbol is picked (inside `range`).
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// An inlay hint: a label to show right after `offset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// Token types for semantic highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    Person,
    Organization,
    Place,
    Quotation,
    Date,
}

impl TokenKind {
    pub const ALL: [TokenKind; 5] =
        [TokenKind::Person, TokenKind::Organization, TokenKind::Place, TokenKind::Quotation, TokenKind::Date];
}

/// Why a rename cannot go ahead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("there is no name to rename here")]
    NothingHere,
    #[error("the new name is empty")]
    EmptyName,
}

/// Hover for whatever is at `offset`: an entity mention, a quotation, a date, the publication date.
pub fn hover(_analysis: &Analysis, _text: &str, _offset: usize) -> Option<Hover> {
    None
}

/// The mention that introduced the entity at `offset`.
pub fn definition(_analysis: &Analysis, _offset: usize) -> Option<TextRange> {
    None
}

/// Every mention of the entity at `offset`, in document order.
pub fn references(_analysis: &Analysis, _offset: usize, _include_declaration: bool) -> Vec<TextRange> {
    Vec::new()
}

/// The range a rename at `offset` would change, if a rename is possible there.
pub fn prepare_rename(_analysis: &Analysis, _text: &str, _offset: usize) -> Option<TextRange> {
    None
}

/// The edits that rename the entity at `offset` to `new_name`, consistently across its forms.
pub fn rename(_analysis: &Analysis, _text: &str, _offset: usize, new_name: &str) -> Result<Vec<Edit>, RenameError> {
    if new_name.trim().is_empty() {
        return Err(RenameError::EmptyName);
    }
    Err(RenameError::NothingHere)
}

/// The outline: people, organisations, places with their mentions; quotations by speaker.
pub fn symbols(_analysis: &Analysis, _text: &str) -> Vec<Symbol> {
    Vec::new()
}

/// Inlay hints inside `range`.
pub fn inlay_hints(analysis: &Analysis, range: TextRange) -> Vec<InlayHint> {
    super::temporal::inlay_hints(analysis, range)
}

/// Semantic tokens in document order, non-overlapping.
pub fn semantic_tokens(_analysis: &Analysis) -> Vec<(TextRange, TokenKind)> {
    Vec::new()
}
