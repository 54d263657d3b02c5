#!/usr/bin/env bash
# Checks for the xlic tree-sitter grammar:
#   1. src/ (parser.c, grammar.json, node-types.json) is current with grammar.js
#      (generated in a scratch copy and compared; `./test.sh --update` regenerates in place)
#   2. `tree-sitter test`: the corpus in test/corpus/ and the queries in queries/
#   3. every file in ../../examples/*.xlic parses without an ERROR or MISSING node, and a
#      lone CR ends a line comment as it does in the compiler
#   4. the highlight and fold queries (and the Helix copy) compile and run on every example
#   5. the highlight queries capture every identifier of the examples
# Needs the CLI (cargo install tree-sitter-cli --locked), a C compiler, and node
# or TREE_SITTER_JS_RUNTIME=native (the CLI's QuickJS) to run grammar.js.
# Prints one line per check and ends with "N passed, M failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")"
here=$(pwd)
examples_dir=$(cd ../../examples && pwd)
TS=${TREE_SITTER:-tree-sitter}

passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }

if ! command -v "$TS" >/dev/null 2>&1; then
  echo "tree-sitter CLI not found (cargo install tree-sitter-cli --locked)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "# $("$TS" --version)"

if [ "${1:-}" = "--update" ]; then
  "$TS" generate && echo "# regenerated src/ in place"
fi

# 1. generated sources are current
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp grammar.js tree-sitter.json package.json "$scratch"/
if (cd "$scratch" && "$TS" generate) >"$scratch/generate.log" 2>&1; then
  ok "tree-sitter generate"
  for f in grammar.json node-types.json parser.c; do
    if cmp -s "$scratch/src/$f" "src/$f"; then
      ok "src/$f is current"
    else
      fail "src/$f is stale: run ./test.sh --update and commit src/"
    fi
  done
else
  cat "$scratch/generate.log"
  fail "tree-sitter generate"
fi

# 2. corpus (and query validation done by `tree-sitter test`)
if "$TS" test >"$scratch/test.log" 2>&1; then
  ok "tree-sitter test ($(grep -c '✓' "$scratch/test.log") corpus cases)"
else
  cat "$scratch/test.log"
  fail "tree-sitter test"
fi

# 3. examples parse cleanly
for f in "$examples_dir"/*.xlic; do
  name=${f#"$examples_dir"/}
  if out=$("$TS" parse --quiet "$f" 2>&1) && ! "$TS" parse "$f" 2>/dev/null | grep -qE '\((ERROR|MISSING)'; then
    ok "examples/$name parses without errors"
  else
    echo "$out"
    fail "examples/$name has parse errors"
  fi
done

# 3b. a lone CR ends a line comment, as in the compiler: the party after it is code
printf 'party good "G"\r// a comment\rparty evil "E"\r' >"$scratch/cr.xlic"
if tree=$("$TS" parse "$scratch/cr.xlic" 2>/dev/null) \
  && [ "$(printf '%s' "$tree" | grep -c '(party')" = 2 ] \
  && ! printf '%s' "$tree" | grep -qE '\((ERROR|MISSING)'; then
  ok "a lone CR ends a line comment (two parties in a CR-only file)"
else
  printf '%s\n' "$tree"
  fail "a lone CR does not end a line comment"
fi

# 4. queries compile and run on real files
for q in queries/highlights.scm queries/folds.scm ../helix/queries/xlic/highlights.scm; do
  [ -f "$q" ] || { fail "$q missing"; continue; }
  if "$TS" query "$q" "$examples_dir"/*.xlic >"$scratch/query.log" 2>&1 \
     && [ "$(grep -c 'capture:' "$scratch/query.log")" -gt 0 ]; then
    ok "$q compiles ($(grep -c 'capture:' "$scratch/query.log") captures on examples)"
  else
    head -20 "$scratch/query.log"
    fail "$q"
  fi
done

# 5. every name in the examples is highlighted: each `identifier` leaf lies inside a
#    capture of the highlight query (asset references were once left out)
uncaptured() {
  python3 - "$1" "$2" <<'PY'
import re, sys
tree, caps = open(sys.argv[1]).read(), open(sys.argv[2]).read()
pos = lambda r, c: (int(r), int(c))
idents = [(pos(a, b), pos(c, d)) for a, b, c, d in
          re.findall(r"\(identifier \[(\d+), (\d+)\] - \[(\d+), (\d+)\]\)", tree)]
spans = [(pos(a, b), pos(c, d)) for a, b, c, d in
         re.findall(r"start: \((\d+), (\d+)\), end: \((\d+), (\d+)\)", caps)]
left = [i for i in idents if not any(s[0] <= i[0] and i[1] <= s[1] for s in spans)]
for (r, c), _ in left[:10]:
    print(f"uncaptured identifier at line {r + 1}, column {c + 1}")
print(f"{len(left)} of {len(idents)} identifiers uncaptured")
sys.exit(1 if left else 0)
PY
}
for q in queries/highlights.scm ../helix/queries/xlic/highlights.scm; do
  all_ok=1
  for f in "$examples_dir"/*.xlic; do
    "$TS" parse "$f" >"$scratch/tree.txt" 2>/dev/null
    "$TS" query "$q" "$f" >"$scratch/caps.txt" 2>/dev/null
    if ! uncaptured "$scratch/tree.txt" "$scratch/caps.txt" >"$scratch/uncaptured.log"; then
      echo "${f#"$examples_dir"/}:"; cat "$scratch/uncaptured.log"
      all_ok=0
    fi
  done
  if [ "$all_ok" = 1 ]; then ok "$q captures every identifier of the examples"; else fail "$q leaves identifiers uncaptured"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
