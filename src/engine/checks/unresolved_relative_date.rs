//! `unresolved-relative-date`: a relative date ("on Monday", "last week") in a manuscript
//! with no publication date to count it from.

use super::{Check, CheckMeta, Edit, Finding, Fix, Fixes, Severity};
use crate::engine::text::TextRange;
use crate::engine::{Analysis, Format};

pub struct UnresolvedRelativeDate;

static META: CheckMeta = CheckMeta {
    code: "unresolved-relative-date",
    default_severity: Severity::Warning,
    summary: "A relative date that cannot be resolved because the manuscript has no publication date",
    explanation: "\
## What it flags
A date that only makes sense relative to when the story is published (“on Monday”, “last
week”, “yesterday”, “two days ago”) in a manuscript that gives no publication date: no
`date:` in the front matter, no dateline or date line at the top, and no `publication-date`
setting.

## Why
Without the publication date neither copydesk nor an editor checking the story can tell which
Monday is meant, and a story republished or read later loses its timeline. The quick fix adds
a `date:` for the reporter to fill in; copydesk then shows each resolved date.

## Example
```text
Xi began a three-day state visit to Russia on Monday.
```
Add front matter with `date: 2023-03-20`; “on Monday” then resolves to Monday, 20 March 2023.
",
};

/// The quick fix: a `date:` placeholder in the front matter (added right after its opening
/// `---`, which works whatever the line endings), a new front matter block in Markdown, or a
/// date line at the top of a plain-text manuscript.
fn add_date_fix(analysis: &Analysis) -> Fix {
    let edit = match (&analysis.front_matter, analysis.format) {
        (Some(fm), _) => {
            let at = fm.range.start + 3;
            Edit {
                range: TextRange::new(at, at),
                new_text: "\ndate: YYYY-MM-DD".into(),
            }
        }
        (None, Format::Markdown) => Edit {
            range: TextRange::new(0, 0),
            new_text: "---\ndate: YYYY-MM-DD\n---\n\n".into(),
        },
        (None, Format::PlainText) => Edit {
            range: TextRange::new(0, 0),
            new_text: "Date: YYYY-MM-DD\n\n".into(),
        },
    };
    Fix {
        title: "Add the publication date (fill in YYYY-MM-DD)".into(),
        edits: vec![edit],
    }
}

impl Check for UnresolvedRelativeDate {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn run(&self, analysis: &Analysis, out: &mut Vec<Finding>) {
        if analysis.anchor.is_some() {
            return;
        }
        // One fix for all: each finding shares it (nothing allocated per finding).
        let mut fixes = Fixes::NONE;
        for t in analysis
            .timexes
            .iter()
            .filter(|t| t.relative && !t.resolved)
        {
            if fixes.is_empty() {
                fixes = vec![add_date_fix(analysis)].into();
            }
            out.push(Finding {
                code: META.code,
                severity: META.default_severity,
                range: t.range,
                message:
                    "Relative date with no publication date to resolve it against: add a `date:`"
                        .into(),
                fixes: fixes.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testing::{check, check_with};
    use crate::engine::{Config, analyze};

    #[test]
    fn flags_relative_dates_without_a_publication_date() {
        check(
            "unresolved-relative-date",
            "Xi arrived on Monday and leaves tomorrow; talks began last week.
              ^^^^^^ unresolved-relative-date
                                ^^^^^^^^ unresolved-relative-date
                                                      ^^^^^^^^^ unresolved-relative-date
The treaty of March 20, 2023 lasts three days.
",
        );
        let config = Config {
            publication_date: jiff::civil::Date::new(2023, 3, 20).ok(),
            ..Config::default()
        };
        check_with(
            "unresolved-relative-date",
            "Xi arrived on Monday.\n",
            &config,
        );
    }

    #[test]
    fn the_fix_adds_a_date_to_the_front_matter_or_the_top() {
        let text = "---\ntitle: X\n---\n\nXi arrived on Monday.\n";
        let a = analyze(text, &Config::default());
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "unresolved-relative-date")
            .expect("finding");
        let e = &f.fixes[0].edits[0];
        let fixed = format!(
            "{}{}{}",
            &text[..e.range.start],
            e.new_text,
            &text[e.range.end..]
        );
        assert_eq!(
            fixed,
            "---\ndate: YYYY-MM-DD\ntitle: X\n---\n\nXi arrived on Monday.\n"
        );
        let md = crate::engine::analyze_as(
            "# Visit\n\nXi arrived on Monday.\n",
            crate::engine::Format::Markdown,
            &Config::default(),
        );
        let f = md
            .findings
            .iter()
            .find(|f| f.code == "unresolved-relative-date")
            .expect("finding");
        assert_eq!(
            f.fixes[0].edits[0].new_text,
            "---\ndate: YYYY-MM-DD\n---\n\n"
        );
    }
}
