//! workspace/symbol over open documents and the workspace's `.md`/`.markdown`/`.txt` files.
//!
//! The workspace is indexed in the background after `initialized`, and again after each
//! settings change (the entity sheet changes what files name). The walk is bounded: at most [`MAX_FILES`] files, none larger than
//! [`MAX_FILE_BYTES`], hidden directories, `target` and `node_modules` skipped, and symbolic
//! links never followed, so the index never leaves the workspace root. Reading files happens
//! here, in the adapter, never in the engine.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::engine::{self, Config, navigation as nav};
use crate::lsp::documents::Snapshot;
use crate::lsp::position::PositionEncoding;
use crate::lsp::{from_proto, guard, to_proto};

/// At most this many files are indexed.
pub const MAX_FILES: usize = 2_000;
/// Files larger than this are skipped.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// At most this many directories are visited.
const MAX_DIRS: usize = 20_000;
/// At most this many symbols are returned for one query.
pub const MAX_RESULTS: usize = 1_000;

/// The files to index under `root`, in a stable order.
pub fn collect_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    let mut visited = 0;
    while let Some(dir) = dirs.pop() {
        visited += 1;
        if visited > MAX_DIRS || files.len() >= MAX_FILES {
            break;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            tracing::debug!(dir = %dir.display(), "cannot read directory; skipped");
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // `file_type` does not follow symbolic links; links are skipped outright.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() || name.starts_with('.') {
                continue;
            }
            if kind.is_dir() {
                if name != "target" && name != "node_modules" {
                    dirs.push(entry.path());
                }
            } else if kind.is_file() && is_manuscript(Path::new(&*name)) {
                match entry.metadata() {
                    Ok(m) if m.len() <= MAX_FILE_BYTES => files.push(entry.path()),
                    _ => {
                        tracing::debug!(file = %entry.path().display(), "too large or unreadable; not indexed")
                    }
                }
                if files.len() >= MAX_FILES {
                    tracing::warn!(
                        max = MAX_FILES,
                        "workspace index is full; further files are not indexed"
                    );
                    break;
                }
            }
        }
    }
    files.sort();
    files
}

fn is_manuscript(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt")
    )
}

/// Reads and analyses one file; its outline as symbol information. A file open in the editor
/// (`is_open`) is not read: workspace/symbol answers for it from its own analysis, so it gets
/// an empty entry, filled in from that analysis when the document is closed. (Analysing it
/// here too would double the work and the memory of opening a large manuscript.)
pub fn index_file(
    path: &Path,
    config: &Config,
    enc: PositionEncoding,
    is_open: &dyn Fn(&Uri) -> bool,
) -> Option<(Uri, Vec<lsp::SymbolInformation>)> {
    let uri = Uri::from_file_path(path)?;
    if is_open(&uri) {
        return Some((uri, Vec::new()));
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            tracing::debug!(file = %path.display(), error = %e, "not indexed");
            return None;
        }
    };
    let format = from_proto::format_for_path(path);
    let analysis = guard::catch("workspace indexing", || {
        engine::analyze_as(&text, format, config)
    })
    .ok()?;
    let snap = Snapshot::new(0, text, analysis, enc);
    let symbols = guard::catch("workspace symbols", || {
        nav::symbols(&snap.analysis, &snap.text)
    })
    .ok()?;
    Some((uri.clone(), to_proto::flat_symbols(&uri, &snap, &symbols)))
}

/// Whether a symbol name matches a query: case-insensitive substring; the empty query matches
/// everything.
pub fn matches(query: &str, name: &str) -> bool {
    query.is_empty() || name.to_lowercase().contains(&query.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_is_bounded_and_skips_hidden_build_dirs_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("stories/.git")).unwrap();
        std::fs::create_dir_all(root.join("node_modules")).unwrap();
        std::fs::create_dir_all(root.join("target")).unwrap();
        std::fs::write(root.join("a.md"), "A").unwrap();
        std::fs::write(root.join("stories/b.TXT"), "B").unwrap();
        std::fs::write(root.join("stories/c.rs"), "C").unwrap();
        std::fs::write(root.join("stories/.git/d.md"), "D").unwrap();
        std::fs::write(root.join("node_modules/e.md"), "E").unwrap();
        std::fs::write(root.join("target/f.md"), "F").unwrap();
        std::fs::write(root.join("big.md"), vec![b'x'; MAX_FILE_BYTES as usize + 1]).unwrap();
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("g.md"), "G").unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
            std::os::unix::fs::symlink(outside.path().join("g.md"), root.join("g.md")).unwrap();
        }
        let names: Vec<_> = collect_files(root)
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![PathBuf::from("a.md"), PathBuf::from("stories/b.TXT")]
        );
    }

    #[test]
    fn an_open_file_is_not_read_but_keeps_a_place_in_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.md");
        std::fs::write(
            &path,
            "# Story\n\nXi Jinping met Vladimir Putin in Moscow.\n",
        )
        .unwrap();
        let config = Config::default();
        let closed = index_file(&path, &config, PositionEncoding::Utf16, &|_| false).unwrap();
        assert!(
            closed.1.iter().any(|s| s.name.contains("Putin")),
            "{:?}",
            closed.1
        );
        let open =
            index_file(&path, &config, PositionEncoding::Utf16, &|u| *u == closed.0).unwrap();
        assert_eq!(open.0, closed.0);
        assert!(open.1.is_empty());
    }

    #[test]
    fn query_matching_ignores_case() {
        assert!(matches("heus", "Christoph Heusgen"));
        assert!(matches("", "anything"));
        assert!(!matches("xi", "Putin"));
    }
}
