# Shared by editors/neovim/test.sh and editors/emacs/test.sh (sourced, not run):
# sets XLIC_LSP (building the server when it is missing) and makes $work, a scratch
# folder removed on exit, holding deal.xlic: examples/acme_globex.xlic with a
# misspelt party (E0101) and a badly spaced line for the formatter.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export XLIC_LSP="${XLIC_LSP:-$repo/target/debug/xlic-lsp}"
[ -x "$XLIC_LSP" ] || (cd "$repo" && cargo build -q -p xlic-lsp)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed 's/acme -> globex {/acme -> globexx {/' "$repo/examples/acme_globex.xlic" > "$work/deal.xlic"
printf '\nparty   zed    "Zed"\n' >> "$work/deal.xlic"
