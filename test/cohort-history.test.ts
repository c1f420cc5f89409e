// The cohort's history and what is computed from it, on a history filled by
// hand (no engine): the schema and its version, reuse of unchanged results,
// the report model, the gradebook files (golden), and the merge's refusals.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import {
  History,
  HistoryError,
  SCHEMA_VERSION,
  cohort_report,
  report_csv,
  report_canvas,
  report_moodle,
  report_json,
  report_html,
  merge_histories,
  MergeRefusedError,
  parse_roster,
  shard_of,
  parse_shard,
  students_of,
  type Roster,
} from "../grader/cohort/index.js";
import { sqlite } from "../grader/cohort/history.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-history-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const db_path = (name = "h"): string => path.join(root, `${name}-${n++}.db`);

const roster: Roster = parse_roster(
  `students:
  - { id: alice, name: Alice Martin, path: a, section: B1, sis_id: "20261234", email: alice@example.org }
  - { id: bob, name: "Durand, Bob", path: b, section: B1 }
  - { id: chloe, name: Chloé, repo: "https://git.example.org/chloe/tp.git" }
  - { id: dan, name: Dan, path: d }
`,
  path.join(root, "cohort.yaml"),
);

const versions = { course_version: "dockerlings@0.1.0", grader_version: "0.1.0", roster_digest: roster.digest };
const check = (name: string, ok: boolean, points: number, message?: string) => ({ name, status: ok ? "pass" : "fail", points: ok ? points : 0, max_points: points, ...(message ? { message } : {}) });
const result = (exercise_id: string, checks: ReturnType<typeof check>[], digest = "d1", extra: { status?: "error"; error_kind?: string; message?: string } = {}) => {
  const points = checks.reduce((s, c) => s + c.points, 0);
  const max_points = checks.reduce((s, c) => s + c.max_points, 0) || 10;
  return {
    exercise_id,
    submission_digest: digest,
    exercise_digest: `e-${exercise_id}`,
    status: extra.status ?? (checks.every((c) => c.status === "pass") ? ("pass" as const) : ("fail" as const)),
    points,
    max_points,
    attempts: 1,
    checks,
    ...(extra.error_kind ? { error_kind: extra.error_kind, message: extra.message } : {}),
  };
};

/** Two runs: bob fails the same check twice (stuck), chloe's repository is unreachable, dan's folder is missing, alice passes. */
function fill(history: History, shard?: string, only?: string[]): void {
  history.record_students(roster.students);
  const take = (id: string) => !only || only.includes(id);
  const exercises = [{ id: "01-premier", max_points: 10 }, { id: "02-couches", max_points: 10 }];
  const run1 = history.start_run({ ...versions, ...(shard ? { shard } : {}), exercises, options: {} });
  if (take("alice"))
    history.record_submission(run1, { student_id: "alice", status: "graded", commit_graded: "a1a1a1a1a1a1a1a1" }, [
      result("01-premier", [check("construit", true, 4), check("CMD", true, 6)]),
      result("02-couches", [check("cache", false, 5, "Ligne 3 : COPY . avant RUN pip install\ndétail"), check("taille", true, 5)]),
    ]);
  if (take("bob"))
    history.record_submission(run1, { student_id: "bob", status: "graded" }, [
      result("01-premier", [check("construit", true, 4), check("CMD", false, 6, "CMD en forme shell")]),
      result("02-couches", [check("cache", false, 5, "Ligne 3 : COPY . avant RUN pip install"), check("taille", false, 5, "trop grosse")]),
    ]);
  if (take("chloe")) history.record_submission(run1, { student_id: "chloe", status: "unfetchable", message: "https://git.example.org/chloe/tp.git : introuvable" }, []);
  if (take("dan")) history.record_submission(run1, { student_id: "dan", status: "missing", message: "le dossier d n'existe pas" }, []);
  history.finish_run(run1);
  const run2 = history.start_run({ ...versions, ...(shard ? { shard } : {}), exercises, options: {} });
  if (take("alice")) history.record_submission(run2, { student_id: "alice", status: "graded", commit_graded: "a2a2a2a2a2a2a2a2" }, [result("02-couches", [check("cache", true, 5), check("taille", true, 5)], "d2")]);
  if (take("bob"))
    history.record_submission(run2, { student_id: "bob", status: "graded" }, [
      result("01-premier", [check("construit", true, 4), check("CMD", false, 6, "CMD en forme shell")], "d2"),
      result("02-couches", [], "d1", { status: "error", error_kind: "engine", message: "le moteur ne répond plus" }),
    ]);
  if (take("chloe")) history.record_submission(run2, { student_id: "chloe", status: "unfetchable", message: "https://git.example.org/chloe/tp.git : introuvable" }, []);
  if (take("dan")) history.record_submission(run2, { student_id: "dan", status: "missing", message: "le dossier d n'existe pas" }, []);
  history.finish_run(run2);
}

describe("the history file", () => {
  test("without better-sqlite3 (an optional dependency), opening one says what to install, and nothing else needs it", () => {
    const missing = (): never => {
      throw new Error("Cannot find module 'better-sqlite3'\nRequire stack: ...");
    };
    expect(() => sqlite(missing)).toThrow(HistoryError);
    expect(() => sqlite(missing)).toThrow(/better-sqlite3.*Cannot find module 'better-sqlite3'\).*npm install better-sqlite3@12/);
    expect(sqlite()).toBe(Database);
  });

  test("is created with the current schema version, in WAL mode", () => {
    const file = db_path();
    const history = History.open(file);
    history.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name)).toEqual([
      "attempts",
      "checks",
      "commits",
      "meta",
      "overrides",
      "results",
      "run_exercises",
      "runs",
      "sessions",
      "students",
      "submissions",
    ]);
    db.close();
  });

  test("a newer schema is refused with what to do; a report needs an existing file", () => {
    const file = db_path();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => History.open(file)).toThrow(/plus récent .*mettez dockerlings à jour/);
    expect(() => History.open(path.join(root, "none.db"), { readonly: true })).toThrow(HistoryError);
    expect(fs.existsSync(path.join(root, "none.db"))).toBe(false);
  });

  test("a result is reused only with the same submission, exercise and versions, and never an error", () => {
    const history = History.open(db_path());
    fill(history);
    const key = { submission_digest: "d2", exercise_digest: "e-02-couches", course_version: versions.course_version, grader_version: versions.grader_version };
    expect(history.reusable("alice", "02-couches", key)).toMatchObject({ status: "pass", points: 10 });
    expect(history.reusable("alice", "02-couches", { ...key, submission_digest: "d3" })).toBeUndefined();
    expect(history.reusable("alice", "02-couches", { ...key, exercise_digest: "other" })).toBeUndefined();
    expect(history.reusable("alice", "02-couches", { ...key, grader_version: "0.2.0" })).toBeUndefined();
    expect(history.reusable("alice", "02-couches", { ...key, course_version: "dockerlings@0.2.0" })).toBeUndefined();
    // bob's 02 with d1: failed in run 1 (reusable), then an engine error in run 2 (not).
    expect(history.reusable("bob", "02-couches", { ...key, submission_digest: "d1" })).toMatchObject({ run_id: 1, status: "fail" });
    history.close();
  });
});

describe("a history written by the first schema", () => {
  test("is migrated when opened: the runs' exercises are read from their options, and the report reads it", () => {
    const file = db_path("v1");
    const db = new Database(file);
    // Version 1 exactly as it was created (the migration's first step), then one run with a result.
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, course_version TEXT NOT NULL, grader_version TEXT NOT NULL, roster_digest TEXT NOT NULL, shard TEXT, options TEXT NOT NULL);
      CREATE TABLE students (id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL, section TEXT, email TEXT, source TEXT NOT NULL);
      CREATE TABLE submissions (run_id INTEGER NOT NULL, student_id TEXT NOT NULL, status TEXT NOT NULL, commit_graded TEXT, commit_time TEXT, commit_latest TEXT, latest_time TEXT, message TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (run_id, student_id));
      CREATE TABLE results (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, student_id TEXT NOT NULL, exercise_id TEXT NOT NULL, submission_digest TEXT NOT NULL, exercise_digest TEXT NOT NULL, commit_graded TEXT, status TEXT NOT NULL, points REAL NOT NULL, max_points REAL NOT NULL, message TEXT, error_kind TEXT, attempts INTEGER NOT NULL, duration_ms INTEGER, graded_at TEXT NOT NULL, UNIQUE (run_id, student_id, exercise_id));
      CREATE INDEX results_by_student ON results (student_id, exercise_id, id);
      CREATE TABLE sessions (id TEXT PRIMARY KEY, student_id TEXT NOT NULL, started_at TEXT NOT NULL);
      CREATE TABLE checks (result_id INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, points REAL NOT NULL, max_points REAL NOT NULL, message TEXT, PRIMARY KEY (result_id, position));
      INSERT INTO runs VALUES (1, '2026-12-01T10:00:00Z', '2026-12-01T10:05:00Z', 'c', 'g', 'r', NULL, '{"exercises":["01-premier"],"deadline":null}');
      INSERT INTO students VALUES ('alice', 'Alice', 0, NULL, NULL, '{}');
      INSERT INTO submissions VALUES (1, 'alice', 'graded', NULL, NULL, NULL, NULL, NULL, '2026-12-01T10:01:00Z');
      INSERT INTO results VALUES (1, 1, 'alice', '01-premier', 'd', 'e', NULL, 'error', 0, 10, 'Soumission refusée : un lien', 'refused', 1, NULL, '2026-12-01T10:01:00Z');
      PRAGMA user_version = 1;
    `);
    db.close();
    const history = History.open(file);
    expect(history.run_exercises()).toEqual([{ run_id: 1, exercise_id: "01-premier", max_points: 10 }]);
    const report = cohort_report(history);
    history.close();
    // A refusal recorded as an error by the first version is read as what it is: the student's fail, 0 points.
    expect(report.students[0]).toMatchObject({ id: "alice", points: 0, cells: { "01-premier": { state: "fail", points: 0 } } });
  });
});

describe("the report", () => {
  const history = History.open(db_path());
  fill(history);
  const report = cohort_report(history);
  history.close();

  test("one truth per student and exercise: the latest run that looked decides; errors and unreachable repositories are unknown, not zero", () => {
    expect(report.exercises.map((e) => [e.id, e.graded, e.passed])).toEqual([
      ["01-premier", 2, 1],
      ["02-couches", 1, 1], // bob's 02 is an error: not counted as graded
    ]);
    const [alice, bob, chloe, dan] = report.students;
    expect(alice).toMatchObject({ points: 20, errors: [], failures: [], commit_graded: "a2a2a2a2a2a2a2a2", points_by_run: [{ run_id: 1, points: 15 }, { run_id: 2, points: 20 }] });
    expect(bob).toMatchObject({ points: null, known_points: 4, unknown: ["02-couches"], errors: ["02-couches"], failures: [{ exercise_id: "01-premier", check: "CMD", message: "CMD en forme shell" }] });
    expect(chloe).toMatchObject({ submission: "unfetchable", points: null, unknown: ["01-premier", "02-couches"] });
    expect(dan).toMatchObject({ submission: "missing", points: 0, cells: { "01-premier": { state: "no-submission", points: 0 } } });
    expect(report.stuck).toEqual([{ student_id: "bob", exercise_id: "01-premier", check: "CMD", times: 2 }]);
    expect(report.no_submission.map((s) => s.student_id)).toEqual(["chloe", "dan"]);
    expect(report.most_failed[0]).toMatchObject({ exercise_id: "01-premier", name: "CMD", failed_by: ["bob"], messages: [{ message: "CMD en forme shell", count: 1 }] });
    // The mean of the totals known after each run: run 1 alice 15, bob 4, dan 0; run 2 alice 20, dan 0 (bob's is not known).
    expect(report.runs.map((r) => [r.mean_points, r.graded])).toEqual([[6.33, 3], [10, 2]]);
  });

  // Golden files: what a spreadsheet, Canvas and Moodle get, byte for byte (their importers' rules: formats-gradebooks.test.ts).
  test("CSV: one row per student, one column per exercise, the total (a grade not known is never a zero)", () => {
    expect(report_csv(report)).toBe(
      [
        "id,name,section,submission,commit,pushed_late,01-premier,02-couches,total_credited,total_raw,max_points,deadline,late_credit,overrides",
        "alice,Alice Martin,B1,graded,a2a2a2a2a2a2,,10,10,20,20,20,,,",
        'bob,"Durand, Bob",B1,graded,,,4,error,,,20,,,',
        "chloe,Chloé,,unfetchable,,,unfetchable,unfetchable,,,20,,,",
        "dan,Dan,,missing,,,0,0,0,0,20,,,",
        "",
      ].join("\r\n"),
    );
  });

  test("Canvas: its header, the Points Possible row, SIS ids from the roster; the unknown grades left out and named", () => {
    const canvas = report_canvas(report, "TP Docker (4242)");
    expect(canvas.csv).toBe(
      ["Student,ID,SIS User ID,SIS Login ID,Section,TP Docker (4242)", "Points Possible,,,,,20", "Alice Martin,,20261234,alice@example.org,B1,20", "Dan,,,,,0", ""].join("\r\n"),
    );
    expect(canvas.left_out.map((s) => [s.id, s.why])).toEqual([["bob", "error: 02-couches"], ["chloe", "unfetchable"]]);
    expect(canvas.warnings).toEqual([{ kind: "name_only", ids: ["dan"] }]);
    expect(report_canvas(report, "TP Docker").warnings).toContainEqual({ kind: "new_assignment", assignment: "TP Docker" });
  });

  test("Moodle: username, email when the roster has one, the grade out of 100 (or raw); the unknown grades left out", () => {
    const moodle = report_moodle(report, { assignment: "TP Docker" });
    expect(moodle.csv).toBe(["username,email,TP Docker", "alice,alice@example.org,100", "dan,,0", ""].join("\r\n"));
    expect(moodle.left_out.map((s) => s.id)).toEqual(["bob", "chloe"]);
    expect(report_moodle(report, { assignment: "TP Docker", scale: "raw" }).csv.split("\r\n")[1]).toBe("alice,alice@example.org,20");
    expect(report_moodle(report, { scale: 20 }).csv.split("\r\n")[1]).toBe("alice,alice@example.org,20");
  });

  test("JSON carries the whole model; HTML needs no network and escapes what students wrote", () => {
    expect(JSON.parse(report_json(report))).toMatchObject({ format: 3, points_are: "credited", max_points: 20, students: expect.any(Array) });
    const html = report_html(report);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain("Durand, Bob");
    expect(html.match(/<td class="cell /g)).toHaveLength(4 * 2);
  });
});

describe("shards", () => {
  test("a student's shard depends on their id only; every student in one shard", () => {
    expect(parse_shard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/3", "4/3", "1/0", "a/b", "1"]) expect(parse_shard(bad)).toBeUndefined();
    const ids = Array.from({ length: 60 }, (_, i) => `student-${i}`);
    const shards = ids.map((id) => shard_of(id, 3));
    expect(new Set(shards)).toEqual(new Set([1, 2, 3]));
    expect(ids.map((id) => shard_of(id, 3))).toEqual(shards);
    const all = [1, 2, 3].flatMap((index) => students_of(roster, { index, count: 3 }).map((s) => s.id));
    expect(all.sort()).toEqual(roster.students.map((s) => s.id).sort());
  });

  const shard_db = (index: number, count: number, change: Partial<typeof versions> = {}) => {
    const file = db_path(`shard-${index}`);
    const history = History.open(file);
    const mine = roster.students.filter((s) => shard_of(s.id, count) === index).map((s) => s.id);
    const saved = { ...versions };
    Object.assign(versions, change);
    try {
      fill(history, `${index}/${count}`, mine);
    } finally {
      Object.assign(versions, saved);
      history.close();
    }
    return file;
  };

  test("merged, they give the same report as one unsharded history", () => {
    const whole = History.open(db_path());
    fill(whole);
    const expected = cohort_report(whole);
    whole.close();
    const target = db_path("merged");
    const merged = merge_histories([shard_db(1, 3), shard_db(2, 3), shard_db(3, 3)], target);
    expect(merged.students).toBe(4);
    const history = History.open(target, { readonly: true });
    const got = cohort_report(history);
    history.close();
    expect(report_csv(got)).toBe(report_csv(expected));
    expect(got.students.map((s) => [s.id, s.points, s.submission])).toEqual(expected.students.map((s) => [s.id, s.points, s.submission]));
    // Each CI run of the matrix is one run of the class, with the same progression as unsharded, not one run per shard.
    expect(got.runs.map((r) => [r.shard, r.mean_points, r.graded])).toEqual([
      ["1/3 2/3 3/3", 6.33, 3],
      ["1/3 2/3 3/3", 10, 2],
    ]);
    expect(got.runs.map((r) => r.mean_points)).toEqual(expected.runs.map((r) => r.mean_points));
  });

  test("refuses a missing shard, a shard twice, another roster or version, an unsharded base, an existing target", () => {
    const [s1, s2, s3] = [shard_db(1, 3), shard_db(2, 3), shard_db(3, 3)];
    const refused = (files: string[], target = db_path("t")) => {
      try {
        merge_histories(files, target);
      } catch (error) {
        expect(error).toBeInstanceOf(MergeRefusedError);
        return (error as Error).message;
      }
      throw new Error("merged");
    };
    expect(refused([s1, s3])).toMatch(/shard\(s\) manquant\(s\) : 2\/3/);
    expect(refused([s1, s2, s3, shard_db(2, 3)])).toMatch(/le shard 2\/3 est donné deux fois/);
    expect(refused([s1, s2, shard_db(3, 3, { roster_digest: "other" })])).toMatch(/un autre roster/);
    expect(refused([s1, s2, shard_db(3, 3, { grader_version: "9.9.9" })])).toMatch(/correcteur 9\.9\.9/);
    expect(refused([s1, s2, shard_db(3, 3, { course_version: "x@2" })])).toMatch(/cours x@2/);
    const whole = db_path();
    const h = History.open(whole);
    fill(h);
    h.close();
    expect(refused([s1, s2, whole])).toMatch(/n'est pas la base d'un shard/);
    const existing = db_path("exists");
    fs.writeFileSync(existing, "");
    expect(refused([s1, s2, s3], existing)).toMatch(/existe déjà/);
  });

  test("refuses a student graded in two shards", () => {
    const file = db_path("twice");
    const history = History.open(file);
    const first = roster.students.find((s) => shard_of(s.id, 2) === 1)!.id;
    fill(history, "2/2", [...roster.students.filter((s) => shard_of(s.id, 2) === 2).map((s) => s.id), first]);
    history.close();
    const one = db_path("one");
    const h1 = History.open(one);
    fill(h1, "1/2", roster.students.filter((s) => shard_of(s.id, 2) === 1).map((s) => s.id));
    h1.close();
    expect(() => merge_histories([one, file], db_path("t"))).toThrow(new RegExp(`« ${first} » est dans deux shards`));
  });
});
