// `dockerlings hint [id]`: the next hint of an exercise, remembering how many were shown.
import { terminal_width } from "../../ui/text.js";
import { reveal_hints } from "../../ui/hints.js";
import { open_course } from "../../state/course-state.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";

export async function hint_command(id: string | undefined, options: { workspace?: string; all?: boolean }): Promise<number> {
  const { exercises, workspace, progress } = open_course(options);
  const exercise = resolve_exercise(exercises, id, progress.current);
  const text = reveal_hints(workspace.dir, exercise, {
    all: options.all,
    how: `\`dockerlings hint ${exercise.id}\``,
    width: terminal_width(),
  });
  process.stdout.write(`${text}\n`);
  return 0;
}
