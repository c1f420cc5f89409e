#!/usr/bin/env node
// Benchmark: grading the whole course (every solution) from a cold build cache
// and then warm, next to the raw `docker build` of the same folders measured in
// the same run. Base images are kept; only BuildKit's cache is emptied.
//
//   npm run bench:course [-- --parallel 2 --keep-cache]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const parallel = args.includes("--parallel") ? args[args.indexOf("--parallel") + 1] : "2";
const keep_cache = args.includes("--keep-cache");
const docker_cli = ["/usr/bin/docker", "docker"].find((bin) => spawnSync(bin, ["version"], { stdio: "ignore" }).status === 0);
const solutions = fs.readdirSync(path.join(root, "solutions")).filter((name) => !name.startsWith(".")).sort();

const time = (fn) => {
  const t0 = performance.now();
  const result = fn();
  return { seconds: (performance.now() - t0) / 1000, result };
};
const prune = () => spawnSync(docker_cli, ["builder", "prune", "-af"], { stdio: "ignore" });
const raw_builds = () =>
  time(() => {
    for (const id of solutions) {
      // Exercise 11's spec renames dot-git/ to .git/; the raw build does not need it.
      const r = spawnSync(docker_cli, ["build", "-q", "-t", `dockerlings-bench/${id}:raw`, path.join(root, "solutions", id)], {
        env: { ...process.env, DOCKER_BUILDKIT: "1" },
        encoding: "utf8",
      });
      if (r.status !== 0) console.error(`raw build of ${id} failed: ${r.stderr.trim().split("\n").at(-1)}`);
    }
    spawnSync(docker_cli, ["rmi", ...solutions.map((id) => `dockerlings-bench/${id}:raw`)], { stdio: "ignore" });
  });
const grade = (label) =>
  time(() => {
    const json = path.join(os.tmpdir(), `dockerlings-bench-grade-${label}.json`);
    const r = spawnSync(process.execPath, [path.join(root, "bin/dockerlings.js"), "grade", "--workspace", "solutions", "--parallel", parallel, "--json", json], {
      cwd: root,
      encoding: "utf8",
    });
    const summary = JSON.parse(fs.readFileSync(json, "utf8"));
    // A solution that loses points under load is worth knowing about: name the checks.
    const failures = (summary.results ?? []).flatMap((e) =>
      (e.tests ?? []).filter((t) => t.status !== "pass").map((t) => `${e.exercise}: ${t.name} (${t.status}) ${String(t.message ?? "").split("\n")[0]}`),
    );
    return { code: r.status, json, failures, points: summary.points, max: summary.max_points };
  });
const rows = [];
if (!keep_cache) prune();
rows.push(["raw docker build, cold", raw_builds().seconds]);
rows.push(["raw docker build, warm", raw_builds().seconds]);
if (!keep_cache) prune();
const cold = grade("cold");
rows.push([`dockerlings grade, cold (${cold.result.points}/${cold.result.max})`, cold.seconds]);
const warm = grade("warm");
rows.push([`dockerlings grade, warm (${warm.result.points}/${warm.result.max})`, warm.seconds]);
console.log(`${solutions.length} solutions, --parallel ${parallel}:`);
for (const [name, seconds] of rows) console.log(`  ${name.padEnd(40)} ${seconds.toFixed(1).padStart(7)} s`);
for (const run of [cold, warm]) {
  if (run.result.failures.length > 0) console.log(`\nnot passed in ${run.result.json}:\n  ${run.result.failures.join("\n  ")}`);
}
