import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);
const dev = ex.variant({ target: "dev" });
const prod = ex.variant({ target: "prod" });
const outils = ex.variant({ dockerfile: "Dockerfile.outils" });

/** What must not reach the production image, with the reason the student reads. */
const NOT_IN_PROD = [
  { pattern: "tests/", why: "les tests, qui ne servent qu'en développement" },
  { pattern: "outils/", why: "les outils, qui ont leur propre Dockerfile" },
];

/** --target names a stage: without it, the engine's error is English; this one says what to write. */
function require_stage(name: string): void {
  const stages = ex.dockerfile().stages;
  if (stages.some((s) => s.name?.toLowerCase() === name)) return;
  const named = stages.filter((s) => s.name).map((s) => `« ${s.name} »`);
  throw new CheckFailure(
    `Le Dockerfile n'a pas d'étape nommée « ${name} » : docker build --target ${name} ne peut pas la trouver` +
      (named.length ? ` (ses étapes nommées : ${named.join(", ")})` : " (aucune de ses étapes n'a de nom)") +
      `. Une étape se nomme sur sa ligne FROM : FROM base AS ${name}.`,
  );
}

function require_outils_dockerfile(): void {
  const text = ex.submission_file("Dockerfile.outils");
  if (text === undefined) throw new CheckFailure("Il n'y a pas de fichier Dockerfile.outils : créez-le à côté du Dockerfile.");
  if (!/^\s*FROM\s/im.test(text)) {
    throw new CheckFailure(
      "Dockerfile.outils n'a pas encore d'instruction FROM : écrivez-le comme un Dockerfile (FROM python:3.11-slim, " +
        "COPY des dossiers outils/ et donnees/, ENTRYPOINT). Il se construit avec docker build -f Dockerfile.outils .",
    );
  }
}

describe("17 — Cibles de build", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("le Dockerfile a une étape dev et une étape prod", { meta: { points: 1 } }, () => {
    require_stage("dev");
    require_stage("prod");
  });

  test("--target dev : les tests sont dans l'image, et elle les lance", { meta: { points: 2 } }, async () => {
    require_stage("dev");
    await expect(dev, "La cible dev lance les tests par défaut : CMD [\"python3\", \"tests/lancer.py\"].").toRun({
      stdout: [/Ran [1-9]\d* tests?/, /^OK$/m],
      what: "La cible dev",
    });
  });

  test("--target prod : l'application tourne, sans ses tests ni ses outils", { meta: { points: 2 } }, async () => {
    require_stage("prod");
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
    require_stage("prod");
    const [plain, target] = [await ex.image(), await prod.image()];
    if (plain.id !== target.id) {
      const last = ex.dockerfile().stages.at(-1);
      throw new CheckFailure(
        `Sans --target, Docker construit la dernière étape du Dockerfile${last?.name ? ` (ici « ${last.name} »)` : ""}, ` +
          "et elle n'est pas l'étape prod. Placez l'étape prod en dernier : c'est l'image qu'on obtient par défaut.",
      );
    }
  });

  test("-f Dockerfile.outils : l'image des outils vérifie les données", { meta: { points: 2 } }, async () => {
    require_outils_dockerfile();
    await expect(outils, "ENTRYPOINT [\"python3\", \"outils/verifier.py\"] et CMD [\"donnees/salles.json\"], avec WORKDIR /app.").toRun({
      stdout: "Données valides : 4 salles",
      what: "L'image des outils",
    });
  });
});
