#!/usr/bin/env node
// Benchmark of `dockerlings cohort grade`: a synthetic class of submissions
// (solutions, starters, the course's wrong answers, students who changed only
// some exercises), graded warm at --concurrency 1 and at the default
// concurrency (the machine's cores), then a rerun with nothing changed, next
// to the same submissions graded one by one with `dockerlings grade
// --no-daemon`; the peak memory of the grader's processes (all of them, the
// spec workers' threads included) is sampled, as PSS (each page counted once:
// a page that two processes share, the node binary's, is split between them;
// what the machine gives them, what a container's memory limit sees) with the
// sum of their RSS beside it (which counts the shared pages once per process).
// The goal is held against the PSS. It ends with a capacity line:
// the seconds per exercise graded, measured on four students (one of each
// kind) across the whole course at the default concurrency, and what that
// makes for 500 students × the course's exercises on 20 runners like this
// one. Figures only, nothing asserted: the machine may be shared.
//
//   npm run bench:cohort [-- --students 24] [--only 01,04,05,07,08] [--skip-one-by-one] [--skip-capacity]
//
// Needs the built CLI (npm run build) and the base images (scripts/setup.sh).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { against_floor, against_goal, machine_line } from "./bench-common.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "dockerlings.js");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const students = Number(option("students", "24"));
const only = option("only", "01,04,05,07,08");
const one_by_one = !args.includes("--skip-one-by-one");
const capacity = !args.includes("--skip-capacity");

const course_ids = fs
  .readdirSync(path.join(root, "exercises"))
  .filter((id) => fs.existsSync(path.join(root, "exercises", id, "spec.test.ts")))
  .sort();
const exercise_ids = course_ids.filter((id) => only.split(",").some((n) => id === n || id.startsWith(`${n}-`)));
if (exercise_ids.length === 0) throw new Error(`--only ${only}: no such exercise`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dl-bench-cohort-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));

function copy(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (source) => !source.endsWith("expect.yaml") });
}

/** A class in `dir`: four kinds of student in turn, each Dockerfile marked so that no two submissions have the same files. */
function make_class(dir, count, exercises) {
  const kinds = ["solution", "starter", "wrong", "partial"];
  const lines = ["students:"];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length];
    const id = `s${String(i + 1).padStart(2, "0")}-${kind}`;
    exercises.forEach((exercise, e) => {
      const target = path.join(work, dir, id, exercise);
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
    lines.push(`  - { id: ${id}, path: ${dir}/${id} }`);
  }
  return lines;
}

/** RSS and PSS of a process and its descendants, in bytes (Linux /proc). */
function tree_memory(pid) {
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
  const total = { rss: 0, pss: 0 };
  const visit = (p) => {
    try {
      const rollup = fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      total.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      total.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
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
    const peak = { rss: 0, pss: 0 };
    const sampler = setInterval(() => {
      const now = tree_memory(child.pid);
      peak.rss = Math.max(peak.rss, now.rss);
      peak.pss = Math.max(peak.pss, now.pss);
    }, 100);
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
const memory = (peak) => `peak (PSS) ${against_goal(peak.pss / 1e6, 300, "MB")}; RSS summed ${Math.round(peak.rss / 1e6)} MB`;

const lines = make_class("class", students, exercise_ids);
fs.writeFileSync(path.join(work, "cohort.yaml"), `${lines.join("\n")}\n`);
// One student of each kind, to warm the build cache before measuring.
fs.writeFileSync(path.join(work, "warm.yaml"), `${lines.slice(0, 5).join("\n")}\n`);
const cores = os.availableParallelism?.() ?? os.cpus().length;
console.log(`class: ${students} submissions × ${exercise_ids.join(", ")} (solutions, starters, wrong answers, partial), in ${work}`);
// Warm: base images present and the build cache filled by one grading of every kind.
await dockerlings(["cohort", "grade", "warm.yaml", "--db", "warm.db", "--only", only]);
console.log("warm-up done");

const c1 = await dockerlings(["cohort", "grade", "cohort.yaml", "--db", "c1.db", "--only", only, "--concurrency", "1"]);
const cd = await dockerlings(["cohort", "grade", "cohort.yaml", "--db", "cd.db", "--only", only]);
const rerun = await dockerlings(["cohort", "grade", "cohort.yaml", "--db", "cd.db", "--only", only]);
console.log(machine_line());
console.log(`--concurrency 1:          ${s(c1.ms)} (${s(c1.ms / students)} per submission), ${memory(c1.peak)}`);
console.log(`default concurrency (${cores}): ${s(cd.ms)} (${s(cd.ms / students)} per submission), ${memory(cd.peak)}`);
console.log(`speedup from 1 to ${cores} workers: ${against_floor(c1.ms / cd.ms, 1.6)}`);
console.log(`rerun, nothing changed: ${s(rerun.ms)} for the whole class (process start included), ${memory(rerun.peak)}`);

if (one_by_one) {
  let sum = 0;
  const peak = { rss: 0, pss: 0 };
  for (const dir of fs.readdirSync(path.join(work, "class")).sort()) {
    const run = await dockerlings(["grade", "--workspace", path.join("class", dir), "--only", only, "--no-daemon"]);
    sum += run.ms;
    peak.rss = Math.max(peak.rss, run.peak.rss);
    peak.pss = Math.max(peak.pss, run.peak.pss);
  }
  console.log(`one by one with \`dockerlings grade --no-daemon\`: ${s(sum)} in all (${s(sum / students)} each), peak ${Math.round(peak.pss / 1e6)} MB (PSS), RSS ${Math.round(peak.rss / 1e6)} MB`);
  console.log(`cohort / one by one: ${(c1.ms / sum).toFixed(2)} at --concurrency 1, ${(cd.ms / sum).toFixed(2)} at the default`);
}

if (capacity) {
  // The whole course, four students (one of each kind), graded once to fill the cache, then measured.
  const course_lines = make_class("course-class", 4, course_ids);
  fs.writeFileSync(path.join(work, "course.yaml"), `${course_lines.join("\n")}\n`);
  await dockerlings(["cohort", "grade", "course.yaml", "--db", "course-warm.db"]);
  const run = await dockerlings(["cohort", "grade", "course.yaml", "--db", "course.db"]);
  const graded = 4 * course_ids.length;
  const per_exercise = run.ms / 1000 / graded;
  const class_size = 500;
  const runners = 20;
  const wall_s = (class_size * course_ids.length * per_exercise) / runners;
  console.log(
    `capacity: ${per_exercise.toFixed(2)} s per exercise graded (4 students × ${course_ids.length} exercises at the default concurrency, ${s(run.ms)}, ${memory(run.peak)}); ` +
      `${class_size} students × ${course_ids.length} exercises on ${runners} runners like this one: ${Math.round((class_size * course_ids.length) / runners)} exercises each, ` +
      `about ${(wall_s / 60).toFixed(0)} min of grading per runner (plus its start: engine, base images, npm ci)`,
  );
}
