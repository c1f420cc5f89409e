// `dockerlings solution <id>`: the reference solution, once the exercise has
// passed (`--force` otherwise, after a warning). Shows the files the student
// edits, and any other file that differs from the starter.
import fs from "node:fs";
import path from "node:path";
import type { Exercise } from "../../../grader/index.js";
import { CliError, EXIT_CHECK_FAILED } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { open_course, shown_path } from "../../state/course-state.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";

const MAX_SHOWN_BYTES = 20_000;

const m = define_messages({
  locked: {
    fr: (p: { id: string }) =>
      `La solution de ${p.id} s'affiche une fois l'exercice réussi : c'est en cherchant qu'on apprend. ` +
      `Un indice d'abord : \`dockerlings hint ${p.id}\`. Pour la voir quand même : \`dockerlings solution ${p.id} --force\`.`,
    en: (p: { id: string }) =>
      `The solution of ${p.id} is shown once the exercise has passed: searching is how one learns. ` +
      `A hint first: \`dockerlings hint ${p.id}\`. To see it anyway: \`dockerlings solution ${p.id} --force\`.`,
  },
  warning: {
    fr: "Attention : vous n'avez pas encore réussi cet exercice. La solution vous prive du plaisir de trouver ; la voici quand même.",
    en: "Warning: you have not passed this exercise yet. The solution takes away the joy of finding it; here it is anyway.",
  },
  missing: {
    fr: (p: { dir: string }) => `Pas de solution dans ${p.dir} : le cours est-il complet ?`,
    en: (p: { dir: string }) => `No solution in ${p.dir}: is the course complete?`,
  },
  binary: { fr: (p: { bytes: number }) => `(fichier binaire, ${p.bytes} octets)`, en: (p: { bytes: number }) => `(binary file, ${p.bytes} bytes)` },
  large: { fr: (p: { bytes: number }) => `(${p.bytes} octets, non affiché)`, en: (p: { bytes: number }) => `(${p.bytes} bytes, not shown)` },
  compare: {
    fr: (p: { solution: string; mine: string }) => `Toute la solution est dans ${p.solution} ; pour comparer : diff -ru ${p.mine} ${p.solution}`,
    en: (p: { solution: string; mine: string }) => `The whole solution is in ${p.solution}; to compare: diff -ru ${p.mine} ${p.solution}`,
  },
});

function files_under(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...files_under(dir, child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

/** The solution's files worth showing: the editable ones first, then those that differ from the starter. */
export function solution_files(exercise: Exercise): string[] {
  const all = files_under(exercise.solution_dir);
  const editable = exercise.editable.filter((f) => all.includes(f));
  const changed = all.filter((f) => {
    if (editable.includes(f)) return false;
    const starter = path.join(exercise.starter_dir, f);
    return !fs.existsSync(starter) || !fs.readFileSync(starter).equals(fs.readFileSync(path.join(exercise.solution_dir, f)));
  });
  return [...editable, ...changed];
}

export async function solution_command(id: string, options: { workspace?: string; force?: boolean }): Promise<number> {
  const { exercises, workspace, progress } = open_course(options);
  const exercise = resolve_exercise(exercises, id, undefined);
  const width = terminal_width();
  const entry = progress.exercises[exercise.id];
  const passed = entry?.status === "pass" || Boolean(entry?.passed_at);
  if (!passed && !options.force) throw new CliError(m("locked", { id: exercise.id }), EXIT_CHECK_FAILED);
  if (!fs.existsSync(exercise.solution_dir)) throw new CliError(m("missing", { dir: shown_path(exercise.solution_dir) }));
  if (!passed) process.stderr.write(`${c.yellow(wrap(`! ${m("warning")}`, width, "  "))}\n\n`);
  const out: string[] = [];
  for (const file of solution_files(exercise)) {
    const full = path.join(exercise.solution_dir, file);
    const content = fs.readFileSync(full);
    const title = `── ${shown_path(full)} `;
    out.push(c.bold(c.cyan(title + "─".repeat(Math.max(3, Math.min(width, 80) - title.length)))));
    if (content.includes(0)) out.push(c.gray(m("binary", { bytes: content.length })));
    else if (content.length > MAX_SHOWN_BYTES) out.push(c.gray(m("large", { bytes: content.length })));
    else out.push(content.toString("utf8").trimEnd());
    out.push("");
  }
  const mine = `${shown_path(path.join(workspace.dir, exercise.id))}${path.sep}`;
  out.push(c.gray(wrap(m("compare", { solution: `${shown_path(exercise.solution_dir)}${path.sep}`, mine }), width)));
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}
