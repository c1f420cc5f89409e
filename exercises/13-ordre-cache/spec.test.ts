import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

// The dependency step, however the student writes it: pip, pip3 or python3 -m pip.
const PIP_INSTALL = { matches: /\bpip3?\s+install\b|-m\s+pip\s+install\b/, shown: "l'installation des dépendances (pip install)" };

describe("13 — Ordonner pour le cache", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("lancée sans argument, elle affiche le récapitulatif du panier", { meta: { points: 2 } }, async () => {
    await expect(ex).toRun({
      exit_code: 0,
      what: "Le programme panier.py",
      stdout: ["Panier n° 2024-001", "- 2 x Café moulu 250 g : 13,80 €", "Total : 39,30 €"],
    });
  });

  test("après une modification de panier.py seul, l'installation des dépendances vient du cache", { meta: { points: 4 } }, async () => {
    await expect(ex).toRebuildAfterChange({
      change: { "panier.py": (code) => `${code ?? ""}\n# Une modification du code de l'application.\n` },
      cached: PIP_INSTALL,
    });
  });

  test("après une modification de requirements.txt, l'installation des dépendances est refaite", { meta: { points: 3 } }, async () => {
    await expect(ex).toRebuildAfterChange({
      // A new dependency, shipped in wheels/ like the first one.
      change: { "requirements.txt": (list) => `${list ?? ""}remises==1.0.0\n` },
      rebuilt: PIP_INSTALL,
    });
  });
});
