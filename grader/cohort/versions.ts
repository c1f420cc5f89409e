// The versions a cohort's results depend on: the course's (course.yaml) and
// the grader's own (its package). A change of either regrades everything.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { course_identity } from "../course/course.js";

/** The version of the dockerlings package this grader belongs to. */
export function grader_version(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== dir) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "dockerlings") return pkg.version ?? "0.0.0";
    }
    dir = path.dirname(dir);
  }
  return "0.0.0";
}

export function course_version(course_root: string): string {
  const course = course_identity(course_root);
  return `${course.name}@${course.version}`;
}
