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

check_platform_vsix() {
  local server=../../target/debug/xlic-lsp vsix=xlic-test-linux-x64.vsix listing manifest
  [ -x "$server" ] || { echo "$server is missing: cargo build -p xlic-lsp"; return 1; }
  rm -f "$vsix"
  scripts/package-platform.sh linux-x64 "$server" "" "$vsix" || return 1
  listing=$(unzip -l "$vsix") || return 1
  echo "$listing"
  grep -q " extension/server/xlic-lsp\$" <<<"$listing" || { echo "no server in the .vsix"; return 1; }
  manifest=$(unzip -p "$vsix" extension.vsixmanifest) || return 1
  grep -q 'TargetPlatform="linux-x64"' <<<"$manifest" || { echo "no target platform in the manifest"; return 1; }
  # The packaged binary is the server, and it runs after unpacking.
  local dir
  dir=$(mktemp -d)
  unzip -q "$vsix" -d "$dir" || return 1
  "$dir/extension/server/xlic-lsp" --version | grep -q '^xlic-lsp ' || { rm -rf "$dir"; return 1; }
  rm -rf "$dir" "$vsix"
  [ ! -e server ] || { echo "package-platform.sh left server/ behind"; return 1; }
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
step "server path resolution (node:test, test/unit/)" npm run -s test:unit
step "platform .vsix with the server inside (linux-x64)" check_platform_vsix
step "end-to-end: xlic-lsp over stdio (node:test)" node --test test/e2e/

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
