// The student's progress, kept in the workspace (workspace/.dockerlings/progress.json).
// Written atomically; a corrupt file is set aside and reported, never silently reset.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { write_file_atomic } from "./atomic-write.js";
import { ensure_state_dir, STATE_DIR } from "./workspace.js";

const ExerciseProgress = z.object({
  status: z.enum(["todo", "pass", "fail", "error"]),
  points: z.number(),
  max_points: z.number(),
  last_checked: z.string(),
  passed_at: z.string().optional(),
  hints_shown: z.number().int().nonnegative().default(0),
});

const ProgressFile = z.object({
  format: z.literal(1),
  current: z.string().optional(),
  /** The course's welcome message was shown (the watch loop shows it once). */
  welcomed: z.boolean().optional(),
  exercises: z.record(z.string(), ExerciseProgress),
});

export type ExerciseProgress = z.infer<typeof ExerciseProgress>;
export type Progress = z.infer<typeof ProgressFile>;

export interface LoadedProgress {
  progress: Progress;
  /** Set when a corrupt file was found and moved aside. */
  set_aside?: string;
}

export function progress_path(workspace: string): string {
  return path.join(workspace, STATE_DIR, "progress.json");
}

export function load_progress(workspace: string): LoadedProgress {
  const file = progress_path(workspace);
  const empty: Progress = { format: 1, exercises: {} };
  if (!fs.existsSync(file)) return { progress: empty };
  const text = fs.readFileSync(file, "utf8");
  try {
    return { progress: ProgressFile.parse(JSON.parse(text)) };
  } catch {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(file, aside);
    return { progress: empty, set_aside: aside };
  }
}

export function save_progress(workspace: string, progress: Progress): void {
  ensure_state_dir(workspace);
  write_file_atomic(progress_path(workspace), `${JSON.stringify(progress, null, 2)}\n`);
}

export function record_result(
  progress: Progress,
  result: { exercise: string; status: "pass" | "fail" | "error"; points: number; max_points: number },
): void {
  const previous = progress.exercises[result.exercise];
  const now = new Date().toISOString();
  progress.exercises[result.exercise] = {
    status: result.status,
    points: result.points,
    max_points: result.max_points,
    last_checked: now,
    passed_at: result.status === "pass" ? (previous?.passed_at ?? now) : previous?.passed_at,
    hints_shown: previous?.hints_shown ?? 0,
  };
}
