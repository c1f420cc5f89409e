// Deadlines and late credit from the roster, teachers' overrides and the
// students' own attempts, through grade_cohort with a stand-in for the
// grading pipeline (every submission gets 10/10; the real pipeline is
// graded in cohort-teacher.docker.test.ts) on git repositories whose commits
// are dated: what each output gives is the credited grade, raw beside it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { load_exercise, default_course_root } from "../grader/course/course.js";
import {
  class_standing, cohort_report, credit_at, grade_cohort, History, parse_duration, parse_roster, report_canvas, report_csv, rule_of, RosterError, timeline_end,
  type WorkerGrader,
} from "../grader/cohort/index.js";
import { read_csv } from "../grader/cohort/csv.js";
import { dockerlings } from "./helpers/cli.js";
import type { GradedExercise } from "../grader/result.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-late-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const course_root = default_course_root();
const exercise = load_exercise(course_root, "01-premier-dockerfile");

function issues_of(text: string): string[] {
  try {
    parse_roster(text, "/c/cohort.yaml");
  } catch (error) {
    if (error instanceof RosterError) return error.issues.map((i) => `${i.line}: ${i.message}`);
    throw error;
  }
  throw new Error("accepted");
}

describe("deadlines in the roster", () => {
  const yaml = `deadline: 2026-12-15T23:59+01:00
late:
  - { until: 1d, credit: 0.8 }
  - { until: 7d, credit: 50% }
sections:
  groupe-a: { deadline: 2026-12-14T23:59+01:00 }
  groupe-b:
    late: []
students:
  - { id: ana, section: groupe-a, path: a }
  - { id: ben, section: groupe-b, path: b, deadline: 2026-12-20T12:00Z }
  - { id: cleo, path: c }
`;
  const roster = parse_roster(yaml, "/c/cohort.yaml");
  const [ana, ben, cleo] = roster.students;

  test("a student's entry beats their section's, which beats the course's, field by field", () => {
    expect(rule_of(roster, ana!)).toMatchObject({ deadline: new Date("2026-12-14T22:59Z"), deadline_from: "section", late_from: "course" });
    expect(rule_of(roster, ben!)).toMatchObject({ deadline: new Date("2026-12-20T12:00Z"), deadline_from: "student", late: [], late_from: "section" });
    expect(rule_of(roster, cleo!)).toMatchObject({ deadline: new Date("2026-12-15T22:59Z"), deadline_from: "course" });
    // --deadline of the command stands for the course's: sections and students still beat it.
    expect(rule_of(roster, cleo!, new Date("2026-12-01T00:00Z")).deadline).toEqual(new Date("2026-12-01T00:00Z"));
    expect(rule_of(roster, ana!, new Date("2026-12-01T00:00Z")).deadline).toEqual(new Date("2026-12-14T22:59Z"));
  });

  test("the credit timeline: full until the deadline, each step until its end, then nothing", () => {
    const rule = rule_of(roster, cleo!);
    const at = (iso: string) => credit_at(rule, new Date(iso));
    expect([at("2026-12-15T22:59Z"), at("2026-12-16T10:00Z"), at("2026-12-18T10:00Z"), at("2026-12-30T10:00Z")]).toEqual([1, 0.8, 0.5, 0]);
    expect(timeline_end(rule)).toEqual(new Date("2026-12-22T22:59Z"));
    expect(timeline_end(rule_of(roster, ben!))).toEqual(new Date("2026-12-20T12:00Z"));
    expect([parse_duration("1d12h"), parse_duration("36h"), parse_duration("2w"), parse_duration("1x")]).toEqual([129_600_000, 129_600_000, 1_209_600_000, undefined]);
  });

  test("every problem with its line, all at once", () => {
    expect(
      issues_of(`deadline: 2026-02-30T10:00Z
late:
  - { until: 2d, credit: 0.8 }
  - until: 3d
    credit: 2
  - { until: 1d, credit: 0.1 }
sections:
  a: { deadline: demain, foo: 1 }
  c: { late: [{ until: 1x, credit: 1 }] }
students:
  - { id: ana, section: b, path: a }
  - id: ben
    path: b
    deadline: 2026-13-01T00:00Z
    late: 3
  - { id: cleo, path: c, lang: de }
`),
    ).toEqual([
      "1: date limite « 2026-02-30T10:00Z » : attendu une date ISO 8601 qui existe, avec son fuseau (ex. 2026-12-15T23:59+01:00)",
      "5: palier 2 : credit « 2 » : attendu une part des points entre 0 et 1 (ex. 0.8) ou un pourcentage (80%)",
      "6: palier 3 : until doit venir après celui du palier 1 (les paliers se suivent dans le temps)",
      "8: section « a » : champ(s) inconnu(s) foo (les champs sont deadline et late)",
      "8: section « a » : date limite « demain » : attendu une date ISO 8601 qui existe, avec son fuseau (ex. 2026-12-15T23:59+01:00)",
      "9: section « c » : palier 1 : until « 1x » : attendu une durée après la date limite (ex. 1d, 36h, 1d12h, 2w)",
      "11: section « b » de « ana » absente de sections: (a, c) : ajoutez-la, ou corrigez son nom",
      "14: étudiant « ben » : date limite « 2026-13-01T00:00Z » : attendu une date ISO 8601 qui existe, avec son fuseau (ex. 2026-12-15T23:59+01:00)",
      "15: étudiant « ben » : late : attendu une liste de paliers { until: 1d, credit: 0.8 } (une liste vide : rien après la date limite)",
      "16: lang « de » : attendu fr ou en (la langue de la page de l'étudiant)",
    ]);
  });

  test("a CSV roster gives a student's own deadline, checked with its line", () => {
    const csv = parse_roster("id,path,deadline\nana,a,2026-12-20T12:00Z\nben,b,\n", "/c/roster.csv");
    expect(csv.students.map((s) => s.rule?.deadline?.toISOString())).toEqual(["2026-12-20T12:00:00.000Z", undefined]);
    expect(() => parse_roster("id,path,deadline\nana,a,bientôt\n", "/c/roster.csv")).toThrow(/ligne 2 : étudiant « ana » : date limite « bientôt »/);
  });
});

/** A repository whose commits are made at the dates given, each holding exercise 01 and, when asked, a history of attempts. */
function repository(name: string, dates: string[], history?: string): string {
  const dir = path.join(root, "depots", name);
  fs.mkdirSync(path.join(dir, exercise.id), { recursive: true });
  for (const [i, date] of dates.entries()) {
    fs.writeFileSync(path.join(dir, exercise.id, "Dockerfile"), `FROM python:3.11-slim\n# ${name} ${i}\n`);
    if (history && i === dates.length - 1) {
      fs.mkdirSync(path.join(dir, ".dockerlings"), { recursive: true });
      fs.writeFileSync(path.join(dir, ".dockerlings", "history.jsonl"), history);
    }
    const env = { ...process.env, GIT_AUTHOR_NAME: "s", GIT_AUTHOR_EMAIL: "s@example.org", GIT_COMMITTER_NAME: "s", GIT_COMMITTER_EMAIL: "s@example.org", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    if (i === 0) execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q"], { cwd: dir, env });
    execFileSync("git", ["add", "-A"], { cwd: dir, env });
    execFileSync("git", ["commit", "-q", "-m", date], { cwd: dir, env });
  }
  return `file://${dir}`;
}

const full = (): GradedExercise => ({
  version: 3, exercise: exercise.id, status: "pass", points: 10, max_points: 10,
  tests: [{ name: "visible", status: "pass", points: 8, max_points: 8 }, { name: "réservée", status: "pass", points: 2, max_points: 2, visible: "after_deadline" }],
});
const stand_in = (): WorkerGrader => ({ grade: async (items) => items.map(() => full()), restart: async () => {}, close: async () => {} });

describe("late credit, overrides and attempts through a class's grading", () => {
  // The course's deadline 15 Dec 23:59 UTC, 80 % for a day, 50 % for a week; section b has no late steps; dan has an extension.
  const history_lines = [
    '{"time":"2026-12-10T10:00:00Z","exercise":"01-premier-dockerfile","points":2,"hints":0}',
    '{"time":"2026-12-10T10:04:00Z","exercise":"01-premier-dockerfile","points":4,"hints":1}',
    "not a line",
    '{"time":"2026-12-10T10:09:00Z","exercise":"01-premier-dockerfile","points":8,"hints":1}',
    '{"time":"2026-12-10T10:12:00Z","exercise":"01-premier-dockerfile","points":8,"hints":1}',
  ].join("\n");
  let history: History;
  let roster: ReturnType<typeof parse_roster>;

  test("each commit graded with its student's deadline and credited by when it was made", async () => {
    const yaml = `deadline: 2026-12-15T23:59Z
late:
  - { until: 1d, credit: 0.8 }
  - { until: 7d, credit: 0.5 }
sections:
  b: { late: [] }
students:
  - { id: ana, repo: "${repository("ana", ["2026-12-14T10:00Z"], history_lines)}" }
  - { id: ben, repo: "${repository("ben", ["2026-12-14T10:00Z", "2026-12-16T10:00Z"])}" }
  - { id: cleo, repo: "${repository("cleo", ["2026-12-18T10:00Z"])}" }
  - { id: dan, repo: "${repository("dan", ["2026-12-19T10:00Z"])}", deadline: 2026-12-20T23:59Z }
  - { id: eve, section: b, repo: "${repository("eve", ["2026-12-14T10:00Z", "2026-12-16T10:00Z"])}" }
  - { id: fay, repo: "${repository("fay", ["2026-12-30T10:00Z"])}" }
`;
    roster = parse_roster(yaml, path.join(root, "cohort.yaml"));
    history = History.open(path.join(root, "late.db"));
    await grade_cohort({
      roster, history, course_root, exercises: [exercise], course_version: "c", grader_version: "g",
      cache_dir: path.join(root, "cache"), concurrency: 2, open_grader: stand_in,
    });
    const truth = class_standing(history);
    const of = (id: string) => truth.students.find((s) => s.student.id === id)!;
    // ana on time; ben's late commit (+10 h) at 80 %; cleo +2 days at 50 %; dan within his extension; eve's section
    // has no late steps: her last commit before the deadline; fay after the whole timeline: no commit to grade.
    expect(["ana", "ben", "cleo", "dan", "eve", "fay"].map((id) => [id, of(id).points, of(id).raw_points])).toEqual([
      ["ana", 10, 10], ["ben", 8, 10], ["cleo", 5, 10], ["dan", 10, 10], ["eve", 10, 10], ["fay", 0, 0],
    ]);
    expect(of("ben").exercises[0]!.credit).toBe(0.8);
    expect(of("fay").exercises[0]!.state).toBe("no-commit-before-deadline");
    const subs = history.submissions();
    expect(subs.find((s) => s.student_id === "dan")).toMatchObject({ deadline: "2026-12-20T23:59:00.000Z", credit: null });
    expect(subs.find((s) => s.student_id === "ben")).toMatchObject({ credit: 0.8, late_ms: 10 * 3_600_000 + 60_000 });
  });

  test("every export carries the credited grade and says so; the raw one beside it", () => {
    const report = cohort_report(history);
    expect(report.points_are).toBe("credited");
    const [head, ...rows] = read_csv(report_csv(report));
    const col = (name: string) => head!.fields.indexOf(name);
    const ben = rows.find((r) => r.fields[0] === "ben")!.fields;
    expect([ben[col("01-premier-dockerfile")], ben[col("total_credited")], ben[col("total_raw")], ben[col("late_credit")], ben[col("deadline")]]).toEqual([
      "8", "8", "10", "0.8", "2026-12-15T23:59:00.000Z",
    ]);
    const canvas = read_csv(report_canvas(report, "TP (1)").csv);
    expect(canvas.find((r) => r.fields[0] === "ben")!.fields.at(-1)).toBe("8");
  });

  test("an override replaces the grade everywhere, is kept through a forced regrade, and withdrawn by a clear", async () => {
    history.record_override({ student_id: "cleo", exercise_id: exercise.id, points: 9, reason: "certificat médical", by: "prof" });
    await grade_cohort({
      roster, history, course_root, exercises: [exercise], course_version: "c", grader_version: "g",
      cache_dir: path.join(root, "cache"), concurrency: 2, force: true, open_grader: stand_in,
    });
    const report = cohort_report(history);
    const cleo = report.students.find((s) => s.id === "cleo")!;
    expect(cleo.points).toBe(9);
    expect(cleo.cells[exercise.id]!.override).toMatchObject({ points: 9, reason: "certificat médical", by: "prof" });
    expect(cleo.raw_points).toBe(10);
    const [head, ...rows] = read_csv(report_csv(report));
    expect(rows.find((r) => r.fields[0] === "cleo")!.fields[head!.fields.indexOf("overrides")]).toBe(`${exercise.id}=9 (certificat médical, prof)`);
    history.record_override({ student_id: "cleo", exercise_id: exercise.id, points: null, reason: "—", by: "prof" });
    expect(class_standing(history).students.find((s) => s.student.id === "cleo")!.points).toBe(5);
  });

  test("attempts and time to pass from the student's own history; the points they could see are what passing is", () => {
    const report = cohort_report(history);
    // 8 of 10 points visible (2 held back): passed on the 3rd readable line, 4 + 5 minutes in.
    expect(report.students.find((s) => s.id === "ana")!.attempts[exercise.id]).toEqual({
      attempts: 4, time_spent_ms: 12 * 60_000, passed_at: "2026-12-10T10:09:00Z", attempts_to_pass: 3, time_to_pass_ms: 9 * 60_000,
    });
    expect(report.exercises[0]!.attempts).toEqual({ students: 1, passed: 1, median_attempts_to_pass: 3, median_time_to_pass_ms: 9 * 60_000 });
    expect(report.students.find((s) => s.id === "ben")!.attempts).toEqual({});
    history.close();
  });
});

describe("cohort override, as a teacher types it", () => {
  const db = path.join(root, "late.db");
  const cli = (args: string[]) => dockerlings(["cohort", "override", ...args, "--db", db], { cwd: root });

  test("sets a grade with who and why; the report shows it; --clear withdraws it", async () => {
    const set = await cli(["ben", "01", "--points", "10", "--reason", "panne du serveur le jour J", "--by", "Mme Prof"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^✎ ben · 01-premier-dockerfile : 10\/10 \(les corrections donnaient 8\) — panne du serveur le jour J — Mme Prof, \d{4}-\d\d-\d\d \d\d:\d\d/);
    const report = await dockerlings(["cohort", "report", "--db", db], { cwd: root });
    expect(report.stdout).toMatch(/^ {2}✎ {2}ben 10\/10$/m);
    expect(report.stdout).toMatch(/^ {2}✓ {2}cleo 5\/10 \(brut 10\)$/m);
    const clear = await cli(["ben", "01-premier-dockerfile", "--clear"]);
    expect(clear.stdout).toMatch(/ben · 01-premier-dockerfile : correction retirée, la note est de nouveau celle des corrections : 8\/10\./);
  }, 60_000);

  test("each mistake says what to do, and nothing is written", async () => {
    const before = fs.statSync(db).mtimeMs;
    const cases: [string[], RegExp][] = [
      [["zoe", "01", "--points", "3", "--reason", "x"], /Étudiant inconnu de l'historique : « zoe »\. Les étudiants sont : ana, ben, cleo, dan, eve, fay\./],
      [["ben", "07", "--points", "3", "--reason", "x"], /Exercice inconnu de l'historique : « 07 »\. Les exercices corrigés sont : 01-premier-dockerfile\./],
      [["ben", "01", "--points", "12", "--reason", "x"], /--points attend un nombre de 0 à 10 \(les points de l'exercice\), pas « 12 »\./],
      [["ben", "01", "--points", "5"], /--reason TEXTE est demandé/],
      [["ben", "01"], /Donnez la note \(--points N --reason TEXTE\) ou retirez la correction \(--clear\)/],
      [["ben", "01", "--clear"], /Aucune correction en vigueur pour ben · 01-premier-dockerfile : rien à retirer\./],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr.replace(/\s+/g, " ")).toMatch(message);
    }
    const none = await dockerlings(["cohort", "override", "ben", "01", "--points", "1", "--reason", "x", "--db", path.join(root, "none.db")], { cwd: root });
    expect(none.stderr.replace(/\s+/g, " ")).toContain("Corrigez d'abord la classe : dockerlings cohort grade ROSTER --db");
    expect(fs.existsSync(path.join(root, "none.db"))).toBe(false);
    expect(fs.statSync(db).mtimeMs).toBe(before);
  }, 60_000);
});
