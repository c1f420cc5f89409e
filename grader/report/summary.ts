// The one summary object of a grading run. Every output format (terminal
// table, JSON, JUnit, Markdown, GitHub Classroom) is computed from it, so the
// score is the same number everywhere: the sum of the weights of the checks
// that passed.
import type { CheckResult, ExerciseResult, GradedExercise, Status } from "../result.js";
import { define_messages, LANGS, type Lang } from "../messages/index.js";

export interface Counts {
  pass: number;
  fail: number;
  error: number;
  total: number;
}

export interface GradeSummary {
  /** Version of this document's shape; bumped when fields change meaning. */
  format: 1;
  course: { name: string; version: string };
  graded_at: string;
  /** error when an exercise could not be graded at all, else fail when one failed, else pass. */
  status: Status;
  points: number;
  max_points: number;
  exercises: Counts;
  checks: Counts;
  results: GradedExercise[];
}

const count = (statuses: Status[]): Counts => ({
  pass: statuses.filter((s) => s === "pass").length,
  fail: statuses.filter((s) => s === "fail").length,
  error: statuses.filter((s) => s === "error").length,
  total: statuses.length,
});

export function overall_status(statuses: Status[]): Status {
  if (statuses.includes("error")) return "error";
  if (statuses.includes("fail") || statuses.length === 0) return "fail";
  return "pass";
}

/**
 * An exercise's status as the Exercism test-runner interface defines it
 * (exercism/docs, building/tooling/test-runners/interface.md, since its
 * 2025 clarification): error only when no check ran or every check errored,
 * fail when at least one check failed or errored, pass when all passed. The
 * runner's own `error` for a partly graded exercise becomes fail here; why
 * stays in `error_kind` and `message`.
 */
export function exercise_status(result: Pick<ExerciseResult, "status" | "tests">): Status {
  const { tests } = result;
  if (tests.length === 0) return result.status === "error" ? "error" : "fail";
  if (tests.every((t) => t.status === "error")) return "error";
  if (tests.some((t) => t.status !== "pass")) return "fail";
  return "pass";
}

/** Points of one exercise: the passed checks' weights (a refused or unbuilt exercise has none). */
export function exercise_points(result: ExerciseResult): number {
  return result.tests.reduce((sum, t) => sum + (t.status === "pass" ? t.max_points : 0), 0);
}

export function summarise(
  results: GradedExercise[],
  course: { name: string; version: string },
  graded_at: Date = new Date(),
): GradeSummary {
  // Recomputed from the checks rather than trusted, so that no format can
  // disagree with another.
  const normalised = results.map((r) => ({ ...r, status: exercise_status(r), points: exercise_points(r) }));
  return {
    format: 1,
    course,
    graded_at: graded_at.toISOString(),
    status: overall_status(normalised.map((r) => r.status)),
    points: normalised.reduce((s, r) => s + r.points, 0),
    max_points: normalised.reduce((s, r) => s + r.max_points, 0),
    exercises: count(normalised.map((r) => r.status)),
    checks: count(normalised.flatMap((r) => r.tests.map((t) => t.status))),
    results: normalised,
  };
}

/** "7/10" — how a score is written in every format. */
export function score_text(points: number, max_points: number): string {
  return `${points}/${max_points}`;
}

/** A failed check's full explanation: its message, then its (capped) output. */
export function check_details(check: CheckResult): string {
  return [check.message, check.output].filter((part) => part && part.trim() !== "").join("\n");
}

export type ReportLang = Lang;

/**
 * The words of the reports themselves, in the one catalogue (grader/messages/);
 * check names and messages stay the course's. A format takes the language as
 * a parameter: a report is often written for someone other than who runs it.
 */
export const report_words = define_messages({
  title: { fr: "Correction dockerlings", en: "dockerlings grading" },
  exercise: { fr: "Exercice", en: "Exercise" },
  status: { fr: "Statut", en: "Status" },
  checks: { fr: "Checks", en: "Checks" },
  points: { fr: "Points", en: "Points" },
  total: { fr: "Total", en: "Total" },
  pass: { fr: "réussi", en: "passed" },
  fail: { fr: "pas encore", en: "not yet" },
  error: { fr: "erreur", en: "error" },
  ignored: {
    fr: "Fichiers ignorés (non modifiables dans cet exercice, non notés)",
    en: "Ignored files (not editable in this exercise, not graded)",
  },
  failed_checks: { fr: "Vérifications en échec", en: "Failed checks" },
  could_not_grade: { fr: "Correction impossible", en: "Could not grade" },
  course: { fr: "Cours", en: "Course" },
  score: { fr: "Score", en: "Score" },
  exercises_passed: { fr: "exercices réussis", en: "exercises passed" },
});

/** The same words as one table per language, as the formats read them. */
export const REPORT_WORDS = Object.fromEntries(LANGS.map((l) => [l, report_words.table(l)])) as Record<
  ReportLang,
  ReturnType<typeof report_words.table>
>;

export type ReportWords = (typeof REPORT_WORDS)[ReportLang];
