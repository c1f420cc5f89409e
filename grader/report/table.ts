// GradeSummary -> the terminal table: one row per exercise, then the total.
import { no_paint, type Paint } from "./text.js";
import { REPORT_WORDS, score_text, type GradeSummary, type ReportLang } from "./summary.js";

export function format_table(summary: GradeSummary, paint: Paint = no_paint, lang: ReportLang = "fr"): string {
  const w = REPORT_WORDS[lang];
  const rows = summary.results.map((r) => ({
    id: r.exercise,
    status: r.status,
    checks: `${r.tests.filter((t) => t.status === "pass").length}/${r.tests.length}`,
    points: score_text(r.points, r.max_points),
  }));
  const total = {
    id: w.total,
    checks: `${summary.checks.pass}/${summary.checks.total}`,
    points: score_text(summary.points, summary.max_points),
  };
  const status_word = (s: "pass" | "fail" | "error") => w[s];
  const widths = {
    id: Math.max(w.exercise.length, total.id.length, ...rows.map((r) => r.id.length)),
    status: Math.max(w.status.length, ...(["pass", "fail", "error"] as const).map((s) => status_word(s).length)),
    checks: Math.max(w.checks.length, total.checks.length, ...rows.map((r) => r.checks.length)),
    points: Math.max(w.points.length, total.points.length, ...rows.map((r) => r.points.length)),
  };
  const paint_status = (s: "pass" | "fail" | "error", text: string) =>
    s === "pass" ? paint.green(text) : s === "fail" ? paint.red(text) : paint.yellow(text);
  const line = (id: string, status: string, checks: string, points: string) =>
    `${id}  ${status}  ${checks}  ${points}`.trimEnd();

  const lines = [
    paint.bold(line(w.exercise.padEnd(widths.id), w.status.padEnd(widths.status), w.checks.padStart(widths.checks), w.points.padStart(widths.points))),
    "-".repeat(widths.id + widths.status + widths.checks + widths.points + 6),
    ...rows.map((r) =>
      line(
        r.id.padEnd(widths.id),
        paint_status(r.status, status_word(r.status).padEnd(widths.status)),
        r.checks.padStart(widths.checks),
        r.points.padStart(widths.points),
      ),
    ),
    "-".repeat(widths.id + widths.status + widths.checks + widths.points + 6),
    paint.bold(line(total.id.padEnd(widths.id), "".padEnd(widths.status), total.checks.padStart(widths.checks), total.points.padStart(widths.points))),
  ];
  return lines.join("\n");
}
