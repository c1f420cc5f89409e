import { describe, test, expect } from "vitest";
import { use_exercise, expect_exec_form, expect_exit_code, CheckFailure, BuildFailedError } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const show_args = (args: string[]): string => args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ");

/**
 * `docker run --rm IMAGE args...`. When the engine cannot even start the
 * command (the arguments replaced the whole CMD and "--nom" is no program),
 * the student gets the reason in words instead of the engine's error.
 */
async function run_with(args?: string[]) {
  try {
    return await ex.run(args);
  } catch (error) {
    const message = (error as Error).message;
    const missing = /exec: "([^"]*)": executable file not found|exec: "([^"]*)": stat [^:]*: no such file/i.exec(message);
    if (missing) {
      const command = missing[1] ?? missing[2] ?? "";
      throw new CheckFailure(
        `docker run <image> ${show_args(args ?? [])} n'a pas pu démarrer : Docker a cherché une commande nommée « ${command} ». ` +
          (command.startsWith("-")
            ? "Les arguments écrits après le nom de l'image remplacent tout le CMD. Mettez le programme dans " +
              'ENTRYPOINT ["python3", "/app/salut.py"] et gardez dans CMD seulement les arguments par défaut.'
            : "Vérifiez le chemin du programme dans ENTRYPOINT."),
        message,
      );
    }
    throw error;
  }
}

const shown = (text: string): string => {
  const one_line = text.trim().replace(/\s*\n\s*/g, " ⏎ ");
  return one_line ? `« ${one_line.length > 120 ? one_line.slice(0, 120) + "…" : one_line} »` : "(rien)";
};

describe("05 — CMD et ENTRYPOINT", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("lancée sans argument, l'image affiche l'aide du programme", { meta: { points: 2 } }, async () => {
    const run = await run_with();
    const refused = /unrecognized arguments: (.*)/.exec(run.stderr)?.[1]?.trim();
    if (refused) {
      throw new CheckFailure(
        `docker run <image> devait afficher l'aide, mais le programme a refusé les arguments « ${refused} ». ` +
          (/\/bin\/sh -c/.test(refused)
            ? "Ce sont ceux d'un CMD en forme shell (/bin/sh -c ...), ajoutés à l'ENTRYPOINT. "
            : "") +
          'Écrivez CMD en forme exec, un tableau JSON avec des guillemets doubles : CMD ["--help"].',
        run.stderr.trim(),
      );
    }
    if (!/usage: salut/.test(run.stdout)) {
      throw new CheckFailure(
        `docker run <image> devait afficher l'aide (« usage: salut ... »), il affiche ${shown(run.stdout + run.stderr)}. ` +
          'Les arguments par défaut du programme vont dans CMD, en forme exec : CMD ["--help"].',
        (run.stdout + run.stderr).trim(),
      );
    }
    expect_exit_code(run, 0, "docker run <image> (l'aide)");
  });

  test("les arguments écrits après le nom de l'image arrivent au programme", { meta: { points: 3 } }, async () => {
    const failures: string[] = [];
    const cases: Array<{ args: string[]; expected: string }> = [
      { args: ["--nom", "Alice"], expected: "Bonjour, Alice !" },
      // A space inside one argument: a shell in between would split it in two.
      { args: ["--nom", "Jean Dupont", "--langue", "es"], expected: "Hola, Jean Dupont !" },
    ];
    for (const c of cases) {
      const run = await run_with(c.args);
      if (run.exit_code !== 0 || !run.stdout.includes(c.expected)) {
        failures.push(
          `docker run <image> ${show_args(c.args)} devait afficher « ${c.expected} » (code 0), ` +
            `il affiche ${shown(run.stdout + run.stderr)} (code ${run.exit_code}).`,
        );
      }
    }
    if (failures.length > 0) {
      throw new CheckFailure(
        failures.join("\n") +
          "\nLes arguments après le nom de l'image remplacent CMD et s'ajoutent à ENTRYPOINT, à condition qu'ENTRYPOINT " +
          'soit en forme exec : ENTRYPOINT ["python3", "/app/salut.py"]. En forme shell, ils sont ignorés.',
      );
    }
  });

  test("ENTRYPOINT et CMD sont écrits en forme exec", { meta: { points: 2 } }, async () => {
    const image = await ex.image();
    const failures: string[] = [];
    for (const instruction of ["ENTRYPOINT", "CMD"] as const) {
      try {
        expect_exec_form(ex, image, instruction);
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        failures.push(error.message);
      }
    }
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));
  });

  test("le programme est le processus 1 du conteneur et s'arrête aussitôt sur docker stop", { meta: { points: 2 } }, async () => {
    // --attendre keeps the program running until it gets a signal.
    let container;
    try {
      container = await ex.start({ args: ["--attendre"], wait_for: "running" });
    } catch (error) {
      if (!(error instanceof CheckFailure) || error instanceof BuildFailedError) throw error;
      throw new CheckFailure(
        "docker run <image> --attendre devait garder le programme en marche jusqu'à docker stop. " + error.message +
          ' Les arguments n\'arrivent-ils pas au programme ? ENTRYPOINT ["python3", "/app/salut.py"], en forme exec.',
        error.output,
      );
    }
    // The program sets its signal handlers before saying it waits.
    let logs = "";
    for (let i = 0; i < 50; i++) {
      logs = await container.logs();
      if (/En attente d'un signal/.test(logs) || !(await container.running())) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!/En attente d'un signal/.test(logs)) {
      throw new CheckFailure(
        `docker run <image> --attendre devait garder le programme en marche jusqu'à docker stop, il affiche ${shown(logs)} ` +
          "et s'arrête : l'argument --attendre n'est pas arrivé au programme. " +
          'ENTRYPOINT doit être en forme exec : ENTRYPOINT ["python3", "/app/salut.py"].',
        logs.trim(),
      );
    }
    const pid1 = await container.exec(["cat", "/proc/1/cmdline"]);
    const command = pid1.output.split("\0").filter(Boolean);
    const failures: string[] = [];
    if (!command.some((part) => part.endsWith("salut.py")) || /(^|\/)(ba|da)?sh$/.test(command[0] ?? "")) {
      failures.push(
        `Le processus 1 du conteneur est « ${command.join(" ")} », pas le programme : un shell s'intercale, ` +
          "et c'est lui qui reçoit le signal de docker stop, sans le transmettre. " +
          'Lancez le programme directement avec ENTRYPOINT ["python3", "/app/salut.py"] (forme exec)' +
          (command.some((part) => part.endsWith(".sh")) ? ", ou terminez le script de démarrage par exec python3 /app/salut.py \"$@\"." : "."),
      );
    }
    const stopped = await container.stop(10);
    logs = await container.logs();
    if (stopped.duration_ms > 5000 || !/au revoir/.test(logs)) {
      failures.push(
        `docker stop a mis ${(stopped.duration_ms / 1000).toFixed(1)} s (5 s au plus attendu) : le programme n'a pas reçu SIGTERM` +
          (stopped.exit_code === 137 ? ", et Docker a fini par le tuer (SIGKILL, code 137)" : "") +
          ". Le programme doit être le processus 1 : ENTRYPOINT en forme exec.",
      );
    }
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"), logs.trim());
  });
});
