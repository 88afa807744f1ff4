//! End-to-end tests of the language server over an in-memory duplex (see `common`).
//!
//! Protocol mechanics (edits, versions, encodings, failures) are tested with a *marker*
//! analysis: the real engine plus one `test-marker` finding for every `XX` in the text (with a
//! quick fix to `YY`), which records every text it analyses, panics on `PANIC` and dawdles on
//! `SLOW`. Its findings do not depend on the engine's progress, so these tests pin the adapter.
//! Engine-backed features are exercised through the real engine.

mod common;

use std::sync::{Arc, Mutex};

use common::{TestServerBuilder, file_uri};
use copydesk::engine::checks::{Edit, Finding, Fix, Severity};
use copydesk::engine::{Analyzer, Config, Format, TextRange};
use copydesk::lsp::AnalyzeFn;
use serde_json::{Value, json};

const URI: &str = "file:///story.md";

/// The marker analysis described in the module doc, and the log of texts it analysed.
fn marker_analysis() -> (AnalyzeFn, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let f: AnalyzeFn = Arc::new(
        move |analyzer: &mut Analyzer, text: &str, format: Format, config: &Config| {
            seen.lock().unwrap().push(text.to_string());
            if text.contains("PANIC") {
                panic!("injected failure");
            }
            if text.contains("SLOW") {
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
            let mut analysis = analyzer.analyze(text, format, config);
            for (at, _) in text.match_indices("XX") {
                let range = TextRange::new(at, at + 2);
                analysis.findings.push(Finding {
                    code: "test-marker",
                    severity: Severity::Warning,
                    range,
                    message: "a marker\nover two lines".into(),
                    fixes: vec![Fix {
                        title: "Replace with YY".into(),
                        edits: vec![Edit {
                            range,
                            new_text: "YY".into(),
                        }],
                    }]
                    .into(),
                });
            }
            analysis
        },
    );
    (f, log)
}

/// An independent (slow, obvious) position of a byte offset: LSP lines, units per encoding.
fn expected_position(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = &before[line_start..];
    let character: usize = match encoding {
        "utf-8" => col.len(),
        "utf-32" => col.chars().count(),
        _ => col.encode_utf16().count(),
    };
    json!({"line": line, "character": character})
}

fn marker_ranges(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "test-marker")
        .map(|d| d["range"].clone())
        .collect()
}

fn expected_marker_ranges(text: &str, encoding: &str) -> Vec<Value> {
    text.match_indices("XX")
        .map(|(at, _)| {
            json!({"start": expected_position(text, at, encoding), "end": expected_position(text, at + 2, encoding)})
        })
        .collect()
}

#[tokio::test]
async fn negotiates_the_position_encoding_and_announces_what_is_implemented() {
    for (offered, chosen) in [
        (None, "utf-16"),
        (Some(vec!["utf-8"]), "utf-8"),
        (Some(vec!["utf-16"]), "utf-16"),
        (Some(vec!["utf-32", "utf-16"]), "utf-32"),
    ] {
        let mut builder = TestServerBuilder::default();
        if let Some(offered) = &offered {
            builder = builder.encodings(offered);
        }
        let (server, result) = builder.start().await;
        let caps = &result["capabilities"];
        assert_eq!(caps["positionEncoding"], chosen, "offered {offered:?}");
        assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
        for provider in [
            "hoverProvider",
            "definitionProvider",
            "referencesProvider",
            "documentHighlightProvider",
            "documentSymbolProvider",
            "workspaceSymbolProvider",
            "inlayHintProvider",
        ] {
            assert_eq!(caps[provider], true, "{provider}");
        }
        assert_eq!(caps["renameProvider"]["prepareProvider"], true);
        assert_eq!(
            caps["executeCommandProvider"]["commands"],
            json!(["copydesk.sources"])
        );
        assert_eq!(
            caps["semanticTokensProvider"]["legend"]["tokenTypes"],
            json!(["person", "organization", "place", "quotation", "date"])
        );
        assert!(
            caps.get("completionProvider").is_none(),
            "nothing unimplemented is announced"
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn incremental_edits_with_multibyte_characters_in_each_encoding() {
    for encoding in ["utf-8", "utf-16", "utf-32"] {
        let (analyze, log) = marker_analysis();
        let (mut server, _) = TestServerBuilder::default()
            .encodings(&[encoding])
            .analyze(analyze)
            .start()
            .await;
        let mut model = String::from("“Wir 👍🏽 XX,” sagte er.\r\n\r\n中文 e\u{301} XX\rend");
        let diagnostics = server.open(URI, "markdown", &model).await;
        assert_eq!(
            marker_ranges(&diagnostics),
            expected_marker_ranges(&model, encoding),
            "{encoding}"
        );

        // Each edit: (byte offset of start, byte length replaced, new text).
        let edits: [(&str, usize, &str); 5] = [
            ("👍🏽", "👍🏽".len(), "👨\u{200d}👩\u{200d}👧 XX"),
            ("中文", 0, "XX🎉"),
            ("\r\n\r\n", 2, "\n"),
            ("e\u{301}", "e\u{301}".len(), "é"),
            ("\rend", 1, " XX\r\n"),
        ];
        for (version, (anchor, len, new_text)) in (2..).zip(edits) {
            let start = model.find(anchor).unwrap();
            let s = expected_position(&model, start, encoding);
            let e = expected_position(&model, start + len, encoding);
            let range = [&s["line"], &s["character"], &e["line"], &e["character"]]
                .map(|v| v.as_u64().unwrap() as u32);
            server.change(URI, version, range, new_text).await;
            model.replace_range(start..start + len, new_text);
            let diagnostics = server.diagnostics(URI, Some(version)).await;
            assert_eq!(
                log.lock().unwrap().last().unwrap(),
                &model,
                "{encoding} v{version}: server text drifted"
            );
            assert_eq!(
                marker_ranges(&diagnostics),
                expected_marker_ranges(&model, encoding),
                "{encoding} v{version}"
            );
        }
        server.shutdown().await;
    }
}

#[tokio::test]
async fn diagnostics_carry_code_source_severity_link_and_fix_data() {
    let (analyze, _) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default().analyze(analyze).start().await;
    let diagnostics = server
        .open(
            URI,
            "plaintext",
            "One XX here.\n\n“An open quote, she said.\n",
        )
        .await;
    let marker = diagnostics
        .iter()
        .find(|d| d["code"] == "test-marker")
        .expect("marker diagnostic");
    assert_eq!(marker["source"], "copydesk");
    assert_eq!(marker["severity"], 2);
    assert_eq!(
        marker["message"], "a marker over two lines",
        "one-line message"
    );
    assert_eq!(
        marker["codeDescription"]["href"],
        "https://github.com/copydesk/copydesk/blob/main/docs/checks.md#test-marker"
    );
    assert_eq!(marker["data"]["version"], 1);
    assert_eq!(marker["data"]["fixes"][0]["edits"][0]["newText"], "YY");
    // The real engine's unbalanced-quote check runs too.
    let unbalanced = diagnostics
        .iter()
        .find(|d| d["code"] == "unbalanced-quote")
        .expect("unbalanced-quote");
    assert_eq!(
        unbalanced["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_result_for_an_older_version_is_never_published_after_a_newer_one() {
    let (analyze, _) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default().analyze(analyze).start().await;
    server.open(URI, "markdown", "").await;
    // Rapid changes; every other version makes the analysis slow so results finish out of order.
    let last = 40;
    for version in 2..=last {
        let text = if version % 2 == 0 {
            format!("SLOW {version} XX ")
        } else {
            format!("{version} XX ")
        };
        server.change(URI, version, [0, 0, 0, 0], &text).await;
    }
    // `diagnostics` asserts that versions never go backwards on the way.
    let diagnostics = server.diagnostics(URI, Some(last)).await;
    assert_eq!(
        diagnostics
            .iter()
            .filter(|d| d["code"] == "test-marker")
            .count(),
        (last - 1) as usize
    );
    server.shutdown().await;
}

#[tokio::test]
async fn close_clears_diagnostics_and_later_changes_are_ignored() {
    let (analyze, log) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default().analyze(analyze).start().await;
    assert_eq!(server.open(URI, "markdown", "XX").await.len(), 1);
    server
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(server.diagnostics(URI, None).await.is_empty());
    // A change for the closed document and one for a never-opened one: logged and ignored.
    server.change(URI, 2, [0, 0, 0, 0], "XX").await;
    server
        .change("file:///never.md", 2, [0, 0, 0, 0], "XX")
        .await;
    let analysed = log.lock().unwrap().len();
    // Requests on a closed document answer null rather than fail.
    let hover = server
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(hover, Value::Null);
    assert_eq!(
        log.lock().unwrap().len(),
        analysed,
        "nothing was analysed for closed documents"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn out_of_range_positions_clamp() {
    let (analyze, log) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default().analyze(analyze).start().await;
    server.open(URI, "markdown", "ab\ncd").await;
    // Past the end of line 0, and a range reaching past the last line.
    server.change(URI, 2, [0, 99, 0, 120], "!").await;
    server.diagnostics(URI, Some(2)).await;
    assert_eq!(log.lock().unwrap().last().unwrap(), "ab!\ncd");
    server.change(URI, 3, [1, 1, 40, 3], "XX").await;
    let diagnostics = server.diagnostics(URI, Some(3)).await;
    assert_eq!(log.lock().unwrap().last().unwrap(), "ab!\ncXX");
    assert_eq!(marker_ranges(&diagnostics).len(), 1);
    // A reversed range is put in order.
    server.change(URI, 4, [1, 3, 1, 1], "").await;
    server.diagnostics(URI, Some(4)).await;
    assert_eq!(log.lock().unwrap().last().unwrap(), "ab!\nc");
    // Requests with absurd positions answer normally.
    let hover = server
        .call("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 4000000000u32, "character": 4000000000u32}}))
        .await;
    assert_eq!(hover, Value::Null);
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_frames_and_lone_surrogates_get_parse_errors_and_the_server_goes_on() {
    let (mut server, _) = TestServerBuilder::default().start().await;
    // A lone surrogate in a JSON string: serde_json rejects it; JSON-RPC says ParseError.
    let body = r#"{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a.md"},"position":{"line":0,"character":0},"x":"\ud800"}}"#;
    server
        .send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await;
    let error = server.response(Value::Null).await;
    assert_eq!(error["error"]["code"], -32700, "{error}");
    // Not JSON at all.
    server.send_raw(b"Content-Length: 5\r\n\r\n{{{{{").await;
    let error = server.response(Value::Null).await;
    assert_eq!(error["error"]["code"], -32700, "{error}");
    // JSON that is no JSON-RPC message: Invalid Request.
    server.send_raw(b"Content-Length: 5\r\n\r\n[1,2]").await;
    let error = server.response(Value::Null).await;
    assert_eq!(error["error"]["code"], -32600, "{error}");
    // A header block without Content-Length.
    server.send_raw(b"Content-Type: nothing\r\n\r\n").await;
    let error = server.response(Value::Null).await;
    assert_eq!(error["error"]["code"], -32700, "{error}");
    // The server still answers.
    let diagnostics = server.open(URI, "markdown", "Fine.").await;
    assert!(diagnostics.is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn requests_after_shutdown_are_invalid() {
    let (mut server, _) = TestServerBuilder::default().start().await;
    assert_eq!(server.call("shutdown", Value::Null).await, Value::Null);
    let response = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(response["error"]["code"], -32600, "{response}");
    server.notify("exit", Value::Null).await;
}

#[tokio::test]
async fn an_engine_panic_fails_the_request_and_keeps_the_last_good_results() {
    let (analyze, _) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default().analyze(analyze).start().await;
    assert_eq!(server.open(URI, "markdown", "XX").await.len(), 1);
    server.change(URI, 2, [0, 0, 0, 0], "PANIC ").await;
    // No diagnostics come for version 2; a request on it fails with InternalError.
    let position = json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}});
    let response = server
        .request("textDocument/documentSymbol", position.clone())
        .await;
    assert_eq!(response["error"]["code"], -32603, "{response}");
    // Another document is served normally, and so is this one once the text is fine again.
    assert_eq!(
        server
            .open("file:///other.md", "markdown", "XX XX")
            .await
            .len(),
        2
    );
    server.change(URI, 3, [0, 0, 0, 6], "").await;
    assert_eq!(server.diagnostics(URI, Some(3)).await.len(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_document_above_the_size_limit_is_skipped_with_one_message() {
    let (analyze, log) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default()
        .init_options(json!({"maxDocumentBytes": 1000}))
        .analyze(analyze)
        .start()
        .await;
    let big = "XX ".repeat(500);
    assert!(
        server.open(URI, "markdown", &big).await.is_empty(),
        "diagnostics cleared"
    );
    let message = server.notification("window/showMessage").await;
    assert_eq!(message["type"], 2);
    let text = message["message"].as_str().unwrap();
    assert!(
        text.contains("story.md is 1.5 kB") && text.contains("max-document-bytes"),
        "{text}"
    );
    // A further edit: still skipped, no second message (the drain check would catch one).
    server.change(URI, 2, [0, 0, 0, 0], "XX").await;
    assert!(server.diagnostics(URI, Some(2)).await.is_empty());
    assert!(
        log.lock().unwrap().is_empty(),
        "the big document was never analysed"
    );
    // Another document is analysed normally.
    assert_eq!(
        server
            .open("file:///small.md", "markdown", "XX")
            .await
            .len(),
        1
    );
    // Shrunk below the limit, it is analysed again.
    server
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "XX"}]}),
        )
        .await;
    assert_eq!(server.diagnostics(URI, Some(3)).await.len(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_ten_megabyte_line_is_skipped_under_the_default_limit() {
    let (mut server, _) = TestServerBuilder::default().start().await;
    let line = "a".repeat(10 * 1024 * 1024);
    assert!(
        server
            .open("file:///huge.txt", "plaintext", &line)
            .await
            .is_empty()
    );
    let message = server.notification("window/showMessage").await;
    assert!(
        message["message"].as_str().unwrap().contains("10.5 MB"),
        "{message}"
    );
    // The server stays responsive to other documents and requests.
    server.open(URI, "markdown", "Fine.").await;
    let symbols = server
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(symbols.is_array());
    server.shutdown().await;
}

#[tokio::test]
async fn settings_from_the_workspace_file_init_options_and_the_editor() {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(
        workspace.path().join("copydesk.toml"),
        "[checks]\nunbalanced-quote = \"off\"\n",
    )
    .unwrap();
    let (analyze, _) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default()
        .root(workspace.path())
        .init_options(json!({"checks": {"unattributed-quote": "hint"}}))
        .analyze(analyze)
        .start()
        .await;
    let uri = file_uri(&workspace.path().join("story.md"));
    let text = "“We won.”\n\nHe said “an open quote.\n";
    let codes = |d: &[Value]| {
        d.iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let diagnostics = server.open(&uri, "markdown", text).await;
    assert!(
        !codes(&diagnostics).contains(&"unbalanced-quote".to_string()),
        "off in copydesk.toml"
    );
    let unattributed = diagnostics
        .iter()
        .find(|d| d["code"] == "unattributed-quote")
        .expect("unattributed-quote");
    assert_eq!(
        unattributed["severity"], 4,
        "hint from initializationOptions"
    );

    // Editor settings override the file key by key: the check comes back, same version.
    server
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"copydesk": {"checks": {"unbalanced-quote": "error"}}}}),
        )
        .await;
    let diagnostics = server.diagnostics(&uri, Some(1)).await;
    let unbalanced = diagnostics
        .iter()
        .find(|d| d["code"] == "unbalanced-quote")
        .expect("re-enabled by the editor");
    assert_eq!(unbalanced["severity"], 1);

    // The file changes on disk and the watcher reports it: re-read, re-published.
    server
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
    server.diagnostics(&uri, Some(1)).await;
    std::fs::write(workspace.path().join("copydesk.toml"), "").unwrap();
    server
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&workspace.path().join("copydesk.toml")), "type": 2}]}),
        )
        .await;
    let diagnostics = server.diagnostics(&uri, Some(1)).await;
    assert!(
        codes(&diagnostics).contains(&"unbalanced-quote".to_string()),
        "the file no longer turns it off"
    );

    // Saving the file in the editor re-reads it too.
    let toml = workspace.path().join("copydesk.toml");
    std::fs::write(&toml, "[checks]\nunbalanced-quote = false\n").unwrap();
    server
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": file_uri(&toml)}}),
        )
        .await;
    let diagnostics = server.diagnostics(&uri, Some(1)).await;
    assert!(
        !codes(&diagnostics).contains(&"unbalanced-quote".to_string()),
        "off again after the save"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn bad_settings_show_a_message_naming_the_key_and_keep_defaults() {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(
        workspace.path().join("copydesk.toml"),
        "inlay-hints = 3\n[checks]\nno-such-check = true\n",
    )
    .unwrap();
    let (mut server, _) = TestServerBuilder::default()
        .root(workspace.path())
        .init_options(json!({"publicationDate": "yesterday"}))
        .start()
        .await;
    let mut messages = Vec::new();
    for _ in 0..3 {
        let m = server.notification("window/showMessage").await;
        assert_eq!(m["type"], 2, "warning");
        messages.push(m["message"].as_str().unwrap().to_string());
    }
    let said = |key: &str, source: &str| {
        messages
            .iter()
            .any(|m| m.contains(key) && m.contains(source))
    };
    assert!(said("`inlay-hints`", "copydesk.toml"), "{messages:?}");
    assert!(
        said("`checks.no-such-check`", "copydesk.toml"),
        "{messages:?}"
    );
    assert!(
        said("`publicationDate`", "initializationOptions"),
        "{messages:?}"
    );
    // A settings payload of the wrong shape from the editor.
    server
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": [1, 2]}),
        )
        .await;
    let m = server.notification("window/showMessage").await;
    assert!(
        m["message"].as_str().unwrap().contains("editor settings"),
        "{m}"
    );
    // The defaults are in force: unbalanced-quote still reported.
    let uri = file_uri(&workspace.path().join("a.md"));
    let diagnostics = server.open(&uri, "markdown", "“Open.\n").await;
    assert!(diagnostics.iter().any(|d| d["code"] == "unbalanced-quote"));
    server.shutdown().await;
}

#[tokio::test]
async fn code_actions_offer_the_quick_fixes_of_a_finding() {
    let (analyze, _) = marker_analysis();
    let (mut server, _) = TestServerBuilder::default()
        .encodings(&["utf-8"])
        .analyze(analyze)
        .start()
        .await;
    let diagnostics = server.open(URI, "markdown", "Ça XX.").await;
    let marker = diagnostics
        .iter()
        .find(|d| d["code"] == "test-marker")
        .unwrap()
        .clone();
    let actions = server
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": marker["range"], "context": {"diagnostics": [marker]}}),
        )
        .await;
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "Replace with YY");
    assert_eq!(
        action["diagnostics"][0], marker,
        "attached to the client's diagnostic"
    );
    let edit = &action["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["version"], 1);
    assert_eq!(
        edit["edits"][0]["range"]["start"],
        json!({"line": 0, "character": 4}),
        "UTF-8: Ç is two bytes"
    );
    // Nothing for a range without findings.
    let none = server
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "context": {"diagnostics": []}}),
        )
        .await;
    assert_eq!(none, json!([]));
    server.shutdown().await;
}

/// `codeDescription` (the link to the check's explanation) and `data` (the quick fixes) are
/// optional: a diagnostic carries each only for a client that declares it takes it
/// (`textDocument.publishDiagnostics.codeDescriptionSupport`, `.dataSupport`), and the quick
/// fixes work either way (code actions answer from the analysis, not from `data`). Published
/// and attached to a code action alike.
#[tokio::test]
async fn diagnostics_carry_only_the_optional_fields_the_client_declares() {
    for (declared, code_description, data) in [
        (
            json!({"codeDescriptionSupport": true, "dataSupport": true}),
            true,
            true,
        ),
        (json!({"codeDescriptionSupport": true}), true, false),
        (
            json!({"codeDescriptionSupport": false, "dataSupport": true}),
            false,
            true,
        ),
        (json!({}), false, false),
        (Value::Null, false, false),
    ] {
        let (analyze, _) = marker_analysis();
        let mut text_document = json!({});
        if !declared.is_null() {
            text_document["publishDiagnostics"] = declared.clone();
        }
        let (mut server, _) = TestServerBuilder::default()
            .capabilities(json!({"textDocument": text_document}))
            .analyze(analyze)
            .start()
            .await;
        // The optional fields of a diagnostic, published or attached to a code action.
        let fields = |d: &Value, place: &str| {
            assert_eq!(d["code"], "test-marker", "{place}");
            assert_eq!(
                d.get("codeDescription").is_some(),
                code_description,
                "{place} to {declared}: {d}"
            );
            assert_eq!(d.get("data").is_some(), data, "{place} to {declared}: {d}");
            if code_description {
                assert_eq!(
                    d["codeDescription"]["href"],
                    "https://github.com/copydesk/copydesk/blob/main/docs/checks.md#test-marker"
                );
            }
            if data {
                assert_eq!(d["data"]["version"], 1);
                assert_eq!(d["data"]["fixes"][0]["edits"][0]["newText"], "YY");
            }
        };
        let published = server.open(URI, "markdown", "One XX here.").await;
        let marker = published
            .iter()
            .find(|d| d["code"] == "test-marker")
            .expect("the marker is published");
        fields(marker, "published");
        // Without the client's diagnostic in the context, the action carries the server's.
        let actions = server
            .call(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 6}}, "context": {"diagnostics": []}}),
            )
            .await;
        let action = &actions[0];
        assert_eq!(action["title"], "Replace with YY", "{declared}");
        assert_eq!(
            action["edit"]["changes"][URI][0]["newText"], "YY",
            "{declared}"
        );
        fields(&action["diagnostics"][0], "attached to the action");
        server.shutdown().await;
    }
}

/// Every feature request answers through the real engine without error. What they return
/// depends on the engine; the xi-moscow test below pins the entity features.
#[tokio::test]
async fn every_feature_request_answers() {
    let (mut server, _) = TestServerBuilder::default().start().await;
    let text = "---\ndate: 2023-03-20\n---\n# Xi in Moscow\n\nChinese President Xi Jinping arrived in Moscow on Monday. “We are friends,” Xi said.\n";
    server.open(URI, "markdown", text).await;
    let at = json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 20}});
    let doc = json!({"textDocument": {"uri": URI}});
    for (method, params) in [
        ("textDocument/hover", at.clone()),
        ("textDocument/definition", at.clone()),
        (
            "textDocument/references",
            json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 20}, "context": {"includeDeclaration": true}}),
        ),
        ("textDocument/documentHighlight", at.clone()),
        ("textDocument/prepareRename", at.clone()),
        ("textDocument/documentSymbol", doc.clone()),
        (
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
        ),
        ("textDocument/semanticTokens/full", doc.clone()),
        ("workspace/symbol", json!({"query": ""})),
        (
            "workspace/executeCommand",
            json!({"command": "copydesk.sources", "arguments": [URI]}),
        ),
    ] {
        let response = server.request(method, params).await;
        assert!(response.get("error").is_none(), "{method}: {response}");
    }
    let tokens = server
        .call("textDocument/semanticTokens/full", doc.clone())
        .await;
    assert_eq!(tokens["data"].as_array().unwrap().len() % 5, 0);
    let bad = server
        .request(
            "workspace/executeCommand",
            json!({"command": "copydesk.sources", "arguments": []}),
        )
        .await;
    assert_eq!(bad["error"]["code"], -32602);
    server.shutdown().await;
}

/// The text an LSP range covers, for a UTF-8 session.
fn range_text<'a>(text: &'a str, range: &Value) -> &'a str {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let mut start = 0;
        for _ in 0..line {
            let rest = &text[start..];
            let brk = rest.find(['\n', '\r']).unwrap();
            start += brk
                + if rest[brk..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
        }
        start + p["character"].as_u64().unwrap() as usize
    };
    &text[offset(&range["start"])..offset(&range["end"])]
}

/// The UTF-8 position of the first occurrence of `needle` inside `context`, plus `skip` bytes.
fn position_of(text: &str, context: &str, needle: &str) -> Value {
    let at = text.find(context).unwrap() + context.find(needle).unwrap();
    expected_position(text, at, "utf-8")
}

#[tokio::test]
async fn xi_moscow_navigation_matches_the_expectations() {
    let text = include_str!("fixtures/xi-moscow.md");
    let uri = "file:///xi-moscow.md";
    let (mut server, _) = TestServerBuilder::default()
        .encodings(&["utf-8"])
        .start()
        .await;
    server.open(uri, "markdown", text).await;
    let at = |position: Value| json!({"textDocument": {"uri": uri}, "position": position});

    // Hover and definition on Heusgen in the colon-introduced quote.
    let heusgen = at(position_of(text, "Heusgen: “Russia is now", "Heusgen"));
    let hover = server.call("textDocument/hover", heusgen.clone()).await;
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    for expected in [
        "Christoph Heusgen",
        "head of the Munich Security Conference",
        "3 quotes",
    ] {
        assert!(
            shown.contains(expected),
            "hover lacks {expected:?}: {shown}"
        );
    }
    let definition = server
        .call("textDocument/definition", heusgen.clone())
        .await;
    assert_eq!(range_text(text, &definition["range"]), "Christoph Heusgen");

    // Definition of Xi goes to the introduction in the first sentence.
    let xi = at(position_of(text, "Of course, Xi appreciates that.", "Xi"));
    let definition = server.call("textDocument/definition", xi).await;
    assert!(
        range_text(text, &definition["range"]).contains("Xi Jinping"),
        "{definition}"
    );
    assert!(
        definition["range"]["start"]["line"].as_u64().unwrap() < 8,
        "first sentence: {definition}"
    );

    // References of Putin include the full name and the descriptor.
    let mut putin = at(position_of(
        text,
        "Putin himself seems to be implying this.",
        "Putin",
    ));
    putin["context"] = json!({"includeDeclaration": true});
    let references = server.call("textDocument/references", putin.clone()).await;
    let texts: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| range_text(text, &l["range"]))
        .collect();
    for expected in ["Vladimir Putin", "The Kremlin chief"] {
        // A mention may include its title ("Russian President Vladimir Putin").
        assert!(
            texts.iter().any(|t| t.contains(expected)),
            "references lack {expected:?}: {texts:?}"
        );
    }
    putin["context"] = json!({"includeDeclaration": false});
    let without = server.call("textDocument/references", putin).await;
    assert_eq!(
        without.as_array().unwrap().len() + 1,
        references.as_array().unwrap().len()
    );

    // Highlight, rename, outline, tokens.
    let highlights = server
        .call("textDocument/documentHighlight", heusgen.clone())
        .await;
    assert!(highlights.as_array().unwrap().len() >= 3, "{highlights}");
    let prepared = server
        .call("textDocument/prepareRename", heusgen.clone())
        .await;
    assert_eq!(range_text(text, &prepared["range"]), "Heusgen");
    let mut rename = heusgen.clone();
    rename["newName"] = json!("Christophe Heusgan");
    let edit = server.call("textDocument/rename", rename).await;
    let edits = edit["documentChanges"][0]["edits"].as_array().unwrap();
    // Every name form is rewritten consistently: the full name and each bare surname.
    let mut renamed: Vec<(&str, &str)> = edits
        .iter()
        .map(|e| {
            (
                range_text(text, &e["range"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    renamed.sort();
    assert_eq!(
        renamed,
        vec![
            ("Christoph Heusgen", "Christophe Heusgan"),
            ("Heusgen", "Heusgan")
        ],
        "{edit}"
    );
    let symbols = server
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let names = symbols.to_string();
    for expected in [
        "Xi Jinping",
        "Vladimir Putin",
        "Christoph Heusgen",
        "Moscow",
    ] {
        assert!(names.contains(expected), "outline lacks {expected}");
    }
    let tokens = server
        .call(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let data = tokens["data"].as_array().unwrap();
    assert!(data.chunks(5).any(|t| t[3] == 0), "a person token");
    let sources = server
        .call(
            "workspace/executeCommand",
            json!({"command": "copydesk.sources", "arguments": [uri]}),
        )
        .await;
    assert!(sources.to_string().contains("Heusgen"), "{sources}");
    server.shutdown().await;
}

#[tokio::test]
async fn workspace_symbols_cover_open_documents_and_indexed_files_with_progress() {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(
        workspace.path().join("xi.md"),
        include_str!("fixtures/xi-moscow.md"),
    )
    .unwrap();
    std::fs::create_dir(workspace.path().join(".hidden")).unwrap();
    std::fs::write(
        workspace.path().join(".hidden/secret.md"),
        "Christoph Heusgen said so.",
    )
    .unwrap();
    let (mut server, _) = TestServerBuilder::default()
        .root(workspace.path())
        .capabilities(json!({
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
        }))
        .start()
        .await;
    // Indexing reports begin … end.
    let mut kinds = Vec::new();
    let mut token = None;
    while kinds.last() != Some(&"end".to_string()) {
        let progress = server.notification("$/progress").await;
        let t = progress["token"].as_str().unwrap().to_string();
        assert!(t.starts_with("copydesk/index/"), "{t}");
        // One token for the whole run, from begin to end.
        assert_eq!(token.get_or_insert_with(|| t.clone()), &t);
        kinds.push(progress["value"]["kind"].as_str().unwrap().to_string());
    }
    assert_eq!(kinds.first().map(String::as_str), Some("begin"));
    let methods: Vec<_> = server
        .server_requests
        .iter()
        .map(|r| r["method"].as_str().unwrap().to_string())
        .collect();
    assert!(
        methods.contains(&"client/registerCapability".to_string()),
        "{methods:?}"
    );
    assert!(
        methods.contains(&"window/workDoneProgress/create".to_string()),
        "{methods:?}"
    );
    let symbols = server.call("workspace/symbol", json!({"query": ""})).await;
    // Nothing from the hidden directory.
    assert!(!symbols.to_string().contains("secret.md"), "{symbols}");
    // The indexed file is searchable, case-insensitively.
    let heusgen = server
        .call("workspace/symbol", json!({"query": "heusgen"}))
        .await;
    let heusgen = heusgen.as_array().unwrap();
    assert!(!heusgen.is_empty());
    assert!(
        heusgen
            .iter()
            .all(|s| s["location"]["uri"].as_str().unwrap().ends_with("/xi.md"))
    );
    assert!(heusgen.iter().all(|s| {
        s["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("heusgen")
    }));
    // So is an open document outside the workspace.
    let open = "file:///elsewhere/merkel.md";
    server
        .open(
            open,
            "markdown",
            "Chancellor Angela Merkel spoke in Berlin on Monday.\n",
        )
        .await;
    let merkel = server
        .call("workspace/symbol", json!({"query": "Merkel"}))
        .await;
    assert!(
        merkel
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["location"]["uri"] == open),
        "{merkel}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn xi_moscow_inlay_hints_follow_the_setting() {
    let text = include_str!("fixtures/xi-moscow.md");
    let uri = "file:///xi-moscow.md";
    let whole = json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}});
    let (mut server, _) = TestServerBuilder::default()
        .encodings(&["utf-8"])
        .start()
        .await;
    server.open(uri, "markdown", text).await;
    let hints = server.call("textDocument/inlayHint", whole.clone()).await;
    let labels: Vec<String> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].to_string())
        .collect();
    // The hint for "until Wednesday" sits right after it and names Wednesday 22 March 2023.
    let wednesday = hints
        .as_array()
        .unwrap()
        .iter()
        .find(|h| {
            h["label"]
                .as_str()
                .unwrap_or_default()
                .contains("22 Mar 2023")
        })
        .unwrap_or_else(|| panic!("no hint for until Wednesday: {labels:?}"));
    let before = range_text(
        text,
        &json!({"start": {"line": 0, "character": 0}, "end": wednesday["position"]}),
    );
    assert!(
        before.ends_with("until Wednesday"),
        "{}",
        &before[before.len().saturating_sub(40)..]
    );
    server
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"copydesk": {"inlayHints": false}}}),
        )
        .await;
    server.diagnostics(uri, Some(1)).await;
    assert_eq!(
        server.call("textDocument/inlayHint", whole).await,
        json!([])
    );
    server.shutdown().await;
}

#[tokio::test]
async fn requests_before_initialize_are_refused_and_a_disconnect_mid_message_ends_the_server() {
    let mut server = TestServerBuilder::default().start_uninitialized();
    let response = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(
        response["error"]["code"], -32002,
        "ServerNotInitialized: {response}"
    );
    server
        .disconnect_mid_message(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
        .await;
}

#[tokio::test]
async fn flat_symbols_for_clients_without_hierarchy() {
    let text = include_str!("fixtures/xi-moscow.md");
    let (mut server, _) = TestServerBuilder::default()
        .capabilities(json!({}))
        .start()
        .await;
    server.open(URI, "markdown", text).await;
    let symbols = server
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let symbols = symbols.as_array().unwrap();
    assert!(!symbols.is_empty());
    for s in symbols {
        assert_eq!(
            s["location"]["uri"], URI,
            "SymbolInformation, not DocumentSymbol: {s}"
        );
        assert!(s.get("children").is_none());
    }
    assert!(symbols.iter().any(|s| s["name"] == "Christoph Heusgen"));
    // Without documentChanges support, a rename is a `changes` map.
    let at = expected_position(text, text.find("Heusgen:").unwrap(), "utf-16");
    let edit = server
        .call(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": at, "newName": "Heusgan"}),
        )
        .await;
    assert!(
        edit["changes"][URI]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{edit}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_stuck_analysis_does_not_hold_up_other_documents() {
    // The analysis of any text with BLOCK waits until the gate opens.
    let gate = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
    let g = Arc::clone(&gate);
    let analyze: AnalyzeFn = Arc::new(
        move |analyzer: &mut Analyzer, text: &str, format: Format, config: &Config| {
            if text.contains("BLOCK") {
                let (open, cv) = &*g;
                let mut open = open.lock().unwrap();
                while !*open {
                    open = cv.wait(open).unwrap();
                }
            }
            analyzer.analyze(text, format, config)
        },
    );
    let (mut server, _) = TestServerBuilder::default().analyze(analyze).start().await;
    let stuck = "file:///stuck.md";
    server
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": stuck, "languageId": "markdown", "version": 1, "text": "BLOCK “open"}}),
        )
        .await;
    // Several edits to the stuck document, then another document: all served meanwhile.
    for version in 2..=6 {
        server.change(stuck, version, [0, 0, 0, 0], "x").await;
    }
    let other = "file:///other.md";
    server.open(other, "markdown", "“Open quote.\n").await;
    let symbols = server
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": other}}),
        )
        .await;
    assert!(symbols.is_array());
    // Open the gate: the stuck document's latest version is published.
    {
        let (open, cv) = &*gate;
        *open.lock().unwrap() = true;
        cv.notify_all();
    }
    let diagnostics = server.diagnostics(stuck, Some(6)).await;
    assert!(
        diagnostics.iter().any(|d| d["code"] == "unbalanced-quote"),
        "{diagnostics:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn document_symbols_are_answered_outside_tower_like_any_other_request() {
    // documentSymbol is answered by the server's own handler (its results can be megabytes);
    // it must keep the lifecycle and error rules tower-lsp-server applies to the others.
    let mut early = TestServerBuilder::default().start_uninitialized();
    let doc = json!({"textDocument": {"uri": URI}});
    let response = early
        .request("textDocument/documentSymbol", doc.clone())
        .await;
    assert_eq!(response["error"]["code"], -32002, "{response}");
    early
        .disconnect_mid_message(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
        .await;

    let text = include_str!("fixtures/xi-moscow.md");
    let (mut server, _) = TestServerBuilder::default().start().await;
    server.open(URI, "markdown", text).await;
    let bad = server
        .request("textDocument/documentSymbol", json!({"textDocument": 7}))
        .await;
    assert_eq!(bad["error"]["code"], -32602, "invalid params: {bad}");
    let closed = server
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///not-open.md"}}),
        )
        .await;
    assert_eq!(closed, Value::Null, "a document that is not open");
    // Asked twice for one version (the second from the cache), then after an edit: the same
    // outline, and the edit is seen.
    let first = server
        .call("textDocument/documentSymbol", doc.clone())
        .await;
    let again = server
        .call("textDocument/documentSymbol", doc.clone())
        .await;
    assert_eq!(first, again);
    let people = &first[0];
    assert_eq!(people["name"], "People", "{first}");
    assert!(!people["children"].as_array().unwrap().is_empty());
    // A blank line before the line of the first mention moves the outline down a line.
    let line = first[0]["range"]["start"]["line"].as_u64().unwrap() as u32;
    server.change(URI, 2, [line, 0, line, 0], "\n").await;
    server.diagnostics(URI, Some(2)).await;
    let edited = server
        .call("textDocument/documentSymbol", doc.clone())
        .await;
    assert_eq!(
        edited[0]["range"]["start"]["line"],
        first[0]["range"]["start"]["line"].as_u64().unwrap() + 1,
        "the outline of the edited text"
    );
    assert_eq!(server.call("shutdown", Value::Null).await, Value::Null);
    let late = server.request("textDocument/documentSymbol", doc).await;
    assert_eq!(late["error"]["code"], -32600, "{late}");
    server.notify("exit", Value::Null).await;
}

/// documentSymbol is answered outside tower-lsp-server's response path, but in its place
/// among the notifications: sent right after an edit, without waiting for the edit's
/// diagnostics, it answers for the edited text, never for an older version.
#[tokio::test]
async fn document_symbols_see_the_edits_sent_before_them() {
    let text = include_str!("fixtures/xi-moscow.md");
    let (mut server, _) = TestServerBuilder::default().start().await;
    server.open(URI, "markdown", text).await;
    let doc = json!({"textDocument": {"uri": URI}});
    let first = server
        .call("textDocument/documentSymbol", doc.clone())
        .await;
    let line = first[0]["range"]["start"]["line"].as_u64().unwrap();
    for i in 1..=12u64 {
        // One more blank line before the first mention's line each time.
        server
            .change(URI, 1 + i as i64, [line as u32, 0, line as u32, 0], "\n")
            .await;
        let outline = server
            .call("textDocument/documentSymbol", doc.clone())
            .await;
        assert_eq!(
            outline[0]["range"]["start"]["line"],
            line + i,
            "documentSymbol after edit {i} answered for an older text"
        );
    }
    server.diagnostics(URI, Some(13)).await;
    server.shutdown().await;
}

/// What a keystroke publishes is what a fresh analysis of the same text publishes: the
/// incremental path (paragraph cache, diagnostics rendered on the analysis thread and sent
/// through the output's lock) adds, drops and changes nothing, fixes' positions included.
#[tokio::test]
async fn diagnostics_after_edits_equal_those_of_the_same_text_opened_afresh() {
    let (mut server, _) = TestServerBuilder::default().start().await;
    let mut model = copydesk::generate::markdown(3, 6_000);
    let first = server.open(URI, "markdown", &model).await;
    assert!(!first.is_empty(), "the manuscript has findings");
    let mut at = copydesk::generate::typing_point(&model);
    // Typing, a new line, deleting a word, a quotation mark.
    let edits: [(usize, &str); 6] = [
        (0, "e"),
        (0, "x"),
        (0, "\n\n"),
        (4, ""),
        (0, "“Nobody knows,” he said. "),
        (0, "é"),
    ];
    for (version, (removed, inserted)) in (2..).zip(edits) {
        let end = (at + removed).min(model.len());
        let end = (end..=model.len())
            .find(|&i| model.is_char_boundary(i))
            .unwrap();
        let s = expected_position(&model, at, "utf-16");
        let e = expected_position(&model, end, "utf-16");
        let range = [&s["line"], &s["character"], &e["line"], &e["character"]]
            .map(|v| v.as_u64().unwrap() as u32);
        server.change(URI, version, range, inserted).await;
        model.replace_range(at..end, inserted);
        at += inserted.len();
        let edited = server.diagnostics(URI, Some(version)).await;
        // The same text, opened as another document at the same version.
        let fresh_uri = format!("file:///fresh-{version}.md");
        server
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": fresh_uri, "languageId": "markdown", "version": version, "text": model}}),
            )
            .await;
        let fresh = server.diagnostics(&fresh_uri, Some(version)).await;
        assert_eq!(edited, fresh, "v{version}");
        server
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": fresh_uri}}),
            )
            .await;
        server.diagnostics(&fresh_uri, None).await;
    }
    server.shutdown().await;
}
