// Nothing the grader creates outlives the grading: not after a pass, a failed
// build, a container that exits at once, nor Ctrl-C.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import Docker from "dockerode";
import { run_specs, load_exercise } from "../grader/index.js";
import { dockerlings, project_root } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT } from "./grade-helpers.js";

const docker = new Docker();
const fixture_course = path.join(project_root, "test", "fixtures", "course");
const exercise = load_exercise(fixture_course, "90-serveur");

function submission(dockerfile: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-sub-"));
  fs.writeFileSync(path.join(dir, "Dockerfile"), dockerfile);
  return dir;
}

describe("cleanup after grading", () => {
  test("a passing server submission: graded, then nothing left (container, volume, image)", async () => {
    const session = randomUUID();
    const [result] = await run_specs([{ exercise, submission_dir: exercise.solution_dir }], { course_root: fixture_course, session });
    expect(result).toMatchObject({ status: "pass", points: 3, max_points: 3 });
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
  });

  test("a container that exits at once: the check fails with its exit code and logs, nothing left", async () => {
    const session = randomUUID();
    const [result] = await run_specs([{ exercise, submission_dir: exercise.starter_dir }], { course_root: fixture_course, session });
    expect(result!.status).toBe("fail");
    const server_check = result!.tests[1]!;
    expect(server_check.message).toMatch(/s'est arrêté aussitôt \(code de sortie 0\)/);
    expect(server_check.output).toContain("pas de serveur");
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
  });

  test("a failed build: every check fails, the first with the build error, nothing left", async () => {
    const session = randomUUID();
    const dir = submission("FROM python:3.11-slim\nRUN exit 7\n");
    const [result] = await run_specs([{ exercise, submission_dir: dir }], { course_root: fixture_course, session });
    expect(result!.status).toBe("fail");
    expect(result!.tests[0]!.message).toMatch(/L'image ne se construit pas\.\nLigne 2 \(RUN exit 7\) : la commande a échoué avec le code de sortie 7/);
    expect(result!.tests[1]!.message).toMatch(/corrigez d'abord l'erreur de build/);
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
  });

  test("Ctrl-C during a check: the CLI stops, removes what it created, and names only this run's session", async () => {
    const session = randomUUID();
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), "dl-sigint-"));
    const dir = path.join(ws, "01-premier-dockerfile");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Dockerfile"), 'FROM python:3.11-slim\nCMD ["sleep", "25"]\n');
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [path.join(project_root, "bin", "dockerlings.js"), "check", "01", "--workspace", ws], {
      env: { ...process.env, DOCKERLINGS_SESSION: session, NO_COLOR: "1", DOCKERLINGS_LANG: "fr" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Wait until the grader's container runs, then interrupt.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const filters = JSON.stringify({ label: [`dockerlings.session=${session}`], status: ["running"] });
      if ((await docker.listContainers({ filters })).length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const t0 = Date.now();
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 130 : null))));
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(code).toBe(130);
    // On a shared engine a bare `dockerlings clean` would remove other gradings: the message names this run's session only.
    expect(stderr).toContain(`S'il en reste : \`dockerlings clean --session ${session}\``);
    expect(stderr).not.toMatch(/`dockerlings clean`/);
    // The sweep is handed to a detached process: it finishes within seconds.
    let left = await leftovers(session);
    while (JSON.stringify(left) !== JSON.stringify(NOTHING_LEFT) && Date.now() - t0 < 20_000) {
      await new Promise((r) => setTimeout(r, 250));
      left = await leftovers(session);
    }
    expect(left).toEqual(NOTHING_LEFT);
  });
  test("another remover already at work (a cancel racing the end of a run): ours returns only when the containers are gone", async () => {
    const { remove_managed } = await import("../grader/index.js");
    const session = randomUUID();
    const labels = { "dockerlings.managed": "true", "dockerlings.session": session };
    // Containers that ignore SIGTERM, each with a volume: removal takes a moment.
    for (let i = 0; i < 3; i++) {
      const volume = `dl-race-${session.slice(0, 8)}-${i}`;
      await docker.createVolume({ Name: volume, Labels: labels });
      const c = await docker.createContainer({
        Image: "debian:bookworm-slim",
        Cmd: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"],
        Labels: labels,
        HostConfig: { Mounts: [{ Type: "volume", Source: volume, Target: "/data" }] },
      });
      await c.start();
    }
    // Someone else starts removing them; ours must not return before they are gone.
    const listed = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dockerlings.session=${session}`] }) });
    const foreign = Promise.all(listed.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await new Promise((r) => setTimeout(r, 5));
    await remove_managed(session);
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
    await foreign;
  });
});

void dockerlings;
