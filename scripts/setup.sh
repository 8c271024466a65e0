#!/usr/bin/env bash
# Set-up for a fresh machine: the system sandbox tool, then the npm dependencies.
# bubblewrap gives untrusted model code user/PID/network namespaces and a read-only filesystem; the
# harness runs without it too, at process-level isolation, and says so in every result.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v bwrap >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
    echo "setup: installing bubblewrap (the sandbox for model-written code)"
    if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq bubblewrap; } >/dev/null 2>&1; then
      echo "setup: could not install bubblewrap; model code will run with process-level isolation only" >&2
    fi
  else
    echo "setup: no apt-get; install bubblewrap yourself for namespace isolation" >&2
  fi
fi

npm ci
