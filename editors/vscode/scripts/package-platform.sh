#!/usr/bin/env bash
# Packages a platform-specific .vsix with the language server (and the compiler,
# for the preview and build commands) inside, so users need no cargo:
#   scripts/package-platform.sh TARGET SERVER [COMPILER] [OUT]
# TARGET is a VS Code platform (linux-x64, linux-arm64, darwin-x64, darwin-arm64,
# win32-x64, alpine-x64, …); SERVER and COMPILER are the binaries built for it
# (cargo build --release --target …). Writes OUT (default xlic-TARGET-VERSION.vsix).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: package-platform.sh TARGET SERVER [COMPILER] [OUT]}
server=${2:?usage: package-platform.sh TARGET SERVER [COMPILER] [OUT]}
compiler=${3:-}
version=$(node -p 'require("./package.json").version')
out=${4:-xlic-$target-$version.vsix}
suffix=""
case "$target" in win32-*) suffix=".exe" ;; esac
[ -f "$server" ] || { echo "package-platform.sh: no server binary at $server" >&2; exit 2; }
rm -rf server
mkdir -p server
trap 'rm -rf server' EXIT
cp "$server" "server/xlic-lsp$suffix"
chmod 755 "server/xlic-lsp$suffix"
if [ -n "$compiler" ]; then
  [ -f "$compiler" ] || { echo "package-platform.sh: no compiler binary at $compiler" >&2; exit 2; }
  cp "$compiler" "server/xlic$suffix"
  chmod 755 "server/xlic$suffix"
fi
npx --no-install vsce package --no-dependencies --skip-license --allow-missing-repository \
  --target "$target" -o "$out"
echo "wrote $out"
