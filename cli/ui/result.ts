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
  held_back: {
    fr: (p: { checks: number; points: number }) =>
      `${p.checks} vérification${p.checks > 1 ? "s" : ""} (${p.points} point${p.points > 1 ? "s" : ""}) réservée${p.checks > 1 ? "s" : ""} à la correction après la date limite : ni lancée${p.checks > 1 ? "s" : ""} ni montrée${p.checks > 1 ? "s" : ""} ici.`,
    en: (p: { checks: number; points: number }) =>
      `${p.checks} check${p.checks > 1 ? "s" : ""} (${p.points} point${p.points > 1 ? "s" : ""}) held back for grading after the deadline: not run or shown here.`,
  },
  summary: {
    fr: (p: Summary) => `${p.verdict} : ${p.passed}/${p.checks} vérifications, ${p.points}/${p.max} points`,
    en: (p: Summary) => `${p.verdict}: ${p.passed}/${p.checks} checks, ${p.points}/${p.max} points`,
  },
});

export interface ResultLayout {
  width: number;
  /**
   * The failing build step's whole output, laid out already (folded past a
   * limit): shown, for a check that failed on that build, in place of the last
   * lines its build_failure fact carries.
   */
  build_output?: string;
  /** The last lines of that build's failing step (BuildFailure.output_tail): a check's fact with these lines is about that build. */
  build_tail?: string[];
}

type Check = ExerciseResult["tests"][number];

/** A check that failed on this build: its build_failure fact carries this build's last lines. */
function failed_on(test: Check, tail: string[] | undefined): boolean {
  if (!tail?.length || test.status === "pass") return false;
  return Boolean(test.facts?.some((f) => f.kind === "build_failure" && f.output?.length === tail.length && f.output.every((line, i) => line === tail[i])));
}

/** Whether a check of the result failed on the build whose last lines are `tail` (where build_output goes). */
export function shows_build_output(result: ExerciseResult, tail: string[] | undefined): boolean {
  return result.tests.some((t) => failed_on(t, tail));
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
    if (test.message) lines.push(wrap(indent(test.message, "      "), layout.width));
    if (layout.build_output && failed_on(test, layout.build_tail)) lines.push(indent(layout.build_output, "      "));
    else if (test.output) lines.push(c.gray(indent(test.output, "      | ")));
  }
  const passed = result.tests.filter((t) => t.status === "pass").length;
  const verdict = result.status === "pass" ? c.green(m("pass")) : result.status === "fail" ? c.red(m("fail")) : c.yellow(m("error"));
  lines.push(`  ${m("summary", { verdict, passed, checks: result.tests.length, points: result.points, max: result.max_points })}`);
  if (result.held_back) lines.push(c.gray(wrap(`  ${m("held_back", result.held_back)}`, layout.width, "  ")));
  return lines.join("\n");
}
