// GradeSummary -> what GitHub Actions and GitHub Classroom read:
// - the `result` step output in the autograding format of GitHub Classroom's
//   runners (education/autograding-command-grader and -python-grader): base64
//   of {version, status, max_score, tests[]}, read by
//   classroom-resources/autograding-grading-reporter from <STEP_ID>_RESULTS.
//   GitHub Classroom was retired on 2026-08-28; the output stays for the
//   repositories still wired to it (Classroom 50 reads grader/report/classroom50.ts);
// - workflow commands annotating the Dockerfile of each failed check (its
//   line when known), and warnings on ignored files. GitHub shows at most 10
//   error and 10 warning annotations per step: the most useful are kept (build
//   failures first, then by the points at stake) and the job summary says how
//   many were left out;
// - the job summary, in Markdown.
// Paths are the submissions' (relative to the repository root, see paths.ts);
// a file outside the repository is not annotated with a path.
import fs from "node:fs";
import { check_details, type GradeSummary } from "./summary.js";
import type { GradedExercise, CheckResult, Status } from "../result.js";
import { format_markdown } from "./markdown.js";
import type { ReportLang } from "./summary.js";
import { dockerfile_lines, is_build_failure } from "./facts.js";
import { dockerfile_path, submission_file } from "./paths.js";
import { define_messages } from "../messages/index.js";

const words = define_messages({
  could_not_grade: { fr: (p: { exercise: string }) => `${p.exercise} : correction impossible`, en: (p: { exercise: string }) => `${p.exercise}: could not grade` },
  ignored_title: { fr: (p: { exercise: string }) => `${p.exercise} : fichier ignoré`, en: (p: { exercise: string }) => `${p.exercise}: file ignored` },
  ignored: {
    fr: (p: { exercise: string }) =>
      `Ce fichier n'est pas modifiable dans l'exercice ${p.exercise} : la version du cours a été utilisée, votre modification n'est pas notée.`,
    en: (p: { exercise: string }) =>
      `This file is not editable in exercise ${p.exercise}: the course's version was used, your change is not graded.`,
  },
  dropped: {
    fr: (p: { limit: number; errors: number; warnings: number }) =>
      `GitHub n'affiche que ${p.limit} annotations d'erreur et ${p.limit} d'avertissement par étape : ${p.errors} erreur(s) et ${p.warnings} avertissement(s) ne sont pas annotés. Sont gardés les échecs de build, puis les vérifications qui valent le plus de points ; toutes les vérifications en échec sont listées ci-dessus.`,
    en: (p: { limit: number; errors: number; warnings: number }) =>
      `GitHub shows only ${p.limit} error and ${p.limit} warning annotations per step: ${p.errors} error(s) and ${p.warnings} warning(s) are not annotated. Kept first: build failures, then the checks worth the most points; every failed check is listed above.`,
  },
});

/**
 * One entry of the reporter's tests[]: what classroom-resources/autograding-
 * grading-reporter reads (src/main.js, notify-classroom.js, console-results.js):
 * name, status, message, score, and max_score on the whole. Nothing more: the
 * reporter gets the payload from one environment variable (its
 * <RUNNER>_RESULTS), and Linux refuses to start a process with a variable
 * over 128 KiB (MAX_ARG_STRLEN), so no grade would be posted at all.
 */
export interface ClassroomTest {
  name: string;
  status: Status;
  /** Points earned: the reporter adds these up and sends the sum to GitHub Classroom. */
  score: number;
  max_score: number;
  /** Why it did not pass, cut to fit the payload (the job summary and the JSON keep it whole). */
  message: string;
}

export interface ClassroomResult {
  version: 1;
  status: Status;
  /** Sum of every exercise's points: the reporter's denominator. */
  max_score: number;
  tests: ClassroomTest[];
}

/** The largest `result` output written (base64), well under Linux's 128 KiB for one environment variable. */
export const CLASSROOM_PAYLOAD_LIMIT = 96 * 1024;
/** Message lengths tried, longest first, until the payload fits. */
const MESSAGE_CAPS = [400, 200, 80, 0];

const cut = (text: string, cap: number): string => {
  const chars = Array.from(text.trim());
  return chars.length <= cap ? chars.join("") : `${chars.slice(0, Math.max(0, cap - 1)).join("")}…`;
};

function classroom_tests(summary: GradeSummary, cap: number): ClassroomTest[] {
  const tests: ClassroomTest[] = [];
  for (const r of summary.results) {
    if (r.tests.length === 0) {
      // The reporter's denominator is max_score: the exercise's points stay in it, as a test with no score.
      tests.push({ name: r.exercise, status: r.status, score: 0, max_score: r.max_points, message: cut(r.message ?? "", cap) });
      continue;
    }
    for (const t of r.tests) {
      tests.push({
        name: `${r.exercise} › ${t.name}`,
        status: t.status,
        score: t.status === "pass" ? t.max_points : 0,
        max_score: t.max_points,
        message: t.status === "pass" ? "" : cut(t.message?.trim() ? t.message : check_details(t), cap),
      });
    }
  }
  return tests;
}

const encode = (result: ClassroomResult): string => Buffer.from(JSON.stringify(result), "utf8").toString("base64");

/** The reporter's payload: every check, messages cut as much as needed to stay within CLASSROOM_PAYLOAD_LIMIT once encoded. */
export function classroom_result(summary: GradeSummary): ClassroomResult {
  let result: ClassroomResult | undefined;
  for (const cap of MESSAGE_CAPS) {
    result = { version: 1, status: summary.status, max_score: summary.max_points, tests: classroom_tests(summary, cap) };
    if (encode(result).length <= CLASSROOM_PAYLOAD_LIMIT) return result;
  }
  return result!;
}

/** The value of the `result` output: base64 of the JSON, on one line. */
export function classroom_output(summary: GradeSummary): string {
  return encode(classroom_result(summary));
}

// Workflow commands (actions/runner ActionCommand.cs, @actions/core command.ts):
// `::name key=value,key=value::data` on a line of its own. Data escapes %, CR
// and LF; property values also `:` and `,`, which delimit them. Other control
// characters are not escaped by the format: ANSI sequences are dropped and the
// rest become U+FFFD, so nothing from a container reaches the log raw.
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Text from a submission or a container, made safe for a workflow command: no ANSI, no control character but CR, LF and tab. */
export function command_text(text: string): string {
  return text.replace(ANSI, "").replace(CONTROL, "\uFFFD");
}

export const escape_data = (s: string): string => command_text(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
export const escape_property = (s: string): string => escape_data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function command(kind: "error" | "warning" | "notice", properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escape_property(String(v))}`)
    .join(",");
  return `::${kind}${props ? ` ${props}` : ""}::${escape_data(message)}`;
}

/** GitHub shows this many annotations of each kind per step, and drops the rest. */
export const ANNOTATIONS_PER_STEP = 10;

interface Candidate {
  line: string;
  /** Lower sorts first. */
  rank: number;
  points: number;
  order: number;
}

function check_annotations(r: GradedExercise, t: CheckResult, order: number): Candidate[] {
  const file = dockerfile_path(r.submission);
  const title = `${r.exercise} : ${t.name}`;
  const message = t.message?.trim() ? t.message : check_details(t) || t.name;
  const rank = is_build_failure(t) ? 0 : 1;
  const lines = file ? dockerfile_lines(t) : [];
  if (lines.length === 0) return [{ line: command("error", { file, title }, message), rank, points: t.max_points, order }];
  return lines.map((line, i) => ({ line: command("error", { file, line, title }, message), rank, points: t.max_points, order: order + i / 100 }));
}

export interface Annotations {
  /** The workflow commands to print, at most ANNOTATIONS_PER_STEP of each kind. */
  lines: string[];
  /** How many error and warning annotations were left out. */
  dropped: { errors: number; warnings: number };
}

/**
 * An `::error` on the Dockerfile of each failed check (on its lines when
 * known) and of each exercise that could not be graded, and a `::warning` per
 * ignored file; at most 10 of each, the most useful first: build failures,
 * then by the points at stake, then in the course's order.
 */
export function select_annotations(summary: GradeSummary, lang: ReportLang = "fr"): Annotations {
  const w = words.in(lang);
  const errors: Candidate[] = [];
  const warnings: Candidate[] = [];
  let order = 0;
  for (const r of summary.results) {
    if (r.tests.length === 0) {
      const title = w("could_not_grade", { exercise: r.exercise });
      errors.push({ line: command("error", { file: dockerfile_path(r.submission), title }, r.message ?? title), rank: 0.5, points: r.max_points, order: order++ });
    }
    for (const t of r.tests) {
      if (t.status === "pass") continue;
      errors.push(...check_annotations(r, t, order++));
    }
    for (const ignored of r.ignored ?? []) {
      warnings.push({
        line: command(
          "warning",
          { file: submission_file(r.submission, ignored), title: w("ignored_title", { exercise: r.exercise }) },
          w("ignored", { exercise: r.exercise }),
        ),
        rank: 0,
        points: 0,
        order: order++,
      });
    }
  }
  const best = (list: Candidate[]) => [...list].sort((a, b) => a.rank - b.rank || b.points - a.points || a.order - b.order);
  const kept_errors = best(errors).slice(0, ANNOTATIONS_PER_STEP);
  const kept_warnings = warnings.slice(0, ANNOTATIONS_PER_STEP);
  // Printed in the course's order, whichever were kept.
  const by_order = (a: Candidate, b: Candidate) => a.order - b.order;
  return {
    lines: [...kept_errors.sort(by_order), ...kept_warnings].map((c) => c.line),
    dropped: { errors: errors.length - kept_errors.length, warnings: warnings.length - kept_warnings.length },
  };
}

/** The annotation lines (see select_annotations). */
export function annotations(summary: GradeSummary, lang: ReportLang = "fr"): string[] {
  return select_annotations(summary, lang).lines;
}

/** The job summary's note on annotations GitHub would not have shown, in the report's language. */
export function dropped_note(dropped: Annotations["dropped"], lang: ReportLang): string | undefined {
  const total = dropped.errors + dropped.warnings;
  if (total === 0) return undefined;
  return words.in(lang)("dropped", { limit: ANNOTATIONS_PER_STEP, errors: dropped.errors, warnings: dropped.warnings });
}

export interface GithubOutputs {
  /** Where the job summary is appended ($GITHUB_STEP_SUMMARY). */
  step_summary?: string;
  /** Where step outputs are appended ($GITHUB_OUTPUT). */
  output?: string;
}

/** Appends the job summary and the `result` output; returns the annotation lines to print on stdout. */
export function write_github(summary: GradeSummary, files: GithubOutputs, lang: ReportLang = "fr"): string[] {
  const selected = select_annotations(summary, lang);
  if (files.step_summary) {
    const note = dropped_note(selected.dropped, lang);
    fs.appendFileSync(files.step_summary, `${format_markdown(summary, lang)}${note ? `\n${note}\n` : ""}\n`);
  }
  if (files.output) {
    fs.appendFileSync(
      files.output,
      `result=${classroom_output(summary)}\npoints=${summary.points}\nmax_points=${summary.max_points}\n`,
    );
  }
  return selected.lines;
}

/**
 * Text printed to a GitHub Actions log that quotes submissions (the table's
 * failure lines): wrapped in `::stop-commands::` so that a line of a student's
 * Dockerfile cannot be taken for a workflow command.
 */
export function without_commands(text: string, token: string): string {
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}
