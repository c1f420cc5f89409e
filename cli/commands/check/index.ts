// `dockerlings check [id]`: grades one exercise of the workspace.
import fs from "node:fs";
import path from "node:path";
import type { BuildOutcome, Exercise, ExerciseResult } from "../../../grader/index.js";
import { read_course_manifest } from "../../../grader/course/course.js";
import { grade_folders } from "../../service.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";
import { CliError, EXIT_CANNOT_GRADE, EXIT_CHECK_FAILED, EXIT_OK } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { BuildReporter } from "../../ui/build-progress.js";
import { FOLD_LINES, graded_text } from "../../ui/graded.js";
import { course_bar, course_totals } from "../../ui/course-bar.js";
import { build_log_path, submission_dir } from "../../state/workspace.js";
import { load_progress } from "../../state/progress.js";
import { next_exercise, next_to_do, open_course, record_grading, shown_path } from "../../state/course-state.js";
import type { Progress } from "../../state/progress.js";
import { file_list } from "../../ui/terminal.js";

export interface CheckOptions {
  workspace?: string;
  json?: boolean;
  verbose?: boolean;
  /** --no-daemon: grade in this process, not through the grading service. */
  daemon?: boolean;
}

const m = define_messages({
  no_folder: {
    fr: (p: { dir: string; id: string }) => `Pas de dossier ${p.dir} pour l'exercice ${p.id}.`,
    en: (p: { dir: string; id: string }) => `No folder ${p.dir} for exercise ${p.id}.`,
  },
  no_folder_workspace: {
    fr: (p: { id: string }) => ` Le dossier --workspace doit contenir un sous-dossier par exercice (${p.id}/...).`,
    en: (p: { id: string }) => ` The --workspace folder must hold one sub-folder per exercise (${p.id}/...).`,
  },
  files: { fr: (p: { dir: string; files: string }) => `Fichiers : ${p.files} dans ${p.dir}`, en: (p: { dir: string; files: string }) => `Files: ${p.files} in ${p.dir}` },
  bravo_next: {
    fr: (p: { next: string }) => `Bravo ! Exercice suivant : \`dockerlings check ${p.next}\` (ou \`dockerlings start ${p.next}\` puis \`dockerlings\`).`,
    en: (p: { next: string }) => `Well done! Next exercise: \`dockerlings check ${p.next}\` (or \`dockerlings start ${p.next}\` then \`dockerlings\`).`,
  },
  bravo_end: { fr: "Bravo, vous avez terminé le cours !", en: "Well done, you have finished the course!" },
  fix_and_retry: {
    fr: (p: { files: string; dir: string; id: string }) => `Corrigez ${p.files} dans ${p.dir} puis relancez \`dockerlings check ${p.id}\`.`,
    en: (p: { files: string; dir: string; id: string }) => `Fix ${p.files} in ${p.dir} then run \`dockerlings check ${p.id}\` again.`,
  },
  or: { fr: "ou", en: "or" },
  hint_available: {
    fr: (p: { id: string }) => `Besoin d'aide ? \`dockerlings hint ${p.id}\` ou \`dockerlings lesson ${p.id}\`.`,
    en: (p: { id: string }) => `Need help? \`dockerlings hint ${p.id}\` or \`dockerlings lesson ${p.id}\`.`,
  },
});

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
  const reporter = new BuildReporter(out, { width, live: Boolean(out.isTTY) });
  let outcome: BuildOutcome | undefined;
  let result: ExerciseResult;
  try {
    // Through the grading service (warm) or in this process: the image builds while the spec loads.
    const [graded] = await grade_folders({
      course_root,
      // The student's own grading: checks held back until the deadline are not run.
      requests: [{ exercise, dir: path.resolve(dir), shown: shown_path(dir) || ".", checks: "visible" }],
      settings: {},
      no_daemon: options.daemon === false,
      progress: human,
      prepare_next: true,
      on_started: () => {
        if (!human) return;
        out.write(c.gray(`${wrap(m("files", { files: file_list(dir, exercise.editable), dir: `${shown_path(dir)}${path.sep}` }), width, "  ")}\n`));
        reporter.start();
      },
      on_progress: (_, event) => reporter.on_progress(event),
      on_wait: () => reporter.on_wait(),
      on_build: (_, built) => (outcome = built),
    });
    const { title: _title, submission: _submission, ignored: _ignored, ...plain } = graded!;
    result = plain;
  } finally {
    reporter.stop();
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
    out.write(`\n${next_step_text(result, exercise, exercises, dir, width, is_workspace_itself ? undefined : load_progress(workspace.dir).progress, course_root)}\n`);
    if (!is_workspace_itself) {
      out.write(`\n${course_bar(course_totals(exercises, load_progress(workspace.dir).progress))}\n`);
    }
  }
  if (result.status === "error") return EXIT_CANNOT_GRADE;
  return result.status === "pass" ? EXIT_OK : EXIT_CHECK_FAILED;
}

/**
 * What to do next. A pass ends the course only when every exercise has
 * passed (the course's final message then follows); otherwise it names the
 * next exercise still to do, wherever it is in the course.
 */
function next_step_text(
  result: ExerciseResult,
  exercise: Exercise,
  exercises: Exercise[],
  dir: string,
  width: number,
  progress: Progress | undefined,
  course_root: string,
): string {
  if (result.status === "pass") {
    const next = progress ? next_to_do(exercises, exercise, progress) : next_exercise(exercises, exercise);
    if (next) return wrap(m("bravo_next", { next: next.id }), width);
    const final = progress ? read_course_manifest(course_root).final_message : undefined;
    return wrap(final ? `${m("bravo_end")}\n\n${final.trim()}` : m("bravo_end"), width);
  }
  const fix = m("fix_and_retry", { files: file_list(dir, exercise.editable, m("or")), dir: `${shown_path(dir)}${path.sep}`, id: exercise.id });
  return wrap(result.status === "fail" ? `${fix}\n${m("hint_available", { id: exercise.id })}` : fix, width);
}
