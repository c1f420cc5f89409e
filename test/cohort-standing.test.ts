// One truth per student and exercise (grader/cohort/standing.ts), through
// grade_cohort with a stand-in pipeline that grades a Dockerfile by what it
// says (the real pipeline's class is cohort-class.docker.test.ts): the
// latest run that looked at a student decides, whatever it found; every
// output gives the same number; a grade that is not the student's is never
// a zero; a reverted submission gets its own result back; a forced regrade
// is not a new attempt; a back-dated commit is flagged.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { load_exercise, default_course_root } from "../grader/course/course.js";
import {
  cohort_report,
  grade_cohort,
  History,
  parse_deadline,
  parse_roster,
  report_canvas,
  report_csv,
  report_html,
  report_json,
  report_moodle,
  read_csv,
  type CohortRun,
  type WorkerGrader,
} from "../grader/cohort/index.js";
import type { GradedExercise } from "../grader/result.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-truth-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const course_root = default_course_root();
const exercise = load_exercise(course_root, "01-premier-dockerfile");

/** A stand-in pipeline: a Dockerfile that says `# bon` passes (10), any other fails one check (6/10). */
function content_grader(calls: string[] = []): () => WorkerGrader {
  return () => ({
    async grade(items) {
      return items.map((item): GradedExercise => {
        calls.push(item.dir);
        const good = fs.readFileSync(path.join(item.dir, "Dockerfile"), "utf8").includes("# bon");
        return {
          version: 3,
          exercise: item.exercise.id,
          status: good ? "pass" : "fail",
          points: good ? 10 : 6,
          max_points: 10,
          tests: [
            { name: "l'image se construit", status: "pass", points: 6, max_points: 6 },
            { name: "CMD en forme exec", status: good ? "pass" : "fail", points: good ? 4 : 0, max_points: 4, ...(good ? {} : { message: "CMD en forme shell" }) },
          ],
        };
      });
    },
    async restart() {},
    async close() {},
  });
}

function git(cwd: string, args: string[], date = "2026-12-01T10:00:00Z"): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: "s", GIT_AUTHOR_EMAIL: "s@example.org", GIT_COMMITTER_NAME: "s", GIT_COMMITTER_EMAIL: "s@example.org", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  return execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, env, encoding: "utf8" }).trim();
}

function commit(repo: string, dockerfile: string, date: string): string {
  fs.mkdirSync(path.join(repo, exercise.id), { recursive: true });
  fs.writeFileSync(path.join(repo, exercise.id, "Dockerfile"), dockerfile);
  git(repo, ["add", "-A"], date);
  git(repo, ["commit", "-qm", date], date);
  return git(repo, ["rev-parse", "HEAD"], date);
}

let n = 0;
function setup(students: string) {
  const dir = fs.mkdtempSync(path.join(root, "class-"));
  const roster_file = path.join(dir, "cohort.yaml");
  const history = History.open(path.join(dir, `h${n++}.db`));
  const write_roster = (text: string) => fs.writeFileSync(roster_file, `students:\n${text}`);
  write_roster(students);
  const grade = async (options: { deadline?: string; force?: boolean; calls?: string[] } = {}): Promise<CohortRun> =>
    grade_cohort({
      roster: parse_roster(fs.readFileSync(roster_file, "utf8"), roster_file),
      history,
      course_root,
      exercises: [exercise],
      course_version: "c1",
      grader_version: "g1",
      cache_dir: path.join(dir, "cache"),
      concurrency: 1,
      ...(options.deadline ? { deadline: parse_deadline(options.deadline)! } : {}),
      force: options.force ?? false,
      open_grader: content_grader(options.calls),
    });
  return { dir, history, write_roster, grade };
}

/** Each student's total as each output gives it: the terminal's line, JSON, CSV, HTML, Canvas, Moodle (scaled back to points). */
function every_output(history: History, run: CohortRun): Record<string, Record<string, number | null | "absent">> {
  const report = cohort_report(history);
  const json = JSON.parse(report_json(report)) as { students: { id: string; points: number | null }[] };
  const csv = read_csv(report_csv(report));
  const total_col = csv[0]!.fields.indexOf("total_credited");
  const html = report_html(report);
  const canvas = read_csv(report_canvas(report, "TP (1)").csv);
  const moodle = read_csv(report_moodle(report, { scale: "raw" }).csv);
  const out: Record<string, Record<string, number | null | "absent">> = {};
  for (const s of report.students) {
    const csv_row = csv.find((r) => r.fields[0] === s.id)!;
    const html_total = new RegExp(`data-student="${s.id}" aria-controls[^>]*>[^<]*</button></th>(?:<td[^>]*>[^<]*</td>)*?<td class="total"[^>]*>([^<]*)</td>`).exec(html)?.[1];
    const canvas_row = canvas.find((r) => r.fields[0] === s.name);
    const moodle_row = moodle.find((r) => r.fields[0] === s.id);
    const done = run.students.find((d) => d.student.id === s.id);
    const number = (text: string | undefined): number | null => (text === undefined || text === "" || text === "?" ? null : Number(text));
    out[s.id] = {
      terminal: done ? done.points : "absent",
      json: json.students.find((x) => x.id === s.id)!.points,
      csv: number(csv_row.fields[total_col]),
      html: number(html_total),
      canvas: canvas_row ? number(canvas_row.fields.at(-1)) : "absent",
      moodle: moodle_row ? number(moodle_row.fields.at(-1)) : "absent",
    };
  }
  return out;
}

const same = (points: number) => ({ terminal: points, json: points, csv: points, html: points, canvas: points, moodle: points });
const unknown = { terminal: null, json: null, csv: null, html: null, canvas: "absent", moodle: "absent" };

describe("the latest run that looked at a student decides", () => {
  test("a deadline before every commit, then one moved earlier: the exports follow the run, not the last result", async () => {
    const c = setup("");
    const repo = path.join(c.dir, "alice.git-src");
    fs.mkdirSync(repo);
    git(repo, ["init", "-q"]);
    const early = commit(repo, "FROM python:3.11-slim\n", "2026-12-10T10:00:00Z");
    const late = commit(repo, "FROM python:3.11-slim\n# bon\n", "2026-12-14T10:00:00Z");
    c.write_roster(`  - { id: alice, name: Alice, repo: "file://${repo}" }\n`);
    // No deadline: the latest commit, 10/10.
    let run = await c.grade();
    expect(every_output(c.history, run).alice).toEqual(same(10));
    // A deadline before every commit: no submission, 0 everywhere (it is the student's), the 10 stays in the history only.
    run = await c.grade({ deadline: "2026-12-01T00:00Z" });
    expect(every_output(c.history, run).alice).toEqual(same(0));
    const report = cohort_report(c.history);
    expect(report.students[0]).toMatchObject({ submission: "no-commit-before-deadline", cells: { [exercise.id]: { state: "no-commit-before-deadline" } } });
    expect(c.history.results().some((r) => r.points === 10)).toBe(true);
    // A deadline between the two commits: the early one, 6/10.
    run = await c.grade({ deadline: "2026-12-12T00:00Z" });
    expect(every_output(c.history, run).alice).toEqual(same(6));
    expect(cohort_report(c.history).students[0]!.commit_graded).toBe(early);
    // Back to no deadline: the late commit's result, taken again without grading (recorded in this run).
    const calls: string[] = [];
    run = await c.grade({ calls });
    expect(calls).toEqual([]);
    expect(run.students[0]!.outcome).toBe("unchanged");
    expect(every_output(c.history, run).alice).toEqual(same(10));
    expect(cohort_report(c.history).students[0]!.commit_graded).toBe(late);
    c.history.close();
  });

  test("a submission reverted to an earlier one gets that one's result back, not the latest result recorded", async () => {
    const c = setup("  - { id: bob, name: Bob, path: bob }\n");
    const file = path.join(c.dir, "bob", exercise.id, "Dockerfile");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "FROM python:3.11-slim\n# bon\n");
    await c.grade();
    fs.writeFileSync(file, "FROM python:3.11-slim\n");
    await c.grade();
    fs.writeFileSync(file, "FROM python:3.11-slim\n# bon\n");
    const calls: string[] = [];
    const run = await c.grade({ calls });
    expect(calls).toEqual([]); // the same submission as the first run: reused
    expect(every_output(c.history, run).bob).toEqual(same(10));
    c.history.close();
  });

  test("a folder that disappears, or is emptied, is no submission: 0 everywhere, from that run on", async () => {
    const c = setup("  - { id: carol, name: Carol, path: carol }\n  - { id: dave, name: Dave, path: dave }\n");
    for (const id of ["carol", "dave"]) {
      fs.mkdirSync(path.join(c.dir, id, exercise.id), { recursive: true });
      fs.writeFileSync(path.join(c.dir, id, exercise.id, "Dockerfile"), "FROM python:3.11-slim\n# bon\n");
    }
    let run = await c.grade();
    expect(every_output(c.history, run)).toEqual({ carol: same(10), dave: same(10) });
    fs.rmSync(path.join(c.dir, "carol"), { recursive: true });
    fs.rmSync(path.join(c.dir, "dave", exercise.id, "Dockerfile"));
    run = await c.grade();
    expect(every_output(c.history, run)).toEqual({ carol: same(0), dave: same(0) });
    const [carol, dave] = cohort_report(c.history).students;
    expect(carol).toMatchObject({ submission: "missing", submission_message: "le dossier carol n'existe pas" });
    expect(dave).toMatchObject({ submission: "missing", submission_message: "le dossier dave est vide" });
    c.history.close();
  });

  test("a student removed from the roster is in no output; the history keeps them", async () => {
    const c = setup("  - { id: erin, name: Erin, path: erin }\n  - { id: finn, name: Finn, path: finn }\n");
    for (const id of ["erin", "finn"]) {
      fs.mkdirSync(path.join(c.dir, id, exercise.id), { recursive: true });
      fs.writeFileSync(path.join(c.dir, id, exercise.id, "Dockerfile"), "FROM python:3.11-slim\n");
    }
    await c.grade();
    c.write_roster("  - { id: erin, name: Erin, path: erin }\n");
    const run = await c.grade();
    expect(Object.keys(every_output(c.history, run))).toEqual(["erin"]);
    const report = cohort_report(c.history);
    expect(report.removed).toEqual([{ id: "finn", name: "Finn" }]);
    for (const text of [report_csv(report), report_canvas(report).csv, report_moodle(report).csv]) expect(text).not.toContain("finn");
    expect(c.history.results().some((r) => r.student_id === "finn")).toBe(true);
    c.history.close();
  });

  test("an unreachable repository is no zero anywhere: unknown in the terminal, JSON, CSV and HTML, left out of Canvas and Moodle", async () => {
    const c = setup(`  - { id: gus, name: Gus, repo: "file://${root}/no-such-repo" }\n`);
    const run = await c.grade();
    expect(every_output(c.history, run).gus).toEqual(unknown);
    const report = cohort_report(c.history);
    expect(report_canvas(report).left_out).toEqual([{ id: "gus", name: "Gus", why: "unfetchable" }]);
    c.history.close();
  });
});

describe("what the report says of a class's history", () => {
  test("a forced regrade of an unchanged submission is the same attempt: nobody becomes stuck by it", async () => {
    const c = setup("  - { id: hana, name: Hana, path: hana }\n");
    fs.mkdirSync(path.join(c.dir, "hana", exercise.id), { recursive: true });
    fs.writeFileSync(path.join(c.dir, "hana", exercise.id, "Dockerfile"), "FROM python:3.11-slim\n");
    await c.grade();
    await c.grade({ force: true });
    await c.grade({ force: true });
    expect(cohort_report(c.history).stuck).toEqual([]);
    // A new submission failing the same check is a second attempt: stuck now.
    fs.appendFileSync(path.join(c.dir, "hana", exercise.id, "Dockerfile"), "RUN true\n");
    await c.grade();
    expect(cohort_report(c.history).stuck).toEqual([{ student_id: "hana", exercise_id: exercise.id, check: "CMD en forme exec", times: 2 }]);
    c.history.close();
  });

  test("a commit dated before the deadline but first fetched after it is flagged: possible, then certain", async () => {
    const c = setup("");
    const repo = path.join(c.dir, "ivy-src");
    fs.mkdirSync(repo);
    git(repo, ["init", "-q"]);
    commit(repo, "FROM python:3.11-slim\n", "2026-11-01T10:00:00Z");
    c.write_roster(`  - { id: ivy, name: Ivy, repo: "file://${repo}" }\n`);
    await c.grade();
    // The deadline falls after that first fetch.
    await new Promise((r) => setTimeout(r, 20));
    const deadline = new Date();
    const deadline_text = deadline.toISOString();
    await new Promise((r) => setTimeout(r, 20));
    // Pushed now, dated the day before the deadline: the next fetch is the first to see it, and the one before was before the deadline.
    const backdated = commit(repo, "FROM python:3.11-slim\n# bon\n", new Date(deadline.getTime() - 86_400_000).toISOString());
    await c.grade({ deadline: deadline_text });
    let report = cohort_report(c.history);
    expect(report.students[0]).toMatchObject({ commit_graded: backdated, pushed_late: "possible" });
    // Another back-dated commit, after a fetch that was already past the deadline without it: certainly late.
    const again = commit(repo, "FROM python:3.11-slim\n# bon\n# encore\n", new Date(deadline.getTime() - 3_600_000).toISOString());
    await c.grade({ deadline: deadline_text });
    report = cohort_report(c.history);
    expect(report.students[0]).toMatchObject({ commit_graded: again, pushed_late: "certain" });
    expect(read_csv(report_csv(report))[1]!.fields[5]).toBe("certain");
    expect(report_html(report)).toContain("poussé après la date limite");
    c.history.close();
  });

  test("a deadline that does not exist is refused; one with its zone is read in it", () => {
    for (const bad of ["2026-02-30T10:00+01:00", "2026-04-31T10:00Z", "2027-02-29T10:00Z", "2026-12-15T24:00Z", "2026-12-15T23:59", "15/12/2026"]) {
      expect(parse_deadline(bad), bad).toBeUndefined();
    }
    expect(parse_deadline("2028-02-29T23:59+01:00")?.toISOString()).toBe("2028-02-29T22:59:00.000Z");
  });
});
