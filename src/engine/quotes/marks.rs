//! Quotation marks paired into spans, within one paragraph.
//!
//! Contract: [`pair_into`] looks at one paragraph of prose and returns the quotation spans it can pair
//! (marks included, paragraph-relative byte offsets, each with its nesting depth), the opening
//! marks it never saw closed and the closing marks it never saw opened. Apostrophes (don’t, the
//! ’90s, Russia’s, rock ’n’ roll, students’ union) are never taken for quotation marks. Straight
//! marks (`"`, `'`, `''`) open or close by their position: after a space, the start or an opening
//! bracket they open; before a space, punctuation or the end they close.

use crate::engine::text::TextRange;

/// Which kind of mark a span uses: double marks (“ ” " „ « » `''`) or single ones (‘ ’ ' ‚ ‹ ›).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Double,
    Single,
}

/// A paired quotation span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The span, both marks included.
    pub range: TextRange,
    /// Byte length of the opening mark.
    pub open_len: usize,
    /// Byte length of the closing mark.
    pub close_len: usize,
    /// 0 for a top-level quotation, 1 for a quote inside it, and so on.
    pub depth: usize,
    pub family: Family,
}

/// What pairing found in a paragraph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pairing {
    /// Paired spans, ordered by start.
    pub spans: Vec<Span>,
    /// Opening marks never closed (double marks, and typographic single marks at top level).
    /// The last of these may be a quotation that runs on into the next paragraph.
    pub open: Vec<(TextRange, usize)>,
    /// Closing double marks with no opening mark.
    pub stray_close: Vec<TextRange>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A straight mark whose position does not decide: closes an open mark of its family if
    /// there is one, else opens.
    Either,
    /// A closing single mark that is an apostrophe unless a single quotation is open.
    CloseOrApostrophe,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    start: usize,
    end: usize,
    family: Family,
    role: Role,
    glyph: char,
}

fn is_open_punct(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '—'
            | '–'
            | '-'
            | '/'
            | '“'
            | '‘'
            | '„'
            | '‚'
            | '«'
            | '‹'
            | '»'
            | '"'
            | '\''
            | '`'
    )
}

fn is_close_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '—'
            | '–'
            | '-'
            | '…'
            | '/'
            | '”'
            | '’'
            | '«'
            | '»'
            | '›'
            | '‹'
            | '"'
            | '\''
            | '*'
            | '_'
    )
}

/// Whether a mark between `prev` and `next` sits where an opening mark goes.
fn opening_context(prev: Option<char>, next: Option<char>) -> bool {
    prev.is_none_or(|p| p.is_whitespace() || is_open_punct(p))
        && next.is_some_and(|n| !n.is_whitespace())
}

/// Whether a mark between `prev` and `next` sits where a closing mark goes.
fn closing_context(prev: Option<char>, next: Option<char>) -> bool {
    next.is_none_or(|n| n.is_whitespace() || is_close_punct(n))
        && prev.is_some_and(|p| !p.is_whitespace())
}

/// Whether a byte can start a quotation mark (or an HTML tag): the ASCII marks, `<`, and the
/// lead bytes of « » (U+00AB, U+00BB) and of the typographic marks U+2018–U+203A.
fn may_start_mark(b: u8) -> bool {
    MAY_START_MARK[usize::from(b)]
}

/// [`may_start_mark`] as a table, one entry per byte value.
static MAY_START_MARK: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'`' as usize] = true;
    t[b'<' as usize] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

/// Whether the bytes at the head of `b` (starting with 0xE2, a three-byte character) are one
/// of the typographic marks [`marks`] reads: ‘ ’ ‚ “ ” „ (U+2018–U+201A, U+201C–U+201E) or
/// ‹ › (U+2039, U+203A).
fn typographic_mark(b: &[u8]) -> bool {
    matches!(b, [0xE2, 0x80, 0x98..=0x9A | 0x9C..=0x9E | 0xB9 | 0xBA, ..])
}

/// Finds the quotation marks of a paragraph, classifying each by its position.
///
/// Reads by byte position and looks only at bytes that can start a mark; the characters around
/// a mark are decoded where it stands.
/// Whether `before` (the text before a double mark) ends with a height in feet and inches
/// that the mark completes: a digit, a foot sign (’ or '), one or two digits ("5’2", "6'11").
fn inch_sign(before: &str) -> bool {
    let b = before.as_bytes();
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&digits) {
        return false;
    }
    let rest = &b[..b.len() - digits];
    let feet = rest
        .strip_suffix("’".as_bytes())
        .or_else(|| rest.strip_suffix(b"'"));
    feet.is_some_and(|f| {
        f.last().is_some_and(u8::is_ascii_digit)
            && !f
                .get(f.len().wrapping_sub(2))
                .is_some_and(u8::is_ascii_digit)
    })
}

fn marks(text: &str, out: &mut Vec<Mark>) {
    let bytes = text.as_bytes();
    let char_at = |p: usize| text.get(p..).and_then(|t| t.chars().next());
    let len_at = |p: usize| char_at(p).map_or(0, char::len_utf8);
    out.clear();
    // Guillemet direction: whichever appears first in the paragraph opens.
    let mut guillemets_open_left: Option<bool> = None;
    let mut angles_open_left: Option<bool> = None;
    // Most paragraphs have no backtick, `<` or U+0080–U+00BF character: then the bytes that
    // can start a mark are three, which `memchr3` finds many bytes at a time.
    let three = memchr::memchr3(b'`', b'<', 0xC2, bytes).is_none();
    let mut pos = 0;
    while pos < bytes.len() {
        let skip = if three {
            memchr::memchr3(b'"', b'\'', 0xE2, &bytes[pos..])
        } else {
            bytes[pos..].iter().position(|&b| may_start_mark(b))
        };
        let Some(skip) = skip else {
            break;
        };
        pos += skip;
        if bytes[pos] == 0xE2 && !typographic_mark(&bytes[pos..]) {
            // A dash, an ellipsis, a bullet: no mark, and nothing to decode.
            pos += 3;
            continue;
        }
        let Some(c) = char_at(pos) else { break };
        let prev = text[..pos].chars().next_back();
        // The character after this one, and where the one after that starts.
        let n1_at = pos + c.len_utf8();
        let next = char_at(n1_at);
        let n2_at = n1_at + next.map_or(0, char::len_utf8);
        let mut push = |end: usize, family: Family, role: Role| {
            out.push(Mark {
                start: pos,
                end,
                family,
                role,
                glyph: c,
            });
        };
        if c == '<' && next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/') {
            // An HTML tag left in the copy: its attribute quotes are not quotation marks.
            let mut q = n1_at;
            let mut n = 1;
            while n < 400 {
                match char_at(q) {
                    None | Some('>' | '<') => break,
                    Some(d) => {
                        q += d.len_utf8();
                        n += 1;
                    }
                }
            }
            if char_at(q) == Some('>') {
                pos = q + 1;
                continue;
            }
        }
        // Feet and inches ("5’2”", "6'11\""): an inch sign, no quotation mark.
        if matches!(c, '”' | '"') && inch_sign(&text[..pos]) {
            pos = n1_at;
            continue;
        }
        match c {
            '“' | '”' | '"' => {
                let (o, cl) = (opening_context(prev, next), closing_context(prev, next));
                let role = match c {
                    '“' if cl && !o => Role::Either,
                    '“' => Role::Open,
                    '”' if o && !cl => Role::Either,
                    '”' => Role::Close,
                    _ if o && !cl => Role::Open,
                    _ if cl && !o => Role::Close,
                    _ => Role::Either,
                };
                push(n1_at, Family::Double, role);
            }
            '„' => push(n1_at, Family::Double, Role::Open),
            '«' | '»' => {
                let left = *guillemets_open_left.get_or_insert_with(|| {
                    text.find(['«', '»'])
                        .is_none_or(|p| text[p..].starts_with('«'))
                });
                let opens = (c == '«') == left;
                push(
                    n1_at,
                    Family::Double,
                    if opens { Role::Open } else { Role::Close },
                );
            }
            '‹' | '›' => {
                let left = *angles_open_left.get_or_insert_with(|| {
                    text.find(['‹', '›'])
                        .is_none_or(|p| text[p..].starts_with('‹'))
                });
                let opens = (c == '‹') == left;
                push(
                    n1_at,
                    Family::Single,
                    if opens { Role::Open } else { Role::Close },
                );
            }
            '`' if next == Some('`') => {
                push(n2_at, Family::Double, Role::Open);
                pos = n2_at;
                continue;
            }
            '\'' if next == Some('\'') => {
                // `''` is a double mark (wire style). In a run of three, the single mark is the
                // inner one: `'''` closes `'` then `''`, or opens `''` then `'`. (Each mark is
                // one byte: they lie at `pos`, `pos + 1` and `pos + 2`.)
                let three = char_at(pos + 2) == Some('\'');
                let after = char_at(pos + if three { 3 } else { 2 });
                let (o, cl) = (opening_context(prev, after), closing_context(prev, after));
                let role = if o && !cl {
                    Role::Open
                } else if cl && !o {
                    Role::Close
                } else {
                    Role::Either
                };
                if three && role == Role::Close {
                    out.push(Mark {
                        start: pos,
                        end: pos + 1,
                        family: Family::Single,
                        role: Role::CloseOrApostrophe,
                        glyph: '\'',
                    });
                    out.push(Mark {
                        start: pos + 1,
                        end: pos + 3,
                        family: Family::Double,
                        role,
                        glyph: '"',
                    });
                } else if three {
                    out.push(Mark {
                        start: pos,
                        end: pos + 2,
                        family: Family::Double,
                        role,
                        glyph: '"',
                    });
                    out.push(Mark {
                        start: pos + 2,
                        end: pos + 3,
                        family: Family::Single,
                        role: Role::Open,
                        glyph: '\'',
                    });
                } else {
                    out.push(Mark {
                        start: pos,
                        end: pos + 2,
                        family: Family::Double,
                        role,
                        glyph: '"',
                    });
                }
                pos += if three { 3 } else { 2 };
                continue;
            }
            '\'' | '’' | '‘' | '‚' => {
                let alnum = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
                // Inside a word: don’t, Russia’s, o’clock.
                if alnum(prev) && alnum(next) {
                    pos = n1_at;
                    continue;
                }
                // Elided digits or letters: the ’90s, ’em, rock ’n’ roll.
                if next.is_some_and(|n| n.is_ascii_digit()) && c != '‚' {
                    pos = n1_at;
                    continue;
                }
                if matches!(next, Some('n' | 'N'))
                    && matches!(char_at(n2_at), Some('\'' | '’'))
                    && char_at(n2_at + len_at(n2_at)).is_none_or(char::is_whitespace)
                {
                    pos = n2_at + len_at(n2_at);
                    continue;
                }
                let (o, cl) = (opening_context(prev, next), closing_context(prev, next));
                let role = match c {
                    '‚' if o => Role::Open,
                    '‚' => {
                        pos = n1_at;
                        continue;
                    }
                    '‘' if cl && !o => Role::CloseOrApostrophe,
                    '‘' => Role::Open,
                    '’' if cl => Role::CloseOrApostrophe,
                    '’' => {
                        // ’tis, ’cause: an apostrophe at a word start.
                        pos = n1_at;
                        continue;
                    }
                    _ if o && !cl => Role::Open,
                    _ if cl => Role::CloseOrApostrophe,
                    _ => {
                        pos = n1_at;
                        continue;
                    }
                };
                push(n1_at, Family::Single, role);
            }
            _ => {}
        }
        pos = n1_at;
    }
}

/// Working buffers of [`pair_into`], kept from paragraph to paragraph.
#[derive(Debug, Default)]
pub struct Buffers {
    marks: Vec<Mark>,
    stack: Vec<Mark>,
    dropped_open: Vec<(TextRange, usize)>,
}

/// Pairs the quotation marks of one paragraph.
#[cfg(test)]
pub fn pair(text: &str) -> Pairing {
    let mut result = Pairing::default();
    pair_into(text, &mut Buffers::default(), &mut result);
    result
}

/// Pairs the quotation marks of one paragraph (`text`) into `result` (cleared first), with
/// working buffers to reuse.
pub fn pair_into(text: &str, buffers: &mut Buffers, result: &mut Pairing) {
    let Buffers {
        marks: found,
        stack,
        dropped_open,
    } = buffers;
    marks(text, found);
    stack.clear();
    dropped_open.clear();
    result.spans.clear();
    result.open.clear();
    result.stray_close.clear();
    for &m in found.iter() {
        let has_open = |stack: &[Mark], fam: Family| stack.iter().rposition(|s| s.family == fam);
        let role = match m.role {
            Role::Either => {
                if has_open(stack, m.family).is_some() {
                    Role::Close
                } else {
                    Role::Open
                }
            }
            Role::CloseOrApostrophe => {
                if has_open(stack, Family::Single).is_some() {
                    Role::Close
                } else {
                    continue;
                }
            }
            r => r,
        };
        match role {
            Role::Open => {
                if m.family == Family::Double
                    && let Some(k) = has_open(stack, Family::Double)
                {
                    // A second double opening while one is open: the earlier one was never
                    // closed (nesting alternates double and single marks).
                    for s in stack.drain(k..) {
                        if s.family == Family::Double || (s.glyph == '‘' && k == 0) {
                            dropped_open.push((TextRange::new(s.start, s.end), k));
                        }
                    }
                }
                stack.push(m);
            }
            Role::Close | Role::Either | Role::CloseOrApostrophe => {
                match has_open(stack, m.family) {
                    Some(k) => {
                        let open = stack[k];
                        for s in stack.drain(k + 1..) {
                            if s.family == Family::Double {
                                dropped_open.push((TextRange::new(s.start, s.end), k + 1));
                            }
                        }
                        stack.pop();
                        result.spans.push(Span {
                            range: TextRange::new(open.start, m.end),
                            open_len: open.end - open.start,
                            close_len: m.end - m.start,
                            depth: k,
                            family: m.family,
                        });
                    }
                    None => {
                        if m.family == Family::Double {
                            result.stray_close.push(TextRange::new(m.start, m.end));
                        }
                    }
                }
            }
        }
    }
    for (k, s) in stack.iter().enumerate() {
        if s.family == Family::Double || (s.glyph == '‘' && k == 0) {
            dropped_open.push((TextRange::new(s.start, s.end), k));
        }
    }
    dropped_open.sort_by_key(|(r, _)| r.start);
    result.open.extend_from_slice(dropped_open);
    result.spans.sort_by_key(|s| s.range.start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(&str, usize)> {
        pair(text)
            .spans
            .iter()
            .map(|s| (s.range.of(text), s.depth))
            .collect()
    }

    #[test]
    fn every_common_style_pairs() {
        for (text, quote) in [
            ("He said “yes” twice.", "“yes”"),
            ("He said ‘yes’ twice.", "‘yes’"),
            ("He said \"yes\" twice.", "\"yes\""),
            ("He said 'yes' twice.", "'yes'"),
            ("Er sagte „ja“ zweimal.", "„ja“"),
            ("Er sagte ‚ja‘ zweimal.", "‚ja‘"),
            ("Er sagte »ja« zweimal.", "»ja«"),
            ("Il a dit « oui » deux fois.", "« oui »"),
            ("Il a dit ‹oui› deux fois.", "‹oui›"),
            ("He said ''yes'' twice.", "''yes''"),
            ("He said ``yes'' twice.", "``yes''"),
        ] {
            assert_eq!(spans(text), vec![(quote, 0)], "{text}");
        }
    }

    #[test]
    fn nested_quotes_have_depth() {
        let text = "“He called it ‘a disaster’ and left,” she said.";
        assert_eq!(
            spans(text),
            vec![
                ("“He called it ‘a disaster’ and left,”", 0),
                ("‘a disaster’", 1)
            ]
        );
        let text = "''He called it 'a disaster.''' Then he left.";
        assert_eq!(
            spans(text),
            vec![("''He called it 'a disaster.'''", 0), ("'a disaster.'", 1)]
        );
    }

    #[test]
    fn apostrophes_are_not_quotation_marks() {
        let text = "Don’t miss the ’90s, Russia’s rock ’n’ roll at 5 o’clock in the students’ union; it's 'em.";
        let p = pair(text);
        assert!(
            p.spans.is_empty() && p.open.is_empty() && p.stray_close.is_empty(),
            "{p:?}"
        );
        let text = "“The students’ union won’t,” he said.";
        assert_eq!(spans(text), vec![("“The students’ union won’t,”", 0)]);
    }

    /// A height in feet and inches ends with an inch sign, not a quotation mark; a
    /// quotation that ends with a number still closes.
    #[test]
    fn inch_signs_are_not_quotation_marks() {
        let text = "“He is like 6’2”, not 5’11”,” Rubio said. Trump is 6'3\" tall.";
        assert_eq!(spans(text), vec![("“He is like 6’2”, not 5’11”,”", 0)]);
        let p = pair(text);
        assert!(p.open.is_empty() && p.stray_close.is_empty(), "{p:?}");
        let text = "“It was 2016,” she said. “Back in ’16,” he said. \"Route 66\" it was.";
        assert_eq!(
            spans(text),
            vec![
                ("“It was 2016,”", 0),
                ("“Back in ’16,”", 0),
                ("\"Route 66\"", 0)
            ]
        );
    }

    #[test]
    fn straight_double_marks_pair_by_position() {
        let text = "\"We won,\" he said. \"Again.\"";
        assert_eq!(spans(text), vec![("\"We won,\"", 0), ("\"Again.\"", 0)]);
        let text = "He called it \"fake\"—then left.";
        assert_eq!(spans(text), vec![("\"fake\"", 0)]);
    }

    #[test]
    fn unclosed_and_stray_marks_are_reported() {
        let p = pair("“We will not back down, the minister said.");
        assert!(p.spans.is_empty());
        assert_eq!(p.open, vec![(TextRange::new(0, 3), 0)]);
        let p = pair("We will not back down,” the minister said.");
        assert_eq!(p.stray_close, vec![TextRange::new(22, 25)]);
        let text = "“A, he said. “B,” she said.";
        let p = pair(text);
        assert_eq!(
            p.spans.iter().map(|s| s.range.of(text)).collect::<Vec<_>>(),
            vec!["“B,”"]
        );
        assert_eq!(p.open, vec![(TextRange::new(0, 3), 0)]);
    }
}
