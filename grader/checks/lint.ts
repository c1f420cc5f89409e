// Lint as a check: "no lint error", or "none of these rules", on the
// submission's Dockerfile (grader/lint/rules.ts, hadolint's codes).
import { lint_dockerfile, LINT_RULES, type LintFinding, type LintSeverity } from "../lint/rules.js";
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { outcome, require_config, type CheckOutcome } from "./check.js";

const SEVERITY_ORDER: LintSeverity[] = ["error", "warning", "info", "style"];

export interface LintExpectation {
  /** Only these rule codes count (e.g. ["DL3009", "DL3015"]). Default: every rule. */
  rules?: string[];
  /** The least severe finding that fails the check. Default "error" ("warning" also fails on warnings...). */
  min_severity?: LintSeverity;
  /** Rule codes that never count here. */
  ignore?: string[];
}

/**
 * The handle's Dockerfile (a variant's -f file included) has no lint finding of the given rules / severity.
 * @example check_lint(ex)                                  // no error-level finding
 * @example check_lint(ex, { rules: ["DL3009", "DL3015"] }) // none of these, whatever their severity
 */
export function check_lint(ex: Pick<ExerciseHandle, "dockerfile">, expected: LintExpectation = {}): CheckOutcome & { findings: LintFinding[] } {
  const known = new Set(LINT_RULES.map((r) => r.code));
  for (const code of [...(expected.rules ?? []), ...(expected.ignore ?? [])]) {
    require_config(known.has(code.toUpperCase()), `règle de lint inconnue : ${code}`);
  }
  require_config(!expected.rules || expected.rules.length > 0, "la liste de règles est vide");
  const threshold = SEVERITY_ORDER.indexOf(expected.min_severity ?? (expected.rules ? "style" : "error"));
  const only = expected.rules ? new Set(expected.rules.map((c) => c.toUpperCase())) : undefined;
  const findings = lint_dockerfile(ex.dockerfile().text, { ignore: expected.ignore }).filter(
    (f) => (only ? only.has(f.code) : true) && SEVERITY_ORDER.indexOf(f.severity) <= threshold,
  );
  const failures = findings.map((f) => `Ligne ${f.line} (${f.code}) : ${f.message}`);
  // Each finding as data too: the reports annotate its line from the fact, not from the sentence.
  const facts = findings.map((f) => ({ kind: "lint" as const, code: f.code, severity: f.severity, line: f.line }));
  return { ...outcome(failures, undefined, facts), findings };
}

