// The CI outputs of `dockerlings grade`, read the way their consumers read
// them, by rules ported from their source:
// - GitLab's JUnit parser and its comparison of two pipelines
//   (gitlabhq: lib/gitlab/ci/parsers/test/junit.rb, lib/gitlab/ci/reports/
//   test_case.rb and test_suite_comparer.rb): a case is keyed by its suite's
//   name, classname and name, and a failure is new, existing or resolved by
//   that key;
// - GitHub Classroom's reporter (classroom-resources/autograding-grading-
//   reporter, src/main.js and notify-classroom.js): it reads the `result`
//   output from one environment variable, <RUNNER>_RESULTS, base64 of JSON,
//   and posts the sum of the tests' scores over max_score.
// Each rule is also run on what dockerlings wrote before (the "before"
// writers below reproduce it): the rule fails there, which is why it is held.
import crypto from "node:crypto";
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { summarise, check_details, type GradeSummary } from "../grader/report/summary.js";
import { format_junit } from "../grader/report/junit.js";
import { classroom_output, CLASSROOM_PAYLOAD_LIMIT } from "../grader/report/github.js";
import { test_code } from "../grader/report/facts.js";
import { dockerfile_path } from "../grader/report/paths.js";
import { load_course, default_course_root } from "../grader/course/course.js";
import type { GradedExercise } from "../grader/result.js";

const COURSE = { name: "dockerlings", version: "0.1.0" };

// ---------------------------------------------------------------------------
// GitLab
// ---------------------------------------------------------------------------

type GitlabStatus = "success" | "failed" | "error" | "skipped";
interface GitlabCase {
  suite_name: string;
  classname: string;
  name: string;
  status: GitlabStatus;
}

/** Junit#parse! (all_cases, each_case, create_test_case) and TestCase#key: sha256 of "#{suite_name}_#{classname}_#{name}". */
function gitlab_parse(xml: string): Map<string, GitlabCase> {
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as Record<string, unknown>;
  const cases = new Map<string, GitlabCase>();
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const visit = (node: Record<string, unknown>): void => {
    for (const tc of list(node.testcase as Record<string, unknown> | Record<string, unknown>[] | undefined)) {
      const status: GitlabStatus = "failure" in tc ? "failed" : "error" in tc ? "error" : "skipped" in tc ? "skipped" : "success";
      const c = { suite_name: String(node.name), classname: String(tc.classname), name: String(tc.name), status };
      cases.set(crypto.createHash("sha256").update(`${c.suite_name}_${c.classname}_${c.name}`).digest("hex"), c);
    }
    for (const suite of list(node.testsuite as Record<string, unknown> | Record<string, unknown>[] | undefined)) visit(suite);
  };
  for (const suite of list((root.testsuites as Record<string, unknown>).testsuite as Record<string, unknown>[])) visit(suite);
  return cases;
}

/** TestSuiteComparer: new, existing and resolved failures by key. */
function gitlab_compare(base: Map<string, GitlabCase>, head: Map<string, GitlabCase>) {
  const failed = (m: Map<string, GitlabCase>) => new Set([...m].filter(([, c]) => c.status === "failed").map(([k]) => k));
  const [base_failed, head_failed] = [failed(base), failed(head)];
  const names = (keys: string[]) => keys.map((k) => head.get(k)!.name).sort();
  return {
    new_failures: names([...head_failed].filter((k) => !base_failed.has(k))),
    existing_failures: names([...head_failed].filter((k) => base_failed.has(k))),
    resolved_failures: names([...head].filter(([k, c]) => c.status === "success" && base_failed.has(k)).map(([k]) => k)),
  };
}

/** How dockerlings named a suite before: with the exercise's score, which changes from run to run. */
const before_junit = (summary: GradeSummary): string =>
  summary.results.reduce((xml, r) => xml.replace(`<testsuite name="${r.exercise}"`, `<testsuite name="${r.exercise} — ${r.points}/${r.max_points} points"`), format_junit(summary));

const attempt = (cache_fixed: boolean): GradeSummary =>
  summarise(
    [
      {
        version: 3,
        exercise: "02-couches-et-cache",
        submission: "02-couches-et-cache",
        status: "fail",
        points: 0,
        max_points: 10,
        tests: [
          { name: "l'image se construit", status: "pass", points: 2, max_points: 2 },
          { name: "les dépendances sont copiées avant le code", status: cache_fixed ? "pass" : "fail", message: "Ligne 4 : COPY . . avant RUN pip install", points: 0, max_points: 4 },
          { name: "une seule couche pour apt-get", status: "fail", message: "deux RUN apt-get", points: 0, max_points: 4 },
        ],
      },
    ],
    COURSE,
  );

describe("GitLab's test report: runs compared check by check", () => {
  test("a check fixed between two pipelines is resolved; one still failing is not new, though the exercise's score changed", () => {
    const compared = gitlab_compare(gitlab_parse(format_junit(attempt(false))), gitlab_parse(format_junit(attempt(true))));
    expect(compared).toEqual({
      new_failures: [],
      existing_failures: ["une seule couche pour apt-get [4 points]"],
      resolved_failures: ["les dépendances sont copiées avant le code [4 points]"],
    });
    // Before: the suite's name carried « 2/10 points », then « 6/10 »: every key changed.
    const before = gitlab_compare(gitlab_parse(before_junit(attempt(false))), gitlab_parse(before_junit(attempt(true))));
    expect(before).toEqual({ new_failures: ["une seule couche pour apt-get [4 points]"], existing_failures: [], resolved_failures: [] });
  });

  test("an exercise that could not be graded counts, as one error; a refused one as one failure", () => {
    const summary = summarise(
      [
        { version: 3, exercise: "05-x", status: "error", error_kind: "engine", message: "le moteur ne répond plus", points: 0, max_points: 10, tests: [] },
        { version: 3, exercise: "06-y", status: "fail", error_kind: "refused", message: "Soumission refusée : lien", points: 0, max_points: 10, tests: [{ name: "la soumission peut être corrigée", status: "fail", message: "Soumission refusée : lien", points: 0, max_points: 10 }] },
      ],
      COURSE,
    );
    const cases = [...gitlab_parse(format_junit(summary)).values()];
    expect(cases.map((c) => [c.suite_name, c.status])).toEqual([
      ["05-x", "error"],
      ["06-y", "failed"],
    ]);
    // Before: the exercise not graded was a suite with no case, which GitLab's parser skips (each_case returns on no testcase).
    const before = format_junit(summary).replace(/<testcase name="correction impossible"[\s\S]*?<\/testcase>\n/, "");
    expect([...gitlab_parse(before.replace('tests="1" failures="0" errors="1"', 'tests="0" failures="0" errors="0"')).values()].map((c) => c.suite_name)).toEqual(["06-y"]);
  });
});

// ---------------------------------------------------------------------------
// GitHub Classroom's reporter
// ---------------------------------------------------------------------------

/** main.js: each runner's results from `${RUNNER}_RESULTS`, base64 of JSON; notify-classroom.js: the sum of scores over max_score. */
const REPORTER = `
const encoded = process.env.DOCKERLINGS_RESULTS;
const results = JSON.parse(Buffer.from(encoded, "base64").toString("utf-8"));
let total = 0;
results.tests.forEach(({ score }) => (total += score));
console.log("Points " + total + "/" + results.max_score);
`;

function run_reporter(payload: string) {
  return spawnSync(process.execPath, ["-e", REPORTER], { env: { PATH: process.env.PATH ?? "", DOCKERLINGS_RESULTS: payload }, encoding: "utf8" });
}

/** A whole course whose builds all fail, as the runner reports it: every check fails with the build's message and output. */
function failing_course(): GradeSummary {
  const tail = Array.from({ length: 20 }, (_, i) => `#12 ${(i * 0.31).toFixed(3)} E: Unable to locate package paquet-introuvable-${i} (étape RUN apt-get install)`).join("\n");
  const results: GradedExercise[] = load_course(default_course_root()).map((exercise) => {
    const checks = Array.from({ length: 5 }, (_, i) => ({
      name: `${exercise.title} : vérification ${i + 1} sur le comportement attendu de l'image`,
      status: "fail" as const,
      message:
        i === 0
          ? `L'image ne se construit pas.\nLigne 3 (RUN apt-get update && apt-get install -y paquet-introuvable) : la commande a échoué avec le code de sortie 100.\nCorrigez cette ligne puis relancez.\nDernières lignes de l'instruction RUN :\n${tail}`
          : "L'image ne se construit pas : corrigez d'abord l'erreur de build (première vérification).",
      output: i === 0 ? tail.slice(-500) : undefined,
      points: 0,
      max_points: Math.max(1, Math.round(exercise.points / 5)),
      facts: [{ kind: "build_failure" as const, failure: "run_failed", line: 3, instruction: "RUN apt-get update && apt-get install -y paquet-introuvable", exit_code: 100 }],
    }));
    return { version: 3, exercise: exercise.id, title: exercise.title, submission: exercise.id, status: "fail", points: 0, max_points: checks.reduce((s, c) => s + c.max_points, 0), tests: checks };
  });
  return summarise(results, COURSE);
}

/** What dockerlings wrote before in `result`: every check with its whole message, its test_code, file, line and time. */
function before_payload(summary: GradeSummary): string {
  const tests = summary.results.flatMap((r) =>
    r.tests.map((t) => ({
      name: `${r.exercise} › ${t.name}`,
      status: t.status,
      score: t.status === "pass" ? t.max_points : 0,
      max_score: t.max_points,
      message: t.status === "pass" ? "" : check_details(t),
      test_code: test_code(r, t),
      filename: dockerfile_path(r.submission) ?? "",
      line_no: 3,
      duration: 0,
    })),
  );
  return Buffer.from(JSON.stringify({ version: 1, status: summary.status, max_score: summary.max_points, tests }), "utf8").toString("base64");
}

describe("GitHub Classroom's reporter: the `result` output through one environment variable", () => {
  const course = failing_course();

  test("a full course of failing builds stays under 96 KiB, and the reporter starts and posts the points", () => {
    const payload = classroom_output(course);
    expect(payload.length).toBeLessThanOrEqual(CLASSROOM_PAYLOAD_LIMIT);
    const run = run_reporter(payload);
    expect(run.error).toBeUndefined();
    expect(run.stdout.trim()).toBe(`Points 0/${course.max_points}`);
    // Every check is still there, with the start of its message.
    const decoded = JSON.parse(Buffer.from(payload, "base64").toString()) as { tests: { name: string; message: string }[] };
    expect(decoded.tests).toHaveLength(course.checks.total);
    expect(decoded.tests[0]!.message).toMatch(/^L'image ne se construit pas\./);
  });

  test("before, the same course made a variable Linux refuses (over 128 KiB): the reporter could not even start", () => {
    const payload = before_payload(course);
    expect(payload.length).toBeGreaterThan(128 * 1024);
    const run = run_reporter(payload);
    expect((run.error as NodeJS.ErrnoException | undefined)?.code).toBe("E2BIG");
  });
});
