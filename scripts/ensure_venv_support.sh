#!/usr/bin/env bash
# Debian/Ubuntu ship Python without the venv module; install it (as root) when it is missing.
set -euo pipefail
if python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "python3 cannot create virtual environments; install python3-venv (sudo apt-get install python3-venv)" >&2
  exit 1
fi
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
