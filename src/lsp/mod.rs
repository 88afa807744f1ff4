//! The language server: the only module that names LSP types.
