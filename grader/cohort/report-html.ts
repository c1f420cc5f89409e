// The class's report as one HTML file that opens with no network (no
// external script, style, font or image; a Content-Security-Policy that
// forbids them): the heatmap of students × exercises, pass rates of each
// exercise and check, the checks failed most and by whom, who is stuck, who
// has nothing to grade, the runs (their deadline, an interrupted one), the
// class's points over the runs, and one panel per student opened by clicking
// their name. Grades are the report model's (the one truth of standing.ts):
// a grade that is not known shows as such, never as a zero.
import type { PushedLate } from "./history.js";
import type { Cell, CohortReport, ReportStudent } from "./report-model.js";
import { lateness_text } from "./late.js";

const esc = (text: unknown): string =>
  String(text ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
const pct = (rate: number): string => `${Math.round(rate * 100)} %`;
const short = (sha?: string): string => (sha ? sha.slice(0, 10) : "");
const num = (n: number): string => String(Math.round(n * 100) / 100);
const dom_id = (id: string): string => `student-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
const total_text = (points: number | null): string => (points === null ? "?" : num(points));

const STATUS_WORDS: Record<string, string> = {
  pass: "réussi",
  fail: "échoué",
  error: "erreur du correcteur (à corriger de nouveau)",
  missing: "absent",
  "no-submission": "rien à corriger",
  graded: "corrigé",
  unfetchable: "dépôt inaccessible",
  "no-commit-before-deadline": "aucun commit avant la date limite",
  never: "jamais corrigé",
};

/** What a cell shows: the points when known; ! for a grader error, ? for another unknown grade. */
function cell_mark(cell: Cell): string {
  // A teacher's correction says so: ✎ beside the points it set.
  if (cell.override) return `✎${num(cell.override.points)}`;
  if (cell.points !== null) return num(cell.points);
  return cell.state === "error" ? "!" : "?";
}

const LATE_WORDS: Record<PushedLate, string> = {
  certain: "poussé après la date limite : le commit corrigé est daté d'avant, mais un passage après la date limite ne l'avait pas encore vu",
  possible: "vu pour la première fois après la date limite (le passage précédent était avant elle) : il a pu être poussé en retard",
};

/** An SVG line of values (points per run), scaled to `max`. */
function sparkline(values: number[], max: number, width = 320, height = 80): string {
  if (values.length === 0) return `<p class="muted">Aucune correction.</p>`;
  const step = values.length > 1 ? (width - 20) / (values.length - 1) : 0;
  const y = (v: number): number => height - 10 - (max > 0 ? (v / max) * (height - 20) : 0);
  const points = values.map((v, i) => `${10 + i * step},${y(v).toFixed(1)}`).join(" ");
  const dots = values.map((v, i) => `<circle cx="${10 + i * step}" cy="${y(v).toFixed(1)}" r="3"><title>run ${i + 1} : ${num(v)} / ${num(max)}</title></circle>`).join("");
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="points par correction">
<line x1="10" y1="${height - 10}" x2="${width - 10}" y2="${height - 10}" class="axis"/><polyline points="${points}"/>${dots}</svg>`;
}

function student_panel(s: ReportStudent, report: CohortReport): string {
  const failures = s.failures.length
    ? `<ul class="failures">${s.failures.map((f) => `<li><b>${esc(f.exercise_id)}</b> — ${esc(f.check)}${f.message ? `<div class="msg">${esc(f.message)}</div>` : ""}</li>`).join("")}</ul>`
    : `<p class="muted">Aucune vérification échouée.</p>`;
  const errors = s.errors.length ? `<p class="warn">Erreur du correcteur (à corriger de nouveau, pas un zéro) : ${s.errors.map(esc).join(", ")}</p>` : "";
  const unknown = s.points === null ? `<p class="warn">Note inconnue (pas un zéro) : ${s.unknown.map((id) => `${esc(id)} (${esc(STATUS_WORDS[s.cells[id]?.state ?? "never"])})`).join(", ")}</p>` : "";
  const stuck = s.stuck.length ? `<p class="warn">Bloqué : ${s.stuck.map((k) => `${esc(k.exercise_id)} — ${esc(k.check)} (${k.times} soumissions de suite)`).join(" ; ")}</p>` : "";
  const deadline = `<p class="deadline">Date limite : ${s.deadline ? `<b>${esc(s.deadline)}</b>` : "aucune"}${
    s.credit !== undefined && s.late_ms !== undefined
      ? ` · <span class="warn">commit corrigé fait ${esc(lateness_text(s.late_ms))} après : ${Math.round(s.credit * 100)} % des points (brut ${s.raw_points === null ? "?" : num(s.raw_points)})</span>`
      : ""
  }</p>`;
  const overrides = s.overridden.length
    ? `<ul class="overrides">${s.overridden
        .map((id) => ((o) => `<li>✎ <b>${esc(id)}</b> : ${num(o.points)} — ${esc(o.reason)} <span class="muted">(${esc(o.by)}, ${esc(o.at)})</span></li>`)(s.cells[id]!.override!))
        .join("")}</ul>`
    : "";
  const worked = Object.entries(s.attempts);
  const attempts = worked.length
    ? `<table class="small attempts"><tr><th>exercice</th><th>essais</th><th>réussi au</th><th>temps pour réussir</th></tr>${worked
        .map(([id, a]) => `<tr><td>${esc(id)}</td><td>${a.attempts}</td><td>${a.attempts_to_pass ?? "—"}</td><td>${a.time_to_pass_ms !== undefined ? esc(lateness_text(a.time_to_pass_ms)) : "—"}</td></tr>`)
        .join("")}</table>`
    : `<p class="muted">Pas d'historique d'essais dans son dépôt.</p>`;
  const late = s.pushed_late ? `<p class="warn late">${esc(LATE_WORDS[s.pushed_late])}${s.first_seen ? ` (vu le ${esc(s.first_seen)})` : ""}.</p>` : "";
  const commits = s.commits.length
    ? `<table class="small"><tr><th>correction</th><th>état</th><th>commit</th></tr>${s.commits
        .map((c) => `<tr><td>${c.run_id}</td><td>${esc(STATUS_WORDS[c.status] ?? c.status)}${c.pushed_late ? " ⚠" : ""}</td><td><code>${esc(short(c.commit))}</code></td></tr>`)
        .join("")}</table>`
    : "";
  const latest = s.commit_latest && s.commit_latest !== s.commit_graded ? `<p>Dernier commit (après la date limite) : <code>${esc(short(s.commit_latest))}</code> ${esc(s.latest_time ?? "")}</p>` : "";
  return `<section class="panel" id="${dom_id(s.id)}" data-student="${esc(s.id)}" hidden>
<h3>${esc(s.name)} <span class="muted">(${esc(s.id)}${s.section ? `, ${esc(s.section)}` : ""})</span></h3>
<p>${total_text(s.points)} / ${num(s.max_points)} points · soumission : ${esc(STATUS_WORDS[s.submission] ?? s.submission)}${s.submission_message ? ` — ${esc(s.submission_message)}` : ""}${s.commit_graded ? ` · commit corrigé <code>${esc(short(s.commit_graded))}</code>` : ""}</p>
${deadline}${overrides}${late}${latest}${unknown}${errors}${stuck}<h4>Vérifications échouées</h4>${failures}
<h4>Essais (son historique)</h4>${attempts}
<h4>Points par correction</h4>${sparkline(s.points_by_run.map((p) => p.points), report.max_points)}
<h4>Commits</h4>${commits}</section>`;
}

/** The runs: when, against which deadline, and whether they ended. */
function runs_table(report: CohortReport): string {
  if (report.runs.length === 0) return `<p class="muted">Aucune correction.</p>`;
  const rows = report.runs
    .map(
      (r) =>
        `<tr${r.interrupted ? ' class="interrupted"' : ""}><td>${r.id}</td><td>${esc(r.started_at)}</td><td>${r.deadline ? esc(r.deadline) : '<span class="muted">aucune</span>'}</td><td>${esc(r.exercises.join(", "))}</td><td>${r.shard ? esc(r.shard) : ""}</td><td>${
          r.interrupted ? '<span class="warn">interrompue (tuée, ou encore en cours) : relancez `cohort grade`, qui reprend où elle s\'est arrêtée</span>' : esc(r.finished_at ?? "")
        }</td></tr>`,
    )
    .join("");
  return `<table class="small" id="runs"><tr><th>correction</th><th>début</th><th>date limite</th><th>exercices</th><th>shards</th><th>fin</th></tr>${rows}</table>`;
}

export function report_html(report: CohortReport, title = "Rapport de la classe"): string {
  const ex = report.exercises;
  const header = `<tr><th>Étudiant</th>${ex.map((e) => `<th title="${esc(e.id)}">${esc(e.id.split("-")[0])}</th>`).join("")}<th>Total</th></tr>`;
  const rows = report.students
    .map((s) => {
      const cells = ex
        .map((e) => {
          const cell = s.cells[e.id];
          const state = cell?.state ?? "never";
          const hover = cell
            ? `${e.id} · ${STATUS_WORDS[state] ?? state} · ${cell.points === null ? "note inconnue" : num(cell.points)}/${num(cell.max_points)}${
                cell.override ? ` · ✎ note fixée par ${cell.override.by} : ${cell.override.reason}` : cell.credit !== undefined ? ` · brut ${cell.raw_points === null ? "?" : num(cell.raw_points)}, crédit ${Math.round(cell.credit * 100)} %` : ""
              }${cell.commit ? ` · commit ${short(cell.commit)}` : ""}${cell.graded_at ? ` · ${cell.graded_at}` : ""}${cell.message && cell.points === null ? ` · ${cell.message}` : ""}`
            : `${e.id} · pas de résultat`;
          return `<td class="cell s-${state}" data-student="${esc(s.id)}" data-exercise="${esc(e.id)}" title="${esc(hover)}">${cell ? cell_mark(cell) : "·"}</td>`;
        })
        .join("");
      return `<tr><th class="name"><button type="button" class="student" data-student="${esc(s.id)}" aria-controls="${dom_id(s.id)}">${esc(s.name)}</button></th>${cells}<td class="total"${s.points === null ? ` title="${esc(`note inconnue : ${s.unknown.join(", ")}`)}"` : s.raw_points !== s.points ? ` title="${esc(`brut ${s.raw_points === null ? "?" : num(s.raw_points)}`)}"` : ""}>${total_text(s.points)}</td></tr>`;
    })
    .join("\n");
  const exercise_rates = ex
    .map(
      (e) =>
        `<tr><td>${esc(e.id)}</td><td class="bar"><span style="width:${Math.round(e.pass_rate * 100)}%"></span></td><td>${pct(e.pass_rate)}</td><td class="muted">${e.passed}/${e.graded}</td><td class="muted">${
          e.attempts?.median_attempts_to_pass !== undefined
            ? `${num(e.attempts.median_attempts_to_pass)} essai(s), ${esc(lateness_text(e.attempts.median_time_to_pass_ms ?? 0))} (médianes, ${e.attempts.passed}/${e.attempts.students} historiques)`
            : ""
        }</td></tr>`,
    )
    .join("");
  const check_rates = report.checks
    .map((c) => `<tr><td>${esc(c.exercise_id.split("-")[0])}</td><td>${esc(c.name)}</td><td class="bar"><span style="width:${Math.round(c.pass_rate * 100)}%"></span></td><td>${pct(c.pass_rate)}</td></tr>`)
    .join("");
  const names = new Map(report.students.map((s) => [s.id, s.name]));
  const most_failed = report.most_failed.length
    ? `<ol class="most-failed">${report.most_failed
        .map(
          (c) => `<li><b>${esc(c.exercise_id)}</b> — ${esc(c.name)} : ${c.failed_by.length} étudiant(s)
<div class="who">${c.failed_by.map((id) => `<button type="button" class="student link" data-student="${esc(id)}">${esc(names.get(id) ?? id)}</button>`).join(", ")}</div>
${c.messages.map((m) => `<div class="msg">${esc(m.message)} <span class="muted">×${m.count}</span></div>`).join("")}</li>`,
        )
        .join("")}</ol>`
    : `<p class="muted">Aucune vérification échouée.</p>`;
  const stuck = report.stuck.length
    ? `<ul>${report.stuck.map((k) => `<li><button type="button" class="student link" data-student="${esc(k.student_id)}">${esc(names.get(k.student_id) ?? k.student_id)}</button> : ${esc(k.exercise_id)} — ${esc(k.check)} (${k.times} corrections de suite)</li>`).join("")}</ul>`
    : `<p class="muted">Personne n'est bloqué.</p>`;
  const none = report.no_submission.length
    ? `<ul class="no-submission">${report.no_submission.map((n) => `<li>${esc(n.name)} <span class="muted">(${esc(n.student_id)})</span> : ${esc(STATUS_WORDS[n.status] ?? n.status)}${n.message ? `<div class="msg">${esc(n.message)}</div>` : ""}</li>`).join("")}</ul>`
    : `<p class="muted">Tout le monde a rendu quelque chose.</p>`;
  const known = report.students.filter((s) => s.points !== null);
  const mean = known.length ? known.reduce((a, s) => a + s.points!, 0) / known.length : 0;
  const removed = report.removed.length
    ? `<h2>Retirés du roster</h2><p class="muted">Gardés dans l'historique, hors des notes : ${report.removed.map((r) => `${esc(r.name)} (${esc(r.id)})`).join(", ")}.</p>`
    : "";
  const late = report.students.filter((s) => s.pushed_late);
  const late_list = late.length
    ? `<ul>${late.map((s) => `<li><button type="button" class="student link" data-student="${esc(s.id)}">${esc(s.name)}</button> : ${esc(LATE_WORDS[s.pushed_late!])}</li>`).join("")}</ul>`
    : `<p class="muted">Aucun commit corrigé vu pour la première fois après la date limite.</p>`;
  const deadline = report.runs.at(-1)?.deadline;
  const data = JSON.stringify({ students: report.students.map((s) => s.id) }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e3e6ec;padding-bottom:4px}
.muted{color:#6b7280}.warn{color:#9a3412}code{font-size:12px;background:#f3f4f6;padding:0 3px;border-radius:3px}
table{border-collapse:collapse}th,td{padding:3px 6px;text-align:left}
table.heatmap td.cell{width:34px;text-align:center;border:2px solid #fff;font-variant-numeric:tabular-nums;cursor:default}
.s-pass{background:#22c55e;color:#fff}.s-fail{background:#f87171;color:#fff}.s-error{background:#facc15;color:#000}
.s-missing,.s-no-submission,.s-no-commit-before-deadline{background:#d1d5db;color:#374151}
.s-unfetchable,.s-never,.s-unknown{background:#f3f4f6;color:#6b7280;border:1px dashed #9ca3af!important}
tr.interrupted td{background:#fff7ed}
td.total{font-weight:600;padding-left:10px}
button.student{font:inherit;background:none;border:0;padding:0;color:#1d4ed8;cursor:pointer;text-align:left}
button.student:hover{text-decoration:underline}
td.bar{width:220px}td.bar span{display:block;height:10px;background:#3b82f6;border-radius:2px;min-width:1px}
.msg{font-family:ui-monospace,monospace;font-size:12px;color:#374151;margin:2px 0 0 12px;white-space:pre-wrap}
.panel{border:1px solid #cbd5e1;border-radius:6px;padding:8px 14px;margin-top:12px;background:#f8fafc}
.panel h3{margin:4px 0}.chart polyline{fill:none;stroke:#2563eb;stroke-width:2}.chart circle{fill:#2563eb}.chart .axis{stroke:#cbd5e1}
table.small td,table.small th{padding:1px 8px;font-size:12px}
.legend span{display:inline-block;padding:0 6px;margin-right:4px;border-radius:3px}
.grid{display:flex;flex-wrap:wrap;gap:32px}
</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">${esc(report.course_version ?? "")} · correcteur ${esc(report.grader_version ?? "?")} · ${report.students.length} étudiant(s), ${report.runs.length} correction(s) · moyenne ${num(mean)} / ${num(report.max_points)} (${known.length} note(s) connue(s)) · généré le ${esc(report.generated_at)}</p>
<p id="deadline">Date limite de la dernière correction : ${deadline ? `<b>${esc(deadline)}</b>` : "aucune (le dernier commit de chaque dépôt est corrigé)"}</p>
<h2>Étudiants × exercices</h2>
<p class="muted">Les notes sont créditées : le retard de chaque commit corrigé appliqué selon la date limite de l'étudiant, les corrections de l'enseignant (✎) comprises ; les points bruts sont au survol.</p>
<p class="legend"><span class="s-pass">réussi</span><span class="s-fail">échoué</span><span class="s-missing">absent, rien à corriger (0)</span><span class="s-error">! erreur du correcteur</span><span class="s-unknown">? note inconnue</span> Survolez une case pour le commit corrigé ; cliquez un nom pour le détail.</p>
<table class="heatmap" id="heatmap">${header}
${rows}</table>
<div id="panels">${report.students.map((s) => student_panel(s, report)).join("\n")}</div>
<div class="grid">
<div><h2>Réussite par exercice</h2><table id="exercise-rates">${exercise_rates}</table></div>
<div><h2>Progression (moyenne de la classe par correction)</h2>${sparkline(report.runs.map((r) => r.mean_points), report.max_points, 420, 120)}</div>
</div>
<h2>Vérifications les plus échouées</h2>${most_failed}
<h2>Étudiants bloqués</h2>${stuck}
<h2>Sans soumission</h2>${none}
<h2>Commits en retard</h2>${late_list}
<h2>Corrections</h2>${runs_table(report)}
${removed}
<h2>Réussite par vérification</h2><table id="check-rates">${check_rates}</table>
<script type="application/json" id="cohort-data">${data}</script>
<script>
(function () {
  var panels = document.querySelectorAll(".panel");
  function show(id) {
    for (var i = 0; i < panels.length; i++) {
      var p = panels[i];
      p.hidden = p.getAttribute("data-student") !== id;
      if (!p.hidden) p.scrollIntoView({ block: "nearest" });
    }
  }
  var buttons = document.querySelectorAll("button.student");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) { show(event.currentTarget.getAttribute("data-student")); });
  }
})();
</script>
</body></html>
`;
}
