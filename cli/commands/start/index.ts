// `dockerlings start <id>`: makes an exercise the current one, wherever it is in the course.
import path from "node:path";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { open_course, shown_path, update_progress } from "../../state/course-state.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";

const m = define_messages({
  current: {
    fr: (p: { id: string; title: string }) => `Exercice en cours : ${p.id} — ${p.title}`,
    en: (p: { id: string; title: string }) => `Current exercise: ${p.id} — ${p.title}`,
  },
  folder: {
    fr: (p: { dir: string; files: string }) => `Fichiers à modifier dans ${p.dir} : ${p.files}`,
    en: (p: { dir: string; files: string }) => `Files to edit in ${p.dir}: ${p.files}`,
  },
  next: {
    fr: (p: { id: string }) =>
      `Lisez la leçon : \`dockerlings lesson ${p.id}\`. Puis lancez \`dockerlings\` : l'exercice est corrigé à chaque enregistrement.`,
    en: (p: { id: string }) => `Read the lesson: \`dockerlings lesson ${p.id}\`. Then run \`dockerlings\`: the exercise is graded on every save.`,
  },
});

export async function start_command(id: string, options: { workspace?: string }): Promise<number> {
  const { exercises, workspace } = open_course(options);
  const exercise = resolve_exercise(exercises, id, undefined);
  update_progress(workspace.dir, (p) => {
    p.current = exercise.id;
  });
  const width = terminal_width();
  const dir = `${shown_path(path.join(workspace.dir, exercise.id))}${path.sep}`;
  process.stdout.write(
    [
      c.bold(m("current", { id: exercise.id, title: exercise.title })),
      wrap(m("folder", { dir, files: exercise.editable.join(", ") }), width, "  "),
      "",
      wrap(m("next", { id: exercise.id }), width),
    ].join("\n") + "\n",
  );
  return 0;
}
