// The build context as the grader packs it (grader/submission/context.ts, on a
// real folder; no engine): what the build needs is sent, what must stay out is
// named with its .dockerignore line, a size budget.
import { describe, expect, test } from "vitest";
import type { BuildOutcome } from "../engine/build.js";
import { plan_context } from "../submission/context.js";
import { fake_exercise } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_context } from "./context.js";

/** An exercise whose build packs its own folder, as build_image does. */
function packed(files: Record<string, string>) {
  return fake_exercise({
    dockerfile: "FROM node:22-slim\nCOPY . .\n",
    files,
    build: (_options, ex): BuildOutcome => ({ ok: true, image_id: "sha256:x", tag: "t", steps: [], duration_ms: 1, context: plan_context(ex.submission_dir) }),
  });
}

describe("check_context", () => {
  test("sends what the build needs and leaves out what it must not, within a budget", async () => {
    const ex = packed({ "package.json": "{}", "app.txt": "bonjour", ".env": "SECRET=1", ".dockerignore": ".env\n" });
    expect(await check_context(ex, { sends: ["package.json", "app.txt"], leaves_out: [{ pattern: ".env", why: "les secrets" }], max_bytes: 2000 })).toMatchObject({ ok: true });
  });

  test("a file the .dockerignore excludes but the app needs; a secret sent; over the budget: all said", async () => {
    const ex = packed({ "package.json": "{}", ".env": "SECRET=1", "logs/a.log": "x".repeat(3000), ".dockerignore": "package.json\n" });
    const result = await check_context(ex, { sends: ["package.json"], leaves_out: [{ pattern: ".env", why: "les secrets" }, { pattern: "logs/", why: "les journaux" }], max_bytes: 1000 });
    expect(result.failures[0]).toBe("Le .dockerignore exclut package.json, dont l'application a besoin : retirez la ligne qui le vise (ou ajoutez une exception « !package.json » après elle).");
    expect(result.failures[1]).toMatch(/^Le contexte envoyé au moteur contient \.env \(les secrets : 1 fichier, /);
    expect(result.failures[2]).toMatch(/^Le contexte envoyé au moteur contient logs \(les journaux : 1 fichier, /);
    expect(result.failures[3]).toMatch(/^Le contexte de build pèse .*, au-delà de /);
    expect(result.output).toMatch(/^Contexte envoyé : \d+ entrées, /);
  });

  test("a build refused before it packed anything: the build check says why", async () => {
    const refused = fake_exercise({ build: { ok: false, failure: { kind: "context-refused", message: "x", engine_message: "" }, steps: [], duration_ms: 0 } });
    expect((await check_context(refused, { sends: ["a"] })).failures).toEqual(["Le contexte de build n'a pas pu être préparé : voyez le premier test, « l'image se construit »."]);
  });

  test("nothing to check, a budget of 0: the spec's mistakes", async () => {
    await expect(check_context(packed({}), {})).rejects.toThrow(SpecConfigError);
    await expect(check_context(packed({}), { max_bytes: 0 })).rejects.toThrow(/max_bytes doit être positif/);
  });
});
