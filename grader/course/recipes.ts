// The base images scripts/base-images.sh has a recipe for (an offline
// classroom makes them from Debian packages): what `dev check` holds a pack's
// base_images to. Runs bash, never Docker.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { grader_course_root } from "./course.js";

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
