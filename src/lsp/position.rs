//! Byte offsets ↔ LSP positions, in the negotiated position encoding.
//!
//! Contract:
//! - The engine speaks UTF-8 byte offsets; the client speaks `Position {line, character}` where
//!   `character` counts UTF-8 bytes, UTF-16 code units or UTF-32 code points, as negotiated.
//!   This module is the only place that converts between them.
//! - Line breaks are those of LSP: `\n`, `\r\n` (one break) and a lone `\r`. The text is never
//!   rewritten, so our copy stays byte-identical to the client's.
//! - Nothing here panics. A position past the end of its line clamps to the line end (before the
//!   line break); a line past the last clamps to the document end; a `character` inside a
//!   character that takes several units (a UTF-16 surrogate pair, a multi-byte UTF-8 sequence)
//!   snaps to the start of that character. Clamping is logged.
//! - [`rope_char_index`] does the same for a `ropey::Rope` (used to apply incremental edits);
//!   the crate builds ropey with `cr_lines` only, so its lines are exactly the LSP lines.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::engine::TextRange;

/// How `Position.character` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PositionEncoding {
    Utf8,
    /// The LSP default when the client states nothing.
    #[default]
    Utf16,
    Utf32,
}

impl PositionEncoding {
    /// Picks the encoding for a client's `general.positionEncodings`: the first one the client
    /// lists (its order is its preference) that we support; UTF-16 when it lists none we know
    /// or says nothing, as the protocol requires.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(PositionEncoding::Utf8),
                "utf-16" => Some(PositionEncoding::Utf16),
                "utf-32" => Some(PositionEncoding::Utf32),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The protocol name of this encoding.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
            PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// How many units `c` takes in this encoding.
    pub fn units(self, c: char) -> u32 {
        match self {
            PositionEncoding::Utf8 => c.len_utf8() as u32,
            PositionEncoding::Utf16 => c.len_utf16() as u32,
            PositionEncoding::Utf32 => 1,
        }
    }

    /// How many units `s` takes in this encoding. Counts bytes rather than decoding
    /// characters: every byte that is not a UTF-8 continuation byte starts a character, and a
    /// four-byte lead (`0xF0` and up) starts one that takes two UTF-16 units.
    pub fn len(self, s: &str) -> u32 {
        if self == PositionEncoding::Utf8 || s.is_ascii() {
            return s.len() as u32;
        }
        // In chunks of at most 255 bytes, so the per-chunk counts fit a `u8` and the loops
        // vectorise over whole registers of bytes.
        let astral = self == PositionEncoding::Utf16;
        let mut units = 0u32;
        for chunk in s.as_bytes().chunks(255) {
            let chars = chunk
                .iter()
                .fold(0u8, |n, &b| n + u8::from((b as i8) >= -0x40));
            units += u32::from(chars);
            if astral {
                let wide = chunk.iter().fold(0u8, |n, &b| n + u8::from(b >= 0xF0));
                units += u32::from(wide);
            }
        }
        units
    }
}

/// Where [`LineIndex::position_near`] was last: a line and what it needs to know of it (where
/// it starts, where its content and its ASCII prefix end, where the next line starts), and the
/// last two byte offsets converted on it (never inside its line break) with the units from the
/// line start to each. The default is no line at all (`next` 0: no offset is before it).
#[derive(Clone, Copy, Debug, Default)]
pub struct Cursor {
    line: usize,
    /// The line's first byte.
    start: usize,
    /// The end of the line's content (where its line break starts).
    end: usize,
    /// The next line's start; one past the text's end on the last line, whose content goes
    /// to the end.
    next: usize,
    /// The end of the line's ASCII prefix ([`LineIndex::ascii`]): up to there an offset is as
    /// many units from the line start as bytes.
    ascii_end: usize,
    /// The last offset converted on the line and its units.
    last: (usize, u32),
    /// The one before (a finding's start when `last` is its end).
    before: (usize, u32),
}

/// Line starts of one text, for fast conversions in both directions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    /// For each line, how many bytes at its start are ASCII (up to its first non-ASCII byte, or
    /// the whole line): an offset within them is as many units from the line start in every
    /// encoding, so most conversions count nothing. Never more than the true count (a line
    /// longer than `u32::MAX` bytes saturates), which is all correctness needs.
    ascii: Vec<u32>,
    len: usize,
}

/// The length of the ASCII prefix of `b`, eight bytes at a time.
fn ascii_prefix(b: &[u8]) -> usize {
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in words.by_ref() {
        let high = u64::from_le_bytes(w.try_into().unwrap_or_default()) & 0x8080_8080_8080_8080;
        if high != 0 {
            return at + (high.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + words
        .remainder()
        .iter()
        .position(|&b| b >= 0x80)
        .unwrap_or(words.remainder().len())
}

impl LineIndex {
    /// Indexes the lines of `text` (`\n`, `\r\n` and lone `\r` end a line).
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 64 + 1);
        starts.push(0);
        // `memchr2` skips the bytes between line breaks many at a time.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        let ascii = starts
            .iter()
            .zip(starts.iter().skip(1).chain([&bytes.len()]))
            .map(|(&start, &next)| {
                u32::try_from(ascii_prefix(&bytes[start..next])).unwrap_or(u32::MAX)
            })
            .collect();
        LineIndex {
            starts,
            ascii,
            len: text.len(),
        }
    }

    /// This index, of an older text, made the index of `text`, which has the older text's
    /// first `prefix` bytes and last `suffix` bytes (both clamped to fit): the lines in between
    /// are indexed afresh, those after them moved, so a keystroke in a long manuscript indexes
    /// a line or two instead of every line. The result equals `LineIndex::new(text)`.
    pub fn splice(&mut self, text: &str, prefix: usize, suffix: usize) {
        let bytes = text.as_bytes();
        let (old_len, new_len) = (self.len, bytes.len());
        let prefix = prefix.min(old_len).min(new_len);
        let suffix = suffix.min(old_len - prefix).min(new_len - prefix);
        // A line start `s` follows a break at `s - 1`, and whether a `\r` there is a break of
        // its own depends on the byte at `s`: starts before `prefix` read only the kept
        // prefix (the first line's start, 0, nothing at all), starts after the kept suffix's
        // first byte only the suffix. The breaks from `prefix - 1` to the suffix are read
        // again.
        let keep = self.starts.partition_point(|&s| s < prefix.max(1));
        let old_tail = old_len - suffix + 1;
        let moved = self.starts.partition_point(|&s| s < old_tail);
        let from = prefix.saturating_sub(1);
        let to = new_len - suffix;
        let mut middle = Vec::new();
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to]) {
            let i = from + i;
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                middle.push(i + 1);
            }
        }
        let tail: Vec<usize> = self.starts[moved..]
            .iter()
            .map(|&s| s + new_len - old_len)
            .collect();
        let tail_ascii: Vec<u32> = self.ascii[moved..].to_vec();
        self.starts.truncate(keep);
        self.ascii.truncate(keep);
        // The last kept line runs into the changed bytes: its ASCII prefix is measured again,
        // with the new lines'.
        self.ascii.pop();
        self.starts.extend_from_slice(&middle);
        self.starts.extend_from_slice(&tail);
        let measured = self.ascii.len();
        for line in measured..keep + middle.len() {
            let start = self.starts[line];
            let next = self.starts.get(line + 1).copied().unwrap_or(new_len);
            let n = ascii_prefix(&bytes[start..next]);
            self.ascii.push(u32::try_from(n).unwrap_or(u32::MAX));
        }
        self.ascii.extend_from_slice(&tail_ascii);
        self.len = new_len;
    }

    /// Number of lines (one more than the number of line breaks).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line`'s content, without its line break; `None` past the last line.
    pub fn line_range(&self, text: &str, line: usize) -> Option<TextRange> {
        let start = *self.starts.get(line)?;
        let end = match self.starts.get(line + 1) {
            Some(&next) => {
                let crlf = next >= 2 && text.as_bytes().get(next - 2..next) == Some(b"\r\n");
                next - if crlf { 2 } else { 1 }
            }
            None => self.len,
        };
        Some(TextRange::new(start, end.max(start)))
    }

    /// The units from the start of `line` (whose content is `range`) to byte `end` on it (a
    /// character boundary within `range`), counting on from `from` (a boundary on the same
    /// line, before `end`, `units` from the line start) when that is given and saves work.
    /// Only bytes past the line's ASCII prefix are ever counted.
    fn units_to(
        &self,
        text: &str,
        line: usize,
        range: TextRange,
        end: usize,
        enc: PositionEncoding,
        from: Option<(usize, u32)>,
    ) -> u32 {
        let ascii_end = range.start + self.ascii.get(line).map_or(0, |&n| n as usize);
        if end <= ascii_end || enc == PositionEncoding::Utf8 {
            return (end - range.start) as u32;
        }
        let (from, units) = match from {
            Some((at, units)) if at > ascii_end => (at, units),
            _ => (ascii_end, (ascii_end - range.start) as u32),
        };
        units + enc.len(text.get(from..end).unwrap_or_default())
    }

    /// The byte offset of `pos` in `text`, clamped and snapped as the module doc says.
    pub fn offset(&self, text: &str, pos: Position, enc: PositionEncoding) -> usize {
        let Some(line) = self.line_range(text, pos.line as usize) else {
            tracing::warn!(
                line = pos.line,
                lines = self.line_count(),
                "position past the last line; clamped to the end"
            );
            return text.len();
        };
        column_to_offset(line.of(text), pos, enc) + line.start
    }

    /// The position of byte `offset` in `text`. An offset past the end clamps to the end; one
    /// inside a character snaps to its start; one inside a `\r\n` pair clamps to the line end.
    pub fn position(&self, text: &str, offset: usize, enc: PositionEncoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let range = self.line_range(text, line).unwrap_or_default();
        let end = offset.clamp(range.start, range.end);
        let character = self.units_to(text, line, range, end, enc, None);
        Position {
            line: line as u32,
            character,
        }
    }

    /// [`Self::position`] for offsets that come roughly in order (a document's findings, start
    /// and end, one after the other): `cursor` remembers the line of the previous offsets, so
    /// an offset on the same line needs no look-up at all (nothing but a clamp and, past the
    /// line's ASCII prefix, a count of the units from the nearer of the two previous offsets
    /// that are not further along: the previous finding's end when this one starts after it,
    /// else its start), and one a few lines further on no search. A document's findings are
    /// thousands of offsets, converted whenever a body is rendered whole
    /// ([`super::to_proto::Rendered`]).
    pub fn position_near(
        &self,
        text: &str,
        offset: usize,
        enc: PositionEncoding,
        cursor: &mut Cursor,
    ) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if !(cursor.start..cursor.next).contains(&offset) {
            self.move_to(text, offset, cursor);
        }
        let end = offset.min(cursor.end);
        let character = if end <= cursor.ascii_end || enc == PositionEncoding::Utf8 {
            (end - cursor.start) as u32
        } else {
            // Count from the furthest of the previous two offsets that is past the ASCII
            // prefix and not past `end`, else from the end of the prefix.
            let mut from = (cursor.ascii_end, (cursor.ascii_end - cursor.start) as u32);
            for at in [cursor.before, cursor.last] {
                if at.0 > from.0 && at.0 <= end {
                    from = at;
                }
            }
            from.1 + enc.len(text.get(from.0..end).unwrap_or_default())
        };
        cursor.before = cursor.last;
        cursor.last = (end, character);
        Position {
            line: cursor.line as u32,
            character,
        }
    }

    /// Points `cursor` at the start of the line of `offset` (at most the text's length): one of
    /// the few lines after the cursor's when it is there (the next finding is often in the
    /// next paragraph, two lines on), else found by binary search.
    fn move_to(&self, text: &str, offset: usize, cursor: &mut Cursor) {
        const NEAR: usize = 4;
        let after = self.starts.get(cursor.line + 1..).unwrap_or_default();
        let line = match after.iter().take(NEAR + 1).position(|&s| s > offset) {
            Some(n) if n > 0 && cursor.start <= offset => cursor.line + n,
            _ => self
                .starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1),
        };
        let range = self.line_range(text, line).unwrap_or_default();
        let ascii = self.ascii.get(line).map_or(0, |&n| n as usize);
        *cursor = Cursor {
            line,
            start: range.start,
            end: range.end,
            next: self.starts.get(line + 1).map_or(self.len + 1, |&next| next),
            ascii_end: range.start.saturating_add(ascii),
            last: (range.start, 0),
            before: (range.start, 0),
        };
    }

    /// The LSP range of a byte range.
    pub fn range(&self, text: &str, range: TextRange, enc: PositionEncoding) -> Range {
        Range {
            start: self.position(text, range.start, enc),
            end: self.position(text, range.end, enc),
        }
    }

    /// The byte range of an LSP range; a reversed range is put in order.
    pub fn text_range(&self, text: &str, range: Range, enc: PositionEncoding) -> TextRange {
        let a = self.offset(text, range.start, enc);
        let b = self.offset(text, range.end, enc);
        TextRange::new(a.min(b), a.max(b))
    }
}

/// Walks `line` (a line's content without its break) to `pos.character` units and returns the
/// byte offset within the line.
fn column_to_offset(line: &str, pos: Position, enc: PositionEncoding) -> usize {
    let want = pos.character;
    let mut seen = 0u32;
    for (i, c) in line.char_indices() {
        if seen >= want {
            return i;
        }
        let u = enc.units(c);
        if seen + u > want {
            // Inside a character that takes several units: snap to its start.
            return i;
        }
        seen += u;
    }
    if seen < want {
        tracing::warn!(
            line = pos.line,
            character = pos.character,
            "position past the end of its line; clamped"
        );
    }
    line.len()
}

/// The char index of `pos` in `rope`, clamped and snapped as [`LineIndex::offset`] does.
pub fn rope_char_index(rope: &Rope, pos: Position, enc: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        tracing::warn!(
            line = pos.line,
            lines = rope.len_lines(),
            "position past the last line; clamped to the end"
        );
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let want = pos.character;
    let mut seen = 0u32;
    let mut idx = start;
    for c in rope.line(line).chars() {
        if c == '\n' || c == '\r' || seen >= want {
            break;
        }
        let u = enc.units(c);
        if seen + u > want {
            return idx;
        }
        seen += u;
        idx += 1;
    }
    if seen < want {
        tracing::warn!(
            line = pos.line,
            character = pos.character,
            "position past the end of its line; clamped"
        );
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::PositionEncoding::{Utf8, Utf16, Utf32};
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn negotiation_prefers_the_clients_order_and_defaults_to_utf16() {
        let k = |s: &'static str| PositionEncodingKind::from(s);
        assert_eq!(PositionEncoding::negotiate(None), Utf16);
        assert_eq!(PositionEncoding::negotiate(Some(&[])), Utf16);
        assert_eq!(
            PositionEncoding::negotiate(Some(&[k("utf-32"), k("utf-8")])),
            Utf32
        );
        assert_eq!(
            PositionEncoding::negotiate(Some(&[k("latin-1"), k("utf-8")])),
            Utf8
        );
        assert_eq!(PositionEncoding::negotiate(Some(&[k("latin-1")])), Utf16);
    }

    #[test]
    fn ascii_prefixes_end_at_the_first_non_ascii_byte() {
        for len in 0..24 {
            let plain = "x".repeat(len);
            assert_eq!(ascii_prefix(plain.as_bytes()), len);
            for at in 0..len {
                let mut text = plain.clone();
                text.replace_range(at..at + 1, "é");
                assert_eq!(ascii_prefix(text.as_bytes()), at, "{text:?}");
            }
        }
        let text = "ab\ncd“e”\r\n👍\rxyz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.ascii, vec![3, 2, 0, 3]);
    }

    #[test]
    fn lone_cr_and_crlf_are_single_breaks() {
        let text = "a\r\nb\rc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.position(text, 3, Utf16), pos(1, 0));
        assert_eq!(idx.position(text, 5, Utf16), pos(2, 0));
        assert_eq!(idx.position(text, 7, Utf16), pos(3, 0));
        // The `\n` of a `\r\n` is not addressable: it clamps to the line end.
        assert_eq!(idx.position(text, 2, Utf16), pos(0, 1));
        assert_eq!(idx.offset(text, pos(0, 5), Utf16), 1);
    }

    #[test]
    fn clamps_past_line_and_document_end() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, pos(0, 99), Utf8), 2);
        assert_eq!(idx.offset(text, pos(7, 0), Utf8), 5);
        assert_eq!(idx.position(text, 99, Utf8), pos(1, 2));
    }

    #[test]
    fn emoji_with_modifier_in_three_encodings() {
        // 👍🏽 is two code points, four UTF-16 units and eight bytes.
        let text = "x👍🏽y";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(idx.position(text, y, Utf8), pos(0, 9));
        assert_eq!(idx.position(text, y, Utf16), pos(0, 5));
        assert_eq!(idx.position(text, y, Utf32), pos(0, 3));
        assert_eq!(idx.offset(text, pos(0, 5), Utf16), y);
        // Inside the surrogate pair of 👍 snaps to its start.
        assert_eq!(idx.offset(text, pos(0, 2), Utf16), 1);
        // Inside the bytes of 👍 snaps to its start.
        assert_eq!(idx.offset(text, pos(0, 3), Utf8), 1);
    }

    #[test]
    fn zwj_family_counts_every_code_point() {
        // 👨‍👩‍👧: three emoji joined by two ZWJ, 5 code points, 8 UTF-16 units, 18 bytes.
        let text = "👨‍👩‍👧!";
        let idx = LineIndex::new(text);
        let bang = text.len() - 1;
        assert_eq!(idx.position(text, bang, Utf8), pos(0, 18));
        assert_eq!(idx.position(text, bang, Utf16), pos(0, 8));
        assert_eq!(idx.position(text, bang, Utf32), pos(0, 5));
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(idx.offset(text, idx.position(text, bang, enc), enc), bang);
        }
    }

    #[test]
    fn cjk_and_combining_marks() {
        // 中文 are three bytes and one UTF-16 unit each; é as e + U+0301 is two code points.
        let text = "中文 e\u{301}t";
        let idx = LineIndex::new(text);
        let t = text.len() - 1;
        assert_eq!(idx.position(text, t, Utf8), pos(0, 10));
        assert_eq!(idx.position(text, t, Utf16), pos(0, 5));
        assert_eq!(idx.position(text, t, Utf32), pos(0, 5));
        // The combining mark is its own unit: position 4 is between e and U+0301.
        assert_eq!(idx.offset(text, pos(0, 4), Utf32), t - 2);
    }

    #[test]
    fn crlf_lines_with_multibyte_in_three_encodings() {
        let text = "“Hi,”\r\n👍 she\rsaid.";
        let idx = LineIndex::new(text);
        let she = text.find("she").unwrap();
        let said = text.find("said").unwrap();
        assert_eq!(idx.position(text, she, Utf8), pos(1, 5));
        assert_eq!(idx.position(text, she, Utf16), pos(1, 3));
        assert_eq!(idx.position(text, she, Utf32), pos(1, 2));
        assert_eq!(idx.position(text, said, Utf16), pos(2, 0));
        // End of line 0 is before the `\r\n`, in every encoding.
        assert_eq!(idx.offset(text, pos(0, 100), Utf8), "“Hi,”".len());
    }

    #[test]
    fn rope_index_matches_line_index() {
        let text = "a\r\nb👍\rc中\n";
        let rope = Rope::from_str(text);
        let idx = LineIndex::new(text);
        for line in 0..6 {
            for character in 0..8 {
                for enc in [Utf8, Utf16, Utf32] {
                    let p = pos(line, character);
                    let byte = idx.offset(text, p, enc);
                    assert_eq!(
                        rope.char_to_byte(rope_char_index(&rope, p, enc)),
                        byte,
                        "{p:?} {enc:?}"
                    );
                }
            }
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn texts() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "a",
                // Longer than a word of eight bytes, for the ASCII prefixes.
                "said the council",
                " ",
                "\n",
                "\r",
                "\r\n",
                "é",
                "e\u{301}",
                "中",
                "👍🏽",
                "👨\u{200d}👩\u{200d}👧",
                "“",
                "\u{feff}",
            ]);
            prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
        }

        fn encodings() -> impl Strategy<Value = PositionEncoding> {
            prop::sample::select(vec![Utf8, Utf16, Utf32])
        }

        /// The obvious byte loop the index must agree with.
        fn naive_starts(text: &str) -> Vec<usize> {
            let bytes = text.as_bytes();
            let mut starts = vec![0];
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                    starts.push(i + 1);
                }
            }
            starts
        }

        /// A char boundary of `text` at or before `at`.
        fn boundary(text: &str, at: usize) -> usize {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        }

        proptest! {
            #[test]
            fn a_spliced_index_is_the_index_of_the_new_text(
                old in texts(),
                inserted in texts(),
                cut in (0usize..400, 0usize..400),
                short in (0usize..4, 0usize..4),
            ) {
                // `old` with bytes a..b replaced, told as the kept prefix and suffix, or as
                // less than is kept (a caller may know only that much).
                let a = boundary(&old, cut.0.min(cut.1));
                let b = boundary(&old, cut.0.max(cut.1)).max(a);
                let new = format!("{}{}{}", &old[..a], inserted, &old[b..]);
                let prefix = a.saturating_sub(short.0);
                let suffix = (old.len() - b).saturating_sub(short.1);
                let mut idx = LineIndex::new(&old);
                idx.splice(&new, prefix, suffix);
                prop_assert_eq!(idx, LineIndex::new(&new));
            }

            #[test]
            fn index_and_unit_counts_match_the_obvious_loops(text in texts(), enc in encodings()) {
                prop_assert_eq!(&LineIndex::new(&text).starts, &naive_starts(&text));
                let decoded: u32 = text.chars().map(|c| enc.units(c)).sum();
                prop_assert_eq!(enc.len(&text), decoded);
            }

            #[test]
            fn positions_match_counting_characters(text in texts(), enc in encodings(), offsets in prop::collection::vec(0usize..400, 1..20)) {
                let idx = LineIndex::new(&text);
                let starts = naive_starts(&text);
                for offset in offsets {
                    let mut offset = offset.min(text.len());
                    while !text.is_char_boundary(offset) {
                        offset -= 1;
                    }
                    let line = starts.iter().rposition(|&s| s <= offset).unwrap_or(0);
                    // The line's content, without its break.
                    let content = text[starts[line]..starts.get(line + 1).copied().unwrap_or(text.len())]
                        .trim_end_matches(['\n', '\r']);
                    let end = offset.min(starts[line] + content.len());
                    let character: u32 = text[starts[line]..end].chars().map(|c| enc.units(c)).sum();
                    prop_assert_eq!(idx.position(&text, offset, enc), pos(line as u32, character));
                }
            }

            #[test]
            fn position_near_is_position_whatever_came_before(text in texts(), enc in encodings(), offsets in prop::collection::vec(0usize..400, 1..20)) {
                let idx = LineIndex::new(&text);
                let mut cursor = Cursor::default();
                for offset in offsets {
                    prop_assert_eq!(
                        idx.position_near(&text, offset, enc, &mut cursor),
                        idx.position(&text, offset, enc)
                    );
                }
            }

            #[test]
            fn position_near_follows_findings_in_order(text in texts(), enc in encodings(), spans in prop::collection::vec((0usize..400, 0usize..60), 1..30)) {
                // As a publish converts them: each finding's start and end, in the order of the
                // starts, the ends nearly in order.
                let idx = LineIndex::new(&text);
                let mut starts: Vec<(usize, usize)> = spans;
                starts.sort_unstable();
                let mut cursor = Cursor::default();
                for (start, len) in starts {
                    for offset in [start, start + len] {
                        prop_assert_eq!(
                            idx.position_near(&text, offset, enc, &mut cursor),
                            idx.position(&text, offset, enc)
                        );
                    }
                }
            }

            #[test]
            fn offset_position_round_trip(text in texts(), enc in encodings()) {
                let idx = LineIndex::new(&text);
                for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    // The `\n` of a `\r\n` pair is not addressable.
                    if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                        continue;
                    }
                    let p = idx.position(&text, offset, enc);
                    prop_assert_eq!(idx.offset(&text, p, enc), offset);
                }
            }

            #[test]
            fn any_position_lands_on_a_boundary(text in texts(), enc in encodings(), line in 0u32..12, character in 0u32..30) {
                let idx = LineIndex::new(&text);
                let p = Position { line, character };
                let offset = idx.offset(&text, p, enc);
                prop_assert!(text.is_char_boundary(offset));
                let rope = Rope::from_str(&text);
                prop_assert_eq!(rope.char_to_byte(rope_char_index(&rope, p, enc)), offset);
                let back = idx.position(&text, offset, enc);
                prop_assert!(back.line <= line);
            }
        }
    }
}
