-- xlic support for Neovim 0.10+: filetype, language server, tree-sitter parser.
-- On an older Neovim it only says which version it needs.
--
-- Put this file on your runtimepath (e.g. ~/.config/nvim/plugin/xlic.lua) or
-- `require` it from init.lua. Adjust the two paths below to your checkout.
-- See editors/neovim/README.md.

local M = {}

-- The oldest Neovim this file works with. Older ones (Debian's 0.7, say) lack
-- vim.fs.root and vim.lsp.start's root handling: say so once instead of failing
-- with an error in the middle of the file.
M.min_version = "0.10"
if vim.fn.has("nvim-" .. M.min_version) ~= 1 then
  local v = vim.version and vim.version() or {}
  local have = v.major and string.format("%d.%d.%d", v.major, v.minor, v.patch) or "an older version"
  vim.schedule(function()
    vim.notify(
      string.format("xlic.lua needs Neovim %s or newer; this is %s. xlic support is off.", M.min_version, have),
      vim.log.levels.ERROR
    )
  end)
  return M
end

-- Where the xlic repository is checked out (for the grammar and the queries).
M.repo = vim.env.XLIC_REPO or vim.fn.expand("~/src/xlic")
-- The language server binary: on PATH, or target/debug/xlic-lsp of the checkout.
M.server = vim.env.XLIC_LSP or "xlic-lsp"

-- 1. Filetype -----------------------------------------------------------------
vim.filetype.add({ extension = { xlic = "xlic" } })

vim.api.nvim_create_autocmd("FileType", {
  pattern = "xlic",
  group = vim.api.nvim_create_augroup("xlic", { clear = true }),
  callback = function(args)
    vim.bo[args.buf].commentstring = "// %s"
    vim.bo[args.buf].shiftwidth = 2
    vim.bo[args.buf].expandtab = true

    -- 2. Language server ------------------------------------------------------
    if vim.fn.executable(M.server) == 1 then
      vim.lsp.start({
        name = "xlic-lsp",
        cmd = { M.server },
        root_dir = vim.fs.root(args.buf, { ".git" }) or vim.fn.getcwd(),
      })
    elseif not M.warned_missing then
      -- Once per session: the buffer still gets filetype and tree-sitter support.
      M.warned_missing = true
      vim.notify(
        string.format(
          "xlic: the language server `%s` was not found (set $XLIC_LSP or put xlic-lsp on PATH; "
            .. "build it with `cargo build -p xlic-lsp`); no diagnostics, hover or completion",
          M.server
        ),
        vim.log.levels.WARN
      )
    end

    -- Tree-sitter highlighting and folding, when the parser is installed.
    if pcall(vim.treesitter.start, args.buf, "xlic") then
      vim.wo.foldmethod = "expr"
      vim.wo.foldexpr = "v:lua.vim.treesitter.foldexpr()"
      vim.wo.foldlevel = 99
    end
  end,
})

-- 3. Tree-sitter parser (nvim-treesitter) --------------------------------------
-- Registers tree-sitter-xlic so that `:TSInstall xlic` builds it from the
-- checkout. Works with both the `master` and the `main` branch of nvim-treesitter.
local ok, parsers = pcall(require, "nvim-treesitter.parsers")
if ok then
  local install_info = {
    url = M.repo .. "/editors/tree-sitter-xlic", -- a local directory is fine
    files = { "src/parser.c" },                  -- master branch
    generate_requires_npm = false,
    requires_generate_from_grammar = false,
  }
  if type(parsers.get_parser_configs) == "function" then
    parsers.get_parser_configs().xlic = { install_info = install_info, filetype = "xlic" }
  else
    vim.api.nvim_create_autocmd("User", {
      pattern = "TSUpdate",
      callback = function()
        require("nvim-treesitter.parsers").xlic = {
          install_info = { path = install_info.url, queries = "queries" },
        }
      end,
    })
  end
end
vim.treesitter.language.register("xlic", "xlic")

-- The highlight and fold queries: nvim looks them up as queries/xlic/*.scm on
-- the runtimepath (see the README for the symlink). When none is found there,
-- load them straight from the checkout (needs the parser to be installed).
local qdir = M.repo .. "/editors/tree-sitter-xlic/queries"
for _, name in ipairs({ "highlights", "folds" }) do
  local path = qdir .. "/" .. name .. ".scm"
  if vim.fn.filereadable(path) == 1 and #vim.api.nvim_get_runtime_file("queries/xlic/" .. name .. ".scm", false) == 0 then
    pcall(vim.treesitter.query.set, "xlic", name, table.concat(vim.fn.readfile(path), "\n"))
  end
end

return M
