//! copydesk: a copy editor for news manuscripts, as a library, a language server and a CLI.
//!
//! Layout and invariants:
//! - [`engine`] is the pure analysis core: text and a [`engine::Config`] in, an
//!   [`engine::Analysis`] out. It does no I/O, knows nothing of LSP, tokio or ropey, and cannot
//!   fail: malformed prose is a finding, not an error. All offsets are UTF-8 byte offsets into the
//!   analysed text, end exclusive.
//! - [`lsp`] is the only module that names LSP types. It keeps each open document in a `ropey`
//!   buffer, applies edits in arrival order before any `.await`, converts byte offsets to the
//!   negotiated position encoding, and never publishes results for a stale version.
//! - [`cli`] renders the same analysis for terminals, CI and batch jobs.
//!
//! The modules document their private helpers too, and link to them: read these docs with
//! `cargo doc --document-private-items`.
#![allow(rustdoc::private_intra_doc_links)]
pub mod cli;
pub mod engine;
#[doc(hidden)]
pub mod generate;
pub mod lsp;
