// The student's workspace: one folder per exercise id, created from the
// starters on first use. Existing folders are never overwritten.
import fs from "node:fs";
import path from "node:path";
import type { Exercise } from "../../grader/index.js";

export interface Workspace {
  dir: string;
  /** True when the folder is the student's own (./workspace), false for --workspace. */
  is_default: boolean;
  created: string[];
}

export function open_workspace(option: string | undefined, exercises: Exercise[], cwd = process.cwd()): Workspace {
  if (option) {
    const dir = path.resolve(cwd, option);
    return { dir, is_default: false, created: [] };
  }
  const dir = path.resolve(cwd, "workspace");
  const created: string[] = [];
  for (const exercise of exercises) {
    const target = path.join(dir, exercise.id);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(exercise.starter_dir, target, {
      recursive: true,
      filter: (source) => path.basename(source) !== ".dockerlings",
    });
    created.push(exercise.id);
  }
  return { dir, is_default: true, created };
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
  return path.join(workspace_dir, ".dockerlings", "backups");
}

/**
 * Puts the exercise's starter back in the workspace. What was there is moved
 * (not copied) to a backup folder first, and the starter is copied aside
 * before, so a crash at any point leaves either the old folder or the backup.
 */
export function reset_exercise(workspace_dir: string, exercise: Exercise, now = new Date()): { backup?: string } {
  const target = path.join(workspace_dir, exercise.id);
  const staging = path.join(workspace_dir, ".dockerlings", `reset-${exercise.id}-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(staging), { recursive: true });
  fs.cpSync(exercise.starter_dir, staging, { recursive: true, filter: (source) => path.basename(source) !== ".dockerlings" });
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
