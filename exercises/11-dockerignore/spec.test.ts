import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, test, expect } from "vitest";
import {
  use_exercise,
  ExerciseHandle,
  CheckFailure,
  report,
  outcome,
  check_no_context_leftovers,
  format_bytes,
} from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

/**
 * git cannot store a `.git/` folder inside a repository, so the course ships
 * the app's history as `dot-git/`. Grading works on a copy of the submission
 * where it is `.git/` again, exactly as in a real project folder.
 */
function with_git_folder(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "dl-11-dockerignore-"));
  fs.cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  const stored = path.join(copy, "dot-git");
  if (fs.existsSync(stored) && !fs.existsSync(path.join(copy, ".git"))) fs.renameSync(stored, path.join(copy, ".git"));
  return copy;
}
const folder = with_git_folder(ex.submission_dir);
const app = new ExerciseHandle(ex.id, folder, ex.session);
afterAll(async () => {
  await app.dispose();
  fs.rmSync(folder, { recursive: true, force: true });
}, 60_000);

/** What must stay out of the build context, and why (in the student's words). */
const UNWANTED = [
  { pattern: /^\.git(\/|$)/, name: ".git", why: "l'historique git" },
  { pattern: /^node_modules(\/|$)/, name: "node_modules", why: "les dépendances de développement" },
  { pattern: /^\.env$/, name: ".env", why: "les secrets de production" },
  { pattern: /^logs(\/|$)|\.log$/, name: "logs", why: "les journaux" },
  { pattern: /^tests(\/|$)/, name: "tests", why: "les tests" },
];
const CONTEXT_BUDGET = 20_000;

let server: ReturnType<typeof app.start> | undefined;
function start_server() {
  server ??= app.start({ ports: [3000] });
  return server;
}

describe("11 — .dockerignore", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await app.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("l'application fonctionne toujours", { meta: { points: 2 } }, async () => {
    const built = await app.build();
    const sent = new Set(built.context?.entries ?? []);
    const needed = ["package.json", "src/server.js"].filter((file) => built.context && !sent.has(file));
    const missing_hint = needed.length
      ? ` Le .dockerignore exclut ${needed.join(" et ")}, dont l'application a besoin : retirez la ligne qui ${needed.length > 1 ? "les" : "le"} vise.`
      : "";
    let container;
    try {
      container = await start_server();
    } catch (error) {
      if (error instanceof CheckFailure) throw new CheckFailure(error.message + missing_hint, error.output);
      throw error;
    }
    const failures: string[] = [];
    const home = await container.http("GET", 3000, "/");
    if (home.status !== 200 || !home.body.includes('"version":"3.2.0"')) {
      failures.push(`GET / devait renvoyer le nom et la version de l'API (3.2.0), il renvoie ${home.status} « ${home.body.trim().slice(0, 150)} ».${missing_hint}`);
    }
    const products = await container.http("GET", 3000, "/produits");
    if (products.status !== 200 || !products.body.includes("Stylo plume")) {
      failures.push(`GET /produits devait renvoyer la liste des produits, il renvoie ${products.status} « ${products.body.trim().slice(0, 150)} ».`);
    }
    report(outcome(failures, (await container.logs(20)).trim()));
  });

  test("aucun secret : le fichier .env n'est pas dans l'image", { meta: { points: 3 } }, async () => {
    report(
      await check_no_context_leftovers(app, {
        replace_defaults: true,
        deny: [
          { pattern: ".env", why: "les secrets de production (clé de paiement, mot de passe de la base)" },
          { pattern: ".env.*", why: "des variables d'environnement, souvent des secrets" },
        ],
      }),
    );
  });

  test("ni .git, ni node_modules, ni journaux, ni tests dans l'image", { meta: { points: 2 } }, async () => {
    report(
      await check_no_context_leftovers(app, {
        replace_defaults: true,
        deny: [
          { pattern: ".git", why: "l'historique git du projet" },
          { pattern: "node_modules", why: "des dépendances installées sur la machine du développeur (ici, pour les tests)" },
          { pattern: "logs/", why: "les journaux de la machine du développeur" },
          { pattern: "*.log", why: "un journal" },
          { pattern: "tests/", why: "des tests, inutiles à l'exécution" },
        ],
      }),
    );
  });

  test("le contexte de build envoyé est petit (moins de 20 Ko)", { meta: { points: 2 } }, async () => {
    const built = await app.build();
    if (!built.context) throw new CheckFailure("Le contexte de build n'a pas pu être préparé : voyez le premier test.");
    const failures: string[] = [];
    const size_of = (entry: string): number => {
      const stat = fs.lstatSync(path.join(folder, entry));
      return stat.isFile() ? stat.size : 0;
    };
    for (const unwanted of UNWANTED) {
      const entries = built.context.entries.filter((e) => unwanted.pattern.test(e));
      const files = entries.filter((e) => fs.lstatSync(path.join(folder, e)).isFile());
      if (files.length === 0) continue;
      const bytes = files.reduce((sum, e) => sum + size_of(e), 0);
      failures.push(
        `Le contexte envoyé au moteur contient ${unwanted.name} (${unwanted.why} : ${files.length} fichier${files.length > 1 ? "s" : ""}, ${format_bytes(bytes)}). ` +
          `Ajoutez « ${unwanted.name} » au .dockerignore.`,
      );
    }
    if (built.context.bytes > CONTEXT_BUDGET) {
      failures.push(
        `Le contexte de build pèse ${format_bytes(built.context.bytes)}, au-delà de ${format_bytes(CONTEXT_BUDGET)} : tout ce qu'il contient ` +
          "est envoyé au moteur à chaque build, même ce que le Dockerfile ne copie pas. Excluez-en le superflu avec .dockerignore.",
      );
    }
    report(outcome(failures, `Contexte envoyé : ${built.context.entries.length} entrées, ${format_bytes(built.context.bytes)}`));
  });
});
