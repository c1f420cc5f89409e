import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const EXEC_ENTRYPOINT = 'ENTRYPOINT ["python3", "/app/salut.py"]';
// `--attendre` keeps the program running until it gets a signal; it says so once its handlers are set.
const WAITING = { args: ["--attendre"], wait_for: { log: /En attente d'un signal/ } };

describe("05 — CMD et ENTRYPOINT", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("lancée sans argument, l'image affiche l'aide du programme", { meta: { points: 2 } }, async () => {
    await expect(ex, 'Les arguments par défaut du programme vont dans CMD, en forme exec : CMD ["--help"].').toRun({ stdout: "usage: salut" });
  });

  test("les arguments écrits après le nom de l'image arrivent au programme", { meta: { points: 3 } }, async () => {
    await expect(
      ex,
      "Les arguments après le nom de l'image remplacent CMD et s'ajoutent à ENTRYPOINT, à condition qu'ENTRYPOINT " +
        `soit en forme exec : ${EXEC_ENTRYPOINT}. En forme shell, ils sont ignorés.`,
    ).toRun([
      { args: ["--nom", "Alice"], stdout: "Bonjour, Alice !" },
      // A space inside one argument: a shell in between would split it in two.
      { args: ["--nom", "Jean Dupont", "--langue", "es"], stdout: "Hola, Jean Dupont !" },
    ]);
  });

  test("ENTRYPOINT et CMD sont écrits en forme exec", { meta: { points: 2 } }, async () => {
    await expect(ex).toUseExecForm("ENTRYPOINT", "CMD");
  });

  test("le programme est le processus 1 du conteneur et s'arrête aussitôt sur docker stop", { meta: { points: 2 } }, async () => {
    const advice = `docker run <image> --attendre garde le programme en marche jusqu'à docker stop, s'il reçoit ses arguments et le signal : ${EXEC_ENTRYPOINT}, en forme exec.`;
    await expect.soft(ex, advice).toRunProcess({ program: /(^|\/)python(3(\.\d+)?)?\s(.*\s)?\S*salut\.py(\s|$)/, shown: "python3 /app/salut.py" }, { container: WAITING });
    await expect.soft(ex, advice).toStopOnSigterm({ within_s: 5, container: WAITING });
  });
});
