#!/usr/bin/env bash
# `xlic check` against the minimal pipeline (benches/minimal) on the same generated
# portfolios, in one run (docs/performance.md, "Issue 19").
#
#   scripts/bench-minimal.sh              # 10k and 100k; Markdown table on stdout
#   scripts/bench-minimal.sh 10k          # one size (1k, 10k or 100k)
#   RUNS=7 scripts/bench-minimal.sh       # runs per command (default 5; median wall)
#   INSTR=1 scripts/bench-minimal.sh 10k  # also callgrind instruction counts of both
#   BENCH_DIR=/tmp/x scripts/bench-minimal.sh   # keep the generated files in /tmp/x (and
#                                               # reuse them when its manifest lists them)
#
# The portfolios come from `cargo bench --bench checker -- --write DIR` (the checker
# bench's generator, seed and sizes). Both programs run on the file with its planted
# conflicts; the script fails unless each reports exactly the planted E0301 count.
# Whole-process wall time (median of RUNS) and peak RSS from /usr/bin/time; the ratio
# is xlic ÷ minimal within this run. Builds are niced; the machine is shared, so read
# the ratio, not the absolute times (and the instruction counts when the load is high).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10k 100k)
RUNS=${RUNS:-5}
OUT="${BENCH_DIR:-$(mktemp -d -t xlic-minimal.XXXXXX)}"
mkdir -p "$OUT"

if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time is missing (Debian package \`time\`)" >&2
  exit 1
fi

echo "building xlic (bench profile) and benches/minimal (release), niced" >&2
nice cargo build --profile bench --bin xlic --quiet
(cd benches/minimal && nice cargo build --release --locked --quiet)
XLIC="$ROOT/target/release/xlic"
MINIMAL="$ROOT/benches/minimal/target/release/xlic-bench-minimal"
# A BENCH_DIR that already holds the portfolios (its manifest names them) is reused.
have_portfolios() {
  for size in "${SIZES[@]}"; do
    grep -q "^portfolio_$size.xlic " "$OUT/manifest.txt" 2>/dev/null || return 1
  done
}
if ! have_portfolios; then
  nice cargo bench --bench checker --quiet -- --write "$OUT" "${SIZES[@]}" 2>/dev/null
fi

# Median of a list of numbers, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Runs "$@" RUNS times under /usr/bin/time; prints "median_wall_s max_rss_mb".
measure() {
  local walls="" rss=0 line log
  log=$(mktemp)
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>&1 || true
    line=$(tail -1 "$log")
    walls+="${line%% *}"$'\n'
    local kb=${line##* }
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  rm -f "$log"
  printf '%s %s\n' "$(printf '%s' "$walls" | median)" "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')"
}

# Instructions of one run of "$@" under callgrind (millions).
instructions() {
  local cg
  cg=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$cg" "$@" >/dev/null 2>&1 || true
  awk '/^summary:/ { printf "%.0f", $2 / 1e6 }' "$cg"
  rm -f "$cg"
}

echo "## xlic check against the minimal pipeline"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src benches 2>/dev/null || echo ' (with uncommitted changes)')"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -h | awk '/^Mem:/ {print $2}') RAM"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- command: scripts/bench-minimal.sh $* (RUNS=$RUNS)"
echo
echo "| size | grants | MB | planted | E0301 xlic / minimal | xlic check (s) | peak RSS (MB) | minimal (s) | peak RSS (MB) | ratio (time) |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"
STATUS=0
INSTR_ROWS=""
for size in "${SIZES[@]}"; do
  file="$OUT/portfolio_$size.xlic"
  read -r _ planted grants _ < <(grep "^portfolio_$size.xlic " "$OUT/manifest.txt")
  bytes=$(stat -c %s "$file")
  found_xlic=$("$XLIC" check --message-format short --max-diagnostics 1000000 "$file" 2>&1 | grep -c 'E0301' || true)
  found_min=$("$MINIMAL" "$file" 2>/dev/null | sed -n 's/^conflicts //p')
  if [ "$found_xlic" != "$planted" ] || [ "$found_min" != "$planted" ]; then
    echo "error: $size: planted $planted E0301, xlic found $found_xlic, the minimal pipeline $found_min" >&2
    STATUS=1
  fi
  read -r xw xr < <(measure "$XLIC" check "$file")
  read -r mw mr < <(measure "$MINIMAL" "$file" --expect "$planted")
  ratio=$(awk -v a="$xw" -v b="$mw" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo "| $size | $grants | $mb | $planted | $found_xlic / $found_min | $xw | $xr | $mw | $mr | $ratio |"
  if [ -n "${INSTR:-}" ]; then
    xi=$(instructions "$XLIC" check "$file")
    mi=$(instructions "$MINIMAL" "$file")
    INSTR_ROWS+="| $size | $xi | $mi | $(awk -v a="$xi" -v b="$mi" 'BEGIN { printf "%.1f", a / b }') |"$'\n'
  fi
done
if [ -n "$INSTR_ROWS" ]; then
  echo
  echo "| size | xlic check (M instructions) | minimal (M instructions) | ratio |"
  echo "|---|---:|---:|---:|"
  printf '%s' "$INSTR_ROWS"
fi
echo
echo "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "${BENCH_DIR:-}" ] && rm -rf "$OUT"
exit "$STATUS"
