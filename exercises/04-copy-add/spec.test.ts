import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { describe, test, expect } from "vitest";
import { use_exercise } from "../../grader/spec.js";

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

/** Regular files of a .tar.gz: name -> content (ustar headers, 512-byte blocks). */
function read_tar_gz(file: string): Map<string, string> {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const files = new Map<string, string>();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (!name) break;
    const size = parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === "0" || type === "\0") files.set(name, tar.subarray(offset + 512, offset + 512 + size).toString("utf8"));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const ASSETS = [...read_tar_gz(path.join(STARTER, "assets.tar.gz"))].map(([name, content]) => ({ url: `/${name}`, name, content }));

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
