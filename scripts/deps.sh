#!/usr/bin/env bash
# Installs the external readers the tests check outputs with, when they are missing:
# qpdf and poppler (PDF), pandoc and LibreOffice (DOCX), xmllint (well-formed XML),
# Python's icalendar (the calendar's RFC 5545 reader).
# Debian/Ubuntu, as root.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
if [ "${#need[@]}" -gt 0 ]; then
  echo "== installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! python3 -c 'import icalendar' >/dev/null 2>&1; then
  echo "== installing icalendar (pip)" >&2
  python3 -m pip install --quiet icalendar
fi
