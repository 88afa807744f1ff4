//! The command line adapter: `check`, `explain`, `extract` and `sources`.
//!
//! Contract:
//! - Every command calls the same pure [`crate::engine`] as the language server and only reads
//!   files, renders results and picks an exit status. Nothing here names LSP types
//!   (`tests/architecture.rs` enforces it).
//! - Results go to the writer given as `out` (stdout in the binary); messages about inputs and
//!   settings go to `err` (stderr). Commands return the process exit status instead of exiting,
//!   so they can be tested in-process: [`EXIT_CLEAN`], [`EXIT_FINDINGS`] or [`EXIT_ERROR`].
//! - No input can make a command panic: unreadable, binary or non-UTF-8 files are reported by
//!   name and skipped, and the others are still processed.

pub mod check;
pub mod explain;
pub mod extract;
pub mod inputs;
pub mod render;
pub mod sources;

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::engine::{Analysis, Analyzer, Config, Format};

/// Exit status when nothing at or above the failure threshold was found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status when findings at or above the failure threshold were found.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status for usage errors and inputs that could not be read.
pub const EXIT_ERROR: u8 = 2;

/// The name of the settings file looked up in the current directory and its ancestors.
pub const CONFIG_FILE_NAME: &str = "copydesk.toml";

/// How to read a text whose format is not given by a file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Markdown: front matter, code, comments and link targets are not prose.
    Markdown,
    /// Plain text: everything is prose.
    Text,
}

impl Language {
    /// The engine format for this language.
    pub fn format(self) -> Format {
        match self {
            Language::Markdown => Format::Markdown,
            Language::Text => Format::PlainText,
        }
    }
}

/// The format of a file from its extension: `.md` and `.markdown` are Markdown, everything
/// else is plain text.
pub fn format_for_path(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("md" | "markdown") => Format::Markdown,
        _ => Format::PlainText,
    }
}

/// Parses a `--date` value: exactly `YYYY-MM-DD`, a real calendar day.
pub fn parse_date_arg(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let well_formed = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(format!(
            "`{s}` is not a date; use YYYY-MM-DD, e.g. 2023-03-20"
        ));
    }
    s.parse::<Date>()
        .map_err(|_| format!("`{s}` is not a day of the calendar"))
}

/// The settings file that applies in `dir`: `copydesk.toml` in `dir` or the nearest ancestor.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|p| p.is_file())
}

/// Analyses one text, containing a panic in the engine (a bug) so that one manuscript or record
/// cannot stop a run over many: the error names what went wrong, and the caller reports it for
/// that input and goes on with the others.
pub fn analyze_guarded(text: &str, format: Format, config: &Config) -> Result<Analysis, String> {
    analyze_guarded_in(&mut Analyzer::one_shot(), text, format, config)
}

/// [`analyze_guarded`] through `analyzer`, which the caller keeps (and may choose not to free:
/// `check` leaves the paragraph scans of its last input to the end of the process).
pub fn analyze_guarded_in(
    analyzer: &mut Analyzer,
    text: &str,
    format: Format,
    config: &Config,
) -> Result<Analysis, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyzer.analyze(text, format, config))).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("copydesk failed to analyse this text (internal error: {what}); please report it with the text")
    })
}

/// Where the settings come from and what overrides them.
#[derive(Clone, Debug, Default)]
pub struct SettingsArgs {
    /// `--config FILE`; when absent, the nearest `copydesk.toml` from the current directory up.
    pub config: Option<PathBuf>,
    /// `--date`, which overrides any publication date in the settings or the document.
    pub date: Option<Date>,
}

/// Builds the configuration: defaults, then the settings file, then `--date`.
///
/// Problems with single settings are written to `err` as warnings naming the key, and the rest
/// of the file still applies. A settings file that cannot be read at all is an error.
pub fn load_config(args: &SettingsArgs, err: &mut dyn Write) -> Result<Config, String> {
    let mut config = Config::default();
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| find_config(&d)),
    };
    if let Some(path) = path {
        let source = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read settings file {}: {e}", path.display()))?;
        tracing::debug!(path = %path.display(), "reading settings");
        for problem in config.apply_toml(&source) {
            let _ = writeln!(err, "warning: {}: {problem}; ignored", path.display());
        }
    }
    if let Some(date) = args.date {
        config.publication_date = Some(date);
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_calendar_days() {
        assert_eq!(
            parse_date_arg("2023-03-20"),
            Ok(jiff::civil::date(2023, 3, 20))
        );
        assert!(parse_date_arg("2023-3-20").is_err());
        assert!(parse_date_arg("20 March 2023").is_err());
        assert!(
            parse_date_arg("2023-02-30")
                .unwrap_err()
                .contains("not a day")
        );
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(format_for_path(Path::new("a/story.MD")), Format::Markdown);
        assert_eq!(
            format_for_path(Path::new("story.markdown")),
            Format::Markdown
        );
        assert_eq!(format_for_path(Path::new("story.txt")), Format::PlainText);
        assert_eq!(format_for_path(Path::new("story")), Format::PlainText);
    }

    #[test]
    fn bad_settings_are_warnings_naming_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("copydesk.toml");
        std::fs::write(&file, "publication-date = \"2023-03-20\"\ncolour = 3\n").unwrap();
        let mut err = Vec::new();
        let args = SettingsArgs {
            config: Some(file),
            date: None,
        };
        let config = load_config(&args, &mut err).unwrap();
        assert_eq!(
            config.publication_date,
            Some(jiff::civil::date(2023, 3, 20))
        );
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("warning:") && err.contains("`colour`"),
            "{err}"
        );
    }

    #[test]
    fn the_date_flag_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("copydesk.toml");
        std::fs::write(&file, "publication-date = \"2023-03-20\"\n").unwrap();
        let args = SettingsArgs {
            config: Some(file),
            date: Some(jiff::civil::date(2024, 1, 2)),
        };
        let config = load_config(&args, &mut Vec::new()).unwrap();
        assert_eq!(config.publication_date, Some(jiff::civil::date(2024, 1, 2)));
    }

    #[test]
    fn nearest_settings_file_is_found_upwards() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(
            find_config(&deep).filter(|p| p.starts_with(dir.path())),
            None
        );
        std::fs::write(dir.path().join("a/copydesk.toml"), "").unwrap();
        assert_eq!(find_config(&deep), Some(dir.path().join("a/copydesk.toml")));
    }
}
