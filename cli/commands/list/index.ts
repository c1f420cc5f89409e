// `dockerlings list`: the exercises in order, with part, points and status.
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width } from "../../ui/text.js";
import { format_list, list_rows } from "../../ui/exercise-list.js";
import { open_course } from "../../state/course-state.js";

export interface ListOptions {
  workspace?: string;
  json?: boolean;
}

const m = define_messages({
  created: {
    fr: (p: { dir: string; count: number }) => `Espace de travail créé : ${p.dir} (${p.count} exercices)`,
    en: (p: { dir: string; count: number }) => `Workspace created: ${p.dir} (${p.count} exercises)`,
  },
});

export async function list_command(options: ListOptions): Promise<number> {
  const { exercises, workspace, progress } = open_course(options);
  const rows = list_rows(exercises, progress);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ workspace: workspace.dir, exercises: rows }, null, 2)}\n`);
    return 0;
  }
  if (workspace.created.length > 0) {
    process.stdout.write(c.gray(`${m("created", { dir: workspace.dir, count: workspace.created.length })}\n\n`));
  }
  process.stdout.write(`${format_list(rows, terminal_width())}\n`);
  return 0;
}
