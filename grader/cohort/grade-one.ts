// The one place where the cohort calls the grading pipeline: one warm
// `Grader` (one vitest, `concurrency` spec workers) kept for the whole class
// and shared by the cohort's workers, so a class's memory does not grow with
// its concurrency. Each student's exercises are graded together, in one
// batch of the Grader, under a session of their own derived from their
// worker's base. Staged here too, only to know the digest of what is graded
// (a rerun reuses results whose digest did not change); the Grader stages
// again itself from the student's folder.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Grader } from "../runner/grader.js";
import { prepare_submission, SubmissionRefusedError } from "../submission/stage.js";
import { refused_result } from "../runner/verdict.js";
import { holds_nothing } from "./fetch.js";
import type { Exercise } from "../course/course.js";
import type { GradedExercise } from "../result.js";

export interface GradingLimits {
  build_timeout_ms?: number;
  check_timeout_ms?: number;
  context_limit_bytes?: number;
}

export type StagedExercise =
  /** No folder for the exercise, or one with nothing in it: not handed in. */
  | { exercise: Exercise; kind: "missing"; digest: string; message: string }
  | { exercise: Exercise; kind: "refused"; digest: string; result: GradedExercise }
  | { exercise: Exercise; kind: "staged"; digest: string; dir: string; shown: string };

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

/** Where a path leads once every link on the way is followed, or undefined when it leads nowhere. */
function real_path(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Each exercise of the submission (a folder shaped like workspace/), with the
 * digest of what would be graded: the staged files, not what staging ignores.
 * A local folder and a commit exported from a repository are read alike: only
 * the exercises' folders are looked at (a link elsewhere in the submission is
 * never read), an exercise folder that is itself a link must stay inside the
 * submission, and each exercise's own links are staging's to judge.
 */
export function stage_exercises(submission_dir: string, exercises: Exercise[], limits: GradingLimits, shown_root: string): StagedExercise[] {
  const root = real_path(submission_dir) ?? submission_dir;
  return exercises.map((exercise): StagedExercise => {
    const dir = path.join(submission_dir, exercise.id);
    const refused = (error: SubmissionRefusedError): StagedExercise => ({
      exercise,
      kind: "refused",
      digest: crypto.createHash("sha256").update(`refused ${error.message}`).digest("hex"),
      result: refused_result(exercise, error.message),
    });
    let link: fs.Stats | undefined;
    try {
      link = fs.lstatSync(dir);
    } catch {
      return { exercise, kind: "missing", digest: "missing", message: "exercice absent de la soumission" };
    }
    if (link.isSymbolicLink()) {
      const target = real_path(dir);
      if (target === undefined || (target !== root && !target.startsWith(root + path.sep))) {
        return refused(
          new SubmissionRefusedError(
            `Soumission refusée : le dossier « ${exercise.id} » est un lien symbolique qui mène hors de la soumission (vers ${fs.readlinkSync(dir)}). ` +
              `Remplacez-le par le dossier lui-même (copie de exercises/${exercise.id}/starter/ avec votre Dockerfile).`,
            "link-outside",
          ),
        );
      }
    }
    if (!fs.statSync(dir).isDirectory()) return { exercise, kind: "missing", digest: "missing", message: "exercice absent de la soumission" };
    if (holds_nothing(dir)) return { exercise, kind: "missing", digest: "missing", message: "dossier de l'exercice vide" };
    try {
      const staged = prepare_submission(exercise, dir, { context_limit_bytes: limits.context_limit_bytes });
      try {
        return { exercise, kind: "staged", digest: folder_digest(staged.dir), dir, shown: `${shown_root}/${exercise.id}` };
      } finally {
        staged.dispose();
      }
    } catch (error) {
      if (!(error instanceof SubmissionRefusedError)) throw error;
      return refused(error);
    }
  });
}


/**
 * A class worker's grading pipeline: a Grader opened on first use and kept
 * for the worker's students. After an infrastructure error the worker asks
 * for a fresh one (`restart`): gradings from then on go to a new Grader, and
 * the old one closes once the gradings it still runs have ended.
 */
export class SubmissionGrader {
  private current?: { grader: Promise<Grader>; running: number };
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly options: GradingLimits & {
      course_root: string;
      /** Exercises of a student graded at once: the Grader's spec workers and builds (1 for a class worker). */
      parallel?: number;
      /** Base of the sessions of gradings that name none. */
      session_base: string;
    },
  ) {}

  /** Grades one student's exercises together, in one batch whose session derives from `session_base` (the worker's). */
  async grade(items: (StagedExercise & { kind: "staged" })[], session_base = this.options.session_base): Promise<GradedExercise[]> {
    if (items.length === 0) return [];
    const entry = (this.current ??= {
      running: 0,
      grader: Grader.open({
        course_root: this.options.course_root,
        parallel: this.options.parallel ?? 1,
        session: this.options.session_base,
        ...(this.options.build_timeout_ms ? { build_timeout_ms: this.options.build_timeout_ms } : {}),
        ...(this.options.check_timeout_ms ? { check_timeout_ms: this.options.check_timeout_ms } : {}),
        ...(this.options.context_limit_bytes ? { context_limit_bytes: this.options.context_limit_bytes } : {}),
      }),
    });
    entry.running++;
    try {
      const grader = await entry.grader;
      return await grader.grade_all(items.map((i) => ({ exercise: i.exercise, dir: i.dir, shown: i.shown, session_base })));
    } finally {
      entry.running--;
      if (entry !== this.current && entry.running === 0) this.close_entry(entry);
    }
  }

  /** After an infrastructure error: the next grading starts a fresh Grader. */
  async restart(): Promise<void> {
    const entry = this.current;
    this.current = undefined;
    if (entry && entry.running === 0) this.close_entry(entry);
  }

  /** Closes the Grader, and any still closing; resolves once all are closed. */
  async close(): Promise<void> {
    await this.restart();
    await Promise.all([...this.closing]);
  }

  private close_entry(entry: { grader: Promise<Grader> }): void {
    const closed = entry.grader.then((g) => g.close(), () => undefined).catch(() => undefined);
    this.closing.add(closed);
    void closed.finally(() => this.closing.delete(closed));
  }
}

