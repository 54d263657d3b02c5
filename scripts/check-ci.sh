#!/usr/bin/env bash
# The CI integrations, run as a pipeline would (called by .ci/run; docs/ci.md):
#   1. `cargo install --path .` and `cargo install --path lsp` into a temporary root,
#      then `--version` of each installed binary;
#   2. scripts/ci-action.sh (the GitHub Action's work), installing xlic from this
#      checkout, on a copy of the examples: exit 0, a SARIF log; then on a broken copy:
#      exit 1.
# Offline: every dependency is in cargo's cache once `cargo test` has run. The installs
# are debug builds sharing ./target (`--debug`), so they reuse what the tests built.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$repo/target"
flags=(--locked --offline --debug --root "$work/root")

echo "-- cargo install --path ."
cargo install "${flags[@]}" --path . --quiet
echo "-- cargo install --path lsp"
cargo install "${flags[@]}" --path lsp --quiet
"$work/root/bin/xlic" --version
"$work/root/bin/xlic-lsp" --version

mkdir "$work/ok"
cp examples/* "$work/ok/"
echo "-- scripts/ci-action.sh on the examples"
(cd "$work/ok" && RUNNER_TEMP="$work" XLIC_INSTALL_FLAGS="--offline --debug --quiet" \
  bash "$repo/scripts/ci-action.sh")
python3 -c 'import json, sys; log = json.load(open(sys.argv[1])); assert log["version"] == "2.1.0", log' \
  "$work/ok/xlic.sarif"

mkdir "$work/broken"
cp examples/* "$work/broken/"
sed -i 's/acme -> globex {/acme -> globx {/' "$work/broken/acme_globex.xlic"
echo "-- scripts/ci-action.sh on a broken copy (must fail)"
set +e
(cd "$work/broken" && XLIC="$work/root/bin/xlic" bash "$repo/scripts/ci-action.sh")
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "error: scripts/ci-action.sh exited $status on a broken agreement, not 1" >&2
  exit 1
fi
echo "-- ok: installs run, the action's script passes the examples and fails a broken file"
