//! Writes a generated news manuscript to stdout (see `copydesk::generate`).
//!
//! ```text
//! cargo run --release --example gen_manuscript -- --size 20MB --seed 1 > /tmp/doc_20m.md
//! cargo run --release --example gen_manuscript -- --size 10KB --plain --ascii
//! ```

use std::io::Write;

use copydesk::generate::{Options, manuscript, parse_size};

fn main() {
    let mut opts = Options::markdown(1, 10_000);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--size" => match args.next().as_deref().and_then(parse_size) {
                Some(n) => opts.size = n,
                None => {
                    eprintln!("--size needs a size such as 10KB, 1MB or 20MB");
                    std::process::exit(2);
                }
            },
            "--seed" => match args.next().and_then(|s| s.parse().ok()) {
                Some(n) => opts.seed = n,
                None => {
                    eprintln!("--seed needs a number");
                    std::process::exit(2);
                }
            },
            "--plain" => opts.markdown = false,
            "--ascii" => opts.ascii = true,
            other => {
                eprintln!("unknown argument {other:?}; use --size, --seed, --plain, --ascii");
                std::process::exit(2);
            }
        }
    }
    let text = manuscript(&opts);
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes()) {
        eprintln!("cannot write: {e}");
        std::process::exit(1);
    }
}
