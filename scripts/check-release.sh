#!/usr/bin/env bash
# CI: the release build (scripts/release.sh) end to end, with unoptimised binaries
# (XLIC_RELEASE_PROFILE=dev: the same flags, target and packaging, minutes cheaper):
#   1. both binaries are static (scripts/elf-static.py; and, as a control, it refuses
#      the dynamically linked target/debug/xlic that `cargo test` built);
#   2. the static xlic checks the examples and builds each one's JSON policy byte for
#      byte as the dynamic build does; the static xlic-lsp answers --version;
#   3. each platform .vsix holds both binaries, executable, identical to the ones
#      built; SHA256SUMS verifies.
# Its build tree (target/static) and output are removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/release-check
rm -rf "$out"
trap 'rm -rf target/static "$out"' EXIT
XLIC_RELEASE_PROFILE=dev bash scripts/release.sh "$out"

fail() { echo "check-release: $*" >&2; exit 1; }
echo "-- the control: elf-static.py refuses a dynamically linked binary"
[ -x target/debug/xlic ] || fail "target/debug/xlic is missing (run cargo test --workspace first)"
set +e
python3 scripts/elf-static.py target/debug/xlic 2>/dev/null
status=$?
set -e
[ "$status" -eq 1 ] || fail "elf-static.py answered $status for the dynamic target/debug/xlic (1 wanted)"

echo "-- the static binaries run"
"$out/xlic-lsp" --version
"$out/xlic" check examples/
for f in examples/*.xlic; do
  cmp <("$out/xlic" build --emit json -o - "$f") <(target/debug/xlic build --emit json -o - "$f") \
    || fail "the static xlic builds $f differently"
done

echo "-- the platform packages"
version=$(node -p 'require("./editors/vscode/package.json").version')
for platform in linux-x64 alpine-x64; do
  vsix="$out/xlic-$platform-$version.vsix"
  [ -f "$vsix" ] || fail "no $vsix"
  unpacked=$(mktemp -d)
  unzip -q "$vsix" -d "$unpacked"
  for b in xlic xlic-lsp; do
    [ -x "$unpacked/extension/server/$b" ] || fail "$vsix has no executable extension/server/$b"
    cmp -s "$unpacked/extension/server/$b" "$out/$b" || fail "$vsix: extension/server/$b is not the binary built"
  done
  rm -rf "$unpacked"
  echo "ok   $vsix (xlic, xlic-lsp)"
done
(cd "$out" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not verify"
echo "check-release: the release build is static, runs, and is packaged"
