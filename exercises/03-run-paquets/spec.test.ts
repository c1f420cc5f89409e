import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const EXPECTED_REPORT = [
  "Boutique : Le Comptoir du Café",
  "Commande 101 (Alice) : 2 article(s), 21 €",
  "Commande 102 (Bastien) : 1 article(s), 17 €",
  "Commande 103 (Chloé) : 3 article(s), 32 €",
  "Total : 70 €",
];

describe("03 — RUN : installer des paquets", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("jq est installé et le script affiche le bon récapitulatif", { meta: { points: 3 } }, async () => {
    await expect(ex, 'Gardez rapport.sh et commandes.json tels quels et lancez-les avec CMD ["sh", "/app/rapport.sh"].').toRun({
      what: "Le récapitulatif du script rapport.sh",
      lines: EXPECTED_REPORT,
      explain: [
        {
          when: /jq est introuvable|jq: not found/,
          say: "Le script n'a pas trouvé jq dans l'image. Installez le paquet jq avec apt-get dans un RUN, avant le CMD.",
        },
      ],
    });
  });

  test("apt-get update et apt-get install sont dans le même RUN", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveInstructions({ apt: { same_run: true } });
  });

  test("les listes d'apt sont supprimées dans le même RUN que apt-get update", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveInstructions({ apt: { clean_lists: true } });
  });

  test("apt-get install est lancé avec -y et --no-install-recommends", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveInstructions({ apt: { yes: true, no_recommends: true } });
  });
});
