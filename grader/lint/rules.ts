// A Dockerfile linter with hadolint's rule codes, on the one Dockerfile model
// (grader/dockerfile/) and its shell reading: no Docker and no hadolint
// binary needed. Messages are in French and say what to change. The rules
// live in rules/; where they differ from hadolint on purpose, docs/checks.md
// says so in the rule's row.
import { LINT_RULES, rule_for, type LintFinding, type LintRule, type LintSeverity, type ReportFinding } from "./rules/catalog.js";
import { read_dockerfile } from "../dockerfile/index.js";
import { read_ignore_pragmas } from "./rules/ignore-pragmas.js";
import { check_instructions } from "./rules/instruction-checks.js";
import { check_runs } from "./rules/run-checks.js";
import { check_syntax } from "./rules/syntax-check.js";

export { LINT_RULES };
export type { LintFinding, LintRule, LintSeverity };

export interface LintOptions {
  /** Rule codes not to report (like hadolint's --ignore). */
  ignore?: string[];
}

/** Every finding for a Dockerfile's content, sorted by line then code. */
export function lint_dockerfile(content: string, options: LintOptions = {}): LintFinding[] {
  const text = content.replace(/\r\n?/g, "\n");
  const model = read_dockerfile(text);
  const pragmas = read_ignore_pragmas(model);
  const ignored = new Set([...(options.ignore ?? []).map((code) => code.toUpperCase()), ...pragmas.global]);
  const findings: LintFinding[] = [];
  const seen = new Set<string>();
  const report: ReportFinding = (code, line, message) => {
    if (ignored.has(code) || pragmas.by_line.get(line)?.has(code)) return;
    const key = `${code}:${line}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ code, line, severity: rule_for(code).severity, message });
  };
  check_syntax(text, model, report);
  check_instructions(model, report);
  check_runs(model, report);
  return findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}
