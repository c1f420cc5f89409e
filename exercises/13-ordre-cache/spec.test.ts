import { describe, test, expect } from "vitest";
import { use_exercise, expect_exit_code, expect_output, expect_cache_after_change } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

// The dependency step, however the student writes it: pip, pip3 or python3 -m pip.
const PIP_INSTALL = /\bpip3?\s+install\b|-m\s+pip\s+install\b/;

describe("13 — Ordonner pour le cache", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("lancée sans argument, elle affiche le récapitulatif du panier", { meta: { points: 2 } }, async () => {
    const run = await ex.run();
    expect_exit_code(run, 0, "Le programme panier.py");
    expect_output(run, ["Panier n° 2024-001", "- 2 x Café moulu 250 g : 13,80 €", "Total : 39,30 €"]);
  });

  test("après une modification de panier.py seul, l'installation des dépendances vient du cache", { meta: { points: 4 } }, async () => {
    await expect_cache_after_change(ex, {
      change: { "panier.py": (code) => `${code ?? ""}\n# Une modification du code de l'application.\n` },
      cached: PIP_INSTALL,
    });
  });

  test("après une modification de requirements.txt, l'installation des dépendances est refaite", { meta: { points: 3 } }, async () => {
    await expect_cache_after_change(ex, {
      // A new dependency, shipped in wheels/ like the first one.
      change: { "requirements.txt": (list) => `${list ?? ""}remises==1.0.0\n` },
      rebuilt: PIP_INSTALL,
    });
  });
});
