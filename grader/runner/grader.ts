// The one grading pipeline: `check`, the watch loop, `grade` and cohorts all
// grade through a Grader. Each grading stages the submission (the starter
// overlaid with the files the student may edit), builds its image here, step
// by step for whoever watches, while the spec's worker starts and loads the
// grader; the spec then takes that build as its own default build (the
// documented hook provide_builds of grader/spec/use-exercise.ts, set by
// warm-start.ts) and runs its checks. One vitest is kept for the Grader's
// life: its workers stay warm between gradings (pool threads, isolate off),
// so the second grading pays no start-up at all.
//
//   const grader = await Grader.open({ course_root });
//   const result = await grader.grade({ exercise, dir });          // one
//   const results = await grader.grade_all(requests);              // many, `parallel` at once
//   await grader.close();
//
// Gradings run in batches: one vitest run holds the gradings asked for while
// the previous run was going, one per exercise (a second grading of the same
// exercise waits for the next batch). A student's mistake is a result; what
// is not theirs (the engine gone, a base image missing, a bug of ours, a
// time-out of the grader's own work) is status "error" with its error_kind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { BroadcastChannel } from "node:worker_threads";
import type { TestModule, TestSpecification, Vitest } from "vitest/node";
import { build_image, type BuildOutcome, type BuildProgressEvent } from "../engine/build.js";
import { precheck_dockerfile } from "../dockerfile/build-failure.js";
import { require_engine } from "../engine/client.js";
import { remove_managed } from "../engine/cleanup.js";
import { image_exists } from "../engine/image.js";
import { sweep_on_interrupt } from "../engine/interrupt.js";
import { parse_image_ref, read_dockerfile } from "../dockerfile/index.js";
import { prepare_submission, SubmissionRefusedError } from "../submission/stage.js";
import { grading_defaults } from "../config/grading.js";
import type { Exercise } from "../course/course.js";
import type { GradingContext } from "../spec/use-exercise.js";
import type { GradedExercise, ExerciseResult } from "../result.js";
import { error_kind_of, error_result, exercise_result, refused_result, type SpecError } from "./verdict.js";
import { compiled_grader_external, compiled_grader_plugin, transform_caches, warm_start_path } from "./worker-grader.js";
import { channel_name, type WarmMessage } from "./worker-protocol.js";
import { ThreadPark } from "./thread-park.js";

export interface GraderOptions {
  /** The course pack: exercises/<id>/spec.test.ts are run from there. */
  course_root: string;
  /** Spec files graded at once (grade_all), each in its own worker. */
  parallel?: number;
  /** Label of what the first grading creates (DOCKERLINGS_SESSION: a test or a CI job finds it); later ones derive theirs from it. */
  session?: string;
  build_timeout_ms?: number;
  check_timeout_ms?: number;
  context_limit_bytes?: number;
  /** How long a spec's worker may take to load before the grading is an error (timeout). */
  startup_timeout_ms?: number;
}

export interface GradeRequest {
  exercise: Exercise;
  /** The student's folder for this exercise. */
  dir: string;
  /** How the result names the folder (GradedExercise.submission); the folder as given otherwise. */
  shown?: string;
  /** The default build's steps as they happen. */
  on_progress?: (event: BuildProgressEvent) => void;
  /** The build waits for another grading's cache measure (once, after a second). */
  on_wait?: () => void;
  /** The default build's outcome, as soon as it is known (the CLI shows a failing step's output). */
  on_build?: (outcome: BuildOutcome) => void;
  /** Abandons the grading (a newer save): grade() then rejects with an AbortError, nothing left behind. */
  signal?: AbortSignal;
  /**
   * "visible": a student's own grading (`check`, the watch loop) runs only the
   * checks they see before the deadline and counts the others as held back;
   * "all" (the default): every check, as `grade` and `cohort grade` run them.
   */
  checks?: "visible" | "all";
  /**
   * Base of this grading's session, when several callers share the Grader (a
   * cohort's workers): its batch's session derives from it as from the
   * Grader's own (the first is the base, later ones `<8 hex>-<base>`), so what
   * one caller made is found, and swept, by its base alone.
   */
  session_base?: string;
}

const abort_error = (): Error => Object.assign(new Error("grading abandoned"), { name: "AbortError" });
const is_abort = (error: unknown): boolean => (error as Error)?.name === "AbortError";

const LEAN_POOL = "dockerlings-threads";
// Each spec worker's young generation kept small: V8's default lets each
// isolate's grow to 48 MB, which a spec worker fills with garbage long before
// it collects it (measured: 410 MB for a class at --concurrency 2 with the
// default, 358 MB with 4 MB).
const WORKER_YOUNG_GENERATION_MB = 4;

/** Images of the course a Dockerfile starts from that this machine does not have. */
async function missing_course_images(dockerfile: string, exercise: Exercise): Promise<string[]> {
  const course = new Set(exercise.base_images.map((image) => parse_image_ref(image)?.familiar ?? image));
  let text: string;
  try {
    text = fs.readFileSync(dockerfile, "utf8");
  } catch {
    return [];
  }
  // The images its stages really start from, as the one model resolves them (ARGs, stage names, qualified names).
  const wanted = [...new Set(read_dockerfile(text).stages.flatMap((s) => (s.base ? [s.base.familiar] : [])))].filter((image) => course.has(image));
  const present = await Promise.all(wanted.map((image) => image_exists(image)));
  return wanted.filter((_, i) => !present[i]);
}

/** A few at a time; a grading whose spec already waits for its build goes first. */
class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}
  async run<T>(urgent: Promise<unknown>, fn: () => Promise<T>): Promise<T> {
    let counted = false;
    if (this.active >= this.size) {
      let release_slot!: () => void;
      const slot = new Promise<void>((resolve) => (release_slot = resolve));
      this.waiting.push(release_slot);
      const which = await Promise.race([slot.then(() => "slot" as const), urgent.then(() => "urgent" as const, () => "urgent" as const)]);
      if (which === "slot") counted = true;
      // Jumped the queue: give the slot on when it comes.
      else void slot.then(() => this.next());
    } else counted = true;
    if (counted) this.active++;
    try {
      return await fn();
    } finally {
      if (counted) {
        this.active--;
        this.next();
      }
    }
  }
  private next(): void {
    if (this.active < this.size) this.waiting.shift()?.();
  }
}

type SlotState = "waiting" | "assigned" | "running" | "done" | "abandoned";

/** One grading's place in a batch: its spec's worker, the folder it grades. */
class Slot {
  state: SlotState = "waiting";
  readonly ready: Promise<void>;
  readonly result: Promise<ExerciseResult | undefined>;
  mark_ready!: () => void;
  finish!: (result: ExerciseResult | undefined) => void;
  constructor(
    readonly exercise: Exercise,
    readonly batch: Batch,
    /** The staged folder, named before it is made: the spec reads it when it loads. */
    readonly dir: string,
  ) {
    this.ready = new Promise((resolve) => (this.mark_ready = resolve));
    this.result = new Promise((resolve) => (this.finish = resolve));
  }
  get spec_path(): string {
    return path.resolve(this.exercise.spec_path);
  }
}

class Batch {
  readonly slots = new Map<string, Slot>();
  started = false;
  run?: Promise<void>;
  channel?: BroadcastChannel;
  /** Ends the sweep of this batch's session on Ctrl-C (sweep_on_interrupt). */
  stop_watching?: () => void;
  constructor(
    readonly session: string,
    /** The base its session derives from (GradeRequest.session_base), if any. */
    readonly base: string | undefined,
  ) {}
}

export class Grader {
  private pending?: Batch;
  private current?: Batch;
  private chain: Promise<void> = Promise.resolve();
  /** Batches made per session base, "" for none: the first of a base takes the base itself as its session. */
  private readonly batches = new Map<string, number>();
  private closed = false;
  /** Sweeps of ended batches still going. */
  private readonly sweeps = new Set<Promise<unknown>>();
  private readonly gate: Gate;
  private readonly staging_root: string;
  readonly settings: Required<Omit<GraderOptions, "session">> & { session?: string };

  private vitest!: Vitest;

  private constructor(
    /** vitest, starting: a first build goes on meanwhile. */
    private readonly vitest_ready: Promise<Vitest>,
    /** The spec workers' threads, kept from one run to the next (thread-park.ts). */
    private readonly park: ThreadPark,
    options: GraderOptions,
  ) {
    void vitest_ready.then((v) => (this.vitest = v), () => undefined);
    const defaults = grading_defaults();
    this.settings = {
      course_root: options.course_root,
      parallel: Math.max(1, options.parallel ?? defaults.parallel),
      session: options.session,
      build_timeout_ms: options.build_timeout_ms ?? defaults.build_timeout_ms,
      check_timeout_ms: options.check_timeout_ms ?? defaults.check_timeout_ms,
      context_limit_bytes: options.context_limit_bytes ?? defaults.context_limit_bytes,
      startup_timeout_ms: options.startup_timeout_ms ?? defaults.hook_timeout_ms,
    };
    this.gate = new Gate(this.settings.parallel);
    this.staging_root = fs.mkdtempSync(path.join(os.tmpdir(), "dockerlings-grading-"));
    // Ctrl-C ends the process from the CLI's signal handler: the staged folders go with it.
    process.once("exit", this.remove_staging);
  }

  private readonly remove_staging = (): void => {
    fs.rmSync(this.staging_root, { recursive: true, force: true });
  };

  /** Starts the Grader's vitest (its workers start with the first grading). Throws EngineUnavailableError when no engine answers. */
  static async open(options: GraderOptions): Promise<Grader> {
    const holder: { grader?: Grader } = {};
    const park = new ThreadPark({
      size: Math.max(1, options.parallel ?? grading_defaults().parallel),
      resource_limits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const vitest = Grader.start_vitest(options, holder, park);
    vitest.catch(() => undefined);
    try {
      await require_engine();
    } catch (error) {
      await park.close();
      await vitest.then((v) => v.close(), () => undefined);
      throw error;
    }
    const grader = new Grader(vitest, park, options);
    holder.grader = grader;
    return grader;
  }

  private static async start_vitest(options: GraderOptions, holder: { grader?: Grader }, park: ThreadPark): Promise<Vitest> {
    const { createVitest } = await import("vitest/node");
    const defaults = grading_defaults();
    // One thread per file graded at once: the park is sized by the same count.
    const parallel = park.options.size;
    const caches = transform_caches(options.course_root);
    return createVitest(
      "test",
      {
        root: options.course_root,
        config: false,
        watch: false,
        reporters: [{ onTestModuleEnd: (module) => holder.grader?.module_ended(module) }],
        silent: true,
        include: ["exercises/*/spec.test.ts"],
        setupFiles: [warm_start_path()],
        // The compiled grader loaded by Node itself, not vite's module runner (worker-grader.ts).
        server: { deps: { external: compiled_grader_external() } },
        // The first check that asks for the image waits for its build: it gets the build's time too.
        testTimeout: (options.check_timeout_ms ?? defaults.check_timeout_ms) + (options.build_timeout_ms ?? defaults.build_timeout_ms),
        hookTimeout: defaults.hook_timeout_ms,
        // Threads start faster than forks and share the BroadcastChannel with
        // this process; isolate off keeps each worker's loaded grader for the
        // next spec file (each spec file is still evaluated afresh), and the
        // park keeps the threads themselves for the next run.
        pool: park.pool(LEAN_POOL),
        isolate: false,
        maxWorkers: parallel,
        fileParallelism: parallel > 1,
        passWithNoTests: true,
        // Transforms kept on disk: a new process does not transform the grader again.
        experimental: { fsModuleCache: true, fsModuleCachePath: caches.modules },
      },
      // From the compiled CLI, the specs get the compiled grader (worker-grader.ts).
      { cacheDir: caches.vite, plugins: [compiled_grader_plugin()] },
    );
  }

  /**
   * Loads `exercise`'s spec in a worker now, so that its next grading starts
   * at once (the watch loop, between saves). Dropped if another exercise is
   * graded first.
   */
  prepare(exercise: Exercise): void {
    if (this.closed) return;
    this.slot_for(exercise, true, this.settings.session);
  }

  /** Grades one submission. Rejects with an AbortError when `signal` aborts it, with EngineUnavailableError if no engine answers at all. */
  async grade(request: GradeRequest): Promise<GradedExercise> {
    if (this.closed) throw new Error("Grader is closed");
    request.signal?.throwIfAborted();
    const { exercise } = request;
    const slot = this.slot_for(exercise, false, request.session_base ?? this.settings.session);
    slot.state = "assigned";
    const shown = request.shown ?? request.dir;
    const with_folder = (result: ExerciseResult, ignored: string[] = []): GradedExercise => ({
      ...result,
      title: exercise.title,
      submission: shown,
      ...(ignored.length > 0 ? { ignored } : {}),
    });

    // The submission staged into the folder the spec reads.
    let ignored: string[];
    try {
      const prepared = prepare_submission(exercise, request.dir, { context_limit_bytes: this.settings.context_limit_bytes, staging_root: this.staging_root });
      fs.renameSync(prepared.dir, slot.dir);
      prepared.dispose();
      ignored = prepared.ignored;
    } catch (error) {
      this.abandon(slot);
      if (error instanceof SubmissionRefusedError) return with_folder(refused_result(exercise, error.message));
      throw error;
    }

    const on_abort = (): void => this.abandon(slot);
    request.signal?.addEventListener("abort", on_abort, { once: true });
    try {
      const outcome = await this.default_build(slot, request);
      request.on_build?.(outcome);
      if (!outcome.ok && outcome.failure.kind === "base-image-missing") {
        const missing = await missing_course_images(path.join(slot.dir, "Dockerfile"), exercise);
        if (missing.length > 0) {
          this.abandon(slot);
          return with_folder(error_result(exercise, "base_image", `L'image de base du cours « ${missing.join(", ")} » manque sur cette machine.`), ignored);
        }
      }
      request.signal?.throwIfAborted();
      const result = await this.go(slot, outcome, request.checks === "visible");
      request.signal?.throwIfAborted();
      if (!result) throw abort_error();
      return with_folder(result, ignored);
    } catch (error) {
      this.abandon(slot);
      if (is_abort(error) || request.signal?.aborted) throw abort_error();
      // Not the student's: the engine refused or went away mid-build, a bug of ours.
      return with_folder(error_result(exercise, error_kind_of(error as SpecError) ?? "grader", `La correction a échoué : ${(error as Error).message}`), ignored);
    } finally {
      request.signal?.removeEventListener("abort", on_abort);
      void slot.result.then(() => fs.rmSync(path.dirname(slot.dir), { recursive: true, force: true }));
    }
  }

  /** Grades many submissions, `parallel` at once, in one vitest run where possible; results in the order asked. */
  grade_all(
    requests: GradeRequest[],
    options: { on_exercise_done?: (result: GradedExercise) => void } = {},
  ): Promise<GradedExercise[]> {
    return Promise.all(
      requests.map((request) =>
        this.grade(request).then((result) => {
          options.on_exercise_done?.(result);
          return result;
        }),
      ),
    );
  }

  /** Spec worker threads started since the Grader opened, and runs that got a kept one instead. */
  get threads(): { started: number; reused: number } {
    return { started: this.park.started, reused: this.park.reused };
  }

  /** Abandons what is waiting, waits for what runs, stops vitest and removes what the gradings left. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const batch of [this.pending, this.current]) {
      for (const slot of batch?.slots.values() ?? []) if (slot.state === "waiting") this.abandon(slot);
    }
    if (this.pending && !this.pending.started && [...this.pending.slots.values()].every((s) => s.state === "abandoned")) this.pending = undefined;
    await this.chain;
    // Closed first: the threads vitest stops now end for real.
    await this.park.close();
    await Promise.all([this.vitest_ready.then((v) => v.close(), () => undefined), ...this.sweeps]);
    process.removeListener("exit", this.remove_staging);
    this.remove_staging();
  }

  // ---- batches ------------------------------------------------------------

  /** A slot for `exercise` in the batch to come: a prepared one if there is one, else a new one. */
  private slot_for(exercise: Exercise, speculative: boolean, base: string | undefined): Slot {
    for (const batch of [this.current, this.pending]) {
      const prepared = batch?.slots.get(exercise.id);
      if (prepared && prepared.state === "waiting" && batch!.base === base) return prepared;
    }
    // A prepared run of another exercise is dropped: its worker is needed.
    for (const batch of [this.current, this.pending]) {
      for (const slot of batch?.slots.values() ?? []) if (slot.state === "waiting" && slot.exercise.id !== exercise.id && !speculative) this.abandon(slot);
    }
    // Two gradings of one exercise in one batch could not be told apart by its spec: the second goes to the
    // next; so does a grading of another session base (a batch is one session).
    let batch = this.pending;
    if (!batch || batch.started || batch.slots.has(exercise.id) || batch.base !== base) batch = this.new_batch(base);
    return this.add_slot(batch, exercise);
  }

  private new_batch(base: string | undefined): Batch {
    const made = this.batches.get(base ?? "") ?? 0;
    this.batches.set(base ?? "", made + 1);
    const session = base ? (made === 0 ? base : `${randomUUID().slice(0, 8)}-${base}`) : randomUUID();
    const batch = new Batch(session, base);
    this.pending = batch;
    batch.stop_watching = sweep_on_interrupt(session);
    // Gradings asked for in the same tick join this batch.
    const previous = this.chain;
    batch.run = previous.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.run_batch(batch));
    this.chain = batch.run.catch(() => undefined);
    return batch;
  }

  private add_slot(batch: Batch, exercise: Exercise): Slot {
    const dir = path.join(fs.mkdtempSync(path.join(this.staging_root, `${exercise.id.slice(0, 20)}-`)), exercise.id);
    const slot = new Slot(exercise, batch, dir);
    batch.slots.set(exercise.id, slot);
    return slot;
  }

  private async run_batch(batch: Batch): Promise<void> {
    batch.started = true;
    if (this.pending === batch) this.pending = undefined;
    const live = [...batch.slots.values()].filter((s) => s.state !== "abandoned");
    if (live.length === 0) {
      batch.stop_watching?.();
      for (const slot of batch.slots.values()) slot.finish(undefined);
      return;
    }
    this.current = batch;
    const channel = new BroadcastChannel(channel_name(batch.session));
    channel.unref();
    batch.channel = channel;
    channel.onmessage = (event) => {
      const message = event.data as WarmMessage;
      if (message.type !== "ready") return;
      const slot = batch.slots.get(message.exercise);
      if (!slot) return;
      if (slot.state === "abandoned") this.post(batch, { type: "abandon", exercise: slot.exercise.id });
      slot.mark_ready();
    };
    const context: GradingContext = {
      session: batch.session,
      submissions: Object.fromEntries(live.map((s) => [s.exercise.id, s.dir])),
      build_timeout_ms: this.settings.build_timeout_ms,
    };
    try {
      await this.vitest_ready;
      const project = this.vitest.getRootProject();
      const specs: TestSpecification[] = live.map((s) => project.createSpecification(s.spec_path));
      this.vitest.provide("dockerlings", context);
      const run = await this.vitest.runTestSpecifications(specs);
      for (const slot of live) {
        const module = run.testModules.find((m) => path.resolve(m.moduleId) === slot.spec_path);
        this.settle(slot, module);
      }
    } catch (error) {
      for (const slot of live) {
        if (slot.state === "abandoned") slot.finish(undefined);
        else slot.finish(error_result(slot.exercise, "grader", `La correction a échoué : ${(error as Error).message}`));
      }
    } finally {
      channel.close();
      // The sweep goes on beside the next batch: close() waits for it.
      const sweep = remove_managed(batch.session).then(() => batch.stop_watching?.());
      this.sweeps.add(sweep);
      void sweep.finally(() => this.sweeps.delete(sweep));
      if (this.current === batch) this.current = undefined;
      for (const slot of batch.slots.values()) slot.finish(undefined);
    }
  }

  /** Called by the reporter: a spec file ended (its afterAll hooks included). */
  private module_ended(module: TestModule): void {
    const slot = [...(this.current?.slots.values() ?? [])].find((s) => s.spec_path === path.resolve(module.moduleId));
    if (slot) this.settle(slot, module);
  }

  private settle(slot: Slot, module: TestModule | undefined): void {
    if (slot.state === "done") return;
    if (slot.state === "abandoned") return slot.finish(undefined);
    slot.state = "done";
    slot.finish(exercise_result(slot.exercise, module));
  }

  // ---- one grading ----------------------------------------------------------

  /** The default build of the staged folder, made here (its steps shown live) while the spec loads. */
  private default_build(slot: Slot, request: GradeRequest): Promise<BuildOutcome> {
    // A missing Dockerfile is said with the student's folder, not the staging one.
    const missing = precheck_dockerfile(request.dir);
    if (missing) return Promise.resolve({ ok: false, failure: missing, steps: [], duration_ms: 0 });
    return this.gate.run(slot.ready, () =>
      build_image({
        dir: slot.dir,
        tag: `dockerlings/${slot.exercise.id}:${slot.batch.session.slice(0, 8)}-live`,
        session: slot.batch.session,
        exercise: slot.exercise.id,
        timeout_ms: this.settings.build_timeout_ms,
        context_limit_bytes: this.settings.context_limit_bytes,
        on_progress: request.on_progress,
        on_wait: request.on_wait,
        signal: request.signal,
      }),
    );
  }

  /** Lets the slot's spec run with `prebuilt` as its default build; its result, or undefined when abandoned. */
  private async go(slot: Slot, prebuilt: BuildOutcome, visible_only: boolean): Promise<ExerciseResult | undefined> {
    const startup = this.settings.startup_timeout_ms;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), startup)));
    const first = await Promise.race([slot.ready.then(() => "ready" as const), slot.result.then(() => "ended" as const), late]);
    clearTimeout(timer);
    if (first === "late") {
      this.abandon(slot);
      return error_result(slot.exercise, "timeout", `Le spec de l'exercice ne s'est pas chargé en ${Math.round(startup / 1000)} s.`);
    }
    if (first === "ended" || slot.state === "abandoned") return slot.result;
    slot.state = "running";
    this.post(slot.batch, { type: "go", exercise: slot.exercise.id, prebuilt: { dir: slot.dir, outcome: prebuilt }, ...(visible_only ? { visible_only } : {}) });
    return slot.result;
  }

  /** Drops a grading: its spec is told (it stops at once), a lone running batch is cancelled. */
  private abandon(slot: Slot): void {
    if (slot.state === "done" || slot.state === "abandoned") return;
    const was = slot.state;
    slot.state = "abandoned";
    const batch = slot.batch;
    if (!batch) return;
    this.post(batch, { type: "abandon", exercise: slot.exercise.id });
    if (batch.started && was === "running" && [...batch.slots.values()].every((s) => s.state === "abandoned" || s.state === "done")) {
      void this.vitest.cancelCurrentRun("keyboard-input");
      void remove_managed(batch.session);
    }
    if (!batch.started) slot.finish(undefined);
  }

  private post(batch: Batch, message: WarmMessage): void {
    try {
      batch.channel?.postMessage(message);
    } catch {
      // Closed: the batch is over.
    }
  }
}
