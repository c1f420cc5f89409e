// `dockerlings hint [id]`: the next hint of an exercise, remembering how many were shown.
import { load_course, default_course_root } from "../../../grader/course/course.js";
import { c } from "../../ui/color.js";
import { open_workspace } from "../../state/workspace.js";
import { load_progress, save_progress } from "../../state/progress.js";
import { resolve_exercise } from "../check/resolve-exercise.js";

export async function hint_command(id: string | undefined, options: { workspace?: string; all?: boolean }): Promise<number> {
  const exercises = load_course(default_course_root());
  const workspace = open_workspace(options.workspace, exercises);
  const { progress } = load_progress(workspace.dir);
  const exercise = resolve_exercise(exercises, id, progress.current);
  const entry = (progress.exercises[exercise.id] ??= {
    status: "todo",
    points: 0,
    max_points: exercise.points,
    last_checked: "",
    hints_shown: 0,
  });
  const shown = options.all ? exercise.hints.length : Math.min(entry.hints_shown + 1, exercise.hints.length);
  entry.hints_shown = Math.max(entry.hints_shown, shown);
  save_progress(workspace.dir, progress);
  process.stdout.write(`${c.bold(`${exercise.id} — indices (${shown}/${exercise.hints.length})`)}\n`);
  exercise.hints.slice(0, shown).forEach((hint, i) => process.stdout.write(`\n${c.cyan(`Indice ${i + 1}`)} : ${hint}\n`));
  if (shown < exercise.hints.length) {
    process.stdout.write(c.gray(`\nEncore bloqué ? \`dockerlings hint ${exercise.id}\` donne l'indice suivant.\n`));
  }
  return 0;
}
