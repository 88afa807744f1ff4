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
    let symbols = snap.outline();
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
