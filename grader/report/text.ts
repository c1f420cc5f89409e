// ExerciseResult -> terminal text. Colour is passed in, so the same code
// serves a terminal and a log file.
import type { ExerciseResult } from "../result.js";

export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  gray(s: string): string;
  bold(s: string): string;
}

export const no_paint: Paint = { green: (s) => s, red: (s) => s, yellow: (s) => s, gray: (s) => s, bold: (s) => s };

const indent = (text: string, prefix: string): string =>
  text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");

export function format_result(result: ExerciseResult, paint: Paint = no_paint, title?: string): string {
  const lines: string[] = [];
  lines.push(paint.bold(title ? `${result.exercise} — ${title}` : result.exercise));
  if (result.status === "error") {
    lines.push(paint.yellow(`! Correction impossible : ${result.message ?? "erreur inconnue"}`));
  }
  for (const test of result.tests) {
    const mark = test.status === "pass" ? paint.green("✓") : paint.red("✗");
    const pts = paint.gray(`(${test.points}/${test.max_points})`);
    lines.push(`  ${mark} ${test.name} ${pts}`);
    if (test.status !== "pass" && test.message) lines.push(indent(test.message, "      "));
    if (test.status !== "pass" && test.output) lines.push(paint.gray(indent(test.output, "      | ")));
  }
  const passed = result.tests.filter((t) => t.status === "pass").length;
  const verdict =
    result.status === "pass" ? paint.green("réussi") : result.status === "fail" ? paint.red("pas encore") : paint.yellow("erreur");
  lines.push(`  ${verdict} : ${passed}/${result.tests.length} vérifications, ${result.points}/${result.max_points} points`);
  return lines.join("\n");
}
