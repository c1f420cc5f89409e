// Errors that are not the student's: the engine going away, a base image of
// the course missing, a bug of the grader or of the spec, a time-out of the
// grader's own work, a submission that cannot be staged. Each is status
// "error" with its error_kind, and a message that says what to do; none is a
// failed check. The student's own mistakes next to them stay failures.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { Grader, load_exercise, remove_managed } from "../grader/index.js";
import { dockerlings, project_root } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT, temp_dir } from "./grade-helpers.js";

const grader_index = path.join(project_root, "grader", "spec.js");
const ABSENT = "dockerlings-absent/base:1.0";

/** A course pack of one-exercise specs written here; a course.yaml naming an image no machine has. */
function course(specs: Record<string, string>): string {
  const root = temp_dir("dl-errors-");
  fs.symlinkSync(path.join(project_root, "node_modules"), path.join(root, "node_modules"));
  fs.writeFileSync(
    path.join(root, "course.yaml"),
    [
      "format: 1",
      "name: errors",
      "title: Erreurs du correcteur",
      "language: fr",
      "version: 0.0.1",
      'parts: [{ id: "1", title: Une partie }]',
      `base_images: [debian:bookworm-slim, "${ABSENT}"]`,
      "",
    ].join("\n"),
  );
  Object.entries(specs).forEach(([id, body], i) => {
    const dir = path.join(root, "exercises", id);
    fs.mkdirSync(path.join(dir, "starter"), { recursive: true });
    fs.writeFileSync(path.join(dir, "starter", "Dockerfile"), "FROM debian:bookworm-slim\n");
    fs.writeFileSync(path.join(dir, "lesson.md"), `# ${id}\n\nUne leçon.\n`);
    fs.writeFileSync(
      path.join(dir, "exercise.yaml"),
      [
        "format: 1",
        `id: ${id}`,
        `title: Exercice ${id}`,
        'part: "1"',
        `order: ${i + 1}`,
        "points: 2",
        `base_images: [debian:bookworm-slim, "${ABSENT}"]`,
        "editable: [Dockerfile]",
        'hints: ["premier indice", "deuxième indice", "troisième indice"]',
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(dir, "spec.test.ts"),
      `import { test, expect } from "vitest";\nimport { use_exercise, SpecConfigError } from ${JSON.stringify(grader_index)};\nconst ex = use_exercise(import.meta.url);\n${body}\n`,
    );
  });
  return root;
}

function submission(dockerfile: string): string {
  const dir = temp_dir("dl-errors-sub-");
  fs.writeFileSync(path.join(dir, "Dockerfile"), dockerfile);
  return dir;
}

const BUILDS = `test("l'image se construit", { meta: { points: 2 } }, async () => { expect((await ex.image()).id).toMatch(/^sha256:/); });`;
const root = course({
  "01-builds": BUILDS,
  "02-bug": `test("un check bogué", { meta: { points: 2 } }, () => { const facts: any = undefined; expect(facts.user).toBe("x"); });`,
  "03-spec": `test("un check mal écrit", { meta: { points: 2 } }, () => { throw new SpecConfigError("le spec attend un port qu'il ne nomme pas"); });`,
});
const exercise = (id: string) => load_exercise(root, id);
const sessions: string[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => remove_managed(s)));
});

async function grade_one(id: string, dockerfile: string, options: { startup_timeout_ms?: number } = {}) {
  const session = randomUUID();
  sessions.push(session);
  const grader = await Grader.open({ course_root: root, session, ...options });
  try {
    return { session, result: await grader.grade({ exercise: exercise(id), dir: submission(dockerfile) }) };
  } finally {
    await grader.close();
  }
}

describe("errors that are not the student's: status error, error_kind, what to do", () => {
  test("a base image of the course missing on this machine: base_image, regrade", async () => {
    const { session, result } = await grade_one("01-builds", `FROM ${ABSENT}\nCMD ["true"]\n`);
    expect(result).toMatchObject({ status: "error", error_kind: "base_image" });
    expect(result.message).toContain(ABSENT);
    expect(result.message).toMatch(/ce n'est pas une erreur de votre Dockerfile.*corrigez à nouveau/s);
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
  });

  test("a misspelt base image is the student's: a failed check, not an error", async () => {
    const { result } = await grade_one("01-builds", "FROM debain:bookworm-slim\n");
    expect(result).toMatchObject({ status: "fail", points: 0 });
    expect(result.error_kind).toBeUndefined();
  });

  test("a bug in a check (a TypeError): grader, no failed check", async () => {
    const { result } = await grade_one("02-bug", "FROM debian:bookworm-slim\n");
    expect(result).toMatchObject({ status: "error", error_kind: "grader" });
    expect(result.tests[0]).toMatchObject({ status: "error" });
    expect(result.message).toMatch(/Erreur interne du correcteur/);
  });

  test("a spec that is wrong (SpecConfigError): spec", async () => {
    const { result } = await grade_one("03-spec", "FROM debian:bookworm-slim\n");
    expect(result).toMatchObject({ status: "error", error_kind: "spec" });
    expect(result.message).toMatch(/le spec attend un port/);
  });

  test("the grader's own work timing out (the spec's worker not loaded in time): timeout", async () => {
    const { session, result } = await grade_one("01-builds", "FROM debian:bookworm-slim\n", { startup_timeout_ms: 1 });
    expect(result).toMatchObject({ status: "error", error_kind: "timeout" });
    expect(result.message).toMatch(/Relancez la correction/);
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
  });

  test("a submission that cannot be staged: refused, with its reason", async () => {
    const dir = submission("FROM debian:bookworm-slim\n");
    fs.writeFileSync(path.join(dir, "evil.test.ts"), "export {};\n");
    const grader = await Grader.open({ course_root: root });
    try {
      const result = await grader.grade({ exercise: exercise("01-builds"), dir });
      // The student's to fix: a fail, one check carrying the exercise's points, never a grader error.
      expect(result).toMatchObject({ status: "fail", error_kind: "refused", points: 0, tests: [{ name: "la soumission peut être corrigée", status: "fail" }] });
      expect(result.message).toMatch(/^Soumission refusée : elle contient « evil\.test\.ts »/);
    } finally {
      await grader.close();
    }
  });

  test("the engine going away during the checks: engine, exit 2, a message saying to grade again", async () => {
    // The real engine behind a socket of ours, which goes away when the first container is created.
    const dir = temp_dir("dl-engine-");
    const sock = path.join(dir, "docker.sock");
    const clients = new Set<net.Socket>();
    let gone = false;
    const proxy = net.createServer((client) => {
      if (gone) return client.destroy();
      clients.add(client);
      const engine = net.connect("/var/run/docker.sock");
      client.on("data", (chunk) => {
        if (!gone && /^POST \S*\/containers\/create/m.test(chunk.toString("latin1"))) {
          gone = true;
          for (const c of clients) c.destroy();
          proxy.close();
          engine.destroy();
          return;
        }
        engine.write(chunk);
      });
      engine.on("data", (chunk) => client.write(chunk));
      engine.on("error", () => client.destroy());
      client.on("error", () => engine.destroy());
      client.on("close", () => engine.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(sock, resolve));
    const session = randomUUID();
    sessions.push(session);
    try {
      const run = await dockerlings(["check", "01-premier-dockerfile", "--workspace", "solutions", "--json"], {
        env: { DOCKER_HOST: `unix://${sock}`, DOCKERLINGS_SESSION: session },
      });
      expect(gone).toBe(true);
      const result = JSON.parse(run.stdout);
      expect(result).toMatchObject({ status: "error", error_kind: "engine" });
      expect(result.message).toMatch(/Le moteur Docker a cessé de répondre/);
      expect(run.code).toBe(2);
      // The checks that ran before keep their verdict; none that met the gone engine lost the student points.
      expect(result.tests.filter((t: { status: string }) => t.status === "fail")).toEqual([]);
    } finally {
      proxy.close();
      await remove_managed(session);
    }
  });
});
