// `docker run --rm IMAGE args...` to its end (toRun): the exit code and the
// output, with what a known failure means (a command the engine cannot start,
// a shell-form CMD appended to an ENTRYPOINT, a program waiting for input).
//
// What it relies on: the exit code the engine reports and the program's own
// standard output, which is the behaviour the exercise asks for (the spec
// names what the program must print). Output read for anything else only
// explains: a known error of the program (`explain`), the engine's refusal to
// start (after the fact that the container did not start), a shell-form CMD
// (decided on the image's config; the output only shows the student the
// /bin/sh -c the program received). A time-out is the engine's, after the
// run's time limit.
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { CheckFailure, outcome, require_config, type CheckOutcome } from "./check.js";
import {
  as_list, explain_exit_code, limit_facts, validate_patterns,
} from "./containers.js";
import { matches, quote, type Expected, type TextPattern } from "./words.js";
import type { CheckFact } from "../result.js";

// ---------------------------------------------------------------- run to completion

/** `docker run --rm IMAGE args...` and what it must do. */
export interface RunExpectation {
  /** Arguments after the image name (they replace CMD). */
  args?: string[];
  env?: Record<string, string>;
  entrypoint?: string[];
  user?: string;
  /** Expected exit code (default 0); null accepts any. */
  exit_code?: number | null;
  /** stdout contains each text / matches each described pattern ({ matches: /…/, shown: "les mots de l'élève" }). */
  stdout?: Expected | Expected[];
  /** stdout has each of these lines (spaces around them ignored). */
  lines?: string[];
  /**
   * Names what ran, at the head of the message (« La cible dev », « Le rapport »);
   * default: the docker run command. The message never makes a word agree with
   * it: « La cible dev : attendu … ; sortie obtenue : … ».
   */
  what?: string;
  /** Sentences added when the output (stdout and stderr) matches: what a known error of the program means (`when` is never shown). */
  explain?: Array<{ when: TextPattern; say: string }>;
}

const show_args = (args: readonly string[]): string => args.map((a) => (/\s/.test(a) || a === "" ? `"${a}"` : a)).join(" ");

/** A run's output for a message: one line, « … », or (rien). */
function shown_output(text: string, limit = 120): string {
  const one_line = text.trim().replace(/\s*\n\s*/g, " ⏎ ");
  return one_line ? `« ${one_line.length > limit ? one_line.slice(0, limit) + "…" : one_line} »` : "(rien)";
}

/**
 * A run that did not print what it should, or ended with another code: one
 * sentence shape whatever `what` names (« La cible dev », « Le rapport »,
 * « docker run <image> »), since no word of it agrees with `what`.
 */
export function run_failure_text(p: { what: string; wanted: string[]; want_code: number | null; code: number; stdout: string; stderr: string }): string {
  const code_ok = p.want_code === null || p.code === p.want_code;
  if (p.wanted.length === 0) {
    return `${p.what} : code de sortie attendu ${p.want_code}, obtenu ${p.code} ; sortie : ${shown_output(`${p.stdout}${p.stderr}`)}.`;
  }
  return (
    `${p.what} : attendu dans la sortie ${p.wanted.join(" et ")} ; sortie obtenue : ${shown_output(p.stdout || (code_ok ? "" : p.stderr))}` +
    (code_ok ? "." : ` (code de sortie ${p.code} au lieu de ${p.want_code}).`)
  );
}

/**
 * What the engine's refusal to start a command means for a student: the
 * program it looked for, and why it was not there.
 */
export function explain_start_error(message: string, command_line: string): string | undefined {
  const missing = /exec: "([^"]*)": executable file not found|exec: "([^"]*)": stat [^:]*: no such file|exec ([^:\n]*): no such file or directory/i.exec(message);
  const denied = /exec: "([^"]*)": permission denied|exec ([^:\n]*): permission denied/i.exec(message);
  if (missing) {
    const program = missing[1] ?? missing[2] ?? missing[3] ?? "";
    if (program.startsWith("-")) {
      return (
        `${command_line} n'a pas pu démarrer : Docker a cherché une commande nommée « ${program} ». ` +
        "Les arguments écrits après le nom de l'image remplacent tout le CMD. Mettez le programme dans ENTRYPOINT, " +
        'en forme exec (ENTRYPOINT ["python3", "/app/salut.py"]), et gardez dans CMD seulement les arguments par défaut.'
      );
    }
    if (/\s/.test(program.trim())) {
      return (
        `${command_line} n'a pas pu démarrer : Docker a cherché un programme nommé « ${program} », espaces compris. ` +
        "En forme exec, chaque mot est un élément du tableau : le programme et ses arguments sont séparés " +
        `(${JSON.stringify(program.trim().split(/\s+/))}), Docker ne les découpe pas.`
      );
    }
    return (
      `${command_line} n'a pas pu démarrer : Docker a cherché une commande nommée « ${program} », introuvable dans l'image. ` +
      "Vérifiez le nom et le chemin du programme dans CMD ou ENTRYPOINT, et qu'il est bien copié ou installé dans l'image."
    );
  }
  if (denied) {
    const program = denied[1] ?? denied[2] ?? "";
    return (
      `${command_line} n'a pas pu démarrer : « ${program} » n'est pas exécutable. ` +
      `Donnez-lui les droits d'exécution (RUN chmod 755 ${program}, ou COPY --chmod=755 …).`
    );
  }
  return undefined;
}

/**
 * `docker run --rm IMAGE args...`: the exit code and the output. A command the
 * engine cannot start, a shell-form CMD appended to an ENTRYPOINT, a program
 * that waits for input: each is said in words.
 * @example await expect(ex).toRun({ args: ["--nom", "Alice"], stdout: "Bonjour, Alice !" })
 */
export async function check_run(ex: ExerciseHandle, expected: RunExpectation | RunExpectation[] = {}): Promise<CheckOutcome> {
  const runs = Array.isArray(expected) ? expected : [expected];
  const failures: string[] = [];
  const outputs: string[] = [];
  const facts: CheckFact[] = [];
  for (const e of runs) {
    const one = await check_one_run(ex, e);
    failures.push(...one.failures);
    if (one.output) outputs.push(one.output);
    facts.push(...(one.facts ?? []));
  }
  return outcome(failures, outputs.join("\n\n") || undefined, facts);
}

async function check_one_run(ex: ExerciseHandle, e: RunExpectation): Promise<CheckOutcome> {
  const want_code = e.exit_code === undefined ? 0 : e.exit_code;
  if (want_code !== null) require_config(Number.isInteger(want_code) && want_code >= 0 && want_code <= 255, `code de sortie ${want_code} impossible (0 à 255).`);
  const patterns = as_list(e.stdout);
  if (e.stdout !== undefined) validate_patterns(patterns, "stdout");
  const command_line = `docker run${Object.entries(e.env ?? {}).map(([k, v]) => ` -e ${k}=${/\s/.test(v) ? `"${v}"` : v}`).join("")} <image>${e.args?.length ? ` ${show_args(e.args)}` : ""}`;
  let run;
  try {
    run = await ex.run(e.args, { env: e.env, entrypoint: e.entrypoint, user: e.user });
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    const explained = explain_start_error((error as Error).message, command_line);
    if (explained) return outcome([explained], (error as Error).message);
    throw error;
  }
  const all = `${run.stdout}${run.stderr}`;
  const output = all.trim() || undefined;
  // The limits the run hit, as data: the reports name them from these.
  const facts = limit_facts({ oom_killed: run.oom_killed, timed_out: run.timed_out, output: all });
  const explain = (e.explain ?? []).filter((x) => matches(all, x.when)).map((x) => ` ${x.say}`).join("");
  if (run.timed_out) {
    return outcome([`${command_line} : le programme ne s'est pas terminé dans le temps imparti. Attend-il une saisie, ou tourne-t-il en boucle ?${explain}`], output, facts);
  }
  const image = await ex.image();
  const config = image.facts.config;
  // A shell-form CMD after an ENTRYPOINT reaches the program as arguments: « /bin/sh -c … ».
  if (config.entrypoint?.length && config.cmd?.[0] === "/bin/sh" && config.cmd[1] === "-c" && !e.args && /\/bin\/sh\b.*-c|\/bin\/sh -c/.test(all)) {
    return outcome(
      [
        `${command_line} : le programme a reçu les arguments « ${config.cmd.join(" ")} », ceux d'un CMD en forme shell, ajoutés à l'ENTRYPOINT. ` +
          `Écrivez CMD en forme exec, un tableau JSON avec des guillemets doubles : CMD ${JSON.stringify([config.cmd.slice(2).join(" ").replace(/^\[|\]$/g, "").replace(/^'|'$/g, "")])}.${explain}`,
      ],
      output,
      facts,
    );
  }
  const missing = patterns.filter((p) => !matches(run.stdout, p));
  const lines = run.stdout.split("\n").map((l) => l.trim());
  const missing_lines = (e.lines ?? []).filter((l) => !lines.includes(l.trim()));
  const wanted = [...missing.map(quote), ...missing_lines.map((l) => `« ${l} »`)];
  const code_ok = want_code === null || run.exit_code === want_code;
  if (wanted.length > 0 || !code_ok) {
    return outcome(
      [
        run_failure_text({ what: e.what ?? command_line, wanted, want_code, code: run.exit_code, stdout: run.stdout, stderr: run.stderr }) +
          (code_ok ? "" : explain_exit_code(run.exit_code, run.oom_killed)) +
          explain,
      ],
      output,
      facts,
    );
  }
  return outcome([]);
}
