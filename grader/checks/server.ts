// Checks on the exercise's server: one container per spec file, started by
// the handle (ex.server) and shared by the checks that ask for the same
// options. What it answers over HTTP (on a port, or on every port `docker
// run -P` publishes), the commands run in it, its logs, its PID 1 and the
// user that process really runs as.
//
// What each relies on (no verdict rests on words a program could print
// without doing the thing):
// - HTTP: the response the container gives on its published port, status and
//   body, i.e. the behaviour asked for;
// - exec: the exit code the engine reports for the command; its output only
//   where the spec asks for an output;
// - logs: the program's own logs, which is what toLog asks for;
// - listening ports: the container's network namespace (/proc/net/tcp read
//   through the engine), whatever the image holds or prints;
// - PID 1 and its user: the engine's process list (docker top), and the
//   image's /etc/passwd for the name.
import type { ContainerChoice, ExerciseHandle } from "../spec/use-exercise.js";
import { outcome, require_config, type CheckOutcome } from "./check.js";
import type { GradedContainer, ListeningSocket } from "../engine/container.js";
import { format_process_tree, type ProcessEntry, type ProcessTree } from "../engine/process.js";
import { with_image_files } from "../engine/files.js";
import { read_accounts } from "./passwd.js";
import {
  as_list, excerpt, explain_exit_code, join_output, limit_facts, last_logs, LOG_TAIL, no_response_failure, request, require_published, seconds, sleep, describe_request, validate_command, validate_duration, validate_expected, validate_patterns, validate_request, is_server, on_container, type HttpRequest,
} from "./containers.js";
import { is_described, matches, quote, quote_all, type Expected, type TextPattern } from "./words.js";

// ---------------------------------------------------------------- ports, as docker run -P publishes them

/** The image's exposed TCP ports: what `docker run -P` publishes for HTTP. */
async function exposed_tcp(ex: ExerciseHandle): Promise<number[]> {
  const image = await ex.image();
  return image.facts.config.exposed_ports.filter((p) => p.endsWith("/tcp")).map((p) => Number(p.split("/")[0]));
}

/**
 * The container of a check of what `docker run -P` publishes: every exposed
 * TCP port published. A server given must be started so (publish_exposed).
 */
function like_run_p(choice: ContainerChoice | undefined): ContainerChoice {
  if (!choice) return { publish_exposed: true };
  if (!is_server(choice)) return { ...choice, publish_exposed: true };
  require_config(choice.options.publish_exposed === true, "ce serveur doit publier les ports exposés, comme docker run -P : ex.server({ publish_exposed: true, … }).");
  return choice;
}

const tcp_list = (ports: number[]): string => ports.map((p) => `${p}/tcp`).join(", ");

/**
 * The server listens on every exposed TCP port, on all interfaces (not only
 * 127.0.0.1), and on no port that is not exposed; read from the container's
 * network namespace, no program needed in the image.
 */
export async function check_listens_on_exposed(ex: ExerciseHandle, choice?: ContainerChoice): Promise<CheckOutcome> {
  const exposed = await exposed_tcp(ex);
  return on_container(ex, like_run_p(choice), async (container) => listening_failures(exposed, await container.listening()));
}

function listening_failures(exposed: number[], listening: ListeningSocket[]): CheckOutcome {
  const failures: string[] = [];
  if (listening.length === 0) {
    failures.push("Aucun programme n'écoute en TCP dans le conteneur : le serveur a-t-il démarré ? Vérifiez CMD.");
  } else if (exposed.length === 0) {
    failures.push(
      `Le serveur écoute sur ${tcp_list(listening.map((l) => l.port))}, mais l'image n'expose aucun port TCP : ` +
        "déclarez le port où il écoute avec EXPOSE (TCP par défaut).",
    );
  } else {
    const listened = exposed.filter((port) => listening.some((l) => l.port === port));
    for (const port of exposed) {
      const socket = listening.find((l) => l.port === port);
      if (!socket && listened.length > 0) {
        failures.push(`L'image expose ${port}/tcp, où rien n'écoute (le serveur écoute sur ${tcp_list(listened)}) : retirez ce port de EXPOSE.`);
      } else if (!socket) {
        failures.push(
          `L'image expose ${port}/tcp, mais le serveur écoute sur ${tcp_list(listening.map((l) => l.port))}. ` +
            "EXPOSE ne fait que déclarer un port : il ne change pas celui où le programme écoute. " +
            "C'est l'application qui choisit son port (souvent par une variable d'environnement) : réglez-le avec ENV pour qu'il corresponde au port exposé.",
        );
      } else if (socket.loopback_only) {
        failures.push(
          `Le serveur écoute sur ${port}/tcp mais seulement sur 127.0.0.1 : depuis l'extérieur du conteneur, ` +
            "personne ne peut le joindre. Il doit écouter sur 0.0.0.0.",
        );
      }
    }
  }
  const seen = listening.map((l) => `${l.port}/tcp (${l.loopback_only ? "127.0.0.1 seulement" : "toutes interfaces"})`);
  return outcome(failures, `Ports en écoute dans le conteneur : ${seen.join(", ") || "aucun"}`);
}

/** With `docker run -P`, every published (exposed TCP) port answers this HTTP request. */
export async function check_http_on_exposed(ex: ExerciseHandle, expected: Omit<HttpExpectation, "port">, choice?: ContainerChoice): Promise<CheckOutcome> {
  const ports = await exposed_tcp(ex);
  if (ports.length === 0) {
    return outcome([
      "`docker run -P` ne publie que les ports déclarés par EXPOSE, et l'image n'en déclare aucun en TCP : " +
        "le serveur est injoignable de l'extérieur. Déclarez son port avec EXPOSE.",
    ]);
  }
  return on_container(ex, like_run_p(choice), (container) => exposed_answers(container, ports, expected));
}

async function exposed_answers(container: GradedContainer, ports: number[], expected: Omit<HttpExpectation, "port">): Promise<CheckOutcome> {
  const failures: string[] = [];
  const silent: number[] = [];
  for (const port of ports) {
    const request_for = { ...expected, port, deadline_ms: expected.deadline_ms ?? 3000 };
    const answered = await request(container, request_for);
    if ("error" in answered) {
      silent.push(port);
      continue;
    }
    const one = await check_http(container, request_for);
    failures.push(...one.failures.map((f) => `Sur le port publié ${port} : ${f}`));
  }
  for (const port of silent) {
    failures.push(
      silent.length < ports.length
        ? `Le port ${port} du conteneur est publié, mais rien n'y répond : retirez-le de EXPOSE.`
        : `Le port ${port} du conteneur est publié, mais personne n'y répond en HTTP : le serveur écoute ailleurs. ` +
            "Faites écouter le serveur sur le port exposé.",
    );
  }
  return outcome(failures, failures.length ? ((await container.logs(20).catch(() => "")).trim() || undefined) : undefined);
}

// ---------------------------------------------------------------- HTTP

export interface HttpExpectation extends HttpRequest {
  /** Expected status (default 200). */
  status?: number;
  /** The body contains each text / matches each described pattern. */
  body?: Expected | Expected[];
  /** The body is JSON and contains this subset (objects: these keys; arrays: same length; a described pattern tests the text). */
  json?: unknown;
  /** Response headers (case-insensitive names): contains the text / matches the described pattern. */
  headers?: Record<string, Expected>;
  /** The body is exactly this text (a file of the course, say). */
  body_equals?: string;
  /** What body_equals is, for the message (« site/index.html »). */
  body_name?: string;
}

/** A page's title, or its first line: how a student recognises it. */
function page_title(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1] ?? body.trim().split("\n")[0] ?? "";
  return title.length > 60 ? title.slice(0, 60) + "…" : title;
}

/** Differences between a JSON value and an expected subset, as "chemin : attendu …, trouvé …". */
export function json_subset_differences(actual: unknown, expected: unknown, at = "$"): string[] {
  const show = (v: unknown) => (v === undefined ? "rien" : JSON.stringify(v));
  if (is_described(expected)) {
    return typeof actual !== "object" && actual !== undefined && matches(String(actual), expected)
      ? []
      : [`${at} : attendu ${expected.shown}, trouvé ${show(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at} : attendu un tableau, trouvé ${show(actual)}`];
    if (actual.length !== expected.length) return [`${at} : attendu ${expected.length} élément(s), trouvé ${actual.length}`];
    return expected.flatMap((e, i) => json_subset_differences(actual[i], e, `${at}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${at} : attendu un objet, trouvé ${show(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      key in actual
        ? json_subset_differences((actual as Record<string, unknown>)[key], value, `${at}.${key}`)
        : [`${at}.${key} : attendu ${show(value)}, absent`],
    );
  }
  return Object.is(actual, expected) ? [] : [`${at} : attendu ${show(expected)}, trouvé ${show(actual)}`];
}

/** A RegExp in an expected JSON would be shown as /…/: it must come with its words. */
function validate_json(expected: unknown, at = "json"): void {
  if (expected instanceof RegExp) validate_expected(expected, at);
  else if (Array.isArray(expected)) expected.forEach((e, i) => validate_json(e, `${at}[${i}]`));
  else if (expected !== null && typeof expected === "object" && !is_described(expected)) {
    for (const [key, value] of Object.entries(expected)) validate_json(value, `${at}.${key}`);
  }
}

function status_hint(status: number): string {
  if (status === 404) return " La ressource n'existe pas : le fichier ou la route est-il au bon endroit dans l'image (WORKDIR, COPY) ?";
  if (status === 403 || status === 401) return " L'accès est refusé : vérifiez les droits des fichiers servis (propriétaire, USER).";
  if (status >= 500) return " Le serveur a rencontré une erreur : lisez ses logs ci-dessous.";
  return " Vérifiez l'application et sa configuration dans l'image.";
}

/** One HTTP request (connection failures retried until its deadline), its status, body, JSON and headers checked. */
export async function check_http(container: GradedContainer, expected: HttpExpectation): Promise<CheckOutcome> {
  validate_request(expected);
  const want_status = expected.status ?? 200;
  require_config(Number.isInteger(want_status) && want_status >= 100 && want_status <= 599, `statut HTTP ${want_status} impossible (100 à 599).`);
  const bodies = as_list(expected.body);
  if (expected.body !== undefined) validate_patterns(bodies, "body");
  for (const [name, p] of Object.entries(expected.headers ?? {})) validate_expected(p, `headers.${name}`);
  if (expected.json !== undefined) validate_json(expected.json);
  require_published(container, expected.port);

  const result = await request(container, expected);
  if ("error" in result) return no_response_failure(container, expected, result.error);
  const { response } = result;
  const what = describe_request(expected);
  const failures: string[] = [];
  if (response.status !== want_status) {
    failures.push(
      response.status >= 500 && want_status < 500
        ? `${what} a échoué avec le code ${response.status} (attendu ${want_status}) : ${excerpt(response.body)}.${status_hint(response.status)}`
        : `${what} répond ${response.status} au lieu de ${want_status}.${status_hint(response.status)}`,
    );
  } else if (expected.body_equals !== undefined && response.body !== expected.body_equals) {
    const name = expected.body_name ? `${expected.body_name} (« ${page_title(expected.body_equals)} »)` : `« ${page_title(expected.body_equals)} »`;
    failures.push(
      `${what} renvoie « ${page_title(response.body)} » au lieu de ${name}` +
        (/Welcome to nginx/i.test(response.body) ? " : c'est la page par défaut de nginx, vos fichiers ne sont pas au bon endroit." : "."),
    );
  }
  const missing = bodies.filter((p) => !matches(response.body, p));
  if (missing.length > 0) {
    failures.push(
      `La réponse à ${what} devait contenir ${quote_all(missing)} ; elle contient ${excerpt(response.body)}. ` +
        "Vérifiez ce que l'application renvoie et que l'image contient les bons fichiers.",
    );
  }
  if (expected.json !== undefined) {
    let parsed: unknown;
    let valid = true;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      valid = false;
    }
    if (!valid) {
      failures.push(`La réponse à ${what} devait être du JSON ; ce n'en est pas : ${excerpt(response.body)}.`);
    } else {
      const differences = json_subset_differences(parsed, expected.json);
      if (differences.length > 0) {
        failures.push(`Le JSON renvoyé par ${what} ne correspond pas à l'attendu : ${differences.join(" ; ")}.`);
      }
    }
  }
  for (const [name, pattern] of Object.entries(expected.headers ?? {})) {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) {
      failures.push(`La réponse à ${what} devait avoir l'en-tête ${name} (${quote(pattern)}) ; il est absent.`);
    } else if (!matches(value, pattern)) {
      failures.push(`L'en-tête ${name} de la réponse à ${what} devait contenir ${quote(pattern)} ; il vaut « ${value} ».`);
    }
  }
  return outcome(failures, failures.length ? join_output(`Corps de la réponse : ${excerpt(response.body, 400)}`, await last_logs(container)) : undefined);
}

// ---------------------------------------------------------------- exec

export interface ExecExpectation {
  /** Program and arguments, as an array (never one string to split). */
  command: string[];
  /** Run as this user (name or UID[:GID]); default: the image's USER. */
  user?: string;
  /** Expected exit code (default 0). */
  exit_code?: number;
  /** The output (stdout and stderr) contains each text / matches each described pattern. */
  output?: Expected | Expected[];
}

/** A command run in the running container: its exit code and output. */
export async function check_exec(container: GradedContainer, expected: ExecExpectation): Promise<CheckOutcome> {
  const command = validate_command(expected.command);
  const want_code = expected.exit_code ?? 0;
  require_config(Number.isInteger(want_code) && want_code >= 0 && want_code <= 255, `code de sortie ${want_code} impossible (0 à 255).`);
  const patterns = as_list(expected.output);
  if (expected.output !== undefined) validate_patterns(patterns, "output");
  // A fixed feminine subject (« La commande »): the words after it agree with it.
  const the_command = `La commande ${JSON.stringify(command)}${expected.user ? ` (utilisateur ${expected.user})` : ""}`;

  let result: { exit_code: number; output: string };
  try {
    result = await container.exec(command, { user: expected.user });
  } catch (error) {
    const state = await container.state().catch(() => undefined);
    return outcome(
      [
        state && !state.running
          ? `${the_command} n'a pas pu être lancée : le conteneur est arrêté (code de sortie ${state.exit_code}).${explain_exit_code(state.exit_code, state.oom_killed)}`
          : `${the_command} n'a pas pu être lancée : ${(error as Error).message}`,
      ],
      await last_logs(container),
      limit_facts({ oom_killed: state && !state.running ? state.oom_killed : false }),
    );
  }
  const failures: string[] = [];
  const output = result.output;
  if (result.exit_code !== want_code) {
    // The engine's own words when it cannot start the program at all.
    const not_found = (result.exit_code === 126 || result.exit_code === 127) && /executable file not found|no such file or directory/i.test(output);
    const no_user = /unable to find user|no matching entries in passwd/i.test(output);
    failures.push(
      `${the_command} devait sortir avec le code ${want_code} ; elle est sortie avec le code ${result.exit_code}.` +
        (no_user
          ? ` L'utilisateur ${expected.user} n'existe pas dans l'image : créez-le (useradd) dans le Dockerfile.`
          : not_found
            ? ` Le programme ${command[0]} est introuvable dans l'image : installez-le ou corrigez son chemin.`
            : result.exit_code === 126
              ? " Le fichier n'est pas exécutable (droits x manquants)."
              : " Lisez sa sortie ci-dessous."),
    );
  }
  const missing = patterns.filter((p) => !matches(output, p));
  if (missing.length > 0) {
    failures.push(`La sortie de ${JSON.stringify(command)} devait contenir ${quote_all(missing)} ; elle contient ${excerpt(output)}.`);
  }
  return outcome(failures, failures.length ? `Sortie de la commande :\n${output.trim() || "(vide)"}` : undefined);
}

// ---------------------------------------------------------------- logs

export interface LogsOptions {
  /** How long to wait for the text to appear (default 5 s). */
  deadline_ms?: number;
}

/** The container's logs (stdout and stderr) contain each pattern, waiting up to the deadline. */
export async function check_logs(container: GradedContainer, patterns: Expected | Expected[], options: LogsOptions = {}): Promise<CheckOutcome> {
  const wanted = as_list(patterns);
  validate_patterns(wanted, "logs");
  const deadline_ms = options.deadline_ms ?? 5000;
  validate_duration(deadline_ms, "deadline_ms");
  const deadline = Date.now() + deadline_ms;
  let logs = "";
  let missing = wanted;
  for (;;) {
    logs = await container.logs("all").catch(() => logs);
    missing = wanted.filter((p) => !matches(logs, p));
    if (missing.length === 0) return outcome([]);
    if (Date.now() >= deadline) break;
    await sleep(Math.min(200, Math.max(10, deadline - Date.now())));
  }
  const hint = logs.trim()
    ? " Le programme écrit-il ce message sur sa sortie standard (et pas dans un fichier) ?"
    : " Le conteneur n'a rien écrit du tout. Python garde sa sortie en mémoire quand il n'écrit pas dans un terminal : lancez-le avec python3 -u, ou ajoutez ENV PYTHONUNBUFFERED=1.";
  return outcome(
    [`Les logs du conteneur devaient contenir ${quote_all(missing)} (attendu pendant ${seconds(deadline_ms)}) ; ils ne le contiennent pas.${hint}`],
    logs.trim() ? `Logs du conteneur :\n${logs.trim().split("\n").slice(-LOG_TAIL).join("\n")}` : undefined,
  );
}

// ---------------------------------------------------------------- processes

export interface ProcessExpectation {
  /**
   * The program PID 1 runs. A string names the program ("python3" matches
   * "/usr/local/bin/python3 app.py"; "python3 app.py" also checks the start of
   * its arguments); a RegExp is tested on the whole command line.
   */
  program: TextPattern;
  /** How the advice names the program (« python3 /app/salut.py »); default: `program` when it is a string. */
  shown?: string;
}

/** `sh /app/start.sh`, `bash run.sh`: a shell running a start-up script. */
function runs_script(command: string): boolean {
  return /^(\S*\/)?(ba|da|a)?sh\s+(?!-c(\s|$))\S+/.test(command);
}

/** `sh -c …`, `/bin/bash -c …`: the signature of a shell-form CMD or ENTRYPOINT. */
export function is_shell_wrapper(command: string): boolean {
  return /^(\S*\/)?(ba|da|a)?sh\s+-c(\s|$)/.test(command);
}

/** Whether a command line runs `program` (see ProcessExpectation.program). */
export function runs_program(command: string, program: TextPattern): boolean {
  if (program instanceof RegExp) return program.test(command);
  const [name = "", ...rest] = command.trim().split(/\s+/);
  const [want_name = "", ...want_rest] = program.trim().split(/\s+/);
  const name_ok = want_name.includes("/") ? name === want_name : name.split("/").pop() === want_name;
  return name_ok && want_rest.every((arg, i) => rest[i] === arg);
}

function process_failures(tree: ProcessTree, expected: ProcessExpectation): string[] {
  const init = tree.init;
  if (!init) return ["Impossible de trouver le processus PID 1 du conteneur."];
  const failures: string[] = [];
  if (!runs_program(init.command, expected.program)) {
    const elsewhere = tree.processes.find((p: ProcessEntry) => p !== init && runs_program(p.command, expected.program));
    const name = expected.shown ?? (typeof expected.program === "string" ? expected.program : "le programme");
    const shown = `« ${name} »`;
    const shell = is_shell_wrapper(init.command) || runs_script(init.command);
    failures.push(
      `Le processus 1 du conteneur est « ${init.command} », pas ${shown}` +
        (elsewhere ? ` (${shown} tourne, mais comme enfant de PID 1)` : "") +
        (shell
          ? " : un shell s'intercale, et c'est lui qui reçoit les signaux (le SIGTERM de docker stop), sans les transmettre. " +
            `Lancez le programme directement, en forme exec (un tableau JSON : CMD ou ENTRYPOINT ${JSON.stringify(name.split(/\s+/))})` +
            (runs_script(init.command) ? `, ou terminez le script de démarrage par exec ${name} "$@".` : ".")
          : ". Vérifiez CMD et ENTRYPOINT dans le Dockerfile."),
    );
  }
  return failures;
}

/** PID 1 runs the expected program (not a shell, not a script without exec); the whole tree is shown on failure. The user it runs as is check_process_user's. */
export async function check_process_tree(container: GradedContainer, expected: ProcessExpectation): Promise<CheckOutcome> {
  require_config(expected.program instanceof RegExp || (typeof expected.program === "string" && expected.program.trim() !== ""), "program est vide : donnez le programme attendu (\"python3\") ou une RegExp.");
  let tree: ProcessTree;
  try {
    tree = await container.processes();
  } catch (error) {
    const state = await container.state().catch(() => undefined);
    return outcome(
      [
        state && !state.running
          ? `Le conteneur est arrêté (code de sortie ${state.exit_code}) : il n'a plus de processus à examiner.${explain_exit_code(state.exit_code, state.oom_killed)}`
          : `Impossible de lire les processus du conteneur : ${(error as Error).message}`,
      ],
      await last_logs(container),
      limit_facts({ oom_killed: state && !state.running ? state.oom_killed : false }),
    );
  }
  const failures = process_failures(tree, expected);
  return outcome(failures, failures.length ? `Processus du conteneur :\n${format_process_tree(tree)}` : undefined);
}

// ---------------------------------------------------------------- the user the server runs as

export interface ProcessUserExpectation {
  /** PID 1's UID. */
  uid?: number;
  /** PID 1's UID has a name in the image's /etc/passwd. */
  named?: boolean;
  /** PID 1 is not root (implied by uid other than 0). */
  non_root?: boolean;
}

/**
 * The user the server's PID 1 really runs as (read by the engine, not from
 * the image's USER alone), and whether the image gives that UID a name.
 */
export async function check_process_user(ex: ExerciseHandle, expected: ProcessUserExpectation, choice?: ContainerChoice): Promise<CheckOutcome> {
  if (expected.uid !== undefined) require_config(Number.isInteger(expected.uid) && expected.uid >= 0, `UID ${expected.uid} impossible.`);
  return on_container(ex, choice, (container) => process_user(ex, container, expected));
}

async function process_user(ex: ExerciseHandle, container: GradedContainer, expected: ProcessUserExpectation): Promise<CheckOutcome> {
  const tree = await container.processes();
  const init = tree.init;
  if (!init) return outcome(["Impossible de trouver le processus PID 1 du conteneur."]);
  const image = await ex.image();
  const declared = image.facts.config.user;
  const accounts = await with_image_files({ image: image.id, session: ex.session, exercise: ex.id }, read_accounts);
  const name = accounts.passwd?.find((u) => u.uid === init.uid)?.name;
  const uid = init.uid;
  const want = expected.uid;
  const create = `useradd --uid ${want ?? 10001}`;
  const failures: string[] = [];
  if (uid === 0 && (expected.non_root || (want !== undefined && want !== 0))) {
    failures.push(
      (declared && !/^(root|0)(:.*)?$/.test(declared)
        ? `L'image déclare USER ${declared}, mais le serveur tourne quand même en root (UID 0). `
        : "Le serveur tourne en root (UID 0) : le Dockerfile n'a pas d'instruction USER. ") +
        `Créez l'utilisateur (${create} ...) puis ajoutez « USER nom » avant CMD.`,
    );
  } else {
    if (expected.named && !name) {
      failures.push(
        `Le serveur tourne sous l'UID ${uid}, qui n'a pas de nom dans l'image (absent de /etc/passwd) : ` +
          `« USER ${uid} » seul ne crée pas l'utilisateur. Créez-le avec ${create} ..., puis « USER nom ».`,
      );
    }
    if (want !== undefined && uid !== want) {
      failures.push(
        `Le serveur tourne sous ${name ?? "un utilisateur"} d'UID ${uid}, l'exercice demande l'UID ${want}. ` +
          "Sans --uid, useradd prend le premier UID libre, qui change d'une image à l'autre : " +
          `fixez-le avec « useradd --uid ${want} ... ».`,
      );
    }
  }
  return outcome(failures, `Utilisateur du serveur : ${name ?? "?"} (UID ${uid}) ; USER déclaré : ${declared || "(aucun)"}`);
}
