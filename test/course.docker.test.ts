// The course's own integrity, as rustlings' `dev check` does it: metadata
// valid, folders mirrored, no stray files, every solution passing every check
// with the exercise's full points, every starter failing at least one check.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { load_course, run_specs, image_exists, type ExerciseResult } from "../grader/index.js";
import { project_root } from "./helpers/cli.js";

const exercises = load_course(project_root);
const EXERCISE_FILES = ["exercise.yaml", "lesson.md", "spec.test.ts", "starter"];

describe("course metadata and folders", () => {
  test("there are exercises, with unique ids and orders", () => {
    expect(exercises.length).toBeGreaterThan(0);
    expect(new Set(exercises.map((e) => e.id)).size).toBe(exercises.length);
    expect(new Set(exercises.map((e) => e.order)).size).toBe(exercises.length);
  });

  test.each(exercises.map((e) => [e.id, e] as const))("%s: files in place, mirrored by its solution", (_id, exercise) => {
    expect(fs.readdirSync(exercise.dir).sort()).toEqual([...EXERCISE_FILES].sort());
    expect(fs.readFileSync(exercise.lesson_path, "utf8").length).toBeGreaterThan(500);
    expect(fs.existsSync(path.join(exercise.starter_dir, "Dockerfile"))).toBe(true);
    expect(fs.existsSync(path.join(exercise.solution_dir, "Dockerfile"))).toBe(true);
    // Every file the student starts with is in the solution too, path for path.
    const starter_files = fs.readdirSync(exercise.starter_dir, { recursive: true }) as string[];
    for (const file of starter_files) expect(fs.existsSync(path.join(exercise.solution_dir, file)), file).toBe(true);
    for (const hint of exercise.hints) expect(hint.trim().length).toBeGreaterThan(10);
    expect(fs.readFileSync(path.join(exercise.solution_dir, "Dockerfile"), "utf8")).not.toMatch(/^#\s*syntax=/m);
  });

  test.each(exercises.map((e) => [e.id, e] as const))("%s: its base images are on this machine", async (_id, exercise) => {
    for (const image of exercise.base_images) {
      if (image !== "scratch") expect(await image_exists(image), `${image}: run bash scripts/setup.sh`).toBe(true);
    }
  });
});

describe("grading the course's own folders", () => {
  let solutions: ExerciseResult[] = [];
  let starters: ExerciseResult[] = [];
  beforeAll(async () => {
    const course_root = project_root;
    solutions = await run_specs(
      exercises.map((exercise) => ({ exercise, submission_dir: exercise.solution_dir })),
      { course_root, parallel: 2 },
    );
    starters = await run_specs(
      exercises.map((exercise) => ({ exercise, submission_dir: exercise.starter_dir })),
      { course_root, parallel: 2 },
    );
  }, 900_000);

  test.each(exercises.map((e, i) => [e.id, i] as const))("%s: the solution passes every check, for full points", (_id, i) => {
    const result = solutions[i]!;
    const failing = result.tests.filter((t) => t.status !== "pass").map((t) => `${t.name}: ${t.message}`);
    expect(failing).toEqual([]);
    expect(result.status).toBe("pass");
    // The checks' weights add up to the exercise's points.
    expect(result.tests.reduce((s, t) => s + t.max_points, 0)).toBe(exercises[i]!.points);
    expect(result.points).toBe(result.max_points);
  });

  test.each(exercises.map((e, i) => [e.id, i] as const))("%s: the starter fails at least one check, with a message", (_id, i) => {
    const result = starters[i]!;
    expect(result.status, result.message).toBe("fail");
    const failing = result.tests.filter((t) => t.status === "fail");
    expect(failing.length).toBeGreaterThan(0);
    for (const t of failing) expect(t.message ?? "").not.toBe("");
  });
});
