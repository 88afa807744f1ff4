//! LSP types → engine inputs: byte offsets and ranges in a snapshot's text, file paths, formats.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{Position, Range, Uri};

use super::documents::Snapshot;
use crate::engine::{Format, TextRange};

/// The byte offset of a client position in the snapshot's text (clamped, snapped).
pub fn offset(snap: &Snapshot, pos: Position) -> usize {
    snap.offset(pos)
}

/// The byte range of a client range in the snapshot's text (clamped, put in order).
pub fn text_range(snap: &Snapshot, range: Range) -> TextRange {
    snap.text_range(range)
}

/// The local path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// How a workspace file is read, by extension: Markdown for `.md`/`.markdown`, plain text else.
pub fn format_for_path(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => Format::from_language_id(if ext.eq_ignore_ascii_case("markdown") {
            "markdown"
        } else {
            ext
        }),
        None => Format::PlainText,
    }
}
