// The class's state, computed from the history once and read by every
// report (HTML, CSV, gradebooks, JSON): each student's latest result per
// exercise, pass rates, the checks failed most and by whom, the students who
// are stuck, those with nothing to grade, and the points after each run.
import type { CheckRow, History, HistoryStatus, ResultRow, RunInfo, SubmissionStatus } from "./history.js";

export interface Cell {
  status: HistoryStatus;
  points: number;
  max_points: number;
  commit?: string;
  graded_at: string;
  run_id: number;
  message?: string;
  error_kind?: string;
}

export interface FailedCheck {
  exercise_id: string;
  check: string;
  message?: string;
}

export interface StuckCheck {
  student_id: string;
  exercise_id: string;
  check: string;
  /** Gradings in a row (the latest ones) where this check failed. */
  times: number;
}

export interface ReportStudent {
  id: string;
  name: string;
  section?: string;
  email?: string;
  /** The latest run's outcome of fetching the submission; `never` when no run saw the student. */
  submission: SubmissionStatus | "never";
  submission_message?: string;
  commit_graded?: string;
  commit_time?: string;
  commit_latest?: string;
  latest_time?: string;
  cells: Record<string, Cell | undefined>;
  points: number;
  max_points: number;
  /** Exercises whose grading had an error: not a zero, to grade again. */
  errors: string[];
  failures: FailedCheck[];
  stuck: StuckCheck[];
  /** Points after each run (runs before the student's first grading left out). */
  points_by_run: { run_id: number; points: number }[];
  commits: { run_id: number; commit?: string; status: SubmissionStatus }[];
}

export interface ReportExercise {
  id: string;
  max_points: number;
  graded: number;
  passed: number;
  pass_rate: number;
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

export interface CohortReport {
  format: 1;
  generated_at: string;
  course_version?: string;
  grader_version?: string;
  runs: (Pick<RunInfo, "id" | "started_at" | "finished_at" | "shard"> & { mean_points: number; graded: number })[];
  exercises: ReportExercise[];
  students: ReportStudent[];
  checks: ReportCheck[];
  most_failed: ReportCheck[];
  stuck: StuckCheck[];
  no_submission: { student_id: string; name: string; status: SubmissionStatus | "never"; message?: string }[];
  max_points: number;
}

const rate = (passed: number, total: number): number => (total === 0 ? 0 : Math.round((passed / total) * 1000) / 1000);

/** Exercise ids as the course orders them: by their number prefix, then by name. */
function exercise_order(a: string, b: string): number {
  const na = Number(/^\d+/.exec(a)?.[0] ?? NaN);
  const nb = Number(/^\d+/.exec(b)?.[0] ?? NaN);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.localeCompare(b);
}

export function cohort_report(history: History, options: { stuck_after?: number } = {}): CohortReport {
  const stuck_after = options.stuck_after ?? 2;
  const runs = history.runs();
  const students = history.students();
  const results = history.results();
  const submissions = history.submissions();

  const exercise_ids = [...new Set(results.map((r) => r.exercise_id))].sort(exercise_order);
  const max_of = new Map<string, number>();
  for (const r of results) max_of.set(r.exercise_id, r.max_points);
  const max_points = exercise_ids.reduce((sum, id) => sum + (max_of.get(id) ?? 0), 0);

  // Results per student and exercise, oldest first.
  const by_pair = new Map<string, ResultRow[]>();
  for (const r of results) {
    const key = `${r.student_id}\0${r.exercise_id}`;
    (by_pair.get(key) ?? by_pair.set(key, []).get(key)!).push(r);
  }
  const latest_ids = [...by_pair.values()].map((list) => list[list.length - 1]!.id);
  // Checks of every result of a pair that may be stuck (several results), else of the latest only.
  const wanted = [...by_pair.values()].flatMap((list) => (list.length > 1 ? list.map((r) => r.id) : [list[list.length - 1]!.id]));
  const checks = history.checks_of([...new Set([...latest_ids, ...wanted])]);

  const report_students: ReportStudent[] = students.map((st) => {
    const subs = submissions.filter((s) => s.student_id === st.id);
    const last = subs[subs.length - 1];
    const last_graded = [...subs].reverse().find((s) => s.status === "graded");
    const cells: Record<string, Cell | undefined> = {};
    const failures: FailedCheck[] = [];
    const stuck: StuckCheck[] = [];
    const errors: string[] = [];
    let points = 0;
    for (const ex of exercise_ids) {
      const list = by_pair.get(`${st.id}\0${ex}`);
      const latest = list?.[list.length - 1];
      if (!latest) continue;
      cells[ex] = {
        status: latest.status,
        points: latest.points,
        max_points: latest.max_points,
        ...(latest.commit_graded ? { commit: latest.commit_graded } : {}),
        graded_at: latest.graded_at,
        run_id: latest.run_id,
        ...(latest.message ? { message: latest.message } : {}),
        ...(latest.error_kind ? { error_kind: latest.error_kind } : {}),
      };
      points += latest.points;
      if (latest.status === "error") errors.push(ex);
      if (latest.status === "missing") failures.push({ exercise_id: ex, check: "(exercice absent)", message: latest.message ?? undefined });
      for (const c of checks.get(latest.id) ?? []) {
        if (c.status !== "pass") failures.push({ exercise_id: ex, check: c.name, ...(c.message ? { message: c.message } : {}) });
      }
      // Stuck: the same check failed in each of the last gradings (each a new submission, as reruns grade only what changed).
      if (list.length >= stuck_after) {
        const failed_sets = list.map((r) => new Set((checks.get(r.id) ?? []).filter((c) => c.status === "fail").map((c) => c.name)));
        for (const name of failed_sets[failed_sets.length - 1]!) {
          let times = 0;
          for (let i = failed_sets.length - 1; i >= 0 && failed_sets[i]!.has(name); i--) times++;
          if (times >= stuck_after) stuck.push({ student_id: st.id, exercise_id: ex, check: name, times });
        }
      }
    }
    const points_by_run: { run_id: number; points: number }[] = [];
    for (const run of runs) {
      let total = 0;
      let seen = false;
      for (const ex of exercise_ids) {
        const list = by_pair.get(`${st.id}\0${ex}`) ?? [];
        const as_of = [...list].reverse().find((r) => r.run_id <= run.id);
        if (as_of) {
          seen = true;
          total += as_of.points;
        }
      }
      if (seen) points_by_run.push({ run_id: run.id, points: total });
    }
    return {
      id: st.id,
      name: st.name,
      ...(st.section ? { section: st.section } : {}),
      ...(st.email ? { email: st.email } : {}),
      submission: last?.status ?? "never",
      ...(last?.message ? { submission_message: last.message } : {}),
      ...(last_graded?.commit_graded ? { commit_graded: last_graded.commit_graded, commit_time: last_graded.commit_time ?? undefined } : {}),
      ...(last?.commit_latest ? { commit_latest: last.commit_latest, latest_time: last.latest_time ?? undefined } : {}),
      cells,
      points,
      max_points,
      errors,
      failures,
      stuck,
      points_by_run,
      commits: subs.map((s) => ({ run_id: s.run_id, ...(s.commit_graded ? { commit: s.commit_graded } : {}), status: s.status })),
    };
  });

  const exercises: ReportExercise[] = exercise_ids.map((id) => {
    const cells = report_students.map((s) => s.cells[id]).filter((c): c is Cell => c !== undefined && c.status !== "error");
    const passed = cells.filter((c) => c.status === "pass").length;
    return { id, max_points: max_of.get(id) ?? 0, graded: cells.length, passed, pass_rate: rate(passed, cells.length) };
  });

  const check_stats = new Map<string, ReportCheck & { counts: Map<string, number> }>();
  const latest_by_id = new Map(results.map((r) => [r.id, r]));
  for (const id of latest_ids) {
    const r = latest_by_id.get(id)!;
    for (const c of checks.get(id) ?? ([] as CheckRow[])) {
      const key = `${r.exercise_id}\0${c.name}`;
      const stat = check_stats.get(key) ?? { exercise_id: r.exercise_id, name: c.name, graded: 0, passed: 0, pass_rate: 0, failed_by: [] as string[], messages: [], counts: new Map<string, number>() };
      check_stats.set(key, stat);
      if (c.status === "error") continue;
      stat.graded++;
      if (c.status === "pass") stat.passed++;
      else {
        stat.failed_by.push(r.student_id);
        const message = (c.message ?? "").split("\n")[0]!.slice(0, 300);
        stat.counts.set(message, (stat.counts.get(message) ?? 0) + 1);
      }
    }
  }
  const order = new Map(report_students.map((s, i) => [s.id, i]));
  const all_checks: ReportCheck[] = [...check_stats.values()]
    .map(({ counts, ...stat }) => ({
      ...stat,
      pass_rate: rate(stat.passed, stat.graded),
      failed_by: stat.failed_by.sort((a, b) => order.get(a)! - order.get(b)!),
      messages: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([message, count]) => ({ message, count })),
    }))
    .sort((a, b) => exercise_order(a.exercise_id, b.exercise_id));
  const most_failed = all_checks
    .filter((c) => c.failed_by.length > 0)
    .sort((a, b) => b.failed_by.length - a.failed_by.length || exercise_order(a.exercise_id, b.exercise_id) || a.name.localeCompare(b.name))
    .slice(0, 10);

  const run_rows = runs.map((run) => {
    const totals = report_students.map((s) => s.points_by_run.find((p) => p.run_id === run.id)?.points).filter((p): p is number => p !== undefined);
    return {
      id: run.id,
      started_at: run.started_at,
      finished_at: run.finished_at,
      shard: run.shard,
      graded: totals.length,
      mean_points: totals.length === 0 ? 0 : Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 100) / 100,
    };
  });

  return {
    format: 1,
    generated_at: new Date().toISOString(),
    // The latest run's versions (a history written by hand or merged may lack the meta).
    ...((history.meta("course_version") ?? runs.at(-1)?.course_version) ? { course_version: history.meta("course_version") ?? runs.at(-1)!.course_version } : {}),
    ...((history.meta("grader_version") ?? runs.at(-1)?.grader_version) ? { grader_version: history.meta("grader_version") ?? runs.at(-1)!.grader_version } : {}),
    runs: run_rows,
    exercises,
    students: report_students,
    checks: all_checks,
    most_failed,
    stuck: report_students.flatMap((s) => s.stuck),
    no_submission: report_students
      .filter((s) => s.submission !== "graded")
      .map((s) => ({ student_id: s.id, name: s.name, status: s.submission, ...(s.submission_message ? { message: s.submission_message } : {}) })),
    max_points,
  };
}
