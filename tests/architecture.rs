//! Tidy tests for the architecture, in the spirit of rust-analyzer's `xtask/src/tidy.rs`:
//!
//! - `src/engine/` is the pure core: it names no LSP crate, no async runtime, no rope, and does
//!   no I/O (files, network, processes, environment, standard output).
//! - `src/cli/` renders engine results for terminals and never names LSP types.
//! - No file in the repository contains an absolute path of a developer's machine.
//!
//! Comments are not scanned (module docs may well say "no tokio here"); code and strings are.
//! A name counts only as a whole identifier path, so `tokio` is found in `tokio::spawn` but not
//! in `tokioish`.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a line: everything before a `//` comment.
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `code` names `needle` as a whole identifier path.
fn names(code: &str, needle: &str) -> bool {
    code.match_indices(needle).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + needle.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// `(file:line, what)` for every line of the `.rs` files under `dir` that names a forbidden item.
fn violations(dir: &Path, forbidden: &[&str], grouped_io: bool) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let rel = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            for needle in forbidden {
                if names(code, needle) {
                    found.push(format!("{rel}:{}: `{needle}` in `{}`", n + 1, line.trim()));
                }
            }
            // `use std::io::{BufRead, Read, Write}` names the I/O traits without the full path.
            if grouped_io
                && let Some(i) = code.find("std::io::{")
                && code[i..]
                    .split(['{', '}', ','])
                    .any(|part| matches!(part.trim(), "Read" | "Write" | "BufRead"))
            {
                found.push(format!("{rel}:{}: I/O traits in `{}`", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn engine_is_pure() {
    let forbidden = [
        "tower_lsp_server",
        "ls_types",
        "lsp_types",
        "tokio",
        "ropey",
        "std::fs",
        "File::open",
        "File::create",
        "std::io::Read",
        "std::io::Write",
        "std::io::BufRead",
        "std::io::stdin",
        "std::io::stdout",
        "std::io::stderr",
        "std::net",
        "std::process",
        "std::env",
        // Standard output carries the language server protocol: one stray line corrupts it.
        "println!",
        "print!",
    ];
    let found = violations(&root().join("src/engine"), &forbidden, true);
    assert!(
        found.is_empty(),
        "src/engine/ is the pure core (text and settings in, analysis out): no LSP types, async \
         runtime, rope or I/O. Move these to src/lsp/ or src/cli/:\n{}",
        found.join("\n")
    );
}

#[test]
fn cli_knows_no_lsp() {
    let forbidden = [
        "tower_lsp_server",
        "ls_types",
        "lsp_types",
        "crate::lsp",
        "copydesk::lsp",
    ];
    let found = violations(&root().join("src/cli"), &forbidden, false);
    assert!(
        found.is_empty(),
        "src/cli/ renders engine results and must not name LSP types:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_itself_finds_what_it_should() {
    assert!(names("use tokio::spawn;", "tokio"));
    assert!(!names("let tokioish = 1;", "tokio"));
    assert!(!names(code_of("//! no tokio here"), "tokio"));
    assert!(names("    println!(\"x\");", "println!"));
    assert!(!names("    eprintln!(\"x\");", "println!"));
    assert!(!names("    println!(\"x\");", "print!"));
}

/// The repository's files: tracked and not-ignored untracked ones from git, or a walk of the
/// tree (without `target/`, `.git/` and `node_modules/`) where git is not available.
fn repository_files() -> Vec<PathBuf> {
    let git = std::process::Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output();
    if let Ok(out) = git
        && out.status.success()
    {
        return out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| root().join(String::from_utf8_lossy(p).as_ref()))
            .filter(|p| p.is_file())
            .collect();
    }
    let mut out = Vec::new();
    let mut stack = vec![root().to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if matches!(name.to_str(), Some("target" | ".git" | "node_modules")) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn no_absolute_paths_of_this_machine() {
    // Spelled in pieces so that this file does not match itself.
    let prefixes: Vec<String> = ["wo", "ro", "ho"]
        .iter()
        .zip(["rk", "ot", "me"])
        .map(|(a, b)| format!("/{a}{b}/"))
        .collect();
    let mut found = Vec::new();
    for file in repository_files() {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        if bytes.len() > 4 << 20 || bytes.contains(&0) {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            for p in &prefixes {
                if line.contains(p.as_str()) {
                    let rel = file
                        .strip_prefix(root())
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "these lines contain an absolute path of a developer's machine; use a path relative to \
         the repository (or ../shared for the shared material):\n{}",
        found.join("\n")
    );
}
