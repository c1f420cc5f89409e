// GradeSummary -> the JSON document of `dockerlings grade --json FILE`: every
// exercise result in the shape of ARCHITECTURE.md (Exercism's test-runner
// results, version 3, plus points), with the totals and the course version.
import type { GradeSummary } from "./summary.js";

export function format_json(summary: GradeSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
