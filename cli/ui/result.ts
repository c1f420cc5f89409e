// An exercise's result for the terminal: one line per check, the failures'
// messages (the course's words, in French) wrapped to the terminal's width.
import type { ExerciseResult } from "../../grader/index.js";
import { define_messages } from "../i18n/index.js";
import { c, mark } from "./color.js";
import { indent, wrap } from "./text.js";

type Summary = { verdict: string; passed: number; checks: number; points: number; max: number };

const m = define_messages({
  cannot_grade: { fr: (p: { why: string }) => `! Correction impossible : ${p.why}`, en: (p: { why: string }) => `! Could not grade: ${p.why}` },
  unknown_error: { fr: "erreur inconnue", en: "unknown error" },
  pass: { fr: "réussi", en: "passed" },
  fail: { fr: "pas encore", en: "not yet" },
  error: { fr: "erreur", en: "error" },
  summary: {
    fr: (p: Summary) => `${p.verdict} : ${p.passed}/${p.checks} checks, ${p.points}/${p.max} points`,
    en: (p: Summary) => `${p.verdict}: ${p.passed}/${p.checks} checks, ${p.points}/${p.max} points`,
  },
});

/** Where the grader's build failure message starts quoting the step's output. */
const BUILD_TAIL = "\nFin de la sortie de l'étape :";

export interface ResultLayout {
  width: number;
  /**
   * The failing build step's output, laid out already (folded past a limit):
   * shown in place of the few last lines the build check quotes.
   */
  build_output?: string;
}

/** Whether a check quotes the end of a failing build step (where build_output goes). */
export function quotes_build_output(result: ExerciseResult): boolean {
  return result.tests.some((t) => t.status !== "pass" && (t.message ?? "").includes(BUILD_TAIL));
}

export function format_exercise_result(result: ExerciseResult, title: string | undefined, layout: ResultLayout): string {
  const lines: string[] = [];
  lines.push(c.bold(title ? `${result.exercise} — ${title}` : result.exercise));
  if (result.status === "error") {
    lines.push(c.yellow(wrap(m("cannot_grade", { why: result.message ?? m("unknown_error") }), layout.width, "  ")));
  }
  for (const test of result.tests) {
    const sign = test.status === "pass" ? mark.pass() : test.status === "error" ? mark.error() : mark.fail();
    lines.push(wrap(`  ${sign} ${test.name} ${c.gray(`(${test.points}/${test.max_points})`)}`, layout.width, "  "));
    if (test.status === "pass") continue;
    let message = test.message ?? "";
    const tail = message.indexOf(BUILD_TAIL);
    if (layout.build_output && tail >= 0) {
      lines.push(wrap(indent(message.slice(0, tail), "      "), layout.width));
      lines.push(indent(layout.build_output, "      "));
      message = "";
    }
    if (message) lines.push(wrap(indent(message, "      "), layout.width));
    if (test.output) lines.push(c.gray(indent(test.output, "      | ")));
  }
  const passed = result.tests.filter((t) => t.status === "pass").length;
  const verdict = result.status === "pass" ? c.green(m("pass")) : result.status === "fail" ? c.red(m("fail")) : c.yellow(m("error"));
  lines.push(`  ${m("summary", { verdict, passed, checks: result.tests.length, points: result.points, max: result.max_points })}`);
  return lines.join("\n");
}
