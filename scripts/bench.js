#!/usr/bin/env node
// Benchmark: the grader's time next to the raw engine operations it needs,
// measured in the same run on the same machine, interleaved.
//
//   npm run bench [-- --runs 5 --exercise 01-premier-dockerfile]
//
// For one exercise's solution (cache warm after a first build):
//   raw build      `docker build` with BuildKit (Debian's CLI, DOCKER_BUILDKIT=1)
//   raw run        `docker run --rm` of the built image
//   watch save     the watch loop, in-process (the real WatchLoop of dist/):
//                  from writing the Dockerfile to the verdict it prints
//                  (file event, debounce, staging, live build, checks, verdict)
//   grader build   the grader's BuildKit build through the API
//   grader warm    Grader.grade on a Grader kept open (what watch and cohorts do)
//   run_specs      run_specs: a Grader opened and closed per call, in-process
//   cli check      `dockerlings check --json`, a whole process as a student runs
//                  it, through the grading service (warm: started by a first
//                  check before the runs, whose time is shown apart)
//   cli grade      `dockerlings grade --only <exercise>`, the same way
//   check alone    `dockerlings check --no-daemon`: the process grades by itself
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("runs", "5"));
const id = option("exercise", "01-premier-dockerfile");
const dist = (file) => path.join(root, "dist", file);

const { build_image, run_specs, load_exercise, remove_managed, Grader } = await import(dist("grader/index.js"));
const { stop_services_in } = await import(dist("grader/service/client.js"));
const { against_goal, docker_cli, machine_line, median, seconds } = await import("./bench-common.js");
const { WatchLoop } = await import(dist("cli/commands/watch/watch-loop.js"));
const { open_course } = await import(dist("cli/state/course-state.js"));
const { configure_color } = await import(dist("cli/ui/color.js"));
const { set_lang } = await import(dist("cli/i18n/index.js"));
const exercise = load_exercise(root, id);
configure_color(false);
set_lang("fr");

const tag = `dockerlings/bench:${randomUUID().slice(0, 8)}`;
const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const sh = (cmd, argv, env = {}) => {
  const r = spawnSync(cmd, argv, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(" ")}: ${r.stderr}`);
  return r;
};

/** The watch loop on a copy of the solution, its output collected; `until` waits for text printed after now. */
async function start_watch_loop() {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "dl-bench-"));
  fs.cpSync(exercise.solution_dir, path.join(workspace, exercise.id), { recursive: true });
  let printed = "";
  let waiting;
  const out = new Writable({
    write(chunk, _encoding, done) {
      printed += chunk.toString();
      if (waiting && waiting.pattern.test(printed.slice(waiting.from))) waiting.resolve(performance.now());
      done();
    },
  });
  out.isTTY = false;
  const input = new PassThrough();
  const state = open_course({ workspace });
  const loop = new WatchLoop(state, exercise, { out, input });
  const until = (pattern) =>
    new Promise((resolve) => {
      waiting = { pattern, from: printed.length, resolve };
    });
  const t0 = performance.now();
  const first = until(/réussi : /);
  const ended = loop.run();
  // Past the course's welcome message, as a student presses Enter on a new workspace.
  setTimeout(() => input.write("\r"), 100);
  const cold_ms = (await first) - t0;
  return { loop, workspace, until, cold_ms, input, ended };
}

// The benchmark's own grading service, in a folder of its own, stopped at the end.
const services = fs.mkdtempSync(path.join(os.tmpdir(), "dl-bench-services-"));
const cli_env = { DOCKERLINGS_RUNTIME_DIR: services, DOCKERLINGS_DAEMON: "on" };
const cli = (argv, env = cli_env) => sh(process.execPath, [path.join(root, "bin/dockerlings.js"), ...argv], env);
const check_argv = ["check", id, "--workspace", "solutions", "--json"];
const grade_out = path.join(services, "grade.json");
const grade_argv = ["grade", "--workspace", "solutions", "--only", id, "--json", grade_out];

const samples = {
  "raw build": [],
  "raw run": [],
  "watch save": [],
  "grader build": [],
  "grader warm": [],
  run_specs: [],
  "cli check": [],
  "cli grade": [],
  "check alone": [],
};
sh(docker_cli, ["build", "-q", "-t", tag, exercise.solution_dir], { DOCKER_BUILDKIT: "1" }); // warm the cache
// The first check starts the service: a student's first check after a while away.
const first_check_ms = await time(() => cli(check_argv));
const watch = await start_watch_loop();
const grader = await Grader.open({ course_root: root });
await grader.grade({ exercise, dir: exercise.solution_dir });
const dockerfile = path.join(watch.workspace, exercise.id, "Dockerfile");
const content = fs.readFileSync(dockerfile, "utf8");
for (let i = 0; i < runs; i++) {
  samples["raw build"].push(await time(() => sh(docker_cli, ["build", "-q", "-t", tag, exercise.solution_dir], { DOCKER_BUILDKIT: "1" })));
  samples["raw run"].push(await time(() => sh(docker_cli, ["run", "--rm", "--network", "none", tag])));

  // A student's save: same content, a new modification time, a cached build.
  // The loop prepares the next grading once a verdict is out: let it load.
  await new Promise((r) => setTimeout(r, 1500));
  const verdict = watch.until(/réussi : /);
  const saved = performance.now();
  fs.writeFileSync(dockerfile, content);
  samples["watch save"].push((await verdict) - saved);

  const session = randomUUID();
  samples["grader build"].push(
    await time(() => build_image({ dir: exercise.solution_dir, tag: `dockerlings/bench:${session.slice(0, 8)}`, session })),
  );
  await remove_managed(session);
  samples["grader warm"].push(
    await time(async () => {
      const result = await grader.grade({ exercise, dir: exercise.solution_dir });
      if (result.status !== "pass") throw new Error(`grader warm: ${result.status} ${result.message ?? ""}`);
    }),
  );
  samples.run_specs.push(await time(() => run_specs([{ exercise, submission_dir: exercise.solution_dir }], { course_root: root })));
  samples["cli check"].push(await time(() => cli(check_argv)));
  samples["cli grade"].push(await time(() => cli(grade_argv)));
  samples["check alone"].push(await time(() => cli([...check_argv, "--no-daemon"], {})));
}
await grader.close();
await stop_services_in(services);
fs.rmSync(services, { recursive: true, force: true });
watch.input.write("q");
await watch.ended;
fs.rmSync(watch.workspace, { recursive: true, force: true });
sh(docker_cli, ["rmi", tag]);

const raw = median(samples["raw build"]) + median(samples["raw run"]);
console.log(`exercise ${id}, ${runs} runs, warm cache, medians, interleaved (${machine_line()}):`);
for (const [name, xs] of Object.entries(samples)) console.log(`  ${name.padEnd(13)} ${seconds(median(xs))}   [${xs.map((x) => (x / 1000).toFixed(2)).join(", ")}]`);
console.log(`  ${"raw total".padEnd(13)} ${seconds(raw)}   (raw build + raw run)`);
console.log(`  watch loop, first verdict after start: ${seconds(watch.cold_ms)}`);
console.log(`  first cli check, starting the service: ${seconds(first_check_ms)}`);
console.log(`  watch save / raw total:  ${against_goal(median(samples["watch save"]) / raw, 1.25)}`);
console.log(`  cli check / raw total:   ${against_goal(median(samples["cli check"]) / raw, 2)}`);
console.log(`  cli grade / raw total:   ${against_goal(median(samples["cli grade"]) / raw, 2)}`);
console.log(`  grader warm / raw total: ${(median(samples["grader warm"]) / raw).toFixed(2)}x`);
console.log(`  run_specs / raw total:   ${(median(samples.run_specs) / raw).toFixed(2)}x`);
console.log(`  check alone / raw total: ${(median(samples["check alone"]) / raw).toFixed(2)}x   (--no-daemon: the process grades by itself)`);
process.exitCode = 0;
