//! Named entities (people, organisations, places) and every way a story refers to them.
//!
//! Two stages, like the rest of the engine:
//! - [`scan`] (paragraph stage, [`recognise`]) finds candidate mentions in one paragraph:
//!   capitalised name runs with their titles, organisation and place forms, gazetteer names,
//!   descriptors ("the Chinese head of state") and appositive roles, with paragraph-relative
//!   offsets.
//! - [`resolve`] (document stage, [`coref`]) decides what the sentence-initial words are, and
//!   groups mentions into [`Entity`]s: full name ← surname ← first name, acronyms, descriptors
//!   linked to the person introduced with that role, entity-sheet names and aliases.
//!
//! Gazetteers are compiled-in data files ([`gazetteer`]).

pub mod coref;
pub mod gazetteer;
pub mod recognise;

use serde::Serialize;

use super::config::{EntityKind, SheetEntity};
use super::paragraph::ParaCtx;
use super::quotes::{ParaQuotes, Quote};
use super::shared::{SharedText, SharedVec};
use super::text::TextRange;
use super::{Config, Placed};

/// How a mention names its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MentionForm {
    /// The full name ("Xi Jinping"), possibly with a title before it.
    FullName,
    /// The surname alone ("Xi").
    Surname,
    FirstName,
    /// A role or title that stands for the entity ("the Chinese head of state").
    Descriptor,
    /// An alias from the entity sheet or a known short form.
    Alias,
    /// The name of an organisation or place.
    Name,
}

/// One mention of an entity in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The whole mention, with a title before the name ("Chinese President Xi Jinping").
    pub range: TextRange,
    pub form: MentionForm,
    /// The name itself inside `range` ("Xi Jinping"); equal to `range` for descriptors.
    pub name: TextRange,
    /// The name modifies a noun ("the Obama administration": [`Candidate::modifier`]).
    #[serde(skip)]
    pub modifier: bool,
}

impl Mention {
    /// Whether the mention is a name (a proper noun), as opposed to a lower-case descriptor
    /// such as "the Chinese head of state". Name-only output (e.g. for scoring against
    /// named-entity corpora) keeps these.
    pub fn is_name(&self, text: &str) -> bool {
        self.form != MentionForm::Descriptor
            || self
                .range
                .of(text)
                .split_whitespace()
                .last()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
    }
}

/// One entity and all its mentions, in document order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Canonical name: the entity sheet's name, the gazetteer's, or the fullest form in the
    /// story.
    pub name: String,
    /// The fullest form of the name as the story spells it (may differ from `name` when the
    /// entity sheet or the gazetteer supplies the canonical name).
    pub written: String,
    pub kind: EntityKind,
    /// Role or title as the story gives it ("Chinese President").
    pub role: Option<String>,
    pub mentions: Vec<Mention>,
    /// Index into `mentions` of the mention that introduced the entity (definition target).
    pub introduced: usize,
    /// Indices into [`super::Analysis::quotes`] of the quotes attributed to this entity.
    pub quotes: Vec<usize>,
    /// What the entity sheet says about it.
    pub sheet: Option<SheetEntity>,
}

impl Entity {
    /// Whether the entity is a group of people named as the story spells it ("Americans",
    /// "Virginia Democrats"): quoted, but no person to identify, introduce or spell (see
    /// [`recognise::is_group_name`]).
    pub fn is_group(&self) -> bool {
        recognise::is_group_name(&self.written)
    }
}

/// A role's signature, used to link a descriptor to the person introduced with that role:
/// "Chinese President" and "the Chinese head of state" both give (CN, leader).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoleSig {
    /// Country code or institution name the role belongs to.
    pub affiliation: Option<SharedText>,
    /// Title class ("leader", "foreign minister", "spokesperson").
    pub class: &'static str,
}

impl RoleSig {
    /// A role with no affiliation and no title class of its own ("a teacher from Mount
    /// Pleasant", "D-Mont.").
    pub(crate) fn plain() -> RoleSig {
        RoleSig {
            affiliation: None,
            class: "role",
        }
    }
}

/// The role a candidate's words give it: its text and its signature, always both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleInfo {
    /// Role text ("Chinese President", "head of the Munich Security Conference").
    pub role: SharedText,
    pub sig: RoleSig,
}

/// A candidate mention found by the paragraph stage (paragraph-relative offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub range: TextRange,
    /// The name part of `range`.
    pub name: TextRange,
    /// `None` when only the document can tell (a lone capitalised word).
    pub kind: Option<EntityKind>,
    pub form: MentionForm,
    /// Gazetteer canonical name, if the gazetteer knows the name.
    pub canonical: Option<&'static str>,
    /// Country code of a gazetteer place or institution.
    pub country: Option<&'static str>,
    /// Role text and signature, out of line: most candidates have neither, and the
    /// candidates of every paragraph of an open document stay in memory (see [`Self::role`]
    /// and [`Self::sig`]).
    pub role_info: Option<Box<RoleInfo>>,
    /// A sentence-initial or headline word whose capital proves nothing: the document stage
    /// keeps it only if the word is capitalised elsewhere mid-sentence.
    pub unsure: Option<TextRange>,
    /// The kind the surrounding words suggest ("X said" → person, "in X" → place).
    pub cue: Option<EntityKind>,
    /// A given name alone: a person only if nobody else in the story has this name.
    pub weak: bool,
    /// A run of capitalised words read as a person's name for want of anything better.
    pub guessed: bool,
    /// Inside another candidate (a person named in an institution's name).
    pub nested: bool,
    /// A one-word name that modifies the noun after it, after an article ("the Obama
    /// administration", "a Trump presidency", "the Clinton campaign"): it names the person's
    /// office, family or time rather than introducing the person.
    pub modifier: bool,
    /// Index into the entity sheet when the sheet named it (a `u32` keeps the candidate
    /// small; a sheet has far fewer entries).
    pub sheet: Option<u32>,
}

impl Candidate {
    pub(crate) fn new(
        range: TextRange,
        name: TextRange,
        kind: Option<EntityKind>,
        form: MentionForm,
    ) -> Candidate {
        Candidate {
            range,
            name,
            kind,
            form,
            canonical: None,
            country: None,
            role_info: None,
            unsure: None,
            cue: None,
            weak: false,
            guessed: false,
            nested: false,
            modifier: false,
            sheet: None,
        }
    }

    /// Role text ("Chinese President", "head of the Munich Security Conference").
    pub fn role(&self) -> Option<&str> {
        Some(self.role_info.as_ref()?.role.as_str())
    }

    /// The role's signature.
    pub fn sig(&self) -> Option<&RoleSig> {
        Some(&self.role_info.as_ref()?.sig)
    }

    /// Whether the candidate has a role (and so a signature), answered without reading the
    /// role, which lies out of line: the document stage asks it of every candidate.
    pub fn has_role(&self) -> bool {
        self.role_info.is_some()
    }

    /// Gives the candidate the role `role` with its signature.
    pub(crate) fn set_role(&mut self, role: &str, sig: RoleSig) {
        self.role_info = Some(Box::new(RoleInfo {
            role: SharedText::copy(role),
            sig,
        }));
    }

    /// The candidate moved `by` bytes (paragraph → document space).
    #[must_use]
    pub fn shift(&self, by: usize) -> Candidate {
        Candidate {
            range: self.range.shift(by),
            name: self.name.shift(by),
            unsure: self.unsure.map(|r| r.shift(by)),
            ..self.clone()
        }
    }
}

/// Paragraph-stage result (offsets relative to the paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaEntities {
    /// Candidate mentions in text order, non-overlapping.
    pub cands: Vec<Candidate>,
    /// Word hashes, in one allocation (the document stage reads them for every paragraph on
    /// every keystroke, and one block of memory per paragraph is quicker to read than three):
    /// [`Self::probes`], then [`Self::cap_words`], then [`Self::lower_words`].
    pub words: Vec<u64>,
    /// How many of `words` are probes.
    pub n_probes: usize,
    /// How many of `words` after the probes are capitalised words.
    pub n_cap: usize,
}

impl ParaEntities {
    /// The word hashes the document stage may look up in [`Self::cap_words`] and
    /// [`Self::lower_words`] for this paragraph's candidates (sorted, unique): each unsure word
    /// as written and in lower case, each word of a guessed name and each name in lower case.
    /// The document stage gathers the statistics of these words only, instead of every word.
    pub fn probes(&self) -> &[u64] {
        self.words.get(..self.n_probes).unwrap_or_default()
    }

    /// Hashes of the capitalised words that are not sentence-initial (sorted, unique).
    pub fn cap_words(&self) -> &[u64] {
        self.words
            .get(self.n_probes..self.n_probes + self.n_cap)
            .unwrap_or_default()
    }

    /// Hashes of the lower-case words (sorted, unique).
    pub fn lower_words(&self) -> &[u64] {
        self.words
            .get(self.n_probes + self.n_cap..)
            .unwrap_or_default()
    }
}

/// Paragraph stage: candidate mentions of one paragraph.
pub fn scan(ctx: &ParaCtx<'_>, quotes: &ParaQuotes) -> ParaEntities {
    recognise::scan(ctx, quotes)
}

/// Document stage: mentions grouped into entities, in order of first mention.
pub fn resolve(text: &str, paras: &[Placed<'_>], config: &Config) -> Vec<Entity> {
    coref::resolve(text, paras, config)
}

/// Records on each entity the quotes whose speaker was linked to it. Changes `entities` only
/// if an entity's list changed: a list shared with the cache and with an older analysis still
/// alive is then copied (copy-on-write), and not at all when the quotes are attached as before.
pub fn attach_quotes(entities: &mut SharedVec<Entity>, quotes: &[Quote]) {
    let n = entities.len();
    // The quotes linked to an entity, (quote, entity), in one pass over the quotes (a long
    // list of large items, read once).
    let mut linked: Vec<(usize, usize)> = Vec::with_capacity(quotes.len());
    for (i, q) in quotes.iter().enumerate() {
        if let Some(e) = q.speaker.as_ref().and_then(|s| s.entity).filter(|&e| e < n) {
            linked.push((i, e));
        }
    }
    // Each entity's quotes, grouped by a counting sort: entity `e`'s are
    // `at[starts[e]..starts[e + 1]]`, in order.
    let mut starts = vec![0usize; n + 1];
    for &(_, e) in &linked {
        starts[e + 1] += 1;
    }
    for e in 0..n {
        starts[e + 1] += starts[e];
    }
    let mut next = starts.clone();
    let mut at = vec![0usize; linked.len()];
    for &(i, e) in &linked {
        at[next[e]] = i;
        next[e] += 1;
    }
    let of = |e: usize| &at[starts[e]..starts[e + 1]];
    if entities.iter().enumerate().all(|(e, x)| x.quotes == of(e)) {
        return;
    }
    for (e, x) in entities.make_mut().iter_mut().enumerate() {
        let new = of(e);
        if x.quotes != new {
            // (Allocated once at its final size: a story's main speakers have hundreds.)
            x.quotes.clear();
            x.quotes.reserve_exact(new.len());
            x.quotes.extend_from_slice(new);
        }
    }
}

#[cfg(test)]
mod tests;
