// check_run without an engine: the run's result given by a fake exercise.
// Its exit code and output against what the spec expects, the limits it met
// as facts, a command the engine cannot start and a shell-form CMD appended to
// an ENTRYPOINT said in words. run.docker.test.ts… is the engine's part:
// containers.docker.test.ts runs real containers.
import { describe, expect, test } from "vitest";
import { fake_exercise, image_facts, run_result } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_run, explain_start_error } from "./run.js";

describe("check_run", () => {
  test("the output and the exit code expected: passes; each run of a list is checked", async () => {
    const ex = fake_exercise({ run: (args) => run_result({ stdout: `Bonjour, ${args?.[1] ?? "monde"} !\n` }) });
    expect(await check_run(ex, { stdout: "Bonjour, monde !" })).toMatchObject({ ok: true });
    const both = await check_run(ex, [{ args: ["--nom", "Alice"], stdout: "Bonjour, Alice !" }, { args: ["--nom", "Bob"], stdout: "Bonjour, Alice !" }]);
    expect(both.failures).toEqual(["docker run <image> --nom Bob : attendu dans la sortie « Bonjour, Alice ! » ; sortie obtenue : « Bonjour, Bob ! »."]);
  });

  test("lines are compared without the spaces around them; a wrong exit code is said with the output", async () => {
    const ex = fake_exercise({ run: () => run_result({ stdout: "  total: 3  \nfin\n", exit_code: 2, stderr: "oups" }) });
    expect((await check_run(ex, { lines: ["total: 3"], exit_code: 2 })).ok).toBe(true);
    const wrong = await check_run(ex, { exit_code: 0, what: "Le rapport" });
    expect(wrong.failures).toEqual(["Le rapport : code de sortie attendu 0, obtenu 2 ; sortie : « total: 3 ⏎ fin ⏎ oups ». Le programme a signalé une erreur : lisez ses logs ci-dessous."]);
    expect(wrong.output).toBe("total: 3  \nfin\noups");
  });

  test("a run stopped at its time limit, and one killed for memory: said, and as limit facts", async () => {
    const slow = await check_run(fake_exercise({ run: () => run_result({ timed_out: true, exit_code: 137 }) }));
    expect(slow.failures[0]).toMatch(/^docker run <image> : le programme ne s'est pas terminé dans le temps imparti\. Attend-il une saisie/);
    expect(slow.facts).toEqual([{ kind: "limit", limit: "time" }]);
    const oom = await check_run(fake_exercise({ run: () => run_result({ oom_killed: true, exit_code: 137 }) }));
    expect(oom.failures).toEqual(["docker run <image> : code de sortie attendu 0, obtenu 137 ; sortie : (rien). Il a été tué faute de mémoire (limite dépassée)."]);
    expect(oom.facts).toEqual([{ kind: "limit", limit: "memory" }]);
    const forks = await check_run(fake_exercise({ run: () => run_result({ exit_code: 1, stderr: "bash: fork: retry: Resource temporarily unavailable\n" }) }));
    expect(forks.facts).toEqual([{ kind: "limit", limit: "pids" }]);
  });

  test("`explain` adds what a known error of the program means", async () => {
    const ex = fake_exercise({ run: () => run_result({ exit_code: 1, stderr: "ModuleNotFoundError: No module named 'flask'" }) });
    const result = await check_run(ex, { explain: [{ when: /ModuleNotFoundError/, say: "Installez les dépendances (pip install -r requirements.txt)." }] });
    expect(result.failures[0]).toMatch(/ Installez les dépendances \(pip install -r requirements\.txt\)\.$/);
  });

  test("a shell-form CMD after an ENTRYPOINT: the program got /bin/sh -c as arguments", async () => {
    const image = image_facts({ entrypoint: ["python3", "/app/salut.py"], cmd: ["/bin/sh", "-c", '["--nom", "Alice"]'] });
    const ex = fake_exercise({ image, run: () => run_result({ exit_code: 2, stderr: "salut.py: error: unrecognized arguments: /bin/sh -c" }) });
    const result = await check_run(ex, { stdout: "Bonjour" });
    expect(result.failures[0]).toMatch(/^docker run <image> : le programme a reçu les arguments « \/bin\/sh -c \["--nom", "Alice"\] », ceux d'un CMD en forme shell/);
  });

  test("a command the engine cannot start is explained, not a crash", async () => {
    const ex = fake_exercise({ run: () => new Error('exec: "--nom": executable file not found in $PATH') });
    const result = await check_run(ex, { args: ["--nom", "Alice"] });
    expect(result.failures[0]).toMatch(/^docker run <image> --nom Alice n'a pas pu démarrer : Docker a cherché une commande nommée « --nom »/);
    await expect(check_run(fake_exercise({ run: () => new Error("engine exploded") }))).rejects.toThrow("engine exploded");
  });

  test("an impossible exit code or an empty pattern is the spec's mistake", async () => {
    const ex = fake_exercise();
    await expect(check_run(ex, { exit_code: 300 })).rejects.toThrow(SpecConfigError);
    await expect(check_run(ex, { stdout: "" })).rejects.toThrow(/un texte à chercher est vide/);
  });

  test("the engine's refusals in words", () => {
    expect(explain_start_error('exec: "python3 app.py": executable file not found in $PATH', "docker run <image>")).toMatch(/espaces compris/);
    expect(explain_start_error("exec /app/run.sh: permission denied", "docker run <image>")).toMatch(/n'est pas exécutable.*chmod 755 \/app\/run\.sh/);
    expect(explain_start_error("something else", "docker run <image>")).toBeUndefined();
  });
});
