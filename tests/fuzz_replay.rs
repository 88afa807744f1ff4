//! Corpus replay: every file under `fuzz/seeds/<target>/` and `fuzz/regressions/<target>/` goes
//! through the same function its fuzz target calls (`fuzz/checks.rs`), so an input that crashed a
//! fuzzer once stays fixed. This takes seconds; the fuzzers themselves run for minutes or hours
//! (see docs/reliability.md).

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// The files of one target's seed and regression directories, sorted for a stable order.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) {
            out.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file()),
            );
        }
    }
    out.sort();
    out
}

/// Replays a target's inputs, naming the file that fails.
fn replay(target: &str, body: fn(&[u8])) -> usize {
    let files = inputs(target);
    for path in &files {
        let data =
            std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let result = std::panic::catch_unwind(|| body(&data));
        assert!(
            result.is_ok(),
            "fuzz target `{target}` fails on {}",
            path.display()
        );
    }
    files.len()
}

#[test]
fn analyze_corpus() {
    assert!(
        replay("analyze", checks::analyze) > 0,
        "no seeds for `analyze`"
    );
}

#[test]
fn cache_edit_corpus() {
    assert!(
        replay("cache_edit", checks::cache_edit) > 0,
        "no seeds for `cache_edit`"
    );
}

#[test]
fn markup_corpus() {
    assert!(
        replay("markup", checks::markup) > 0,
        "no seeds for `markup`"
    );
}

#[test]
fn position_corpus() {
    assert!(
        replay("position", checks::position) > 0,
        "no seeds for `position`"
    );
}

#[test]
fn lsp_reader_corpus() {
    assert!(
        replay("lsp_reader", checks::lsp_reader) > 0,
        "no seeds for `lsp_reader`"
    );
}
