// What most commands start from: the course, the student's workspace
// (created from the starters on first use) and the progress in it. A corrupt
// progress file is reported here, once, for every command.
import path from "node:path";
import { default_course_root, load_course, type Exercise } from "../../grader/course/course.js";
import { define_messages } from "../i18n/index.js";
import { c } from "../ui/color.js";
import { wrap, terminal_width } from "../ui/text.js";
import { CliError } from "../errors.js";
import { attempt_time, record_attempt } from "./history.js";
import { load_progress, progress_path, record_result, save_progress, type ExerciseProgress, type Progress } from "./progress.js";
import { NoWorkspaceError, open_workspace, type Workspace } from "./workspace.js";

const m = define_messages({
  corrupt: {
    fr: (p: { file: string; aside: string }) =>
      `Le fichier de progression ${p.file} était illisible : il a été mis de côté sous ${p.aside}. ` +
      "Une progression neuve commence. Pour reprendre l'ancienne, réparez ce fichier et renommez-le en progress.json.",
    en: (p: { file: string; aside: string }) =>
      `The progress file ${p.file} could not be read: it was set aside as ${p.aside}. ` +
      "A fresh progress starts. To get the old one back, repair that file and rename it progress.json.",
  },
  no_workspace: {
    fr: (p: { from: string }) =>
      `Pas d'espace de travail dockerlings dans ${p.from} ni dans les dossiers au-dessus. ` +
      "Pour en créer un : `dockerlings init` (il crée le dossier dockerlings/, un sous-dossier par exercice), puis `cd dockerlings` et `dockerlings`. " +
      "Vos exercices sont déjà dans un dossier (le dépôt de votre enseignant, un `dockerlings init` d'avant) ? Lancez dockerlings depuis ce dossier.",
    en: (p: { from: string }) =>
      `No dockerlings workspace in ${p.from} or in the folders above it. ` +
      "To make one: `dockerlings init` (it creates the folder dockerlings/, one sub-folder per exercise), then `cd dockerlings` and `dockerlings`. " +
      "Are your exercises already in a folder (your teacher's repository, an earlier `dockerlings init`)? Run dockerlings from that folder.",
  },
});

export interface CourseState {
  course_root: string;
  exercises: Exercise[];
  workspace: Workspace;
  progress: Progress;
}

/** Tells the student that their progress file was unreadable and where it went. */
export function report_set_aside(workspace_dir: string, aside: string | undefined): void {
  if (!aside) return;
  const text = m("corrupt", { file: shown_path(progress_path(workspace_dir)), aside: shown_path(aside) });
  process.stderr.write(`${c.yellow(wrap(`! ${text}`, terminal_width(process.stderr), "  "))}\n`);
}

/** The student's workspace (see workspace.ts), or a CliError naming `dockerlings init` when there is none. */
export function find_student_workspace(option: string | undefined, exercises: Exercise[], course_root: string): Workspace {
  try {
    return open_workspace(option, exercises, course_root);
  } catch (error) {
    if (error instanceof NoWorkspaceError) throw new CliError(m("no_workspace", { from: error.from }));
    throw error;
  }
}

export function open_course(options: { workspace?: string }): CourseState {
  const course_root = default_course_root();
  const exercises = load_course(course_root);
  const workspace = find_student_workspace(options.workspace, exercises, course_root);
  const { progress, set_aside } = load_progress(workspace.dir);
  report_set_aside(workspace.dir, set_aside);
  return { course_root, exercises, workspace, progress };
}

/**
 * Reads the progress file again, applies `change` and saves it atomically:
 * another dockerlings running meanwhile (a `hint` in a second terminal) keeps
 * what it wrote.
 */
export function update_progress(workspace_dir: string, change: (progress: Progress) => void): Progress {
  const { progress, set_aside } = load_progress(workspace_dir);
  report_set_aside(workspace_dir, set_aside);
  change(progress);
  save_progress(workspace_dir, progress);
  return progress;
}

/**
 * What a grading the student ran leaves in their workspace: the progress
 * (status, points, the current exercise) and, when it reached a verdict, one
 * attempt in the history. A grading that could not happen (the engine, the
 * grader) is no attempt of theirs.
 */
export function record_grading(
  workspace: Workspace,
  result: { exercise: string; status: "pass" | "fail" | "error"; points: number; max_points: number },
  options: { current?: "set" | "if_unset"; attempt?: boolean } = {},
): Progress {
  let hints = 0;
  const progress = update_progress(workspace.dir, (p) => {
    record_result(p, result);
    hints = p.exercises[result.exercise]?.hints_shown ?? 0;
    if (options.current === "set") p.current = result.exercise;
    else if (options.current === "if_unset") p.current ??= result.exercise;
  });
  if (workspace.is_default && options.attempt !== false && result.status !== "error") {
    record_attempt(workspace.dir, { time: attempt_time(), exercise: result.exercise, points: result.points, hints });
  }
  return progress;
}

/** The progress entry of an exercise, created if missing. */
export function exercise_entry(progress: Progress, exercise: Exercise): ExerciseProgress {
  return (progress.exercises[exercise.id] ??= {
    status: "todo",
    points: 0,
    max_points: exercise.points,
    last_checked: "",
    hints_shown: 0,
  });
}

/**
 * A path as the student would type it: relative to where they are ("." for
 * that folder itself), also from a folder or two below (from an exercise's
 * folder, its neighbour is ../02-…/), else in full.
 */
export function shown_path(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  if (relative === "") return ".";
  if (path.isAbsolute(relative)) return file;
  const up = relative.split(path.sep).filter((part) => part === "..").length;
  return up === 0 || (up <= 2 && relative.length < file.length) ? relative : file;
}

/**
 * The next exercise not passed yet, in the course's order after `exercise`
 * and then from the start (as rustlings' `n`): undefined when every other
 * exercise has passed.
 */
export function next_to_do(exercises: Exercise[], exercise: Exercise, progress: Progress): Exercise | undefined {
  const at = exercises.findIndex((e) => e.id === exercise.id);
  const order = [...exercises.slice(at + 1), ...exercises.slice(0, Math.max(0, at))];
  return order.find((e) => progress.exercises[e.id]?.status !== "pass");
}

/** The exercise after `exercise`, if any. */
export function next_exercise(exercises: Exercise[], exercise: Exercise): Exercise | undefined {
  return exercises[exercises.findIndex((e) => e.id === exercise.id) + 1];
}
