//! Open documents: a `ropey` buffer per document, its version, and its last good analysis.
//!
//! Contract:
//! - Edits are applied synchronously, in arrival order, before the handler reaches any
//!   `.await`; the store's `std::sync::Mutex` is held only for the edit or a lookup, never across
//!   an `.await`.
//! - Changes for a document that is not open are logged and ignored. Out-of-range positions in
//!   a change clamp (see [`super::position`]).
//! - Every analysis is a *job* with a ticket. A result is accepted for publishing only if its
//!   ticket is the latest one issued for the document and its version is the document's current
//!   version; so a result for an older version is never published after a newer one, and the
//!   published version never goes backwards.
//! - The last good [`Snapshot`] (text, line index, analysis) is kept for requests, so hover and
//!   friends answer without re-analysing, as long as it is of the current version. An edit
//!   makes it useless (a request then needs the new version's analysis), so [`Documents::change`]
//!   hands it back, to be taken apart on the document's analysis thread ahead of the next
//!   analysis ([`Leftovers`]) rather than kept alive until that analysis finishes: one analysis
//!   in memory instead of two, and its text buffer reused for the next copy.
//! - A job takes its text only when it starts ([`Documents::start`]), so a job that a newer
//!   edit superseded while it waited costs nothing, and no queued job holds a copy. It takes a
//!   clone of the rope (shared nodes, no copy) under the lock and copies it into a string on
//!   its own thread, so edits never wait for a megabyte copy.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use super::position::{LineIndex, PositionEncoding, rope_char_index};
use super::worker::Worker;
use crate::engine::navigation::{self, Symbol};
use crate::engine::{Analysis, Analyzer, Format, TextRange};

/// An analysed version of a document: everything a request needs, immutable.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i32,
    pub text: String,
    pub index: LineIndex,
    pub analysis: Analysis,
    pub encoding: PositionEncoding,
    /// The JSON of the documentSymbol result (flat, nested), rendered on first use and kept:
    /// on a large manuscript it is megabytes, asked for again whenever the editor refreshes
    /// its outline.
    symbols_json: [OnceLock<Arc<Vec<u8>>>; 2],
}

impl Snapshot {
    /// Builds a snapshot of `text` (indexes its lines).
    pub fn new(
        version: i32,
        text: String,
        analysis: Analysis,
        encoding: PositionEncoding,
    ) -> Snapshot {
        let index = LineIndex::new(&text);
        Snapshot {
            version,
            text,
            index,
            analysis,
            encoding,
            symbols_json: Default::default(),
        }
    }

    /// The JSON of this snapshot's documentSymbol result, hierarchical or flat, rendered by
    /// `render` the first time it is asked for. Shared, not copied: it is written to the
    /// output straight from here.
    pub fn symbols_json(
        &self,
        hierarchical: bool,
        render: impl FnOnce() -> Vec<u8>,
    ) -> Arc<Vec<u8>> {
        Arc::clone(self.symbols_json[usize::from(hierarchical)].get_or_init(|| Arc::new(render())))
    }

    /// The document outline ([`navigation::symbols`]). Not kept: documentSymbol keeps its
    /// rendered JSON instead ([`Self::symbols_json`]), a fraction of the outline's memory.
    pub fn outline(&self) -> Vec<Symbol> {
        navigation::symbols(&self.analysis, &self.text)
    }

    /// The byte offset of a client position.
    pub fn offset(&self, pos: Position) -> usize {
        self.index.offset(&self.text, pos, self.encoding)
    }

    /// The client position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.index.position(&self.text, offset, self.encoding)
    }

    /// The client range of a byte range.
    pub fn range(&self, range: TextRange) -> Range {
        self.index.range(&self.text, range, self.encoding)
    }

    /// The byte range of a client range.
    pub fn text_range(&self, range: Range) -> TextRange {
        self.index.text_range(&self.text, range, self.encoding)
    }
}

/// One open document.
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub format: Format,
    /// The paragraph cache; locked only on the analysis thread while analysing.
    pub analyzer: Arc<Mutex<Analyzer>>,
    /// The document's analysis thread (its own, so a slow document never holds up another).
    pub worker: Arc<Worker>,
    /// What the previous analysis leaves for the next one (see [`Leftovers`]).
    pub leftovers: Arc<Mutex<Leftovers>>,
    /// The last good analysis, possibly of an older version.
    pub latest: Option<Arc<Snapshot>>,
    /// The ticket of the most recent analysis job (0: none yet).
    pub ticket: u64,
    /// The version last published (diagnostics), never decreasing.
    pub published: Option<i32>,
    /// Whether the user was told this document is too large to analyse.
    pub oversize_warned: bool,
}

/// How often [`Documents::wait_until_idle`] looks.
const IDLE_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// Tickets come from one counter for the whole process, so a document closed and reopened
/// never reuses the ticket of a job still running for its previous incarnation.
static TICKETS: AtomicU64 = AtomicU64::new(1);

/// A fresh job ticket.
pub fn next_ticket() -> u64 {
    TICKETS.fetch_add(1, Ordering::Relaxed)
}

/// What an analysis job needs, taken under the lock when the job is issued; its text is
/// taken when it starts ([`Documents::start`]).
pub struct Job {
    pub ticket: u64,
    pub format: Format,
    pub analyzer: Arc<Mutex<Analyzer>>,
    pub worker: Arc<Worker>,
    pub leftovers: Arc<Mutex<Leftovers>>,
}

/// What an edit hands back ([`Documents::change`]).
pub struct Changed {
    /// The snapshot the edit made stale, if any, to be retired on the analysis thread
    /// ([`Leftovers::retire`]).
    pub stale: Option<Arc<Snapshot>>,
    pub worker: Arc<Worker>,
    pub leftovers: Arc<Mutex<Leftovers>>,
}

/// What a document's previous snapshot leaves to its next analysis, on its analysis thread.
///
/// An edit makes the last snapshot stale. It used to be freed on a blocking-pool thread beside
/// the next analysis, and that analysis then copied the text into a fresh megabyte: glibc maps
/// every block above its mmap threshold afresh (see `return_freed_memory` in the server), so
/// every page of the copy faulted, and the frees from the other thread went into the analysis
/// thread's arena under its lock while it allocated. Now the stale snapshot is taken apart on
/// the analysis thread itself, queued ahead of the next job ([`Self::retire`]): its text
/// buffer is kept here and the next job copies the document into it ([`Self::copy_text`]);
/// the rest is freed there and then, before the next analysis allocates, so that analysis
/// reuses its memory.
#[derive(Default)]
pub struct Leftovers {
    /// The text buffer of the last snapshot nobody else held.
    text: Option<String>,
}

impl Leftovers {
    /// Takes apart `stale` if nothing else holds it: keeps its text buffer for the next copy
    /// and frees the rest. A snapshot still held (by a request being answered) is freed by
    /// its last holder.
    pub fn retire(this: &Mutex<Leftovers>, stale: Arc<Snapshot>) {
        let Ok(mut snapshot) = Arc::try_unwrap(stale) else {
            return;
        };
        let text = std::mem::take(&mut snapshot.text);
        drop(snapshot);
        this.lock().unwrap_or_else(|p| p.into_inner()).text = Some(text);
    }

    /// Frees the kept text buffer, if any.
    pub fn clear(this: &Mutex<Leftovers>) {
        let text = this.lock().unwrap_or_else(|p| p.into_inner()).text.take();
        drop(text);
    }

    /// `rope` copied into one string: into the kept text buffer when there is one of a
    /// fitting size, else into a new one; with a little room (1/64) to grow, so that typing
    /// reuses one buffer for a long while.
    pub fn copy_text(this: &Mutex<Leftovers>, rope: &Rope) -> String {
        let len = rope.len_bytes();
        let room = len + len / 64;
        let spare = this.lock().unwrap_or_else(|p| p.into_inner()).text.take();
        let mut text = match spare {
            // Not one much larger than needed (the document shrank a lot): that would keep
            // memory the document no longer needs.
            Some(mut s) if s.capacity() <= 2 * room + 4096 => {
                s.clear();
                s.reserve_exact(room);
                s
            }
            _ => String::with_capacity(room),
        };
        for chunk in rope.chunks() {
            text.push_str(chunk);
        }
        text
    }
}

/// What [`Documents::start`] finds when a job is about to run.
pub enum Start {
    /// The version and text to analyse: a clone of the document's rope, which costs no copy
    /// of the text (the job copies it into one string outside the store's lock).
    Text(i32, Rope),
    /// A newer job exists (and `skip_superseded` was asked for).
    Superseded,
    /// The document was closed.
    Closed,
}

/// All open documents.
#[derive(Default)]
pub struct Documents {
    map: Mutex<HashMap<Uri, Document>>,
}

impl Documents {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic never happens while this lock is held (no engine call runs under it), but
        // if one did, the map itself is still consistent: take it back.
        self.map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Opens (or reopens) a document.
    pub fn open(&self, uri: Uri, text: &str, version: i32, language_id: &str) {
        let doc = Document {
            rope: Rope::from_str(text),
            version,
            format: Format::from_language_id(language_id),
            analyzer: Arc::default(),
            worker: Arc::new(Worker::spawn()),
            leftovers: Arc::default(),
            latest: None,
            ticket: 0,
            published: None,
            oversize_warned: false,
        };
        self.lock().insert(uri, doc);
    }

    /// Applies changes in order. Returns `None` (and logs) if the document is not open, else
    /// the snapshot the edit made stale, if any, for the caller to retire on the document's
    /// analysis thread.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) -> Option<Changed> {
        let mut map = self.lock();
        let Some(doc) = map.get_mut(uri) else {
            tracing::warn!(
                uri = uri.as_str(),
                version,
                "change for a document that is not open; ignored"
            );
            return None;
        };
        if version <= doc.version {
            tracing::warn!(
                uri = uri.as_str(),
                version,
                current = doc.version,
                "version did not increase"
            );
        }
        for change in changes {
            apply_change(&mut doc.rope, change, enc);
        }
        doc.version = version;
        Some(Changed {
            stale: doc.latest.take(),
            worker: Arc::clone(&doc.worker),
            leftovers: Arc::clone(&doc.leftovers),
        })
    }

    /// Closes a document, returning it. Logs if it was not open.
    pub fn close(&self, uri: &Uri) -> Option<Document> {
        let doc = self.lock().remove(uri);
        if doc.is_none() {
            tracing::warn!(
                uri = uri.as_str(),
                "close for a document that is not open; ignored"
            );
        }
        doc
    }

    /// Whether `uri` is open.
    pub fn is_open(&self, uri: &Uri) -> bool {
        self.lock().contains_key(uri)
    }

    /// Blocks (a blocking-pool thread, never an async one) until no open document has an
    /// analysis queued or running: background work (workspace indexing) waits for them.
    pub fn wait_until_idle(&self) {
        while !self.lock().values().all(|d| d.worker.is_idle()) {
            std::thread::sleep(IDLE_POLL);
        }
    }

    /// Every open document's URI.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// The byte length of the current text.
    pub fn len(&self, uri: &Uri) -> Option<usize> {
        self.lock().get(uri).map(|d| d.rope.len_bytes())
    }

    /// Runs `f` on the document under the lock (keep `f` short).
    pub fn with<T>(&self, uri: &Uri, f: impl FnOnce(&mut Document) -> T) -> Option<T> {
        self.lock().get_mut(uri).map(f)
    }

    /// Issues a new analysis job for the current text.
    pub fn job(&self, uri: &Uri) -> Option<Job> {
        self.with(uri, |doc| {
            doc.ticket = next_ticket();
            Job {
                ticket: doc.ticket,
                format: doc.format,
                analyzer: Arc::clone(&doc.analyzer),
                worker: Arc::clone(&doc.worker),
                leftovers: Arc::clone(&doc.leftovers),
            }
        })
    }

    /// The current version and the text (a rope clone, shared until the next edit) for job
    /// `ticket`, about to start; with `skip_superseded`, nothing if a newer job has been issued
    /// since.
    pub fn start(&self, uri: &Uri, ticket: u64, skip_superseded: bool) -> Start {
        self.with(uri, |doc| {
            if skip_superseded && doc.ticket != ticket {
                Start::Superseded
            } else {
                Start::Text(doc.version, doc.rope.clone())
            }
        })
        .unwrap_or(Start::Closed)
    }

    /// Whether `ticket` is the latest job of the document.
    pub fn is_latest(&self, uri: &Uri, ticket: u64) -> bool {
        self.with(uri, |doc| doc.ticket == ticket).unwrap_or(false)
    }

    /// Stores a finished analysis. Returns true if it may be published: its ticket is the
    /// latest, its version is current, and it does not take the published version backwards.
    /// The snapshot is kept for requests if it is the latest job's.
    pub fn accept(&self, uri: &Uri, ticket: u64, snapshot: &Arc<Snapshot>) -> bool {
        self.with(uri, |doc| {
            // Only the result of the latest job describes the current text.
            if doc.ticket == ticket && doc.version == snapshot.version {
                doc.latest = Some(Arc::clone(snapshot));
            }
        });
        self.accept_version(uri, ticket, snapshot.version)
    }

    /// Whether a result of job `ticket` for `version` may be published (see [`Self::accept`]);
    /// if so, records `version` as published.
    pub fn accept_version(&self, uri: &Uri, ticket: u64, version: i32) -> bool {
        self.with(uri, |doc| {
            let current = doc.ticket == ticket && doc.version == version;
            let monotonic = doc.published.is_none_or(|p| p <= version);
            if current && monotonic {
                doc.published = Some(version);
                true
            } else {
                tracing::debug!(
                    uri = uri.as_str(),
                    version,
                    current = doc.version,
                    "stale result dropped"
                );
                false
            }
        })
        .unwrap_or(false)
    }

    /// The last good snapshot and the document's current version.
    pub fn latest(&self, uri: &Uri) -> Option<(Option<Arc<Snapshot>>, i32)> {
        self.with(uri, |doc| (doc.latest.clone(), doc.version))
    }
}

/// Applies one content change to `rope`: a full replacement when it has no range, a splice
/// otherwise (positions clamped and snapped by [`rope_char_index`]).
pub fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    enc: PositionEncoding,
) {
    match change.range {
        None => *rope = Rope::from_str(&change.text),
        Some(range) => {
            let a = rope_char_index(rope, range.start, enc);
            let b = rope_char_index(rope, range.end, enc);
            if b < a {
                tracing::warn!(?range, "change range ends before it starts; put in order");
            }
            let (start, end) = (a.min(b), a.max(b));
            rope.remove(start..end);
            rope.insert(start, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position::new(sl, sc),
                end: Position::new(el, ec),
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edits_with_multibyte_characters() {
        let mut rope = Rope::from_str("“Hi,” 👍 said\r\nshe.");
        // UTF-16: “ is 1 unit, 👍 is 2.
        apply_change(
            &mut rope,
            &change(0, 6, 0, 8, "🎉"),
            PositionEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "“Hi,” 🎉 said\r\nshe.");
        apply_change(
            &mut rope,
            &change(0, 13, 1, 0, " "),
            PositionEncoding::Utf16,
        );
        assert_eq!(rope.to_string(), "“Hi,” 🎉 said she.");
        apply_change(&mut rope, &change(0, 99, 9, 0, "!"), PositionEncoding::Utf8);
        assert_eq!(rope.to_string(), "“Hi,” 🎉 said she.!");
    }

    #[test]
    fn changes_for_unknown_documents_are_ignored() {
        let docs = Documents::default();
        let uri: Uri = "file:///nope.md".parse().unwrap();
        assert!(
            docs.change(&uri, 2, &[change(0, 0, 0, 0, "x")], PositionEncoding::Utf16)
                .is_none()
        );
        assert!(docs.close(&uri).is_none());
    }

    /// A snapshot of what job `ticket` would analyse if it started now.
    fn started(docs: &Documents, uri: &Uri, ticket: u64) -> Arc<Snapshot> {
        let Start::Text(version, text) = docs.start(uri, ticket, false) else {
            panic!("the document is open");
        };
        Arc::new(Snapshot::new(
            version,
            String::from(&text),
            Analysis::default(),
            PositionEncoding::Utf16,
        ))
    }

    #[test]
    fn stale_results_are_not_accepted() {
        let docs = Documents::default();
        let uri: Uri = "file:///a.md".parse().unwrap();
        docs.open(uri.clone(), "a", 1, "markdown");
        let old = docs.job(&uri).unwrap();
        let old_snap = started(&docs, &uri, old.ticket);
        assert!(matches!(
            docs.start(&uri, old.ticket, true),
            Start::Text(1, _)
        ));
        assert!(docs.accept(&uri, old.ticket, &old_snap));
        let stale = docs.change(&uri, 2, &[change(0, 1, 0, 1, "b")], PositionEncoding::Utf16);
        assert_eq!(
            stale.unwrap().stale.unwrap().version,
            1,
            "the edit hands back the snapshot it made stale"
        );
        assert!(docs.latest(&uri).unwrap().0.is_none());
        let new = docs.job(&uri).unwrap();
        assert!(matches!(
            docs.start(&uri, old.ticket, true),
            Start::Superseded
        ));
        let new_snap = started(&docs, &uri, new.ticket);
        assert_eq!(new_snap.text, "ab");
        assert!(docs.accept(&uri, new.ticket, &new_snap));
        assert!(!docs.accept(&uri, old.ticket, &old_snap));
        assert_eq!(docs.latest(&uri).unwrap().0.unwrap().version, 2);
    }

    #[test]
    fn a_retired_snapshot_lends_its_text_buffer_to_the_next_copy() {
        let leftovers = Mutex::new(Leftovers::default());
        let snapshot = |text: &str, capacity: usize| {
            let mut buffer = String::with_capacity(capacity);
            buffer.push_str(text);
            Arc::new(Snapshot::new(
                1,
                buffer,
                Analysis::default(),
                PositionEncoding::Utf16,
            ))
        };
        let rope = Rope::from_str("“Hi,” 👍 said\r\nshe.");
        // Nothing kept yet: a new buffer, with room to grow.
        let first = Leftovers::copy_text(&leftovers, &rope);
        assert_eq!(first, rope.to_string());
        assert!(first.capacity() >= first.len());

        let stale = snapshot("old text", 100);
        let buffer = stale.text.as_ptr();
        Leftovers::retire(&leftovers, stale);
        let copy = Leftovers::copy_text(&leftovers, &rope);
        assert_eq!(copy, rope.to_string());
        assert_eq!(
            copy.as_ptr(),
            buffer,
            "the stale snapshot's buffer is reused"
        );
        let again = Leftovers::copy_text(&leftovers, &rope);
        assert_ne!(again.as_ptr(), buffer, "a buffer is lent once");

        // A snapshot a request still holds keeps its text.
        let held = snapshot("held", 100);
        let request = Arc::clone(&held);
        Leftovers::retire(&leftovers, held);
        assert_eq!(request.text, "held");
        assert!(leftovers.lock().unwrap().text.is_none(), "nothing lent");

        let stale = snapshot("cleared", 100);
        Leftovers::retire(&leftovers, stale);
        assert!(leftovers.lock().unwrap().text.is_some());
        Leftovers::clear(&leftovers);
        assert!(leftovers.lock().unwrap().text.is_none(), "cleared");

        // A buffer far larger than the text (the document shrank) is not kept on.
        let big = snapshot("big", 1 << 20);
        let buffer = big.text.as_ptr();
        Leftovers::retire(&leftovers, big);
        let copy = Leftovers::copy_text(&leftovers, &rope);
        assert_ne!(copy.as_ptr(), buffer);
        assert!(copy.capacity() < 1 << 10);
    }

    #[test]
    fn a_job_from_before_a_reopen_is_not_accepted() {
        let docs = Documents::default();
        let uri: Uri = "file:///a.md".parse().unwrap();
        docs.open(uri.clone(), "old", 1, "markdown");
        let old = docs.job(&uri).unwrap();
        let old_snap = started(&docs, &uri, old.ticket);
        docs.close(&uri);
        assert!(matches!(docs.start(&uri, old.ticket, false), Start::Closed));
        docs.open(uri.clone(), "new", 1, "markdown");
        let new = docs.job(&uri).unwrap();
        assert!(!docs.accept(&uri, old.ticket, &old_snap));
        assert!(
            docs.latest(&uri).unwrap().0.is_none(),
            "the old text is not kept"
        );
        assert!(docs.accept(&uri, new.ticket, &started(&docs, &uri, new.ticket)));
        assert_eq!(docs.latest(&uri).unwrap().0.unwrap().text, "new");
    }
}
