// `cohort grade` grades in a node of its own, started with the memory
// settings of a class (cli/cli.ts, in_class_node): the command's process
// waits for it and passes it the signals it gets. A CI that cancels the job
// sends SIGTERM to the command: the class node must stop, clean up as it would
// alone, and the command end with 143, nothing left on the engine.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, expect, test } from "vitest";
import Database from "better-sqlite3";
import { project_root } from "./helpers/cli.js";
import { fixture_course, make_course } from "./helpers/course.js";
import { remove_sessions_from_base, sessions_from_base } from "../grader/engine/sweep-sessions.js";

const EX = "90-serveur";
const course = make_course({ [EX]: fixture_course });
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-class-node-"));
const bases: string[] = [];
afterAll(async () => {
  await Promise.all(bases.map((base) => remove_sessions_from_base(base)));
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(course, { recursive: true, force: true });
});

/** The processes of this machine whose /proc/<pid>/<file> passes `test` (a process gone meanwhile does not). */
function processes_where(file: "stat" | "cmdline", test: (text: string) => boolean): number[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return test(fs.readFileSync(`/proc/${name}/${file}`, "utf8"));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The processes whose parent is `pid`. */
const children_of = (pid: number): number[] =>
  processes_where("stat", (stat) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid);

/** The processes whose command line holds `marker`: a build step's, seen from the host. */
const step_processes = (marker: string): number[] => processes_where("cmdline", (cmdline) => cmdline.includes(marker));

const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`);

test("SIGTERM to `cohort grade` during a build: the class node stops and cleans up, exit 143, nothing left", async () => {
  // A build that takes a minute: the signal comes during it.
  const dir = path.join(root, "rendus", "ana", EX);
  fs.mkdirSync(dir, { recursive: true });
  const marker = randomUUID();
  fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM python:3.11-slim\nRUN sleep 60 && echo ${marker}\nCMD ["python3", "-m", "http.server", "8000"]\n`);
  fs.writeFileSync(path.join(root, "roster.yaml"), "students:\n  - { id: ana, path: rendus/ana }\n");
  const db = path.join(root, "class.db");
  const command = spawn(process.execPath, [path.join(project_root, "bin", "dockerlings.js"), "cohort", "grade", "roster.yaml", "--db", db], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr", DOCKERLINGS_COURSE: course, MALLOC_ARENA_MAX: undefined, DOCKERLINGS_CLASS_NODE: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  command.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  command.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => command.on("exit", (code) => resolve(code)));

  // The class node, once its worker's session is recorded (the build starts right after).
  const deadline = Date.now() + 60_000;
  let node: number | undefined;
  let base: string | undefined;
  while (Date.now() < deadline && !(node && base)) {
    await new Promise((r) => setTimeout(r, 200));
    node = children_of(command.pid!)[0];
    try {
      const handle = new Database(db, { readonly: true });
      base = (handle.prepare("SELECT id FROM sessions").get() as { id: string } | undefined)?.id;
      handle.close();
    } catch {
      // Not made yet.
    }
  }
  expect(node, output).toBeDefined();
  expect(base, output).toBeDefined();
  bases.push(base!);
  // Started with the class's memory settings, on the same command line.
  const argv = fs.readFileSync(`/proc/${node}/cmdline`, "utf8").split("\0");
  expect(argv).toContain("--max-semi-space-size=1");
  expect(argv.slice(argv.indexOf("cohort"))).toEqual(["cohort", "grade", "roster.yaml", "--db", db, ""]);
  const environ = fs.readFileSync(`/proc/${node}/environ`, "utf8").split("\0");
  expect(environ).toContain("DOCKERLINGS_CLASS_NODE=1");
  expect(environ).toContain("MALLOC_ARENA_MAX=2");
  expect(children_of(node!).some((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cohort"))).toBe(false);

  // During the build: its RUN step's process runs (the engine is on this machine).
  while (Date.now() < deadline && step_processes(marker).length === 0) await new Promise((r) => setTimeout(r, 200));
  expect(step_processes(marker).length, output).toBeGreaterThan(0);
  const t0 = Date.now();
  command.kill("SIGTERM");
  expect(await exited).toBe(143);
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(alive(node!)).toBe(false);
  // The build stopped with it.
  while (step_processes(marker).length > 0 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 250));
  expect(step_processes(marker)).toEqual([]);
  // The sweep is handed to a detached process: within seconds, nothing of the class on the engine.
  let left = await sessions_from_base(base!);
  while (left.length > 0 && Date.now() - t0 < 30_000) {
    await new Promise((r) => setTimeout(r, 250));
    left = await sessions_from_base(base!);
  }
  expect(left).toEqual([]);
}, 120_000);
