// run_specs: a whole series graded by a Grader opened for it and closed after
// (what tests and scripts call). New code uses Grader itself (grader.ts).
import type { Exercise } from "../course/course.js";
import { Grader, type GraderOptions } from "./grader.js";
import type { ExerciseResult } from "../result.js";

export interface GradingRequest {
  exercise: Exercise;
  submission_dir: string;
}

export interface RunOptions extends GraderOptions {
  on_exercise_done?: (result: ExerciseResult) => void;
  /** Cancels the run: what the specs created is removed, and run_specs rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Grades each request (staged, as every grading is); throws EngineUnavailableError when no engine answers. */
export async function run_specs(requests: GradingRequest[], options: RunOptions): Promise<ExerciseResult[]> {
  options.signal?.throwIfAborted();
  const grader = await Grader.open(options);
  try {
    const graded = await grader.grade_all(
      requests.map((r) => ({ exercise: r.exercise, dir: r.submission_dir, signal: options.signal })),
      { on_exercise_done: options.on_exercise_done },
    );
    // The plain result: what the folder was and what it ignored are the caller's to add.
    return graded.map(({ title: _title, submission: _submission, ignored: _ignored, ...result }) => result);
  } finally {
    await grader.close();
  }
}
