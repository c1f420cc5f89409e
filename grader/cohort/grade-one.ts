// The one place where the cohort calls the grading pipeline: stage a
// student's exercise folders, then grade the staged ones. Until the pipeline's
// `Grader` lands this is prepare_submission + run_specs, through the grader's
// public API; swapping to `Grader` changes this file only.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { prepare_submission, run_specs, SubmissionRefusedError, type Exercise, type ExerciseResult, type GradedExercise, type PreparedSubmission } from "../index.js";

export interface GradingLimits {
  build_timeout_ms?: number;
  check_timeout_ms?: number;
  context_limit_bytes?: number;
}

export type StagedExercise =
  | { exercise: Exercise; kind: "missing"; digest: string }
  | { exercise: Exercise; kind: "refused"; digest: string; result: GradedExercise }
  | { exercise: Exercise; kind: "staged"; digest: string; staged: PreparedSubmission; shown: string };

/** A digest of a folder's files: names, contents, executable bits and link targets, in a fixed order. */
export function folder_digest(dir: string): string {
  const hash = crypto.createHash("sha256");
  const visit = (relative: string): void => {
    const abs = path.join(dir, relative);
    for (const name of fs.readdirSync(abs).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(dir, child));
      if (stat.isDirectory()) {
        hash.update(`d ${child}\0`);
        visit(child);
      } else if (stat.isSymbolicLink()) {
        hash.update(`l ${child}\0${fs.readlinkSync(path.join(dir, child))}\0`);
      } else if (stat.isFile()) {
        hash.update(`f ${child} ${stat.mode & 0o111 ? "x" : "-"} ${stat.size}\0`);
        hash.update(fs.readFileSync(path.join(dir, child)));
      }
    }
  };
  visit("");
  return hash.digest("hex");
}

/** What a course's exercise is, for a rerun to know it changed: its metadata, spec and starter. */
export function exercise_digest(exercise: Exercise): string {
  return folder_digest(exercise.dir);
}

/**
 * Stages each exercise of the submission (a folder shaped like workspace/).
 * The digest is of what would be graded: the staged files, not what staging ignored.
 */
export function stage_exercises(submission_dir: string, exercises: Exercise[], limits: GradingLimits, shown_root: string): StagedExercise[] {
  return exercises.map((exercise): StagedExercise => {
    const dir = path.join(submission_dir, exercise.id);
    if (!fs.existsSync(dir)) return { exercise, kind: "missing", digest: "missing" };
    try {
      const staged = prepare_submission(exercise, dir, { context_limit_bytes: limits.context_limit_bytes });
      return { exercise, kind: "staged", digest: folder_digest(staged.dir), staged, shown: `${shown_root}/${exercise.id}` };
    } catch (error) {
      if (!(error instanceof SubmissionRefusedError)) throw error;
      const result: GradedExercise = {
        version: 3,
        exercise: exercise.id,
        title: exercise.title,
        status: "error",
        error_kind: "refused",
        message: error.message,
        points: 0,
        max_points: exercise.points,
        tests: [],
      };
      return { exercise, kind: "refused", digest: crypto.createHash("sha256").update(`refused ${error.message}`).digest("hex"), result };
    }
  });
}

/** Messages name the student's folder, not the staging one. */
function unstage(result: ExerciseResult, staged: PreparedSubmission, shown: string): ExerciseResult {
  const fix = (text: string | undefined): string | undefined => (text === undefined ? undefined : text.split(staged.dir).join(shown));
  return {
    ...result,
    ...(result.message !== undefined ? { message: fix(result.message) } : {}),
    tests: result.tests.map((t) => ({
      ...t,
      ...(t.message !== undefined ? { message: fix(t.message) } : {}),
      ...(t.output !== undefined ? { output: fix(t.output) } : {}),
    })),
  };
}

/** Grades staged exercises in one session; everything the session made is removed before it returns. */
export async function grade_staged(
  items: (StagedExercise & { kind: "staged" })[],
  options: GradingLimits & { course_root: string; session: string },
): Promise<GradedExercise[]> {
  if (items.length === 0) return [];
  const results = await run_specs(
    items.map((i) => ({ exercise: i.exercise, submission_dir: i.staged.dir })),
    {
      course_root: options.course_root,
      session: options.session,
      parallel: 1,
      build_timeout_ms: options.build_timeout_ms,
      check_timeout_ms: options.check_timeout_ms,
    },
  );
  return items.map((item, i) => ({
    ...unstage(results[i]!, item.staged, item.shown),
    title: item.exercise.title,
    submission: item.shown,
    ...(item.staged.ignored.length ? { ignored: item.staged.ignored } : {}),
  }));
}
