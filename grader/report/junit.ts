// GradeSummary -> JUnit XML: one testsuite per exercise, one testcase per
// check, failures and errors with their messages. CI systems (GitLab, Jenkins,
// GitHub test reporters) read it. The points are testsuite properties, the
// same numbers as every other format.
import { check_details, score_text, type GradeSummary, type GradedExercise } from "./summary.js";

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

interface Case {
  name: string;
  status: "pass" | "fail" | "error";
  details: string;
}

function cases_of(result: GradedExercise): Case[] {
  const cases: Case[] = result.tests.map((t) => ({
    name: t.name,
    status: t.status,
    details: t.status === "pass" ? "" : `${check_details(t) || t.status}\n(${score_text(t.points, t.max_points)} points)`,
  }));
  // An exercise that could not be graded at all still shows up as a failure.
  if (cases.length === 0) {
    cases.push({ name: result.exercise, status: "error", details: result.message ?? "aucun check exécuté" });
  }
  return cases;
}

function suite(result: GradedExercise, indent: string): { xml: string; tests: number; failures: number; errors: number; time: number } {
  const cases = cases_of(result);
  const failures = cases.filter((c) => c.status === "fail").length;
  const errors = cases.filter((c) => c.status === "error").length;
  const time = (result.duration_ms ?? 0) / 1000;
  const properties: Array<[string, string]> = [
    ["title", result.title ?? ""],
    ["status", result.status],
    ["points", String(result.points)],
    ["max_points", String(result.max_points)],
    ["score", score_text(result.points, result.max_points)],
  ];
  if (result.ignored?.length) properties.push(["ignored", result.ignored.join(", ")]);
  const lines = [
    `${indent}<testsuite${attrs({ name: result.exercise, tests: cases.length, failures, errors, skipped: 0, time: time.toFixed(3) })}>`,
    `${indent}  <properties>`,
    ...properties.map(([name, value]) => `${indent}    <property${attrs({ name, value })}/>`),
    `${indent}  </properties>`,
  ];
  for (const c of cases) {
    const open = `${indent}  <testcase${attrs({ name: c.name, classname: result.exercise, time: "0" })}`;
    if (c.status === "pass") {
      lines.push(`${open}/>`);
      continue;
    }
    const tag = c.status === "fail" ? "failure" : "error";
    lines.push(
      `${open}>`,
      `${indent}    <${tag}${attrs({ message: first_line(c.details), type: c.status })}>${xml_text(c.details)}</${tag}>`,
      `${indent}  </testcase>`,
    );
  }
  if (result.status === "error" && result.tests.length > 0 && result.message) {
    lines.push(`${indent}  <system-err>${xml_text(result.message)}</system-err>`);
  }
  lines.push(`${indent}</testsuite>`);
  return { xml: lines.join("\n"), tests: cases.length, failures, errors, time };
}

export function format_junit(summary: GradeSummary): string {
  const suites = summary.results.map((r) => suite(r, "  "));
  const sum = (key: "tests" | "failures" | "errors" | "time") => suites.reduce((s, x) => s + x[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `${summary.course.name} ${summary.course.version} — ${score_text(summary.points, summary.max_points)} points`,
      tests: sum("tests"),
      failures: sum("failures"),
      errors: sum("errors"),
      skipped: 0,
      time: sum("time").toFixed(3),
      timestamp: summary.graded_at,
    })}>`,
    ...suites.map((s) => s.xml),
    "</testsuites>",
    "",
  ].join("\n");
}
