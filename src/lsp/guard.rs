//! The panic boundary around every engine call.
//!
//! tower-lsp-server has no panic boundary of its own: a panic in a handler would take the
//! connection down. Every call into the engine goes through [`catch`], which turns a panic into
//! a logged error and a JSON-RPC `InternalError` for the request that triggered it. The caller
//! keeps its last good results.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tower_lsp_server::jsonrpc;

/// Runs `f`, turning a panic into an `InternalError` that names `what`. The panic message is
/// logged.
pub fn catch<T>(what: &str, f: impl FnOnce() -> T) -> jsonrpc::Result<T> {
    // The closures passed here only read shared data or own what they mutate (an analyzer whose
    // cache is reset after a panic), so observing them after an unwind is sound.
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        tracing::error!(what, %message, "the engine panicked; keeping the last good results");
        internal_error(format!("copydesk failed in {what}: {message}"))
    })
}

/// An `InternalError` response with `message`.
pub fn internal_error(message: impl Into<String>) -> jsonrpc::Error {
    jsonrpc::Error {
        code: jsonrpc::ErrorCode::InternalError,
        message: message.into().into(),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let err = catch("test", || -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(err.code, jsonrpc::ErrorCode::InternalError);
        assert!(err.message.contains("boom"), "{}", err.message);
        assert_eq!(catch("test", || 7).unwrap(), 7);
    }
}
