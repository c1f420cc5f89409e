// A class of our own, graded and reported through the CLI on the real engine,
// the way a bootcamp runs one: local folders and git repositories, a
// deadline, then a deadline moved earlier, a folder removed, a student taken
// off the roster; a repository with a committed virtualenv (an absolute link
// outside every exercise), one whose exercise links out of its folder, one
// that cannot be fetched. After each change, every output (the terminal,
// JSON, CSV, HTML, Canvas, Moodle) gives each student the same grade, and
// none gives a 0 for what is not the student's. Exercise 01 only, whose
// builds the engine has cached: the class takes seconds per run.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dockerlings, project_root } from "./helpers/cli.js";
import { read_csv } from "../grader/cohort/csv.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-class-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const EXERCISE = "01-premier-dockerfile";
const CHROMIUM = "/usr/bin/chromium";
const solution = path.join(project_root, "solutions", EXERCISE);
const starter = path.join(project_root, "exercises", EXERCISE, "starter");
const roster = path.join(root, "classe.yaml");
const db = path.join(root, "classe.db");
const cache = path.join(root, "cache");

function git(cwd: string, args: string[], date: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: "s", GIT_AUTHOR_EMAIL: "s@example.org", GIT_COMMITTER_NAME: "s", GIT_COMMITTER_EMAIL: "s@example.org", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, env, encoding: "utf8" });
}

/** A student's work: the exercise's folder from `from`, and a committed virtualenv's link outside every exercise when asked. */
function work(dir: string, from: string, extra: { venv?: boolean; link_out?: boolean } = {}): void {
  fs.rmSync(path.join(dir, EXERCISE), { recursive: true, force: true });
  fs.cpSync(from, path.join(dir, EXERCISE), { recursive: true });
  if (extra.venv) {
    fs.mkdirSync(path.join(dir, "venv", "bin"), { recursive: true });
    fs.rmSync(path.join(dir, "venv", "bin", "python"), { force: true });
    fs.symlinkSync("/usr/bin/python3", path.join(dir, "venv", "bin", "python"));
  }
  if (extra.link_out) fs.symlinkSync("/etc/passwd", path.join(dir, EXERCISE, "secret"));
}

function repository(name: string, commits: { date: string; from: string; venv?: boolean; link_out?: boolean }[]): string {
  const dir = path.join(root, "depots", name);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"], commits[0]!.date);
  for (const c of commits) {
    work(dir, c.from, c);
    git(dir, ["add", "-A"], c.date);
    git(dir, ["commit", "-q", "-m", c.date], c.date);
  }
  return `file://${dir}`;
}

const STUDENTS = {
  ana: "  - { id: ana, name: Ana Lopez, path: rendus/ana, email: ana@example.org }",
  ben: "  - { id: ben, name: Ben Morel, path: rendus/ben }",
  cleo: "", // a repository: the solution before the deadline, the starter after
  dora: "", // a repository with a committed virtualenv
  eli: "  - { id: eli, name: Eli Roy, path: rendus/eli }", // the same work as dora's, on disk
  fay: "", // a repository whose exercise links out of its folder
  gus: "  - { id: gus, name: Gus Petit, path: rendus/gus }",
  hal: `  - { id: hal, name: Hal Simon, repo: "file://${root}/depots/introuvable" }`,
};

beforeAll(() => {
  work(path.join(root, "rendus", "ana"), solution);
  work(path.join(root, "rendus", "ben"), starter);
  work(path.join(root, "rendus", "eli"), solution, { venv: true });
  work(path.join(root, "rendus", "gus"), solution);
  STUDENTS.cleo = `  - { id: cleo, name: Cléo Martin, repo: "${repository("cleo", [{ date: "2026-12-10T10:00:00Z", from: solution }, { date: "2026-12-20T10:00:00Z", from: starter }])}" }`;
  STUDENTS.dora = `  - { id: dora, name: Dora Blanc, repo: "${repository("dora", [{ date: "2026-12-10T10:00:00Z", from: solution, venv: true }])}" }`;
  STUDENTS.fay = `  - { id: fay, name: Fay Noir, repo: "${repository("fay", [{ date: "2026-12-10T10:00:00Z", from: solution, link_out: true }])}" }`;
  write_roster(Object.keys(STUDENTS) as (keyof typeof STUDENTS)[]);
});

function write_roster(ids: (keyof typeof STUDENTS)[]): void {
  fs.writeFileSync(roster, `students:\n${ids.map((id) => STUDENTS[id]).join("\n")}\n`);
}

async function grade(deadline: string) {
  const run = await dockerlings(["cohort", "grade", roster, "--db", db, "--cache", cache, "--only", "01", "--deadline", deadline, "--concurrency", "2"], { cwd: root });
  expect(run.code, run.stderr + run.stdout).toBe(0);
  return run;
}

type Grades = Record<string, Record<string, number | null | "absent">>;

/** Each student's total in every output of `cohort report`, read as its reader reads it. */
async function every_output(grade_run: { stdout: string }): Promise<Grades> {
  const out = path.join(root, `out-${Date.now()}`);
  const file = (name: string) => path.join(out, name);
  const report = await dockerlings(
    ["cohort", "report", "--db", db, "--html", file("r.html"), "--csv", file("c.csv"), "--canvas", file("canvas.csv"), "--moodle", file("moodle.csv"), "--scale", "raw", "--json", file("r.json"), "--assignment", "TP Docker (77)"],
    { cwd: root },
  );
  expect(report.code, report.stderr).toBe(0);
  const terminal = await dockerlings(["cohort", "report", "--db", db], { cwd: root });
  const json = JSON.parse(fs.readFileSync(file("r.json"), "utf8")) as { students: { id: string; name: string; points: number | null }[] };
  const csv = read_csv(fs.readFileSync(file("c.csv"), "utf8"));
  const total = csv[0]!.fields.indexOf("total_credited");
  const html = fs.readFileSync(file("r.html"), "utf8");
  const canvas = read_csv(fs.readFileSync(file("canvas.csv"), "utf8"));
  const moodle = read_csv(fs.readFileSync(file("moodle.csv"), "utf8"));
  const number = (text: string | undefined): number | null => (text === undefined || text === "" || text === "?" ? null : Number(text));
  const grades: Grades = {};
  for (const s of json.students) {
    const line = terminal.stdout.split("\n").find((l) => new RegExp(` ${s.id} `).test(l));
    const grade_line = grade_run.stdout.split("\n").find((l) => new RegExp(`\\] . ${s.id} `).test(l));
    grades[s.id] = {
      "cohort grade": grade_line ? number(/ (\S+)\/\d+ /.exec(grade_line)?.[1]) : "absent",
      "cohort report": line ? number(/ (\S+)\/\d+/.exec(line)?.[1]) : "absent",
      json: s.points,
      csv: number(csv.find((r) => r.fields[0] === s.id)!.fields[total]),
      html: number(new RegExp(`data-student="${s.id}" aria-controls[^>]*>[^<]*</button></th>(?:<td[^>]*>[^<]*</td>)*?<td class="total"[^>]*>([^<]*)</td>`).exec(html)?.[1]),
      canvas: ((row) => (row ? number(row.fields.at(-1)) : "absent"))(canvas.find((r) => r.fields[0] === s.name)),
      moodle: ((row) => (row ? number(row.fields.at(-1)) : "absent"))(moodle.find((r) => r.fields[0] === s.id)),
    };
  }
  return grades;
}

const everywhere = (points: number) => ({ "cohort grade": points, "cohort report": points, json: points, csv: points, html: points, canvas: points, moodle: points });
const nowhere = { "cohort grade": null, "cohort report": null, json: null, csv: null, html: null, canvas: "absent", moodle: "absent" };

describe("a class through its changes: one grade per student, the same in every output", () => {
  let ben_points = 0;

  test("graded with a deadline: local folders and repositories alike; a committed virtualenv is no problem; a link out is the student's fail", async () => {
    const run = await grade("2026-12-15T23:59+01:00");
    const grades = await every_output(run);
    ben_points = grades.ben!.json as number;
    expect(ben_points).toBeLessThan(10);
    expect(grades).toEqual({
      ana: everywhere(10),
      ben: everywhere(ben_points),
      cleo: everywhere(10), // the solution, committed before the deadline
      dora: everywhere(10), // the repository with a virtualenv, graded like eli's folder on disk
      eli: everywhere(10),
      fay: everywhere(0), // refused: the student's to fix
      gus: everywhere(10),
      hal: nowhere, // unreachable: not known, never 0
    });
    // The refusal in the course's words, for that exercise; never « erreur du correcteur, relancez ».
    const report = JSON.parse(fs.readFileSync(path.join(fs.readdirSync(root).filter((n) => n.startsWith("out-")).map((n) => path.join(root, n)).sort().at(-1)!, "r.json"), "utf8")) as {
      students: { id: string; cells: Record<string, { state: string }>; failures: { check: string; message?: string }[]; errors: string[] }[];
    };
    const fay = report.students.find((s) => s.id === "fay")!;
    expect(fay.cells[EXERCISE]!.state).toBe("fail");
    expect(fay.errors).toEqual([]);
    expect(fay.failures[0]).toMatchObject({ check: "la soumission peut être corrigée", message: expect.stringMatching(/^Soumission refusée : le lien symbolique « secret » mène hors du dossier de l'exercice \(vers \/etc\/passwd\)/) });
    expect(JSON.stringify(report)).not.toMatch(/erreur du correcteur|relancez|\.dockerlings-cohort|cache\//);
  });

  test("the deadline moved before every commit: no commit before it, 0 everywhere from that run on; the folders keep theirs", async () => {
    const grades = await every_output(await grade("2026-12-05T00:00Z"));
    expect(grades).toEqual({
      ana: everywhere(10),
      ben: everywhere(ben_points),
      cleo: everywhere(0),
      dora: everywhere(0),
      eli: everywhere(10),
      fay: everywhere(0),
      gus: everywhere(10),
      hal: nowhere,
    });
  });

  test("ben's folder removed: no submission, 0 everywhere", async () => {
    fs.rmSync(path.join(root, "rendus", "ben"), { recursive: true, force: true });
    const grades = await every_output(await grade("2026-12-05T00:00Z"));
    expect(grades.ben).toEqual(everywhere(0));
  });

  test("gus off the roster: in no output, kept in the history", async () => {
    write_roster(["ana", "ben", "cleo", "dora", "eli", "fay", "hal"]);
    const grades = await every_output(await grade("2026-12-05T00:00Z"));
    expect(Object.keys(grades).sort()).toEqual(["ana", "ben", "cleo", "dora", "eli", "fay", "hal"]);
    expect(grades).toEqual({ ana: everywhere(10), ben: everywhere(0), cleo: everywhere(0), dora: everywhere(0), eli: everywhere(10), fay: everywhere(0), hal: nowhere });
    const json = JSON.parse((await dockerlings(["cohort", "report", "--db", db, "--json", path.join(root, "final.json")], { cwd: root })).code === 0 ? fs.readFileSync(path.join(root, "final.json"), "utf8") : "{}") as {
      removed: { id: string }[];
      runs: { deadline: string | null }[];
    };
    expect(json.removed).toEqual([{ id: "gus", name: "Gus Petit" }]);
    expect(json.runs.map((r) => r.deadline)).toEqual(["2026-12-15T22:59:00.000Z", "2026-12-05T00:00:00.000Z", "2026-12-05T00:00:00.000Z", "2026-12-05T00:00:00.000Z"]);
  });

  // Skipped, saying why, where Debian's chromium is not installed (scripts/setup.sh installs it as root).
  test.skipIf(!fs.existsSync(CHROMIUM))(`the report as a teacher opens it (${CHROMIUM}, headless): the deadline, an unknown grade, a refusal's whole message`, async () => {
    const html = path.join(root, "classe.html");
    expect((await dockerlings(["cohort", "report", "--db", db, "--html", html], { cwd: root })).code).toBe(0);
    const { chromium } = await import("playwright-core");
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "dl-chromium-"));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      await page.goto(`file://${html}`);
      fs.mkdirSync(path.join(project_root, "test-results"), { recursive: true });
      await page.screenshot({ path: path.join(project_root, "test-results", "cohort-class-final.png"), fullPage: true });
      expect(await page.locator("#deadline").innerText()).toContain("2026-12-05T00:00:00.000Z");
      const total = (id: string) => page.locator(`tr:has(button.student[data-student="${id}"]) td.total`).innerText();
      expect([await total("ana"), await total("hal"), await total("fay")]).toEqual(["10", "?", "0"]);
      // Fay's refusal, as the first run's report showed it (her later runs found no commit before the deadline).
      const first = fs.readdirSync(root).filter((n) => n.startsWith("out-")).sort()[0]!;
      await page.goto(`file://${path.join(root, first, "r.html")}`);
      await page.locator('button.student[data-student="fay"]').first().click();
      const panel = page.locator('.panel[data-student="fay"]');
      expect(await panel.isVisible()).toBe(true);
      expect(await panel.locator("ul.failures li").first().innerText()).toMatch(/la soumission peut être corrigée\s+Soumission refusée : le lien symbolique « secret » mène hors du dossier de l'exercice \(vers \/etc\/passwd\)\. Un build ne peut pas lire de fichier hors de son contexte : remplacez ce lien par une copie du fichier dont vous avez besoin\./);
      await page.screenshot({ path: path.join(project_root, "test-results", "cohort-class.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
