// `dockerlings check [id]`: grades one exercise of the workspace.
import path from "node:path";
import fs from "node:fs";
import {
  build_image,
  find_exercise,
  load_course,
  default_course_root,
  run_specs,
  remove_managed,
  require_engine,
  type Exercise,
  type ExerciseResult,
  type BuildProgressEvent,
} from "../../../grader/index.js";
import { format_result } from "../../../grader/report/text.js";
import { resolve_exercise } from "./resolve-exercise.js";
import { CliError, EXIT_CANNOT_GRADE, EXIT_CHECK_FAILED, EXIT_OK } from "../../errors.js";
import { c } from "../../ui/color.js";
import { open_workspace, submission_dir } from "../../state/workspace.js";
import { load_progress, record_result, save_progress } from "../../state/progress.js";
import { randomUUID } from "node:crypto";
import { sweep_on_interrupt } from "../../../grader/engine/interrupt.js";

export interface CheckOptions {
  workspace?: string;
  json?: boolean;
}

function progress_line(event: BuildProgressEvent): string | undefined {
  const { step, state } = event;
  const label = `[${step.stage ? `${step.stage} ` : ""}${step.index}/${step.total}] ${step.instruction.replace(/\s+/g, " ").slice(0, 60)}`;
  if (state === "cached") return `  ${c.gray("↺")} ${label} ${c.gray("(cache)")}`;
  if (state === "done") return `  ${c.green("•")} ${label} ${c.gray(`${(event.elapsed_ms / 1000).toFixed(1)} s`)}`;
  if (state === "failed") return `  ${c.red("✗")} ${label}`;
  return undefined;
}

export async function check_command(id: string | undefined, options: CheckOptions): Promise<number> {
  const course_root = default_course_root();
  const exercises = load_course(course_root);
  const workspace = open_workspace(options.workspace, exercises);
  const { progress, set_aside } = load_progress(workspace.dir);
  if (set_aside) {
    process.stderr.write(
      `Le fichier de progression était illisible : il a été mis de côté sous ${set_aside}. Une progression neuve commence.\n`,
    );
  }
  const exercise = resolve_exercise(exercises, id, progress.current);
  const { dir, is_workspace_itself } = submission_dir(workspace, exercise);
  if (!fs.existsSync(dir)) {
    throw new CliError(
      `Pas de dossier ${dir} pour l'exercice ${exercise.id}.` +
        (workspace.is_default ? "" : ` Le dossier --workspace doit contenir un sous-dossier par exercice (${exercise.id}/...).`),
    );
  }

  await require_engine();
  if (!options.json) {
    process.stdout.write(c.gray(`Fichiers : ${path.relative(process.cwd(), dir) || "."}${path.sep}Dockerfile\n`));
  }

  // DOCKERLINGS_SESSION lets a caller (a test, a CI job) find what this run created.
  const session = process.env.DOCKERLINGS_SESSION || randomUUID();
  let result: ExerciseResult;
  const stop_watching = sweep_on_interrupt(session);
  try {
    if (!options.json) {
      // Built here first so the student sees each step live; the spec's own
      // build then comes from the cache.
      process.stdout.write("Construction de l'image…\n");
      const outcome = await build_image({
        dir,
        tag: `dockerlings/${exercise.id}:${session.slice(0, 8)}-live`,
        session,
        exercise: exercise.id,
        on_progress: (event) => {
          const line = progress_line(event);
          if (line) process.stdout.write(`${line}\n`);
        },
      });
      process.stdout.write(
        outcome.ok ? c.gray(`Image construite en ${(outcome.duration_ms / 1000).toFixed(1)} s.\n\n`) : "\n",
      );
    }
    [result] = (await run_specs([{ exercise, submission_dir: dir }], { course_root, session })) as [ExerciseResult];
  } finally {
    await remove_managed(session);
    stop_watching();
  }

  // A single submission folder given as --workspace is not a workspace: no progress there.
  if (!is_workspace_itself) {
    record_result(progress, result);
    progress.current ??= exercise.id;
    save_progress(workspace.dir, progress);
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${format_result(result, c, exercise.title)}\n`);
    if (result.status === "pass") {
      const next = exercises[exercises.findIndex((e) => e.id === exercise.id) + 1];
      process.stdout.write(
        next ? `\nBravo ! Exercice suivant : \`dockerlings check ${next.id}\`\n` : "\nBravo, vous avez terminé le cours !\n",
      );
    } else if (result.status === "fail") {
      process.stdout.write(`\nCorrigez ${path.relative(process.cwd(), path.join(dir, "Dockerfile"))} puis relancez \`dockerlings check ${exercise.id}\`.\n`);
    }
  }
  if (result.status === "error") return EXIT_CANNOT_GRADE;
  return result.status === "pass" ? EXIT_OK : EXIT_CHECK_FAILED;
}
