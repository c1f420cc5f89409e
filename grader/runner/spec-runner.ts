// One vitest instance kept for a series of gradings, one at a time: the watch
// loop re-grades on each save, `check` grades once. Each run is prepared
// before the image is built: its worker starts and loads the grader while the
// caller builds (warm-start.ts), then waits for go(). So neither vitest's
// start-up nor the grader's import lies between a save and its verdict, and
// the spec reuses the caller's build instead of building a second time.
//
//   const runner = await SpecRunner.create({ course_root });
//   const run = runner.prepare({ exercise, submission_dir });
//   const outcome = await build_image({ ...run.build_options(), on_progress });
//   const result = await run.go(outcome);   // undefined if cancelled meanwhile
//   await runner.close();
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { BroadcastChannel } from "node:worker_threads";
import type { TestModule, TestSpecification, Vitest } from "vitest/node";
import { remove_managed } from "../engine/cleanup.js";
import { sweep_on_interrupt } from "../engine/interrupt.js";
import type { BuildOptions, BuildOutcome } from "../engine/build.js";
import type { GradingContext } from "../spec/use-exercise.js";
import { cancel_run, exercise_result, type GradingRequest } from "./run-specs.js";
import type { ExerciseResult } from "./result.js";
import type { WarmMessage } from "./warm-start.js";

export interface SpecRunnerOptions {
  course_root: string;
  build_timeout_ms?: number;
  check_timeout_ms?: number;
}

/**
 * The setup file as TypeScript source: it must import the very grader module
 * the specs import (grader/index.ts), not the compiled copy under dist/.
 */
function warm_start_path(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== dir) {
    const candidate = path.join(dir, "grader", "runner", "warm-start.ts");
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error("grader/runner/warm-start.ts not found");
}

export class SpecRunner {
  private idle: Promise<unknown> = Promise.resolve();
  private current?: PreparedRun;
  private closed = false;

  private constructor(
    private readonly vitest: Vitest,
    readonly options: SpecRunnerOptions,
    private readonly runs: { current?: PreparedRun },
  ) {}

  static async create(options: SpecRunnerOptions): Promise<SpecRunner> {
    const { createVitest } = await import("vitest/node");
    const runs: { current?: PreparedRun } = {};
    const vitest = await createVitest(
      "test",
      {
        root: options.course_root,
        config: false,
        watch: false,
        reporters: [{ onTestModuleEnd: (module) => runs.current?.on_module_end(module) }],
        silent: true,
        include: ["exercises/*/spec.test.ts"],
        setupFiles: [warm_start_path()],
        testTimeout: options.check_timeout_ms ?? 180_000,
        hookTimeout: 120_000,
        // Threads start faster than forks, and BroadcastChannel reaches them.
        pool: "threads",
        maxWorkers: 1,
        fileParallelism: false,
        passWithNoTests: true,
      },
      { cacheDir: path.join(options.course_root, "node_modules", ".cache", "dockerlings-vite") },
    );
    return new SpecRunner(vitest, options, runs);
  }

  /**
   * Starts the run of `request`'s spec, which waits for go(). One run at a
   * time: a run prepared while another is still going starts after it ends
   * (cancel the other first to replace it).
   */
  prepare(request: GradingRequest, session: string = randomUUID()): PreparedRun {
    if (this.closed) throw new Error("SpecRunner is closed");
    const spec = this.vitest.getRootProject().createSpecification(path.resolve(request.exercise.spec_path));
    const after = this.idle;
    const run = new PreparedRun(this.vitest, spec, request, session, this.options, after);
    this.current = run;
    // Runs follow each other: the reporter speaks of the one that has started.
    void after.then(() => (this.runs.current = run));
    this.idle = run.settled;
    return run;
  }

  /** Cancels what is running and stops vitest. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.current?.cancel();
    await this.idle;
    await this.vitest.close();
  }
}

export type DefaultBuildOptions = Pick<BuildOptions, "dir" | "tag" | "session" | "exercise" | "timeout_ms">;

/** The options of an exercise's default build in `session`, as its spec would make it: the build go() can take. */
export function default_build_options(request: GradingRequest, session: string, build_timeout_ms?: number): DefaultBuildOptions {
  return {
    dir: path.resolve(request.submission_dir),
    tag: `dockerlings/${request.exercise.id}:${session.slice(0, 8)}-live`,
    session,
    exercise: request.exercise.id,
    timeout_ms: build_timeout_ms,
  };
}

type RunState = "waiting" | "running" | "cancelled" | "done";

export class PreparedRun {
  /** Resolves once the worker has loaded the grader and waits for go(). */
  readonly ready: Promise<void>;
  /** Resolves when the run is over and its session swept, whatever happened. */
  readonly settled: Promise<void>;
  private state: RunState = "waiting";
  private readonly channel: BroadcastChannel;
  private readonly result: Promise<ExerciseResult | undefined>;
  private cancelling?: Promise<void>;
  /** Called by the runner's reporter for each test module that ends. */
  on_module_end: (module: TestModule) => void = () => undefined;

  constructor(
    private readonly vitest: Vitest,
    spec: TestSpecification,
    readonly request: GradingRequest,
    readonly session: string,
    private readonly options: SpecRunnerOptions,
    after: Promise<unknown>,
  ) {
    this.channel = new BroadcastChannel(`dockerlings:${session}`);
    this.channel.unref();
    let on_ready!: () => void;
    this.ready = new Promise((resolve) => (on_ready = resolve));
    this.channel.onmessage = (event) => {
      if ((event.data as WarmMessage).type !== "ready") return;
      // Cancelled before the worker was listening: tell it now.
      if (this.cancelled()) this.post({ type: "abandon" });
      on_ready();
    };
    const stop_watching = sweep_on_interrupt(session);
    const submission_dir = path.resolve(request.submission_dir);
    const context: GradingContext = {
      session,
      submissions: { [request.exercise.id]: submission_dir },
      build_timeout_ms: options.build_timeout_ms,
    };
    const spec_path = path.resolve(spec.moduleId);
    const module_ended = new Promise<TestModule>((resolve) => {
      this.on_module_end = (module) => {
        if (path.resolve(module.moduleId) === spec_path) resolve(module);
      };
    });
    const run = after
      .catch(() => undefined)
      .then(() => {
        if (this.cancelled()) return undefined;
        this.vitest.provide("dockerlings", context);
        return this.vitest.runTestSpecifications([spec]);
      });
    // The verdict as soon as the spec's module has ended (its afterAll hooks
    // included), without waiting for vitest to tear its worker down.
    const run_module = run.then((r) => r?.testModules.find((m) => path.resolve(m.moduleId) === spec_path));
    this.result = Promise.race([module_ended, run_module]).then((module) =>
      this.cancelled() ? undefined : exercise_result(request.exercise, module),
    );
    this.settled = run
      .then(
        () => undefined,
        () => undefined,
      )
      .then(async () => {
        if (!this.cancelled()) this.state = "done";
        this.channel.close();
        await remove_managed(session);
        stop_watching();
      });
  }

  /** The options of the exercise's default build, as the spec would make it. */
  build_options(): DefaultBuildOptions {
    return default_build_options(this.request, this.session, this.options.build_timeout_ms);
  }

  /**
   * Lets the spec run, with `prebuilt` (made with build_options()) as its
   * default build; resolves with the result, or undefined if cancelled.
   * Rejects if vitest itself failed.
   */
  async go(prebuilt?: BuildOutcome): Promise<ExerciseResult | undefined> {
    if (this.state !== "waiting") return this.result;
    await Promise.race([this.ready, this.settled]);
    if (this.state !== "waiting") return this.result;
    this.state = "running";
    this.post({
      type: "go",
      prebuilt: prebuilt && {
        exercise: this.request.exercise.id,
        dir: path.resolve(this.request.submission_dir),
        outcome: prebuilt,
      },
    });
    return this.result;
  }

  /** Abandons the run, waiting or running; resolves once it has stopped and its session is swept. */
  cancel(): Promise<void> {
    this.cancelling ??= this.do_cancel();
    return this.cancelling;
  }

  private async do_cancel(): Promise<void> {
    const previous = this.state;
    if (previous === "done") return this.settled;
    this.state = "cancelled";
    this.post({ type: "abandon" });
    if (previous === "running") await cancel_run(this.vitest, this.session);
    await this.settled;
  }

  private cancelled(): boolean {
    return this.state === "cancelled";
  }

  private post(message: WarmMessage): void {
    try {
      this.channel.postMessage(message);
    } catch {
      // Closed: the run is already over.
    }
  }
}
