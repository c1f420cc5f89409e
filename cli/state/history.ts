// The student's attempts: one line per grading they ran, appended to
// .dockerlings/history.jsonl in the workspace (docs/history.md describes the
// format for whoever reads it, a class report among them). A line holds the
// time, the exercise, the points and the hints seen so far, nothing else: no
// name, no path, no output, so the file is small and safe to commit with the
// work. Each append rewrites the file through a temporary one and a rename,
// as the progress file is written: a crash leaves the old file or the new.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { write_file_atomic } from "./atomic-write.js";
import { ensure_state_dir, STATE_DIR } from "./workspace.js";

export const Attempt = z
  .object({
    /** When the grading ended: UTC, ISO 8601, to the second. */
    time: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    /** The exercise's id. */
    exercise: z.string().min(1),
    /** The points the grading gave. */
    points: z.number().nonnegative(),
    /** How many of the exercise's hints the student had seen by then. */
    hints: z.number().int().nonnegative(),
  })
  .strict();
export type Attempt = z.infer<typeof Attempt>;

/** A gap between two gradings longer than this is a pause: it counts this much. */
export const PAUSE_MS = 10 * 60 * 1000;

export function history_path(workspace_dir: string): string {
  return path.join(workspace_dir, STATE_DIR, "history.jsonl");
}

/** One line of the file, in the documented key order. */
export function attempt_line(attempt: Attempt): string {
  const { time, exercise, points, hints } = attempt;
  return JSON.stringify({ time, exercise, points, hints });
}

/** The time as the file keeps it: UTC, to the second. */
export function attempt_time(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Appends one attempt to the workspace's history. */
export function record_attempt(workspace_dir: string, attempt: Attempt): void {
  ensure_state_dir(workspace_dir);
  const file = history_path(workspace_dir);
  let before = "";
  try {
    before = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (before !== "" && !before.endsWith("\n")) before += "\n";
  write_file_atomic(file, `${before}${attempt_line(Attempt.parse(attempt))}\n`);
}

export interface History {
  attempts: Attempt[];
  /** Line numbers (from 1) of lines that are not an attempt: skipped, and said. */
  unreadable: number[];
}

/** Reads the history; lines that cannot be read are skipped and counted, never fatal. */
export function read_history(workspace_dir: string): History {
  let text: string;
  try {
    text = fs.readFileSync(history_path(workspace_dir), "utf8");
  } catch {
    return { attempts: [], unreadable: [] };
  }
  const attempts: Attempt[] = [];
  const unreadable: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      attempts.push(Attempt.parse(JSON.parse(line)));
    } catch {
      unreadable.push(i + 1);
    }
  });
  return { attempts, unreadable };
}

export interface ExerciseAttempts {
  attempts: number;
  /** An estimate of the time spent (see time_spent). */
  time_spent_ms: number;
  first?: string;
  last?: string;
}

/**
 * Attempts and time spent per exercise. Time spent is an estimate from the
 * gradings alone: each grading counts the time since the one before it (of
 * any exercise; the student was working towards this one), up to PAUSE_MS;
 * the first grading of all counts nothing.
 */
export function summarise_attempts(attempts: Attempt[]): Map<string, ExerciseAttempts> {
  const sorted = [...attempts].sort((a, b) => a.time.localeCompare(b.time));
  const summary = new Map<string, ExerciseAttempts>();
  let previous: number | undefined;
  for (const attempt of sorted) {
    const at = Date.parse(attempt.time);
    const entry = summary.get(attempt.exercise) ?? { attempts: 0, time_spent_ms: 0 };
    entry.attempts++;
    if (previous !== undefined) entry.time_spent_ms += Math.min(Math.max(0, at - previous), PAUSE_MS);
    entry.first ??= attempt.time;
    entry.last = attempt.time;
    summary.set(attempt.exercise, entry);
    previous = at;
  }
  return summary;
}

/** "3 min", "1 h 05", "< 1 min": a duration as the progress table shows it. */
export function format_duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return ms > 0 ? "< 1 min" : "–";
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")}`;
}
