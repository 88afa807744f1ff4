//! The language server: the only module that names LSP types.

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

/// Serves the language server over stdin and stdout until the client exits. Builds its own
/// tokio runtime.
pub fn run_stdio() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}

/// Serves the language server over any byte streams (tests use an in-memory duplex).
pub async fn serve<I: AsyncRead + Unpin, O: AsyncWrite>(input: I, output: O) {
    let (service, socket) = LspService::new(|client| Backend { _client: client });
    Server::new(input, output, socket).serve(service).await;
}

struct Backend {
    _client: Client,
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> RpcResult<InitializeResult> {
        Ok(InitializeResult::default())
    }

    async fn shutdown(&self) -> RpcResult<()> {
        Ok(())
    }
}
