//! Sentences. Built on Unicode sentence boundaries (UAX #29, `unicode-segmentation`), then
//! repaired where news copy fools them: abbreviations ("Mr.", "U.S.", "Sept.", "Gen."), initials
//! ("John F. Kennedy") and "a.m."/"p.m." before a name do not end a sentence.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use unicode_segmentation::UnicodeSegmentation;

use super::text::TextRange;

/// Abbreviations that end with a period but rarely end a sentence (compared without the
/// period, case-sensitively).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sr", "Jr", "St", "Sen", "Sens", "Rep", "Reps", "Gov",
    "Lt", "Gen", "Col", "Maj", "Capt", "Cmdr", "Sgt", "Adm", "Rev", "Hon", "Pres", "Supt", "Insp",
    "Det", "Amb", "Atty", "Messrs", "Mme", "Mlle", "Fr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs",
    "Fri", "Sat", "Sun", "No", "Nos", "Vol", "vs", "v", "etc", "approx", "Inc", "Corp", "Co",
    "Ltd", "Bros", "Ave", "Blvd", "Rd", "Mt", "Ft", "Calif", "Mass", "Conn", "Penn", "Fla", "Ga",
    "Ill", "Ind", "Mich", "Minn", "Wash", "Wis", "Ariz", "Colo", "Okla", "Ore", "Tenn", "Tex",
    "Va", "Ky", "La", "Md", "Mo", "Neb", "Nev", "Del", "Ala", "Ark", "Kan", "Miss", "Mont", "Vt",
    "Wyo", "e.g", "i.e", "U.S", "U.K", "U.N", "E.U", "D.C", "a.m", "p.m", "Ph.D", "cf", "al",
];

fn is_abbreviation(word: &str) -> bool {
    // Looked up in a hash set built once, not compared with each abbreviation in turn.
    static LISTED: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| ABBREVIATIONS.iter().copied().collect());
    let w = word.trim_end_matches('.');
    if LISTED.contains(w) {
        return true;
    }
    // Single capital initials ("F.") and dotted acronyms ("U.S.A.", "N.Y.").
    let mut chars = w.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_uppercase() => true,
        _ => {
            w.len() >= 3
                && w.split('.')
                    .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
        }
    }
}

/// The last word of a fragment that ends with a period, if it does: what follows the last
/// white space or opening mark (`(“"‘'[`). Read back a byte at a time; only non-ASCII
/// characters are decoded.
fn last_word_before_period(frag: &str) -> Option<&str> {
    let t = frag.trim_end();
    if !t.ends_with('.') {
        return None;
    }
    let b = t.as_bytes();
    let mut start = b.len();
    while let Some(&c) = start.checked_sub(1).and_then(|i| b.get(i)) {
        if c.is_ascii() {
            // `char::is_whitespace` on ASCII: tab to carriage return, and the space.
            if matches!(c, b'\t'..=b'\r' | b' ' | b'(' | b'"' | b'\'' | b'[') {
                break;
            }
            start -= 1;
        } else {
            let Some(ch) = t.get(..start).and_then(|h| h.chars().next_back()) else {
                break;
            };
            if ch.is_whitespace() || ch == '“' || ch == '‘' {
                break;
            }
            start -= ch.len_utf8();
        }
    }
    t.get(start..)
}

/// [`last_word_before_period`] as `str::rfind` finds it: the bytewise reading must agree.
#[cfg(test)]
fn last_word_before_period_reference(frag: &str) -> Option<&str> {
    let t = frag.trim_end();
    if !t.ends_with('.') {
        return None;
    }
    let start = t
        .rfind(|c: char| c.is_whitespace() || "(“\"‘'[".contains(c))
        .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
    Some(&t[start..])
}

/// Whether `c` is a character the windowed segmentation knows how to treat: ASCII, Latin
/// letters, no-break space, the common dashes, quotation marks, ellipsis and currency signs.
/// None of these can end a sentence (except ASCII `.`, `!`, `?` and line breaks), and none
/// is a combining mark or format character, which UAX #29 attaches to the character before.
fn known(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7f}'
        | '\u{a0}'..='\u{ac}'
        | '\u{ae}'..='\u{24f}'
        | '\u{2000}'..='\u{200a}'
        | '\u{2010}'..='\u{2023}'
        | '\u{2025}'..='\u{2027}'
        | '\u{2030}'..='\u{203b}'
        | '\u{20a0}'..='\u{20cf}')
}

/// Whether `c` is certainly a letter (UAX #29 `Upper`, `Lower` or `OLetter`) among the
/// [`known`] characters.
fn letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{aa}' | '\u{b5}' | '\u{ba}')
        || (('\u{c0}'..='\u{24f}').contains(&c) && c != '\u{d7}' && c != '\u{f7}')
}

/// Whether `c` may be part of the run a sentence ends with: a terminator, closing
/// punctuation or a space (UAX #29 `SATerm`, `Close`, `Sp`). Unsure characters count as such.
fn maybe_ending(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '"'
            | '\''
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | ' '
            | '\t'
            | '\u{b}'
            | '\u{c}'
    ) || (!c.is_ascii() && !letter(c))
}

/// The ends of the UAX #29 sentence fragments of `text`, in order, exactly as
/// `split_sentence_bound_indices` of the unicode-segmentation crate gives them.
///
/// Running the segmenter over every character is the costliest part of reading a paragraph,
/// yet a sentence can only end after a line break or after a terminator (`.`, `!`, `?`)
/// followed by closing marks and spaces. So the segmenter runs only over a window around each
/// terminator: from the last character before it that is not part of such an ending run (the
/// segmenter keeps no state across such a character, except that a letter right before the
/// terminator matters, and it is included), to the first letter, line break or terminator
/// after it (the furthest the rules look ahead). Boundaries inside a window are the
/// segmenter's; the window's own end is not a boundary unless it is the end of the text. Every
/// line break ends a fragment (`\r\n` as one). Text with characters outside [`known`] goes
/// through the segmenter whole. Tests compare both ways on generated and random text.
#[cfg(test)]
fn fragment_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    fragment_ends_into(text, &mut Vec::new(), &mut ends);
    ends
}

/// The ends of `text`'s fragments (as `fragment_ends`, the form the tests use) into `ends`
/// (cleared first), with a buffer for the windows.
fn fragment_ends_into(text: &str, windows: &mut Vec<(usize, usize)>, ends: &mut Vec<usize>) {
    windows.clear();
    ends.clear();
    if !all_known(text) {
        ends.extend(
            text.split_sentence_bound_indices()
                .map(|(start, frag)| start + frag.len()),
        );
        return;
    }
    let b = text.as_bytes();
    for k in memchr::memchr3_iter(b'.', b'!', b'?', b) {
        // Back to the character that starts the window.
        let mut ws = 0;
        for (j, c) in text[..k].char_indices().rev() {
            if c == '\n' || c == '\r' {
                ws = j + 1;
                break;
            }
            if !maybe_ending(c) {
                ws = j;
                break;
            }
        }
        // Forward to the first letter, line break or terminator.
        let mut we = text.len();
        for (j, c) in text[k + 1..].char_indices() {
            let j = k + 1 + j;
            if letter(c) || matches!(c, '\n' | '.' | '!' | '?') {
                we = j + c.len_utf8();
                break;
            }
            if c == '\r' {
                we = j + if b.get(j + 1) == Some(&b'\n') { 2 } else { 1 };
                break;
            }
        }
        match windows.last_mut() {
            Some(last) if ws <= last.1 => last.1 = last.1.max(we),
            _ => windows.push((ws, we)),
        }
    }
    for &(ws, we) in windows.iter() {
        if joined_period(text, ws, we) {
            if we == text.len() {
                ends.push(we);
            }
            continue;
        }
        if let Some(at) = plain_ending(text, ws, we) {
            ends.push(at);
            if we == text.len() {
                ends.push(we);
            }
            continue;
        }
        known_fragment_ends(&text[ws..we], |e| {
            let end = ws + e;
            if end < we || we == text.len() {
                ends.push(end);
            }
        });
    }
    for k in memchr::memchr2_iter(b'\n', b'\r', b) {
        if b[k] == b'\n' || b.get(k + 1) != Some(&b'\n') {
            ends.push(k + 1);
        }
    }
    if !text.is_empty() {
        ends.push(text.len());
    }
    ends.sort_unstable();
    ends.dedup();
}

/// The one boundary of the commonest windows, found without running the segmenter: one
/// character, a single terminator, closing marks (`Close*`), then either
/// - one or more spaces, opening quotation marks or brackets, and an ASCII capital that ends the
///   window (`word. The`, `said.” “We`): UAX #29 breaks after the spaces (SB11), because SB6
///   and SB7 need the next character right after the terminator, SB8's look-ahead stops at an
///   `Upper` (the marks in between are `Close`, which it skips), SB8a needs `SContinue` or a
///   terminator right after the spaces, and SB9 and SB10 do not apply after a space to a mark
///   or a letter;
/// - or spaces and the window's line break (SB4, SB11), or spaces to the end of the text
///   (SB2): the window ends the fragment.
///
/// Any other window goes through the segmenter.
fn plain_ending(text: &str, ws: usize, we: usize) -> Option<usize> {
    // As `matches!` closures rather than slices of characters: one comparison chain per
    // character instead of a loop over the slice.
    const CLOSE: fn(char) -> bool = |c| matches!(c, '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»');
    const OPEN: fn(char) -> bool = |c| matches!(c, '"' | '\'' | '(' | '[' | '“' | '‘' | '«');
    // The first character may be any character; the terminator must follow it directly.
    let first = ws + text[ws..we].chars().next()?.len_utf8();
    if !matches!(text.as_bytes().get(first), Some(b'.' | b'!' | b'?')) {
        return None;
    }
    let rest = &text[first + 1..we];
    let after_close = rest.trim_start_matches(CLOSE);
    let after_spaces = after_close.trim_start_matches(' ');
    let opened = after_spaces.len() < after_close.len();
    let at = we - after_spaces.len();
    match after_spaces.as_bytes() {
        [] if we == text.len() => Some(we),
        [b'\n'] | [b'\r'] | [b'\r', b'\n'] => Some(we),
        _ if opened => {
            let capital = after_spaces.trim_start_matches(OPEN);
            (capital.len() == 1 && capital.as_bytes()[0].is_ascii_uppercase()).then_some(at)
        }
        _ => None,
    }
}

/// The UAX #29 sentence-break classes of the [`known`] characters (those the windows hold).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SentenceCat {
    Other,
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    OLetter,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

/// The [`SentenceCat`] of a [`known`] character, as unicode-segmentation's tables give it (a
/// test compares them, through the breaks they cause, for every known character).
fn sentence_cat(c: char) -> SentenceCat {
    use SentenceCat::*;
    match c {
        'a'..='z' => Lower,
        'A'..='Z' => Upper,
        '0'..='9' => Numeric,
        ' ' | '\t' | '\u{b}' | '\u{c}' | '\u{a0}' | '\u{2000}'..='\u{200a}' => Sp,
        '.' => ATerm,
        '!' | '?' => STerm,
        ',' | '-' | ':' | ';' | '\u{2013}' | '\u{2014}' => SContinue,
        '"'
        | '\''
        | '('
        | ')'
        | '['
        | ']'
        | '{'
        | '}'
        | '«'
        | '»'
        | '\u{2018}'..='\u{201f}'
        | '‹'
        | '›' => Close,
        '\r' => Cr,
        '\n' => Lf,
        // Title case counts as upper case; the other letters of Latin Extended-B that are
        // neither case are `OLetter`.
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}' => Upper,
        '\u{1bb}' | '\u{1c0}'..='\u{1c3}' => OLetter,
        c if c.is_lowercase() => Lower,
        c if c.is_uppercase() => Upper,
        _ => Other,
    }
}

/// What the segmenter remembers of the text before a character: the classes of the last four
/// runs, a run of closing marks or of spaces counting as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Cr,
    Lf,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

/// The fragment ends (every boundary after the start) of a text of [`known`] characters,
/// exactly as unicode-segmentation's `split_sentence_bound_indices` gives them: its forward
/// state machine (UAX #29 rules SB1 to SB11 and SB998), with [`sentence_cat`] for its table
/// look-ups. Several times quicker on the short windows it is used for; the tests compare both.
fn known_fragment_ends(text: &str, mut end: impl FnMut(usize)) {
    use SentenceCat as C;
    let mut parts = [Part::Sot; 4];
    // `parts[idx]` after skipping a final run of spaces, then one of closing marks: whether a
    // terminator ends what came before (SB8a, with `SpPlus` skipped; SB9 without).
    let terminated_at =
        |parts: &[Part; 4], idx: usize| matches!(parts[idx], Part::ATerm | Part::STerm);
    let skip_sp_close = |parts: &[Part; 4]| {
        let mut idx = if parts[3] == Part::SpPlus { 2 } else { 3 };
        if parts[idx] == Part::ClosePlus {
            idx -= 1;
        }
        idx
    };
    for (pos, c) in text.char_indices() {
        let before = parts;
        let cat = sentence_cat(c);
        // The state after this character.
        let collapse = matches!(
            (parts[3], cat),
            (Part::ClosePlus, C::Close) | (Part::SpPlus, C::Sp)
        );
        if !collapse {
            parts = [
                parts[1],
                parts[2],
                parts[3],
                match cat {
                    C::Cr => Part::Cr,
                    C::Lf => Part::Lf,
                    C::ATerm => Part::ATerm,
                    C::Upper | C::Lower => Part::UpperLower,
                    C::Close => Part::ClosePlus,
                    C::Sp => Part::SpPlus,
                    C::STerm => Part::STerm,
                    _ => Part::Other,
                },
            ];
        }
        let last = before[3];
        let boundary = if last == Part::Sot {
            // SB1: the start, which ends no fragment.
            false
        } else if cat == C::Lf && last == Part::Cr {
            // SB3
            false
        } else if matches!(last, Part::Cr | Part::Lf) {
            // SB4
            true
        } else if cat == C::Numeric && last == Part::ATerm {
            // SB6
            false
        } else if cat == C::Upper && before[2] == Part::UpperLower && last == Part::ATerm {
            // SB7
            false
        } else if before[skip_sp_close(&before)] == Part::ATerm
            && text[pos..]
                .chars()
                .map(sentence_cat)
                .find(|c| !matches!(c, C::Other | C::Sp | C::Numeric | C::Close | C::SContinue))
                == Some(C::Lower)
        {
            // SB8: ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower
            false
        } else if matches!(cat, C::SContinue | C::STerm | C::ATerm)
            && terminated_at(&before, skip_sp_close(&before))
        {
            // SB8a
            false
        } else if matches!(cat, C::Close | C::Sp | C::Cr | C::Lf)
            && terminated_at(&before, if last == Part::ClosePlus { 2 } else { 3 })
        {
            // SB9
            false
        } else if matches!(cat, C::Sp | C::Cr | C::Lf)
            && terminated_at(&before, skip_sp_close(&before))
        {
            // SB10
            false
        } else {
            // SB11: SATerm Close* Sp* ParaSep? ÷
            let mut idx = if matches!(last, Part::Cr | Part::Lf) {
                2
            } else {
                3
            };
            if before[idx] == Part::SpPlus {
                idx -= 1;
            }
            if before[idx] == Part::ClosePlus {
                idx -= 1;
            }
            terminated_at(&before, idx)
        };
        if boundary {
            end(pos);
        }
    }
    // SB2: the end of a non-empty text.
    if !text.is_empty() {
        end(text.len());
    }
}

/// Whether a window holds no boundary, seen without running the segmenter: one character, a
/// period, then at once a digit ("2.5 million": SB6) or a lower-case ASCII letter ("e.g",
/// "5.x": SB8), and no other terminator or line break up to the window's end. A sentence can
/// only end after a terminator (SB11), and SB6 and SB8 keep this one from ending one.
fn joined_period(text: &str, ws: usize, we: usize) -> bool {
    let Some(c) = text.get(ws..we).and_then(|w| w.chars().next()) else {
        return false;
    };
    let first = ws + c.len_utf8();
    let b = text.as_bytes();
    matches!(b.get(first..first + 2), Some([b'.', n]) if n.is_ascii_digit() || n.is_ascii_lowercase())
        && !b
            .get(first + 2..we)
            .unwrap_or_default()
            .iter()
            .any(|&c| matches!(c, b'.' | b'!' | b'?' | b'\n' | b'\r'))
}

/// Whether every character of `text` is [`known`]. Runs of ASCII (all known) are skipped
/// sixteen bytes at a time (two loads and one test), straight to the first non-ASCII byte;
/// only the other characters are decoded.
fn all_known(text: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = text.as_bytes();
    let word = |c: &[u8]| c.try_into().map_or(HIGH, u64::from_le_bytes);
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 16) {
            let (lo, hi) = chunk.split_at(8);
            let (lo, hi) = (word(lo) & HIGH, word(hi) & HIGH);
            if lo | hi == 0 {
                i += 16;
                continue;
            }
            // The ASCII bytes before the first non-ASCII one (little-endian: the first byte is
            // the lowest).
            i += if lo != 0 {
                lo.trailing_zeros() / 8
            } else {
                8 + hi.trailing_zeros() / 8
            } as usize;
        } else if b[i].is_ascii() {
            i += 1;
            continue;
        }
        // `i` is on a character boundary: only whole characters are ever skipped.
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        if !known(c) {
            return false;
        }
        i += c.len_utf8();
    }
    true
}

/// [`fragment_ends`] by running the segmenter over the whole text.
#[cfg(test)]
fn whole_fragment_ends(text: &str) -> Vec<usize> {
    text.split_sentence_bound_indices()
        .map(|(start, frag)| start + frag.len())
        .collect()
}

/// Sentence ranges of a paragraph, trimmed of surrounding whitespace, in order.
/// The list is allocated once, at its final size.
pub fn sentences(text: &str) -> Vec<TextRange> {
    /// Working buffers, kept from paragraph to paragraph: the windows and fragment ends of
    /// [`fragment_ends_into`], and the sentences.
    type Buffers = (Vec<(usize, usize)>, Vec<usize>, Vec<TextRange>);
    thread_local! {
        static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
    }
    BUFFERS.with(|buffers| match buffers.try_borrow_mut() {
        Ok(mut buffers) => {
            let (windows, ends, out) = &mut *buffers;
            sentences_into(text, windows, ends, out);
            let sentences = out.to_vec();
            // A giant paragraph's buffers are not kept for the life of the thread.
            if ends.capacity() > 1 << 12 {
                *buffers = Buffers::default();
            }
            sentences
        }
        // Not reentrant in practice; fresh buffers keep it correct if it ever is.
        Err(_) => {
            let mut out = Vec::new();
            sentences_into(text, &mut Vec::new(), &mut Vec::new(), &mut out);
            out
        }
    })
}

/// [`sentences`] into `out` (cleared first), with the buffers of [`fragment_ends_into`].
fn sentences_into(
    text: &str,
    windows: &mut Vec<(usize, usize)>,
    ends: &mut Vec<usize>,
    out: &mut Vec<TextRange>,
) {
    out.clear();
    fragment_ends_into(text, windows, ends);
    let mut pending: Option<(usize, usize)> = None;
    let mut start = 0;
    for &end in ends.iter() {
        let frag = &text[start..end];
        let (s, _) = pending.unwrap_or((start, end));
        pending = Some((s, end));
        let merge = last_word_before_period(frag).is_some_and(|w| {
            is_abbreviation(w)
                // "at 3 p.m. The minister…" does end a sentence; "p.m." before a name rarely
                // starts one, so only keep merging when the next word is not a sentence opener.
                && !(matches!(w, "a.m." | "p.m." | "etc.") && next_starts_sentence(&text[end..]))
        });
        if !merge {
            push_trimmed(text, out, s, end);
            pending = None;
        }
        start = end;
    }
    if let Some((s, e)) = pending {
        push_trimmed(text, out, s, e);
    }
}

fn next_starts_sentence(rest: &str) -> bool {
    let w = rest.split_whitespace().next().unwrap_or("");
    matches!(
        w,
        "The" | "A" | "An" | "It" | "He" | "She" | "They" | "We" | "I" | "In" | "But" | "This"
    )
}

fn push_trimmed(text: &str, out: &mut Vec<TextRange>, s: usize, e: usize) {
    let frag = &text[s..e];
    let b = frag.as_bytes();
    // ASCII white space (`char::is_whitespace` but for the vertical tab, which it counts and
    // `is_ascii_whitespace` does not) skipped bytewise; where the first other byte from
    // either end is not ASCII (or is a vertical tab), `str::trim` decides.
    let plain = |c: &u8| !c.is_ascii_whitespace();
    let (Some(lead), Some(last)) = (b.iter().position(plain), b.iter().rposition(plain)) else {
        // All ASCII white space (or empty): nothing to keep.
        return;
    };
    let simple = |c: u8| c.is_ascii() && c != 0x0B;
    let (lead, end) = if simple(b[lead]) && simple(b[last]) {
        (lead, last + 1)
    } else {
        let t = frag.trim();
        if t.is_empty() {
            return;
        }
        let lead = frag.len() - frag.trim_start().len();
        (lead, lead + t.len())
    };
    out.push(TextRange::new(s + lead, s + end));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytewise trim keeps what `str::trim` keeps, with Unicode and vertical-tab white
    /// space at either end.
    #[test]
    fn push_trimmed_trims_as_str_trim() {
        let frags = [
            "",
            " ",
            "\n\t ",
            "a",
            " a ",
            "\u{b}a",
            "a\u{b}",
            "\u{a0}a b\u{2003}",
            "\u{2003}",
            " \u{a0} ",
            "“Yes.” ",
            " é ",
            "\r\nWord\r\n",
            "\u{c}x\u{c}",
            " \u{b} ",
        ];
        for f in frags {
            let text = format!("xy{f}z");
            let mut got = Vec::new();
            push_trimmed(&text, &mut got, 2, 2 + f.len());
            let t = f.trim();
            let want: Vec<TextRange> = if t.is_empty() {
                Vec::new()
            } else {
                let lead = f.len() - f.trim_start().len();
                vec![TextRange::new(2 + lead, 2 + lead + t.len())]
            };
            assert_eq!(got, want, "{f:?}");
        }
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| r.of(text)).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split(
                "Mr. Smith met Sen. Jones in the U.S. Capitol on Sept. 11. John F. Kennedy was there. It rained."
            ),
            vec![
                "Mr. Smith met Sen. Jones in the U.S. Capitol on Sept. 11.",
                "John F. Kennedy was there.",
                "It rained."
            ]
        );
        assert_eq!(
            split("Sens. Jon Tester and Reps. Ann Kuster spoke. They left."),
            vec!["Sens. Jon Tester and Reps. Ann Kuster spoke.", "They left."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            split(
                "“He’s an outcast now.” Since Friday, Putin has had a warrant. “We won,” she said."
            ),
            vec![
                "“He’s an outcast now.”",
                "Since Friday, Putin has had a warrant.",
                "“We won,” she said."
            ]
        );
    }

    /// The windowed segmentation equals the segmenter run over the whole text, on every
    /// paragraph of generated manuscripts (plain and Markdown, ASCII and typographic).
    #[test]
    fn windowed_fragments_equal_whole_text_ones_on_manuscripts() {
        use crate::generate::{Options, manuscript};
        let mut windowed = 0;
        for seed in 0..8 {
            let text = manuscript(&Options {
                seed,
                size: 20_000,
                markdown: seed % 2 == 0,
                ascii: seed % 3 == 0,
            });
            for para in text.split("\n\n") {
                assert_eq!(fragment_ends(para), whole_fragment_ends(para), "{para:?}");
                windowed += usize::from(para.chars().all(known));
            }
        }
        assert!(windowed > 100, "the fast path was taken {windowed} times");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]
        /// The same on random text built from the pieces sentence boundaries depend on:
        /// terminators, closing marks, spaces, line breaks, digits, letters of both cases,
        /// typographic quotes and dashes, and characters outside the fast path.
        #[test]
        fn windowed_fragments_equal_whole_text_ones_on_random_text(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "b", "Z", "É", "é", "ß", "1", "42", ".", "..", "!", "?", "?!", " ", "  ",
                "\t", "\n", "\r", "\r\n", "\"", "'", "(", ")", "[", "]", "“", "”", "‘", "’",
                "«", "»", "…", "—", "–", ",", ":", ";", "-", "&", "\u{a0}", "\u{2009}",
                "Mr", "U.S.", "p.m.", "the", "The", "x", "\u{301}", "\u{ad}", "\u{2024}",
                "。", "\u{2029}", "\u{85}", "ǅ", "\u{1bb}", "×",
            ]), 0..40)
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(all_known(&text), text.chars().all(known), "{:?}", text);
            proptest::prop_assert_eq!(
                last_word_before_period(&text),
                last_word_before_period_reference(&text),
                "{:?}", text
            );
            proptest::prop_assert_eq!(fragment_ends(&text), whole_fragment_ends(&text), "{:?}", text);
        }

        /// The same with the fast path's own characters only, so that every case takes it.
        #[test]
        fn windowed_fragments_equal_whole_text_ones_on_random_plain_text(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "É", "é", "1", ".", "!", "?", " ", "\t", "\n", "\r", "\"", "'", "(",
                ")", "“", "”", "’", "»", "…", "—", ",", ":", "-", "&", "\u{a0}", "\u{2009}",
                "×", "ª", "€", "Mr", "U.S.", "the", "The",
            ]), 0..40)
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(
                last_word_before_period(&text),
                last_word_before_period_reference(&text),
                "{:?}", text
            );
            proptest::prop_assert!(text.chars().all(known));
            proptest::prop_assert_eq!(fragment_ends(&text), whole_fragment_ends(&text), "{:?}", text);
        }
    }

    /// The sentence-break classes of the known characters are the segmenter's: every known
    /// character, in contexts where each class breaks differently (after a period: a digit,
    /// an upper-case or lower-case letter, another letter, a closing mark, a space, a
    /// continuation mark or anything else each leave a different boundary), gives the
    /// segmenter's fragments.
    #[test]
    fn known_fragment_ends_equal_the_segmenters_for_every_known_character() {
        const CONTEXTS: &[&str] = &[
            "@",
            "a. @",
            "a.@",
            "a.@ B",
            "a.@B",
            "@.B",
            "a. @x",
            "@. B",
            "a.”@B",
            "a.@”B",
            "a. @b",
            "a@. b",
            "A.@b",
            "a!@ B",
            "a? @x",
            "@@. @",
            "a.@\nB",
            "@\r\n@. x",
            "U.S. @",
            "a.) @ b",
            "x. 3 @ B",
        ];
        let mut checked = 0;
        for c in (0..=0x20cf)
            .filter_map(char::from_u32)
            .filter(|&c| known(c))
        {
            for context in CONTEXTS {
                let text = context.replace('@', c.encode_utf8(&mut [0; 4]));
                let mut ours = Vec::new();
                known_fragment_ends(&text, |e| ours.push(e));
                assert_eq!(ours, whole_fragment_ends(&text), "{text:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// The bytewise last word stops at the same characters as `str::rfind` with
    /// `char::is_whitespace` and the opening marks: every ASCII character, and a few others.
    #[test]
    fn last_word_stops_where_rfind_does() {
        let others = [
            '\u{85}', '\u{a0}', '\u{2009}', '\u{2028}', '“', '”', '‘', '’', 'é', '…',
        ];
        for c in (0u8..128).map(char::from).chain(others) {
            for text in [format!("a{c}b."), format!("{c}b. "), format!("ab{c}.")] {
                assert_eq!(
                    last_word_before_period(&text),
                    last_word_before_period_reference(&text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn time_of_day_before_a_new_sentence() {
        assert_eq!(
            split("They met at 3 p.m. The talks failed."),
            vec!["They met at 3 p.m.", "The talks failed."]
        );
        assert_eq!(split("Nothing here"), vec!["Nothing here"]);
        assert!(split("   ").is_empty());
    }
}
