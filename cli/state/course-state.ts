// What most commands start from: the course, the student's workspace
// (created from the starters on first use) and the progress in it. A corrupt
// progress file is reported here, once, for every command.
import path from "node:path";
import { default_course_root, load_course, type Exercise } from "../../grader/course/course.js";
import { define_messages } from "../i18n/index.js";
import { c } from "../ui/color.js";
import { wrap, terminal_width } from "../ui/text.js";
import { load_progress, progress_path, save_progress, type ExerciseProgress, type Progress } from "./progress.js";
import { open_workspace, type Workspace } from "./workspace.js";

const m = define_messages({
  corrupt: {
    fr: (p: { file: string; aside: string }) =>
      `Le fichier de progression ${p.file} était illisible : il a été mis de côté sous ${p.aside}. ` +
      "Une progression neuve commence. Pour reprendre l'ancienne, réparez ce fichier et renommez-le en progress.json.",
    en: (p: { file: string; aside: string }) =>
      `The progress file ${p.file} could not be read: it was set aside as ${p.aside}. ` +
      "A fresh progress starts. To get the old one back, repair that file and rename it progress.json.",
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

export function open_course(options: { workspace?: string }): CourseState {
  const course_root = default_course_root();
  const exercises = load_course(course_root);
  const workspace = open_workspace(options.workspace, exercises);
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

/** A path as the student would type it: relative to where they are when shorter. */
export function shown_path(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** The exercise after `exercise`, if any. */
export function next_exercise(exercises: Exercise[], exercise: Exercise): Exercise | undefined {
  return exercises[exercises.findIndex((e) => e.id === exercise.id) + 1];
}
