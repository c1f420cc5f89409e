// The build cache after a change, and a second identical build, without an
// engine: a fake exercise's rebuilds report their steps as BuildKit does
// (cached or not) and their images' layers, as the engine would. What a check
// concludes from them, in Dockerfile order with each step's line.
// cache.docker.test.ts builds for real.
import { describe, expect, test, vi } from "vitest";
import type { BuildOutcome, BuildStep } from "../engine/build.js";
import type { ImageFacts } from "../engine/image.js";
import { fake_exercise, image_facts } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_cache_after_change, check_fully_cached } from "./cache.js";

const engine = vi.hoisted(() => ({ images: new Map<string, ImageFacts>(), removed: [] as string[] }));
vi.mock("../engine/image.js", async (original) => ({
  ...(await original<typeof import("../engine/image.js")>()),
  inspect_image: async (ref: string) => engine.images.get(ref) ?? Promise.reject(new Error(`No such image: ${ref}`)),
  remove_image: async (ref: string) => void engine.removed.push(ref),
}));
vi.mock("../host/build-lock.js", async (original) => ({
  ...(await original<typeof import("../host/build-lock.js")>()),
  with_exclusive_builds: <T>(work: () => Promise<T>) => work(),
}));

const GOOD = "FROM node:22-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\n";
const WRONG_ORDER = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm install\n";

/** A build of `dockerfile`'s steps: those in `redone` were rebuilt, the others came from the cache; its image's layers follow. */
function build_of(dockerfile: string, id: string, redone: string[]): BuildOutcome {
  const instructions = dockerfile.trim().split("\n").slice(1);
  const total = instructions.length + 1;
  const steps: BuildStep[] = instructions.map((instruction, i) => ({ name: `[${i + 2}/${total}] ${instruction}`, index: i + 2, total, instruction, cached: !redone.some((r) => instruction.includes(r)), output: [] }));
  // A step rebuilt makes a new layer, and every layer after it is new too.
  let changed = false;
  const layers = ["sha256:base", ...instructions.map((instruction, i) => ((changed ||= redone.some((r) => instruction.includes(r))) ? `sha256:${id}-${i}` : `sha256:same-${i}`))];
  engine.images.set(id, image_facts({}, { id, layers }));
  return { ok: true, image_id: id, tag: `dockerlings/00-faux:${id}`, steps, duration_ms: 1, context: { dir: "", entries: [], bytes: 0, ignored: [] } };
}

/** An exercise whose default build made `original`, and whose rebuilds are `rebuild()`'s. */
function exercise(dockerfile: string, rebuild: () => BuildOutcome) {
  // The first build made every layer: the rebuilds' cached steps give the same ones.
  const original = build_of(dockerfile, "original", []);
  return fake_exercise({
    dockerfile,
    files: { "package.json": "{}", "server.js": "// v1" },
    image: image_facts({}, { id: "original", layers: engine.images.get("original")!.layers }),
    build: (options) => (Object.keys(options as object).length === 0 ? original : rebuild()),
  });
}

describe("check_cache_after_change", () => {
  const expected = { change: { "server.js": "// v2" }, cached: "npm install", rebuilt: "COPY . ." };

  test("the dependencies' install reused, the code copied again: passes; the rebuilt image removed", async () => {
    const ex = exercise(GOOD, () => build_of(GOOD, "after", ["COPY . ."]));
    const result = await check_cache_after_change(ex, expected);
    expect(result).toMatchObject({ ok: true, changed: ["server.js"] });
    expect(result.steps.map((s) => [s.instruction, s.cached, s.line])).toEqual([
      ["WORKDIR /app", true, 2],
      ["COPY package.json .", true, 3],
      ["RUN npm install", true, 4],
      ["COPY . .", false, 5],
    ]);
    expect(engine.removed).toContain("dockerlings/00-faux:after");
  });

  test("the code copied before the install: the install redone, said with its line and what to change", async () => {
    const ex = exercise(WRONG_ORDER, () => build_of(WRONG_ORDER, "after", ["COPY . .", "RUN npm install"]));
    const result = await check_cache_after_change(ex, { change: { "server.js": "// v2" }, cached: "npm install" });
    expect(result.failures[0]).toMatch(/^Après la modification de server\.js, l'instruction « RUN npm install » \(ligne 4\) devait être reprise du cache, elle a été refaite\./);
  });

  test("a rebuild that fails: the build's failure, its output as data", async () => {
    const failing: BuildOutcome = { ok: false, failure: { kind: "run-failed", message: "Ligne 4 (RUN npm install) : la commande a échoué avec le code de sortie 1.", line: 4, exit_code: 1, output_tail: ["npm ERR! missing script"], engine_message: "" }, steps: [], duration_ms: 1 };
    const result = await check_cache_after_change(exercise(GOOD, () => failing), expected);
    expect(result.failures).toEqual(["Après la modification de server.js, l'image ne se construit plus.\nLigne 4 (RUN npm install) : la commande a échoué avec le code de sortie 1."]);
    expect(result.output).toBe("npm ERR! missing script");
  });

  test("an empty change, a change outside the folder, nothing to check: the spec's mistakes", async () => {
    const ex = exercise(GOOD, () => build_of(GOOD, "after", []));
    await expect(check_cache_after_change(ex, { change: {}, cached: "x" })).rejects.toThrow(SpecConfigError);
    await expect(check_cache_after_change(ex, { change: { "../x": "y" }, cached: "x" })).rejects.toThrow(/donnez un chemin relatif/);
    await expect(check_cache_after_change(ex, { change: { "server.js": "y" } })).rejects.toThrow(/rien à vérifier/);
  });
});

describe("check_fully_cached", () => {
  test("a second identical build all from the cache: passes; an instruction redone named with its line", async () => {
    expect(await check_fully_cached(exercise(GOOD, () => build_of(GOOD, "again", [])))).toMatchObject({ ok: true });
    const remote = "FROM node:22-slim\nADD https://example.org/data.json /app/\nCOPY . .\n";
    const result = await check_fully_cached(exercise(remote, () => build_of(remote, "again", ["ADD https"])));
    expect(result.failures[0]).toMatch(/^Un second build identique devait reprendre toutes les instructions du cache ; ces instructions ont été refaites : « ADD https:\/\/example\.org\/data\.json \/app\/ » \(ligne 2\), « COPY \. \. » \(ligne 3\)\./);
  });
});
