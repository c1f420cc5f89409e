import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure, type ExerciseHandle } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const HTML_ROOT = "/usr/share/nginx/html";
const STARTER = path.join(path.dirname(fileURLToPath(import.meta.url)), "starter");

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

let server: ReturnType<typeof ex.start> | undefined;
const nginx = () => (server ??= ex.start({ ports: [80] }));

/** Sources of an ADD or COPY instruction (flags and destination left out). */
function sources(args: string): string[] {
  const trimmed = args.trim();
  let parts: string[];
  if (trimmed.startsWith("[")) {
    try {
      parts = JSON.parse(trimmed) as string[];
    } catch {
      parts = trimmed.split(/\s+/);
    }
  } else {
    parts = trimmed.split(/\s+/).filter((p) => !p.startsWith("--"));
  }
  return parts.slice(0, -1);
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;
const REMOTE = /^[a-z]+:\/\//i;

function final_stage(handle: ExerciseHandle) {
  const parsed = handle.dockerfile();
  const last = parsed.stages.length - 1;
  return parsed.instructions.filter((i) => i.stage === last);
}

const first_line = (body: string): string => {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1] ?? body.trim().split("\n")[0] ?? "";
  return title.length > 60 ? title.slice(0, 60) + "…" : title;
};

describe("04 — COPY et ADD", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("nginx sert les pages du dossier site/ avec leur contenu", { meta: { points: 3 } }, async () => {
    const container = await nginx();
    const failures: string[] = [];
    for (const page of PAGES) {
      const want = fs.readFileSync(path.join(STARTER, page.file), "utf8");
      const got = await container.http("GET", 80, page.url);
      if (got.status !== 200) {
        failures.push(
          `GET ${page.url} répond ${got.status} au lieu de 200 : ${page.file} doit arriver dans ${HTML_ROOT}${page.url.replace(/\/$/, "/index.html")}.`,
        );
      } else if (got.body !== want) {
        failures.push(
          `GET ${page.url} renvoie « ${first_line(got.body)} » au lieu de ${page.file} (« ${first_line(want)} »)` +
            (/Welcome to nginx/i.test(got.body) ? " : c'est la page par défaut de nginx, vos pages ne sont pas au bon endroit" : "") +
            `. Copiez le contenu de site/ dans ${HTML_ROOT}/ : COPY site/ ${HTML_ROOT}/.`,
        );
      }
    }
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));
  });

  test("nginx sert les fichiers de l'archive sous /assets/", { meta: { points: 2 } }, async () => {
    const container = await nginx();
    const failures: string[] = [];
    for (const asset of ASSETS) {
      const got = await container.http("GET", 80, asset.url);
      if (got.status !== 200) {
        failures.push(`GET ${asset.url} répond ${got.status} au lieu de 200 : ${asset.name} (contenu dans assets.tar.gz) doit être dans ${HTML_ROOT}/${asset.name}.`);
      } else if (got.body !== asset.content) {
        failures.push(`GET ${asset.url} ne renvoie pas le contenu de ${asset.name} de l'archive.`);
      }
    }
    if (failures.length > 0) {
      const extra = (await container.http("GET", 80, "/assets.tar.gz")).status === 200
        ? `\nEn revanche, GET /assets.tar.gz télécharge l'archive entière : elle a été copiée sans être décompressée. ADD décompresse une archive locale, COPY non.`
        : "";
      throw new CheckFailure((failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n")) + extra);
    }
  });

  test("l'archive est décompressée par ADD : ses fichiers sont dans l'image, le .tar.gz n'y est pas", { meta: { points: 2 } }, async () => {
    const container = await nginx();
    const failures: string[] = [];
    const adds_archive = final_stage(ex).some((i) => i.keyword === "ADD" && sources(i.args).some((s) => /assets\.tar\.gz$/.test(s)));
    if (!adds_archive) {
      failures.push(`Aucune instruction ADD ne prend assets.tar.gz : ADD assets.tar.gz ${HTML_ROOT}/ la décompresse en une instruction, sans tar ni rm.`);
    }
    const expected_files = ASSETS.map((a) => `${HTML_ROOT}/${a.name}`);
    const listing = await container.exec([
      "sh",
      "-c",
      `for f in ${expected_files.join(" ")}; do [ -f "$f" ] || echo "absent $f"; done; ` +
        "find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -name assets.tar.gz -print 2>/dev/null",
    ]);
    const lines = listing.output.split("\n").map((l) => l.trim()).filter(Boolean);
    const absent = lines.filter((l) => l.startsWith("absent ")).map((l) => l.slice(7));
    const archives = lines.filter((l) => l.endsWith("assets.tar.gz"));
    if (absent.length > 0) failures.push(`Les fichiers de l'archive manquent dans l'image : ${absent.join(", ")}.`);
    for (const archive of archives) {
      failures.push(
        `L'archive elle-même est dans l'image : ${archive}` +
          (archive.startsWith(HTML_ROOT) ? " (n'importe qui peut la télécharger)" : "") +
          `. Seul son contenu doit y être : ADD assets.tar.gz ${HTML_ROOT}/ la décompresse sans garder le .tar.gz.`,
      );
    }
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));
  });

  test("ADD ne sert pas à copier de simples fichiers (COPY est fait pour ça)", { meta: { points: 2 } }, () => {
    const failures = final_stage(ex)
      .filter((i) => i.keyword === "ADD")
      .flatMap((i) =>
        sources(i.args)
          .filter((s) => !ARCHIVE.test(s) && !REMOTE.test(s))
          .map(
            (s) =>
              `Ligne ${i.line} : ADD ${s} copie de simples fichiers. ADD peut aussi décompresser ou télécharger : ` +
                `pour une simple copie, écrivez COPY ${s} ..., qui fait exactement ce qu'on lit.`,
          ),
      );
    if (failures.length > 0) throw new CheckFailure(failures.length === 1 ? failures[0]! : failures.map((f) => `- ${f}`).join("\n"));
  });
});
