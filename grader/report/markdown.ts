// GradeSummary -> Markdown, for a GitHub Actions job summary or a merge
// request comment: the score, a table per exercise, then each failing check
// with its message and output. Text from submissions (messages quote the
// Dockerfile, outputs come from containers) is escaped or fenced, so it cannot
// inject Markdown or HTML.
import { REPORT_WORDS, check_details, score_text, type GradeSummary, type ReportLang } from "./summary.js";

const ICON = { pass: "✅", fail: "❌", error: "⚠️" } as const;

/** Text for a table cell or a heading: HTML and Markdown specials neutralised, one line. */
export function md_inline(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1")
    .replace(/\r?\n/g, "<br>");
}

/** An inline code span: never interpreted, whatever it holds. */
export function md_code(text: string): string {
  const one_line = text.replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(one_line.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = one_line.startsWith("`") || one_line.endsWith("`") ? " " : "";
  return `${ticks}${pad}${one_line}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any run of backticks inside. */
export function md_fence(text: string, info = "text"): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

export function format_markdown(summary: GradeSummary, lang: ReportLang = "fr"): string {
  const w = REPORT_WORDS[lang];
  const out: string[] = [];
  out.push(`## ${w.title} — ${score_text(summary.points, summary.max_points)} points`, "");
  out.push(
    `${w.course}${lang === "fr" ? " :" : ":"} ${md_code(`${summary.course.name} ${summary.course.version}`)} · ` +
      `${summary.exercises.pass}/${summary.exercises.total} ${w.exercises_passed} · ` +
      `${summary.checks.pass}/${summary.checks.total} checks`,
    "",
  );
  out.push(`| ${w.exercise} | ${w.status} | ${w.checks} | ${w.points} |`, "| --- | --- | ---: | ---: |");
  for (const r of summary.results) {
    const title = r.title ? ` ${md_inline(r.title)}` : "";
    const checks = `${r.tests.filter((t) => t.status === "pass").length}/${r.tests.length}`;
    out.push(`| ${md_code(r.exercise)}${title} | ${ICON[r.status]} ${w[r.status]} | ${checks} | ${score_text(r.points, r.max_points)} |`);
  }
  out.push(
    `| **${w.total}** | ${ICON[summary.status]} ${w[summary.status]} | **${summary.checks.pass}/${summary.checks.total}** | **${score_text(summary.points, summary.max_points)}** |`,
    "",
  );

  for (const r of summary.results) {
    if (r.status === "pass" && !r.ignored?.length) continue;
    out.push(`### ${ICON[r.status]} ${md_inline(r.exercise)} — ${w[r.status]} (${score_text(r.points, r.max_points)} points)`, "");
    if (r.status === "error" && r.message) out.push(`**${w.could_not_grade}** :`, "", md_fence(r.message), "");
    for (const t of r.tests) {
      out.push(`- ${ICON[t.status]} ${md_inline(t.name)} (${score_text(t.points, t.max_points)})`);
      const details = t.status === "pass" ? "" : check_details(t);
      if (details) out.push("", md_fence(details).replace(/^/gm, "  "), "");
    }
    if (r.ignored?.length) {
      out.push("", `${w.ignored} :`, "", ...r.ignored.map((f) => `- ${md_code(f)}`));
    }
    out.push("");
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
