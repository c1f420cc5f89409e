// `dockerlings progress`: a summary of the course and its map, part by part.
import { define_messages, lang } from "../../i18n/index.js";
import { c, mark } from "../../ui/color.js";
import { pad_end, terminal_width, truncate, visible_width, wrap } from "../../ui/text.js";
import { course_bar, course_totals } from "../../ui/course-bar.js";
import { open_course, shown_path } from "../../state/course-state.js";
import { format_duration, history_path, read_history, summarise_attempts } from "../../state/history.js";
import { list_rows, status_mark, type ListRow } from "../../ui/exercise-list.js";

// The parts of this course, by id, in both languages; another pack's parts
// take their titles from its course.yaml.
const PARTS = define_messages({
  "5.1": { fr: "Comprendre le Dockerfile", en: "Understanding the Dockerfile" },
  "5.2": { fr: "Instructions de base", en: "Basic instructions" },
  "5.3": { fr: "Instructions avancées", en: "Advanced instructions" },
  "5.4": { fr: "Construction d'images", en: "Building images" },
  "5.5": { fr: "Optimisation", en: "Optimisation" },
  capstone: { fr: "Projet final", en: "Final project" },
});

const m = define_messages({
  title: { fr: (p: { dir: string }) => `Votre progression (${p.dir})`, en: (p: { dir: string }) => `Your progress (${p.dir})` },
  current: { fr: (p: { id: string }) => `Exercice en cours : ${p.id}`, en: (p: { id: string }) => `Current exercise: ${p.id}` },
  hints: { fr: (p: { n: number }) => `indices vus : ${p.n}`, en: (p: { n: number }) => `hints seen: ${p.n}` },
  resume: {
    fr: "Pour continuer : `dockerlings` (corrige à chaque enregistrement), ou `dockerlings check`.",
    en: "To go on: `dockerlings` (grades on every save), or `dockerlings check`.",
  },
  finished: { fr: "Cours terminé : bravo !", en: "Course finished: well done!" },
  attempts: {
    fr: (p: { n: number; time: string }) => `${p.n} essai${p.n > 1 ? "s" : ""} · ${p.time}`,
    en: (p: { n: number; time: string }) => `${p.n} attempt${p.n > 1 ? "s" : ""} · ${p.time}`,
  },
  total_attempts: {
    fr: (p: { n: number; time: string }) => `${p.n} essai${p.n > 1 ? "s" : ""} en tout, environ ${p.time} de travail`,
    en: (p: { n: number; time: string }) => `${p.n} attempt${p.n > 1 ? "s" : ""} in all, about ${p.time} of work`,
  },
  unreadable: {
    fr: (p: { file: string; lines: string }) => `Des lignes de ${p.file} ne se lisent pas (${p.lines}) : elles ne sont pas comptées. Le reste l'est.`,
    en: (p: { file: string; lines: string }) => `Some lines of ${p.file} cannot be read (${p.lines}): they are not counted. The rest is.`,
  },
});

/** A row of the course map, with the student's attempts at it. */
interface ProgressRow extends ListRow {
  attempts: number;
  time_spent_s: number;
}

/** course.yaml's title for the part, in the pack's language; this course's own parts in English when the messages are. */
export function part_title(part: string, pack_title?: string): string {
  const known = Object.hasOwn(PARTS.entries, part);
  if (known && lang() === "en") return PARTS(part as keyof typeof PARTS.entries);
  return pack_title ?? (known ? PARTS(part as keyof typeof PARTS.entries) : part);
}

interface PartSummary {
  part: string;
  title: string;
  done: number;
  total: number;
  points: number;
  max_points: number;
  exercises: ProgressRow[];
}

export async function progress_command(options: { workspace?: string; json?: boolean }): Promise<number> {
  const { exercises, workspace, progress } = open_course(options);
  const history = read_history(workspace.dir);
  const attempts = summarise_attempts(history.attempts);
  const rows: ProgressRow[] = list_rows(exercises, progress).map((row) => ({
    ...row,
    attempts: attempts.get(row.id)?.attempts ?? 0,
    time_spent_s: Math.round((attempts.get(row.id)?.time_spent_ms ?? 0) / 1000),
  }));
  if (history.unreadable.length > 0) {
    const lines = history.unreadable.slice(0, 5).join(", ") + (history.unreadable.length > 5 ? ", …" : "");
    process.stderr.write(`${c.yellow(wrap(`! ${m("unreadable", { file: shown_path(history_path(workspace.dir)), lines })}`, terminal_width(process.stderr), "  "))}\n`);
  }
  const totals = course_totals(exercises, progress);
  const parts: PartSummary[] = [];
  for (const row of rows) {
    let part = parts.find((p) => p.part === row.part);
    if (!part) {
      const pack_title = exercises.find((e) => e.id === row.id)?.part_title;
      part = { part: row.part, title: part_title(row.part, pack_title), done: 0, total: 0, points: 0, max_points: 0, exercises: [] };
      parts.push(part);
    }
    part.total++;
    if (row.status === "pass") part.done++;
    part.points += row.points;
    part.max_points += row.max_points;
    part.exercises.push(row);
  }
  const hints_seen = Object.values(progress.exercises).reduce((s, e) => s + e.hints_shown, 0);
  const current = rows.find((r) => r.current)?.id;
  const attempts_total = rows.reduce((s, r) => s + r.attempts, 0);
  const time_spent_s = rows.reduce((s, r) => s + r.time_spent_s, 0);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ workspace: workspace.dir, current, hints_seen, attempts: attempts_total, time_spent_s, ...totals, parts }, null, 2)}\n`);
    return 0;
  }
  const width = terminal_width();
  // From inside the workspace, "." or "../.." would say little: the full path.
  const where = shown_path(workspace.dir);
  const out: string[] = [c.bold(m("title", { dir: where === "." || where.startsWith("..") ? workspace.dir : where })), course_bar(totals)];
  const summary = [current ? m("current", { id: current }) : "", m("hints", { n: hints_seen })];
  if (attempts_total > 0) summary.push(m("total_attempts", { n: attempts_total, time: format_duration(time_spent_s * 1000) }));
  out.push(c.gray(wrap(summary.filter(Boolean).join(" · "), width, "  ")));
  for (const part of parts) {
    const score = `${part.done}/${part.total}  ${String(part.points).padStart(3)}/${part.max_points} pts`;
    const head = `${part.part.padEnd(8)} ${part.title}`;
    out.push("", `${c.bold(pad_end(truncate(head, width - score.length - 2), width - score.length))}${c.gray(score)}`.trimEnd());
    for (const row of part.exercises) {
      const pointer = mark.current(row.current);
      const tried = row.attempts > 0 ? m("attempts", { n: row.attempts, time: format_duration(row.time_spent_s * 1000) }) : "";
      const head = `${pointer} ${status_mark(row.status)} ${row.id.padEnd(24)} `;
      const room = width - visible_width(head) - (tried ? tried.length + 2 : 0);
      out.push(tried ? `${head}${pad_end(truncate(row.title, room), room)}  ${c.gray(tried)}` : `${head}${truncate(row.title, room)}`);
    }
  }
  out.push("", c.gray(wrap(totals.done === totals.total && totals.total > 0 ? m("finished") : m("resume"), width)));
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}
