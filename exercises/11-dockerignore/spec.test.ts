import fs from "node:fs";
import path from "node:path";
import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

// git cannot store a `.git/` folder inside a repository, so the course ships
// the app's history as `dot-git/`. The spec grades a copy of the submission
// where it is `.git/` again, exactly as in a real project folder.
const ex = use_exercise(import.meta.url, {
  prepare: (copy) => {
    const stored = path.join(copy, "dot-git");
    if (fs.existsSync(stored) && !fs.existsSync(path.join(copy, ".git"))) fs.renameSync(stored, path.join(copy, ".git"));
  },
});

const PORT = 3000;

describe("11 — .dockerignore", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("l'application fonctionne toujours", { meta: { points: 2 } }, async () => {
    await expect.soft(ex).toSendContext({ sends: ["package.json", "src/server.js"] });
    await expect.soft(ex).toServeHttp([
      { port: PORT, path: "/", body: '"version":"3.2.0"' },
      { port: PORT, path: "/produits", body: "Stylo plume" },
    ]);
  });

  test("aucun secret : le fichier .env n'est pas dans l'image", { meta: { points: 3 } }, async () => {
    await expect(ex).toLeaveOutOfImage({
      replace_defaults: true,
      deny: [
        { pattern: ".env", why: "les secrets de production (clé de paiement, mot de passe de la base)" },
        { pattern: ".env.*", why: "des variables d'environnement, souvent des secrets" },
      ],
    });
  });

  test("ni .git, ni node_modules, ni journaux, ni tests dans l'image", { meta: { points: 2 } }, async () => {
    await expect(ex).toLeaveOutOfImage({
      replace_defaults: true,
      deny: [
        { pattern: ".git", why: "l'historique git du projet" },
        { pattern: "node_modules", why: "des dépendances installées sur la machine du développeur (ici, pour les tests)" },
        { pattern: "logs/", why: "les journaux de la machine du développeur" },
        { pattern: "*.log", why: "un journal" },
        { pattern: "tests/", why: "des tests, inutiles à l'exécution" },
      ],
    });
  });

  test("le contexte de build envoyé est petit (moins de 20 Ko)", { meta: { points: 2 } }, async () => {
    await expect(ex).toSendContext({
      leaves_out: [
        { pattern: ".git", why: "l'historique git" },
        { pattern: "node_modules", why: "les dépendances de développement" },
        { pattern: ".env", why: "les secrets de production" },
        { pattern: "logs", why: "les journaux" },
        { pattern: "*.log", why: "les journaux" },
        { pattern: "tests", why: "les tests" },
      ],
      max_bytes: 20_000,
    });
  });
});
