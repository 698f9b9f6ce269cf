#!/usr/bin/env bash
# Install everything the tests need on a fresh machine: the Python packages (in .venv), the Node tools
# (in tests/tools), and a Chromium for the browser tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install -q -r requirements-dev.txt
# Only for the CITATION.cff schema it ships (its own dependencies would pin an old jsonschema).
.venv/bin/pip install -q --no-deps cffconvert==2.0.0
npm ci --prefix tests/tools --silent

if [ "${TEST_BROWSER:-system}" = "playwright" ]; then
  # GitHub's Ubuntu runners: Ubuntu's chromium package is a snap shim, so use Playwright's own build.
  .venv/bin/python -m playwright install --with-deps chromium
elif ! chromium --version >/dev/null 2>&1; then
  # Debian: the distribution's Chromium, which Playwright drives without downloading a browser.
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
fi
