//! Named entities (people, organisations, places) and every way a story refers to them.

use serde::Serialize;

use super::config::{EntityKind, SheetEntity};
use super::paragraph::ParaCtx;
use super::quotes::{ParaQuotes, Quote};
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub range: TextRange,
    pub form: MentionForm,
}

/// One entity and all its mentions, in document order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub name: String,
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

/// Paragraph-stage result (offsets relative to the paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaEntities {}

/// Paragraph stage.
pub fn scan(_ctx: &ParaCtx<'_>, _quotes: &ParaQuotes) -> ParaEntities {
    ParaEntities::default()
}

/// Document stage: mentions grouped into entities.
pub fn resolve(_text: &str, _paras: &[Placed<'_>], _config: &Config) -> Vec<Entity> {
    Vec::new()
}

/// Records on each entity the quotes whose speaker was linked to it.
pub fn attach_quotes(entities: &mut [Entity], quotes: &[Quote]) {
    for e in entities.iter_mut() {
        e.quotes.clear();
    }
    for (i, q) in quotes.iter().enumerate() {
        if let Some(idx) = q.speaker.as_ref().and_then(|s| s.entity)
            && let Some(e) = entities.get_mut(idx)
        {
            e.quotes.push(i);
        }
    }
}
