#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser test of the mesh graph
# (test/graph/browser.test.ts): installs the `chromium` package with apt-get when it is missing
# and this user may (root, or sudo without a password). CHROMIUM_PATH names another browser.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"
else
  echo "Chromium is missing at $CHROMIUM: install Debian's 'chromium' package or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser test (once)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
