#!/usr/bin/env bash
# Runs editors/neovim/xlic.lua in a real headless Neovim against target/debug/xlic-lsp:
# tree-sitter highlighting (asset references captured), diagnostics, hover,
# definition, rename, formatting and a clean shutdown. NVIM names
# the Neovim to use (0.10+; default `nvim`). When NVIM_OLD names an older Neovim
# (Debian's 0.7), also checks that xlic.lua only says which version it needs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nvim="${NVIM:-nvim}"
# shellcheck source=../test-workspace.sh
source "$here/../test-workspace.sh"
export XLIC_REPO="$repo"
# The tree-sitter parser, compiled as the README says, on a scratch runtimepath.
mkdir -p "$work/site/parser"
cc -shared -fPIC -O1 -I"$repo/editors/tree-sitter-xlic/src" \
  "$repo/editors/tree-sitter-xlic/src/parser.c" -o "$work/site/parser/xlic.so"
export XLIC_TEST_SITE="$work/site"
"$nvim" --version | sed -n 1p
(cd "$work" && timeout 120 "$nvim" --headless --clean -l "$here/test/client_test.lua" "$work")

if [ -n "${NVIM_OLD:-}" ]; then
  "$NVIM_OLD" --version | sed -n 1p
  out="$(cd "$work" && timeout 60 "$NVIM_OLD" --headless --clean \
    -c "luafile $here/xlic.lua" -c 'sleep 50m' -c 'messages' -c 'qa!' 2>&1 || true)"
  if grep -q "needs Neovim 0.10 or newer" <<<"$out" && ! grep -q "E5113" <<<"$out"; then
    echo "ok   an old Neovim is told which version xlic.lua needs"
  else
    echo "FAIL an old Neovim: $out"
    exit 1
  fi
fi
# Without the server: one warning that says how to get it.
out="$(cd "$work" && XLIC_LSP=/nonexistent/xlic-lsp timeout 60 "$nvim" --headless --clean \
  -c "luafile $here/xlic.lua" -c "edit deal.xlic" -c 'sleep 50m' -c 'messages' -c 'qa!' 2>&1 || true)"
if grep -q "was not found" <<<"$out"; then
  echo "ok   a missing server is reported"
else
  echo "FAIL a missing server is not reported: $out"
  exit 1
fi
