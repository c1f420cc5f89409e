import { describe, test, expect } from "vitest";
import { use_exercise, type RunExpectation } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const DEFAULTS: Record<string, string> = { BOUTIQUE_NOM: "Épicerie du Marché", SEUIL_ALERTE: "5" };
const OVERRIDES: Record<string, string> = { BOUTIQUE_NOM: "Chez Test", SEUIL_ALERTE: "12" };

/** The lines a run with these settings must print. */
const expected_lines = (settings: Record<string, string>, to_order: number): string[] => [
  `Inventaire — ${settings.BOUTIQUE_NOM} (seuil d'alerte : ${settings.SEUIL_ALERTE})`,
  `À commander : ${to_order} article(s)`,
];

// What the program's own errors mean, in the lesson's words.
const EXPLAIN: RunExpectation["explain"] = [
  { when: /n'est pas définie/, say: "Le programme ne trouve pas ses réglages : déclarez-les avec ENV dans le Dockerfile." },
  { when: /introuvable dans le dossier courant/, say: "Le programme ne tourne pas dans son dossier : fixez le répertoire de travail avec WORKDIR /app." },
  { when: /can't open file/, say: "python3 ne trouve pas inventaire.py dans le dossier courant : fixez le répertoire de travail avec WORKDIR /app." },
];

const overridden = `Avec -e BOUTIQUE_NOM="${OVERRIDES.BOUTIQUE_NOM}" -e SEUIL_ALERTE=${OVERRIDES.SEUIL_ALERTE}, le rapport`;

describe("06 — ENV et WORKDIR", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("les valeurs par défaut des réglages sont déclarées dans l'image (ENV)", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveEnv(DEFAULTS);
  });

  test("lancée sans -e, l'image produit le rapport avec les valeurs par défaut", { meta: { points: 2 } }, async () => {
    await expect(ex).toRun({ what: "Le rapport", stdout: expected_lines(DEFAULTS, 3), explain: EXPLAIN });
  });

  test("-e au lancement remplace les valeurs par défaut", { meta: { points: 2 } }, async () => {
    await expect(
      ex,
      "Les valeurs ne doivent être fixées que par ENV : une valeur écrite dans CMD (env VAR=..., VAR=... python3) écrase celle donnée avec -e.",
    ).toRun({ env: OVERRIDES, what: overridden, stdout: expected_lines(OVERRIDES, 5), explain: EXPLAIN });
  });

  test("le répertoire de travail est un chemin absolu fixé par WORKDIR, où le programme écrit son rapport", { meta: { points: 3 } }, async () => {
    await expect(ex).toHaveWorkdir();
    const working_dir = (await ex.image()).facts.config.working_dir.replace(/\/$/, "");
    await expect(ex, "Lancez le programme depuis le répertoire de travail, sans cd.").toRun({
      env: OVERRIDES,
      what: "Le programme",
      stdout: `Rapport écrit dans ${working_dir}/rapports/inventaire.txt`,
      explain: EXPLAIN,
    });
  });
});
