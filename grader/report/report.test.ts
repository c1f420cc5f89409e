// Every format from one summary: the same score (the sum of passed weights)
// everywhere, and text from submissions escaped in each.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { summarise } from "./summary.js";
import { format_table } from "./table.js";
import { format_json } from "./json.js";
import { format_junit, xml_attr } from "./junit.js";
import { format_markdown, md_fence, md_inline } from "./markdown.js";
import { annotations, classroom_output, classroom_result, write_github, type ClassroomResult } from "./github.js";
import { COURSE, GRADED_AT, mixed_results, not_graded } from "./fixture.js";

const summary = summarise(mixed_results(), COURSE, GRADED_AT);
/** With an exercise the grader could not grade. */
const with_error = summarise([...mixed_results(), not_graded()], COURSE, GRADED_AT);

describe("the summary", () => {
  test("adds up the passed weights, whatever the results claimed", () => {
    expect(summary.points).toBe(11);
    expect(summary.max_points).toBe(18);
    expect(summary.results.map((r) => r.points)).toEqual([10, 1, 0]);
    // A refusal is the student's: a fail, like any other (only the grader's own failures are errors).
    expect(summary.status).toBe("fail");
    expect(summary.exercises).toEqual({ pass: 1, fail: 2, error: 0, total: 3 });
    expect(summary.checks).toEqual({ pass: 5, fail: 2, error: 0, total: 7 });
    expect(with_error.status).toBe("error");
  });

  test("is pass only when every exercise passed, fail when none errored", () => {
    const [pass, fail] = mixed_results();
    expect(summarise([pass!], COURSE).status).toBe("pass");
    expect(summarise([pass!, fail!], COURSE).status).toBe("fail");
    expect(summarise([], COURSE).status).toBe("fail");
  });
});

describe("the terminal table", () => {
  const table = format_table(summary);
  test("one row per exercise with its points, then the total", () => {
    const lines = table.split("\n");
    expect(lines.find((l) => l.startsWith("01-premier-dockerfile"))).toMatch(/réussi\s+4\/4\s+10\/10$/);
    expect(lines.find((l) => l.startsWith("90-serveur"))).toMatch(/pas encore\s+1\/2\s+1\/3$/);
    expect(lines.find((l) => l.startsWith("91-refuse"))).toMatch(/pas encore\s+0\/1\s+0\/5$/);
    expect(lines.at(-1)).toMatch(/^Total\s+5\/7\s+11\/18$/);
  });
  test("in English too", () => {
    expect(format_table(summary, undefined, "en")).toMatch(/Exercise\s+Status\s+Checks\s+Points/);
  });
});

describe("the JSON document", () => {
  const doc = JSON.parse(format_json(summary));
  test("totals, course version and every result in the shape of docs/contracts.md", () => {
    expect(doc).toMatchObject({ format: 1, course: COURSE, points: 11, max_points: 18, status: "fail", graded_at: GRADED_AT.toISOString() });
    expect(doc.results).toHaveLength(3);
    expect(doc.results[1]).toMatchObject({ version: 2, exercise: "90-serveur", status: "fail", points: 1, max_points: 3 });
    expect(doc.results[1].ignored).toEqual(["app.py", "notes, à lire.txt"]);
    expect(doc.results[1].tests[1]).toMatchObject({ status: "fail", points: 0, max_points: 2, lines: [3] });
    expect(doc.results[2]).toMatchObject({ status: "fail", error_kind: "refused", grading_message: expect.stringMatching(/^Soumission refusée/) });
    expect(doc.results[2].tests).toEqual([expect.objectContaining({ name: "la soumission peut être corrigée", status: "fail", message: expect.stringMatching(/^Soumission refusée/) })]);
  });
});

describe("JUnit XML", () => {
  const xml = format_junit(summary);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase", "property"].includes(name) }).parse(xml);

  test("is well-formed XML, whatever the messages hold", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000\u001b]/);
  });

  test("one testsuite per exercise, named by the exercise alone; one testcase per check, counts right", () => {
    const root = parsed.testsuites;
    expect(root).toMatchObject({ tests: "7", failures: "2", errors: "0" });
    expect(root.name).toContain("11/18 points");
    expect(root.testsuite.map((s: { name: string }) => s.name)).toEqual(["01-premier-dockerfile", "90-serveur", "91-refuse"]);
    expect(root.testsuite[0].testcase).toHaveLength(4);
    expect(root.testsuite[1]).toMatchObject({ tests: "2", failures: "1", errors: "0" });
  });

  test("the points are the suites' properties, the same as every format", () => {
    const props = (i: number) =>
      Object.fromEntries(parsed.testsuites.testsuite[i].properties.property.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(props(0)).toMatchObject({ points: "10", max_points: "10", score: "10/10" });
    expect(props(1)).toMatchObject({ points: "1", max_points: "3", score: "1/3", ignored: "app.py, notes, à lire.txt" });
    expect(props(2)).toMatchObject({ points: "0", max_points: "5", status: "fail", error_kind: "refused" });
  });

  test("a failure carries its message; a refused exercise is its one failed check; one not graded is one erroring case", () => {
    const failing = parsed.testsuites.testsuite[1].testcase[1];
    expect(failing.name).toBe("le serveur répond | sur le port 8000 [2 points]");
    expect(failing.failure.message).toBe("L'image ne se construit pas.");
    expect(failing.failure["#text"]).toContain('a <b> & "c" | `d`');
    expect(failing.failure["#text"]).toContain("fin de la sortie");
    expect(failing.failure["#text"]).toContain("(0/2 points)");
    expect(parsed.testsuites.testsuite[2]).toMatchObject({ tests: "1", failures: "1", errors: "0" });
    expect(parsed.testsuites.testsuite[2].testcase[0].failure.message).toMatch(/^Soumission refusée/);
    const errored = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(format_junit(with_error))
      .testsuites;
    expect(errored).toMatchObject({ tests: "8", failures: "2", errors: "1" });
    expect(errored.testsuite[3]).toMatchObject({ name: "92-panne", tests: "1", errors: "1" });
    expect(errored.testsuite[3].testcase[0]).toMatchObject({ name: "correction impossible", classname: "92-panne", error: { type: "engine" } });
  });

  test("attribute values keep their line breaks", () => {
    expect(xml_attr('a\nb"<')).toBe("a&#10;b&quot;&lt;");
  });
});

describe("Markdown job summary", () => {
  const md = format_markdown(summary);
  test("the score, a row per exercise, the total", () => {
    expect(md).toMatch(/^## Correction dockerlings — 11\/18 points$/m);
    expect(md).toContain("| `01-premier-dockerfile` Votre premier Dockerfile | ✅ réussi | 4/4 | 10/10 |");
    expect(md).toContain("| `90-serveur` Un serveur &lt;de&gt; test | ❌ pas encore | 1/2 | 1/3 |");
    expect(md).toContain("| `91-refuse` | ❌ pas encore | 0/1 | 0/5 |");
    expect(md).toContain("| **Total** | ❌ pas encore | **5/7** | **11/18** |");
  });
  test("failing checks with their message fenced, so nothing from a submission is rendered", () => {
    expect(md).toContain("- ❌ le serveur répond \\| sur le port 8000 (0/2)");
    expect(md).toContain("  ````text");
    expect(md).toContain("Fichiers ignorés");
    expect(md).toContain("- `notes, à lire.txt`");
  });
  test("helpers escape and fence", () => {
    expect(md_inline("<script>|*x*")).toBe("&lt;script&gt;\\|\\*x\\*");
    expect(md_fence("a ```` b")).toMatch(/^`{5}text\n/);
  });
});

describe("GitHub", () => {
  test("the Classroom result: version, status, max_score, tests with their scores and what the reporter reads, no more", () => {
    const decoded = JSON.parse(Buffer.from(classroom_output(summary), "base64").toString("utf8")) as ClassroomResult;
    expect(decoded).toEqual(classroom_result(summary));
    expect(decoded).toMatchObject({ version: 1, status: "fail", max_score: 18 });
    expect(decoded.tests).toHaveLength(7);
    // The reporter sends the sum of the scores to Classroom.
    expect(decoded.tests.reduce((s, t) => s + t.score, 0)).toBe(11);
    expect(decoded.tests.reduce((s, t) => s + t.max_score, 0)).toBe(18);
    const failing = decoded.tests.find((t) => t.status === "fail")!;
    expect(failing).toMatchObject({ name: "90-serveur › le serveur répond | sur le port 8000", score: 0, max_score: 2 });
    expect(failing.message).toMatch(/^L'image ne se construit pas\./);
    expect(decoded.tests.find((t) => t.name.startsWith("91-refuse"))).toMatchObject({ status: "fail", score: 0, max_score: 5, message: expect.stringMatching(/^Soumission refusée/) });
    expect(JSON.parse(Buffer.from(classroom_output(with_error), "base64").toString()).tests.at(-1)).toMatchObject({ name: "92-panne", status: "error", score: 0, max_score: 4 });
    for (const t of decoded.tests) expect(Object.keys(t).sort()).toEqual(["max_score", "message", "name", "score", "status"]);
  });

  test("annotations: the failing Dockerfile line, escaped as workflow commands; warnings for ignored files", () => {
    const lines = annotations(summary);
    const error = lines.find((l) => l.startsWith("::error "))!;
    expect(error).toMatch(/^::error file=work\/90-serveur\/Dockerfile,line=3,title=90-serveur %3A le serveur répond \| sur le port 8000::L'image ne se construit pas\.%0ALigne 3/);
    expect(error).not.toContain("\n");
    expect(lines.filter((l) => l.startsWith("::warning "))).toEqual([
      expect.stringMatching(/^::warning file=work\/90-serveur\/app\.py,title=/),
      expect.stringMatching(/^::warning file=work\/90-serveur\/notes%2C à lire\.txt,title=/),
    ]);
  });

  test("write_github appends the job summary and the result output", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-gh-"));
    const step_summary = path.join(dir, "summary.md");
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "before=1\n");
    write_github(summary, { step_summary, output });
    expect(fs.readFileSync(step_summary, "utf8")).toContain("11/18 points");
    const outputs = Object.fromEntries(
      fs.readFileSync(output, "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(outputs).toMatchObject({ before: "1", points: "11", max_points: "18" });
    expect(JSON.parse(Buffer.from(outputs.result!, "base64").toString()).max_score).toBe(18);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
