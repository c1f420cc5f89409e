#!/usr/bin/env node
// Benchmark of the lint: a Dockerfile of about 2,000 lines (the corpus of
// test/lint-corpus/ repeated, each copy's stages renamed and each of its
// shell-form RUNs made unique with a `: <token>;` in front, so that the
// shell parser's cache never answers) linted in one process. Prints the
// module load (the shell grammar is WebAssembly, compiled once), the first
// lint, and the median of the next runs. Measured, not asserted: the goal is
// under 200 ms for the lint. It goes through grader/index.ts, as scripts do.
//   node scripts/bench-lint.js [runs]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 15);

const corpus = path.join(root, "test", "lint-corpus");
const files = fs.readdirSync(corpus).filter((file) => file.endsWith(".Dockerfile")).sort();
const pieces = files.map((file) => fs.readFileSync(path.join(corpus, file), "utf8").replace(/^# syntax=.*\n/m, ""));
/** The long Dockerfile, its RUN scripts unique to this run. */
function dockerfile(run) {
  let text = "";
  for (let copy = 0; text.split("\n").length < 2000; copy++) {
    for (const piece of pieces) {
      text += `${piece
        .replace(/\b(AS|FROM|--from=)(\s*)(base|build|modules)\b/g, `$1$2$3${copy}`)
        .replace(/^RUN (?![[<-])/gm, `RUN : r${run}c${copy}; `)}\n`;
    }
  }
  return text;
}
const texts = Array.from({ length: runs + 1 }, (_, run) => dockerfile(run));
const lines = texts[0].split("\n").length;

let start = performance.now();
const { lint_dockerfile } = await tsImport("../grader/index.ts", import.meta.url);
const load_ms = performance.now() - start;

start = performance.now();
const findings = lint_dockerfile(texts[0]).length;
const first_ms = performance.now() - start;

// Wall time, and the CPU time of this process: on a shared machine the first
// counts the waits for a core, the second only the lint's own work.
const times = [];
const cpu_times = [];
for (let i = 1; i <= runs; i++) {
  const cpu = process.cpuUsage();
  start = performance.now();
  lint_dockerfile(texts[i]);
  times.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  cpu_times.push((used.user + used.system) / 1000);
}
const median_of = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const median = median_of(times);
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`lint of a ${lines}-line Dockerfile (${findings} findings):`);
console.log(`  grader/index.ts load            ${ms(load_ms)}`);
console.log(`  first lint                      ${ms(first_ms)}`);
console.log(`  lint, median of ${runs}            ${ms(median)}   (goal: under 200 ms)`);
console.log(`  lint CPU time, median           ${ms(median_of(cpu_times))}   (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
