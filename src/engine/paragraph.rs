//! The paragraph scan: everything copydesk can learn from one paragraph alone.
//!
//! [`scan_block`] turns one block of source (see [`super::markup`]) into the prose mask and the
//! paragraphs in it, then scans each paragraph. A scan stores offsets relative to its own
//! paragraph and depends on nothing outside it (the paragraph text, the format and the config
//! fingerprint), so it can be cached by content and lifted into document space by adding the
//! paragraph's start ([`super::Placed::offset`]).
//!
//! The prose mask is the block's text with every byte that is not prose replaced by a space
//! (line breaks are kept): Markdown syntax, code, HTML, link targets. It has the same length as
//! the source, so offsets into it are offsets into the source.

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::text::TextRange;
use super::{Config, Format, entities, quotes, segment, temporal};

/// What kind of block a paragraph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphKind {
    /// Ordinary body text.
    Text,
    /// A Markdown heading. (Plain text has none: a one-line paragraph without final
    /// punctuation is not taken for a headline, which made GUM's headline names unsure and
    /// lost more of them than it gained. The checks read a short first paragraph of plain
    /// text as its headline: [`super::plain_headline`].)
    Heading,
    ListItem,
    BlockQuote,
    TableCell,
}

/// The scan of one paragraph. All offsets are relative to the paragraph start.
///
/// `repr(C)` keeps the fields that the document passes read for every paragraph on every
/// keystroke ([`Self::start_in_block`], [`Self::marks`]) in its first cache line: with the
/// caches cold (after a publish of a few megabytes) each line read is a miss, thousands per
/// keystroke on a long manuscript.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct ParagraphScan {
    /// Start of the paragraph inside its block.
    pub start_in_block: usize,
    pub len: usize,
    /// What the quotation-mark check needs to know of the paragraph ([`QuoteMarks`]), copied
    /// into [`super::Placed`].
    pub marks: QuoteMarks,
    pub kind: ParagraphKind,
    /// The paragraph's prose mask (same length as its source).
    pub prose: Box<str>,
    pub sentences: Vec<TextRange>,
    pub quotes: quotes::ParaQuotes,
    pub entities: entities::ParaEntities,
    pub temporal: temporal::ParaTemporal,
}

/// A paragraph's quotation marks in brief: whether the quotation-mark check
/// ([`super::quotes::unbalanced`]) has anything to look at in it, and whether the paragraph
/// opens with a quotation mark (which the paragraph before it needs to know).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuoteMarks(u8);

impl QuoteMarks {
    const OPENS_WITH_QUOTE: u8 = 1;
    const ENDS_OPEN: u8 = 2;
    const UNPAIRED: u8 = 4;

    /// The brief of `quotes`.
    pub fn of(quotes: &quotes::ParaQuotes) -> QuoteMarks {
        let mut m = 0;
        if quotes.opens_with_quote {
            m |= Self::OPENS_WITH_QUOTE;
        }
        if quotes.ends_open {
            m |= Self::ENDS_OPEN;
        }
        if !quotes.open.is_empty() || !quotes.stray_close.is_empty() {
            m |= Self::UNPAIRED;
        }
        QuoteMarks(m)
    }

    /// The paragraph opens with a quotation mark ([`quotes::ParaQuotes::opens_with_quote`]).
    pub fn opens_with_quote(self) -> bool {
        self.0 & Self::OPENS_WITH_QUOTE != 0
    }

    /// The paragraph ends inside a quotation ([`quotes::ParaQuotes::ends_open`]).
    pub fn ends_open(self) -> bool {
        self.0 & Self::ENDS_OPEN != 0
    }

    /// The paragraph has a mark never closed or a closing mark with no opening one.
    pub fn unpaired(self) -> bool {
        self.0 & Self::UNPAIRED != 0
    }
}

impl ParagraphScan {
    /// The paragraph's range relative to its own start (`0..len`).
    pub fn range(&self) -> TextRange {
        TextRange::new(0, self.len)
    }
}

/// What every paragraph-level scanner gets to look at.
pub struct ParaCtx<'a> {
    /// The prose mask of the paragraph.
    pub text: &'a str,
    pub kind: ParagraphKind,
    pub sentences: &'a [TextRange],
    pub config: &'a Config,
}

/// Scans one block: finds its prose and paragraphs and scans each paragraph.
pub fn scan_block(src: &str, format: Format, config: &Config) -> Vec<ParagraphScan> {
    // Most blocks are one line of plain prose: one paragraph, its mask the block itself, and
    // no list of paragraphs to allocate.
    if format == Format::Markdown && plain_markdown_line(src) {
        return match plain_line_paragraph(src).and_then(|r| trim(src, r)) {
            Some(range) => vec![scan_paragraph(
                &src[range.start..range.end],
                range.start,
                ParagraphKind::Text,
                config,
            )],
            None => Vec::new(),
        };
    }
    let (mask, paras) = match format {
        Format::Markdown => markdown_paragraphs(src),
        Format::PlainText => (Cow::Borrowed(src), plain_paragraphs(src)),
    };
    // Sized up front: `collect` through `filter_map` would start at four scans (1.6 KB, past
    // malloc's small-size cache) and grow from there, while most blocks hold one paragraph.
    let mut out = Vec::with_capacity(paras.len());
    for (range, kind) in paras {
        if let Some(range) = trim(&mask, range) {
            out.push(scan_paragraph(
                &mask[range.start..range.end],
                range.start,
                kind,
                config,
            ));
        }
    }
    out
}

/// Scans one paragraph of prose (already masked).
pub fn scan_paragraph(
    text: &str,
    start_in_block: usize,
    kind: ParagraphKind,
    config: &Config,
) -> ParagraphScan {
    let sentences = segment::sentences(text);
    let ctx = ParaCtx {
        text,
        kind,
        sentences: &sentences,
        config,
    };
    let mut quotes = quotes::scan(&ctx);
    let mut entities = entities::scan(&ctx, &quotes);
    let mut temporal = temporal::scan(&ctx, &quotes);
    // The scan is kept for as long as the paragraph is unchanged: give back the spare
    // capacity of its lists (a fifth of the cache's memory on a long manuscript).
    let mut sentences = sentences;
    sentences.shrink_to_fit();
    quotes.items.shrink_to_fit();
    quotes.spans.shrink_to_fit();
    quotes.names.shrink_to_fit();
    quotes.sources.shrink_to_fit();
    entities.cands.shrink_to_fit();
    temporal.timexes.shrink_to_fit();
    temporal.events.shrink_to_fit();
    ParagraphScan {
        start_in_block,
        len: text.len(),
        marks: QuoteMarks::of(&quotes),
        kind,
        prose: text.into(),
        sentences,
        quotes,
        entities,
        temporal,
    }
}

/// Shrinks a range to its non-space content; `None` if nothing is left.
fn trim(mask: &str, r: TextRange) -> Option<TextRange> {
    let s = &mask[r.start..r.end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    Some(TextRange::new(r.start + lead, r.start + lead + t.len()))
}

/// Plain text: a block is one paragraph, except that a line break after the end of a sentence
/// starts a new paragraph (wire copy often separates paragraphs with a single line break).
fn plain_paragraphs(src: &str) -> Vec<(TextRange, ParagraphKind)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            let line = src[start..i].trim_end();
            let ends_sentence = line.ends_with(['.', '?', '!', '”', '"', '’', '…', ':', ')'])
                || line.ends_with("''");
            let next = src[i..].trim_start();
            let next_starts = next.chars().next().is_some_and(|c| !c.is_lowercase());
            if ends_sentence && next_starts || line.is_empty() {
                out.push((TextRange::new(start, i), ParagraphKind::Text));
                start = i + 1;
            }
        }
        i += 1;
    }
    out.push((TextRange::new(start, src.len()), ParagraphKind::Text));
    out
}

/// Whether a Markdown block is one line of plain prose: no character that Markdown gives a
/// meaning to inside a paragraph (emphasis, code, links, HTML, entities, escapes, tables,
/// strikethrough), no tab, and an opening that starts no other kind of block (heading, quote,
/// list, thematic break, indented or fenced code). Such a block is one paragraph whose prose
/// is all of its text, which is what pulldown-cmark would find, without the cost of setting up
/// a parser for it; a test compares both.
fn plain_markdown_line(src: &str) -> bool {
    let line = src.trim_end_matches(['\n', '\r']);
    if memchr::memchr2(b'\n', b'\r', line.as_bytes()).is_some() {
        return false;
    }
    let body = line.trim_start_matches(' ');
    if line.len() - body.len() > 3 {
        return false;
    }
    let opens_block = body
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b"#>-+*=_~`<|:".contains(&b));
    // The bytes that give a line a meaning beyond plain prose, as a table (one load per byte).
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let special = b"\\`*_[]<>&~|$^\t";
        let mut i = 0;
        while i < special.len() {
            table[special[i] as usize] = true;
            i += 1;
        }
        table
    };
    if opens_block {
        return false;
    }
    // Eight bytes at a time, with one branch per eight.
    let mut chunks = body.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let special = c
            .iter()
            .fold(false, |any, &b| any | SPECIAL[usize::from(b)]);
        if special {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&b| SPECIAL[usize::from(b)])
}

/// The paragraph of a block that is one line of plain prose ([`plain_markdown_line`]): the
/// line without its indentation and trailing spaces, if anything is left.
fn plain_line_paragraph(src: &str) -> Option<TextRange> {
    let line = src.trim_end_matches(['\n', '\r']);
    let start = line.len() - line.trim_start_matches(' ').len();
    let len = line.trim_end_matches(' ').len();
    (start < len).then(|| TextRange::new(start, len))
}

/// Markdown: the prose mask of the block and its paragraph-level leaves (paragraphs, headings,
/// tight list items, table cells), via pulldown-cmark's source offsets. The mask of a block of
/// plain prose is the block itself, borrowed; a few other common shapes are read without a
/// parser too ([`simple_markdown`]).
fn markdown_paragraphs(src: &str) -> (Cow<'_, str>, Vec<(TextRange, ParagraphKind)>) {
    if plain_markdown_line(src) {
        let paras = plain_line_paragraph(src)
            .map(|r| (r, ParagraphKind::Text))
            .into_iter()
            .collect();
        return (Cow::Borrowed(src), paras);
    }
    if let Some((mask, paras)) = simple_markdown(src) {
        return (Cow::Owned(mask), paras);
    }
    let (mask, paras) = parsed_markdown_paragraphs(src);
    (Cow::Owned(mask), paras)
}

/// The bytes that end the simple inline reading of [`simple_inline`] (it falls back to the
/// parser): everything Markdown may give a meaning to inside a line except the backtick and the
/// opening bracket, which it reads itself, and the pipe, which only a table of two or more lines
/// would read.
const INLINE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"\\*_]<>&~$^\t\r\n";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// Reads `src[a..b]`, one line of inline Markdown, when it holds nothing but plain text, code
/// spans between single backticks and inline links `[text](target)` with a plain text and a
/// target of URL characters; copies the prose (everything but the code spans, the brackets and
/// the targets) into `mask`. `false` (with `mask` partly written) for anything else.
fn simple_inline(src: &[u8], a: usize, b: usize, mask: &mut [u8]) -> bool {
    let copy = |from: usize, to: usize, mask: &mut [u8]| {
        mask[from..to].copy_from_slice(&src[from..to]);
    };
    // The bytes the loop below stops at: the special ones, the backtick and the bracket.
    const STOP: [bool; 256] = {
        let mut table = INLINE_SPECIAL;
        table[b'`' as usize] = true;
        table[b'[' as usize] = true;
        table
    };
    let mut i = a;
    let mut seg = a;
    while i < b {
        // Plain prose eight bytes at a time, with one branch per eight.
        while let Some(c) = src.get(i..i + 8).filter(|_| i + 8 <= b)
            && !c.iter().fold(false, |any, &x| any | STOP[usize::from(x)])
        {
            i += 8;
        }
        let Some(&c) = src.get(i).filter(|_| i < b) else {
            break;
        };
        match c {
            b'`' => {
                // A code span: one backtick, content without one, one backtick.
                let Some(n) = memchr::memchr(b'`', &src[i + 1..b]) else {
                    return false;
                };
                let close = i + 1 + n;
                if n == 0 || src.get(close + 1) == Some(&b'`') {
                    return false;
                }
                copy(seg, i, mask);
                i = close + 1;
                seg = i;
            }
            b'[' => {
                // An inline link; an image (`![`) is left to the parser.
                if i > a && src[i - 1] == b'!' {
                    return false;
                }
                let Some(n) = memchr::memchr(b']', &src[i + 1..b]) else {
                    return false;
                };
                let close = i + 1 + n;
                let label = &src[i + 1..close];
                let label_ok = !label.is_empty()
                    && label
                        .iter()
                        .all(|&c| !INLINE_SPECIAL[usize::from(c)] && !b"[`!|^".contains(&c));
                if !label_ok || src.get(close + 1) != Some(&b'(') {
                    return false;
                }
                let Some(m) = memchr::memchr(b')', &src[close + 2..b]) else {
                    return false;
                };
                let end = close + 2 + m;
                let target = &src[close + 2..end];
                let target_ok = !target.is_empty()
                    && target
                        .iter()
                        .all(|&c| c.is_ascii_alphanumeric() || b"/:.-?=#%+,;@".contains(&c));
                if !target_ok {
                    return false;
                }
                copy(seg, i, mask);
                copy(i + 1, close, mask);
                i = end + 1;
                seg = i;
            }
            c if INLINE_SPECIAL[usize::from(c)] => return false,
            _ => i += 1,
        }
    }
    copy(seg, b, mask);
    true
}

/// [`simple_inline`], also accepting a whole line in emphasis (`*text*`).
fn simple_inline_or_emphasis(src: &[u8], a: usize, b: usize, mask: &mut [u8]) -> bool {
    if src.get(a) == Some(&b'*') {
        // Opening `*` before a non-space at the start of the line, closing `*` after a
        // non-space at its end: one emphasis around the rest, whatever the punctuation.
        let ok = b >= a + 3 && src[b - 1] == b'*' && src[a + 1] != b' ' && src[b - 2] != b' ';
        return ok && simple_inline(src, a + 1, b - 1, mask);
    }
    simple_inline(src, a, b, mask)
}

/// Whether a line's content after its block marker starts something other than a paragraph
/// (or is a shape [`simple_inline`] does not take at its start).
fn opens_other_block(first: u8) -> bool {
    first.is_ascii_digit() || b"#>-+*=_~<|:".contains(&first)
}

/// The prose mask and paragraphs of a Markdown block of one of a few common shapes, read
/// without a parser: one line that is a heading (`# text`, no `#` in the text), a thematic
/// break (`---`), or a paragraph; or lines that are all tight bullet items (`- text`); where
/// the text is what [`simple_inline_or_emphasis`] reads. `None` for anything else. The
/// paragraph ranges may include spaces the parser's would not (before a code span, at a line
/// end); [`scan_block`] trims them. A test compares the trimmed result with the parser's.
fn simple_markdown(src: &str) -> Option<(String, Vec<(TextRange, ParagraphKind)>)> {
    let bytes = src.as_bytes();
    let body_end = src.trim_end_matches(['\n', '\r']).len();
    if memchr::memchr(b'\r', &bytes[..body_end]).is_some() {
        return None;
    }
    let mut mask: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    let mut paras = Vec::new();
    let mut para = |mask: &[u8], a: usize, b: usize, kind: ParagraphKind| {
        if let (Some(s), Some(e)) = (
            mask[a..b].iter().position(|&c| c != b' '),
            mask[a..b].iter().rposition(|&c| c != b' '),
        ) {
            paras.push((TextRange::new(a + s, a + e + 1), kind));
        }
    };
    if bytes.starts_with(b"- ") {
        // Tight bullet items, one per line.
        let mut line_start = 0;
        while line_start < body_end {
            let line_end = memchr::memchr(b'\n', &bytes[line_start..body_end])
                .map_or(body_end, |n| line_start + n);
            let line = &bytes[line_start..line_end];
            if !line.starts_with(b"- ") {
                return None;
            }
            let a = line_start + 2;
            let first = *bytes.get(a).filter(|_| a < line_end)?;
            if first == b' ' || first == b'`' || opens_other_block(first) {
                return None;
            }
            if !simple_inline(bytes, a, line_end, &mut mask) {
                return None;
            }
            para(&mask, a, line_end, ParagraphKind::ListItem);
            line_start = line_end + 1;
        }
    } else {
        if memchr::memchr(b'\n', &bytes[..body_end]).is_some() {
            return None;
        }
        let lead = bytes.iter().take_while(|&&b| b == b' ').count();
        if lead > 3 {
            return None;
        }
        let end = lead + src[lead..body_end].trim_end_matches(' ').len();
        let first = *bytes.get(lead).filter(|_| lead < end)?;
        if matches!(first, b'-' | b'*' | b'_')
            && bytes[lead..end].iter().all(|&c| c == first || c == b' ')
            && bytes[lead..end].iter().filter(|&&c| c == first).count() >= 3
        {
            // A thematic break: no prose.
        } else if first == b'#' {
            let hashes = bytes[lead..end].iter().take_while(|&&c| c == b'#').count();
            if hashes > 6
                || bytes.get(lead + hashes).is_some_and(|&c| c != b' ') && lead + hashes < end
            {
                return None;
            }
            let a = lead + hashes;
            let a = a + bytes[a..end].iter().take_while(|&&c| c == b' ').count();
            if memchr::memchr(b'#', &bytes[a..end]).is_some()
                || !simple_inline_or_emphasis(bytes, a, end, &mut mask)
            {
                return None;
            }
            para(&mask, a, end, ParagraphKind::Heading);
        } else {
            if first != b'*' && opens_other_block(first) {
                return None;
            }
            if !simple_inline_or_emphasis(bytes, lead, end, &mut mask) {
                return None;
            }
            para(&mask, lead, end, ParagraphKind::Text);
        }
    }
    Some((String::from_utf8(mask).ok()?, paras))
}

/// [`markdown_paragraphs`] by pulldown-cmark.
fn parsed_markdown_paragraphs(src: &str) -> (String, Vec<(TextRange, ParagraphKind)>) {
    let mut mask: Vec<u8> = src
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    let mut paras: Vec<(TextRange, ParagraphKind)> = Vec::new();
    let mut open: Option<(usize, usize, ParagraphKind)> = None; // (start, end, kind)
    let mut in_code = 0usize;
    let mut quote_depth = 0usize;
    let mut list_depth = 0usize;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let close = |open: &mut Option<(usize, usize, ParagraphKind)>, paras: &mut Vec<_>| {
        if let Some((s, e, k)) = open.take() {
            paras.push((TextRange::new(s, e), k));
        }
    };
    for (event, range) in Parser::new_ext(src, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell | Tag::Item) => {
                close(&mut open, &mut paras);
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
            ) => {
                close(&mut open, &mut paras);
            }
            Event::Text(_) if in_code == 0 => {
                for i in range.clone() {
                    mask[i] = src.as_bytes()[i];
                }
                match &mut open {
                    Some((_, e, _)) => *e = (*e).max(range.end),
                    None => {
                        let kind = if list_depth > 0 {
                            ParagraphKind::ListItem
                        } else if quote_depth > 0 {
                            ParagraphKind::BlockQuote
                        } else {
                            ParagraphKind::Text
                        };
                        open = Some((range.start, range.end, kind));
                    }
                }
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                // Inline code is blanked like other non-prose, but it belongs to the paragraph.
                if let Some((_, e, _)) = &mut open {
                    *e = (*e).max(range.end);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, e, _)) = &mut open {
                    *e = (*e).max(range.end);
                }
            }
            _ => {}
        }
    }
    close(&mut open, &mut paras);
    // Headings: pulldown reports the kind only on Start; find them again by their source.
    for (r, k) in &mut paras {
        let line_start = src[..r.start].rfind('\n').map_or(0, |i| i + 1);
        if src[line_start..r.start].trim_start().starts_with('#') {
            *k = ParagraphKind::Heading;
        }
    }
    let mask = String::from_utf8(mask).unwrap_or_else(|e| {
        // Only whole Text event ranges are copied, and those lie on character boundaries;
        // this branch is unreachable in practice but must not panic.
        String::from_utf8_lossy(e.as_bytes()).into_owned()
    });
    (mask, paras)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(src: &str, format: Format) -> Vec<(String, ParagraphKind)> {
        scan_block(src, format, &Config::default())
            .iter()
            .map(|p| (p.prose.to_string(), p.kind))
            .collect()
    }

    #[test]
    fn quote_marks_sum_up_the_paragraph_quotes() {
        let marks = |text: &str| {
            let scan = scan_paragraph(text, 0, ParagraphKind::Text, &Config::default());
            let m = scan.marks;
            assert_eq!(m, QuoteMarks::of(&scan.quotes), "{text}");
            (m.opens_with_quote(), m.ends_open(), m.unpaired())
        };
        assert_eq!(marks("Nothing quoted here."), (false, false, false));
        assert_eq!(
            marks("\u{201c}Closed,\u{201d} she said."),
            (true, false, false)
        );
        assert_eq!(
            marks("\u{201c}Runs on into the next paragraph"),
            (true, true, true)
        );
        assert_eq!(marks("He said it was over.\u{201d}"), (false, false, true));
        assert_eq!(marks("She said \u{201c}never"), (false, true, true));
    }

    #[test]
    fn markdown_masks_code_links_and_markup() {
        let got = paras(
            "Said *she*: see [the report](http://x.org/a) and `code` <!-- hi -->.",
            Format::Markdown,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].0,
            "Said  she : see  the report                  and                   ."
        );
    }

    /// The plain-line shortcut gives what pulldown-cmark gives: the same prose mask and
    /// paragraphs, on every block of generated manuscripts and on random lines.
    #[test]
    fn plain_markdown_lines_read_as_pulldown_reads_them() {
        use crate::generate::{Options, Rng, manuscript};
        let mut plain = 0;
        let mut check = |block: &str| {
            if plain_markdown_line(block) {
                plain += 1;
                let (mask, paras) = markdown_paragraphs(block);
                assert_eq!(
                    (mask.into_owned(), paras),
                    parsed_markdown_paragraphs(block),
                    "{block:?}"
                );
            }
        };
        for seed in 0..6 {
            let text = manuscript(&Options {
                seed,
                size: 20_000,
                markdown: true,
                ascii: seed % 2 == 0,
            });
            for b in crate::engine::markup::layout(&text, Format::Markdown).blocks {
                check(b.range.of(&text));
            }
        }
        let pieces = [
            "a", "Word", " ", "  ", "   ", "    ", ".", ",", "!", "?", "\"", "“", "”", "’", "'",
            "#", "-", "+", "1", "1.", "2)", ">", "=", "===", "---", "(", ")", ":", "%", "/", "é",
            "\u{a0}", "—", "\n", "\r\n", "x!", "@", "{", "}",
        ];
        let mut rng = Rng::new(7);
        for _ in 0..20_000 {
            let n = rng.below(12);
            let line: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            check(&line);
        }
        assert!(plain > 1_000, "the shortcut was taken {plain} times");
    }

    /// What [`scan_block`] keeps of a block's reading: each paragraph trimmed to its prose,
    /// with its kind and its text.
    fn settled(
        mask: &str,
        paras: &[(TextRange, ParagraphKind)],
    ) -> Vec<(TextRange, ParagraphKind, String)> {
        paras
            .iter()
            .filter_map(|&(r, k)| trim(mask, r).map(|r| (r, k, r.of(mask).to_string())))
            .collect()
    }

    /// The shapes read without a parser (headings, thematic breaks, bullet lists, emphasis,
    /// code spans, links) give what pulldown-cmark gives once trimmed, on every block of
    /// generated manuscripts and on random blocks made of the pieces those shapes are made of.
    #[test]
    fn simple_markdown_reads_as_pulldown_reads() {
        use crate::generate::{Options, Rng, manuscript};
        // Per shape: heading, list, break, emphasis, code span, link.
        let mut taken = [0usize; 6];
        let mut check = |block: &str| {
            let Some((mask, paras)) = simple_markdown(block) else {
                return;
            };
            let (want_mask, want) = parsed_markdown_paragraphs(block);
            assert_eq!(
                settled(&mask, &paras),
                settled(&want_mask, &want),
                "{block:?}"
            );
            let t = block.trim_start();
            taken[0] += usize::from(t.starts_with('#'));
            taken[1] += usize::from(t.starts_with("- "));
            taken[2] += usize::from(paras.is_empty() && t.starts_with(['-', '*', '_']));
            taken[3] += usize::from(t.starts_with('*') && !paras.is_empty());
            taken[4] += usize::from(t.contains('`'));
            taken[5] += usize::from(t.contains("]("));
        };
        for seed in 0..6 {
            let text = manuscript(&Options {
                seed,
                size: 20_000,
                markdown: true,
                ascii: seed % 2 == 0,
            });
            for b in crate::engine::markup::layout(&text, Format::Markdown).blocks {
                check(b.range.of(&text));
            }
        }
        let pieces = [
            "a",
            "Word",
            " ",
            "  ",
            ".",
            ",",
            "!",
            "?",
            "\"",
            "“",
            "’",
            "'",
            "#",
            "-",
            "+",
            "1",
            "1.",
            ">",
            "=",
            "(",
            ")",
            ":",
            "|",
            "é",
            "—",
            "`",
            "``",
            "`x`",
            "` `",
            "[",
            "]",
            "](",
            "[a](b)",
            "[The report](https://x.org/a-1?q=2#c)",
            "![i](j)",
            "[x] (y)",
            "[a](b c)",
            "[](x)",
            "[a]()",
            "*",
            "**",
            "_",
            "&",
            "<",
            "\\",
            "\t",
            "^",
            "[^1]",
        ];
        let prefixes = [
            "", "", "", " ", "   ", "    ", "# ", "## ", "###### ", "####### ", "#", "#  ", "- ",
            "- ", "-  ", "-", "* ", "*", "*", "---", "- - -", "***", "___", "`",
        ];
        let suffixes = ["", "", "", "*", " ", "  ", " #", "#", "`", "\r\n", "\n"];
        let mut rng = Rng::new(11);
        for _ in 0..100_000 {
            let lines = 1 + rng.below(3);
            // A quarter of the blocks are bullet lists, a quarter of the lines are in emphasis.
            let list = rng.below(4) == 0;
            let mut block = String::new();
            for l in 0..lines {
                if l > 0 {
                    block.push('\n');
                }
                let emphasis = rng.below(4) == 0;
                if list {
                    block.push_str("- ");
                } else {
                    block.push_str(prefixes[rng.below(prefixes.len())]);
                }
                if emphasis {
                    block.push('*');
                }
                for _ in 0..rng.below(8) {
                    block.push_str(pieces[rng.below(pieces.len())]);
                }
                if emphasis {
                    block.push('*');
                }
                block.push_str(suffixes[rng.below(suffixes.len())]);
            }
            check(&block);
        }
        assert!(
            taken.iter().all(|&n| n > 150),
            "shapes taken (heading, list, break, emphasis, code, link): {taken:?}"
        );
    }

    #[test]
    fn markdown_heading_and_list_items() {
        let got = paras("# Big news\n", Format::Markdown);
        assert_eq!(got, vec![("Big news".to_string(), ParagraphKind::Heading)]);
        let got = paras("- one\n- two\n", Format::Markdown);
        assert_eq!(
            got.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            vec!["one", "two"]
        );
        assert!(got.iter().all(|p| p.1 == ParagraphKind::ListItem));
        // The same through the parser (the shortcut does not take these).
        let got = paras("# Big news *and* more\n", Format::Markdown);
        assert_eq!(
            got,
            vec![("Big news  and  more".to_string(), ParagraphKind::Heading)]
        );
        let got = paras("- one\n  two\n- three\n", Format::Markdown);
        assert_eq!(
            got.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            vec!["one\n  two", "three"]
        );
    }

    #[test]
    fn plain_text_lines_after_sentences_are_paragraphs() {
        let got = paras(
            "First para.\nSecond para, which\nwraps here.",
            Format::PlainText,
        );
        assert_eq!(
            got.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            vec!["First para.", "Second para, which\nwraps here."]
        );
    }
}
