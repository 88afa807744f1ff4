-- copydesk language server for Neovim 0.11+ (`:help lsp-config`).
--
-- With editors/nvim on 'runtimepath', this file is found by name:
--
--   vim.lsp.enable("copydesk")
--
-- and any field can be overridden first, for example:
--
--   vim.lsp.config("copydesk", {
--     cmd = { "/path/to/copydesk", "lsp", "--stdio" },
--     settings = { copydesk = { publicationDate = "2023-03-20", checks = { ["vague-source"] = "info" } } },
--   })
--
-- Settings (the `copydesk` table) reach the server twice: as initializationOptions when it
-- starts, and through workspace/didChangeConfiguration, which Neovim sends after start and
-- whenever `client.settings` changes and is notified.

---@type vim.lsp.Config
return {
  cmd = { "copydesk", "lsp", "--stdio" },
  filetypes = { "markdown", "text" },
  root_markers = { "copydesk.toml", ".git" },
  settings = { copydesk = vim.empty_dict() },
  before_init = function(params, config)
    -- The server reads its settings from initializationOptions: send the copydesk section.
    if params.initializationOptions == nil and config.settings then
      params.initializationOptions = config.settings.copydesk
    end
  end,
}
