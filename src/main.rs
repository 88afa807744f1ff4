//! The `copydesk` binary: argument parsing, logging set-up and dispatch to [`copydesk::lsp`] and
//! [`copydesk::cli`]. Logs go to stderr or the `--log-file`, never to stdout, which carries the
//! language server protocol or the command's results.

use std::io::{BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use copydesk::cli::{self, EXIT_ERROR, Language, SettingsArgs, inputs::Input};
use copydesk::engine::Severity;
use jiff::civil::Date;
use tracing_subscriber::EnvFilter;

const ABOUT: &str = "Reads a news manuscript the way a careful copy editor does";

const LONG_ABOUT: &str = "\
Reads a news manuscript the way a careful copy editor does: who said each quotation, \
which claims rest on vague or anonymous sources, what date each \"on Monday\" means, \
which events a reader cannot date, and who is who.

Use it in an editor through `copydesk lsp`, or on files with `copydesk check`.";

const AFTER_HELP: &str = "\
Examples:
  copydesk check story.md                  findings with the source line and carets
  copydesk check drafts/ --format json     every .md/.markdown/.txt under drafts/, as JSON
  copydesk explain unattributed-quote      what a check flags, why, and an example
  copydesk sources story.md                who speaks in the story
  copydesk lsp                             the language server, for editors

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.";

#[derive(Parser)]
#[command(name = "copydesk", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
#[command(arg_required_else_help = true, propagate_version = true)]
struct Cli {
    /// Write logs to this file (appended) instead of stderr.
    #[arg(long, global = true, value_name = "PATH", help_heading = "Logging")]
    log_file: Option<PathBuf>,

    /// Log filter: error, warn, info, debug, trace, or per module (`copydesk::lsp=debug`).
    /// Defaults to $COPYDESK_LOG, else `info` for `lsp` and `warn` for the other commands.
    #[arg(long, global = true, value_name = "FILTER", help_heading = "Logging")]
    log_level: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdin and stdout (what editors start).
    Lsp {
        /// Talk over stdin/stdout. This is the only transport and the default; the flag is
        /// accepted because editor clients pass it.
        #[arg(long)]
        stdio: bool,
    },
    /// Check manuscripts and report findings.
    ///
    /// Each PATH is a file, a directory (searched recursively for .md, .markdown and .txt
    /// files; hidden entries and links leading out of it are skipped), or `-` for standard
    /// input. .md and .markdown files are read as Markdown, everything else as plain text.
    #[command(
        after_help = "Exit status: 0 when no finding is at or above --fail-on, 1 when one is, \
2 when a path, a file or the settings could not be read (the other files are still checked).\n\
The JSON schema is documented in docs/cli.md."
    )]
    Check(CheckArgs),
    /// Explain a check, or list all checks.
    ///
    /// With CODE, prints what the check flags, why it matters and an example. Without it, lists
    /// every check with its default severity and summary.
    Explain {
        /// A check code, e.g. unattributed-quote.
        code: Option<String>,
        /// Print Markdown instead: every explanation as one document (this is docs/checks.md),
        /// or only CODE's section.
        #[arg(long)]
        markdown: bool,
    },
    /// Turn JSON lines of texts into JSON lines of quotes, dates, entities and findings.
    ///
    /// Reads FILE (or standard input when FILE is `-` or absent) one line at a time and writes
    /// one line per record: {"id", "quotes", "timexes", "entities", "findings"} with UTF-8 byte
    /// offsets into "text". "dct" (YYYY-MM-DD) is the record's publication date. Bad lines are
    /// reported on stderr with their line number and skipped; the exit status is then 2. See
    /// docs/extract.md.
    Extract {
        /// JSON lines file; `-` or nothing for standard input.
        file: Option<PathBuf>,
        /// How to read each "text".
        #[arg(long, value_enum, default_value = "text")]
        language: LanguageArg,
    },
    /// List who speaks in a manuscript: each source with its quotes, as a table or JSON.
    Sources {
        /// The manuscript; `-` for standard input.
        file: PathBuf,
        /// Output format: an aligned table, or the ledger as JSON (schema in docs/cli.md).
        #[arg(long, value_enum, default_value = "table")]
        format: LedgerFormatArg,
        #[command(flatten)]
        settings: SettingsFlags,
        /// Read the text as this language instead of going by the file extension.
        #[arg(long, value_enum)]
        language: Option<LanguageArg>,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Files, directories, or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Exit with status 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value = "warning", value_name = "SEVERITY")]
    fail_on: FailOnArg,
    #[command(flatten)]
    settings: SettingsFlags,
    /// Read the text as this language instead of going by the file extension (for standard
    /// input, the default is Markdown if it opens with front matter or a heading).
    #[arg(long, value_enum)]
    language: Option<LanguageArg>,
}

#[derive(Args)]
struct SettingsFlags {
    /// Publication date that relative dates resolve against; overrides front matter and settings.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = cli::parse_date_arg)]
    date: Option<Date>,
    /// Settings file. Default: the nearest copydesk.toml in the current directory or above.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl SettingsFlags {
    fn into_args(self) -> SettingsArgs {
        SettingsArgs {
            config: self.config,
            date: self.date,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Findings with their source line and carets, and a summary.
    Human,
    /// One JSON document (schema in docs/cli.md).
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LedgerFormatArg {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Hint,
    Info,
    Warning,
    Error,
    /// Never exit 1 because of findings.
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum LanguageArg {
    #[value(alias = "md")]
    Markdown,
    #[value(alias = "plaintext", alias = "txt")]
    Text,
}

impl From<LanguageArg> for Language {
    fn from(l: LanguageArg) -> Self {
        match l {
            LanguageArg::Markdown => Language::Markdown,
            LanguageArg::Text => Language::Text,
        }
    }
}

/// Sets up `tracing` to stderr or the log file. The filter is `--log-level`, else
/// `$COPYDESK_LOG`, else `default`.
fn init_logging(
    log_file: Option<&PathBuf>,
    level: Option<&str>,
    default: &str,
) -> Result<(), String> {
    let filter = match level {
        Some(l) => EnvFilter::try_new(l).map_err(|e| format!("--log-level `{l}`: {e}"))?,
        None => match std::env::var("COPYDESK_LOG") {
            Ok(l) if !l.trim().is_empty() => {
                EnvFilter::try_new(&l).map_err(|e| format!("COPYDESK_LOG `{l}`: {e}"))?
            }
            _ => EnvFilter::new(default),
        },
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match log_file {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| {
                    format!(
                        "cannot open log file {}: {}",
                        path.display(),
                        cli::inputs::io_message(&e)
                    )
                })?;
            builder
                .with_writer(std::sync::Mutex::new(file))
                .with_ansi(false)
                .init();
        }
        None => builder
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
    }
    Ok(())
}

/// Replaces the default panic output (a message and, with `RUST_BACKTRACE`, a stack trace on
/// stderr) with one log line naming the bug's location. Panics are contained where they can
/// happen (per file in the CLI, per request in the server) and reported there to the user.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!("internal error{at}: {what}");
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    let args = Cli::parse();
    let default_level = if matches!(args.command, Command::Lsp { .. }) {
        "info"
    } else {
        "warn"
    };
    if let Err(message) = init_logging(
        args.log_file.as_ref(),
        args.log_level.as_deref(),
        default_level,
    ) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_ERROR);
    }
    // Standard output and error are locked per command, never around the language server,
    // which writes to them from its own threads.
    let code = match args.command {
        Command::Lsp { stdio: _ } => match copydesk::lsp::run_stdio() {
            Ok(()) => 0,
            Err(e) => {
                tracing::error!("language server stopped: {e:#}");
                eprintln!("error: language server stopped: {e:#}");
                EXIT_ERROR
            }
        },
        Command::Check(a) => {
            cli::check::tune_allocator();
            let opts = cli::check::CheckOptions {
                paths: a.paths,
                output: match a.format {
                    FormatArg::Human => cli::check::OutputFormat::Human,
                    FormatArg::Json => cli::check::OutputFormat::Json,
                },
                fail_on: match a.fail_on {
                    FailOnArg::Hint => Some(Severity::Hint),
                    FailOnArg::Info => Some(Severity::Info),
                    FailOnArg::Warning => Some(Severity::Warning),
                    FailOnArg::Error => Some(Severity::Error),
                    FailOnArg::Never => None,
                },
                settings: a.settings.into_args(),
                language: a.language.map(Language::from),
            };
            cli::check::run(
                &opts,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
        Command::Explain { code, markdown } => cli::explain::run(
            code.as_deref(),
            markdown,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        ),
        Command::Extract { file, language } => {
            let format = Language::from(language).format();
            match file.filter(|f| f.as_os_str() != "-") {
                None => cli::extract::run(
                    &mut std::io::stdin().lock(),
                    "<stdin>",
                    format,
                    &mut std::io::stdout().lock(),
                    &mut std::io::stderr().lock(),
                ),
                Some(path) => match std::fs::File::open(&path) {
                    Ok(f) => {
                        let name = path.display().to_string();
                        cli::extract::run(
                            &mut BufReader::new(f),
                            &name,
                            format,
                            &mut std::io::stdout().lock(),
                            &mut std::io::stderr().lock(),
                        )
                    }
                    Err(e) => {
                        eprintln!("error: {}: {}", path.display(), cli::inputs::io_message(&e));
                        EXIT_ERROR
                    }
                },
            }
        }
        Command::Sources {
            file,
            format,
            settings,
            language,
        } => {
            let input = if file.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::File(file)
            };
            let format = match format {
                LedgerFormatArg::Table => cli::sources::LedgerFormat::Table,
                LedgerFormatArg::Json => cli::sources::LedgerFormat::Json,
            };
            cli::sources::run(
                &input,
                format,
                &settings.into_args(),
                language.map(Language::from),
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
    };
    ExitCode::from(code)
}
