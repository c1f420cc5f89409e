// The class's grades as files: our CSV (one row per student, one column per
// exercise, the total), Canvas's gradebook import, Moodle's grade import, and
// JSON. Every number is the one truth of standing.ts (through the report
// model); a grade that is not known (a grader error, an unreachable
// repository, a student never graded) is never written as a zero. Every
// grade is the credited one (the late credit applied, the teacher's
// overrides in force): the gradebooks get it, the CSV names it
// `total_credited` beside `total_raw`, the JSON says `points_are`.
//
// The gradebooks are written to their importers' rules (held by
// test/formats-gradebooks.test.ts against each importer's source):
// - Canvas (lib/gradebook_importer.rb, ui/features/gradebook_uploads/
//   jquery/process_gradebook_upload.js): an empty cell is posted as
//   `posted_grade: null` and clears the student's score, so a student whose
//   grade is unknown is left out of the file (Canvas leaves a student absent
//   from the file alone); rows are matched by Canvas ID, then SIS User ID or
//   SIS Login ID, then the name; a column is an existing assignment when its
//   title ends with ` (id)`, else one of that exact title, else a new one.
// - Moodle (grade/import/csv/classes/load_data.php, lib/csvlib.class.php,
//   grade/import/lib.php): every row has the header's columns; an empty cell
//   is a 0 in a new grade item, and `-` (or an empty cell) in an existing one
//   is committed as a null grade, which removes the grade the student had, so
//   a student whose grade is unknown is left out of the file (Moodle changes
//   only the rows it is given); a grade above 100 aborts the whole import
//   unless the site allows unlimited grades; a username (or email) that
//   matches no user aborts the whole import.
import { write_csv } from "./csv.js";
import type { Cell, CohortReport, ReportStudent } from "./report-model.js";

const round = (n: number): number => Math.round(n * 100) / 100;

/** What a file leaves out or cannot vouch for, for whoever writes it to say (on stderr). */
export interface GradebookNotes {
  /** Students left out, with why (their grade is not known). */
  left_out: { id: string; name: string; why: string }[];
  /** Warnings about the file as a whole or some of its rows. */
  warnings: GradebookWarning[];
}

export type GradebookWarning =
  | { kind: "name_only"; ids: string[] }
  | { kind: "new_assignment"; assignment: string }
  | { kind: "not_usernames"; ids: string[] }
  | { kind: "missing_email"; ids: string[] }
  | { kind: "over_100"; ids: string[] };

export interface Gradebook extends GradebookNotes {
  csv: string;
}

/** Why a student's total is not known, in a word the teacher can act on. */
function unknown_why(s: ReportStudent): string {
  if (s.submission === "never") return "never";
  if (s.submission === "unfetchable") return "unfetchable";
  return s.errors.length > 0 ? `error: ${s.errors.join(" ")}` : `unknown: ${s.unknown.join(" ")}`;
}

function cell_text(cell: Cell | undefined): string | number {
  if (!cell) return "";
  return cell.points === null ? cell.state : round(cell.points);
}

/** The overrides of a student, as the CSV lists them: `exercise=points (reason, by)`. */
const overrides_text = (s: ReportStudent): string =>
  s.overridden.map((id) => ((o) => `${id}=${round(o.points)} (${o.reason}, ${o.by})`)(s.cells[id]!.override!)).join("; ");

export function report_csv(report: CohortReport): string {
  const rows: (string | number | undefined)[][] = [
    [
      "id", "name", "section", "submission", "commit", "pushed_late", ...report.exercises.map((e) => e.id),
      "total_credited", "total_raw", "max_points", "deadline", "late_credit", "overrides",
    ],
  ];
  for (const s of report.students) {
    rows.push([
      s.id,
      s.name,
      s.section,
      s.submission,
      s.commit_graded?.slice(0, 12),
      s.pushed_late,
      ...report.exercises.map((e) => cell_text(s.cells[e.id])),
      s.points === null ? "" : round(s.points),
      s.raw_points === null ? "" : round(s.raw_points),
      report.max_points,
      s.deadline,
      s.credit,
      overrides_text(s),
    ]);
  }
  return write_csv(rows);
}

/** Canvas's Assignment.title_and_id: a title ending with ` (digits)` names an existing assignment by its id. */
export const CANVAS_TITLE_AND_ID = /^(.*)\s\((\d+)\)$/;

/**
 * Canvas's gradebook CSV: Student, ID, SIS User ID, SIS Login ID, Section,
 * then the assignment, and a "Points Possible" row. ID (Canvas's own) is left
 * empty; SIS User ID is the roster's `sis_id`, SIS Login ID its `email`
 * (a GitHub login is no Canvas login); with neither, Canvas matches the name.
 */
export function report_canvas(report: CohortReport, assignment = "Dockerfiles (dockerlings)"): Gradebook {
  const rows: (string | number | undefined)[][] = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment],
    ["Points Possible", "", "", "", "", report.max_points],
  ];
  const left_out: GradebookNotes["left_out"] = [];
  const name_only: string[] = [];
  for (const s of report.students) {
    if (s.points === null) {
      left_out.push({ id: s.id, name: s.name, why: unknown_why(s) });
      continue;
    }
    if (!s.sis_id && !s.email) name_only.push(s.id);
    rows.push([s.name, "", s.sis_id ?? "", s.email ?? "", s.section ?? "", round(s.points)]);
  }
  const warnings: GradebookWarning[] = [];
  if (name_only.length > 0) warnings.push({ kind: "name_only", ids: name_only });
  if (!CANVAS_TITLE_AND_ID.test(assignment)) warnings.push({ kind: "new_assignment", assignment });
  return { csv: write_csv(rows), left_out, warnings };
}

/** What Moodle's PARAM_USERNAME keeps: lowercase letters, digits and - . _ @ (a GitHub login with capitals matches no one). */
const MOODLE_USERNAME = /^[-.@_a-z0-9]+$/;

export interface MoodleOptions {
  assignment?: string;
  /** Grades out of this many points (100 by default, Moodle's limit), or the raw points. */
  scale?: number | "raw";
}

/**
 * Moodle's "Import grades from CSV": `username`, then `email` when the roster
 * has some (to map on email instead), then the grade. A student whose grade
 * is not known is left out (listed in `left_out`). Out of 100 by default: a
 * grade above 100 would abort the whole import on a site that does not allow
 * unlimited grades.
 */
export function report_moodle(report: CohortReport, options: MoodleOptions = {}): Gradebook {
  const assignment = options.assignment ?? "Dockerfiles";
  const scale = options.scale ?? 100;
  const with_email = report.students.some((s) => s.email);
  const rows: (string | number | undefined)[][] = [["username", ...(with_email ? ["email"] : []), assignment]];
  const left_out: GradebookNotes["left_out"] = [];
  const over: string[] = [];
  for (const s of report.students) {
    if (s.points === null) {
      left_out.push({ id: s.id, name: s.name, why: unknown_why(s) });
      continue;
    }
    const grade = scale === "raw" ? round(s.points) : s.max_points === 0 ? 0 : round((s.points / s.max_points) * scale);
    if (grade > 100) over.push(s.id);
    rows.push([s.id, ...(with_email ? [s.email ?? ""] : []), grade]);
  }
  const warnings: GradebookWarning[] = [];
  const odd = report.students.filter((s) => s.points !== null && !MOODLE_USERNAME.test(s.id)).map((s) => s.id);
  if (odd.length > 0) warnings.push({ kind: "not_usernames", ids: odd });
  // Mapped on email, a row with none matches no user, which aborts the whole import too.
  const no_email = with_email ? report.students.filter((s) => s.points !== null && !s.email).map((s) => s.id) : [];
  if (no_email.length > 0) warnings.push({ kind: "missing_email", ids: no_email });
  if (over.length > 0) warnings.push({ kind: "over_100", ids: over });
  return { csv: write_csv(rows), left_out, warnings };
}

export function report_json(report: CohortReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
