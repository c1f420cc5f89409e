// The gradebook files of `cohort report`, read by their importers' rules
// (test/helpers/importers.ts, ported from Canvas's GradebookImporter and
// upload script and Moodle's gradeimport_csv): what a teacher's upload would
// change in the LMS, not whether the bytes match our own golden file. Each
// rule also reads the file as dockerlings wrote it before (the "before"
// files, kept here verbatim): the rule fails on it, which is why it is held.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { History, cohort_report, parse_roster, report_canvas, report_moodle, type CohortReport } from "../grader/cohort/index.js";
import { canvas_import, moodle_import, type CanvasCourse, type MoodleSite } from "./helpers/importers.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-gradebooks-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * A class on a course worth 200 points: alice 200 (SIS id and email in the
 * roster), Bob-D 120 (a GitHub login and an email), chloe's repository
 * unreachable, dan's grading errored. chloe and dan already have a grade in
 * the LMS from an earlier import.
 */
function class_report(): CohortReport {
  const roster = parse_roster(
    `students:
  - { id: alice, name: Alice Martin, path: a, section: B1, sis_id: "20261234", email: alice@example.org }
  - { id: Bob-D, name: Bob Durand, path: b, email: bob@example.org }
  - { id: chloe, name: Chloé Petit, repo: "https://git.example.org/chloe/tp.git", email: chloe@example.org }
  - { id: dan, name: Dan Roux, path: d, email: dan@example.org }
`,
    path.join(root, "cohort.yaml"),
  );
  const history = History.open(path.join(root, `h-${Date.now()}-${Math.random()}.db`));
  history.record_students(roster.students);
  const run = history.start_run({ course_version: "c", grader_version: "g", roster_digest: roster.digest, exercises: [{ id: "01-a", max_points: 100 }, { id: "02-b", max_points: 100 }], options: {} });
  const result = (exercise_id: string, points: number, status: "pass" | "fail" | "error" = points === 100 ? "pass" : "fail") => ({
    exercise_id,
    submission_digest: `${exercise_id}-${points}`,
    exercise_digest: "e",
    status,
    points,
    max_points: 100,
    attempts: 1,
    checks: [],
    ...(status === "error" ? { error_kind: "engine", message: "le moteur ne répond plus" } : {}),
  });
  history.record_submission(run, { student_id: "alice", status: "graded" }, [result("01-a", 100), result("02-b", 100)]);
  history.record_submission(run, { student_id: "Bob-D", status: "graded" }, [result("01-a", 100), result("02-b", 20)]);
  history.record_submission(run, { student_id: "chloe", status: "unfetchable", message: "introuvable" }, []);
  history.record_submission(run, { student_id: "dan", status: "graded" }, [result("01-a", 80), result("02-b", 0, "error")]);
  history.finish_run(run);
  const report = cohort_report(history);
  history.close();
  return report;
}

const report = class_report();

/** What dockerlings wrote before for the same class (its Canvas and Moodle files, byte for byte). */
const BEFORE = {
  canvas: ["Student,ID,SIS User ID,SIS Login ID,Section,Dockerfiles (dockerlings)", "Points Possible,,,,,200", "Alice Martin,,alice,alice,B1,200", "Bob Durand,,Bob-D,Bob-D,,120", "Chloé Petit,,chloe,chloe,,0", "Dan Roux,,dan,dan,,", ""].join("\r\n"),
  moodle: ["username,Dockerfiles", "alice,200", "Bob-D,120", "chloe,0", "dan,", ""].join("\r\n"),
};

describe("Canvas: the gradebook import (lib/gradebook_importer.rb, process_gradebook_upload.js)", () => {
  const course: CanvasCourse = {
    students: [
      { id: 11, name: "Alice Martin", sortable_name: "Martin, Alice", sis_user_id: "20261234", login_id: "alice@example.org" },
      { id: 12, name: "Bob Durand", sortable_name: "Durand, Bob", sis_user_id: "20265678", login_id: "bob@example.org" },
      { id: 13, name: "Chloé Petit", sortable_name: "Petit, Chloé", sis_user_id: "20269999", login_id: "chloe@example.org" },
      { id: 14, name: "Dan Roux", sortable_name: "Roux, Dan", sis_user_id: "20260000", login_id: "dan@example.org" },
    ],
    assignments: [{ id: 4242, title: "TP Docker", points_possible: 200 }],
    scores: new Map([
      ["4242:13", "150.0"],
      ["4242:14", "80.0"],
    ]),
  };

  test("a known grade is posted to the right student, matched by the roster's sis_id or email, in the assignment its id names", () => {
    const upload = canvas_import(report_canvas(report, "TP Docker (4242)").csv, course);
    expect(upload.error).toBeUndefined();
    expect(upload.columns).toEqual([{ header: "TP Docker (4242)", assignment: 4242, title: "TP Docker" }]);
    expect(upload.unmatched).toEqual([]);
    expect(Object.fromEntries(upload.posted)).toEqual({ "4242:11": "200", "4242:12": "120" });
  });

  test("a grade that is not known changes nothing: the student is not in the file, their score stays", () => {
    const upload = canvas_import(report_canvas(report, "TP Docker (4242)").csv, course);
    expect(upload.posted.has("4242:13")).toBe(false);
    expect(upload.posted.has("4242:14")).toBe(false);
    // Before: an empty cell, posted as null, cleared Dan's 80; Chloé's unreachable repository was posted as 0.
    const before = canvas_import(BEFORE.canvas.replace("Dockerfiles (dockerlings)", "TP Docker"), course);
    expect(before.posted.get("4242:14")).toBeNull();
    expect(before.posted.get("4242:13")).toBe("0");
  });

  test("SIS ids are the school's, never the roster's GitHub login; the column names an existing assignment only with its id", () => {
    // Before: SIS User ID and SIS Login ID both carried the roster id, which matches no pseudonym: rows fell back to names.
    const renamed = { ...course, students: course.students.map((s) => (s.id === 11 ? { ...s, name: "Alice M.", sortable_name: "M., Alice" } : s)) };
    expect(canvas_import(BEFORE.canvas, renamed).unmatched).toEqual(["Alice Martin"]);
    expect(report_canvas(report).warnings).not.toContainEqual(expect.objectContaining({ kind: "name_only" }));
    expect(canvas_import(report_canvas(report, "TP Docker (4242)").csv, renamed).unmatched).toEqual([]);
    // Before: the default column « Dockerfiles (dockerlings) » made Canvas create a new assignment.
    expect(canvas_import(BEFORE.canvas, course).columns[0]!.assignment).toBe("new");
    expect(report_canvas(report).warnings).toContainEqual({ kind: "new_assignment", assignment: "Dockerfiles (dockerlings)" });
  });
});

describe("Moodle: grade import from CSV (grade/import/csv/classes/load_data.php, lib/csvlib.class.php, grade/import/lib.php)", () => {
  const users = [
    { id: 21, username: "alice", email: "alice@example.org" },
    { id: 22, username: "bob-d", email: "bob@example.org" },
    { id: 23, username: "chloe", email: "chloe@example.org" },
    { id: 24, username: "dan", email: "dan@example.org" },
  ];
  const existing = (): MoodleSite => ({ users, target: { kind: "existing", grades: new Map([[23, 75], [24, 40]]) } });

  test("out of 100 by default: a course worth 200 imports on a site that does not allow unlimited grades", () => {
    const file = report_moodle(report, { assignment: "TP Docker" }).csv;
    const imported = moodle_import(file, { users, target: { kind: "new" } }, { from: "email", to: "useremail", grade: "TP Docker" });
    expect(imported.aborted).toBeUndefined();
    expect(Object.fromEntries(imported.grades)).toEqual({ 21: 100, 22: 60 });
    // Before: the raw 200 aborted the whole import.
    expect(moodle_import(BEFORE.moodle.replace("Bob-D", "bob-d"), { users, target: { kind: "new" } }, { from: "username", to: "username", grade: "Dockerfiles" }).aborted).toBe("gradevaluetoobig");
    // Raw points when asked, with the warning that says what the site must allow.
    expect(report_moodle(report, { scale: "raw" }).warnings).toContainEqual({ kind: "over_100", ids: ["alice", "Bob-D"] });
  });

  test("a grade that is not known changes nothing: the student is not in the file, their grade stays", () => {
    const file = report_moodle(report, { assignment: "TP Docker" }).csv;
    const imported = moodle_import(file, existing(), { from: "email", to: "useremail", grade: "TP Docker" });
    expect(imported.grades.get(23)).toBe(75);
    expect(imported.grades.get(24)).toBe(40);
    // Before: Dan's empty cell removed his grade from an existing item, and would be a 0 in a new one.
    const before = BEFORE.moodle.replace("Bob-D", "bob-d").replace("alice,200", "alice,100").replace("bob-d,120", "bob-d,60");
    expect(moodle_import(before, existing(), { from: "username", to: "username", grade: "Dockerfiles" }).grades.get(24)).toBeNull();
    expect(moodle_import(before, { users, target: { kind: "new" } }, { from: "username", to: "username", grade: "Dockerfiles" }).grades.get(24)).toBe(0);
  });

  test("one user Moodle does not know aborts the whole file: ids that are not usernames are named, and the email column maps instead", () => {
    const book = report_moodle(report, { assignment: "TP Docker" });
    expect(book.warnings).toContainEqual({ kind: "not_usernames", ids: ["Bob-D"] });
    expect(moodle_import(book.csv, { users, target: { kind: "new" } }, { from: "username", to: "username", grade: "TP Docker" }).aborted).toBe("usermappingerror");
    expect(moodle_import(book.csv, { users, target: { kind: "new" } }, { from: "email", to: "useremail", grade: "TP Docker" }).aborted).toBeUndefined();
  });

  test("mapped on email, a row without one aborts the whole import: students the roster gives no email are named", () => {
    const no_email = report.students.map((s) => (s.id === "Bob-D" ? { ...s, email: undefined } : s));
    const book = report_moodle({ ...report, students: no_email });
    expect(book.warnings).toContainEqual({ kind: "missing_email", ids: ["Bob-D"] });
    expect(moodle_import(book.csv, { users, target: { kind: "new" } }, { from: "email", to: "useremail", grade: "Dockerfiles" }).aborted).toBe("usermappingerrorusernotfound");
  });

  test("every row has the header's columns (csvlib: csvweirdcolumns otherwise)", () => {
    const rows = report_moodle(report).csv.trim().split("\r\n").map((l) => l.split(",").length);
    expect(new Set(rows).size).toBe(1);
  });
});
