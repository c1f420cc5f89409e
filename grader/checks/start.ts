// The server starts: the container runs its program. A start refused by the
// engine is explained; one case needs the image's files to be told apart:
// "no such file or directory" about a program that IS in the image means the
// kernel could not find its interpreter, the C library's loader, absent from
// images such as scratch.
import { outcome, type CheckOutcome } from "./check.js";
import { with_image_files } from "../engine/files.js";
import { BuildFailedError, CheckFailure, type ExerciseHandle } from "../spec/use-exercise.js";
import type { ContainerOptions } from "./behaviour.js";

/**
 * The image starts as a server with these options (shared with the file's
 * other checks that ask for the same options).
 * @example await check_starts(ex, { ports: [8080] })
 */
export async function check_starts(ex: ExerciseHandle, options: ContainerOptions = {}): Promise<CheckOutcome> {
  try {
    await ex.server(options);
    return outcome([]);
  } catch (error) {
    if (!(error instanceof CheckFailure) || error instanceof BuildFailedError) throw error;
    const text = `${error.message}\n${error.output ?? ""}`;
    if (/no such file or directory/i.test(text)) {
      const image = await ex.image();
      const program = [...(image.facts.config.entrypoint ?? []), ...(image.facts.config.cmd ?? [])][0];
      const there =
        program?.startsWith("/") &&
        (await with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, async (files) => (await files.stat(program))?.type === "file"));
      if (there) {
        return outcome(
          [
            `Le conteneur n'a pas pu lancer le programme : « no such file or directory », alors que ${program} est bien dans l'image. ` +
              "C'est le signe d'un binaire lié dynamiquement à la bibliothèque C (glibc) : il cherche son chargeur " +
              "(/lib64/ld-linux-x86-64.so.2), qui n'existe pas dans l'image (scratch n'a aucune bibliothèque). " +
              "Compilez un binaire statique, ou partez d'une image qui a la bibliothèque C.",
          ],
          error.output,
        );
      }
    }
    return outcome([error.message], error.output);
  }
}
