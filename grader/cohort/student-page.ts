// A page for each student (`cohort report --students DIR`): their grade as
// every output gives it (credited, overrides in force), their deadline and
// the late credit applied, the commit graded and the latest, each exercise
// with its failed checks (the message whole, the lines of their Dockerfile),
// what to do next, and how they worked (attempts and time to pass, from
// their own history). In their language (the roster's `lang`). One HTML
// file that opens with no network (no external script, style or font; a
// Content-Security-Policy that forbids them) and a Markdown twin for an
// issue or a pull request. A check held back until the deadline shows only
// once the student's deadline has passed.
import { define_messages, type Lang } from "../messages/index.js";
import { lateness_text } from "./late.js";
import type { CohortReport, FailedCheck, ReportStudent } from "./report-model.js";

const m = define_messages({
  title: { fr: (p: { name: string }) => `Votre correction — ${p.name}`, en: (p: { name: string }) => `Your grading — ${p.name}` },
  grade: {
    fr: (p: { points: string; max: string }) => `Note : ${p.points} / ${p.max} points`,
    en: (p: { points: string; max: string }) => `Grade: ${p.points} / ${p.max} points`,
  },
  grade_unknown: {
    fr: (p: { max: string }) => `Note : pas encore connue (sur ${p.max} points) : ce n'est pas de votre fait, la correction sera refaite.`,
    en: (p: { max: string }) => `Grade: not known yet (out of ${p.max} points): not your doing, it will be graded again.`,
  },
  deadline: { fr: (p: { at: string }) => `Date limite : ${p.at}`, en: (p: { at: string }) => `Deadline: ${p.at}` },
  no_deadline: { fr: "Pas de date limite : votre dernier commit est corrigé.", en: "No deadline: your latest commit is graded." },
  late: {
    fr: (p: { late: string; credit: number; raw: string }) => `Commit corrigé fait ${p.late} après la date limite : ${p.credit} % des points gardés (${p.raw} avant ce retard).`,
    en: (p: { late: string; credit: number; raw: string }) => `Graded commit made ${p.late} after the deadline: ${p.credit} % of the points kept (${p.raw} before that).`,
  },
  commit: { fr: (p: { commit: string; at: string }) => `Commit corrigé : ${p.commit}${p.at}`, en: (p: { commit: string; at: string }) => `Commit graded: ${p.commit}${p.at}` },
  latest: {
    fr: (p: { commit: string }) => `Votre dernier commit, ${p.commit}, est venu après : il n'est pas corrigé.`,
    en: (p: { commit: string }) => `Your latest commit, ${p.commit}, came after: it is not graded.`,
  },
  folder: { fr: "Votre dossier est corrigé tel qu'il est.", en: "Your folder is graded as it is." },
  nothing: {
    fr: (p: { why: string }) => `Rien n'a été corrigé : ${p.why}. Poussez votre travail, la prochaine correction le prendra.`,
    en: (p: { why: string }) => `Nothing was graded: ${p.why}. Push your work; the next grading will take it.`,
  },
  exercises: { fr: "Exercices", en: "Exercises" },
  col_exercise: { fr: "exercice", en: "exercise" },
  col_result: { fr: "résultat", en: "result" },
  col_points: { fr: "points", en: "points" },
  col_attempts: { fr: "essais (votre historique)", en: "attempts (your history)" },
  state_pass: { fr: "réussi", en: "passed" },
  state_fail: { fr: "pas encore", en: "not yet" },
  state_missing: { fr: "dossier absent ou vide", en: "folder missing or empty" },
  state_none: { fr: "rien à corriger", en: "nothing to grade" },
  state_unknown: { fr: "pas encore connu", en: "not known yet" },
  override: {
    fr: (p: { points: string; reason: string; by: string; at: string }) => `note fixée par l'enseignant : ${p.points} (${p.reason} — ${p.by}, ${p.at})`,
    en: (p: { points: string; reason: string; by: string; at: string }) => `grade set by the teacher: ${p.points} (${p.reason} — ${p.by}, ${p.at})`,
  },
  attempts: {
    fr: (p: { attempts: number; passed: string }) => `${p.attempts} essai(s)${p.passed}`,
    en: (p: { attempts: number; passed: string }) => `${p.attempts} attempt(s)${p.passed}`,
  },
  passed_after: {
    fr: (p: { attempts: number; time: string }) => ` · réussi au ${p.attempts}e, en ${p.time}`,
    en: (p: { attempts: number; time: string }) => ` · passed on attempt ${p.attempts}, in ${p.time}`,
  },
  failures: { fr: "Ce qui ne passe pas encore", en: "What does not pass yet" },
  lines: {
    fr: (p: { lines: string }) => `Dockerfile, ligne(s) ${p.lines}`,
    en: (p: { lines: string }) => `Dockerfile, line(s) ${p.lines}`,
  },
  held_back: {
    fr: (p: { count: number }) => `${p.count} vérification(s) réservée(s) jusqu'à la date limite : elles s'afficheront ici une fois celle-ci passée.`,
    en: (p: { count: number }) => `${p.count} check(s) held back until the deadline: they will show here once it has passed.`,
  },
  after_deadline: { fr: "(vérification montrée après la date limite)", en: "(check shown after the deadline)" },
  next: { fr: "Et maintenant", en: "What next" },
  next_fail: {
    fr: (p: { id: string }) => `${p.id} : corrigez, vérifiez avec \`dockerlings check ${p.id}\` (un indice : \`dockerlings hint ${p.id}\`), puis poussez.`,
    en: (p: { id: string }) => `${p.id}: fix it, check with \`dockerlings check ${p.id}\` (a hint: \`dockerlings hint ${p.id}\`), then push.`,
  },
  next_missing: {
    fr: (p: { id: string }) => `${p.id} : le dossier ${p.id}/ manque ou est vide dans votre dépôt : \`dockerlings start ${p.id}\`, faites l'exercice, poussez.`,
    en: (p: { id: string }) => `${p.id}: the folder ${p.id}/ is missing or empty in your repository: \`dockerlings start ${p.id}\`, do the exercise, push.`,
  },
  next_unknown: {
    fr: (p: { id: string }) => `${p.id} : note pas encore connue, ce n'est pas de votre fait ; elle sera corrigée de nouveau.`,
    en: (p: { id: string }) => `${p.id}: grade not known yet, not your doing; it will be graded again.`,
  },
  next_push: {
    fr: (p: { id: string }) => `${p.id} : rien n'a été corrigé ; faites l'exercice (\`dockerlings start ${p.id}\`) et poussez votre travail.`,
    en: (p: { id: string }) => `${p.id}: nothing was graded; do the exercise (\`dockerlings start ${p.id}\`) and push your work.`,
  },
  next_done: { fr: "Tout est réussi : bravo !", en: "Everything passes: well done!" },
  next_set: {
    fr: "Le reste a une note fixée par l'enseignant : rien d'autre à faire ici.",
    en: "The rest has a grade set by the teacher: nothing else to do here.",
  },
  generated: { fr: (p: { at: string }) => `Page générée le ${p.at}.`, en: (p: { at: string }) => `Page generated on ${p.at}.` },
});

export interface StudentPage {
  id: string;
  html: string;
  markdown: string;
}

const esc = (text: unknown): string =>
  String(text ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
const num = (n: number): string => String(Math.round(n * 100) / 100);
const short = (sha: string): string => sha.slice(0, 10);
/** A time as people read it, in UTC: 2026-12-15 22:59 UTC. */
const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** One paragraph, one list item, one table row: the page's content once, for both forms. */
type Block =
  | { kind: "p"; text: string; code?: boolean; warn?: boolean }
  | { kind: "h2"; text: string }
  | { kind: "h3"; text: string }
  | { kind: "table"; head: string[]; rows: string[][] }
  | { kind: "failure"; check: string; message?: string; where?: string; note?: string }
  | { kind: "list"; items: string[] };

function blocks_of(s: ReportStudent, report: CohortReport, lang: Lang): Block[] {
  const t = m.in(lang);
  const minutes = (ms: number): string => lateness_text(ms, lang);
  const blocks: Block[] = [];
  blocks.push(s.points === null ? { kind: "p", text: t("grade_unknown", { max: num(s.max_points) }), warn: true } : { kind: "p", text: t("grade", { points: num(s.points), max: num(s.max_points) }) });
  blocks.push({ kind: "p", text: s.deadline ? t("deadline", { at: when(s.deadline) }) : t("no_deadline") });
  if (s.credit !== undefined && s.late_ms !== undefined) {
    blocks.push({ kind: "p", text: t("late", { late: minutes(s.late_ms), credit: Math.round(s.credit * 100), raw: s.raw_points === null ? "?" : num(s.raw_points) }), warn: true });
  }
  if (s.submission === "graded") {
    if (s.commit_graded) {
      blocks.push({ kind: "p", text: t("commit", { commit: short(s.commit_graded), at: s.commit_time ? ` (${when(new Date(s.commit_time).toISOString())})` : "" }) });
      if (s.commit_latest && s.commit_latest !== s.commit_graded) blocks.push({ kind: "p", text: t("latest", { commit: short(s.commit_latest) }) });
    } else blocks.push({ kind: "p", text: t("folder") });
  } else if (s.submission !== "never") {
    blocks.push({ kind: "p", text: t("nothing", { why: s.submission_message ?? s.submission }), warn: true });
  }

  // A check held back until the deadline shows once the deadline has passed (or when there is none).
  const shown = (f: FailedCheck): boolean => f.visible !== "after_deadline" || !s.deadline || report.generated_at >= s.deadline;
  const state_text = (state: string): string =>
    state === "pass" ? t("state_pass") : state === "fail" ? t("state_fail") : state === "missing" ? t("state_missing") : ["no-submission", "no-commit-before-deadline"].includes(state) ? t("state_none") : t("state_unknown");
  blocks.push({ kind: "h2", text: t("exercises") });
  const rows = report.exercises.map((e) => {
    const cell = s.cells[e.id];
    const points = cell?.points === null || cell?.points === undefined ? "?" : num(cell.points);
    const override = cell?.override ? ` — ${t("override", { points: num(cell.override.points), reason: cell.override.reason, by: cell.override.by, at: when(cell.override.at) })}` : "";
    const worked = s.attempts[e.id];
    const attempts = worked
      ? t("attempts", { attempts: worked.attempts, passed: worked.attempts_to_pass !== undefined ? t("passed_after", { attempts: worked.attempts_to_pass, time: minutes(worked.time_to_pass_ms ?? 0) }) : "" })
      : "";
    return [e.id, state_text(cell?.state ?? "never") + override, `${points} / ${num(e.max_points)}`, attempts];
  });
  blocks.push({ kind: "table", head: [t("col_exercise"), t("col_result"), t("col_points"), t("col_attempts")], rows });

  const failures = s.failures.filter(shown);
  const held = s.failures.length - failures.length;
  if (failures.length > 0 || held > 0) {
    blocks.push({ kind: "h2", text: t("failures") });
    for (const e of report.exercises) {
      const mine = failures.filter((f) => f.exercise_id === e.id);
      if (mine.length === 0) continue;
      blocks.push({ kind: "h3", text: e.id });
      for (const f of mine) {
        blocks.push({
          kind: "failure",
          check: f.check,
          ...(f.message ? { message: f.message } : {}),
          ...(f.lines?.length ? { where: t("lines", { lines: f.lines.join(", ") }) } : {}),
          ...(f.visible ? { note: t("after_deadline") } : {}),
        });
      }
    }
    if (held > 0) blocks.push({ kind: "p", text: t("held_back", { count: held }) });
  }

  blocks.push({ kind: "h2", text: t("next") });
  const next = report.exercises.flatMap((e) => {
    const state = s.cells[e.id]?.state;
    if (s.cells[e.id]?.override) return [];
    if (state === "fail") return [t("next_fail", { id: e.id })];
    if (state === "missing") return [t("next_missing", { id: e.id })];
    if (state === "no-submission" || state === "no-commit-before-deadline") return [t("next_push", { id: e.id })];
    if (state !== "pass") return [t("next_unknown", { id: e.id })];
    return [];
  });
  const all_pass = report.exercises.every((e) => s.cells[e.id]?.state === "pass");
  blocks.push(next.length > 0 ? { kind: "list", items: next } : { kind: "p", text: all_pass ? t("next_done") : t("next_set") });
  blocks.push({ kind: "p", text: t("generated", { at: when(report.generated_at) }) });
  return blocks;
}

/** Inline `code` in a text, for HTML. */
const inline = (text: string): string => esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");

function html_of(s: ReportStudent, lang: Lang, blocks: Block[]): string {
  const body = blocks
    .map((b) => {
      switch (b.kind) {
        case "p":
          return `<p${b.warn ? ' class="warn"' : ""}>${inline(b.text)}</p>`;
        case "h2":
          return `<h2>${esc(b.text)}</h2>`;
        case "h3":
          return `<h3>${esc(b.text)}</h3>`;
        case "table":
          return `<table><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</table>`;
        case "failure":
          return `<div class="failure"><b>${esc(b.check)}</b>${b.note ? ` <span class="muted">${esc(b.note)}</span>` : ""}${b.where ? `<div class="where">${esc(b.where)}</div>` : ""}${b.message ? `<pre>${esc(b.message)}</pre>` : ""}</div>`;
        case "list":
          return `<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`;
      }
    })
    .join("\n");
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.in(lang)("title", { name: s.name }))}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:860px;padding:0 16px;color:#1d2330;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e3e6ec;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.warn{color:#9a3412}.muted{color:#6b7280}code{background:#f3f4f6;padding:0 3px;border-radius:3px;font-size:13px}
table{border-collapse:collapse}th,td{padding:4px 10px;text-align:left;border-bottom:1px solid #eef0f4;vertical-align:top}
.failure{border-left:3px solid #f87171;padding:2px 10px;margin:8px 0}.where{font-size:13px;color:#374151}
pre{white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace;background:#f8fafc;padding:6px 8px;margin:4px 0}
</style></head>
<body data-student="${esc(s.id)}">
<h1>${esc(m.in(lang)("title", { name: s.name }))}</h1>
${body}
</body></html>
`;
}

/** Markdown text: what GitHub would read as markup, escaped. */
const md = (text: string): string => text.replace(/([\\*_[\]<>|#])/g, "\\$1");

function markdown_of(s: ReportStudent, lang: Lang, blocks: Block[]): string {
  const lines = [`# ${md(m.in(lang)("title", { name: s.name }))}`, ""];
  for (const b of blocks) {
    switch (b.kind) {
      case "p":
        lines.push(b.warn ? `> ${md(b.text)}` : md(b.text), "");
        break;
      case "h2":
        lines.push(`## ${md(b.text)}`, "");
        break;
      case "h3":
        lines.push(`### ${md(b.text)}`, "");
        break;
      case "table":
        lines.push(`| ${b.head.map(md).join(" | ")} |`, `| ${b.head.map(() => "---").join(" | ")} |`, ...b.rows.map((r) => `| ${r.map((c) => md(c).replace(/\n/g, " ")).join(" | ")} |`), "");
        break;
      case "failure": {
        lines.push(`- **${md(b.check)}**${b.note ? ` ${md(b.note)}` : ""}${b.where ? ` — ${md(b.where)}` : ""}`);
        // The message as written, in a fence longer than any backtick run it holds.
        if (b.message) {
          const fence = "`".repeat(Math.max(3, ...[...b.message.matchAll(/`+/g)].map((x) => x[0].length + 1)));
          lines.push("", `  ${fence}text`, ...b.message.split("\n").map((l) => `  ${l}`), `  ${fence}`);
        }
        lines.push("");
        break;
      }
      case "list":
        lines.push(...b.items.map((i) => `- ${md(i).replace(/\\`/g, "`")}`), "");
        break;
    }
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

/** One page per student of the report, in their language (the roster's), else `lang`. */
export function student_pages(report: CohortReport, lang: Lang): StudentPage[] {
  return report.students.map((s) => {
    const language = s.lang ?? lang;
    const blocks = blocks_of(s, report, language);
    return { id: s.id, html: html_of(s, language, blocks), markdown: markdown_of(s, language, blocks) };
  });
}
