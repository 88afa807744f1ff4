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
            if !yaml.trim().is_empty() {
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
}
