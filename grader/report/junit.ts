// GradeSummary -> JUnit XML: one testsuite per exercise, one testcase per
// check (the same tests as the JSON); an exercise that could not be graded
// has one erroring testcase saying why, so that every reader counts it.
//
// Written to the schema Jenkins' xUnit plugin validates with (junit-10.xsd:
// no skipped or timestamp on <testsuites>, `file` on <testsuite> only), and
// to be read right where each consumer looks:
// - names stable from run to run: GitLab keys a case by its suite's name,
//   classname and name (lib/gitlab/ci/reports/test_case.rb) and compares runs
//   by that key, so the suite is named by the exercise alone and the case by
//   its check and weight « [2 points] »; the points earned are in the suite's
//   properties, the case's <system-out> (GitLab shows it with a failure) and
//   the report's own name;
// - time: the runner's measure of each check, the exercise's on the suite;
//   no time attribute when none was measured, rather than a made-up 0;
// - file: the suite's Dockerfile, relative to the repository root, and the
//   failure's last line « at <file>:<line> », where mikepenz/action-junit-
//   report finds the line to annotate.
import { check_details, score_text, type GradeSummary } from "./summary.js";
import type { GradedExercise, CheckResult } from "../result.js";
import { dockerfile_lines } from "./facts.js";
import { dockerfile_path } from "./paths.js";

// XML 1.0 forbids most control characters (a container's output may hold
// ANSI escapes or NUL bytes): they become U+FFFD.
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xml_text(text: string): string {
  return text.replace(INVALID_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value: line breaks and tabs kept as character references (parsers would fold them). */
export function xml_attr(text: string): string {
  return xml_text(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

const attrs = (values: Record<string, string | number | undefined>): string =>
  Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xml_attr(String(v))}"`)
    .join("");

const first_line = (text: string): string => text.split("\n").find((l) => l.trim() !== "")?.trim() ?? text;

/** Seconds as the xsd's SUREFIRE_TIME pattern reads them. */
const seconds = (ms: number | undefined): string | undefined => (ms === undefined || !Number.isFinite(ms) || ms < 0 ? undefined : (ms / 1000).toFixed(3));

const weight = (n: number): string => (n === 1 ? "[1 point]" : `[${n} points]`);

/** The testcase's name: the check's, with its weight. */
export function junit_case_name(check: CheckResult): string {
  return `${check.name} ${weight(check.max_points)}`;
}

/** The testsuite's name: the exercise alone, the same whatever its score (GitLab's key for its cases includes it). */
export function junit_suite_name(result: GradedExercise): string {
  return result.exercise;
}

/** The one testcase of an exercise that could not be graded: named the same from run to run. */
export const NOT_GRADED_CASE = "correction impossible";

function case_xml(result: GradedExercise, check: CheckResult, file: string | undefined, indent: string): string {
  const earned = check.status === "pass" ? check.max_points : 0;
  const open = `${indent}<testcase${attrs({ name: junit_case_name(check), classname: result.exercise, time: seconds(check.duration_ms) })}>`;
  const out = `${indent}  <system-out>${xml_text(`${score_text(earned, check.max_points)} points`)}</system-out>`;
  if (check.status === "pass") return [open, out, `${indent}</testcase>`].join("\n");
  const line = dockerfile_lines(check)[0];
  const details = [check_details(check) || check.name, `(${score_text(earned, check.max_points)} points)`];
  if (file) details.push(`at ${file}${line === undefined ? "" : `:${line}`}`);
  const text = details.join("\n");
  const tag = check.status === "fail" ? "failure" : "error";
  return [
    open,
    `${indent}  <${tag}${attrs({ message: first_line(text), type: check.status })}>${xml_text(text)}</${tag}>`,
    out,
    `${indent}</testcase>`,
  ].join("\n");
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  time_ms?: number;
}

function suite(result: GradedExercise, graded_at: string, indent: string): Suite {
  const file = dockerfile_path(result.submission);
  // No check ran: one erroring case, so that no reader counts the exercise as nothing.
  const not_graded = result.tests.length === 0 ? 1 : 0;
  const tests = result.tests.length + not_graded;
  const failures = result.tests.filter((t) => t.status === "fail").length;
  const errors = result.tests.filter((t) => t.status === "error").length + not_graded;
  const measured = result.tests.filter((t) => t.duration_ms !== undefined);
  const time_ms = result.duration_ms ?? (measured.length > 0 ? measured.reduce((s, t) => s + t.duration_ms!, 0) : undefined);
  const properties: Array<[string, string]> = [
    ["title", result.title ?? ""],
    ["status", result.status],
    ["points", String(result.points)],
    ["max_points", String(result.max_points)],
    ["score", score_text(result.points, result.max_points)],
  ];
  if (result.error_kind) properties.push(["error_kind", result.error_kind]);
  if (result.ignored?.length) properties.push(["ignored", result.ignored.join(", ")]);
  const lines = [
    `${indent}<testsuite${attrs({
      name: junit_suite_name(result),
      tests,
      failures,
      errors,
      skipped: 0,
      time: seconds(time_ms),
      timestamp: graded_at,
      file,
    })}>`,
    `${indent}  <properties>`,
    ...properties.map(([name, value]) => `${indent}    <property${attrs({ name, value })}/>`),
    `${indent}  </properties>`,
    ...result.tests.map((t) => case_xml(result, t, file, `${indent}  `)),
  ];
  if (not_graded) {
    const why = result.message?.trim() || NOT_GRADED_CASE;
    lines.push(
      `${indent}  <testcase${attrs({ name: NOT_GRADED_CASE, classname: result.exercise })}>`,
      `${indent}    <error${attrs({ message: first_line(why), type: result.error_kind ?? "error" })}>${xml_text(`${why}\n(0/${result.max_points} points)`)}</error>`,
      `${indent}    <system-out>${xml_text(`0/${result.max_points} points`)}</system-out>`,
      `${indent}  </testcase>`,
    );
  }
  // Why the exercise could not be graded (all of it, or part of it): not a test, so said beside them.
  if (result.message && (result.status === "error" || result.error_kind || result.tests.length === 0)) {
    lines.push(`${indent}  <system-err>${xml_text(result.message)}</system-err>`);
  }
  lines.push(`${indent}</testsuite>`);
  return { xml: lines.join("\n"), tests, failures, errors, ...(time_ms !== undefined ? { time_ms } : {}) };
}

export function format_junit(summary: GradeSummary): string {
  const suites = summary.results.map((r) => suite(r, summary.graded_at, "  "));
  const sum = (key: "tests" | "failures" | "errors") => suites.reduce((s, x) => s + x[key], 0);
  const timed = suites.filter((s) => s.time_ms !== undefined);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `${summary.course.name} ${summary.course.version} — ${score_text(summary.points, summary.max_points)} points`,
      tests: sum("tests"),
      failures: sum("failures"),
      errors: sum("errors"),
      time: timed.length > 0 ? seconds(timed.reduce((s, x) => s + x.time_ms!, 0)) : undefined,
    })}>`,
    ...suites.map((s) => s.xml),
    "</testsuites>",
    "",
  ].join("\n");
}
