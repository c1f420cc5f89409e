// `dockerlings cohort grade | report | merge`: a whole class graded from a
// roster into a SQLite history, reported as HTML and gradebooks, and the
// shards of a CI matrix merged. Exit codes as docs/contracts.md says: grade 0
// when grading happened (whatever the scores; students with errors listed),
// 2 when it could not happen at all; report 2 without a database; merge 2 for
// shards that do not belong together.
import fs from "node:fs";
import path from "node:path";
import {
  load_course,
  default_course_root,
  find_exercise,
  require_engine,
  load_roster,
  RosterError,
  History,
  HistoryError,
  grade_cohort,
  default_concurrency,
  students_of,
  parse_shard,
  shard_text,
  grader_version,
  course_version,
  merge_histories,
  MergeRefusedError,
  parse_deadline,
  type Gradebook,
  cohort_report,
  report_html,
  report_csv,
  report_canvas,
  report_moodle,
  report_json,
  student_pages,
  write_csv,
  type CohortEvent,
  type Exercise,
  type Roster,
  type StudentDone,
} from "../../../grader/index.js";
import { CliError, EXIT_CANNOT_GRADE, EXIT_OK } from "../../errors.js";
import { define_messages, lang } from "../../i18n/index.js";
import { c } from "../../ui/color.js";

export interface CohortGradeOptions {
  db?: string;
  concurrency?: string;
  deadline?: string;
  shard?: string;
  only?: string;
  force?: boolean;
  repoPattern?: string;
  cache?: string;
  buildTimeout?: string;
  checkTimeout?: string;
}

export interface CohortReportOptions {
  db?: string;
  html?: string;
  csv?: string;
  canvas?: string;
  moodle?: string;
  json?: string;
  assignment?: string;
  /** Moodle: grades out of this many points, or `raw` for the points themselves. */
  scale?: string;
  /** A folder: one page per student (HTML and Markdown). */
  students?: string;
}

export interface CohortMergeOptions {
  db?: string;
}

const m = define_messages({
  bad_number: {
    fr: (p: { flag: string; value: string }) => `${p.flag} attend un nombre entier d'au moins 1, pas « ${p.value} ».`,
    en: (p: { flag: string; value: string }) => `${p.flag} expects a whole number, 1 or more, not "${p.value}".`,
  },
  bad_shard: {
    fr: (p: { value: string }) => `--shard attend i/n (ex. 2/3, de 1/n à n/n), pas « ${p.value} ».`,
    en: (p: { value: string }) => `--shard expects i/n (e.g. 2/3, from 1/n to n/n), not "${p.value}".`,
  },
  bad_deadline: {
    fr: (p: { value: string }) => `--deadline attend une date ISO 8601 qui existe, avec son fuseau (ex. 2026-12-15T23:59+01:00), pas « ${p.value} ».`,
    en: (p: { value: string }) => `--deadline expects an ISO 8601 date that exists, with its time zone (e.g. 2026-12-15T23:59+01:00), not "${p.value}".`,
  },
  bad_scale: {
    fr: (p: { value: string }) => `--scale attend un nombre de points positif (ex. 20 ou 100) ou « raw » pour les points bruts, pas « ${p.value} ».`,
    en: (p: { value: string }) => `--scale expects a positive number of points (e.g. 20 or 100) or "raw" for the points themselves, not "${p.value}".`,
  },
  left_out: {
    fr: (p: { what: string; lines: string }) => `${p.what} : note inconnue, laissé(s) hors du fichier (leur note actuelle dans le carnet ne change pas) :\n${p.lines}`,
    en: (p: { what: string; lines: string }) => `${p.what}: grade not known, left out of the file (their current grade in the gradebook does not change):\n${p.lines}`,
  },
  why_never: { fr: "jamais corrigé", en: "never graded" },
  why_unfetchable: { fr: "dépôt inaccessible (relancez `dockerlings cohort grade`)", en: "repository unreachable (run `dockerlings cohort grade` again)" },
  why_error: {
    fr: (p: { ids: string }) => `erreur du correcteur sur ${p.ids} (relancez \`dockerlings cohort grade\`)`,
    en: (p: { ids: string }) => `grader error on ${p.ids} (run \`dockerlings cohort grade\` again)`,
  },
  why_unknown: { fr: (p: { ids: string }) => `pas encore corrigé : ${p.ids}`, en: (p: { ids: string }) => `not graded yet: ${p.ids}` },
  name_only: {
    fr: (p: { ids: string }) =>
      `Canvas : sans sis_id ni email dans le roster, ces étudiants ne seront reconnus que par leur nom exact dans Canvas (sinon ignorés) : ${p.ids}. Ajoutez sis_id (leur SIS User ID) ou email (leur SIS Login ID) au roster.`,
    en: (p: { ids: string }) =>
      `Canvas: with neither sis_id nor email in the roster, these students are matched only by their exact name in Canvas (else ignored): ${p.ids}. Add sis_id (their SIS User ID) or email (their SIS Login ID) to the roster.`,
  },
  new_assignment: {
    fr: (p: { assignment: string }) =>
      `Canvas : la colonne « ${p.assignment} » ne donne pas d'identifiant de devoir : Canvas la rattache à un devoir de ce titre exact, sinon en crée un nouveau. Pour un devoir existant : --assignment "Son titre (123)", avec l'identifiant de son adresse (…/assignments/123).`,
    en: (p: { assignment: string }) =>
      `Canvas: the column "${p.assignment}" carries no assignment id: Canvas matches an assignment of that exact title, else creates a new one. For an existing assignment: --assignment "Its title (123)", with the id from its address (…/assignments/123).`,
  },
  not_usernames: {
    fr: (p: { ids: string }) =>
      `Moodle : ces identifiants du roster ne ressemblent pas à des noms d'utilisateur Moodle (minuscules, chiffres, - . _ @) ; un seul inconnu de Moodle fait échouer tout l'import : ${p.ids}. Vérifiez-les, ou importez en associant la colonne email.`,
    en: (p: { ids: string }) =>
      `Moodle: these roster ids do not look like Moodle usernames (lowercase letters, digits, - . _ @); one user unknown to Moodle aborts the whole import: ${p.ids}. Check them, or import mapping the email column.`,
  },
  missing_email: {
    fr: (p: { ids: string }) => `Moodle : pas d'email dans le roster pour ${p.ids} ; si vous importez en associant la colonne email, ces lignes font échouer tout l'import (associez alors username, ou complétez le roster).`,
    en: (p: { ids: string }) => `Moodle: no email in the roster for ${p.ids}; importing mapped on the email column, these rows abort the whole import (map username instead, or complete the roster).`,
  },
  over_100: {
    fr: (p: { ids: string }) => `Moodle : notes au-dessus de 100 (${p.ids}) : l'import échoue en entier si le site n'autorise pas les notes illimitées (gradepointmax) ; sans --scale raw, les notes sont sur 100.`,
    en: (p: { ids: string }) => `Moodle: grades above 100 (${p.ids}): the whole import fails unless the site allows unlimited grades (gradepointmax); without --scale raw, grades are out of 100.`,
  },
  unknown_total: { fr: "note inconnue", en: "grade not known" },
  credited: {
    fr: "Notes créditées : le retard appliqué, les corrections de l'enseignant (✎) comprises ; les points bruts sont entre parenthèses, dans total_raw (CSV) et raw_points (JSON).",
    en: "Credited grades: late credit applied, the teacher's overrides (✎) included; the raw points are in brackets, in total_raw (CSV) and raw_points (JSON).",
  },
  raw: { fr: (p: { raw: string }) => ` (brut ${p.raw})`, en: (p: { raw: string }) => ` (raw ${p.raw})` },
  pages: {
    fr: (p: { count: number; dir: string }) => `${p.count} page(s) d'étudiant écrite(s) (HTML et Markdown) : ${p.dir}`,
    en: (p: { count: number; dir: string }) => `${p.count} student page(s) written (HTML and Markdown): ${p.dir}`,
  },
  unknown_exercise: {
    fr: (p: { id: string; ids: string }) => `--only : exercice inconnu « ${p.id} ». Les exercices sont : ${p.ids}.`,
    en: (p: { id: string; ids: string }) => `--only: unknown exercise "${p.id}". The exercises are: ${p.ids}.`,
  },
  roster: {
    fr: (p: { text: string }) => `${p.text}\nCorrigez le roster puis relancez la commande.`,
    en: (p: { text: string }) => `${p.text}\nFix the roster, then run the command again.`,
  },
  grading: {
    fr: (p: { students: number; exercises: number; concurrency: number; db: string; shard: string }) =>
      `Correction de ${p.students} étudiant(s) × ${p.exercises} exercice(s), ${p.concurrency} à la fois${p.shard} → ${p.db}`,
    en: (p: { students: number; exercises: number; concurrency: number; db: string; shard: string }) =>
      `Grading ${p.students} student(s) × ${p.exercises} exercise(s), ${p.concurrency} at a time${p.shard} → ${p.db}`,
  },
  retry: {
    fr: (p: { id: string; attempt: number; why: string }) => `  ↻ ${p.id} : nouvel essai ${p.attempt} (${p.why})`,
    en: (p: { id: string; attempt: number; why: string }) => `  ↻ ${p.id}: attempt ${p.attempt} (${p.why})`,
  },
  outcome_unchanged: { fr: "inchangé", en: "unchanged" },
  outcome_missing: { fr: "rien à corriger", en: "nothing to grade" },
  outcome_unfetchable: { fr: "dépôt inaccessible", en: "repository unreachable" },
  "outcome_no-commit-before-deadline": { fr: "aucun commit avant la date limite", en: "no commit before the deadline" },
  outcome_error: { fr: "erreur du correcteur", en: "grader error" },
  outcome_graded: { fr: "corrigé", en: "graded" },
  bar: {
    fr: (p: { done: number; total: number; failed: number; errors: number; left: number; eta: string }) =>
      `${p.done}/${p.total} faits · ${p.failed} en échec · ${p.errors} erreur(s) · ${p.left} restant(s) · fin dans ${p.eta}`,
    en: (p: { done: number; total: number; failed: number; errors: number; left: number; eta: string }) =>
      `${p.done}/${p.total} done · ${p.failed} failed · ${p.errors} error(s) · ${p.left} remaining · ETA ${p.eta}`,
  },
  summary: {
    fr: (p: { graded: number; total: number; seconds: number }) => `${p.graded}/${p.total} soumission(s) corrigée(s) en ${p.seconds} s.`,
    en: (p: { graded: number; total: number; seconds: number }) => `${p.graded}/${p.total} submission(s) graded in ${p.seconds} s.`,
  },
  with_errors: {
    fr: (p: { ids: string }) => `Erreurs du correcteur (pas des zéros ; relancez la même commande pour les corriger de nouveau) : ${p.ids}`,
    en: (p: { ids: string }) => `Grader errors (not zeros; run the same command again to grade them again): ${p.ids}`,
  },
  not_graded: {
    fr: (p: { lines: string }) => `Sans soumission corrigée :\n${p.lines}`,
    en: (p: { lines: string }) => `With no submission graded:\n${p.lines}`,
  },
  next_report: {
    fr: (p: { db: string }) => `Le rapport : dockerlings cohort report --db ${p.db} --html rapport.html`,
    en: (p: { db: string }) => `The report: dockerlings cohort report --db ${p.db} --html report.html`,
  },
  no_db: {
    fr: (p: { text: string }) => `${p.text}\nCorrigez d'abord la classe : dockerlings cohort grade ROSTER --db FICHIER.`,
    en: (p: { text: string }) => `${p.text}\nGrade the class first: dockerlings cohort grade ROSTER --db FILE.`,
  },
  written: {
    fr: (p: { what: string; file: string }) => `${p.what} écrit : ${p.file}`,
    en: (p: { what: string; file: string }) => `${p.what} written: ${p.file}`,
  },
  class_line: {
    fr: (p: { students: number; runs: number; mean: string; max: number }) => `${p.students} étudiant(s), ${p.runs} correction(s), moyenne ${p.mean}/${p.max}.`,
    en: (p: { students: number; runs: number; mean: string; max: number }) => `${p.students} student(s), ${p.runs} run(s), mean ${p.mean}/${p.max}.`,
  },
  merge_refused: {
    fr: (p: { text: string }) => `fusion refusée : ${p.text}`,
    en: (p: { text: string }) => `merge refused: ${p.text}`,
  },
  merged: {
    fr: (p: { shards: number; students: number; results: number; db: string }) => `${p.shards} shard(s) fusionné(s) : ${p.students} étudiant(s), ${p.results} résultat(s) → ${p.db}`,
    en: (p: { shards: number; students: number; results: number; db: string }) => `${p.shards} shard(s) merged: ${p.students} student(s), ${p.results} result(s) → ${p.db}`,
  },
});

export const DEFAULT_DB = "cohort.db";

/** The folder of the fetched repositories: --cache, else beside the history. */
export function cache_folder(db_file: string, cache: string | undefined): string {
  return path.resolve(cache ?? path.join(path.dirname(db_file), ".dockerlings-cohort"));
}

/** --deadline as a date, refused with what is expected when it does not name one. */
export function deadline_option(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const deadline = parse_deadline(value);
  if (!deadline) throw new CliError(m("bad_deadline", { value }));
  return deadline;
}

/** The roster, or its problems line by line and what to do. */
export function open_roster(file: string, repo_pattern: string | undefined): Roster {
  try {
    return load_roster(file, repo_pattern ? { repo_pattern } : {});
  } catch (error) {
    if (error instanceof RosterError) throw new CliError(m("roster", { text: error.message }));
    throw error;
  }
}

export function whole(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(m("bad_number", { flag, value }));
  return n;
}

export function pick_exercises(course: Exercise[], only: string | undefined): Exercise[] {
  if (only === undefined) return course;
  const picked: Exercise[] = [];
  for (const id of only.split(/[\s,]+/).filter(Boolean)) {
    const exercise = find_exercise(course, id);
    if (!exercise) throw new CliError(m("unknown_exercise", { id, ids: course.map((e) => e.id).join(", ") }));
    if (!picked.includes(exercise)) picked.push(exercise);
  }
  return picked.sort((a, b) => a.order - b.order);
}

/** "2 min 05 s", "45 s". */
function duration_text(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
}

/** The progress of a class: a bar rewritten in place on a terminal, one plain line per student otherwise. */
class CohortProgress {
  private total = 0;
  private done = 0;
  private failed = 0;
  private errors = 0;
  private readonly started = Date.now();
  private readonly live: boolean;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.live = Boolean(out.isTTY) && process.env.CI !== "true";
  }

  event(event: CohortEvent): void {
    if (event.kind === "start") {
      this.total = event.total;
      this.draw();
    } else if (event.kind === "retry") {
      this.line(c.yellow(m("retry", { id: event.student.id, attempt: event.attempt, why: event.why.split("\n")[0]!.slice(0, 120) })));
    } else if (event.kind === "student_done") {
      this.done++;
      if (event.outcome === "error") this.errors++;
      else if (event.failed > 0 || event.outcome !== "graded" && event.outcome !== "unchanged") this.failed++;
      this.line(this.student_line(event));
    }
  }

  private student_line(d: StudentDone): string {
    const mark =
      d.outcome === "error" ? c.yellow("!") : d.outcome === "graded" || d.outcome === "unchanged" ? (d.failed > 0 ? c.red("✗") : c.green("✓")) : c.gray("·");
    // The student's total as every report gives it; a grade not known is never shown as a zero.
    const raw = d.raw_points !== null && d.raw_points !== d.points ? m("raw", { raw: String(d.raw_points) }) : "";
    const points = ` ${d.points === null ? "?" : d.points}/${d.max_points}${raw}`;
    const word = m(`outcome_${d.outcome}` as "outcome_graded");
    const why = d.message ? c.gray(` — ${d.message.split("\n")[0]!.slice(0, 140)}`) : "";
    return `[${this.done}/${this.total}] ${mark} ${d.student.id}${points} ${c.gray(word)}${why}`;
  }

  private status(): string {
    const elapsed = Date.now() - this.started;
    const left = this.total - this.done;
    const eta = this.done === 0 ? "?" : duration_text((elapsed / this.done) * left);
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    return `${c.cyan("█".repeat(filled))}${c.gray("░".repeat(width - filled))} ${m("bar", { done: this.done, total: this.total, failed: this.failed, errors: this.errors, left, eta })}`;
  }

  private line(text: string): void {
    if (this.live) this.out.write(`\r\u001b[2K${text}\n`);
    else this.out.write(`${text}\n`);
    this.draw();
  }

  private draw(): void {
    if (this.live) this.out.write(`\r\u001b[2K${this.status()}`);
  }

  end(): void {
    if (this.live) this.out.write("\r\u001b[2K");
  }
}

export async function cohort_grade_command(roster_file: string, options: CohortGradeOptions): Promise<number> {
  const course_root = default_course_root();
  const exercises = pick_exercises(load_course(course_root), options.only);
  const concurrency = whole("--concurrency", options.concurrency, default_concurrency());
  const shard = options.shard === undefined ? undefined : parse_shard(options.shard);
  if (options.shard !== undefined && !shard) throw new CliError(m("bad_shard", { value: options.shard }));
  const deadline = deadline_option(options.deadline);
  const roster = open_roster(roster_file, options.repoPattern);
  const db_file = path.resolve(options.db ?? DEFAULT_DB);
  const cache_dir = cache_folder(db_file, options.cache);
  await require_engine();

  let history: History;
  try {
    history = History.open(db_file);
  } catch (error) {
    if (error instanceof HistoryError) throw new CliError(error.message);
    throw error;
  }
  const progress = new CohortProgress(process.stdout);
  const t0 = Date.now();
  const count = students_of(roster, shard).length;
  process.stdout.write(
    c.gray(`${m("grading", { students: count, exercises: exercises.length, concurrency, db: path.relative(process.cwd(), db_file) || db_file, shard: shard ? ` (shard ${shard_text(shard)})` : "" })}\n`),
  );
  let run;
  try {
    run = await grade_cohort({
      roster,
      history,
      course_root,
      exercises,
      course_version: course_version(course_root),
      grader_version: grader_version(),
      cache_dir,
      concurrency,
      ...(deadline ? { deadline } : {}),
      ...(shard ? { shard } : {}),
      force: options.force ?? false,
      ...(options.buildTimeout ? { build_timeout_ms: whole("--build-timeout", options.buildTimeout, 300) * 1000 } : {}),
      ...(options.checkTimeout ? { check_timeout_ms: whole("--check-timeout", options.checkTimeout, 120) * 1000 } : {}),
      run_options: { roster: path.basename(roster_file), ...(options.only ? { only: options.only } : {}) },
      on_event: (event) => progress.event(event),
    });
  } finally {
    progress.end();
    history.close();
  }
  const graded = run.students.filter((s) => s.outcome === "graded" || s.outcome === "unchanged" || s.outcome === "error");
  process.stdout.write(`\n${m("summary", { graded: graded.length, total: run.students.length, seconds: Math.round((Date.now() - t0) / 1000) })}\n`);
  const errors = run.students.filter((s) => s.outcome === "error");
  if (errors.length > 0) process.stdout.write(`${c.yellow(m("with_errors", { ids: errors.map((s) => s.student.id).join(", ") }))}\n`);
  const absent = run.students.filter((s) => !["graded", "unchanged", "error"].includes(s.outcome));
  if (absent.length > 0) {
    const lines = absent.map((s) => `  · ${s.student.id} : ${m(`outcome_${s.outcome}` as "outcome_graded")}${s.message ? ` — ${s.message}` : ""}`).join("\n");
    process.stdout.write(`${m("not_graded", { lines })}\n`);
  }
  process.stdout.write(c.gray(`${m("next_report", { db: path.relative(process.cwd(), db_file) || db_file })}\n`));
  return EXIT_OK;
}

export function write_file(file: string, content: string): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written aside then renamed: a reader (a browser, a CI upload) never sees half a report.
  const partial = `${target}.partial-${process.pid}`;
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, target);
  return target;
}

/** What a gradebook file leaves out or warns about, on stderr, in the user's language. */
function gradebook_notes(what: string, book: Gradebook): string[] {
  const lines: string[] = [];
  if (book.left_out.length > 0) {
    const why = (w: string): string =>
      w === "never" ? m("why_never") : w === "unfetchable" ? m("why_unfetchable") : w.startsWith("error: ") ? m("why_error", { ids: w.slice(7) }) : m("why_unknown", { ids: w.replace(/^unknown: /, "") });
    lines.push(m("left_out", { what, lines: book.left_out.map((s) => `  · ${s.id} (${s.name}) : ${why(s.why)}`).join("\n") }));
  }
  for (const w of book.warnings) {
    if (w.kind === "name_only") lines.push(m("name_only", { ids: w.ids.join(", ") }));
    else if (w.kind === "new_assignment") lines.push(m("new_assignment", { assignment: w.assignment }));
    else if (w.kind === "not_usernames") lines.push(m("not_usernames", { ids: w.ids.join(", ") }));
    else if (w.kind === "missing_email") lines.push(m("missing_email", { ids: w.ids.join(", ") }));
    else lines.push(m("over_100", { ids: w.ids.join(", ") }));
  }
  return lines;
}

function moodle_scale(value: string | undefined): number | "raw" | undefined {
  if (value === undefined) return undefined;
  if (value === "raw") return "raw";
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(m("bad_scale", { value }));
  return n;
}

export async function cohort_report_command(options: CohortReportOptions): Promise<number> {
  const scale = moodle_scale(options.scale);
  const db_file = path.resolve(options.db ?? DEFAULT_DB);
  let history: History;
  try {
    history = History.open(db_file, { readonly: true });
  } catch (error) {
    if (error instanceof HistoryError) throw new CliError(m("no_db", { text: error.message }), EXIT_CANNOT_GRADE);
    throw error;
  }
  let report;
  try {
    report = cohort_report(history);
  } finally {
    history.close();
  }
  const notes: string[] = [];
  const book = (what: string, made: Gradebook): string => {
    notes.push(...gradebook_notes(what, made));
    return made.csv;
  };
  const outputs: [string | undefined, string, () => string][] = [
    [options.html, "HTML", () => report_html(report)],
    [options.csv, "CSV", () => report_csv(report)],
    [options.canvas, "Canvas", () => book("Canvas", report_canvas(report, options.assignment))],
    [options.moodle, "Moodle", () => book("Moodle", report_moodle(report, { ...(options.assignment ? { assignment: options.assignment } : {}), ...(scale !== undefined ? { scale } : {}) }))],
    [options.json, "JSON", () => report_json(report)],
  ];
  const known = report.students.filter((s) => s.points !== null);
  const mean = known.length ? known.reduce((a, s) => a + s.points!, 0) / known.length : 0;
  process.stdout.write(`${m("class_line", { students: report.students.length, runs: report.runs.length, mean: (Math.round(mean * 10) / 10).toString(), max: report.max_points })}\n`);
  process.stdout.write(c.gray(`${m("credited")}\n`));
  for (const [file, what, make] of outputs) {
    if (file) process.stdout.write(c.gray(`${m("written", { what, file: write_file(file, make()) })}\n`));
  }
  if (options.students) {
    const dir = path.resolve(options.students);
    const pages = student_pages(report, lang());
    for (const page of pages) {
      write_file(path.join(dir, `${page.id}.html`), page.html);
      write_file(path.join(dir, `${page.id}.md`), page.markdown);
    }
    // Where each page goes (the CI template hands them out): the name last, a shell's `read` takes the rest of the line.
    const list = report.students.map((s) => [s.id, s.repository ?? "", s.branch ?? "", `${s.id}.html`, `${s.id}.md`, s.name]);
    write_file(path.join(dir, "students.csv"), write_csv([["id", "repository", "branch", "html", "markdown", "name"], ...list]));
    process.stdout.write(c.gray(`${m("pages", { count: pages.length, dir })}\n`));
  }
  if (notes.length > 0) process.stderr.write(`${c.yellow(notes.join("\n"))}\n`);
  if (outputs.every(([file]) => !file)) {
    for (const s of report.students) {
      const cells = report.exercises.map((e) => {
        const cell = s.cells[e.id];
        if (!cell || cell.state === "never") return c.gray("·");
        if (cell.override) return c.cyan("✎");
        if (cell.points === null) return c.yellow(cell.state === "error" ? "!" : "?");
        return cell.state === "pass" ? c.green("✓") : c.red("✗");
      });
      const raw = s.raw_points !== null && s.raw_points !== s.points ? m("raw", { raw: String(s.raw_points) }) : "";
      const total = s.points === null ? c.yellow(`?/${s.max_points} ${m("unknown_total")}`) : c.gray(`${s.points}/${s.max_points}${raw}`);
      process.stdout.write(`  ${cells.join(" ")}  ${s.id} ${total}\n`);
    }
  }
  return EXIT_OK;
}

export async function cohort_merge_command(files: string[], options: CohortMergeOptions): Promise<number> {
  const db_file = options.db ?? DEFAULT_DB;
  try {
    const merged = merge_histories(files, db_file);
    process.stdout.write(`${m("merged", { ...merged, db: db_file })}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof MergeRefusedError || error instanceof HistoryError) throw new CliError(m("merge_refused", { text: error.message }), EXIT_CANNOT_GRADE);
    throw error;
  }
}
