// The first checks: base image, exec form, exit code and output. Each throws a
// CheckFailure whose message says what was expected, what was found, and what
// to change.
import type { BuiltImage, ExerciseHandle } from "../spec/use-exercise.js";
import { CheckFailure } from "../spec/use-exercise.js";
import { inspect_image } from "../engine/image.js";
import type { RunResult } from "../engine/run.js";
import { report } from "./check.js";
import { check_exec_form } from "./metadata.js";

/**
 * The final stage starts FROM `expected` as written in the Dockerfile, and the
 * built image really sits on that image's layers.
 */
export async function expect_base_image(ex: ExerciseHandle, image: BuiltImage, expected: string): Promise<void> {
  const stages = ex.dockerfile().stages;
  const written = stages.at(-1)?.image;
  if (written !== expected) {
    throw new CheckFailure(
      `L'image de base attendue est « ${expected} », le Dockerfile part de « ${written ?? "(aucun FROM)"} ». ` +
        `Écrivez « FROM ${expected} » comme première instruction.`,
    );
  }
  const base = await inspect_image(expected).catch(() => undefined);
  if (!base) throw new CheckFailure(`L'image ${expected} est absente de cette machine : lancez \`dockerlings doctor\`.`);
  const prefix = image.facts.layers.slice(0, base.layers.length);
  if (prefix.length !== base.layers.length || prefix.some((layer, i) => layer !== base.layers[i])) {
    throw new CheckFailure(`L'image construite ne repose pas sur les couches de ${expected}.`);
  }
}

/**
 * The Dockerfile's final stage declares `instruction` (not inherited from the
 * base image) and the image has it in exec form: a JSON array, no /bin/sh -c.
 * The check itself is check_exec_form (metadata.ts).
 */
export function expect_exec_form(ex: ExerciseHandle, image: BuiltImage, instruction: "CMD" | "ENTRYPOINT" = "CMD"): void {
  report(check_exec_form(ex, image, instruction));
}

export function expect_exit_code(run: RunResult, expected: number, what = "le conteneur"): void {
  if (run.timed_out) {
    throw new CheckFailure(`${what} ne s'est pas terminé dans le temps imparti : attend-il une saisie ou tourne-t-il en boucle ?`, run.stdout + run.stderr);
  }
  if (run.exit_code !== expected) {
    throw new CheckFailure(
      `${what} devait sortir avec le code ${expected}, il est sorti avec le code ${run.exit_code}.` +
        (run.exit_code === 127 ? " Le code 127 signifie « commande introuvable » : vérifiez CMD." : "") +
        (run.oom_killed ? " Il a été tué faute de mémoire." : ""),
      (run.stdout + run.stderr).trim(),
    );
  }
}

/** stdout matches every pattern. */
export function expect_output(run: RunResult, patterns: Array<string | RegExp>, what = "La sortie du programme"): void {
  const missing = patterns.filter((p) => (typeof p === "string" ? !run.stdout.includes(p) : !p.test(run.stdout)));
  if (missing.length > 0) {
    throw new CheckFailure(
      `${what} devait contenir ${missing.map((p) => (typeof p === "string" ? `« ${p} »` : String(p))).join(" et ")}, ` +
        `elle contient : ${run.stdout.trim() ? `« ${run.stdout.trim().slice(0, 200)} »` : "(rien)"}.`,
      (run.stdout + run.stderr).trim(),
    );
  }
}
