#!/usr/bin/env bash
# The grader's tests on Docker 20.10, the engine Debian 12 packages: still
# supported for grading, though students have Docker 26 or newer (the full
# suite, `npm test`, runs on that one). A job for a second CI machine:
#
#   DOCKERLINGS_ENGINE=legacy bash scripts/setup.sh   # a fresh Debian 12: docker.io 20.10
#   bash scripts/test-legacy-engine.sh                # the smaller suite, then "N passed, N failed"
#
# The smaller suite is what grades, and nothing that is about the student's
# own docker client or the lessons' by-hand commands (those describe the
# current engine): the engine functions, every check, the pipeline's errors,
# and every exercise's solution and valid variants graded for full points.
#
#   bash scripts/test-legacy-engine.sh --any-engine   # run it on whatever engine answers (a dry run)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[legacy-engine] %s\n' "$*" >&2; }

version=$(docker version --format '{{.Server.Version}}' 2>/dev/null) || {
  log "no Docker engine answers: on a fresh Debian 12, DOCKERLINGS_ENGINE=legacy bash scripts/setup.sh installs and starts docker.io 20.10"
  exit 2
}
major=${version%%.*}
if [ "${1:-}" != "--any-engine" ] && [ "$major" -ge 23 ] 2>/dev/null; then
  log "the engine here is Docker $version: this job is for Docker 20.10 (DOCKERLINGS_ENGINE=legacy bash scripts/setup.sh on a fresh Debian 12); npm test is the suite for this one"
  exit 2
fi
log "Docker $version: running the grader's tests"

# Every *.docker.test.ts of the grader's own folders, plus the files that grade the course.
files=()
while IFS= read -r f; do files+=("$f"); done < <(ls grader/*/*.docker.test.ts)
files+=(test/variants.docker.test.ts test/pipeline-errors.docker.test.ts test/pipeline-same-verdict.docker.test.ts)
exec node scripts/test.js "${files[@]}"
