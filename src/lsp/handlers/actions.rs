//! textDocument/codeAction (quick fixes from findings) and workspace/executeCommand
//! `copydesk.sources` (the sources ledger as JSON).

use tower_lsp_server::ls_types::{self as lsp, Range, Uri};

use crate::engine::quotes;
use crate::lsp::capabilities::ClientFeatures;
use crate::lsp::documents::Snapshot;
use crate::lsp::{from_proto, to_proto};

/// `textDocument/codeAction`: one quick fix per fix of each finding that touches `range`,
/// attached to the client's matching diagnostic when it sent one (same code and range), or to a
/// fresh diagnostic for the finding otherwise.
pub fn code_actions(
    features: &ClientFeatures,
    uri: &Uri,
    snap: &Snapshot,
    range: Range,
    context: &lsp::CodeActionContext,
) -> Vec<lsp::CodeActionOrCommand> {
    if let Some(only) = &context.only
        && !only.iter().any(|k| {
            lsp::CodeActionKind::QUICKFIX
                .as_str()
                .starts_with(k.as_str())
        })
    {
        return Vec::new();
    }
    let wanted = from_proto::text_range(snap, range);
    let mut out = Vec::new();
    for finding in &snap.analysis.findings {
        if finding.fixes.is_empty()
            || !(finding.range.overlaps(wanted) || finding.range.touches(wanted.start))
        {
            continue;
        }
        let ours = to_proto::diagnostic(features.diagnostics, snap, finding);
        let diagnostic = context
            .diagnostics
            .iter()
            .find(|d| d.source == ours.source && d.code == ours.code && d.range == ours.range)
            .cloned()
            .unwrap_or(ours);
        for (i, fix) in finding.fixes.iter().enumerate() {
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(to_proto::workspace_edit(features, uri, snap, &fix.edits)),
                command: None,
                is_preferred: Some(i == 0),
                disabled: None,
                data: None,
            }));
        }
    }
    out
}

/// `copydesk.sources`: the document's sources ledger.
pub fn sources(snap: &Snapshot) -> serde_json::Result<serde_json::Value> {
    serde_json::to_value(quotes::ledger(&snap.analysis, &snap.text))
}
