#!/usr/bin/env bash
# Validates xlic's SARIF output (`--message-format sarif`) with Microsoft's SARIF
# Multitool, the validator of the SARIF SDK: the JSON schema plus its SARIF rules.
#
# Installs the npm package @microsoft/sarif-multitool (a self-contained Linux build, no
# .NET needed) into target/sarif-multitool when it is missing, writes the SARIF log of
# the examples and of failing fixtures (a conflict across files, syntax errors, quick
# fixes), and runs `sarif-multitool validate` on each. The multitool exits 0 even when
# it finds errors, so its own SARIF report is read: any result of level `error` fails
# this script. Its warnings and notes (style advice) are printed, not fatal.
#
# A deliberately broken log must be rejected, so a validator that accepts anything
# cannot pass for a green check.
#
# Usage: scripts/check-sarif.sh [--xlic PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

XLIC=""
if [ "${1:-}" = "--xlic" ]; then
  XLIC="${2:?--xlic needs a path}"
fi
if [ -z "$XLIC" ]; then
  cargo build --quiet --bin xlic
  XLIC="$ROOT/target/debug/xlic"
fi

MULTITOOL_VERSION=5.7.0
PREFIX="$ROOT/target/sarif-multitool"
MT="$PREFIX/node_modules/.bin/sarif-multitool"
if [ ! -x "$MT" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "check-sarif: npm is needed to install @microsoft/sarif-multitool" >&2
    exit 1
  fi
  echo "installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $PREFIX"
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >/dev/null
fi
if ! "$MT" --version >/dev/null 2>&1; then
  echo "check-sarif: sarif-multitool is installed but does not run on this machine:" >&2
  "$MT" --version >&2 || true
  echo "check-sarif: SARIF NOT VALIDATED" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A repository of its own, so URIs are relative to %SRCROOT% as in a real checkout.
mkdir -p "$WORK/repo/.git"
cp -r examples "$WORK/repo/examples"
mkdir -p "$WORK/repo/failing"
cp -r tests/fixtures/conflicts/err/E0301_across_agreements.d "$WORK/repo/failing/across"
for f in syntax/err/E0004_three_independent_errors.xlic \
         names/err/E0101_party_typo.xlic \
         conflicts/err/W0403_grant_back_without_sunset.xlic \
         conflicts/err/W0406_except_removes_nothing.xlic; do
  cp "tests/fixtures/$f" "$WORK/repo/failing/"
done

# name, expected exit status of xlic, paths to check
CASES=(
  "examples|0|examples"
  "conflict-across-files|1|failing/across"
  "syntax-errors|1|failing/E0004_three_independent_errors.xlic"
  "typo-with-fix|1|failing/E0101_party_typo.xlic"
  "warning-with-a-fix|0|failing/W0403_grant_back_without_sunset.xlic"
  "warnings-with-fixes|0|failing/W0406_except_removes_nothing.xlic"
)

# Prints the multitool's findings in a report; exits 1 when one is an error.
read_report() {
  node - "$1" <<'EOF'
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let errors = 0, total = 0;
for (const run of log.runs || []) {
  const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
  for (const r of run.results || []) {
    const rule = typeof r.ruleIndex === "number" ? rules[r.ruleIndex] : undefined;
    const level = r.level || (rule && rule.defaultConfiguration && rule.defaultConfiguration.level) || "warning";
    if (r.kind && r.kind !== "fail") continue;
    total++;
    if (level === "error") errors++;
    let text = (r.message && r.message.text) || "";
    if (!text && r.message && r.message.id && rule && rule.messageStrings && rule.messageStrings[r.message.id]) {
      text = rule.messageStrings[r.message.id].text;
      (r.message.arguments || []).forEach((a, i) => { text = text.split("{" + i + "}").join(a); });
    }
    console.log(`  ${level} ${r.ruleId}: ${text}`);
  }
}
process.exit(errors > 0 ? 1 : 0);
EOF
}

validate() {
  local name="$1" log="$2"
  local report="$WORK/$name.validation.sarif"
  if ! "$MT" validate "$log" --output "$report" --log ForceOverwrite --quiet >"$WORK/$name.mt.txt" 2>&1; then
    echo "check-sarif: sarif-multitool failed on $name:" >&2
    cat "$WORK/$name.mt.txt" >&2
    return 1
  fi
  if [ ! -s "$report" ]; then
    echo "check-sarif: sarif-multitool wrote no report for $name" >&2
    return 1
  fi
  read_report "$report"
}

failed=0
for case in "${CASES[@]}"; do
  IFS='|' read -r name expected paths <<<"$case"
  log="$WORK/$name.sarif"
  # shellcheck disable=SC2086
  set +e
  (cd "$WORK/repo" && "$XLIC" check --message-format sarif --max-diagnostics 0 -o "$log" $paths)
  status=$?
  set -e
  if [ "$status" != "$expected" ]; then
    echo "FAIL $name: xlic exited $status, expected $expected" >&2
    head -c 2000 "$log" >&2
    failed=1
    continue
  fi
  results=$(node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(l.runs[0].results.length)' "$log")
  if validate "$name" "$log"; then
    echo "ok   $name ($results results)"
  else
    echo "FAIL $name: the SARIF log is not valid" >&2
    failed=1
  fi
done

# The control: a log with a zero column must be rejected. (Only that: a log whose
# `level` is not a SARIF level makes the multitool 5.7.0 report nothing at all, as if
# the log were valid; tests/it/sarif.rs checks the schema itself and catches that.)
node - "$WORK/typo-with-fix.sarif" "$WORK/broken.sarif" <<'EOF'
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
log.runs[0].results[0].locations[0].physicalLocation.region.startColumn = 0;
fs.writeFileSync(process.argv[3], JSON.stringify(log, null, 2));
EOF
if validate broken "$WORK/broken.sarif" >/dev/null; then
  echo "FAIL the control: sarif-multitool accepted a broken log" >&2
  failed=1
else
  echo "ok   control (a broken log is rejected)"
fi

if [ "$failed" != 0 ]; then
  echo "check-sarif: SARIF validation failed" >&2
  exit 1
fi
echo "check-sarif: every log is valid SARIF 2.1.0"
