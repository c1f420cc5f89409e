// The lint on Dockerfiles written in the style of the official images
// (test/lint-corpus/, ours): long `set -eux` RUNs, `case` on architectures,
// subshells, checksum pipes, gpg loops, heredocs, ONBUILD. Each file lists
// every finding it must produce, so that any other finding (a false
// positive) fails the test, and the constructs that must not be reported are
// named with the reason.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { read_dockerfile } from "../grader/dockerfile/index.js";
import { lint_dockerfile } from "../grader/lint/rules.js";

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), "lint-corpus");

function findings(name: string): string[] {
  const text = fs.readFileSync(path.join(corpus, name), "utf8");
  return lint_dockerfile(text).map((finding) => `${finding.code}:${finding.line}`);
}

interface Expectation {
  /** Every finding, `CODE:line`, with why it is right. */
  must: Record<string, string>;
  /** Constructs of the file that must not be reported, `CODE:line`, with why. */
  must_not: Record<string, string>;
}

const CORPUS: Record<string, Expectation> = {
  "python-slim.Dockerfile": {
    must: {
      "DL3057:3": "no HEALTHCHECK in the final image (a suggestion)",
      "DL3003:20": "`cd /usr/src/python;` at the top level of the RUN",
      "DL4006:20": "`echo ... | sha256sum -c -` and the ldd | awk | sort pipeline, with no pipefail",
      "DL4006:85": "`$(echo \"$src\" | tr -d 3)`: a pipe inside a command substitution is a pipe",
    },
    must_not: {
      "DL3009:8": "the lists are removed at the end of the same RUN",
      "DL3009:20": "apt-get update, then rm -rf /var/lib/apt/lists/* before the RUN ends",
      "DL3015:20": "--no-install-recommends is there",
      "DL3059:85": "the RUN before it chains many commands",
    },
  },
  "golang.Dockerfile": {
    must: {
      "DL4006:8": "`echo \"$sha256 *go.tgz\" | sha256sum -c -` with no pipefail",
      "DL3057:56": "no HEALTHCHECK in the final image (a suggestion)",
    },
    must_not: {
      "DL3003:8": "the `cd` is not there: `find -exec sh -c '...'` holds only a loop",
      "DL3009:58": "the lists are removed in the same RUN",
      "DL3045:73": "the COPY destination is absolute",
      "DL3022:73": "--from=build names the first stage",
    },
  },
  "postgres.Dockerfile": {
    must: {
      "DL3057:3": "no HEALTHCHECK in the final image (a suggestion)",
      "DL4006:19": "`$(dpkg --print-architecture | awk ...)` with no pipefail",
      "DL4006:39": "`locale -a | grep` with no pipefail",
      "DL3003:54": "`cd \"$tempDir\"` in a branch of the case, in the RUN's own shell",
    },
    must_not: {
      "DL3009:54": "apt-get update in the branches of a case, the lists removed later in the same RUN",
      "DL4006:54": "`amd64 | arm64 | ppc64el | s390x)` is a case pattern, not a pipe",
      "DL3004:19": "`gosu nobody true` is not sudo",
      "DL3042:54": "no pip here; PYTHONDONTWRITEBYTECODE is not PIP_NO_CACHE_DIR",
    },
  },
  "node-alpine.Dockerfile": {
    must: {
      "DL3057:4": "no HEALTHCHECK in the final image (a suggestion)",
      "DL3003:8": "`cd \"node-v$NODE_VERSION\"` in the build-from-source branch",
      "DL4006:8": "`echo ... | sha256sum -c -` and `grep ... | sha256sum -c -` with no pipefail",
    },
    must_not: {
      "DL3025:71": "`CMD [ \"node\" ]` is JSON with spaces",
      "DL3045:68": "the COPY destination is absolute",
    },
  },
  "nginx-onbuild.Dockerfile": {
    must: {
      "DL4006:37": "ONBUILD RUN `find | xargs`: the final stage has no pipefail SHELL (the first stage's does not pass to it)",
      "DL3004:38": "ONBUILD RUN sudo: checked as the RUN it will be, on the ONBUILD line",
    },
    must_not: {
      "DL4006:9": "SHELL sets -o pipefail in this stage",
      "DL3003:9": "`( cd /usr/src/nginx && ... )` is in a subshell",
      "DL3025:33": "a HEALTHCHECK CMD in shell form is the form of Docker's documentation (a reasoned difference)",
      "DL3045:36": "ONBUILD COPY to ./ after WORKDIR",
      "DL3057:21": "the final stage has a HEALTHCHECK",
      "DL4006:25": "the heredoc script has a `$(basename ...)` but no pipe",
    },
  },
  "python-app-clean.Dockerfile": {
    must: {},
    must_not: {
      "DL3006:5": "FROM ${PYTHON_IMAGE} resolves to a tagged image through the ARG default",
      "DL4006:11": "SHELL sets -o pipefail; `amd64|x86_64)` is a case pattern",
      "DL3009:11": "the apt lists are in a cache mount, out of the layer",
      "DL3042:28": "export PIP_NO_CACHE_DIR=1 before the venv's pip",
      "DL3003:28": "the cd is in a subshell",
      "DL3059:35": "the RUN before it chains many commands",
      "DL4006:35": "the heredoc is Python, not shell: its `|` and `cd` are text",
      "DL3025:48": "a JSON HEALTHCHECK",
      "DL3002:46": "the last USER is app",
      "DL3045:45": "a relative destination after WORKDIR",
    },
  },
};

describe("lint corpus in the style of the official images", () => {
  for (const [name, expected] of Object.entries(CORPUS)) {
    test(`${name}: exactly the findings it must produce`, () => {
      const found = findings(name);
      expect([...found].sort()).toEqual(Object.keys(expected.must).sort());
      for (const absent of Object.keys(expected.must_not)) expect(found, `${absent}: ${expected.must_not[absent]}`).not.toContain(absent);
      // Each line named is the first line of an instruction, or the expectation would say nothing.
      const starts = new Set(read_dockerfile(fs.readFileSync(path.join(corpus, name), "utf8")).instructions.map((instruction) => instruction.line));
      for (const key of [...Object.keys(expected.must), ...Object.keys(expected.must_not)]) expect(starts, key).toContain(Number(key.split(":")[1]));
    });
  }

  test("every file of the corpus is listed", () => {
    expect(fs.readdirSync(corpus).filter((file) => file.endsWith(".Dockerfile")).sort()).toEqual(Object.keys(CORPUS).sort());
  });

  test("the course's final exercise: its solution has no error or warning (its spec asks for that)", () => {
    const text = fs.readFileSync(path.join(corpus, "..", "..", "solutions", "16-projet-final", "Dockerfile"), "utf8");
    const serious = lint_dockerfile(text).filter((finding) => finding.severity === "error" || finding.severity === "warning");
    expect(serious).toEqual([]);
  });
});
