// `dockerlings lesson [id]`: an exercise's lesson, rendered for the terminal.
import fs from "node:fs";
import type { Exercise } from "../../../grader/index.js";
import { CliError } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { render_markdown } from "../../ui/markdown.js";
import { terminal_width } from "../../ui/text.js";
import { open_course, shown_path } from "../../state/course-state.js";
import { resolve_exercise } from "../check/resolve-exercise.js";

const m = define_messages({
  missing: {
    fr: (p: { file: string }) => `La leçon ${p.file} est introuvable : le cours est-il complet ?`,
    en: (p: { file: string }) => `The lesson ${p.file} is missing: is the course complete?`,
  },
});

/** Lessons read best a little narrower than a wide terminal. */
export function lesson_width(): number {
  return Math.min(terminal_width(), 100);
}

export function render_lesson(exercise: Exercise, width = lesson_width()): string {
  if (!fs.existsSync(exercise.lesson_path)) throw new CliError(m("missing", { file: shown_path(exercise.lesson_path) }));
  return render_markdown(fs.readFileSync(exercise.lesson_path, "utf8"), width);
}

export async function lesson_command(id: string | undefined, options: { workspace?: string }): Promise<number> {
  const { exercises, progress } = open_course(options);
  const exercise = resolve_exercise(exercises, id, progress.current);
  process.stdout.write(render_lesson(exercise));
  return 0;
}
