-- Headless Neovim end-to-end test of copydesk through the shipped Neovim config
-- (lsp/copydesk.lua on 0.11+, require("copydesk").setup() on older versions).
--
--   COPYDESK_BIN=target/release/copydesk timeout 120 nvim --headless --clean -u editors/nvim/test/lsp_test.lua
--
-- Works on Neovim 0.7 and 0.11. Exit status 0 when every check passed, 1 otherwise.
local this = debug.getinfo(1, "S").source:sub(2)
local editors = vim.fn.fnamemodify(this, ":p:h:h:h") -- .../editors
local BIN = os.getenv("COPYDESK_BIN") or "copydesk"
if BIN:find("/", 1, true) then BIN = vim.fn.fnamemodify(BIN, ":p") end -- the server starts in the workspace
local WAIT = tonumber(os.getenv("COPYDESK_TEST_WAIT_MS") or "15000")

local function log(msg) io.stdout:write(msg .. "\n") end
local failures, checks = {}, 0
local function check(cond, msg)
  checks = checks + 1
  log((cond and "ok   " or "FAIL ") .. msg)
  if not cond then table.insert(failures, msg) end
  return cond
end
local function short(v) return vim.inspect(v, { newline = " ", indent = "" }):sub(1, 300) end

local has011 = vim.fn.has("nvim-0.11") == 1
local function clients(buf)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf, name = "copydesk" }) end
  local out = {}
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    if c.name == "copydesk" then table.insert(out, c) end
  end
  return out
end

-- Positions: Neovim columns are bytes; the LSP side uses the negotiated encoding.
local function enc_of(client) return client.offset_encoding or "utf-16" end
local function to_lsp_col(line, bytecol, enc)
  if enc == "utf-8" then return bytecol end
  local sub = line:sub(1, bytecol)
  local n32, n16 = vim.str_utfindex(sub)
  if has011 then
    n32 = vim.str_utfindex(sub, "utf-32")
    n16 = vim.str_utfindex(sub, "utf-16")
  end
  return enc == "utf-32" and n32 or n16
end
local function to_byte_col(line, col, enc)
  if enc == "utf-8" then return col end
  if has011 then return vim.str_byteindex(line, enc, col, false) end
  return vim.str_byteindex(line, col, enc == "utf-16")
end
local function buf_line(buf, lnum) return vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] or "" end
local function range_text(buf, range, enc)
  local s, e = range.start, range["end"]
  local sl, el = buf_line(buf, s.line), buf_line(buf, e.line)
  local sc, ec = to_byte_col(sl, s.character, enc), to_byte_col(el, e.character, enc)
  local text = vim.api.nvim_buf_get_text(buf, s.line, sc, e.line, ec, {})
  return table.concat(text, "\n")
end

-- 0-based line and byte column of `word` inside the first line containing `context`.
local function find(buf, context, word)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = l:find(context, 1, true)
    if at then
      local w = l:find(word, at, true)
      return i - 1, w - 1
    end
  end
  error("text not found: " .. context)
end

local CAP = {
  ["textDocument/hover"] = "hoverProvider", ["textDocument/definition"] = "definitionProvider",
  ["textDocument/references"] = "referencesProvider", ["textDocument/rename"] = "renameProvider",
}
local function request(buf, client, method, params)
  local caps = client.server_capabilities or {}
  local cap = caps[CAP[method]]
  if cap == nil or cap == false then return nil, "server does not advertise " .. CAP[method] end
  local resp, err = vim.lsp.buf_request_sync(buf, method, params, WAIT)
  if not resp then return nil, tostring(err) end
  local r = resp[client.id]
  if not r then return nil, "no response" end
  if r.err or r.error then return nil, short(r.err or r.error) end
  return r.result
end
local function pos_params(buf, client, context, word)
  local l, c = find(buf, context, word)
  return {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = l, character = to_lsp_col(buf_line(buf, l), c, enc_of(client)) },
  }
end

-- Count every publishDiagnostics per URI, so a test can wait for a (possibly empty) publish.
local published = {}
local orig = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and result.uri then published[result.uri] = (published[result.uri] or 0) + 1 end
  return orig(err, result, ctx, config)
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end
local function lines_with(buf, code)
  local ls = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == code then table.insert(ls, d.lnum) end
  end
  table.sort(ls)
  return table.concat(ls, ",")
end

local function open(dir, name)
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/" .. name))
  local buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(WAIT, function() return #clients(buf) > 0 end, 20)
  check(ok, name .. ": copydesk attached (filetype " .. vim.bo[buf].filetype .. ")")
  local client = clients(buf)[1]
  local uri = vim.uri_from_bufnr(buf)
  check(vim.wait(WAIT, function() return (published[uri] or 0) > 0 end, 20), name .. ": diagnostics published")
  return buf, client
end

local function main()
  local v = vim.version()
  log(string.format("nvim %d.%d.%d, server %s", v.major, v.minor, v.patch, BIN))
  vim.opt.runtimepath:append(editors .. "/nvim")
  vim.cmd("filetype on") -- -u runs before filetype detection is enabled

  -- a workspace with the root marker and copies of the fixtures
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir .. "/desk", "p")
  dir = dir .. "/desk"
  vim.fn.writefile({}, dir .. "/copydesk.toml")
  for _, f in ipairs({ "quotes.md", "xi-moscow.md" }) do
    vim.fn.writefile(vim.fn.readfile(editors .. "/testdata/" .. f, "b"), dir .. "/" .. f, "b")
  end

  local cmd = { BIN, "lsp", "--stdio" }
  if has011 then
    vim.lsp.config("copydesk", { cmd = cmd }) -- everything else from lsp/copydesk.lua
    vim.lsp.enable("copydesk")
  else
    require("copydesk").setup({ cmd = cmd })
  end

  -- 1. diagnostics on a small manuscript, and an edit that moves them
  local buf, client = open(dir, "quotes.md")
  if not client then return end
  check(vim.bo[buf].filetype == "markdown", "filetype markdown")
  check(vim.fn.resolve(client.config.root_dir or "") == vim.fn.resolve(dir), "root dir from copydesk.toml (" .. tostring(client.config.root_dir) .. ")")
  log("     offset encoding " .. enc_of(client))
  local bare = find(buf, "Nobody saw it coming", "Nobody")
  check(vim.wait(WAIT, function() return lines_with(buf, "unattributed-quote") == tostring(bare) end, 20),
    "unattributed-quote on line " .. bare .. " (got [" .. lines_with(buf, "unattributed-quote") .. "])")
  local first = vim.diagnostic.get(buf)[1]
  check(first ~= nil and first.source == "copydesk", "diagnostic source copydesk (" .. short(first and first.source) .. ")")

  -- the reporter attributes the bare quote and adds another one at the end
  vim.api.nvim_buf_set_lines(buf, bare, bare + 1, false, { "“Nobody saw it coming,” the mayor said." })
  local n = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, n, n, false, { "", "“Another quote with no speaker.”" })
  local want = tostring(n + 1)
  check(vim.wait(WAIT, function() return lines_with(buf, "unattributed-quote") == want end, 20),
    "after the edit unattributed-quote moves to line " .. want .. " (got [" .. lines_with(buf, "unattributed-quote") .. "])")

  -- 2. navigation on the example article
  buf, client = open(dir, "xi-moscow.md")
  if not client then return end
  local enc = enc_of(client)

  local hover, err = request(buf, client, "textDocument/hover", pos_params(buf, client, "Heusgen: “Russia is now", "Heusgen"))
  local hv = ""
  if hover and hover.contents then
    local c = hover.contents
    if type(c) == "string" then hv = c
    elseif c.value then hv = c.value
    else
      for _, x in ipairs(c) do hv = hv .. "\n" .. (type(x) == "string" and x or x.value or "") end
    end
  end
  for _, want_text in ipairs({ "Christoph Heusgen", "head of the Munich Security Conference", "3 quotes" }) do
    check(hv:find(want_text, 1, true) ~= nil, "hover on Heusgen shows " .. want_text .. " (" .. short(hover or err) .. ")")
  end

  local first_line = find(buf, "Chinese President Xi Jinping", "Chinese")
  local def
  def, err = request(buf, client, "textDocument/definition", pos_params(buf, client, "Of course, Xi appreciates", "Xi"))
  if def and def[1] then def = def[1] end
  local drange = def and (def.targetSelectionRange or def.range)
  check(drange ~= nil and drange.start.line == first_line,
    "definition of Xi on line " .. first_line .. " (" .. short(drange or err) .. ")")
  if drange then
    local t = range_text(buf, drange, enc)
    check(t:find("Xi", 1, true) ~= nil, "definition lands on Xi Jinping (" .. short(t) .. ")")
  end

  local rp = pos_params(buf, client, "Putin himself seems", "Putin")
  rp.context = { includeDeclaration = true }
  local refs
  refs, err = request(buf, client, "textDocument/references", rp)
  local texts = {}
  for _, loc in ipairs(refs or {}) do table.insert(texts, range_text(buf, loc.range, enc)) end
  for _, want_text in ipairs({ "Vladimir Putin", "The Kremlin chief" }) do
    local found = false
    for _, t in ipairs(texts) do found = found or t:find(want_text, 1, true) ~= nil end
    check(found, "references of Putin include " .. want_text .. " (" .. short(refs and texts or err) .. ")")
  end

  local np = pos_params(buf, client, "Heusgen: “Russia is now", "Heusgen")
  np.newName = "Anna Becker"
  local edit
  edit, err = request(buf, client, "textDocument/rename", np)
  check(edit ~= nil, "rename returns an edit (" .. short(edit or err) .. ")")
  if edit then
    vim.lsp.util.apply_workspace_edit(edit, enc)
    local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
    check(text:find("said Anna Becker on Monday", 1, true) ~= nil, "rename: Christoph Heusgen -> Anna Becker")
    check(text:find("Becker: “Russia is now", 1, true) ~= nil, "rename: Heusgen -> Becker")
    check(text:find("Heusgen", 1, true) == nil, "rename: no Heusgen left")
  end

  for _, c in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    c.stop()
  end
end

local ok, err = xpcall(main, debug.traceback)
if not ok then check(false, "script error: " .. tostring(err)) end
log(string.format("%d checks, %d failed", checks, #failures))
if #failures > 0 then
  vim.cmd("cquit 1")
else
  vim.cmd("qall!")
end
