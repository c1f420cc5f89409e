// `--help` in the student's language. Commands are declared in cli.ts with
// their French descriptions; this puts the English ones in place when the
// language is English. The language is read from argv before commander parses
// it, because commander prints help while parsing.
import type { Command } from "commander";
import { detect_lang, set_lang } from "./index.js";

/** English descriptions: commands by name, options by "command --long-flag" ("" for the program). */
const EN: Record<string, string> = {
  "": "Auto-graded exercises for learning to write Dockerfiles.",
  " --no-color": "no colours",
  " --lang": "language of messages: fr or en",
  watch: "grades the current exercise on every save; keys h l n r c q (the default command)",
  "watch --manual": "grade only when r is pressed (for file systems whose save events do not arrive)",
  list: "the exercises in order, with their status",
  check: "grades one exercise (default: the current one)",
  "check --json": "JSON result on standard output",
  "check --verbose": "show the whole output of a failing build step",
  grade: "grades every exercise of a submission, with points (teachers, CI)",
  "grade --workspace": "the submission's folder (one sub-folder per exercise)",
  "grade --only": "only these exercises, comma-separated (e.g. 01,02)",
  "grade --json": "writes the JSON result to this file",
  "grade --junit": "writes a JUnit XML report to this file",
  "grade --classroom50": "writes Classroom 50's result.json (classroom50/result/v1) to this file; exit code 2 when an exercise could not be graded",
  "grade --min-score": "exit code 1 when the score is under this many points",
  "grade --parallel": "exercises graded at once (default 1)",
  hint: "shows the next hint of an exercise (default: the current one)",
  "hint --all": "all the hints at once",
  lesson: "shows an exercise's lesson (default: the current one)",
  progress: "a summary of your progress and the course map",
  "progress --json": "JSON output",
  start: "makes an exercise the current one (jump anywhere in the course)",
  reset: "puts an exercise's starting files back, keeping yours in a backup",
  "reset --yes": "do not ask for confirmation",
  solution: "shows the reference solution of an exercise you have passed",
  "solution --force": "show it even though the exercise has not passed",
  doctor: "checks the Docker engine, BuildKit, the base images and disk space",
  "doctor --json": "JSON output",
  clean: "removes the containers, images and volumes left by dockerlings",
  "clean --session": "only what one grading session created (DOCKERLINGS_SESSION)",
  "grade --github": "GitHub Actions: job summary, annotations, `result` output for GitHub Classroom",
  "grade --build-timeout": "time limit of one build, in seconds (default 300)",
  "grade --check-timeout": "time limit of one check, in seconds (default 120)",
  "grade --context-limit": "largest build context, in MB (default 50)",
  "* --workspace": "folder of submissions (one sub-folder per exercise)",
  "* --json": "JSON output",
  "* [id]": "the exercise's id, e.g. 01-premier-dockerfile or 01",
};

/** The --lang value in argv, if any (--lang en, --lang=en). */
export function lang_flag(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--lang") return argv[i + 1];
    if (arg.startsWith("--lang=")) return arg.slice("--lang=".length);
  }
  return undefined;
}

export function localise_help(program: Command, argv: string[]): void {
  const lang = detect_lang(lang_flag(argv));
  set_lang(lang);
  const en = lang === "en";
  program.helpOption("-h, --help", en ? "display help" : "affiche l'aide");
  program.helpCommand("help [command]", en ? "display help for a command" : "affiche l'aide d'une commande");
  const version = program.options.find((o) => o.long === "--version");
  if (version) version.description = en ? "output the version number" : "affiche la version";
  for (const command of program.commands) command.helpOption("-h, --help", en ? "display help" : "affiche l'aide");
  if (!en) return;
  const apply = (command: Command, name: string): void => {
    const own = EN[name];
    if (own) command.description(own);
    for (const option of command.options) {
      const text = EN[`${name} ${option.long}`] ?? EN[`* ${option.long}`];
      if (text) option.description = text;
    }
    for (const argument of command.registeredArguments) {
      const text = EN[`* [${argument.name()}]`];
      if (text) argument.description = text;
    }
  };
  apply(program, "");
  for (const command of program.commands) apply(command, command.name());
}
