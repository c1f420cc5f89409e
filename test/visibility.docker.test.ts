// Checks held back until the deadline (a spec's `meta: { visible:
// "after_deadline" }`), as a student and a teacher meet them on the real
// engine: `check` and the watch loop neither run nor name them and say how
// many are held back; `grade` runs every check and marks the held-back ones,
// on the same warm grading service as the student's `check` (the choice is
// the request's, not the Grader's).
// The fixture exercise 91-reserve holds back « CMD est écrit en forme exec ».
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { dockerlings } from "./helpers/cli.js";
import { Terminal, student_workspace } from "./helpers/terminal.js";
import { fixture_course, make_course } from "./helpers/course.js";

const EX = "91-reserve";
const HIDDEN = "CMD est écrit en forme exec";
const course = make_course({ [EX]: fixture_course });
const env = { DOCKERLINGS_COURSE: course };
// Shell form: passes every check a student sees, fails the held-back one.
const SHELL_FORM = "FROM python:3.11-slim\nCOPY bonjour.py /app/bonjour.py\nCMD python3 /app/bonjour.py\n";
const terminals: Terminal[] = [];

afterEach(() => {
  for (const term of terminals.splice(0)) term.close();
});
afterAll(() => fs.rmSync(course, { recursive: true, force: true }));

function workspace_with(dockerfile: string): string {
  const cwd = student_workspace(course);
  fs.writeFileSync(path.join(cwd, "workspace", EX, "Dockerfile"), dockerfile);
  return cwd;
}

describe("a check held back until the deadline", () => {
  test("check runs only the checks the student sees, and says how many are held back", async () => {
    const cwd = workspace_with(SHELL_FORM);
    const run = await dockerlings(["check", EX], { cwd, env });
    expect(run.stdout).toMatch(/réussi : 2\/2 vérifications, 6\/6 points/);
    // Wrapped to the terminal's width: read as one line.
    expect(run.stdout.replace(/\s+/g, " ")).toMatch(/1 vérification \(2 points\) réservée à la correction après la date limite : ni lancée ni montrée ici\./);
    expect(run.stdout).not.toContain(HIDDEN);
    expect(run.code).toBe(0);

    const json = await dockerlings(["check", EX, "--json"], { cwd, env });
    const result = JSON.parse(json.stdout) as { status: string; points: number; max_points: number; held_back?: { checks: number; points: number }; tests: { name: string }[] };
    expect(result).toMatchObject({ status: "pass", points: 6, max_points: 6, held_back: { checks: 1, points: 2 } });
    expect(result.tests.map((t) => t.name)).not.toContain(HIDDEN);

    // The same in the command's own process as through the grading service.
    const here = await dockerlings(["check", EX, "--json", "--no-daemon"], { cwd, env });
    expect(JSON.parse(here.stdout)).toMatchObject({ status: "pass", points: 6, max_points: 6, held_back: { checks: 1, points: 2 } });
  }, 180_000);

  test("grade runs every check and marks the held-back one", async () => {
    const cwd = workspace_with(SHELL_FORM);
    const out = path.join(cwd, "result.json");
    const run = await dockerlings(["grade", "--workspace", path.join(cwd, "workspace"), "--only", EX, "--json", out], { cwd, env });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(fs.readFileSync(out, "utf8")) as { results: { points: number; max_points: number; held_back?: unknown; tests: { name: string; status: string; visible?: string }[] }[] };
    const [exercise] = summary.results;
    expect(exercise).toMatchObject({ points: 6, max_points: 8 });
    expect(exercise!.held_back).toBeUndefined();
    expect(exercise!.tests.find((t) => t.name === HIDDEN)).toMatchObject({ status: "fail", visible: "after_deadline" });
    expect(exercise!.tests.filter((t) => t.visible).length).toBe(1);
  }, 120_000);

  test("the watch loop holds it back too", async () => {
    const cwd = workspace_with(SHELL_FORM);
    const session = randomUUID();
    const term = Terminal.open([], { cwd, env: { ...env, DOCKERLINGS_SESSION: session } });
    terminals.push(term);
    const screen = await term.wait_for(/réussi : 2\/2 vérifications, 6\/6 points/, 90_000);
    expect(screen.replace(/\s+/g, " ")).toMatch(/1 vérification \(2 points\) réservée à la correction après la date limite/);
    expect(screen).not.toContain(HIDDEN);
    term.keys("q");
    expect(await term.exit_code()).toBe(0);
  }, 120_000);
});
