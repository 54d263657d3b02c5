#!/usr/bin/env bash
# The differential test of `xlic build --emit cedar` and `--emit rego` (docs/cedar.md,
# docs/rego.md): random portfolios and requests, answered by `xlic query`, by Cedar
# (cedar-policy 4.14.1) over the Cedar export and by Rego (regorus 0.14.1) over the OPA
# bundle, and by OPA itself (v1.20.2, scripts/check-opa.py) over the same bundles and over
# the shipped examples' bundles; every decision must be the same.
#
#   scripts/check-engines.sh            # 30 portfolios, the fixed seed
#   scripts/check-engines.sh 200 7      # 200 portfolios from seed 7
#
# Builds tests/engines (its own Cargo project, not a workspace member: the engines take
# minutes to build the first time), niced, and runs it. Exit 1 on the first difference,
# with the portfolio's source and the request.
set -euo pipefail
cd "$(dirname "$0")/../tests/engines"
echo "building tests/engines (niced; cedar-policy and regorus take minutes the first time)" >&2
# Built under the repository's own target/ so no second build tree sits in the sources.
target_dir="$(cd ../.. && pwd)/target/engines"
nice cargo build --locked --quiet --target-dir "$target_dir"
# Each portfolio, its OPA bundle and the answers are also written out, and OPA's own
# evaluator is held to the same answers (scripts/check-opa.py).
XLIC_ENGINES_DUMP="$target_dir/dump" "$target_dir/debug/xlic-engines" "${1:-30}" ${2:+"$2"}
cd ../..
python3 scripts/check-opa.py "$target_dir/dump"
