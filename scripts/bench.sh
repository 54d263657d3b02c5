#!/usr/bin/env bash
# Performance figures for docs/performance.md.
#
#   scripts/bench.sh            # stage benchmarks (1k, 10k, 100k) + whole-process figures
#   scripts/bench.sh 10k        # one size only
#   SKIP_STAGES=1 scripts/bench.sh   # whole-process figures only
#   PROFILE=1 scripts/bench.sh       # also a callgrind profile of `xlic check` on 10k
#
# 1. `cargo bench --bench checker` prints the stage table (medians, Markdown) and
#    fails unless the checker reports exactly the planted conflicts.
# 2. The bench binary writes the generated portfolios to a temporary folder
#    (`-- --write DIR`), and `/usr/bin/time -v` measures the release binary on them:
#    `xlic check` on the portfolio with its planted conflicts, and
#    `xlic build --emit json` on the same portfolio without them (build refuses to emit
#    when there are errors). Wall time and peak RSS are reported.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1k 10k 100k)
OUT="${BENCH_DIR:-$(mktemp -d -t xlic-bench.XXXXXX)}"
mkdir -p "$OUT"

echo "## xlic benchmarks"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes in src/)')"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -h | awk '/^Mem:/ {print $2}') RAM"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- rustc: $(rustc --version)"
echo

if [ -z "${SKIP_STAGES:-}" ]; then
    echo "### Stages (cargo bench --bench checker -- ${SIZES[*]})"
    cargo bench --bench checker -- "${SIZES[@]}"
    echo
fi

cargo build --release --quiet
cargo bench --bench checker --quiet -- --write "$OUT" "$@" 2>/dev/null

# Runs a command under /usr/bin/time -v; prints "wall_seconds max_rss_kb exit_status".
measure() {
    local log
    log=$(mktemp)
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
    awk '
        /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
        /Maximum resident set size/ { rss = $NF }
        /Exit status/ { st = $NF }
        END { printf "%s %s %s\n", wall, rss, st }
    ' "$log"
    rm -f "$log"
}

echo "### Whole process (/usr/bin/time -v, release build)"
echo
echo "| command | grants | file MB | wall (s) | max RSS (MB) | MB per 1k grants | exit | E0301 reported / planted |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for s in "${SIZES[@]}"; do
    [ "$s" = 1k ] && continue   # too small to time as a process
    f="$OUT/portfolio_$s.xlic"
    clean="$OUT/portfolio_${s}_clean.xlic"
    grants=$(awk -v f="portfolio_$s.xlic" '$1 == f { print $3 }' "$OUT/manifest.txt")
    planted=$(awk -v f="portfolio_$s.xlic" '$1 == f { print $2 }' "$OUT/manifest.txt")
    mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
    reported=$(target/release/xlic check --message-format short --color never "$f" 2>&1 | grep -c 'error\[E0301\]' || true)
    read -r wall rss st < <(measure target/release/xlic check --color never "$f")
    echo "| \`xlic check portfolio_$s.xlic\` | $grants | $mb | $wall | $((rss / 1024)) | $(awk -v r="$rss" -v g="$grants" 'BEGIN { printf "%.2f", r / 1024 / (g / 1000) }') | $st | $reported / $planted |"
    read -r wall rss st < <(measure target/release/xlic build --emit json -o "$OUT/policy_$s" "$clean")
    echo "| \`xlic build --emit json portfolio_${s}_clean.xlic\` | $grants | $mb | $wall | $((rss / 1024)) | $(awk -v r="$rss" -v g="$grants" 'BEGIN { printf "%.2f", r / 1024 / (g / 1000) }') | $st | - |"
    policy_mb=$(du -m "$OUT/policy_$s/policy.json" 2>/dev/null | cut -f1 || echo '?')
    echo "|   (policy.json written: ${policy_mb} MB) | | | | | | | |"
    rm -rf "$OUT/policy_$s"
done
echo

if [ -n "${PROFILE:-}" ] && [ -f "$OUT/portfolio_10k.xlic" ]; then
    echo "### callgrind: xlic check portfolio_10k.xlic (top functions, exclusive and inclusive)"
    echo
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out" \
        target/release/xlic check --color never "$OUT/portfolio_10k.xlic" >/dev/null 2>&1 || true
    callgrind_annotate "$OUT/cg.out" >"$OUT/cg.self.txt" 2>/dev/null || true
    callgrind_annotate --inclusive=yes "$OUT/cg.out" >"$OUT/cg.inclusive.txt" 2>/dev/null || true
    echo '```'
    sed -n '1,40p' "$OUT/cg.self.txt"
    echo '...'
    grep -E 'PROGRAM TOTALS|xlic::' "$OUT/cg.inclusive.txt" | sed -n '1,30p' || true
    echo '```'
fi

echo "generated files: $OUT" >&2
