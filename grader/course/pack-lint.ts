// `dockerlings dev check`, without an engine: everything a course pack's
// files show (course.yaml, each exercise folder, its lesson and hints, the
// spec's imports, ids and orders, the wrong answers' format), as a list of
// problems, each naming its file (relative to the pack) and line.
// pack-check.ts grades on from here when an engine answers.
import fs from "node:fs";
import path from "node:path";
import { COURSE_FILE, find_exercise, grader_course_root, load_exercise, read_course_manifest, type Exercise } from "./course.js";
import { CourseManifest, DEFAULT_WRONG_ANSWERS } from "./course-schema.js";
import { ExerciseMetadata } from "./exercise-schema.js";
import { WrongAnswerExpectation } from "./wrong-answer-schema.js";
import { read_yaml, type YamlFile } from "./yaml-lines.js";

/** What a problem is about: one kind per rule, so a test (or a CI filter) can pick them. */
export type ProblemKind =
  | "course-file"
  | "schema"
  | "ids-order"
  | "mirror"
  | "stray"
  | "base-image"
  | "hints"
  | "lesson"
  | "placeholder"
  | "spec"
  | "starter-passes"
  | "solution-fails"
  | "wrong-answer";

export interface PackProblem {
  kind: ProblemKind;
  /** "/"-separated, relative to the pack's root. */
  file: string;
  line?: number;
  message: string;
}

/** The files of an exercise folder, exactly. */
export const EXERCISE_FILES = ["exercise.yaml", "lesson.md", "spec.test.ts", "starter"] as const;

/** What `dev new` leaves for the author to write: dev check fails until none is left. */
export const PLACEHOLDER = "TODO(author)";

const MIN_LESSON_CHARS = 500;

/** `file:line: message`, the way compilers and editors read it. */
export function format_problem(problem: PackProblem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`;
}

export const posix = (p: string): string => p.split(path.sep).join("/");

/** Folders of tools, never the pack's content: the grader's progress folder (a workspace opened here), version control. */
const TOOL_FOLDERS = new Set([".dockerlings", ".git"]);

/** Pieces of code a hint names: `spans`, "quoted values", «quotes», instructions, --flags, paths, image:tags. */
const CODE_PIECE = new RegExp(
  [
    "`[^`]+`",
    '"[^"]+"',
    "«[^»]+»",
    "\\b(?:FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)\\b",
    "(?:^|\\s)--?[a-z][\\w-]*",
    "[\\w.-]*/[\\w./-]+",
    "\\b[\\w.-]+:[\\w.-]+\\b",
  ].join("|"),
  "g",
);

/** How specific a hint is: the distinct pieces of code it names. */
export function hint_specificity(hint: string): number {
  return new Set(hint.match(CODE_PIECE) ?? []).size;
}

/**
 * Hints are progressive (a nudge, a direction, almost the answer) when: none
 * repeats or contains another, and the last names some code and at least as
 * much as the first. Returns the problems, with the index of the hint each is about.
 */
export function hint_problems(hints: string[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const norm = (h: string) => h.trim().toLowerCase().replace(/\s+/g, " ");
  hints.forEach((hint, i) => {
    for (let j = 0; j < i; j++) {
      if (norm(hint) === norm(hints[j]!)) problems.push({ index: i, message: `hint ${i + 1} repeats hint ${j + 1}` });
      else if (norm(hint).includes(norm(hints[j]!)) || norm(hints[j]!).includes(norm(hint))) {
        problems.push({ index: i, message: `hint ${i + 1} and hint ${j + 1}: one holds the other; each hint should add something` });
      }
    }
  });
  if (hints.length >= 2) {
    const first = hint_specificity(hints[0]!);
    const last = hint_specificity(hints.at(-1)!);
    if (last === 0) {
      problems.push({
        index: hints.length - 1,
        message: "the last hint names no code (an instruction, a `command`, a path, an image): it should be almost the answer",
      });
    } else if (last < first) {
      problems.push({
        index: hints.length - 1,
        message: `the hints are not progressive: the last names ${last} piece(s) of code, the first ${first}; put the nudge first and almost the answer last`,
      });
    }
  }
  return problems;
}

function list_files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => posix(path.relative(dir, path.join(e.parentPath, e.name))))
    .filter((f) => !f.split("/").some((part) => TOOL_FOLDERS.has(part)))
    .sort();
}

export function line_of(text: string, needle: string | RegExp): number | undefined {
  const lines = text.split("\n");
  const index = lines.findIndex((l) => (typeof needle === "string" ? l.includes(needle) : needle.test(l)));
  return index >= 0 ? index + 1 : undefined;
}

export function first_line(text: string | undefined): string {
  return (text ?? "").split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}

/** An exercise folder of the pack, with its metadata once it reads. */
export interface PackFolder {
  id: string;
  dir: string;
  yaml?: YamlFile;
  exercise?: Exercise;
}

/** Which exercises, and what of the pack, the static checks read. */
export interface PackLintOptions {
  /** Only these exercises (ids or their number, as `check` takes them); every one by default. */
  ids?: string[];
  /** Base images that have a recipe (scripts/base-images.sh --list); not checked when undefined. */
  recipes?: string[];
  /** Check the wrong answers too (default true): their format here, their grading in check_pack. */
  wrong_answers?: boolean;
}

/** What the static checks found, and what grading goes on from: the pack's exercises, the folders checked, the wrong answers read. */
export interface PackLint {
  manifest: CourseManifest | undefined;
  /** Every exercise id of the pack. */
  all: string[];
  /** The exercise folders checked (all, or those of `ids`). */
  folders: PackFolder[];
  cases: WrongAnswer[];
}

/**
 * Every problem a pack shows without an engine: course.yaml, each exercise
 * folder (metadata, files, lesson, hints, the spec's imports), ids and
 * orders, solutions without an exercise, base images without a recipe, the
 * wrong answers' format. Undefined when the pack has no exercises/ folder.
 */
export function lint_pack(root: string, add: Add, options: PackLintOptions = {}): PackLint | undefined {
  // course.yaml: the pack's identity, parts and base images.
  const manifest = check_manifest(root, add);

  const exercises_dir = path.join(root, "exercises");
  if (!fs.existsSync(exercises_dir)) {
    add("mirror", "exercises", undefined, "missing: a pack keeps each exercise in exercises/<id>/ (`dockerlings dev new <id>` makes one)");
    return undefined;
  }
  const all = fs
    .readdirSync(exercises_dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !TOOL_FOLDERS.has(e.name))
    .map((e) => e.name)
    .sort();
  for (const stray of fs.readdirSync(exercises_dir, { withFileTypes: true }).filter((e) => !e.isDirectory() && !TOOL_FOLDERS.has(e.name))) {
    add("stray", `exercises/${stray.name}`, undefined, "a stray file: exercises/ holds only exercise folders");
  }
  let selected = all;
  if (options.ids?.length) {
    const by_id = all.map((id) => ({ id }) as Exercise);
    selected = [];
    for (const wanted of options.ids) {
      const found = find_exercise(by_id, wanted);
      if (found) selected.push(found.id);
      else add("ids-order", "exercises", undefined, `no exercise ${wanted} (the pack has ${all.join(", ") || "none"})`);
    }
  }

  // Each exercise folder: its metadata, files, lesson and hints.
  const folders = selected.map((id) => check_exercise_folder(root, id, manifest, add));

  // Across the pack: ids and orders, parts in course order, solutions without an exercise.
  check_order(root, all, manifest, add);
  const solutions_dir = path.join(root, "solutions");
  if (fs.existsSync(solutions_dir)) {
    for (const entry of fs.readdirSync(solutions_dir, { withFileTypes: true })) {
      if (TOOL_FOLDERS.has(entry.name)) continue;
      if (!all.includes(entry.name)) add("mirror", `solutions/${entry.name}`, undefined, `no exercises/${entry.name}/ to go with this solution`);
    }
  }

  // Base images: a recipe for each, present on the engine for the exercises checked.
  if (manifest && options.recipes && fs.existsSync(path.join(root, COURSE_FILE))) {
    const yaml = read_yaml(fs.readFileSync(path.join(root, COURSE_FILE), "utf8"));
    manifest.base_images.forEach((image, i) => {
      if (image !== "scratch" && !options.recipes!.includes(image)) {
        add(
          "base-image",
          COURSE_FILE,
          yaml.line(["base_images", i]),
          `base image ${image} has no recipe in scripts/base-images.sh: an offline classroom cannot make it (recipes: ${options.recipes!.join(", ")})`,
        );
      }
    });
  }

  // Wrong answers: their folder format, before grading them.
  const cases = options.wrong_answers === false ? [] : read_wrong_answers(root, manifest, all, selected, add);

  return { manifest, all, folders, cases };
}

export type Add = (kind: ProblemKind, file: string, line: number | undefined, message: string) => void;

function check_manifest(root: string, add: Add): CourseManifest | undefined {
  const file = path.join(root, COURSE_FILE);
  if (!fs.existsSync(file)) {
    add(
      "course-file",
      COURSE_FILE,
      undefined,
      "missing: a pack says its name, version, parts and base images in course.yaml (`dockerlings dev new <id>` writes one)",
    );
    // The defaults stand in, so the exercises are still checked.
    return read_course_manifest(root);
  }
  const yaml = read_yaml(fs.readFileSync(file, "utf8"));
  if (yaml.error) {
    add("schema", COURSE_FILE, yaml.error.line, `not valid YAML: ${yaml.error.message}`);
    return undefined;
  }
  const parsed = CourseManifest.safeParse(yaml.value);
  if (!parsed.success) {
    report_issues(COURSE_FILE, yaml, parsed.error.issues, add);
    return undefined;
  }
  const manifest = parsed.data;
  if (manifest.title.includes(PLACEHOLDER)) add("placeholder", COURSE_FILE, yaml.line(["title"]), `the title is still the scaffold's ${PLACEHOLDER}`);
  manifest.parts.forEach((part, i) => {
    if (part.title.includes(PLACEHOLDER)) add("placeholder", COURSE_FILE, yaml.line(["parts", i, "title"]), `part ${part.id}'s title is still the scaffold's ${PLACEHOLDER}`);
  });
  const seen = new Set<string>();
  manifest.parts.forEach((part, i) => {
    if (seen.has(part.id)) add("schema", COURSE_FILE, yaml.line(["parts", i, "id"]), `part ${part.id} is listed twice`);
    seen.add(part.id);
  });
  const wrong = path.resolve(root, manifest.wrong_answers ?? DEFAULT_WRONG_ANSWERS);
  if (manifest.wrong_answers && !fs.existsSync(wrong)) {
    add("schema", COURSE_FILE, yaml.line(["wrong_answers"]), `wrong_answers: ${manifest.wrong_answers} does not exist in the pack`);
  }
  return manifest;
}

/** zod's issues, one problem each, at the line of the field (or of the key it rejects). */
function report_issues(file: string, yaml: YamlFile, issues: readonly { path: PropertyKey[]; message: string; code: string; keys?: string[] }[], add: Add) {
  for (const issue of issues) {
    const at = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const where = at.join(".") || "(root)";
    if (issue.code === "unrecognized_keys" && issue.keys) {
      for (const key of issue.keys) add("schema", file, yaml.key_line(at, key), `unknown field ${key}${at.length ? ` in ${where}` : ""}`);
    } else {
      add("schema", file, yaml.line(at), `${where}: ${issue.message}`);
    }
  }
}

function check_exercise_folder(root: string, id: string, manifest: CourseManifest | undefined, add: Add): PackFolder {
  const rel = `exercises/${id}`;
  const dir = path.join(root, "exercises", id);
  const folder: PackFolder = { id, dir };
  if (!/^\d{2}-[a-z0-9-]+$/.test(id)) add("ids-order", rel, undefined, "the folder name is the exercise's id and must look like 01-premier-dockerfile");

  // The files, exactly.
  const present = fs.readdirSync(dir).filter((n) => !TOOL_FOLDERS.has(n));
  for (const name of EXERCISE_FILES) {
    if (!present.includes(name)) add("mirror", `${rel}/${name}`, undefined, `missing: an exercise folder holds ${EXERCISE_FILES.join(", ")}`);
  }
  for (const name of present.filter((n) => !(EXERCISE_FILES as readonly string[]).includes(n))) {
    add("stray", `${rel}/${name}`, undefined, `a stray file: an exercise folder holds only ${EXERCISE_FILES.join(", ")}`);
  }

  // The metadata, field by field.
  const yaml_file = path.join(dir, "exercise.yaml");
  if (fs.existsSync(yaml_file)) {
    const text = fs.readFileSync(yaml_file, "utf8");
    const yaml = read_yaml(text);
    folder.yaml = yaml;
    const file = `${rel}/exercise.yaml`;
    if (yaml.error) add("schema", file, yaml.error.line, `not valid YAML: ${yaml.error.message}`);
    else {
      const parsed = ExerciseMetadata.safeParse(yaml.value);
      if (!parsed.success) report_issues(file, yaml, parsed.error.issues, add);
      else {
        const meta = parsed.data;
        let sound = true;
        if (meta.id !== id) {
          add("ids-order", file, yaml.line(["id"]), `id ${meta.id} is not the folder's name ${id}`);
          sound = false;
        }
        if (manifest && !manifest.parts.some((p) => p.id === meta.part)) {
          add("schema", file, yaml.line(["part"]), `part ${meta.part} is not in course.yaml's parts (${manifest.parts.map((p) => p.id).join(", ")})`);
          sound = false;
        }
        meta.base_images.forEach((image, i) => {
          if (manifest && !manifest.base_images.includes(image)) {
            add("base-image", file, yaml.line(["base_images", i]), `base image ${image} is not in course.yaml's base_images: add it there`);
            sound = false;
          }
        });
        for (const problem of hint_problems(meta.hints)) add("hints", file, yaml.line(["hints", problem.index]), problem.message);
        meta.hints.forEach((hint, i) => {
          if (hint.includes(PLACEHOLDER)) add("placeholder", file, yaml.line(["hints", i]), `hint ${i + 1} is still the scaffold's ${PLACEHOLDER}`);
        });
        if (meta.title.includes(PLACEHOLDER)) add("placeholder", file, yaml.line(["title"]), `the title is still the scaffold's ${PLACEHOLDER}`);
        if (sound && manifest) {
          try {
            folder.exercise = load_exercise(root, id, manifest);
          } catch (error) {
            add("schema", file, undefined, (error as Error).message);
          }
        }
      }
    }
  }

  // The lesson: a title, sections, some substance, nothing left to write.
  const lesson_file = path.join(dir, "lesson.md");
  if (fs.existsSync(lesson_file)) {
    const lesson = fs.readFileSync(lesson_file, "utf8");
    const file = `${rel}/lesson.md`;
    if (!/^# \S/.test(lesson)) add("lesson", file, 1, "a lesson starts with its title: `# NN — Title`");
    if (!/^## \S/m.test(lesson)) add("lesson", file, undefined, "a lesson has sections (`## ...`): what the instruction does, common pitfalls, the exercise");
    if (lesson.trim().length < MIN_LESSON_CHARS) {
      add("lesson", file, undefined, `the lesson is ${lesson.trim().length} characters long; a lesson teaches what the exercise needs (${MIN_LESSON_CHARS} at least)`);
    }
    const todo = lesson.split("\n").flatMap((l, i) => (l.includes(PLACEHOLDER) ? [i + 1] : []));
    if (todo.length > 0) {
      const more = todo.length > 1 ? ` (and on line ${todo.slice(1).join(", ")})` : "";
      add("placeholder", file, todo[0], `still the scaffold's ${PLACEHOLDER}: write this part of the lesson${more}`);
    }
  }

  // The spec: it reaches the grader from where it is.
  const spec_file = path.join(dir, "spec.test.ts");
  if (fs.existsSync(spec_file)) check_spec_imports(root, spec_file, `${rel}/spec.test.ts`, add);

  // Starter and solution: each a Dockerfile, mirrored path for path.
  const starter = path.join(dir, "starter");
  const solution = path.join(root, "solutions", id);
  const starter_files = list_files(starter);
  if (fs.existsSync(starter) && !starter_files.includes("Dockerfile")) {
    add("mirror", `${rel}/starter/Dockerfile`, undefined, "missing: the student starts from a Dockerfile");
  }
  if (!fs.existsSync(solution)) {
    add("mirror", `solutions/${id}`, undefined, `missing: exercises/ and solutions/ mirror each other (solutions/${id}/Dockerfile at least)`);
  } else {
    const solution_files = list_files(solution);
    if (!solution_files.includes("Dockerfile")) add("mirror", `solutions/${id}/Dockerfile`, undefined, "missing: the reference solution's Dockerfile");
    for (const file of starter_files.filter((f) => !solution_files.includes(f))) {
      add("mirror", `solutions/${id}/${file}`, undefined, `missing: the starter has ${file}, the solution must mirror it path for path`);
    }
    for (const file of solution_files.filter((f) => f === "Dockerfile" || f.endsWith("/Dockerfile"))) {
      const text = fs.readFileSync(path.join(solution, file), "utf8");
      const syntax = line_of(text, /^#\s*syntax=/);
      if (syntax) {
        add("stray", `solutions/${id}/${file}`, syntax, "a # syntax= directive makes BuildKit fetch a frontend image: an offline classroom cannot build it");
      }
    }
  }
  return folder;
}

/** A spec imports the grader; from a pack outside this repository that needs node_modules/dockerlings. */
function check_spec_imports(root: string, spec_file: string, file: string, add: Add): void {
  const text = fs.readFileSync(spec_file, "utf8");
  if (!/\btest\s*\(/.test(text)) add("spec", file, undefined, "the spec has no test(...): zero checks is a failure, not a success");
  for (const match of text.matchAll(/from\s+["']([^"']+)["']/g)) {
    const specifier = match[1]!;
    const line = text.slice(0, match.index).split("\n").length;
    if (/(^|\/)grader\/index(\.js)?$/.test(specifier)) {
      // The CLI's entry no longer carries use_exercise nor the matchers: the spec would fail to load.
      add("spec", file, line, `imports ${specifier}, the CLI's entry: a spec imports the spec author's entry, ${specifier.replace(/index(\.js)?$/, "spec.js")}`);
    } else if (specifier.startsWith(".")) {
      const target = path.resolve(path.dirname(spec_file), specifier);
      const candidates = [target, target.replace(/\.js$/, ".ts")];
      if (!candidates.some((c) => fs.existsSync(c))) {
        add("spec", file, line, `imports ${specifier}, which is not there; outside this repository a spec imports "dockerlings/grader/spec.js"`);
      }
    } else if (specifier.startsWith("dockerlings")) {
      if (!reaches_package(root, "dockerlings")) {
        add("spec", file, line, `imports ${specifier} but the pack has no node_modules/dockerlings: ${link_advice(root)}`);
      }
    }
  }
}

/** How to give a pack its node_modules/dockerlings: this grader's own folder, linked. */
function link_advice(root: string): string {
  let own: string | undefined;
  try {
    own = grader_course_root();
  } catch {
    own = undefined;
  }
  if (!own) return "link the dockerlings folder there";
  return `link this dockerlings there: \`mkdir -p ${path.join(root, "node_modules")} && ln -s ${own} ${path.join(root, "node_modules", "dockerlings")}\``;
}

function reaches_package(root: string, name: string): boolean {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", name, "package.json"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * Ids unique by number, orders unique, parts in course.yaml's order. Orders
 * may disagree with the ids' numbers: ids are contracts (students' progress
 * names them), so an exercise added later to an early part keeps a high number.
 */
function check_order(root: string, all: string[], manifest: CourseManifest | undefined, add: Add): void {
  const entries = all
    .map((id) => {
      const file = path.join(root, "exercises", id, "exercise.yaml");
      if (!fs.existsSync(file)) return undefined;
      const yaml = read_yaml(fs.readFileSync(file, "utf8"));
      const value = yaml.value as { order?: unknown; part?: unknown } | undefined;
      if (!value || typeof value.order !== "number") return undefined;
      return { id, order: value.order, part: typeof value.part === "string" ? value.part : undefined, yaml, file: `exercises/${id}/exercise.yaml` };
    })
    .filter((e) => e !== undefined);
  const numbers = new Map<string, string>();
  for (const id of all) {
    const number = id.split("-")[0]!;
    const other = numbers.get(number);
    if (other) add("ids-order", `exercises/${id}`, undefined, `its number ${number} is ${other}'s too: \`dockerlings check ${number}\` could not tell them apart`);
    numbers.set(number, id);
  }
  const orders = new Map<number, string>();
  for (const e of entries) {
    const other = orders.get(e.order);
    if (other) add("ids-order", e.file, e.yaml.line(["order"]), `order ${e.order} is ${other}'s too: each exercise has its own place`);
    orders.set(e.order, e.id);
  }
  const by_order = [...entries].sort((a, b) => a.order - b.order);
  by_order.forEach((e, i) => {
    const previous = by_order[i - 1];
    if (manifest && previous?.part && e.part) {
      const rank = (part: string) => manifest.parts.findIndex((p) => p.id === part);
      if (rank(e.part) >= 0 && rank(previous.part) > rank(e.part)) {
        add("ids-order", e.file, e.yaml.line(["part"]), `part ${e.part} comes after ${previous.id} of part ${previous.part}: course.yaml teaches ${e.part} first`);
      }
    }
  });
}

export interface WrongAnswer {
  id: string;
  name: string;
  dir: string;
  /** expect.yaml, relative to the pack. */
  file: string;
  yaml: YamlFile;
  expectation: WrongAnswerExpectation;
}

function read_wrong_answers(root: string, manifest: CourseManifest | undefined, all: string[], selected: string[], add: Add): WrongAnswer[] {
  const base = path.resolve(root, manifest?.wrong_answers ?? DEFAULT_WRONG_ANSWERS);
  if (!fs.existsSync(base)) return [];
  const rel = (p: string) => posix(path.relative(root, p));
  const cases: WrongAnswer[] = [];
  for (const id of fs.readdirSync(base).sort()) {
    const dir = path.join(base, id);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (!all.includes(id)) {
      add("wrong-answer", rel(dir), undefined, `no exercise ${id} for these wrong answers`);
      continue;
    }
    if (!selected.includes(id)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const case_dir = path.join(dir, name);
      if (!fs.statSync(case_dir).isDirectory()) continue;
      const file = path.join(case_dir, "expect.yaml");
      if (!fs.existsSync(file)) {
        add("wrong-answer", rel(file), undefined, "missing: a wrong answer says which check it must fail (why, fails, message)");
        continue;
      }
      const yaml = read_yaml(fs.readFileSync(file, "utf8"));
      if (yaml.error) {
        add("schema", rel(file), yaml.error.line, `not valid YAML: ${yaml.error.message}`);
        continue;
      }
      const parsed = WrongAnswerExpectation.safeParse(yaml.value);
      if (!parsed.success) {
        report_issues(rel(file), yaml, parsed.error.issues, add);
        continue;
      }
      try {
        new RegExp(parsed.data.message, "s");
      } catch (error) {
        add("schema", rel(file), yaml.line(["message"]), `message is not a regular expression: ${(error as Error).message}`);
        continue;
      }
      cases.push({ id, name, dir: case_dir, file: rel(file), yaml, expectation: parsed.data });
    }
  }
  return cases;
}

