// Loading a course pack: course.yaml at its root, exercises/<id>/ with
// exercise.yaml, lesson.md, starter/ and spec.test.ts, solutions/<id>/.
// No Docker here.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parse_yaml } from "yaml";
import { BASE_IMAGES, ExerciseMetadata, PARTS } from "./exercise-schema.js";
import { CourseManifest, COURSE_FORMAT, DEFAULT_WRONG_ANSWERS } from "./course-schema.js";

export const COURSE_FILE = "course.yaml";

export interface Exercise extends ExerciseMetadata {
  /** The title course.yaml gives the exercise's part (none for a pack without course.yaml). */
  part_title?: string;
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
 * The course pack every command uses. `--course DIR` (cli.ts sets
 * DOCKERLINGS_COURSE from it, so spec workers and child processes agree) or
 * DOCKERLINGS_COURSE names one; else the pack that ships with this grader:
 * the closest folder above this module with a course.yaml, or exercises/ and
 * package.json (from grader/course/ in the sources, dist/grader/course/ once
 * compiled). The named folder may not exist yet: `dev new` makes it.
 */
export function default_course_root(): string {
  if (process.env.DOCKERLINGS_COURSE) return path.resolve(process.env.DOCKERLINGS_COURSE);
  return grader_course_root();
}

/** The pack that ships with this grader (this repository's own). */
export function grader_course_root(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== dir) {
    if (fs.existsSync(path.join(dir, COURSE_FILE))) return dir;
    if (fs.existsSync(path.join(dir, "exercises")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  throw new CourseError("the course pack (a folder with course.yaml and exercises/) was not found above the grader");
}

/**
 * The pack's course.yaml, checked. A pack without one (older packs, the test
 * suite's throwaway copies) gets this repository's parts and base images, and
 * the name and version of its package.json.
 */
export function read_course_manifest(course_root: string): CourseManifest {
  const file = path.join(course_root, COURSE_FILE);
  if (!fs.existsSync(file)) return fallback_manifest(course_root);
  let raw: unknown;
  try {
    raw = parse_yaml(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new CourseError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = CourseManifest.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new CourseError(`${file} is invalid: ${problems}. Run \`dockerlings dev check\` for each problem with its line.`);
  }
  return parsed.data;
}

function fallback_manifest(course_root: string): CourseManifest {
  let name = "dockerlings";
  let version = "0.0.0";
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(course_root, "package.json"), "utf8")) as { name?: string; version?: string };
    name = pkg.name ?? name;
    version = pkg.version ?? version;
  } catch {
    // No package.json either: the defaults.
  }
  return {
    format: COURSE_FORMAT,
    name,
    title: name,
    language: "fr",
    version,
    parts: PARTS.map((id) => ({ id, title: id })),
    base_images: [...BASE_IMAGES],
  };
}

/** The name and version results carry (grade --json, JUnit, Classroom): the pack's course.yaml. */
export function course_identity(course_root: string): { name: string; version: string } {
  const manifest = read_course_manifest(course_root);
  return { name: manifest.name, version: manifest.version };
}

/** The pack's folder of wrong answers: course.yaml's `wrong_answers`, else wrong-answers/. */
export function wrong_answers_root(course_root: string, manifest = read_course_manifest(course_root)): string {
  return path.resolve(course_root, manifest.wrong_answers ?? DEFAULT_WRONG_ANSWERS);
}

export function load_exercise(course_root: string, id: string, manifest = read_course_manifest(course_root)): Exercise {
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
  if (!manifest.parts.some((p) => p.id === parsed.data.part)) {
    throw new CourseError(`${id}: exercise.yaml: part ${parsed.data.part} is not one of course.yaml's parts (${manifest.parts.map((p) => p.id).join(", ")})`);
  }
  const unknown = parsed.data.base_images.filter((image) => !manifest.base_images.includes(image));
  if (unknown.length > 0) {
    throw new CourseError(`${id}: exercise.yaml: base image ${unknown.join(", ")} is not in course.yaml's base_images; add it there`);
  }
  const part_title = fs.existsSync(path.join(course_root, COURSE_FILE)) ? manifest.parts.find((p) => p.id === parsed.data.part)?.title : undefined;
  return {
    ...parsed.data,
    ...(part_title ? { part_title } : {}),
    dir,
    lesson_path: path.join(dir, "lesson.md"),
    starter_dir: path.join(dir, "starter"),
    spec_path: path.join(dir, "spec.test.ts"),
    solution_dir: path.join(course_root, "solutions", id),
  };
}

export function load_course(course_root = default_course_root()): Exercise[] {
  const root = path.join(course_root, "exercises");
  if (!fs.existsSync(root)) {
    throw new CourseError(
      `no exercises folder in ${course_root}: a course pack holds course.yaml, exercises/ and solutions/ ` +
        "(`dockerlings dev new <id> --course DIR` starts one)",
    );
  }
  const manifest = read_course_manifest(course_root);
  const exercises = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => load_exercise(course_root, e.name, manifest))
    .sort((a, b) => a.order - b.order);
  return exercises;
}

export function find_exercise(exercises: Exercise[], id: string): Exercise | undefined {
  return exercises.find((e) => e.id === id) ?? exercises.find((e) => e.id.startsWith(`${id}-`) || e.id.split("-")[0] === id);
}
