import { describe, test, expect } from "vitest";
import { use_exercise, ABSENT, PRESENT } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const PORT = 8000;
// One server for the checks that only observe it (API, user), shared by them;
// the checks that stop it or start it otherwise have containers of their own.
const server = ex.server({ ports: [PORT] });
const own = { ports: [PORT] };
// What the Dockerfile adds above its base. The solution adds 30 Ko; running pip
// in the locally built python:3.11-slim also writes pip's own .pyc files
// (10,6 Mo) unless PYTHONDONTWRITEBYTECODE is set, which the budget allows.
// An apt-get install left with its lists (20 Mo and more) does not fit.
const MAX_ADDED_MB = 20;
const PIP_INSTALL = { matches: /\bpip3?\s+install\b|-m\s+pip\s+install\b/, shown: "l'installation des dépendances (pip install)" };

describe("16 — Une image prête pour la production", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("l'image de base a un tag précis (pas latest)", { meta: { points: 1 } }, async () => {
    await expect(ex).toPinBaseImage();
  });

  test("l'API répond : GET /produits donne le catalogue", { meta: { points: 2 } }, async () => {
    await expect(ex).toServeHttp({
      port: PORT,
      path: "/produits",
      body: ['"reference": "MOU-004"', '"prix_affiche": "34,90 €"'],
      headers: { "content-type": "application/json" },
    }, { container: server });
  });

  test("elle tourne sous un utilisateur non-root", { meta: { points: 2 } }, async () => {
    await expect(ex).toRunAs({ non_root: true });
    await expect(ex).toServeAs({ non_root: true }, { container: server });
  });

  test(`le port ${PORT} est exposé`, { meta: { points: 1 } }, async () => {
    await expect(ex).toExpose(PORT);
  });

  test("les réglages viennent de l'environnement, avec des valeurs par défaut dans l'image", { meta: { points: 2 } }, async () => {
    await expect.soft(ex).toHaveEnv({ PORT: String(PORT), BOUTIQUE_NOM: PRESENT });
    await expect.soft(ex).toHonourEnv({
      env: { BOUTIQUE_NOM: "Boutique de recette" },
      probe: { port: PORT, path: "/" },
      expect: '"boutique": "Boutique de recette"',
      container: own,
    });
  });

  test("le HEALTHCHECK déclare le conteneur « healthy », et échoue quand l'API ne tourne pas", { meta: { points: 2 } }, async () => {
    // The interval first: with Docker's 30 s default the verdict would depend on timing.
    await expect(ex).toHaveHealthcheck({ max_interval: 10 });
    // A container of its own, the deadline counted from its start; and one where
    // the API does not run, in which the test must fail (a test of nothing, CMD
    // ["true"], would say « healthy » there too).
    await expect(ex).toBecomeHealthy({ container: own, deadline_ms: 30_000, tests: { port: PORT, path: "/produits" } });
  });

  test("docker stop l'arrête en moins de 5 secondes", { meta: { points: 2 } }, async () => {
    await expect(ex).toStopOnSigterm({ within_s: 5, container: own });
  });

  test("ni secret ni tests dans l'image (.env, tests/, ADMIN_TOKEN)", { meta: { points: 2 } }, async () => {
    await expect.soft(ex).toLeaveOutOfImage();
    await expect
      .soft(
        ex,
        "ADMIN_TOKEN est défini dans l'image (ENV) : n'importe qui peut le lire avec docker inspect ou docker history. " +
          "Il se donne au lancement : docker run -e ADMIN_TOKEN=… .",
      )
      .toHaveEnv({ ADMIN_TOKEN: ABSENT });
  });

  test(".dockerignore garde .env et tests/ hors du contexte de build", { meta: { points: 1 } }, async () => {
    await expect(ex).toSendContext({
      leaves_out: [
        { pattern: ".env", why: "les secrets de la machine du développeur" },
        { pattern: "tests/", why: "les tests, inutiles pour faire tourner l'API" },
      ],
    });
  });

  test(`l'image ajoute au plus ${MAX_ADDED_MB} Mo à son image de base`, { meta: { points: 1 } }, async () => {
    await expect(ex).toWeighAtMost({ max_mb_above_base: MAX_ADDED_MB });
  });

  test("les labels OCI title, version et description sont présents", { meta: { points: 1 } }, async () => {
    await expect(ex).toHaveOciLabels(["title", "version", "description"]);
  });

  test("les dépendances sont installées avant la copie du code (cache)", { meta: { points: 1 } }, async () => {
    await expect(ex).toRebuildAfterChange({
      change: { "app.py": (code) => `${code ?? ""}\n# Une modification du code de l'API.\n` },
      cached: PIP_INSTALL,
    });
  });

  test("le linter ne trouve ni erreur ni avertissement dans le Dockerfile", { meta: { points: 1 } }, async () => {
    await expect(ex).toPassLint({ min_severity: "warning" });
  });
});
