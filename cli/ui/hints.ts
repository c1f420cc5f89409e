// The hints of an exercise, revealed one more at a time (`hint`, the watch
// loop's h key): how many were shown is saved in the student's progress.
import type { Exercise } from "../../grader/index.js";
import { define_messages } from "../i18n/index.js";
import { c } from "./color.js";
import { wrap } from "./text.js";
import { exercise_entry, update_progress } from "../state/course-state.js";

const m = define_messages({
  title: {
    fr: (p: { id: string; shown: number; total: number }) => `${p.id} — indices (${p.shown}/${p.total})`,
    en: (p: { id: string; shown: number; total: number }) => `${p.id} — hints (${p.shown}/${p.total})`,
  },
  hint: { fr: (p: { n: number }) => `Indice ${p.n}`, en: (p: { n: number }) => `Hint ${p.n}` },
  more: {
    fr: (p: { how: string }) => `Encore bloqué ? ${p.how} donne l'indice suivant.`,
    en: (p: { how: string }) => `Still stuck? ${p.how} gives the next hint.`,
  },
  last: {
    fr: "C'était le dernier indice. La leçon reprend tout : `dockerlings lesson`.",
    en: "That was the last hint. The lesson covers it all: `dockerlings lesson`.",
  },
});

/**
 * Shows one more hint (all of them with `all`) and saves the count; returns
 * the text to print. `how` says how to get the next one (a command or a key).
 */
export function reveal_hints(workspace_dir: string, exercise: Exercise, options: { all?: boolean; how: string; width: number }): string {
  let shown = 0;
  update_progress(workspace_dir, (progress) => {
    const entry = exercise_entry(progress, exercise);
    shown = options.all ? exercise.hints.length : Math.min(entry.hints_shown + 1, exercise.hints.length);
    entry.hints_shown = Math.max(entry.hints_shown, shown);
  });
  const lines = [c.bold(m("title", { id: exercise.id, shown, total: exercise.hints.length }))];
  exercise.hints.slice(0, shown).forEach((hint, i) => lines.push("", wrap(`${c.cyan(m("hint", { n: i + 1 }))} : ${hint}`, options.width, "  ")));
  lines.push("", c.gray(wrap(shown < exercise.hints.length ? m("more", { how: options.how }) : m("last"), options.width)));
  return lines.join("\n");
}
