#!/usr/bin/env bash
# Everything a fresh machine needs before grading: a running Docker engine,
# the course's base images, and the npm packages (which compile the CLI).
# Only what grading needs: the test suite's own tools (a browser, tmux,
# xmllint) come from scripts/setup-tests.sh.
#
#   bash scripts/setup.sh                    the base images the exercises declare
#   bash scripts/setup.sh python:3.11-slim   only those
#   bash scripts/setup.sh --all              every image scripts/base-images.sh knows
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/engine.sh

if [ "${1:-}" = "--all" ]; then
  set -- $(bash scripts/base-images.sh --list)
elif [ $# -eq 0 ]; then
  # The images named by `base_images: [...]` in each exercise.yaml, plus
  # debian:bookworm-slim which the grader's own tests build from, and
  # registry:2, the registry exercise 18's spec starts.
  set -- debian:bookworm-slim registry:2 $(sed -n 's/^base_images: *\[\(.*\)\].*/\1/p' exercises/*/exercise.yaml | tr ',' '\n' | tr -d ' "' | grep -v '^scratch$' | sort -u)
fi

needs_images=0
for name in $(bash scripts/base-images.sh --list); do
  if [ $# -gt 0 ]; then case " $* " in *" $name "*) ;; *) continue ;; esac; fi
  docker image inspect "$name" >/dev/null 2>&1 || needs_images=1
done
if [ "$needs_images" = 1 ] && ! command -v mmdebstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "[setup] installing mmdebstrap to build base images locally" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  else
    echo "[setup] some base images are missing and mmdebstrap is not installed; the script will try to pull them" >&2
  fi
fi
bash scripts/base-images.sh "$@"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "[setup] ready: try \`npx dockerlings doctor\`" >&2
