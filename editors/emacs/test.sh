#!/usr/bin/env bash
# Runs editors/emacs/xlic-mode.el with eglot in a batch Emacs against
# target/debug/xlic-lsp: diagnostics, hover, definition, rename, formatting and a
# clean shutdown (eglot sends `"params": null`). EMACS names the Emacs to use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
emacs="${EMACS:-emacs}"
# shellcheck source=../test-workspace.sh
source "$here/../test-workspace.sh"
"$emacs" --version | sed -n 1p
cd "$work"
timeout 120 "$emacs" --batch -Q -l "$here/test/eglot-test.el" -f xlic-eglot-test-run "$work"
