//! Request handlers. Each is thin: `from_proto` → an engine function → `to_proto`, over one
//! [`super::documents::Snapshot`]. Fetching the snapshot and the panic boundary are the
//! caller's job (see [`super::Backend`]).

pub mod actions;
pub mod decorations;
pub mod navigation;
pub mod symbols;
pub mod workspace;
