// GradeSummary -> the JSON document of `dockerlings grade --json FILE`: the
// totals and the course version, then every exercise's result as a
// `results.json` of the Exercism test-runner interface (exercism/docs,
// building/tooling/test-runners/interface.md), with our own fields beside the
// interface's (exercise, points, error_kind, ...).
//
// Version 2, not 3: version 3 links tests to the numbered task headings of an
// exercise's instructions (`task_id`), and our lessons have no such tasks
// (their "Le correcteur vérifie que" lists what is checked, not tasks), so no
// check can be linked to precisely one task as the interface asks.
import type { CheckResult, Status, GradedExercise } from "../result.js";
import { output_was_cut, RUNNER_CUT_NOTICE, test_code } from "./facts.js";
import { exercise_status, type GradeSummary } from "./summary.js";

export const EXERCISM_VERSION = 2;
/** The interface's own words for a cut output, and its limit. */
export const EXERCISM_CUT_NOTICE = "Output was truncated. Please limit to 500 chars";
export const EXERCISM_OUTPUT_LIMIT = 500;
/** The interface's limit on the top-level message. */
export const EXERCISM_MESSAGE_LIMIT = 65535;

export interface ExercismTest {
  name: string;
  status: Status;
  /** Required when the check did not pass. */
  message?: string;
  /** At most 500 characters, cut with the interface's notice. */
  output?: string;
  /** What a student may see of the check (grader/report/facts.ts), never the spec's code. */
  test_code: string;
}

export interface ExercismResult {
  version: typeof EXERCISM_VERSION;
  status: Status;
  /** Only when status is error. */
  message?: string;
  tests: ExercismTest[];
}

/** One check in the document: the interface's fields, then ours. */
export type JsonCheck = ExercismTest & Pick<CheckResult, "points" | "max_points" | "lines" | "facts" | "duration_ms" | "visible">;

/** One exercise in the document: a `results.json` of the interface, plus ours. */
export type JsonExercise = Omit<ExercismResult, "tests"> &
  Pick<GradedExercise, "exercise" | "title" | "submission" | "error_kind" | "points" | "max_points" | "ignored" | "duration_ms"> & {
    tests: JsonCheck[];
    /** The runner's reason when the exercise was only partly graded (status fail or pass, so the interface's message stays empty). */
    grading_message?: string;
  };

export type JsonDocument = Omit<GradeSummary, "results"> & { results: JsonExercise[] };

const chars = (text: string): string[] => Array.from(text);

/** A check's output as the interface allows it: our cut notice replaced by the interface's, 500 characters at most. */
export function exercism_output(check: CheckResult): string | undefined {
  if (!check.output) return undefined;
  const text = check.output.replace(RUNNER_CUT_NOTICE, "");
  if (!output_was_cut(check) && chars(text).length <= EXERCISM_OUTPUT_LIMIT) return text;
  const room = EXERCISM_OUTPUT_LIMIT - EXERCISM_CUT_NOTICE.length - 1;
  return `${EXERCISM_CUT_NOTICE}\n${chars(text).slice(-room).join("")}`;
}

function check_entry(result: GradedExercise, check: CheckResult): JsonCheck {
  const failed = check.status !== "pass";
  return {
    name: check.name,
    status: check.status,
    ...(failed ? { message: check.message?.trim() ? check.message : check.name } : {}),
    ...(exercism_output(check) !== undefined ? { output: exercism_output(check) } : {}),
    test_code: test_code(result, check),
    points: check.status === "pass" ? check.max_points : 0,
    max_points: check.max_points,
    ...(check.lines?.length ? { lines: check.lines } : {}),
    ...(check.facts?.length ? { facts: check.facts } : {}),
    ...(check.duration_ms !== undefined ? { duration_ms: check.duration_ms } : {}),
    ...(check.visible ? { visible: check.visible } : {}),
  };
}

/** One exercise's result as an Exercism `results.json` (version 2), with our fields beside. */
export function exercism_result(result: GradedExercise): JsonExercise {
  const status = exercise_status(result);
  const message = result.message?.trim() ? result.message : undefined;
  return {
    version: EXERCISM_VERSION,
    exercise: result.exercise,
    ...(result.title !== undefined ? { title: result.title } : {}),
    ...(result.submission !== undefined ? { submission: result.submission } : {}),
    status,
    ...(status === "error" ? { message: chars(message ?? "aucune vérification n'a été exécutée").slice(0, EXERCISM_MESSAGE_LIMIT).join("") } : {}),
    ...(status !== "error" && message ? { grading_message: message } : {}),
    ...(result.error_kind ? { error_kind: result.error_kind } : {}),
    points: result.tests.reduce((sum, t) => sum + (t.status === "pass" ? t.max_points : 0), 0),
    max_points: result.max_points,
    tests: result.tests.map((t) => check_entry(result, t)),
    ...(result.duration_ms !== undefined ? { duration_ms: result.duration_ms } : {}),
    ...(result.ignored?.length ? { ignored: result.ignored } : {}),
  };
}

export function json_document(summary: GradeSummary): JsonDocument {
  return { ...summary, results: summary.results.map(exercism_result) };
}

export function format_json(summary: GradeSummary): string {
  return `${JSON.stringify(json_document(summary), null, 2)}\n`;
}
