// GradeSummary -> Classroom 50's `result.json` (schema classroom50/result/v1),
// the one contract its runner asks of an assignment's autograder.py, as its
// wiki states it (foundation50/classroom50, wiki/Autograders.md, « The
// result.json contract » and « Contract »): schema, classroom, assignment,
// submission, commit, release, review, datetime (UTC ISO 8601), score and
// max-score (whole numbers, the sums of the tests'), tests[] of test-name,
// passed, score, max-score. The identity fields come from the environment the
// runner sets (CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL, RELEASE_URL,
// REVIEW_URL, which may be empty: then the commit's URL, as its templates do);
// owner and assignment_type are stamped by the runner itself.
//
// The autograder exits 0 when grading ran (pass or fail is in the file) and
// non-zero for an infrastructure error, which the runner records as an error
// instead of a grade: so no file is written when an exercise could not be
// graded for a reason that is not the student's (engine, missing base image,
// timeout of the grader, a wrong spec, a check that errored).
import fs from "node:fs";
import path from "node:path";
import type { GradeSummary } from "./summary.js";
import type { ReportLang } from "./summary.js";
import { define_messages } from "../messages/index.js";

export const CLASSROOM50_SCHEMA = "classroom50/result/v1";

export interface Classroom50Test {
  "test-name": string;
  passed: boolean;
  score: number;
  "max-score": number;
}

export interface Classroom50Result {
  schema: typeof CLASSROOM50_SCHEMA;
  classroom: string;
  assignment: string;
  submission: string;
  commit: string;
  release: string;
  review: string;
  datetime: string;
  score: number;
  "max-score": number;
  tests: Classroom50Test[];
}

/** The variables the runner sets and the file needs; REVIEW_URL may be empty. */
export const CLASSROOM50_ENV = ["CLASSROOM", "ASSIGNMENT", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL"] as const;

export type Classroom50Problem =
  | { kind: "missing_env"; name: string }
  | { kind: "infrastructure"; exercise: string; error_kind?: string; message?: string }
  | { kind: "not_whole"; exercise: string; check?: string };

/** Why no result.json can be written: missing variables, or exercises that could not be graded through no fault of the student. */
export function classroom50_problems(summary: GradeSummary, env: NodeJS.ProcessEnv = process.env): Classroom50Problem[] {
  const problems: Classroom50Problem[] = [];
  for (const name of CLASSROOM50_ENV) if (!env[name]?.trim()) problems.push({ kind: "missing_env", name });
  for (const r of summary.results) {
    // A refusal is the student's (a planted test file, a link out): 0 points, a grade. Anything else is ours.
    const refused = r.error_kind === "refused";
    const errored = r.tests.some((t) => t.status === "error");
    if (!refused && (r.error_kind !== undefined || r.status === "error" || errored)) {
      problems.push({ kind: "infrastructure", exercise: r.exercise, ...(r.error_kind ? { error_kind: r.error_kind } : {}), ...(r.message ? { message: r.message } : {}) });
    }
    if (!Number.isInteger(r.max_points)) problems.push({ kind: "not_whole", exercise: r.exercise });
    for (const t of r.tests) if (!Number.isInteger(t.max_points)) problems.push({ kind: "not_whole", exercise: r.exercise, check: t.name });
  }
  return problems;
}

/** The tests[] rows: one per check, and one per exercise with no check (its points are at stake, and lost). */
export function classroom50_tests(summary: GradeSummary): Classroom50Test[] {
  const rows: Classroom50Test[] = [];
  for (const r of summary.results) {
    if (r.tests.length === 0) {
      rows.push({ "test-name": r.exercise, passed: false, score: 0, "max-score": r.max_points });
      continue;
    }
    for (const t of r.tests) {
      const passed = t.status === "pass";
      rows.push({ "test-name": `${r.exercise} › ${t.name}`, passed, score: passed ? t.max_points : 0, "max-score": t.max_points });
    }
  }
  return rows;
}

/** UTC ISO 8601 to the second, as Classroom 50's own autograders write it. */
const utc_seconds = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");

export function classroom50_result(summary: GradeSummary, env: NodeJS.ProcessEnv = process.env): Classroom50Result {
  const tests = classroom50_tests(summary);
  const value = (name: string) => env[name]?.trim() ?? "";
  return {
    schema: CLASSROOM50_SCHEMA,
    classroom: value("CLASSROOM"),
    assignment: value("ASSIGNMENT"),
    submission: value("SUBMISSION_TAG"),
    commit: value("COMMIT_URL"),
    release: value("RELEASE_URL"),
    review: value("REVIEW_URL") || value("COMMIT_URL"),
    datetime: utc_seconds(summary.graded_at),
    score: tests.reduce((s, t) => s + t.score, 0),
    "max-score": tests.reduce((s, t) => s + t["max-score"], 0),
    tests,
  };
}

export function format_classroom50(summary: GradeSummary, env: NodeJS.ProcessEnv = process.env): string {
  return `${JSON.stringify(classroom50_result(summary, env), null, 2)}\n`;
}

const WORDS = define_messages({
  missing_env: {
    fr: (p: { name: string }) => `--classroom50 : la variable ${p.name} n'est pas définie (le runner de Classroom 50 la définit ; hors de lui, définissez-la).`,
    en: (p: { name: string }) => `--classroom50: the variable ${p.name} is not set (Classroom 50's runner sets it; outside it, set it yourself).`,
  },
  infrastructure: {
    fr: (p: { exercise: string; why: string }) => `--classroom50 : ${p.exercise} n'a pas pu être corrigé (${p.why}) : ce n'est pas la faute de l'étudiant, aucune note n'est écrite.`,
    en: (p: { exercise: string; why: string }) => `--classroom50: ${p.exercise} could not be graded (${p.why}): not the student's fault, so no grade is written.`,
  },
  not_whole: {
    fr: (p: { what: string }) => `--classroom50 : ${p.what} vaut un nombre de points non entier ; Classroom 50 n'accepte que des entiers.`,
    en: (p: { what: string }) => `--classroom50: ${p.what} is worth a fractional number of points; Classroom 50 takes whole numbers only.`,
  },
  check_errored: { fr: "une vérification en erreur", en: "a check errored" },
});

/** A problem in the report's language. */
export function classroom50_problem_text(problem: Classroom50Problem, lang: ReportLang = "fr"): string {
  const w = WORDS.in(lang);
  switch (problem.kind) {
    case "missing_env":
      return w("missing_env", { name: problem.name });
    case "infrastructure": {
      const why = [problem.error_kind, problem.message?.split("\n")[0]].filter(Boolean).join(" : ") || w("check_errored");
      return w("infrastructure", { exercise: problem.exercise, why });
    }
    case "not_whole":
      return w("not_whole", { what: problem.check ? `${problem.exercise} › ${problem.check}` : problem.exercise });
  }
}

/**
 * Writes `result.json` to `file` when grading ran; otherwise writes nothing
 * and returns why, in the report's language: the caller then exits non-zero,
 * which Classroom 50 records as an infrastructure error.
 */
export function write_classroom50(
  summary: GradeSummary,
  file: string,
  options: { env?: NodeJS.ProcessEnv; lang?: ReportLang } = {},
): { file?: string; problems: string[] } {
  const env = options.env ?? process.env;
  const problems = classroom50_problems(summary, env);
  const target = path.resolve(file);
  if (problems.length > 0) {
    // Nor may a file left by an earlier run stand for this one.
    fs.rmSync(target, { force: true });
    return { problems: problems.map((p) => classroom50_problem_text(p, options.lang)) };
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written whole, then renamed: a reader never sees half a file.
  const partial = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(partial, format_classroom50(summary, env));
  fs.renameSync(partial, target);
  return { file: target, problems: [] };
}
