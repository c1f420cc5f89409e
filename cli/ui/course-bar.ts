// The course's progress at a glance: a bar, exercises done out of all, points.
import type { Exercise } from "../../grader/index.js";
import type { Progress } from "../state/progress.js";
import { define_messages } from "../i18n/index.js";
import { c } from "./color.js";
import { accessible } from "./terminal.js";

const m = define_messages({
  totals: {
    fr: (p: { done: number; total: number; points: number; max: number }) =>
      `${p.done}/${p.total} exercices réussis · ${p.points}/${p.max} points`,
    en: (p: { done: number; total: number; points: number; max: number }) =>
      `${p.done}/${p.total} exercises passed · ${p.points}/${p.max} points`,
  },
  spoken: {
    fr: (p: { done: number; total: number; points: number; max: number }) =>
      `Progression : ${p.done} exercices réussis sur ${p.total}, ${p.points} points sur ${p.max}.`,
    en: (p: { done: number; total: number; points: number; max: number }) => `Progress: ${p.done} of ${p.total} exercises passed, ${p.points} of ${p.max} points.`,
  },
});

export interface CourseTotals {
  done: number;
  total: number;
  points: number;
  max_points: number;
}

export function course_totals(exercises: Exercise[], progress: Progress): CourseTotals {
  let done = 0;
  let points = 0;
  for (const exercise of exercises) {
    const entry = progress.exercises[exercise.id];
    if (entry?.status === "pass") done++;
    points += Math.min(entry?.points ?? 0, exercise.points);
  }
  return { done, total: exercises.length, points, max_points: exercises.reduce((s, e) => s + e.points, 0) };
}

/** "[████░░░░░░░░] 3/16 exercices réussis · 42/160 points"; in accessible mode, a sentence without the blocks. */
export function course_bar(totals: CourseTotals, width = 16): string {
  if (accessible()) return m("spoken", { done: totals.done, total: totals.total, points: totals.points, max: totals.max_points });
  const filled = totals.total === 0 ? 0 : Math.round((totals.done / totals.total) * width);
  const bar = c.green("█".repeat(filled)) + c.gray("░".repeat(width - filled));
  return `[${bar}] ${m("totals", { done: totals.done, total: totals.total, points: totals.points, max: totals.max_points })}`;
}
