// How the Dockerfile's instructions are written where a lesson teaches a way
// (apt-get in one RUN with its cleanup, -y, --no-install-recommends; ADD for
// archives; EXPOSE without a mapping), and what the image's layers hold of it,
// the layers given as the engine would list them (no engine).
import { describe, expect, test, vi } from "vitest";
import type { ImageContents, LayerEntry } from "../layers/contents.js";
import { compute_waste } from "../layers/waste.js";
import { fake_exercise } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_instructions } from "./instructions.js";

const layers = vi.hoisted(() => ({ entries: [] as Array<Array<{ path: string; kind: "file" | "dir" | "whiteout"; size: number }>> }));
vi.mock("../engine/layers.js", async (original) => ({
  ...(await original<typeof import("../engine/layers.js")>()),
  analyze_waste: async () => {
    const contents: ImageContents = {
      image_id: "sha256:x",
      layers: layers.entries.map((entries, index) => ({ index, diff_id: `sha256:${index}`, instruction: "", entries: entries as LayerEntry[], bytes: 0 })),
    };
    return { contents, waste: compute_waste(contents.layers) };
  },
}));

const file = (path: string, size = 10) => ({ path, kind: "file" as const, size });

describe("check_instructions: apt-get", () => {
  const GOOD = "FROM debian:bookworm-slim\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends jq \\\n  && rm -rf /var/lib/apt/lists/*\n";

  test("update, install and cleanup in one RUN, with -y and --no-install-recommends, nothing left: passes", async () => {
    layers.entries = [[file("/usr/bin/jq")]];
    expect(await check_instructions(fake_exercise({ dockerfile: GOOD }), { apt: { same_run: true, clean_lists: true, yes: true, no_recommends: true } })).toMatchObject({ ok: true });
  });

  test("update apart, no -y, no cleanup, lists left in the image: each said with its line", async () => {
    layers.entries = [[file("/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", 2 * 1024 * 1024)]];
    const split = "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install jq\n";
    const result = await check_instructions(fake_exercise({ dockerfile: split }), { apt: { same_run: true, clean_lists: true, yes: true } });
    expect(result.failures.some((f) => /^Ligne 3, « apt-get install jq » n'a pas -y/.test(f))).toBe(true);
    expect(result.failures.some((f) => /^L'image contient encore 1 fichier\(s\) de listes apt dans \/var\/lib\/apt\/lists \(2 Mo\)/.test(f))).toBe(true);
    expect(result.failures.length).toBeGreaterThanOrEqual(3);
    expect(result.facts).toEqual(expect.arrayContaining([{ kind: "dockerfile_lines", line: 3 }]));
  });

  test("no install at all is said", async () => {
    layers.entries = [];
    expect((await check_instructions(fake_exercise({ dockerfile: "FROM debian:bookworm-slim\n" }), { apt: { yes: true } })).failures).toEqual([
      "Aucun RUN n'installe de paquet : ajoutez un RUN apt-get update && apt-get install -y --no-install-recommends <paquet>.",
    ]);
  });
});

describe("check_instructions: ADD and EXPOSE", () => {
  test("ADD for plain files: COPY asked for, with the line", async () => {
    const result = await check_instructions(fake_exercise({ dockerfile: "FROM nginx:1.22\nADD site/ /usr/share/nginx/html/\nADD assets.tar.gz /usr/share/nginx/html/\n" }), { add_only_for_archives: true });
    expect(result.failures).toEqual(["Ligne 2 : ADD site/ copie de simples fichiers. ADD peut aussi décompresser ou télécharger : pour une simple copie, écrivez COPY site/ ..., qui fait exactement ce qu'on lit."]);
    expect(result.facts).toEqual([{ kind: "dockerfile_lines", line: 2 }]);
  });

  test("an archive extracted by ADD: its files there, the archive nowhere; extracted one folder too deep: where the files went", async () => {
    const want = { archive: "assets.tar.gz", into: "/usr/share/nginx/html", files: ["assets/logo.svg"] };
    layers.entries = [[file("/usr/share/nginx/html/assets/logo.svg")]];
    expect(await check_instructions(fake_exercise({ dockerfile: "FROM nginx:1.22\nADD assets.tar.gz /usr/share/nginx/html/\n" }), { archive_extracted: want })).toMatchObject({ ok: true });
    layers.entries = [[file("/usr/share/nginx/html/assets/assets/logo.svg"), file("/usr/share/nginx/html/assets.tar.gz")]];
    const copied = await check_instructions(fake_exercise({ dockerfile: "FROM nginx:1.22\nCOPY assets.tar.gz /usr/share/nginx/html/\n" }), { archive_extracted: want });
    expect(copied.failures).toEqual([
      "Aucune instruction ADD ne prend assets.tar.gz : ADD assets.tar.gz /usr/share/nginx/html/ la décompresse en une instruction, sans tar ni rm.",
      "Les fichiers de l'archive manquent dans l'image : /usr/share/nginx/html/assets/logo.svg. Ils sont ailleurs : /usr/share/nginx/html/assets/assets/logo.svg au lieu de /usr/share/nginx/html/assets/logo.svg : l'archive contient déjà son dossier, donnez à ADD le dossier parent comme destination.",
      "L'archive elle-même est dans l'image : /usr/share/nginx/html/assets.tar.gz (n'importe qui peut la télécharger). Seul son contenu doit y être : ADD la décompresse sans garder le fichier.",
    ]);
  });

  test("EXPOSE with a host:container mapping; nothing asked is the spec's mistake", async () => {
    const result = await check_instructions(fake_exercise({ dockerfile: "FROM node:22-slim\nEXPOSE 80:8080\n" }), { expose_without_mapping: true });
    expect(result.failures[0]).toMatch(/^Ligne 2 :/);
    expect(result.facts).toEqual([{ kind: "dockerfile_lines", line: 2 }]);
    await expect(check_instructions(fake_exercise({ dockerfile: "FROM scratch\n" }), {})).rejects.toThrow(SpecConfigError);
  });
});
