//! textDocument/documentSymbol: the hierarchical outline, or a flat list for clients without
//! hierarchy support.

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::lsp::capabilities::ClientFeatures;
use crate::lsp::documents::Snapshot;
use crate::lsp::to_proto;

/// `textDocument/documentSymbol`.
pub fn document_symbols(
    features: &ClientFeatures,
    uri: &Uri,
    snap: &Snapshot,
) -> lsp::DocumentSymbolResponse {
    let symbols = &snap.outline();
    if features.hierarchical_symbols {
        lsp::DocumentSymbolResponse::Nested(
            symbols
                .iter()
                .map(|s| to_proto::document_symbol(snap, s))
                .collect(),
        )
    } else {
        lsp::DocumentSymbolResponse::Flat(to_proto::flat_symbols(uri, snap, symbols))
    }
}

/// `textDocument/documentSymbol` as JSON: the same result as [`document_symbols`], written
/// straight from the outline (no `lsp::DocumentSymbol` tree or `lsp::SymbolInformation` list
/// in between: on a large manuscript the outline has tens of thousands of nodes).
pub fn document_symbols_json(features: &ClientFeatures, uri: &Uri, snap: &Snapshot) -> Vec<u8> {
    let written = if features.hierarchical_symbols {
        serde_json::to_vec(&to_proto::DocumentSymbolsJson(snap, &snap.outline()))
    } else {
        serde_json::to_vec(&to_proto::FlatSymbolsJson(uri, snap, &snap.outline()))
    };
    written.unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not serialise the outline");
        b"null".to_vec()
    })
}
