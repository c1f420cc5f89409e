// Runs exercises' spec.test.ts through vitest's Node API against submission
// folders, and turns vitest's results into ExerciseResults. Everything the
// specs created is swept by session label afterwards, whatever happened.
import path from "node:path";
import { randomUUID } from "node:crypto";
// vitest/node is imported when a run starts, not with the grader: specs
// import the grader too, and each worker would otherwise load it for nothing.
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";
import { require_engine } from "../engine/client.js";
import { remove_managed } from "../engine/cleanup.js";
import { sweep_on_interrupt } from "../engine/interrupt.js";
import { name_container_limit } from "../config/limits.js";
import type { Exercise } from "../course/course.js";
import type { GradingContext } from "../spec/use-exercise.js";
import { cap_output, type CheckResult, type ExerciseResult } from "./result.js";

export interface GradingRequest {
  exercise: Exercise;
  submission_dir: string;
}

export interface RunOptions {
  course_root: string;
  session?: string;
  /** How many spec files run at once (each builds and runs its own images). */
  parallel?: number;
  build_timeout_ms?: number;
  check_timeout_ms?: number;
  on_exercise_done?: (result: ExerciseResult) => void;
  /**
   * Cancels the run: checks not started are skipped, what the specs created is
   * removed, and run_specs rejects with the signal's reason (an AbortError).
   */
  signal?: AbortSignal;
}

const silent_reporter: Reporter = {};

function clean_message(message: string): string {
  // Vitest prefixes assertion messages with the custom text: keep it readable.
  return message.replace(/^AssertionError: /, "").replace(/\u001b\[[0-9;]*m/g, "").trim();
}

type SpecError = { message?: string; output?: string; name?: string; lines?: unknown } | undefined;

/** A failure's message for the student; vitest's own timeout and the container limits said in the course's words. */
function failure_message(error: SpecError): string {
  const message = clean_message(error?.message ?? "échec");
  const timeout = /^Test timed out in (\d+)ms/.exec(message);
  if (timeout) {
    return (
      `Le check a dépassé sa limite de temps : ${Math.round(Number(timeout[1]) / 1000)} s, construction de l'image comprise. ` +
      "Le conteneur attend-il une saisie, ou une commande tourne-t-elle sans fin ?"
    );
  }
  const limit = name_container_limit(message, error?.output);
  return limit ? `${message}\nLimite atteinte : ${limit}.` : message;
}

/** Dockerfile lines a failure is about: given by the check (`lines`), or named by its message ("Ligne 3 ..."). */
function failure_lines(error: SpecError): number[] | undefined {
  const lines = new Set<number>();
  if (Array.isArray(error?.lines)) for (const l of error.lines) if (Number.isInteger(l) && l > 0) lines.add(l);
  for (const m of (error?.message ?? "").matchAll(/^(?:- )?Ligne (\d+)\b/gm)) lines.add(Number(m[1]));
  return lines.size > 0 ? [...lines].sort((a, b) => a - b) : undefined;
}

function check_result(test: TestCase): CheckResult {
  const weight = test.meta().points ?? 1;
  const result = test.result();
  if (result.state === "passed") return { name: test.name, status: "pass", points: weight, max_points: weight };
  if (result.state === "failed") {
    const error = result.errors[0] as SpecError;
    // A spec's own mistake is the course's error, not the student's failure.
    const is_spec_error = error?.name === "SpecConfigError";
    return {
      name: test.name,
      status: is_spec_error ? "error" : "fail",
      message: failure_message(error),
      output: cap_output(error?.output),
      points: 0,
      max_points: weight,
      ...(failure_lines(error) ? { lines: failure_lines(error) } : {}),
    };
  }
  return { name: test.name, status: "fail", message: "check non exécuté", points: 0, max_points: weight };
}

export function exercise_result(exercise: Exercise, module: TestModule | undefined): ExerciseResult {
  const base = { version: 3 as const, exercise: exercise.id, max_points: exercise.points };
  if (!module) return { ...base, status: "error", message: "le spec n'a pas été exécuté", points: 0, tests: [] };
  const tests = [...module.children.allTests()].map(check_result);
  const module_errors = module.errors();
  if (tests.length === 0 || (module_errors.length > 0 && tests.every((t) => t.status !== "pass"))) {
    const why = module_errors[0]?.message ?? "le spec ne contient aucun check";
    return { ...base, status: "error", message: `le spec n'a pas pu s'exécuter : ${clean_message(why)}`, points: 0, tests };
  }
  const points = tests.reduce((sum, t) => sum + t.points, 0);
  const spec_error = tests.find((t) => t.status === "error");
  return {
    ...base,
    status: spec_error ? "error" : tests.every((t) => t.status === "pass") ? "pass" : "fail",
    ...(spec_error ? { message: spec_error.message } : {}),
    points,
    tests,
    duration_ms: module.diagnostic().duration,
  };
}

/** Grades each request with its exercise's spec; throws EngineUnavailableError when no engine answers. */
export async function run_specs(requests: GradingRequest[], options: RunOptions): Promise<ExerciseResult[]> {
  options.signal?.throwIfAborted();
  await require_engine();
  const session = options.session ?? randomUUID();
  const provided: GradingContext = {
    session,
    submissions: Object.fromEntries(requests.map((r) => [r.exercise.id, path.resolve(r.submission_dir)])),
    build_timeout_ms: options.build_timeout_ms,
  };
  const on_done = options.on_exercise_done;
  const by_spec = new Map(requests.map((r) => [path.resolve(r.exercise.spec_path), r.exercise]));
  const reporter: Reporter = on_done
    ? {
        onTestModuleEnd(module) {
          const exercise = by_spec.get(path.resolve(module.moduleId));
          if (exercise) on_done(exercise_result(exercise, module));
        },
      }
    : silent_reporter;

  const stop_watching = sweep_on_interrupt(session);

  const { createVitest } = await import("vitest/node");
  const vitest = await createVitest(
    "test",
    {
      root: options.course_root,
      config: false,
      watch: false,
      reporters: [reporter],
      silent: true,
      include: ["exercises/*/spec.test.ts"],
      provide: { dockerlings: provided },
      // The first check that asks for the image waits for its build: it gets the build's time too.
      testTimeout: (options.check_timeout_ms ?? 180_000) + (options.build_timeout_ms ?? 0),
      hookTimeout: 120_000,
      pool: "forks",
      maxWorkers: options.parallel ?? 1,
      fileParallelism: (options.parallel ?? 1) > 1,
      passWithNoTests: true,
    },
    { cacheDir: path.join(options.course_root, "node_modules", ".cache", "dockerlings-vite") },
  );
  const on_abort = (): void => {
    void cancel_run(vitest, session);
  };
  options.signal?.addEventListener("abort", on_abort, { once: true });
  try {
    options.signal?.throwIfAborted();
    await vitest.start([...by_spec.keys()]);
    options.signal?.throwIfAborted();
    const modules = new Map(vitest.state.getTestModules().map((m) => [path.resolve(m.moduleId), m]));
    return requests.map((r) => exercise_result(r.exercise, modules.get(path.resolve(r.exercise.spec_path))));
  } finally {
    options.signal?.removeEventListener("abort", on_abort);
    await vitest.close();
    await remove_managed(session);
    stop_watching();
  }
}

/**
 * Stops a run quickly: vitest skips the checks not yet started, the sweep
 * ends the containers the running check waits on, and if the run still goes
 * on a second cancel stops its worker outright.
 */
export async function cancel_run(vitest: Vitest, session: string, grace_ms = 3000): Promise<void> {
  const ended = vitest.cancelCurrentRun("keyboard-input");
  await remove_managed(session);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), grace_ms);
  });
  if ((await Promise.race([ended, late])) === "late") await vitest.cancelCurrentRun("keyboard-input");
  clearTimeout(timer);
  await ended;
}
