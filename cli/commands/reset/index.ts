// `dockerlings reset <id>`: puts the exercise's starter back, after a
// confirmation, keeping what it replaces under workspace/.dockerlings/backups/.
import path from "node:path";
import readline from "node:readline";
import { CliError, EXIT_CHECK_FAILED } from "../../errors.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { open_course, shown_path } from "../../state/course-state.js";
import { backups_dir, reset_exercise } from "../../state/workspace.js";
import { resolve_exercise } from "../../state/resolve-exercise.js";

const m = define_messages({
  question: {
    fr: (p: { dir: string; backups: string }) =>
      `Remettre ${p.dir} dans son état de départ ? Vos fichiers actuels seront gardés dans ${p.backups}. [o/N] `,
    en: (p: { dir: string; backups: string }) =>
      `Put ${p.dir} back to its starting state? Your current files will be kept in ${p.backups}. [y/N] `,
  },
  no_terminal: {
    fr: (p: { id: string }) =>
      `La remise à zéro demande une confirmation, et il n'y a pas de terminal pour la donner. Pour confirmer d'avance : \`dockerlings reset ${p.id} --yes\`.`,
    en: (p: { id: string }) => `Resetting asks for a confirmation, and there is no terminal to give it. To confirm up front: \`dockerlings reset ${p.id} --yes\`.`,
  },
  declined: { fr: "Rien n'a été changé.", en: "Nothing was changed." },
  done: {
    fr: (p: { dir: string }) => `${p.dir} est revenu à son état de départ.`,
    en: (p: { dir: string }) => `${p.dir} is back to its starting state.`,
  },
  backup: {
    fr: (p: { backup: string }) => `Vos anciens fichiers sont dans ${p.backup}.`,
    en: (p: { backup: string }) => `Your previous files are in ${p.backup}.`,
  },
});

/** Asks a yes/no question on the terminal; only y, yes, o, oui say yes. */
export function confirm(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^(y|yes|o|oui)$/i.test(answer.trim()));
    });
    rl.on("close", () => {
      if (!answered) {
        process.stdout.write("\n");
        resolve(false);
      }
    });
  });
}

export async function reset_command(id: string, options: { workspace?: string; yes?: boolean }): Promise<number> {
  const { exercises, workspace } = open_course(options);
  const exercise = resolve_exercise(exercises, id, undefined);
  const width = terminal_width();
  const dir = `${shown_path(path.join(workspace.dir, exercise.id))}${path.sep}`;
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new CliError(m("no_terminal", { id: exercise.id }));
    const yes = await confirm(wrap(m("question", { dir, backups: `${shown_path(backups_dir(workspace.dir))}${path.sep}` }), width));
    if (!yes) {
      process.stdout.write(`${m("declined")}\n`);
      return EXIT_CHECK_FAILED;
    }
  }
  const { backup } = reset_exercise(workspace.dir, exercise);
  const lines = [c.green(wrap(m("done", { dir }), width))];
  if (backup) lines.push(wrap(m("backup", { backup: `${shown_path(backup)}${path.sep}` }), width));
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
