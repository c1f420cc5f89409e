// The one summary object of a grading run. Every output format (terminal
// table, JSON, JUnit, Markdown, GitHub Classroom) is computed from it, so the
// score is the same number everywhere: the sum of the weights of the checks
// that passed.
import type { CheckResult, ExerciseResult, Status } from "../runner/result.js";

/** An exercise's result as a grading run reports it. */
export interface GradedExercise extends ExerciseResult {
  title?: string;
  /**
   * Files of the submission that it changed or added but that the exercise
   * does not let the student edit: reported, never graded.
   */
  ignored?: string[];
  /** The submission's folder, relative to where grading ran ("/"-separated). */
  submission?: string;
}

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
  /** error when an exercise could not be graded, else fail when one failed, else pass. */
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
  const normalised = results.map((r) => ({ ...r, points: exercise_points(r) }));
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

export type ReportLang = "fr" | "en";

/** The words of the reports themselves; check names and messages stay the course's (French). */
export const REPORT_WORDS = {
  fr: {
    title: "Correction dockerlings",
    exercise: "Exercice",
    status: "Statut",
    checks: "Checks",
    points: "Points",
    total: "Total",
    pass: "réussi",
    fail: "pas encore",
    error: "erreur",
    ignored: "Fichiers ignorés (non modifiables dans cet exercice, non notés)",
    failed_checks: "Checks en échec",
    could_not_grade: "Correction impossible",
    course: "Cours",
    score: "Score",
  },
  en: {
    title: "dockerlings grading",
    exercise: "Exercise",
    status: "Status",
    checks: "Checks",
    points: "Points",
    total: "Total",
    pass: "passed",
    fail: "not yet",
    error: "error",
    ignored: "Ignored files (not editable in this exercise, not graded)",
    failed_checks: "Failed checks",
    could_not_grade: "Could not grade",
    course: "Course",
    score: "Score",
  },
} as const;

export type ReportWords = (typeof REPORT_WORDS)[ReportLang];
