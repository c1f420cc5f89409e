// The stages of a Dockerfile and the image each starts FROM, read from the
// one model (no engine); and whether a built image sits on its base's layers,
// the base's facts given as the engine would report them.
import { describe, expect, test, vi } from "vitest";
import { read_dockerfile } from "../dockerfile/index.js";
import type { ImageFacts } from "../engine/image.js";
import { image_facts } from "../../test/helpers/fake-exercise.js";
import { BaseImageMissingError, SpecConfigError } from "./check.js";
import { check_base_image, check_base_image_layers, check_base_pinned, check_stage_count } from "./stages.js";

const engine_images = vi.hoisted(() => new Map<string, ImageFacts>());
vi.mock("../engine/image.js", async (original) => ({
  ...(await original<typeof import("../engine/image.js")>()),
  inspect_image: async (ref: string) => {
    const facts = engine_images.get(ref);
    if (!facts) throw new Error(`No such image: ${ref}`);
    return facts;
  },
}));

const dockerfile = (text: string) => ({ dockerfile: () => read_dockerfile(text) });

describe("stages as written in the Dockerfile", () => {
  test("the base image is one image however it is written: qualified, through an ARG, a named stage, build arguments", () => {
    for (const text of [
      "FROM docker.io/library/python:3.11-slim\n",
      "FROM library/python:3.11-slim\n",
      "ARG BASE=python:3.11-slim\nFROM ${BASE}\n",
      "FROM python:3.11-slim AS app\n",
      "FROM python:3.11-slim AS base\nFROM base AS app\n",
    ]) {
      expect(check_base_image(dockerfile(text), "python:3.11-slim"), text).toMatchObject({ ok: true });
    }
    const with_args = { dockerfile: () => read_dockerfile("ARG PY=3.10\nFROM python:${PY}-slim\n", { build_args: { PY: "3.11" } }) };
    expect(check_base_image(with_args, "python:3.11-slim").ok).toBe(true);
    expect(check_base_image(dockerfile("FROM python:3.11\n"), "python:3.11-slim").ok).toBe(false);
  });

  test("check_base_image: pass, fail with the line, ARG without default, named stage", () => {
    const ex = dockerfile("ARG PY=3.11\nFROM python:${PY}-slim AS build\nRUN true\nFROM debian:bookworm-slim\n");
    expect(check_base_image(ex, "debian:bookworm-slim").ok).toBe(true);
    expect(check_base_image(ex, "python:3.11-slim", { stage: "build" }).ok).toBe(true);
    expect(check_base_image(ex, { matches: /^python:3\.11/, shown: "/^python:3\\.11/" }, { stage: 0 }).ok).toBe(true);
    expect(check_base_image(ex, "python:3.11-slim").failures).toEqual([
      "L'image de base attendue est « python:3.11-slim », le Dockerfile part de « debian:bookworm-slim » (ligne 4). Écrivez « FROM python:3.11-slim ».",
    ]);
    expect(check_base_image(ex, "python:3.12-slim", { stage: "build" }).failures).toEqual([
      "L'étape « build » part de « python:${PY}-slim », soit « python:3.11-slim » (ligne 2) ; attendu : « python:3.12-slim ». Écrivez « FROM python:3.12-slim AS build ».",
    ]);
    expect(check_base_image(ex, "golang:1.19", { stage: "compile" }).failures).toEqual([
      "Le Dockerfile n'a pas d'étape nommée « compile » : écrivez « FROM golang:1.19 AS compile ».",
    ]);
    expect(check_base_image(dockerfile("ARG PY\nFROM python:${PY}\n"), "python:3.11").failures[0]).toMatch(
      /^L'étape finale part de « python:\$\{PY\} » \(ligne 2\), qui dépend de l'ARG PY sans valeur par défaut\./,
    );
    expect(check_base_image(dockerfile(""), "python:3.11-slim").failures).toEqual([
      "Le Dockerfile n'a pas d'instruction FROM : commencez-le par « FROM python:3.11-slim ».",
    ]);
  });

  test("check_stage_count: exact, min, max", () => {
    const two = dockerfile("FROM golang:1.19 AS build\nFROM scratch\n");
    expect(check_stage_count(two, 2).ok).toBe(true);
    expect(check_stage_count(two, { min: 2 }).ok).toBe(true);
    expect(check_stage_count(dockerfile("FROM scratch\n"), { min: 2 }).failures).toEqual([
      "Le Dockerfile a 1 étape (1 instruction FROM), attendu au moins 2. Construisez dans une première étape (FROM image-de-build AS build) et copiez seulement le résultat dans l'étape finale (COPY --from=build …).",
    ]);
    expect(check_stage_count(two, { max: 1 }).failures).toEqual([
      "Le Dockerfile a 2 étapes (2 instructions FROM), attendu au plus 1 : retirez les étapes qui ne servent pas à l'image finale.",
    ]);
  });
});

describe("check_base_pinned", () => {
  test("a precise tag or a digest; latest, or no tag, named with the line", () => {
    expect(check_base_pinned(dockerfile("FROM python:3.11-slim\n")).ok).toBe(true);
    expect(check_base_pinned(dockerfile(`FROM python@sha256:${"a".repeat(64)}\n`)).ok).toBe(true);
    expect(check_base_pinned(dockerfile("FROM golang:1.19 AS build\nFROM scratch\n")).ok).toBe(true);
    const latest = check_base_pinned(dockerfile("FROM debian:bookworm-slim AS build\nFROM python:latest\n"));
    expect(latest.failures[0]).toMatch(/^L'étape finale part de « python:latest » \(ligne 2\) : le tag latest désigne une image différente/);
    expect(latest.facts).toEqual([{ kind: "dockerfile_lines", line: 2 }]);
    expect(check_base_pinned(dockerfile("FROM python\n")).failures[0]).toMatch(/sans tag, Docker prend latest/);
    // The final stage followed to the image it starts from.
    expect(check_base_pinned(dockerfile("FROM node AS base\nFROM base\n")).failures[0]).toMatch(/« node » \(ligne 1\)/);
  });
});

describe("check_base_image_layers", () => {
  test("the built image sits on the layers of the base named; a base absent from the machine is not the student's", async () => {
    engine_images.set("python:3.11-slim", image_facts({}, { layers: ["sha256:a", "sha256:b"] }));
    expect(await check_base_image_layers({ facts: image_facts({}, { layers: ["sha256:a", "sha256:b", "sha256:c"] }) }, "python:3.11-slim")).toMatchObject({ ok: true });
    expect((await check_base_image_layers({ facts: image_facts({}, { layers: ["sha256:x", "sha256:b"] }) }, "python:3.11-slim")).failures).toEqual([
      "L'image construite ne repose pas sur les couches de python:3.11-slim.",
    ]);
    await expect(check_base_image_layers({ facts: image_facts() }, "node:22-slim")).rejects.toThrow(BaseImageMissingError);
  });
});

describe("what a spec writes wrong", () => {
  test.each([
    ["an empty image", () => check_base_image(dockerfile("FROM scratch\n"), "")],
    ["a negative stage", () => check_base_image(dockerfile("FROM scratch\n"), "scratch", { stage: -1 })],
    ["a stage count of 0", () => check_stage_count(dockerfile("FROM scratch"), 0)],
    ["min above max", () => check_stage_count(dockerfile("FROM scratch"), { min: 3, max: 2 })],
  ])("%s", (_what, run) => {
    expect(run).toThrow(SpecConfigError);
  });
});
