// The CLI end to end, on the real engine, with the exit codes of docs/contracts.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import Docker from "dockerode";
import { describe, expect, test } from "vitest";
import { dockerlings, project_root } from "./helpers/cli.js";

const EX = "01-premier-dockerfile";
const temp_dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "dl-cli-"));

describe("dockerlings check", () => {
  test("the solution passes: exit 0, JSON status pass, full points", async () => {
    const run = await dockerlings(["check", EX, "--workspace", "solutions", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ version: 3, exercise: EX, status: "pass", points: 10, max_points: 10 });
    expect(result.tests.length).toBeGreaterThanOrEqual(4);
    // Exercism's v3 fields, and how long the check took (measured by the runner).
    for (const t of result.tests) expect(Object.keys(t).sort()).toEqual(["duration_ms", "max_points", "name", "points", "status"]);
  });

  test("the starter fails: exit 1, status fail, and a message a beginner can act on", async () => {
    const run = await dockerlings(["check", EX, "--workspace", `exercises/${EX}/starter`, "--json"]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe("fail");
    const failed = result.tests.filter((t: { status: string }) => t.status === "fail");
    expect(failed.map((t: { message: string }) => t.message).join("\n")).toMatch(/Écrivez « FROM python:3\.11-slim »/);
  });

  test("the terminal output shows the build steps and each check", async () => {
    const run = await dockerlings(["check", "01", "--workspace", "solutions"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\[2\/2\] COPY bonjour\.py \/app\/bonjour\.py/);
    expect(run.stdout).toMatch(/✓ CMD est écrit en forme exec \(2\/2\)/);
    expect(run.stdout).toMatch(/réussi : 4\/4 vérifications, 10\/10 points/);
  });

  test("a failed build names the line and the fix", async () => {
    const ws = temp_dir();
    fs.cpSync(`solutions/${EX}`, path.join(ws, EX), { recursive: true });
    fs.writeFileSync(path.join(ws, EX, "Dockerfile"), "FROM python:3.11-slim\nCOPY bonjour.py /app/\nCMDD [\"python3\", \"/app/bonjour.py\"]\n");
    const run = await dockerlings(["check", EX, "--workspace", ws]);
    expect(run.code).toBe(1);
    // Messages are wrapped at 80 columns: compare with line breaks folded.
    expect(run.stdout.replace(/\s+/g, " ")).toMatch(/Ligne 3 : « CMDD » n'est pas une instruction Dockerfile\. Vouliez-vous écrire « CMD » \?/);
  });

  test("a build that waits for another grading's cache measure says so, then goes on", async () => {
    // The same engine under another name ("//var/run/..."): a lock folder of
    // its own, so the tests running next to this one are not held back.
    const engine = "unix:////var/run/docker.sock";
    const { lock_dir } = await import("../grader/host/build-lock.js");
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = engine;
    const dir = lock_dir()!;
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    // Long enough to outlast the CLI's start-up on a loaded machine: the build must find the lock held.
    const holder = spawn("sleep", ["8"], { stdio: "ignore" });
    fs.mkdirSync(path.join(dir, "exclusive"), { recursive: true });
    fs.writeFileSync(path.join(dir, "exclusive", "owner"), String(holder.pid));
    try {
      const run = await dockerlings(["check", "01", "--workspace", "solutions"], { env: { DOCKER_HOST: engine } });
      expect(run.stdout).toMatch(/En attente : une autre correction mesure le cache de build sur ce moteur Docker…/);
      expect(run.stdout).toMatch(/réussi : 4\/4 vérifications, 10\/10 points/);
      expect(run.code).toBe(0);
    } finally {
      holder.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("with no engine: exit 2 and how to start one", async () => {
    const run = await dockerlings(["check", EX, "--workspace", "solutions"], { env: { DOCKER_HOST: "unix:///tmp/no-docker-here.sock" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Aucun moteur Docker ne répond/);
    expect(run.stderr).toMatch(/Démarrez-en un/);
  });

  test("an unknown exercise: exit 2 and the list of ids", async () => {
    const run = await dockerlings(["check", "99-nope", "--workspace", "solutions"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Exercice inconnu : « 99-nope »/);
    expect(run.stderr).toContain(EX);
  });

  test("bad usage: exit 2", async () => {
    const run = await dockerlings(["check", "--no-such-flag"]);
    expect(run.code).toBe(2);
  });
});

describe("a student's workspace", () => {
  test("made by init, graded from any folder inside it, keeps progress and attempts", async () => {
    const cwd = temp_dir();
    const init = await dockerlings(["init"], { cwd });
    expect(init.code).toBe(0);
    const ws = path.join(cwd, "dockerlings");
    expect(fs.readFileSync(path.join(ws, EX, "Dockerfile"), "utf8")).toBe(
      fs.readFileSync(path.join(project_root, "exercises", EX, "starter", "Dockerfile"), "utf8"),
    );
    // From the exercise's own folder, as a student with an editor open there.
    const failing = await dockerlings(["check"], { cwd: path.join(ws, EX) });
    expect(failing.code).toBe(1);
    fs.copyFileSync(path.join(project_root, "solutions", EX, "Dockerfile"), path.join(ws, EX, "Dockerfile"));
    const passing = await dockerlings(["check"], { cwd: ws });
    expect(passing.code).toBe(0);
    const progress = JSON.parse(fs.readFileSync(path.join(ws, ".dockerlings", "progress.json"), "utf8"));
    expect(progress.exercises[EX]).toMatchObject({ status: "pass", points: 10, max_points: 10 });
    const history = fs.readFileSync(path.join(ws, ".dockerlings", "history.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(history).toEqual([
      { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), exercise: EX, points: expect.any(Number), hints: 0 },
      { time: expect.any(String), exercise: EX, points: 10, hints: 0 },
    ]);
    expect(history[0].points).toBeLessThan(10);
    const listed = await dockerlings(["list", "--json"], { cwd: path.join(ws, EX) });
    expect(JSON.parse(listed.stdout).exercises[0]).toMatchObject({ id: EX, status: "pass", part: "5.1", current: true });
  });
});

describe("doctor and clean", () => {
  test("doctor reports the engine, BuildKit and base images", async () => {
    const run = await dockerlings(["doctor"]);
    expect(run.stdout).toMatch(/✓ Moteur Docker \d+\.\d+/);
    expect(run.stdout).toMatch(/✓ BuildKit du moteur, utilisé par le correcteur/);
    expect(run.stdout).toMatch(/`docker build` construit avec BuildKit|`docker build` prendra l.ancien builder|`docker build` refusera|Pas de commande docker/);
    expect(run.stdout).toMatch(/✓ Image de base python:3\.11-slim/);
    expect(run.code).toBe(0);
  });

  test("doctor without an engine says how to start one, exit 2", async () => {
    const run = await dockerlings(["doctor"], { env: { DOCKER_HOST: "unix:///tmp/no-docker-here.sock" } });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✗ Moteur Docker injoignable/);
  });

  test("clean --session removes what that session left, and nothing else", async () => {
    // The whole-engine `clean` would also remove what other test files running
    // at the same time create: the test uses a session of its own.
    const docker = new Docker();
    const session = randomUUID();
    const other = randomUUID();
    const make = (s: string) =>
      docker.createContainer({ Image: "debian:bookworm-slim", Cmd: ["true"], Labels: { "dockerlings.managed": "true", "dockerlings.session": s } });
    const [mine, theirs] = await Promise.all([make(session), make(other)]);
    try {
      const run = await dockerlings(["clean", "--session", session]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Supprimé : 1 conteneur\(s\)/);
      await expect(mine.inspect()).rejects.toThrow();
      expect((await theirs.inspect()).Id).toBe(theirs.id);
    } finally {
      await theirs.remove({ force: true }).catch(() => undefined);
      await mine.remove({ force: true }).catch(() => undefined);
    }
  });
});
