#!/usr/bin/env bash
# The xlic GitHub Action's work (action.yml calls it), runnable anywhere: install xlic,
# `xlic check` with a SARIF log, `xlic fmt --check`, and `xlic test` where there are
# policy tests. See docs/ci.md. Settings come from the environment:
#   XLIC_PATHS          files and folders, separated by blanks (default: .)
#   XLIC                an xlic binary to use; unset: install one with cargo
#   XLIC_VERSION        with no XLIC: a git tag of xlic to install from XLIC_GIT;
#                       empty: install from the checkout this script is in
#   XLIC_GIT            the repository XLIC_VERSION is fetched from
#   XLIC_INSTALL_FLAGS  more flags for `cargo install` (e.g. --offline, --debug)
#   XLIC_SARIF          where the SARIF log goes (default: xlic.sarif)
#   XLIC_DENY_WARNINGS  true: warnings fail the check too
#   XLIC_FMT            false: skip `xlic fmt --check`
#   XLIC_TEST           true | false | auto (default: run when a `*.xlic.test` exists)
# Exit status: 0 when every step passed, 1 when one failed, 2 when xlic could not be
# installed or the settings are wrong.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
read -ra paths <<<"${XLIC_PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
sarif=${XLIC_SARIF:-xlic.sarif}

flag() { # flag NAME VALUE: true or false, else exit 2
  case "$2" in
    true | false) ;;
    *) echo "error: $1 must be true or false, not \`$2\`" >&2; exit 2 ;;
  esac
}
flag XLIC_DENY_WARNINGS "${XLIC_DENY_WARNINGS:-false}"
flag XLIC_FMT "${XLIC_FMT:-true}"
case "${XLIC_TEST:-auto}" in
  true | false | auto) ;;
  *) echo "error: XLIC_TEST must be true, false or auto, not \`$XLIC_TEST\`" >&2; exit 2 ;;
esac

if [ -z "${XLIC:-}" ]; then
  root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/xlic-install
  read -ra extra <<<"${XLIC_INSTALL_FLAGS:-}"
  if [ -n "${XLIC_VERSION:-}" ]; then
    echo "== cargo install xlic ${XLIC_VERSION} from ${XLIC_GIT:?XLIC_GIT names the repository to install XLIC_VERSION from}"
    cargo install --locked --root "$root" "${extra[@]}" --git "$XLIC_GIT" --tag "$XLIC_VERSION" xlic ||
      { echo "error: cannot install xlic ${XLIC_VERSION}" >&2; exit 2; }
  else
    echo "== cargo install --path $here"
    cargo install --locked --root "$root" "${extra[@]}" --path "$here" ||
      { echo "error: cannot install xlic from $here" >&2; exit 2; }
  fi
  XLIC=$root/bin/xlic
  [ -n "${GITHUB_PATH:-}" ] && echo "$root/bin" >>"$GITHUB_PATH"
fi
"$XLIC" --version || { echo "error: \`$XLIC\` does not run" >&2; exit 2; }

failed=()

echo "== xlic check ${paths[*]} (SARIF log: $sarif)"
deny=()
[ "${XLIC_DENY_WARNINGS:-false}" = true ] && deny=(--deny-warnings)
"$XLIC" check --message-format sarif --max-diagnostics 0 "${deny[@]}" -o "$sarif" "${paths[@]}"
status=$?
if [ $status -le 1 ]; then
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
fi
if [ $status -ne 0 ]; then
  # the log for people: the same diagnostics, one a line
  "$XLIC" check --message-format short --max-diagnostics 0 "${deny[@]}" "${paths[@]}"
  failed+=("xlic check")
else
  echo "no errors"
fi

if [ "${XLIC_FMT:-true}" = true ]; then
  echo "== xlic fmt --check ${paths[*]}"
  "$XLIC" fmt --check "${paths[@]}" || failed+=("xlic fmt --check")
fi

run_tests=${XLIC_TEST:-auto}
if [ "$run_tests" = auto ]; then
  run_tests=false
  for p in "${paths[@]}"; do
    if [ -n "$(find "$p" -name '*.xlic.test' -print -quit 2>/dev/null)" ]; then
      run_tests=true
    fi
  done
fi
if [ "$run_tests" = true ]; then
  echo "== xlic test ${paths[*]}"
  "$XLIC" test "${paths[@]}" || failed+=("xlic test")
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "== all passed"
