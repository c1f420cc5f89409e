// The class's grades as files: our CSV (one row per student, one column per
// exercise, the total), Canvas's gradebook import, Moodle's grade import, and
// JSON. A grade the grader could not compute (an error) is left empty in the
// gradebooks, never written as a zero.
import { write_csv } from "./csv.js";
import type { CohortReport, ReportStudent } from "./report-model.js";

const has_error = (s: ReportStudent): boolean => s.errors.length > 0;
const round = (n: number): number => Math.round(n * 100) / 100;

export function report_csv(report: CohortReport): string {
  const rows: (string | number | undefined)[][] = [
    ["id", "name", "section", "submission", "commit", ...report.exercises.map((e) => e.id), "total", "max_points"],
  ];
  for (const s of report.students) {
    rows.push([
      s.id,
      s.name,
      s.section,
      s.submission,
      s.commit_graded?.slice(0, 12),
      ...report.exercises.map((e) => {
        const cell = s.cells[e.id];
        if (!cell) return "";
        return cell.status === "error" ? "error" : round(cell.points);
      }),
      has_error(s) ? "" : round(s.points),
      report.max_points,
    ]);
  }
  return write_csv(rows);
}

/**
 * Canvas's gradebook CSV: Student, ID, SIS User ID, SIS Login ID, Section, then
 * one column per assignment, and a "Points Possible" row under the header.
 * Canvas matches rows by SIS User ID or SIS Login ID when ID is empty.
 */
export function report_canvas(report: CohortReport, assignment = "Dockerfiles (dockerlings)"): string {
  const rows: (string | number | undefined)[][] = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment],
    ["Points Possible", "", "", "", "", report.max_points],
  ];
  for (const s of report.students) rows.push([s.name, "", s.id, s.id, s.section ?? "", has_error(s) ? "" : round(s.points)]);
  return write_csv(rows);
}

/** Moodle's "Import grades from CSV": `username` maps to the user, the one grade column to the grade item. */
export function report_moodle(report: CohortReport, assignment = "Dockerfiles"): string {
  const rows: (string | number | undefined)[][] = [["username", assignment]];
  for (const s of report.students) rows.push([s.id, has_error(s) ? "" : round(s.points)]);
  return write_csv(rows);
}

export function report_json(report: CohortReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
