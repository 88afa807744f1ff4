//! Engine results → LSP types, in the negotiated position encoding.
//!
//! Every conversion takes the [`Snapshot`] the result was computed from, so byte offsets are
//! always converted against the text they refer to.

use serde_json::json;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::capabilities::{ClientFeatures, DiagnosticFields};
use super::documents::Snapshot;
use crate::engine::checks::{Edit, Finding, Fix, Severity};
use crate::engine::navigation::{self, SymbolKind, TokenKind};

mod rendered;

pub use rendered::{Rendered, RenderedPublish};

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

/// A finding as a diagnostic, with the optional `fields` the client takes. It links to its
/// check's explanation (`codeDescription`). A finding with quick fixes carries them in
/// `data`, with the document version, already in client positions, so a client can apply
/// them without asking the server; a finding without fixes carries no `data` (it would say
/// nothing, and a manuscript can have thousands of findings, all sent on every keystroke).
/// [`write_publish`] and [`Rendered`] write the same JSON without building this.
pub fn diagnostic(fields: DiagnosticFields, snap: &Snapshot, f: &Finding) -> lsp::Diagnostic {
    let href = fields
        .code_description
        .then(|| format!("{DOCS_BASE}#{}", f.code).parse::<Uri>().ok())
        .flatten();
    let data = (fields.data && !f.fixes.is_empty()).then(|| {
        let fixes: Vec<_> = f
            .fixes
            .iter()
            .map(|fix| json!({"title": fix.title, "edits": fix.edits.iter().map(|e| text_edit(snap, e)).collect::<Vec<_>>()}))
            .collect();
        json!({"version": snap.version, "fixes": fixes})
    });
    lsp::Diagnostic {
        range: snap.range(f.range),
        severity: Some(severity(f.severity)),
        code: Some(lsp::NumberOrString::String(f.code.to_string())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: one_line(&f.message),
        related_information: None,
        tags: None,
        data,
    }
}

/// Collapses line breaks so a message stays on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body (JSON, without the frame header) of a `textDocument/publishDiagnostics`
/// notification for `uri`: the findings of `snap` as [`diagnostic`] renders them with every
/// optional field ([`write_publish_for`] with [`DiagnosticFields::ALL`]), or no diagnostics
/// at all when `snap` is `None`.
///
/// Written straight from the findings with `serde`, borrowing every string: no
/// `lsp::Diagnostic`, no `serde_json::Value` tree and no second copy of the text, since on a
/// large manuscript this runs on every keystroke for thousands of findings.
pub fn write_publish(uri: &Uri, version: Option<i32>, snap: Option<&Snapshot>) -> Vec<u8> {
    write_publish_for(DiagnosticFields::ALL, uri, version, snap)
}

/// [`write_publish`] with the optional `fields` the client takes.
pub fn write_publish_for(
    fields: DiagnosticFields,
    uri: &Uri,
    version: Option<i32>,
    snap: Option<&Snapshot>,
) -> Vec<u8> {
    let count = snap.map_or(0, |s| s.analysis.findings.len());
    let mut out = Vec::with_capacity(256 + count * 480);
    let mut w = Diagnostics::new(snap, fields);
    let mut ranges = Ranges::default();
    write_head(&mut out, uri);
    if let Some(snap) = snap {
        for (i, f) in snap.analysis.findings.iter().enumerate() {
            w.write(&mut out, snap, i, f, &mut ranges);
        }
    }
    write_end(&mut out, version);
    out
}

/// The size of the first and last pieces [`RenderedPublish::write`] copies.
const CHUNK: usize = 64 << 10;

/// The start of a publishDiagnostics body, up to the diagnostics' opening bracket.
fn write_head(out: &mut Vec<u8>, uri: &Uri) {
    out.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    write_json(out, uri);
    out.extend_from_slice(br#","diagnostics":["#);
}

/// The end of a publishDiagnostics body, from the diagnostics' closing bracket.
fn write_end(out: &mut Vec<u8>, version: Option<i32>) {
    out.push(b']');
    if let Some(version) = version {
        out.extend_from_slice(br#","version":"#);
        write_json(out, &version);
    }
    out.extend_from_slice(b"}}");
}

/// Converts ranges to position numbers. Findings come in order of their start, so one cursor
/// follows them; the fixes' edits have a cursor of their own: many are elsewhere (a date fix
/// adds front matter at the start of the document), and would send the findings' cursor back
/// and forth.
#[derive(Default)]
struct Ranges {
    cursor: super::position::Cursor,
    fix_cursor: super::position::Cursor,
}

impl Ranges {
    /// The start line, start character, end line and end character of `range`.
    fn numbers(&mut self, snap: &Snapshot, range: crate::engine::TextRange, fix: bool) -> [u32; 4] {
        let cursor = if fix {
            &mut self.fix_cursor
        } else {
            &mut self.cursor
        };
        let (text, enc) = (&snap.text, snap.encoding);
        let start = snap.index.position_near(text, range.start, enc, cursor);
        let end = snap.index.position_near(text, range.end, enc, cursor);
        [start.line, start.character, end.line, end.character]
    }
}

/// Writes diagnostics, keeping what they share.
struct Diagnostics {
    /// The optional fields written.
    fields: DiagnosticFields,
    /// What follows the range is the same for every finding of one code and severity:
    /// written once per pair (a handful per document).
    tails: Vec<Tail>,
    /// Fixes' lists written lately, by address and length, and their `data` JSON
    /// ([`Self::data_json`]).
    data: [DataSlot; DATA_SLOTS],
    version_json: StackBuf,
    /// The digits of the last line number written in a finding's range, and in a fix's
    /// ([`write_range`]).
    lines: [LineDigits; 2],
    /// Messages' texts seen lately, by address and length: whether each is a plain line
    /// ([`Self::plain`]).
    messages: Box<[MessageSlot; MESSAGE_SLOTS]>,
    /// The tails of the codes and severities seen lately, by the code's address and the
    /// severity ([`Self::tail`]).
    tail_slots: [TailSlot; TAIL_SLOTS],
}

/// A remembered tail: its code's address, its severity and its index in
/// [`Diagnostics::tails`].
type TailSlot = ((usize, Severity), u32);

/// How many tails [`Diagnostics`] remembers by address (a document has a few dozen at most).
const TAIL_SLOTS: usize = 32;

/// A code and severity and the JSON that follows a diagnostic's range for them, up to the
/// message.
type Tail = (&'static str, Severity, Vec<u8>);

/// A remembered message: its text's address and length, and whether it is a plain line.
type MessageSlot = ((usize, usize), bool);

/// A remembered list of fixes: its address and length, and its `data` JSON.
type DataSlot = ((usize, usize), Vec<u8>);

/// How many lists of fixes [`Diagnostics`] remembers (one per slot, the slot chosen by
/// address).
const DATA_SLOTS: usize = 16;

/// How many messages [`Diagnostics`] remembers (one per slot, the slot chosen by address).
const MESSAGE_SLOTS: usize = 256;

impl Diagnostics {
    /// The index in [`Self::tails`] of the tail of `f`'s code and severity, made on first use.
    fn tail(&mut self, f: &Finding) -> usize {
        // Codes are `&'static str`s, mostly the same few constants: looked up by address, in a
        // slot chosen by the address and severity (a compare per finding), else among all the
        // tails (a few compares each); a code whose address is new is compared by content,
        // and gets an entry of its own (a copy of the tail) if it has one already.
        let key = (f.code.as_ptr() as usize, f.severity);
        let slot = (key.0 >> 3 ^ key.0 >> 9 ^ f.severity as usize) % TAIL_SLOTS;
        if self.tail_slots[slot].0 == key {
            return self.tail_slots[slot].1 as usize;
        }
        let at = self.tail_by_address(f);
        self.tail_slots[slot] = (key, at as u32);
        at
    }

    /// [`Self::tail`] not remembered in its slot.
    fn tail_by_address(&mut self, f: &Finding) -> usize {
        if let Some(at) = self
            .tails
            .iter()
            .position(|(code, sev, _)| *sev == f.severity && std::ptr::eq(*code, f.code))
        {
            return at;
        }
        let tail = match self
            .tails
            .iter()
            .find(|(code, sev, _)| *sev == f.severity && *code == f.code)
        {
            Some((_, _, tail)) => tail.clone(),
            None => {
                let mut tail = Vec::new();
                tail.extend_from_slice(br#","severity":"#);
                write_json(&mut tail, &severity(f.severity));
                tail.extend_from_slice(br#","code":"#);
                write_json(&mut tail, f.code);
                if self.fields.code_description {
                    tail.extend_from_slice(br#","codeDescription":"#);
                    write_json(&mut tail, &Href(f.code));
                }
                tail.extend_from_slice(br#","source":"#);
                write_json(&mut tail, SOURCE);
                tail.extend_from_slice(br#","message":"#);
                tail
            }
        };
        self.tails.push((f.code, f.severity, tail));
        self.tails.len() - 1
    }

    /// Whether message `m` is one plain line ([`is_plain_line`]), remembered by the text's
    /// address: findings share their messages' texts ([`crate::engine::checks::Message`]),
    /// and every text stays where it is while the snapshot is borrowed, so an address and a
    /// length name one text.
    fn plain(&mut self, m: &str) -> bool {
        let key = (m.as_ptr() as usize, m.len());
        let slot = &mut self.messages[(key.0 >> 3 ^ key.0 >> 11) % MESSAGE_SLOTS];
        if slot.0 == key {
            return slot.1;
        }
        let plain = is_plain_line(m);
        *slot = (key, plain);
        plain
    }

    /// The `,"data":{"version": …, "fixes": [{"title": …, "edits": [text edits]}, …]}` of a
    /// finding with `fixes`, their edits' ranges converted through `ranges`: kept in a slot
    /// chosen by the list's address, and written anew only when the slot holds another list
    /// (the date fix's list stays in its slot while the other findings' fixes, each written
    /// once, come and go in the others). Findings share
    /// their fixes' list ([`crate::engine::checks::Fixes`] is shared, not copied: every
    /// `unresolved-relative-date` finding of a document has the one date fix, 2,628 of the
    /// 2,979 fixes of lspbench's 1 MB document), and every list stays where it is while the
    /// snapshot is borrowed, so its address and length name one list, whose JSON is the same
    /// wherever it is written. Both passes go through here, in the same order, so they keep
    /// and write the same lists, convert (and record, then replay) the same ranges, and a
    /// publish writes as many bytes as it measured.
    fn data_json(&mut self, snap: &Snapshot, fixes: &[Fix], ranges: &mut Ranges) -> &[u8] {
        let key = (fixes.as_ptr() as usize, fixes.len());
        let data = &mut self.data[(key.0 >> 4 ^ key.0 >> 10) % DATA_SLOTS];
        if data.0 != key || data.1.is_empty() {
            let json = &mut data.1;
            json.clear();
            json.extend_from_slice(br#","data":{"version":"#);
            json.extend_from_slice(self.version_json.bytes());
            json.extend_from_slice(br#","fixes":["#);
            for (j, fix) in fixes.iter().enumerate() {
                if j > 0 {
                    json.push(b',');
                }
                json.extend_from_slice(br#"{"title":"#);
                write_str(json, &fix.title);
                json.extend_from_slice(br#","edits":["#);
                for (k, edit) in fix.edits.iter().enumerate() {
                    if k > 0 {
                        json.push(b',');
                    }
                    json.push(b'{');
                    let numbers = ranges.numbers(snap, edit.range, true);
                    write_range(json, numbers, &mut self.lines[1]);
                    json.extend_from_slice(br#","newText":"#);
                    write_str(json, &edit.new_text);
                    json.push(b'}');
                }
                json.extend_from_slice(b"]}");
            }
            json.extend_from_slice(b"]}");
            data.0 = key;
        }
        &data.1
    }

    fn new(snap: Option<&Snapshot>, fields: DiagnosticFields) -> Self {
        let mut version_json = StackBuf::default();
        version_json.put_i32(snap.map_or(0, |s| s.version));
        Diagnostics {
            fields,
            tails: Vec::new(),
            // No list is at address 0.
            data: Default::default(),
            version_json,
            lines: Default::default(),
            // No text is at address 0 (an empty one's address is not 0 either).
            messages: Box::new([((0, 0), false); MESSAGE_SLOTS]),
            // Nor is any code (an empty one's address is not 0 either).
            tail_slots: [((0, Severity::Error), 0); TAIL_SLOTS],
        }
    }

    /// Appends finding `i` as a diagnostic (after a comma unless it is the first); returns
    /// where its `data` starts in `out`, if it has one.
    fn write(
        &mut self,
        out: &mut Vec<u8>,
        snap: &Snapshot,
        i: usize,
        f: &Finding,
        ranges: &mut Ranges,
    ) -> Option<usize> {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        write_range(
            out,
            ranges.numbers(snap, f.range, false),
            &mut self.lines[0],
        );
        let tail = self.tail(f);
        let plain = self.plain(&f.message);
        out.extend_from_slice(&self.tails[tail].2);
        if plain {
            write_quoted(out, &f.message);
        } else {
            write_message(out, &f.message);
        }
        let data = (self.fields.data && !f.fixes.is_empty()).then(|| {
            let at = out.len();
            out.extend_from_slice(self.data_json(snap, &f.fixes, ranges));
            at
        });
        out.push(b'}');
        data
    }
}

/// The body of a JSON-RPC response to request `id` around its result, which is already JSON
/// and goes between the two parts returned; with `error`, the error response (the result is
/// then empty).
pub fn response_around(
    id: &tower_lsp_server::jsonrpc::Id,
    error: Option<&tower_lsp_server::jsonrpc::Error>,
) -> (Vec<u8>, Vec<u8>) {
    let mut head = Vec::with_capacity(64);
    head.extend_from_slice(br#"{"jsonrpc":"2.0","#);
    match error {
        None => head.extend_from_slice(br#""result":"#),
        Some(error) => {
            head.extend_from_slice(br#""error":"#);
            write_json(&mut head, error);
        }
    }
    let mut tail = Vec::with_capacity(32);
    tail.extend_from_slice(br#","id":"#);
    write_json(&mut tail, id);
    tail.push(b'}');
    (head, tail)
}

/// Appends `"range":{…}` for a range's start line, start character, end line and end
/// character (as `lsp::Range` serialises), assembled on the stack and appended in one copy.
/// The line numbers' digits come from `lines` when it has them: a finding starts and ends on
/// one line, and the next finding is often on the same line (a paragraph is one line), so only
/// the characters are written in decimal for most ranges.
fn write_range(
    out: &mut Vec<u8>,
    [start_line, start_character, end_line, end_character]: [u32; 4],
    lines: &mut LineDigits,
) {
    let mut buf = StackBuf::default();
    buf.put(br#""range":{"start":{"line":"#);
    buf.put_digits(lines.of(start_line));
    buf.put(br#","character":"#);
    buf.put_u32(start_character);
    buf.put(br#"},"end":{"line":"#);
    buf.put_digits(lines.of(end_line));
    buf.put(br#","character":"#);
    buf.put_u32(end_character);
    buf.put(b"}}");
    out.extend_from_slice(buf.bytes());
}

/// A line number and its decimal digits, kept from one range to the next ([`write_range`]).
#[derive(Default)]
struct LineDigits {
    line: u32,
    /// The digits, then zeros; no digits yet (`len` 0) before the first line.
    digits: [u8; 10],
    len: usize,
}

impl LineDigits {
    /// The digits of `line` (the first `len` bytes, then as many as [`StackBuf::put_digits`]
    /// copies) and their number.
    fn of(&mut self, line: u32) -> (&[u8; 10], usize) {
        if self.len == 0 || self.line != line {
            let mut buf = StackBuf::default();
            buf.put_u32(line);
            self.len = buf.len;
            self.digits.copy_from_slice(&buf.bytes[..10]);
            self.line = line;
        }
        (&self.digits, self.len)
    }
}

/// The number of decimal digits of `n`.
fn decimal_len(n: u32) -> usize {
    match n {
        0..10 => 1,
        10..100 => 2,
        100..1000 => 3,
        1000..10_000 => 4,
        _ => n.ilog10() as usize + 1,
    }
}

/// The numbers below 1000 in decimal: each one's digits (then zeros) and their number. The
/// digits of a range's characters were 40 instructions a number when worked out.
static SMALL: [[u8; 4]; 1000] = {
    const fn digit(d: usize) -> u8 {
        b'0' + (d % 10) as u8
    }
    let mut table = [[0; 4]; 1000];
    let mut n = 0;
    while n < 1000 {
        table[n] = if n >= 100 {
            [digit(n / 100), digit(n / 10), digit(n), 3]
        } else if n >= 10 {
            [digit(n / 10), digit(n), 0, 2]
        } else {
            [digit(n), 0, 0, 1]
        };
        n += 1;
    }
    table
};

/// A small fixed buffer for one range's JSON: 73 bytes of names and punctuation and four
/// numbers of at most 10 digits.
struct StackBuf {
    bytes: [u8; 128],
    len: usize,
}

impl Default for StackBuf {
    fn default() -> StackBuf {
        StackBuf {
            bytes: [0; 128],
            len: 0,
        }
    }
}

impl StackBuf {
    fn put(&mut self, s: &[u8]) {
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// Appends `n` in decimal: below 1000 (nearly every character of a range, and many lines)
    /// copied from [`SMALL`], else written in place from its last digits, two at a time.
    fn put_u32(&mut self, n: u32) {
        if let Some(&[a, b, c, len]) = SMALL.get(n as usize) {
            self.bytes[self.len..self.len + 3].copy_from_slice(&[a, b, c]);
            self.len += usize::from(len);
            return;
        }
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        let digits = decimal_len(n);
        let end = self.len + digits;
        let mut at = end;
        let mut n = n as usize;
        while n >= 100 {
            let pair = n % 100 * 2;
            n /= 100;
            at -= 2;
            self.bytes[at] = PAIRS[pair];
            self.bytes[at + 1] = PAIRS[pair + 1];
        }
        if n >= 10 {
            self.bytes[at - 2] = PAIRS[n * 2];
            self.bytes[at - 1] = PAIRS[n * 2 + 1];
        } else {
            self.bytes[at - 1] = b'0' + n as u8;
        }
        self.len = end;
    }

    /// Appends the first `len` of `digits` (at most ten): copies all ten, a copy of a fixed
    /// size (a few moves rather than a call), and keeps `len` of them (the others are
    /// overwritten by what comes next, or not part of [`Self::bytes`]). The buffer has room for
    /// the ten past the last number of any range.
    fn put_digits(&mut self, (digits, len): (&[u8; 10], usize)) {
        self.bytes[self.len..self.len + 10].copy_from_slice(digits);
        self.len += len.min(10);
    }

    /// Appends `n` in decimal, with a minus sign when negative.
    fn put_i32(&mut self, n: i32) {
        if n < 0 {
            self.put(b"-");
        }
        self.put_u32(n.unsigned_abs());
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Whether `s` needs no escape as a JSON string (no `"`, `\`, nor control character), so its
/// JSON is `s` between quotes. Branch-free over the bytes, so it runs a register at a time.
fn needs_no_escape(s: &str) -> bool {
    !s.bytes().fold(false, |bad, b| {
        bad | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Appends `s` between quotes.
fn write_quoted(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Appends `s` as a JSON string, byte for byte as `serde_json` writes it.
fn write_str(out: &mut Vec<u8>, s: &str) {
    if needs_no_escape(s) {
        write_quoted(out, s);
    } else {
        write_json(out, s);
    }
}

/// Appends a finding's message as [`one_line`] collapses it, as a JSON string (byte for byte
/// as `serde_json` writes it): copied as it is when it is already one line and needs no
/// escape (nearly every message), else collapsed and then escaped.
fn write_message(out: &mut Vec<u8>, m: &str) {
    if is_plain_line(m) {
        write_quoted(out, m);
    } else {
        write_json(out, &one_line(m));
    }
}

/// Whether [`one_line`] returns `m` unchanged (no white space but single ASCII spaces between
/// words) and `m` needs no escape as a JSON string ([`needs_no_escape`]). The ASCII tests take
/// one branch-free pass over the bytes, each looked at with the one before it, sixteen at a
/// time (the compiler turns each block into a few vector instructions: a third of the
/// instructions of a byte-at-a-time pass over the 80-byte messages of a long manuscript, most
/// of which are new to each publish). Only a message with a byte that starts one of the
/// non-ASCII white space characters (U+0085 and U+00A0 start with `0xC2`, U+1680 with `0xE1`,
/// U+2000 to U+205F with `0xE2`, U+3000 with `0xE3`) is decoded, to look for them.
fn is_plain_line(m: &str) -> bool {
    const BLOCK: usize = 16;
    let b = m.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    // Tab, line feed, vertical tab, form feed and carriage return, the ASCII white space
    // besides the space, are all below 0x20, like every other control character.
    let needs_escape = |x: u8| (x < 0x20) | (x == b'"') | (x == b'\\');
    let may_start_space = |x: u8| (x == 0xC2) | (x.wrapping_sub(0xE1) < 3);
    // Every byte but the first (not a space, see above) is looked at with the one before it.
    let (bad, may_have_space) = if b.len() > BLOCK {
        let mut bad = [0u8; BLOCK];
        let mut may_have_space = [0u8; BLOCK];
        let mut block = |before: &[u8; BLOCK], here: &[u8; BLOCK]| {
            for i in 0..BLOCK {
                let (x, y) = (before[i], here[i]);
                bad[i] |= u8::from(needs_escape(y)) | (u8::from(x == b' ') & u8::from(y == b' '));
                may_have_space[i] |= u8::from(may_start_space(y));
            }
        };
        // Whole blocks (the conversions to arrays cannot fail), then the last sixteen bytes,
        // some of them looked at again.
        let n = b.len();
        let heres = b[1..].chunks_exact(BLOCK);
        let rest = !heres.remainder().is_empty();
        for (before, here) in b[..n - 1].chunks_exact(BLOCK).zip(heres) {
            if let (Ok(before), Ok(here)) = (before.try_into(), here.try_into()) {
                block(before, here);
            }
        }
        if let (true, Some(before), Some(here)) = (
            rest,
            b[n - 1 - BLOCK..].first_chunk(),
            b[n - BLOCK..].first_chunk(),
        ) {
            block(before, here);
        }
        (
            needs_escape(first) | (u128::from_ne_bytes(bad) != 0),
            may_start_space(first) | (u128::from_ne_bytes(may_have_space) != 0),
        )
    } else {
        b.iter().zip(&b[1..]).fold(
            (needs_escape(first), may_start_space(first)),
            |(bad, may_have_space), (&x, &y)| {
                (
                    bad | needs_escape(y) | ((x == b' ') & (y == b' ')),
                    may_have_space | may_start_space(y),
                )
            },
        )
    };
    !bad && (!may_have_space || !m.chars().any(|c| !c.is_ascii() && c.is_whitespace()))
}

/// Appends the JSON of `value` (serialising our own borrowed types into a `Vec` cannot fail).
fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    if let Err(e) = serde_json::to_writer(&mut *out, value) {
        tracing::error!(error = %e, "could not serialise a diagnostic");
    }
}

/// `{"href": "<DOCS_BASE>#<code>"}`.
struct Href<'a>(&'a str);

impl serde::Serialize for Href<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("href", &format_args!("{DOCS_BASE}#{}", self.0))?;
        m.end()
    }
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

/// Serialises an outline as [`document_symbol`] converts it (a JSON array), borrowing from it.
pub struct DocumentSymbolsJson<'a>(pub &'a Snapshot, pub &'a [navigation::Symbol]);

impl serde::Serialize for DocumentSymbolsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Node<'a>(&'a Snapshot, &'a navigation::Symbol);
        impl serde::Serialize for Node<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let (snap, sym) = (self.0, self.1);
                let mut m = s.serialize_map(None)?;
                if sym.name.trim().is_empty() {
                    m.serialize_entry("name", "(unnamed)")?;
                } else {
                    m.serialize_entry("name", &sym.name)?;
                }
                if let Some(detail) = &sym.detail {
                    m.serialize_entry("detail", detail)?;
                }
                m.serialize_entry("kind", &symbol_kind(sym.kind))?;
                m.serialize_entry("range", &snap.range(sym.range))?;
                m.serialize_entry("selectionRange", &snap.range(sym.selection))?;
                if !sym.children.is_empty() {
                    m.serialize_entry("children", &DocumentSymbolsJson(snap, &sym.children))?;
                }
                m.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        for sym in self.1 {
            seq.serialize_element(&Node(self.0, sym))?;
        }
        seq.end()
    }
}

/// Serialises an outline as [`flat_symbols`] converts it (a JSON array), borrowing from it:
/// no `lsp::SymbolInformation` (each with its own copy of the URI, name and container) is
/// built for the tens of thousands of nodes of a large manuscript's outline.
pub struct FlatSymbolsJson<'a>(pub &'a Uri, pub &'a Snapshot, pub &'a [navigation::Symbol]);

impl serde::Serialize for FlatSymbolsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Location<'a>(&'a Uri, lsp::Range);
        impl serde::Serialize for Location<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("uri", self.0)?;
                m.serialize_entry("range", &self.1)?;
                m.end()
            }
        }
        struct Info<'a>(
            &'a Uri,
            &'a Snapshot,
            &'a navigation::Symbol,
            Option<&'a str>,
        );
        impl serde::Serialize for Info<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let Info(uri, snap, sym, container) = *self;
                let mut m = s.serialize_map(None)?;
                if sym.name.trim().is_empty() {
                    m.serialize_entry("name", "(unnamed)")?;
                } else {
                    m.serialize_entry("name", &sym.name)?;
                }
                m.serialize_entry("kind", &symbol_kind(sym.kind))?;
                m.serialize_entry("location", &Location(uri, snap.range(sym.selection)))?;
                if let Some(container) = container {
                    m.serialize_entry("containerName", container)?;
                }
                m.end()
            }
        }
        fn walk<Q: SerializeSeq>(
            seq: &mut Q,
            uri: &Uri,
            snap: &Snapshot,
            sym: &navigation::Symbol,
            container: Option<&str>,
        ) -> Result<(), Q::Error> {
            seq.serialize_element(&Info(uri, snap, sym, container))?;
            for c in &sym.children {
                walk(seq, uri, snap, c, Some(&sym.name))?;
            }
            Ok(())
        }
        let FlatSymbolsJson(uri, snap, outline) = *self;
        let mut seq = s.serialize_seq(None)?;
        for sym in outline {
            walk(&mut seq, uri, snap, sym, None)?;
        }
        seq.end()
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
    use crate::engine::checks::Fixes;
    use crate::engine::{Analysis, TextRange};
    use crate::lsp::documents;
    use crate::lsp::position::PositionEncoding;

    /// Every choice of the optional fields a client can take.
    const EVERY_CHOICE_OF_FIELDS: [DiagnosticFields; 4] = [
        DiagnosticFields::ALL,
        DiagnosticFields {
            code_description: false,
            data: false,
        },
        DiagnosticFields {
            code_description: true,
            data: false,
        },
        DiagnosticFields {
            code_description: false,
            data: true,
        },
    ];

    #[test]
    fn written_diagnostics_are_the_serialised_lsp_diagnostics() {
        let text = "“Hi,” 👍 said\r\nshe.\rXX and 中文 XX\n";
        let xx = text.find("XX").unwrap();
        let last = text.rfind("XX").unwrap();
        let finding = |code: &'static str, range: TextRange, message: &str, fixes: Fixes| Finding {
            code,
            severity: Severity::Info,
            range,
            message: message.to_string().into(),
            fixes,
        };
        let fix = Fix {
            title: "Use “YY”".to_string(),
            edits: vec![
                Edit {
                    range: TextRange::new(last, last + 2),
                    new_text: "Y\"Y\n".to_string(),
                },
                Edit {
                    range: TextRange::new(text.len(), text.len()),
                    new_text: String::new(),
                },
            ],
        };
        // Shared by two findings, as findings share their fixes.
        let fixes: Fixes = vec![fix].into();
        let analysis = Analysis {
            findings: vec![
                finding("plain", TextRange::new(0, 6), "One line.", Fixes::NONE),
                finding(
                    "plain",
                    TextRange::new(xx, last),
                    " Two\r\nlines ",
                    Fixes::NONE,
                ),
                finding(
                    "multi-line",
                    TextRange::new(xx, last + 2),
                    " Over\ntwo  lines\t ",
                    fixes.clone(),
                ),
                finding(
                    "multi-line",
                    TextRange::new(last, last + 1),
                    "Again.",
                    fixes,
                ),
                finding(
                    "unicode-space",
                    TextRange::new(last, text.len()),
                    "No\u{a0}break “quoted”",
                    Fixes::NONE,
                ),
            ],
            ..Analysis::default()
        };
        let uri: Uri = "file:///dir/a%20story.md".parse().unwrap();
        for (enc, fields) in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ]
        .into_iter()
        .flat_map(|enc| EVERY_CHOICE_OF_FIELDS.map(|fields| (enc, fields)))
        {
            let snap = Snapshot::new(7, text.to_string(), analysis.clone(), enc);
            let body = write_publish_for(fields, &uri, Some(7), Some(&snap));
            let written: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let diagnostics: Vec<lsp::Diagnostic> = snap
                .analysis
                .findings
                .iter()
                .map(|f| diagnostic(fields, &snap, f))
                .collect();
            let params = lsp::PublishDiagnosticsParams::new(uri.clone(), diagnostics, Some(7));
            assert_eq!(
                written,
                json!({
                    "jsonrpc": "2.0",
                    "method": "textDocument/publishDiagnostics",
                    "params": serde_json::to_value(params).unwrap(),
                }),
                "{enc:?} {fields:?}"
            );
            let written = written["params"]["diagnostics"].as_array().unwrap();
            assert!(written[0].get("data").is_none(), "no fixes, no data");
            assert_eq!(written[2]["message"], "Over two lines");
            // The optional fields are there for a client that takes them, and only then.
            assert_eq!(written[2].get("data").is_some(), fields.data, "{fields:?}");
            assert_eq!(written[3].get("data").is_some(), fields.data, "{fields:?}");
            for d in written {
                assert_eq!(
                    d.get("codeDescription").is_some(),
                    fields.code_description,
                    "{fields:?}"
                );
            }
            if fields == DiagnosticFields::ALL {
                assert_eq!(body, write_publish(&uri, Some(7), Some(&snap)));
                assert_eq!(
                    written[2]["codeDescription"]["href"],
                    format!("{DOCS_BASE}#multi-line")
                );
                assert_eq!(written[2]["data"]["fixes"][0]["title"], "Use “YY”");
            }
        }
        let cleared: serde_json::Value =
            serde_json::from_slice(&write_publish(&uri, None, None)).unwrap();
        assert_eq!(
            cleared["params"],
            json!({"uri": "file:///dir/a%20story.md", "diagnostics": []})
        );
    }

    #[test]
    fn kept_bodies_rendered_whole_are_the_written_body() {
        let pieces = [
            "word ",
            "said ",
            "the council ",
            "\n",
            "\r\n",
            "\r",
            "“",
            "”",
            "é",
            "e\u{301}",
            "中文",
            "👍🏽",
            "👨\u{200d}👩\u{200d}👧",
            "\"",
            "\t",
            "  ",
        ];
        let codes = ["quote-mismatch", "anonymous-source", "name-variant"];
        let messages = [
            "One line.",
            " Two\r\nlines ",
            "Says “this”",
            "A \"quoted\" word",
            "Back\\slash\u{1}\u{2028}and\u{a0} controls\u{1f}",
        ];
        let uri: Uri = "file:///dir/a%20story.md".parse().unwrap();
        let mut rng = crate::generate::Rng::new(0x5eed_0fc0_ffee);
        for case in 0..60 {
            // Texts from a few hundred bytes to a body of several chunks.
            let n = if case % 10 == 9 {
                20_000
            } else {
                1 + rng.below(300)
            };
            let text: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let mut offset = || boundaries[rng.below(boundaries.len())];
            let mut starts: Vec<usize> = (0..n / 2 + 1).map(|_| offset()).collect();
            starts.sort_unstable();
            // A list of fixes shared by many findings (as the date fix is), two fixes of one
            // and two edits.
            let (at, other) = (offset(), offset());
            let shared: Fixes = vec![
                Fix {
                    title: "Add the date".to_string(),
                    edits: vec![Edit {
                        range: TextRange::new(0, 0),
                        new_text: "---\ndate: YYYY-MM-DD\n---\n\n".to_string(),
                    }],
                },
                Fix {
                    title: "Use “X” twice".to_string(),
                    edits: vec![
                        Edit {
                            range: TextRange::new(at, at),
                            new_text: "“X”".to_string(),
                        },
                        Edit {
                            range: TextRange::new(other.min(at), other.max(at)),
                            new_text: "X\"".to_string(),
                        },
                    ],
                },
            ]
            .into();
            let findings: Vec<Finding> = starts
                .iter()
                .enumerate()
                .map(|(i, &start)| {
                    let end = offset().max(start);
                    let fixes = if i % 4 == 1 || i % 7 == 2 {
                        shared.clone()
                    } else if i % 3 == 0 {
                        let at = if i % 2 == 0 { 0 } else { offset() };
                        vec![Fix {
                            title: [
                                "Add the date",
                                "Use “X”",
                                "Tab\there",
                                "\\ \u{8}\u{c}\u{1b}",
                            ][(i / 3) % 4]
                                .to_string(),
                            edits: vec![Edit {
                                range: TextRange::new(at, at),
                                // The same fix again and again, or one that differs in its
                                // text only.
                                new_text: ["---\ndate: YYYY-MM-DD\n---\n\n", "“X”"][i / 9 % 2]
                                    .to_string(),
                            }],
                        }]
                        .into()
                    } else {
                        Fixes::NONE
                    };
                    Finding {
                        code: codes[i % codes.len()],
                        severity: [Severity::Warning, Severity::Info][i % 2],
                        range: TextRange::new(start, end),
                        message: messages[i % messages.len()].into(),
                        fixes,
                    }
                })
                .collect();
            let analysis = Analysis {
                findings,
                ..Analysis::default()
            };
            let encoding = [
                PositionEncoding::Utf8,
                PositionEncoding::Utf16,
                PositionEncoding::Utf32,
            ][case % 3];
            let version = [7, -3, 1_000_000][case % 3];
            let snap = Snapshot::new(version, text, analysis, encoding);
            let fields = EVERY_CHOICE_OF_FIELDS[case / 3 % 4];
            let whole = write_publish_for(fields, &uri, Some(version), Some(&snap));
            let mut kept = Rendered::default();
            kept.update(fields, &snap, 1, documents::Unchanged::NOTHING);
            let publish = kept.publish(&uri, Some(version));
            assert_eq!(publish.len(), whole.len(), "case {case}");
            let pieces = publish.pieces();
            assert_eq!(pieces.concat(), whole, "case {case}");
            if whole.len() > 3 * CHUNK {
                assert!(pieces.len() >= 3, "written in pieces");
            }
        }
    }

    #[test]
    fn strings_and_messages_are_written_as_serde_json_writes_them() {
        let pieces = [
            "", " ", "  ", "word", "\t", "\n", "\r\n", "\"", "\\", "\u{1}", "\u{7f}", "\u{a0}",
            "\u{85}", "\u{2003}", "\u{2028}", "\u{3000}", "é", "“", "”", "中文", "👍", "x y",
            "\u{1680}", "\u{200a}", "\u{200b}", "\u{202f}", "\u{205f}", "\u{2060}", "\u{c2}",
        ];
        // A fixed pseudo-random walk over every mix of the pieces above, up to six at a time.
        let mut rng = crate::generate::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        let mut samples: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
        for _ in 0..5000 {
            let n = next(7);
            samples.push((0..n).map(|_| pieces[next(pieces.len())]).collect());
        }
        for s in &samples {
            let mut written = Vec::new();
            write_str(&mut written, s);
            assert_eq!(written, serde_json::to_vec(s).unwrap(), "{s:?}");
            let mut written = Vec::new();
            write_message(&mut written, s);
            assert_eq!(written, serde_json::to_vec(&one_line(s)).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn plain_lines_are_those_one_line_keeps_and_json_does_not_escape() {
        // Long strings too, so the blocks of sixteen bytes, the last one overlapping, are
        // tested with every piece in every place (the test of `write_message` above makes
        // strings of a few pieces).
        let pieces = [
            " ",
            "  ",
            "word",
            "sixteen  bytes  ",
            "\t",
            "\n",
            "\r\n",
            "\"",
            "\\",
            "\u{1}",
            "\u{7f}",
            "\u{a0}",
            "\u{85}",
            "\u{2003}",
            "\u{2028}",
            "\u{3000}",
            "\u{1680}",
            "é",
            "“",
            "”",
            "中文",
            "👍",
            "x y",
            "\u{200b}",
            "\u{2060}",
        ];
        let words = ["a", "bc", "def", "ghij", "word", "é", "中文"];
        let mut rng = crate::generate::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut plain = 0;
        for case in 0..40_000 {
            let n = 1 + rng.below(if case % 4 == 0 { 60 } else { 12 });
            // Mostly words between single spaces, as messages are, with a rare other piece.
            let s: String = (0..n)
                .map(|_| match rng.below(8) {
                    0 => pieces[rng.below(pieces.len())],
                    1 | 2 => " ",
                    _ => words[rng.below(words.len())],
                })
                .collect();
            let expected = one_line(&s) == s && needs_no_escape(&s);
            assert_eq!(is_plain_line(&s), expected, "{s:?}");
            plain += usize::from(expected);
        }
        assert!(plain > 4_000, "{plain} plain lines");
    }

    #[test]
    fn range_numbers_are_written_in_decimal() {
        for n in [
            0,
            7,
            9,
            10,
            99,
            100,
            12_345,
            99_999,
            100_000,
            4_000_000_000,
            u32::MAX,
        ] {
            let mut buf = StackBuf::default();
            buf.put(b"[");
            buf.put_u32(n);
            buf.put_u32(n);
            assert_eq!(buf.bytes(), format!("[{n}{n}").as_bytes());
        }
        for n in (0..=100_000).chain((0..32).map(|b| 1u32 << b)) {
            let mut buf = StackBuf::default();
            buf.put_u32(n);
            assert_eq!(buf.bytes(), n.to_string().as_bytes());
        }
        // Ranges whose lines repeat, change and come back (the digits of the last line are
        // kept), as serde_json writes an `lsp::Range`.
        let mut lines = LineDigits::default();
        for numbers in [
            [0, 0, 0, 0],
            [7, 3, 7, 12],
            [7, 99, 8, 0],
            [12_345, 1, 12_345, 100_000],
            [9, 9, 10, 10],
            [u32::MAX, u32::MAX, 0, u32::MAX],
            [0, 1, 0, 2],
        ] {
            let [a, b, c, d] = numbers;
            let range = lsp::Range::new(lsp::Position::new(a, b), lsp::Position::new(c, d));
            let mut written = Vec::new();
            write_range(&mut written, numbers, &mut lines);
            let mut expected = br#""range":"#.to_vec();
            expected.extend_from_slice(&serde_json::to_vec(&range).unwrap());
            assert_eq!(written, expected, "{numbers:?}");
        }
        for n in [0, 1, -1, 9, -10, 100, -12_345, i32::MAX, i32::MIN] {
            let mut buf = StackBuf::default();
            buf.put(b":");
            buf.put_i32(n);
            assert_eq!(buf.bytes(), format!(":{n}").as_bytes());
        }
    }

    #[test]
    fn written_outline_is_the_serialised_document_symbols() {
        use crate::engine::navigation::{Symbol, SymbolKind};
        let text = "“Xi said\nhi,” 👍 Putin\n";
        let snap = Snapshot::new(
            3,
            text.to_string(),
            Analysis::default(),
            PositionEncoding::Utf16,
        );
        let leaf = |name: &str, range: TextRange| Symbol {
            name: name.to_string(),
            detail: None,
            kind: SymbolKind::Mention,
            range,
            selection: range,
            children: Vec::new(),
        };
        let putin = TextRange::new(text.find("Putin").unwrap(), text.len() - 1);
        let outline = vec![
            Symbol {
                name: "People".to_string(),
                detail: Some("2 entries".to_string()),
                kind: SymbolKind::Group,
                range: TextRange::new(0, text.len()),
                selection: putin,
                children: vec![leaf("Putin", putin), leaf("  ", TextRange::new(3, 5))],
            },
            leaf("“Xi said hi,”", TextRange::new(0, 15)),
        ];
        let written: serde_json::Value = serde_json::from_slice(
            &serde_json::to_vec(&DocumentSymbolsJson(&snap, &outline)).unwrap(),
        )
        .unwrap();
        let converted: Vec<lsp::DocumentSymbol> =
            outline.iter().map(|s| document_symbol(&snap, s)).collect();
        assert_eq!(written, serde_json::to_value(converted).unwrap());
        assert_eq!(written[0]["children"][1]["name"], "(unnamed)");
        // The flat form, byte for byte as the converted symbol information serialises.
        let uri: Uri = "file:///a%20b/story.md".parse().unwrap();
        let flat = serde_json::to_vec(&FlatSymbolsJson(&uri, &snap, &outline)).unwrap();
        let converted = serde_json::to_vec(&flat_symbols(&uri, &snap, &outline)).unwrap();
        assert_eq!(
            String::from_utf8(flat).unwrap(),
            String::from_utf8(converted).unwrap()
        );
        let flat: serde_json::Value = serde_json::from_slice(
            &serde_json::to_vec(&FlatSymbolsJson(&uri, &snap, &outline)).unwrap(),
        )
        .unwrap();
        assert_eq!(flat.as_array().map(Vec::len), Some(4));
        assert_eq!(flat[1]["containerName"], "People");
        assert_eq!(flat[2]["name"], "(unnamed)");
        assert!(flat[0].get("containerName").is_none());
    }

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
