import { describe, test, expect } from "vitest";
import { use_exercise, expect_base_image, expect_exec_form, expect_exit_code, expect_output } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

describe("01 — Votre premier Dockerfile", () => {
  test("l'image se construit", { meta: { points: 2 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("l'image part de python:3.11-slim", { meta: { points: 2 } }, async () => {
    await expect_base_image(ex, await ex.image(), "python:3.11-slim");
  });

  test("lancée sans argument, elle affiche le message de bienvenue et sort avec le code 0", { meta: { points: 4 } }, async () => {
    const run = await ex.run();
    expect_exit_code(run, 0);
    expect_output(run, ["Bonjour depuis un conteneur Docker !", /Python 3\.11\.\d+/]);
  });

  test("CMD est écrit en forme exec", { meta: { points: 2 } }, async () => {
    expect_exec_form(ex, await ex.image(), "CMD");
  });
});
