//! Turning command-line paths into manuscripts: directory walking and reading text.
//!
//! Contract:
//! - A path named on the command line is read whatever its extension; `-` is standard input.
//! - A directory is walked recursively, in name order, for `.md`, `.markdown` and `.txt` files.
//!   Entries whose name starts with `.` (such as `.git`) are skipped. A symbolic link is followed
//!   only when its target lies inside the directory that was named, so a walk never escapes it,
//!   and each directory is visited once even if links loop.
//! - A file that is binary (contains NUL bytes) or not valid UTF-8 is an [`InputError`] naming the
//!   file; it never stops the other files from being read.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One manuscript to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input, named `-` on the command line.
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name to show for this input: the path as given, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// A path or file that could not be used, and why, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Whether a file found while walking a directory is a manuscript.
pub fn is_manuscript(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt")
    )
}

/// Expands the command-line paths into the inputs to read, in order, and the paths that could
/// not be used.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(InputError {
                path: path.display().to_string(),
                message: io_message(&e),
            }),
            Ok(meta) if meta.is_dir() => match std::fs::canonicalize(path) {
                Ok(root) => {
                    let mut visited = HashSet::new();
                    walk(path, &root, &mut visited, &mut inputs, &mut errors);
                }
                Err(e) => errors.push(InputError {
                    path: path.display().to_string(),
                    message: io_message(&e),
                }),
            },
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    (inputs, errors)
}

fn walk(
    dir: &Path,
    root: &Path,
    visited: &mut HashSet<PathBuf>,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<InputError>,
) {
    let Ok(canonical) = std::fs::canonicalize(dir) else {
        return;
    };
    if !visited.insert(canonical) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(InputError {
                path: dir.display().to_string(),
                message: io_message(&e),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let (is_dir, is_file) = if file_type.is_symlink() {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(root) => (target.is_dir(), target.is_file()),
                Ok(target) => {
                    tracing::warn!(link = %path.display(), target = %target.display(), "not following a link out of the directory being checked");
                    continue;
                }
                Err(e) => {
                    tracing::warn!(link = %path.display(), error = %e, "skipping a broken link");
                    continue;
                }
            }
        } else {
            (file_type.is_dir(), file_type.is_file())
        };
        if is_dir {
            walk(&path, root, visited, inputs, errors);
        } else if is_file && is_manuscript(&path) {
            inputs.push(Input::File(path));
        }
    }
}

/// An I/O error in words, without Rust's `(os error N)` suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Decodes a manuscript: UTF-8 text without NUL bytes. The error says what is wrong in words.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err("is UTF-16 text; not checked. Save it as UTF-8 and try again".to_string());
    }
    // `memchr` looks at a register of bytes at a time (a byte loop costs more than the UTF-8
    // check below).
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(format!(
            "looks like a binary file (NUL byte at byte {at}); not checked"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not valid UTF-8 text (invalid byte at byte {}); not checked. Save it as UTF-8 and try again",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads one input as text.
pub fn read(input: &Input) -> Result<String, InputError> {
    let name = input.display_name();
    let bytes = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
        Input::File(path) => std::fs::read(path),
    };
    let bytes = bytes.map_err(|e| InputError {
        path: name.clone(),
        message: io_message(&e),
    })?;
    decode(bytes).map_err(|message| InputError {
        path: name,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_utf8_are_named_errors() {
        assert!(
            decode(b"ab\0c".to_vec())
                .unwrap_err()
                .contains("NUL byte at byte 2")
        );
        assert!(
            decode(b"caf\xe9".to_vec())
                .unwrap_err()
                .contains("invalid byte at byte 3")
        );
        assert_eq!(decode("café ✓".as_bytes().to_vec()).unwrap(), "café ✓");
        assert!(
            decode(vec![0xff, 0xfe, b'a', 0])
                .unwrap_err()
                .contains("UTF-16")
        );
    }

    #[test]
    fn walks_manuscripts_in_order_and_skips_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/c")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        for f in [
            "a.md",
            "b/z.txt",
            "b/c/y.markdown",
            "b/notes.rst",
            ".git/x.md",
            "b/.hidden.md",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let (inputs, errors) = collect(&[d.to_path_buf()]);
        assert!(errors.is_empty());
        let names: Vec<_> = inputs
            .iter()
            .map(|i| i.display_name().replace(&d.display().to_string(), ""))
            .collect();
        assert_eq!(names, vec!["/a.md", "/b/c/y.markdown", "/b/z.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_directory_are_not_followed_and_loops_end() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/in.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), d.join("out")).unwrap();
        std::os::unix::fs::symlink(d, d.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("sub/in.md"), d.join("alias.md")).unwrap();
        let (inputs, errors) = collect(&[d.to_path_buf()]);
        assert!(errors.is_empty());
        let names: Vec<_> = inputs.iter().map(|i| i.display_name()).collect();
        assert!(names.iter().all(|n| !n.contains("secret")), "{names:?}");
        assert_eq!(
            names.iter().filter(|n| n.ends_with("in.md")).count(),
            1,
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.ends_with("alias.md")), "{names:?}");
    }

    #[test]
    fn missing_paths_are_errors_and_dash_is_stdin() {
        let (inputs, errors) = collect(&[PathBuf::from("-"), PathBuf::from("no/such/file.md")]);
        assert_eq!(inputs, vec![Input::Stdin]);
        assert_eq!(errors[0].path, "no/such/file.md");
        assert!(
            errors[0].message.contains("No such file"),
            "{}",
            errors[0].message
        );
    }
}
