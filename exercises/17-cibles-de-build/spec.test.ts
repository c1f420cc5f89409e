import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);
const dev = ex.variant({ target: "dev" });
const prod = ex.variant({ target: "prod" });
const outils = ex.variant({ dockerfile: "Dockerfile.outils" });

/** What must not reach the production image, with the reason the student reads. */
const NOT_IN_PROD = [
  { pattern: "tests/", why: "les tests, qui ne servent qu'en développement" },
  { pattern: "outils/", why: "les outils, qui ont leur propre Dockerfile" },
];

describe("17 — Cibles de build", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("le Dockerfile a une étape dev et une étape prod", { meta: { points: 1 } }, async () => {
    await expect(ex).toHaveStagesNamed(["dev", "prod"]);
  });

  test("--target dev : les tests sont dans l'image, et elle les lance", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveStagesNamed(["dev"]);
    await expect(dev, "La cible dev lance les tests par défaut : CMD [\"python3\", \"tests/lancer.py\"].").toRun({
      stdout: [
        { matches: /Ran [1-9]\d* tests?/, shown: "le nombre de tests lancés (« Ran 4 tests »)" },
        { matches: /^OK$/m, shown: "« OK » seul sur une ligne (tous les tests passent)" },
      ],
      what: "La cible dev",
    });
  });

  test("--target prod : l'application tourne, sans ses tests ni ses outils", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveStagesNamed(["prod"]);
    await expect(prod).toRun({
      stdout: "Réservations (prod) : 2 salles libres sur 4",
      what: "La cible prod",
      explain: [{ when: /No module named app/, say: "L'application n'est pas dans l'étape prod : faites-la partir de l'étape commune (FROM base AS prod)." }],
    });
    await expect(prod, "La cible prod part de l'étape base, sans COPY . . : seuls app/ et donnees/ y entrent.").toLeaveOutOfImage({
      deny: NOT_IN_PROD,
    });
  });

  test("sans --target, docker build donne l'image de prod", { meta: { points: 2 } }, async () => {
    await expect(ex).toBuildTargetByDefault("prod");
  });

  test("-f Dockerfile.outils : l'image des outils vérifie les données", { meta: { points: 2 } }, async () => {
    await expect(outils, "Il part de python:3.11-slim, copie les dossiers outils/ et donnees/ et lance le vérificateur par son ENTRYPOINT.").toHaveDockerfile();
    await expect(outils, "ENTRYPOINT [\"python3\", \"outils/verifier.py\"] et CMD [\"donnees/salles.json\"], avec WORKDIR /app.").toRun({
      stdout: "Données valides : 4 salles",
      what: "L'image des outils",
    });
  });
});
