//! What the client can do, what we tell it we do, and the semantic token legend.
//!
//! The server capabilities list exactly the requests the handlers implement, nothing more.

use tower_lsp_server::ls_types::*;

use super::position::PositionEncoding;
use crate::engine::navigation::TokenKind;

/// The command that returns the sources ledger of a document.
pub const SOURCES_COMMAND: &str = "copydesk.sources";

/// The client features the server adapts to, read once from `initialize`.
#[derive(Clone, Debug, Default)]
pub struct ClientFeatures {
    pub encoding: PositionEncoding,
    pub hierarchical_symbols: bool,
    pub document_changes: bool,
    pub work_done_progress: bool,
    pub watch_files_dynamically: bool,
    /// The optional diagnostic fields the client takes.
    pub diagnostics: DiagnosticFields,
}

/// The optional fields of a diagnostic that the client declares it takes
/// (`textDocument.publishDiagnostics` in its capabilities); the others are left out of every
/// diagnostic sent to it, published or attached to a code action. Neither is needed for the
/// quick fixes: a code action is answered from the last analysis, not from a diagnostic's
/// `data`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiagnosticFields {
    /// `codeDescriptionSupport`: `codeDescription`, the link to the check's explanation.
    pub code_description: bool,
    /// `dataSupport`: `data`, the finding's quick fixes with the document version, which the
    /// client keeps and sends back with the diagnostic (in a code action request, say).
    pub data: bool,
}

impl DiagnosticFields {
    /// Every optional field.
    pub const ALL: DiagnosticFields = DiagnosticFields {
        code_description: true,
        data: true,
    };
}

impl ClientFeatures {
    /// Reads the features from the client's capabilities.
    pub fn from_capabilities(caps: &ClientCapabilities) -> ClientFeatures {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        ClientFeatures {
            encoding: PositionEncoding::negotiate(
                caps.general
                    .as_ref()
                    .and_then(|g| g.position_encodings.as_deref()),
            ),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_files_dynamically: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            diagnostics: text
                .and_then(|t| t.publish_diagnostics.as_ref())
                .map(|d| DiagnosticFields {
                    code_description: d.code_description_support.unwrap_or(false),
                    data: d.data_support.unwrap_or(false),
                })
                .unwrap_or_default(),
        }
    }
}

/// The name of a token kind in the legend. These are custom token types (clients accept any
/// names in the legend); themes can colour `person`, `organization`, `place`, `quotation` and
/// `date` directly.
pub fn token_type(kind: TokenKind) -> SemanticTokenType {
    SemanticTokenType::new(match kind {
        TokenKind::Person => "person",
        TokenKind::Organization => "organization",
        TokenKind::Place => "place",
        TokenKind::Quotation => "quotation",
        TokenKind::Date => "date",
    })
}

/// The semantic token legend: one type per [`TokenKind::ALL`] entry, in that order.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenKind::ALL.iter().map(|k| token_type(*k)).collect(),
        token_modifiers: vec![],
    }
}

/// The capabilities we announce.
pub fn server_capabilities(features: &ClientFeatures) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(features.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                work_done_progress_options: WorkDoneProgressOptions::default(),
                legend: legend(),
                range: None,
                full: Some(SemanticTokensFullOptions::Bool(true)),
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            work_done_progress_options: WorkDoneProgressOptions::default(),
            resolve_provider: None,
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![SOURCES_COMMAND.to_string()],
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_diagnostic_fields_are_those_the_client_declares() {
        let features = |caps: serde_json::Value| {
            let caps: ClientCapabilities = serde_json::from_value(caps).unwrap();
            ClientFeatures::from_capabilities(&caps).diagnostics
        };
        assert_eq!(features(serde_json::json!({})), DiagnosticFields::default());
        assert_eq!(
            features(serde_json::json!({"textDocument": {"publishDiagnostics": {}}})),
            DiagnosticFields::default()
        );
        assert_eq!(
            features(serde_json::json!({"textDocument": {"publishDiagnostics": {
                "codeDescriptionSupport": true, "dataSupport": true
            }}})),
            DiagnosticFields::ALL
        );
        assert_eq!(
            features(serde_json::json!({"textDocument": {"publishDiagnostics": {
                "codeDescriptionSupport": false, "dataSupport": true
            }}})),
            DiagnosticFields {
                code_description: false,
                data: true
            }
        );
    }
}
