#!/usr/bin/env python3
"""Classroom 50 autograder for a dockerlings assignment.

Put this file at <classroom>/autograders/<slug>/autograder.py in the
classroom50 config repository, and give the assignment the `runtime` block of
runtime.json beside it. On each submission Classroom 50's runner calls it in
the student's checkout, which holds one folder per exercise id
(01-premier-dockerfile/, 02-couches-et-cache/, ...), the shape of the
`workspace/` folder dockerlings creates.

It installs dockerlings (a clone of the course, then scripts/setup.sh: the
Docker engine check, the base images, the npm packages) and runs
`dockerlings grade --classroom50 result.json`, which writes ./result.json in
the classroom50/result/v1 shape from the runner's CLASSROOM, ASSIGNMENT,
SUBMISSION_TAG, COMMIT_URL, RELEASE_URL and REVIEW_URL. Specs always come from
the course, never from the student's repository.

Classroom 50's grade job has 15 minutes (timeout-minutes: 15 in its
autograde-runner workflow), installation included: this file grades only the
exercises of the assignment (ONLY, required) and as many at once as the
runner has cores. Keep an assignment to a few exercises.

Exit code, as Classroom 50's contract asks: 0 when grading ran, whatever the
score (pass or fail is in result.json); non-zero for an infrastructure error
(dockerlings could not be installed, no Docker engine, a base image missing,
an exercise that could not be graded through no fault of the student), which
the runner records as an error instead of a grade.
"""

import os
import subprocess
import sys
from pathlib import Path

# Where the course comes from, and which version: pin a tag for a whole term.
DOCKERLINGS_REPOSITORY = "https://github.com/YOUR-ORGANISATION/dockerlings.git"
DOCKERLINGS_REF = "main"
# The exercises of this assignment, by id or number ("01,02,03"). Required: the
# whole course does not fit in Classroom 50's 15 minutes, and an exercise left
# out here is neither graded nor counted in the score.
ONLY = ""
# Messages of the report: fr or en (check messages stay in French).
LANG = "fr"


def dockerlings_home() -> Path:
    """An installed dockerlings (DOCKERLINGS_HOME), or where this script installs one."""
    declared = os.environ.get("DOCKERLINGS_HOME")
    if declared:
        return Path(declared)
    return Path(os.environ.get("RUNNER_TEMP") or "/tmp") / "dockerlings"


def install(home: Path) -> None:
    if not (home / "bin" / "dockerlings.js").is_file():
        subprocess.run(
            ["git", "clone", "--quiet", "--depth", "1", "--branch", DOCKERLINGS_REF, DOCKERLINGS_REPOSITORY, str(home)],
            check=True,
        )
    subprocess.run(["bash", "scripts/setup.sh"], cwd=home, check=True)


def main() -> int:
    if not ONLY.strip():
        print(
            "::error::set ONLY at the top of this autograder.py to the exercises of this assignment "
            '(e.g. ONLY = "01,02,03"): Classroom 50 grades within 15 minutes',
            file=sys.stderr,
        )
        return 1
    home = dockerlings_home()
    try:
        install(home)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"::error::dockerlings could not be installed: {error}", file=sys.stderr)
        return 1

    result = Path("result.json").resolve()
    reports = Path(os.environ.get("RUNNER_TEMP") or ".").resolve()
    command = [
        "node", str(home / "bin" / "dockerlings.js"), "grade", "--workspace", ".",
        "--classroom50", str(result),
        "--json", str(reports / "dockerlings-result.json"),
        "--junit", str(reports / "dockerlings-junit.xml"),
        "--only", ONLY,
        # Exercises graded at once: one per core (GitHub's Linux runners have 2 or 4).
        "--parallel", str(max(1, os.cpu_count() or 1)),
    ]
    # In GitHub Actions: the job summary and the annotations on the Dockerfiles.
    if os.environ.get("GITHUB_ACTIONS") == "true":
        command.append("--github")
    graded = subprocess.run(command, env={**os.environ, "DOCKERLINGS_LANG": LANG}, check=False)

    # dockerlings grade: 0 graded (whatever the score), 2 could not grade.
    if graded.returncode != 0 or not result.is_file():
        print(f"::error::dockerlings could not grade this submission (exit code {graded.returncode})", file=sys.stderr)
        return graded.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
