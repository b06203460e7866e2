#!/usr/bin/env bash
# Installs the external readers the tests check outputs with, when they are missing:
# qpdf and poppler (PDF), pandoc and LibreOffice (DOCX), xmllint (well-formed XML),
# Chromium and axe-core (the HTML's accessibility, tests/it/html_axe.rs), Python's
# icalendar (the calendar's RFC 5545 reader).
# Debian/Ubuntu, as root.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
  echo "== installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# axe-core at the version tests/axe/package-lock.json pins, into tests/axe/node_modules
# (ignored by git); the test injects its one file into the page, so no download happens
# while testing.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$here/tests/axe/node_modules/axe-core/axe.min.js" ]; then
  echo "== installing axe-core (npm ci in tests/axe)" >&2
  (cd "$here/tests/axe" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

if ! python3 -c 'import icalendar' >/dev/null 2>&1; then
  echo "== installing icalendar (Debian's python3-icalendar, else pip)" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-icalendar >/dev/null 2>&1; } \
    || python3 -m pip install --quiet --break-system-packages icalendar \
    || python3 -m pip install --quiet icalendar
fi
