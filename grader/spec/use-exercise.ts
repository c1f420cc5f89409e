// What a spec uses: `const ex = use_exercise(import.meta.url)` gives the
// submission's build (made once, on first use), its image, runs and started
// containers, and removes all of it after the file's tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, inject } from "vitest";
import { build_image, type BuildOptions, type BuildOutcome } from "../engine/build.js";
import { inspect_image, image_history, remove_image, type ImageFacts, type HistoryEntry } from "../engine/image.js";
import { run_to_completion, type RunOptions, type RunResult } from "../engine/run.js";
import { start_container, remove_volume, ContainerStartError, type GradedContainer, type StartOptions } from "../engine/container.js";
import { read_dockerfile, type DockerfileModel } from "../dockerfile/index.js";
import { CheckFailure, BuildFailedError, SpecConfigError } from "../checks/check.js";
import type { CheckVisibility } from "../result.js";

/** What the runner hands to specs through vitest's provide/inject. */
export interface GradingContext {
  session: string;
  /** exercise id -> submission folder */
  submissions: Record<string, string>;
  build_timeout_ms?: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    dockerlings: GradingContext;
  }
  interface TaskMeta {
    /** Weight of the check in the exercise's points (default 1). */
    points?: number;
    /**
     * "after_deadline": graded by `grade` and `cohort grade`, but neither run
     * nor named by `check` and the watch loop (they say how many are held
     * back); a student's page shows it once their deadline has passed.
     */
    visible?: CheckVisibility;
  }
}

// The errors a check throws are the checks' own (grader/checks/check.ts); the handle throws them too.
export { CheckFailure, BuildFailedError } from "../checks/check.js";

/** What a variant of the exercise is built with (`ex.variant({ build_args: { VERSION: "2.5.0" } })`). */
export interface VariantOptions {
  build_args?: Record<string, string>;
  target?: string;
  /** Another Dockerfile of the submission (docker build -f): `ex.variant({ dockerfile: "Dockerfile.outils" })`. */
  dockerfile?: string;
}

/** How a container of the exercise's image is started: docker run's options. */
export type ContainerOptions = Omit<StartOptions, "image" | "session" | "exercise" | "signal"> & {
  /** Publish every TCP port the image exposes, as `docker run -P` does (besides `ports`). */
  publish_exposed?: boolean;
};

/**
 * A server of the spec file: one container of the exercise's image, started
 * by the first check given it and shared by every check given this same
 * server (`const web = ex.server({ ports: [8000] })`, then `{ container: web }`).
 * Sharing is said by passing it: two calls of ex.server make two servers.
 */
export class Server {
  constructor(
    /** The handle (exercise or variant) whose image it runs. */
    readonly handle: ExerciseHandle,
    readonly options: ContainerOptions,
  ) {}
}

/** Which container a check looks at: a server of the file (shared), or the options of a container of the check's own. */
export type ContainerChoice = Server | ContainerOptions;

export interface BuiltImage {
  tag: string;
  id: string;
  facts: ImageFacts;
  history(): Promise<HistoryEntry[]>;
}

/** What the handle keeps for itself and its variants: everything is removed by dispose(). */
interface Owned {
  containers: GradedContainer[];
  /** Named volumes given to start(): removed by dispose(), after the containers using them. */
  volumes: Set<string>;
  images: string[];
  counter: number;
  /**
   * Aborted by dispose(). A check cut short (its test timed out, the run was
   * cancelled) goes on in the background: its build, run or start is told to
   * stop here, and removes what it made.
   */
  life: AbortController;
  /** The builds, runs and starts still going: dispose() waits for them before removing what they made. */
  pending: Set<Promise<unknown>>;
}

/** How long dispose() waits for the work it stopped to end (a start removes its container; a build its step). */
const STOP_WAIT_MS = 30_000;

/** The error a build, run or start of a handle rejects with once the spec file has ended. */
export class HandleDisposedError extends Error {
  override name = "AbortError";
  constructor() {
    super("the spec file's tests are over: this build, run or start was stopped");
  }
}

/**
 * The one subject of a spec: the exercise's submission. A check gets from it
 * what it needs: the image (built once), a run, a started server, the
 * Dockerfile as the model reads it.
 */
export class ExerciseHandle {
  private default_build?: Promise<BuildOutcome>;
  private build_failure_reported = false;
  private readonly owned: Owned;
  /** The servers of the file started so far: the checks given the same Server share its container. */
  private readonly servers = new Map<Server, Promise<GradedContainer>>();
  private readonly variants = new Map<string, ExerciseHandle>();

  constructor(
    readonly id: string,
    readonly submission_dir: string,
    readonly session: string,
    private readonly build_timeout_ms?: number,
    /** The build options of this handle's default build (a variant's build arguments). */
    readonly variant_options: VariantOptions = {},
    owned?: Owned,
  ) {
    this.owned = owned ?? { containers: [], volumes: new Set(), images: [], counter: 0, life: new AbortController(), pending: new Set() };
  }

  /** `work`, counted among what dispose() waits for. */
  private track<T>(work: Promise<T>): Promise<T> {
    const { pending } = this.owned;
    pending.add(work);
    const done = (): void => void pending.delete(work);
    work.then(done, done);
    return work;
  }

  private next_tag(): string {
    return `dockerlings/${this.id}:${this.session.slice(0, 8)}-${this.owned.counter++}`;
  }

  /** True for the exercise as submitted, false for a variant built with other options. */
  get is_default(): boolean {
    return Object.keys(this.variant_options).length === 0;
  }

  /**
   * The same submission built with other build arguments or another target:
   * every check works on it as on the exercise itself.
   * @example await expect(ex.variant({ build_args: { VERSION: "2.5.0" } })).toHaveLabels({ ... })
   */
  variant(options: VariantOptions): ExerciseHandle {
    const merged: VariantOptions = {
      ...this.variant_options,
      ...options,
      build_args: { ...this.variant_options.build_args, ...options.build_args },
    };
    if (Object.keys(merged.build_args ?? {}).length === 0) delete merged.build_args;
    const key = JSON.stringify(merged);
    let variant = this.variants.get(key);
    if (!variant) {
      variant = new ExerciseHandle(this.id, this.submission_dir, this.session, this.build_timeout_ms, merged, this.owned);
      this.variants.set(key, variant);
    }
    return variant;
  }

  /** Builds the submission (once for the handle's own options) and returns the outcome, failed or not. */
  build(options: Partial<Pick<BuildOptions, "build_args" | "target" | "no_cache" | "on_progress">> & { dir?: string } = {}): Promise<BuildOutcome> {
    const is_default = Object.keys(options).length === 0;
    if (is_default && this.default_build) return this.default_build;
    // The runner's build, made already with these options (see provide_builds).
    const provided = build_hook.provide?.(this, options);
    if (provided) {
      if (is_default) this.default_build = provided;
      return provided;
    }
    const tag = this.next_tag();
    this.owned.images.push(tag);
    const life = this.owned.life.signal;
    const outcome = this.track(build_image({
      signal: build_hook.signal ? AbortSignal.any([build_hook.signal, life]) : life,
      dir: options.dir ?? this.submission_dir,
      tag,
      session: this.session,
      exercise: this.id,
      timeout_ms: this.build_timeout_ms,
      ...this.variant_options,
      ...options,
    }));
    if (is_default) this.default_build = outcome;
    return outcome;
  }

  /** The built image; a failed build fails the calling check with the build's explanation. */
  async image(): Promise<BuiltImage> {
    const outcome = await this.build();
    if (!outcome.ok) {
      const first = !this.build_failure_reported;
      this.build_failure_reported = true;
      throw new BuildFailedError(outcome, first);
    }
    const facts = await inspect_image(outcome.image_id);
    return { tag: outcome.tag, id: outcome.image_id, facts, history: () => image_history(outcome.image_id) };
  }

  /** `docker run --rm IMAGE args...`: runs the image to completion. */
  run(args?: string[], options: Omit<RunOptions, "image" | "session" | "exercise" | "args" | "signal"> = {}): Promise<RunResult> {
    return this.track(
      this.image().then((image) =>
        run_to_completion({ ...options, image: image.id, args, session: this.session, exercise: this.id, signal: this.owned.life.signal }),
      ),
    );
  }

  /** Starts a container of the image (a refused start is the check's failure, CheckFailure); removed after the file's tests. */
  start(options: ContainerOptions = {}): Promise<GradedContainer> {
    return this.track(this.start_now(options));
  }

  private async start_now(options: ContainerOptions): Promise<GradedContainer> {
    const image = await this.image();
    const { publish_exposed, ...start } = options;
    if (publish_exposed) {
      const exposed = image.facts.config.exposed_ports.filter((p) => p.endsWith("/tcp")).map((p) => Number(p.split("/")[0]));
      start.ports = [...new Set([...(start.ports ?? []), ...exposed])];
    }
    for (const name of Object.keys(start.volumes ?? {})) this.owned.volumes.add(name);
    try {
      const container = await start_container({ ...start, image: image.id, session: this.session, exercise: this.id, signal: this.owned.life.signal });
      this.owned.containers.push(container);
      return container;
    } catch (error) {
      if (error instanceof ContainerStartError) {
        const limit = error.time_limit_ms !== undefined ? [{ kind: "limit" as const, limit: "time" as const, value: error.time_limit_ms }] : undefined;
        throw new CheckFailure(error.message, error.logs, limit);
      }
      throw error;
    }
  }

  /**
   * A server of the file, started with these options by the first check
   * given it, shared by every check given it (see Server).
   * @example const web = ex.server({ ports: [8000] }); await expect(ex).toServeHttp({ port: 8000 }, { container: web });
   */
  server(options: ContainerOptions = {}): Server {
    return new Server(this, options);
  }

  /**
   * The container a check looks at: the server given (started on first use,
   * shared), or a container of the check's own started with these options
   * (`shared: false`: the check removes it when it is done).
   */
  async container_for(choice: ContainerChoice = {}): Promise<{ container: GradedContainer; shared: boolean }> {
    if (!(choice instanceof Server)) return { container: await this.start(choice), shared: false };
    if (choice.handle !== this) {
      throw new SpecConfigError("ce serveur est celui d'un autre exercice ou d'une autre variante : créez-le avec la variante vérifiée, ex.variant({ … }).server({ … }).");
    }
    let started = this.servers.get(choice);
    if (!started) {
      started = this.start(choice.options);
      // A server that failed to start is tried again by the next check given it.
      started.catch(() => this.servers.delete(choice));
      this.servers.set(choice, started);
    }
    return { container: await started, shared: true };
  }

  /**
   * The submission's Dockerfile as the one model reads it (the variant's -f
   * file and build arguments applied): for the checks about the file itself.
   */
  dockerfile(): DockerfileModel {
    const file = path.join(this.submission_dir, this.dockerfile_name);
    return read_dockerfile(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "", { build_args: this.variant_options.build_args });
  }

  /** The Dockerfile this handle builds, as the submission names it: the variant's -f file, or Dockerfile. */
  get dockerfile_name(): string {
    return this.variant_options.dockerfile ?? "Dockerfile";
  }

  /** Whether the submission has that file at all (dockerfile() reads an absent one as empty). */
  has_dockerfile(): boolean {
    return fs.existsSync(path.join(this.submission_dir, this.dockerfile_name));
  }

  /** The text of a file of the submission, or undefined when it is absent. */
  submission_file(name: string): string | undefined {
    const file = path.join(this.submission_dir, name);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  }

  /** Stops what is still going (see Owned.life), waits for it, then removes every container, volume and image made. */
  async dispose(): Promise<void> {
    const { containers, volumes, images, life, pending } = this.owned;
    if (!life.signal.aborted) life.abort(new HandleDisposedError());
    if (pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
      clearTimeout(timer);
    }
    await Promise.all(containers.map((c) => c.remove()));
    containers.length = 0;
    await Promise.all([...volumes].map((name) => remove_volume(name)));
    volumes.clear();
    await Promise.all(images.map((tag) => remove_image(tag)));
    images.length = 0;
  }
}

/** What ExerciseHandle.build is asked for: its options. */
export type BuildRequest = Parameters<ExerciseHandle["build"]>[0];

/**
 * The runner's part in a handle's builds, set by the runner (grader/runner/
 * warm-start.ts) before each spec file runs; specs never call it.
 * `provide` is consulted first by ExerciseHandle.build: it returns the outcome
 * of a build the runner already made for this handle with these options (the
 * default build, made while the spec loaded and shown live to the student), or
 * undefined to let the handle build. `signal` stops the handle's own builds
 * when the grading is abandoned (a newer save in the watch loop).
 */
export interface BuildHook {
  provide?: (handle: ExerciseHandle, options: BuildRequest) => Promise<BuildOutcome> | undefined;
  signal?: AbortSignal;
}

let build_hook: BuildHook = {};

/** Sets the runner's build hook (see BuildHook); `{}` removes it. */
export function provide_builds(hook: BuildHook): void {
  build_hook = hook;
}

function grading_context(): GradingContext | undefined {
  try {
    return inject("dockerlings");
  } catch {
    return undefined;
  }
}

/** How a spec file grades its submission (the second argument of use_exercise). */
export interface UseExerciseOptions {
  /**
   * Grade a copy of the submission, given to `prepare` first: for what git
   * cannot store in the course's repository (exercise 11 ships its app's
   * history as dot-git/ and renames it .git/ here). Every check builds and
   * reads the copy; it is removed after the file's tests.
   * @example use_exercise(import.meta.url, { prepare: (dir) => fs.renameSync(`${dir}/dot-git`, `${dir}/.git`) })
   */
  prepare?: (copy: string) => void;
}

/** The copy of `dir` that `prepare` made ready, removed after the file's tests. */
function prepared_copy(dir: string, id: string, prepare: (copy: string) => void): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `dl-${id}-`));
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));
  fs.cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  prepare(copy);
  return copy;
}

/** Call once at the top of a spec file: `const ex = use_exercise(import.meta.url)`. */
export function use_exercise(spec_url: string, options: UseExerciseOptions = {}): ExerciseHandle {
  const dir = path.dirname(fileURLToPath(spec_url));
  const id = path.basename(dir);
  const context = grading_context();
  const submission = context?.submissions[id] ?? process.env.DOCKERLINGS_SUBMISSION;
  if (!submission) {
    throw new Error(
      `${id}: no submission to grade. Run specs through \`dockerlings check ${id}\`, ` +
        "or set DOCKERLINGS_SUBMISSION to a submission folder.",
    );
  }
  const graded = options.prepare ? prepared_copy(submission, id, options.prepare) : submission;
  const handle = new ExerciseHandle(id, graded, context?.session ?? randomUUID(), context?.build_timeout_ms);
  afterAll(() => handle.dispose(), 60_000);
  return handle;
}
