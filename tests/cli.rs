//! The `copydesk` binary as users run it: exit codes, output formats, `explain`, `extract`,
//! `sources`, and what happens with unreadable inputs. Each test runs the real binary on files
//! in a fresh temporary directory.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A story with one quotation nobody is named for: an `unattributed-quote` warning. The
/// multi-byte `ï` and quotation marks make byte and character columns differ.
const UNATTRIBUTED: &str = "Naïve hopes are rare. “We will not back down.”\n";
/// The quotation in [`UNATTRIBUTED`].
const QUOTE: &str = "“We will not back down.”";
/// A story with nothing to flag.
const CLEAN: &str = "Budgets are long and hard to read.\n";

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env_remove("COPYDESK_LOG")
        .output()
        .expect("the copydesk binary runs")
}

fn copydesk_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env_remove("COPYDESK_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the copydesk binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

#[track_caller]
fn assert_status(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

fn workspace(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn clean_manuscript_exits_zero_with_a_summary() {
    let dir = workspace(&[("clean.txt", CLEAN.as_bytes())]);
    let o = copydesk(dir.path(), &["check", "clean.txt"]);
    assert_status(&o, 0);
    assert_eq!(stdout(&o), "Checked 1 file: no findings.\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn findings_exit_one_with_source_line_and_carets() {
    let dir = workspace(&[("story.txt", UNATTRIBUTED.as_bytes())]);
    let o = copydesk(dir.path(), &["check", "story.txt"]);
    assert_status(&o, 1);
    let out = stdout(&o);
    // The column counts characters: the quotation starts at the 23rd character, 25th byte.
    let column = UNATTRIBUTED[..UNATTRIBUTED.find(QUOTE).unwrap()]
        .chars()
        .count()
        + 1;
    assert!(
        out.contains(&format!(
            "story.txt:1:{column}: warning[unattributed-quote] "
        )),
        "{out}"
    );
    let lines: Vec<&str> = out.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.ends_with(UNATTRIBUTED.trim_end()))
        .expect("source line shown");
    // One caret under each character of the quotation, marks included.
    let bar = lines[source].find("| ").unwrap() + 2;
    let carets = format!(
        "{}{}",
        " ".repeat(column - 1),
        "^".repeat(QUOTE.chars().count())
    );
    assert_eq!(lines[source + 1].get(bar..), Some(carets.as_str()), "{out}");
    assert!(out.contains("\nChecked 1 file: 1 warning"), "{out}");
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = workspace(&[("story.txt", UNATTRIBUTED.as_bytes())]);
    assert_status(
        &copydesk(dir.path(), &["check", "--fail-on", "error", "story.txt"]),
        0,
    );
    assert_status(
        &copydesk(dir.path(), &["check", "--fail-on", "never", "story.txt"]),
        0,
    );
    assert_status(
        &copydesk(dir.path(), &["check", "--fail-on", "warning", "story.txt"]),
        1,
    );
    assert_status(
        &copydesk(dir.path(), &["check", "--fail-on", "hint", "story.txt"]),
        1,
    );
    let o = copydesk(dir.path(), &["check", "--fail-on", "loud", "story.txt"]);
    assert_status(&o, 2);
    assert!(stderr(&o).contains("loud"), "{}", stderr(&o));
}

#[test]
fn settings_file_changes_severity_and_bad_keys_are_warnings() {
    let dir = workspace(&[
        ("story.txt", UNATTRIBUTED.as_bytes()),
        (
            "copydesk.toml",
            b"colour = 3\n[checks]\nunattributed-quote = \"error\"\n",
        ),
    ]);
    let o = copydesk(dir.path(), &["check", "story.txt"]);
    assert_status(&o, 1);
    assert!(
        stdout(&o).contains("error[unattributed-quote]"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("warning:") && stderr(&o).contains("`colour`"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.path().join("off.toml"),
        "[checks]\nunattributed-quote = \"off\"\n",
    )
    .unwrap();
    assert_status(
        &copydesk(dir.path(), &["check", "--config", "off.toml", "story.txt"]),
        0,
    );
    let o = copydesk(
        dir.path(),
        &["check", "--config", "missing.toml", "story.txt"],
    );
    assert_status(&o, 2);
    assert!(stderr(&o).contains("missing.toml"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_two_without_a_panic() {
    let dir = workspace(&[("clean.txt", CLEAN.as_bytes())]);
    for args in [
        &["check"][..],
        &["check", "--date", "20 March", "clean.txt"],
        &["check", "--date", "2023-02-30", "clean.txt"],
        &["check", "--format", "xml", "clean.txt"],
        &["no-such-command"],
    ] {
        let o = copydesk(dir.path(), args);
        assert_status(&o, 2);
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
    let o = copydesk(dir.path(), &["check", "nowhere.md"]);
    assert_status(&o, 2);
    assert!(stderr(&o).contains("nowhere.md"), "{}", stderr(&o));
}

#[test]
fn bare_command_prints_help() {
    let dir = workspace(&[]);
    let o = copydesk(dir.path(), &[]);
    let all = stdout(&o) + &stderr(&o);
    assert!(
        all.contains("Usage: copydesk") && all.contains("check") && all.contains("lsp"),
        "{all}"
    );
    let o = copydesk(dir.path(), &["--help"]);
    assert_status(&o, 0);
    for sub in ["lsp", "check", "explain", "extract", "sources"] {
        assert!(stdout(&o).contains(sub), "{sub} missing from --help");
        assert_status(&copydesk(dir.path(), &[sub, "--help"]), 0);
    }
}

#[test]
fn json_report_follows_the_documented_schema() {
    let dir = workspace(&[
        (
            "a/story.md",
            format!("---\ndate: 2023-03-20\n---\n\n{UNATTRIBUTED}").as_bytes(),
        ),
        ("a/clean.txt", CLEAN.as_bytes()),
    ]);
    let o = copydesk(dir.path(), &["check", "--format", "json", "a"]);
    assert_status(&o, 1);
    let report: Value = serde_json::from_str(&stdout(&o)).expect("stdout is one JSON document");
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["errors"], Value::Array(vec![]));
    let files = report["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "a/clean.txt");
    assert_eq!(files[0]["format"], "plaintext");
    assert_eq!(files[0]["publication_date"], Value::Null);
    assert_eq!(files[0]["findings"], Value::Array(vec![]));
    assert_eq!(files[1]["path"], "a/story.md");
    assert_eq!(files[1]["format"], "markdown");
    assert_eq!(files[1]["publication_date"], "2023-03-20");
    assert_eq!(files[1]["publication_date_source"], "front-matter");
    let f = &files[1]["findings"][0];
    assert_eq!(f["code"], "unattributed-quote");
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
    // Byte offsets into the file, and 1-based lines and character columns.
    let start = "---\ndate: 2023-03-20\n---\n\n".len() + UNATTRIBUTED.find(QUOTE).unwrap();
    assert_eq!(
        (f["start"].as_u64(), f["end"].as_u64()),
        (Some(start as u64), Some((start + QUOTE.len()) as u64))
    );
    let column = UNATTRIBUTED[..UNATTRIBUTED.find(QUOTE).unwrap()]
        .chars()
        .count()
        + 1;
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(5), Some(column as u64))
    );
    let end_column = column + QUOTE.chars().count();
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(5), Some(end_column as u64))
    );
    assert!(f["fixes"].is_array());
    assert_eq!(report["summary"]["warning"], 1);
}

#[test]
fn date_flag_overrides_the_publication_date() {
    let dir = workspace(&[("story.md", b"---\ndate: 2023-03-20\n---\n\nText.\n")]);
    let o = copydesk(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--date",
            "2024-01-02",
            "story.md",
        ],
    );
    assert_status(&o, 0);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["files"][0]["publication_date"], "2024-01-02");
    assert_eq!(report["files"][0]["publication_date_source"], "setting");
}

#[test]
fn invalid_utf8_and_binary_files_are_named_and_the_others_still_checked() {
    let dir = workspace(&[
        ("d/a-latin1.txt", b"Caf\xe9 au lait.\n"),
        ("d/b-binary.md", b"\x89PNG\r\n\x1a\n\0\0\0"),
        ("d/c-story.txt", CLEAN.as_bytes()),
    ]);
    let o = copydesk(dir.path(), &["check", "d"]);
    assert_status(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("d/a-latin1.txt") && err.contains("not valid UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("d/b-binary.md") && err.contains("binary"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let out = stdout(&o);
    assert_eq!(
        out,
        "Checked 1 file: no findings. 2 inputs could not be read.\n"
    );
    let o = copydesk(dir.path(), &["check", "--format", "json", "d"]);
    assert_status(&o, 2);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["files"][0]["path"], "d/c-story.txt");
    assert_eq!(report["errors"][0]["path"], "d/a-latin1.txt");
    assert_eq!(report["errors"][1]["path"], "d/b-binary.md");
}

#[test]
fn directories_are_walked_recursively_for_manuscripts_only() {
    let dir = workspace(&[
        ("tree/one.md", CLEAN.as_bytes()),
        ("tree/deep/er/two.markdown", CLEAN.as_bytes()),
        ("tree/deep/three.txt", CLEAN.as_bytes()),
        ("tree/deep/image.png", b"\0\0"),
        ("tree/.git/HEAD.md", b"\0"),
    ]);
    let o = copydesk(dir.path(), &["check", "--format", "json", "tree"]);
    assert_status(&o, 0);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec![
            "tree/deep/er/two.markdown",
            "tree/deep/three.txt",
            "tree/one.md"
        ]
    );
}

#[test]
fn stdin_is_checked_with_the_given_language() {
    let dir = workspace(&[]);
    let o = copydesk_stdin(
        dir.path(),
        &["check", "--format", "json", "--language", "markdown", "-"],
        CLEAN.as_bytes(),
    );
    assert_status(&o, 0);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["files"][0]["path"], "<stdin>");
    assert_eq!(report["files"][0]["format"], "markdown");
}

#[test]
fn explain_one_code() {
    let dir = workspace(&[]);
    let o = copydesk(dir.path(), &["explain", "unattributed-quote"]);
    assert_status(&o, 0);
    let out = stdout(&o);
    assert!(
        out.starts_with("unattributed-quote\ndefault severity: warning\n"),
        "{out}"
    );
    for section in ["## What it flags", "## Why", "## Example"] {
        assert!(out.contains(section), "{section} missing:\n{out}");
    }
}

#[test]
fn explain_lists_every_check() {
    let dir = workspace(&[]);
    let o = copydesk(dir.path(), &["explain"]);
    assert_status(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("CODE"), "{out}");
    for code in ["unbalanced-quote", "unattributed-quote"] {
        let row = out
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} not listed:\n{out}"));
        assert!(row.contains("warning"), "{row}");
    }
}

#[test]
fn explain_unknown_code_exits_two_with_the_list() {
    let dir = workspace(&[]);
    let o = copydesk(dir.path(), &["explain", "unatributed-quote"]);
    assert_status(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("no check has the code `unatributed-quote`"),
        "{err}"
    );
    assert!(err.contains("Did you mean `unattributed-quote`?"), "{err}");
    assert!(err.contains("  unbalanced-quote\n"), "{err}");
}

#[test]
fn docs_checks_md_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = copydesk(root, &["explain", "--markdown"]);
    assert_status(&o, 0);
    let committed = std::fs::read_to_string(root.join("docs/checks.md")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "docs/checks.md is out of date with the check registry. Regenerate it with:\n\n    \
         cargo run --quiet -- explain --markdown > docs/checks.md\n"
    );
}

/// A text with two-byte, three-byte and four-byte characters before and inside its quotation.
const MULTIBYTE: &str =
    "Zoë Müller, 🇩🇪 mayor of Köln, said: “Ça va très bien — 好的.” She left on Monday.";

#[test]
fn extract_round_trip_with_byte_offsets_into_multibyte_text() {
    let dir = workspace(&[]);
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "doc-1", "text": MULTIBYTE, "dct": "2023-03-20", "gold": [1]}),
        serde_json::json!({"id": 2, "text": UNATTRIBUTED})
    );
    let o = copydesk_stdin(dir.path(), &["extract"], input.as_bytes());
    assert_status(&o, 0);
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "doc-1");
    assert_eq!(lines[1]["id"], 2);
    for l in &lines {
        let keys: Vec<&String> = l.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["entities", "findings", "id", "quotes", "timexes"],
            "only the schema's fields"
        );
    }
    let span = |v: &Value| -> &str {
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        MULTIBYTE
            .get(s..e)
            .unwrap_or_else(|| panic!("{s}..{e} is not a character span of the text"))
    };
    let quotes = lines[0]["quotes"].as_array().unwrap();
    assert_eq!(
        quotes.iter().map(span).collect::<Vec<_>>(),
        vec!["“Ça va très bien — 好的.”"]
    );
    let q = &quotes[0];
    assert!(
        q.as_object()
            .unwrap()
            .keys()
            .eq(["end", "speaker", "speaker_mention", "start"])
    );
    if let Some(m) = q["speaker_mention"].as_array() {
        let (s, e) = (
            m[0].as_u64().unwrap() as usize,
            m[1].as_u64().unwrap() as usize,
        );
        assert!(
            MULTIBYTE
                .get(s..e)
                .is_some_and(|w| w.contains("Zoë") || w.contains("Müller")),
            "{m:?}"
        );
    }
    for t in lines[0]["timexes"].as_array().unwrap() {
        assert!(
            t.as_object()
                .unwrap()
                .keys()
                .eq(["end", "start", "type", "value"])
        );
        span(t);
    }
    for e in lines[0]["entities"].as_array().unwrap() {
        assert!(
            e.as_object()
                .unwrap()
                .keys()
                .eq(["kind", "mentions", "name"])
        );
        for m in e["mentions"].as_array().unwrap() {
            let (s, x) = (
                m[0].as_u64().unwrap() as usize,
                m[1].as_u64().unwrap() as usize,
            );
            assert!(MULTIBYTE.get(s..x).is_some(), "{m:?}");
        }
    }
    let f = &lines[1]["findings"][0];
    assert!(
        f.as_object()
            .unwrap()
            .keys()
            .eq(["code", "end", "message", "severity", "start"])
    );
    assert_eq!(f["code"], "unattributed-quote");
    let start = UNATTRIBUTED.find(QUOTE).unwrap();
    assert_eq!(
        (f["start"].as_u64(), f["end"].as_u64()),
        (Some(start as u64), Some((start + QUOTE.len()) as u64))
    );
}

#[test]
fn extract_names_bad_lines_and_goes_on() {
    let dir = workspace(&[(
        "in.jsonl",
        b"{\"id\": 1, \"text\": \"a\"}\nnot json\n{\"id\": 3, \"text\": \"c\"}\n",
    )]);
    let o = copydesk(dir.path(), &["extract", "in.jsonl"]);
    assert_status(&o, 2);
    assert_eq!(stdout(&o).lines().count(), 2);
    assert!(stderr(&o).contains("in.jsonl:2:"), "{}", stderr(&o));
}

#[test]
fn sources_prints_a_table_or_json() {
    let dir = workspace(&[("story.txt", CLEAN.as_bytes())]);
    let o = copydesk(dir.path(), &["sources", "story.txt"]);
    assert_status(&o, 0);
    assert!(
        stdout(&o).contains("Anonymous sources: 0. Vague sources: 0."),
        "{}",
        stdout(&o)
    );
    let o = copydesk(dir.path(), &["sources", "--format", "json", "story.txt"]);
    assert_status(&o, 0);
    let ledger: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in ["sources", "unattributed", "anonymous", "vague"] {
        assert!(ledger.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn logs_never_reach_stdout_and_go_to_the_log_file() {
    let dir = workspace(&[("clean.txt", CLEAN.as_bytes())]);
    let o = copydesk(
        dir.path(),
        &[
            "--log-level",
            "trace",
            "--log-file",
            "run.log",
            "check",
            "clean.txt",
        ],
    );
    assert_status(&o, 0);
    assert_eq!(stdout(&o), "Checked 1 file: no findings.\n");
    let log = std::fs::read_to_string(dir.path().join("run.log")).unwrap();
    assert!(log.contains("checking"), "{log}");
}

#[test]
fn readme_lists_every_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md exists");
    let start = readme
        .find("<!-- checks:start")
        .expect("README.md has a <!-- checks:start --> marker");
    let body_start = start
        + readme[start..]
            .find("-->\n")
            .expect("the start marker ends with -->")
        + 4;
    let end = readme
        .find("<!-- checks:end -->")
        .expect("README.md has a <!-- checks:end --> marker");
    let want = copydesk::cli::explain::checks_table("docs/checks.md");
    assert!(
        readme.get(body_start..end) == Some(want.as_str()),
        "the table of checks in README.md is out of date. Replace the lines between \
         <!-- checks:start … --> and <!-- checks:end --> with:\n\n{want}"
    );
}

#[test]
fn extract_reads_markdown_when_asked() {
    let dir = workspace(&[]);
    // Inside a Markdown code block the quotation is not prose; in plain text it is.
    let input = format!(
        "{}\n",
        serde_json::json!({"id": "md", "text": format!("```\n{UNATTRIBUTED}```\n")})
    );
    let codes = |args: &[&str]| -> Vec<String> {
        let o = copydesk_stdin(dir.path(), args, input.as_bytes());
        assert_status(&o, 0);
        let line: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(codes(&["extract"]).contains(&"unattributed-quote".to_string()));
    assert_eq!(
        codes(&["extract", "--language", "markdown"]),
        Vec::<String>::new()
    );
}

#[test]
fn sources_names_the_speaker_and_counts_quotes() {
    let dir = workspace(&[("story.txt", "“We won,” said Mayor Ana Ruiz.\n".as_bytes())]);
    let o = copydesk(dir.path(), &["sources", "story.txt"]);
    assert_status(&o, 0);
    let out = stdout(&o);
    let row = out
        .lines()
        .find(|l| l.starts_with("Ana Ruiz"))
        .unwrap_or_else(|| panic!("no row for Ana Ruiz:\n{out}"));
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells.first(), Some(&"Ana Ruiz"), "{row}");
    assert!(
        cells.contains(&"1") && cells.last() == Some(&"“We won,”"),
        "{row}"
    );
}

/// The human format pinned on a text with what makes display columns differ from characters
/// and bytes: a tab, CJK (two columns each), a ZWJ emoji sequence, a flag, a combining accent,
/// a `\r\n` line end, and lines wider than the 110-column window, one of them longer than
/// the long-line limit, so that findings are shown cut with `…` on either side.
#[test]
fn human_format_is_pinned_on_wide_combining_and_tabbed_text() {
    let text = format!(
        "{}{}{}",
        "Naïve\thopes 习近平说 are rare. “We will not back down.”\n\n",
        "The café 👩\u{200d}👩\u{200d}👧 owner, Zoë Ångström, said the council was wrong. An official \
         who spoke on the condition of anonymity said 北京 talks 🇫🇷 had stalled, and critics say \
         the plan, drafted in 東京 with e\u{301} accents and\ttabs, “would cost taxpayers dearly.” \
         “We 👍 won,” she said.\n\n",
        "好".repeat(200) + " Critics say it is wrong. " + &"好".repeat(200) + "\r\n",
    );
    let dir = workspace(&[("story.md", text.as_bytes())]);
    let o = copydesk(dir.path(), &["check", "story.md"]);
    assert_status(&o, 1);
    let expected = concat!(
        "story.md:1:28: warning[unattributed-quote] Quotation without a speaker: who said this?\n",
        " 1 | Naïve hopes 习近平说 are rare. “We will not back down.”\n",
        "   |                                ^^^^^^^^^^^^^^^^^^^^^^^^\n",
        "   = fix: Add an attribution placeholder after the quotation\n",
        "\n",
        "story.md:3:23: info[unidentified-source] Zoë Ångström is quoted once but never identified: give a role or affiliation on first reference\n",
        " 3 | The café 👩\u{200d}👩\u{200d}👧 owner, Zoë Ångström, said the council was wrong. An official who spoke on the condition of an…\n",
        "   |                        ^^^^^^^^^^^^\n",
        "\n",
        "story.md:3:87: info[anonymous-source] Anonymous source: does an editor know who this is, and does the story say why they are not named?\n",
        " 3 | … wrong. An official who spoke on the condition of anonymity said 北京 talks 🇫🇷 had stalled, and critics say …\n",
        "   |                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
        "\n",
        "story.md:3:151: warning[vague-source] Vague source: who exactly says or believes this?\n",
        " 3 | …京 talks 🇫🇷 had stalled, and critics say the plan, drafted in 東京 with e\u{301} accents and tabs, “would cost taxp…\n",
        "   |                               ^^^^^^^^^^^\n",
        "\n",
        "story.md:5:1: warning[vague-source] Vague source: who exactly says or believes this?\n",
        " 5 | 好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好好…\n",
        "   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
        "\n",
        "Checked 1 file: 3 warnings, 2 infos.\n",
    );
    assert_eq!(stdout(&o), expected);
}
