// The size and layer checks on two real images: a lean one that passes every
// check, and a careless one (a big file deleted in a later RUN, RUNs that
// could be one, the whole folder copied with .git, .env, a key and logs).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { SpecConfigError, type CheckOutcome } from "./check.js";
import {
  check_layers_at_most,
  check_no_context_leftovers,
  check_size_under,
  check_wasted_under,
  final_base_image,
  format_bytes,
} from "./size.js";
import { remove_managed } from "../engine/cleanup.js";
import { read_dockerfile } from "../dockerfile/index.js";
import { must } from "../../test/helpers/outcome.js";
import { temp_folders } from "../../test/helpers/folders.js";

/** A check that must pass: its failures thrown as the student would read them. */

const session = randomUUID();
const folder = temp_folders();
const handles: ExerciseHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.dispose()));
  await remove_managed(session);
});

const exercise = (id: string, files: Record<string, string>): ExerciseHandle => {
  const ex = new ExerciseHandle(id, folder(files), session);
  handles.push(ex);
  return ex;
};

const lean = exercise("size-lean", {
  Dockerfile: 'FROM debian:bookworm-slim\nCOPY app.sh /app/app.sh\nCMD ["sh", "/app/app.sh"]\n',
  "app.sh": "echo bonjour\n",
  ".env.example": "TOKEN=\n",
});

const careless = exercise("size-careless", {
  Dockerfile: [
    "FROM debian:bookworm-slim AS build",
    "RUN mkdir -p /out/node_modules/lib && echo 'module.exports = 1' > /out/node_modules/lib/index.js",
    "FROM debian:bookworm-slim",
    "RUN head -c 3000000 /dev/urandom > /blob",
    "RUN rm /blob",
    "RUN echo a > /a",
    "RUN echo b > /b",
    "COPY . /app",
    "RUN rm /app/debug.log",
    "COPY --from=build /out /srv",
    'CMD ["sh", "/app/app.sh"]',
  ].join("\n"),
  "app.sh": "echo bonjour\n",
  "README.md": "# app\n",
  ".git/HEAD": "ref: refs/heads/main\n",
  ".git/config": "[core]\n",
  ".env": "TOKEN=secret\n",
  ".env.example": "TOKEN=\n",
  "id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\n",
  "debug.log": "x".repeat(5000),
  "tests/test_app.sh": "true\n",
  "node_modules/left/index.js": "1\n",
});

beforeAll(async () => {
  await Promise.all([lean.image(), careless.image()]);
});

describe("expect_size_under", () => {
  test("passes under the budgets", async () => {
    await must(check_size_under(lean, { max_mb: 200, max_mb_above_base: 0.1 }));
  });

  test("fails with the sizes, the heaviest layers and what to change", async () => {
    await expect(must(check_size_under(careless, { max_mb_above_base: 1 }))).rejects.toThrow(
      /^Le Dockerfile ajoute 3,\d Mo au-dessus de debian:bookworm-slim, le maximum attendu est 1,0 Mo\. Les couches ajoutées les plus lourdes : « RUN head -c 3000000 \/dev\/urandom > \/blob » \(couche 2\) : 3,0 Mo ; .*Pour l'alléger : .*\.dockerignore.*multi-étapes/s,
    );
    const result = await check_size_under(careless, { max_mb: 50, max_mb_above_base: 1 });
    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatch(/^L'image pèse \d+,\d Mo, le maximum attendu est 50,0 Mo \(dont 3,\d Mo ajoutés au-dessus de debian:bookworm-slim, qui pèse \d+,\d Mo\)\./);
  });

  test("a BuiltImage needs { base } to measure above the base; budgets must be sensible", async () => {
    const image = await lean.image();
    await must(check_size_under(image, { max_mb: 200 }));
    await must(check_size_under(image, { max_mb_above_base: 0.1, base: "debian:bookworm-slim" }));
    await expect(must(check_size_under(image, { max_mb_above_base: 1 }))).rejects.toThrow(SpecConfigError);
    await expect(must(check_size_under(lean, { max_mb: -1 }))).rejects.toThrow(/max_mb doit être un nombre positif/);
    await expect(must(check_size_under(lean, {}))).rejects.toThrow(SpecConfigError);
  });
});

describe("expect_layers_at_most", () => {
  test("passes when the Dockerfile adds few layers", async () => {
    await must(check_layers_at_most(lean, 1, { above_base: true }));
    await must(check_layers_at_most(lean, 2));
  });

  test("fails with every layer, its instruction, and the RUNs to merge", async () => {
    const error = await must(check_layers_at_most(careless, 3, { above_base: true })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^L'image a 7 couches au-dessus de debian:bookworm-slim, le maximum attendu est 3\. Les RUN des couches 2, 3, 4, 5 se suivent : regroupez-les en un seul RUN/);
    expect(message).toContain("  2. RUN head -c 3000000 /dev/urandom > /blob : 3,0 Mo\n");
    expect(message).toContain("  6. COPY . /app : ");
    expect(message).toContain("  8. COPY /out /srv : ");
    await expect(must(check_layers_at_most(lean, 1))).rejects.toThrow(/^L'image a 2 couches, le maximum attendu est 1\./);
    await expect(must(check_layers_at_most(lean, 1.5))).rejects.toThrow(SpecConfigError);
  });
});

describe("expect_wasted_under", () => {
  test("passes on an image without waste", async () => {
    await must(check_wasted_under(lean, { max_mb: 0, min_efficiency: 0.999, max_user_wasted_ratio: 0 }));
  });

  test("fails with dive's figures and the wasted paths, added where and removed where", async () => {
    const result = await check_wasted_under(careless, { max_mb: 1, min_efficiency: 0.99, max_user_wasted_ratio: 0.5 });
    expect(result.failures).toHaveLength(3);
    expect(result.failures[0]).toMatch(/^L'image gaspille 3,0 Mo au sens de dive .*, le maximum attendu est 1,0 Mo ; 3,0 Mo y sont stockés sans être visibles dans l'image finale\.$/);
    expect(result.failures[1]).toMatch(/^L'efficacité de l'image \(calcul de dive\) est de 9[0-8],\d %, le minimum attendu est 99,0 % : 3,0 Mo gaspillés/);
    expect(result.failures[2]).toMatch(/^Le gaspillage représente \d+,\d % de ce que le Dockerfile ajoute/);
    expect(result.failures[2]).toContain(
      "Les plus gros gaspillages : /blob (3,0 Mo) : ajouté par « RUN head -c 3000000 /dev/urandom > /blob » (couche 2), supprimé par « RUN rm /blob » (couche 3) ; " +
        "/app/debug.log (5,0 Ko) : ajouté par « COPY . /app » (couche 6), supprimé par « RUN rm /app/debug.log » (couche 7).",
    );
    expect(result.failures[2]).toMatch(/créez, utilisez et supprimez les fichiers temporaires dans le même RUN/);
    await expect(must(check_wasted_under(careless, { max_mb: 10 }))).resolves.toBeUndefined();
    await expect(must(check_wasted_under(careless, { min_efficiency: 1.5 }))).rejects.toThrow(/min_efficiency doit être compris entre 0 et 1/);
  });
});

describe("expect_no_context_leftovers", () => {
  test("passes when only the needed files are copied (a .env template is fine)", async () => {
    await must(check_no_context_leftovers(lean));
    await must(check_no_context_leftovers(await lean.image(), { deny: ["app.sh"], allow: ["/app/app.sh"] }));
  });

  test("fails with each path, the layer that copied it, and the .dockerignore line", async () => {
    const result = await check_no_context_leftovers(careless);
    const text = result.failures.join("\n");
    expect(result.failures).toHaveLength(6);
    expect(text).toContain(
      "« COPY . /app » (couche 6) a copié /app/.git (dossier, 2 fichiers, 28 o) dans l'image : l'historique git du projet. Ajoutez « .git » au fichier .dockerignore, ou copiez seulement les fichiers utiles.",
    );
    expect(text).toContain("/app/.env (13 o) dans l'image : des variables d'environnement, souvent des secrets");
    expect(text).toContain("/app/id_rsa (36 o) dans l'image : une clé privée SSH");
    expect(text).toContain("/app/tests (dossier, 1 fichier, 5 o) dans l'image : des tests");
    expect(text).toContain("/app/node_modules (dossier, 1 fichier, 2 o) dans l'image : des dépendances installées sur votre machine");
    expect(text).toContain(
      "« COPY . /app » (couche 6) a copié /app/debug.log (5,0 Ko) dans l'image : un journal. Ajoutez « *.log » au fichier .dockerignore, ou copiez seulement les fichiers utiles. " +
        "Le supprimer ensuite par « RUN rm /app/debug.log » (couche 7) ne suffit pas : il reste dans la couche 6",
    );
    // node_modules made in a build stage and copied with --from is not a leftover of the context.
    expect(text).not.toContain("/srv");
    expect(text).not.toContain(".env.example");
    expect(text).not.toContain("README.md");
  });

  test("a spec can allow and deny paths", async () => {
    const result = await check_no_context_leftovers(careless, { allow: ["tests/", "/app/node_modules", "*.log", "id_rsa"], deny: ["README.md"] });
    expect(result.failures.map((f) => /a copié (\S+)/.exec(f)?.[1])).toEqual(["/app/.env", "/app/.git", "/app/README.md"]);
    expect(result.failures[2]).toContain("un fichier refusé par l'exercice");
    await expect(must(check_no_context_leftovers(careless, { allow: [" "] }))).rejects.toThrow(SpecConfigError);
  });
});

test("final_base_image follows stage names and global ARG defaults; format_bytes is French", () => {
  expect(final_base_image(read_dockerfile("ARG V=3.11\nFROM python:${V}-slim AS base\nFROM base AS app\nRUN true\n"))).toBe("python:3.11-slim");
  expect(final_base_image(read_dockerfile("FROM golang:1.19 AS build\nFROM scratch\n"))).toBe("scratch");
  expect([format_bytes(12), format_bytes(300_000), format_bytes(122_057_111), format_bytes(2_500_000_000)]).toEqual(["12 o", "300,0 Ko", "122,1 Mo", "2,5 Go"]);
});
