// Loading the course pack: exercises/<id>/ with exercise.yaml, lesson.md,
// starter/ and spec.test.ts. No Docker here.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parse_yaml } from "yaml";
import { ExerciseMetadata } from "./exercise-schema.js";

export interface Exercise extends ExerciseMetadata {
  dir: string;
  lesson_path: string;
  starter_dir: string;
  spec_path: string;
  solution_dir: string;
}

export class CourseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CourseError";
  }
}

/**
 * The course pack that ships with this grader: the closest folder above this
 * module that holds exercises/ (from grader/course/ in the sources, or
 * dist/grader/course/ once compiled).
 */
export function default_course_root(): string {
  if (process.env.DOCKERLINGS_COURSE) return path.resolve(process.env.DOCKERLINGS_COURSE);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== dir) {
    if (fs.existsSync(path.join(dir, "exercises")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  throw new CourseError("the course pack (a folder with exercises/ and package.json) was not found above the grader");
}

export function load_exercise(course_root: string, id: string): Exercise {
  const dir = path.join(course_root, "exercises", id);
  const file = path.join(dir, "exercise.yaml");
  if (!fs.existsSync(file)) throw new CourseError(`${id}: ${file} is missing`);
  let raw: unknown;
  try {
    raw = parse_yaml(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new CourseError(`${id}: exercise.yaml is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = ExerciseMetadata.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new CourseError(`${id}: exercise.yaml is invalid: ${problems}`);
  }
  if (parsed.data.id !== id) throw new CourseError(`${id}: exercise.yaml says id ${parsed.data.id}`);
  return {
    ...parsed.data,
    dir,
    lesson_path: path.join(dir, "lesson.md"),
    starter_dir: path.join(dir, "starter"),
    spec_path: path.join(dir, "spec.test.ts"),
    solution_dir: path.join(course_root, "solutions", id),
  };
}

export function load_course(course_root = default_course_root()): Exercise[] {
  const root = path.join(course_root, "exercises");
  if (!fs.existsSync(root)) throw new CourseError(`no exercises folder in ${course_root}`);
  const exercises = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => load_exercise(course_root, e.name))
    .sort((a, b) => a.order - b.order);
  return exercises;
}

export function find_exercise(exercises: Exercise[], id: string): Exercise | undefined {
  return exercises.find((e) => e.id === id) ?? exercises.find((e) => e.id.startsWith(`${id}-`) || e.id.split("-")[0] === id);
}
