//! Engine results → LSP types, in the negotiated position encoding.
//!
//! Every conversion takes the [`Snapshot`] the result was computed from, so byte offsets are
//! always converted against the text they refer to.

use serde_json::json;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::capabilities::ClientFeatures;
use super::documents::Snapshot;
use crate::engine::checks::{Edit, Finding, Severity};
use crate::engine::navigation::{self, SymbolKind, TokenKind};

/// Where diagnostics link to for a check's explanation.
pub const DOCS_BASE: &str = "https://github.com/copydesk/copydesk/blob/main/docs/checks.md";

/// The `source` of every diagnostic.
pub const SOURCE: &str = "copydesk";

/// The LSP severity of an engine severity.
pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// A finding as a diagnostic. `data` carries the document version and the quick fixes already
/// in client positions, so a client (or a later code action) can use them without the engine.
pub fn diagnostic(snap: &Snapshot, f: &Finding) -> lsp::Diagnostic {
    let href = format!("{DOCS_BASE}#{}", f.code).parse::<Uri>().ok();
    let fixes: Vec<_> = f
        .fixes
        .iter()
        .map(|fix| json!({"title": fix.title, "edits": fix.edits.iter().map(|e| text_edit(snap, e)).collect::<Vec<_>>()}))
        .collect();
    lsp::Diagnostic {
        range: snap.range(f.range),
        severity: Some(severity(f.severity)),
        code: Some(lsp::NumberOrString::String(f.code.to_string())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: one_line(&f.message),
        related_information: None,
        tags: None,
        data: Some(json!({"version": snap.version, "fixes": fixes})),
    }
}

/// Collapses line breaks so a message stays on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An engine edit as a text edit.
pub fn text_edit(snap: &Snapshot, e: &Edit) -> lsp::TextEdit {
    lsp::TextEdit {
        range: snap.range(e.range),
        new_text: e.new_text.clone(),
    }
}

/// A workspace edit for edits in one document: `documentChanges` with the version when the
/// client supports it, `changes` otherwise.
pub fn workspace_edit(
    features: &ClientFeatures,
    uri: &Uri,
    snap: &Snapshot,
    edits: &[Edit],
) -> lsp::WorkspaceEdit {
    let edits: Vec<lsp::TextEdit> = edits.iter().map(|e| text_edit(snap, e)).collect();
    if features.document_changes {
        lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(snap.version),
                },
                edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
            }])),
            ..lsp::WorkspaceEdit::default()
        }
    } else {
        lsp::WorkspaceEdit {
            changes: Some([(uri.clone(), edits)].into_iter().collect()),
            ..lsp::WorkspaceEdit::default()
        }
    }
}

/// A hover.
pub fn hover(snap: &Snapshot, h: &navigation::Hover) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown.clone(),
        }),
        range: Some(snap.range(h.range)),
    }
}

/// The LSP symbol kind of an outline node.
pub fn symbol_kind(k: SymbolKind) -> lsp::SymbolKind {
    match k {
        SymbolKind::Group => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Person => lsp::SymbolKind::OBJECT,
        SymbolKind::Organization => lsp::SymbolKind::STRUCT,
        SymbolKind::Place => lsp::SymbolKind::PACKAGE,
        SymbolKind::Mention => lsp::SymbolKind::KEY,
        SymbolKind::Quote => lsp::SymbolKind::STRING,
    }
}

/// The outline as hierarchical document symbols.
#[allow(deprecated)] // `deprecated` is a required field of the struct.
pub fn document_symbol(snap: &Snapshot, s: &navigation::Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: if s.name.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            s.name.clone()
        },
        detail: s.detail.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: snap.range(s.range),
        selection_range: snap.range(s.selection),
        children: (!s.children.is_empty()).then(|| {
            s.children
                .iter()
                .map(|c| document_symbol(snap, c))
                .collect()
        }),
    }
}

/// The outline flattened into symbol information (for clients without hierarchy), each child
/// naming its parent as container.
#[allow(deprecated)] // `deprecated` is a required field of the struct.
pub fn flat_symbols(
    uri: &Uri,
    snap: &Snapshot,
    symbols: &[navigation::Symbol],
) -> Vec<lsp::SymbolInformation> {
    fn walk(
        uri: &Uri,
        snap: &Snapshot,
        s: &navigation::Symbol,
        container: Option<&str>,
        out: &mut Vec<lsp::SymbolInformation>,
    ) {
        out.push(lsp::SymbolInformation {
            name: if s.name.trim().is_empty() {
                "(unnamed)".to_string()
            } else {
                s.name.clone()
            },
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location {
                uri: uri.clone(),
                range: snap.range(s.selection),
            },
            container_name: container.map(str::to_string),
        });
        for c in &s.children {
            walk(uri, snap, c, Some(&s.name), out);
        }
    }
    let mut out = Vec::new();
    for s in symbols {
        walk(uri, snap, s, None, &mut out);
    }
    out
}

/// An inlay hint.
pub fn inlay_hint(snap: &Snapshot, h: &navigation::InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: snap.position(h.offset),
        label: lsp::InlayHintLabel::String(h.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: h.tooltip.clone().map(lsp::InlayHintTooltip::String),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

/// Semantic tokens, delta-encoded in the negotiated encoding. A token spanning several lines
/// is split into one token per line, since not every client supports multi-line tokens.
pub fn semantic_tokens(
    snap: &Snapshot,
    tokens: &[(crate::engine::TextRange, TokenKind)],
) -> lsp::SemanticTokens {
    let mut data = Vec::new();
    let (mut prev_line, mut prev_start, mut prev_end) = (0u32, 0u32, 0u32);
    let mut sorted: Vec<_> = tokens.to_vec();
    sorted.sort_by_key(|(r, _)| (r.start, r.end));
    for (range, kind) in sorted {
        let token_type = TokenKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32;
        let start = snap.position(range.start);
        let end = snap.position(range.end);
        for line in start.line..=end.line {
            let Some(line_range) = snap.index.line_range(&snap.text, line as usize) else {
                break;
            };
            let from = if line == start.line {
                start.character
            } else {
                0
            };
            let to = if line == end.line {
                end.character
            } else {
                snap.encoding.len(line_range.of(&snap.text))
            };
            if to <= from {
                continue;
            }
            // Tokens must not overlap or go backwards (a person inside a quotation, say): the
            // part of a later token that overlaps an earlier one is dropped.
            if !data.is_empty() && (line < prev_line || (line == prev_line && from < prev_end)) {
                continue;
            }
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 {
                from - prev_start
            } else {
                from
            };
            data.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type,
                token_modifiers_bitset: 0,
            });
            prev_line = line;
            prev_start = from;
            prev_end = to;
        }
    }
    lsp::SemanticTokens {
        result_id: None,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Analysis, TextRange};
    use crate::lsp::position::PositionEncoding;

    #[test]
    fn semantic_tokens_split_lines_and_never_overlap() {
        let text = "“Xi said\nhi,” 👍 Putin";
        let snap = Snapshot::new(
            1,
            text.to_string(),
            Analysis::default(),
            PositionEncoding::Utf16,
        );
        let quote = TextRange::new(0, text.find(" 👍").unwrap());
        let xi = TextRange::new(3, 5);
        let putin = TextRange::new(text.find("Putin").unwrap(), text.len());
        let tokens = semantic_tokens(
            &snap,
            &[
                (putin, TokenKind::Person),
                (quote, TokenKind::Quotation),
                (xi, TokenKind::Person),
            ],
        );
        let flat: Vec<[u32; 4]> = tokens
            .data
            .iter()
            .map(|t| [t.delta_line, t.delta_start, t.length, t.token_type])
            .collect();
        // The quotation on line 0 (8 units) and line 1 (4 units); Xi inside it is dropped; Putin
        // after 👍 (two UTF-16 units).
        assert_eq!(flat, vec![[0, 0, 8, 3], [1, 0, 4, 3], [0, 8, 5, 0]]);
    }
}
