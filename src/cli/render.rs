//! Rendering findings for people (source line with carets) and for programs (JSON).
//!
//! Contract:
//! - Lines and columns shown to people are 1-based; columns count characters (Unicode scalar
//!   values), not bytes. `\r\n` and `\n` both end a line.
//! - Carets sit under the characters of a finding as a terminal shows them: wide characters (CJK,
//!   most emoji) take two columns, combining marks none, tabs are shown as one space. A finding
//!   that spans lines is underlined to the end of its first line; an empty one gets one caret.
//! - Very long lines (news paragraphs are often one line) are shown as a window around the
//!   finding, with `…` where text was cut.
//! - The JSON types here are the stable schema documented in `docs/cli.md`; change them only by
//!   raising [`JSON_VERSION`].

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use crate::engine::{Finding, Severity};

/// Version of the `check --format json` schema.
pub const JSON_VERSION: u32 = 1;

/// Display width of a source line window, in terminal columns.
const MAX_WIDTH: usize = 110;
/// How many columns of context to keep before a finding in a cut line.
const CONTEXT_BEFORE: usize = 30;

/// Lines longer than this many bytes are only looked at near a finding, so that rendering many
/// findings on one huge line stays linear.
const LONG_LINE_BYTES: usize = 4 * MAX_WIDTH;

/// Line starts of a text, for turning byte offsets into lines and columns.
///
/// Columns are counted from the last position asked for when it is on the same line, so asking
/// for the positions of many findings in document order costs time in proportion to the text,
/// even when they all sit on one very long line.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last (offset, 0-based line, 0-based column) computed.
    memo: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            text,
            starts,
            memo: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of 0-based line `line` without its line break.
    pub fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        (start, end.max(start))
    }

    /// 1-based line and 1-based character column of byte `offset`. An offset inside a character
    /// counts as that character.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (last, last_line, last_col) = self.memo.get();
        // A finding's end is nearly always on its start's line: that line is tried before the
        // binary search.
        let line = if self.holds(last_line, offset) {
            last_line
        } else {
            self.line_of(offset)
        };
        let line_start = self.starts[line];
        let col = if line == last_line {
            if last <= offset {
                last_col + self.text[last..offset].chars().count()
            } else {
                last_col.saturating_sub(self.text[offset..last].chars().count())
            }
        } else {
            self.text[line_start..offset].chars().count()
        };
        self.memo.set((offset, line, col));
        (line + 1, col + 1)
    }

    /// Whether 0-based line `line` holds byte `offset` (`line_of(offset) == line`).
    fn holds(&self, line: usize, offset: usize) -> bool {
        self.starts[line] <= offset && self.starts.get(line + 1).is_none_or(|&next| offset < next)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// A character as the source line shows it, and its width in terminal columns: tabs and other
/// control characters become one space.
fn shown(c: char) -> (char, usize) {
    if c.is_ascii() {
        // Every ASCII character takes one column: printable ones as themselves, the others
        // (tab, controls, DEL) as a space.
        if c == '\t' || c.is_ascii_control() {
            (' ', 1)
        } else {
            (c, 1)
        }
    } else if c.is_control() {
        (' ', 1)
    } else {
        (c, c.width().unwrap_or(0))
    }
}

/// One character of a source line as [`shown`] shows it, found from its bytes.
struct Shown {
    /// Its length in bytes.
    len: usize,
    /// Its width in terminal columns.
    width: usize,
    /// Whether it is shown as itself (not replaced by a space).
    plain: bool,
}

impl Shown {
    fn of(c: char) -> Shown {
        let (s, width) = shown(c);
        Shown {
            len: c.len_utf8(),
            width,
            plain: s == c,
        }
    }

    /// The character that starts at byte `i < limit` of `text`.
    fn after(text: &str, i: usize, limit: usize) -> Shown {
        text[i..limit]
            .chars()
            .next()
            .map_or(Shown::of(' '), Shown::of)
    }

    /// The character that ends at byte `i > limit` of `text`.
    fn before(text: &str, i: usize, limit: usize) -> Shown {
        text[limit..i]
            .chars()
            .next_back()
            .map_or(Shown::of(' '), Shown::of)
    }
}

/// Printable ASCII, which is shown as itself in one column.
fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Walks forward from `*at` over the characters of `text[..limit]` while they fit in `room`
/// columns; returns the columns they take and whether each is shown as itself. Runs of
/// printable ASCII (most of a news text) are taken a byte at a time without decoding.
fn walk_forward(text: &str, at: &mut usize, limit: usize, room: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let (mut width, mut plain) = (0, true);
    while *at < limit {
        let run_end = limit.min(at.saturating_add(room - width));
        let run = bytes[*at..run_end]
            .iter()
            .take_while(|&&b| printable(b))
            .count();
        *at += run;
        width += run;
        if *at == limit {
            break;
        }
        let c = Shown::after(text, *at, limit);
        if width + c.width > room {
            break;
        }
        width += c.width;
        plain &= c.plain;
        *at += c.len;
    }
    (width, plain)
}

/// [`walk_forward`] backwards: from `*at` down to `limit`.
fn walk_back(text: &str, at: &mut usize, limit: usize, room: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let (mut width, mut plain) = (0, true);
    while *at > limit {
        let run_start = limit.max(at.saturating_sub(room - width));
        let run = bytes[run_start..*at]
            .iter()
            .rev()
            .take_while(|&&b| printable(b))
            .count();
        *at -= run;
        width += run;
        if *at == limit {
            break;
        }
        let c = Shown::before(text, *at, limit);
        if width + c.width > room {
            break;
        }
        width += c.width;
        plain &= c.plain;
        *at -= c.len;
    }
    (width, plain)
}

/// What [`write_snippet`] wrote: the caret line is `spaces` spaces then `carets` carets.
struct Carets {
    spaces: usize,
    carets: usize,
}

/// The source line of a finding and the caret line under it, without a trailing newline.
pub fn snippet(index: &LineIndex<'_>, start: usize, end: usize) -> (String, String) {
    let mut source = String::new();
    let line = index.line_of(floor_char_boundary(index.text, start.min(index.text.len())));
    let c = write_snippet(&mut source, index, line, start, end);
    let mut carets = " ".repeat(c.spaces);
    carets.push_str(&"^".repeat(c.carets));
    (source, carets)
}

/// Appends the source line of a finding (or the window of it that is shown) to `out` and says
/// what the caret line under it is. `line` is the 0-based line of `start`.
///
/// A line wider than [`MAX_WIDTH`] columns (or a long line of which only the part near the
/// finding is looked at) is shown as a window: up to [`CONTEXT_BEFORE`] columns before the
/// finding, then as much as fits, with `…` where text was cut. This runs once per finding
/// (123,000 times for the 20 MB manuscript), so it looks only at the characters of the window,
/// and at the rest of the line only until it is known to be too wide.
fn write_snippet(
    out: &mut String,
    index: &LineIndex<'_>,
    line: usize,
    start: usize,
    end: usize,
) -> Carets {
    let text = index.text;
    let start = floor_char_boundary(text, start.min(text.len()));
    let (line_start, line_end) = index.line_range(line);
    let start = start.min(line_end);
    let end = floor_char_boundary(text, end.clamp(start, line_end));
    // On a long line, only the bytes near the finding can be shown; look at no others.
    let (region_start, region_end) = if line_end - line_start <= LONG_LINE_BYTES {
        (line_start, line_end)
    } else {
        (
            floor_char_boundary(
                text,
                start.saturating_sub(4 * CONTEXT_BEFORE).max(line_start),
            ),
            ceil_char_boundary(text, (start + LONG_LINE_BYTES).min(line_end)),
        )
    };
    let (cut_before, cut_after) = (region_start > line_start, region_end < line_end);
    // The window: up to CONTEXT_BEFORE columns before the finding…
    let mut from = start;
    let (before, plain_before) = walk_back(text, &mut from, region_start, CONTEXT_BEFORE);
    let ellipsis_before = from > region_start || cut_before;
    // …then as much as fits, the ellipses included: first the finding, then what follows it.
    let budget = MAX_WIDTH - usize::from(ellipsis_before) - 1;
    let mut to = start;
    let (underlined, plain_hit) = walk_forward(text, &mut to, end, budget - before);
    let (after, plain_after) = if to == end {
        walk_forward(text, &mut to, region_end, budget - before - underlined)
    } else {
        (0, true)
    };
    let ellipsis_after = to < region_end || cut_after;
    // A whole line that is at most MAX_WIDTH columns wide is shown whole. (When the window
    // holds the whole line, showing the window is the same.)
    if !cut_before && !cut_after && (ellipsis_before || ellipsis_after) {
        let room = MAX_WIDTH - (before + underlined + after);
        let mut at = region_start;
        let (head, _) = walk_forward(text, &mut at, from, room);
        let fits = at == from && {
            let mut at = to;
            walk_forward(text, &mut at, region_end, room - head);
            at == region_end
        };
        if fits {
            return write_whole_line(out, text, region_start, region_end, start, end);
        }
    }
    if ellipsis_before {
        out.push('…');
    }
    push_shown(
        out,
        &text[from..to],
        plain_before && plain_hit && plain_after,
    );
    if ellipsis_after {
        out.push('…');
    }
    Carets {
        spaces: usize::from(ellipsis_before) + before,
        carets: underlined.max(1),
    }
}

/// Appends the line `text[line_start..line_end]` as it is shown, for a finding at
/// `start..end` on it.
fn write_whole_line(
    out: &mut String,
    text: &str,
    line_start: usize,
    line_end: usize,
    start: usize,
    end: usize,
) -> Carets {
    let mut at = line_start;
    let (before, plain_before) = walk_forward(text, &mut at, start, usize::MAX);
    let (underlined, plain_hit) = walk_forward(text, &mut at, end, usize::MAX);
    let (_, plain_after) = walk_forward(text, &mut at, line_end, usize::MAX);
    push_shown(
        out,
        &text[line_start..line_end],
        plain_before && plain_hit && plain_after,
    );
    Carets {
        spaces: before,
        carets: underlined.max(1),
    }
}

/// Appends `s` as the source line shows it (`plain`: it needs no character replaced).
fn push_shown(out: &mut String, s: &str, plain: bool) {
    if plain {
        out.push_str(s);
    } else {
        out.extend(s.chars().map(|c| shown(c).0));
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let at = decimal(&mut digits, n);
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Writes `n`'s decimal digits at the end of `digits` and returns where they start.
fn decimal(digits: &mut [u8; 20], mut n: usize) -> usize {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return at;
        }
    }
}

/// Appends `n` copies of the one-byte character that fills `run` (a run of it, for copying
/// many at a time).
fn push_repeated(out: &mut String, run: &str, mut n: usize) {
    while n > run.len() {
        out.push_str(run);
        n -= run.len();
    }
    out.push_str(&run[..n]);
}

/// Runs of spaces and carets for [`push_repeated`].
const SPACES: &str = "                                                                ";
const CARETS: &str = "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";

/// Writes one finding in the human format:
///
/// ```text
/// story.md:3:1: warning[unattributed-quote] A quotation with no speaker
///     3 | “We won,” he said.
///       | ^^^^^^^^^
/// ```
pub fn human_finding(out: &mut String, name: &str, index: &LineIndex<'_>, f: &Finding) {
    let (line, col) = index.line_col(f.range.start);
    out.push_str(name);
    out.push(':');
    push_number(out, line);
    out.push(':');
    push_number(out, col);
    out.push_str(": ");
    out.push_str(f.severity.as_str());
    out.push('[');
    out.push_str(f.code);
    out.push_str("] ");
    out.push_str(&f.message);
    out.push('\n');
    let gutter_start = out.len();
    out.push(' ');
    push_number(out, line);
    let gutter = out.len() - gutter_start - 1;
    out.push_str(" | ");
    let carets = write_snippet(out, index, line - 1, f.range.start, f.range.end);
    out.push('\n');
    push_repeated(out, SPACES, 1 + gutter);
    out.push_str(" | ");
    push_repeated(out, SPACES, carets.spaces);
    push_repeated(out, CARETS, carets.carets);
    out.push('\n');
    for fix in &f.fixes {
        push_repeated(out, SPACES, 1 + gutter);
        out.push_str(" = fix: ");
        out.push_str(&fix.title);
        out.push('\n');
    }
}

/// Counts of findings per severity, most serious first, in words: `2 warnings, 1 hint`.
pub fn severity_counts(counts: &[usize; 4]) -> String {
    let mut parts = Vec::new();
    for sev in Severity::ALL.iter().rev() {
        let n = counts[*sev as usize];
        if n > 0 {
            parts.push(format!(
                "{n} {}{}",
                sev.as_str(),
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    parts.join(", ")
}

/// `check --format json`: the whole run.
#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub files: Vec<JsonFile>,
    pub errors: Vec<JsonError>,
    pub summary: JsonSummary,
}

/// One checked file.
#[derive(Debug, Serialize)]
pub struct JsonFile {
    pub path: String,
    /// `markdown` or `plaintext`.
    pub format: crate::engine::Format,
    /// `YYYY-MM-DD`, or null when the manuscript has none.
    pub publication_date: Option<String>,
    /// `setting`, `front-matter` or `dateline`, or null.
    pub publication_date_source: Option<crate::engine::temporal::AnchorSource>,
    pub findings: Vec<JsonFinding>,
}

/// One finding with both byte offsets and human positions.
#[derive(Debug, Serialize)]
pub struct JsonFinding {
    pub code: &'static str,
    pub severity: Severity,
    /// The finding's own message, shared (a report of 123,000 findings copies none).
    pub message: crate::engine::checks::Message,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub fixes: Vec<JsonFix>,
}

#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub title: String,
    pub edits: Vec<JsonEdit>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit {
    pub start: usize,
    pub end: usize,
    pub new_text: String,
}

/// Writes `report` as `serde_json::to_string_pretty` writes it, byte for byte (two-space
/// indents, `"key": value`, `[]` for an empty array), straight from the fields: on a large
/// manuscript (123,000 findings at 20 MB) serde's generic pretty printer costs more than
/// reading the file and indexing its lines together. `check` writes the same bytes a file at a
/// time with [`JsonReportWriter`].
pub fn write_json_report(out: &mut Vec<u8>, report: &JsonReport) {
    let mut w = JsonReportWriter::begin(out, report.version);
    for file in &report.files {
        w.file(out, file, &file.findings, |_| {});
    }
    w.finish(out, &report.errors, &report.summary);
}

/// A [`JsonReport`] written a file at a time, so that `check` sends each file's findings as
/// soon as they are known and keeps no more than one file's report in memory (an archive of
/// many files, or one 20 MB manuscript whose report is 47 MB). [`Self::begin`], then
/// [`Self::file`] for each file, then [`Self::finish`] write exactly what
/// [`write_json_report`] writes for the whole report.
pub struct JsonReportWriter {
    /// Each severity's JSON, by discriminant.
    severities: [Vec<u8>; 4],
    /// A finding's keys, each with the line break and indent before it, written once and then
    /// copied in one piece (every finding is at the same depth).
    keys: [Vec<u8>; FINDING_KEYS.len()],
    /// How many files were written.
    files: usize,
}

/// How many bytes of a file's report [`JsonReportWriter::file`] gathers before it hands them
/// to its `drain`: large writes, in a buffer that stays in the cache (a 20 MB manuscript's
/// report, 60 MB, held whole cost some 15,000 page faults and the copies of its growth).
pub const DRAIN_AT: usize = 1 << 16;

/// Depth of a finding's keys in the report: inside the report, the list of files, a file, its
/// list of findings and the finding.
const FINDING_DEPTH: usize = 5;

impl JsonReportWriter {
    /// Writes the report's opening up to its list of files.
    pub fn begin(out: &mut Vec<u8>, version: u32) -> Self {
        let mut severities: [Vec<u8>; 4] = Default::default();
        for s in Severity::ALL {
            severities[s as usize] = serde_json::to_vec(&s).unwrap_or_default();
        }
        let mut w = Pretty { out, depth: 0 };
        w.begin_object();
        w.key(true, "version");
        w.number(version as usize);
        w.key(false, "files");
        let keys = std::array::from_fn(|i| {
            Pretty {
                out: &mut Vec::new(),
                depth: FINDING_DEPTH,
            }
            .key_piece(i == 0, FINDING_KEYS[i])
        });
        JsonReportWriter {
            severities,
            keys,
            files: 0,
        }
    }

    /// Writes one file: the fields of `file` but its findings, which are `findings` (built as
    /// they are written, or `&file.findings`). Whenever `out` holds [`DRAIN_AT`] bytes or more
    /// after a finding, `drain` is called to take them (it sends them on and clears `out`), so
    /// that a file with many findings is not held whole in memory; `|_| {}` keeps it all.
    pub fn file<F: std::borrow::Borrow<JsonFinding>>(
        &mut self,
        out: &mut Vec<u8>,
        file: &JsonFile,
        findings: impl IntoIterator<Item = F>,
        mut drain: impl FnMut(&mut Vec<u8>),
    ) {
        out.push(if self.files == 0 { b'[' } else { b',' });
        self.files += 1;
        let mut w = Pretty { out, depth: 2 };
        w.new_line();
        w.begin_object();
        w.key(true, "path");
        w.string(&file.path);
        w.key(false, "format");
        w.serde(&file.format);
        w.key(false, "publication_date");
        w.serde(&file.publication_date);
        w.key(false, "publication_date_source");
        w.serde(&file.publication_date_source);
        w.key(false, "findings");
        w.array(findings, |w, f| {
            let f = f.borrow();
            w.begin_object();
            debug_assert_eq!(w.depth, FINDING_DEPTH);
            let keys = &self.keys;
            w.out.extend_from_slice(&keys[0]);
            w.string(f.code);
            w.out.extend_from_slice(&keys[1]);
            w.out
                .extend_from_slice(&self.severities[f.severity as usize]);
            w.out.extend_from_slice(&keys[2]);
            w.string(&f.message);
            for (key, n) in
                keys[3..9]
                    .iter()
                    .zip([f.start, f.end, f.line, f.column, f.end_line, f.end_column])
            {
                w.out.extend_from_slice(key);
                w.number(n);
            }
            w.out.extend_from_slice(&keys[9]);
            w.array(&f.fixes, |w, fix| {
                w.begin_object();
                w.key(true, "title");
                w.string(&fix.title);
                w.key(false, "edits");
                w.array(&fix.edits, |w, edit| {
                    w.begin_object();
                    w.key(true, "start");
                    w.number(edit.start);
                    w.key(false, "end");
                    w.number(edit.end);
                    w.key(false, "new_text");
                    w.string(&edit.new_text);
                    w.end_object();
                });
                w.end_object();
            });
            w.end_object();
            if w.out.len() >= DRAIN_AT {
                drain(w.out);
            }
        });
        w.end_object();
    }

    /// Ends the list of files and writes the errors and the summary.
    pub fn finish(self, out: &mut Vec<u8>, errors: &[JsonError], summary: &JsonSummary) {
        let mut w = Pretty { out, depth: 1 };
        if self.files == 0 {
            w.out.extend_from_slice(b"[]");
        } else {
            w.new_line();
            w.out.push(b']');
        }
        w.key(false, "errors");
        w.array(errors, |w, e| {
            w.begin_object();
            w.key(true, "path");
            w.string(&e.path);
            w.key(false, "message");
            w.string(&e.message);
            w.end_object();
        });
        w.key(false, "summary");
        let s = summary;
        w.begin_object();
        for (i, (name, n)) in [
            ("files", s.files),
            ("findings", s.findings),
            ("errors", s.errors),
            ("hint", s.hint),
            ("info", s.info),
            ("warning", s.warning),
            ("error", s.error),
        ]
        .into_iter()
        .enumerate()
        {
            w.key(i == 0, name);
            w.number(n);
        }
        w.end_object();
        w.end_object();
    }
}

/// A line break and the indent of the deepest lines of a report (a fix's edit, depth 6),
/// with room to spare.
const NEW_LINE: &[u8; 33] = b"\n                                ";

/// The keys of a finding in the report, in order.
const FINDING_KEYS: [&str; 10] = [
    "code",
    "severity",
    "message",
    "start",
    "end",
    "line",
    "column",
    "end_line",
    "end_column",
    "fixes",
];

/// "00" to "99", for [`Pretty::number`].
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// The pretty JSON writer behind [`write_json_report`]: the layout of serde_json's
/// `PrettyFormatter` for objects that are never empty.
struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
}

impl Pretty<'_> {
    /// A line break and the indent of the current depth, copied in one piece (12 per finding).
    fn new_line(&mut self) {
        let indent = 1 + 2 * self.depth;
        if indent <= NEW_LINE.len() {
            self.out.extend_from_slice(&NEW_LINE[..indent]);
        } else {
            self.out.push(b'\n');
            for _ in 0..self.depth {
                self.out.extend_from_slice(b"  ");
            }
        }
    }

    fn begin_object(&mut self) {
        self.out.push(b'{');
        self.depth += 1;
    }

    /// Ends an object that has at least one key.
    fn end_object(&mut self) {
        self.depth -= 1;
        self.new_line();
        self.out.push(b'}');
    }

    /// Starts the value of key `name` (a plain ASCII name).
    fn key(&mut self, first: bool, name: &str) {
        self.out.reserve(name.len() + 2 * self.depth + 8);
        if !first {
            self.out.push(b',');
        }
        self.new_line();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// What [`Self::key`] writes at the current depth.
    fn key_piece(&self, first: bool, name: &str) -> Vec<u8> {
        let mut out = Vec::new();
        Pretty {
            out: &mut out,
            depth: self.depth,
        }
        .key(first, name);
        out
    }

    fn array<T>(&mut self, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut Self, T)) {
        let mut any = false;
        for item in items {
            self.out.push(if any { b',' } else { b'[' });
            if !any {
                self.depth += 1;
                any = true;
            }
            self.new_line();
            each(self, item);
        }
        if any {
            self.depth -= 1;
            self.new_line();
            self.out.push(b']');
        } else {
            self.out.extend_from_slice(b"[]");
        }
    }

    /// A number in decimal, two digits at a time (offsets, lines and columns: six per finding).
    fn number(&mut self, n: usize) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = n;
        let pair = |r: usize| &DIGIT_PAIRS[2 * r..2 * r + 2];
        while n >= 100 {
            at -= 2;
            digits[at..at + 2].copy_from_slice(pair(n % 100));
            n /= 100;
        }
        if n >= 10 {
            at -= 2;
            digits[at..at + 2].copy_from_slice(pair(n));
        } else {
            at -= 1;
            digits[at] = b'0' + n as u8;
        }
        self.out.extend_from_slice(&digits[at..]);
    }

    /// A string, copied between quotes when it needs no escape, else escaped by serde_json.
    fn string(&mut self, s: &str) {
        let plain = !s.bytes().fold(false, |bad, b| {
            bad | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if plain {
            self.out.reserve(s.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else {
            self.serde(s);
        }
    }

    /// Any other value (a unit enum, an option), as serde_json writes it compactly: on one
    /// line, as the pretty printer writes a scalar.
    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Err(e) = serde_json::to_writer(&mut *self.out, value) {
            tracing::error!(error = %e, "could not serialise a report value");
        }
    }
}

/// An input that could not be read.
#[derive(Debug, Serialize)]
pub struct JsonError {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub files: usize,
    pub findings: usize,
    pub errors: usize,
    pub hint: usize,
    pub info: usize,
    pub warning: usize,
    pub error: usize,
}

impl JsonFinding {
    pub fn new(index: &LineIndex<'_>, f: &Finding) -> Self {
        let (line, column) = index.line_col(f.range.start);
        let (end_line, end_column) = index.line_col(f.range.end);
        JsonFinding {
            code: f.code,
            severity: f.severity,
            message: f.message.clone(),
            start: f.range.start,
            end: f.range.end,
            line,
            column,
            end_line,
            end_column,
            fixes: f
                .fixes
                .iter()
                .map(|fix| JsonFix {
                    title: fix.title.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            start: e.range.start,
                            end: e.range.end,
                            new_text: e.new_text.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snip(text: &str, needle: &str) -> (String, String) {
        let start = text.find(needle).unwrap();
        snippet(&LineIndex::new(text), start, start + needle.len())
    }

    /// The first implementation of [`snippet`]: every character of the line (or of the long
    /// line's region) decoded into a vector, then the window chosen on it. Kept as the oracle
    /// for the one that decodes only what it shows.
    fn snippet_by_vector(index: &LineIndex<'_>, start: usize, end: usize) -> (String, String) {
        let text = index.text;
        let start = floor_char_boundary(text, start.min(text.len()));
        let line = index.line_of(start);
        let (line_start, line_end) = index.line_range(line);
        let start = start.min(line_end);
        let end = floor_char_boundary(text, end.clamp(start, line_end));
        let (region_start, region_end) = if line_end - line_start <= LONG_LINE_BYTES {
            (line_start, line_end)
        } else {
            (
                floor_char_boundary(
                    text,
                    start.saturating_sub(4 * CONTEXT_BEFORE).max(line_start),
                ),
                ceil_char_boundary(text, (start + LONG_LINE_BYTES).min(line_end)),
            )
        };
        let chars: Vec<(usize, char, usize)> = text[region_start..region_end]
            .char_indices()
            .map(|(i, c)| {
                let (c, w) = if c == '\t' || c.is_control() {
                    (' ', 1)
                } else {
                    (c, c.width().unwrap_or(0))
                };
                (region_start + i, c, w)
            })
            .collect();
        let total: usize = chars.iter().map(|c| c.2).sum();
        let (cut_before, cut_after) = (region_start > line_start, region_end < line_end);
        let first_hit = chars
            .iter()
            .position(|c| c.0 >= start)
            .unwrap_or(chars.len());
        let (mut from, mut to) = (0, chars.len());
        if total > MAX_WIDTH || cut_before || cut_after {
            let mut before = 0;
            from = first_hit;
            while from > 0 && before + chars[from - 1].2 <= CONTEXT_BEFORE {
                from -= 1;
                before += chars[from].2;
            }
            let budget = MAX_WIDTH - usize::from(from > 0 || cut_before) - 1;
            let mut width = 0;
            to = from;
            while to < chars.len() && width + chars[to].2 <= budget {
                width += chars[to].2;
                to += 1;
            }
        }
        let (ellipsis_before, ellipsis_after) =
            (from > 0 || cut_before, to < chars.len() || cut_after);
        let mut source = String::new();
        let mut carets = String::new();
        if ellipsis_before {
            source.push('…');
            carets.push(' ');
        }
        let mut underlined = 0;
        for &(at, c, w) in &chars[from..to] {
            source.push(c);
            let mark = if at >= start && at < end { '^' } else { ' ' };
            if mark == '^' {
                underlined += w;
            }
            if at < start || mark == '^' {
                carets.extend(std::iter::repeat_n(mark, w));
            }
        }
        if ellipsis_after {
            source.push('…');
        }
        if underlined == 0 {
            carets.push('^');
        }
        (source, carets.trim_end().to_string())
    }

    mod windows {
        use super::*;
        use proptest::prelude::*;

        /// Lines of every kind the window logic distinguishes: short and wide, just under and
        /// over MAX_WIDTH columns and LONG_LINE_BYTES bytes, with wide characters, emoji,
        /// combining and zero-width marks, tabs, control characters and both line ends.
        fn texts() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "a",
                "word ",
                "said the council, ",
                "“We won,” ",
                " ",
                "\t",
                "\u{7}",
                "\u{7f}",
                "\u{85}",
                "\n",
                "\r\n",
                "\r",
                "é",
                "e\u{301}",
                "\u{301}",
                "\u{200b}",
                "\u{ad}",
                "习近平",
                "好",
                "Ｆ",
                "👍",
                "👩\u{200d}👩\u{200d}👧",
                "🇫🇷",
                "…",
            ]);
            (
                prop::collection::vec(pieces, 0..300),
                prop::collection::vec(0usize..60, 0..4),
            )
                .prop_map(|(pieces, repeats)| {
                    let mut text: String = pieces.concat();
                    // Some very long runs of one piece, for the long-line region.
                    for (i, n) in repeats.into_iter().enumerate() {
                        let piece = ["x", "好", "e\u{301}", "\t"][i % 4];
                        text.push_str(&piece.repeat(n * 10));
                    }
                    text
                })
        }

        proptest! {
            #[test]
            fn snippets_match_the_vector_implementation(
                text in texts(),
                ranges in prop::collection::vec((0usize..4000, 0usize..300), 1..12),
            ) {
                let index = LineIndex::new(&text);
                for (start, len) in ranges {
                    let start = start % (text.len() + 2);
                    let end = start + len;
                    let (source, carets) = snippet(&index, start, end);
                    let (want_source, want_carets) = snippet_by_vector(&index, start, end);
                    prop_assert_eq!(&source, &want_source, "start {} end {}", start, end);
                    prop_assert_eq!(&carets, &want_carets, "start {} end {}", start, end);
                }
            }
        }
    }

    #[test]
    fn json_report_is_written_as_serde_json_pretty_prints_it() {
        use crate::engine::Format;
        use crate::engine::temporal::AnchorSource;
        let finding = |code, severity, message: &str, fixes| JsonFinding {
            code,
            severity,
            message: message.to_string().into(),
            start: 0,
            end: 12_345_678,
            line: 1,
            column: 10,
            end_line: 99,
            end_column: 100,
            fixes,
        };
        let fixes = vec![
            JsonFix {
                title: "Use “Y”".to_string(),
                edits: vec![
                    JsonEdit {
                        start: 1,
                        end: 2,
                        new_text: "Y\"\n\\".to_string(),
                    },
                    JsonEdit {
                        start: 0,
                        end: 0,
                        new_text: String::new(),
                    },
                ],
            },
            JsonFix {
                title: "No edit".to_string(),
                edits: vec![],
            },
        ];
        let report = JsonReport {
            version: JSON_VERSION,
            files: vec![
                JsonFile {
                    path: "dir/a \"quoted\" \\ name\n.md".to_string(),
                    format: Format::Markdown,
                    publication_date: Some("2024-05-01".to_string()),
                    publication_date_source: Some(AnchorSource::FrontMatter),
                    findings: vec![
                        finding(
                            "a",
                            Severity::Warning,
                            "“We won,” he said\ttoday\u{1}",
                            vec![],
                        ),
                        finding("b", Severity::Hint, "中文 👍", fixes),
                        finding("c", Severity::Error, "", vec![]),
                        finding("d", Severity::Info, "plain", vec![]),
                    ],
                },
                JsonFile {
                    path: "b.txt".to_string(),
                    format: Format::PlainText,
                    publication_date: None,
                    publication_date_source: None,
                    findings: vec![],
                },
            ],
            errors: vec![JsonError {
                path: "c.md".to_string(),
                message: "not UTF-8".to_string(),
            }],
            summary: JsonSummary {
                files: 2,
                findings: 4,
                errors: 1,
                hint: 1,
                info: 1,
                warning: 1,
                error: usize::MAX,
            },
        };
        let empty = JsonReport {
            version: JSON_VERSION,
            files: vec![],
            errors: vec![],
            summary: JsonSummary {
                files: 0,
                findings: 0,
                errors: 0,
                hint: 0,
                info: 0,
                warning: 0,
                error: 0,
            },
        };
        for report in [&report, &empty] {
            let mut written = Vec::new();
            write_json_report(&mut written, report);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string_pretty(report).unwrap()
            );
        }
    }

    #[test]
    fn carets_count_characters_not_bytes() {
        let (src, car) = snip("first\n“Ça va,” dit-il.\n", "dit");
        assert_eq!(src, "“Ça va,” dit-il.");
        assert_eq!(car, "         ^^^");
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let (src, car) = snip("习近平说“合作”。", "“合作”");
        assert_eq!(src, "习近平说“合作”。");
        // Four wide characters (8 columns), then a narrow mark, two wide, a narrow mark.
        assert_eq!(car, "        ^^^^^^");
    }

    #[test]
    fn empty_and_multiline_findings() {
        let text = "ab\r\ncd\n";
        let (src, car) = snippet(&LineIndex::new(text), 1, 1);
        assert_eq!((src.as_str(), car.as_str()), ("ab", " ^"));
        let (src, car) = snippet(&LineIndex::new(text), 1, 6);
        assert_eq!((src.as_str(), car.as_str()), ("ab", " ^"));
        let (src, car) = snippet(&LineIndex::new(text), 4, 7);
        assert_eq!((src.as_str(), car.as_str()), ("cd", "^^"));
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let text = format!("{}“here”{}", "x".repeat(300), "y".repeat(300));
        let (src, car) = snip(&text, "“here”");
        assert!(src.starts_with('…') && src.ends_with('…'), "{src}");
        assert!(src.chars().count() <= MAX_WIDTH, "{}", src.chars().count());
        let col = car.find('^').unwrap();
        assert_eq!(src.chars().skip(col).take(6).collect::<String>(), "“here”");
    }

    #[test]
    fn long_lines_with_wide_characters_are_cut_by_columns() {
        let text = format!("{}“好”{}", "好".repeat(3000), "b".repeat(3000));
        let (src, car) = snip(&text, "“好”");
        assert!(src.starts_with('…') && src.ends_with('…'), "{src}");
        let width: usize = src.chars().map(|c| c.width().unwrap_or(0)).sum();
        assert!(width <= MAX_WIDTH, "{width}");
        // Fifteen wide characters (30 columns) of context before the finding.
        assert_eq!(src.chars().nth(16), Some('“'), "{src}");
        assert_eq!(car, format!(" {}^^^^", " ".repeat(30)));
    }

    #[test]
    fn columns_are_right_in_any_order_of_asking() {
        let text = "ab€cd\néf€g\n";
        let idx = LineIndex::new(text);
        let fresh = |o: usize| LineIndex::new(text).line_col(o);
        for o in [9, 3, 0, 7, 12, 8, 2, 13, 5, 1] {
            assert_eq!(idx.line_col(o), fresh(o), "offset {o}");
        }
    }

    #[test]
    fn columns_are_right_for_every_pair_of_offsets_in_turn() {
        // Every offset asked after every other (the memo holds the first): same line, earlier
        // and later lines, line breaks, inside a character, past the end.
        let text = "ab€cd\r\néf€g\n\nh\n€";
        let idx = LineIndex::new(text);
        let fresh = |o: usize| LineIndex::new(text).line_col(o);
        for a in 0..=text.len() + 1 {
            for b in 0..=text.len() + 1 {
                assert_eq!(idx.line_col(a), fresh(a), "offset {a}");
                assert_eq!(idx.line_col(b), fresh(b), "offset {b} after {a}");
            }
        }
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        let mut values: Vec<usize> = (0..=100_000).collect();
        for k in 1..19 {
            let p = 10usize.pow(k);
            values.extend([p - 1, p, p + 1, 99 * (p / 10), p + p / 2]);
        }
        values.extend([10usize.pow(19), usize::MAX, usize::MAX - 1, usize::MAX / 10]);
        let mut out = Vec::new();
        for n in values {
            out.clear();
            Pretty {
                out: &mut out,
                depth: 0,
            }
            .number(n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn line_col_is_one_based_in_characters() {
        let idx = LineIndex::new("é\r\nab€c\n");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(2), (1, 2));
        let euro_end = "é\r\nab€".len();
        assert_eq!(idx.line_col(euro_end), (2, 4));
        // Inside the euro sign: the character's own column.
        assert_eq!(idx.line_col(euro_end - 1), (2, 3));
    }

    #[test]
    fn severity_counts_read_naturally() {
        assert_eq!(severity_counts(&[2, 0, 1, 0]), "1 warning, 2 hints");
        assert_eq!(severity_counts(&[0; 4]), "");
    }
}
