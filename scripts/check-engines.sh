#!/usr/bin/env bash
# The differential test of `xlic build --emit cedar` and `--emit rego` (docs/cedar.md,
# docs/rego.md): random portfolios and requests, answered by `xlic query`, by Cedar
# (cedar-policy 4.14.1) over the Cedar export and by Rego (regorus 0.14.1) over the OPA
# bundle, and by OPA itself (v1.20.2, scripts/check-opa.py) over the same bundles and over
# the shipped examples' bundles; every decision must be the same.
#
#   scripts/check-engines.sh              # CI: 30 portfolios, the fixed seed, 8 in 1,000
#                                         # of each portfolio's grid of requests; OPA on
#                                         # every 4th of them and 1,500 per example
#   scripts/check-engines.sh 200 7        # 200 portfolios from seed 7
#   scripts/check-engines.sh 30 '' 20     # 20 in 1,000 of each grid (the old default)
#   XLIC_ENGINES_BIG=1 scripts/check-engines.sh   # the big version: 20 in 1,000, OPA on
#                                         # every request and 5,000 per example
#
# The number and variety of portfolios is what covers the language's constructs (the
# run fails when purposes, unnamed affiliates, covenants, releases, missed milestones or
# dated pool membership go unexercised); the share of each grid asked only adds volume.
#
# tests/engines is a Cargo project of its own (not a workspace member: the engines take
# minutes to build), built niced under the repository's own target/engines (no second
# build tree in the sources; see its Cargo.toml for why not target/debug). Each stage's
# time is printed. Exit 1 on the first difference, with the portfolio's source and the
# request.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/tests/engines"
portfolios="${1:-30}"
seed="${2:-}"
per_mille="${3:-8}"
opa_args=()
if [ -n "${XLIC_ENGINES_BIG:-}" ]; then
  per_mille="${3:-20}"
  opa_args=(--every 1 --per-example 5000)
fi
stage() { echo "check-engines: $1 in $(( $(date +%s) - $2 )) s" >&2; }
t=$(date +%s)
echo "building tests/engines (niced; cedar-policy and regorus take minutes the first time)" >&2
target_dir="$root/target/engines"
nice cargo build --locked --quiet --target-dir "$target_dir"
stage "build" "$t"
# Each portfolio, its OPA bundle and the answers are also written out, and OPA's own
# evaluator is held to the same answers (scripts/check-opa.py).
dump="$target_dir/dump"
t=$(date +%s)
XLIC_ENGINES_DUMP="$dump" "$target_dir/debug/xlic-engines" "$portfolios" "$seed" "$per_mille"
stage "xlic query, Cedar and regorus" "$t"
cd "$root"
t=$(date +%s)
python3 scripts/check-opa.py "$dump" "${opa_args[@]}"
stage "OPA" "$t"
