//! Navigation as byte ranges: hover, definition, references, rename, symbols, inlay hints and
//! semantic tokens. The LSP layer converts these to protocol types; nothing here knows LSP.
//!
//! Every function answers from a finished [`Analysis`] without re-analysing.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::Analysis;
use super::checks::Edit;
use super::config::EntityKind;
use super::entities::MentionForm;
use super::text::TextRange;

/// Hover text (Markdown) for the thing at an offset, and the range it describes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// Symbol kinds of the outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SymbolKind {
    /// A heading for a group ("People", "Quotations").
    Group,
    Person,
    Organization,
    Place,
    Mention,
    Quote,
}

/// A node of the document outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent of the symbol.
    pub range: TextRange,
    /// The part to select when the symbol is picked (inside `range`).
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// An inlay hint: a label to show right after `offset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// Token types for semantic highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    Person,
    Organization,
    Place,
    Quotation,
    Date,
}

impl TokenKind {
    pub const ALL: [TokenKind; 5] = [
        TokenKind::Person,
        TokenKind::Organization,
        TokenKind::Place,
        TokenKind::Quotation,
        TokenKind::Date,
    ];
}

/// Why a rename cannot go ahead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("there is no name to rename here")]
    NothingHere,
    #[error("the new name is empty")]
    EmptyName,
}

/// The entity and mention at `offset`: the shortest mention that contains it, preferring one
/// that strictly contains it over one that merely ends there.
fn mention_at(analysis: &Analysis, offset: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, (bool, usize))> = None;
    for (ei, e) in analysis.entities.iter().enumerate() {
        for (mi, m) in e.mentions.iter().enumerate() {
            if !m.range.touches(offset) {
                continue;
            }
            let score = (offset == m.range.end, m.range.len());
            if best.is_none_or(|(_, _, s)| score < s) {
                best = Some((ei, mi, score));
            }
        }
    }
    best.map(|(e, m, _)| (e, m))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A quotation's text for display: at most about 80 characters, on one line.
fn short(text: &str, r: TextRange) -> String {
    // Words joined by single spaces, read only until the text is known to be too long (a long
    // quotation costs no more than a short one).
    let mut s = String::new();
    let mut chars = 0;
    for w in text.get(r.start..r.end).unwrap_or("").split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
            chars += 1;
        }
        s.push_str(w);
        chars += w.chars().count();
        if chars > 80 {
            break;
        }
    }
    if chars > 80 {
        let cut = s.char_indices().nth(77).map_or(s.len(), |(i, _)| i);
        s.truncate(cut);
        s.push('…');
    }
    s
}

fn entity_hover(analysis: &Analysis, text: &str, ei: usize) -> String {
    let e = &analysis.entities[ei];
    let mut md = format!("**{}** · {}", e.name, e.kind.as_str());
    if let Some(role) = &e.role {
        md.push_str(&format!("\n\n*{role}*"));
    }
    if let (Some(first), Some(intro)) = (e.mentions.first(), e.mentions.get(e.introduced)) {
        let (first_line, _) = super::text::line_col(text, first.range.start);
        let (intro_line, _) = super::text::line_col(text, intro.range.start);
        md.push_str(&format!(
            "\n\nFirst mention: line {first_line} · introduced as “{}” (line {intro_line}) · {} · {}",
            short(text, intro.range),
            plural(e.mentions.len(), "mention", "mentions"),
            plural(e.quotes.len(), "quote", "quotes")
        ));
    }
    for &qi in &e.quotes {
        if let Some(q) = analysis.quotes.get(qi) {
            let (line, _) = super::text::line_col(text, q.range.start);
            md.push_str(&format!("\n- line {line}: {}", short(text, q.range)));
        }
    }
    if let Some(sheet) = &e.sheet {
        md.push_str("\n\n---\nEntity sheet:");
        if let Some(d) = &sheet.description {
            md.push_str(&format!(" {d}."));
        }
        if let Some(r) = &sheet.role {
            md.push_str(&format!(" Role: {r}."));
        }
        if let Some(p) = &sheet.preferred {
            md.push_str(&format!(" Preferred spelling: {p}."));
        }
        if !sheet.aliases.is_empty() {
            md.push_str(&format!(" Also known as: {}.", sheet.aliases.join(", ")));
        }
    }
    md
}

/// Hover for whatever is at `offset`: an entity mention, a date, a quotation, the publication
/// date. A mention or a date inside a quotation wins over the quotation.
pub fn hover(analysis: &Analysis, text: &str, offset: usize) -> Option<Hover> {
    if let Some((ei, mi)) = mention_at(analysis, offset) {
        let range = analysis.entities[ei].mentions[mi].range;
        return Some(Hover {
            range,
            markdown: entity_hover(analysis, text, ei),
        });
    }
    if let Some((ti, t)) = analysis
        .timexes
        .iter()
        .enumerate()
        .find(|(_, t)| t.range.touches(offset))
    {
        let markdown = super::temporal::hover(analysis, text, ti);
        if !markdown.is_empty() {
            return Some(Hover {
                range: t.range,
                markdown,
            });
        }
    }
    if let Some((qi, q)) = analysis
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.range.touches(offset))
        .min_by_key(|(_, q)| q.range.len())
    {
        let markdown = super::quotes::hover(analysis, text, qi);
        if !markdown.is_empty() {
            return Some(Hover {
                range: q.range,
                markdown,
            });
        }
    }
    super::temporal::hover_anchor(analysis, text, offset)
}

/// The mention that introduced the entity at `offset`.
pub fn definition(analysis: &Analysis, offset: usize) -> Option<TextRange> {
    let (ei, _) = mention_at(analysis, offset)?;
    let e = &analysis.entities[ei];
    e.mentions.get(e.introduced).map(|m| m.range)
}

/// Every mention of the entity at `offset`, in document order. Without `include_declaration`
/// the introducing mention is left out.
pub fn references(analysis: &Analysis, offset: usize, include_declaration: bool) -> Vec<TextRange> {
    let Some((ei, _)) = mention_at(analysis, offset) else {
        return Vec::new();
    };
    let e = &analysis.entities[ei];
    e.mentions
        .iter()
        .enumerate()
        .filter(|(i, _)| include_declaration || *i != e.introduced)
        .map(|(_, m)| m.range)
        .collect()
}

/// The range a rename at `offset` would change, if a rename is possible there: the name part
/// of a name mention. Descriptors ("the Chinese head of state") are not renamed.
pub fn prepare_rename(analysis: &Analysis, _text: &str, offset: usize) -> Option<TextRange> {
    let (ei, mi) = mention_at(analysis, offset)?;
    let m = &analysis.entities[ei].mentions[mi];
    (m.form != MentionForm::Descriptor).then_some(m.name)
}

/// The edits that rename the entity at `offset` to `new_name`, consistently across its forms:
/// full names get the new full name, surnames its last word, first names its first word, and
/// organisation and place names the whole new name. Descriptors and aliases stay as written.
pub fn rename(
    analysis: &Analysis,
    text: &str,
    offset: usize,
    new_name: &str,
) -> Result<Vec<Edit>, RenameError> {
    let new_name = new_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if new_name.is_empty() {
        return Err(RenameError::EmptyName);
    }
    if prepare_rename(analysis, text, offset).is_none() {
        return Err(RenameError::NothingHere);
    }
    let (ei, _) = mention_at(analysis, offset).ok_or(RenameError::NothingHere)?;
    let e = &analysis.entities[ei];
    let first = new_name.split(' ').next().unwrap_or(&new_name).to_string();
    let last = new_name.rsplit(' ').next().unwrap_or(&new_name).to_string();
    let mut edits = Vec::new();
    for m in &e.mentions {
        let replacement = match m.form {
            MentionForm::FullName | MentionForm::Name => new_name.clone(),
            MentionForm::Surname => last.clone(),
            MentionForm::FirstName => first.clone(),
            MentionForm::Descriptor | MentionForm::Alias => continue,
        };
        if text.get(m.name.start..m.name.end) != Some(replacement.as_str()) {
            edits.push(Edit {
                range: m.name,
                new_text: replacement,
            });
        }
    }
    Ok(edits)
}

/// How a mention is written, as the outline shows it (the form's name in lower case).
fn form_name(form: MentionForm) -> &'static str {
    match form {
        MentionForm::FullName => "fullname",
        MentionForm::Surname => "surname",
        MentionForm::FirstName => "firstname",
        MentionForm::Descriptor => "descriptor",
        MentionForm::Alias => "alias",
        MentionForm::Name => "name",
    }
}

fn cover(ranges: impl IntoIterator<Item = TextRange>) -> Option<TextRange> {
    ranges
        .into_iter()
        .reduce(|a, b| TextRange::new(a.start.min(b.start), a.end.max(b.end)))
}

fn group(name: &str, children: Vec<Symbol>) -> Option<Symbol> {
    let range = cover(children.iter().map(|c| c.range))?;
    let selection = children.first()?.selection;
    Some(Symbol {
        name: name.to_string(),
        detail: Some(plural(children.len(), "entry", "entries")),
        kind: SymbolKind::Group,
        range,
        selection,
        children,
    })
}

/// The outline: people, organisations and places with their mentions; quotations grouped by
/// speaker.
pub fn symbols(analysis: &Analysis, text: &str) -> Vec<Symbol> {
    let mut out = Vec::new();
    for (title, kind, sk) in [
        ("People", EntityKind::Person, SymbolKind::Person),
        (
            "Organisations",
            EntityKind::Organization,
            SymbolKind::Organization,
        ),
        ("Places", EntityKind::Place, SymbolKind::Place),
    ] {
        let children: Vec<Symbol> = analysis
            .entities
            .iter()
            .filter(|e| e.kind == kind && !e.mentions.is_empty())
            .filter_map(|e| {
                let mentions: Vec<Symbol> = e
                    .mentions
                    .iter()
                    .map(|m| Symbol {
                        name: short(text, m.range),
                        detail: Some(form_name(m.form).to_string()),
                        kind: SymbolKind::Mention,
                        range: m.range,
                        selection: m.range,
                        children: Vec::new(),
                    })
                    .collect();
                let range = cover(e.mentions.iter().map(|m| m.range))?;
                let selection = e.mentions.get(e.introduced).map_or(range, |m| m.range);
                Some(Symbol {
                    name: e.name.clone(),
                    detail: e
                        .role
                        .clone()
                        .or_else(|| Some(plural(e.mentions.len(), "mention", "mentions"))),
                    kind: sk,
                    range,
                    selection,
                    children: mentions,
                })
            })
            .collect();
        out.extend(group(title, children));
    }
    // Quotations by speaker, speakers in order of their first quote.
    let mut speakers: Vec<(String, Vec<Symbol>)> = Vec::new();
    // Where each speaker's group is in `speakers`, so a quote finds its group in one look-up.
    let mut speaker_at: HashMap<String, usize> = HashMap::new();
    for q in &analysis.quotes {
        if q.kind == super::quotes::QuoteKind::NotAQuote {
            continue;
        }
        let who = q
            .speaker
            .as_ref()
            .map_or_else(|| "(no speaker)".to_string(), |s| s.name.to_string());
        let sym = Symbol {
            name: short(text, q.range),
            detail: None,
            kind: SymbolKind::Quote,
            range: q.range,
            selection: q.range,
            children: Vec::new(),
        };
        match speaker_at.get(&who) {
            Some(&i) => speakers[i].1.push(sym),
            None => {
                speaker_at.insert(who.clone(), speakers.len());
                speakers.push((who, vec![sym]));
            }
        }
    }
    let by_speaker: Vec<Symbol> = speakers
        .into_iter()
        .filter_map(|(name, quotes)| {
            let range = cover(quotes.iter().map(|q| q.range))?;
            let selection = quotes.first()?.selection;
            Some(Symbol {
                name,
                detail: Some(plural(quotes.len(), "quote", "quotes")),
                kind: SymbolKind::Group,
                range,
                selection,
                children: quotes,
            })
        })
        .collect();
    out.extend(group("Quotations", by_speaker));
    out
}

/// Inlay hints inside `range`.
pub fn inlay_hints(analysis: &Analysis, range: TextRange) -> Vec<InlayHint> {
    super::temporal::inlay_hints(analysis, range)
}

/// Semantic tokens in document order, non-overlapping. Where tokens overlap the shorter one
/// wins, and the longer one keeps the pieces around it (a name inside a quotation is a name,
/// and the rest of the quotation is still a quotation).
pub fn semantic_tokens(analysis: &Analysis) -> Vec<(TextRange, TokenKind)> {
    let mut all: Vec<(TextRange, TokenKind)> = Vec::new();
    for e in &analysis.entities {
        let kind = match e.kind {
            EntityKind::Person => TokenKind::Person,
            EntityKind::Organization => TokenKind::Organization,
            EntityKind::Place => TokenKind::Place,
        };
        all.extend(e.mentions.iter().map(|m| (m.range, kind)));
    }
    all.extend(
        analysis
            .quotes
            .iter()
            .filter(|q| q.kind != super::quotes::QuoteKind::NotAQuote)
            .map(|q| (q.range, TokenKind::Quotation)),
    );
    all.extend(analysis.timexes.iter().map(|t| (t.range, TokenKind::Date)));
    all.retain(|(r, _)| !r.is_empty());
    all.sort_by_key(|(r, _)| (r.len(), r.start));
    // Pieces taken so far, keyed by start. They are disjoint and non-empty, so the pieces that
    // overlap a range are the last one starting before it and those starting inside it: each
    // token costs a logarithmic look-up plus the pieces it meets, not a pass over all of them.
    let mut taken: BTreeMap<usize, (TextRange, TokenKind)> = BTreeMap::new();
    let mut inside: Vec<TextRange> = Vec::new();
    let mut pieces: Vec<TextRange> = Vec::new();
    for (r, kind) in all {
        // The parts of `r` not covered by shorter tokens already taken.
        inside.clear();
        pieces.clear();
        if let Some((_, (t, _))) = taken.range(..r.start).next_back()
            && t.overlaps(r)
        {
            inside.push(*t);
        }
        inside.extend(
            taken
                .range(r.start..r.end)
                .map(|(_, (t, _))| *t)
                .filter(|t| t.overlaps(r)),
        );
        let mut at = r.start;
        for t in &inside {
            if t.start > at {
                pieces.push(TextRange::new(at, t.start));
            }
            at = at.max(t.end);
        }
        if at < r.end {
            pieces.push(TextRange::new(at, r.end));
        }
        for p in &pieces {
            taken.insert(p.start, (*p, kind));
        }
    }
    taken.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Config, Format, analyze_as};

    const XI: &str = include_str!("../../tests/fixtures/xi-moscow.txt");

    fn xi() -> Analysis {
        analyze_as(XI, Format::PlainText, &Config::default())
    }

    /// Offset of the `nth` (0-based) occurrence of `needle` inside `context` in the fixture.
    fn at(context: &str, needle: &str) -> usize {
        let c = XI.find(context).expect("context in fixture");
        c + context.find(needle).expect("needle in context")
    }

    #[test]
    fn hover_on_heusgen_shows_name_role_and_quote_count() {
        let a = xi();
        let h = hover(&a, XI, at("Heusgen: “Russia is now", "Heusgen") + 2).expect("hover");
        assert!(h.markdown.contains("Christoph Heusgen"), "{}", h.markdown);
        assert!(
            h.markdown
                .contains("head of the Munich Security Conference"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("3 quotes"), "{}", h.markdown);
        assert_eq!(h.range.of(XI), "Heusgen");
    }

    #[test]
    fn definition_of_xi_goes_to_the_first_sentence() {
        let a = xi();
        let d = definition(&a, at("Of course, Xi appreciates that.", "Xi")).expect("definition");
        assert_eq!(d.of(XI), "Chinese President Xi Jinping");
        assert_eq!(d.start, 0);
        let h = definition(&a, at("Heusgen: “Russia", "Heusgen")).expect("definition");
        assert_eq!(h.of(XI), "Christoph Heusgen");
    }

    #[test]
    fn references_of_putin_include_descriptor_and_honour_declaration() {
        let a = xi();
        let off = at("Putin himself seems", "Putin");
        let with: Vec<&str> = references(&a, off, true).iter().map(|r| r.of(XI)).collect();
        assert!(with.contains(&"Russian President Vladimir Putin"));
        assert!(with.contains(&"The Kremlin chief"));
        let without = references(&a, off, false);
        assert_eq!(without.len() + 1, with.len());
        assert!(
            !without
                .iter()
                .any(|r| r.of(XI) == "Russian President Vladimir Putin")
        );
        assert!(references(&a, at("a sign of special", "sign"), true).is_empty());
    }

    #[test]
    fn rename_rewrites_full_names_and_surnames_but_not_descriptors() {
        let a = xi();
        let off = at("Putin himself seems", "Putin");
        assert_eq!(prepare_rename(&a, XI, off).map(|r| r.of(XI)), Some("Putin"));
        assert_eq!(rename(&a, XI, off, "  "), Err(RenameError::EmptyName));
        let edits = rename(&a, XI, off, "Boris Yeltsin").expect("rename");
        assert!(
            edits
                .iter()
                .any(|e| e.range.of(XI) == "Vladimir Putin" && e.new_text == "Boris Yeltsin")
        );
        assert!(
            edits
                .iter()
                .filter(|e| e.range.of(XI) == "Putin")
                .all(|e| e.new_text == "Yeltsin")
        );
        assert!(!edits.iter().any(|e| e.range.of(XI).contains("Kremlin")));
        assert_eq!(
            rename(&a, XI, at("a sign of special", "sign"), "X"),
            Err(RenameError::NothingHere)
        );
        assert_eq!(
            prepare_rename(&a, XI, at("The Kremlin chief", "chief")),
            None
        );
    }

    #[test]
    fn outline_groups_entities_and_quotations() {
        let a = xi();
        let syms = symbols(&a, XI);
        let names: Vec<&str> = syms.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(&names[..3], &["People", "Organisations", "Places"]);
        let people = &syms[0];
        assert_eq!(people.children[0].name, "Xi Jinping");
        assert!(
            people.children[0]
                .children
                .iter()
                .all(|m| m.kind == SymbolKind::Mention)
        );
        for s in &syms {
            for c in &s.children {
                assert!(s.range.contains_range(c.range) && c.range.contains_range(c.selection));
            }
        }
    }

    #[test]
    fn quotations_are_grouped_by_speaker_in_the_outline() {
        let a = xi();
        let syms = symbols(&a, XI);
        let quotes = syms
            .iter()
            .find(|s| s.name == "Quotations")
            .expect("Quotations group");
        let heusgen = quotes
            .children
            .iter()
            .find(|s| s.name == "Christoph Heusgen")
            .expect("speaker");
        assert_eq!(heusgen.children.len(), 3);
        assert!(heusgen.children.iter().all(|q| q.kind == SymbolKind::Quote));
    }

    #[test]
    fn hover_shows_the_entity_sheet() {
        let mut config = Config::default();
        let errs = config.apply_toml(
            "[[entity]]\nname = \"Christoph Heusgen\"\nkind = \"person\"\ndescription = \"German diplomat\"\naliases = [\"Heusgen\"]\n",
        );
        assert!(errs.is_empty());
        let a = analyze_as(XI, Format::PlainText, &config);
        let h = hover(&a, XI, at("Heusgen: “Russia", "Heusgen")).expect("hover");
        assert!(h.markdown.contains("German diplomat"), "{}", h.markdown);
        assert!(h.markdown.contains("Entity sheet"), "{}", h.markdown);
    }

    #[test]
    fn semantic_tokens_are_ordered_and_disjoint() {
        let a = xi();
        let toks = semantic_tokens(&a);
        assert!(
            toks.iter()
                .any(|(r, k)| *k == TokenKind::Person && r.of(XI) == "Heusgen")
        );
        assert!(
            toks.iter()
                .any(|(r, k)| *k == TokenKind::Place && r.of(XI) == "Moscow")
        );
        for w in toks.windows(2) {
            assert!(w[0].0.end <= w[1].0.start, "{:?} {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn shorter_tokens_split_longer_ones() {
        let entity = |kind, r: TextRange| crate::engine::entities::Entity {
            name: "x".into(),
            written: "x".into(),
            kind,
            role: None,
            mentions: vec![crate::engine::entities::Mention {
                range: r,
                form: MentionForm::Name,
                name: r,
                modifier: false,
            }],
            introduced: 0,
            quotes: vec![],
            sheet: None,
        };
        let mut a = Analysis::default();
        a.entities
            .push(entity(EntityKind::Organization, TextRange::new(0, 12)));
        a.entities
            .push(entity(EntityKind::Person, TextRange::new(5, 8)));
        let toks = semantic_tokens(&a);
        assert_eq!(
            toks,
            vec![
                (TextRange::new(0, 5), TokenKind::Organization),
                (TextRange::new(5, 8), TokenKind::Person),
                (TextRange::new(8, 12), TokenKind::Organization)
            ]
        );
    }

    #[test]
    fn a_token_split_by_several_shorter_ones_keeps_every_gap() {
        let entity = |kind, ranges: &[(usize, usize)]| crate::engine::entities::Entity {
            name: "x".into(),
            written: "x".into(),
            kind,
            role: None,
            mentions: ranges
                .iter()
                .map(|&(s, e)| crate::engine::entities::Mention {
                    range: TextRange::new(s, e),
                    form: MentionForm::Name,
                    name: TextRange::new(s, e),
                    modifier: false,
                })
                .collect(),
            introduced: 0,
            quotes: vec![],
            sheet: None,
        };
        let mut a = Analysis::default();
        a.entities
            .push(entity(EntityKind::Place, &[(0, 30), (40, 50)]));
        a.entities
            .push(entity(EntityKind::Person, &[(2, 4), (10, 14), (28, 33)]));
        let toks = semantic_tokens(&a);
        assert_eq!(
            toks,
            vec![
                (TextRange::new(0, 2), TokenKind::Place),
                (TextRange::new(2, 4), TokenKind::Person),
                (TextRange::new(4, 10), TokenKind::Place),
                (TextRange::new(10, 14), TokenKind::Person),
                (TextRange::new(14, 28), TokenKind::Place),
                (TextRange::new(28, 33), TokenKind::Person),
                (TextRange::new(40, 50), TokenKind::Place),
            ]
        );
    }

    #[test]
    fn outline_form_names_are_the_forms_in_lower_case() {
        for f in [
            MentionForm::FullName,
            MentionForm::Surname,
            MentionForm::FirstName,
            MentionForm::Descriptor,
            MentionForm::Alias,
            MentionForm::Name,
        ] {
            assert_eq!(form_name(f), format!("{f:?}").to_lowercase());
        }
    }

    #[test]
    fn short_collapses_spaces_and_cuts_long_text() {
        let text = "a  b\n c";
        assert_eq!(short(text, TextRange::new(0, text.len())), "a b c");
        let long = "word ".repeat(100);
        let s = short(&long, TextRange::new(0, long.len()));
        assert_eq!(s.chars().count(), 78);
        assert!(s.ends_with('…'));
        assert!(s.starts_with("word word"));
        let exact = "x".repeat(80);
        assert_eq!(short(&exact, TextRange::new(0, 80)), exact);
    }
}
