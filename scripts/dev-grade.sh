#!/usr/bin/env bash
# Task authors' quick check, before/without the harness: assemble a workspace the way the grader
# does (starter -> overlay -> hidden -> fixture configs) and run the toolchain's steps on it.
#   scripts/dev-grade.sh tasks/react/L1-statcard reference
#   scripts/dev-grade.sh tasks/rust/L1-merge-intervals mutants/off-by-one
# The real verdict (expected test count, classes, checks) comes from `aibench validate`.
set -euo pipefail
task=$(cd "$1" && pwd); overlay=${2:-reference}
suite_dir=$(dirname "$task"); toolchain=$(sed -n 's/^toolchain: *//p' "$suite_dir/suite.yml")
ws=$(mktemp -d /tmp/aibench-dev-XXXXXX)
cp -r "$task/starter/." "$ws/"
[ -d "$task/$overlay" ] && (cd "$task/$overlay" && find . -type f ! -name why.md -exec cp --parents {} "$ws/" \;)
cp -r "$task/hidden/." "$ws/"
echo "workspace: $ws"
if [ "$toolchain" = node ]; then
  fx="$suite_dir/fixture"; cache="${AIBENCH_CACHE:-$HOME/.cache/aibench}/dev-fixture"
  if [ ! -d "$cache/node_modules" ] || ! cmp -s "$fx/package-lock.json" "$cache/package-lock.json"; then
    rm -rf "$cache"; mkdir -p "$cache"; cp "$fx/package.json" "$fx/package-lock.json" "$cache/"
    (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  (cd "$fx" && find . -maxdepth 1 -type f ! -name package-lock.json -exec cp {} "$ws/" \;)
  ln -s "$cache/node_modules" "$ws/node_modules"
  cd "$ws"
  ./node_modules/.bin/tsc -p . --pretty false && echo "tsc: ok"
  ./node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile=.report.json || true
  node -e 'const r=require("./.report.json");console.log(`passed ${r.numPassedTests} failed ${r.numFailedTests} pending ${r.numPendingTests} total ${r.numTotalTests}`)'
else
  cd "$ws"; export CARGO_TARGET_DIR="${AIBENCH_CACHE:-$HOME/.cache/aibench}/dev-target/$(basename "$task")"
  cargo build --offline --all-targets
  tests=$(for f in "$task"/hidden/tests/*.rs; do printf -- '--test %s ' "$(basename "$f" .rs)"; done)
  # shellcheck disable=SC2086
  cargo test --offline --no-fail-fast $tests || true
fi
