// The server starts: the container runs its program. A start refused by the
// engine is explained; two cases need the image's files to be told apart:
// "no such file or directory" about a program that IS in the image means the
// kernel could not find its interpreter, the C library's loader, absent from
// images such as scratch; a shell-form command on an image without /bin/sh
// ends at once with code 127.
//
// What it relies on: that the container did not start is the engine's fact;
// its words only choose the explanation, and the image's files (is the
// program there? is /bin/sh?) tell the cases apart, not the words alone.
import { outcome, type CheckOutcome } from "./check.js";
import { with_image_files } from "../engine/files.js";
import type { ContainerChoice, ExerciseHandle } from "../spec/use-exercise.js";
import type { CheckFailure } from "./check.js";
import { validate_start, is_server } from "./containers.js";

/** A CheckFailure thrown by a start (ex.container_for), recognised without importing the class (grader/checks/ gets only types from grader/spec/). */
function is_start_failure(error: unknown): error is CheckFailure {
  return error instanceof Error && error.name === "CheckFailure";
}

/**
 * The image starts: the server given (which then stays up for the file's
 * other checks given it), or a container of the check's own, removed after.
 * @example await check_starts(ex, ex.server({ ports: [8080] }))
 */
export async function check_starts(ex: ExerciseHandle, choice?: ContainerChoice): Promise<CheckOutcome> {
  if (choice && !is_server(choice)) validate_start(choice);
  try {
    const { container, shared } = await ex.container_for(choice);
    if (!shared) await container.remove();
    return outcome([]);
  } catch (error) {
    // The student's failure to start, told by its name (a build failure, BuildFailedError, is the build check's to report).
    if (!is_start_failure(error)) throw error;
    const text = `${error.message}\n${error.output ?? ""}`;
    const image = await ex.image();
    const config = image.facts.config;
    const command = [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
    const is_file = (file: string) =>
      with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, async (files) => (await files.stat(file))?.type === "file");
    // A shell form on an image without a shell: Docker runs /bin/sh -c, which is not there (exit code 127).
    if (command[0] === "/bin/sh" && command[1] === "-c" && /code de sortie 127|no such file or directory/i.test(text) && !(await is_file("/bin/sh"))) {
      const instruction = config.entrypoint?.length ? "ENTRYPOINT" : "CMD";
      const words = command.slice(2).join(" ").trim().split(/\s+/).filter(Boolean);
      return outcome(
        [
          `${error.message} La commande est en forme shell : Docker lance /bin/sh -c …, et l'image n'a pas de shell (pas de /bin/sh). ` +
            `Écrivez-la en forme exec : ${instruction} ${JSON.stringify(words).replace(/","/g, '", "')}.`,
        ],
        error.output,
      );
    }
    if (/no such file or directory/i.test(text)) {
      const program = command[0];
      const there = program?.startsWith("/") && (await is_file(program));
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
