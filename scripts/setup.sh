#!/usr/bin/env bash
# Set-up for a fresh machine: the system sandbox tool, the browser for the report test, Go and
# pytest for the go and python suites, then the npm dependencies. bubblewrap gives untrusted model code user/PID/network namespaces and a read-only
# filesystem; the harness runs without it too, at process-level isolation, and says so in every result.
# Chromium (Debian's) is what test/report-html.test.ts opens report.html in, through playwright-core;
# no browser is ever downloaded. tmux is the terminal test/progress-tty.test.ts watches the live progress in.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq && APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

# offer PACKAGE WHAT-IT-IS-FOR WHAT-HAPPENS-WITHOUT-IT: installs a Debian package the caller found missing.
offer() {
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing $1 ($2)"
    if ! apt_install "$1" >/dev/null 2>&1; then
      echo "setup: could not install $1; $3" >&2
    fi
  else
    echo "setup: no apt-get; install $1 yourself ($2); $3" >&2
  fi
}

command -v bwrap >/dev/null 2>&1 ||
  offer bubblewrap "the sandbox for model-written code" "model code will run with process-level isolation only"
[ -x /usr/bin/chromium ] ||
  offer chromium "at /usr/bin/chromium: the browser test of report.html" "the report.html browser test will be skipped"
command -v tmux >/dev/null 2>&1 ||
  offer tmux "the pseudo-terminal test of the live progress display" "the live progress terminal test will be skipped"

# The go suite grades with the host's Go (1.19+; Debian 12's golang-go is 1.19), offline and std-only.
command -v go >/dev/null 2>&1 ||
  offer golang-go "the go suite's toolchain" "the go suite will refuse to run (exit 7)"
# The python suite grades with CPython 3.11+ and pytest (Debian 12: python3-pytest); any python3 on PATH
# that already has pytest will do (the harness picks the first, see src/grade/toolchains/python.ts).
python3 -c 'import pytest' >/dev/null 2>&1 || /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 ||
  offer python3-pytest "the python suite's test runner" "the python suite will refuse to run (exit 7)"

npm ci
