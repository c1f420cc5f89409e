// `dockerlings grade` end to end on the real engine: a submission with a known
// mix (a full pass, a partial score, a failed build, a refused exercise) and
// its totals in every format — terminal table, JSON, JUnit (parsed), the
// Markdown job summary and the decoded GitHub Classroom output — plus the
// exit codes of docs/contracts.md.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { spawnSync } from "node:child_process";
import { dockerlings, project_root, type CliRun } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT, temp_course, temp_dir, workspace } from "./grade-helpers.js";

const course = temp_course([
  { id: "01-premier-dockerfile", from: "01" },
  { id: "90-serveur", from: "90" },
  { id: "91-casse", from: "90" },
  { id: "92-refuse", from: "90" },
]);
const ws = workspace({
  // The solution, with a non-editable file changed (ignored: the course's copy is graded) and one added.
  "01-premier-dockerfile": {
    from: "01",
    base: "solution",
    files: { "bonjour.py": "print('modifié par l\\'étudiant')\n", "notes.md": "# mes notes\n" },
  },
  // The starter: builds (1 point) but serves nothing (0/2).
  "90-serveur": { from: "90", base: "starter" },
  // A build that fails on line 2.
  "91-casse": { from: "90", base: "starter", files: { Dockerfile: "FROM python:3.11-slim\nRUN exit 7\n" } },
  // A planted spec: refused (the student's to fix: a fail with its one check), the others go on.
  "92-refuse": { from: "90", base: "solution", files: { "spec.test.ts": "throw new Error('never run')\n" } },
});

const TOTAL = { points: 11, max_points: 19 };
const session = randomUUID();
const out = temp_dir("dl-grade-out-");
const files = {
  json: path.join(out, "r.json"),
  junit: path.join(out, "reports", "r.xml"),
  summary: path.join(out, "step-summary.md"),
  output: path.join(out, "github-output"),
};
let run: CliRun;

beforeAll(async () => {
  fs.writeFileSync(files.summary, "");
  fs.writeFileSync(files.output, "");
  run = await dockerlings(
    ["grade", "--workspace", ws, "--json", files.json, "--junit", files.junit, "--github", "--min-score", "12", "--parallel", "2"],
    {
      cwd: path.dirname(ws),
      env: {
        DOCKERLINGS_COURSE: course,
        DOCKERLINGS_SESSION: session,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_OUTPUT: files.output,
        GITHUB_WORKSPACE: path.dirname(ws),
        DOCKERLINGS_LANG: "fr",
      },
    },
  );
}, 300_000);

// Error messages are wrapped to the terminal's width: compared with their spaces folded.
const flat = (text: string) => text.replace(/\s+/g, " ");
const sub = (id: string) => `${path.basename(ws)}/${id}`;

describe("grade: a known mix of results", () => {
  test("below --min-score: exit 1, saying why", () => {
    expect(run.code, run.stderr + run.stdout).toBe(1);
    expect(run.stdout).toMatch(/Score 11 sous le minimum demandé \(--min-score 12\) : code de sortie 1\./);
  });

  test("the table: points per exercise and the total", () => {
    const line = (id: string) => run.stdout.split("\n").find((l) => l.startsWith(id)) ?? "";
    expect(line("01-premier-dockerfile")).toMatch(/réussi\s+4\/4\s+10\/10$/);
    expect(line("90-serveur")).toMatch(/pas encore\s+1\/2\s+1\/3$/);
    expect(line("91-casse")).toMatch(/pas encore\s+0\/2\s+0\/3$/);
    expect(line("92-refuse")).toMatch(/pas encore\s+0\/1\s+0\/3$/);
    expect(run.stdout).toMatch(/^Total\s+5\/9\s+11\/19$/m);
    expect(run.stdout).toMatch(/Score : 11\/19 points \(1\/4 exercices réussis\)\./);
  });

  test("JSON: every result, totals, course version; the refused one says why; the ignored files are listed", () => {
    const doc = JSON.parse(fs.readFileSync(files.json, "utf8"));
    expect(doc).toMatchObject({ format: 1, course: { name: "dockerlings", version: "0.1.0-test" }, ...TOTAL, status: "fail" });
    expect(doc.results.map((r: { exercise: string; status: string; points: number }) => [r.exercise, r.status, r.points])).toEqual([
      ["01-premier-dockerfile", "pass", 10],
      ["90-serveur", "fail", 1],
      ["91-casse", "fail", 0],
      ["92-refuse", "fail", 0],
    ]);
    const [first, , broken, refused] = doc.results;
    // The student's bonjour.py was not graded: the course's copy passed.
    expect(first.ignored).toEqual(["bonjour.py", "notes.md"]);
    expect(first.submission).toBe(sub("01-premier-dockerfile"));
    expect(broken.tests[0]).toMatchObject({ status: "fail", lines: [2] });
    expect(broken.tests[0].message).toMatch(/Ligne 2 \(RUN exit 7\) : la commande a échoué avec le code de sortie 7/);
    // Messages name the student's folder, never the staging folder.
    expect(JSON.stringify(doc)).not.toContain("dockerlings-stage-");
    expect(refused).toMatchObject({ version: 2, status: "fail", error_kind: "refused", points: 0, max_points: 3 });
    expect(refused.grading_message).toMatch(/^Soumission refusée : elle contient « spec\.test\.ts »/);
    expect(refused.tests).toEqual([expect.objectContaining({ name: "la soumission peut être corrigée", status: "fail", points: 0, max_points: 3 })]);
  });

  test("JUnit: valid against the xUnit plugin's schema, one suite per exercise, one case per check, the same points", () => {
    const xml = fs.readFileSync(files.junit, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const xsd = path.join(project_root, "grader", "report", "conformance", "junit-xunit.xsd");
    const lint = spawnSync("xmllint", ["--noout", "--schema", xsd, files.junit], { encoding: "utf8" });
    if (lint.error) console.warn("xmllint is not installed (apt-get install libxml2-utils): the schema check is skipped");
    else expect(lint.status, lint.stderr).toBe(0);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testsuite", "testcase", "property"].includes(n) }).parse(xml);
    const suites = parsed.testsuites.testsuite as Array<{ name: string; tests: string; failures: string; errors: string; testcase: unknown[]; properties: { property: Array<{ name: string; value: string }> } }>;
    // Suites named by the exercise alone (GitLab keys cases by it); the refusal is one failed case, as in the JSON.
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors])).toEqual([
      ["01-premier-dockerfile", "4", "0", "0"],
      ["90-serveur", "2", "1", "0"],
      ["91-casse", "2", "2", "0"],
      ["92-refuse", "1", "1", "0"],
    ]);
    const points = suites.map((s) => Object.fromEntries(s.properties.property.map((p) => [p.name, p.value])).score);
    expect(points).toEqual(["10/10", "1/3", "0/3", "0/3"]);
    expect(parsed.testsuites.name).toContain("11/19 points");
  });

  test("GitHub: the job summary, the Classroom result and the annotations", () => {
    const md = fs.readFileSync(files.summary, "utf8");
    expect(md).toMatch(/^## Correction dockerlings — 11\/19 points$/m);
    expect(md).toContain("| `90-serveur` Un serveur de test | ❌ pas encore | 1/2 | 1/3 |");
    expect(md).toContain("| **Total** | ❌ pas encore | **5/9** | **11/19** |");
    expect(md).toContain("- `bonjour.py`");

    const outputs = Object.fromEntries(
      fs.readFileSync(files.output, "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const classroom = JSON.parse(Buffer.from(outputs.result!, "base64").toString("utf8"));
    expect(classroom).toMatchObject({ version: 1, status: "fail", max_score: 19 });
    expect(classroom.tests.reduce((s: number, t: { score: number }) => s + t.score, 0)).toBe(11);
    expect(classroom.tests).toHaveLength(9);
    expect(classroom.tests.find((t: { name: string }) => t.name === "91-casse › l'image se construit")).toMatchObject({ status: "fail", score: 0, message: expect.stringMatching(/^L'image ne se construit pas\./) });
    expect(outputs).toMatchObject({ points: "11", max_points: "19" });

    expect(run.stdout).toMatch(new RegExp(`^::error file=${sub("91-casse")}/Dockerfile,line=2,title=91-casse %3A l'image se construit::L'image ne se construit pas\\.%0ALigne 2`, "m"));
    expect(run.stdout).toMatch(new RegExp(`^::warning file=${sub("01-premier-dockerfile")}/bonjour\\.py,`, "m"));
  });

  test("nothing is left in the engine, nor any staging folder", async () => {
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
    expect(run.stdout + run.stderr).not.toMatch(/erreur inattendue/);
  });
});

describe("grade: exit codes", () => {
  const env = { DOCKERLINGS_COURSE: course };
  test("0 when grading happened, whatever the score (here, only a refused exercise)", async () => {
    const r = await dockerlings(["grade", "--workspace", ws, "--only", "92"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Total\s+0\/1\s+0\/3$/m);
  });

  test("2 on bad usage: an unknown exercise, a bad number, a folder that is one submission without --only", async () => {
    const unknown = await dockerlings(["grade", "--workspace", ws, "--only", "77"], { env });
    expect(unknown.code).toBe(2);
    expect(flat(unknown.stderr)).toMatch(/--only : exercice inconnu « 77 »\. Les exercices sont : 01-premier-dockerfile, 90-serveur/);
    const bad = await dockerlings(["grade", "--workspace", ws, "--parallel", "0"], { env });
    expect(bad.code).toBe(2);
    expect(flat(bad.stderr)).toMatch(/--parallel attend un nombre entier d'au moins 1, pas « 0 »\./);
    const single = await dockerlings(["grade", "--workspace", path.join(ws, "90-serveur")], { env });
    expect(single.code).toBe(2);
    expect(flat(single.stderr)).toMatch(/contient directement un Dockerfile : c'est la soumission d'un seul exercice\. Précisez lequel avec --only <id>\./);
  });

  test("2 without an engine, and 2 when the course itself is invalid", async () => {
    const no_engine = await dockerlings(["grade", "--workspace", ws, "--only", "01"], {
      env: { ...env, DOCKER_HOST: "unix:///tmp/no-docker-here.sock" },
    });
    expect(no_engine.code).toBe(2);
    expect(flat(no_engine.stderr)).toMatch(/Aucun moteur Docker ne répond/);

    const broken = temp_course([{ id: "01-premier-dockerfile", from: "01" }]);
    fs.writeFileSync(path.join(broken, "exercises", "01-premier-dockerfile", "exercise.yaml"), "format: 1\nid: 01-premier-dockerfile\n");
    const invalid = await dockerlings(["grade", "--workspace", ws], { env: { DOCKERLINGS_COURSE: broken } });
    expect(invalid.code).toBe(2);
    expect(flat(invalid.stderr)).toMatch(/exercise\.yaml is invalid/);
  });
});
