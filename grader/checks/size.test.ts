// Size, layers, waste and leftovers of the build context, the image's layers
// given as the engine would report them (no engine): what each budget
// measures, what a failure names (the heaviest layers, the RUNs to merge, the
// file copied and where), and the base image missing on this machine.
// size.docker.test.ts measures real images.
import { describe, expect, test, vi } from "vitest";
import type { LayerFacts, LayerSummary } from "../engine/layers.js";
import type { ImageContents, LayerEntry } from "../layers/contents.js";
import { compute_waste } from "../layers/waste.js";
import { built_image, fake_exercise, image_facts } from "../../test/helpers/fake-exercise.js";
import { BaseImageMissingError, SpecConfigError } from "./check.js";
import { check_layers_at_most, check_no_context_leftovers, check_size_under, check_wasted_under, format_bytes } from "./size.js";

const MB = 1_000_000;
const engine = vi.hoisted(() => ({
  summary: undefined as unknown as LayerSummary,
  layers: [] as Array<{ instruction: string; entries: Array<{ path: string; kind: "file" | "dir" | "whiteout"; size: number }> }>,
  asked_base: undefined as string | undefined,
}));
vi.mock("../engine/layers.js", async (original) => ({
  ...(await original<typeof import("../engine/layers.js")>()),
  summarize_layers: async (_ref: string, base?: string) => {
    engine.asked_base = base;
    return engine.summary;
  },
  analyze_waste: async () => {
    const contents: ImageContents = {
      image_id: "sha256:x",
      layers: engine.layers.map((l, index) => ({ index, diff_id: `sha256:${index}`, instruction: l.instruction, entries: l.entries as LayerEntry[], bytes: l.entries.reduce((s, e) => s + e.size, 0) })),
    };
    return { contents, waste: compute_waste(contents.layers) };
  },
}));

/** A summary of an image: base layers first, then the Dockerfile's, each with its instruction and size. */
function summary(base: Array<[string, number]>, added: Array<[string, number]>, base_ref: string | null = "python:3.11-slim", present = true): LayerSummary {
  const layers: LayerFacts[] = [...base, ...added].map(([instruction, size], index) => ({ index, diff_id: `sha256:${index}`, instruction, size, in_base: index < base.length }));
  const total = layers.reduce((s, l) => s + l.size, 0);
  const base_size = base.reduce((s, [, size]) => s + size, 0);
  return {
    image_id: "sha256:x",
    size: total,
    layers,
    base: base_ref ? { ref: base_ref, present, size: base_size, layers: base.length } : null,
    base_layers: base.length,
    above_base_size: total - base_size,
  };
}

const ex = (dockerfile = "FROM python:3.11-slim\nCOPY . /app\n") => fake_exercise({ dockerfile });

describe("check_size_under", () => {
  test("within both budgets; the base read from the Dockerfile's final stage", async () => {
    engine.summary = summary([["", 120 * MB]], [["COPY . /app", 1 * MB]]);
    expect(await check_size_under(ex("FROM golang:1.19 AS build\nFROM python:3.11-slim\n"), { max_mb: 130, max_mb_above_base: 5 })).toMatchObject({ ok: true });
    expect(engine.asked_base).toBe("python:3.11-slim");
  });

  test("over: what the Dockerfile adds, its heaviest layers and what to do", async () => {
    engine.summary = summary([["", 120 * MB]], [["RUN apt-get update && apt-get install -y gcc", 80 * MB], ["COPY . /app", 1 * MB]]);
    const result = await check_size_under(ex(), { max_mb_above_base: 10 });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(/^Le Dockerfile ajoute 81(,0)? Mo au-dessus de python:3\.11-slim, le maximum attendu est 10(,0)? Mo\./);
    expect(result.failures[0]).toContain("RUN apt-get update && apt-get install -y gcc");
  });

  test("a base absent from the machine is not the student's; no budget is the spec's mistake", async () => {
    engine.summary = summary([], [["COPY . /app", MB]], "python:3.11-slim", false);
    await expect(check_size_under(ex(), { max_mb_above_base: 10 })).rejects.toThrow(BaseImageMissingError);
    await expect(check_size_under(ex(), {})).rejects.toThrow(SpecConfigError);
    await expect(check_size_under(built_image(image_facts()), { max_mb_above_base: 1 })).rejects.toThrow(/l'image de base est inconnue/);
  });
});

describe("check_layers_at_most", () => {
  test("counted above the base; consecutive RUNs named to merge", async () => {
    engine.summary = summary([["", MB]], [["RUN apt-get update", 10], ["RUN apt-get install -y jq", 10], ["COPY . /app", 10]]);
    expect(await check_layers_at_most(ex(), 3, { above_base: true })).toMatchObject({ ok: true });
    const result = await check_layers_at_most(ex(), 2, { above_base: true });
    expect(result.failures[0]).toMatch(/^L'image a 3 couches au-dessus de python:3\.11-slim, le maximum attendu est 2\. Les RUN des couches 2, 3 se suivent : regroupez-les en un seul RUN/);
    await expect(check_layers_at_most(ex(), -1)).rejects.toThrow(SpecConfigError);
  });
});

describe("check_wasted_under", () => {
  test("dive's wasted bytes and efficiency: a file written then deleted is counted, and listed", async () => {
    engine.summary = summary([["", 10]], [["RUN curl -o /tmp/big.tar.gz …", 50 * MB], ["RUN rm /tmp/big.tar.gz", 0]]);
    engine.layers = [
      { instruction: "", entries: [{ path: "/bin/sh", kind: "file", size: 10 }] },
      { instruction: "RUN curl -o /tmp/big.tar.gz …", entries: [{ path: "/tmp/big.tar.gz", kind: "file", size: 50 * MB }] },
      { instruction: "RUN rm /tmp/big.tar.gz", entries: [{ path: "/tmp/big.tar.gz", kind: "whiteout", size: 0 }] },
    ];
    expect(await check_wasted_under(ex(), { max_mb: 100 })).toMatchObject({ ok: true });
    const result = await check_wasted_under(ex(), { max_mb: 10, min_efficiency: 0.9 });
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatch(/^L'image gaspille 50(,0)? Mo au sens de dive/);
    expect(result.failures[1]).toContain("/tmp/big.tar.gz");
    await expect(check_wasted_under(ex(), { min_efficiency: 2 })).rejects.toThrow(/doit être compris entre 0 et 1/);
  });
});

describe("check_no_context_leftovers", () => {
  test("a secret and .git copied by COPY . : each named with its .dockerignore line, or kept out of that stage when another build reads the same folder", async () => {
    engine.summary = summary([["", 10]], [["COPY . /app", 300]]);
    engine.layers = [
      { instruction: "", entries: [{ path: "/usr/bin/python3", kind: "file", size: 10 }] },
      { instruction: "COPY . /app", entries: [{ path: "/app/main.py", kind: "file", size: 100 }, { path: "/app/.env", kind: "file", size: 20 }, { path: "/app/.git/HEAD", kind: "file", size: 30 }] },
    ];
    const result = await check_no_context_leftovers(ex());
    expect(result.failures).toHaveLength(2);
    const ENV = "« COPY . /app » (couche 2) a copié /app/.env (20 o) dans l'image : des variables d'environnement, souvent des secrets. ";
    const GIT = "« COPY . /app » (couche 2) a copié /app/.git (dossier, 1 fichier, 30 o) dans l'image : l'historique git du projet. ";
    expect(result.failures).toEqual([
      ENV + "Ajoutez « .env » au fichier .dockerignore, ou copiez seulement les fichiers utiles.",
      GIT + "Ajoutez « .git » au fichier .dockerignore, ou copiez seulement les fichiers utiles.",
    ]);
    // A final stage that copies from a build stage is still the folder's only build: .dockerignore is right.
    const from_build = ex("FROM python:3.11-slim AS build\nRUN pip wheel -w /w flask\nFROM python:3.11-slim\nCOPY --from=build /w /w\nCOPY . /app\n");
    expect((await check_no_context_leftovers(from_build)).failures[0]).toBe(ENV + "Ajoutez « .env » au fichier .dockerignore, ou copiez seulement les fichiers utiles.");
    // Another target, or another Dockerfile, reads the same context: a .dockerignore would take the file from them too.
    const KEEP_OUT =
      "Ne le copiez pas dans cette image : copiez seulement ce dont elle a besoin (COPY app/ …, plutôt que COPY . .). " +
      "Un .dockerignore le retirerait aussi des autres étapes ou Dockerfiles du dossier, qui s'en servent peut-être.";
    const targets = fake_exercise({ dockerfile: "FROM python:3.11-slim AS dev\nCOPY . /app\nFROM python:3.11-slim AS prod\nCOPY . /app\n", variant_options: { target: "dev" } });
    expect((await check_no_context_leftovers(targets)).failures).toEqual([ENV + KEEP_OUT, GIT + KEEP_OUT]);
    const unused_stage = ex("FROM python:3.11-slim AS dev\nCOPY . /app\nFROM python:3.11-slim AS prod\nCOPY . /app\n");
    expect((await check_no_context_leftovers(unused_stage)).failures[0]).toBe(ENV + KEEP_OUT);
    const tools = fake_exercise({ dockerfile: "FROM python:3.11-slim\nCOPY . /app\n", files: { "Dockerfile.outils": "FROM python:3.11-slim\n" } });
    expect((await check_no_context_leftovers(tools)).failures[1]).toBe(GIT + KEEP_OUT);
    expect(await check_no_context_leftovers(ex(), { allow: ["/app/.env", "/app/.git"] })).toMatchObject({ ok: true });
  });

  test("an empty deny-list is the spec's mistake", async () => {
    await expect(check_no_context_leftovers(ex(), { replace_defaults: true })).rejects.toThrow(SpecConfigError);
  });

  test("sizes as docker images writes them", () => {
    expect(format_bytes(1_500_000)).toMatch(/^1,5 Mo$/);
  });
});
