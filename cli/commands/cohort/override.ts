// `dockerlings cohort override STUDENT EXERCISE --points N --reason TEXT`
// (or `--clear`): a teacher's correction of one grade, kept in the history
// with who made it and when. Every output shows it as such, and no regrade
// replaces it: only another override or `--clear` does.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { History, HistoryError, class_standing } from "../../../grader/index.js";
import { CliError, EXIT_CANNOT_GRADE, EXIT_OK } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { DEFAULT_DB } from "./index.js";

export interface CohortOverrideOptions {
  db?: string;
  points?: string;
  reason?: string;
  clear?: boolean;
  by?: string;
}

const m = define_messages({
  no_db: {
    fr: (p: { db: string }) => `Pas d'historique ici : ${p.db} n'existe pas. Corrigez d'abord la classe : dockerlings cohort grade ROSTER --db ${p.db}.`,
    en: (p: { db: string }) => `No history here: ${p.db} does not exist. Grade the class first: dockerlings cohort grade ROSTER --db ${p.db}.`,
  },
  points_or_clear: {
    fr: "Donnez la note (--points N --reason TEXTE) ou retirez la correction (--clear), pas les deux ni aucun.",
    en: "Give the grade (--points N --reason TEXT) or withdraw the correction (--clear): one of the two.",
  },
  reason: {
    fr: "--reason TEXTE est demandé : la raison reste dans l'historique et s'affiche partout où la note apparaît.",
    en: "--reason TEXT is required: the reason stays in the history and shows wherever the grade does.",
  },
  unknown_student: {
    fr: (p: { id: string; ids: string }) => `Étudiant inconnu de l'historique : « ${p.id} ». Les étudiants sont : ${p.ids}.`,
    en: (p: { id: string; ids: string }) => `Student unknown to the history: "${p.id}". The students are: ${p.ids}.`,
  },
  unknown_exercise: {
    fr: (p: { id: string; ids: string }) => `Exercice inconnu de l'historique : « ${p.id} ». Les exercices corrigés sont : ${p.ids}.`,
    en: (p: { id: string; ids: string }) => `Exercise unknown to the history: "${p.id}". The exercises graded are: ${p.ids}.`,
  },
  bad_points: {
    fr: (p: { value: string; max: number }) => `--points attend un nombre de 0 à ${p.max} (les points de l'exercice), pas « ${p.value} ».`,
    en: (p: { value: string; max: number }) => `--points expects a number from 0 to ${p.max} (the exercise's points), not "${p.value}".`,
  },
  nothing_to_clear: {
    fr: (p: { student: string; exercise: string }) => `Aucune correction en vigueur pour ${p.student} · ${p.exercise} : rien à retirer.`,
    en: (p: { student: string; exercise: string }) => `No correction in force for ${p.student} · ${p.exercise}: nothing to withdraw.`,
  },
  set: {
    fr: (p: { student: string; exercise: string; points: string; max: number; before: string; reason: string; by: string; at: string }) =>
      `✎ ${p.student} · ${p.exercise} : ${p.points}/${p.max} (les corrections donnaient ${p.before}) — ${p.reason} — ${p.by}, ${p.at}`,
    en: (p: { student: string; exercise: string; points: string; max: number; before: string; reason: string; by: string; at: string }) =>
      `✎ ${p.student} · ${p.exercise}: ${p.points}/${p.max} (the gradings gave ${p.before}) — ${p.reason} — ${p.by}, ${p.at}`,
  },
  cleared: {
    fr: (p: { student: string; exercise: string; points: string; max: number }) => `${p.student} · ${p.exercise} : correction retirée, la note est de nouveau celle des corrections : ${p.points}/${p.max}.`,
    en: (p: { student: string; exercise: string; points: string; max: number }) => `${p.student} · ${p.exercise}: correction withdrawn, the grade is the gradings' again: ${p.points}/${p.max}.`,
  },
  kept: {
    fr: "Aucune nouvelle correction ne la remplacera ; `dockerlings cohort report` la montre partout (✎).",
    en: "No regrade will replace it; `dockerlings cohort report` shows it everywhere (✎).",
  },
});

/** Who makes the correction: --by, else the account's name. */
function who(by: string | undefined): string {
  if (by?.trim()) return by.trim();
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? "?";
  }
}

export async function cohort_override_command(student_id: string, exercise: string, options: CohortOverrideOptions): Promise<number> {
  if ((options.points === undefined) === !options.clear) throw new CliError(m("points_or_clear"));
  if (!options.clear && !options.reason?.trim()) throw new CliError(m("reason"));
  const db_file = path.resolve(options.db ?? DEFAULT_DB);
  if (!fs.existsSync(db_file)) throw new CliError(m("no_db", { db: options.db ?? DEFAULT_DB }), EXIT_CANNOT_GRADE);
  let history: History;
  try {
    history = History.open(db_file);
  } catch (error) {
    if (error instanceof HistoryError) throw new CliError(error.message, EXIT_CANNOT_GRADE);
    throw error;
  }
  try {
    const truth = class_standing(history);
    const student = truth.students.find((s) => s.student.id.toLowerCase() === student_id.toLowerCase());
    if (!student) throw new CliError(m("unknown_student", { id: student_id, ids: truth.students.map((s) => s.student.id).join(", ") }));
    // An exercise by its id or its number (02 for 02-couches-et-cache).
    const cell = student.exercises.find((e) => e.exercise_id === exercise) ?? student.exercises.find((e) => e.exercise_id.split("-")[0] === exercise);
    if (!cell) throw new CliError(m("unknown_exercise", { id: exercise, ids: truth.exercises.map((e) => e.id).join(", ") }));
    const names = { student: student.student.id, exercise: cell.exercise_id };
    if (options.clear) {
      if (!cell.override) throw new CliError(m("nothing_to_clear", names));
      history.record_override({ student_id: names.student, exercise_id: names.exercise, points: null, reason: options.reason?.trim() || "—", by: who(options.by) });
      const after = class_standing(history, { students: [names.student] }).students[0]!.exercises.find((e) => e.exercise_id === names.exercise)!;
      process.stdout.write(`${m("cleared", { ...names, points: after.points === null ? "?" : String(after.points), max: after.max_points })}\n`);
      return EXIT_OK;
    }
    const points = Number(options.points);
    if (options.points!.trim() === "" || !Number.isFinite(points) || points < 0 || points > cell.max_points) {
      throw new CliError(m("bad_points", { value: options.points!, max: cell.max_points }));
    }
    const made = history.record_override({ student_id: names.student, exercise_id: names.exercise, points, reason: options.reason!.trim(), by: who(options.by) });
    // What the gradings give without the correction: the credited points of the runs.
    const before = cell.override ? (cell.graded_points ?? null) : cell.points;
    process.stdout.write(
      `${m("set", { ...names, points: String(points), max: cell.max_points, before: before === null ? "?" : String(before), reason: made.reason, by: made.by, at: made.at.slice(0, 16).replace("T", " ") })}\n`,
    );
    process.stdout.write(c.gray(`${m("kept")}\n`));
    return EXIT_OK;
  } finally {
    history.close();
  }
}
