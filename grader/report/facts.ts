// What the formats read from a check besides its name and status: the facts
// the runner recorded (build failure, limit, lint finding, Dockerfile lines),
// never its message. Each function works when the facts are absent.
import type { CheckFact, CheckResult, GradedExercise } from "../result.js";
import { dockerfile_path } from "./paths.js";

const facts_of = (check: CheckResult): CheckFact[] => check.facts ?? [];

/** The Dockerfile lines a check is about, from its facts and its `lines`, in order, once each. */
export function dockerfile_lines(check: CheckResult): number[] {
  const lines = new Set<number>(check.lines ?? []);
  for (const fact of facts_of(check)) {
    if ((fact.kind === "build_failure" || fact.kind === "lint" || fact.kind === "dockerfile_lines") && fact.line !== undefined) {
      lines.add(fact.line);
    }
  }
  return [...lines].filter((l) => Number.isInteger(l) && l > 0).sort((a, b) => a - b);
}

/** True when the check failed because the image did not build. */
export function is_build_failure(check: CheckResult): boolean {
  return facts_of(check).some((f) => f.kind === "build_failure");
}

/** True when the check's output was cut to the limit (the runner's limit fact). */
export function output_was_cut(check: CheckResult): boolean {
  return facts_of(check).some((f) => f.kind === "limit" && f.limit === "output");
}

/** The notice grader/runner/result.ts's cap_output() puts before a cut output. */
export const RUNNER_CUT_NOTICE = /^\[… \d+ caractères coupés au début\]\n/;

const points_word = (n: number): string => (n === 1 ? "1 point" : `${n} points`);

function fact_line(fact: CheckFact): string {
  switch (fact.kind) {
    case "build_failure": {
      const where = fact.line === undefined ? "" : fact.end_line && fact.end_line !== fact.line ? ` at lines ${fact.line}-${fact.end_line}` : ` at line ${fact.line}`;
      const what = fact.instruction ? ` (${fact.instruction})` : "";
      const code = fact.exit_code === undefined ? "" : `, exit code ${fact.exit_code}`;
      return `# build: ${fact.failure}${where}${what}${code}`;
    }
    case "limit":
      return `# limit reached: ${fact.limit}${fact.value === undefined ? "" : ` (${fact.value})`}`;
    case "lint":
      return `# lint: ${fact.code} (${fact.severity}) at line ${fact.line}`;
    case "dockerfile_lines":
      return `# Dockerfile line${fact.end_line && fact.end_line !== fact.line ? `s ${fact.line}-${fact.end_line}` : ` ${fact.line}`}`;
  }
}

/**
 * What a student may see of a check, as the Exercism interface's `test_code`:
 * the command that runs it, its name and weight, the file it looks at, and
 * the facts of its failure. Never the spec's code (that is the answer key).
 */
export function test_code(exercise: Pick<GradedExercise, "exercise" | "submission">, check: CheckResult): string {
  const file = dockerfile_path(exercise.submission) ?? "Dockerfile";
  const lines = [
    `dockerlings check ${exercise.exercise}`,
    `# check: ${check.name} (${points_word(check.max_points)})`,
    `# looks at: ${file} and the image built from it`,
    ...facts_of(check).map(fact_line),
  ];
  const plain = dockerfile_lines(check);
  if (plain.length > 0 && !facts_of(check).length) lines.push(`# Dockerfile line${plain.length > 1 ? "s" : ""} ${plain.join(", ")}`);
  return lines.join("\n");
}
