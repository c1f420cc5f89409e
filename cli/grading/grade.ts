// One grading as `check` and the watch loop make it: the image is built here,
// step by step for the student to see, while the spec's run gets ready; the
// spec then takes this build as its own. An abort (a newer save) stops the
// build or the checks and leaves nothing behind.
// Deep imports, not grader/index.ts: the CLI's process needs only the build
// and the spec runner, and every module less is start-up time saved.
import { build_image, type BuildOutcome, type BuildProgressEvent } from "../../grader/engine/build.js";
import { default_build_options, type PreparedRun } from "../../grader/runner/spec-runner.js";
import type { Exercise, ExerciseResult } from "../../grader/index.js";

export interface GradeRequest {
  exercise: Exercise;
  dir: string;
  session: string;
  /** The spec's run, prepared for this exercise, folder and session (or on its way). */
  run: PreparedRun | Promise<PreparedRun>;
  build_timeout_ms?: number;
  on_progress?: (event: BuildProgressEvent) => void;
  on_wait?: () => void;
  signal?: AbortSignal;
}

export interface Graded {
  outcome: BuildOutcome;
  result: ExerciseResult;
}

const is_abort = (error: unknown): boolean => (error as Error)?.name === "AbortError";

/** Grades the submission; undefined when aborted through `signal`. */
export async function grade(request: GradeRequest): Promise<Graded | undefined> {
  const { exercise, dir, session, signal } = request;
  const run_ready = Promise.resolve(request.run);
  const cancel = (): void => {
    void run_ready.then((run) => run.cancel(), () => undefined);
  };
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    let outcome: BuildOutcome;
    try {
      outcome = await build_image({
        ...default_build_options({ exercise, submission_dir: dir }, session, request.build_timeout_ms),
        on_progress: request.on_progress,
        on_wait: request.on_wait,
        signal,
      });
    } catch (error) {
      await run_ready.then((run) => run.cancel(), () => undefined);
      if (is_abort(error)) return undefined;
      throw error;
    }
    const run = await run_ready;
    if (signal?.aborted) {
      await run.cancel();
      return undefined;
    }
    const result = await run.go(outcome);
    return result && !signal?.aborted ? { outcome, result } : undefined;
  } finally {
    signal?.removeEventListener("abort", cancel);
  }
}
