//! hover, definition, references, documentHighlight, prepareRename and rename.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::{self as lsp, Position, Uri};

use crate::engine::navigation::{self as nav, RenameError};
use crate::lsp::capabilities::ClientFeatures;
use crate::lsp::documents::Snapshot;
use crate::lsp::{from_proto, to_proto};

/// `textDocument/hover`.
pub fn hover(snap: &Snapshot, pos: Position) -> Option<lsp::Hover> {
    let offset = from_proto::offset(snap, pos);
    nav::hover(&snap.analysis, &snap.text, offset).map(|h| to_proto::hover(snap, &h))
}

/// `textDocument/definition`.
pub fn definition(
    uri: &Uri,
    snap: &Snapshot,
    pos: Position,
) -> Option<lsp::GotoDefinitionResponse> {
    let offset = from_proto::offset(snap, pos);
    let target = nav::definition(&snap.analysis, offset)?;
    Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
        uri: uri.clone(),
        range: snap.range(target),
    }))
}

/// `textDocument/references`.
pub fn references(
    uri: &Uri,
    snap: &Snapshot,
    pos: Position,
    include_declaration: bool,
) -> Vec<lsp::Location> {
    let offset = from_proto::offset(snap, pos);
    nav::references(&snap.analysis, offset, include_declaration)
        .into_iter()
        .map(|r| lsp::Location {
            uri: uri.clone(),
            range: snap.range(r),
        })
        .collect()
}

/// `textDocument/documentHighlight`: every mention of the entity under the cursor, the
/// introducing mention marked as a write.
pub fn highlight(snap: &Snapshot, pos: Position) -> Vec<lsp::DocumentHighlight> {
    let offset = from_proto::offset(snap, pos);
    let declaration = nav::definition(&snap.analysis, offset);
    nav::references(&snap.analysis, offset, true)
        .into_iter()
        .map(|r| lsp::DocumentHighlight {
            range: snap.range(r),
            kind: Some(if Some(r) == declaration {
                lsp::DocumentHighlightKind::WRITE
            } else {
                lsp::DocumentHighlightKind::READ
            }),
        })
        .collect()
}

/// `textDocument/prepareRename`.
pub fn prepare_rename(snap: &Snapshot, pos: Position) -> Option<lsp::PrepareRenameResponse> {
    let offset = from_proto::offset(snap, pos);
    let range = nav::prepare_rename(&snap.analysis, &snap.text, offset)?;
    Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: snap.range(range),
        placeholder: range.of(&snap.text).to_string(),
    })
}

/// `textDocument/rename`: an error the editor shows when there is nothing to rename.
pub fn rename(
    features: &ClientFeatures,
    uri: &Uri,
    snap: &Snapshot,
    pos: Position,
    new_name: &str,
) -> jsonrpc::Result<Option<lsp::WorkspaceEdit>> {
    let offset = from_proto::offset(snap, pos);
    match nav::rename(&snap.analysis, &snap.text, offset, new_name) {
        Ok(edits) => Ok(Some(to_proto::workspace_edit(features, uri, snap, &edits))),
        Err(e @ RenameError::EmptyName) => Err(jsonrpc::Error::invalid_params(e.to_string())),
        Err(e @ RenameError::NothingHere) => Err(jsonrpc::Error {
            code: jsonrpc::ErrorCode::ServerError(-32803), // LSP RequestFailed.
            message: e.to_string().into(),
            data: None,
        }),
    }
}
