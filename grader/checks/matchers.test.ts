// The matcher layer, with no engine: a fake exercise handle (what a matcher
// uses of the real one) behind vitest's real expect. The exercise's advice is
// appended (read from what vitest hands a matcher: if an upgrade of vitest
// stopped handing it, the first tests here fail at once), `.not` and a subject
// that is not the exercise are the spec's mistakes named with the matcher, a
// server that does not start is the check's failure, a failed build is told
// by the build's own error.
import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { read_dockerfile } from "../dockerfile/index.js";
import type { BuildOutcome } from "../engine/build.js";
import type { GradedContainer } from "../engine/container.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { BuildFailedError, CheckFailure, SpecConfigError } from "./check.js";
import "./matchers.js";

const built: Extract<BuildOutcome, { ok: false }> = {
  ok: false,
  failure: { kind: "run-failed", message: "Ligne 2 (RUN jqq) : la commande a échoué avec le code de sortie 127.", line: 2, exit_code: 127, output_tail: ["jqq: not found"], engine_message: "" },
  steps: [],
  duration_ms: 0,
};

/** A handle as the matchers use it: its Dockerfile, its image (or its build's failure), a container that would not start. */
function fake(dockerfile: string, options: { build_fails?: boolean; start_fails?: boolean } = {}): ExerciseHandle {
  const handle = {
    id: "00-faux",
    session: "session-de-test",
    dockerfile: () => read_dockerfile(dockerfile),
    image: async () => {
      if (options.build_fails) throw new BuildFailedError(built, true);
      throw new Error("no image in this test");
    },
    container_for: async (): Promise<{ container: GradedContainer; shared: boolean }> => {
      if (options.start_fails) throw new CheckFailure("Le conteneur s'est arrêté aussitôt (code de sortie 1) au lieu de rester en marche.", "Traceback: boom");
      throw new Error("no container in this test");
    },
  };
  return handle as unknown as ExerciseHandle;
}

const one_stage = fake("FROM debian:bookworm-slim\nRUN true\n");

describe("the exercise's advice (expect's message)", () => {
  test("appended after a space to a single failure", async () => {
    const error = await expect(one_stage, "Séparez la compilation dans une étape à part.").toHaveStages(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as Error).message).toBe("Le Dockerfile a 1 étape (1 instruction FROM), attendu exactement 2. Construisez dans une première étape (FROM image-de-build AS build) et copiez seulement le résultat dans l'étape finale (COPY --from=build …). Séparez la compilation dans une étape à part.");
  });

  test("on a line of its own after several failures", async () => {
    const two_findings = fake("FROM python:3.11-slim\nRUN apt-get update && apt-get install -y jq\n");
    const error = await expect(two_findings, "Nettoyez les listes d'apt dans la même instruction.").toPassLint({ rules: ["DL3009", "DL3015"] }).catch((e: unknown) => e);
    const lines = (error as Error).message.split("\n");
    expect(lines).toEqual([expect.stringMatching(/^- Ligne 2 \(DL3009\) : /), expect.stringMatching(/^- Ligne 2 \(DL3015\) : /), "Nettoyez les listes d'apt dans la même instruction."]);
    expect((error as CheckFailure).facts).toEqual([
      { kind: "lint", code: "DL3009", severity: "info", line: 2 },
      { kind: "lint", code: "DL3015", severity: "info", line: 2 },
    ]);
  });

  test("a passing check passes, and without advice the failure is the check's own words", async () => {
    await expect(one_stage).toHaveStages(1);
    await expect(expect(one_stage).toHaveStages(3)).rejects.toThrow(/^Le Dockerfile a 1 étape \(1 instruction FROM\), attendu exactement 3\.[^\n]*\.$/);
  });
});

test("vitest is pinned to the one version installed: the advice is read through MatcherState.assertion, which vitest marks experimental", () => {
  // An experimental field may change in any release, a patch included: a
  // range in package.json would let an install take a vitest that hands the
  // matcher no assertion, and every exercise would lose its advice with no
  // error. Upgrade by hand, on purpose, with the tests above run.
  const pinned = (JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> }).dependencies.vitest;
  expect(pinned, "package.json: vitest must be an exact version, not a range (see grader/checks/matchers.ts, advice_of)").toMatch(/^\d+\.\d+\.\d+$/);
  const installed = (JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve("vitest/package.json"), "utf8")) as { version: string }).version;
  expect(installed, "the installed vitest is not the pinned one: run npm ci").toBe(pinned);
});

describe("what a spec writes wrong is the spec's error, named with the matcher", () => {
  test(".not is refused", async () => {
    await expect(expect(one_stage).not.toHaveStages(2)).rejects.toThrow(new SpecConfigError("ne s'écrit pas avec .not : écrivez la vérification positive qui dit ce qui est attendu.", "toHaveStages"));
  });

  test("a subject that is not the exercise", async () => {
    await expect(expect("Dockerfile").toBuild()).rejects.toThrow(/^Erreur dans le spec de l'exercice \(pas dans votre Dockerfile\) : toBuild : expect\(\) prend l'exercice/);
  });

  test("an impossible option, said by the check, is named with the matcher the spec wrote", async () => {
    const error = await expect(one_stage).toHaveStages({ min: 3, max: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecConfigError);
    expect((error as SpecConfigError).matcher).toBe("toHaveStages");
    expect((error as Error).message).toBe("Erreur dans le spec de l'exercice (pas dans votre Dockerfile) : toHaveStages : min 3 dépasse max 1.");
  });
});

describe("what the handle could not give", () => {
  test("a server that does not start is the check's failure, with the advice and its logs", async () => {
    const error = await expect(fake("FROM scratch\n", { start_fails: true }), "Lancez le serveur au premier plan.")
      .toExec({ command: ["true"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailure);
    expect(error).not.toBeInstanceOf(SpecConfigError);
    expect((error as CheckFailure).message).toBe("Le conteneur s'est arrêté aussitôt (code de sortie 1) au lieu de rester en marche. Lancez le serveur au premier plan.");
    expect((error as CheckFailure).output).toBe("Logs du conteneur :\nTraceback: boom");
  });

  test("a failed build is the build's own error: its words and facts, the advice of another check not added", async () => {
    const error = await expect(fake("FROM debian:bookworm-slim\n", { build_fails: true }), "Conseil d'un autre check.").toHaveEnv({ A: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toBe("L'image ne se construit pas.\nLigne 2 (RUN jqq) : la commande a échoué avec le code de sortie 127.");
    expect((error as CheckFailure).output).toBe("jqq: not found");
    expect((error as CheckFailure).facts).toEqual([{ kind: "build_failure", failure: "run-failed", line: 2, exit_code: 127, output: ["jqq: not found"] }]);
  });
});
