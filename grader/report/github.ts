// GradeSummary -> what GitHub Actions and GitHub Classroom read:
// - the `result` step output in the autograding format of GitHub Classroom's
//   runners (education/autograding-command-grader and -python-grader): base64
//   of {version, status, max_score, tests[]}, read by
//   classroom-resources/autograding-grading-reporter from <STEP_ID>_RESULTS;
// - workflow commands annotating the Dockerfile lines a failed build or lint
//   check points at, and warnings on ignored files;
// - the job summary, in Markdown.
import fs from "node:fs";
import { check_details, type GradeSummary } from "./summary.js";
import { format_markdown } from "./markdown.js";
import type { ReportLang } from "./summary.js";
import type { Status } from "../runner/result.js";

/** One entry of the reporter's tests[]; extra fields are the ones the Classroom runners write. */
export interface ClassroomTest {
  name: string;
  status: Status;
  /** Points earned: the reporter adds these up and sends the sum to GitHub Classroom. */
  score: number;
  max_score: number;
  message: string;
  test_code: string;
  filename: string;
  /** 0 when unknown: the reporter then prints no line. */
  line_no: number;
  duration: number;
}

export interface ClassroomResult {
  version: 1;
  status: Status;
  /** Sum of every exercise's points: the reporter's denominator. */
  max_score: number;
  tests: ClassroomTest[];
}

const dockerfile_of = (submission: string | undefined): string => (submission ? `${submission.replace(/\/$/, "")}/Dockerfile` : "Dockerfile");

export function classroom_result(summary: GradeSummary): ClassroomResult {
  const tests: ClassroomTest[] = [];
  for (const r of summary.results) {
    const filename = dockerfile_of(r.submission);
    if (r.tests.length === 0) {
      tests.push({
        name: r.exercise,
        status: r.status,
        score: 0,
        max_score: r.max_points,
        message: r.message ?? "",
        test_code: "",
        filename,
        line_no: 0,
        duration: (r.duration_ms ?? 0) / 1000,
      });
      continue;
    }
    for (const t of r.tests) {
      tests.push({
        name: `${r.exercise} › ${t.name}`,
        status: t.status,
        score: t.status === "pass" ? t.max_points : 0,
        max_score: t.max_points,
        message: t.status === "pass" ? "" : check_details(t),
        test_code: "",
        filename,
        line_no: t.lines?.[0] ?? 0,
        duration: 0,
      });
    }
  }
  return { version: 1, status: summary.status, max_score: summary.max_points, tests };
}

/** The value of the `result` output: base64 of the JSON, on one line. */
export function classroom_output(summary: GradeSummary): string {
  return Buffer.from(JSON.stringify(classroom_result(summary)), "utf8").toString("base64");
}

// Workflow command escaping, as @actions/core does it.
const escape_data = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escape_property = (s: string): string => escape_data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function command(kind: "error" | "warning" | "notice", properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escape_property(String(v))}`)
    .join(",");
  return `::${kind}${props ? ` ${props}` : ""}::${escape_data(message)}`;
}

/** `::error file=...,line=...::` for each Dockerfile line a failed check names; `::warning` for ignored files. */
export function annotations(summary: GradeSummary): string[] {
  const out: string[] = [];
  for (const r of summary.results) {
    const file = dockerfile_of(r.submission);
    for (const t of r.tests) {
      if (t.status === "pass" || !t.lines?.length) continue;
      for (const line of [...new Set(t.lines)]) {
        out.push(command("error", { file, line, title: `${r.exercise} : ${t.name}` }, t.message ?? t.name));
      }
    }
    for (const ignored of r.ignored ?? []) {
      const path = r.submission ? `${r.submission.replace(/\/$/, "")}/${ignored}` : ignored;
      out.push(
        command(
          "warning",
          { file: path, title: `${r.exercise} : fichier ignoré` },
          `Ce fichier n'est pas modifiable dans l'exercice ${r.exercise} : la version du cours a été utilisée, votre modification n'est pas notée.`,
        ),
      );
    }
  }
  return out;
}

export interface GithubOutputs {
  /** Where the job summary is appended ($GITHUB_STEP_SUMMARY). */
  step_summary?: string;
  /** Where step outputs are appended ($GITHUB_OUTPUT). */
  output?: string;
}

/** Appends the job summary and the `result` output; returns the annotation lines to print on stdout. */
export function write_github(summary: GradeSummary, files: GithubOutputs, lang: ReportLang = "fr"): string[] {
  if (files.step_summary) fs.appendFileSync(files.step_summary, `${format_markdown(summary, lang)}\n`);
  if (files.output) {
    fs.appendFileSync(
      files.output,
      `result=${classroom_output(summary)}\npoints=${summary.points}\nmax_points=${summary.max_points}\n`,
    );
  }
  return annotations(summary);
}
