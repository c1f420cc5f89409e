#!/usr/bin/env node
// Benchmark: the grader's time next to the raw engine operations it needs,
// measured in the same run on the same machine.
//
//   npm run bench [-- --runs 5 --exercise 01-premier-dockerfile]
//
// For one exercise's solution (cache warm after a first build):
//   raw build      `docker build` with BuildKit (Debian's CLI, DOCKER_BUILDKIT=1)
//   raw run        `docker run --rm` of the built image
//   grader build   the grader's BuildKit build through the API
//   grader check   run_specs: every check of the exercise, in-process
//   cli check      `dockerlings check --json`, a whole process as a student runs it
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("runs", "5"));
const id = option("exercise", "01-premier-dockerfile");

const { build_image, run_specs, load_course, remove_managed } = await import(path.join(root, "dist/grader/index.js"));
const exercise = load_course(root).find((e) => e.id === id);
if (!exercise) throw new Error(`unknown exercise ${id}`);

// Debian's own docker client speaks BuildKit without the buildx plugin.
const docker_cli = ["/usr/bin/docker", "docker"].find((bin) => spawnSync(bin, ["version"], { stdio: "ignore" }).status === 0);
const tag = `dockerlings/bench:${randomUUID().slice(0, 8)}`;
const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const sh = (cmd, argv, env = {}) => {
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(" ")}: ${r.stderr}`);
  return r;
};

const samples = { "raw build": [], "raw run": [], "grader build": [], "grader check": [], "cli check": [] };
sh(docker_cli, ["build", "-q", "-t", tag, exercise.solution_dir], { DOCKER_BUILDKIT: "1" }); // warm the cache
for (let i = 0; i < runs; i++) {
  samples["raw build"].push(await time(() => sh(docker_cli, ["build", "-q", "-t", tag, exercise.solution_dir], { DOCKER_BUILDKIT: "1" })));
  samples["raw run"].push(await time(() => sh(docker_cli, ["run", "--rm", "--network", "none", tag])));
  const session = randomUUID();
  samples["grader build"].push(
    await time(() => build_image({ dir: exercise.solution_dir, tag: `dockerlings/bench:${session.slice(0, 8)}`, session })),
  );
  await remove_managed(session);
  samples["grader check"].push(
    await time(() => run_specs([{ exercise, submission_dir: exercise.solution_dir }], { course_root: root })),
  );
  samples["cli check"].push(
    await time(() => sh(process.execPath, [path.join(root, "bin/dockerlings.js"), "check", id, "--workspace", "solutions", "--json"])),
  );
}
sh(docker_cli, ["rmi", tag]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const raw = median(samples["raw build"]) + median(samples["raw run"]);
console.log(`exercise ${id}, ${runs} runs, warm cache, medians:`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`  ${name.padEnd(13)} ${(median(xs) / 1000).toFixed(2).padStart(6)} s`);
}
console.log(`  ${"raw total".padEnd(13)} ${(raw / 1000).toFixed(2).padStart(6)} s  (build + run)`);
console.log(`  grader check / raw total: ${(median(samples["grader check"]) / raw).toFixed(2)}x`);
console.log(`  cli check / raw total:    ${(median(samples["cli check"]) / raw).toFixed(2)}x`);
