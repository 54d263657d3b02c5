#!/usr/bin/env bash
# Opens each example's .docx in a real word processor: LibreOffice Writer (headless)
# converts it to PDF, which must exist, be A4 and hold the agreement's title, an
# article heading and a clause id (read back with pdftotext).
#
# Installs LibreOffice Writer and poppler-utils with apt-get when they are missing.
# Usage: scripts/check-docx.sh [--keep DIR]   (keep the .docx and .pdf files in DIR)
# XLIC=path overrides the binary (default target/debug/xlic, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

keep=""
if [ "${1:-}" = "--keep" ]; then
  keep="${2:?--keep needs a folder}"
  mkdir -p "$keep"
fi

xlic="${XLIC:-target/debug/xlic}"
if [ ! -x "$xlic" ]; then
  cargo build --quiet --bin xlic
fi

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui fonts-liberation)
{ command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; } || need+=(poppler-utils)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "check-docx: please install ${need[*]} (apt-get needs root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="${keep:-$work}"
# A fresh profile: no user settings, no lock held by another LibreOffice.
profile="file://$work/profile"

failed=0
checked=0
for example in examples/*.xlic; do
  stem="$(basename "$example" .xlic)"
  bad=0
  problem() {
    echo "FAIL $example: $*" >&2
    failed=1
    bad=1
  }
  if ! "$xlic" build --emit docx -o "$out" "$example" 2>"$work/$stem.build.log"; then
    problem "xlic build --emit docx failed: $(cat "$work/$stem.build.log")"
    continue
  fi
  rm -f "$out/$stem.pdf"
  if ! timeout 180 soffice -env:UserInstallation="$profile" --headless \
      --convert-to pdf --outdir "$out" "$out/$stem.docx" >"$work/$stem.lo.log" 2>&1; then
    problem "LibreOffice failed: $(cat "$work/$stem.lo.log")"
    continue
  fi
  pdf="$out/$stem.pdf"
  if [ ! -s "$pdf" ]; then
    problem "LibreOffice wrote no PDF: $(cat "$work/$stem.lo.log")"
    continue
  fi
  pages="$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')"
  if [ -z "$pages" ] || [ "$pages" -lt 1 ]; then
    problem "the PDF has no pages"
    continue
  fi
  if ! pdfinfo "$pdf" | grep -q '^Page size:.*(A4)'; then
    problem "the first page is not A4: $(pdfinfo "$pdf" | grep '^Page size')"
  fi
  # What the PDF must hold, taken from the Markdown of the same example.
  md="$("$xlic" build --emit markdown "$example" 2>/dev/null)"
  title="$(printf '%s\n' "$md" | sed -n 's/^# //p' | head -n 1 | tr -d '\\')"
  article="$(printf '%s\n' "$md" | sed -n 's/^## \(Article .*\)/\1/p' | head -n 1 | tr -d '\\')"
  clause_id="$(printf '%s\n' "$md" | sed -n 's/^\*\*[0-9.]*\*\* `\(\[[^]]*\]\)`.*/\1/p' | head -n 1)"
  text="$(pdftotext "$pdf" - | tr -s '[:space:]' ' ')"
  for want in "$title" "$article" "$clause_id"; do
    if [ -z "$want" ]; then
      problem "could not read the title, an article heading or a clause id from the Markdown"
    elif ! grep -qF -- "$want" <<<"$text"; then
      problem "the PDF does not hold \"$want\""
    fi
  done
  if [ "$bad" -eq 0 ]; then
    echo "ok   $example: $pages pages, \"$title\""
  fi
  checked=$((checked + 1))
done

if [ "$checked" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "check-docx: no examples found" >&2
  exit 1
fi
exit "$failed"
