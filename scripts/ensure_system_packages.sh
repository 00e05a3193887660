#!/usr/bin/env bash
# The Debian packages Synthesist's figures and its test suite need, installed when missing.
#
#   ensure_system_packages.sh demo   what `make demo` needs for a complete report: Cairo (CairoSVG turns
#                                    the PRISMA diagram into PNG and PDF for the Word report), the DejaVu
#                                    fonts the diagram's text is measured for, and Graphviz (`dot` draws
#                                    the synthesis's conceptual model)
#   ensure_system_packages.sh test   all of that, plus LibreOffice Writer without a GUI (the DOCX report's
#                                    conversion to PDF is tested with it, ~210 MB) and Chromium (the web
#                                    app's browser tests drive it headless with Playwright)
#
# Installs them when this user may (root with apt-get); otherwise says what is missing and how to
# install it (the report then explains what it could not draw; those few tests skip). apt's own chatter
# goes to a log file, so a fresh `make demo` prints one line here, not pages of dpkg output.
set -euo pipefail
profile="${1:-test}"
missing=()
ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing+=(libcairo2)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v dot >/dev/null || missing+=(graphviz)
if [ "$profile" = test ]; then
  command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
  command -v chromium >/dev/null || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  log="${TMPDIR:-/tmp}/synthesist-apt-$$.log"
  echo "Installing ${missing[*]} from Debian packages (log: $log)..." >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
      >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "Could not install ${missing[*]}; see $log." >&2
    exit 1
  fi
else
  echo "Missing system packages: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install ${missing[*]} (figures, the DOCX-to-PDF check and the" \
    "browser tests need them)." >&2
fi
