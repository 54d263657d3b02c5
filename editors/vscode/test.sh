#!/usr/bin/env bash
# Offline test suite of the VS Code extension. Run from anywhere:
#   editors/vscode/test.sh
# Needs Node 20+, and target/debug/xlic-lsp (cargo build -p xlic-lsp) for the
# end-to-end test. Prints a final line "N passed, M failed"; exits 1 on failure.
set -u
cd "$(dirname "$0")"

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step() {
  local name=$1
  shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   - $name"
  else
    failed=$((failed + 1))
    echo "FAIL - $name"
    sed 's/^/       /' "$log" | tail -n 60
  fi
}

check_vsix() {
  local vsix=xlic-test.vsix listing
  rm -f "$vsix"
  npx --no-install vsce package --no-dependencies --skip-license --allow-missing-repository -o "$vsix" || return 1
  listing=$(unzip -l "$vsix") || return 1
  echo "$listing"
  local f
  for f in extension/syntaxes/xlic.tmLanguage.json \
           extension/syntaxes/xlic.markdown.tmLanguage.json \
           extension/language-configuration.json \
           extension/snippets/xlic.json \
           extension/dist/extension.js \
           extension/package.json; do
    grep -q " $f\$" <<<"$listing" || { echo "missing from the .vsix: $f"; return 1; }
  done
  if grep -q 'node_modules/\|src/extension.ts\|test/' <<<"$listing"; then
    echo "the .vsix contains files it should not"; return 1
  fi
  rm -f "$vsix"
}

copy_examples() {
  mkdir -p test/grammar/examples && cp ../../examples/*.xlic test/grammar/examples/
}

step "npm ci" npm ci --no-audit --no-fund
step "tsc --noEmit" npx --no-install tsc --noEmit
step "esbuild bundle -> dist/extension.js" bash -c 'npm run -s bundle && test -s dist/extension.js'
step "grammar assertions (test/grammar/all-tokens.xlic)" \
  npx --no-install vscode-tmgrammar-test -g syntaxes/xlic.tmLanguage.json 'test/grammar/*.xlic'
step "copy ../../examples into test/grammar/examples" copy_examples
step "grammar snapshots of the examples" \
  npx --no-install vscode-tmgrammar-snap -g syntaxes/xlic.tmLanguage.json 'test/grammar/examples/*.xlic'
step "JSON files parse" node -e '
  for (const f of ["package.json","language-configuration.json","snippets/xlic.json",
                   "syntaxes/xlic.tmLanguage.json","syntaxes/xlic.markdown.tmLanguage.json"])
    JSON.parse(require("fs").readFileSync(f, "utf8"));'
step "vsce package (.vsix has grammar, language configuration, dist/extension.js)" check_vsix
step "end-to-end: xlic-lsp over stdio (node:test)" node --test test/e2e/

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
