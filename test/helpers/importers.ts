// The gradebooks' importers, ported from their source to the rules that
// decide what a teacher's upload does (each function cites where it comes
// from). They read a file as the LMS does and say what it would change, so
// that a test can hold our files to them rather than to our own golden files.
import { parse } from "csv-parse/sync";

// ---------------------------------------------------------------------------
// Canvas: instructure/canvas-lms, lib/gradebook_importer.rb (GradebookImporter)
// and ui/features/gradebook_uploads/jquery/process_gradebook_upload.js.
// ---------------------------------------------------------------------------

export interface CanvasUser {
  id: number;
  name: string;
  sortable_name: string;
  /** Pseudonym fields: SIS User ID and login (unique_id). */
  sis_user_id?: string;
  login_id?: string;
}

export interface CanvasCourse {
  students: CanvasUser[];
  assignments: { id: number; title: string; points_possible: number }[];
  /** Current scores: `${assignment id}:${user id}` -> score as Canvas exports it ("7.0"). */
  scores: Map<string, string>;
}

export interface CanvasUpload {
  error?: "Invalid header row";
  /** The assignment each grade column maps to: an existing id, or "new" (Canvas creates one). */
  columns: { header: string; assignment: number | "new"; title: string }[];
  /** Rows matched to no student of the course (ignored). */
  unmatched: string[];
  /** What the upload posts: `${assignment}:${user id}` -> posted_grade (null clears the score). */
  posted: Map<string, string | null>;
}

/** Assignment.title_and_id (app/models/assignment.rb). */
function title_and_id(text: string): [string, string | undefined] {
  const m = /^(.*)\s\((\d+)\)$/s.exec(text);
  return m ? [m[1]!, m[2]!] : [text, undefined];
}

const NON_ASSIGNMENT = /Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|Override Score|Override Grade|Override Status/;

export function canvas_import(csv: string, course: CanvasCourse): CanvasUpload {
  // csv_stream: Ruby's CSV with the `nil` converter: an empty unquoted field is nil, a quoted "" stays "".
  const rows = parse(csv, { bom: true, relax_column_count: true, cast: (value, ctx) => (value === "" && !ctx.quoting ? null : value) }) as (string | null)[][];
  const header = rows[0]!.map((h) => h ?? "");
  // header? / row_has_student_headers? / update_column_count
  if (!(header.length > 3 && header[0]!.includes("Student") && header[1]!.includes("ID"))) return { error: "Invalid header row", columns: [], unmatched: [], posted: new Map() };
  let student_columns = 3;
  let sis_user_col: number | undefined;
  let sis_login_col: number | undefined;
  if (/SIS\s+Login\s+ID/.test(header[2]!)) {
    sis_login_col = 2;
    student_columns += 1;
  } else if (/SIS\s+User\s+ID/.test(header[2]!) && /SIS\s+Login\s+ID/.test(header[3] ?? "")) {
    const i = /Integration\s+ID/.test(header[4] ?? "") ? 1 : 0;
    sis_user_col = 2;
    sis_login_col = 3;
    student_columns += 2 + i;
    if (/Root\s+Account/.test(header[4 + i] ?? "")) student_columns += 1;
  }
  if (!header[student_columns - 1]!.includes("Section")) return { error: "Invalid header row", columns: [], unmatched: [], posted: new Map() };
  // strip_non_assignment_columns / parse_assignments: an id in the title, else the exact title, else a new assignment.
  const columns = header
    .map((h, index) => ({ h, index }))
    .slice(student_columns)
    .filter(({ h }) => !NON_ASSIGNMENT.test(h))
    .map(({ h, index }) => {
      const [title, id] = title_and_id(h);
      const found = (id ? course.assignments.find((a) => a.id === Number(id)) : undefined) ?? course.assignments.find((a) => a.title === h);
      return { header: h, index, assignment: found ? found.id : ("new" as const), title: found ? found.title : title };
    });
  const upload: CanvasUpload = { columns: columns.map(({ header: h, assignment, title }) => ({ header: h, assignment, title })), unmatched: [], posted: new Map() };
  for (const row of rows.slice(1)) {
    // check_for_non_student_row: the Points Possible row, muted rows.
    if (row[0]?.includes("Points Possible")) continue;
    if (row.filter((c) => c !== null).every((c) => /^\s*(Muted|Manual Posting.*)?\s*$/i.test(c!))) continue;
    // process_student: Canvas ID, then SIS User ID, then SIS Login ID (pseudonyms of the course's students), then the name.
    const by_id = row[1] ? course.students.find((s) => s.id === Number(row[1])) : undefined;
    const by_sis = sis_user_col !== undefined && row[sis_user_col] ? course.students.find((s) => s.sis_user_id === row[sis_user_col!]) : undefined;
    const by_login = sis_login_col !== undefined && row[sis_login_col] ? course.students.find((s) => s.login_id === row[sis_login_col!]) : undefined;
    const by_name = course.students.find((s) => s.name === row[0] || s.sortable_name === row[0]);
    const student = by_id ?? by_sis ?? by_login ?? by_name;
    if (!student) {
      upload.unmatched.push(row[0] ?? "");
      continue;
    }
    for (const c of columns) {
      const grade = row[c.index]?.trim() ?? null;
      const key = `${c.assignment}:${student.id}`;
      const current = c.assignment === "new" ? undefined : course.scores.get(key);
      // no_change_to_value?: equal, or both without a score ("" or "-"), is no change; otherwise it is posted as is.
      const no_score = (v: string | null | undefined) => v === null || v === undefined || v.trim() === "" || v === "-";
      if (grade === current || (no_score(grade) && no_score(current))) continue;
      if (grade !== null && current !== undefined && !no_score(current) && Number(grade).toFixed(2) === Number(current).toFixed(2)) continue;
      // populateGradeDataPerSubmission: { posted_grade: submission.grade }
      upload.posted.set(key, grade);
    }
  }
  return upload;
}

// ---------------------------------------------------------------------------
// Moodle: moodle/moodle, grade/import/csv/classes/load_data.php
// (gradeimport_csv_load_data), lib/csvlib.class.php (csv_import_reader) and
// grade/import/lib.php (grade_import_commit).
// ---------------------------------------------------------------------------

export interface MoodleSite {
  users: { id: number; username: string; email: string }[];
  /** The grade item imported into: a new one (its name from the header), or an existing one's current grades. */
  target: { kind: "new" } | { kind: "existing"; grades: Map<number, number | null> };
  /** $CFG->unlimitedgrades and $CFG->gradepointmax. */
  unlimitedgrades?: boolean;
  gradepointmax?: number;
}

export interface MoodleImport {
  /** Why the whole import was cleaned up, if it was (nothing is then changed). */
  aborted?: "csvweirdcolumns" | "usermappingerror" | "usermappingerrorusernotfound" | "badgrade" | "gradevaluetoobig";
  /** The grades after the commit: user id -> grade (null: no grade). */
  grades: Map<number, number | null>;
}

export function moodle_import(csv: string, site: MoodleSite, mapping: { from: string; to: "username" | "useremail"; grade: string }): MoodleImport {
  const before = site.target.kind === "existing" ? new Map(site.target.grades) : new Map<number, number | null>();
  // load_csv_content: fgetcsv on the trimmed content; every row must have the header's columns.
  const rows = parse(csv.trim(), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = rows[0]!.map((h) => h.trim());
  if (rows.some((r) => r.length !== header.length)) return { aborted: "csvweirdcolumns", grades: before };
  const user_col = header.indexOf(mapping.from);
  const grade_col = header.indexOf(mapping.grade);
  const max = site.unlimitedgrades ? (site.gradepointmax ?? 100) : 100;
  const pending = new Map<number, number | null>();
  for (const row of rows.slice(1)) {
    if (row.length <= 1) continue;
    const who = row[user_col]!.trim();
    // map_user_data_with_value / check_user_exists: a user that does not exist aborts the whole import.
    const user = site.users.find((u) => (mapping.to === "username" ? u.username === who : u.email === who));
    if (who !== "" && !user) return { aborted: "usermappingerror", grades: before };
    if (!user) return { aborted: "usermappingerrorusernotfound", grades: before };
    const value = row[grade_col]!.trim();
    let grade: number | null;
    if (site.target.kind === "new") {
      // import_new_grade_item: only "-" is no grade; anything else is the final grade (an empty one is stored as 0).
      if (value === "-") continue;
      grade = value === "" ? 0 : Number(value);
    } else {
      // update_grade_item: "" or "-" is a null grade; else a number or the whole import is cleaned up.
      if (value === "" || value === "-") grade = null;
      else if (!/^-?\d+([.,]\d+)?$/.test(value)) return { aborted: "badgrade", grades: before };
      else grade = Number(value.replace(",", "."));
    }
    // insert_grade_record: a final grade above the maximum aborts the whole import.
    if (grade !== null && grade > max) return { aborted: "gradevaluetoobig", grades: before };
    pending.set(user.id, grade);
  }
  // grade_import_commit: update_final_grade(userid, finalgrade) for each value; null removes the grade.
  const after = new Map(before);
  for (const [id, grade] of pending) after.set(id, grade);
  return { grades: after };
}
