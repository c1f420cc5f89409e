import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

describe("01 — Votre premier Dockerfile", () => {
  test("l'image se construit", { meta: { points: 2 } }, async () => {
    await expect(ex).toBuild();
  });

  test("l'image part de python:3.11-slim", { meta: { points: 2 } }, async () => {
    await expect(ex).toStartFrom("python:3.11-slim");
  });

  test("lancée sans argument, elle affiche le message de bienvenue et sort avec le code 0", { meta: { points: 4 } }, async () => {
    await expect(ex).toRun({ stdout: ["Bonjour depuis un conteneur Docker !", { matches: /Python 3\.11\.\d+/, shown: "la version de Python (« Python 3.11.x »)" }] });
  });

  test("CMD est écrit en forme exec", { meta: { points: 2 } }, async () => {
    await expect(ex).toUseExecForm("CMD");
  });
});
