// Stages by name, the stage a plain build gives, and a variant's Dockerfile
// (docker build -f), read through the handle (no engine: the images' ids
// compared come from a fake exercise).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { read_dockerfile } from "../dockerfile/index.js";
import { fake_exercise, image_facts } from "../../test/helpers/fake-exercise.js";
import { check_default_target, check_dockerfile_present, check_stages_named } from "./targets.js";

/** The part of the handle these checks read: the Dockerfile, as the model reads it. */
const subject = (text: string) => ({ dockerfile: () => read_dockerfile(text) });

describe("stages by name (lesson 17)", () => {
  const text = "FROM python:3.11-slim AS base\nFROM base AS Dev\nFROM base AS production\n";

  test("names are found whatever their case; a missing one lists the named stages", () => {
    expect(check_stages_named(subject(text), ["dev"]).ok).toBe(true);
    const result = check_stages_named(subject(text), ["dev", "prod"]);
    expect(result.failures).toEqual([expect.stringMatching(/pas d'étape nommée « prod ».*« base », « dev », « production ».*FROM base AS prod/)]);
  });

  test("a Dockerfile without names says so", () => {
    expect(check_stages_named(subject("FROM debian:bookworm-slim\n"), ["prod"]).failures[0]).toMatch(/aucune de ses étapes n'a de nom/);
  });

  test("a spec naming no stage is a spec error", () => {
    expect(() => check_stages_named(subject(text), [])).toThrow(/Erreur dans le spec/);
  });
});

describe("a second Dockerfile (docker build -f)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-targets-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, "Dockerfile.vide"), "# rien encore\n");
  fs.writeFileSync(path.join(dir, "Dockerfile.outils"), "FROM python:3.11-slim\n");
  // The handle itself: it reads its variant's -f file without an engine.
  const handle = (dockerfile: string) => new ExerciseHandle("17-cibles", dir, "session", undefined, { dockerfile });

  test("absent, without FROM, or present", () => {
    expect(check_dockerfile_present(handle("Dockerfile.absent")).failures[0]).toMatch(/pas de fichier Dockerfile\.absent/);
    expect(check_dockerfile_present(handle("Dockerfile.vide")).failures[0]).toMatch(/n'a pas encore d'instruction FROM.*docker build -f Dockerfile\.vide/);
    expect(check_dockerfile_present(handle("Dockerfile.outils")).ok).toBe(true);
  });
});

describe("the stage a plain docker build gives (no --target)", () => {
  const text = "FROM python:3.11-slim AS dev\nRUN true\nFROM python:3.11-slim AS prod\nRUN true\n";

  test("the stage asked for comes last: the plain build and --target give one image", async () => {
    const ex = fake_exercise({ dockerfile: text, image: image_facts({}, { id: "sha256:prod" }) });
    expect(await check_default_target(ex, "prod")).toMatchObject({ ok: true });
  });

  test("another stage last: said with its name and line; a stage that does not exist, as check_stages_named says it", async () => {
    const reordered = "FROM python:3.11-slim AS prod\nRUN true\nFROM python:3.11-slim AS dev\nRUN true\n";
    const ex = fake_exercise({ dockerfile: reordered, image: image_facts({}, { id: "sha256:dev" }) });
    // The variant built with --target prod is another image.
    const variant = ex.variant.bind(ex);
    Object.assign(ex, { variant: (o: { target?: string }) => Object.assign(variant(o), { image: async () => ({ id: "sha256:prod", tag: "t", facts: image_facts({}, { id: "sha256:prod" }), history: async () => [] }) }) });
    const result = await check_default_target(ex, "prod");
    expect(result.failures).toEqual([
      "Sans --target, Docker construit la dernière étape du Dockerfile (ici « dev »), et elle n'est pas l'étape prod. Placez l'étape prod en dernier : c'est l'image qu'on obtient par défaut.",
    ]);
    expect(result.facts).toEqual([{ kind: "dockerfile_lines", line: 3 }]);
    expect((await check_default_target(ex, "test")).failures[0]).toMatch(/pas d'étape nommée « test »/);
  });
});
