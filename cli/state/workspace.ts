// The student's workspace: one folder per exercise id, and .dockerlings/ for
// the progress, the attempts and the build logs. Every command finds it from
// the current folder upward, as git finds .git, so a student works from any
// folder of it: one `dockerlings init` made, a teacher's repository of
// exercise folders, or workspace/ in a clone of this repository. Existing
// folders are never overwritten.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Exercise } from "../../grader/course/course.js";

/** The workspace's own folder: progress, attempts, logs, backups. */
export const STATE_DIR = ".dockerlings";

/**
 * How the workspace was found:
 * - `marked`: a folder with .dockerlings/ (made by `dockerlings init`, or used before);
 * - `folders`: a folder holding exercise folders and no .dockerlings/ yet (a teacher's repository);
 * - `clone`: workspace/ of a clone of the course pack (made and filled on first use);
 * - `option`: named by --workspace (a teacher grading submissions).
 */
export type WorkspaceKind = "marked" | "folders" | "clone" | "option";

export interface Workspace {
  dir: string;
  /** The student's own: progress, attempts and build logs are kept in it (false for --workspace). */
  is_default: boolean;
  kind: WorkspaceKind;
  /** Exercise folders made from their starters by this opening. */
  created: string[];
}

/** No workspace here or above: the caller says how to make one (`dockerlings init`). */
export class NoWorkspaceError extends Error {
  constructor(readonly from: string) {
    super(`no dockerlings workspace in ${from} or above`);
    this.name = "NoWorkspaceError";
  }
}

const is_dir = (p: string): boolean => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** Whether `inner` is `outer` or inside it. */
export function is_within(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * The workspace that holds `from`, looking in `from` then each folder above
 * it. The course pack's exercises/ and solutions/ hold exercise folders too
 * (and solutions/.dockerlings/ once a teacher graded it with --workspace),
 * but are never a student's workspace: inside the pack, workspace/ is.
 */
export function find_workspace(from: string, course_root: string, ids: string[]): { dir: string; kind: WorkspaceKind } | undefined {
  const pack = path.resolve(course_root);
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const in_pack = is_within(pack, dir);
    const pack_content = in_pack && PACK_CONTENT.has(path.relative(pack, dir).split(path.sep)[0]!);
    if (!pack_content) {
      if (is_dir(path.join(dir, STATE_DIR))) return { dir, kind: "marked" };
      if (dir === pack) return { dir: path.join(dir, "workspace"), kind: "clone" };
      // An older dockerlings made ./workspace wherever it was run.
      if (is_dir(path.join(dir, "workspace", STATE_DIR))) return { dir: path.join(dir, "workspace"), kind: "marked" };
      if (!in_pack && ids.some((id) => is_dir(path.join(dir, id)))) return { dir, kind: "folders" };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The course pack's own folders of exercises, which are never a workspace. */
const PACK_CONTENT = new Set(["exercises", "solutions"]);

/** Copies the starters of the exercises whose folder is missing; returns their ids. */
export function add_missing_exercises(dir: string, exercises: Exercise[]): string[] {
  const created: string[] = [];
  for (const exercise of exercises) {
    const target = path.join(dir, exercise.id);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(dir, { recursive: true });
    copy_starter(exercise, target);
    created.push(exercise.id);
  }
  return created;
}

function copy_starter(exercise: Exercise, target: string): void {
  fs.cpSync(exercise.starter_dir, target, { recursive: true, filter: (source) => path.basename(source) !== STATE_DIR });
}

/**
 * The workspace a command works in: --workspace as given, else the one found
 * from `cwd` upward. A clone's workspace/ is made (and completed) from the
 * starters; any other keeps the folders it has. Throws NoWorkspaceError when
 * there is none.
 */
export function open_workspace(option: string | undefined, exercises: Exercise[], course_root: string, cwd = process.cwd()): Workspace {
  if (option) return { dir: path.resolve(cwd, option), is_default: false, kind: "option", created: [] };
  const found = find_workspace(
    cwd,
    course_root,
    exercises.map((e) => e.id),
  );
  if (!found) throw new NoWorkspaceError(cwd);
  const created = found.kind === "clone" ? add_missing_exercises(found.dir, exercises) : [];
  return { dir: found.dir, is_default: true, kind: found.kind, created };
}

/**
 * The exercise's folder in the workspace. A --workspace folder that holds a
 * Dockerfile and no exercise sub-folder is taken as the submission itself,
 * so `--workspace exercises/01-.../starter` grades that starter.
 */
export function submission_dir(workspace: Workspace, exercise: Exercise): { dir: string; is_workspace_itself: boolean } {
  const dir = path.join(workspace.dir, exercise.id);
  if (!workspace.is_default && !fs.existsSync(dir) && fs.existsSync(path.join(workspace.dir, "Dockerfile"))) {
    return { dir: workspace.dir, is_workspace_itself: true };
  }
  return { dir, is_workspace_itself: false };
}

/** Where a replaced exercise folder is kept: workspace/.dockerlings/backups/<id>-<timestamp>/. */
export function backups_dir(workspace_dir: string): string {
  return path.join(workspace_dir, STATE_DIR, "backups");
}

/**
 * What .dockerlings/ keeps out of git: the progress and the attempts are
 * small and worth committing with the work; logs, backups and files being
 * written are not. Inside the folder, so that it holds in a teacher's
 * repository too.
 */
const STATE_GITIGNORE = "# dockerlings: progress.json and history.jsonl are worth committing; the rest is not.\nlogs/\nbackups/\nreset-*/\n*.tmp\n";

/** Makes .dockerlings/ (with its .gitignore) if needed; returns its path. */
export function ensure_state_dir(workspace_dir: string): string {
  const dir = path.join(workspace_dir, STATE_DIR);
  const ignore = path.join(dir, ".gitignore");
  if (!fs.existsSync(ignore)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(ignore, STATE_GITIGNORE);
  }
  return dir;
}

/**
 * Puts the exercise's starter back in the workspace. What was there is moved
 * (not copied) to a backup folder first, and the starter is copied aside
 * before, so a crash at any point leaves either the old folder or the backup.
 */
export function reset_exercise(workspace_dir: string, exercise: Exercise, now = new Date()): { backup?: string } {
  const target = path.join(workspace_dir, exercise.id);
  const staging = path.join(ensure_state_dir(workspace_dir), `reset-${exercise.id}-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  copy_starter(exercise, staging);
  let backup: string | undefined;
  if (fs.existsSync(target)) {
    const stamp = now.toISOString().replace(/[:.]/g, "-");
    fs.mkdirSync(backups_dir(workspace_dir), { recursive: true });
    backup = path.join(backups_dir(workspace_dir), `${exercise.id}-${stamp}`);
    for (let n = 2; fs.existsSync(backup); n++) backup = path.join(backups_dir(workspace_dir), `${exercise.id}-${stamp}-${n}`);
    fs.renameSync(target, backup);
  }
  fs.renameSync(staging, target);
  return { backup };
}

/** Where the full build output goes when the terminal shows only its end. */
export function build_log_path(workspace: Workspace, exercise: Exercise): string {
  const dir = workspace.is_default ? path.join(workspace.dir, ".dockerlings", "logs") : path.join(os.tmpdir(), "dockerlings-logs");
  return path.join(dir, `${exercise.id}-build.log`);
}
