import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { read_dockerfile } from "../dockerfile/index.js";
import { check_stages_named, check_dockerfile_present } from "./targets.js";
import { check_cache_mounts, cache_mount_targets } from "./cache-mounts.js";

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

describe("cache mounts (lesson 19)", () => {
  const expected = { run: /apt-get\b.*\binstall\b/, what: "installe les paquets", targets: ["/var/cache/apt", "/var/lib/apt"] };

  test("the mounts are read from the RUN's flags (target, dst, a trailing slash)", () => {
    const model = read_dockerfile("FROM debian:bookworm-slim\nRUN --mount=type=cache,dst=/var/cache/apt/ --mount=type=bind,target=/src --mount=type=cache,target=/var/lib/apt apt-get install -y jq\n");
    expect(cache_mount_targets(model.instructions[1]!)).toEqual(["/var/cache/apt", "/var/lib/apt"]);
  });

  test("on the install: passes; on another RUN: names the install's line; one target missing: names it", () => {
    const good = "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y jq\n";
    expect(check_cache_mounts(subject(good), expected).ok).toBe(true);
    const elsewhere = "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt true\nRUN apt-get update && apt-get install -y jq\n";
    const result = check_cache_mounts(subject(elsewhere), expected);
    expect(result.failures).toEqual([expect.stringMatching(/^Le RUN de la ligne 3 installe les paquets sans montage de cache/)]);
    expect(result.facts).toEqual([{ kind: "dockerfile_lines", line: 3 }]);
    const half = "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y jq\n";
    expect(check_cache_mounts(subject(half), expected).failures[0]).toMatch(/monte un cache sur \/var\/cache\/apt, mais pas sur \/var\/lib\/apt/);
    expect(check_cache_mounts(subject("FROM debian:bookworm-slim\n"), expected).failures[0]).toMatch(/aucune instruction RUN qui installe les paquets/);
  });
});
