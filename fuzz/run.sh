#!/usr/bin/env bash
# Runs every xlic fuzz target for SECONDS (default 60) and prints a summary.
#   fuzz/run.sh [SECONDS] [TARGET...]
# The seed corpus in fuzz/corpus/TARGET is read but never written: new inputs go to
# fuzz/target/corpus/TARGET. Crashes land in fuzz/artifacts/TARGET.
set -u
cd "$(dirname "$0")"
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(parse check fmt query lsp generated emit)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz..."
    cargo install cargo-fuzz --locked || exit 1
fi

# The machine has stable Rust only; cargo-fuzz needs -Zsanitizer and friends, which
# RUSTC_BOOTSTRAP=1 unlocks. It is set for these builds only.
export RUSTC_BOOTSTRAP=1
mkdir -p target/logs
summary=()
status=0
for t in "${TARGETS[@]}"; do
    mkdir -p "target/corpus/$t" "artifacts/$t"
    before=$(ls "artifacts/$t" | wc -l)
    echo "=== $t: ${SECONDS_EACH}s"
    cargo fuzz build "$t" >/dev/null 2>"target/logs/$t.build" || { cat "target/logs/$t.build"; summary+=("$t: BUILD FAILED"); status=1; continue; }
    start=$(date +%s)
    cargo fuzz run "$t" "target/corpus/$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_EACH" -print_final_stats=1 -rss_limit_mb=4096 -timeout=10 \
        >"target/logs/$t.log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "target/logs/$t.log" | grep -a -o '[0-9]*$' | tail -1)
    eps=$(grep -a -o 'stat::average_exec_per_sec: *[0-9]*' "target/logs/$t.log" | grep -a -o '[0-9]*$' | tail -1)
    cov=$(grep -a -o 'cov: [0-9]*' "target/logs/$t.log" | tail -1)
    after=$(ls "artifacts/$t" | wc -l)
    line="$t: ${elapsed}s, ${execs:-?} execs, ${eps:-?} exec/s, ${cov:-cov: ?}, exit $rc, new artifacts $((after - before))"
    if [ "$rc" -ne 0 ]; then
        status=1
        line="$line  <-- CRASH (see target/logs/$t.log, artifacts/$t/)"
        grep -a -m1 -A3 "panicked at\|ERROR: libFuzzer" "target/logs/$t.log" | sed 's/^/    /'
    fi
    summary+=("$line")
done
echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
exit $status
