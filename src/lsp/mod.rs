//! The language server: the only module that names LSP types.
//!
//! [`run_stdio`] serves stdin/stdout; [`serve`] serves any byte streams (tests use an in-memory
//! duplex). The [`Backend`] only dispatches: edits go to [`documents`], settings to
//! [`settings`], requests to [`handlers`] over a [`documents::Snapshot`], results through
//! [`to_proto`] in the negotiated [`position`] encoding. Every engine call runs inside
//! [`guard::catch`]; analyses run on the document's own analysis thread ([`worker`]) so a big
//! document never stalls the server or the other documents.
//!
//! Input: [`framing`] re-frames the client's bytes before tower-lsp-server reads them, so a
//! malformed frame gets a JSON-RPC error response instead of ending the server.
//!
//! Publishing: after each didOpen/didChange/didSave (and for every open document after a
//! settings change) the document is analysed from a snapshot of its text in a background task
//! (notifications never wait for an analysis, so one slow document cannot hold up the messages
//! behind it; a job superseded by a newer edit before it starts is skipped), and the diagnostics
//! are published with the document version only if no newer edit or analysis has arrived in the
//! meantime (see [`documents`]); that check and the send happen under the output's lock
//! ([`output::Outbox::send_with`]), so the versions the client sees never go backwards.
//! didClose clears the document's diagnostics. Diagnostics are rendered to JSON and sent on
//! the analysis thread, through [`output`], bypassing tower-lsp-server's `serde_json::Value`
//! round trip (see there why); under `--stdio` the analysis thread writes them to the standard
//! output itself. Each document keeps its last body and, after an edit, re-renders only the
//! diagnostics that changed bytes ([`to_proto::Rendered`]).
//!
//! Requests (hover, definition, …) answer from the last good analysis when it is of the current
//! version; when the document changed since, it is analysed on demand (cheap: the paragraph
//! cache re-scans only what changed). A panic in the engine answers the request with
//! `InternalError`, is logged, and the document keeps its last good results.
//!
//! Large documents: a document larger than `max-document-bytes` (or `maxDocumentBytes`, in any
//! settings layer; default 8 MiB, see
//! [`settings::DEFAULT_MAX_DOCUMENT_BYTES`]) is not analysed. The user gets one
//! `window/showMessage` warning naming its size and the setting that raises the limit; its
//! diagnostics are cleared and requests on it answer empty. Edits are still applied, so it is
//! analysed again as soon as it shrinks below the limit. Other documents are unaffected.

pub mod capabilities;
pub mod documents;
pub mod framing;
pub mod from_proto;
pub mod guard;
pub mod handlers;
pub mod output;
pub mod position;
pub mod settings;
pub mod to_proto;
pub mod worker;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::{self, Result as RpcResult};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::engine::{Analysis, Analyzer, Config, Format};
use capabilities::ClientFeatures;
use documents::{Documents, Snapshot, Start};
use output::Outbox;
use settings::{Layers, Settings};

/// The analysis function the server runs (the engine; tests can inject a failing one).
pub type AnalyzeFn = Arc<dyn Fn(&mut Analyzer, &str, Format, &Config) -> Analysis + Send + Sync>;

/// Serves the language server over stdin and stdout until the client exits. Builds its own
/// tokio runtime.
pub fn run_stdio() -> anyhow::Result<()> {
    use std::os::fd::AsFd;
    return_freed_memory();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // Written with plain blocking writes on a handle of its own (see `output`): not through
    // tokio's stdout (a blocking-pool thread per write) nor std's (a line buffer that scans
    // megabytes of JSON for newlines).
    let stdout = std::fs::File::from(std::io::stdout().as_fd().try_clone_to_owned()?);
    enlarge_pipe(&stdout);
    let outbox = Outbox::direct(stdout);
    // Spawned rather than run by `block_on` itself, so the server's loop runs on a worker
    // thread beside the tasks it spawns, not on the main thread (one thread hop less per
    // message).
    let serving = runtime.spawn(async {
        let (server, tower_in) = server(tokio::io::stdin(), outbox.clone(), engine_analyze());
        tokio::join!(server, output::pump_direct(tower_in, outbox));
    });
    let _ = runtime.block_on(serving);
    // The input guard may still be blocked reading stdin (the client need not close it after
    // `exit`): do not wait for it, or the process would never end.
    runtime.shutdown_background();
    Ok(())
}

/// Enlarges the output pipe (Linux; nothing happens when the output is no pipe or the system
/// refuses). A large manuscript's diagnostics are megabytes per keystroke (3.7 MB for 8,787
/// findings at 1 MB): through the default 64 KiB pipe the writer blocks and the editor wakes
/// about 60 times per publish, through 1 MiB (the default most an unprivileged process may
/// ask for) four times. The pipe's pages are the kernel's, filled only while the client is
/// behind, and not part of our resident memory.
fn enlarge_pipe(out: &std::fs::File) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::fd::AsRawFd;
        for bytes in [1 << 20, 256 << 10] {
            // SAFETY: `fcntl` with `F_SETPIPE_SZ` takes an integer and only changes the
            // capacity of the pipe behind a descriptor we own; it fails harmlessly otherwise.
            let set = unsafe { libc::fcntl(out.as_raw_fd(), libc::F_SETPIPE_SZ, bytes) };
            if set >= 0 {
                tracing::debug!(bytes = set, "output pipe enlarged");
                return;
            }
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = out;
}

/// Lets glibc give freed memory back to the system. The server runs for hours beside the
/// editor, and a large document's analyses free megabytes at a time; glibc raises its trim and
/// mmap thresholds after the first large frees (up to 32 MiB), so that memory would stay in the
/// process. Fixing the trim threshold at glibc's initial 128 KiB keeps it there (and stops the
/// dynamic thresholds). Measured with the 1 MB manuscript open: peak RSS 52.9–54.1 → 48.7–48.9
/// MiB; nothing changes at 10 KB (see docs/performance.md). Only the server does this: the CLI
/// runs once and exits.
///
/// The mmap threshold, though, is fixed at [`MMAP_THRESHOLD`] rather than glibc's 128 KiB: a
/// keystroke at 1 MB allocates (and the retired snapshot frees) about 4 MB in blocks of
/// 0.2–1.2 MB (dates, quotations, findings, entities, paragraphs), and blocks above the
/// threshold are mapped afresh on each allocation and unmapped on each free, so every page of
/// them faulted again on every keystroke (about 500 of the 1,100 page faults per keystroke).
/// Below the threshold they come from the analysis thread's arena, where the previous
/// analysis's blocks, freed just before ([`documents::Leftovers`]), are reused.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets an allocator parameter (under glibc's own lock); no
    // pointer is involved.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// The size from which glibc maps a block of its own (see [`return_freed_memory`]): above the
/// largest per-analysis block of a 1 MB manuscript (1.2 MB, its dates). It costs memory: peak
/// RSS in the 1 MB bench 42.0–42.1 → 44.7–46.2 MiB (the arena keeps the freed blocks).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 2 << 20;

/// The processor time the calling thread has used so far (zero where it cannot be read), for
/// the debug log.
fn thread_cpu_time() -> std::time::Duration {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `clock_gettime` writes one `timespec` through a pointer to a live one.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0 {
            return std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32);
        }
    }
    std::time::Duration::ZERO
}

/// Serves the language server over any byte streams until the client exits or the input ends.
pub async fn serve<I: AsyncRead + Unpin + Send + 'static, O: AsyncWrite>(input: I, output: O) {
    serve_with(input, output, engine_analyze()).await;
}

/// The engine's analysis, as the server runs it.
fn engine_analyze() -> AnalyzeFn {
    Arc::new(
        |analyzer: &mut Analyzer, text: &str, format, config: &Config| {
            analyzer.analyze(text, format, config)
        },
    )
}

/// [`serve`] with another analysis function: for tests of the adapter's failure handling.
#[doc(hidden)]
pub async fn serve_with<I: AsyncRead + Unpin + Send + 'static, O: AsyncWrite>(
    input: I,
    output: O,
    analyze: AnalyzeFn,
) {
    let (outbox, inbox) = Outbox::new();
    let (server, tower_in) = server(input, outbox, analyze);
    tokio::join!(server, output::pump(tower_in, inbox, output));
}

/// The server reading `input` and sending through `outbox`, and the stream of
/// tower-lsp-server's own output frames, for a pump ([`output::pump`] or
/// [`output::pump_direct`]) to merge with the outbox's.
fn server<I: AsyncRead + Unpin + Send + 'static>(
    input: I,
    outbox: Outbox,
    analyze: AnalyzeFn,
) -> (
    impl std::future::Future<Output = ()>,
    tokio::io::DuplexStream,
) {
    let active = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let intercept = framing::Intercept {
        methods: INTERCEPTED,
        active: Arc::clone(&active),
    };
    let (service, socket) =
        LspService::build(|client| Backend::new(client, analyze, outbox, active))
            .custom_method(framing::INTERCEPTED_METHOD, Backend::intercepted)
            .custom_method(framing::PARSE_ERROR_METHOD, Backend::parse_error)
            .custom_method(framing::INVALID_REQUEST_METHOD, Backend::invalid_request)
            .finish();
    // tower-lsp-server writes into a pipe; `output::pump` merges its frames with ours.
    let (tower_out, tower_in) = tokio::io::duplex(1 << 16);
    // Malformed frames would end tower-lsp-server's reader: see `framing`.
    let input = framing::guard_input(input, Some(intercept));
    let server = Server::new(input, tower_out, socket).serve(service);
    (server, tower_in)
}

/// Requests answered by [`Inner::answer`] rather than tower-lsp-server (see [`framing`]): those
/// whose results can be megabytes.
const INTERCEPTED: &[&str] = &["textDocument/documentSymbol"];

/// Where the session is, for the requests answered outside tower-lsp-server (which answers
/// the others itself the same way).
const UNINITIALIZED: u8 = 0;
const INITIALIZED: u8 = 1;
const SHUT_DOWN: u8 = 2;

/// Session-wide state, read often and written at initialize and on settings changes.
#[derive(Default)]
struct State {
    features: ClientFeatures,
    layers: Layers,
    settings: Settings,
    /// Settings problems found during `initialize`, shown once `initialized` arrives.
    pending_messages: Vec<String>,
    /// The settings problems of the current layers, already shown: a problem is shown once,
    /// not again each time another layer changes.
    shown_messages: Vec<String>,
}

/// The server: dispatch only. Cheap to clone into background tasks.
pub struct Backend(Arc<Inner>);

impl std::ops::Deref for Backend {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The server's state, shared with its background tasks.
pub struct Inner {
    client: Client,
    docs: Arc<Documents>,
    state: RwLock<State>,
    /// Workspace files' symbols, by URI.
    index: Mutex<BTreeMap<Uri, Vec<SymbolInformation>>>,
    analyze: AnalyzeFn,
    /// Pre-rendered messages (diagnostics, intercepted responses) for the output. A result's
    /// version is checked and the result sent under its lock ([`Outbox::send_with`]), so
    /// publishes stay in order.
    outbox: Outbox,
    /// [`UNINITIALIZED`], [`INITIALIZED`] or [`SHUT_DOWN`].
    lifecycle: std::sync::atomic::AtomicU8,
    /// Whether requests are intercepted ([`framing::Intercept::active`]): while initialized.
    intercepting: Arc<std::sync::atomic::AtomicBool>,
}

/// Why an analysis produced no snapshot.
enum Skipped {
    /// The document is not open.
    NotOpen,
    /// The document is above the size limit.
    TooLarge,
    /// The engine panicked (already logged).
    Failed(jsonrpc::Error),
    /// A newer edit arrived before the analysis started; its own analysis follows.
    Superseded,
}

impl Backend {
    fn new(
        client: Client,
        analyze: AnalyzeFn,
        outbox: Outbox,
        intercepting: Arc<std::sync::atomic::AtomicBool>,
    ) -> Backend {
        let inner = Arc::new(Inner {
            client,
            docs: Arc::default(),
            state: RwLock::default(),
            index: Mutex::default(),
            analyze,
            outbox,
            lifecycle: std::sync::atomic::AtomicU8::new(UNINITIALIZED),
            intercepting,
        });
        Backend(inner)
    }

    /// Answers a request intercepted by [`framing`], in its own task (the answer can take an
    /// analysis), writing the response through the outbox. It arrives as a notification in
    /// its place among the others, so the edits sent before it are applied.
    async fn intercepted(&self, request: framing::InterceptedRequest) {
        let inner = Arc::clone(&self.0);
        tokio::spawn(async move {
            let result = inner.answer(&request.method, request.params).await;
            // The result (megabytes) is written from where it is kept, not copied into a
            // response body.
            let (head, tail) = to_proto::response_around(&request.id, result.as_ref().err());
            let json: &[u8] = result.as_deref().map_or(&[], Vec::as_slice);
            inner.outbox.send_parts(&[&head, json, &tail]);
        });
    }

    /// Answers a malformed frame (see [`framing`]).
    async fn parse_error(&self, params: Value) -> RpcResult<()> {
        framing::parse_error(params)
    }

    /// Answers a JSON body that is no JSON-RPC message (see [`framing`]).
    async fn invalid_request(&self, params: Value) -> RpcResult<()> {
        framing::invalid_request(params)
    }
}

impl Inner {
    fn state(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn state_mut(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    fn index(&self) -> MutexGuard<'_, BTreeMap<Uri, Vec<SymbolInformation>>> {
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Analyses the current text of `uri` on the analysis thread and publishes its diagnostics
    /// if the result is still current. With `skip_superseded`, the analysis is skipped when a
    /// newer job for the document exists by the time it would start (its result could never
    /// be published).
    async fn analyse(&self, uri: &Uri, skip_superseded: bool) -> Result<Arc<Snapshot>, Skipped> {
        let (settings, encoding, fields) = {
            let s = self.state();
            (
                s.settings.clone(),
                s.features.encoding,
                s.features.diagnostics,
            )
        };
        let Some(len) = self.docs.len(uri) else {
            return Err(Skipped::NotOpen);
        };
        if len > settings.max_document_bytes {
            self.too_large(uri, len, settings.max_document_bytes).await;
            return Err(Skipped::TooLarge);
        }
        let Some(job) = self.docs.job(uri) else {
            return Err(Skipped::NotOpen);
        };
        self.docs.with(uri, |d| d.oversize_warned = false);
        let ticket = job.ticket;
        let analyze = Arc::clone(&self.analyze);
        let docs = Arc::clone(&self.docs);
        let job_uri = uri.clone();
        let outbox = self.outbox.clone();
        let span = tracing::debug_span!("analysis", uri = uri.as_str(), ticket);
        let worker = Arc::clone(&job.worker);
        let result = worker
            .run(move || {
                let _span = span.enter();
                let started = std::time::Instant::now();
                // Read only for the debug log (a system call each).
                let debug = tracing::enabled!(tracing::Level::DEBUG);
                let cpu_time = || {
                    if debug {
                        thread_cpu_time()
                    } else {
                        std::time::Duration::ZERO
                    }
                };
                let cpu_started = cpu_time();
                let (version, rope, unchanged) = match docs.start(&job_uri, ticket, skip_superseded)
                {
                    Start::Text(version, rope, unchanged) => (version, rope, unchanged),
                    Start::Superseded => return Ok(None),
                    Start::Closed => return Err(Skipped::NotOpen),
                };
                // Copied here, outside the documents' lock, into the previous snapshot's
                // buffer when it was retired (only the edited bytes, and their lines indexed:
                // see `documents::Leftovers`).
                let (text, index) =
                    documents::Leftovers::copy_text(&job.leftovers, &rope, unchanged);
                drop(rope);
                let copied = started.elapsed();
                let cpu_copied = cpu_time();
                let mut analyzer = job.analyzer.lock().unwrap_or_else(|p| p.into_inner());
                // The engine compares the text with the one it analysed last only between the
                // ends the edits left alone.
                let (prefix, suffix) = documents::Leftovers::assumable(&job.leftovers, unchanged);
                analyzer.assume_unchanged(prefix, suffix);
                let analysis = guard::catch("analysis", || {
                    analyze(&mut analyzer, &text, job.format, &settings.config)
                });
                let analysis = match analysis {
                    Ok(analysis) => {
                        documents::Leftovers::set_analysed(&job.leftovers, ticket);
                        analysis
                    }
                    Err(e) => {
                        // The cache may hold half-built state from the panicking run: start
                        // afresh.
                        *analyzer = Analyzer::default();
                        documents::Leftovers::set_analysed(&job.leftovers, 0);
                        return Err(Skipped::Failed(e));
                    }
                };
                drop(analyzer);
                let analysed = started.elapsed();
                let cpu_analysed = cpu_time();
                let snapshot = Arc::new(Snapshot::with_index(
                    version, text, index, analysis, encoding, ticket,
                ));
                // Rendered and published here, off the async threads (no hop back to them on
                // the way out), unless a newer job already makes this result unpublishable:
                // the document's last body brought up to date (only the diagnostics that
                // changed are rendered: see `to_proto::Rendered`), then written out in chunks
                // under the output's lock.
                let mut kept = documents::Leftovers::take_rendered(&job.leftovers);
                let publish = docs.is_latest(&job_uri, ticket).then(|| {
                    guard::catch("diagnostics", || {
                        kept.update(fields, &snapshot, ticket, unchanged);
                    })
                    .is_ok()
                });
                if publish == Some(false) {
                    // Half updated: rendered afresh next time.
                    kept = to_proto::Rendered::default();
                }
                let rendered = started.elapsed();
                // Accepted (kept for requests) even when there is nothing to publish.
                let accept = || docs.accept(&job_uri, ticket, &snapshot);
                let published = match publish {
                    Some(true) => {
                        let body = kept.publish(&job_uri, Some(version));
                        outbox.send_streamed(accept, body.len(), |sink| body.write(sink))
                    }
                    // A failed conversion publishes no diagnostics rather than stale ones.
                    Some(false) => {
                        let empty = to_proto::write_publish(&job_uri, Some(version), None);
                        outbox.send_streamed(accept, empty.len(), |sink| sink(&empty))
                    }
                    None => outbox.send_with(|| {
                        accept();
                        None
                    }),
                };
                documents::Leftovers::put_rendered(&job.leftovers, kept);
                tracing::debug!(
                    version,
                    count = snapshot.analysis.findings.len(),
                    published,
                    text_us = copied.as_micros() as u64,
                    analysis_us = (analysed - copied).as_micros() as u64,
                    render_us = (rendered - analysed).as_micros() as u64,
                    total_us = started.elapsed().as_micros() as u64,
                    // Time on a processor (this thread's), which the load of other processes
                    // does not inflate as it does the wall-clock figures above.
                    analysis_cpu_us = (cpu_analysed - cpu_copied).as_micros() as u64,
                    cpu_us = (cpu_time() - cpu_started).as_micros() as u64,
                    "analysed, rendered and published"
                );
                Ok(Some(snapshot))
            })
            .await;
        match result {
            Ok(Ok(Some(snapshot))) => Ok(snapshot),
            Ok(Ok(None)) => Err(Skipped::Superseded),
            Ok(Err(skipped)) => Err(skipped),
            Err(worker::WorkerGone) => {
                tracing::error!("analysis task failed");
                Err(Skipped::Failed(guard::internal_error(
                    "copydesk: the analysis task failed",
                )))
            }
        }
    }

    /// Analyses and publishes in a background task, logging (not returning) failures: for
    /// notifications, which must not hold up the messages behind them.
    fn spawn_refresh(self: &Arc<Self>, uri: Uri) {
        use tracing::Instrument;
        let inner = Arc::clone(self);
        let task = async move {
            if let Err(Skipped::Failed(e)) = inner.analyse(&uri, true).await {
                tracing::error!(uri = uri.as_str(), error = %e.message, "analysis failed; the last good results stay");
            }
        };
        tokio::spawn(task.instrument(tracing::Span::current()));
    }

    /// The large-document policy: clear diagnostics, forget the snapshot, warn once.
    async fn too_large(&self, uri: &Uri, len: usize, limit: usize) {
        let Some((ticket, version, first, leftovers, worker)) = self.docs.with(uri, |d| {
            d.latest = None;
            d.ticket = documents::next_ticket();
            (
                d.ticket,
                d.version,
                !std::mem::replace(&mut d.oversize_warned, true),
                Arc::clone(&d.leftovers),
                Arc::clone(&d.worker),
            )
        }) else {
            return;
        };
        // Not analysed while too large: no text buffer is kept for its next analysis. Cleared
        // on the analysis thread, after the edit's own retiring of the stale snapshot (queued
        // there before this), which would otherwise put a buffer back.
        worker.post(move || documents::Leftovers::clear(&leftovers));
        self.outbox.send_with(|| {
            self.docs
                .accept_version(uri, ticket, version)
                .then(|| to_proto::write_publish(uri, Some(version), None))
        });
        if first {
            let name = uri
                .path()
                .split('/')
                .next_back()
                .unwrap_or_default()
                .to_string();
            let message = format!(
                "copydesk: {name} is {}, above the {} limit, so it is not checked. \
                 Raise the limit with the setting `max-document-bytes`.",
                human_size(len),
                human_size(limit)
            );
            tracing::warn!(
                uri = uri.as_str(),
                len,
                limit,
                "document too large; analysis skipped"
            );
            self.client
                .show_message(MessageType::WARNING, message)
                .await;
        }
    }

    /// The snapshot a request answers from: the last good one if current, else a fresh
    /// analysis. `None` when the document is not open or too large.
    async fn snapshot(&self, uri: &Uri) -> RpcResult<Option<Arc<Snapshot>>> {
        match self.docs.latest(uri) {
            None => {
                tracing::warn!(
                    uri = uri.as_str(),
                    "request for a document that is not open"
                );
                Ok(None)
            }
            Some((Some(snap), version)) if snap.version == version => Ok(Some(snap)),
            Some(_) => match self.analyse(uri, false).await {
                Ok(snap) => Ok(Some(snap)),
                Err(Skipped::NotOpen | Skipped::TooLarge | Skipped::Superseded) => Ok(None),
                // A panic: the request fails; the document keeps its last good results.
                Err(Skipped::Failed(e)) => Err(e),
            },
        }
    }

    /// Runs a handler over the request's snapshot inside the panic boundary.
    async fn with_snapshot<T>(
        &self,
        uri: &Uri,
        what: &str,
        f: impl FnOnce(&Snapshot) -> T,
    ) -> RpcResult<Option<T>> {
        let Some(snap) = self.snapshot(uri).await? else {
            return Ok(None);
        };
        guard::catch(what, || f(&snap)).map(Some)
    }

    /// The JSON result of an intercepted request, or its error, as tower-lsp-server would
    /// give them.
    async fn answer(&self, method: &str, params: Option<Value>) -> RpcResult<Arc<Vec<u8>>> {
        match self.lifecycle.load(std::sync::atomic::Ordering::Acquire) {
            UNINITIALIZED => {
                return Err(jsonrpc::Error {
                    code: jsonrpc::ErrorCode::ServerError(-32002),
                    message: "Server not initialized".into(),
                    data: None,
                });
            }
            SHUT_DOWN => return Err(jsonrpc::Error::invalid_request()),
            _ => {}
        }
        match method {
            "textDocument/documentSymbol" => {
                let params: DocumentSymbolParams =
                    serde_json::from_value(params.unwrap_or(Value::Null))
                        .map_err(|e| jsonrpc::Error::invalid_params(e.to_string()))?;
                let features = self.state().features.clone();
                let uri = params.text_document.uri;
                let (Some(snap), Some(worker)) = (
                    self.snapshot(&uri).await?,
                    self.docs.with(&uri, |d| Arc::clone(&d.worker)),
                ) else {
                    return Ok(Arc::new(b"null".to_vec()));
                };
                // Rendered on the document's analysis thread: megabytes on a large manuscript,
                // which should neither hold up an async thread nor grow its allocator arena.
                worker
                    .run(move || {
                        guard::catch("documentSymbol", || {
                            snap.symbols_json(features.hierarchical_symbols, || {
                                handlers::symbols::document_symbols_json(&features, &uri, &snap)
                            })
                        })
                    })
                    .await
                    .unwrap_or_else(|worker::WorkerGone| {
                        Err(guard::internal_error("copydesk: the analysis task failed"))
                    })
            }
            _ => Err(jsonrpc::Error::method_not_found()),
        }
    }

    /// Recomputes settings from the layers, shows problems, re-analyses every open document.
    async fn settings_changed(self: &Arc<Self>) {
        let messages = {
            let mut s = self.state_mut();
            let (settings, messages) = s.layers.resolve();
            s.settings = settings;
            let fresh: Vec<String> = messages
                .iter()
                .filter(|m| !s.shown_messages.contains(m))
                .cloned()
                .collect();
            s.shown_messages = messages;
            fresh
        };
        self.show_messages(messages).await;
        for uri in self.docs.uris() {
            self.spawn_refresh(uri);
        }
        // The entity sheet changes what the workspace's files name: index them again.
        if self.state().layers.root.is_some() {
            let inner = Arc::clone(self);
            tokio::spawn(async move { inner.index_workspace().await });
        }
    }

    async fn show_messages(&self, messages: Vec<String>) {
        for m in messages {
            self.client.show_message(MessageType::WARNING, m).await;
        }
    }

    /// Whether `uri` is the workspace's `copydesk.toml`.
    fn is_config_file(&self, uri: &Uri) -> bool {
        let Some(path) = from_proto::file_path(uri) else {
            return false;
        };
        match self.state().layers.file_path() {
            Some(config) => path == config,
            None => false,
        }
    }

    /// Indexes one workspace file again in the background (see [`Self::index_workspace`]).
    fn reindex(self: &Arc<Self>, uri: Uri) {
        let Some(path) = from_proto::file_path(&uri) else {
            return;
        };
        let (config, encoding) = {
            let s = self.state();
            (s.settings.config.clone(), s.features.encoding)
        };
        let inner = Arc::clone(self);
        tokio::spawn(async move {
            let docs = Arc::clone(&inner.docs);
            let entry = tokio::task::spawn_blocking(move || {
                let is_open = |uri: &Uri| docs.is_open(uri);
                handlers::workspace::index_file(&path, &config, encoding, &is_open)
            })
            .await;
            if let Ok(Some((uri, symbols))) = entry {
                inner.index().insert(uri, symbols);
            }
        });
    }

    /// Indexes the workspace's manuscripts in the background, reporting `$/progress` when the
    /// client supports it. Each file waits until no open document is being analysed
    /// ([`Documents::wait_until_idle`]): on two cores a full analysis of a workspace file
    /// beside the first analysis of the document just opened (often the same file, opened a
    /// moment after `initialized`) delays its diagnostics and doubles the memory peak.
    async fn index_workspace(&self) {
        let (root, config, encoding, progress) = {
            let s = self.state();
            (
                s.layers.root.clone(),
                s.settings.config.clone(),
                s.features.encoding,
                s.features.work_done_progress,
            )
        };
        let Some(root) = root else { return };
        let progress = if progress {
            // A token may be used for one progress only (the spec forbids reusing one, and
            // clients reject it), and the workspace is indexed again after settings change.
            static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let token = NumberOrString::String(format!("copydesk/index/{run}"));
            match self.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    self.client
                        .progress(token, "Indexing manuscripts")
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                Err(e) => {
                    tracing::debug!(error = %e, "client refused progress");
                    None
                }
            }
        } else {
            None
        };
        // The `didOpen` that usually follows `initialized` goes first.
        tokio::time::sleep(INDEX_DELAY).await;
        let files = tokio::task::spawn_blocking(move || handlers::workspace::collect_files(&root))
            .await
            .unwrap_or_default();
        let total = files.len();
        for (i, chunk) in files.chunks(25).enumerate() {
            let chunk = chunk.to_vec();
            let config = config.clone();
            let docs = Arc::clone(&self.docs);
            let entries = tokio::task::spawn_blocking(move || {
                let is_open = |uri: &Uri| docs.is_open(uri);
                chunk
                    .iter()
                    .filter_map(|p| {
                        docs.wait_until_idle();
                        handlers::workspace::index_file(p, &config, encoding, &is_open)
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            self.index().extend(entries);
            if let Some(p) = &progress {
                let done = ((i + 1) * 25).min(total);
                p.report_with_message(
                    format!("{done}/{total} files"),
                    (done * 100 / total.max(1)) as u32,
                )
                .await;
            }
        }
        tracing::info!(files = total, "workspace indexed");
        if let Some(p) = progress {
            p.finish_with_message(format!("{total} files")).await;
        }
    }
}

/// How long workspace indexing waits before it starts (see [`Inner::index_workspace`]).
const INDEX_DELAY: std::time::Duration = std::time::Duration::from_millis(100);

/// A byte count for people: `10.5 MB`, `1.5 kB`, `300 bytes`.
fn human_size(n: usize) -> String {
    match n {
        1_000_000.. => format!("{:.1} MB", n as f64 / 1e6),
        1_000.. => format!("{:.1} kB", n as f64 / 1e3),
        _ => format!("{n} bytes"),
    }
}

fn uri_root(params: &InitializeParams) -> Option<std::path::PathBuf> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|f| f.first()) {
        return from_proto::file_path(&folder.uri);
    }
    #[allow(deprecated)] // rootUri is deprecated in favour of workspaceFolders but still sent.
    params.root_uri.as_ref().and_then(from_proto::file_path)
}

impl LanguageServer for Backend {
    #[tracing::instrument(skip_all)]
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let features = ClientFeatures::from_capabilities(&params.capabilities);
        tracing::info!(encoding = ?features.encoding, "initialize");
        let capabilities = capabilities::server_capabilities(&features);
        let mut s = self.state_mut();
        s.features = features;
        s.layers.root = uri_root(&params);
        s.layers.init = params.initialization_options.unwrap_or(Value::Null);
        s.layers.read_file();
        let (settings, messages) = s.layers.resolve();
        s.settings = settings;
        s.shown_messages = messages.clone();
        s.pending_messages = messages;
        self.lifecycle
            .store(INITIALIZED, std::sync::atomic::Ordering::Release);
        self.intercepting
            .store(true, std::sync::atomic::Ordering::Release);
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "copydesk".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    #[tracing::instrument(skip_all)]
    async fn initialized(&self, _: InitializedParams) {
        let (messages, watch) = {
            let mut s = self.state_mut();
            (
                std::mem::take(&mut s.pending_messages),
                s.features.watch_files_dynamically && s.layers.root.is_some(),
            )
        };
        self.show_messages(messages).await;
        if watch {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{}", settings::CONFIG_FILE)),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "copydesk-config-watcher".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                tracing::warn!(error = %e, "could not register the copydesk.toml watcher");
            }
        }
        let inner = Arc::clone(&self.0);
        tokio::spawn(async move { inner.index_workspace().await });
    }

    #[tracing::instrument(skip_all)]
    async fn shutdown(&self) -> RpcResult<()> {
        tracing::info!("shutdown");
        self.intercepting
            .store(false, std::sync::atomic::Ordering::Release);
        self.lifecycle
            .store(SHUT_DOWN, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(uri = params.text_document.uri.as_str(), version = params.text_document.version))]
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.docs
            .open(doc.uri.clone(), &doc.text, doc.version, &doc.language_id);
        self.0.spawn_refresh(doc.uri);
    }

    // At debug level: a span at the default `info` formats its fields into the log's span
    // store on every keystroke (and the refresh task carries it), for log lines that name the
    // URI themselves.
    #[tracing::instrument(level = "debug", skip_all, fields(uri = params.text_document.uri.as_str(), version = params.text_document.version))]
    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let encoding = self.state().features.encoding;
        let uri = params.text_document.uri;
        // Applied synchronously, before any `.await`, so edits keep their arrival order.
        if let Some(changed) = self.docs.change(
            &uri,
            params.text_document.version,
            &params.content_changes,
            encoding,
        ) {
            // The snapshot the edit made stale is taken apart on the analysis thread, ahead of
            // the analysis the edit asks for (see `documents::Leftovers`): freed before that
            // analysis allocates (one analysis in memory, not two), from the thread whose
            // arena it came from, and its text buffer reused for the new copy.
            if let Some(stale) = changed.stale {
                let leftovers = changed.leftovers;
                changed
                    .worker
                    .post(move || documents::Leftovers::retire(&leftovers, stale));
            }
            self.0.spawn_refresh(uri);
        }
    }

    #[tracing::instrument(skip_all, fields(uri = params.text_document.uri.as_str()))]
    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.is_config_file(&uri) {
            self.state_mut().layers.read_file();
            self.0.settings_changed().await;
        }
        if self.docs.is_open(&uri) {
            self.0.spawn_refresh(uri);
        }
    }

    #[tracing::instrument(skip_all, fields(uri = params.text_document.uri.as_str()))]
    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(doc) = self.docs.close(&uri) else {
            return;
        };
        // A workspace file's index entry takes over from the open document's last analysis;
        // without one (an edit since), the file is indexed afresh.
        if self.index().contains_key(&uri) {
            match doc.latest {
                Some(snap) => {
                    if let Ok(flat) = guard::catch("workspace symbols", || {
                        to_proto::flat_symbols(&uri, &snap, &snap.outline())
                    }) {
                        self.index().insert(uri.clone(), flat);
                    }
                }
                None => self.0.reindex(uri.clone()),
            }
        }
        self.outbox.send(to_proto::write_publish(&uri, None, None));
    }

    #[tracing::instrument(skip_all)]
    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.state_mut().layers.editor = params.settings;
        self.0.settings_changed().await;
    }

    #[tracing::instrument(skip_all)]
    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| self.is_config_file(&c.uri)) {
            self.state_mut().layers.read_file();
            self.0.settings_changed().await;
        }
    }

    #[tracing::instrument(skip_all)]
    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        let p = params.text_document_position_params;
        Ok(self
            .with_snapshot(&p.text_document.uri, "hover", |s| {
                handlers::navigation::hover(s, p.position)
            })
            .await?
            .flatten())
    }

    #[tracing::instrument(skip_all)]
    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> RpcResult<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri;
        Ok(self
            .with_snapshot(&uri, "definition", |s| {
                handlers::navigation::definition(&uri, s, p.position)
            })
            .await?
            .flatten())
    }

    #[tracing::instrument(skip_all)]
    async fn references(&self, params: ReferenceParams) -> RpcResult<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let include = params.context.include_declaration;
        self.with_snapshot(&uri, "references", |s| {
            handlers::navigation::references(&uri, s, p.position, include)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> RpcResult<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        self.with_snapshot(&p.text_document.uri, "documentHighlight", |s| {
            handlers::navigation::highlight(s, p.position)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> RpcResult<Option<PrepareRenameResponse>> {
        Ok(self
            .with_snapshot(&params.text_document.uri, "prepareRename", |s| {
                handlers::navigation::prepare_rename(s, params.position)
            })
            .await?
            .flatten())
    }

    #[tracing::instrument(skip_all)]
    async fn rename(&self, params: RenameParams) -> RpcResult<Option<WorkspaceEdit>> {
        let features = self.state().features.clone();
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let result = self
            .with_snapshot(&uri, "rename", |s| {
                handlers::navigation::rename(&features, &uri, s, p.position, &params.new_name)
            })
            .await?;
        result.transpose().map(Option::flatten)
    }

    #[tracing::instrument(skip_all)]
    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> RpcResult<Option<DocumentSymbolResponse>> {
        let features = self.state().features.clone();
        let uri = params.text_document.uri;
        self.with_snapshot(&uri, "documentSymbol", |s| {
            handlers::symbols::document_symbols(&features, &uri, s)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> RpcResult<Option<WorkspaceSymbolResponse>> {
        use handlers::workspace::{MAX_RESULTS, matches};
        let query = params.query;
        let mut out = Vec::new();
        let open = self.docs.uris();
        for uri in &open {
            let Ok(Some(snap)) = self.snapshot(uri).await else {
                continue;
            };
            let symbols = guard::catch("workspace symbols", || {
                to_proto::flat_symbols(uri, &snap, &snap.outline())
            })?;
            out.extend(symbols.into_iter().filter(|s| matches(&query, &s.name)));
        }
        for (uri, symbols) in self.index().iter() {
            if !open.contains(uri) {
                out.extend(symbols.iter().filter(|s| matches(&query, &s.name)).cloned());
            }
        }
        out.truncate(MAX_RESULTS);
        Ok(Some(WorkspaceSymbolResponse::Flat(out)))
    }

    #[tracing::instrument(skip_all)]
    async fn inlay_hint(&self, params: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
        let enabled = self.state().settings.config.inlay_hints;
        self.with_snapshot(&params.text_document.uri, "inlayHint", |s| {
            handlers::decorations::inlay_hints(s, params.range, enabled)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> RpcResult<Option<SemanticTokensResult>> {
        self.with_snapshot(&params.text_document.uri, "semanticTokens", |s| {
            SemanticTokensResult::Tokens(handlers::decorations::semantic_tokens(s))
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        let features = self.state().features.clone();
        let uri = params.text_document.uri;
        self.with_snapshot(&uri, "codeAction", |s| {
            handlers::actions::code_actions(&features, &uri, s, params.range, &params.context)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(command = params.command))]
    async fn execute_command(&self, params: ExecuteCommandParams) -> RpcResult<Option<LSPAny>> {
        if params.command != capabilities::SOURCES_COMMAND {
            return Err(jsonrpc::Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(|a| serde_json::from_value::<Uri>(a.clone()).ok())
            .ok_or_else(|| {
                jsonrpc::Error::invalid_params(
                    "copydesk.sources takes one argument: the document URI",
                )
            })?;
        match self
            .with_snapshot(&uri, "copydesk.sources", handlers::actions::sources)
            .await?
        {
            Some(Ok(value)) => Ok(Some(value)),
            Some(Err(e)) => Err(guard::internal_error(e.to_string())),
            None => Err(jsonrpc::Error::invalid_params(format!(
                "{} is not open (or too large to analyse)",
                uri.as_str()
            ))),
        }
    }
}
