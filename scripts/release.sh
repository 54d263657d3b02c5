#!/usr/bin/env bash
# The release build: static Linux binaries of `xlic` and `xlic-lsp` (musl) and the
# platform VS Code packages with those binaries inside.
#
#   scripts/release.sh [OUT]      # default OUT: target/release-dist
#
# Needs the x86_64-unknown-linux-musl Rust target (`rustup target add
# x86_64-unknown-linux-musl`, which downloads it) and Node with editors/vscode's pinned
# dependencies (vsce 3.9.x, `npm ci`). Writes into OUT:
#   xlic, xlic-lsp                       static x86_64 Linux executables
#   xlic-linux-x64-VERSION.vsix          the extension with both inside (glibc Linux)
#   xlic-alpine-x64-VERSION.vsix         the same for musl Linux (the binaries are static)
#   SHA256SUMS
# Refuses (exit 1, saying what is missing) rather than build something else: a
# dynamically linked binary is never shipped as a static one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:-target/release-dist}
TARGET=x86_64-unknown-linux-musl

if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  echo "error: the Rust target \`$TARGET\` is not installed, so no static binary can be built" >&2
  echo "  help: run \`rustup target add $TARGET\` (it downloads the target's standard library), then run this script again" >&2
  exit 1
fi
if ! command -v npx >/dev/null 2>&1; then
  echo "error: \`npx\` (Node.js) is missing, so the VS Code packages cannot be built" >&2
  echo "  help: install Node.js 18 or later, then run this script again" >&2
  exit 1
fi

echo "building xlic and xlic-lsp for $TARGET (release, niced)" >&2
nice cargo build --release --locked --target "$TARGET" -p xlic -p xlic-lsp
BIN="target/$TARGET/release"
for b in xlic xlic-lsp; do
  if ldd "$BIN/$b" >/dev/null 2>&1; then
    echo "error: \`$BIN/$b\` is dynamically linked; refusing to ship it as a static binary" >&2
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
