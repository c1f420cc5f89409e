// Build targets and other Dockerfiles of one submission (lesson 17): stages a
// `docker build --target` can name, the image a plain build gives, a second
// Dockerfile built with -f. Without these checks a missing stage would reach
// the student as the engine's English error, and a wrong last stage would not
// be seen at all (every target builds, only the default one is wrong).
import { lines_fact, outcome, require_config, type CheckOutcome } from "./check.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";

/** Each name is a stage of the Dockerfile (`FROM … AS name`, case-insensitive as BuildKit reads it). */
export function check_stages_named(ex: Pick<ExerciseHandle, "dockerfile">, names: string[]): CheckOutcome {
  require_config(names.length > 0 && names.every((n) => n.trim() !== ""), "donnez au moins un nom d'étape.");
  const stages = ex.dockerfile().stages;
  const named = stages.filter((s) => s.name).map((s) => `« ${s.name} »`);
  const failures = names
    .filter((name) => !stages.some((s) => s.name?.toLowerCase() === name.toLowerCase()))
    .map(
      (name) =>
        `Le Dockerfile n'a pas d'étape nommée « ${name} » : docker build --target ${name} ne peut pas la trouver` +
        (named.length ? ` (ses étapes nommées : ${named.join(", ")})` : " (aucune de ses étapes n'a de nom)") +
        `. Une étape se nomme sur sa ligne FROM : FROM base AS ${name}.`,
    );
  return outcome(failures);
}

/** A plain `docker build` (no --target) gives the same image as `--target target`: that stage comes last. */
export async function check_default_target(ex: ExerciseHandle, target: string): Promise<CheckOutcome> {
  const named = check_stages_named(ex, [target]);
  if (!named.ok) return named;
  const [plain, targeted] = [await ex.image(), await ex.variant({ target }).image()];
  if (plain.id === targeted.id) return outcome([]);
  const last = ex.dockerfile().stages.at(-1);
  return outcome(
    [
      `Sans --target, Docker construit la dernière étape du Dockerfile${last?.name ? ` (ici « ${last.name} »)` : ""}, ` +
        `et elle n'est pas l'étape ${target}. Placez l'étape ${target} en dernier : c'est l'image qu'on obtient par défaut.`,
    ],
    undefined,
    last ? [lines_fact(last.line)] : undefined,
  );
}

/**
 * The handle's Dockerfile (its variant's -f file, or Dockerfile) is in the
 * submission and has a FROM: said before building it, since the engine's
 * error for a missing -f file names a path of the grader's copy.
 */
export function check_dockerfile_present(ex: Pick<ExerciseHandle, "dockerfile" | "dockerfile_name" | "has_dockerfile">): CheckOutcome {
  const name = ex.dockerfile_name;
  if (!ex.has_dockerfile()) return outcome([`Il n'y a pas de fichier ${name} : créez-le à côté du Dockerfile.`]);
  if (ex.dockerfile().stages.length === 0) {
    return outcome([`${name} n'a pas encore d'instruction FROM : écrivez-le comme un Dockerfile. Il se construit avec docker build -f ${name} .`]);
  }
  return outcome([]);
}
