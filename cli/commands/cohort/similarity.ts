// `dockerlings cohort similarity ROSTER`: who copied whom. Each exercise's
// Dockerfiles compared on the one model (grader/cohort/similarity.ts), the
// pairs sharing rare lines ranked in the terminal, and as HTML, CSV and a
// folder Dolos reads as it is. The Dockerfiles compared are those the
// history's latest grading graded (--db), else those `cohort grade` would
// grade. No engine needed.
import fs from "node:fs";
import path from "node:path";
import {
  load_course,
  default_course_root,
  History,
  HistoryError,
  collect_dockerfiles,
  compare_exercise,
  starter_dockerfile,
  similarity_html,
  similarity_csv,
  write_dolos,
  DEFAULT_COMMON_SHARE,
  DEFAULT_MIN_SHARED,
  rule_of,
  timeline_end,
  type ExerciseSimilarity,
} from "../../../grader/index.js";
import { CliError, EXIT_OK } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { cache_folder, DEFAULT_DB, deadline_option, open_roster, pick_exercises, whole, write_file } from "./index.js";

export interface CohortSimilarityOptions {
  db?: string;
  cache?: string;
  deadline?: string;
  only?: string;
  repoPattern?: string;
  commonShare?: string;
  minLines?: string;
  html?: string;
  csv?: string;
  dolos?: string;
}

const m = define_messages({
  bad_share: {
    fr: (p: { value: string }) => `--common-share attend une part de la classe entre 0 et 1 (ex. 0.3), pas « ${p.value} ».`,
    en: (p: { value: string }) => `--common-share expects a share of the class between 0 and 1 (e.g. 0.3), not "${p.value}".`,
  },
  history: {
    fr: (p: { text: string }) => `${p.text}\nSans historique, ce sont les soumissions que \`cohort grade\` corrigerait qui sont comparées : retirez --db, ou corrigez d'abord la classe.`,
    en: (p: { text: string }) => `${p.text}\nWithout a history, the submissions \`cohort grade\` would grade are compared: leave out --db, or grade the class first.`,
  },
  compared: {
    fr: (p: { exercise: string; count: number; common: number; pairs: number }) =>
      `${p.exercise} : ${p.count} Dockerfile(s), ${p.common} ligne(s) commune(s) mise(s) de côté, ${p.pairs} paire(s)`,
    en: (p: { exercise: string; count: number; common: number; pairs: number }) =>
      `${p.exercise}: ${p.count} Dockerfile(s), ${p.common} common line(s) set aside, ${p.pairs} pair(s)`,
  },
  pair: {
    fr: (p: { rank: number; a: string; b: string; score: string; lines: number; share_a: number; share_b: number }) =>
      `  ${p.rank}. ${p.a} ↔ ${p.b}  score ${p.score} · ${p.lines} ligne(s) rare(s) en commun (${p.share_a} % / ${p.share_b} % de leurs lignes propres)`,
    en: (p: { rank: number; a: string; b: string; score: string; lines: number; share_a: number; share_b: number }) =>
      `  ${p.rank}. ${p.a} ↔ ${p.b}  score ${p.score} · ${p.lines} rare line(s) shared (${p.share_a} % / ${p.share_b} % of their own lines)`,
  },
  more: {
    fr: (p: { count: number }) => `  … et ${p.count} autre(s) paire(s) : --html ou --csv pour toutes.`,
    en: (p: { count: number }) => `  … and ${p.count} more pair(s): --html or --csv for all of them.`,
  },
  absent: {
    fr: (p: { lines: string }) => `Sans Dockerfile à comparer :\n${p.lines}`,
    en: (p: { lines: string }) => `With no Dockerfile to compare:\n${p.lines}`,
  },
  written: {
    fr: (p: { what: string; file: string }) => `${p.what} écrit : ${p.file}`,
    en: (p: { what: string; file: string }) => `${p.what} written: ${p.file}`,
  },
  dolos: {
    fr: (p: { dir: string; first: string; share: number }) =>
      `Dolos : un dossier par exercice dans ${p.dir}, le starter comme modèle ignoré. Par exemple : dolos run -f web -M ${p.share} ${p.first}`,
    en: (p: { dir: string; first: string; share: number }) =>
      `Dolos: one folder per exercise in ${p.dir}, the starter as the ignored template. For example: dolos run -f web -M ${p.share} ${p.first}`,
  },
});

/** Pairs shown in the terminal per exercise; the files have them all. */
const SHOWN = 5;

function share_option(value: string | undefined): number {
  if (value === undefined) return DEFAULT_COMMON_SHARE;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new CliError(m("bad_share", { value }));
  return n;
}

export async function cohort_similarity_command(roster_file: string, options: CohortSimilarityOptions): Promise<number> {
  const course_root = default_course_root();
  const exercises = pick_exercises(load_course(course_root), options.only);
  const deadline = deadline_option(options.deadline);
  const common_share = share_option(options.commonShare);
  const min_shared = whole("--min-lines", options.minLines, DEFAULT_MIN_SHARED);
  const roster = open_roster(roster_file, options.repoPattern);
  const db_file = path.resolve(options.db ?? DEFAULT_DB);
  let history: History | undefined;
  // The default history is read when it is there; one named with --db must be.
  if (options.db !== undefined || fs.existsSync(db_file)) {
    try {
      history = History.open(db_file, { readonly: true });
    } catch (error) {
      if (error instanceof HistoryError) throw new CliError(m("history", { text: error.message }));
      throw error;
    }
  }
  let collected;
  try {
    collected = await collect_dockerfiles(roster.students, exercises, {
      cache_dir: cache_folder(db_file, options.cache),
      ...(history ? { history } : {}),
      // Each student's own deadline and late steps, as `cohort grade` reads them.
      deadline_of: (student) => timeline_end(rule_of(roster, student, deadline)),
    });
  } finally {
    history?.close();
  }
  const results: ExerciseSimilarity[] = exercises.map((e) =>
    compare_exercise(e.id, collected.dockerfiles.get(e.id) ?? [], starter_dockerfile(e), { common_share, min_shared }),
  );

  const out = process.stdout;
  for (const r of results) {
    if (r.submissions.length === 0) continue;
    out.write(`${c.bold(m("compared", { exercise: r.exercise_id, count: r.submissions.length, common: r.common.length, pairs: r.pairs.length }))}\n`);
    r.pairs.slice(0, SHOWN).forEach((p, i) =>
      out.write(
        `${m("pair", { rank: i + 1, a: p.a, b: p.b, score: (Math.round(p.score * 100) / 100).toString(), lines: p.shared.length, share_a: Math.round(p.a_share * 100), share_b: Math.round(p.b_share * 100) })}\n`,
      ),
    );
    if (r.pairs.length > SHOWN) out.write(`${c.gray(m("more", { count: r.pairs.length - SHOWN }))}\n`);
  }
  if (collected.absent.length > 0) {
    out.write(`${c.gray(m("absent", { lines: collected.absent.map((a) => `  · ${a.student.id} : ${a.message}`).join("\n") }))}\n`);
  }
  if (options.html) {
    const file = write_file(options.html, similarity_html(results, { generated_at: new Date().toISOString(), common_share, min_shared }));
    out.write(c.gray(`${m("written", { what: "HTML", file })}\n`));
  }
  if (options.csv) out.write(c.gray(`${m("written", { what: "CSV", file: write_file(options.csv, similarity_csv(results)) })}\n`));
  if (options.dolos) {
    const dir = path.resolve(options.dolos);
    const written = write_dolos(dir, results, new Map(exercises.map((e) => [e.id, starter_dockerfile(e)])));
    if (written[0]) out.write(c.gray(`${m("dolos", { dir, first: path.relative(process.cwd(), written[0]) || written[0], share: common_share })}\n`));
  }
  return EXIT_OK;
}
