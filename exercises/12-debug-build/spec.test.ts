import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

describe("12 — Déboguer un build", () => {
  // The lesson is in this check's message: the grader's explanation of the
  // first error of the build (line, cause, what to change).
  test("l'image se construit", { meta: { points: 5 } }, async () => {
    await expect(ex).toBuild();
  });

  test("catalogue.json est fabriqué pendant le build par csv-vers-json", { meta: { points: 2 } }, async () => {
    await expect(
      ex,
      "catalogue.json n'est pas dans le dossier de l'exercice : c'est l'instruction « RUN csv-vers-json produits.csv catalogue.json » " +
        "qui le fabrique, dans le WORKDIR /app. Gardez cette instruction (ne la supprimez pas pour que le build passe) et placez-la " +
        "après le RUN pip install qui installe csv-vers-json.",
    ).toHaveFiles({
      path: "/app/catalogue.json",
      type: "file",
      contains: ['"reference": "CAF-001"', '"nom": "Moulin à café manuel"'],
    });
  });

  test("lancée sans argument, elle affiche le catalogue et sort avec le code 0", { meta: { points: 3 } }, async () => {
    await expect(ex).toRun({ exit_code: 0, stdout: ["Catalogue : 4 produits", "Moulin à café manuel", "Valeur du stock : 559,50 €"] });
  });
});
