//! Heap use of the engine on a generated manuscript: the bytes held by the word lists and
//! gazetteer (built once per process), by a warm [`Analyzer`] (its copy of the text and the
//! cached paragraph scans), by one [`Analysis`], and the peak while analysing, counted by a
//! wrapping global allocator.
//!
//! ```text
//! cargo run --release --example memory_engine -- 1MB
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use copydesk::engine::{Analyzer, Config, Format};
use copydesk::generate;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn mib(n: usize) -> f64 {
    n as f64 / (1024.0 * 1024.0)
}

fn main() {
    let size = std::env::args()
        .nth(1)
        .and_then(|s| generate::parse_size(&s))
        .unwrap_or(1_000_000);
    let config = Config::default();
    let text = generate::markdown(1, size);
    // The word lists and gazetteer automata are built once per process, on first use.
    let before_tables = LIVE.load(Ordering::Relaxed);
    drop(Analyzer::default().analyze(&generate::markdown(2, 2_000), Format::Markdown, &config));
    let tables = LIVE.load(Ordering::Relaxed) - before_tables;
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut analyzer = Analyzer::default();
    let analysis = analyzer.analyze(&text, Format::Markdown, &config);
    let with_both = LIVE.load(Ordering::Relaxed) - base;
    let peak = PEAK.load(Ordering::Relaxed) - base;
    drop(analysis);
    let analyzer_only = LIVE.load(Ordering::Relaxed) - base;
    println!(
        "{} bytes of text: word lists and gazetteer {:.1} MiB, analyzer (text copy + paragraph scans) {:.1} MiB, analysis {:.1} MiB, peak while analysing {:.1} MiB",
        text.len(),
        mib(tables),
        mib(analyzer_only),
        mib(with_both - analyzer_only),
        mib(peak)
    );
}
