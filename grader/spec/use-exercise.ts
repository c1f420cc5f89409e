// What a spec uses: `const ex = use_exercise(import.meta.url)` gives the
// submission's build (made once, on first use), its image, runs and started
// containers, and removes all of it after the file's tests.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, inject } from "vitest";
import { build_image, type BuildOptions, type BuildOutcome } from "../engine/build.js";
import { format_build_failure } from "../engine/build-failure.js";
import { inspect_image, image_history, remove_image, type ImageFacts, type HistoryEntry } from "../engine/image.js";
import { run_to_completion, type RunOptions, type RunResult } from "../engine/run.js";
import { start_container, remove_volume, ContainerStartError, type GradedContainer, type StartOptions } from "../engine/container.js";
import { parse_dockerfile, type ParsedDockerfile } from "../lint/dockerfile.js";

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
  }
}

/** Thrown by a check when the submission is wrong: its message is for the student. */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly output?: string,
  ) {
    super(message);
    this.name = "CheckFailure";
  }
}

export class BuildFailedError extends CheckFailure {
  constructor(readonly outcome: Extract<BuildOutcome, { ok: false }>, first: boolean) {
    super(
      first
        ? `L'image ne se construit pas.\n${format_build_failure(outcome.failure)}`
        : "L'image ne se construit pas : corrigez d'abord l'erreur de build (voir le premier test).",
    );
    this.name = "BuildFailedError";
  }
}

export interface BuiltImage {
  tag: string;
  id: string;
  facts: ImageFacts;
  history(): Promise<HistoryEntry[]>;
}

export class ExerciseHandle {
  private default_build?: Promise<BuildOutcome>;
  private build_failure_reported = false;
  private readonly containers: GradedContainer[] = [];
  /** Named volumes given to start(): removed by dispose(), after the containers using them. */
  private readonly volumes = new Set<string>();
  private readonly images: string[] = [];
  private counter = 0;

  constructor(
    readonly id: string,
    readonly submission_dir: string,
    readonly session: string,
    private readonly build_timeout_ms?: number,
  ) {}

  private next_tag(): string {
    return `dockerlings/${this.id}:${this.session.slice(0, 8)}-${this.counter++}`;
  }

  /** Builds the submission (once for the default options) and returns the outcome, failed or not. */
  build(options: Partial<Pick<BuildOptions, "build_args" | "target" | "no_cache" | "on_progress">> & { dir?: string } = {}): Promise<BuildOutcome> {
    const is_default = Object.keys(options).length === 0;
    if (is_default && this.default_build) return this.default_build;
    const tag = this.next_tag();
    this.images.push(tag);
    const outcome = build_image({
      dir: options.dir ?? this.submission_dir,
      tag,
      session: this.session,
      exercise: this.id,
      timeout_ms: this.build_timeout_ms,
      ...options,
    });
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
  async run(args?: string[], options: Omit<RunOptions, "image" | "session" | "exercise" | "args"> = {}): Promise<RunResult> {
    const image = await this.image();
    return run_to_completion({ ...options, image: image.id, args, session: this.session, exercise: this.id });
  }

  /** Starts the image as a server; removed after the file's tests. */
  async start(options: Omit<StartOptions, "image" | "session" | "exercise"> = {}): Promise<GradedContainer> {
    const image = await this.image();
    for (const name of Object.keys(options.volumes ?? {})) this.volumes.add(name);
    try {
      const container = await start_container({ ...options, image: image.id, session: this.session, exercise: this.id });
      this.containers.push(container);
      return container;
    } catch (error) {
      if (error instanceof ContainerStartError) throw new CheckFailure(error.message, error.logs);
      throw error;
    }
  }

  /** The submission's Dockerfile, parsed (for the checks that are about the file itself). */
  dockerfile(): ParsedDockerfile {
    const file = path.join(this.submission_dir, "Dockerfile");
    return parse_dockerfile(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  }

  async dispose(): Promise<void> {
    await Promise.all(this.containers.map((c) => c.remove()));
    this.containers.length = 0;
    await Promise.all([...this.volumes].map((name) => remove_volume(name)));
    this.volumes.clear();
    await Promise.all(this.images.map((tag) => remove_image(tag)));
  }
}

function grading_context(): GradingContext | undefined {
  try {
    return inject("dockerlings");
  } catch {
    return undefined;
  }
}

/** Call once at the top of a spec file: `const ex = use_exercise(import.meta.url)`. */
export function use_exercise(spec_url: string): ExerciseHandle {
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
  const handle = new ExerciseHandle(id, submission, context?.session ?? randomUUID(), context?.build_timeout_ms);
  afterAll(() => handle.dispose(), 60_000);
  return handle;
}
