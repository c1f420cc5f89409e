// The course's own integrity: `dockerlings dev check` on this repository's
// pack (the same check_pack, the same engine), reported exercise by exercise.
// Metadata valid, folders mirrored, no stray files, base images with a recipe
// and on this machine, hints progressive, every solution passing every check
// with the exercise's full points, every starter failing at least one check.
// The wrong answers (course.yaml: test/wrong-answers) are graded by
// wrong-answers.docker.test.ts, not twice here.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { check_pack, format_problem, base_image_recipes, type PackReport } from "../grader/index.js";
import { open_pack_engine } from "../cli/commands/dev/engine.js";
import { project_root } from "./helpers/cli.js";

// The folders, not load_course(): one broken exercise.yaml is then its own problem, at its line.
const exercises = fs
  .readdirSync(path.join(project_root, "exercises"), { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith("."))
  .map((e) => ({ id: e.name }));
let report: PackReport;

beforeAll(async () => {
  const { engine, reason } = await open_pack_engine({ course_root: project_root, parallel: 2 });
  expect(engine, reason).toBeDefined();
  try {
    report = await check_pack(project_root, { engine: engine!, recipes: base_image_recipes() ?? [], wrong_answers: false });
  } finally {
    await engine?.close?.();
  }
}, 900_000);

const about = (id: string) => (file: string) => file.startsWith(`exercises/${id}/`) || file.startsWith(`solutions/${id}/`) || file === `solutions/${id}`;

describe("dev check on this repository's pack", () => {
  test("everything was checked, every solution and starter graded", () => {
    expect(report.unchecked).toEqual([]);
    expect(report.exercises).toBe(exercises.length);
    expect(report.graded).toBe(2 * exercises.length);
  });

  test("course.yaml and the pack as a whole", () => {
    const whole = report.problems.filter((p) => !exercises.some((e) => about(e.id)(p.file)));
    expect(whole.map(format_problem)).toEqual([]);
  });

  test.each(exercises.map((e) => [e.id] as const))("%s: sound, its solution passing for full points, its starter failing", (id) => {
    expect(report.problems.filter((p) => about(id)(p.file)).map(format_problem)).toEqual([]);
  });
});
