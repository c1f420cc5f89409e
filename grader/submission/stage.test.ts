// Staging a submission: only the editable files come from it, the rest from
// the course's starter; planted specs, links leaving the folder and oversized
// contexts are refused with a reason. No Docker.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { editable_pattern, prepare_submission, SubmissionRefusedError, type PreparedSubmission } from "./stage.js";
import type { Exercise } from "../course/course.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-sub-test-"));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const STARTER = {
  Dockerfile: "FROM debian:bookworm-slim\n",
  "app.py": "print('starter')\n",
  "config/settings.ini": "[app]\n",
  "tests/app.test.js": "// the app's own tests, shipped by the course\n",
};

function exercise(editable: string[] = ["Dockerfile", ".dockerignore"]): Exercise {
  return { id: "42-essai", editable, points: 3, starter_dir: folder(STARTER) } as unknown as Exercise;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");

function prepared(ex: Exercise, dir: string, options?: Parameters<typeof prepare_submission>[2]): PreparedSubmission {
  const p = prepare_submission(ex, dir, options);
  made.push(path.dirname(p.dir));
  return p;
}

function refusal(run: () => unknown): SubmissionRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof SubmissionRefusedError) return error;
    throw error;
  }
  throw new Error("the submission was not refused");
}

describe("editable globs", () => {
  test.each([
    ["Dockerfile", "Dockerfile", true],
    ["Dockerfile", "sub/Dockerfile", false],
    ["*.py", "app.py", true],
    ["*.py", "lib/app.py", false],
    ["**/*.py", "lib/deep/app.py", true],
    ["**/*.py", "app.py", true],
    ["config", "config/settings.ini", true],
    ["config/", "config/settings.ini", true],
    ["src/**", "src/a/b.c", true],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file10.txt", false],
    ["a.b", "axb", false],
  ])("%s matches %s: %s", (glob, file, expected) => {
    expect(editable_pattern(glob).test(file)).toBe(expected);
  });
});

describe("staging", () => {
  test("the starter, overlaid with the editable files only; the other changes are reported as ignored", () => {
    const ex = exercise(["Dockerfile", ".dockerignore", "config/*.ini"]);
    const submission = folder({
      Dockerfile: "FROM python:3.11-slim\n",
      ".dockerignore": "*.md\n",
      "app.py": "print('changed by the student')\n",
      "config/settings.ini": "[app]\nmine = 1\n",
      "extra.sh": "echo added\n",
      "tests/app.test.js": "// the app's own tests, shipped by the course\n",
      ".git/HEAD": "ref: refs/heads/main\n",
    });
    const p = prepared(ex, submission);
    expect(read(p.dir, "Dockerfile")).toBe("FROM python:3.11-slim\n");
    expect(read(p.dir, ".dockerignore")).toBe("*.md\n");
    expect(read(p.dir, "config/settings.ini")).toBe("[app]\nmine = 1\n");
    expect(read(p.dir, "app.py")).toBe("print('starter')\n");
    expect(fs.existsSync(path.join(p.dir, "extra.sh"))).toBe(false);
    expect(fs.existsSync(path.join(p.dir, ".git"))).toBe(false);
    expect(p.ignored).toEqual(["app.py", "extra.sh"]);
    expect(path.basename(p.dir)).toBe("42-essai");
    p.dispose();
    expect(fs.existsSync(p.dir)).toBe(false);
  });

  test("a deleted Dockerfile stays deleted: the starter's is not graded instead", () => {
    const p = prepared(exercise(), folder({ "app.py": "print('starter')\n" }));
    expect(fs.existsSync(path.join(p.dir, "Dockerfile"))).toBe(false);
    expect(read(p.dir, "app.py")).toBe("print('starter')\n");
    expect(p.ignored).toEqual([]);
  });

  test("a link inside the folder is kept", () => {
    const submission = folder({ Dockerfile: "FROM scratch\n" });
    fs.symlinkSync("Dockerfile", path.join(submission, "Dockerfile.link"));
    const p = prepared(exercise(["Dockerfile*"]), submission);
    expect(fs.readlinkSync(path.join(p.dir, "Dockerfile.link"))).toBe("Dockerfile");
  });
});

describe("refusals", () => {
  test.each([["spec.test.ts"], ["vitest.config.ts"], ["tests/extra.spec.js"], ["deep/down/x.test.mjs"]])(
    "a planted %s is refused, naming it",
    (file) => {
      const error = refusal(() => prepare_submission(exercise(), folder({ Dockerfile: "FROM scratch\n", [file]: "export {}\n" })));
      expect(error.reason).toBe("spec-file");
      expect(error.message).toContain(`« ${file} »`);
      expect(error.message).toMatch(/Les vérifications viennent toujours du cours, jamais de la soumission : supprimez ce fichier\./);
    },
  );

  test("a test file the starter itself ships is not a planted spec", () => {
    const p = prepared(exercise(), folder({ Dockerfile: "FROM scratch\n", "tests/app.test.js": "// edited\n" }));
    expect(p.ignored).toEqual(["tests/app.test.js"]);
  });

  test("a link to a host file is refused, even when not editable", () => {
    const submission = folder({ Dockerfile: "FROM scratch\n" });
    fs.symlinkSync("/etc/passwd", path.join(submission, "notes.txt"));
    const error = refusal(() => prepare_submission(exercise(), submission));
    expect(error.reason).toBe("link-outside");
    expect(error.message).toMatch(/le lien symbolique « notes\.txt » mène hors du dossier de l'exercice \(vers \/etc\/passwd\)/);
  });

  test("a relative link climbing out of the folder is refused", () => {
    const submission = folder({ Dockerfile: "FROM scratch\n" });
    fs.symlinkSync("../../../../etc", path.join(submission, "Dockerfile.d"));
    expect(refusal(() => prepare_submission(exercise(["Dockerfile*"]), submission)).reason).toBe("link-outside");
  });

  test("editable files over the size limit are refused, naming the limit", () => {
    const submission = folder({ Dockerfile: "FROM scratch\n", "data/big.bin": "x".repeat(300 * 1024) });
    const error = refusal(() => prepare_submission(exercise(["Dockerfile", "data"]), submission, { context_limit_bytes: 200 * 1024 }));
    expect(error.reason).toBe("too-large");
    expect(error.message).toMatch(/dépassent la limite de 0\.2 Mo du contexte de build/);
  });

  test("a big file the exercise does not let in is ignored, not refused", () => {
    const submission = folder({ Dockerfile: "FROM scratch\n", "big.bin": "x".repeat(300 * 1024) });
    const p = prepared(exercise(), submission, { context_limit_bytes: 200 * 1024 });
    expect(p.ignored).toEqual(["big.bin"]);
  });

  test("a missing folder says which and how to make it", () => {
    const error = refusal(() => prepare_submission(exercise(), "/nonexistent/42-essai"));
    expect(error.reason).toBe("missing");
    expect(error.message).toMatch(/Aucun dossier \/nonexistent\/42-essai pour l'exercice 42-essai/);
  });
});
