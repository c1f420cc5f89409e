// The class as every report shows it (HTML, CSV, gradebooks, JSON, the
// terminal), computed from the history once. Each student's grade on each
// exercise is the one truth of standing.ts; around it, what a teacher reads:
// pass rates, the checks failed most and by whom, who is stuck (the same
// check failed on each of their last distinct submissions), who has nothing
// graded, the runs with their deadline, and the points after each run.
import type { AttemptsRow, CheckRow, History, PushedLate, ResultRow, RunInfo, SubmissionStatus } from "./history.js";
import { class_standing, exercise_order, type ExerciseState, type StudentStanding } from "./standing.js";

/** A teacher's correction of a grade, as every output shows it. */
export interface CellOverride {
  points: number;
  reason: string;
  by: string;
  at: string;
}

export interface Cell {
  state: ExerciseState;
  /** The grade: the override's points, else the credited ones; null when unknown (not the student's doing, never a zero). */
  points: number | null;
  /** The points the grading gave, before late credit and override. */
  raw_points: number | null;
  /** The late credit applied to them (absent: full credit). */
  credit?: number;
  /** The teacher's correction in force: its points are `points`. */
  override?: CellOverride;
  max_points: number;
  commit?: string;
  /** When the result was graded (a reused result keeps its grading's time). */
  graded_at?: string;
  run_id?: number;
  message?: string;
  error_kind?: string;
}

export interface FailedCheck {
  exercise_id: string;
  check: string;
  message?: string;
  /** The lines of the student's Dockerfile it is about. */
  lines?: number[];
  /** "after_deadline": a check the student sees only once their deadline has passed. */
  visible?: "after_deadline";
}

/** How the student worked on an exercise, from their own history of attempts (attempts.ts). */
export interface ExerciseAttempts {
  attempts: number;
  time_spent_ms: number;
  /** When the points they could see were all theirs, and what it took. */
  passed_at?: string;
  attempts_to_pass?: number;
  time_to_pass_ms?: number;
}

export interface StuckCheck {
  student_id: string;
  exercise_id: string;
  check: string;
  /** Distinct submissions in a row (the latest ones) on which this check failed. */
  times: number;
}

export interface ReportStudent {
  id: string;
  name: string;
  section?: string;
  email?: string;
  sis_id?: string;
  /** The student's language for their own page (the roster's `lang`), when given. */
  lang?: "fr" | "en";
  /** Their repository and branch, when their work is in one (where their page can be handed to them). */
  repository?: string;
  branch?: string;
  /** The latest run's outcome of fetching the submission; `never` when no run reached the student. */
  submission: SubmissionStatus | "never";
  /** The student's deadline as the latest run had it (their own, their section's or the course's). */
  deadline?: string;
  /** How late the graded commit was made, past the deadline. */
  late_ms?: number;
  /** The late credit applied to the graded commit (absent: full credit). */
  credit?: number;
  submission_message?: string;
  commit_graded?: string;
  commit_time?: string;
  commit_latest?: string;
  latest_time?: string;
  /** When the graded commit was first fetched, and how it stands against the deadline (history.ts, PushedLate). */
  first_seen?: string;
  pushed_late?: PushedLate;
  cells: Record<string, Cell>;
  /** The total, when every exercise's grade is known; null otherwise (see `unknown`). Credited, overrides applied. */
  points: number | null;
  /** The same from the points the gradings gave (before late credit and overrides). */
  raw_points: number | null;
  known_points: number;
  max_points: number;
  /** Exercises whose grade is unknown (grader error, unreachable repository, never graded). */
  unknown: string[];
  /** Exercises whose grading had an error: not a zero, to grade again. */
  errors: string[];
  failures: FailedCheck[];
  stuck: StuckCheck[];
  /** The student's known points after each run that had reached them. */
  points_by_run: { run_id: number; points: number }[];
  commits: { run_id: number; commit?: string; status: SubmissionStatus; pushed_late?: PushedLate }[];
  /** Per exercise, from the student's own history, when their work carries one. */
  attempts: Record<string, ExerciseAttempts>;
  /** Exercises whose grade a teacher set (`cohort override`). */
  overridden: string[];
}

export interface ReportExercise {
  id: string;
  max_points: number;
  /** Students whose submission was graded on it (pass, fail, or its folder missing). */
  graded: number;
  passed: number;
  pass_rate: number;
  /** From the students' own histories: how many passed in their loop, and the median attempts and time it took them. */
  attempts?: { students: number; passed: number; median_attempts_to_pass?: number; median_time_to_pass_ms?: number };
}

export interface ReportCheck {
  exercise_id: string;
  name: string;
  graded: number;
  passed: number;
  pass_rate: number;
  failed_by: string[];
  /** The distinct failure messages, most frequent first (three at most). */
  messages: { message: string; count: number }[];
}

export interface ReportRun extends Pick<RunInfo, "id" | "started_at" | "finished_at" | "shard"> {
  /** The deadline it graded against (ISO 8601), if any. */
  deadline: string | null;
  exercises: string[];
  /** Not finished: killed (or still running). */
  interrupted: boolean;
  /** Students whose total was known after this run. */
  graded: number;
  mean_points: number;
}

export interface CohortReport {
  format: 3;
  /**
   * What every `points` of the report is: the grade, credited (the late
   * credit of the commit graded applied) with the teacher's overrides in
   * force; `raw_points` beside it is what the gradings gave.
   */
  points_are: "credited";
  generated_at: string;
  course_version?: string;
  grader_version?: string;
  runs: ReportRun[];
  exercises: ReportExercise[];
  students: ReportStudent[];
  /** Students the history knows who are no longer on the roster: in no grade. */
  removed: { id: string; name: string }[];
  checks: ReportCheck[];
  most_failed: ReportCheck[];
  stuck: StuckCheck[];
  no_submission: { student_id: string; name: string; status: SubmissionStatus | "never"; message?: string }[];
  max_points: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** A student's source as the history keeps it (JSON): the repository's URL and branch, if any. */
function source_of(text: string): { url?: string; branch?: string } {
  try {
    const source = JSON.parse(text) as { kind?: string; url?: unknown; branch?: unknown };
    return source.kind === "repo" && typeof source.url === "string" ? { url: source.url, ...(typeof source.branch === "string" ? { branch: source.branch } : {}) } : {};
  } catch {
    return {};
  }
}
const rate = (passed: number, total: number): number => (total === 0 ? 0 : Math.round((passed / total) * 1000) / 1000);
const round2 = (n: number): number => Math.round(n * 100) / 100;
/** Whose checks a result has: its own, or those of the result it repeats. */
const checks_id = (r: ResultRow): number => r.reused_from ?? r.id;

function run_options(run: RunInfo): { deadline: string | null; exercises: string[] } {
  try {
    const options = JSON.parse(run.options) as { deadline?: unknown; exercises?: unknown };
    return {
      deadline: typeof options.deadline === "string" ? options.deadline : null,
      exercises: Array.isArray(options.exercises) ? options.exercises.filter((e): e is string => typeof e === "string") : [],
    };
  } catch {
    return { deadline: null, exercises: [] };
  }
}

/**
 * The results of one student's exercise that count for "stuck": one per
 * distinct submission (a rerun of an unchanged submission, forced or reused,
 * is the same attempt), up to the one standing now.
 */
function attempts(list: ResultRow[], upto: ResultRow): ResultRow[] {
  const distinct: ResultRow[] = [];
  for (const r of list) {
    if (r.run_id > upto.run_id) break;
    if (r.status === "missing" || r.status === "error") continue;
    if (distinct.at(-1)?.submission_digest === r.submission_digest) distinct[distinct.length - 1] = r;
    else distinct.push(r);
  }
  return distinct;
}

export function cohort_report(history: History, options: { stuck_after?: number } = {}): CohortReport {
  const stuck_after = options.stuck_after ?? 2;
  const runs = history.runs();
  const truth = class_standing(history);
  const results = history.results();
  const submissions = history.submissions();

  const by_pair = new Map<string, ResultRow[]>();
  for (const r of results) {
    const key = `${r.student_id}\0${r.exercise_id}`;
    (by_pair.get(key) ?? by_pair.set(key, []).get(key)!).push(r);
  }
  // Checks of each standing result and of the attempts before it.
  const needed = new Set<number>();
  for (const s of truth.students) {
    for (const cell of s.exercises) {
      if (!cell.result) continue;
      for (const r of attempts(by_pair.get(`${s.student.id}\0${cell.exercise_id}`) ?? [], cell.result)) needed.add(checks_id(r));
      needed.add(checks_id(cell.result));
    }
  }
  const checks = history.checks_of([...needed]);
  const checks_of = (r: ResultRow): CheckRow[] => checks.get(checks_id(r)) ?? [];

  // Each student's attempts as the latest run that found their history saw them.
  const attempts_of = new Map<string, AttemptsRow[]>();
  for (const a of history.attempts()) {
    const list = attempts_of.get(a.student_id);
    if (list && list[0]!.run_id !== a.run_id) list.length = 0;
    (list ?? attempts_of.set(a.student_id, []).get(a.student_id)!).push(a);
  }
  const lang_of = new Map(history.students().flatMap((s) => (s.lang === "fr" || s.lang === "en" ? [[s.id, s.lang] as const] : [])));

  // The class's known points after each run: the same truth, as it stood then.
  const progression = runs.map((run) => ({ run, standing: class_standing(history, { as_of_run: run.id }) }));

  const report_student = (st: StudentStanding): ReportStudent => {
    const s = st.student;
    const subs = submissions.filter((x) => x.student_id === s.id);
    const last = st.submission;
    const last_graded = [...subs].reverse().find((x) => x.status === "graded");
    const cells: Record<string, Cell> = {};
    const failures: FailedCheck[] = [];
    const stuck: StuckCheck[] = [];
    for (const cell of st.exercises) {
      const r = cell.result;
      cells[cell.exercise_id] = {
        state: cell.state,
        points: cell.points,
        raw_points: cell.raw_points,
        ...(cell.credit !== undefined ? { credit: cell.credit } : {}),
        ...(cell.override ? { override: { points: cell.override.points!, reason: cell.override.reason, by: cell.override.by, at: cell.override.at } } : {}),
        max_points: cell.max_points,
        ...(r?.commit_graded ? { commit: r.commit_graded } : {}),
        ...(r ? { graded_at: r.graded_at } : {}),
        ...(cell.run_id !== undefined ? { run_id: cell.run_id } : {}),
        ...(cell.message ? { message: cell.message } : {}),
        ...(r?.error_kind ? { error_kind: r.error_kind } : {}),
      };
      if (cell.state === "missing") failures.push({ exercise_id: cell.exercise_id, check: "(exercice absent)", ...(cell.message ? { message: cell.message } : {}) });
      if (!r || (cell.state !== "pass" && cell.state !== "fail")) continue;
      for (const c of checks_of(r)) {
        if (c.status === "pass") continue;
        const lines = c.lines ? (JSON.parse(c.lines) as number[]) : undefined;
        failures.push({
          exercise_id: cell.exercise_id,
          check: c.name,
          ...(c.message ? { message: c.message } : {}),
          ...(lines?.length ? { lines } : {}),
          ...(c.visible === "after_deadline" ? { visible: "after_deadline" as const } : {}),
        });
      }
      // Stuck: the same check failed on each of the last distinct submissions.
      const tries = attempts(by_pair.get(`${s.id}\0${cell.exercise_id}`) ?? [], r);
      if (tries.length >= stuck_after) {
        const failed_sets = tries.map((t) => new Set(checks_of(t).filter((c) => c.status === "fail").map((c) => c.name)));
        for (const name of failed_sets.at(-1)!) {
          let times = 0;
          for (let i = failed_sets.length - 1; i >= 0 && failed_sets[i]!.has(name); i--) times++;
          if (times >= stuck_after) stuck.push({ student_id: s.id, exercise_id: cell.exercise_id, check: name, times });
        }
      }
    }
    const points_by_run = progression.flatMap(({ run, standing }) => {
      const then = standing.students.find((x) => x.student.id === s.id);
      return then?.submission ? [{ run_id: run.id, points: then.known_points }] : [];
    });
    const worked: Record<string, ExerciseAttempts> = {};
    const latest_attempts = attempts_of.get(s.id) ?? [];
    for (const a of latest_attempts) {
      worked[a.exercise_id] = {
        attempts: a.attempts,
        time_spent_ms: a.time_spent_ms,
        ...(a.passed_at ? { passed_at: a.passed_at } : {}),
        ...(a.attempts_to_pass !== null ? { attempts_to_pass: a.attempts_to_pass } : {}),
        ...(a.time_to_pass_ms !== null ? { time_to_pass_ms: a.time_to_pass_ms } : {}),
      };
    }
    const lang = lang_of.get(s.id);
    const source = source_of(s.source);
    return {
      id: s.id,
      name: s.name,
      ...(lang ? { lang } : {}),
      ...(source.url ? { repository: source.url } : {}),
      ...(source.branch ? { branch: source.branch } : {}),
      ...(s.section ? { section: s.section } : {}),
      ...(s.email ? { email: s.email } : {}),
      ...(s.sis_id ? { sis_id: s.sis_id } : {}),
      submission: last?.status ?? "never",
      ...(last?.deadline ? { deadline: last.deadline } : {}),
      ...(last?.late_ms !== null && last?.late_ms !== undefined ? { late_ms: last.late_ms } : {}),
      ...(last?.credit !== null && last?.credit !== undefined && last.credit !== 1 ? { credit: last.credit } : {}),
      ...(last?.message ? { submission_message: last.message } : {}),
      ...(last_graded?.commit_graded ? { commit_graded: last_graded.commit_graded, ...(last_graded.commit_time ? { commit_time: last_graded.commit_time } : {}) } : {}),
      ...(last?.commit_latest ? { commit_latest: last.commit_latest, ...(last.latest_time ? { latest_time: last.latest_time } : {}) } : {}),
      ...(last?.status === "graded" && last.first_seen ? { first_seen: last.first_seen } : {}),
      ...(last?.status === "graded" && last.pushed_late ? { pushed_late: last.pushed_late } : {}),
      cells,
      points: st.points,
      raw_points: st.raw_points,
      known_points: st.known_points,
      max_points: st.max_points,
      unknown: st.unknown,
      errors: st.exercises.filter((c) => c.state === "error").map((c) => c.exercise_id),
      failures,
      stuck,
      points_by_run,
      commits: subs.map((x) => ({ run_id: x.run_id, ...(x.commit_graded ? { commit: x.commit_graded } : {}), status: x.status, ...(x.pushed_late ? { pushed_late: x.pushed_late } : {}) })),
      attempts: worked,
      overridden: st.exercises.filter((c) => c.override).map((c) => c.exercise_id),
    };
  };
  const report_students = truth.students.map(report_student);

  const exercises: ReportExercise[] = truth.exercises.map(({ id, max_points }) => {
    // Over the students whose submission was graded on it (no submission at all is not a try).
    const known = report_students.map((s) => s.cells[id]).filter((c): c is Cell => c !== undefined && ["pass", "fail", "missing"].includes(c.state));
    const passed = known.filter((c) => c.state === "pass").length;
    const worked = report_students.map((s) => s.attempts[id]).filter((a): a is ExerciseAttempts => a !== undefined);
    const passed_loop = worked.filter((a) => a.attempts_to_pass !== undefined);
    const attempts = worked.length === 0 ? undefined : {
      students: worked.length,
      passed: passed_loop.length,
      ...(passed_loop.length > 0
        ? { median_attempts_to_pass: median(passed_loop.map((a) => a.attempts_to_pass!)), median_time_to_pass_ms: median(passed_loop.map((a) => a.time_to_pass_ms!)) }
        : {}),
    };
    return { id, max_points, graded: known.length, passed, pass_rate: rate(passed, known.length), ...(attempts ? { attempts } : {}) };
  });

  const check_stats = new Map<string, ReportCheck & { counts: Map<string, number> }>();
  for (const st of truth.students) {
    for (const cell of st.exercises) {
      if (!cell.result || (cell.state !== "pass" && cell.state !== "fail")) continue;
      for (const c of checks_of(cell.result)) {
        const key = `${cell.exercise_id}\0${c.name}`;
        const stat = check_stats.get(key) ?? { exercise_id: cell.exercise_id, name: c.name, graded: 0, passed: 0, pass_rate: 0, failed_by: [], messages: [], counts: new Map<string, number>() };
        check_stats.set(key, stat);
        if (c.status === "error") continue;
        stat.graded++;
        if (c.status === "pass") stat.passed++;
        else {
          stat.failed_by.push(st.student.id);
          // The class-wide list groups failures by their first line; each student's panel keeps the whole message.
          const message = (c.message ?? "").split("\n")[0]!;
          stat.counts.set(message, (stat.counts.get(message) ?? 0) + 1);
        }
      }
    }
  }
  const all_checks: ReportCheck[] = [...check_stats.values()]
    .map(({ counts, ...stat }) => ({
      ...stat,
      pass_rate: rate(stat.passed, stat.graded),
      messages: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([message, count]) => ({ message, count })),
    }))
    .sort((a, b) => exercise_order(a.exercise_id, b.exercise_id));
  const most_failed = all_checks
    .filter((c) => c.failed_by.length > 0)
    .sort((a, b) => b.failed_by.length - a.failed_by.length || exercise_order(a.exercise_id, b.exercise_id) || a.name.localeCompare(b.name))
    .slice(0, 10);

  const run_rows: ReportRun[] = progression.map(({ run, standing }) => {
    // The class's mean over the totals known after this run (a grade not known is left out, not counted as 0).
    const reached = standing.students.filter((s) => s.submission && s.points !== null);
    const options = run_options(run);
    return {
      id: run.id,
      started_at: run.started_at,
      finished_at: run.finished_at,
      shard: run.shard,
      deadline: options.deadline,
      exercises: options.exercises,
      interrupted: run.finished_at === null,
      graded: reached.length,
      mean_points: reached.length === 0 ? 0 : round2(reached.reduce((a, s) => a + s.points!, 0) / reached.length),
    };
  });

  const course_version = history.meta("course_version") ?? runs.at(-1)?.course_version;
  const grader_version = history.meta("grader_version") ?? runs.at(-1)?.grader_version;
  return {
    format: 3,
    points_are: "credited",
    generated_at: new Date().toISOString(),
    ...(course_version ? { course_version } : {}),
    ...(grader_version ? { grader_version } : {}),
    runs: run_rows,
    exercises,
    students: report_students,
    removed: truth.removed.map((s) => ({ id: s.id, name: s.name })),
    checks: all_checks,
    most_failed,
    stuck: report_students.flatMap((s) => s.stuck),
    no_submission: report_students
      .filter((s) => s.submission !== "graded")
      .map((s) => ({ student_id: s.id, name: s.name, status: s.submission, ...(s.submission_message ? { message: s.submission_message } : {}) })),
    max_points: truth.max_points,
  };
}

