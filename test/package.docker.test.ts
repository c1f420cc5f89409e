// The package as a student installs it: `npm pack`, a global install of the
// tarball into a fresh prefix, then, from an empty folder far from this
// repository, `dockerlings init` and exercise 01 graded on its starter and on
// its solution. Also what the tarball holds: what runs, never the project's
// tests or fixtures.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { project_root, run_process } from "./helpers/cli.js";

const EX = "01-premier-dockerfile";
const session = randomUUID();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-package-"));
const prefix = path.join(root, "prefix");
let tarball = "";
let files: string[] = [];

afterAll(async () => {
  const { remove_managed } = await import("../grader/index.js");
  await remove_managed(session);
  fs.rmSync(root, { recursive: true, force: true });
});

beforeAll(() => {
  // --ignore-scripts: dist/ is the one `npm ci` built; rebuilding it here would
  // change files under the other test files running the CLI meanwhile.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", root], { cwd: project_root, encoding: "utf8" }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(root, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
});

describe("the tarball", () => {
  test("holds what runs: the compiled CLI, the grader, the course; no test of the project, no fixture", () => {
    for (const needed of ["package.json", "README.md", "bin/dockerlings.js", "dist/cli/cli.js", "dist/grader/spec.js", "grader/spec.ts", "course.yaml", "scripts/base-images.sh"]) {
      expect(files, needed).toContain(needed);
    }
    expect(files).toContain(`exercises/${EX}/spec.test.ts`);
    expect(files).toContain(`solutions/${EX}/Dockerfile`);
    // exercises/ and solutions/ are the course (a starter may hold its app's own tests): the rest is the project's.
    const tests = files.filter((f) => /\.test\.[jt]s$/.test(f) && !/^(exercises|solutions)\//.test(f));
    expect(tests).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|fixtures?|conformance)\//.test(f) && !/^(exercises|solutions)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /fixture/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(cli|templates|docs|\.ci)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(project_root, "package.json"), "utf8"));
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ dockerlings: "bin/dockerlings.js" });
    expect(manifest.engines.node).toBe(">=20");
  });

  // Installing takes minutes on a loaded machine (the dependencies come from npm's cache).
  test("installs globally in a fresh prefix; from an empty folder: init, then 01 graded on its starter and its solution", { timeout: 900_000 }, async () => {
    // As npm 11 installs by default: no package's install script runs (none is
    // needed to grade; better-sqlite3's native build serves only `cohort`).
    // The npm_config_* that `npx vitest` sets are not the student's.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const install = await run_process(
      "npm",
      ["install", "-g", "--prefix", prefix, "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", tarball],
      { cwd: root, env: clean },
    );
    expect(install.code, install.stderr).toBe(0);
    const bin = path.join(prefix, "bin", "dockerlings");
    const student = path.join(root, "élève");
    fs.mkdirSync(student);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr", DOCKERLINGS_SESSION: session };
    delete env.DOCKERLINGS_COURSE; // the course the package ships
    const run = (args: string[], cwd: string) => run_process(bin, args, { cwd, env });

    // From any folder: the bin finds its own files.
    const version = await run(["--version"], "/");
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(project_root, "package.json"), "utf8")).version);

    const init = await run(["init"], student);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/cd dockerlings\n {2}dockerlings\n/);
    const ws = path.join(student, "dockerlings");
    expect(fs.readFileSync(path.join(ws, EX, "Dockerfile"), "utf8")).toBe(fs.readFileSync(path.join(project_root, "exercises", EX, "starter", "Dockerfile"), "utf8"));

    const starter = await run(["check", EX], path.join(ws, EX));
    expect(starter.code, starter.stderr).toBe(1);
    expect(starter.stdout).toMatch(/pas encore : \d\/4 vérifications/);
    expect(starter.stderr).toBe("");

    fs.copyFileSync(path.join(project_root, "solutions", EX, "Dockerfile"), path.join(ws, EX, "Dockerfile"));
    const solution = await run(["check", EX], ws);
    expect(solution.code, solution.stdout + solution.stderr).toBe(0);
    expect(solution.stdout).toMatch(/réussi : 4\/4 vérifications, 10\/10 points/);
    expect(solution.stderr).toBe("");
    const history = fs.readFileSync(path.join(ws, ".dockerlings", "history.jsonl"), "utf8").trim().split("\n");
    expect(history).toHaveLength(2);
  });
});
