// `dockerlings check [id]`: grades one exercise of the workspace.
import fs from "node:fs";
import path from "node:path";
import type { BuildOutcome, Exercise, ExerciseResult } from "../../../grader/index.js";
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
import { next_exercise, open_course, record_grading, shown_path } from "../../state/course-state.js";

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
  files: { fr: (p: { file: string }) => `Fichiers : ${p.file}`, en: (p: { file: string }) => `Files: ${p.file}` },
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
        out.write(c.gray(`${m("files", { file: `${shown_path(dir) || "."}${path.sep}Dockerfile` })}\n`));
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
