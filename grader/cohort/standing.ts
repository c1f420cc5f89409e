// One truth per student and exercise: what every output of a class reports
// (the terminal, the JSON, the HTML, the CSV and each gradebook), computed
// here and nowhere else.
//
// The rule: for a student and an exercise, the latest run that looked at
// that student for that exercise decides. A run looks at a student when it
// records their submission, and at the exercises it was started with. When
// it graded the submission, its result for the exercise is the truth (a
// result it reused from an earlier run is recorded in it too); when it found
// no submission, no commit before the deadline or an unreachable repository,
// that is the truth, and older results are history only. A grade is a number
// only when it is the student's: a grader error, an unreachable repository
// or a student no run has reached is unknown (null), never a zero.
//
// The grade is the credited one: the points the grading gave (raw) times
// the late credit of the commit graded (late.ts), both kept. A teacher's
// override (`cohort override`) replaces the grade of that exercise whatever
// the runs say, until it is withdrawn: no regrade touches it.
import type { History, OverrideRow, ResultRow, StudentRow, SubmissionRow } from "./history.js";

/**
 * Where a student stands on one exercise:
 * - pass, fail: graded (a refused submission is a fail: the student's to fix);
 * - missing: the submission has no folder for the exercise, or an empty one (0);
 * - no-submission: the run found nothing to grade at all (0);
 * - no-commit-before-deadline: the repository has no commit before the deadline (0);
 * - unfetchable: the repository could not be fetched (unknown: not the student's doing);
 * - error: the grader failed (unknown, graded again on the next run);
 * - never: no run has looked at this student for this exercise yet (unknown).
 */
export type ExerciseState = "pass" | "fail" | "missing" | "no-submission" | "no-commit-before-deadline" | "unfetchable" | "error" | "never";

export interface ExerciseStanding {
  exercise_id: string;
  state: ExerciseState;
  /** The student's points, as every output gives them: the override's, else the credited ones; null when unknown (never a zero for what is not the student's). */
  points: number | null;
  /** The points the grading gave, before late credit and override. */
  raw_points: number | null;
  /** The late credit applied (absent: full credit). */
  credit?: number;
  /** The teacher's correction in force, if any: its points are `points`. */
  override?: OverrideRow;
  /** Under an override: the credited points the runs give (what a withdrawal brings back). */
  graded_points?: number | null;
  max_points: number;
  /** The run whose verdict this is. */
  run_id?: number;
  /** The result it comes from; its checks are those of `result.reused_from ?? result.id`. */
  result?: ResultRow;
  /** Why, in a sentence (the result's or the submission's message). */
  message?: string;
}

export interface StudentStanding {
  student: StudentRow;
  /** The latest run's record of the student's submission; undefined when no run has reached them. */
  submission?: SubmissionRow;
  /** One per exercise of the class, in the course's order. */
  exercises: ExerciseStanding[];
  /** The total when every exercise is known, else null (credited, overrides applied). */
  points: number | null;
  /** The same total from the points the gradings gave (no late credit, no override). */
  raw_points: number | null;
  /** The sum of the known exercises. */
  known_points: number;
  max_points: number;
  /** Exercises whose grade is unknown. */
  unknown: string[];
}

export interface ClassStanding {
  /** Every exercise a run looked at, in the course's order, at its latest worth. */
  exercises: { id: string; max_points: number }[];
  max_points: number;
  /** The roster's students, in its order. */
  students: StudentStanding[];
  /** Students the history knows who are no longer on the roster: in no report. */
  removed: StudentRow[];
}

export interface StandingOptions {
  /** The truth as it was after this run (for the class's progression). */
  as_of_run?: number;
  /** Only these students (the others are neither computed nor listed). */
  students?: string[];
}

/** Exercise ids as the course orders them: by their number prefix, then by name. */
export function exercise_order(a: string, b: string): number {
  const na = Number(/^\d+/.exec(a)?.[0] ?? NaN);
  const nb = Number(/^\d+/.exec(b)?.[0] ?? NaN);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.localeCompare(b);
}

/** Points of a state: a number when the grade is the student's, null when it is unknown. */
function points_of(state: ExerciseState, points: number): number | null {
  switch (state) {
    case "pass":
    case "fail":
      return points;
    case "missing":
    case "no-submission":
    case "no-commit-before-deadline":
      return 0;
    case "unfetchable":
    case "error":
    case "never":
      return null;
  }
}

/** A recorded result as a state (a refusal recorded as an error by an older version is the student's fail). */
function result_state(row: ResultRow): ExerciseState {
  if (row.status === "error") return row.error_kind === "refused" ? "fail" : "error";
  return row.status;
}

const SUBMISSION_STATES: Record<Exclude<SubmissionRow["status"], "graded">, ExerciseState> = {
  missing: "no-submission",
  "no-commit-before-deadline": "no-commit-before-deadline",
  unfetchable: "unfetchable",
};

export function class_standing(history: History, options: StandingOptions = {}): ClassStanding {
  const as_of = options.as_of_run ?? Number.POSITIVE_INFINITY;
  const wanted = options.students ? new Set(options.students) : undefined;
  const runs_exercises = history.run_exercises().filter((r) => r.run_id <= as_of);
  const exercises_of = new Map<number, Set<string>>();
  const worth = new Map<string, number>();
  for (const r of runs_exercises) {
    (exercises_of.get(r.run_id) ?? exercises_of.set(r.run_id, new Set()).get(r.run_id)!).add(r.exercise_id);
    worth.set(r.exercise_id, r.max_points); // Rows come in run order: the latest run's worth stays.
  }
  const exercises = [...worth.keys()].sort(exercise_order).map((id) => ({ id, max_points: worth.get(id)! }));
  const all_students = history.students().filter((s) => !wanted || wanted.has(s.id));
  const submissions = history.submissions().filter((s) => s.run_id <= as_of && (!wanted || wanted.has(s.student_id)));
  const results = history.results().filter((r) => r.run_id <= as_of && (!wanted || wanted.has(r.student_id)));

  // The override in force for each student's exercise: the latest one made, unless it withdrew the correction.
  const overrides = new Map<string, OverrideRow>();
  for (const o of history.overrides()) {
    const key = `${o.student_id}\0${o.exercise_id}`;
    if (o.points === null) overrides.delete(key);
    else overrides.set(key, o);
  }
  const subs_of = new Map<string, SubmissionRow[]>();
  for (const s of submissions) (subs_of.get(s.student_id) ?? subs_of.set(s.student_id, []).get(s.student_id)!).push(s);
  const result_at = new Map<string, ResultRow>();
  const by_pair = new Map<string, ResultRow[]>();
  for (const r of results) {
    result_at.set(`${r.run_id}\0${r.student_id}\0${r.exercise_id}`, r);
    const key = `${r.student_id}\0${r.exercise_id}`;
    (by_pair.get(key) ?? by_pair.set(key, []).get(key)!).push(r);
  }

  const standing_of = (student: StudentRow): StudentStanding => {
    // Newest first; run ids grow with time (a merge keeps each student's runs in their order).
    const subs = [...(subs_of.get(student.id) ?? [])].sort((a, b) => b.run_id - a.run_id);
    const from_runs = (id: string, max_points: number): ExerciseStanding => {
      const deciding = subs.find((s) => exercises_of.get(s.run_id)?.has(id));
      if (!deciding) return { exercise_id: id, state: "never", points: null, raw_points: null, max_points };
      if (deciding.status !== "graded") {
        const state = SUBMISSION_STATES[deciding.status];
        const points = points_of(state, 0);
        return { exercise_id: id, state, points, raw_points: points, max_points, run_id: deciding.run_id, ...(deciding.message ? { message: deciding.message } : {}) };
      }
      // A history written before runs recorded what they reused: the latest result up to that run stands in.
      const row =
        result_at.get(`${deciding.run_id}\0${student.id}\0${id}`) ??
        [...(by_pair.get(`${student.id}\0${id}`) ?? [])].reverse().find((r) => r.run_id <= deciding.run_id);
      if (!row) return { exercise_id: id, state: "never", points: null, raw_points: null, max_points, run_id: deciding.run_id };
      const state = result_state(row);
      const raw = points_of(state, row.points);
      // Recorded with the run's late credit (a history older than that: the points themselves).
      const credited = raw === null ? null : points_of(state, row.credited_points ?? row.points);
      return {
        exercise_id: id,
        state,
        points: credited,
        raw_points: raw,
        ...(deciding.credit !== null && deciding.credit !== 1 ? { credit: deciding.credit } : {}),
        max_points: row.max_points,
        run_id: deciding.run_id,
        result: row,
        ...(row.message ? { message: row.message } : {}),
      };
    };
    const cells = exercises.map(({ id, max_points }): ExerciseStanding => {
      const cell = from_runs(id, max_points);
      const override = overrides.get(`${student.id}\0${id}`);
      // The teacher's word: its points, whatever the runs found (known even where they could not grade).
      return override ? { ...cell, points: override.points, override, graded_points: cell.points } : cell;
    });
    const unknown = cells.filter((c) => c.points === null).map((c) => c.exercise_id);
    // Credited points are rounded to the hundredth: so is their sum.
    const round = (n: number): number => Math.round(n * 100) / 100;
    const known_points = round(cells.reduce((sum, c) => sum + (c.points ?? 0), 0));
    const raw_unknown = cells.some((c) => c.raw_points === null);
    return {
      student,
      ...(subs[0] ? { submission: subs[0] } : {}),
      exercises: cells,
      points: unknown.length === 0 ? known_points : null,
      raw_points: raw_unknown ? null : round(cells.reduce((sum, c) => sum + (c.raw_points ?? 0), 0)),
      known_points,
      max_points: cells.reduce((sum, c) => sum + c.max_points, 0),
      unknown,
    };
  };

  return {
    exercises,
    max_points: exercises.reduce((sum, e) => sum + e.max_points, 0),
    students: all_students.filter((s) => s.on_roster !== 0).map(standing_of),
    removed: all_students.filter((s) => s.on_roster === 0),
  };
}

/** One student's standing (what `cohort grade` prints when it has recorded them). */
export function student_standing(history: History, student_id: string): StudentStanding | undefined {
  return class_standing(history, { students: [student_id] }).students[0];
}
