// A grade of a starter in every format a teacher reads: the terminal table,
// the JSON, the JUnit XML and the GitHub job summary show the same counts
// (checks passed out of run, per exercise and in all) and the same points.
// Each format is read back the way its reader sees it, not through our types.
// From a fixture shaped like starters' results (no engine); the real-engine
// grade of a starter is in grade.docker.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { summarise } from "../grader/report/summary.js";
import type { GradedExercise } from "../grader/result.js";
import { format_table } from "../grader/report/table.js";
import { format_json } from "../grader/report/json.js";
import { format_junit } from "../grader/report/junit.js";
import { write_github } from "../grader/report/github.js";
import { classroom50_result } from "../grader/report/classroom50.js";

const build_failed = { kind: "build_failure" as const, failure: "base_image", line: 1, instruction: "FROM scratch" };
/** Starters as they come: 01 does not build, 08 builds but does none of the rest, 11 was refused (a planted spec). */
const starters: GradedExercise[] = [
  {
    version: 3,
    exercise: "01-premier-dockerfile",
    title: "Votre premier Dockerfile",
    submission: "01-premier-dockerfile",
    status: "fail",
    points: 0,
    max_points: 10,
    duration_ms: 2300,
    tests: [
      { name: "l'image se construit", status: "fail", message: "L'image ne se construit pas.", points: 0, max_points: 2, facts: [build_failed], duration_ms: 2100 },
      { name: "l'image part de python:3.11-slim", status: "fail", message: "L'image ne se construit pas.", points: 0, max_points: 2, facts: [build_failed] },
      { name: "lancée sans argument, elle affiche le message de bienvenue", status: "fail", message: "L'image ne se construit pas.", points: 0, max_points: 4 },
      { name: "CMD est écrit en forme exec", status: "fail", message: "L'image ne se construit pas.", points: 0, max_points: 2 },
    ],
  },
  {
    version: 3,
    exercise: "08-user-non-root",
    title: "USER : ne pas tourner en root",
    submission: "08-user-non-root",
    status: "fail",
    points: 0,
    max_points: 10,
    tests: [
      { name: "l'image se construit", status: "pass", points: 2, max_points: 2, duration_ms: 4000 },
      { name: "le serveur tourne sous un utilisateur nommé d'UID 10001", status: "fail", message: "uid 0 (root)", points: 0, max_points: 3, lines: [5] },
      { name: "il peut enregistrer puis relire un fichier", status: "pass", points: 2, max_points: 2 },
      { name: "il ne peut écrire ni dans /app ni dans les dossiers système", status: "fail", message: "/app est inscriptible", points: 0, max_points: 3 },
    ],
  },
  {
    version: 3,
    exercise: "11-dockerignore",
    submission: "11-dockerignore",
    status: "error",
    error_kind: "refused",
    message: "Soumission refusée : elle contient « spec.test.ts », un fichier de test.",
    points: 0,
    max_points: 6,
    // A refusal is the student's: one failed check carrying the exercise's points (runner/verdict.ts, refused_result).
    tests: [{ name: "la soumission peut être corrigée", status: "fail", message: "Soumission refusée : elle contient « spec.test.ts », un fichier de test.", points: 0, max_points: 6 }],
  },
];
const summary = summarise(starters, { name: "dockerlings", version: "0.1.0" }, new Date("2026-12-01T10:00:00Z"));

interface View {
  /** Per exercise: checks passed, checks run, points, max points. */
  rows: Record<string, [number, number, number, number]>;
  total: [number, number, number, number];
}
const ratio = (text: string): [number, number] => text.split("/").map(Number) as [number, number];

function table_view(): View {
  const lines = format_table(summary).split("\n");
  const rows: View["rows"] = {};
  for (const r of starters) {
    const m = lines.find((l) => l.startsWith(r.exercise))!.match(/(\d+)\/(\d+)\s+(\d+)\/(\d+)$/)!;
    rows[r.exercise] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  }
  const t = lines.at(-1)!.match(/(\d+)\/(\d+)\s+(\d+)\/(\d+)$/)!;
  return { rows, total: [Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4])] };
}

function json_view(): View {
  const doc = JSON.parse(format_json(summary)) as {
    points: number;
    max_points: number;
    checks: { pass: number; total: number };
    results: Array<{ exercise: string; points: number; max_points: number; tests: Array<{ status: string }> }>;
  };
  const rows: View["rows"] = {};
  for (const r of doc.results) rows[r.exercise] = [r.tests.filter((t) => t.status === "pass").length, r.tests.length, r.points, r.max_points];
  return { rows, total: [doc.checks.pass, doc.checks.total, doc.points, doc.max_points] };
}

function junit_view(): View {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testsuite", "testcase", "property"].includes(n) }).parse(format_junit(summary));
  const rows: View["rows"] = {};
  let passed = 0;
  let points = 0;
  type Suite = { name: string; tests: string; failures: string; errors: string; properties: { property: { name: string; value: string }[] }; testcase?: Array<{ "system-out": string }> };
  for (const s of parsed.testsuites.testsuite as Suite[]) {
    // What a reader sees: the suite named by the exercise, its « score » property, tests minus failures and errors, each case's « 2/2 points ».
    const id = s.name;
    const score = s.properties.property.find((p) => p.name === "score")!.value;
    const ok = Number(s.tests) - Number(s.failures) - Number(s.errors);
    const earned = (s.testcase ?? []).reduce((sum, c) => sum + ratio(c["system-out"].split(" ")[0]!)[0], 0);
    expect(earned, `${id}: the cases' points add up to the suite's`).toBe(ratio(score!)[0]);
    rows[id!] = [ok, Number(s.tests), ...ratio(score!)];
    passed += ok;
    points += earned;
  }
  const [, total] = (parsed.testsuites.name as string).match(/ (\d+\/\d+) points$/)!;
  return { rows, total: [passed, Number(parsed.testsuites.tests), points, ratio(total!)[1]] };
}

function summary_view(): View {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-formats-"));
  const file = path.join(dir, "summary.md");
  write_github(summary, { step_summary: file }, "fr");
  const md = fs.readFileSync(file, "utf8");
  fs.rmSync(dir, { recursive: true, force: true });
  const rows: View["rows"] = {};
  for (const r of starters) {
    const m = md.split("\n").find((l) => l.startsWith(`| \`${r.exercise}\``))!.match(/\| (\d+)\/(\d+) \| (\d+)\/(\d+) \|$/)!;
    rows[r.exercise] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  }
  const t = md.match(/^\| \*\*Total\*\* \| .* \| \*\*(\d+)\/(\d+)\*\* \| \*\*(\d+)\/(\d+)\*\* \|$/m)!;
  expect(md).toMatch(new RegExp(`^## Correction dockerlings — ${t[3]}/${t[4]} points$`, "m"));
  return { rows, total: [Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4])] };
}

describe("a grade of starters, in every format", () => {
  const expected: View = {
    rows: {
      "01-premier-dockerfile": [0, 4, 0, 10],
      "08-user-non-root": [2, 4, 4, 10],
      "11-dockerignore": [0, 1, 0, 6],
    },
    total: [2, 9, 4, 26],
  };
  test.each([
    ["the terminal table", table_view],
    ["the JSON", json_view],
    ["the JUnit XML", junit_view],
    ["the job summary", summary_view],
  ])("%s: the same checks and points", (_, view) => {
    expect(view()).toEqual(expected);
  });

  test("Classroom 50's result.json: the same points", () => {
    const result = classroom50_result(summary, {});
    expect([result.score, result["max-score"]]).toEqual([4, 26]);
  });
});
