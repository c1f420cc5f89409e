// The dockerlings program: registers the commands and imports each lazily.
// Only this file calls process.exit.
import { Command, CommanderError } from "commander";
import { CliError, EXIT_CANNOT_GRADE } from "./errors.js";
import { configure_color } from "./ui/color.js";
import { detect_lang, set_lang } from "./i18n/index.js";

const program = new Command();
let exit_code = 0;

/** Wraps a command so its returned exit code reaches main(). */
function act<A extends unknown[]>(command: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    exit_code = await command(...args);
  };
}

program
  .name("dockerlings")
  .description("Exercices auto-corrigés pour apprendre à écrire des Dockerfiles.")
  .version("0.1.0")
  .option("--no-color", "sans couleurs / no colours")
  .option("--lang <lang>", "langue des messages : fr ou en / language of messages")
  .exitOverride()
  .hook("preAction", (command) => {
    const options = command.opts<{ color?: boolean; lang?: string }>();
    configure_color(options.color === false ? false : undefined);
    set_lang(detect_lang(options.lang));
  });

program
  .command("list")
  .description("les exercices dans l'ordre, avec leur état")
  .option("--workspace <dir>", "dossier des soumissions (un sous-dossier par exercice)")
  .option("--json", "sortie JSON")
  .action(act(async (options) => (await import("./commands/list/index.js")).list_command(options)));

program
  .command("check")
  .description("corrige un exercice (par défaut : l'exercice en cours)")
  .argument("[id]", "identifiant de l'exercice, ex. 01-premier-dockerfile ou 01")
  .option("--workspace <dir>", "dossier des soumissions (un sous-dossier par exercice)")
  .option("--json", "résultat JSON sur la sortie standard")
  .action(act(async (id, options) => (await import("./commands/check/index.js")).check_command(id, options)));

program
  .command("hint")
  .description("affiche l'indice suivant d'un exercice (par défaut : l'exercice en cours)")
  .argument("[id]", "identifiant de l'exercice")
  .option("--workspace <dir>", "dossier des soumissions")
  .option("--all", "tous les indices d'un coup")
  .action(act(async (id, options) => (await import("./commands/hint/index.js")).hint_command(id, options)));

program
  .command("doctor")
  .description("vérifie le moteur Docker, BuildKit, les images de base et l'espace disque")
  .option("--json", "sortie JSON")
  .action(act(async (options) => (await import("./commands/doctor/index.js")).doctor_command(options)));

program
  .command("clean")
  .description("supprime les conteneurs, images et volumes laissés par dockerlings")
  .action(act(async () => (await import("./commands/clean/index.js")).clean_command()));


async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return exit_code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      return EXIT_CANNOT_GRADE;
    }
    const e = error as Error & { exit_code?: number };
    if (error instanceof CliError || e.name === "EngineUnavailableError" || e.name === "CourseError") {
      process.stderr.write(`dockerlings : ${e.message}\n`);
      return e instanceof CliError ? e.exit_code : EXIT_CANNOT_GRADE;
    }
    process.stderr.write(`dockerlings : erreur inattendue : ${e.stack ?? e.message}\n`);
    return EXIT_CANNOT_GRADE;
  }
}

process.exitCode = await main();
