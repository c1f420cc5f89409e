// `dockerlings dev check`: everything that makes a course pack sound, as a list
// of problems, each naming its file (relative to the pack) and line. The
// static checks (pack-lint.ts) need no engine; grading the starters, solutions
// and wrong answers goes through a PackEngine (cli/commands/dev/engine.ts),
// which the caller gives when an engine answers, and each grading is judged
// here. This repository's own integrity test (test/course.docker.test.ts) is
// this function on its own pack.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COURSE_FILE, type Exercise } from "./course.js";
import { read_yaml } from "./yaml-lines.js";
import type { ExerciseResult } from "../result.js";
import { first_line, line_of, lint_pack, posix, type Add, type PackFolder, type PackLintOptions, type PackProblem, type ProblemKind, type WrongAnswer } from "./pack-lint.js";

/** What grading needs: given only when an engine answers. */
export interface PackEngine {
  image_exists(image: string): Promise<boolean>;
  /**
   * Grades each folder with its exercise's spec, staged as a student's
   * submission would be; `ignored` lists the files staging left out (not editable).
   */
  grade(requests: { exercise: Exercise; dir: string }[]): Promise<Array<ExerciseResult & { ignored?: string[] }>>;
  /** Ends what the engine keeps running (a warm runner); the caller calls it. */
  close?(): Promise<void>;
}

export interface PackCheckOptions extends PackLintOptions {
  /** Grades through this; without one, what needs an engine is listed in `unchecked`. */
  engine?: PackEngine;
  /** Why there is no engine, said in `unchecked`. */
  no_engine_reason?: string;
  /** Told before each grading step: it takes a while, an author wants to know what runs. */
  on_step?: (step: PackStep) => void;
}

/** A grading step of check_pack, as data (the CLI words it). */
export type PackStep =
  | { step: "solutions" | "starters"; count: number }
  | { step: "wrong-answers"; count: number; round: number; rounds: number };

export interface PackReport {
  root: string;
  problems: PackProblem[];
  /** What could not be checked, and why (no engine). */
  unchecked: string[];
  /** Exercises checked, and how many submissions were graded. */
  exercises: number;
  graded: number;
}

export async function check_pack(course_root: string, options: PackCheckOptions = {}): Promise<PackReport> {
  const root = path.resolve(course_root);
  const problems: PackProblem[] = [];
  const unchecked: string[] = [];
  const add = (kind: ProblemKind, file: string, line: number | undefined, message: string) =>
    problems.push({ kind, file: posix(file), ...(line ? { line } : {}), message });
  // By file, then line: the order an author fixes them in.
  const report = (): PackReport => ({
    root,
    problems: problems.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1)),
    unchecked,
    exercises: folders.length,
    graded,
  });
  let graded = 0;
  let folders: PackFolder[] = [];

  // Without an engine: the pack's files, each exercise folder, the wrong answers' format.
  const lint = lint_pack(root, add, options);
  if (!lint) return report();
  const { manifest, cases } = lint;
  folders = lint.folders;

  if (!options.engine) {
    unchecked.push(
      `${options.no_engine_reason ?? "no Docker engine"}: base images on the engine, starters, solutions and wrong answers were not graded`,
    );
    return report();
  }
  const engine = options.engine;
  const ready = folders.filter((f): f is PackFolder & { exercise: Exercise } => f.exercise !== undefined);

  // The images the checked exercises build from, and (the whole pack checked)
  // every image course.yaml says the pack needs, such as one a spec starts.
  const used = [...new Set(ready.flatMap((f) => f.exercise.base_images))];
  const listed = options.ids?.length || !manifest || !fs.existsSync(path.join(root, COURSE_FILE)) ? [] : manifest.base_images;
  const course_lines = listed.length > 0 ? read_yaml(fs.readFileSync(path.join(root, COURSE_FILE), "utf8")) : undefined;
  for (const image of [...new Set([...used, ...listed])].filter((i) => i !== "scratch")) {
    if (await engine.image_exists(image)) continue;
    const user = ready.find((f) => f.exercise.base_images.includes(image));
    const why = `base image ${image} is not on this engine: run \`bash scripts/base-images.sh ${image}\` (or docker pull ${image})`;
    if (user) add("base-image", `exercises/${user.id}/exercise.yaml`, user.yaml?.line(["base_images", user.exercise.base_images.indexOf(image)]), why);
    else add("base-image", COURSE_FILE, course_lines?.line(["base_images", listed.indexOf(image)]), why);
  }

  // Solutions pass every check for full points; starters fail one, with a message.
  const gradable = ready.filter((f) => fs.existsSync(f.exercise.solution_dir) && fs.existsSync(f.exercise.starter_dir));
  options.on_step?.({ step: "solutions", count: gradable.length });
  const solutions = await engine.grade(gradable.map((f) => ({ exercise: f.exercise, dir: f.exercise.solution_dir })));
  options.on_step?.({ step: "starters", count: gradable.length });
  const starters = await engine.grade(gradable.map((f) => ({ exercise: f.exercise, dir: f.exercise.starter_dir })));
  graded += solutions.length + starters.length;
  gradable.forEach((f, i) => {
    judge_solution(f, solutions[i]!, add);
    judge_starter(f, starters[i]!, add);
  });

  // Wrong answers: in rounds, one case per exercise in each (a run grades one folder per exercise).
  const runnable = cases.filter((c) => gradable.some((f) => f.id === c.id));
  const rounds: WrongAnswer[][] = [];
  for (const c of runnable) {
    const round = rounds.find((r) => !r.some((o) => o.id === c.id));
    if (round) round.push(c);
    else rounds.push([c]);
  }
  for (const [i, round] of rounds.entries()) {
    options.on_step?.({ step: "wrong-answers", count: round.length, round: i + 1, rounds: rounds.length });
    const dirs = round.map((c) => overlay(root, c));
    try {
      const results = await engine.grade(
        round.map((c, i) => ({ exercise: gradable.find((f) => f.id === c.id)!.exercise, dir: dirs[i]! })),
      );
      graded += results.length;
      round.forEach((c, i) => judge_wrong_answer(c, results[i]!, add));
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return report();
}

/** A copy of the solution with the wrong answer's files laid over it. */
function overlay(root: string, c: WrongAnswer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dl-wrong-${c.id}-`));
  fs.cpSync(path.join(root, "solutions", c.id), dir, { recursive: true });
  fs.cpSync(c.dir, dir, { recursive: true, filter: (source) => path.basename(source) !== "expect.yaml" });
  for (const file of c.expectation.delete ?? []) fs.rmSync(path.join(dir, file), { recursive: true, force: true });
  return dir;
}

function spec_line(folder: PackFolder, check: string): number | undefined {
  const spec = path.join(folder.dir, "spec.test.ts");
  if (!fs.existsSync(spec)) return undefined;
  return line_of(fs.readFileSync(spec, "utf8"), check) ?? line_of(fs.readFileSync(spec, "utf8"), JSON.stringify(check).slice(1, -1));
}

type Graded = ExerciseResult & { ignored?: string[] };

function judge_solution(folder: PackFolder & { exercise: Exercise }, result: Graded, add: Add): void {
  const spec = `exercises/${folder.id}/spec.test.ts`;
  for (const file of result.ignored ?? []) {
    add(
      "stray",
      `solutions/${folder.id}/${file}`,
      undefined,
      "not in the starter and not editable: grading ignores it, as it would a student's (add it to exercise.yaml's editable, or to the starter)",
    );
  }
  if (result.status === "error") {
    add("spec", spec, undefined, `the spec could not grade the solution: ${first_line(result.message)}`);
    return;
  }
  for (const check of result.tests.filter((t) => t.status !== "pass")) {
    add("solution-fails", spec, spec_line(folder, check.name), `the solution fails « ${check.name} »: ${first_line(check.message)}`);
  }
  const weights = result.tests.reduce((sum, t) => sum + t.max_points, 0);
  if (weights !== folder.exercise.points) {
    add(
      "spec",
      `exercises/${folder.id}/exercise.yaml`,
      folder.yaml?.line(["points"]),
      `points: ${folder.exercise.points}, but the spec's checks weigh ${weights} (meta: { points } of each test)`,
    );
  }
}

function judge_starter(folder: PackFolder & { exercise: Exercise }, result: Graded, add: Add): void {
  const starter = `exercises/${folder.id}/starter/Dockerfile`;
  if (result.status === "pass") {
    add("starter-passes", starter, undefined, "the starter passes every check: the student has nothing to do (or the spec checks too little)");
    return;
  }
  if (result.status === "error") return; // The solution's grading says why the spec cannot run.
  for (const check of result.tests.filter((t) => t.status === "fail" && !t.message?.trim())) {
    add("spec", `exercises/${folder.id}/spec.test.ts`, spec_line(folder, check.name), `« ${check.name} » fails the starter with no message: say what is wrong`);
  }
}

function judge_wrong_answer(c: WrongAnswer, result: Graded, add: Add): void {
  const { fails, message, output, why } = c.expectation;
  // A file staging left out is often the mistake itself (Dockerfile.txt); it is
  // named only when the case goes wrong, as the likely reason.
  const left_out = (result.ignored ?? []).filter((file) => fs.existsSync(path.join(c.dir, file)));
  const note = left_out.length > 0 ? ` (grading ignored ${left_out.join(", ")}: not editable, a student cannot submit it)` : "";
  const problem = (line: number | undefined, text: string) => add("wrong-answer", c.file, line, text + note);
  if (result.status === "error") {
    problem(undefined, `could not be graded: ${first_line(result.message)}`);
    return;
  }
  const failing = result.tests.filter((t) => t.status !== "pass").map((t) => `« ${t.name} »`);
  if (result.status === "pass") {
    problem(c.yaml.line(["fails"]), `the wrong answer passes every check (${why}): the spec lets it through`);
    return;
  }
  const check = result.tests.find((t) => t.name.includes(fails));
  if (!check) {
    problem(c.yaml.line(["fails"]), `no check is named like « ${fails} » (checks: ${result.tests.map((t) => t.name).join(" | ")})`);
    return;
  }
  if (check.status === "pass") {
    problem(c.yaml.line(["fails"]), `« ${check.name} » lets it through (${why}); it fails ${failing.join(", ")} instead`);
    return;
  }
  if (!new RegExp(message, "s").test(check.message ?? "")) {
    problem(c.yaml.line(["message"]), `« ${check.name} » fails, but its message does not match /${message}/: ${first_line(check.message)}`);
  }
  if (output !== undefined && !new RegExp(output, "s").test(check.output ?? "")) {
    problem(c.yaml.line(["output"]), `« ${check.name} » fails, but its output does not match /${output}/: ${first_line(check.output) || "(no output)"}`);
  }
}
