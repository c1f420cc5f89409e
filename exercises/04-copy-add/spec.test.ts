import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test, expect } from "vitest";
import { use_exercise, read_archive } from "../../grader/spec.js";

const ex = use_exercise(import.meta.url);

const HTML_ROOT = "/usr/share/nginx/html";
const STARTER = path.join(path.dirname(fileURLToPath(import.meta.url)), "starter");
// One nginx for the file, shared by the checks given it.
const NGINX = { container: ex.server({ ports: [80] }) };

// Expected contents come from the course's own starter folder, never from the
// submission: the pages as files, the assets from inside the archive.
const PAGES: Array<{ url: string; file: string }> = [
  { url: "/", file: "site/index.html" },
  { url: "/a-propos.html", file: "site/a-propos.html" },
  { url: "/horaires/", file: "site/horaires/index.html" },
];

const ASSETS = [...(await read_archive(path.join(STARTER, "assets.tar.gz")))].map(([name, content]) => ({ url: `/${name}`, name, content }));

describe("04 — COPY et ADD", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    await expect(ex).toBuild();
  });

  test("nginx sert les pages du dossier site/ avec leur contenu", { meta: { points: 3 } }, async () => {
    await expect(ex, `Copiez le contenu de site/ dans ${HTML_ROOT}/ : COPY site/ ${HTML_ROOT}/.`).toServeHttp(
      PAGES.map((page) => ({ port: 80, path: page.url, body_equals: fs.readFileSync(path.join(STARTER, page.file), "utf8"), body_name: page.file })),
      NGINX,
    );
  });

  test("nginx sert les fichiers de l'archive sous /assets/", { meta: { points: 2 } }, async () => {
    await expect(
      ex,
      `Les fichiers de assets.tar.gz doivent être dans ${HTML_ROOT}/ ; si GET /assets.tar.gz télécharge l'archive entière, ` +
        "elle a été copiée sans être décompressée. ADD décompresse une archive locale, COPY non.",
    ).toServeHttp(
      [
        ...ASSETS.map((asset) => ({ port: 80, path: asset.url, body_equals: asset.content, body_name: `${asset.name} de l'archive` })),
        { port: 80, path: "/assets.tar.gz", status: 404 },
      ],
      NGINX,
    );
  });

  test("l'archive est décompressée par ADD : ses fichiers sont dans l'image, le .tar.gz n'y est pas", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveInstructions({
      archive_extracted: { archive: "assets.tar.gz", into: HTML_ROOT, files: ASSETS.map((asset) => asset.name) },
    });
  });

  test("ADD ne sert pas à copier de simples fichiers (COPY est fait pour ça)", { meta: { points: 2 } }, async () => {
    await expect(ex).toHaveInstructions({ add_only_for_archives: true });
  });
});
