//! A test client for the real language server over an in-memory duplex.
//!
//! In the spirit of typos-lsp's `tests/common/mod.rs` (raw JSON-RPC over `tokio::io::duplex`)
//! and ruff's `TestServerBuilder`, including its check that no server message went unread:
//! every notification the server sends is queued, tests take the ones they expect, and
//! [`TestServer::shutdown`] (or dropping the server) fails if any is left over. Requests from
//! the server (`client/registerCapability`, `window/workDoneProgress/create`) are answered
//! with `null` automatically and recorded in [`TestServer::server_requests`].
//!
//! Reads have a generous deadline so a broken server fails the test instead of hanging it;
//! tests never assert on time.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::path::Path;
use std::time::Duration;

use copydesk::lsp::AnalyzeFn;
use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};

/// How long a read may wait before the test fails as hung.
const DEADLINE: Duration = Duration::from_secs(60);

/// Builds a [`TestServer`]: client capabilities, initializationOptions, workspace root.
pub struct TestServerBuilder {
    encodings: Option<Vec<String>>,
    init_options: Value,
    root: Option<String>,
    capabilities: Value,
    analyze: Option<AnalyzeFn>,
}

impl Default for TestServerBuilder {
    fn default() -> Self {
        TestServerBuilder {
            encodings: None,
            init_options: Value::Null,
            root: None,
            capabilities: json!({
                "textDocument": {
                    "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                    "publishDiagnostics": {"codeDescriptionSupport": true, "dataSupport": true},
                },
                "workspace": {"workspaceEdit": {"documentChanges": true}},
            }),
            analyze: None,
        }
    }
}

impl TestServerBuilder {
    /// The client offers these position encodings (`general.positionEncodings`).
    pub fn encodings(mut self, encodings: &[&str]) -> Self {
        self.encodings = Some(encodings.iter().map(|s| s.to_string()).collect());
        self
    }

    pub fn init_options(mut self, options: Value) -> Self {
        self.init_options = options;
        self
    }

    /// The workspace root folder.
    pub fn root(mut self, root: &Path) -> Self {
        self.root = Some(file_uri(root));
        self
    }

    /// Replaces the client capabilities (besides `general.positionEncodings`).
    pub fn capabilities(mut self, capabilities: Value) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Runs the server with another analysis function.
    pub fn analyze(mut self, analyze: AnalyzeFn) -> Self {
        self.analyze = Some(analyze);
        self
    }

    /// Starts the server without initializing it.
    pub fn start_uninitialized(self) -> TestServer {
        TestServer::spawn(self.analyze)
    }

    /// Starts the server, sends `initialize` and `initialized`. Returns the server and the
    /// initialize result.
    pub async fn start(self) -> (TestServer, Value) {
        let mut server = TestServer::spawn(self.analyze);
        let mut capabilities = self.capabilities;
        if let Some(encodings) = self.encodings {
            capabilities["general"] = json!({"positionEncodings": encodings});
        }
        let mut params = json!({"processId": null, "capabilities": capabilities, "initializationOptions": self.init_options});
        if let Some(root) = &self.root {
            params["rootUri"] = json!(root);
            params["workspaceFolders"] = json!([{"uri": root, "name": "root"}]);
        }
        let result = server.request("initialize", params).await;
        assert!(result.get("error").is_none(), "initialize failed: {result}");
        server.notify("initialized", json!({})).await;
        (server, result["result"].clone())
    }
}

/// A running server and the client end of its streams.
pub struct TestServer {
    reader: BufReader<ReadHalf<DuplexStream>>,
    writer: WriteHalf<DuplexStream>,
    next_id: i64,
    /// Server notifications read off the wire but not yet taken by the test.
    queue: VecDeque<Value>,
    /// Requests the server sent us (answered with null).
    pub server_requests: Vec<Value>,
    /// The highest diagnostics version seen per URI, to check it never goes backwards.
    versions: std::collections::HashMap<String, i64>,
    task: tokio::task::JoinHandle<()>,
}

/// The `file://` URI of a path.
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl TestServer {
    fn spawn(analyze: Option<AnalyzeFn>) -> TestServer {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server);
        let task = tokio::spawn(async move {
            match analyze {
                Some(f) => copydesk::lsp::serve_with(server_read, server_write, f).await,
                None => copydesk::lsp::serve(server_read, server_write).await,
            }
        });
        let (client_read, client_write) = tokio::io::split(client);
        TestServer {
            reader: BufReader::new(client_read),
            writer: client_write,
            next_id: 0,
            queue: VecDeque::new(),
            server_requests: Vec::new(),
            versions: Default::default(),
            task,
        }
    }

    /// Writes raw bytes to the server (for malformed frames).
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("server gone");
        self.writer.flush().await.expect("server gone");
    }

    /// Writes one framed message.
    pub async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.send_raw(&frame).await;
    }

    /// Sends a notification.
    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns the whole response (with `result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response(json!(id)).await
    }

    /// Sends a request and returns its `result`, failing on an error response.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// Reads until the response with `id` arrives, queueing notifications on the way.
    pub async fn response(&mut self, id: Value) -> Value {
        loop {
            let message = self.read_message().await;
            if message.get("method").is_none() && message.get("id") == Some(&id) {
                return message;
            }
            self.dispatch(message).await;
        }
    }

    /// Handles a message that is not the response we wait for.
    async fn dispatch(&mut self, message: Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            // A request from the server: answer it.
            let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
            self.server_requests.push(message);
            self.send(&reply).await;
        } else {
            self.queue.push_back(message);
        }
    }

    async fn read_message(&mut self) -> Value {
        tokio::time::timeout(DEADLINE, self.read_frame())
            .await
            .expect("no message from the server (hung?)")
    }

    async fn read_frame(&mut self) -> Value {
        let mut len = None;
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).await.expect("read failed");
            assert!(n > 0, "the server closed the stream");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = Some(v.parse::<usize>().expect("bad Content-Length"));
            }
        }
        let mut body = vec![0; len.expect("no Content-Length")];
        self.reader.read_exact(&mut body).await.expect("short body");
        serde_json::from_slice(&body).expect("server sent invalid JSON")
    }

    /// Takes the next notification with `method` (earlier ones of other methods stay queued).
    pub async fn notification(&mut self, method: &str) -> Value {
        loop {
            if let Some(i) = self.queue.iter().position(|m| m["method"] == method) {
                return self.queue.remove(i).unwrap()["params"].clone();
            }
            let message = self.read_message().await;
            self.dispatch(message).await;
        }
    }

    /// Takes publishDiagnostics for `uri` until one carries `version` (`None`: without a
    /// version, as on close). Checks on the way that versions for the URI never go backwards.
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        loop {
            let queued = self.queue.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            });
            let Some(i) = queued else {
                let message = self.read_message().await;
                self.dispatch(message).await;
                continue;
            };
            let params = self.queue.remove(i).unwrap()["params"].clone();
            let got = params["version"].as_i64();
            if let Some(v) = got {
                let seen = self.versions.entry(uri.to_string()).or_insert(v);
                assert!(
                    v >= *seen,
                    "diagnostics went back from version {seen} to {v}"
                );
                *seen = v;
            }
            if got == version {
                return params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    /// Opens a document and returns its first diagnostics.
    pub async fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        )
        .await;
        self.diagnostics(uri, Some(1)).await
    }

    /// Sends one incremental change.
    pub async fn change(&mut self, uri: &str, version: i64, range: [u32; 4], text: &str) {
        let [sl, sc, el, ec] = range;
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": text}],
            }),
        )
        .await;
    }

    /// Asserts that no server message is waiting unread, then shuts the server down cleanly.
    pub async fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null).await;
        assert!(
            response.get("error").is_none(),
            "shutdown failed: {response}"
        );
        self.assert_drained();
        self.notify("exit", Value::Null).await;
        let _ = tokio::time::timeout(DEADLINE, &mut self.task).await;
    }

    /// Sends `partial` (the start of a message) and closes the connection; returns once the
    /// server has stopped (fails if it hangs).
    pub async fn disconnect_mid_message(mut self, partial: &[u8]) {
        self.send_raw(partial).await;
        self.writer.shutdown().await.expect("close");
        let task = &mut self.task;
        tokio::time::timeout(DEADLINE, task)
            .await
            .expect("the server did not stop after the client disconnected")
            .expect("the server task failed");
        self.queue.clear();
    }

    fn assert_drained(&self) {
        let unread: Vec<_> = self
            .queue
            .iter()
            .filter(|m| m["method"] != "$/progress")
            .collect();
        assert!(
            unread.is_empty(),
            "the server sent messages the test never read: {unread:#?}"
        );
    }

    /// Drops queued `$/progress` notifications (workspace indexing).
    pub fn skip_progress(&mut self) {
        self.queue.retain(|m| m["method"] != "$/progress");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.assert_drained();
        }
        self.task.abort();
    }
}

/// A text with `|` marking the cursor: the text without it and the cursor's byte offset.
pub fn cursor(marked: &str) -> (String, usize) {
    let at = marked.find('|').expect("no | cursor marker");
    (format!("{}{}", &marked[..at], &marked[at + 1..]), at)
}
