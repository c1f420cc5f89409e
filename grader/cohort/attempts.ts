// How a student worked, from their own history of attempts: the
// `.dockerlings/history.jsonl` their watch loop and `check` append to at the
// root of their workspace (docs/history.md), committed with their work. Per
// exercise: the attempts, the time spent (the gaps between gradings, each at
// most PAUSE_MS, as `dockerlings progress` counts it), and when the exercise
// first passed: how many attempts and how much time it took. The file is the
// student's: a line that cannot be read is skipped, and nothing here is a
// grade. A line says only the points; "passed" is reaching the points the
// student could see (`pass_points`: the exercise's, less the checks held back
// until the deadline).
import fs from "node:fs";
import path from "node:path";
import type { AttemptsRow } from "./history.js";

/** A gap between two gradings longer than this is a pause: it counts this much (as `dockerlings progress` counts it). */
export const PAUSE_MS = 10 * 60 * 1000;

/** Where the student's history is in their submission (the workspace's root). */
export const HISTORY_FILE = path.join(".dockerlings", "history.jsonl");

interface Line {
  time: string;
  exercise: string;
  points: number;
}

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The readable lines of a history's text (the others skipped). */
export function read_attempt_lines(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    try {
      const value = JSON.parse(raw) as Partial<Line>;
      if (typeof value.time === "string" && TIME.test(value.time) && typeof value.exercise === "string" && value.exercise && typeof value.points === "number") {
        lines.push({ time: value.time, exercise: value.exercise, points: value.points });
      }
    } catch {
      // Not a line of ours (a hand edit, a merge conflict's markers): skipped.
    }
  }
  return lines;
}

/** Attempts, time spent and time to pass per exercise; `pass_points` says what passing an exercise is worth. */
export function summarise_lines(lines: Line[], pass_points: (exercise: string) => number): Omit<AttemptsRow, "run_id" | "student_id">[] {
  const sorted = [...lines].sort((a, b) => a.time.localeCompare(b.time));
  const rows = new Map<string, Omit<AttemptsRow, "run_id" | "student_id">>();
  let previous: number | undefined;
  for (const line of sorted) {
    const at = Date.parse(line.time);
    const row = rows.get(line.exercise) ?? {
      exercise_id: line.exercise,
      attempts: 0,
      time_spent_ms: 0,
      first_at: line.time,
      passed_at: null,
      attempts_to_pass: null,
      time_to_pass_ms: null,
    };
    row.attempts++;
    if (previous !== undefined) row.time_spent_ms += Math.min(Math.max(0, at - previous), PAUSE_MS);
    if (row.passed_at === null && line.points >= pass_points(line.exercise)) {
      row.passed_at = line.time;
      row.attempts_to_pass = row.attempts;
      row.time_to_pass_ms = row.time_spent_ms;
    }
    rows.set(line.exercise, row);
    previous = at;
  }
  return [...rows.values()];
}

/** The attempts in a submission's history, for the exercises asked (none when it has no history). */
export function submission_attempts(dir: string, exercises: Set<string>, pass_points: (exercise: string) => number): Omit<AttemptsRow, "run_id" | "student_id">[] {
  let text: string;
  try {
    const file = path.join(dir, HISTORY_FILE);
    // A link is not followed: the file must be the submission's own.
    if (!fs.lstatSync(file).isFile()) return [];
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  // Time spent counts the gaps between all gradings (of any exercise): the rows are picked after.
  return summarise_lines(read_attempt_lines(text), pass_points).filter((row) => exercises.has(row.exercise_id));
}
