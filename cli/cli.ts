// The dockerlings program: registers the commands and imports each lazily.
// bin/dockerlings.js runs main(). Only this file (on a signal) and bin/ end
// the process; the language is decided once, in main().
import path from "node:path";
import { Command, CommanderError } from "commander";
import { CliError, EXIT_CANNOT_GRADE } from "./errors.js";
import { configure_color } from "./ui/color.js";
import { detect_lang, set_lang } from "./i18n/index.js";
import { lang_flag, localise_help } from "./i18n/help.js";

export const program = new Command();
let exit_code = 0;
/** The argv main() was given: a command run again in another node gets the same. */
let main_argv: string[] = process.argv;

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
  .option("--course <dir>", "le cours (pack) à utiliser, hors de ce dépôt (ou DOCKERLINGS_COURSE) / the course pack to use")
  .option("--accessible", "sortie pour lecteur d'écran (ou ACCESSIBLE=1) / output for screen readers")
  .exitOverride()
  .hook("preAction", (command) => {
    const options = command.opts<{ color?: boolean; lang?: string; course?: string; accessible?: boolean }>();
    // Like ACCESSIBLE=1, which cli/ui/terminal.ts reads: lines only appended, words for symbols.
    if (options.accessible) process.env.ACCESSIBLE = "1";
    configure_color(options.color === false ? false : undefined);
    // The one place --course acts: default_course_root() reads it, for every
    // command, and the spec workers and child processes inherit it.
    if (options.course) process.env.DOCKERLINGS_COURSE = path.resolve(options.course);
  });

program
  .command("init")
  .description("crée votre dossier de travail : un dossier par exercice, un README, la progression")
  .argument("[dir]", "le dossier à créer (défaut : dockerlings)")
  .action(act(async (dir) => (await import("./commands/init/index.js")).init_command(dir)));

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
  .option("--verbose", "montre toute la sortie d'une étape de build qui échoue")
  .option("--no-daemon", "corrige dans ce processus, sans le service de correction")
  .action(act(async (id, options) => (await import("./commands/check/index.js")).check_command(id, options)));

program
  .command("grade")
  .description("corrige tous les exercices d'une soumission, avec les points (enseignants, CI)")
  .option("--workspace <dir>", "dossier de la soumission (un sous-dossier par exercice)")
  .option("--only <ids>", "seulement ces exercices, séparés par des virgules (ex. 01,02)")
  .option("--json <file>", "écrit le résultat JSON dans ce fichier")
  .option("--junit <file>", "écrit un rapport JUnit XML dans ce fichier")
  .option("--classroom50 <file>", "écrit le result.json de Classroom 50 (classroom50/result/v1) dans ce fichier")
  .option("--github", "GitHub Actions : résumé du job, annotations, sortie `result` pour GitHub Classroom")
  .option("--min-score <n>", "code de sortie 1 si le score est sous ce nombre de points")
  .option("--parallel <n>", "exercices corrigés en même temps (défaut 1)")
  .option("--build-timeout <s>", "limite de temps d'un build, en secondes (défaut 300)")
  .option("--check-timeout <s>", "limite de temps d'une vérification, en secondes (défaut 120)")
  .option("--context-limit <mb>", "taille maximale du contexte de build, en Mo (défaut 50)")
  .option("--no-daemon", "corrige dans ce processus, sans le service de correction")
  .action(act(async (options) => (await import("./commands/grade/index.js")).grade_command(options)));

program
  .command("stop")
  .description("arrête le service de correction (la prochaine correction en démarre un autre)")
  .action(act(async () => (await import("./commands/stop/index.js")).stop_command()));

// The grading service, started by check and grade in the background (grader/service/).
program
  .command("serve", { hidden: true })
  .description("le service de correction (démarré par `dockerlings check` et `dockerlings grade`)")
  .requiredOption("--socket <path>", "socket du service")
  .requiredOption("--stamp <stamp>", "version du correcteur et du cours")
  .action(act(async (options) => (await import("./commands/serve/index.js")).serve_command(options)));

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
  .option("--session <id>", "seulement ce qu'une session de correction a créé (DOCKERLINGS_SESSION)")
  .action(act(async (options) => (await import("./commands/clean/index.js")).clean_command(options)));

program
  .command("watch", { isDefault: true })
  .description("corrige l'exercice en cours à chaque enregistrement ; touches h l e n r a c x q (la commande par défaut)")
  .option("--workspace <dir>", "dossier des soumissions (un sous-dossier par exercice)")
  .option("--manual", "corrige seulement sur la touche r (systèmes de fichiers sans événements d'enregistrement)")
  .option("--edit-cmd <command>", "ouvre les fichiers de chaque exercice avec cette commande, qui ne doit pas bloquer (ex. \"code\")")
  .option("--no-editor", "n'ouvre jamais d'éditeur de lui-même (VS Code)")
  // As the default command it also receives what no other command took: said plainly there.
  .allowExcessArguments(true)
  .action(act(async (options, command) => (await import("./commands/watch/index.js")).watch_command(options, command.args)));

program
  .command("lesson")
  .description("affiche la leçon d'un exercice (par défaut : l'exercice en cours)")
  .argument("[id]", "identifiant de l'exercice")
  .option("--workspace <dir>", "dossier des soumissions")
  .action(act(async (id, options) => (await import("./commands/lesson/index.js")).lesson_command(id, options)));

program
  .command("progress")
  .description("le résumé de votre progression et la carte du cours")
  .option("--workspace <dir>", "dossier des soumissions")
  .option("--json", "sortie JSON")
  .action(act(async (options) => (await import("./commands/progress/index.js")).progress_command(options)));

program
  .command("start")
  .description("fait d'un exercice l'exercice en cours (sauter n'importe où dans le cours)")
  .argument("<id>", "identifiant de l'exercice")
  .option("--workspace <dir>", "dossier des soumissions")
  .action(act(async (id, options) => (await import("./commands/start/index.js")).start_command(id, options)));

program
  .command("reset")
  .description("remet les fichiers de départ d'un exercice, en gardant les vôtres dans une sauvegarde")
  .argument("<id>", "identifiant de l'exercice")
  .option("--workspace <dir>", "dossier des soumissions")
  .option("--yes", "sans demander de confirmation")
  .action(act(async (id, options) => (await import("./commands/reset/index.js")).reset_command(id, options)));

program
  .command("solution")
  .description("montre la solution de référence d'un exercice réussi")
  .argument("<id>", "identifiant de l'exercice")
  .option("--workspace <dir>", "dossier des soumissions")
  .option("--force", "la montrer même si l'exercice n'est pas encore réussi")
  .action(act(async (id, options) => (await import("./commands/solution/index.js")).solution_command(id, options)));

// Authors of course packs: `dev new` scaffolds an exercise, `dev check` checks the pack.
const dev = program
  .command("dev")
  .description("écrire un cours : créer un exercice, vérifier le pack / authoring a course pack (new, check)");
dev
  .command("new")
  .description("crée un exercice : métadonnées, leçon, starter, solution et spec / scaffolds an exercise")
  .argument("<id>", "identifiant du nouvel exercice, ex. 17-mon-exercice")
  .option("--title <title>", "son titre / its title")
  .option("--part <part>", "sa partie du cours (un id de course.yaml) / its part")
  .option("--base <image>", "son image de base / its base image")
  .action(act(async (id, options) => (await import("./commands/dev/new.js")).dev_new_command(id, options)));
dev
  .command("check")
  .description("vérifie le pack : schémas, dossiers, indices, images, starters, solutions, mauvaises réponses / checks the pack")
  .argument("[ids...]", "seulement ces exercices / only these exercises")
  .option("--static", "sans moteur Docker : seulement ce qui se vérifie sans corriger / only what needs no engine")
  .option("--parallel <n>", "exercices corrigés en même temps (défaut 2) / exercises graded at once")
  .action(act(async (ids, options) => (await import("./commands/dev/check.js")).dev_check_command(ids, options)));

const cohort = program.command("cohort").description("corrige une classe entière depuis un roster, garde l'historique, en fait des rapports (bootcamps)");
const cohort_module = async () => import("./commands/cohort/index.js");
cohort
  .command("grade")
  .description("corrige chaque étudiant du roster et l'enregistre dans l'historique SQLite")
  .argument("<roster>", "roster YAML ou CSV (le nôtre, Classroom 50, export GitHub Classroom)")
  .option("--db <file>", "historique SQLite (défaut cohort.db)")
  .option("--concurrency <n>", "soumissions corrigées en même temps (défaut : les cœurs de la machine)")
  .option("--deadline <date>", "corrige le dernier commit avant cette date ISO 8601, ex. 2026-12-15T23:59+01:00")
  .option("--shard <i/n>", "seulement la part i sur n des étudiants (matrice de CI)")
  .option("--only <ids>", "seulement ces exercices, séparés par des virgules (ex. 01,02)")
  .option("--force", "corrige de nouveau même ce qui n'a pas changé")
  .option("--repo-pattern <url>", "roster Classroom 50 : l'adresse des dépôts, ex. https://github.com/ORG/tp-docker-{username}")
  .option("--cache <dir>", "dossier des dépôts récupérés (défaut .dockerlings-cohort à côté de --db)")
  .option("--build-timeout <s>", "limite de temps d'un build, en secondes")
  .option("--check-timeout <s>", "limite de temps d'un check, en secondes")
  .action(act(async (roster, options) => (await in_class_node()) ?? (await cohort_module()).cohort_grade_command(roster, options)));
cohort
  .command("report")
  .description("l'état de la classe depuis l'historique : HTML, CSV, Canvas, Moodle, JSON")
  .option("--db <file>", "historique SQLite (défaut cohort.db)")
  .option("--html <file>", "rapport HTML autonome (s'ouvre sans réseau)")
  .option("--csv <file>", "une ligne par étudiant, une colonne par exercice, le total")
  .option("--canvas <file>", "import du carnet de notes de Canvas")
  .option("--moodle <file>", "import des notes de Moodle")
  .option("--json <file>", "tout le rapport en JSON")
  .option("--assignment <name>", "nom du devoir dans Canvas et Moodle")
  .option("--scale <n|raw>", "Moodle : notes sur ce nombre de points (défaut 100), ou raw")
  .option("--students <dir>", "une page par étudiant (HTML autonome et Markdown), dans sa langue")
  .action(act(async (options) => (await cohort_module()).cohort_report_command(options)));
cohort
  .command("override")
  .description("fixe la note d'un exercice d'un étudiant ; aucune nouvelle correction ne la remplace")
  .argument("<student>", "l'identifiant de l'étudiant dans le roster")
  .argument("<exercise>", "l'exercice, ex. 02-couches-et-cache ou 02")
  .option("--points <n>", "la note, de 0 aux points de l'exercice")
  .option("--reason <text>", "la raison, gardée dans l'historique et montrée partout")
  .option("--clear", "retire la correction : la note redevient celle des corrections")
  .option("--by <name>", "qui corrige (défaut : le nom du compte)")
  .option("--db <file>", "historique SQLite (défaut cohort.db)")
  .action(act(async (student, exercise, options) => (await import("./commands/cohort/override.js")).cohort_override_command(student, exercise, options)));
cohort
  .command("similarity")
  .description("les paires d'étudiants dont les Dockerfiles partagent des lignes rares (qui a copié qui)")
  .argument("<roster>", "roster YAML ou CSV (le nôtre, Classroom 50, export GitHub Classroom)")
  .option("--db <file>", "historique SQLite : ce qu'il a corrigé est comparé (défaut cohort.db, s'il existe)")
  .option("--cache <dir>", "dossier des dépôts récupérés (défaut .dockerlings-cohort à côté de --db)")
  .option("--deadline <date>", "sans historique : le dernier commit avant cette date ISO 8601")
  .option("--only <ids>", "seulement ces exercices, séparés par des virgules (ex. 01,02)")
  .option("--repo-pattern <url>", "roster Classroom 50 : l'adresse des dépôts, ex. https://github.com/ORG/tp-docker-{username}")
  .option("--common-share <part>", "une ligne écrite par plus de cette part de la classe est commune, mise de côté (défaut 0.3)")
  .option("--min-lines <n>", "paires listées à partir de ce nombre de lignes rares en commun (défaut 2)")
  .option("--html <file>", "les paires et leurs lignes en commun, page autonome (s'ouvre sans réseau)")
  .option("--csv <file>", "une ligne par paire")
  .option("--dolos <dir>", "un dossier par exercice que Dolos lit tel quel (info.csv, le starter ignoré)")
  .action(act(async (roster, options) => (await import("./commands/cohort/similarity.js")).cohort_similarity_command(roster, options)));
cohort
  .command("merge")
  .description("un historique à partir des shards d'une matrice de CI")
  .argument("<shards...>", "les bases des shards (shard-*.db)")
  .option("--db <file>", "historique fusionné à écrire (défaut cohort.db)")
  .action(act(async (shards, options) => (await cohort_module()).cohort_merge_command(shards, options)));

/** Ctrl-C or SIGTERM: the conventional exit code (the grader, listening first, has handed off its cleanup). */
function exit_on_signal(signal: NodeJS.Signals): void {
  process.exit(signal === "SIGINT" ? 130 : 143);
}

function ignore_closed_pipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
}

/** Set in the node that in_class_node() starts: it grades, and starts no other. */
const CLASS_NODE = "DOCKERLINGS_CLASS_NODE";

/**
 * `cohort grade` runs in a node of its own, started with the memory settings
 * a class needs: a young generation of 1 MB (V8 grows it to 32 MB while the
 * grader loads, and never shrinks it; a running node cannot be given a
 * smaller one) and two malloc arenas (glibc makes one per thread otherwise,
 * and a class runs several threads). Measured on 24 students × 5 exercises at
 * --concurrency 2: 330 MB in one node as started by default, 285 MB for both
 * processes together (PSS), in the same time and less CPU. This process waits for it, passes it every signal it gets (a CI's
 * SIGTERM, a Ctrl-C: the class node then cleans up as it would alone), and
 * returns its exit code; undefined when already in it, or when it cannot start
 * (the grading then runs here).
 */
async function in_class_node(): Promise<number | undefined> {
  if (process.env[CLASS_NODE]) return undefined;
  const { spawn } = await import("node:child_process");
  const { proxySignals } = await import("foreground-child/proxy-signals");
  // A young generation the user chose (NODE_OPTIONS, node's own flags) is kept.
  const chosen = [process.env.NODE_OPTIONS ?? "", ...process.execArgv].some((flag) => flag.includes("semi-space-size"));
  const flags = chosen ? [] : ["--max-semi-space-size=1"];
  const env = { ...process.env, [CLASS_NODE]: "1", MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" };
  // The class node ends on a signal as this one would have: this one only waits for it.
  process.removeListener("SIGINT", exit_on_signal);
  process.removeListener("SIGTERM", exit_on_signal);
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...main_argv.slice(1)], { stdio: "inherit", env });
  const unproxy = proxySignals(child);
  return new Promise((resolve) => {
    child.once("error", () => {
      // Only a node that never started: one that ran has graded, and is not run again here.
      if (child.pid !== undefined) return;
      unproxy();
      process.on("SIGINT", exit_on_signal);
      process.on("SIGTERM", exit_on_signal);
      resolve(undefined);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : EXIT_CANNOT_GRADE)));
  });
}

/** Runs the program on argv; resolves with the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  main_argv = argv;
  // Here and once: before parsing, since commander prints --help while it parses.
  set_lang(detect_lang(lang_flag(argv)));
  localise_help(program);
  process.on("SIGINT", exit_on_signal);
  process.on("SIGTERM", exit_on_signal);
  // A reader that went away (`dockerlings cohort grade … | head`): the output is lost, the work is not; stopping
  // mid-grading would leave what was being built behind.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", ignore_closed_pipe);
  try {
    await program.parseAsync(argv);
    return exit_code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      return EXIT_CANNOT_GRADE;
    }
    const e = error as Error & { exit_code?: number };
    if (error instanceof CliError || e.name === "EngineUnavailableError" || e.name === "CourseError") {
      process.stderr.write(`${(await import("./errors.js")).error_text(e)}\n`);
      return e instanceof CliError ? e.exit_code : EXIT_CANNOT_GRADE;
    }
    process.stderr.write(`${(await import("./errors.js")).unexpected_text(e)}\n`);
    return EXIT_CANNOT_GRADE;
  }
}

