// `dockerlings lesson [id]`: an exercise's lesson, rendered for the terminal.
import { render_lesson } from "../../ui/lesson.js";
import { open_course } from "../../state/course-state.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";

export async function lesson_command(id: string | undefined, options: { workspace?: string }): Promise<number> {
  const { exercises, progress } = open_course(options);
  const exercise = resolve_exercise(exercises, id, progress.current);
  process.stdout.write(render_lesson(exercise));
  return 0;
}
