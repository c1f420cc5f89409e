// What `dev check` grades with, when an engine answers: the pipeline's
// Grader (it stages each folder as it would a student's, so a solution file
// the student could not write is ignored there too) and the engine's images.
// And the base images scripts/base-images.sh has a recipe for.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { grader_course_root } from "./course.js";
import type { PackEngine } from "./pack-check.js";

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
  const { require_engine } = await import("../engine/client.js");
  try {
    await require_engine();
  } catch (error) {
    const e = error as Error & { cause_text?: string };
    return { reason: `no Docker engine answers (${e.cause_text ?? e.message})` };
  }
  const { image_exists } = await import("../engine/image.js");
  const { Grader } = await import("../runner/grader.js");
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

/** The base images scripts/base-images.sh can make (`--list`), read from the grader's own copy. */
export function base_image_recipes(): string[] | undefined {
  let script: string;
  try {
    script = path.join(grader_course_root(), "scripts", "base-images.sh");
  } catch {
    return undefined;
  }
  if (!fs.existsSync(script)) return undefined;
  try {
    return execFileSync("bash", [script, "--list"], { encoding: "utf8", timeout: 10_000 })
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
  } catch {
    return undefined;
  }
}
