// Grading a class: each student's submission is fetched, staged and graded
// by the one pipeline, `concurrency` students at once, and recorded by this
// process alone (the history's one writer) as each student ends. What was
// already graded with the same submission, exercise and versions is not
// graded again unless `force`. A failure of the grader or the engine is
// retried, then recorded as an error, never as the student's zero.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Exercise } from "../course/course.js";
import type { GradedExercise } from "../result.js";
import { error_kind_of, error_result, type SpecError } from "../runner/verdict.js";
import { remove_sessions_from_base } from "../engine/sweep-sessions.js";
import { fetch_submission, type FetchOutcome } from "./fetch.js";
import { exercise_digest, stage_exercises, SubmissionGrader, type GradingLimits, type StagedExercise } from "./grade-one.js";
import { results_of, type History, type PushedLate, type ResultRecord, type SubmissionRecord } from "./history.js";
import { student_standing } from "./standing.js";
import { rule_of, type Roster, type Student } from "./roster.js";
import { credit_at, timeline_end } from "./late.js";
import { submission_attempts } from "./attempts.js";
import { shard_of, shard_text, type Shard } from "./shard.js";

/** Error kinds worth a second try: the engine or the grader may do better next time; a refusal or a spec's mistake will not. */
const RETRIED_KINDS = new Set(["engine", "grader", "timeout", undefined]);

export interface CohortOptions extends GradingLimits {
  roster: Roster;
  history: History;
  course_root: string;
  exercises: Exercise[];
  course_version: string;
  grader_version: string;
  cache_dir: string;
  concurrency?: number;
  /** The course's deadline, in place of the roster's (a section's or a student's own still beats it). */
  deadline?: Date;
  shard?: Shard;
  force?: boolean;
  /** Further attempts after an infrastructure error; 2 by default. */
  retries?: number;
  /** Recorded with the run (the command line's options). */
  run_options?: Record<string, unknown>;
  on_event?: (event: CohortEvent) => void;
  /** Base of the sessions of worker i's gradings (labels of what they create); random by default. Tests name them. */
  session_base_for?: (worker: number) => string;
  /** The grading pipeline of a worker; the real one (SubmissionGrader) unless a test of the scheduling gives another. */
  open_grader?: (session_base: string) => WorkerGrader;
}

/** What a worker grades with: SubmissionGrader's shape. */
export type WorkerGrader = Pick<SubmissionGrader, "grade" | "restart" | "close">;

export type StudentOutcome = "graded" | "unchanged" | "missing" | "unfetchable" | "no-commit-before-deadline" | "error";

export interface StudentDone {
  student: Student;
  outcome: StudentOutcome;
  /** The student's total as every report gives it (grader/cohort/standing.ts), once this run is recorded; null when unknown. */
  points: number | null;
  /** The same total from the points the gradings gave (before late credit and overrides). */
  raw_points: number | null;
  /** The sum of the exercises whose grade is known. */
  known_points: number;
  max_points: number;
  /** Exercises graded now (not reused). */
  graded: number;
  failed: number;
  errors: number;
  message?: string;
}

export type CohortEvent =
  | { kind: "start"; run_id: number; total: number; concurrency: number }
  | { kind: "student_start"; student: Student }
  | { kind: "retry"; student: Student; attempt: number; why: string }
  | ({ kind: "student_done" } & StudentDone);

export interface CohortRun {
  run_id: number;
  students: StudentDone[];
}

export function default_concurrency(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

/** The roster's students this run grades: all, or the shard's. */
export function students_of(roster: Roster, shard?: Shard): Student[] {
  return shard ? roster.students.filter((s) => shard_of(s.id, shard.count) === shard.index) : roster.students;
}

/**
 * How a graded commit dated before the deadline was pushed, from when the
 * history first saw it: after a fetch that was already past the deadline
 * (certain), or after the deadline with the fetch before it earlier than the
 * deadline (possible). Nothing is said when no earlier fetch exists.
 */
function late_push(history: History, student_id: string, first_seen: string, deadline: Date): PushedLate | undefined {
  if (new Date(first_seen).getTime() <= deadline.getTime()) return undefined;
  const before = history.fetch_before(student_id, first_seen);
  if (!before) return undefined;
  return new Date(before).getTime() >= deadline.getTime() ? "certain" : "possible";
}

/** An exercise of the class that could not be graded: the runner's error result (grader/runner/verdict.ts), named as the course names it. */
function not_graded(exercise: Exercise, error: unknown, message: string): GradedExercise {
  return { ...error_result(exercise, error_kind_of(error as SpecError) ?? "grader", message), title: exercise.title };
}

export async function grade_cohort(options: CohortOptions): Promise<CohortRun> {
  const { history, roster } = options;
  const students = students_of(roster, options.shard);
  const concurrency = Math.max(1, options.concurrency ?? default_concurrency());
  const retries = options.retries ?? 2;
  const digests = new Map(options.exercises.map((e) => [e.id, exercise_digest(e)]));
  const max_points = options.exercises.reduce((sum, e) => sum + e.points, 0);

  // What a killed run left on the engine (its sessions were recorded before they made anything) goes first.
  for (const base of history.open_sessions()) {
    await remove_sessions_from_base(base);
    history.close_session(base);
  }
  history.record_students(roster.students);
  history.set_meta("roster_digest", roster.digest);
  history.set_meta("course_version", options.course_version);
  history.set_meta("grader_version", options.grader_version);
  if (options.shard) history.set_meta("shard", shard_text(options.shard));
  const run_id = history.start_run({
    course_version: options.course_version,
    grader_version: options.grader_version,
    roster_digest: roster.digest,
    ...(options.shard ? { shard: shard_text(options.shard) } : {}),
    exercises: options.exercises.map((e) => ({ id: e.id, max_points: e.points })),
    options: {
      // The course's deadline (sections' and students' own are each submission's).
      deadline: (options.deadline ?? roster.course_rule.deadline)?.toISOString() ?? null,
      force: options.force ?? false,
      concurrency,
      ...options.run_options,
    },
  });
  options.on_event?.({ kind: "start", run_id, total: students.length, concurrency });

  const done: StudentDone[] = [];
  /** What the student stands at once recorded: the number every report gives. */
  const done_with = (student: Student, outcome: StudentOutcome, counts: Pick<StudentDone, "graded" | "failed" | "errors">, message?: string): StudentDone => {
    const standing = student_standing(history, student.id);
    return {
      student,
      outcome,
      points: standing?.points ?? null,
      raw_points: standing?.raw_points ?? null,
      known_points: standing?.known_points ?? 0,
      max_points: standing?.max_points ?? max_points,
      ...counts,
      ...(message ? { message } : {}),
    };
  };
  const grade_student = async (student: Student, grader: WorkerGrader): Promise<StudentDone> => {
    options.on_event?.({ kind: "student_start", student });
    // The student's deadline and late policy: the last commit before the end of its credit timeline is graded.
    const rule = rule_of(roster, student, options.deadline);
    const until = timeline_end(rule);
    const dated = rule.deadline ? { deadline: rule.deadline.toISOString() } : {};
    const fetched: FetchOutcome = await fetch_submission(student, { cache_dir: options.cache_dir, ...(until ? { deadline: until } : {}) });
    const seen =
      fetched.status !== "unfetchable" && fetched.fetched_at ? { fetched_at: fetched.fetched_at, commits: fetched.commits ?? [] } : {};
    if (fetched.status !== "ready") {
      const record: SubmissionRecord = {
        student_id: student.id,
        status: fetched.status,
        message: fetched.message,
        ...(fetched.status === "no-commit-before-deadline" && fetched.latest ? { commit_latest: fetched.latest, latest_time: fetched.latest_time } : {}),
        ...seen,
        ...dated,
      };
      history.record_submission(run_id, record, []);
      return done_with(student, fetched.status, { graded: 0, failed: 0, errors: 0 }, fetched.message);
    }

    const shown_root = student.source.kind === "path" ? student.source.written.replace(/\/+$/, "") : student.id;
    const staged = stage_exercises(fetched.dir, options.exercises, options, shown_root);
    const records: ResultRecord[] = [];
    let graded = 0;
    let failed = 0;
    let errors = 0;
    const key = (s: StagedExercise) => ({
      submission_digest: s.digest,
      exercise_digest: digests.get(s.exercise.id)!,
      course_version: options.course_version,
      grader_version: options.grader_version,
    });
    const to_grade: (StagedExercise & { kind: "staged" })[] = [];
    for (const s of staged) {
      const previous = options.force ? undefined : history.reusable(student.id, s.exercise.id, key(s));
      if (previous) {
        // Recorded in this run too: what this run found for the exercise, even unchanged.
        records.push({ exercise_id: s.exercise.id, ...key(s), status: previous.status, points: previous.points, max_points: previous.max_points, attempts: 0, checks: [], reused_from: previous });
        if (previous.status !== "pass") failed++;
        continue;
      }
      if (s.kind === "missing") {
        records.push({ exercise_id: s.exercise.id, ...key(s), status: "missing", points: 0, max_points: s.exercise.points, message: s.message, attempts: 0, checks: [] });
        failed++;
      } else if (s.kind === "refused") {
        // The student's to fix (a link out, a planted test file): a fail, not a grader error.
        records.push({ exercise_id: s.exercise.id, ...key(s), ...results_of(s.result), attempts: 1 });
        failed++;
      } else to_grade.push(s);
    }

    // Graded, and those with an infrastructure error graded again, up to `retries` more times.
    const final = new Map<string, { result: GradedExercise; attempts: number }>();
    let pending = to_grade;
    for (let attempt = 1; pending.length > 0 && attempt <= retries + 1; attempt++) {
      let results: GradedExercise[];
      try {
        results = await grader.grade(pending);
      } catch (error) {
        const message = `la correction n'a pas pu se faire : ${(error as Error).message}`;
        results = pending.map((p) => not_graded(p.exercise, error, message));
      }
      const again: typeof pending = [];
      results.forEach((result, i) => {
        final.set(result.exercise, { result, attempts: attempt });
        if (result.status === "error" && RETRIED_KINDS.has(result.error_kind) && attempt <= retries) again.push(pending[i]!);
      });
      if (again.length > 0) {
        options.on_event?.({ kind: "retry", student, attempt: attempt + 1, why: final.get(again[0]!.exercise.id)!.result.message ?? "erreur" });
        // A fresh runner for the next attempt: the old one may be what failed.
        await grader.restart();
      }
      pending = again;
    }
    for (const s of to_grade) {
      const { result, attempts } = final.get(s.exercise.id)!;
      records.push({ exercise_id: s.exercise.id, ...key(s), ...results_of(result), attempts });
      graded++;
      if (result.status === "error") errors++;
      else if (result.status !== "pass") failed++;
    }

    const first_seen = fetched.commit ? (history.first_seen(student.id, fetched.commit) ?? fetched.fetched_at) : undefined;
    // Late credit by when the commit was made (its committer date); a local folder has no such date: full credit.
    const committed = fetched.commit_time ? new Date(fetched.commit_time) : undefined;
    const late_ms = rule.deadline && committed && committed > rule.deadline ? committed.getTime() - rule.deadline.getTime() : undefined;
    const credit = committed ? credit_at(rule, committed) : 1;
    // A commit dated on time but first fetched after the deadline (its date is the student's to set).
    const pushed_late = rule.deadline && first_seen && late_ms === undefined ? late_push(history, student.id, first_seen, rule.deadline) : undefined;
    history.record_submission(
      run_id,
      {
        student_id: student.id,
        status: "graded",
        ...(fetched.commit ? { commit_graded: fetched.commit, commit_time: fetched.commit_time } : {}),
        ...(fetched.latest ? { commit_latest: fetched.latest, latest_time: fetched.latest_time } : {}),
        ...seen,
        ...(first_seen ? { first_seen } : {}),
        ...(pushed_late ? { pushed_late } : {}),
        ...dated,
        ...(late_ms !== undefined ? { late_ms } : {}),
        ...(credit !== 1 ? { credit } : {}),
      },
      records,
    );
    // How the student worked, from their own history (if their work carries it): attempts and time to pass.
    const held_back = new Map<string, number>();
    for (const r of records) {
      const checks = r.reused_from ? (history.checks_of([r.reused_from.reused_from ?? r.reused_from.id]).get(r.reused_from.reused_from ?? r.reused_from.id) ?? []) : r.checks;
      held_back.set(r.exercise_id, checks.filter((c) => c.visible === "after_deadline").reduce((sum, c) => sum + c.max_points, 0));
    }
    const worth = new Map(options.exercises.map((e) => [e.id, e.points]));
    const attempts = submission_attempts(fetched.dir, new Set(worth.keys()), (id) => (worth.get(id) ?? Infinity) - (held_back.get(id) ?? 0));
    if (attempts.length > 0) history.record_attempts(run_id, student.id, attempts);
    const outcome: StudentOutcome = errors > 0 ? "error" : graded === 0 && records.every((r) => r.reused_from) ? "unchanged" : "graded";
    return done_with(student, outcome, { graded, failed, errors });
  };

  // A pool of `concurrency` workers taking students in roster order, each with its own warm Grader (one
  // vitest, one spec worker thread kept from one student to the next). A vitest runs one series at a time:
  // with one Grader for the class, a student's exercises waited for the whole series of the student before
  // (measured on 2 cores, 8 students × 5 exercises: 22.2 s shared, 20.6 s with a Grader each, at the same
  // peak memory: the spec worker threads, as many either way, are most of it).
  const workers = Math.min(concurrency, Math.max(1, students.length));
  let next = 0;
  const worker = async (index: number): Promise<void> => {
    const session_base = options.session_base_for?.(index) ?? randomUUID();
    const grader = options.open_grader?.(session_base) ?? new SubmissionGrader({ ...options, parallel: 1, session_base });
    // Recorded before anything is made: a kill -9 leaves the next run what to sweep.
    history.open_session(session_base, `worker-${index}`);
    try {
      while (next < students.length) {
        const student = students[next++]!;
        let result: StudentDone;
        try {
          result = await grade_student(student, grader);
        } catch (error) {
          // A fault of ours on one student (a cache folder that cannot be written...): recorded, and the class goes on.
          const message = `erreur du correcteur : ${(error as Error).message}`;
          history.record_submission(run_id, { student_id: student.id, status: "graded", message }, options.exercises.map((e) => ({
            exercise_id: e.id, submission_digest: "error", exercise_digest: digests.get(e.id)!, ...results_of(not_graded(e, error, message)), attempts: 1,
          })));
          result = done_with(student, "error", { graded: 0, failed: 0, errors: options.exercises.length }, message);
        }
        done.push(result);
        options.on_event?.({ kind: "student_done", ...result });
      }
    } finally {
      await grader.close();
      await remove_sessions_from_base(session_base);
      history.close_session(session_base);
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
  history.finish_run(run_id);
  const order = new Map(students.map((s, i) => [s.id, i]));
  done.sort((a, b) => order.get(a.student.id)! - order.get(b.student.id)!);
  return { run_id, students: done };
}

