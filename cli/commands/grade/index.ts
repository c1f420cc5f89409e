// `dockerlings grade`: grades every exercise of a submission (or --only some)
// for a teacher or a CI job, through one Grader (the pipeline `check` uses:
// each submission staged, only the files the exercise lets the student edit
// taken, specs always from the course), `--parallel` at once. One summary object feeds the table,
// --json, --junit and --github. Exit 0 when grading happened, whatever the
// score; 1 below --min-score; 2 when grading could not happen.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { load_course, default_course_root, course_identity } from "../../../grader/course/course.js";
import type { ExerciseResult, GradedExercise } from "../../../grader/result.js";
// The reports are pure (the summary and its formats): loaded without the grader, which grades in the service.
import { summarise, type GradeSummary } from "../../../grader/report/summary.js";
import { format_table } from "../../../grader/report/table.js";
import { format_json } from "../../../grader/report/json.js";
import { format_junit } from "../../../grader/report/junit.js";
import { write_github, without_commands } from "../../../grader/report/github.js";
import { write_classroom50 } from "../../../grader/report/classroom50.js";
import { report_base, report_path } from "../../../grader/report/paths.js";
import { CliError, EXIT_CANNOT_GRADE, EXIT_CHECK_FAILED, EXIT_OK } from "../../errors.js";
import { define_messages, lang } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { submission_dir } from "../../state/workspace.js";
import { find_student_workspace } from "../../state/course-state.js";
import { grade_folders } from "../../service.js";
import { grade_settings, type GradeOptions } from "./options.js";

export type { GradeOptions } from "./options.js";

const m = define_messages({
  single_needs_only: {
    fr: (p: { dir: string }) =>
      `${p.dir} contient directement un Dockerfile : c'est la soumission d'un seul exercice. Précisez lequel avec --only <id>.`,
    en: (p: { dir: string }) => `${p.dir} holds a Dockerfile itself: it is one exercise's submission. Say which with --only <id>.`,
  },
  grading: {
    fr: (p: { count: number; dir: string }) => `Correction de ${p.count} exercice(s) dans ${p.dir}…`,
    en: (p: { count: number; dir: string }) => `Grading ${p.count} exercise(s) in ${p.dir}…`,
  },
  refused: { fr: "refusé", en: "refused" },
  written: {
    fr: (p: { what: string; file: string }) => `${p.what} écrit : ${p.file}`,
    en: (p: { what: string; file: string }) => `${p.what} written: ${p.file}`,
  },
  total: {
    fr: (p: { points: number; max: number; pass: number; count: number }) =>
      `Score : ${p.points}/${p.max} points (${p.pass}/${p.count} exercices réussis).`,
    en: (p: { points: number; max: number; pass: number; count: number }) =>
      `Score: ${p.points}/${p.max} points (${p.pass}/${p.count} exercises passed).`,
  },
  below_min: {
    fr: (p: { points: number; min: number }) => `Score ${p.points} sous le minimum demandé (--min-score ${p.min}) : code de sortie 1.`,
    en: (p: { points: number; min: number }) => `Score ${p.points} is below the required minimum (--min-score ${p.min}): exit code 1.`,
  },
  no_github: {
    fr: "--github : GITHUB_STEP_SUMMARY et GITHUB_OUTPUT ne sont pas définis (hors de GitHub Actions ?) : seules les annotations sont écrites.",
    en: "--github: GITHUB_STEP_SUMMARY and GITHUB_OUTPUT are not set (outside GitHub Actions?): only annotations are written.",
  },
  ignored: {
    fr: (p: { count: number }) => `${p.count} fichier(s) ignoré(s) (non modifiables dans cet exercice)`,
    en: (p: { count: number }) => `${p.count} file(s) ignored (not editable in this exercise)`,
  },
});

function write_file(file: string, content: string): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
  return target;
}

function progress_line(result: ExerciseResult): string {
  const mark = result.status === "pass" ? c.green("✓") : result.status === "fail" ? c.red("✗") : c.yellow("!");
  return `  ${mark} ${result.exercise} ${c.gray(`${result.points}/${result.max_points}`)}`;
}

/** The failing checks, one line each, under the table. */
function failure_lines(summary: GradeSummary): string[] {
  const lines: string[] = [];
  // The first two lines: a build failure says so on the first, and where on the second.
  const first = (text: string | undefined) =>
    (text ?? "")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .slice(0, 2)
      .map((l) => l.trim())
      .join(" ");
  for (const r of summary.results) {
    if (r.status === "pass" && !r.ignored?.length) continue;
    lines.push("", c.bold(`${r.exercise}${r.title ? ` — ${r.title}` : ""}`));
    if (r.status === "error" && r.message) lines.push(c.yellow(`  ! ${first(r.message)}`));
    for (const t of r.tests.filter((t) => t.status !== "pass")) {
      lines.push(`  ${c.red("✗")} ${t.name} ${c.gray(`(${t.points}/${t.max_points})`)}`, c.gray(`      ${first(t.message)}`));
    }
    if (r.ignored?.length) lines.push(c.gray(`  ${m("ignored", { count: r.ignored.length })} : ${r.ignored.slice(0, 5).join(", ")}`));
  }
  return lines;
}

export async function grade_command(options: GradeOptions): Promise<number> {
  const course_root = default_course_root();
  const course = load_course(course_root);
  const settings = grade_settings(options, course);
  const workspace = find_student_workspace(options.workspace, course, course_root);
  // Reports name submissions from the repository root (GITHUB_WORKSPACE, CI_PROJECT_DIR, git's top level), where their consumers resolve paths.
  const base = report_base(workspace.dir);

  const folders = settings.exercises.map((exercise) => ({ exercise, ...submission_dir(workspace, exercise) }));
  if (folders.some((f) => f.is_workspace_itself) && settings.exercises.length > 1) {
    throw new CliError(m("single_needs_only", { dir: workspace.dir }));
  }

  // Through the grading service (warm) or in this process, `--parallel` at once.
  const graded: GradedExercise[] = await grade_folders({
    course_root,
    requests: folders.map(({ exercise, dir }) => ({ exercise, dir, shown: report_path(dir, base) })),
    settings: {
      parallel: settings.parallel,
      build_timeout_ms: settings.build_timeout_ms,
      check_timeout_ms: settings.check_timeout_ms,
      context_limit_bytes: settings.context_limit_bytes,
    },
    no_daemon: options.daemon === false,
    progress: false,
    prepare_next: true,
    on_started: () =>
      process.stdout.write(c.gray(`${m("grading", { count: folders.length, dir: path.relative(process.cwd(), workspace.dir) || "." })}\n`)),
    on_graded: (_, result) =>
      process.stdout.write(`${progress_line(result)}${result.error_kind === "refused" ? ` ${c.yellow(m("refused"))}` : ""}\n`),
  });
  const summary = summarise(graded, course_identity(course_root));

  process.stdout.write(`\n${format_table(summary, c, lang())}\n`);
  const details = failure_lines(summary);
  // These lines quote submissions: in GitHub Actions, none may be read as a workflow command.
  if (details.length > 0) process.stdout.write(`${options.github ? without_commands(details.join("\n"), randomUUID()) : details.join("\n")}\n`);
  process.stdout.write(
    `\n${m("total", { points: summary.points, max: summary.max_points, pass: summary.exercises.pass, count: summary.exercises.total })}\n`,
  );

  if (options.json) process.stdout.write(c.gray(`${m("written", { what: "JSON", file: write_file(options.json, format_json(summary)) })}\n`));
  if (options.junit) process.stdout.write(c.gray(`${m("written", { what: "JUnit", file: write_file(options.junit, format_junit(summary)) })}\n`));
  if (options.github) {
    const files = { step_summary: process.env.GITHUB_STEP_SUMMARY || undefined, output: process.env.GITHUB_OUTPUT || undefined };
    if (!files.step_summary && !files.output) process.stderr.write(`${m("no_github")}\n`);
    const annotations = write_github(summary, files, lang());
    if (annotations.length > 0) process.stdout.write(`${annotations.join("\n")}\n`);
  }

  // Classroom 50 records a non-zero exit as an infrastructure error, not a grade.
  if (options.classroom50) {
    const written = write_classroom50(summary, options.classroom50, { lang: lang() });
    if (!written.file) {
      process.stderr.write(`${written.problems.join("\n")}\n`);
      return EXIT_CANNOT_GRADE;
    }
    process.stdout.write(c.gray(`${m("written", { what: "Classroom 50", file: written.file })}\n`));
  }
  if (settings.min_score !== undefined && summary.points < settings.min_score) {
    process.stdout.write(`${m("below_min", { points: summary.points, min: settings.min_score })}\n`);
    return EXIT_CHECK_FAILED;
  }
  return EXIT_OK;
}
