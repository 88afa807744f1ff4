//! Quotation marks paired into spans, within one paragraph.
//!
//! Contract: [`pair`] looks at one paragraph of prose and returns the quotation spans it can pair
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

/// Finds the quotation marks of a paragraph, classifying each by its position.
fn marks(text: &str) -> Vec<Mark> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    // Guillemet direction: whichever appears first in the paragraph opens.
    let guillemets_open_left = chars
        .iter()
        .find(|(_, c)| matches!(c, '«' | '»'))
        .is_none_or(|(_, c)| *c == '«');
    let angles_open_left = chars
        .iter()
        .find(|(_, c)| matches!(c, '‹' | '›'))
        .is_none_or(|(_, c)| *c == '‹');
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let next_of = |k: usize| chars.get(k).map(|x| x.1);
        let end_of = |k: usize| chars.get(k).map_or(text.len(), |x| x.0);
        let mut push = |end: usize, family: Family, role: Role| {
            out.push(Mark {
                start: pos,
                end,
                family,
                role,
                glyph: c,
            });
        };
        if c == '<' && next_of(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || n == '/') {
            // An HTML tag left in the copy: its attribute quotes are not quotation marks.
            let mut k = i + 1;
            while k < chars.len() && chars[k].1 != '>' && chars[k].1 != '<' && k - i < 400 {
                k += 1;
            }
            if chars.get(k).is_some_and(|x| x.1 == '>') {
                i = k + 1;
                continue;
            }
        }
        match c {
            '“' | '”' | '"' => {
                let next = next_of(i + 1);
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
                push(end_of(i + 1), Family::Double, role);
            }
            '„' => push(end_of(i + 1), Family::Double, Role::Open),
            '«' | '»' => {
                let opens = (c == '«') == guillemets_open_left;
                push(
                    end_of(i + 1),
                    Family::Double,
                    if opens { Role::Open } else { Role::Close },
                );
            }
            '‹' | '›' => {
                let opens = (c == '‹') == angles_open_left;
                push(
                    end_of(i + 1),
                    Family::Single,
                    if opens { Role::Open } else { Role::Close },
                );
            }
            '`' if next_of(i + 1) == Some('`') => {
                push(end_of(i + 2), Family::Double, Role::Open);
                i += 2;
                continue;
            }
            '\'' if next_of(i + 1) == Some('\'') => {
                // `''` is a double mark (wire style). In a run of three, the single mark is the
                // inner one: `'''` closes `'` then `''`, or opens `''` then `'`.
                let three = next_of(i + 2) == Some('\'');
                let after = next_of(i + if three { 3 } else { 2 });
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
                        end: end_of(i + 1),
                        family: Family::Single,
                        role: Role::CloseOrApostrophe,
                        glyph: '\'',
                    });
                    out.push(Mark {
                        start: end_of(i + 1),
                        end: end_of(i + 3),
                        family: Family::Double,
                        role,
                        glyph: '"',
                    });
                } else if three {
                    out.push(Mark {
                        start: pos,
                        end: end_of(i + 2),
                        family: Family::Double,
                        role,
                        glyph: '"',
                    });
                    out.push(Mark {
                        start: end_of(i + 2),
                        end: end_of(i + 3),
                        family: Family::Single,
                        role: Role::Open,
                        glyph: '\'',
                    });
                } else {
                    out.push(Mark {
                        start: pos,
                        end: end_of(i + 2),
                        family: Family::Double,
                        role,
                        glyph: '"',
                    });
                }
                i += if three { 3 } else { 2 };
                continue;
            }
            '\'' | '’' | '‘' | '‚' => {
                let next = next_of(i + 1);
                let alnum = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
                // Inside a word: don’t, Russia’s, o’clock.
                if alnum(prev) && alnum(next) {
                    i += 1;
                    continue;
                }
                // Elided digits or letters: the ’90s, ’em, rock ’n’ roll.
                if next.is_some_and(|n| n.is_ascii_digit()) && c != '‚' {
                    i += 1;
                    continue;
                }
                if matches!(next, Some('n' | 'N'))
                    && matches!(next_of(i + 2), Some('\'' | '’'))
                    && next_of(i + 3).is_none_or(char::is_whitespace)
                {
                    i += 3;
                    continue;
                }
                let (o, cl) = (opening_context(prev, next), closing_context(prev, next));
                let role = match c {
                    '‚' if o => Role::Open,
                    '‚' => {
                        i += 1;
                        continue;
                    }
                    '‘' if cl && !o => Role::CloseOrApostrophe,
                    '‘' => Role::Open,
                    '’' if cl => Role::CloseOrApostrophe,
                    '’' => {
                        // ’tis, ’cause: an apostrophe at a word start.
                        i += 1;
                        continue;
                    }
                    _ if o && !cl => Role::Open,
                    _ if cl => Role::CloseOrApostrophe,
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                push(end_of(i + 1), Family::Single, role);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Pairs the quotation marks of one paragraph.
pub fn pair(text: &str) -> Pairing {
    let mut stack: Vec<Mark> = Vec::new();
    let mut result = Pairing::default();
    let mut dropped_open = Vec::new();
    for m in marks(text) {
        let has_open = |stack: &[Mark], fam: Family| stack.iter().rposition(|s| s.family == fam);
        let role = match m.role {
            Role::Either => {
                if has_open(&stack, m.family).is_some() {
                    Role::Close
                } else {
                    Role::Open
                }
            }
            Role::CloseOrApostrophe => {
                if has_open(&stack, Family::Single).is_some() {
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
                    && let Some(k) = has_open(&stack, Family::Double)
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
                match has_open(&stack, m.family) {
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
            result.open.push((TextRange::new(s.start, s.end), k));
        }
    }
    dropped_open.append(&mut result.open);
    dropped_open.sort_by_key(|(r, _)| r.start);
    result.open = dropped_open;
    result.spans.sort_by_key(|s| s.range.start);
    result
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
