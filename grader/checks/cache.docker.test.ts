// The build-cache checks on real rebuilds: a Dockerfile that installs its
// dependencies before copying the code (the cache survives a code change), one
// that copies everything first (it does not), and one whose install step does
// not depend on the dependency file at all.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { SpecConfigError, type CheckOutcome } from "./check.js";
import {
  check_cache_after_change,
  check_fully_cached,
} from "./cache.js";
import { remove_managed } from "../engine/cleanup.js";
import { image_exists } from "../engine/image.js";
import { must } from "../../test/helpers/outcome.js";
import { temp_folders } from "../../test/helpers/folders.js";

/** A check that must pass: its failures thrown as the student would read them. */

const session = randomUUID();
const docker = new Docker();
const folder = temp_folders();
const handles: ExerciseHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.dispose()));
  await remove_managed(session);
});

const app = { "app.py": 'print("bonjour")\n', "requirements.txt": "flask\n" };
const INSTALL = 'RUN echo "installation de $(cat requirements.txt)" > /deps.txt';
const exercise = (id: string, dockerfile: string[], files: Record<string, string> = app): ExerciseHandle => {
  const ex = new ExerciseHandle(id, folder({ ...files, Dockerfile: dockerfile.join("\n") + "\n" }), session);
  handles.push(ex);
  return ex;
};

const ordered = exercise("cache-ordered", [
  "FROM python:3.11-slim",
  "WORKDIR /app",
  "COPY requirements.txt .",
  INSTALL,
  "COPY . .",
  'CMD ["python3", "app.py"]',
]);
const copy_first = exercise("cache-copy-first", ["FROM python:3.11-slim", "WORKDIR /app", "COPY . .", INSTALL, 'CMD ["python3", "app.py"]']);
const hardcoded = exercise("cache-hardcoded", [
  "FROM python:3.11-slim",
  "WORKDIR /app",
  'RUN echo "installation de flask" > /deps.txt',
  "COPY . .",
  'CMD ["python3", "app.py"]',
]);

// A named build stage: its steps are checked on images of the stage built alone.
const staged = exercise(
  "cache-staged",
  [
    "FROM debian:bookworm-slim AS build",
    "WORKDIR /src",
    "COPY deps.txt .",
    "RUN cp deps.txt /deps.out",
    "COPY main.txt .",
    "RUN cat /deps.out main.txt > /out.txt",
    "FROM debian:bookworm-slim",
    "COPY --from=build /out.txt /out.txt",
  ],
  { "deps.txt": "a\n", "main.txt": "m\n" },
);

const leftover_copies = (): string[] => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("dockerlings-cache-"));
let copies_before: string[] = [];

beforeAll(async () => {
  copies_before = leftover_copies();
  await Promise.all([ordered.image(), copy_first.image(), hardcoded.image(), staged.image()]);
});

const code_change = { "app.py": (code: string | undefined) => `${code ?? ""}print("modifié")\n` };
const dependency_change = { "requirements.txt": "flask\nrequests\n" };

describe("expect_cache_after_change", () => {
  test("passes: the install step is cached after a code change and rebuilt after a dependency change", async () => {
    const result = await check_cache_after_change(ordered, { change: code_change, cached: { matches: /RUN .*requirements/, shown: "/RUN .*requirements/" }, rebuilt: "COPY . ." });
    expect(result.ok).toBe(true);
    expect(result.changed).toEqual(["app.py"]);
    expect(result.steps.map((s) => [s.instruction, s.cached, s.line])).toEqual([
      ["WORKDIR /app", true, 2],
      ["COPY requirements.txt .", true, 3],
      [INSTALL, true, 4],
      ["COPY . .", false, 5],
    ]);
    await must(check_cache_after_change(ordered, { change: dependency_change, rebuilt: [{ matches: /RUN .*requirements/, shown: "/RUN .*requirements/" }, "COPY requirements.txt"] }));
    // The rebuilt images are removed at once (by tag: the first build keeps its own), the copies too.
    expect(await image_exists(`dockerlings/cache-ordered:${session.slice(0, 8)}-1`)).toBe(false);
    expect(await image_exists(`dockerlings/cache-ordered:${session.slice(0, 8)}-0`)).toBe(true);
    expect(leftover_copies()).toEqual(copies_before);
  });

  test("fails when the code is copied before the install: names the COPY that invalidated the cache", async () => {
    const error = await must(check_cache_after_change(copy_first, { change: code_change, cached: { matches: /RUN .*requirements/, shown: "/RUN .*requirements/" } })).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `Après la modification de app.py, l'instruction « ${INSTALL} » (ligne 4) devait être reprise du cache, elle a été refaite.\n` +
        "Instructions du build après la modification :\n" +
        "  [2/4] WORKDIR /app : cache\n" +
        "  [3/4] COPY . . : refaite\n" +
        `  [4/4] ${INSTALL} : refaite\n` +
        "« COPY . . » (ligne 3) est la première instruction refaite : elle copie un fichier modifié (app.py), ce qui invalide le cache " +
        `pour elle et pour toutes les instructions qui la suivent. Placez « ${INSTALL} » (ligne 4) avant cette copie : copiez d'abord seulement ` +
        "les fichiers dont elle a besoin (le fichier des dépendances, comme requirements.txt ou package.json), lancez-la, " +
        "puis copiez le reste du code (COPY . .) après.",
    );
  });

  test("fails when the install step does not depend on the dependency file", async () => {
    const result = await check_cache_after_change(hardcoded, { change: dependency_change, rebuilt: { matches: /RUN .*installation/, shown: "/RUN .*installation/" }, cached: { matches: /pip install/, shown: "/pip install/" } });
    expect(result.failures).toHaveLength(1);
    const message = result.failures[0]!;
    expect(message).toContain("Le build ne contient pas /pip install/ : le Dockerfile doit avoir cette instruction.");
    expect(message).toContain(
      "Après la modification de requirements.txt, l'instruction « RUN echo \"installation de flask\" > /deps.txt » (ligne 3) devait être refaite, " +
        "elle a été reprise du cache : elle ne dépend donc pas de requirements.txt.",
    );
    expect(message).toContain("  [3/4] RUN echo \"installation de flask\" > /deps.txt : cache\n  [4/4] COPY . . : refaite");
    expect(message).toContain("copiez requirements.txt dans l'image avant elle (COPY requirements.txt .) et utilisez-le dans la commande");
  });

  test("the same check run again gives the same answer: the first run's rebuild in the cache is not the original's", async () => {
    // The earlier tests made these very changes once already.
    await must(check_cache_after_change(ordered, { change: dependency_change, rebuilt: [{ matches: /RUN .*requirements/, shown: "/RUN .*requirements/" }, "COPY requirements.txt"] }));
    expect((await check_cache_after_change(copy_first, { change: code_change, cached: { matches: /RUN .*requirements/, shown: "/RUN .*requirements/" } })).ok).toBe(false);
    for (let run = 0; run < 2; run++) {
      await must(check_cache_after_change(staged, { change: { "deps.txt": "b\n" }, rebuilt: [{ matches: /RUN cp deps/, shown: "/RUN cp deps/" }, { matches: /RUN cat/, shown: "/RUN cat/" }, "COPY --from=build"] }));
      const steps = (await check_cache_after_change(staged, { change: { "main.txt": "n\n" }, cached: { matches: /RUN cp deps/, shown: "/RUN cp deps/" }, rebuilt: { matches: /RUN cat/, shown: "/RUN cat/" } })).steps;
      expect(steps.map((s) => `${s.stage ?? ""} ${s.index} ${s.cached} ${s.line}`)).toEqual([
        "build 2 true 2",
        "build 3 true 3",
        "build 4 true 4",
        "build 5 false 5",
        "build 6 false 6",
        "stage-1 2 false 8",
      ]);
    }
  });

  test("mistakes of the spec are SpecConfigErrors, not failures of the student", async () => {
    await expect(must(check_cache_after_change(ordered, { change: {}, cached: "COPY" }))).rejects.toThrow(/l'ensemble de changements est vide/);
    await expect(must(check_cache_after_change(ordered, { change: { "../outside.py": "x" }, cached: "COPY" }))).rejects.toThrow(/sort du dossier de la soumission/);
    await expect(must(check_cache_after_change(ordered, { change: { "/etc/passwd": "x" }, cached: "COPY" }))).rejects.toThrow(SpecConfigError);
    await expect(must(check_cache_after_change(ordered, { change: { "app.py": "x" } }))).rejects.toThrow(/rien à vérifier/);
    await expect(must(check_cache_after_change(ordered, { change: { "app.py": 'print("bonjour")\n' }, cached: "COPY" }))).rejects.toThrow(
      /ne modifient aucun fichier/,
    );
    expect(leftover_copies()).toEqual(copies_before);
  });
});

describe("expect_fully_cached", () => {
  test("passes: a second identical build takes every step from the cache", async () => {
    await must(check_fully_cached(ordered));
    const result = await check_fully_cached(copy_first);
    expect(result.ok).toBe(true);
    expect(result.steps.every((s) => s.cached)).toBe(true);
  });

  test("a build sharing the base image runs next to it (grade --parallel): still fully cached", async () => {
    // BuildKit misses every cache hit above a FROM that a build still in
    // progress shares (moby/buildkit#4674), when that FROM was not in the
    // cache yet (a cold cache): the measure must wait for that build. A base
    // image BuildKit has never seen: debian plus one file, committed.
    const base = `dl-test/fresh-base-${randomUUID().slice(0, 8)}`;
    const maker = await docker.createContainer({ Image: "debian:bookworm-slim", Cmd: ["touch", `/fresh-${randomUUID()}`], Labels: { "dockerlings.managed": "true", "dockerlings.session": session } });
    await maker.start();
    await maker.wait();
    await maker.commit({ repo: base, tag: "latest", changes: ["LABEL dockerlings.managed=true", `LABEL dockerlings.session=${session}`] });
    await maker.remove();
    const slow = exercise("cache-slow-neighbour", [`FROM ${base}`, `RUN echo ${randomUUID()} && sleep 8`]);
    const neighbour = slow.build();
    await new Promise((r) => setTimeout(r, 1500)); // the neighbour's FROM is resolved and shared
    const quotes = exercise("cache-neighbour", [`FROM ${base}`, "COPY stamp.txt /stamp.txt", "RUN cat /stamp.txt"], { "stamp.txt": "1\n" });
    await quotes.image(); // built next to the neighbour, as the first check of an exercise is
    const result = await check_fully_cached(quotes);
    expect(result.failures).toEqual([]);
    expect(result.steps.map((s) => s.cached)).toEqual([true, true]);
    expect((await neighbour).ok).toBe(true);
  });

  test("fails, listing the steps that were redone, when the second build differs", async () => {
    // A submission that changes between two builds: what an ADD of a URL or a varying build argument does.
    const drifting = exercise("cache-drifting", ["FROM debian:bookworm-slim", "COPY stamp.txt /stamp.txt", "RUN cat /stamp.txt"]);
    fs.writeFileSync(path.join(drifting.submission_dir, "stamp.txt"), "1\n");
    await drifting.image();
    fs.writeFileSync(path.join(drifting.submission_dir, "stamp.txt"), "2\n");
    await expect(must(check_fully_cached(drifting))).rejects.toThrow(
      "Un second build identique devait reprendre toutes les instructions du cache ; ces instructions ont été refaites : " +
        "« COPY stamp.txt /stamp.txt » (ligne 2), « RUN cat /stamp.txt » (ligne 3).\n" +
        "Instructions du second build :\n  [2/3] COPY stamp.txt /stamp.txt : refaite\n  [3/3] RUN cat /stamp.txt : refaite\n" +
        "Une instruction qui dépend de l'extérieur ne vient jamais du cache",
    );
  });
});
