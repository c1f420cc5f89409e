// A class run the way a teacher runs one, end to end on the real engine and
// through the CLI: two sections with their own deadlines, a student's
// extension, late commits credited by the roster's late policy, a teacher's
// override, a check held back until the deadline (fixture exercise
// 91-reserve), a pair who copied (renamed variable, reordered lines), and a
// student whose page is in English. One grading; then every export gives
// the expected credited grade, each student's page opens with no network and
// shows what it should (the held-back check only once their deadline has
// passed), and the copied pair ranks first.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { dockerlings } from "./helpers/cli.js";
import { fixture_course, make_course } from "./helpers/course.js";
import { has_chromium, in_browser } from "./helpers/browser.js";
import { read_csv } from "../grader/cohort/csv.js";

const EX = "91-reserve";
const HIDDEN = "CMD est écrit en forme exec";
const course = make_course({ [EX]: fixture_course });
const env = { DOCKERLINGS_COURSE: course };
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-teacher-"));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(course, { recursive: true, force: true });
});

const day = 86_400_000;
const now = Date.now();
/** A date `days` from now (negative: past), to the minute. */
const at = (days: number): string => new Date(Math.floor((now + days * day) / 60_000) * 60_000).toISOString();
const solution = fs.readFileSync(path.join(fixture_course, "solutions", EX, "Dockerfile"), "utf8");
const starter_dir = path.join(fixture_course, "exercises", EX, "starter");
// The pair's Dockerfile: shell-form CMD (the held-back check fails), lines of their own.
const COPIED = `FROM python:3.11-slim
ARG APP_DIR=/srv/bonjour
LABEL org.opencontainers.image.authors="binome"
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR $APP_DIR
COPY bonjour.py $APP_DIR/bonjour.py
RUN python3 -m py_compile bonjour.py && echo compile
CMD python3 /srv/bonjour/bonjour.py
`;
// The copy: the variable renamed, lines reordered, case, spacing and comments changed.
const COPY = `# mon travail
from python:3.11-slim
env PYTHONDONTWRITEBYTECODE=1
ARG BASE=/srv/bonjour
label org.opencontainers.image.authors="binome"
workdir \${BASE}
copy bonjour.py \${BASE}/bonjour.py
run python3 -m py_compile bonjour.py   &&   echo compile
cmd python3 /srv/bonjour/bonjour.py
`;
const ATTEMPTS = [
  `{"time":"${at(-20).slice(0, 19)}Z","exercise":"${EX}","points":2,"hints":0}`,
  `{"time":"${new Date(Date.parse(at(-20)) + 3 * 60_000).toISOString().slice(0, 19)}Z","exercise":"${EX}","points":6,"hints":1}`,
].join("\n");

function repository(name: string, commits: { date: string; dockerfile: string; history?: string }[]): string {
  const dir = path.join(root, "depots", name);
  for (const [i, c] of commits.entries()) {
    fs.cpSync(starter_dir, path.join(dir, EX), { recursive: true });
    fs.writeFileSync(path.join(dir, EX, "Dockerfile"), c.dockerfile);
    if (c.history) {
      fs.mkdirSync(path.join(dir, ".dockerlings"), { recursive: true });
      fs.writeFileSync(path.join(dir, ".dockerlings", "history.jsonl"), c.history);
    }
    const e = { ...process.env, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: "s@example.org", GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: "s@example.org", GIT_AUTHOR_DATE: c.date, GIT_COMMITTER_DATE: c.date };
    if (i === 0) execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q"], { cwd: dir, env: e });
    execFileSync("git", ["add", "-A"], { cwd: dir, env: e });
    execFileSync("git", ["commit", "-q", "-m", c.date], { cwd: dir, env: e });
  }
  return `file://${dir}`;
}

// The course's deadline 10 days ago, the morning section's 11; late work at 80 % for a day, 50 % for a week.
const course_deadline = at(-10);
const morning_deadline = at(-11);
const extension = at(5);
const EXPECTED: Record<string, { credited: number; raw: number }> = {
  ana: { credited: 8, raw: 8 }, // morning, on time, the solution
  ben: { credited: 6.4, raw: 8 }, // morning, the solution 10 hours late: 80 %
  cleo: { credited: 6, raw: 6 }, // evening, on time, the held-back check fails
  dora: { credited: 6, raw: 6 }, // evening, cleo's copy, within her extension
  eli: { credited: 5, raw: 2 }, // evening, the starter in a folder: overridden to 5
  fay: { credited: 4, raw: 8 }, // morning, the solution 2 days late: 50 %; her page in English
};

test("one class: credited grades in every export, a page per student with no network, the copied pair first", async () => {
  fs.cpSync(starter_dir, path.join(root, "rendus", "eli", EX), { recursive: true });
  const roster = path.join(root, "classe.yaml");
  fs.writeFileSync(
    roster,
    `deadline: ${course_deadline}
late:
  - { until: 1d, credit: 0.8 }
  - { until: 7d, credit: 50% }
sections:
  matin: { deadline: ${morning_deadline} }
  soir: {}
students:
  - { id: ana, name: Ana Lopez, section: matin, email: ana@example.org, repo: "${repository("ana", [{ date: at(-12), dockerfile: solution }])}" }
  - { id: ben, name: Ben Morel, section: matin, email: ben@example.org, repo: "${repository("ben", [{ date: at(-11 + 10 / 24), dockerfile: solution }])}" }
  - { id: cleo, name: Cléo Martin, section: soir, email: cleo@example.org, repo: "${repository("cleo", [{ date: at(-12), dockerfile: COPIED }])}" }
  - { id: dora, name: Dora Blanc, section: soir, email: dora@example.org, deadline: ${extension}, repo: "${repository("dora", [{ date: at(-1), dockerfile: COPY }])}" }
  - { id: eli, name: Eli Roy, section: soir, email: eli@example.org, path: rendus/eli }
  - { id: fay, name: Fay Noir, section: matin, email: fay@example.org, lang: en, repo: "${repository("fay", [{ date: at(-9), dockerfile: solution, history: ATTEMPTS }])}" }
`,
  );
  const db = path.join(root, "classe.db");
  const grade = await dockerlings(["cohort", "grade", roster, "--db", db, "--only", "91", "--concurrency", "2"], { cwd: root, env });
  expect(grade.code, grade.stderr + grade.stdout).toBe(0);

  const override = await dockerlings(["cohort", "override", "eli", "91", "--points", "5", "--reason", "rendu par courriel, dossier vide par erreur", "--by", "Mme Prof", "--db", db], { cwd: root, env });
  expect(override.code, override.stderr).toBe(0);

  const out = path.join(root, "out");
  const file = (name: string) => path.join(out, name);
  const report = await dockerlings(
    ["cohort", "report", "--db", db, "--html", file("r.html"), "--csv", file("c.csv"), "--canvas", file("canvas.csv"), "--moodle", file("moodle.csv"), "--scale", "raw", "--json", file("r.json"), "--assignment", "TP Docker (77)", "--students", file("pages")],
    { cwd: root, env },
  );
  expect(report.code, report.stderr).toBe(0);
  const terminal = await dockerlings(["cohort", "report", "--db", db], { cwd: root, env });

  // Every export, read as its reader reads it.
  const json = JSON.parse(fs.readFileSync(file("r.json"), "utf8")) as { points_are: string; students: { id: string; name: string; points: number; raw_points: number }[] };
  expect(json.points_are).toBe("credited");
  const csv = read_csv(fs.readFileSync(file("c.csv"), "utf8"));
  const col = (name: string) => csv[0]!.fields.indexOf(name);
  const html = fs.readFileSync(file("r.html"), "utf8");
  const canvas = read_csv(fs.readFileSync(file("canvas.csv"), "utf8"));
  const moodle = read_csv(fs.readFileSync(file("moodle.csv"), "utf8"));
  const grades: Record<string, Record<string, number | undefined>> = {};
  for (const s of json.students) {
    const row = csv.find((r) => r.fields[0] === s.id)!.fields;
    grades[s.id] = {
      json: s.points,
      csv: Number(row[col("total_credited")]),
      html: Number(new RegExp(`data-student="${s.id}" aria-controls[^>]*>[^<]*</button></th>(?:<td[^>]*>[^<]*</td>)*?<td class="total"[^>]*>([^<]*)</td>`).exec(html)?.[1]),
      canvas: Number(canvas.find((r) => r.fields[0] === s.name)?.fields.at(-1)),
      moodle: Number(moodle.find((r) => r.fields[0] === s.id)?.fields.at(-1)),
      terminal: Number(new RegExp(`^ {2}\\S+ {2}${s.id} (\\S+)/8`, "m").exec(terminal.stdout)?.[1]),
      "cohort grade": Number(new RegExp(`\\] . ${s.id} (\\S+)/8`).exec(grade.stdout)?.[1]),
    };
  }
  const expected = Object.fromEntries(
    Object.entries(EXPECTED).map(([id, e]) => [
      id,
      // The override is the teacher's, after the grading: `cohort grade` printed the credited grade of the runs.
      { json: e.credited, csv: e.credited, html: e.credited, canvas: e.credited, moodle: e.credited, terminal: e.credited, "cohort grade": id === "eli" ? e.raw : e.credited },
    ]),
  );
  expect(grades).toEqual(expected);
  // Raw beside credited; the late credit, each student's deadline and the override said.
  for (const s of json.students) expect([s.id, s.raw_points]).toEqual([s.id, EXPECTED[s.id]!.raw]);
  const row = (id: string) => csv.find((r) => r.fields[0] === id)!.fields;
  expect(row("ben")[col("late_credit")]).toBe("0.8");
  expect(row("fay")[col("late_credit")]).toBe("0.5");
  expect(row("ana")[col("deadline")]).toBe(morning_deadline);
  expect(row("cleo")[col("deadline")]).toBe(course_deadline);
  expect(row("dora")[col("deadline")]).toBe(extension);
  expect(row("eli")[col("overrides")]).toBe(`${EX}=5 (rendu par courriel, dossier vide par erreur, Mme Prof)`);
  expect(terminal.stdout).toMatch(/^ {2}✎ {2}eli 5\/8 \(brut 2\)$/m);
  expect(grade.stdout).toMatch(/\] . ben 6\.4\/8 \(brut 8\)/);

  // A page per student, in their language, with no network.
  const pages = path.join(out, "pages");
  expect(fs.readdirSync(pages).sort()).toEqual([...Object.keys(EXPECTED).flatMap((id) => [`${id}.html`, `${id}.md`]), "students.csv"].sort());
  // Where each page goes, for the CI template to hand out: a folder has no repository.
  const where = read_csv(fs.readFileSync(path.join(pages, "students.csv"), "utf8"));
  expect(where[0]!.fields).toEqual(["id", "repository", "branch", "html", "markdown", "name"]);
  expect(where.find((r) => r.fields[0] === "dora")!.fields.slice(1, 5)).toEqual([`file://${root}/depots/dora`, "", "dora.html", "dora.md"]);
  expect(where.find((r) => r.fields[0] === "eli")!.fields[1]).toBe("");
  const md = (id: string) => fs.readFileSync(path.join(pages, `${id}.md`), "utf8");
  expect(md("ben")).toMatch(/Note : 6\.4 \/ 8 points/);
  expect(md("ben")).toMatch(/Commit corrigé fait 10 h après la date limite : 80 % des points gardés \(8 avant ce retard\)\./);
  expect(md("fay")).toMatch(/^# Your grading — Fay Noir$/m);
  expect(md("fay")).toMatch(/Grade: 4 \/ 8 points/);
  expect(md("fay")).toMatch(/Graded commit made 2 d 00 h after the deadline: 50 % of the points kept \(8 before that\)\./);
  expect(md("fay")).toMatch(/\| 91-reserve \| passed \| 4 \/ 8 \| 2 attempt\(s\) · passed on attempt 2, in 3 min \|/);
  expect(md("eli")).toMatch(/note fixée par l'enseignant : 5 \(rendu par courriel, dossier vide par erreur — Mme Prof, /);
  // The held-back check: on cleo's page (her deadline has passed), not on dora's (her extension runs on).
  expect(md("cleo")).toContain(HIDDEN);
  expect(md("dora")).not.toContain(HIDDEN);
  expect(md("dora")).toMatch(/1 vérification\(s\) réservée\(s\) jusqu'à la date limite/);
  if (has_chromium) {
    for (const id of Object.keys(EXPECTED)) {
      await in_browser(
        path.join(pages, `${id}.html`),
        async ({ page, problems, requests }) => {
          expect(await page.locator("body").getAttribute("data-student")).toBe(id);
          expect(await page.locator("h1").textContent()).toMatch(id === "fay" ? /^Your grading — / : /^Votre correction — /);
          if (id === "cleo") {
            const failure = page.locator(".failure", { hasText: HIDDEN });
            expect(await failure.count()).toBe(1);
            expect(await failure.locator(".where").textContent()).toMatch(/^Dockerfile, ligne\(s\) \d+/);
          }
          expect(problems).toEqual([]);
          expect(requests).toEqual([]);
        },
        id === "cleo" ? "student-page.png" : undefined,
      );
    }
  }

  // Who copied whom: the pair ranks first, from the commits the grading graded.
  const similarity = await dockerlings(["cohort", "similarity", roster, "--db", db, "--only", "91", "--csv", file("paires.csv")], { cwd: root, env });
  expect(similarity.code, similarity.stderr).toBe(0);
  expect(similarity.stdout).toMatch(/^ {2}1\. cleo ↔ dora /m);
  const pairs = read_csv(fs.readFileSync(file("paires.csv"), "utf8"));
  expect([pairs[1]!.fields[2], pairs[1]!.fields[4]]).toEqual(["cleo", "dora"]);
}, 600_000);
