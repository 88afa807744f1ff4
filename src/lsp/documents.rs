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
//!   its own thread, so edits never wait for a megabyte copy. Each document keeps track of how
//!   much of its text the edits since the last job's start left alone ([`Unchanged`]): when
//!   the previous snapshot's text is at hand, the next job copies only the bytes in between
//!   and indexes only their lines.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use super::position::{LineIndex, PositionEncoding, rope_char_index};
use super::to_proto;
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
    /// The ticket of the job that took `text` ([`Documents::start`]); 0 when no job did.
    ticket: u64,
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
        Snapshot::with_index(version, text, index, analysis, encoding, 0)
    }

    /// A snapshot of `text`, whose lines `index` has indexed, as job `ticket` took it.
    pub fn with_index(
        version: i32,
        text: String,
        index: LineIndex,
        analysis: Analysis,
        encoding: PositionEncoding,
        ticket: u64,
    ) -> Snapshot {
        debug_assert!(index == LineIndex::new(&text), "the index is the text's");
        Snapshot {
            version,
            text,
            index,
            analysis,
            encoding,
            ticket,
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
    /// What the edits since the last job took the text left alone.
    pub unchanged: Unchanged,
}

/// How much of the text a job took ([`Documents::start`]) the edits since have left alone:
/// the current text starts with its first `prefix` bytes and ends with its last `suffix`
/// bytes. Both are character boundaries in both texts: every edit replaces whole characters,
/// and each bound is at or before (from its end) every edit's start (end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unchanged {
    /// The ticket of the job that took the text; 0 when none has.
    pub since: u64,
    pub prefix: usize,
    pub suffix: usize,
}

impl Unchanged {
    /// Nothing known to be unchanged (no job took a text before): whatever was kept from an
    /// earlier text is not used.
    pub const NOTHING: Unchanged = Unchanged {
        since: 0,
        prefix: 0,
        suffix: 0,
    };

    /// Whether this counts from the text job `ticket` took (0: no job, which nothing counts
    /// from): what was kept from that job may be brought up to date with it.
    pub fn counts_from(self, ticket: u64) -> bool {
        ticket != 0 && ticket == self.since
    }

    /// The whole text, as job `since` took it.
    fn all(since: u64) -> Unchanged {
        Unchanged {
            since,
            prefix: usize::MAX,
            suffix: usize::MAX,
        }
    }

    /// After bytes `removed` of a text of `len` bytes were replaced (`None`: the whole text).
    fn edited(&mut self, len: usize, removed: Option<std::ops::Range<usize>>) {
        let (start, end) = removed.map_or((0, len), |r| (r.start, r.end));
        self.prefix = self.prefix.min(start);
        self.suffix = self.suffix.min(len - end);
    }
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
    /// The text, line index and ticket of the last snapshot nobody else held.
    text: Option<(String, LineIndex, u64)>,
    /// The ticket of the job whose text the document's analyzer analysed last; 0 when none
    /// has, or its analysis failed.
    analysed: u64,
    /// The last diagnostics body published, and the findings it was rendered from once their
    /// snapshot is retired ([`to_proto::Rendered`]).
    rendered: to_proto::Rendered,
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
        let index = std::mem::replace(&mut snapshot.index, LineIndex::new(""));
        let mut findings = std::mem::take(&mut snapshot.analysis.findings);
        let ticket = snapshot.ticket;
        drop(snapshot);
        let mut this = this.lock().unwrap_or_else(|p| p.into_inner());
        this.text = Some((text, index, ticket));
        this.rendered.keep_findings(ticket, &mut findings);
        drop(this);
        drop(findings);
    }

    /// The last diagnostics body published (taken: [`Self::put_rendered`] gives it back).
    pub fn take_rendered(this: &Mutex<Leftovers>) -> to_proto::Rendered {
        std::mem::take(&mut this.lock().unwrap_or_else(|p| p.into_inner()).rendered)
    }

    /// Keeps `rendered` for the next publish.
    pub fn put_rendered(this: &Mutex<Leftovers>, rendered: to_proto::Rendered) {
        this.lock().unwrap_or_else(|p| p.into_inner()).rendered = rendered;
    }

    /// Records that job `ticket` analysed its text with the document's analyzer (0: the
    /// analyzer starts afresh).
    pub fn set_analysed(this: &Mutex<Leftovers>, ticket: u64) {
        this.lock().unwrap_or_else(|p| p.into_inner()).analysed = ticket;
    }

    /// What the document's analyzer may assume of the text a job took ([`Documents::start`]),
    /// told what the edits since the previous job left alone: that much of the text it analysed
    /// last, if that was the previous job's text; nothing otherwise.
    pub fn assumable(this: &Mutex<Leftovers>, unchanged: Unchanged) -> (usize, usize) {
        let analysed = this.lock().unwrap_or_else(|p| p.into_inner()).analysed;
        if unchanged.counts_from(analysed) {
            (unchanged.prefix, unchanged.suffix)
        } else {
            (0, 0)
        }
    }

    /// Frees the kept text buffer and diagnostics body, if any.
    pub fn clear(this: &Mutex<Leftovers>) {
        let mut this = this.lock().unwrap_or_else(|p| p.into_inner());
        let text = this.text.take();
        let rendered = std::mem::take(&mut this.rendered);
        drop(this);
        drop((text, rendered));
    }

    /// `rope` as one string, and its line index. With the kept text of the job `unchanged`
    /// counts from, only the bytes between the unchanged prefix and suffix are copied and only
    /// their lines indexed; else the whole rope is copied (into the kept buffer when there is
    /// one of a fitting size) and indexed. A new buffer has a little room (1/64) to grow, so
    /// that typing reuses one buffer for a long while.
    pub fn copy_text(
        this: &Mutex<Leftovers>,
        rope: &Rope,
        unchanged: Unchanged,
    ) -> (String, LineIndex) {
        let len = rope.len_bytes();
        let room = len + len / 64;
        let spare = this.lock().unwrap_or_else(|p| p.into_inner()).text.take();
        let mut text = match spare {
            // Not one much larger than needed (the document shrank a lot): that would keep
            // memory the document no longer needs.
            Some((s, index, ticket)) if s.capacity() <= 2 * room + 4096 => {
                if unchanged.counts_from(ticket) {
                    match Self::splice(s, index, rope, unchanged) {
                        Ok(spliced) => return spliced,
                        Err(s) => s,
                    }
                } else {
                    s
                }
            }
            _ => String::with_capacity(room),
        };
        text.clear();
        text.reserve_exact(room);
        for chunk in rope.chunks() {
            text.push_str(chunk);
        }
        let index = LineIndex::new(&text);
        (text, index)
    }

    /// `text` (indexed by `index`) made `rope`'s text by replacing the bytes between the
    /// `unchanged` prefix and suffix with the rope's; the buffer back if the bounds do not fit
    /// (they always do: edits replace whole characters).
    fn splice(
        mut text: String,
        mut index: LineIndex,
        rope: &Rope,
        unchanged: Unchanged,
    ) -> Result<(String, LineIndex), String> {
        let (old_len, len) = (text.len(), rope.len_bytes());
        let prefix = unchanged.prefix.min(old_len).min(len);
        let suffix = unchanged.suffix.min(old_len - prefix).min(len - prefix);
        let old = prefix..old_len - suffix;
        let Some(new) = rope.get_byte_slice(prefix..len - suffix) else {
            return Err(text);
        };
        if !(text.is_char_boundary(old.start) && text.is_char_boundary(old.end)) {
            return Err(text);
        }
        if text.capacity() < len {
            text.reserve_exact(len + len / 64 - old_len);
        }
        match new.as_str() {
            Some(new) => text.replace_range(old, new),
            None => text.replace_range(old, &String::from(new)),
        }
        debug_assert!(*rope == text.as_str(), "the spliced text is the rope's");
        index.splice(&text, prefix, suffix);
        #[cfg(test)]
        tests::SPLICES.with(|n| n.set(n.get() + 1));
        Ok((text, index))
    }
}

/// What [`Documents::start`] finds when a job is about to run.
pub enum Start {
    /// The version and text to analyse: a clone of the document's rope, which costs no copy
    /// of the text (the job copies it into one string outside the store's lock), and what
    /// the edits since the job before left of that job's text.
    Text(i32, Rope, Unchanged),
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
            unchanged: Unchanged::all(0),
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
            let len = doc.rope.len_bytes();
            let removed = apply_change(&mut doc.rope, change, enc);
            doc.unchanged.edited(len, removed);
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
                let unchanged = std::mem::replace(&mut doc.unchanged, Unchanged::all(ticket));
                Start::Text(doc.version, doc.rope.clone(), unchanged)
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
/// otherwise (positions clamped and snapped by [`rope_char_index`]). Returns the bytes of the
/// old text that a splice replaced (`None` for a full replacement).
pub fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    enc: PositionEncoding,
) -> Option<std::ops::Range<usize>> {
    match change.range {
        None => {
            *rope = Rope::from_str(&change.text);
            None
        }
        Some(range) => {
            let a = rope_char_index(rope, range.start, enc);
            let b = rope_char_index(rope, range.end, enc);
            if b < a {
                tracing::warn!(?range, "change range ends before it starts; put in order");
            }
            let (start, end) = (a.min(b), a.max(b));
            let removed = rope.char_to_byte(start)..rope.char_to_byte(end);
            rope.remove(start..end);
            rope.insert(start, &change.text);
            Some(removed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many texts this thread spliced ([`Leftovers::splice`]) rather than copied.
        pub static SPLICES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

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
        let Start::Text(version, text, _) = docs.start(uri, ticket, false) else {
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
            Start::Text(1, _, _)
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
        let copy_text = |leftovers: &Mutex<Leftovers>, rope: &Rope| {
            let (text, index) = Leftovers::copy_text(leftovers, rope, Unchanged::all(0));
            assert_eq!(index, LineIndex::new(&text));
            text
        };
        let first = copy_text(&leftovers, &rope);
        assert_eq!(first, rope.to_string());
        assert!(first.capacity() >= first.len());

        let stale = snapshot("old text", 100);
        let buffer = stale.text.as_ptr();
        Leftovers::retire(&leftovers, stale);
        let copy = copy_text(&leftovers, &rope);
        assert_eq!(copy, rope.to_string());
        assert_eq!(
            copy.as_ptr(),
            buffer,
            "the stale snapshot's buffer is reused"
        );
        let again = copy_text(&leftovers, &rope);
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
        let copy = copy_text(&leftovers, &rope);
        assert_ne!(copy.as_ptr(), buffer);
        assert!(copy.capacity() < 1 << 10);
    }

    /// One step of [`jobs_copy_exactly_the_clients_text`].
    #[derive(Clone, Debug)]
    enum Step {
        /// Replaces bytes `from..to` (snapped back to characters) with `text`, or the whole
        /// text when `whole`; the snapshot made stale is retired, or held by a request.
        Edit {
            from: usize,
            to: usize,
            text: String,
            whole: bool,
            retire: bool,
        },
        /// A job runs; its result is accepted, or superseded before it could be.
        Job { accept: bool },
        /// A job is issued and superseded before it starts.
        Skipped,
    }

    /// Runs `steps` as the server would, checking every job's text and index against the
    /// document's rope; returns how many jobs spliced their text.
    fn run(steps: &[Step]) -> usize {
        let docs = Documents::default();
        let uri: Uri = "file:///a.md".parse().unwrap();
        docs.open(
            uri.clone(),
            "“Hi,” 👍 said\r\nshe.\n\nNext é line.",
            1,
            "markdown",
        );
        let mut version = 1;
        let mut held = Vec::new();
        // The text the analyzer saw last.
        let mut analysed = String::new();
        let before = SPLICES.with(|n| n.get());
        for step in steps {
            match step {
                Step::Edit {
                    from,
                    to,
                    text,
                    whole,
                    retire,
                } => {
                    let current = docs.with(&uri, |d| d.rope.to_string()).unwrap();
                    let index = LineIndex::new(&current);
                    let at = |n: usize| {
                        let mut n = n.min(current.len());
                        while !current.is_char_boundary(n) {
                            n -= 1;
                        }
                        index.position(&current, n, PositionEncoding::Utf16)
                    };
                    let change = TextDocumentContentChangeEvent {
                        range: (!whole).then(|| Range::new(at(*from), at(*to))),
                        range_length: None,
                        text: text.clone(),
                    };
                    version += 1;
                    let changed = docs
                        .change(&uri, version, &[change], PositionEncoding::Utf16)
                        .unwrap();
                    if let Some(stale) = changed.stale {
                        if *retire {
                            Leftovers::retire(&changed.leftovers, stale);
                        } else {
                            held.push(stale);
                        }
                    }
                }
                Step::Job { accept } => {
                    let job = docs.job(&uri).unwrap();
                    let Start::Text(version, rope, unchanged) = docs.start(&uri, job.ticket, true)
                    else {
                        panic!("the latest job starts");
                    };
                    let (text, index) = Leftovers::copy_text(&job.leftovers, &rope, unchanged);
                    assert_eq!(text, rope.to_string());
                    assert_eq!(index, LineIndex::new(&text));
                    // What the analyzer is told holds.
                    let (prefix, suffix) = Leftovers::assumable(&job.leftovers, unchanged);
                    let prefix = prefix.min(text.len()).min(analysed.len());
                    assert_eq!(text.as_bytes()[..prefix], analysed.as_bytes()[..prefix]);
                    let suffix = suffix.min(text.len() - prefix).min(analysed.len() - prefix);
                    assert_eq!(
                        text.as_bytes()[text.len() - suffix..],
                        analysed.as_bytes()[analysed.len() - suffix..]
                    );
                    analysed.clone_from(&text);
                    Leftovers::set_analysed(&job.leftovers, job.ticket);
                    let snapshot = Arc::new(Snapshot::with_index(
                        version,
                        text,
                        index,
                        Analysis::default(),
                        PositionEncoding::Utf16,
                        job.ticket,
                    ));
                    if *accept {
                        assert!(docs.accept(&uri, job.ticket, &snapshot));
                    } else {
                        // A newer job was issued meanwhile: this result is dropped.
                        docs.job(&uri).unwrap();
                        assert!(!docs.accept(&uri, job.ticket, &snapshot));
                    }
                }
                Step::Skipped => {
                    let old = docs.job(&uri).unwrap();
                    docs.job(&uri).unwrap();
                    assert!(matches!(
                        docs.start(&uri, old.ticket, true),
                        Start::Superseded
                    ));
                }
            }
        }
        SPLICES.with(|n| n.get()) - before
    }

    fn edit(from: usize, to: usize, text: &str) -> Step {
        Step::Edit {
            from,
            to,
            text: text.to_string(),
            whole: false,
            retire: true,
        }
    }

    #[test]
    fn typing_splices_the_previous_text() {
        let job = Step::Job { accept: true };
        // Typing, a line break, a deletion across lines, a paste, multibyte characters.
        let steps = [
            job.clone(),
            edit(30, 30, "x"),
            job.clone(),
            edit(31, 31, "\r\n"),
            job.clone(),
            edit(5, 40, ""),
            job.clone(),
            edit(0, 0, "👍é\n\n“a”"),
            job.clone(),
        ];
        assert_eq!(run(&steps), 4, "every job after the first splices");
        // Not after a job that took the text but was superseded, nor after a snapshot a
        // request still holds, nor after a whole replacement, which changes everything.
        let superseded = [
            job.clone(),
            edit(3, 3, "x"),
            Step::Job { accept: false },
            edit(4, 4, "y"),
            job.clone(),
        ];
        assert_eq!(run(&superseded), 1, "only the superseded job splices");
        let held = Step::Edit {
            from: 3,
            to: 3,
            text: "x".into(),
            whole: false,
            retire: false,
        };
        assert_eq!(run(&[job.clone(), held, job.clone()]), 0);
        let whole = Step::Edit {
            from: 0,
            to: 0,
            text: "new\r\ntext".into(),
            whole: true,
            retire: true,
        };
        assert_eq!(
            run(&[job.clone(), whole, job.clone()]),
            1,
            "an empty splice is still exact"
        );
        // A job skipped before it starts takes nothing: the next one counts from the last
        // job that took the text.
        assert_eq!(
            run(&[
                job.clone(),
                edit(3, 3, "x"),
                Step::Skipped,
                edit(9, 12, "é"),
                job
            ]),
            1
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        fn texts() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "a",
                "said the council",
                " ",
                "\n",
                "\r",
                "\r\n",
                "é",
                "e\u{301}",
                "中",
                "👍🏽",
                "“",
            ]);
            prop::collection::vec(pieces, 0..6).prop_map(|v| v.concat())
        }

        fn steps() -> impl Strategy<Value = Step> {
            prop_oneof![
                4 => (0usize..80, 0usize..80, texts(), prop::bool::weighted(0.05), prop::bool::weighted(0.9))
                    .prop_map(|(a, b, text, whole, retire)| Step::Edit {
                        from: a.min(b),
                        to: a.max(b),
                        text,
                        whole,
                        retire,
                    }),
                3 => prop::bool::weighted(0.8).prop_map(|accept| Step::Job { accept }),
                1 => Just(Step::Skipped),
            ]
        }

        proptest! {
            #[test]
            fn jobs_copy_exactly_the_clients_text(steps in prop::collection::vec(steps(), 1..40)) {
                run(&steps);
            }
        }
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
