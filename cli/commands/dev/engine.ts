// What `dev check` grades with, when an engine answers: the pipeline's
// Grader (it stages each folder as it would a student's, so a solution file
// the student could not write is ignored there too) and the engine's images.
// The command and the course's integrity test (test/course.docker.test.ts) both use it.
import { randomUUID } from "node:crypto";
import { Grader, image_exists, require_engine, type PackEngine } from "../../../grader/index.js";

export interface PackEngineOptions {
  course_root: string;
  /** Spec files run at once (default 2). */
  parallel?: number;
  session?: string;
}

/**
 * A PackEngine on the Docker engine, or the reason there is none (the engine
 * does not answer): `dev check` then runs only what needs no engine. Close it
 * when done (it keeps a warm vitest).
 */
export async function open_pack_engine(options: PackEngineOptions): Promise<{ engine?: PackEngine; reason?: string }> {
  try {
    await require_engine();
  } catch (error) {
    const e = error as Error & { cause_text?: string };
    return { reason: `no Docker engine answers (${e.cause_text ?? e.message})` };
  }
  const session = options.session ?? process.env.DOCKERLINGS_SESSION ?? randomUUID();
  const grader = await Grader.open({ course_root: options.course_root, parallel: options.parallel ?? 2, session });
  return {
    engine: {
      image_exists,
      grade: (requests) => grader.grade_all(requests.map((r) => ({ exercise: r.exercise, dir: r.dir }))),
      close: () => grader.close(),
    },
  };
}
