-- Headless test of xlic.lua in a real Neovim (0.10+) against the real xlic-lsp.
-- Run by editors/neovim/test.sh:  nvim --headless --clean -l client_test.lua WORKDIR
-- WORKDIR holds deal.xlic (made by test.sh). $XLIC_REPO and $XLIC_LSP point at the
-- checkout and the server binary. Exits 0 when every check passed, 1 otherwise.

local workdir = assert(arg[1], "usage: client_test.lua WORKDIR")
local passed, failed = 0, 0

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    io.stdout:write("ok   " .. name .. "\n")
  else
    failed = failed + 1
    io.stdout:write("FAIL " .. name .. (detail and (": " .. detail) or "") .. "\n")
  end
end

local function finish()
  io.stdout:write(string.format("neovim: %d passed, %d failed\n", passed, failed))
  io.stdout:flush()
  os.exit(failed == 0 and 0 or 1)
end

-- Keep the server's exit code: wrap vim.lsp.start before xlic.lua uses it.
local exit_code
local start = vim.lsp.start
vim.lsp.start = function(config, opts)
  config.on_exit = function(code)
    exit_code = code
  end
  return start(config, opts)
end

-- The parser test.sh compiled (xlic.lua loads the queries from the checkout).
if vim.env.XLIC_TEST_SITE then
  vim.opt.runtimepath:append(vim.env.XLIC_TEST_SITE)
end

local xlic = dofile(vim.env.XLIC_REPO .. "/editors/neovim/xlic.lua")
check("xlic.lua loads", type(xlic) == "table")

local path = workdir .. "/deal.xlic"
vim.cmd.edit(path)
local buf = vim.api.nvim_get_current_buf()
check("filetype is xlic", vim.bo[buf].filetype == "xlic", vim.bo[buf].filetype)

-- Tree-sitter: the parser runs and the highlight query captures asset references.
local function captures_at(row, col)
  local names = {}
  for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
    table.insert(names, c.capture)
  end
  return names
end
local ts_ok = pcall(vim.treesitter.get_parser, buf, "xlic")
check("tree-sitter parser for xlic", ts_ok)
if ts_ok then
  for _, needle in ipairs({ "assets acme_motion", "reserve acme_motion", "improvements on acme_motion" }) do
    local row, col
    for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local c = l:find(needle, 1, true)
      if c then
        row, col = i - 1, c - 1 + #needle - 2
        break
      end
    end
    local names = row and captures_at(row, col) or {}
    check("asset reference in `" .. needle .. "` is highlighted", vim.tbl_contains(names, "variable"), table.concat(names, ","))
  end
end

local client
vim.wait(10000, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = "xlic-lsp" })[1]
  return client ~= nil and client.initialized
end, 20)
if not client then
  check("xlic-lsp attached", false)
  finish()
end
check("xlic-lsp attached", true)

-- Diagnostics: the misspelt party `globexx` is E0101.
local diags = {}
vim.wait(10000, function()
  diags = vim.diagnostic.get(buf)
  return #diags > 0
end, 20)
local codes = {}
for _, d in ipairs(diags) do
  table.insert(codes, tostring(d.code))
end
check("diagnostics: E0101 for `globexx`", vim.tbl_contains(codes, "E0101"), table.concat(codes, ","))

local function lines()
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

-- The 0-based position of the first `needle` (plus `shift` characters).
local function find(needle, shift)
  for i, l in ipairs(lines()) do
    local col = l:find(needle, 1, true)
    if col then
      return { line = i - 1, character = col - 1 + (shift or 0) }
    end
  end
  error("not found: " .. needle)
end

local function request(method, position, extra)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }
  for k, v in pairs(extra or {}) do
    params[k] = v
  end
  local res, err = client:request_sync(method, params, 10000, buf)
  if not res or res.err then
    return nil, vim.inspect(err or (res and res.err))
  end
  return res.result
end

-- Hover on an asset name.
local hover = request("textDocument/hover", find("assets acme_motion", 8))
local hover_text = hover and hover.contents and hover.contents.value or ""
check("hover on `acme_motion` describes the asset", hover_text:find("patent family", 1, true) ~= nil, hover_text)

-- Definition of `acme` in a grant: the party declaration.
local def = request("textDocument/definition", find("acme -> globexx", 1))
if def and def[1] then
  def = def[1]
end
local want = find("party acme", 6)
check(
  "definition of `acme` is its declaration",
  def and def.range and def.range.start.line == want.line and def.range.start.character == want.character,
  vim.inspect(def)
)

-- Rename `acme_motion` everywhere (applied as an editor does).
local function count(word)
  local n = 0
  for _, l in ipairs(lines()) do
    for _ in l:gmatch(word .. "%f[^%w_]") do
      n = n + 1
    end
  end
  return n
end
local before = count("acme_motion")
local edit, err = request("textDocument/rename", find("asset acme_motion", 6), { newName = "acme_motion_v2" })
if edit then
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
end
check(
  "rename `acme_motion` edits every use",
  before > 1 and count("acme_motion_v2") == before and count("acme_motion") == 0,
  string.format("%s; before %d, after %d", tostring(err), before, count("acme_motion_v2"))
)

-- Formatting: the badly spaced party line is re-printed.
vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = 10000 })
check(
  "formatting re-prints `party   zed`",
  vim.tbl_contains(lines(), 'party zed "Zed"'),
  table.concat(vim.tbl_filter(function(l)
    return l:find("zed", 1, true)
  end, lines()), " | ")
)

-- Shutdown: the server exits with 0.
client:stop()
vim.wait(10000, function()
  return exit_code ~= nil
end, 20)
check("the server exits with 0 after shutdown", exit_code == 0, tostring(exit_code))
finish()
