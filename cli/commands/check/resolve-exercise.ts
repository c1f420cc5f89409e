import { find_exercise, type Exercise } from "../../../grader/course/course.js";
import { CliError } from "../../errors.js";

/** The exercise a command is about: the one named, else the current one, else the first. */
export function resolve_exercise(exercises: Exercise[], id: string | undefined, current: string | undefined): Exercise {
  if (!id) {
    const exercise = (current && find_exercise(exercises, current)) || exercises[0];
    if (!exercise) throw new CliError("Le cours ne contient aucun exercice.");
    return exercise;
  }
  const exercise = find_exercise(exercises, id);
  if (!exercise) {
    throw new CliError(
      `Exercice inconnu : « ${id} ». Les exercices sont : ${exercises.map((e) => e.id).join(", ")}.\n` +
        "Lancez `dockerlings list` pour les voir.",
    );
  }
  return exercise;
}
