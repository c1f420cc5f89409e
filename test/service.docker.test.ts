// The grading service (grader/service/) as a student meets it through
// `check`, on the real engine: started by a first command and reused, in a
// folder and at a socket only its user can open, ended when idle, by
// `dockerlings stop`, by a newer version or when its socket goes, and never
// the cause of a lost grading (killed mid-grading, the command grades by
// itself; the next command starts another). Each test has its own service
// folder and stops what it started.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { running_services, stop_services_in } from "../grader/service/client.js";
import { sessions_from_base } from "../grader/engine/sweep-sessions.js";
import { dockerlings, project_root } from "./helpers/cli.js";
import { make_course, real_course } from "./helpers/course.js";

const EX = "01-premier-dockerfile";
let services: string;
let workspace: string;

beforeEach(() => {
  services = fs.mkdtempSync(path.join(os.tmpdir(), "dl-services-"));
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), "dl-service-ws-"));
  for (const id of [EX, "09-volume"]) fs.cpSync(path.join(project_root, "solutions", id), path.join(workspace, id), { recursive: true });
});

afterEach(async () => {
  await stop_services_in(services);
  fs.rmSync(services, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
});

/** The service on: this test's folder, whatever CI says. */
const env = (more: Record<string, string> = {}) => ({ DOCKERLINGS_RUNTIME_DIR: services, DOCKERLINGS_DAEMON: "on", ...more });
const check = (id: string, args: string[] = [], more: Record<string, string> = {}) =>
  dockerlings(["check", id, "--workspace", workspace, "--json", ...args], { env: env(more) });
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(condition: () => boolean | Promise<boolean>, timeout_ms: number): Promise<boolean> {
  const deadline = Date.now() + timeout_ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}
/** A result without its timings, to compare two gradings of the same folder. */
const verdict = (stdout: string) => JSON.parse(stdout, (key, value) => (key === "duration_ms" ? undefined : value));

describe("dockerlings check through the grading service", () => {
  test("a first check starts the service, the next one reuses it; both give the verdict of a grading in the command's own process", async () => {
    const first = await check(EX);
    expect(first.code, first.stderr).toBe(0);
    const [service] = await running_services(services);
    expect(service, "a service answers after the first check").toBeDefined();
    expect(alive(service!.pid)).toBe(true);

    const second = await check(EX);
    expect(second.code, second.stderr).toBe(0);
    expect((await running_services(services)).map((s) => s.pid)).toEqual([service!.pid]);

    const here = await check(EX, ["--no-daemon"]);
    expect(here.code, here.stderr).toBe(0);
    expect(verdict(second.stdout)).toEqual(verdict(here.stdout));
    expect(verdict(first.stdout)).toEqual(verdict(here.stdout));
    expect(verdict(here.stdout).status).toBe("pass");
  });

  test("its folder and its socket are the user's alone: another user cannot connect", async () => {
    expect((await check(EX)).code).toBe(0);
    const [service] = await running_services(services);
    const folder = fs.statSync(services);
    const socket = fs.statSync(service!.socket);
    expect(folder.mode & 0o777).toBe(0o700);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(socket.uid).toBe(process.getuid!());
    if (process.getuid!() !== 0) return; // only root can run a process as another user here
    // nobody (65534) tries to open it.
    const attempt = spawn(
      process.execPath,
      ["-e", `require("net").connect(${JSON.stringify(service!.socket)}).on("connect", () => { console.log("connected"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(1); })`],
      { uid: 65534, gid: 65534, stdio: ["ignore", "pipe", "pipe"] },
    );
    let said = "";
    attempt.stdout.on("data", (c: Buffer) => (said += c.toString()));
    const code = await new Promise<number | null>((resolve) => attempt.on("close", resolve));
    expect(said.trim()).toBe("EACCES");
    expect(code).toBe(1);
  });

  test("it ends by itself after its idle time, and removes its socket", async () => {
    expect((await check(EX, [], { DOCKERLINGS_DAEMON_IDLE_S: "2" })).code).toBe(0);
    const [service] = await running_services(services);
    expect(service).toBeDefined();
    expect(await until(() => !alive(service!.pid), 60_000)).toBe(true);
    expect(fs.existsSync(service!.socket)).toBe(false);
  });

  test("`dockerlings stop` ends it; with none running it says so", async () => {
    expect((await check(EX)).code).toBe(0);
    const [service] = await running_services(services);
    const stop = await dockerlings(["stop"], { env: env() });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/Service de correction arrêté \(1\)/);
    expect(alive(service!.pid)).toBe(false);
    expect(fs.existsSync(service!.socket)).toBe(false);
    const again = await dockerlings(["stop"], { env: env() });
    expect(again.stdout).toMatch(/Aucun service de correction ne tournait/);
  });

  test("a service whose socket is removed ends (a test run's folder removed takes its services with it)", async () => {
    expect((await check(EX)).code).toBe(0);
    const [service] = await running_services(services);
    fs.rmSync(service!.socket);
    expect(await until(() => !alive(service!.pid), 60_000)).toBe(true);
  });

  test("a newer version of the course replaces the service: the old one ends, the next check is graded by a new one", async () => {
    const course = make_course({ [EX]: real_course });
    try {
      const run = () => dockerlings(["check", EX, "--course", course, "--workspace", workspace, "--json"], { env: env() });
      expect((await run()).code).toBe(0);
      const [old] = await running_services(services);
      // The spec changes (an author's edit, an update of the course): its stamp changes.
      const spec = path.join(course, "exercises", EX, "spec.test.ts");
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(spec, later, later);
      const again = await run();
      expect(again.code, again.stderr).toBe(0);
      const now = await running_services(services);
      expect(now).toHaveLength(1);
      expect(now[0]!.pid).not.toBe(old!.pid);
      expect(now[0]!.stamp).not.toBe(old!.stamp);
      expect(await until(() => !alive(old!.pid), 60_000)).toBe(true);
    } finally {
      fs.rmSync(course, { recursive: true, force: true });
    }
  });

  test("killed mid-grading: the command grades by itself and says so, what the service made is removed, the next check starts another", async () => {
    // A first check starts the service (and loads 09's spec for the next one).
    expect((await check("09-volume")).code).toBe(0);
    const [service] = await running_services(services);
    const base = /sessions \*-([0-9a-f-]+)/.exec(fs.readFileSync(service!.socket.replace(/\.sock$/, ".log"), "utf8"))?.[1];
    expect(base).toBeDefined();

    // Human output: the build's first line says the grading has begun; then the service dies.
    const child = spawn(process.execPath, [path.join(project_root, "bin", "dockerlings.js"), "check", "09-volume", "--workspace", workspace], {
      cwd: project_root,
      env: { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr", ...env() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      if (!killed && /Construction de l'image/.test(stdout)) {
        killed = true;
        process.kill(service!.pid, "SIGKILL");
      }
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(killed).toBe(true);
    expect(stderr.replace(/\s+/g, " ")).toMatch(/Le service de correction s'est arrêté pendant la correction .* correction de nouveau, dans ce processus/);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toMatch(/réussi : \d+\/\d+ vérifications/);
    // Progress recorded as after any check.
    const progress = JSON.parse(fs.readFileSync(path.join(workspace, ".dockerlings", "progress.json"), "utf8"));
    expect(JSON.stringify(progress)).toMatch(/09-volume/);
    // Nothing the killed service was making is left on the engine.
    expect(await sessions_from_base(base!)).toEqual([]);

    // Its socket file is left, nobody behind it: the next service takes it over.
    expect(fs.existsSync(service!.socket)).toBe(true);
    const next = await check("09-volume");
    expect(next.code, next.stderr).toBe(0);
    const [fresh] = await running_services(services);
    expect(fresh!.pid).not.toBe(service!.pid);
  });

  test("no engine: the command says so (exit 2) and the service it started does not stay", async () => {
    const run = await check(EX, [], { DOCKER_HOST: `unix://${services}/no-engine.sock` });
    expect(run.code).toBe(2);
    expect(run.stderr.replace(/\s+/g, " ")).toMatch(/Aucun moteur Docker ne répond/);
    expect(await until(async () => (await running_services(services)).length === 0, 30_000)).toBe(true);
    const left = fs.readdirSync(services).filter((f) => f.endsWith(".sock"));
    expect(left).toEqual([]);
  });

  test("--no-daemon and DOCKERLINGS_DAEMON=off grade in the command's own process: no service is started", async () => {
    expect((await check(EX, ["--no-daemon"])).code).toBe(0);
    expect((await dockerlings(["check", EX, "--workspace", workspace, "--json"], { env: { DOCKERLINGS_RUNTIME_DIR: services, DOCKERLINGS_DAEMON: "off" } })).code).toBe(0);
    expect(fs.readdirSync(services).filter((f) => f.endsWith(".sock"))).toEqual([]);
  });

  test("grade goes through the same service as check: one service, the summary of a grading in the command's own process", async () => {
    expect((await check(EX)).code).toBe(0);
    const [service] = await running_services(services);
    const grade = async (name: string, args: string[] = []) => {
      const json = path.join(workspace, `${name}.json`);
      const run = await dockerlings(["grade", "--workspace", workspace, "--only", `01,09`, "--json", json, ...args], { env: env() });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Correction de 2 exercice\(s\)/);
      return JSON.parse(fs.readFileSync(json, "utf8"), (key, value) => (key === "duration_ms" || key === "graded_at" ? undefined : value));
    };
    const served = await grade("served");
    expect((await running_services(services)).map((s) => s.pid)).toEqual([service!.pid]);
    const here = await grade("here", ["--no-daemon"]);
    expect(served).toEqual(here);
    expect(served.points).toBe(served.max_points);
  });

  test("two commands at once share one service", async () => {
    const [a, b] = await Promise.all([check(EX), check("09-volume")]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await running_services(services)).toHaveLength(1);
    expect(a.stderr + b.stderr).not.toMatch(/indisponible/);
  });
});
