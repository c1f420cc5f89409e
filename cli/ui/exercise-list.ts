// The exercises as a list (`list`, `progress`, the watch loop's list): one
// row per exercise with its status, and the lines the terminal shows.
import type { Exercise } from "../../grader/index.js";
import { define_messages } from "../i18n/index.js";
import { c, mark } from "./color.js";
import { truncate } from "./text.js";
import type { Progress } from "../state/progress.js";

const m = define_messages({
  totals: {
    fr: (p: { done: number; total: number; points: number; max: number }) => `${p.done}/${p.total} exercices réussis, ${p.points}/${p.max} points.`,
    en: (p: { done: number; total: number; points: number; max: number }) => `${p.done}/${p.total} exercises passed, ${p.points}/${p.max} points.`,
  },
});

export interface ListRow {
  id: string;
  title: string;
  part: string;
  max_points: number;
  points: number;
  status: "todo" | "pass" | "fail" | "error";
  current: boolean;
}

export function list_rows(exercises: Exercise[], progress: Progress): ListRow[] {
  const current = progress.current ?? exercises[0]?.id;
  return exercises.map((e) => {
    const p = progress.exercises[e.id];
    return {
      id: e.id,
      title: e.title,
      part: e.part,
      max_points: e.points,
      points: p?.points ?? 0,
      status: p?.status ?? "todo",
      current: e.id === current,
    };
  });
}

export function status_mark(status: ListRow["status"]): string {
  return status === "pass" ? mark.pass() : status === "fail" ? mark.fail() : status === "error" ? mark.error() : mark.todo();
}

/** One line per exercise: ▶ on the current one, its status, id, part, points and title. */
export function format_list(rows: ListRow[], width: number): string {
  const lines = rows.map((row) => {
    const pointer = mark.current(row.current);
    const points = c.gray(`${String(row.points).padStart(2)}/${String(row.max_points).padEnd(2)} pts`);
    const part = c.gray(row.part.padEnd(8));
    const head = `${pointer} ${status_mark(row.status)} ${row.id.padEnd(24)} ${part} ${points}  `;
    return head + truncate(row.title, Math.max(10, width - 51));
  });
  const done = rows.filter((r) => r.status === "pass").length;
  const points = rows.reduce((s, r) => s + r.points, 0);
  const max = rows.reduce((s, r) => s + r.max_points, 0);
  lines.push("", m("totals", { done, total: rows.length, points, max }));
  return lines.join("\n");
}
