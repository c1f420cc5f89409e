// The exercise a command is about. Through the course loader, not
// grader/index.ts: hint, lesson, start, reset and solution come through here
// and grade nothing (1.3 s of start-up saved).
import { find_exercise, type Exercise } from "../../grader/course/course.js";
import { CliError } from "../errors.js";
import { define_messages } from "../i18n/index.js";

const m = define_messages({
  empty: { fr: "Le cours ne contient aucun exercice.", en: "The course has no exercises." },
  unknown: {
    fr: (p: { id: string; ids: string }) =>
      `Exercice inconnu : « ${p.id} ». Les exercices sont : ${p.ids}.\nLancez \`dockerlings list\` pour les voir.`,
    en: (p: { id: string; ids: string }) => `Unknown exercise: "${p.id}". The exercises are: ${p.ids}.\nRun \`dockerlings list\` to see them.`,
  },
});

/** The exercise a command is about: the one named, else the current one, else the first. */
export function resolve_exercise(exercises: Exercise[], id: string | undefined, current: string | undefined): Exercise {
  if (!id) {
    const exercise = (current && find_exercise(exercises, current)) || exercises[0];
    if (!exercise) throw new CliError(m("empty"));
    return exercise;
  }
  const exercise = find_exercise(exercises, id);
  if (!exercise) throw new CliError(m("unknown", { id, ids: exercises.map((e) => e.id).join(", ") }));
  return exercise;
}
