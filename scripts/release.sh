#!/usr/bin/env bash
# The release build: static Linux binaries of `xlic` and `xlic-lsp` and the platform
# VS Code packages with those binaries inside.
#
#   scripts/release.sh [OUT]      # default OUT: target/release-dist
#   XLIC_RELEASE_PROFILE=dev scripts/release.sh OUT
#                                 # the same steps with unoptimised binaries: what CI
#                                 # runs (scripts/check-release.sh), minutes cheaper
#
# The binaries are linked statically: against musl when the x86_64-unknown-linux-musl
# Rust target is installed (`rustup target add x86_64-unknown-linux-musl`), otherwise
# against glibc with `-C target-feature=+crt-static` on x86_64-unknown-linux-gnu (xlic
# resolves no host names and loads no plugins, so glibc's static-linking caveats, NSS
# and dlopen, do not apply). Either binary runs on any x86_64 Linux, Alpine included.
# Needs Node with editors/vscode's pinned dependencies (vsce 3.9.x, `npm ci`).
# Writes into OUT:
#   xlic, xlic-lsp                       static x86_64 Linux executables
#   xlic-linux-x64-VERSION.vsix          the extension with both inside (glibc Linux)
#   xlic-alpine-x64-VERSION.vsix         the same for musl Linux (the binaries are static)
#   SHA256SUMS
# Refuses (exit 1, saying what is wrong) rather than ship something else: a
# dynamically linked binary is never shipped as a static one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:-target/release-dist}
if rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
  TARGET=x86_64-unknown-linux-musl
  STATIC_FLAGS=""
else
  TARGET=x86_64-unknown-linux-gnu
  STATIC_FLAGS="-C target-feature=+crt-static"
  echo "note: the musl target is not installed; linking statically against glibc instead" >&2
fi
if ! command -v npx >/dev/null 2>&1; then
  echo "error: \`npx\` (Node.js) is missing, so the VS Code packages cannot be built" >&2
  echo "  help: install Node.js 18 or later, then run this script again" >&2
  exit 1
fi

PROFILE=${XLIC_RELEASE_PROFILE:-release}
case "$PROFILE" in
  release) PROFILE_DIR=release ;;
  dev) PROFILE_DIR=debug ;;
  *) echo "error: XLIC_RELEASE_PROFILE must be \`release\` or \`dev\`, not \`$PROFILE\`" >&2; exit 2 ;;
esac
echo "building xlic and xlic-lsp for $TARGET ($PROFILE profile, niced)" >&2
# Its own target directory: RUSTFLAGS would otherwise invalidate the normal release build.
export CARGO_TARGET_DIR="$ROOT/target/static"
RUSTFLAGS="$STATIC_FLAGS" nice cargo build --profile "$PROFILE" --locked --target "$TARGET" -p xlic -p xlic-lsp
BIN="target/static/$TARGET/$PROFILE_DIR"
for b in xlic xlic-lsp; do
  # Static: an ELF executable that names no program interpreter (no dynamic loader).
  if ! python3 "$ROOT/scripts/elf-static.py" "$BIN/$b"; then
    echo "error: \`$BIN/$b\` is not a static executable; refusing to ship it as one" >&2
    exit 1
  fi
  "$BIN/$b" --version >/dev/null
done

mkdir -p "$OUT"
cp "$BIN/xlic" "$BIN/xlic-lsp" "$OUT/"
OUT_ABS=$(cd "$OUT" && pwd)

echo "packaging the VS Code extension with the server inside" >&2
cd editors/vscode
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s bundle
version=$(node -p 'require("./package.json").version')
for platform in linux-x64 alpine-x64; do
  scripts/package-platform.sh "$platform" "$ROOT/$BIN/xlic-lsp" "$ROOT/$BIN/xlic" \
    "$OUT_ABS/xlic-$platform-$version.vsix"
done
cd "$OUT_ABS"
sha256sum xlic xlic-lsp ./*.vsix > SHA256SUMS
echo "wrote $OUT_ABS: $(ls | tr '\n' ' ')" >&2
