// Every exercise of the workspace graded again, several at once (key a in the
// watch loop, and by itself once the last exercise passes, before the course
// is called finished): a progress line while it runs, a line per exercise as
// it ends, then the exercises still to do. In accessible mode, only appended
// lines, and one every few seconds saying what still runs.
import os from "node:os";
import path from "node:path";
import { Grader, type ExerciseResult } from "../../../grader/index.js";
import { define_messages } from "../../i18n/index.js";
import { c, mark } from "../../ui/color.js";
import { truncate } from "../../ui/text.js";
import { update_progress, type CourseState } from "../../state/course-state.js";
import { record_result } from "../../state/progress.js";

const m = define_messages({
  start: {
    fr: (p: { count: number; parallel: number }) => `Vérification de tous les exercices : ${p.count}, ${p.parallel} à la fois…`,
    en: (p: { count: number; parallel: number }) => `Checking every exercise: ${p.count}, ${p.parallel} at a time…`,
  },
  progress: {
    fr: (p: { done: number; total: number; passed: number; seconds: number }) => `${p.done}/${p.total} vérifiés · ${p.passed} réussis · ${p.seconds} s`,
    en: (p: { done: number; total: number; passed: number; seconds: number }) => `${p.done}/${p.total} checked · ${p.passed} passed · ${p.seconds} s`,
  },
  one: {
    fr: (p: { done: number; total: number; row: string }) => `${p.done}/${p.total} ${p.row}`,
    en: (p: { done: number; total: number; row: string }) => `${p.done}/${p.total} ${p.row}`,
  },
  running: {
    fr: (p: { ids: string; seconds: number }) => `  toujours en cours : ${p.ids} (${p.seconds} s)`,
    en: (p: { ids: string; seconds: number }) => `  still running: ${p.ids} (${p.seconds} s)`,
  },
  summary: {
    fr: (p: { passed: number; total: number; seconds: number }) => `Tous les exercices vérifiés en ${p.seconds} s : ${p.passed} réussis sur ${p.total}.`,
    en: (p: { passed: number; total: number; seconds: number }) => `Every exercise checked in ${p.seconds} s: ${p.passed} of ${p.total} passed.`,
  },
  to_do: { fr: "Encore à faire :", en: "Still to do:" },
  errors: {
    fr: "N'ont pas pu être corrigés (pas de votre fait ; `dockerlings doctor` dit quoi réparer) :",
    en: "Could not be graded (not your doing; `dockerlings doctor` says what to fix):",
  },
});

export interface CheckAllScreen {
  write(text: string): void;
  columns(): number;
  accessible: boolean;
}

export interface CheckAllOutcome {
  results: ExerciseResult[];
  /** Every exercise passed. */
  all_passed: boolean;
  /** The lines that close it: a summary and the exercises still to do. */
  report: string;
}

/** How many exercises are graded at once: the machine's cores, at most four. */
export function check_all_parallel(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Grades every exercise of the workspace; progress is recorded (not as attempts: a check-all is no attempt at one). */
export async function check_all(state: CourseState, screen: CheckAllScreen, signal: AbortSignal): Promise<CheckAllOutcome | undefined> {
  const parallel = check_all_parallel();
  const exercises = state.exercises;
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const running = new Set(exercises.slice(0, parallel).map((e) => e.id));
  const results: ExerciseResult[] = [];
  let line_shown = false;
  const width = screen.columns();
  const progress_line = () => {
    if (screen.accessible) return;
    const passed = results.filter((r) => r.status === "pass").length;
    const filled = Math.round((results.length / exercises.length) * 16);
    const bar = `[${c.green("█".repeat(filled))}${c.gray("░".repeat(16 - filled))}] `;
    screen.write(`\r\u001b[2K${truncate(bar + m("progress", { done: results.length, total: exercises.length, passed, seconds: seconds() }), width)}`);
    line_shown = true;
  };
  screen.write(`${m("start", { count: exercises.length, parallel })}\n`);
  const ticker = setInterval(
    () => {
      if (screen.accessible) screen.write(`${m("running", { ids: [...running].join(", "), seconds: seconds() })}\n`);
      else progress_line();
    },
    screen.accessible ? 5000 : 500,
  );
  ticker.unref();
  progress_line();

  const grader = await Grader.open({ course_root: state.course_root, session: process.env.DOCKERLINGS_SESSION || undefined, parallel });
  const requests = exercises.map((exercise) => ({ exercise, dir: path.join(state.workspace.dir, exercise.id), signal }));
  try {
    await grader.grade_all(requests, {
      on_exercise_done: (graded) => {
        const { title: _title, submission: _submission, ignored: _ignored, ...result } = graded;
        results.push(result);
        running.delete(result.exercise);
        const next = exercises.find((e) => !running.has(e.id) && !results.some((r) => r.exercise === e.id) && running.size < parallel);
        if (next) running.add(next.id);
        update_progress(state.workspace.dir, (p) => record_result(p, result));
        const sign = result.status === "pass" ? mark.pass() : result.status === "error" ? mark.error() : mark.fail();
        const row = `${sign} ${result.exercise} ${c.gray(`(${result.points}/${result.max_points})`)}`;
        if (line_shown) screen.write("\r\u001b[2K");
        line_shown = false;
        screen.write(`${m("one", { done: results.length, total: exercises.length, row })}\n`);
        progress_line();
      },
    });
  } catch (error) {
    if ((error as Error).name !== "AbortError" && !signal.aborted) throw error;
  } finally {
    clearInterval(ticker);
    if (line_shown) screen.write("\r\u001b[2K");
    await grader.close();
  }
  if (signal.aborted) return undefined;

  const in_order = exercises.map((e) => results.find((r) => r.exercise === e.id)).filter((r): r is ExerciseResult => r !== undefined);
  const passed = in_order.filter((r) => r.status === "pass");
  const failed = in_order.filter((r) => r.status === "fail");
  const errors = in_order.filter((r) => r.status === "error");
  const title = (id: string) => exercises.find((e) => e.id === id)?.title ?? "";
  const lines = [c.bold(m("summary", { passed: passed.length, total: exercises.length, seconds: seconds() }))];
  if (failed.length > 0) {
    lines.push(m("to_do"));
    for (const r of failed) lines.push(truncate(`  ${mark.fail()} ${r.exercise} — ${title(r.exercise)} ${c.gray(`(${r.points}/${r.max_points})`)}`, width));
  }
  if (errors.length > 0) {
    lines.push(m("errors"));
    for (const r of errors) lines.push(truncate(`  ${mark.error()} ${r.exercise} — ${title(r.exercise)}`, width));
  }
  return { results: in_order, all_passed: passed.length === exercises.length, report: lines.join("\n") };
}
