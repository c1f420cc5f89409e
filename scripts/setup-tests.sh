#!/usr/bin/env bash
# The tools the project's own test suite needs beyond grading (scripts/setup.sh
# sets up grading): tmux, which drives the watch loop in a real terminal;
# xmllint, which validates the JUnit report against its schema; Debian's
# chromium, which drives the cohort report in a browser (never a downloaded
# one). Installed with apt-get when run as root; otherwise each missing one is
# named. .ci/run calls it before `npm test`.
set -euo pipefail

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  echo "[setup-tests] tmux, xmllint and chromium are there" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup-tests] installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "[setup-tests] missing: ${missing[*]}; install them (e.g. sudo apt-get install ${missing[*]}), then run npm test" >&2
  exit 1
fi
