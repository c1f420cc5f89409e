// `dockerlings list`: the exercises in order, with part, points and status.
import { load_course, default_course_root } from "../../../grader/course/course.js";
import { c, mark } from "../../ui/color.js";
import { open_workspace } from "../../state/workspace.js";
import { load_progress } from "../../state/progress.js";

export interface ListOptions {
  workspace?: string;
  json?: boolean;
}

export async function list_command(options: ListOptions): Promise<number> {
  const exercises = load_course(default_course_root());
  const workspace = open_workspace(options.workspace, exercises);
  const { progress } = load_progress(workspace.dir);
  const current = progress.current ?? exercises[0]?.id;
  const rows = exercises.map((e) => {
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
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ workspace: workspace.dir, exercises: rows }, null, 2)}\n`);
    return 0;
  }
  if (workspace.created.length > 0) {
    process.stdout.write(c.gray(`Espace de travail créé : ${workspace.dir} (${workspace.created.length} exercices)\n\n`));
  }
  for (const row of rows) {
    const status =
      row.status === "pass" ? mark.pass() : row.status === "fail" ? mark.fail() : row.status === "error" ? mark.error() : mark.todo();
    const pointer = row.current ? c.cyan("▶") : " ";
    const points = c.gray(`${String(row.points).padStart(2)}/${String(row.max_points).padEnd(2)} pts`);
    const part = c.gray(row.part.padEnd(8));
    process.stdout.write(`${pointer} ${status} ${row.id.padEnd(24)} ${part} ${points}  ${row.title}\n`);
  }
  const done = rows.filter((r) => r.status === "pass").length;
  const total_points = rows.reduce((s, r) => s + r.points, 0);
  const max = rows.reduce((s, r) => s + r.max_points, 0);
  process.stdout.write(`\n${done}/${rows.length} exercices réussis, ${total_points}/${max} points.\n`);
  return 0;
}
