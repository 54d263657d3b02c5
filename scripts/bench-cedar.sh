#!/usr/bin/env bash
# xlic side by side with AWS Cedar (docs/performance.md, "Side by side with Cedar").
#
#   scripts/bench-cedar.sh             # 1k, 10k (+ 100k parse only); table to stdout
#   scripts/bench-cedar.sh --no-100k   # skip the 100k parse figures
#   scripts/bench-cedar.sh --quick     # few runs, 1k and 10k: checks that it works
#   SAVE=1 scripts/bench-cedar.sh      # also write benches/cedar/results/<date>.md
#
# Builds benches/cedar (its own Cargo project, not a workspace member, not in CI:
# cedar-policy takes about 6 minutes to build) in release mode, niced, and runs it.
# Progress goes to stderr; the Markdown tables go to stdout. The memory figures need
# /usr/bin/time (Debian package `time`), installed here when missing. The benchmark
# runs pinned to one core (`taskset -c 0`, when there is taskset): Cedar parses and
# validates on one thread, and xlic, which parses a large file in parts and runs its
# conflict sweep beside the other rules when it has a second core, then does too, so
# the ratios compare the same work per core.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ ! -x /usr/bin/time ]; then
  echo "installing /usr/bin/time (package time)" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >&2 \
    || { echo "error: /usr/bin/time is missing and could not be installed" >&2; exit 1; }
fi

echo "building benches/cedar (release, niced; Cedar takes minutes the first time)" >&2
(cd benches/cedar && nice cargo build --release --locked --quiet) \
  || { echo "error: benches/cedar did not build" >&2; exit 1; }
BIN="$ROOT/benches/cedar/target/release/xlic-bench-cedar"

HEADER=$(cat <<INFO
- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src benches 2>/dev/null || echo ' (with uncommitted changes)')
- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -h | awk '/^Mem:/ {print $2}') RAM
- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)
- rustc: $(rustc --version); cedar-policy $(grep -A1 '^name = "cedar-policy"$' benches/cedar/Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
- command: scripts/bench-cedar.sh $*
- cores used: $(if command -v taskset >/dev/null; then echo 'one (taskset -c 0)'; else echo "all $(nproc) (no taskset)"; fi)
INFO
)

# Exits here (set -e) with the benchmark's status when it fails.
PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi
TABLE=$(nice "${PIN[@]}" "$BIN" "$@")

REPORT=$(printf '## xlic side by side with Cedar\n\n%s\n- load average after the run: %s\n\n%s\n' \
  "$HEADER" "$(cut -d' ' -f1-3 /proc/loadavg)" "$TABLE")
printf '%s\n' "$REPORT"
if [ "${SAVE:-0}" = 1 ]; then
  mkdir -p benches/cedar/results
  FILE="benches/cedar/results/$(date -u '+%Y-%m-%dT%H%MZ').md"
  printf '%s\n' "$REPORT" > "$FILE"
  echo "wrote $FILE" >&2
fi
