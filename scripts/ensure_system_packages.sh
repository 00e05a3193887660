#!/usr/bin/env bash
# The Debian packages the suite and the figures need: Cairo (CairoSVG turns the PRISMA diagram into
# PNG and PDF), the DejaVu fonts the diagram's text is measured for, and Graphviz (`dot` draws the
# synthesis's conceptual model) and LibreOffice Writer without a GUI (the DOCX report's conversion
# to PDF is tested with it). Installs them when missing and this user may; otherwise says what is
# missing (those few tests then skip, nothing else fails).
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing+=(libcairo2)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v dot >/dev/null || missing+=(graphviz)
# LibreOffice, headless: the report test converts report.docx to PDF with it (~210 MB installed)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
# Chromium, driven headless by Playwright in the web app's browser tests
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} from Debian packages..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
else
  echo "Missing system packages: ${missing[*]} (figures, the DOCX-to-PDF check and the browser tests need them; install with apt-get)." >&2
fi
