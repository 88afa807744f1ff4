//! End-to-end latency of the real language server, driven over stdio like an editor.
//!
//! For each generated manuscript (10 KB, 100 KB, 1 MB) it spawns `copydesk lsp --stdio`, then
//! measures: start-up to the `initialize` response; `didOpen` to the first
//! `publishDiagnostics`; 200 single-character incremental edits typed in the middle of a
//! paragraph, each timed from sending `didChange` to receiving the `publishDiagnostics` of that
//! version (p50, p90, p99, max); `hover` and `documentSymbol` latency; and the server's peak RSS
//! (`VmHWM`) with the document open. Each edit is sent as soon as the previous one's diagnostics
//! arrive (the server may still be tidying up after that publish); `--pause-ms N` waits N
//! milliseconds first, as a typist does between keys (lspbench.py's client, which parses each
//! publish in Python, pauses about that long anyway).
//!
//! ```text
//! cargo bench --bench lsp_latency                  # all sizes, 200 edits each
//! cargo bench --bench lsp_latency -- --edits 500   # more edits
//! cargo bench --bench lsp_latency -- --only 1MB     # one size (10KB, 100KB or 1MB)
//! cargo bench --bench lsp_latency -- --pause-ms 50  # a pause after each edit's diagnostics
//! COPYDESK_BIN=target/release/copydesk cargo bench --bench lsp_latency
//! ```
//!
//! Results are printed as a table and written to `target/lsp-latency.json`. Under
//! `cargo test --all-targets` (no `--bench` argument) it runs a smoke version instead: one
//! 10 KB document and a few edits, so the harness itself stays tested.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use copydesk::generate;
use serde_json::{Value, json};

/// How long any single wait may take before the run fails as hung.
const DEADLINE: Duration = Duration::from_secs(120);

/// A message from the server and when it arrived.
struct Arrival {
    at: Instant,
    message: Value,
}

/// A running server and the client end of its pipes.
struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    inbox: Receiver<Arrival>,
    next_id: i64,
}

fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).expect("JSON");
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    out
}

fn write_to(stdin: &Mutex<ChildStdin>, message: &Value) {
    let bytes = frame(message);
    let mut w = stdin.lock().unwrap_or_else(|p| p.into_inner());
    w.write_all(&bytes)
        .and_then(|()| w.flush())
        .expect("the server closed its input");
}

/// Reads framed messages off the server's stdout; answers server requests itself (so the main
/// thread only sees notifications and responses).
fn reader(stdout: impl Read, stdin: Arc<Mutex<ChildStdin>>, tx: std::sync::mpsc::Sender<Arrival>) {
    let mut r = BufReader::new(stdout);
    let mut body = Vec::new();
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else { return };
        // Read into the buffer of the last message: a fresh 3.7 MB buffer per publish (pages
        // faulted in and zeroed while the server waits on the pipe) costs the client about
        // 0.5 ms, which would be counted against the server.
        body.clear();
        match (&mut r).take(length as u64).read_to_end(&mut body) {
            Ok(n) if n == length => {}
            _ => return,
        }
        let at = Instant::now();
        let Ok(message) = serde_json::from_slice::<Value>(&body) else {
            continue;
        };
        if message.get("method").is_some() && message.get("id").is_some() {
            let result = match message["method"].as_str() {
                Some("workspace/configuration") => {
                    let n = message["params"]["items"].as_array().map_or(0, Vec::len);
                    Value::Array(vec![Value::Null; n])
                }
                _ => Value::Null,
            };
            write_to(
                &stdin,
                &json!({"jsonrpc": "2.0", "id": message["id"], "result": result}),
            );
            continue;
        }
        if tx.send(Arrival { at, message }).is_err() {
            return;
        }
    }
}

impl Server {
    fn spawn(bin: &str) -> (Server, Instant) {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        let w = Arc::clone(&stdin);
        std::thread::spawn(move || reader(stdout, w, tx));
        (
            Server {
                child,
                stdin,
                inbox: rx,
                next_id: 0,
            },
            started,
        )
    }

    fn send(&self, message: &Value) -> Instant {
        let t = Instant::now();
        write_to(&self.stdin, message);
        t
    }

    fn notify(&self, method: &str, params: Value) -> Instant {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Waits for the first message matching `want`, dropping others.
    fn wait(&self, what: &str, want: impl Fn(&Value) -> bool) -> Arrival {
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.inbox.recv_timeout(left) {
                Ok(a) if want(&a.message) => return a,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no {what} within {DEADLINE:?}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server exited while waiting for {what}")
                }
            }
        }
    }

    /// Sends a request and returns (latency, response).
    fn request(&mut self, method: &str, params: Value) -> (Duration, Value) {
        self.next_id += 1;
        let id = self.next_id;
        let t = self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let a = self.wait(method, |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        });
        (a.at - t, a.message)
    }

    fn wait_diagnostics(&self, uri: &str, version: Option<i64>) -> Arrival {
        self.wait("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"].as_i64() == Some(v))
        })
    }

    /// Peak resident set size of the server process, in KiB.
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The UTF-16 line and character of byte `offset` (the default encoding the bench negotiates).
fn lsp_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Percentile by linear interpolation between closest ranks (as lspbench.py does).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = (sorted.len() - 1) as f64 * p / 100.0;
    let (f, c) = (
        k.floor() as usize,
        (k.ceil() as usize).min(sorted.len() - 1),
    );
    sorted[f] + (sorted[c] - sorted[f]) * (k - f as f64)
}

fn summary(mut v: Vec<f64>) -> Value {
    v.sort_by(f64::total_cmp);
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    json!({
        "count": v.len(),
        "p50": r(percentile(&v, 50.0)),
        "p90": r(percentile(&v, 90.0)),
        "p99": r(percentile(&v, 99.0)),
        "max": r(v.last().copied().unwrap_or(f64::NAN)),
    })
}

/// One full run on a manuscript of `size` bytes.
fn run(
    bin: &str,
    label: &str,
    size: usize,
    edits: usize,
    pause: Duration,
    repeats: usize,
) -> Value {
    let text = generate::markdown(1, size);
    let uri = format!("file:///bench/doc_{label}.md");
    let (mut server, started) = Server::spawn(bin);
    let (_, init) = server.request(
        "initialize",
        json!({"processId": null, "capabilities": {}, "rootUri": null}),
    );
    let startup = Instant::now() - started;
    assert!(init.get("result").is_some(), "initialize failed: {init}");
    server.notify("initialized", json!({}));

    let t = server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let first = server.wait_diagnostics(&uri, Some(1));
    let open_ms = ms(first.at - t);
    let diagnostics_on_open = first.message["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);

    let mut text = text;
    let mut at = generate::typing_point(&text);
    let words = "the council said on Tuesday that a revised plan would be delivered ";
    let mut keystrokes = Vec::with_capacity(edits);
    for (i, c) in words.chars().cycle().take(edits).enumerate() {
        let version = i as i64 + 2;
        let pos = lsp_position(&text, at);
        let t = server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": pos, "end": pos}, "text": c.to_string()}],
            }),
        );
        text.insert(at, c);
        at += c.len_utf8();
        let a = server.wait_diagnostics(&uri, Some(version));
        keystrokes.push(ms(a.at - t));
        std::thread::sleep(pause);
    }

    // Hover on a name in the first body paragraph, and the document outline.
    let hover_at = text.find(" said").map_or(0, |i| i.saturating_sub(4));
    let hover_at = (0..=hover_at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let mut hovers = Vec::new();
    let mut symbols = Vec::new();
    for _ in 0..repeats {
        let (d, _) = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": lsp_position(&text, hover_at)}),
        );
        hovers.push(ms(d));
        let (d, _) = server.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        symbols.push(ms(d));
    }
    let rss = server.peak_rss_kib();
    server.shutdown();
    json!({
        "doc": label,
        "bytes": text.len(),
        "startup_to_initialize_ms": (ms(startup) * 1000.0).round() / 1000.0,
        "open_to_first_diagnostics_ms": (open_ms * 1000.0).round() / 1000.0,
        "diagnostics_on_open": diagnostics_on_open,
        "keystroke_to_diagnostics_ms": summary(keystrokes),
        "hover_ms": summary(hovers),
        "document_symbol_ms": summary(symbols),
        "peak_rss_mib": rss.map(|k| (k as f64 / 1024.0 * 10.0).round() / 10.0),
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bench = args.iter().any(|a| a == "--bench");
    let edits = args
        .iter()
        .position(|a| a == "--edits")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(if bench { 200 } else { 5 });
    let pause = Duration::from_millis(
        args.iter()
            .position(|a| a == "--pause-ms")
            .and_then(|i| args.get(i + 1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
    );
    let bin = std::env::var("COPYDESK_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_copydesk").to_string());
    let sizes: &[(&str, usize)] = if bench {
        &[("10KB", 10_000), ("100KB", 100_000), ("1MB", 1_000_000)]
    } else {
        &[("10KB", 10_000)]
    };
    let only: Option<&String> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    let sizes: Vec<(&str, usize)> = sizes
        .iter()
        .copied()
        .filter(|(label, _)| only.is_none_or(|o| o == label))
        .collect();
    let repeats = if bench { 50 } else { 2 };
    let mut results = Vec::new();
    println!("server: {bin}");
    println!(
        "{:>6} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9}",
        "doc", "init ms", "open ms", "p50", "p90", "p99", "max", "hover p50", "symb p50", "RSS MiB"
    );
    for &(label, size) in &sizes {
        let r = run(&bin, label, size, edits, pause, repeats);
        let k = &r["keystroke_to_diagnostics_ms"];
        println!(
            "{:>6} {:>9.2} {:>9.2} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>9.3} {:>9.3} {:>9}",
            label,
            r["startup_to_initialize_ms"].as_f64().unwrap_or(f64::NAN),
            r["open_to_first_diagnostics_ms"]
                .as_f64()
                .unwrap_or(f64::NAN),
            k["p50"].as_f64().unwrap_or(f64::NAN),
            k["p90"].as_f64().unwrap_or(f64::NAN),
            k["p99"].as_f64().unwrap_or(f64::NAN),
            k["max"].as_f64().unwrap_or(f64::NAN),
            r["hover_ms"]["p50"].as_f64().unwrap_or(f64::NAN),
            r["document_symbol_ms"]["p50"].as_f64().unwrap_or(f64::NAN),
            r["peak_rss_mib"],
        );
        results.push(r);
    }
    if bench {
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("lsp-latency.json");
        let report = json!({"server": bin, "edits": edits, "pause_ms": pause.as_millis() as u64, "results": results});
        match std::fs::write(
            &out,
            serde_json::to_string_pretty(&report).unwrap_or_default(),
        ) {
            Ok(()) => println!("wrote {}", out.display()),
            Err(e) => eprintln!("cannot write {}: {e}", out.display()),
        }
    }
}
