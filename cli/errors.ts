// Commands throw CliError; only cli.ts calls process.exit.
import { define_messages } from "./i18n/index.js";
import { terminal_width, wrap } from "./ui/text.js";

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_CANNOT_GRADE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exit_code: number = EXIT_CANNOT_GRADE,
  ) {
    super(message);
    this.name = "CliError";
  }
}

const m = define_messages({
  prefix: { fr: (p: { text: string }) => `dockerlings : ${p.text}`, en: (p: { text: string }) => `dockerlings: ${p.text}` },
  unexpected: {
    fr: (p: { text: string }) => `dockerlings : erreur inattendue : ${p.text}`,
    en: (p: { text: string }) => `dockerlings: unexpected error: ${p.text}`,
  },
  no_engine: {
    fr: (p: { cause: string }) =>
      `Aucun moteur Docker ne répond (${p.cause}).\n` +
      "Démarrez-en un : `sudo systemctl start docker` (ou `sudo dockerd &`, ou lancez Docker Desktop), " +
      "vérifiez avec `docker info`, puis relancez la commande.",
    en: (p: { cause: string }) =>
      `No Docker engine answers (${p.cause}).\n` +
      "Start one: `sudo systemctl start docker` (or `sudo dockerd &`, or open Docker Desktop), " +
      "check with `docker info`, then run the command again.",
  },
});

/** The grader's errors in the CLI's language, where the CLI knows them. */
export function explain_error(error: Error & { cause_text?: string }): string {
  if (error.name === "EngineUnavailableError" && typeof error.cause_text === "string") return m("no_engine", { cause: error.cause_text });
  return error.message;
}

/** An error as the student reads it on stderr: in their language, wrapped to the terminal. */
export function error_text(error: Error & { cause_text?: string }): string {
  return wrap(m("prefix", { text: explain_error(error) }), terminal_width(process.stderr), "  ");
}

/** A bug's report: the stack, for whoever fixes it. */
export function unexpected_text(error: Error): string {
  return m("unexpected", { text: error.stack ?? error.message });
}
