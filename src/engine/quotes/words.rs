//! The token stream attribution reads: the words and punctuation of a paragraph *outside*
//! its quotations, with each top-level quotation standing as one token.
//!
//! Contract: tokens are in text order, do not overlap, lie on character boundaries, and carry
//! the index of the sentence they start in. Words keep inner apostrophes, hyphens and periods
//! (`Russia’s`, `Holtz-Eakin`, `U.S.`) and the final period of titles and initials (`Mr.`, `E.`).

use std::borrow::Cow;

use crate::engine::text::TextRange;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Punct,
    /// A top-level quotation: index into the paragraph's quotation list.
    Quote(usize),
}

/// One token.
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub range: TextRange,
    pub kind: Kind,
    /// Index of the sentence the token starts in.
    pub sentence: usize,
    /// For a quotation: index of the sentence its last character lies in.
    pub last_sentence: usize,
}

/// Abbreviations whose period belongs to the word.
fn keeps_period(word: &str) -> bool {
    let mut chars = word.chars();
    let single_capital =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    single_capital
        || word.contains('.')
        || matches!(
            word,
            "Mr" | "Mrs"
                | "Ms"
                | "Mx"
                | "Dr"
                | "Prof"
                | "Sen"
                | "Rep"
                | "Gov"
                | "Gen"
                | "Lt"
                | "Col"
                | "Sgt"
                | "Capt"
                | "Adm"
                | "Rev"
                | "Hon"
                | "Pres"
                | "Amb"
                | "Atty"
                | "St"
                | "Jr"
                | "Sr"
                | "Jan"
                | "Feb"
                | "Aug"
                | "Sept"
                | "Sep"
                | "Oct"
                | "Nov"
                | "Dec"
                | "Lt.Gov"
                | "Supt"
                | "Insp"
                | "Det"
                | "Cmdr"
                | "Maj"
        )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Tokenises `text`, with `quotes` (top-level quotation ranges, sorted, not overlapping) as single
/// tokens, and `sentences` (sorted ranges) for the sentence index.
pub fn tokenize(text: &str, quotes: &[TextRange], sentences: &[TextRange]) -> Vec<Tok> {
    let sentence_of = |pos: usize| -> usize {
        // The last sentence starting at or before `pos`.
        sentences
            .partition_point(|s| s.start <= pos)
            .saturating_sub(1)
    };
    let bytes = text.as_bytes();
    // The character at byte `j` (a character boundary), read by byte when it is ASCII.
    let char_at = |j: usize| -> char {
        match bytes[j] {
            b if b < 0x80 => b as char,
            _ => text[j..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        }
    };
    // Token starts only grow, so the sentence of each is found by moving a cursor forward:
    // `seen` sentences start at or before the current token.
    let mut seen = 0;
    let mut sentence_at = |pos: usize| -> usize {
        while seen < sentences.len() && sentences[seen].start <= pos {
            seen += 1;
        }
        seen.saturating_sub(1)
    };
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut q = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(r) = quotes.get(q)
            && r.start <= i
        {
            if r.start == i {
                out.push(Tok {
                    range: *r,
                    kind: Kind::Quote(q),
                    sentence: sentence_at(r.start),
                    last_sentence: sentence_of(r.end.saturating_sub(1).max(r.start)),
                });
                i = r.end.max(i + 1);
            }
            q += 1;
            continue;
        }
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let c = char_at(i);
        let next_quote = quotes.get(q).map_or(text.len(), |r| r.start);
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let (end, kind) = if is_word_char(c) {
            let start = i;
            let mut j = i + c.len_utf8();
            while j < next_quote {
                if bytes[j].is_ascii_alphanumeric() {
                    // The common case, with no character to decode.
                    j += 1;
                    continue;
                }
                let d = char_at(j);
                let after = j + d.len_utf8();
                if is_word_char(d)
                    || matches!(d, '\'' | '’' | '-' | '.' | '&')
                        && after < next_quote
                        && is_word_char(char_at(after))
                {
                    j = after;
                } else {
                    break;
                }
            }
            if j < next_quote && bytes[j] == b'.' && keeps_period(&text[start..j]) {
                j += 1;
            }
            (j, Kind::Word)
        } else {
            (i + c.len_utf8(), Kind::Punct)
        };
        let sentence = sentence_at(i);
        out.push(Tok {
            range: TextRange::new(i, end),
            kind,
            sentence,
            last_sentence: sentence,
        });
        i = end;
    }
    out
}

/// A word in lowercase, borrowed when it already is.
pub fn lower(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Whether a word starts with a capital letter.
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_punctuation_and_quotes() {
        let text = "Mr. Holtz-Eakin, of the U.S., said “no” to Russia’s plan.";
        let q = TextRange::new(text.find('“').unwrap(), text.find(" to").unwrap());
        let toks = tokenize(text, &[q], &[TextRange::new(0, text.len())]);
        let got: Vec<&str> = toks.iter().map(|t| t.range.of(text)).collect();
        assert_eq!(
            got,
            vec![
                "Mr.",
                "Holtz-Eakin",
                ",",
                "of",
                "the",
                "U.S.",
                ",",
                "said",
                "“no”",
                "to",
                "Russia’s",
                "plan",
                "."
            ]
        );
        assert!(matches!(toks[8].kind, Kind::Quote(0)));
    }
}
