// `dockerlings init [DIR]`: makes a student's course folder (by default
// ./dockerlings): one folder per exercise from its starter, a README, a
// .gitignore and the progress folder; then says the next command. Run again
// in that folder, it adds the exercises a newer course has and changes
// nothing else. It never overwrites a file.
import fs from "node:fs";
import path from "node:path";
import { default_course_root, load_course, read_course_manifest, type Exercise } from "../../../grader/course/course.js";
import { CliError } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c, mark } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { shown_path } from "../../state/course-state.js";
import { load_progress, progress_path, save_progress } from "../../state/progress.js";
import { add_missing_exercises, ensure_state_dir, find_workspace } from "../../state/workspace.js";

/** The folder `init` makes when none is named. */
export const DEFAULT_DIR = "dockerlings";

const m = define_messages({
  not_a_folder: {
    fr: (p: { dir: string }) => `${p.dir} existe et n'est pas un dossier : choisissez un autre nom (\`dockerlings init AUTRE-DOSSIER\`).`,
    en: (p: { dir: string }) => `${p.dir} exists and is not a folder: choose another name (\`dockerlings init OTHER-FOLDER\`).`,
  },
  not_empty: {
    fr: (p: { dir: string; entries: string }) =>
      `${p.dir} existe déjà et contient d'autres fichiers (${p.entries}) : dockerlings n'y mélange pas ses exercices. ` +
      "Choisissez un dossier nouveau ou vide (`dockerlings init AUTRE-DOSSIER`).",
    en: (p: { dir: string; entries: string }) =>
      `${p.dir} already exists and holds other files (${p.entries}): dockerlings does not mix its exercises in. ` +
      "Choose a new or empty folder (`dockerlings init OTHER-FOLDER`).",
  },
  inside: {
    fr: (p: { dir: string; workspace: string }) =>
      `${p.dir} est dans l'espace de travail ${p.workspace} : continuez-y (\`cd ${p.workspace}\` puis \`dockerlings\`), ` +
      "ou choisissez un dossier en dehors.",
    en: (p: { dir: string; workspace: string }) =>
      `${p.dir} is inside the workspace ${p.workspace}: go on there (\`cd ${p.workspace}\` then \`dockerlings\`), or choose a folder outside it.`,
  },
  made: {
    fr: (p: { dir: string; count: number }) => `Espace de travail prêt : ${p.dir} (${p.count} exercices, un dossier chacun, et un README).`,
    en: (p: { dir: string; count: number }) => `Workspace ready: ${p.dir} (${p.count} exercises, one folder each, and a README).`,
  },
  completed: {
    fr: (p: { dir: string; ids: string }) => `${p.dir} était déjà un espace de travail : exercices ajoutés : ${p.ids}. Rien d'autre n'a changé.`,
    en: (p: { dir: string; ids: string }) => `${p.dir} was already a workspace: exercises added: ${p.ids}. Nothing else changed.`,
  },
  unchanged: {
    fr: (p: { dir: string }) => `${p.dir} est déjà un espace de travail avec tous les exercices : rien n'a changé.`,
    en: (p: { dir: string }) => `${p.dir} is already a workspace with every exercise: nothing changed.`,
  },
  next: { fr: "Pour commencer :", en: "To start:" },
  next_watch: {
    fr: "L'exercice en cours s'ouvre, corrigé à chaque enregistrement de ses fichiers.",
    en: "The current exercise opens, graded each time you save its files.",
  },
  readme: {
    fr: (p: { title: string; exercises: string }) =>
      `# ${p.title}\n\n` +
      "Votre dossier de travail, corrigé par dockerlings : un dossier par exercice, dans l'ordre du cours.\n\n" +
      `${p.exercises}\n\n` +
      "## Travailler\n\n" +
      "Depuis ce dossier ou l'un de ses sous-dossiers :\n\n" +
      "- `dockerlings` ouvre l'exercice en cours et le corrige à chaque enregistrement (les touches sont rappelées en bas de l'écran) ;\n" +
      "- `dockerlings check` le corrige une fois ;\n" +
      "- `dockerlings lesson` et `dockerlings hint` donnent la leçon et un indice ;\n" +
      "- `dockerlings list` et `dockerlings progress` disent où vous en êtes.\n\n" +
      "## Votre progression\n\n" +
      "`.dockerlings/progress.json` (l'état de chaque exercice) et `.dockerlings/history.jsonl` (une ligne par correction : " +
      "l'heure, l'exercice, les points, les indices vus) sont petits et ne disent rien d'autre : committez-les avec votre travail. " +
      "Les journaux de build et les sauvegardes restent hors de git (`.dockerlings/.gitignore`).\n",
    en: (p: { title: string; exercises: string }) =>
      `# ${p.title}\n\n` +
      "Your working folder, graded by dockerlings: one folder per exercise, in the course's order.\n\n" +
      `${p.exercises}\n\n` +
      "## Working\n\n" +
      "From this folder or any folder in it:\n\n" +
      "- `dockerlings` opens the current exercise and grades it on every save (its keys are shown at the bottom of the screen);\n" +
      "- `dockerlings check` grades it once;\n" +
      "- `dockerlings lesson` and `dockerlings hint` give the lesson and a hint;\n" +
      "- `dockerlings list` and `dockerlings progress` say where you are.\n\n" +
      "## Your progress\n\n" +
      "`.dockerlings/progress.json` (each exercise's state) and `.dockerlings/history.jsonl` (one line per grading: " +
      "the time, the exercise, the points, the hints seen) are small and say nothing else: commit them with your work. " +
      "Build logs and backups stay out of git (`.dockerlings/.gitignore`).\n",
  },
});

/** Editors' and systems' own files; dockerlings' own list is .dockerlings/.gitignore. */
const GITIGNORE = "# Files editors and systems leave beside yours (dockerlings keeps its own list in .dockerlings/.gitignore).\n*.swp\n*~\n.DS_Store\nThumbs.db\n";

/** What a folder holds besides hidden files, a README and a licence (what a new repository starts with). */
function other_entries(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => !name.startsWith(".") && !/^(readme|licen[cs]e)(\.|$)/i.test(name));
}

export function student_readme(title: string, exercises: Exercise[]): string {
  const list = exercises.map((e) => `- \`${e.id}/\` — ${e.title}`).join("\n");
  return m("readme", { title, exercises: list });
}

function write_if_missing(file: string, content: string): void {
  if (!fs.existsSync(file)) fs.writeFileSync(file, content);
}

export async function init_command(dir: string | undefined): Promise<number> {
  const course_root = default_course_root();
  const exercises = load_course(course_root);
  const target = path.resolve(dir ?? DEFAULT_DIR);
  const shown = `${shown_path(target) || "."}${path.sep}`;
  const found = find_workspace(
    target,
    course_root,
    exercises.map((e) => e.id),
  );
  const again = found !== undefined && found.kind !== "clone" && found.dir === target;
  if (found && found.kind !== "clone" && !again) {
    throw new CliError(m("inside", { dir: shown, workspace: `${shown_path(found.dir) || "."}${path.sep}` }));
  }
  if (!again && fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new CliError(m("not_a_folder", { dir: shown_path(target) }));
    const others = other_entries(target);
    if (others.length > 0) {
      const entries = others.slice(0, 3).join(", ") + (others.length > 3 ? ", …" : "");
      throw new CliError(m("not_empty", { dir: shown, entries }));
    }
  }

  const created = add_missing_exercises(target, exercises);
  ensure_state_dir(target);
  write_if_missing(path.join(target, "README.md"), student_readme(read_course_manifest(course_root).title, exercises));
  write_if_missing(path.join(target, ".gitignore"), GITIGNORE);
  if (!fs.existsSync(progress_path(target))) {
    const { progress } = load_progress(target);
    progress.current = exercises[0]?.id;
    save_progress(target, progress);
  }

  const width = terminal_width();
  const lines: string[] = [];
  if (!again) lines.push(`${mark.pass()} ${wrap(m("made", { dir: shown, count: created.length }), width, "  ")}`);
  else if (created.length > 0) lines.push(wrap(m("completed", { dir: shown, ids: created.join(", ") }), width, "  "));
  else lines.push(wrap(m("unchanged", { dir: shown }), width, "  "));
  lines.push("", m("next"));
  if (path.resolve(process.cwd()) !== target) lines.push(c.cyan(`  cd ${shell_word(shown_path(target))}`));
  lines.push(c.cyan("  dockerlings"), c.gray(wrap(m("next_watch"), width)));
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** A path as a shell command can take it. */
function shell_word(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

