// `dockerlings` (no arguments) and `dockerlings watch`: the watch loop on the
// current exercise. It needs a terminal for its keys; without one it says
// which command to use instead.
import fs from "node:fs";
import path from "node:path";
import { require_engine } from "../../../grader/index.js";
import { CliError } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { open_course } from "../../state/course-state.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";
import { WatchLoop } from "./watch-loop.js";

const m = define_messages({
  unknown_command: {
    fr: (p: { name: string }) => `Commande inconnue : « ${p.name} ». Les commandes : \`dockerlings --help\`.`,
    en: (p: { name: string }) => `Unknown command: "${p.name}". The commands: \`dockerlings --help\`.`,
  },
  no_folder: {
    fr: (p: { dir: string; id: string }) =>
      `Pas de dossier ${p.dir} pour l'exercice ${p.id} : --workspace doit contenir un sous-dossier par exercice.`,
    en: (p: { dir: string; id: string }) => `No folder ${p.dir} for exercise ${p.id}: --workspace must hold one sub-folder per exercise.`,
  },
  no_terminal: {
    fr:
      "Le mode interactif (`dockerlings` sans argument, ou `dockerlings watch`) a besoin d'un terminal, " +
      "et l'entrée ou la sortie n'en est pas un (tube, CI). Utilisez plutôt :\n" +
      "  dockerlings check      corrige l'exercice en cours (code de sortie 0 si réussi)\n" +
      "  dockerlings list       l'état de chaque exercice\n" +
      "  dockerlings hint       l'indice suivant",
    en:
      "Interactive mode (`dockerlings` with no arguments, or `dockerlings watch`) needs a terminal, " +
      "and the input or output is not one (a pipe, CI). Use instead:\n" +
      "  dockerlings check      grades the current exercise (exit code 0 when it passes)\n" +
      "  dockerlings list       the state of each exercise\n" +
      "  dockerlings hint       the next hint",
  },
});

export interface WatchOptions {
  workspace?: string;
  manual?: boolean;
  editCmd?: string;
  editor?: boolean;
}

export async function watch_command(options: WatchOptions, extra: string[] = []): Promise<number> {
  if (extra.length > 0) throw new CliError(m("unknown_command", { name: extra[0]! }));
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new CliError(m("no_terminal"));
  const state = open_course(options);
  const exercise = resolve_exercise(state.exercises, undefined, state.progress.current);
  const dir = path.join(state.workspace.dir, exercise.id);
  if (!fs.existsSync(dir)) throw new CliError(m("no_folder", { dir, id: exercise.id }));
  await require_engine();
  return new WatchLoop(state, exercise, { manual: options.manual, edit_cmd: options.editCmd, editor: options.editor }).run();
}
