// `dockerlings check [id]`: grades one exercise of the workspace.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Grader, type BuildOutcome, type Exercise, type ExerciseResult } from "../../../grader/index.js";
import { resolve_exercise } from "./resolve-exercise.js";
import { CliError, EXIT_CANNOT_GRADE, EXIT_CHECK_FAILED, EXIT_OK } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { BuildReporter, build_log_text, format_failing_output } from "../../ui/build-progress.js";
import { format_exercise_result, quotes_build_output } from "../../ui/result.js";
import { course_bar, course_totals } from "../../ui/course-bar.js";
import { submission_dir, type Workspace } from "../../state/workspace.js";
import { load_progress } from "../../state/progress.js";
import { next_exercise, open_course, record_grading, shown_path } from "../../state/course-state.js";

export interface CheckOptions {
  workspace?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Lines of a failing step shown before folding (all of them with --verbose). */
export const FOLD_LINES = 30;

const m = define_messages({
  no_folder: {
    fr: (p: { dir: string; id: string }) => `Pas de dossier ${p.dir} pour l'exercice ${p.id}.`,
    en: (p: { dir: string; id: string }) => `No folder ${p.dir} for exercise ${p.id}.`,
  },
  no_folder_workspace: {
    fr: (p: { id: string }) => ` Le dossier --workspace doit contenir un sous-dossier par exercice (${p.id}/...).`,
    en: (p: { id: string }) => ` The --workspace folder must hold one sub-folder per exercise (${p.id}/...).`,
  },
  files: { fr: (p: { file: string }) => `Fichiers : ${p.file}`, en: (p: { file: string }) => `Files: ${p.file}` },
  see_all: {
    fr: (p: { log?: string; command: string }) => (p.log ? `sortie complète dans ${p.log} ou avec \`${p.command}\`` : `sortie complète avec \`${p.command}\``),
    en: (p: { log?: string; command: string }) => (p.log ? `full output in ${p.log} or with \`${p.command}\`` : `full output with \`${p.command}\``),
  },
  bravo_next: {
    fr: (p: { next: string }) => `Bravo ! Exercice suivant : \`dockerlings check ${p.next}\` (ou \`dockerlings start ${p.next}\` puis \`dockerlings\`).`,
    en: (p: { next: string }) => `Well done! Next exercise: \`dockerlings check ${p.next}\` (or \`dockerlings start ${p.next}\` then \`dockerlings\`).`,
  },
  bravo_end: { fr: "Bravo, vous avez terminé le cours !", en: "Well done, you have finished the course!" },
  fix_and_retry: {
    fr: (p: { file: string; id: string }) => `Corrigez ${p.file} puis relancez \`dockerlings check ${p.id}\`.`,
    en: (p: { file: string; id: string }) => `Fix ${p.file} then run \`dockerlings check ${p.id}\` again.`,
  },
  hint_available: {
    fr: (p: { id: string }) => `Besoin d'aide ? \`dockerlings hint ${p.id}\` ou \`dockerlings lesson ${p.id}\`.`,
    en: (p: { id: string }) => `Need help? \`dockerlings hint ${p.id}\` or \`dockerlings lesson ${p.id}\`.`,
  },
});

/** Where the full build output goes when the terminal shows only its end. */
export function build_log_path(workspace: Workspace, exercise: Exercise): string {
  const dir = workspace.is_default ? path.join(workspace.dir, ".dockerlings", "logs") : path.join(os.tmpdir(), "dockerlings-logs");
  return path.join(dir, `${exercise.id}-build.log`);
}

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
 * step's output (folded past `limit` lines) where the build check quotes it.
 */
export function graded_text(
  outcome: BuildOutcome | undefined,
  result: ExerciseResult,
  exercise: Exercise,
  options: { width: number; limit: number; log_file?: string },
): string {
  const tail = outcome && !outcome.ok ? outcome.failure.output_tail : undefined;
  const quoted = quotes_build_output(result, tail);
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

export async function check_command(id: string | undefined, options: CheckOptions): Promise<number> {
  const { course_root, exercises, workspace, progress } = open_course(options);
  const exercise = resolve_exercise(exercises, id, progress.current);
  const { dir, is_workspace_itself } = submission_dir(workspace, exercise);
  if (!fs.existsSync(dir)) {
    throw new CliError(m("no_folder", { dir, id: exercise.id }) + (workspace.is_default ? "" : m("no_folder_workspace", { id: exercise.id })));
  }
  const width = terminal_width();
  const out = process.stdout;
  const human = !options.json;
  // vitest starts while the engine is asked; the image builds while the spec loads.
  // DOCKERLINGS_SESSION lets a caller (a test, a CI job) find what this run created.
  const grader = await Grader.open({ course_root, session: process.env.DOCKERLINGS_SESSION || undefined });
  if (human) out.write(c.gray(`${m("files", { file: `${shown_path(dir) || "."}${path.sep}Dockerfile` })}\n`));
  const reporter = new BuildReporter(out, { width, live: Boolean(out.isTTY) });
  let outcome: BuildOutcome | undefined;
  let result: ExerciseResult;
  try {
    if (human) reporter.start();
    const { title: _title, submission: _submission, ignored: _ignored, ...plain } = await grader.grade({
      exercise,
      dir,
      shown: shown_path(dir) || ".",
      on_progress: human ? reporter.on_progress : undefined,
      on_wait: human ? reporter.on_wait : undefined,
      on_build: (built) => (outcome = built),
    });
    result = plain;
  } finally {
    reporter.stop();
    await grader.close();
  }

  if (!is_workspace_itself) {
    record_grading(workspace, result, { current: "if_unset" });
  }

  if (options.json) {
    out.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    if (outcome) reporter.finish(outcome);
    const text = graded_text(outcome, result, exercise, {
      width,
      limit: options.verbose ? Infinity : FOLD_LINES,
      log_file: build_log_path(workspace, exercise),
    });
    out.write(`${text}\n`);
    out.write(`\n${next_step_text(result, exercise, exercises, dir, width)}\n`);
    if (!is_workspace_itself) {
      out.write(`\n${course_bar(course_totals(exercises, load_progress(workspace.dir).progress))}\n`);
    }
  }
  if (result.status === "error") return EXIT_CANNOT_GRADE;
  return result.status === "pass" ? EXIT_OK : EXIT_CHECK_FAILED;
}

function next_step_text(result: ExerciseResult, exercise: Exercise, exercises: Exercise[], dir: string, width: number): string {
  if (result.status === "pass") {
    const next = next_exercise(exercises, exercise);
    return wrap(next ? m("bravo_next", { next: next.id }) : m("bravo_end"), width);
  }
  // The exercise's first editable file is the one it is about (11: .dockerignore; 18: publier.sh).
  const fix = m("fix_and_retry", { file: shown_path(path.join(dir, exercise.editable[0] ?? "Dockerfile")), id: exercise.id });
  return wrap(result.status === "fail" ? `${fix}\n${m("hint_available", { id: exercise.id })}` : fix, width);
}
