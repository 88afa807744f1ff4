//! Temporal expressions (TimeML TIMEX3), the publication date they resolve against, and past
//! events a reader cannot date.

use jiff::civil::Date;
use serde::Serialize;

use super::markup::FrontMatter;
use super::paragraph::ParaCtx;
use super::quotes::{ParaQuotes, Quote};
use super::text::TextRange;
use super::{Config, Placed};

/// TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// Where the publication date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnchorSource {
    /// `copydesk.toml`, an editor setting or `--date`.
    Setting,
    FrontMatter,
    Dateline,
}

/// The publication date relative expressions resolve against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Anchor {
    pub date: Date,
    pub source: AnchorSource,
    /// The text it was read from (front matter value or dateline), if any.
    pub range: Option<TextRange>,
}

/// A temporal expression in document space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timex {
    pub range: TextRange,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value: `2023-03-20`, `2023-W11`, `P3D`, `PRESENT_REF`, `XXXX-WXX-1`; for a relative
    /// expression with no anchor, an unresolved pattern like `XXXX-XX-XX`.
    pub value: String,
    /// Whether its value depends on the publication date (or another anchor).
    pub relative: bool,
    /// Whether a relative value was resolved.
    pub resolved: bool,
    /// How the value was worked out, in words, for hover.
    pub how: String,
}

/// A past-tense event verb and whether the reader can date it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The verb ("announced", "called on").
    pub range: TextRange,
    pub sentence: TextRange,
    pub dated: bool,
}

/// Paragraph-stage result (offsets relative to the paragraph).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaTemporal {}

/// Paragraph stage.
pub fn scan(_ctx: &ParaCtx<'_>, _quotes: &ParaQuotes) -> ParaTemporal {
    ParaTemporal::default()
}

/// The publication date: the setting, else front matter `date:`, else a dateline.
pub fn anchor(_text: &str, config: &Config, front_matter: Option<&FrontMatter>, _paras: &[Placed<'_>]) -> Option<Anchor> {
    if let Some(date) = config.publication_date {
        return Some(Anchor { date, source: AnchorSource::Setting, range: None });
    }
    if let Some(fm) = front_matter
        && let Some(date) = fm.date
    {
        return Some(Anchor { date, source: AnchorSource::FrontMatter, range: fm.date_range });
    }
    None
}

/// Document stage: timexes resolved against the anchor, and events.
pub fn resolve(_text: &str, _paras: &[Placed<'_>], _anchor: Option<&Anchor>, _quotes: &[Quote]) -> (Vec<Timex>, Vec<Event>) {
    (Vec::new(), Vec::new())
}

/// Hover text (Markdown) for the temporal expression with index `timex` in `analysis.timexes`.
pub fn hover(_analysis: &super::Analysis, _text: &str, _timex: usize) -> String {
    String::new()
}

/// Hover text (Markdown) for the publication date, when `offset` is on its source.
pub fn hover_anchor(_analysis: &super::Analysis, _text: &str, _offset: usize) -> Option<super::navigation::Hover> {
    None
}

/// Inlay hints with the resolved value after each relative expression inside `range`.
pub fn inlay_hints(_analysis: &super::Analysis, _range: TextRange) -> Vec<super::navigation::InlayHint> {
    Vec::new()
}
