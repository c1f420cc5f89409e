import { describe, test, expect } from "vitest";
import { use_exercise, expect_exit_code, expect_output, check_files, report, outcome } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

describe("12 — Déboguer un build", () => {
  // The lesson is in this check's message: the grader's explanation of the
  // first error of the build (line, cause, what to change).
  test("l'image se construit", { meta: { points: 5 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("catalogue.json est fabriqué pendant le build par csv-vers-json", { meta: { points: 2 } }, async () => {
    const result = await check_files(ex, {
      path: "/app/catalogue.json",
      type: "file",
      contains: ['"reference": "CAF-001"', '"nom": "Moulin à café manuel"'],
    });
    // The file is made by a RUN, not copied: the library's "check COPY's
    // destination" advice would send the student the wrong way.
    report(
      outcome(
        result.failures.map((f) =>
          /n'existe pas/.test(f)
            ? "/app/catalogue.json n'existe pas dans l'image : il n'est pas dans le dossier de l'exercice, c'est l'étape " +
              "« RUN csv-vers-json produits.csv catalogue.json » qui le fabrique, dans le WORKDIR /app. Gardez cette étape " +
              "(ne la supprimez pas pour que le build passe) et placez-la après le RUN pip install qui installe csv-vers-json."
            : f,
        ),
        result.output,
      ),
    );
  });

  test("lancée sans argument, elle affiche le catalogue et sort avec le code 0", { meta: { points: 3 } }, async () => {
    const run = await ex.run();
    expect_exit_code(run, 0, "Le programme app.py");
    expect_output(run, ["Catalogue : 4 produits", "Moulin à café manuel", "Valeur du stock : 559,50 €"]);
  });
});
