// Each format against its consumer's own rules, from fixtures (no engine):
// - the JSON's results against a JSON Schema of the Exercism test-runner
//   interface written from its text (conformance/exercism-results.schema.json),
//   with ajv;
// - the JUnit XML against the JUnit rules of Jenkins' xUnit plugin
//   (conformance/junit-xunit.xsd, rewritten from its junit-10.xsd), with
//   Debian's xmllint;
// - the annotations against the workflow-command rules of GitHub's runner
//   (a parser written from actions/runner's ActionCommand);
// - Classroom 50's result.json as its runner sees it: stamped the way
//   runner.py's finalize_result stamps it, then validated against Classroom
//   50's own published schema (conformance/classroom50-result-v1.schema.json,
//   vendored verbatim) and the cross-field rules of runner.py's
//   validate_result, ported below.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { XMLParser } from "fast-xml-parser";
import { summarise } from "./summary.js";
import type { GradedExercise } from "../result.js";
import { EXERCISM_CUT_NOTICE, exercism_result, json_document } from "./json.js";
import { format_junit } from "./junit.js";
import { ANNOTATIONS_PER_STEP, command_text, select_annotations, write_github } from "./github.js";
import { classroom50_result, write_classroom50 } from "./classroom50.js";
import { COURSE, GRADED_AT, HOSTILE, many_failures, mixed_results } from "./fixture.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(here, "conformance", name), "utf8")) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const exercism = ajv.compile(schema("exercism-results.schema.json"));
const classroom50 = ajv.compile(schema("classroom50-result-v1.schema.json"));

const summary = summarise(mixed_results(), COURSE, GRADED_AT);
const check = (name: string, status: "pass" | "fail" | "error", extra: object = {}) => ({ name, status, points: 0, max_points: 1, ...extra });
const exercise = (tests: GradedExercise["tests"], extra: Partial<GradedExercise> = {}): GradedExercise => ({
  version: 3,
  exercise: "42-essai",
  submission: "work/42-essai",
  status: "fail",
  points: 0,
  max_points: tests.reduce((s, t) => s + t.max_points, 0) || 1,
  tests,
  ...extra,
});

describe("JSON: each result is a results.json of the Exercism test-runner interface", () => {
  test("every result of the fixtures validates against the schema written from the interface", () => {
    for (const results of [mixed_results(), many_failures()]) {
      for (const r of json_document(summarise(results, COURSE, GRADED_AT)).results) {
        expect(exercism(r), `${r.exercise}: ${ajv.errorsText(exercism.errors)}`).toBe(true);
      }
    }
  });

  test("the schema has teeth: the shapes the interface forbids are rejected", () => {
    const ok = { version: 2, status: "fail", tests: [{ name: "a", status: "fail", message: "m", test_code: "c" }] };
    expect(exercism(ok)).toBe(true);
    const bad = [
      { ...ok, tests: [{ name: "a", status: "fail", message: "m" }] }, // no test_code
      { ...ok, status: "error", message: "x", tests: [{ name: "a", status: "pass", test_code: "c" }] }, // error though a test passed
      { ...ok, message: "only with error" },
      { ...ok, tests: [{ name: "a", status: "fail", test_code: "c" }] }, // a failure without its message
      { ...ok, tests: [{ name: "a", status: "fail", message: "m", test_code: "c", output: "x".repeat(501) }] },
      { ...ok, tests: [{ name: "a", status: "fail", message: "m", test_code: "c", task_id: 1 }] }, // task_id is version 3's
      { version: 2, status: "pass" }, // tests required
      { version: 3, status: "error" }, // message required
    ];
    for (const doc of bad) expect(exercism(doc), JSON.stringify(doc)).toBe(false);
  });

  test("status as the interface says: error only when every check errored or none ran, else fail", () => {
    expect(exercism_result(exercise([check("a", "pass"), check("b", "error", { message: "spec cassé" })], { status: "error", message: "spec cassé" }))).toMatchObject({
      status: "fail",
      grading_message: "spec cassé",
    });
    expect(exercism_result(exercise([check("a", "error", { message: "x" })], { status: "error", message: "x" })).status).toBe("error");
    const none = exercism_result(exercise([], { status: "error", error_kind: "engine", message: "le moteur a disparu" }));
    expect(none).toMatchObject({ status: "error", message: "le moteur a disparu", error_kind: "engine", tests: [] });
    expect(exercism(none)).toBe(true);
  });

  test("version 2 (no task is linked), test_code from what the student may see, never the spec", () => {
    const doc = json_document(summary);
    expect(new Set(doc.results.map((r) => r.version))).toEqual(new Set([2]));
    const failing = doc.results[1]!.tests[1]!;
    expect(failing.test_code.split("\n")).toEqual([
      "dockerlings check 90-serveur",
      "# check: le serveur répond | sur le port 8000 (2 points)",
      "# looks at: work/90-serveur/Dockerfile and the image built from it",
      "# build: run_failed at line 3 (RUN x), exit code 7",
      "# limit reached: output (500)",
    ]);
    // Without facts, the lines alone.
    const plain = exercism_result(exercise([check("c", "fail", { message: "m", lines: [4, 2] })])).tests[0]!;
    expect(plain.test_code).toContain("# Dockerfile lines 2, 4");
    expect(JSON.stringify(doc)).not.toMatch(/expect\(|use_exercise/);
  });

  test("a cut output carries the interface's notice, not ours, and stays within 500 characters", () => {
    const failing = json_document(summary).results[1]!.tests[1]!;
    expect(failing.output).toBe(`${EXERCISM_CUT_NOTICE}\nfin de la sortie`);
    const long = exercism_result(exercise([check("c", "fail", { message: "m", output: "é".repeat(900) })])).tests[0]!;
    expect(Array.from(long.output!).length).toBeLessThanOrEqual(500);
    expect(long.output!.startsWith(EXERCISM_CUT_NOTICE)).toBe(true);
    const short = exercism_result(exercise([check("c", "fail", { message: "m", output: "court" })])).tests[0]!;
    expect(short.output).toBe("court");
  });
});

const xmllint = spawnSync("xmllint", ["--version"]).status === 0;
const NO_XMLLINT = "skipped: xmllint is not installed (apt-get install libxml2-utils, which scripts/setup.sh does as root)";

function validate_xml(xml: string): { ok: boolean; errors: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-junit-"));
  const file = path.join(dir, "report.xml");
  fs.writeFileSync(file, xml);
  const run = spawnSync("xmllint", ["--noout", "--schema", path.join(here, "conformance", "junit-xunit.xsd"), file], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { ok: run.status === 0, errors: run.stderr };
}

describe.skipIf(!xmllint)(`JUnit: valid against the xUnit plugin's schema${xmllint ? "" : ` (${NO_XMLLINT})`}`, () => {
  test("the fixtures' reports validate, hostile text and all", () => {
    for (const results of [mixed_results(), many_failures(), [exercise([check(HOSTILE, "fail", { message: HOSTILE, output: HOSTILE })])]]) {
      const { ok, errors } = validate_xml(format_junit(summarise(results, COURSE, GRADED_AT)));
      expect(ok, errors).toBe(true);
    }
  });

  test("the schema has teeth: what the old report wrote is rejected", () => {
    const old = '<?xml version="1.0"?>\n<testsuites name="x" tests="1" failures="0" errors="0" skipped="0" timestamp="t"><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="t" file="f"/></testsuite></testsuites>\n';
    const { ok, errors } = validate_xml(old);
    expect(ok).toBe(false);
    expect(errors).toMatch(/'skipped' is not allowed/);
    expect(errors).toMatch(/'timestamp' is not allowed/);
    expect(errors).toMatch(/'file' is not allowed/);
  });
});

describe("JUnit: read right by GitLab and the GitHub reporters", () => {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testsuite", "testcase"].includes(n) }).parse(format_junit(summary));
  const suites = parsed.testsuites.testsuite as Array<Record<string, unknown> & { testcase?: Array<Record<string, unknown>> }>;

  test("the same tests as the JSON, exercise by exercise", () => {
    const doc = json_document(summary);
    expect(suites.map((s) => (s.testcase ?? []).length)).toEqual(doc.results.map((r) => r.tests.length));
    expect(suites.flatMap((s) => (s.testcase ?? []).map((c) => c.name))).toEqual(
      doc.results.flatMap((r) => r.tests.map((t) => `${t.name} [${t.max_points} point${t.max_points === 1 ? "" : "s"}]`)),
    );
    expect(Number(parsed.testsuites.tests)).toBe(summary.checks.total);
  });

  test("points where each tool looks: the report's name, the case's name and system-out; suites named by the exercise alone", () => {
    expect(parsed.testsuites.name).toBe("dockerlings 9.9.9 — 11/18 points");
    expect(suites.map((s) => s.name)).toEqual(["01-premier-dockerfile", "90-serveur", "91-refuse"]);
    expect(suites[1]!.testcase!.map((c) => c["system-out"])).toEqual(["1/1 points", "0/2 points"]);
    // The case's name carries the weight, which does not change between runs (GitLab compares runs by name).
    expect(suites[0]!.testcase![2]!.name).toBe("elle affiche le message [4 points]");
  });

  test("real times: the runner's per check, the exercise's on the suite, none made up", () => {
    expect(suites[0]!.testcase!.map((c) => c.time)).toEqual(["0.900", "0.120", "0.450", "0.030"]);
    expect(suites[0]!.time).toBe("1.500");
    expect(suites[1]!.testcase![0]!.time).toBeUndefined();
    expect(parsed.testsuites.time).toBe("1.500");
  });

  test("file relative to the repository root, and the failing line where mikepenz/action-junit-report finds it", () => {
    expect(suites[1]!.file).toBe("work/90-serveur/Dockerfile");
    const failure = (suites[1]!.testcase![1]!.failure as { "#text": string })["#text"];
    // action-junit-report: ` [^ ]*<file>.*?:\d+`, the last match, gives the line.
    const matches = failure.match(/ [^ ]*work\/90-serveur\/Dockerfile.*?:\d+/g)!;
    expect(matches.at(-1)!.split(":").pop()).toBe("3");
    // Outside the repository: no file at all, rather than a path out of the checkout.
    const outside = format_junit(summarise([exercise([check("c", "fail", { message: "m", lines: [1] })], { submission: "../ailleurs/42" })], COURSE));
    expect(outside).not.toMatch(/file=|ailleurs/);
  });
});

/**
 * A workflow-command line read the way GitHub's runner reads it
 * (actions/runner ActionCommand.TryParseV2): after leading spaces, `::`,
 * the command up to the next `::`, its name up to a space, `key=value`
 * pairs split on commas, then the data; values unescaped.
 */
function parse_command(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
  const text = line.trimStart();
  if (!text.startsWith("::")) return undefined;
  const end = text.indexOf("::", 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(",").filter(Boolean)) {
      const eq = pair.indexOf("=");
      properties[pair.slice(0, eq)] = pair
        .slice(eq + 1)
        .replaceAll("%0D", "\r")
        .replaceAll("%0A", "\n")
        .replaceAll("%3A", ":")
        .replaceAll("%2C", ",")
        .replaceAll("%25", "%");
    }
  }
  const data = text.slice(end + 2).replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%25", "%");
  return { command, properties, data };
}

describe("GitHub annotations: workflow commands as the runner reads them", () => {
  const tricky: GradedExercise[] = [
    exercise(
      [
        check("a, b: c %0A d :: e", "fail", {
          message: `100% raté\r\nligne :: deux, ::error::pas moi\n\u001b[31mrouge\u001b[0m\u0007\u0000`,
          lines: [2],
        }),
      ],
      { exercise: "43-piege", submission: "dossier, avec: virgule" },
    ),
  ];
  const lines = select_annotations(summarise(tricky, COURSE)).lines;

  test("each command is one line whose properties and data read back as written", () => {
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\r\n\u0000-\u0008\u001b]/);
    const parsed = parse_command(lines[0]!)!;
    expect(parsed.command).toBe("error");
    expect(parsed.properties).toEqual({ file: "dossier, avec: virgule/Dockerfile", line: "2", title: "43-piege : a, b: c %0A d :: e" });
    // ANSI sequences dropped, other control characters made visible, line breaks kept.
    expect(parsed.data).toBe(`100% raté\r\nligne :: deux, ::error::pas moi\nrouge\uFFFD\uFFFD`);
    expect(command_text("a\u001b]8;;http://x\u0007lien\u001b]8;;\u0007b")).toBe("alienb");
  });

  test("the fixture's annotations all parse, with paths inside the repository", () => {
    for (const line of select_annotations(summary).lines) {
      const parsed = parse_command(line)!;
      expect(["error", "warning"]).toContain(parsed.command);
      if (parsed.properties.file) expect(parsed.properties.file).not.toMatch(/^(\/|\.\.\/)/);
    }
    const outside = select_annotations(summarise([exercise([check("c", "fail", { message: "m", lines: [1] })], { submission: "../hors/42" })], COURSE)).lines;
    expect(outside).toEqual(["::error title=42-essai %3A c::m"]);
  });

  test("at most 10 errors per step: build failures first, then by points; the summary says how many were left out", () => {
    const many = summarise(many_failures(), COURSE, GRADED_AT);
    const selected = select_annotations(many);
    const errors = selected.lines.filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(ANNOTATIONS_PER_STEP);
    const titles = errors.map((l) => parse_command(l)!.properties.title);
    // The build failure (worth 1) is kept; the two checks worth the fewest points (1 and 2) are not.
    expect(titles).toContain("95-beaucoup : check 12");
    expect(titles).not.toContain("95-beaucoup : check 1");
    expect(titles).not.toContain("95-beaucoup : check 2");
    expect(selected.dropped).toEqual({ errors: 2, warnings: 0 });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-gh-"));
    const step_summary = path.join(dir, "summary.md");
    write_github(many, { step_summary }, "en");
    expect(fs.readFileSync(step_summary, "utf8")).toContain("2 error(s) and 0 warning(s) are not annotated");
    write_github(summary, { step_summary: path.join(dir, "other.md") }, "fr");
    expect(fs.readFileSync(path.join(dir, "other.md"), "utf8")).not.toMatch(/ne sont pas annotés/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * What Classroom 50's runner does with an autograder's result.json before
 * anything reads it (cli/gh-teacher/skeleton/dotgithub/scripts/runner.py,
 * finalize_result): it overwrites the identity it knows itself (owner,
 * assignment_type), the submission instant (the graded commit's committer
 * date) and graded_at, and sets or drops submitted_by.
 */
function stamp_like_runner(result: Record<string, unknown>, run: { owner: string; mode: "individual" | "group"; committed: Date; actor?: { username: string; id: number | null } }): Record<string, unknown> {
  const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
  const stamped: Record<string, unknown> = { ...result, owner: run.owner, assignment_type: run.mode, datetime: utc(run.committed), graded_at: utc(new Date()) };
  if (run.actor) stamped.submitted_by = run.actor;
  else delete stamped.submitted_by;
  return stamped;
}

/** runner.py's validate_result (which collect_scores.py mirrors): what JSON Schema cannot say. None when valid. */
function validate_like_runner(data: Record<string, unknown>, identity: { classroom: string; assignment: string; owner: string; type: string }): string | undefined {
  if (data.schema !== "classroom50/result/v1") return "schema";
  if (data.classroom !== identity.classroom) return "classroom";
  if (data.assignment !== identity.assignment) return "assignment";
  if (typeof data.owner !== "string" || data.owner.toLowerCase() !== identity.owner.toLowerCase()) return "owner";
  if (data.assignment_type !== identity.type) return "assignment_type";
  if (typeof data.submission !== "string" || !data.submission.startsWith("submit/")) return "submission";
  for (const field of ["commit", "release", "review", "datetime"]) if (typeof data[field] !== "string" || data[field] === "") return field;
  const whole = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  if (!whole(data.score) || !whole(data["max-score"]) || (data.score as number) > (data["max-score"] as number)) return "score";
  if (!Array.isArray(data.tests)) return "tests";
  for (const t of data.tests as Record<string, unknown>[]) {
    if (typeof t["test-name"] !== "string" || t["test-name"] === "" || typeof t.passed !== "boolean") return "test";
    if (!whole(t.score) || !whole(t["max-score"]) || (t.score as number) > (t["max-score"] as number)) return "test score";
  }
  return undefined;
}

describe("Classroom 50: result.json as its runner and collector read it", () => {
  const env = {
    CLASSROOM: "tp-docker",
    ASSIGNMENT: "dockerfiles",
    SUBMISSION_TAG: "submit/2026-12-01T10-00-00Z-a1b2c3d",
    COMMIT_URL: "https://github.com/org/tp-docker-dockerfiles-alice/commit/a1b2c3d",
    RELEASE_URL: "https://github.com/org/tp-docker-dockerfiles-alice/releases/tag/submit%2F2026-12-01T10-00-00Z-a1b2c3d",
    REVIEW_URL: "https://github.com/org/tp-docker-dockerfiles-alice/compare/base...a1b2c3d",
  };
  const identity = { classroom: "tp-docker", assignment: "dockerfiles", owner: "alice", type: "individual" };
  const run = { owner: "alice", mode: "individual" as const, committed: new Date("2026-12-01T09:59:30Z"), actor: { username: "alice", id: 1234 } };

  test("stamped by the runner, it validates against Classroom 50's published schema and its runner's rules; the scores are the sums of the tests'", () => {
    const result = classroom50_result(summary, env);
    const stamped = stamp_like_runner(result as unknown as Record<string, unknown>, run);
    expect(classroom50(stamped), ajv.errorsText(classroom50.errors)).toBe(true);
    expect(validate_like_runner(stamped, identity)).toBeUndefined();
    expect(result).toMatchObject({
      schema: "classroom50/result/v1",
      classroom: "tp-docker",
      assignment: "dockerfiles",
      submission: env.SUBMISSION_TAG,
      commit: env.COMMIT_URL,
      release: env.RELEASE_URL,
      review: env.REVIEW_URL,
      datetime: "2025-01-02T03:04:05Z",
      score: 11,
      "max-score": 18,
    });
    expect(result.tests.reduce((s, t) => s + t.score, 0)).toBe(result.score);
    expect(result.tests.reduce((s, t) => s + t["max-score"], 0)).toBe(result["max-score"]);
    // One row per check; the refused exercise's one check keeps its points in the total, lost.
    expect(result.tests).toHaveLength(7);
    expect(result.tests.at(-1)).toEqual({ "test-name": "91-refuse › la soumission peut être corrigée", passed: false, score: 0, "max-score": 5 });
    expect(result.tests[5]).toEqual({ "test-name": "90-serveur › le serveur répond | sur le port 8000", passed: false, score: 0, "max-score": 2 });
  });

  test("the published schema has teeth: an unstamped file, an extra field, a fractional score or a bad tag are rejected", () => {
    const result = classroom50_result(summary, env) as unknown as Record<string, unknown>;
    expect(classroom50(result)).toBe(false); // owner and assignment_type come from the runner
    const stamped = stamp_like_runner(result, run);
    expect(classroom50({ ...stamped, points: 11 })).toBe(false);
    expect(classroom50({ ...stamped, score: 10.5 })).toBe(false);
    expect(classroom50({ ...stamped, submission: "v1" })).toBe(false);
    expect(validate_like_runner({ ...stamped, score: 19 }, identity)).toBe("score");
    expect(validate_like_runner(stamped, { ...identity, owner: "bob" })).toBe("owner");
  });

  test("an empty REVIEW_URL falls back to the commit, as Classroom 50's own templates do", () => {
    expect(classroom50_result(summary, { ...env, REVIEW_URL: "" }).review).toBe(env.COMMIT_URL);
  });

  test("written when grading ran; not written, with the reasons, for an infrastructure error or a missing variable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-c50-"));
    const file = path.join(dir, "result.json");
    expect(write_classroom50(summary, file, { env })).toEqual({ file, problems: [] });
    expect(classroom50(stamp_like_runner(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>, run))).toBe(true);

    const engine_gone = summarise([...mixed_results(), exercise([], { status: "error", error_kind: "engine", message: "le moteur a disparu" })], COURSE);
    const failed = write_classroom50(engine_gone, file, { env, lang: "en" });
    expect(failed.problems).toEqual(["--classroom50: 42-essai could not be graded (engine : le moteur a disparu): not the student's fault, so no grade is written."]);
    // The earlier run's file does not stand for this one.
    expect(fs.existsSync(file)).toBe(false);

    const spec_error = summarise([exercise([check("a", "pass"), check("b", "error", { message: "spec" })])], COURSE);
    expect(write_classroom50(spec_error, file, { env }).problems).toHaveLength(1);

    const { CLASSROOM: _, ...no_classroom } = env;
    expect(write_classroom50(summary, file, { env: no_classroom }).problems).toEqual([
      "--classroom50 : la variable CLASSROOM n'est pas définie (le runner de Classroom 50 la définit ; hors de lui, définissez-la).",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
