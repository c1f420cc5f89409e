#!/usr/bin/env node
// Benchmark: `dockerlings grade` of every solution, warm, next to a raw floor
// measured in the same run: for each exercise, the engine operations its spec
// performs, replayed with the docker CLI.
//
//   npm run bench:course [-- --parallel 2 --runs 2 --cold]
//
// How the floor is found: one grading of the solutions is recorded through a
// socket of ours in front of the engine (DOCKER_HOST), which notes each build
// (its build arguments and target), each container (run to completion, or a
// server with published ports) and each exec, by the exercise label the
// grader puts on them. The floor replays them with Debian's docker CLI
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
import net from "node:net";
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
const solutions = fs
  .readdirSync(path.join(root, "solutions"))
  .filter((name) => !name.startsWith(".") && fs.existsSync(path.join(root, "exercises", name, "spec.test.ts")))
  .sort();

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

/** A proxy in front of the engine that notes builds, containers and execs by exercise. */
async function record() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-bench-rec-"));
  const socket = path.join(dir, "docker.sock");
  const ops = new Map(); // exercise -> { builds: [], runs: [], servers: [], execs: n }
  const of = (exercise) => {
    if (!ops.has(exercise)) ops.set(exercise, { builds: [], runs: [], servers: [], execs: 0 });
    return ops.get(exercise);
  };
  const containers = new Map(); // id -> { exercise, op }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://engine");
    const route = url.pathname.replace(/^\/v[\d.]+/, "");
    const chunks = [];
    const small = req.method === "POST" && /^\/containers\/(create|[^/]+\/(exec|wait|start))$/.test(route);
    const upstream = http.request({ socketPath: engine_socket, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      if (route === "/containers/create" && answer.statusCode === 201) {
        const body = [];
        answer.on("data", (c) => body.push(c));
        answer.on("end", () => {
          try {
            const created = JSON.parse(Buffer.concat(body).toString());
            const spec = JSON.parse(Buffer.concat(chunks).toString() || "{}");
            const exercise = spec.Labels?.["dockerlings.exercise"];
            if (exercise) {
              const ports = Object.keys(spec.HostConfig?.PortBindings ?? spec.ExposedPorts ?? {}).map((p) => p.split("/")[0]);
              const op = { image: spec.Image, cmd: spec.Cmd ?? undefined, entrypoint: spec.Entrypoint ?? undefined, env: spec.Env ?? [], user: spec.User || undefined, ports, waited: false, started: false };
              containers.set(created.Id, { exercise, op });
            }
          } catch {
            // Not ours to note.
          }
        });
      }
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    if (route === "/build") {
      const labels = JSON.parse(url.searchParams.get("labels") || "{}");
      const exercise = labels["dockerlings.exercise"];
      if (exercise) of(exercise).builds.push({ buildargs: JSON.parse(url.searchParams.get("buildargs") || "{}"), target: url.searchParams.get("target") || undefined });
    }
    const started = /^\/containers\/([^/]+)\/start$/.exec(route);
    if (started && containers.has(started[1])) containers.get(started[1]).op.started = true;
    const waited = /^\/containers\/([^/]+)\/wait$/.exec(route);
    if (waited && containers.has(waited[1])) containers.get(waited[1]).op.waited = true;
    const exec = /^\/containers\/([^/]+)\/exec$/.exec(route);
    if (exec && containers.has(exec[1])) of(containers.get(exec[1]).exercise).execs++;
    req.on("data", (c) => {
      if (small) chunks.push(c);
      upstream.write(c);
    });
    req.on("end", () => upstream.end());
  });
  // Attach and exec streams upgrade the connection: passed through as they are.
  server.on("upgrade", (req, client, head) => {
    const engine = net.connect(engine_socket, () => {
      engine.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`);
      if (head.length) engine.write(head);
      engine.pipe(client);
      client.pipe(engine);
    });
    engine.on("error", () => client.destroy());
    client.on("error", () => engine.destroy());
  });
  await new Promise((resolve) => server.listen(socket, resolve));
  const run = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin/dockerlings.js"), "grade", "--workspace", "solutions", "--only", solutions.join(","), "--parallel", "1"], {
      cwd: root,
      env: { ...process.env, DOCKER_HOST: `unix://${socket}` },
      stdio: "ignore",
    });
    child.on("close", resolve);
  });
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const { exercise, op } of containers.values()) {
    // A container only created (to read the image's files) is not replayed.
    if (!op.started) continue;
    const entry = of(exercise);
    if (op.waited) entry.runs.push(op);
    else entry.servers.push(op);
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
