//! Where the prose is: front matter, blocks, and (in [`crate::engine::paragraph`]) the prose
//! mask that blanks out what is not prose.
//!
//! [`layout`] is a cheap line scan over the whole document. It finds the YAML front matter and
//! cuts the rest into *blocks*: runs of lines between blank lines, except that a fenced code
//! block or an HTML comment stays in one block even when it holds blank lines. Blocks are the
//! unit of caching: a keystroke changes one block, and only that block is scanned again.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::Format;
use super::text::TextRange;

/// YAML front matter between `---` lines at the very top of a Markdown file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrontMatter {
    /// The whole block, both `---` lines included.
    pub range: TextRange,
    /// Top-level keys and their values, kept for later use.
    pub fields: BTreeMap<String, serde_json::Value>,
    /// `date:` when it holds a date (a timestamp counts by its date part).
    pub date: Option<Date>,
    /// The bytes of the `date:` value, for hover and fixes.
    pub date_range: Option<TextRange>,
    /// Why the YAML could not be read, if it could not.
    pub error: Option<String>,
}

/// The document cut into front matter and blocks.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub range: TextRange,
}

/// Iterates over lines as (start, end-without-line-break, end-with-line-break).
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let mut i =
            memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |n| start + n);
        let end = i;
        if i < bytes.len() {
            if bytes[i] == b'\r' && i + 1 < bytes.len() && bytes[i + 1] == b'\n' {
                i += 2;
            } else {
                i += 1;
            }
        }
        pos = i;
        Some((start, end, i))
    })
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// The fence of a fenced code block opening on this line (its character and length).
fn fence(line: &str) -> Option<(u8, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    if n < 3 || (c == b'`' && t[n..].contains('`')) {
        return None;
    }
    Some((c, n))
}

fn closes_fence(line: &str, (c, n): (u8, usize)) -> bool {
    let t = line.trim_start_matches(' ');
    let m = t.bytes().take_while(|&b| b == c).count();
    m >= n && is_blank(&t[m..])
}

/// Cuts `text` into front matter (Markdown only) and blocks.
pub fn layout(text: &str, format: Format) -> Layout {
    let mut front_matter = None;
    let mut body_start = 0;
    if format == Format::Markdown
        && let Some(fm) = front_matter_of(text)
    {
        body_start = fm.range.end;
        front_matter = Some(fm);
    }
    let mut blocks = Vec::new();
    blocks_from(text, body_start, format, &mut blocks, |_| false);
    Layout {
        front_matter,
        blocks,
    }
}

/// Cuts `text[from..]` into blocks and appends them to `blocks`.
///
/// `from` must be a place where the scan is in its top-level state: outside any fence or
/// comment, with no block open. That holds at the start of the body and at the start of every
/// block [`layout`] reports, which is what lets [`super::Analyzer`] re-cut only the part of a
/// document an edit touched. Before a block opens at offset `start`, `stop(start)` is asked; if it
/// says yes, the scan stops and returns `Some(start)` (that block is not appended).
pub fn blocks_from(
    text: &str,
    from: usize,
    format: Format,
    blocks: &mut Vec<Block>,
    mut stop: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let mut current: Option<(usize, usize)> = None; // (start, end-without-trailing-break)
    let mut open_fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let body = text.get(from..).unwrap_or_default();
    let markdown = format == Format::Markdown;
    for (s, e, _) in lines(body) {
        let (s, e) = (s + from, e + from);
        let line = &text[s..e];
        let inside = open_fence.is_some() || in_comment;
        if !inside && is_blank(line) {
            if let Some((bs, be)) = current.take() {
                blocks.push(Block {
                    range: TextRange::new(bs, be),
                });
            }
            continue;
        }
        match &mut current {
            Some((_, be)) => *be = e,
            None => {
                if stop(s) {
                    return Some(s);
                }
                current = Some((s, e));
            }
        }
        if markdown {
            if let Some(f) = open_fence {
                if closes_fence(line, f) {
                    open_fence = None;
                }
            } else if in_comment {
                if line.contains("-->") {
                    in_comment = false;
                }
            } else if let Some(f) = fence(line) {
                open_fence = Some(f);
            } else if memchr::memchr(b'<', line.as_bytes()).is_some()
                && let Some(i) = line.rfind("<!--")
            {
                in_comment = !line[i..].contains("-->");
            }
        }
    }
    if let Some((bs, be)) = current {
        blocks.push(Block {
            range: TextRange::new(bs, be),
        });
    }
    None
}

/// Reads YAML front matter opening on the first line (after an optional byte-order mark).
pub fn front_matter_of(text: &str) -> Option<FrontMatter> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut it = lines(&text[start..]).map(|(s, e, n)| (s + start, e + start, n + start));
    let (s0, e0, _) = it.next()?;
    if text[s0..e0].trim_end() != "---" {
        return None;
    }
    let mut body_start = None;
    for (s, e, next) in it {
        let body_start = *body_start.get_or_insert(s);
        let line = text[s..e].trim_end();
        if line == "---" || line == "..." {
            let yaml = &text[body_start..s];
            let mut fm = FrontMatter {
                range: TextRange::new(s0, next),
                fields: BTreeMap::new(),
                date: None,
                date_range: None,
                error: None,
            };
            if let Some(fields) = plain_yaml(yaml) {
                fm.fields = fields;
            } else if !yaml.trim().is_empty() {
                match serde_saphyr::from_str::<serde_json::Value>(yaml) {
                    Ok(serde_json::Value::Object(map)) => fm.fields = map.into_iter().collect(),
                    Ok(serde_json::Value::Null) => {}
                    Ok(_) => {
                        fm.error = Some("front matter is not a table of `key: value` lines".into())
                    }
                    Err(e) => {
                        fm.error = Some(
                            e.to_string()
                                .lines()
                                .next()
                                .unwrap_or("invalid YAML")
                                .to_string(),
                        )
                    }
                }
            }
            // Find the `date:` line for its byte range; the value comes from the parsed YAML
            // when there is one, else from the line itself.
            for (ls, le, _) in lines(yaml) {
                let line = &yaml[ls..le];
                if let Some(rest) = line.strip_prefix("date:") {
                    let vs = ls + 5 + (rest.len() - rest.trim_start().len());
                    let raw = rest.trim().trim_matches(['"', '\'']);
                    if let Some(d) = super::config::parse_date(raw) {
                        let quoted = rest.trim().starts_with(['"', '\'']);
                        let vs = body_start + vs + usize::from(quoted);
                        fm.date = Some(d);
                        fm.date_range = Some(TextRange::new(vs, vs + raw.len().min(10)));
                    }
                    break;
                }
            }
            return Some(fm);
        }
    }
    None
}

/// The fields of front matter made only of the plainest `key: value` lines, read without a
/// YAML parser (setting one up costs more than the rest of the layout): `None` for anything
/// else, which the parser reads. Each line is a key (an ASCII letter, then letters, digits,
/// `_` and `-`), a colon, spaces and a value: a plain word-like scalar ([`plain_scalar`]), a
/// quoted string without escapes or inner quotes, or a flow list of plain scalars. Blank lines
/// are skipped; a key given twice, a comment, indentation, a tab or an empty value goes to the
/// parser. A test compares both on generated front matter and on random lines of tricky values.
fn plain_yaml(yaml: &str) -> Option<BTreeMap<String, serde_json::Value>> {
    use serde_json::Value;
    let mut fields = BTreeMap::new();
    for (s, e, _) in lines(yaml) {
        let line = &yaml[s..e];
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        let key_ok = key.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && !yaml_special_word(key);
        if !key_ok {
            return None;
        }
        let raw = rest.strip_prefix(' ')?.trim_matches(' ');
        let value = if let Some(items) = raw.strip_prefix('[') {
            let items = items.strip_suffix(']')?;
            if items.is_empty() {
                Value::Array(Vec::new())
            } else {
                let items: Option<Vec<Value>> = items
                    .split(',')
                    .map(|item| plain_scalar(item.trim_matches(' ')))
                    .collect();
                Value::Array(items?)
            }
        } else if let [q @ (b'"' | b'\''), .., last] = *raw.as_bytes()
            && last == q
        {
            let inner = &raw[1..raw.len() - 1];
            let odd = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}');
            if inner.contains([char::from(q), '\\']) || inner.contains(odd) {
                return None;
            }
            Value::String(inner.to_string())
        } else {
            plain_scalar(raw)?
        };
        if fields.insert(key.to_string(), value).is_some() {
            return None;
        }
    }
    Some(fields)
}

/// A plain YAML scalar that is certainly a string, as the string: it starts with a letter,
/// holds only letters, digits, spaces and `.` `,` `'` `-` (nothing YAML reads as an indicator,
/// a comment, a key or a flow delimiter) and is no null, boolean or special float word; or it
/// is a `YYYY-MM-DD` date (no number either). `None` for anything else.
fn plain_scalar(v: &str) -> Option<serde_json::Value> {
    let b = v.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    let word = v.chars().next().is_some_and(char::is_alphabetic)
        && v.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | '\'' | '-'))
        && !yaml_special_word(v);
    (date || word).then(|| serde_json::Value::String(v.to_string()))
}

/// Whether a YAML reader may take the word for something else than a string: a null, a YAML
/// 1.1 boolean, or a float spelled in letters (any case).
fn yaml_special_word(w: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "null", "true", "false", "yes", "no", "y", "n", "on", "off", "nan", "inf", "infinity",
    ];
    w.len() <= 8 && SPECIAL.iter().any(|s| s.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_texts(text: &str, format: Format) -> Vec<&str> {
        layout(text, format)
            .blocks
            .iter()
            .map(|b| b.range.of(text))
            .collect()
    }

    #[test]
    fn blocks_split_on_blank_lines_but_keep_fences_and_comments_whole() {
        let text = "# Title\n\nOne line\ntwo lines\n\n```\ncode\n\nmore\n```\n\n<!-- a\n\nnote -->\n  \nEnd";
        assert_eq!(
            block_texts(text, Format::Markdown),
            vec![
                "# Title",
                "One line\ntwo lines",
                "```\ncode\n\nmore\n```",
                "<!-- a\n\nnote -->",
                "End"
            ]
        );
        assert_eq!(
            block_texts("a\r\n\r\nb\r\n", Format::PlainText),
            vec!["a", "b"]
        );
    }

    #[test]
    fn front_matter_date_and_fields() {
        let text = "---\ntitle: Xi and Putin\ndate: 2023-03-20\n---\n\nBody.\n";
        let l = layout(text, Format::Markdown);
        let fm = l.front_matter.unwrap();
        assert_eq!(fm.date, Some(jiff::civil::date(2023, 3, 20)));
        assert_eq!(fm.date_range.unwrap().of(text), "2023-03-20");
        assert_eq!(fm.fields["title"], "Xi and Putin");
        assert_eq!(
            fm.range.of(text),
            "---\ntitle: Xi and Putin\ndate: 2023-03-20\n---\n"
        );
        assert_eq!(block_texts(text, Format::Markdown), vec!["Body."]);
    }

    #[test]
    fn broken_yaml_is_reported_not_fatal() {
        let text = "---\ndate: [2023\n---\nBody";
        let fm = front_matter_of(text).unwrap();
        assert!(fm.error.is_some());
        assert_eq!(fm.date, None);
        assert_eq!(front_matter_of("---\nno end"), None);
    }

    /// What the YAML parser makes of `yaml` as front-matter fields (`None` if not a table).
    fn parsed_fields(yaml: &str) -> Option<BTreeMap<String, serde_json::Value>> {
        match serde_saphyr::from_str::<serde_json::Value>(yaml) {
            Ok(serde_json::Value::Object(map)) => Some(map.into_iter().collect()),
            _ => None,
        }
    }

    #[test]
    fn plain_front_matter_is_read_as_the_parser_reads_it() {
        // The generated manuscripts' front matter takes the plain reading.
        for seed in 1..6 {
            let text = crate::generate::markdown(seed, 2_000);
            let fm = front_matter_of(&text).unwrap();
            let yaml = &text[text.find('\n').unwrap() + 1..fm.range.end - 4];
            let plain = plain_yaml(yaml).expect("generated front matter is plain");
            assert_eq!(plain.len(), 4);
            assert_eq!(Some(plain), parsed_fields(yaml), "{yaml}");
            assert_eq!(fm.error, None);
        }
        // Random lines of tricky keys and values: whatever the plain reading takes, it reads
        // as the parser does.
        const KEYS: &[&str] = &[
            "title", "date", "author", "tags", "y", "On", "null", "a-b", "a_b", "1a", "Key",
            "  title", "title ", "#c", "-", "?x", "x y", "é", "",
        ];
        const VALUES: &[&str] = &[
            "Xi and Putin",
            "2023-03-20",
            "2023-3-20",
            "2023-03-20T10:00:00Z",
            "[local, politics]",
            "[]",
            "[ ]",
            "[a, b,]",
            "[yes, no]",
            "[a, [b]]",
            "[Zoë, O'Brien]",
            "[1, 2]",
            "\"quoted # x\"",
            "'single'",
            "'it''s'",
            "\"esc \\\" q\"",
            "\"a\" # b",
            "\"\"",
            "''",
            "\"tab\there\"",
            "yes",
            "No",
            "Y",
            "n",
            "off",
            "ON",
            "~",
            "null",
            "NULL",
            "1",
            "-1",
            "+1",
            "0x1F",
            "0o17",
            "1_000",
            "1.5",
            "1e3",
            "e5",
            ".inf",
            "-.INF",
            ".NaN",
            "inf",
            "nan",
            "Infinity",
            "O'Brien",
            "Zoë Müller",
            "a: b",
            "a:b",
            "a #b",
            "a#b",
            "it’s",
            "&anchor x",
            "*alias",
            "!tag x",
            "|",
            ">",
            "%x",
            "@x",
            "`x`",
            "x, y",
            "x.",
            "Mr. Smith",
            "a - b",
            "-a",
            "- a",
            "? x",
            "",
            "   ",
            "{a: b}",
            "日本",
            "12:30",
            "x\u{2028}y",
            "\"x\u{85}y\"",
            "Story 1",
            "a  b",
            "True story",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut taken, mut left) = (0, 0);
        for _ in 0..20_000 {
            let mut yaml = String::new();
            for _ in 0..1 + next(4) {
                match next(12) {
                    0 => yaml.push('\n'),
                    1 => yaml.push_str("# comment\n"),
                    2 => yaml.push_str("title: Again\n"),
                    k => {
                        let sep = [": ", ":", ":   ", ": "][k % 4];
                        yaml.push_str(KEYS[next(KEYS.len())]);
                        yaml.push_str(sep);
                        yaml.push_str(VALUES[next(VALUES.len())]);
                        yaml.push_str(if k % 3 == 0 { "  \n" } else { "\n" });
                    }
                }
            }
            if yaml.trim().is_empty() {
                continue;
            }
            match plain_yaml(&yaml) {
                Some(plain) => {
                    taken += 1;
                    assert_eq!(Some(plain), parsed_fields(&yaml), "{yaml:?}");
                }
                None => left += 1,
            }
        }
        assert!(taken > 500 && left > 5_000, "{taken} taken, {left} left");
    }
}
