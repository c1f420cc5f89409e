import { describe, test, expect } from "vitest";
import {
  use_exercise,
  resolve_stages,
  expect_http,
  expect_non_root,
  check_process_tree,
  expect_exposed_ports,
  expect_env_override,
  check_env,
  expect_healthy,
  expect_stops_on_sigterm,
  check_no_context_leftovers,
  expect_size_under,
  expect_oci_labels,
  expect_cache_after_change,
  expect_lint,
  merge,
  report,
  outcome,
  ABSENT,
  PRESENT,
  CheckFailure,
  type GradedContainer,
} from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const PORT = 8000;
// What the Dockerfile adds above its base. The solution adds 30 Ko; running pip
// in the locally built python:3.11-slim also writes pip's own .pyc files
// (10,6 Mo) unless PYTHONDONTWRITEBYTECODE is set, which the budget allows.
// An apt-get install left with its lists (20 Mo and more) does not fit.
const MAX_ADDED_MB = 20;
const PIP_INSTALL = /\bpip3?\s+install\b|-m\s+pip\s+install\b/;

/** One server for the checks that only observe it (API, user, health). */
let server: Promise<GradedContainer> | undefined;
const start_server = () => (server ??= ex.start({ ports: [PORT] }));

describe("16 — Une image prête pour la production", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("l'image de base a un tag précis (pas latest)", { meta: { points: 1 } }, () => {
    const final = resolve_stages(ex.dockerfile()).at(-1);
    if (!final) throw new CheckFailure("Le Dockerfile n'a pas d'instruction FROM.");
    const image = final.base;
    const tag = /^[^@]+:([^/:@]+)$/.exec(image)?.[1];
    if (image.includes("@sha256:")) return; // a digest pins even harder
    if (!tag || tag === "latest") {
      throw new CheckFailure(
        `L'étape finale part de « ${image} » (ligne ${final.line}) : ${tag ? "le tag latest" : "sans tag, Docker prend latest, qui"} ` +
          "désigne une image différente au fil des publications, et la même construction peut donner autre chose demain. " +
          "Écrivez un tag précis : FROM python:3.11-slim.",
      );
    }
  });

  test("l'API répond : GET /produits donne le catalogue", { meta: { points: 2 } }, async () => {
    const container = await start_server();
    await expect_http(container, {
      port: PORT,
      path: "/produits",
      body: ['"reference": "MOU-004"', '"prix_affiche": "34,90 €"'],
      headers: { "content-type": "application/json" },
    });
  });

  test("elle tourne sous un utilisateur non-root", { meta: { points: 2 } }, async () => {
    await expect_non_root(ex);
    report(await check_process_tree(await start_server(), { non_root: true }));
  });

  test(`le port ${PORT} est exposé`, { meta: { points: 1 } }, async () => {
    expect_exposed_ports(await ex.image(), [PORT]);
  });

  test("les réglages viennent de l'environnement, avec des valeurs par défaut dans l'image", { meta: { points: 2 } }, async () => {
    const defaults = check_env(await ex.image(), { PORT: String(PORT), BOUTIQUE_NOM: PRESENT });
    report(defaults);
    await expect_env_override(ex, {
      env: { BOUTIQUE_NOM: "Boutique de recette" },
      probe: { port: PORT, path: "/" },
      expect: '"boutique": "Boutique de recette"',
      start: { ports: [PORT] },
    });
  });

  test("le HEALTHCHECK déclare le conteneur « healthy »", { meta: { points: 2 } }, async () => {
    await expect_healthy(await start_server(), { deadline_ms: 30_000 });
  });

  test("docker stop l'arrête en moins de 5 secondes", { meta: { points: 2 } }, async () => {
    await expect_stops_on_sigterm(ex, { within_s: 5, start: { ports: [PORT] } });
  });

  test("ni secret ni tests dans l'image (.env, tests/, ADMIN_TOKEN)", { meta: { points: 2 } }, async () => {
    const leftovers = await check_no_context_leftovers(ex);
    const env = check_env(await ex.image(), { ADMIN_TOKEN: ABSENT });
    // check_env's advice is generic: say why a secret must not be in ENV.
    const secret = env.ok
      ? env
      : outcome([
          "ADMIN_TOKEN est défini dans l'image (ENV) : n'importe qui peut le lire avec docker inspect ou docker history. " +
            "Retirez-le du Dockerfile ; il se donne au lancement : docker run -e ADMIN_TOKEN=… .",
        ]);
    report(merge(leftovers, secret));
  });

  test(".dockerignore garde .env et tests/ hors du contexte de build", { meta: { points: 1 } }, async () => {
    const built = await ex.build();
    if (!built.context) throw new CheckFailure("Le contexte de build n'a pas pu être préparé : voyez le premier test.");
    const sent = built.context.entries;
    const failures: string[] = [];
    if (sent.includes(".env")) {
      failures.push(
        "Le fichier .env (les secrets de la machine du développeur) part dans le contexte de build : même si le Dockerfile ne le copie pas, " +
          "il est envoyé au moteur à chaque build, et un COPY . . l'embarque. Ajoutez « .env » au .dockerignore.",
      );
    }
    if (sent.some((entry) => entry === "tests" || entry.startsWith("tests/"))) {
      failures.push("Le dossier tests/ part dans le contexte de build : il ne sert pas à faire tourner l'API. Ajoutez « tests/ » au .dockerignore.");
    }
    report(outcome(failures));
  });

  test(`l'image ajoute au plus ${MAX_ADDED_MB} Mo à son image de base`, { meta: { points: 1 } }, async () => {
    await expect_size_under(ex, { max_mb_above_base: MAX_ADDED_MB });
  });

  test("les labels OCI title, version et description sont présents", { meta: { points: 1 } }, async () => {
    expect_oci_labels(await ex.image(), ["title", "version", "description"]);
  });

  test("les dépendances sont installées avant la copie du code (cache)", { meta: { points: 1 } }, async () => {
    await expect_cache_after_change(ex, {
      change: { "app.py": (code) => `${code ?? ""}\n# Une modification du code de l'API.\n` },
      cached: PIP_INSTALL,
    });
  });

  test("le linter ne trouve ni erreur ni avertissement dans le Dockerfile", { meta: { points: 1 } }, () => {
    expect_lint(ex, { min_severity: "warning" });
  });
});
