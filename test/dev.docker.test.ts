// Course packs on the real engine: a pack made with `dev new` outside the
// repository and completed passes `dev check`; the same pack with each
// mistake only the engine finds (an image absent from it, a starter that
// passes, a solution that fails, a wrong answer let through or caught by the
// wrong check) fails with the line
// naming it; and `check`, `grade` and `cohort grade` grade it with --course,
// results carrying the pack's name and version. One tiny exercise on
// debian:bookworm-slim.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { dockerlings } from "./helpers/cli.js";
import { EXERCISE, SOLUTION, edit, sound_pack, write } from "./dev-pack.js";

const EX = `exercises/${EXERCISE}`;
const WRONG = `wrong-answers/${EXERCISE}`;

describe("a pack of its own, with --course", () => {
  const root = sound_pack();

  test("dev check: sound, every submission graded", async () => {
    const run = await dockerlings(["dev", "check", "--course", root]);
    expect(run.stdout).toBe("");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Pack sain : 1 exercice(s), 3 correction(s).");
  });

  test("check and grade grade it; the results carry the pack's name and version from course.yaml", async () => {
    const ws = path.join(path.dirname(root), "ws");
    fs.cpSync(path.join(root, "solutions", EXERCISE), path.join(ws, EXERCISE), { recursive: true });
    const check = await dockerlings(["check", "01", "--course", root, "--workspace", ws, "--json"]);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ exercise: EXERCISE, status: "pass", points: 10, max_points: 10 });

    const out = path.join(path.dirname(root), "grade.json");
    const grade = await dockerlings(["--course", root, "grade", "--workspace", ws, "--json", out]);
    expect(grade.code, grade.stdout + grade.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, "utf8"))).toMatchObject({ course: { name: "mon-cours", version: "0.1.0" }, points: 10, max_points: 10 });
  });
});

describe("cohort grade with --course", () => {
  test("grades a class on the pack; the report names the pack's version", async () => {
    const root = sound_pack();
    const cohort = path.join(path.dirname(root), "classe");
    fs.cpSync(path.join(root, "solutions", EXERCISE), path.join(cohort, "rendus", "ada", EXERCISE), { recursive: true });
    fs.cpSync(path.join(root, EX, "starter"), path.join(cohort, "rendus", "bob", EXERCISE), { recursive: true });
    write(cohort, "roster.yaml", "students:\n  - { id: ada, name: Ada, path: rendus/ada }\n  - { id: bob, name: Bob, path: rendus/bob }\n");
    const db = path.join(cohort, "cohort.db");
    const grade = await dockerlings(["cohort", "grade", "roster.yaml", "--db", db, "--course", root], { cwd: cohort });
    expect(grade.code, grade.stdout + grade.stderr).toBe(0);
    const json = path.join(cohort, "report.json");
    const report = await dockerlings(["cohort", "report", "--db", db, "--json", json, "--course", root], { cwd: cohort });
    expect(report.code, report.stderr).toBe(0);
    const doc = JSON.parse(fs.readFileSync(json, "utf8")) as { course_version: string; students: { id: string; points: number }[] };
    expect(doc.course_version).toBe("mon-cours@0.1.0");
    expect(doc.students.map((s) => [s.id, s.points])).toEqual([
      ["ada", 10],
      ["bob", expect.any(Number)],
    ]);
    expect(doc.students[1]!.points).toBeLessThan(10);
  });
});

describe("dev check names what only grading finds", () => {
  test("an image absent, a starter that passes, a solution that fails, a wrong answer let through, one caught by the wrong check", async () => {
    const root = sound_pack();
    // The starter is already the answer; the solution forgot ENV.
    write(root, `${EX}/starter/Dockerfile`, SOLUTION);
    write(root, `solutions/${EXERCISE}/Dockerfile`, SOLUTION.replace("ENV NOM=Ada\n", ""));
    // A "wrong" answer that is right, and one that fails another check than it says.
    write(root, `${WRONG}/pas-fausse/Dockerfile`, SOLUTION);
    write(root, `${WRONG}/pas-fausse/expect.yaml`, "why: the solution itself\nfails: forme exec\nmessage: forme shell\n");
    edit(root, `${WRONG}/cmd-shell-form/expect.yaml`, (t) => t.replace(/^fails: .*$/m, "fails: NOM vaut Ada"));
    // An image the pack says it needs, with a recipe, but not on this engine (gcc:12: no exercise here builds from it).
    edit(root, "course.yaml", (t) => t.replace("  - debian:bookworm-slim", "  - debian:bookworm-slim\n  - gcc:12"));

    const run = await dockerlings(["dev", "check", "--course", root]);
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trim().split("\n");
    // Before the check's name, its line in the spec; after it, the library's own words (they may change).
    expect(lines.shift()).toBe("course.yaml:22: base image gcc:12 is not on this engine: run `bash scripts/base-images.sh gcc:12` (or docker pull gcc:12)");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(new RegExp(`^${EX}/spec\\.test\\.ts:14: the solution fails « NOM vaut Ada dans l'image »: .*NOM`));
    expect(lines[1]).toMatch(new RegExp(`^${EX}/spec\\.test\\.ts:18: the solution fails « lancée sans argument, elle affiche « Salut Ada » »: .*Salut Ada`));
    expect(lines.slice(2)).toEqual([
      `${EX}/starter/Dockerfile: the starter passes every check: the student has nothing to do (or the spec checks too little)`,
      `${WRONG}/cmd-shell-form/expect.yaml:4: « NOM vaut Ada dans l'image » lets it through (CMD written in shell form, so the program runs under /bin/sh -c); it fails « CMD est écrit en forme exec » instead`,
      `${WRONG}/pas-fausse/expect.yaml:2: the wrong answer passes every check (the solution itself): the spec lets it through`,
    ]);
  });
});
