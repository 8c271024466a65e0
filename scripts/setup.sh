#!/usr/bin/env bash
# Set-up for a fresh machine: the system sandbox tool, the browser for the report test, then the npm
# dependencies. bubblewrap gives untrusted model code user/PID/network namespaces and a read-only
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

if ! command -v bwrap >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing bubblewrap (the sandbox for model-written code)"
    if ! apt_install bubblewrap >/dev/null 2>&1; then
      echo "setup: could not install bubblewrap; model code will run with process-level isolation only" >&2
    fi
  else
    echo "setup: no apt-get; install bubblewrap yourself for namespace isolation" >&2
  fi
fi

if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium (the browser test of report.html)"
    if ! apt_install chromium >/dev/null 2>&1; then
      echo "setup: could not install chromium; the report.html browser test will be skipped" >&2
    fi
  else
    echo "setup: no apt-get; install chromium at /usr/bin/chromium for the report.html browser test" >&2
  fi
fi

if ! command -v tmux >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing tmux (the pseudo-terminal test of the live progress display)"
    if ! apt_install tmux >/dev/null 2>&1; then
      echo "setup: could not install tmux; the live progress terminal test will be skipped" >&2
    fi
  else
    echo "setup: no apt-get; install tmux for the live progress terminal test" >&2
  fi
fi

npm ci
