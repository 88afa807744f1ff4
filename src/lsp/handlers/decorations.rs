//! textDocument/inlayHint and textDocument/semanticTokens/full.

use tower_lsp_server::ls_types::{self as lsp, Range};

use crate::engine::navigation as nav;
use crate::lsp::documents::Snapshot;
use crate::lsp::{from_proto, to_proto};

/// `textDocument/inlayHint`: none when the `inlay-hints` setting is off.
pub fn inlay_hints(snap: &Snapshot, range: Range, enabled: bool) -> Vec<lsp::InlayHint> {
    if !enabled {
        return Vec::new();
    }
    let range = from_proto::text_range(snap, range);
    nav::inlay_hints(&snap.analysis, range)
        .iter()
        .map(|h| to_proto::inlay_hint(snap, h))
        .collect()
}

/// `textDocument/semanticTokens/full`.
pub fn semantic_tokens(snap: &Snapshot) -> lsp::SemanticTokens {
    to_proto::semantic_tokens(snap, &nav::semantic_tokens(&snap.analysis))
}
