// A class graded end to end through the CLI, on the real engine: students in
// git repositories the test makes (one with commits after the deadline, one
// with none before it), one whose repository cannot be fetched, one whose
// folder is missing. Killed with -9 in the middle and run again: nothing lost,
// nothing graded twice, nothing left on the engine. Reported as HTML in a real
// browser (Debian's chromium, headless), CSV, Canvas, Moodle and JSON; graded
// again in 3 shards and merged: the same rows. Exercise 01 only, to stay fast.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dockerlings, project_root } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT } from "./grade-helpers.js";
import { sessions_from_base } from "../grader/engine/sweep-sessions.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const EXERCISE = "01-premier-dockerfile";
const CHROMIUM = "/usr/bin/chromium";
const solution = path.join(project_root, "solutions", EXERCISE);
const starter = path.join(project_root, "exercises", EXERCISE, "starter");
const DEADLINE = "2026-12-15T23:59+01:00";
const roster = path.join(root, "cohort.yaml");
const cache = path.join(root, "cache");
const db = path.join(root, "cohort.db");

function git(cwd: string, args: string[], date: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: "s", GIT_AUTHOR_EMAIL: "s@example.org", GIT_COMMITTER_NAME: "s", GIT_COMMITTER_EMAIL: "s@example.org", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  return execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, env, encoding: "utf8" }).trim();
}

/** A student's repository, shaped like workspace/: one commit per folder copied in as 01's submission. */
function repository(name: string, commits: { date: string; from: string }[]): { url: string; commits: string[] } {
  const dir = path.join(root, "repos", name);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"], commits[0]!.date);
  const shas: string[] = [];
  for (const commit of commits) {
    fs.rmSync(path.join(dir, EXERCISE), { recursive: true, force: true });
    fs.cpSync(commit.from, path.join(dir, EXERCISE), { recursive: true });
    git(dir, ["add", "-A"], commit.date);
    git(dir, ["commit", "-q", "--allow-empty", "-m", commit.date], commit.date);
    shas.push(git(dir, ["rev-parse", "HEAD"], commit.date));
  }
  return { url: `file://${dir}`, commits: shas };
}

let alice: { url: string; commits: string[] };

beforeAll(() => {
  // alice: the solution before the deadline, the starter pushed after it.
  alice = repository("alice", [
    { date: "2026-12-14T10:00:00+01:00", from: solution },
    { date: "2026-12-16T10:00:00+01:00", from: starter },
  ]);
  const bob = repository("bob", [{ date: "2026-12-10T10:00:00+01:00", from: starter }]);
  const frank = repository("frank", [{ date: "2026-12-20T10:00:00+01:00", from: solution }]);
  fs.cpSync(solution, path.join(root, "rendus", "carol", EXERCISE), { recursive: true });
  fs.writeFileSync(
    roster,
    `# paths are relative to this file
students:
  - { id: alice, name: Alice Martin, repo: "${alice.url}", section: B1 }
  - { id: bob, name: Bob Durand, repo: "${bob.url}", section: B1 }
  - { id: carol, name: Carol Petit, path: rendus/carol, section: B2 }
  - { id: dan, name: Dan Roux, repo: "file://${root}/repos/no-such-repo" }
  - { id: erin, name: Erin Blanc, path: rendus/erin }
  - { id: frank, name: Frank Noir, repo: "${frank.url}" }
`,
  );
});

const grade_args = (database: string, extra: string[] = []) => ["cohort", "grade", roster, "--db", database, "--only", "01", "--deadline", DEADLINE, "--cache", cache, ...extra];

function rows<T>(database: string, sql: string): T[] {
  const handle = new Database(database, { readonly: true });
  try {
    return handle.prepare(sql).all() as T[];
  } finally {
    handle.close();
  }
}

describe("cohort grade", () => {
  test("killed with -9 in the middle, a second run loses nothing, grades nothing twice and sweeps what the first left", async () => {
    const bin = path.join(project_root, "bin", "dockerlings.js");
    const child = spawn(process.execPath, [bin, ...grade_args(db, ["--concurrency", "1"])], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr" },
      stdio: "ignore",
      detached: true,
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    // Killed as soon as the first student is recorded: the second is being graded then.
    const deadline = Date.now() + 120_000;
    let recorded = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      if (!fs.existsSync(db)) continue;
      try {
        recorded = rows<{ n: number }>(db, "SELECT count(*) AS n FROM results")[0]!.n;
      } catch {
        continue; // The schema is being created.
      }
      if (recorded >= 1) break;
    }
    expect(recorded).toBeGreaterThanOrEqual(1);
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const before = rows<{ student_id: string; points: number }>(db, "SELECT student_id, points FROM results ORDER BY id");
    const killed_sessions = rows<{ id: string }>(db, "SELECT id FROM sessions").map((r) => r.id);

    const second = await dockerlings(grade_args(db), { cwd: root });
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    // What the first run recorded is still there, untouched, and not graded again.
    // Graded results (a run also records the results it took again unchanged, pointing at them: reused_from).
    const after = rows<{ id: number; student_id: string; exercise_id: string; points: number; commit_graded: string | null }>(db, "SELECT * FROM results WHERE reused_from IS NULL ORDER BY id");
    expect(after.slice(0, before.length).map((r) => [r.student_id, r.points])).toEqual(before.map((r) => [r.student_id, r.points]));
    expect(after.map((r) => r.student_id).sort()).toEqual(["alice", "bob", "carol"]);
    expect(killed_sessions.length).toBeGreaterThan(0);
    for (const base of killed_sessions) {
      expect(await leftovers(base)).toEqual(NOTHING_LEFT);
      expect(await sessions_from_base(base)).toEqual([]);
    }
    expect(rows(db, "SELECT id FROM sessions")).toEqual([]);

    const by_student = Object.fromEntries(after.map((r) => [r.student_id, r]));
    expect(by_student.alice).toMatchObject({ points: 10, commit_graded: alice.commits[0] });
    expect(by_student.carol).toMatchObject({ points: 10, commit_graded: null });
    expect(by_student.bob!.points).toBeLessThan(10);
    const subs = rows<{ student_id: string; status: string; commit_latest: string | null }>(db, "SELECT * FROM submissions WHERE run_id = 2 ORDER BY student_id");
    expect(Object.fromEntries(subs.map((s) => [s.student_id, s.status]))).toEqual({
      alice: "graded",
      bob: "graded",
      carol: "graded",
      dan: "unfetchable",
      erin: "missing",
      frank: "no-commit-before-deadline",
    });
    expect(subs.find((s) => s.student_id === "alice")!.commit_latest).toBe(alice.commits[1]);
    expect(second.stdout).toMatch(/Sans soumission corrigée :\n {2}· dan : dépôt inaccessible/);
    expect(second.stdout).toMatch(/· erin : rien à corriger — le dossier rendus\/erin n'existe pas/);
    expect(second.stdout).toMatch(/· frank : aucun commit avant la date limite/);
  });

  test("a run with nothing changed grades nothing, in a few seconds", async () => {
    const t0 = Date.now();
    const third = await dockerlings(grade_args(db), { cwd: root });
    expect(third.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(third.stdout).toMatch(/alice 10\/10 inchangé/);
    expect(rows<{ n: number }>(db, "SELECT count(*) AS n FROM results WHERE reused_from IS NULL")[0]!.n).toBe(3);
  });

  test("reports: HTML, CSV, Canvas, Moodle, JSON", async () => {
    const out = path.join(root, "out");
    const report = await dockerlings(
      ["cohort", "report", "--db", db, "--html", path.join(out, "report.html"), "--csv", path.join(out, "class.csv"), "--canvas", path.join(out, "canvas.csv"), "--moodle", path.join(out, "moodle.csv"), "--json", path.join(out, "class.json")],
      { cwd: root },
    );
    expect(report.code).toBe(0);
    const csv = fs.readFileSync(path.join(out, "class.csv"), "utf8").trim().split("\r\n");
    expect(csv[0]).toBe(`id,name,section,submission,commit,pushed_late,${EXERCISE},total_credited,total_raw,max_points,deadline,late_credit,overrides`);
    // Each student's deadline (here the course's, from --deadline); no late credit: raw and credited agree.
    const due = new Date(DEADLINE).toISOString();
    expect(csv[1]).toBe(`alice,Alice Martin,B1,graded,${alice.commits[0]!.slice(0, 12)},,10,10,10,10,${due},,`);
    // An unreachable repository is no zero: its grade is not known.
    expect(csv.slice(3)).toEqual([
      `carol,Carol Petit,B2,graded,,,10,10,10,10,${due},,`,
      `dan,Dan Roux,,unfetchable,,,unfetchable,,,10,${due},,`,
      `erin,Erin Blanc,,missing,,,0,0,0,10,${due},,`,
      `frank,Frank Noir,,no-commit-before-deadline,,,0,0,0,10,${due},,`,
    ]);
    expect(fs.readFileSync(path.join(out, "canvas.csv"), "utf8").split("\r\n").slice(0, 3)).toEqual([
      "Student,ID,SIS User ID,SIS Login ID,Section,Dockerfiles (dockerlings)",
      "Points Possible,,,,,10",
      "Alice Martin,,,,B1,10",
    ]);
    expect(fs.readFileSync(path.join(out, "canvas.csv"), "utf8")).not.toContain("Dan Roux");
    expect(report.stderr).toMatch(/Canvas : note inconnue, laissé\(s\) hors du fichier[^]*· dan \(Dan Roux\) : dépôt inaccessible/);
    expect(fs.readFileSync(path.join(out, "moodle.csv"), "utf8").split("\r\n")[1]).toBe("alice,100");
    expect(JSON.parse(fs.readFileSync(path.join(out, "class.json"), "utf8")).students).toHaveLength(6);
  });

  // Skipped, saying why, where Debian's chromium is not installed (scripts/setup.sh installs it as root).
  test.skipIf(!fs.existsSync(CHROMIUM))(`the HTML report works in a real browser (${CHROMIUM}, headless)`, async () => {
    await check_in_browser(path.join(root, "out", "report.html"), 6, 1);
  });

  test("in 3 shards merged, the same rows and totals as unsharded", async () => {
    const shards = [1, 2, 3].map((i) => path.join(root, `shard-${i}.db`));
    for (const [i, shard] of shards.entries()) {
      const run = await dockerlings(grade_args(shard, ["--shard", `${i + 1}/3`]), { cwd: root });
      expect(run.code).toBe(0);
    }
    const merged = path.join(root, "merged.db");
    const merge = await dockerlings(["cohort", "merge", ...shards, "--db", merged], { cwd: root });
    expect(merge.stdout).toMatch(/3 shard\(s\) fusionné\(s\) : 6 étudiant\(s\)/);
    expect(merge.code).toBe(0);
    const csv = async (database: string): Promise<string> => {
      const file = path.join(root, `${path.basename(database)}.csv`);
      expect((await dockerlings(["cohort", "report", "--db", database, "--csv", file], { cwd: root })).code).toBe(0);
      return fs.readFileSync(file, "utf8");
    };
    expect(await csv(merged)).toBe(await csv(db));
    // Merging again, or with a shard missing, is refused.
    const again = await dockerlings(["cohort", "merge", shards[0]!, shards[2]!, "--db", path.join(root, "m2.db")], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/fusion refusée : shard\(s\) manquant\(s\) : 2\/3/);
  });
});

describe("cohort errors", () => {
  test("--help lists grade, report and merge", async () => {
    const help = await dockerlings(["cohort", "--help"]);
    expect(help.code).toBe(0);
    for (const command of ["grade", "report", "merge"]) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  test("a report without a database exits 2 and says what to run", async () => {
    const run = await dockerlings(["cohort", "report", "--db", path.join(root, "none.db")], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Corrigez d'abord la classe : dockerlings cohort grade ROSTER --db FICHIER/);
  });

  test("DOCKER_HOST names the engine: one that does not answer is exit 2, said plainly", async () => {
    const run = await dockerlings(grade_args(path.join(root, "nohost.db")), { cwd: root, env: { DOCKER_HOST: `unix://${root}/no-engine.sock` } });
    expect(run.code).toBe(2);
    // The message is wrapped to the terminal's width: its words, not its lines.
    expect(run.stderr.replace(/\s+/g, " ")).toContain(`Aucun moteur Docker ne répond (unix://${root}/no-engine.sock n'existe pas)`);
  });

  test("an invalid roster exits 2 with its lines", async () => {
    const bad = path.join(root, "bad.yaml");
    fs.writeFileSync(bad, "students:\n  - id: a\n    path: x\n  - id: a\n    path: y\n");
    const run = await dockerlings(["cohort", "grade", bad, "--db", path.join(root, "bad.db")], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ligne 4 : identifiant « a » en double \(déjà ligne 2\)/);
  });
});

/** The report in Debian's chromium, headless: no console error, one cell per student and exercise, a click shows a student's failures. */
async function check_in_browser(file: string, students: number, exercises: number): Promise<void> {
  const { chromium } = await import("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "dl-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) requests.push(request.url());
    });
    await page.goto(`file://${file}`);
    expect(await page.locator("table.heatmap td.cell").count()).toBe(students * exercises);
    expect(await page.locator("table.heatmap td.cell.s-pass").count()).toBe(2);
    expect(await page.locator(`td.cell[data-student="alice"]`).getAttribute("title")).toMatch(/commit [0-9a-f]{10}/);
    const panel = page.locator('.panel[data-student="bob"]');
    expect(await panel.isVisible()).toBe(false);
    await page.locator('button.student[data-student="bob"]').first().click();
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator("ul.failures li").count()).toBeGreaterThan(0);
    fs.mkdirSync(path.join(project_root, "test-results"), { recursive: true });
    await page.screenshot({ path: path.join(project_root, "test-results", "cohort-report.png"), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
