#!/usr/bin/env node
// Benchmark of `dockerlings cohort grade`: a synthetic class of submissions
// (solutions, starters, the course's wrong answers, students who changed only
// some exercises), graded warm at --concurrency 1 and 2, next to the same
// submissions graded one by one with `dockerlings grade`, then a rerun with
// nothing changed; the peak memory of the grader's processes is sampled.
// Figures only, nothing asserted: the machine is shared.
//
//   node scripts/bench-cohort.js [--students 24] [--only 01,05] [--skip-one-by-one]
//
// Needs the built CLI (npm run build) and the base images (scripts/setup.sh).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "dockerlings.js");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const students = Number(option("students", "24"));
const only = option("only", "01,05");
const one_by_one = !args.includes("--skip-one-by-one");

const exercise_ids = fs
  .readdirSync(path.join(root, "exercises"))
  .filter((id) => only.split(",").some((n) => id === n || id.startsWith(`${n}-`)))
  .sort();
if (exercise_ids.length === 0) throw new Error(`--only ${only}: no such exercise`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dl-bench-cohort-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));

function copy(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (source) => !source.endsWith("expect.yaml") });
}

/** The class: four kinds of student in turn, each Dockerfile marked so that no two submissions have the same files. */
function make_class() {
  const kinds = ["solution", "starter", "wrong", "partial"];
  const lines = ["students:"];
  for (let i = 0; i < students; i++) {
    const kind = kinds[i % kinds.length];
    const id = `s${String(i + 1).padStart(2, "0")}-${kind}`;
    exercise_ids.forEach((exercise, e) => {
      const target = path.join(work, "class", id, exercise);
      const solution = path.join(root, "solutions", exercise);
      const starter = path.join(root, "exercises", exercise, "starter");
      if (kind === "solution" || (kind === "partial" && e === 0)) copy(solution, target);
      else if (kind === "starter" || kind === "partial") copy(starter, target);
      else {
        const wrong_root = path.join(root, "test", "wrong-answers", exercise);
        const wrongs = fs.existsSync(wrong_root) ? fs.readdirSync(wrong_root).sort() : [];
        copy(solution, target);
        if (wrongs.length > 0) copy(path.join(wrong_root, wrongs[Math.floor(i / kinds.length) % wrongs.length]), target);
      }
      const dockerfile = path.join(target, "Dockerfile");
      if (fs.existsSync(dockerfile)) fs.appendFileSync(dockerfile, `\n# ${id}\n`);
    });
    lines.push(`  - { id: ${id}, path: class/${id} }`);
  }
  fs.writeFileSync(path.join(work, "cohort.yaml"), `${lines.join("\n")}\n`);
  // One student of each kind, to warm the build cache before measuring.
  fs.writeFileSync(path.join(work, "warm.yaml"), `${lines.slice(0, 5).join("\n")}\n`);
}

/** RSS of a process and its descendants, in bytes (Linux /proc). */
function tree_rss(pid) {
  const children = new Map();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)).push(Number(name));
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const visit = (p) => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return total;
}

/** Runs the CLI; resolves with its wall time, peak memory and output. */
function dockerlings(argv) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, ...argv], { cwd: work, env: { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "en" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, tree_rss(child.pid))), 100);
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`dockerlings ${argv.join(" ")} exited ${code}\n${out}`));
      resolve({ ms, peak, out });
    });
  });
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;

make_class();
console.log(`class: ${students} submissions × ${exercise_ids.join(", ")} (solutions, starters, wrong answers, partial), in ${work}`);
// Warm: base images present and the build cache filled by one grading of every kind.
await dockerlings(["cohort", "grade", "warm.yaml", "--db", "warm.db", "--only", only, "--concurrency", "2"]);
console.log("warm-up done");

const c1 = await dockerlings(["cohort", "grade", "cohort.yaml", "--db", "c1.db", "--only", only, "--concurrency", "1"]);
const c2 = await dockerlings(["cohort", "grade", "cohort.yaml", "--db", "c2.db", "--only", only, "--concurrency", "2"]);
const rerun = await dockerlings(["cohort", "grade", "cohort.yaml", "--db", "c2.db", "--only", only, "--concurrency", "2"]);
console.log(`--concurrency 1: ${s(c1.ms)} (${s(c1.ms / students)} per submission), peak ${mb(c1.peak)}`);
console.log(`--concurrency 2: ${s(c2.ms)} (${s(c2.ms / students)} per submission), peak ${mb(c2.peak)}; speedup ${(c1.ms / c2.ms).toFixed(2)}x`);
console.log(`rerun, nothing changed: ${s(rerun.ms)} for the whole class (process start included), peak ${mb(rerun.peak)}`);

if (one_by_one) {
  let sum = 0;
  let peak = 0;
  for (const dir of fs.readdirSync(path.join(work, "class")).sort()) {
    const run = await dockerlings(["grade", "--workspace", path.join("class", dir), "--only", only]);
    sum += run.ms;
    peak = Math.max(peak, run.peak);
  }
  console.log(`one by one with \`dockerlings grade\`: ${s(sum)} in all (${s(sum / students)} each), peak ${mb(peak)}`);
  console.log(`cohort / one by one: ${(c1.ms / sum).toFixed(2)} at --concurrency 1, ${(c2.ms / sum).toFixed(2)} at --concurrency 2`);
}
