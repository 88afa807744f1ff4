//! The token stream attribution reads: the words and punctuation of a paragraph *outside*
//! its quotations, with each top-level quotation standing as one token.
//!
//! Contract: tokens are in text order, do not overlap, lie on character boundaries, and carry
//! the index of the sentence they start in. Words keep inner apostrophes, hyphens and periods
//! (`Russia’s`, `Holtz-Eakin`, `U.S.`) and the final period of titles and initials (`Mr.`, `E.`).

use std::borrow::Cow;

use super::lexicon::{CLAIM_VERB, CUE_WORD, Class, PHRASE_START, lexicon};
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
    /// The word-list classes of a word (0 for punctuation and quotations), looked up once.
    pub class: Class,
    /// Whether the token starts with a capital letter.
    pub cap: bool,
    /// A word's lowercase form: its byte range in [`Tokens::lower`] (empty for punctuation
    /// and quotations).
    pub lower: (u32, u32),
}

/// The tokens of a paragraph and the lowercase forms of their words. Kept from paragraph to
/// paragraph so that its buffers are allocated once.
#[derive(Debug, Default)]
pub struct Tokens {
    pub toks: Vec<Tok>,
    /// The paragraph with its ASCII letters in lowercase (where an ASCII word's lowercase form
    /// stands at the word's own offsets), then the lowercase forms of the other words.
    pub lower: String,
    /// Indices of the capitalised words, in order (where full names may start).
    pub caps: Vec<u32>,
    /// Indices of the quotation tokens, in order.
    pub quotes: Vec<usize>,
    /// Indices of the words whose class has one of [`SOURCE_CUES`], in order (where a vague or
    /// anonymous source phrase may start or end).
    pub cued: Vec<u32>,
}

/// The classes of the words [`Tokens::cued`] lists.
pub const SOURCE_CUES: Class = PHRASE_START | CLAIM_VERB | CUE_WORD;

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
                | "Del"
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

/// Whether a byte is an ASCII letter or digit (what [`is_word_char`] says of ASCII).
fn is_ascii_word(b: u8) -> bool {
    ASCII[usize::from(b)] == WORD
}

/// Byte classes: [`WORD`] for ASCII letters and digits (what [`is_word_char`] says of them),
/// [`SPACE`] for what `char::is_whitespace` says of ASCII; 0 for the rest, non-ASCII bytes
/// included.
static ASCII: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = WORD;
        } else if matches!(c, b' ' | b'\t'..=b'\r') {
            t[b] = SPACE;
        }
        b += 1;
    }
    t
};
const WORD: u8 = 1;
const SPACE: u8 = 2;

/// Tokenises `text` into `out`, with `quotes` (top-level quotation ranges, sorted, not
/// overlapping) as single tokens, and `sentences` (sorted ranges) for the sentence index.
/// Each word's lowercase form and word-list classes are found on the way.
pub fn tokenize_into(text: &str, quotes: &[TextRange], sentences: &[TextRange], out: &mut Tokens) {
    let Tokens {
        toks: out,
        lower,
        caps,
        quotes: quote_toks,
        cued,
    } = out;
    out.clear();
    lower.clear();
    caps.clear();
    quote_toks.clear();
    cued.clear();
    let lex = lexicon();
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
    let word_at = |j: usize| -> bool {
        match bytes[j] {
            b if b < 0x80 => is_ascii_word(b),
            _ => is_word_char(char_at(j)),
        }
    };
    // Token starts only grow, so the sentence of each is found by moving a cursor forward:
    // `seen` sentences start at or before the current token, and the next one starts at
    // `next_start` (past the text end when there is none).
    let mut seen = 0;
    let mut next_start = sentences.first().map_or(usize::MAX, |s| s.start);
    let mut sentence_at = |pos: usize| -> usize {
        while pos >= next_start {
            seen += 1;
            next_start = sentences.get(seen).map_or(usize::MAX, |s| s.start);
        }
        seen.saturating_sub(1)
    };
    out.reserve(text.len() / 5);
    lower.push_str(text);
    lower.make_ascii_lowercase();
    let mut q = 0;
    // Where the next quotation not yet passed starts (the text end past the last).
    let mut next_quote = quotes.first().map_or(text.len(), |r| r.start);
    let mut i = 0;
    while i < text.len() {
        if i >= next_quote {
            let r = quotes[q];
            if r.start == i {
                let sentence = sentence_at(r.start);
                quote_toks.push(out.len());
                out.push(Tok {
                    range: r,
                    kind: Kind::Quote(q),
                    sentence,
                    last_sentence: sentence_of(r.end.saturating_sub(1).max(r.start)),
                    class: 0,
                    cap: false,
                    lower: (0, 0),
                });
                i = r.end.max(i + 1);
            }
            q += 1;
            next_quote = quotes.get(q).map_or(text.len(), |r| r.start);
            continue;
        }
        let b = bytes[i];
        let (c_len, word, cap) = if b < 0x80 {
            match ASCII[usize::from(b)] {
                SPACE => {
                    i += 1;
                    continue;
                }
                t => (1, t == WORD, b.is_ascii_uppercase()),
            }
        } else {
            let c = char_at(i);
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            (c.len_utf8(), is_word_char(c), c.is_uppercase())
        };
        let sentence = sentence_at(i);
        if !word {
            out.push(Tok {
                range: TextRange::new(i, i + c_len),
                kind: Kind::Punct,
                sentence,
                last_sentence: sentence,
                class: 0,
                cap,
                lower: (0, 0),
            });
            i += c_len;
            // The space that most often follows, skipped here rather than by the loop.
            if i < next_quote && bytes[i] == b' ' {
                i += 1;
            }
            continue;
        }
        let start = i;
        let mut ascii = b < 0x80;
        let mut j = i + c_len;
        loop {
            // The common case, with no character to decode.
            j += bytes[j..next_quote]
                .iter()
                .position(|&b| !is_ascii_word(b))
                .unwrap_or(next_quote - j);
            if j >= next_quote {
                break;
            }
            let d = bytes[j];
            if d < 0x80 {
                // Not a letter or digit: a word goes on only past an inner mark before one.
                if matches!(d, b'\'' | b'-' | b'.' | b'&') && j + 1 < next_quote && word_at(j + 1) {
                    j += 1;
                    continue;
                }
                break;
            }
            let d = char_at(j);
            let after = j + d.len_utf8();
            if is_word_char(d) || d == '’' && after < next_quote && word_at(after) {
                ascii = false;
                j = after;
            } else {
                break;
            }
        }
        if j < next_quote && bytes[j] == b'.' && keeps_period(&text[start..j]) {
            j += 1;
        }
        let (lo, hi) = if ascii {
            (start, j)
        } else {
            let at = lower.len();
            lower.push_str(&self::lower(&text[start..j]));
            (at, lower.len())
        };
        let class = lex.class(&lower[lo..hi]);
        let at = out.len() as u32;
        if cap {
            caps.push(at);
        }
        if class & SOURCE_CUES != 0 {
            cued.push(at);
        }
        out.push(Tok {
            range: TextRange::new(start, j),
            kind: Kind::Word,
            sentence,
            last_sentence: sentence,
            class,
            cap,
            lower: (lo as u32, hi as u32),
        });
        i = j;
        if i < next_quote && bytes[i] == b' ' {
            i += 1;
        }
    }
}

/// [`tokenize_into`] a fresh buffer.
#[cfg(test)]
pub fn tokenize(text: &str, quotes: &[TextRange], sentences: &[TextRange]) -> Vec<Tok> {
    let mut out = Tokens::default();
    tokenize_into(text, quotes, sentences, &mut out);
    out.toks
}

/// A word in lowercase, borrowed when it already is.
pub fn lower(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
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

    /// The listed tokens are the capitalised words and the source-cue words, in order.
    #[test]
    fn capitalised_and_cue_words_listed() {
        let texts = [
            "Mr. Holtz-Eakin, of the U.S., said “no” to Russia’s plan.",
            "According to people familiar with the talks, Élodie Durand WROTE that critics fear it.",
            "“It is understood,” one source told Reuters. Officials, who spoke on condition, declined.",
        ];
        let mut out = Tokens::default();
        for text in texts {
            let q: Vec<TextRange> = text
                .find('“')
                .zip(text.find('”'))
                .map(|(s, e)| TextRange::new(s, e + '”'.len_utf8()))
                .into_iter()
                .collect();
            tokenize_into(text, &q, &[TextRange::new(0, text.len())], &mut out);
            let want = |f: &dyn Fn(&Tok) -> bool| -> Vec<u32> {
                (0..out.toks.len() as u32)
                    .filter(|&i| f(&out.toks[i as usize]))
                    .collect()
            };
            let caps = want(&|t| t.kind == Kind::Word && t.cap);
            let quotes = want(&|t| matches!(t.kind, Kind::Quote(_)));
            let quotes: Vec<usize> = quotes.into_iter().map(|i| i as usize).collect();
            assert_eq!(out.quotes, quotes, "{text}");
            assert_eq!(quotes.len(), usize::from(text.contains('“')), "{text}");
            let cued = want(&|t| t.kind == Kind::Word && t.class & SOURCE_CUES != 0);
            assert_eq!(out.caps, caps, "{text}");
            assert_eq!(out.cued, cued, "{text}");
            assert!(caps.len() >= 2 && !cued.is_empty(), "{text}");
        }
    }
}
