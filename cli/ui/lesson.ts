// An exercise's lesson, rendered for the terminal (`lesson`, the watch loop's l key).
import fs from "node:fs";
import type { Exercise } from "../../grader/index.js";
import { CliError } from "../errors.js";
import { define_messages } from "../i18n/index.js";
import { render_markdown } from "./markdown.js";
import { terminal_width } from "./text.js";
import { shown_path } from "../state/course-state.js";

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
