#!/usr/bin/env bash
# The differential test of `xlic build --emit cedar` and `--emit rego` (docs/cedar.md,
# docs/rego.md): random portfolios and requests, answered by `xlic query`, by Cedar
# (cedar-policy 4.14.1) over the Cedar export and by Rego (regorus 0.14.1) over the OPA
# bundle, and by OPA itself (v1.20.2, scripts/check-opa.py) over the same bundles and over
# the shipped examples' bundles; every decision must be the same.
#
#   scripts/check-engines.sh              # CI: 30 portfolios, the fixed seed, 8 in 1,000
#                                         # of each portfolio's grid of requests; OPA on
#                                         # every 6th of them and 1,500 per example
#   scripts/check-engines.sh 200 7        # 200 portfolios from seed 7
#   scripts/check-engines.sh 30 '' 20     # 20 in 1,000 of each grid (the old default)
#   XLIC_ENGINES_BIG=1 scripts/check-engines.sh   # the big version: 20 in 1,000, OPA on
#                                         # every request and 5,000 per example
#
# The number and variety of portfolios is what covers the language's constructs (the
# run fails when purposes, unnamed affiliates, covenants, releases, missed milestones or
# dated pool membership go unexercised); the share of each grid asked only adds volume.
#
# Two halves, so that nothing is built twice:
#   1. xlic's half, the root package's example `engine-cases` (tests/engines/cases/),
#      built in the workspace's own target/debug (`cargo test --workspace` has built it
#      already), generates the portfolios and writes each one's source, Cedar export, OPA
#      bundle, requests and `xlic query`'s answers under target/engines/cases;
#   2. tests/engines, a Cargo project of its own that depends on cedar-policy, regorus and
#      serde_json only (no xlic), built niced under target/engines, reads those files and
#      asks both engines; then OPA (scripts/check-opa.py) reads the same files.
# Each stage's time is printed. Exit 1 on the first difference, with the portfolio's
# source and the request.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
portfolios="${1:-30}"
seed="${2:-}"
per_mille="${3:-8}"
opa_args=()
if [ -n "${XLIC_ENGINES_BIG:-}" ]; then
  per_mille="${3:-20}"
  opa_args=(--every 1 --per-example 5000)
fi
stage() { echo "check-engines: $1 in $(( $(date +%s) - $2 )) s" >&2; }
target_dir="$root/target/engines"
cases="$target_dir/cases"
t=$(date +%s)
# `--workspace`: the same features as `cargo test --workspace`, so its build is reused.
cargo build --locked --quiet --workspace --example engine-cases --bin xlic
stage "build of xlic's half (target/debug; nothing to do after cargo test --workspace)" "$t"
t=$(date +%s)
"$root/target/debug/examples/engine-cases" "$cases" "$portfolios" "$seed" "$per_mille"
stage "xlic: portfolios, exports and xlic query's answers" "$t"
t=$(date +%s)
echo "building tests/engines (niced; cedar-policy and regorus take minutes the first time)" >&2
(cd "$root/tests/engines" && nice cargo build --locked --quiet --target-dir "$target_dir")
stage "build of the engines (target/engines)" "$t"
t=$(date +%s)
"$target_dir/debug/xlic-engines" "$cases"
stage "Cedar and regorus" "$t"
t=$(date +%s)
python3 scripts/check-opa.py "$cases" "${opa_args[@]}"
stage "OPA" "$t"
