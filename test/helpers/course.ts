// A small course for tests of the student's commands: chosen exercises
// (from the real course or the fixture course) copied into a temporary
// course folder, which DOCKERLINGS_COURSE points the CLI to. Tests then do not
// depend on the rest of the course, and the exercise count is known.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { project_root } from "./cli.js";

export const real_course = project_root;
export const fixture_course = path.join(project_root, "test", "fixtures", "course");

/** Copies `exercises` ({ id: course root it comes from }) into a new course folder; returns its path. */
export function make_course(exercises: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-course-"));
  // Specs import ../../grader/spec.js and "vitest": both reached through links.
  fs.symlinkSync(path.join(project_root, "grader"), path.join(root, "grader"));
  fs.symlinkSync(path.join(project_root, "node_modules"), path.join(root, "node_modules"));
  fs.copyFileSync(path.join(project_root, "package.json"), path.join(root, "package.json"));
  for (const [id, from] of Object.entries(exercises)) {
    const target = path.join(root, "exercises", id);
    fs.cpSync(path.join(from, "exercises", id), target, { recursive: true });
    fs.cpSync(path.join(from, "solutions", id), path.join(root, "solutions", id), { recursive: true });
    const spec = path.join(target, "spec.test.ts");
    fs.writeFileSync(spec, fs.readFileSync(spec, "utf8").replace(/from "(?:\.\.\/)+grader\/spec\.js"/g, 'from "../../grader/spec.js"'));
  }
  return root;
}
