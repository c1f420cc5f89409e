// `--help` in the student's language, from the one catalogue. Commands are
// declared in cli.ts (with a French description, for whoever reads that file);
// localise_help() puts this catalogue's text in place for every command,
// option and argument, in the language the entry decided. A command, option
// or argument with no entry here fails test/messages.test.ts (missing_help()).
//
// Keys: a command by its path ("check", "dev new"; "" for the program); an
// option by "<command path> --long" or "* --long" for every command; an
// argument by "<command path> <name>" or "* <name>".
import type { Command } from "commander";
import { define_messages } from "./index.js";

const help = define_messages({
  "": { fr: "Exercices auto-corrigés pour apprendre à écrire des Dockerfiles.", en: "Auto-graded exercises for learning to write Dockerfiles." },
  " --no-color": { fr: "sans couleurs", en: "no colours" },
  " --lang": { fr: "langue des messages : fr ou en", en: "language of messages: fr or en" },
  " --course": {
    fr: "le cours (pack) à utiliser, hors de ce dépôt (ou DOCKERLINGS_COURSE)",
    en: "the course pack to use, outside this repository (or DOCKERLINGS_COURSE)",
  },
  " --accessible": {
    fr: "sortie pour lecteur d'écran : des lignes ajoutées seulement, des mots pour chaque symbole (ou ACCESSIBLE=1)",
    en: "output for screen readers: lines only ever appended, words for every symbol (or ACCESSIBLE=1)",
  },
  " --version": { fr: "affiche la version", en: "output the version number" },
  "* --help": { fr: "affiche l'aide", en: "display help" },
  help: { fr: "affiche l'aide d'une commande", en: "display help for a command" },
  watch: {
    fr: "corrige l'exercice en cours à chaque enregistrement ; touches h l e n r a c x q (la commande par défaut)",
    en: "grades the current exercise on every save; keys h l e n r a c x q (the default command)",
  },
  "watch --edit-cmd": {
    fr: "ouvre les fichiers de chaque exercice avec cette commande, qui ne doit pas bloquer (ex. \"code\") ; sinon EDITOR sur la touche e",
    en: "opens each exercise's files with this command, which must not block (e.g. \"code\"); else EDITOR on key e",
  },
  "watch --no-editor": { fr: "n'ouvre jamais d'éditeur de lui-même (VS Code)", en: "never opens an editor by itself (VS Code)" },
  "watch --manual": {
    fr: "corrige seulement sur la touche r (systèmes de fichiers sans événements d'enregistrement)",
    en: "grade only when r is pressed (for file systems whose save events do not arrive)",
  },
  init: {
    fr: "crée votre dossier de travail : un dossier par exercice, un README, la progression",
    en: "makes your working folder: one folder per exercise, a README, the progress",
  },
  "init <dir>": { fr: "le dossier à créer (défaut : dockerlings)", en: "the folder to make (default: dockerlings)" },
  list: { fr: "les exercices dans l'ordre, avec leur état", en: "the exercises in order, with their status" },
  check: { fr: "corrige un exercice (par défaut : l'exercice en cours)", en: "grades one exercise (default: the current one)" },
  "check --json": { fr: "résultat JSON sur la sortie standard", en: "JSON result on standard output" },
  "check --verbose": { fr: "montre toute la sortie d'une étape de build qui échoue", en: "show the whole output of a failing build step" },
  "* --no-daemon": {
    fr: "corrige dans ce processus, sans le service de correction (ou DOCKERLINGS_DAEMON=off)",
    en: "grade in this process, without the grading service (or DOCKERLINGS_DAEMON=off)",
  },
  stop: {
    fr: "arrête le service de correction (la prochaine correction en démarre un autre)",
    en: "stops the grading service (the next grading starts another)",
  },
  serve: { fr: "le service de correction (démarré par `dockerlings check` et `dockerlings grade`)", en: "the grading service (started by check and grade)" },
  "serve --socket": { fr: "socket du service", en: "the service's socket" },
  "serve --stamp": { fr: "version du correcteur et du cours", en: "version of the grader and the course" },
  grade: {
    fr: "corrige tous les exercices d'une soumission, avec les points (enseignants, CI)",
    en: "grades every exercise of a submission, with points (teachers, CI)",
  },
  "grade --workspace": { fr: "dossier de la soumission (un sous-dossier par exercice)", en: "the submission's folder (one sub-folder per exercise)" },
  "grade --only": { fr: "seulement ces exercices, séparés par des virgules (ex. 01,02)", en: "only these exercises, comma-separated (e.g. 01,02)" },
  "grade --json": { fr: "écrit le résultat JSON dans ce fichier", en: "writes the JSON result to this file" },
  "grade --junit": { fr: "écrit un rapport JUnit XML dans ce fichier", en: "writes a JUnit XML report to this file" },
  "grade --classroom50": {
    fr: "écrit le result.json de Classroom 50 (classroom50/result/v1) dans ce fichier ; code de sortie 2 si un exercice n'a pas pu être corrigé",
    en: "writes Classroom 50's result.json (classroom50/result/v1) to this file; exit code 2 when an exercise could not be graded",
  },
  "grade --github": {
    fr: "GitHub Actions : résumé du job, annotations, sortie `result` pour GitHub Classroom",
    en: "GitHub Actions: job summary, annotations, `result` output for GitHub Classroom",
  },
  "grade --min-score": { fr: "code de sortie 1 si le score est sous ce nombre de points", en: "exit code 1 when the score is under this many points" },
  "grade --parallel": { fr: "exercices corrigés en même temps (défaut 1)", en: "exercises graded at once (default 1)" },
  "grade --build-timeout": { fr: "limite de temps d'un build, en secondes (défaut 300)", en: "time limit of one build, in seconds (default 300)" },
  "grade --check-timeout": { fr: "limite de temps d'une vérification, en secondes (défaut 120)", en: "time limit of one check, in seconds (default 120)" },
  "grade --context-limit": { fr: "taille maximale du contexte de build, en Mo (défaut 50)", en: "largest build context, in MB (default 50)" },
  hint: {
    fr: "affiche l'indice suivant d'un exercice (par défaut : l'exercice en cours)",
    en: "shows the next hint of an exercise (default: the current one)",
  },
  "hint --all": { fr: "tous les indices d'un coup", en: "all the hints at once" },
  lesson: { fr: "affiche la leçon d'un exercice (par défaut : l'exercice en cours)", en: "shows an exercise's lesson (default: the current one)" },
  progress: { fr: "le résumé de votre progression et la carte du cours", en: "a summary of your progress and the course map" },
  start: {
    fr: "fait d'un exercice l'exercice en cours (sauter n'importe où dans le cours)",
    en: "makes an exercise the current one (jump anywhere in the course)",
  },
  reset: {
    fr: "remet les fichiers de départ d'un exercice, en gardant les vôtres dans une sauvegarde",
    en: "puts an exercise's starting files back, keeping yours in a backup",
  },
  "reset --yes": { fr: "sans demander de confirmation", en: "do not ask for confirmation" },
  solution: { fr: "montre la solution de référence d'un exercice réussi", en: "shows the reference solution of an exercise you have passed" },
  "solution --force": { fr: "la montrer même si l'exercice n'est pas encore réussi", en: "show it even though the exercise has not passed" },
  doctor: {
    fr: "vérifie le moteur Docker, BuildKit, les images de base et l'espace disque",
    en: "checks the Docker engine, BuildKit, the base images and disk space",
  },
  clean: { fr: "supprime les conteneurs, images et volumes laissés par dockerlings", en: "removes the containers, images and volumes left by dockerlings" },
  "clean --session": {
    fr: "seulement ce qu'une session de correction a créé (DOCKERLINGS_SESSION)",
    en: "only what one grading session created (DOCKERLINGS_SESSION)",
  },
  dev: {
    fr: "écrire un cours : créer un exercice, vérifier le pack (new, check)",
    en: "authoring a course pack: scaffold an exercise, check the pack (new, check)",
  },
  "dev new": {
    fr: "crée un exercice : métadonnées, leçon, starter, solution et spec",
    en: "scaffolds an exercise: metadata, lesson, starter, solution and spec",
  },
  "dev new <id>": { fr: "identifiant du nouvel exercice, ex. 17-mon-exercice", en: "the new exercise's id, e.g. 17-my-exercise" },
  "dev new --title": { fr: "son titre", en: "its title" },
  "dev new --part": { fr: "sa partie du cours (un id de course.yaml)", en: "its part of the course (an id from course.yaml)" },
  "dev new --base": { fr: "son image de base", en: "its base image" },
  "dev check": {
    fr: "vérifie le pack : schémas, dossiers, indices, images, starters, solutions, mauvaises réponses",
    en: "checks the pack: schemas, folders, hints, images, starters, solutions, wrong answers",
  },
  "dev check <ids>": { fr: "seulement ces exercices", en: "only these exercises" },
  "dev check --static": {
    fr: "sans moteur Docker : seulement ce qui se vérifie sans corriger",
    en: "without a Docker engine: only what can be checked without grading",
  },
  "dev check --parallel": { fr: "exercices corrigés en même temps (défaut 2)", en: "exercises graded at once (default 2)" },
  cohort: {
    fr: "corrige une classe entière depuis un roster, garde l'historique, en fait des rapports (bootcamps)",
    en: "grades a whole class from a roster, keeps the history, makes reports from it (bootcamps)",
  },
  "cohort grade": {
    fr: "corrige chaque étudiant du roster et l'enregistre dans l'historique SQLite",
    en: "grades every student of the roster and records it in the SQLite history",
  },
  "cohort grade <roster>": {
    fr: "roster YAML ou CSV (le nôtre, Classroom 50, export GitHub Classroom)",
    en: "YAML or CSV roster (ours, Classroom 50, a GitHub Classroom export)",
  },
  "cohort grade --db": { fr: "historique SQLite (défaut cohort.db)", en: "SQLite history (default cohort.db)" },
  "cohort grade --concurrency": {
    fr: "soumissions corrigées en même temps (défaut : les cœurs de la machine)",
    en: "submissions graded at once (default: the machine's cores)",
  },
  "cohort grade --deadline": {
    fr: "corrige le dernier commit avant cette date ISO 8601, ex. 2026-12-15T23:59+01:00",
    en: "grades the last commit before this ISO 8601 date, e.g. 2026-12-15T23:59+01:00",
  },
  "cohort grade --shard": { fr: "seulement la part i sur n des étudiants (matrice de CI)", en: "only share i of n of the students (a CI matrix)" },
  "cohort grade --only": { fr: "seulement ces exercices, séparés par des virgules (ex. 01,02)", en: "only these exercises, comma-separated (e.g. 01,02)" },
  "cohort grade --force": { fr: "corrige de nouveau même ce qui n'a pas changé", en: "grades again even what has not changed" },
  "cohort grade --repo-pattern": {
    fr: "roster Classroom 50 : l'adresse des dépôts, ex. https://github.com/ORG/tp-docker-{username}",
    en: "Classroom 50 roster: the repositories' address, e.g. https://github.com/ORG/tp-docker-{username}",
  },
  "cohort grade --cache": {
    fr: "dossier des dépôts récupérés (défaut .dockerlings-cohort à côté de --db)",
    en: "folder of the fetched repositories (default .dockerlings-cohort next to --db)",
  },
  "cohort grade --build-timeout": { fr: "limite de temps d'un build, en secondes", en: "time limit of one build, in seconds" },
  "cohort grade --check-timeout": { fr: "limite de temps d'une vérification, en secondes", en: "time limit of one check, in seconds" },
  "cohort report": {
    fr: "l'état de la classe depuis l'historique : HTML, CSV, Canvas, Moodle, JSON",
    en: "the class's state from the history: HTML, CSV, Canvas, Moodle, JSON",
  },
  "cohort report --db": { fr: "historique SQLite (défaut cohort.db)", en: "SQLite history (default cohort.db)" },
  "cohort report --html": { fr: "rapport HTML autonome (s'ouvre sans réseau)", en: "self-contained HTML report (opens without a network)" },
  "cohort report --csv": {
    fr: "une ligne par étudiant, une colonne par exercice, le total",
    en: "one row per student, one column per exercise, the total",
  },
  "cohort report --canvas": { fr: "import du carnet de notes de Canvas", en: "Canvas gradebook import" },
  "cohort report --moodle": { fr: "import des notes de Moodle", en: "Moodle grades import" },
  "cohort report --json": { fr: "tout le rapport en JSON", en: "the whole report as JSON" },
  "cohort report --assignment": {
    fr: "nom du devoir dans Canvas (« Titre (123) » : le devoir existant d'identifiant 123) et Moodle",
    en: "the assignment's name in Canvas (\"Title (123)\": the existing assignment of id 123) and Moodle",
  },
  "cohort report --scale": {
    fr: "Moodle : notes sur ce nombre de points (défaut 100), ou « raw » pour les points bruts",
    en: "Moodle: grades out of this many points (default 100), or \"raw\" for the points themselves",
  },
  "cohort report --students": {
    fr: "une page par étudiant (HTML autonome et Markdown), dans sa langue",
    en: "one page per student (self-contained HTML and Markdown), in their language",
  },
  "cohort override": {
    fr: "fixe la note d'un exercice d'un étudiant ; aucune nouvelle correction ne la remplace",
    en: "sets one student's grade on one exercise; no regrade replaces it",
  },
  "cohort override <student>": { fr: "l'identifiant de l'étudiant dans le roster", en: "the student's id in the roster" },
  "cohort override <exercise>": { fr: "l'exercice, ex. 02-couches-et-cache ou 02", en: "the exercise, e.g. 02-couches-et-cache or 02" },
  "cohort override --points": { fr: "la note, de 0 aux points de l'exercice", en: "the grade, from 0 to the exercise's points" },
  "cohort override --reason": { fr: "la raison, gardée dans l'historique et montrée partout", en: "the reason, kept in the history and shown everywhere" },
  "cohort override --clear": {
    fr: "retire la correction : la note redevient celle des corrections",
    en: "withdraws the correction: the grade is the gradings' again",
  },
  "cohort override --by": { fr: "qui corrige (défaut : le nom du compte)", en: "who corrects (default: the account's name)" },
  "cohort override --db": { fr: "historique SQLite (défaut cohort.db)", en: "SQLite history (default cohort.db)" },
  "cohort similarity": {
    fr: "les paires d'étudiants dont les Dockerfiles partagent des lignes rares (qui a copié qui)",
    en: "the pairs of students whose Dockerfiles share rare lines (who copied whom)",
  },
  "cohort similarity <roster>": {
    fr: "roster YAML ou CSV (le nôtre, Classroom 50, export GitHub Classroom)",
    en: "YAML or CSV roster (ours, Classroom 50, a GitHub Classroom export)",
  },
  "cohort similarity --db": {
    fr: "historique SQLite : ce qu'il a corrigé est comparé (défaut cohort.db, s'il existe)",
    en: "SQLite history: what it graded is compared (default cohort.db, when there)",
  },
  "cohort similarity --cache": {
    fr: "dossier des dépôts récupérés (défaut .dockerlings-cohort à côté de --db)",
    en: "folder of the fetched repositories (default .dockerlings-cohort next to --db)",
  },
  "cohort similarity --deadline": {
    fr: "sans historique : le dernier commit avant cette date ISO 8601",
    en: "without a history: the last commit before this ISO 8601 date",
  },
  "cohort similarity --only": { fr: "seulement ces exercices, séparés par des virgules (ex. 01,02)", en: "only these exercises, comma-separated (e.g. 01,02)" },
  "cohort similarity --repo-pattern": {
    fr: "roster Classroom 50 : l'adresse des dépôts, ex. https://github.com/ORG/tp-docker-{username}",
    en: "Classroom 50 roster: the repositories' address, e.g. https://github.com/ORG/tp-docker-{username}",
  },
  "cohort similarity --common-share": {
    fr: "une ligne écrite par plus de cette part de la classe est commune, mise de côté (défaut 0.3)",
    en: "a line written by more than this share of the class is common, set aside (default 0.3)",
  },
  "cohort similarity --min-lines": {
    fr: "paires listées à partir de ce nombre de lignes rares en commun (défaut 2)",
    en: "pairs listed from this many rare lines shared (default 2)",
  },
  "cohort similarity --html": {
    fr: "les paires et leurs lignes en commun, page autonome (s'ouvre sans réseau)",
    en: "the pairs and the lines they share, a self-contained page (opens without a network)",
  },
  "cohort similarity --csv": { fr: "une ligne par paire", en: "one row per pair" },
  "cohort similarity --dolos": {
    fr: "un dossier par exercice que Dolos lit tel quel (info.csv, le starter ignoré)",
    en: "one folder per exercise that Dolos reads as it is (info.csv, the starter ignored)",
  },
  "cohort merge": { fr: "un historique à partir des shards d'une matrice de CI", en: "one history from the shards of a CI matrix" },
  "cohort merge <shards>": { fr: "les bases des shards (shard-*.db)", en: "the shards' databases (shard-*.db)" },
  "cohort merge --db": { fr: "historique fusionné à écrire (défaut cohort.db)", en: "merged history to write (default cohort.db)" },
  "* --workspace": { fr: "dossier des soumissions (un sous-dossier par exercice)", en: "folder of submissions (one sub-folder per exercise)" },
  "* --json": { fr: "sortie JSON", en: "JSON output" },
  "* <id>": { fr: "identifiant de l'exercice, ex. 01-premier-dockerfile ou 01", en: "the exercise's id, e.g. 01-premier-dockerfile or 01" },
});

type Key = keyof typeof help.entries & string;
const has = (key: string): key is Key => Object.hasOwn(help.entries, key);

/** The --lang value in argv, if any (--lang en, --lang=en). */
export function lang_flag(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--lang") return argv[i + 1];
    if (arg.startsWith("--lang=")) return arg.slice("--lang=".length);
  }
  return undefined;
}

interface HelpText {
  /** What the text describes, as a person would name it. */
  what: string;
  /** The catalogue's entry for it, if any. */
  key: Key | undefined;
  apply(text: string): void;
}

/** Every text of the program's --help, with its entry in the catalogue. */
function help_texts(program: Command): HelpText[] {
  const texts: HelpText[] = [];
  const pick = (...keys: string[]): Key | undefined => keys.find(has);
  const walk = (command: Command, path: string): void => {
    const shown = path === "" ? "the program" : `command "${path}"`;
    if (path !== "") texts.push({ what: shown, key: pick(path), apply: (t) => command.description(t) });
    texts.push({ what: `--help of ${shown}`, key: pick(`${path} --help`, "* --help"), apply: (t) => command.helpOption("-h, --help", t) });
    for (const option of command.options) {
      const long = option.long ?? option.short ?? option.flags;
      texts.push({ what: `option ${long} of ${shown}`, key: pick(`${path} ${long}`, `* ${long}`), apply: (t) => (option.description = t) });
    }
    for (const argument of command.registeredArguments) {
      const name = argument.name();
      texts.push({ what: `argument <${name}> of ${shown}`, key: pick(`${path} <${name}>`, `* <${name}>`), apply: (t) => (argument.description = t) });
    }
    for (const sub of command.commands) walk(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  texts.push({ what: "the program", key: pick(""), apply: (t) => program.description(t) });
  walk(program, "");
  texts.push({
    what: "the help command",
    key: pick("help"),
    apply: (t) => program.helpCommand("help [command]", t),
  });
  return texts;
}

/** The --help texts that have no entry in the catalogue (a test fails on any). */
export function missing_help(program: Command): string[] {
  return help_texts(program)
    .filter((text) => text.key === undefined)
    .map((text) => text.what);
}

/**
 * Puts the catalogue's texts in place, in the language the entry decided:
 * call it after set_lang() and before parsing (commander prints --help while
 * it parses).
 */
export function localise_help(program: Command): void {
  for (const text of help_texts(program)) if (text.key !== undefined) text.apply(help(text.key));
}
