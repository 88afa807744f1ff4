-- copydesk for Neovim 0.7-0.10 and for nvim-lspconfig users.
--
--   require("copydesk").setup()                       -- plain config
--   require("copydesk").setup({ cmd = { "/path/to/copydesk", "lsp", "--stdio" },
--                               settings = { copydesk = { inlayHints = false } } })
--
-- On Neovim 0.11+ setup() hands the options to vim.lsp.config("copydesk") and enables it, so
-- lsp/copydesk.lua stays the one definition. Otherwise, when nvim-lspconfig is installed it
-- registers `copydesk` with lspconfig and calls its setup; without it, it starts the server
-- itself on the FileType event.
local M = {}

M.filetypes = { "markdown", "text" }
M.root_markers = { "copydesk.toml", ".git" }

local function defaults()
  return {
    name = "copydesk",
    cmd = { "copydesk", "lsp", "--stdio" },
    filetypes = M.filetypes,
    settings = { copydesk = vim.empty_dict() },
  }
end

-- Nearest folder above `path` holding one of the root markers; else the file's own folder.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "" do
    for _, marker in ipairs(M.root_markers) do
      if (vim.uv or vim.loop).fs_stat(dir .. "/" .. marker) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then break end
    dir = parent
  end
  return vim.fn.fnamemodify(path, ":p:h")
end

local function init_options(config)
  return config.init_options or (config.settings and config.settings.copydesk) or vim.empty_dict()
end

function M.setup(opts)
  opts = opts or {}
  if vim.lsp.config and vim.lsp.enable and not opts.legacy then -- Neovim 0.11+
    local o = vim.deepcopy(opts)
    o.legacy = nil
    vim.lsp.config("copydesk", o)
    vim.lsp.enable("copydesk")
    return
  end
  local config = vim.tbl_deep_extend("force", defaults(), opts)
  config.legacy = nil
  config.init_options = init_options(config)

  local ok, configs = pcall(require, "lspconfig.configs")
  if ok and not opts.legacy then
    if not configs.copydesk then
      configs.copydesk = {
        default_config = {
          cmd = config.cmd,
          filetypes = config.filetypes,
          root_dir = require("lspconfig.util").root_pattern(unpack(M.root_markers)),
          settings = config.settings,
          init_options = config.init_options,
        },
        docs = { description = "copydesk: a copy editor for news manuscripts" },
      }
    end
    require("lspconfig").copydesk.setup(opts)
    return
  end

  local group = vim.api.nvim_create_augroup("copydesk", { clear = true })
  local clients = {} -- root folder -> client id (Neovim 0.7 has no vim.lsp.start)
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      local name = vim.api.nvim_buf_get_name(args.buf)
      if name == "" then name = vim.fn.getcwd() .. "/untitled" end
      local c = vim.deepcopy(config)
      c.filetypes = nil
      c.root_dir = M.root_dir(name)
      if vim.lsp.start then -- Neovim 0.8-0.10
        vim.lsp.start(c, { bufnr = args.buf })
      else -- Neovim 0.7
        local id = clients[c.root_dir]
        if not id or vim.lsp.client_is_stopped(id) then
          id = vim.lsp.start_client(c)
          clients[c.root_dir] = id
        end
        if id then vim.lsp.buf_attach_client(args.buf, id) end
      end
    end,
  })
end

return M
