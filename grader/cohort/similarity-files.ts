// What `cohort similarity` writes: one HTML page (no network: no external
// script, style or font, a Content-Security-Policy that forbids them) with
// each exercise's pairs, ranked, and the lines each pair shares side by side;
// a CSV of the pairs; and a folder per exercise that Dolos reads as it is
// (`dolos run -f web DIR/<exercise>/info.csv`): the students' Dockerfiles as
// written, named .txt so that Dolos takes its `char` tokenizer on its own,
// the starter as the one template it ignores (`ignored` true), and the
// info.csv columns Dolos's Dataset.fromCSV reads (filename, full_name,
// labels, created_at, ignored).
import fs from "node:fs";
import path from "node:path";
import { write_csv } from "./csv.js";
import type { ExerciseSimilarity, SimilarPair } from "./similarity.js";

const esc = (text: unknown): string =>
  String(text ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
const num = (n: number): string => String(Math.round(n * 100) / 100);
const pct = (rate: number): string => `${Math.round(rate * 100)} %`;
const lines_text = (places: { line: number; end_line: number }[]): string =>
  places.map((p) => (p.end_line > p.line ? `${p.line}-${p.end_line}` : String(p.line))).join(", ");

/** The pairs of every exercise, one row each, the ranking's order kept. */
export function similarity_csv(exercises: ExerciseSimilarity[]): string {
  const names = (e: ExerciseSimilarity) => new Map(e.submissions.map((s) => [s.student_id, s.name]));
  const rows: (string | number)[][] = [
    ["exercise", "rank", "student_a", "name_a", "student_b", "name_b", "score", "shared_lines", "share_a", "share_b", "lines_a", "lines_b", "fragments"],
  ];
  for (const e of exercises) {
    const name = names(e);
    e.pairs.forEach((p, i) =>
      rows.push([
        e.exercise_id,
        i + 1,
        p.a,
        name.get(p.a) ?? p.a,
        p.b,
        name.get(p.b) ?? p.b,
        num(p.score),
        p.shared.length,
        num(p.a_share),
        num(p.b_share),
        p.shared.map((s) => lines_text(s.a)).join(" "),
        p.shared.map((s) => lines_text(s.b)).join(" "),
        p.shared.map((s) => s.text).join("\n"),
      ]),
    );
  }
  return write_csv(rows);
}

function pair_html(e: ExerciseSimilarity, p: SimilarPair, rank: number): string {
  const name = new Map(e.submissions.map((s) => [s.student_id, s.name]));
  const who = (id: string): string => `${esc(name.get(id) ?? id)} <span class="muted">(${esc(id)})</span>`;
  const side = (places: { line: number; text: string }[]): string =>
    places.map((pl) => `<span class="ln">${pl.line}</span>${esc(pl.text)}`).join("\n");
  const rows = p.shared
    .map(
      (s) =>
        `<tr><td><pre>${side(s.a)}</pre></td><td><pre>${side(s.b)}</pre></td><td class="muted small">${esc(s.text)}<br>${s.holders} / ${e.submissions.length} · poids ${num(s.weight)}</td></tr>`,
    )
    .join("");
  return `<details class="pair" data-exercise="${esc(e.exercise_id)}" data-a="${esc(p.a)}" data-b="${esc(p.b)}"${rank === 1 ? " open" : ""}>
<summary><b>${rank}.</b> ${who(p.a)} ↔ ${who(p.b)} — score <b class="score">${num(p.score)}</b> · ${p.shared.length} ligne(s) rare(s) en commun · ${pct(p.a_share)} des lignes propres de l'un, ${pct(p.b_share)} de l'autre</summary>
<table class="shared"><tr><th>${esc(name.get(p.a) ?? p.a)}</th><th>${esc(name.get(p.b) ?? p.b)}</th><th>forme comparée · qui l'a écrite</th></tr>${rows}</table>
</details>`;
}

function exercise_html(e: ExerciseSimilarity): string {
  const pairs = e.pairs.length
    ? e.pairs.map((p, i) => pair_html(e, p, i + 1)).join("\n")
    : `<p class="muted">Aucune paire ne partage assez de lignes rares.</p>`;
  const common = e.common.length
    ? `<details><summary>${e.common.length} ligne(s) commune(s) mises de côté (écrites par plus de ${e.common_above} étudiants)</summary><ul class="small">${e.common
        .map((c) => `<li><code>${esc(c.text)}</code> <span class="muted">${c.holders} / ${e.submissions.length}</span></li>`)
        .join("")}</ul></details>`
    : "";
  const starter = e.starter.length ? `<p class="muted small">Lignes du starter retirées : ${e.starter.map((s) => `<code>${esc(s)}</code>`).join(" ")}</p>` : "";
  return `<section class="exercise" id="${esc(e.exercise_id)}"><h2>${esc(e.exercise_id)} <span class="muted">(${e.submissions.length} Dockerfile(s))</span></h2>
${starter}${common}${pairs}</section>`;
}

export function similarity_html(exercises: ExerciseSimilarity[], options: { generated_at?: string; common_share: number; min_shared: number }): string {
  const sections = exercises.map(exercise_html).join("\n");
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dockerfiles semblables</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e3e6ec;padding-bottom:4px}
.muted{color:#6b7280}.small{font-size:12px}code{font-size:12px;background:#f3f4f6;padding:0 3px;border-radius:3px}
details.pair{border:1px solid #cbd5e1;border-radius:6px;padding:6px 12px;margin:8px 0;background:#f8fafc}
details.pair summary{cursor:pointer}
table.shared{border-collapse:collapse;margin-top:8px;width:100%}table.shared td,table.shared th{border-top:1px solid #e3e6ec;padding:4px 8px;vertical-align:top;text-align:left}
pre{margin:0;font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap}
.ln{display:inline-block;min-width:2.5em;color:#9ca3af;user-select:none}
</style></head>
<body>
<h1>Dockerfiles semblables</h1>
<p class="muted">Chaque paire est classée par ses lignes rares en commun : les Dockerfiles sont lus par le modèle du correcteur (noms de variables, ordre des lignes, espaces, casse et commentaires n'y changent rien), les lignes du starter retirées, ainsi que celles écrites par plus de ${pct(options.common_share)} de la classe ; une ligne pèse d'autant plus que peu l'ont écrite. Paires listées à partir de ${options.min_shared} ligne(s) rare(s) en commun. Une ressemblance est une question à poser, pas une preuve.${options.generated_at ? ` Généré le ${esc(options.generated_at)}.` : ""}</p>
${sections}
</body></html>
`;
}

/** A folder name for a student that no student id can collide with the starter's. */
const student_file = (id: string): string => path.join("students", id.replace(/[^A-Za-z0-9._@+-]/g, "_"), "Dockerfile.txt");
const STARTER_FILE = path.join("starter", "Dockerfile.txt");

/**
 * Writes, for each exercise, DIR/<exercise>/info.csv and the Dockerfiles it
 * names (the starter's as the ignored template); returns the info.csv files.
 */
export function write_dolos(dir: string, exercises: ExerciseSimilarity[], starters: Map<string, string | undefined>): string[] {
  const written: string[] = [];
  for (const e of exercises) {
    // Dolos compares two files at least.
    if (e.submissions.length < 2) continue;
    const root = path.join(dir, e.exercise_id);
    fs.rmSync(root, { recursive: true, force: true });
    const rows: string[][] = [["filename", "full_name", "labels", "created_at", "ignored"]];
    const put = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    for (const s of e.submissions) {
      const file = student_file(s.student_id);
      put(file, s.dockerfile);
      // Dolos reads created_at with `new Date(...)`: an ISO time, or nothing.
      rows.push([file.split(path.sep).join("/"), s.name, s.section ?? "", s.commit_time ? new Date(s.commit_time).toISOString() : "", "false"]);
    }
    const starter = starters.get(e.exercise_id);
    if (starter !== undefined) {
      put(STARTER_FILE, starter);
      rows.push([STARTER_FILE.split(path.sep).join("/"), "starter", "", "", "true"]);
    }
    const info = path.join(root, "info.csv");
    fs.writeFileSync(info, write_csv(rows));
    written.push(info);
  }
  return written;
}
