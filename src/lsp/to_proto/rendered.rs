//! A document's last publishDiagnostics body, kept and brought up to date after an edit.
//!
//! On a long manuscript the body is megabytes (3.7 MB for 8,787 findings at 1 MB), and
//! rendering it (converting every position, writing every number and message) was most of
//! what a keystroke cost after the analysis. A keystroke changes few diagnostics: those
//! before the edit are the same bytes; those after it are the same bytes when the edit added
//! or removed no line break and they start on a later line than the edit's. [`Rendered`]
//! keeps the body with where each diagnostic starts, and after an edit renders only the run
//! of diagnostics between the longest same-byte run at the front and the one at the back,
//! splicing it in; the document version inside `data` is rewritten in place.

use super::{Diagnostics, Ranges, write_end, write_head};
use crate::engine::TextRange;
use crate::engine::checks::{Finding, Fix};
use crate::lsp::capabilities::DiagnosticFields;
use crate::lsp::documents::{Snapshot, Unchanged};
use crate::lsp::position::PositionEncoding;
use tower_lsp_server::ls_types::Uri;

/// The most a write of the kept body hands the output at once: the output pipe's size (see
/// `enlarge_pipe` in the server), so that a 3.7 MB body is a handful of system calls.
const PIECE: usize = 1 << 20;

/// Where `data` puts the document version, in a diagnostic with fixes.
const VERSION_KEY: &[u8] = br#","data":{"version":"#;

/// The last diagnostics body rendered for a document, and what it was rendered from.
#[derive(Default)]
pub struct Rendered {
    /// The ticket of the job whose snapshot the body was rendered from; 0: nothing rendered.
    ticket: u64,
    fields: DiagnosticFields,
    encoding: PositionEncoding,
    /// The document version written in `data`.
    version: i32,
    /// The length and line count of the text.
    text_len: usize,
    lines: usize,
    /// The diagnostics, between the list's brackets.
    body: Vec<u8>,
    /// Where each diagnostic starts in `body` (its comma included), then `body`'s length.
    starts: Vec<u32>,
    /// Where the version's digits are in each diagnostic, from its start; `u32::MAX`: none.
    versions: Vec<u32>,
    /// The findings `body` was rendered from, once their snapshot is taken apart
    /// ([`Self::keep_findings`]).
    findings: Option<Vec<Finding>>,
    /// Whether the last update spliced the body rather than rendering it all.
    #[cfg(test)]
    spliced: bool,
}

impl Rendered {
    /// Takes the findings of the snapshot of job `ticket`, which is being taken apart, if the
    /// body was rendered from them (the next update compares the new findings with them).
    pub fn keep_findings(&mut self, ticket: u64, findings: &mut Vec<Finding>) {
        if ticket != 0 && ticket == self.ticket {
            self.findings = Some(std::mem::take(findings));
        }
    }

    /// Brings the body up to date with `snap`, taken by job `ticket`, for a client taking the
    /// optional `fields`. `unchanged` says what the edits since the job before left alone:
    /// when that job's body is the one kept, and its findings were kept, only the diagnostics
    /// that differ are rendered; otherwise all are.
    pub fn update(
        &mut self,
        fields: DiagnosticFields,
        snap: &Snapshot,
        ticket: u64,
        unchanged: Unchanged,
    ) {
        let old = self.findings.take();
        let fits = unchanged.counts_from(self.ticket)
            && self.fields == fields
            && self.encoding == snap.encoding
            && snap.analysis.findings.len() < u32::MAX as usize;
        let updated = match old {
            Some(old) if fits => self.splice(&old, snap, unchanged),
            _ => false,
        };
        // A body too large for its offsets (`u32`) is not spliced: rendered again next time.
        let addressable = updated || self.render_all(fields, snap);
        #[cfg(test)]
        {
            self.spliced = updated;
        }
        self.ticket = if addressable { ticket } else { 0 };
        self.fields = fields;
        self.encoding = snap.encoding;
        self.version = snap.version;
        self.text_len = snap.text.len();
        self.lines = snap.index.line_count();
    }

    /// Renders every diagnostic of `snap` afresh; false if the body is too large for its
    /// offsets to be kept.
    fn render_all(&mut self, fields: DiagnosticFields, snap: &Snapshot) -> bool {
        self.body.clear();
        self.starts.clear();
        self.versions.clear();
        let findings = &snap.analysis.findings;
        self.starts.reserve(findings.len() + 1);
        self.versions.reserve(findings.len());
        // Room for the whole body at once (about 420 bytes a diagnostic with every field):
        // grown by doubling, a large body would leave its smaller copies as holes in the heap,
        // which raised the server's peak RSS by megabytes. One kept from a much longer
        // document is given back.
        let room = findings.len() * 448 + 4096;
        if self.body.capacity() > 2 * room {
            self.body = Vec::new();
        }
        self.body.reserve_exact(room);
        render(
            &mut self.body,
            &mut self.starts,
            &mut self.versions,
            fields,
            snap,
            0,
            findings,
        );
        self.starts.push(self.body.len() as u32);
        self.body.len() <= u32::MAX as usize
    }

    /// Brings the body rendered from `old` up to date with `snap`, rendering only the
    /// diagnostics between the same ones at either end; false if it cannot (the body is then
    /// rendered afresh).
    fn splice(&mut self, old: &[Finding], snap: &Snapshot, unchanged: Unchanged) -> bool {
        let new = &snap.analysis.findings;
        if old.len() + 1 != self.starts.len() || old.len() != self.versions.len() {
            return false;
        }
        if self.body.len() + self.versions.len() * 2 > u32::MAX as usize {
            return false;
        }
        self.set_version(snap.version);
        let map = Offsets::new(self.text_len, self.lines, snap, unchanged);
        let (n0, n1) = (old.len(), new.len());
        let mut front = 0;
        while front < n0.min(n1) && map.same(&old[front], &new[front]) {
            front += 1;
        }
        let mut back = 0;
        while back < (n0 - front).min(n1 - front)
            && (n0 - 1 - back > 0) == (n1 - 1 - back > 0)
            && map.same(&old[n0 - 1 - back], &new[n1 - 1 - back])
        {
            back += 1;
        }
        // The diagnostics in between, rendered with their new indices (a comma before all
        // but the first).
        let mut middle = Vec::new();
        let mut starts = Vec::with_capacity(n1 - front - back);
        let mut versions = Vec::with_capacity(n1 - front - back);
        render(
            &mut middle,
            &mut starts,
            &mut versions,
            self.fields,
            snap,
            front,
            &new[front..n1 - back],
        );
        let from = self.starts[front] as usize;
        let to = self.starts[n0 - back] as usize;
        let grown = middle.len() as isize - (to - from) as isize;
        if self.body.len() as isize + grown > u32::MAX as isize {
            return false;
        }
        self.body.splice(from..to, middle);
        self.starts
            .splice(front..n0 - back, starts.iter().map(|&s| s + from as u32));
        // The diagnostics kept at the back, and the body's end, moved.
        for s in &mut self.starts[n1 - back..] {
            *s = (*s as isize + grown) as u32;
        }
        self.versions.splice(front..n0 - back, versions);
        true
    }

    /// Writes `version` in the `data` of every diagnostic: over the digits written when it has
    /// as many, else moving the diagnostics ([`Self::resize_versions`]).
    fn set_version(&mut self, version: i32) {
        if version == self.version {
            return;
        }
        let mut new = super::StackBuf::default();
        new.put_i32(version);
        let new = new.bytes();
        let old_len = digits(self.version);
        if new.len() == old_len {
            for (&start, &at) in self.starts.iter().zip(&self.versions) {
                if at != u32::MAX {
                    let at = (start + at) as usize;
                    self.body[at..at + new.len()].copy_from_slice(new);
                }
            }
        } else {
            self.resize_versions(new, old_len);
        }
        self.version = version;
    }

    /// Writes the version `digits` over the `old_len` digits written in every diagnostic's
    /// `data`, moving the bytes in place: the bytes before a diagnostic's digits move by the
    /// growth of the digits before them, those after by that and its own. When the body grows
    /// the diagnostics are moved from the last, each from its end (when it shrinks from the
    /// first, each from its start), so that no byte is overwritten before it is moved.
    fn resize_versions(&mut self, digits: &[u8], old_len: usize) {
        let grow = digits.len() as isize - old_len as isize;
        let with_data = self.versions.iter().filter(|&&at| at != u32::MAX).count() as isize;
        let new_len = (self.body.len() as isize + grow * with_data) as usize;
        let n = self.versions.len();
        let body = &mut self.body;
        let to = |from: usize, by: isize| (from as isize + by) as usize;
        if grow > 0 {
            body.resize(new_len, 0);
            // How far the bytes after diagnostic `i`'s digits move.
            let mut after = grow * with_data;
            // Where diagnostic `i` ends, before it moves (the next one has moved already).
            let mut end = self.starts[n] as usize;
            for i in (0..n).rev() {
                let start = self.starts[i] as usize;
                let before = match self.versions[i] {
                    u32::MAX => {
                        body.copy_within(start..end, to(start, after));
                        after
                    }
                    at => {
                        let at = start + at as usize;
                        let before = after - grow;
                        body.copy_within(at + old_len..end, to(at + old_len, after));
                        body.copy_within(start..at, to(start, before));
                        let put = to(at, before);
                        body[put..put + digits.len()].copy_from_slice(digits);
                        before
                    }
                };
                self.starts[i] = to(start, before) as u32;
                after = before;
                end = start;
            }
        } else {
            // How far the bytes before diagnostic `i`'s digits move.
            let mut before = 0;
            for i in 0..n {
                let (start, end) = (self.starts[i] as usize, self.starts[i + 1] as usize);
                let after = match self.versions[i] {
                    u32::MAX => {
                        body.copy_within(start..end, to(start, before));
                        before
                    }
                    at => {
                        let at = start + at as usize;
                        let after = before + grow;
                        body.copy_within(start..at, to(start, before));
                        let put = to(at, before);
                        body[put..put + digits.len()].copy_from_slice(digits);
                        body.copy_within(at + old_len..end, to(at + old_len, after));
                        after
                    }
                };
                self.starts[i] = to(start, before) as u32;
                before = after;
            }
            body.truncate(new_len);
        }
        self.starts[n] = new_len as u32;
    }

    /// The publishDiagnostics body for `uri` at `version`: its length, and the body written
    /// to `sink` in pieces of about 64 KiB.
    pub fn publish<'a>(&'a self, uri: &Uri, version: Option<i32>) -> RenderedPublish<'a> {
        let mut head = Vec::with_capacity(128);
        write_head(&mut head, uri);
        let mut end = Vec::with_capacity(32);
        write_end(&mut end, version);
        RenderedPublish {
            head,
            body: &self.body,
            end,
        }
    }
}

/// A publishDiagnostics body from a [`Rendered`] one.
pub struct RenderedPublish<'a> {
    head: Vec<u8>,
    body: &'a [u8],
    end: Vec<u8>,
}

impl RenderedPublish<'_> {
    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.head.len() + self.body.len() + self.end.len()
    }

    /// Whether the body is empty (never: it is a JSON object).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pieces [`Self::write`] hands out, in order.
    #[cfg(test)]
    pub(crate) fn pieces(&self) -> Vec<Vec<u8>> {
        let mut pieces = Vec::new();
        self.write(&mut |piece| {
            pieces.push(piece.to_vec());
            Ok(())
        })
        .expect("a sink that takes everything");
        pieces
    }

    /// Writes the body to `sink`: the head with the body's first 64 KiB, the body's middle
    /// straight from the kept body in pieces of up to 1 MiB, and its last 64 KiB with the
    /// end (only those two are copied).
    pub fn write(&self, sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()> {
        let len = self.body.len();
        let first = len.min(super::CHUNK);
        let last = first.max(len.saturating_sub(super::CHUNK));
        let mut piece = Vec::with_capacity(self.head.len() + first + self.end.len());
        piece.extend_from_slice(&self.head);
        piece.extend_from_slice(&self.body[..first]);
        if last == len {
            piece.extend_from_slice(&self.end);
            return sink(&piece);
        }
        sink(&piece)?;
        for middle in self.body[first..last].chunks(PIECE) {
            sink(middle)?;
        }
        piece.clear();
        piece.extend_from_slice(&self.body[last..]);
        piece.extend_from_slice(&self.end);
        sink(&piece)
    }
}

/// Renders `findings` (the first at index `first` of its list) to `out`, pushing where each
/// starts and where its version's digits are.
fn render(
    out: &mut Vec<u8>,
    starts: &mut Vec<u32>,
    versions: &mut Vec<u32>,
    fields: DiagnosticFields,
    snap: &Snapshot,
    first: usize,
    findings: &[Finding],
) {
    let mut w = Diagnostics::new(Some(snap), fields);
    let mut ranges = Ranges::default();
    for (k, f) in findings.iter().enumerate() {
        let start = out.len();
        starts.push(start as u32);
        let data = w.write(out, snap, first + k, f, &mut ranges);
        // `data` opens with the version.
        let version = data.map_or(u32::MAX, |at| {
            debug_assert!(out[at..].starts_with(VERSION_KEY));
            (at - start + VERSION_KEY.len()) as u32
        });
        versions.push(version);
    }
}

/// Whether two texts are equal, at once when they are one text.
fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// The number of decimal digits (and sign) of `n`.
fn digits(n: i32) -> usize {
    let mut buf = super::StackBuf::default();
    buf.put_i32(n);
    buf.bytes().len()
}

/// Which offsets of the old text have the same position in the new one, and where they are.
struct Offsets {
    /// Offsets before this are the same bytes, and positions, in both texts.
    prefix: usize,
    /// Offsets from this on (old text) are in the unchanged suffix…
    suffix_from: usize,
    /// …and are `delta` bytes further in the new text…
    delta: isize,
    /// …where they have the same position from this offset on (new text): after the first
    /// line break of the suffix, if the edits left the number of lines as it was.
    same_from: usize,
    /// The last two lists of fixes compared (by address) and whether they were the same:
    /// findings share their lists (2,628 findings of lspbench's manuscript offer the one date
    /// fix), so most comparisons are the one before.
    last_fixes: std::cell::Cell<(*const Fix, *const Fix, bool)>,
}

impl Offsets {
    fn new(old_len: usize, old_lines: usize, snap: &Snapshot, unchanged: Unchanged) -> Offsets {
        let new_len = snap.text.len();
        let prefix = unchanged.prefix.min(old_len).min(new_len);
        let suffix = unchanged.suffix.min(old_len - prefix).min(new_len - prefix);
        let same_from = if snap.index.line_count() == old_lines {
            let from = new_len - suffix;
            memchr::memchr(b'\n', &snap.text.as_bytes()[from..])
                .map_or(usize::MAX, |at| from + at + 1)
        } else {
            usize::MAX
        };
        Offsets {
            prefix,
            suffix_from: old_len - suffix,
            delta: new_len as isize - old_len as isize,
            same_from,
            last_fixes: std::cell::Cell::new((std::ptr::null(), std::ptr::null(), false)),
        }
    }

    /// Whether old offset `old` is new offset `new`, at the same position.
    fn maps(&self, old: usize, new: usize) -> bool {
        if old < self.prefix {
            return new == old;
        }
        old >= self.suffix_from
            && new >= self.same_from
            && new as isize == old as isize + self.delta
    }

    fn range(&self, old: TextRange, new: TextRange) -> bool {
        self.maps(old.start, new.start) && self.maps(old.end, new.end)
    }

    /// Whether finding `old` is finding `new`, rendered to the same bytes.
    fn same(&self, old: &Finding, new: &Finding) -> bool {
        self.range(old.range, new.range)
            && same_text(old.code, new.code)
            && old.severity == new.severity
            && same_text(&old.message, &new.message)
            && self.fixes(&old.fixes, &new.fixes)
    }

    /// Whether fixes `old` are `new`, their edits' ranges moved. Findings share their fixes'
    /// lists, and an analysis keeps a paragraph's findings from the last when the paragraph
    /// did not change: most lists are the same list.
    fn fixes(&self, old: &[Fix], new: &[Fix]) -> bool {
        if old.len() != new.len() {
            return false;
        }
        if old.is_empty() {
            return true;
        }
        let (last_old, last_new, last_same) = self.last_fixes.get();
        if std::ptr::eq(old.as_ptr(), last_old) && std::ptr::eq(new.as_ptr(), last_new) {
            return last_same;
        }
        let shared = std::ptr::eq(old, new);
        let same = old.iter().zip(new).all(|(a, b)| {
            (shared || (a.title == b.title && a.edits.len() == b.edits.len()))
                && a.edits.iter().zip(&b.edits).all(|(x, y)| {
                    self.range(x.range, y.range) && (shared || x.new_text == y.new_text)
                })
        });
        self.last_fixes.set((old.as_ptr(), new.as_ptr(), same));
        same
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Config, analyze};
    use crate::lsp::to_proto::write_publish_for;
    use proptest::prelude::*;

    /// A story with every kind of finding the checks make (quotes without a speaker, relative
    /// dates with their front-matter fix, vague sources, names), some of them on one line.
    const STORY: &str = "# Council votes\n\nThe council met on Monday. \"We will not wait,\" said a source. \
Mayor Ana Lopez said the plan was ready.\n\n\"It is late,\" she said. Lopez, 52, added that ünïcödé 😀 \
and 中文 made it to the agenda last week.\n\nAccording to officials, the vote is on Friday. \
\"Nobody asked.\"\n\nSmith said it again on Tuesday, Jan. 32.\n";

    /// Replaces bytes `at..at + cut` of `text` (both moved back to character boundaries) with
    /// `with`: what the edits left alone, and the new text.
    fn edit(text: &str, at: usize, cut: usize, with: &str) -> (usize, usize, String) {
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(at);
        let end = floor(start + cut).max(start);
        let new = format!("{}{with}{}", &text[..start], &text[end..]);
        (start, text.len() - end, new)
    }

    fn fields() -> impl Strategy<Value = DiagnosticFields> {
        (any::<bool>(), any::<bool>()).prop_map(|(code_description, data)| DiagnosticFields {
            code_description,
            data,
        })
    }

    fn encoding() -> impl Strategy<Value = PositionEncoding> {
        prop_oneof![
            Just(PositionEncoding::Utf8),
            Just(PositionEncoding::Utf16),
            Just(PositionEncoding::Utf32),
        ]
    }

    /// An edit: where, how many bytes cut, what typed, and how far the version moves.
    fn edits() -> impl Strategy<Value = Vec<(usize, usize, String, i32)>> {
        proptest::collection::vec(
            (
                0..STORY.len() + 8,
                prop_oneof![3 => Just(0usize), 1 => 0..12usize],
                prop_oneof![
                    3 => "[a-z ]{0,3}",
                    1 => Just("\n".to_string()),
                    1 => Just("\"".to_string()),
                    1 => Just(" said Lopez".to_string()),
                    1 => Just("é😀中".to_string()),
                    1 => Just(" on Monday".to_string()),
                ],
                prop_oneof![4 => Just(1i32), 1 => 1..12i32, 1 => 90..1000i32],
            ),
            1..24,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// After every edit the kept body, brought up to date, is the one rendered afresh, byte
        /// for byte; and most edits splice it rather than render it all.
        #[test]
        fn the_kept_body_is_the_one_rendered_afresh(
            fields in fields(),
            enc in encoding(),
            edits in edits(),
            first_version in prop_oneof![Just(1i32), Just(8), Just(97), Just(-3)],
        ) {
            let uri: Uri = "file:///story.md".parse().unwrap();
            let config = Config::default();
            let mut text = STORY.to_string();
            let mut version = first_version;
            let mut ticket = 1;
            let mut rendered = Rendered::default();
            let mut snap = Snapshot::new(version, text.clone(), analyze(&text, &config), enc);
            rendered.update(fields, &snap, ticket, Unchanged::NOTHING);
            let mut spliced = 0;
            for (at, cut, with, step) in &edits {
                let (prefix, suffix, new) = edit(&text, *at, *cut, with);
                text = new;
                version += step;
                // The stale snapshot is taken apart, as `Leftovers::retire` does.
                let mut old = std::mem::take(&mut snap.analysis.findings);
                rendered.keep_findings(ticket, &mut old);
                snap = Snapshot::new(version, text.clone(), analyze(&text, &config), enc);
                let unchanged = Unchanged { since: ticket, prefix, suffix };
                ticket += 1;
                rendered.update(fields, &snap, ticket, unchanged);
                spliced += usize::from(rendered.spliced);
                let body = rendered.publish(&uri, Some(version)).pieces().concat();
                let fresh = write_publish_for(fields, &uri, Some(version), Some(&snap));
                prop_assert_eq!(rendered.publish(&uri, Some(version)).len(), fresh.len());
                prop_assert!(body == fresh, "after typing {:?} at {}: {} != {}", with, at,
                    String::from_utf8_lossy(&body), String::from_utf8_lossy(&fresh));
            }
            // Every edit of this story keeps some diagnostics, at either end.
            prop_assert!(spliced == edits.len(), "{} of {} edits spliced", spliced, edits.len());
        }
    }

    #[test]
    fn a_large_body_is_written_whole_in_a_few_pieces() {
        let text = STORY.repeat(1200);
        let snap = Snapshot::new(
            3,
            text.clone(),
            analyze(&text, &Config::default()),
            PositionEncoding::Utf16,
        );
        let uri: Uri = "file:///story.md".parse().unwrap();
        let all = DiagnosticFields::ALL;
        let mut rendered = Rendered::default();
        rendered.update(all, &snap, 1, Unchanged::NOTHING);
        let publish = rendered.publish(&uri, Some(3));
        let pieces = publish.pieces();
        let fresh = write_publish_for(all, &uri, Some(3), Some(&snap));
        assert!(fresh.len() > 2 * PIECE, "{} bytes", fresh.len());
        assert_eq!(pieces.concat(), fresh);
        assert_eq!(publish.len(), fresh.len());
        assert!(
            pieces.iter().all(|p| p.len() <= PIECE + 128),
            "pieces of at most a pipe"
        );
        let body = rendered.body.len();
        assert_eq!(
            pieces.len(),
            2 + (body - 2 * super::super::CHUNK).div_ceil(PIECE)
        );
        // A write error stops the writing.
        let mut calls = 0;
        let failed = publish.write(&mut |_| {
            calls += 1;
            Err(std::io::Error::other("closed"))
        });
        assert!(failed.is_err());
        assert_eq!(calls, 1);
    }

    #[test]
    fn a_body_is_rendered_afresh_for_another_job_or_client() {
        let config = Config::default();
        let snap = Snapshot::new(
            3,
            STORY.into(),
            analyze(STORY, &config),
            PositionEncoding::Utf16,
        );
        let uri: Uri = "file:///story.md".parse().unwrap();
        let all = DiagnosticFields::ALL;
        let mut rendered = Rendered::default();
        rendered.update(all, &snap, 5, Unchanged::NOTHING);
        assert!(!rendered.spliced);
        let kept = |r: &mut Rendered| {
            let mut findings = snap.analysis.findings.clone();
            r.keep_findings(5, &mut findings);
        };
        let unchanged = |since| Unchanged {
            since,
            prefix: STORY.len(),
            suffix: 0,
        };
        // The findings of the job the body came from, and what changed since it.
        kept(&mut rendered);
        rendered.update(all, &snap, 6, unchanged(5));
        assert!(rendered.spliced);
        // Told of the changes since another job.
        kept(&mut rendered);
        rendered.update(all, &snap, 7, unchanged(6));
        assert!(!rendered.spliced);
        // The findings not kept (their snapshot was held when taken apart).
        rendered.update(all, &snap, 8, unchanged(7));
        assert!(!rendered.spliced);
        // Another choice of fields.
        let mut findings = snap.analysis.findings.clone();
        rendered.keep_findings(8, &mut findings);
        let none = DiagnosticFields::default();
        rendered.update(none, &snap, 9, unchanged(8));
        assert!(!rendered.spliced);
        let body = rendered.publish(&uri, Some(3)).pieces().concat();
        assert_eq!(body, write_publish_for(none, &uri, Some(3), Some(&snap)));
    }
}
