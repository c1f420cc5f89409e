#!/usr/bin/env node
// Benchmark: `dockerlings grade` of every solution, warm, next to a raw floor
// measured in the same run: for each exercise, the engine operations its spec
// performs, replayed with the docker CLI.
//
//   npm run bench:course [-- --parallel 2 --runs 2 --cold --only 01,02 --all]
//
// How the floor is found: one grading of the solutions is recorded from the
// engine's event stream, which notes each build (the tags it makes), each
// container (run to completion, or a server with published ports) and each
// exec, by the exercise label the grader puts on them. The floor replays them with Debian's docker CLI
// (/usr/bin/docker, DOCKER_BUILDKIT=1): `docker build` of the solution with
// the same arguments, `docker run --rm` with the same command, a server
// started with `docker run -d -p`, one HTTP GET on its first port once it
// answers, `docker rm -f`; `docker exec` for each exec. Builds of a changed
// copy (cache checks) are replayed on the solution itself: cached, so the
// floor is lower than the real work, never higher.
//   --cold  also grades once after `docker builder prune` (empties the shared
//           build cache: not while others use the engine).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const parallel = option("parallel", "2");
const runs = Number(option("runs", "2"));
const engine_socket = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");
const docker_cli = ["/usr/bin/docker", "docker"].find((bin) => spawnSync(bin, ["version"], { stdio: "ignore" }).status === 0);
// The course's first sixteen exercises by default (the figures of issue 9); --only 01,02,... or --all.
const all = fs
  .readdirSync(path.join(root, "solutions"))
  .filter((name) => !name.startsWith(".") && fs.existsSync(path.join(root, "exercises", name, "spec.test.ts")))
  .sort();
const only = option("only", undefined)?.split(",");
const solutions = args.includes("--all") ? all : only ? all.filter((id) => only.some((o) => id.startsWith(o))) : all.filter((id) => Number(id.slice(0, 2)) <= 16);

const now = () => performance.now();
const cli = (argv, env = {}) => spawnSync(docker_cli, argv, { env: { ...process.env, DOCKER_BUILDKIT: "1", ...env }, encoding: "utf8" });

/** `dockerlings grade` of every solution; its seconds, points and the checks not passed. */
function grade(label, env = {}) {
  const json = path.join(os.tmpdir(), `dockerlings-bench-grade-${label}.json`);
  const t0 = now();
  const r = spawnSync(process.execPath, [path.join(root, "bin/dockerlings.js"), "grade", "--workspace", "solutions", "--only", solutions.join(","), "--parallel", parallel, "--json", json], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  const seconds = (now() - t0) / 1000;
  if (!fs.existsSync(json)) throw new Error(`grade ${label} wrote no JSON (exit ${r.status}): ${r.stderr}`);
  const summary = JSON.parse(fs.readFileSync(json, "utf8"));
  const failures = (summary.results ?? []).flatMap((e) =>
    (e.tests ?? []).filter((t) => t.status !== "pass").map((t) => `${e.exercise}: ${t.name} (${t.status}) ${String(t.message ?? "").split("\n")[0]}`),
  );
  const errors = (summary.results ?? []).filter((e) => e.status === "error").map((e) => `${e.exercise}: ${String(e.message ?? "").split("\n")[0]}`);
  return { seconds, points: summary.points, max: summary.max_points, failures: [...errors, ...failures], json };
}

// ---- recording the engine operations of one grading ----------------------

/**
 * One grading of the solutions, its engine operations noted from the engine's
 * own event stream, by the exercise label the grader puts on what it creates:
 * builds (the tags it makes), containers (their command, user, env and ports,
 * inspected when they start; a server is one stopped by a kill, a run one that
 * ended by itself) and execs.
 */
async function record() {
  const { default: Docker } = await import("dockerode");
  const { randomUUID } = await import("node:crypto");
  // Only this grading's: others may be grading on the same engine.
  const session = randomUUID();
  const docker = new Docker();
  const ops = new Map(); // exercise -> { builds, runs, servers, execs }
  const of = (exercise) => {
    if (!ops.has(exercise)) ops.set(exercise, { builds: [], runs: [], servers: [], execs: 0 });
    return ops.get(exercise);
  };
  const containers = new Map(); // id -> { exercise, op, killed }
  const inspections = [];
  const stream = await docker.getEvents({ filters: JSON.stringify({ type: ["container", "image"] }) });
  let rest = "";
  stream.on("data", (chunk) => {
    const lines = (rest + chunk.toString()).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line);
      const attributes = event.Actor?.Attributes ?? {};
      if (event.Type === "image" && event.Action === "tag") {
        const name = /^dockerlings\/([^:]+):(\w{8})/.exec(attributes.name ?? "");
        if (name && name[2] !== session.slice(0, 8)) continue;
        if (name) of(name[1]).builds.push({ buildargs: {} });
        continue;
      }
      const exercise = attributes["dockerlings.exercise"];
      if (!exercise || attributes["dockerlings.session"] !== session) continue;
      const id = event.Actor.ID;
      if (event.Action === "start") {
        const entry = { exercise, op: undefined, killed: false };
        containers.set(id, entry);
        inspections.push(
          docker
            .getContainer(id)
            .inspect()
            .then((info) => {
              entry.op = {
                cmd: info.Config.Cmd ?? undefined,
                entrypoint: info.Config.Entrypoint ?? undefined,
                env: [],
                user: info.Config.User || undefined,
                ports: Object.keys(info.HostConfig?.PortBindings ?? {}).map((p) => p.split("/")[0]),
              };
            }, () => undefined),
        );
      } else if (event.Action === "kill" && containers.has(id)) containers.get(id).killed = true;
      else if (event.Action.startsWith("exec_create")) of(exercise).execs++;
    }
  });
  const run = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin/dockerlings.js"), "grade", "--workspace", "solutions", "--only", solutions.join(","), "--parallel", "1"], {
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, DOCKERLINGS_SESSION: session },
    });
    child.on("close", resolve);
  });
  await Promise.all(inspections);
  stream.destroy();
  for (const { exercise, op, killed } of containers.values()) {
    if (!op) continue;
    const entry = of(exercise);
    if (killed || op.ports.length > 0) entry.servers.push(op);
    else entry.runs.push(op);
  }
  return { ops, code: run };
}

// ---- the floor: the same operations with the docker CLI --------------------

async function http_get(port, deadline) {
  while (now() < deadline) {
    const ok = await new Promise((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/", timeout: 1000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(true));
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => req.destroy());
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function run_args(op) {
  const argv = ["--network", "bridge"];
  for (const e of op.env) argv.push("-e", e);
  if (op.user) argv.push("--user", op.user);
  if (op.entrypoint) argv.push("--entrypoint", op.entrypoint[0]);
  return { argv, tail: [...(op.entrypoint?.slice(1) ?? []), ...(op.cmd ?? [])] };
}

/** One exercise's recorded operations with the CLI; seconds taken. */
async function floor(exercise, entry) {
  const tag = `dockerlings-bench/${exercise}:floor`;
  const dir = path.join(root, "solutions", exercise);
  const t0 = now();
  for (const build of entry.builds.length ? entry.builds : [{ buildargs: {} }]) {
    const argv = ["build", "-q", "-t", tag];
    for (const [k, v] of Object.entries(build.buildargs)) argv.push("--build-arg", `${k}=${v}`);
    if (build.target) argv.push("--target", build.target);
    const r = cli([...argv, dir]);
    if (r.status !== 0) console.error(`  floor: build of ${exercise} failed: ${r.stderr.trim().split("\n").at(-1)}`);
  }
  for (const op of entry.runs) {
    const { argv, tail } = run_args(op);
    cli(["run", "--rm", ...argv, tag, ...tail]);
  }
  let execs = entry.execs;
  for (const op of entry.servers) {
    const { argv, tail } = run_args(op);
    const ports = op.ports.flatMap((p) => ["-p", `127.0.0.1::${p}`]);
    const id = cli(["run", "-d", ...argv, ...ports, tag, ...tail]).stdout.trim();
    if (op.ports[0]) {
      const published = cli(["port", id, op.ports[0]]).stdout.trim().split("\n")[0]?.split(":").at(-1);
      if (published) await http_get(Number(published), now() + 10_000);
    }
    for (; execs > 0; execs--) cli(["exec", id, "true"]);
    cli(["rm", "-f", "-v", id]);
  }
  const seconds = (now() - t0) / 1000;
  cli(["rmi", tag]);
  return seconds;
}

// ---- the run ---------------------------------------------------------------

if (args.includes("--cold")) {
  spawnSync(docker_cli, ["builder", "prune", "-af"], { stdio: "ignore" });
  const cold = grade("cold");
  console.log(`dockerlings grade, cold cache: ${cold.seconds.toFixed(1)} s (${cold.points}/${cold.max})`);
}
grade("warm-up"); // the build cache and the module cache warm
const recorded = await record();
const rows = [];
const warm = [];
let floor_total = 0;
for (let i = 0; i < runs; i++) {
  let total = 0;
  for (const exercise of solutions) {
    const seconds = await floor(exercise, recorded.ops.get(exercise) ?? { builds: [], runs: [], servers: [], execs: 0 });
    if (i === 0) rows.push([exercise, seconds, recorded.ops.get(exercise)]);
    total += seconds;
  }
  floor_total = i === 0 ? total : Math.min(floor_total, total);
  warm.push(grade(`warm-${i}`));
}
const best = warm.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const load = os.loadavg()[0].toFixed(1);
console.log(`${solutions.length} solutions, warm, grade --parallel ${parallel}, best of ${runs} (load average ${load} on ${os.cpus().length} CPUs):`);
console.log("  raw floor per exercise (builds, runs, servers, execs replayed with the docker CLI):");
for (const [exercise, seconds, ops] of rows) {
  const what = ops ? `${ops.builds.length} build, ${ops.runs.length} run, ${ops.servers.length} server, ${ops.execs} exec` : "not recorded";
  console.log(`    ${exercise.padEnd(24)} ${seconds.toFixed(2).padStart(6)} s   ${what}`);
}
console.log(`  raw floor, all exercises        ${floor_total.toFixed(1).padStart(6)} s`);
console.log(`  dockerlings grade, warm         ${best.seconds.toFixed(1).padStart(6)} s   [${warm.map((w) => w.seconds.toFixed(1)).join(", ")}] (${best.points}/${best.max})`);
console.log(`  grade / raw floor: ${(best.seconds / floor_total).toFixed(2)}x   (goal: 1.5x at most)`);
if (best.failures.length > 0) console.log(`\nnot passed in ${best.json}:\n  ${best.failures.join("\n  ")}`);
