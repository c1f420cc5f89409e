// A grading's result for the terminal, as `check` and the watch loop show it:
// each check, and the failing build step's output (folded past a number of
// lines, the full text saved to a log file) where the build check quotes it.
import fs from "node:fs";
import path from "node:path";
import type { BuildOutcome, Exercise, ExerciseResult } from "../../grader/index.js";
import { define_messages } from "../i18n/index.js";
import { build_log_text, format_failing_output } from "./build-progress.js";
import { format_exercise_result, shows_build_output } from "./result.js";
import { shown_path } from "../state/course-state.js";

/** Lines of a failing step shown before folding (all of them with --verbose). */
export const FOLD_LINES = 30;

const m = define_messages({
  see_all: {
    fr: (p: { log?: string; command: string }) => (p.log ? `sortie complète dans ${p.log} ou avec \`${p.command}\`` : `sortie complète avec \`${p.command}\``),
    en: (p: { log?: string; command: string }) => (p.log ? `full output in ${p.log} or with \`${p.command}\`` : `full output with \`${p.command}\``),
  },
});

/**
 * The failing step's output for the terminal, folded past `limit` lines, with
 * the full text saved to `log_file` (when given) for the student to read.
 */
export function failing_output_text(
  outcome: BuildOutcome | undefined,
  options: { limit: number; width: number; log_file?: string; verbose_command: string },
): string | undefined {
  if (!outcome) return undefined;
  let log: string | undefined;
  if (options.log_file && !outcome.ok) {
    try {
      fs.mkdirSync(path.dirname(options.log_file), { recursive: true });
      fs.writeFileSync(options.log_file, build_log_text(outcome));
      log = shown_path(options.log_file);
    } catch {
      log = undefined;
    }
  }
  return format_failing_output(outcome, {
    limit: options.limit,
    width: options.width,
    where: m("see_all", { log, command: options.verbose_command }),
  });
}

/**
 * A grading's result for the terminal: each check, and the failing build
 * step's output (folded past `limit` lines) under the check that failed on it.
 */
export function graded_text(
  outcome: BuildOutcome | undefined,
  result: ExerciseResult,
  exercise: Exercise,
  options: { width: number; limit: number; log_file?: string },
): string {
  const tail = outcome && !outcome.ok ? outcome.failure.output_tail : undefined;
  const quoted = shows_build_output(result, tail);
  const failing = failing_output_text(outcome, {
    limit: options.limit,
    width: quoted ? options.width - 6 : options.width,
    log_file: options.log_file,
    verbose_command: `dockerlings check ${exercise.id} --verbose`,
  });
  const parts: string[] = [];
  if (failing && !quoted) parts.push(failing);
  parts.push("", format_exercise_result(result, exercise.title, { width: options.width, build_output: quoted ? failing : undefined, build_tail: tail }));
  return parts.join("\n");
}
