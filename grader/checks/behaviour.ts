// Behaviour checks: what the image does once it runs. It starts and stays up,
// answers HTTP, runs commands, logs, has the right PID 1 and user, reads its
// environment, stops on SIGTERM, becomes healthy, keeps its data in a volume.
// Each check_* returns a CheckOutcome listing every failure it found; each
// expect_* reports it (throws the CheckFailure the student reads).
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { BuildFailedError, CheckFailure } from "./check.js";
import { GradedContainer, remove_volume, volume_name, type HttpResponse, type StartOptions } from "../engine/container.js";
import { format_process_tree, type ProcessEntry, type ProcessTree } from "../engine/process.js";
import { outcome, report, require_config, SpecConfigError, type CheckOutcome } from "./check.js";
import type { CheckFact } from "../result.js";
import { with_image_files } from "../engine/files.js";
import { read_accounts } from "./passwd.js";

export type TextPattern = string | RegExp;
/** How a check starts a container of the exercise's image (as ExerciseHandle.start takes them). */
export type ContainerOptions = Omit<StartOptions, "image" | "session" | "exercise">;
/** A check that starts its own container takes the exercise; one that observes takes a started container. */
export type CheckSubject = ExerciseHandle | GradedContainer;

/** One HTTP request to a published port of the container. */
export interface HttpRequest {
  /** The container port (it must be in the `ports` the container was started with). */
  port: number;
  path?: string;
  method?: string;
  request_body?: string;
  request_headers?: Record<string, string>;
  /** How long connection failures are retried while the application boots (default 10 s). */
  deadline_ms?: number;
}

// ---------------------------------------------------------------- helpers

const LOG_TAIL = 40;

const quote = (p: TextPattern): string => (typeof p === "string" ? `« ${p} »` : String(p));
const quote_all = (ps: TextPattern[]): string => ps.map(quote).join(" et ");
const matches = (text: string, p: TextPattern): boolean => (typeof p === "string" ? text.includes(p) : p.test(text));
const as_list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const seconds = (ms: number): string => `${(Math.round(ms / 100) / 10).toString().replace(".", ",")} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A short view of a text for a message: first 200 characters, or "(vide)". */
function excerpt(text: string, limit = 200): string {
  const clean = text.trim();
  if (!clean) return "(vide)";
  return `« ${clean.length > limit ? `${clean.slice(0, limit)}…` : clean} »`;
}

function validate_port(port: number, what = "port"): void {
  require_config(Number.isInteger(port) && port >= 1 && port <= 65535, `${what} ${port} impossible : un port est un entier de 1 à 65535.`);
}

function validate_duration(value: number | undefined, name: string): void {
  if (value === undefined) return;
  require_config(Number.isFinite(value) && value >= 0, `${name} vaut ${value} : une durée doit être un nombre positif ou nul.`);
}

function validate_patterns(patterns: TextPattern[], name: string): void {
  require_config(patterns.length > 0, `${name} : donnez au moins un texte ou une RegExp à chercher.`);
  for (const p of patterns) require_config(typeof p !== "string" || p.length > 0, `${name} : un texte à chercher est vide.`);
}

function validate_start(options: ContainerOptions | undefined): void {
  for (const port of options?.ports ?? []) validate_port(port);
}

function validate_request(request: HttpRequest): void {
  validate_port(request.port);
  validate_duration(request.deadline_ms, "deadline_ms");
  require_config((request.path ?? "/").startsWith("/"), `le chemin HTTP « ${request.path} » doit commencer par « / ».`);
}

/** Commands are argument arrays: a single string with spaces would need a shell to be split. */
export function validate_command(command: unknown, name = "command"): string[] {
  if (typeof command === "string") {
    throw new SpecConfigError(
      `${name} doit être un tableau d'arguments, pas la chaîne « ${command} » : écrivez ${JSON.stringify(command.trim().split(/\s+/))}.`,
    );
  }
  require_config(Array.isArray(command) && command.length > 0, `${name} est vide : donnez le programme et ses arguments, par exemple ["id", "-u"].`);
  const args = command as unknown[];
  require_config(args.every((a) => typeof a === "string"), `${name} ne doit contenir que des chaînes.`);
  if (args.length === 1 && /\s/.test((args[0] as string).trim())) {
    throw new SpecConfigError(
      `${name} ${JSON.stringify(args)} est une seule chaîne avec des espaces : séparez les arguments, ` +
        `${JSON.stringify((args[0] as string).trim().split(/\s+/))}, ou utilisez ["sh", "-c", "…"] si un shell est voulu.`,
    );
  }
  require_config((args[0] as string).length > 0, `${name} : le nom du programme est vide.`);
  return args as string[];
}

/** The port must have been published when the container was started. */
function require_published(container: GradedContainer, port: number): void {
  try {
    container.host_port(port);
  } catch {
    throw new SpecConfigError(`le port ${port} n'est pas publié : démarrez le conteneur avec ports: [${port}].`);
  }
}

async function last_logs(container: GradedContainer, tail = LOG_TAIL): Promise<string | undefined> {
  const logs = (await container.logs(tail).catch(() => "")).trim();
  return logs ? `Derniers logs du conteneur :\n${logs}` : undefined;
}

function join_output(...parts: Array<string | undefined>): string | undefined {
  return parts.filter(Boolean).join("\n\n") || undefined;
}

/** What an exit code usually means, for a student. */
export function explain_exit_code(code: number, oom_killed = false): string {
  if (oom_killed) return " Il a été tué faute de mémoire (limite dépassée).";
  switch (code) {
    case 0:
      return " Le code 0 veut dire que le programme s'est terminé normalement : il n'a rien qui tourne au premier plan (serveur lancé en arrière-plan avec &, ou service qui se détache ?).";
    case 126:
      return " Le code 126 veut dire « fichier non exécutable » (droits x manquants, ou ce n'est pas un programme).";
    case 127:
      return " Le code 127 veut dire « commande introuvable » : vérifiez le nom du programme et son chemin.";
    case 137:
      return " Le code 137 veut dire « tué par SIGKILL » (souvent faute de mémoire, ou après le délai de docker stop).";
    case 143:
      return " Le code 143 veut dire « arrêté par SIGTERM ».";
    default:
      return " Le programme a signalé une erreur : lisez ses logs ci-dessous.";
  }
}

type Started = { container: GradedContainer; failure?: undefined } | { container?: undefined; failure: CheckOutcome };

/** Starts a container for a check; a start that fails is the check's failure, not a crash. */
async function start_for_check(ex: ExerciseHandle, options: ContainerOptions = {}): Promise<Started> {
  try {
    return { container: await ex.start(options) };
  } catch (error) {
    if (error instanceof CheckFailure && !(error instanceof BuildFailedError)) {
      return { failure: outcome([error.message], error.output ? `Logs du conteneur :\n${error.output}` : undefined) };
    }
    throw error;
  }
}

async function obtain(subject: CheckSubject, options?: ContainerOptions): Promise<Started & { owned: boolean }> {
  if (subject instanceof GradedContainer) return { container: subject, owned: false };
  return { ...(await start_for_check(subject, options)), owned: true };
}

/** The response, or the reason there was none. */
async function request(container: GradedContainer, r: HttpRequest): Promise<{ response: HttpResponse } | { error: string }> {
  try {
    const response = await container.http(r.method ?? "GET", r.port, r.path ?? "/", r.request_body, {
      headers: r.request_headers,
      deadline_ms: r.deadline_ms ?? 10_000,
    });
    return { response };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const describe_request = (r: HttpRequest) => `${r.method ?? "GET"} ${r.path ?? "/"}`;

/** The network error in words: what the client saw when it tried. */
function describe_network_error(message: string): string {
  if (/ECONNREFUSED/.test(message)) return "connexion refusée";
  if (/other side closed|ECONNRESET|socket hang up/i.test(message)) return "connexion fermée aussitôt : rien n'écoute sur ce port dans le conteneur";
  if (/timeout|aborted/i.test(message)) return "pas de réponse dans le délai";
  return message.replace(/^Aucune réponse HTTP[^:]*: /, "");
}

async function no_response_failure(container: GradedContainer, r: HttpRequest, error: string): Promise<CheckOutcome> {
  const state = await container.state().catch(() => undefined);
  const stopped =
    state && !state.running
      ? ` Le conteneur s'est arrêté (code de sortie ${state.exit_code}).${explain_exit_code(state.exit_code, state.oom_killed)}`
      : ` Le serveur doit écouter sur 0.0.0.0:${r.port} dans le conteneur (pas 127.0.0.1, qui n'accepte que les connexions venues du conteneur lui-même) ; vérifiez le port et la commande de démarrage.`;
  return outcome(
    [`Aucune réponse HTTP à ${describe_request(r)} sur le port ${r.port} après ${seconds(r.deadline_ms ?? 10_000)} (${describe_network_error(error)}).${stopped}`],
    await last_logs(container),
  );
}

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
  /** stdout contains each string / matches each RegExp. */
  stdout?: TextPattern | TextPattern[];
  /** stdout has each of these lines (spaces around them ignored). */
  lines?: string[];
  /** Names the output in the message (« Le rapport »); default: the docker run command. */
  what?: string;
  /** Sentences added when the output (stdout and stderr) matches: what a known error of the program means. */
  explain?: Array<{ when: TextPattern; say: string }>;
}

const show_args = (args: readonly string[]): string => args.map((a) => (/\s/.test(a) || a === "" ? `"${a}"` : a)).join(" ");

/** A run's output for a message: one line, « … », or (rien). */
function shown_output(text: string, limit = 120): string {
  const one_line = text.trim().replace(/\s*\n\s*/g, " ⏎ ");
  return one_line ? `« ${one_line.length > limit ? one_line.slice(0, limit) + "…" : one_line} »` : "(rien)";
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
  for (const e of runs) {
    const one = await check_one_run(ex, e);
    failures.push(...one.failures);
    if (one.output) outputs.push(one.output);
  }
  return outcome(failures, outputs.join("\n\n") || undefined);
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
  const facts: CheckFact[] = [
    ...(run.oom_killed ? [{ kind: "limit" as const, limit: "memory" as const }] : []),
    ...(run.timed_out ? [{ kind: "limit" as const, limit: "time" as const }] : []),
  ];
  const explain = (e.explain ?? []).filter((x) => matches(all, x.when)).map((x) => ` ${x.say}`).join("");
  if (run.timed_out) {
    return outcome([`${command_line} ne s'est pas terminé dans le temps imparti : le programme attend-il une saisie ou tourne-t-il en boucle ?${explain}`], output, facts);
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
  if (wanted.length > 0) {
    const what = e.what ?? command_line;
    const codes = e.what === undefined && want_code !== null;
    return outcome(
      [
        `${what} devait ${e.what === undefined ? "afficher" : "contenir"} ${wanted.join(" et ")}${codes ? ` (code ${want_code})` : ""}, ` +
          `il affiche ${shown_output(run.stdout || (code_ok ? "" : run.stderr))}${codes ? ` (code ${run.exit_code})` : code_ok ? "" : ` et il est sorti avec le code ${run.exit_code}`}.` +
          (code_ok ? "" : explain_exit_code(run.exit_code, run.oom_killed)) +
          explain,
      ],
      output,
      facts,
    );
  }
  if (!code_ok) {
    return outcome(
      [
        `${e.what ?? command_line} devait sortir avec le code ${want_code}, il est sorti avec le code ${run.exit_code} : ${shown_output(all)}.` +
          (run.exit_code === 127 ? " Le code 127 signifie « commande introuvable » : vérifiez CMD." : "") +
          (run.oom_killed ? " Il a été tué faute de mémoire." : "") +
          explain,
      ],
      output,
      facts,
    );
  }
  return outcome([]);
}

// ---------------------------------------------------------------- ports, as docker run -P publishes them

/** The image's exposed TCP ports: what `docker run -P` publishes for HTTP. */
async function exposed_tcp(ex: ExerciseHandle): Promise<number[]> {
  const image = await ex.image();
  return image.facts.config.exposed_ports.filter((p) => p.endsWith("/tcp")).map((p) => Number(p.split("/")[0]));
}

/** A server started like `docker run -P`: every exposed TCP port published (shared with the file's other checks). */
async function server_with_exposed_ports(ex: ExerciseHandle, options: ContainerOptions = {}): Promise<GradedContainer> {
  return ex.server({ ...options, ports: await exposed_tcp(ex) });
}

const tcp_list = (ports: number[]): string => ports.map((p) => `${p}/tcp`).join(", ");

/**
 * The server listens on every exposed TCP port, on all interfaces (not only
 * 127.0.0.1), and on no port that is not exposed; read from the container's
 * network namespace, no program needed in the image.
 */
export async function check_listens_on_exposed(ex: ExerciseHandle, options: ContainerOptions = {}): Promise<CheckOutcome> {
  const exposed = await exposed_tcp(ex);
  const container = await server_with_exposed_ports(ex, options);
  const listening = await container.listening();
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
export async function check_http_on_exposed(ex: ExerciseHandle, expected: Omit<HttpExpectation, "port">, options: ContainerOptions = {}): Promise<CheckOutcome> {
  const ports = await exposed_tcp(ex);
  if (ports.length === 0) {
    return outcome([
      "`docker run -P` ne publie que les ports déclarés par EXPOSE, et l'image n'en déclare aucun en TCP : " +
        "le serveur est injoignable de l'extérieur. Déclarez son port avec EXPOSE.",
    ]);
  }
  const container = await server_with_exposed_ports(ex, options);
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

// ---------------------------------------------------------------- stays up

export interface StaysUpOptions {
  /** How long the container must keep running (default 3 s). */
  seconds?: number;
  /** How to start it, when the check is given the exercise. */
  start?: ContainerOptions;
}

/** The container starts and is still running `seconds` after it started. */
export async function check_stays_up(subject: CheckSubject, options: StaysUpOptions = {}): Promise<CheckOutcome> {
  const wanted_s = options.seconds ?? 3;
  validate_duration(wanted_s, "seconds");
  validate_start(options.start);
  const started = await obtain(subject, options.start);
  if (!started.container) return started.failure;
  const container = started.container;
  try {
    const t0 = Date.now();
    for (;;) {
      const state = await container.state();
      if (!state.running) {
        const lived = Date.parse(state.finished_at) - Date.parse(state.started_at);
        return outcome(
          [
            `Le conteneur devait rester en marche au moins ${seconds(wanted_s * 1000)} ; il s'est arrêté au bout de ${seconds(lived)} ` +
              `avec le code de sortie ${state.exit_code}.${explain_exit_code(state.exit_code, state.oom_killed)} ` +
              "Le programme principal (CMD/ENTRYPOINT) doit tourner au premier plan et ne pas se terminer.",
          ],
          await last_logs(container),
        );
      }
      if (Date.now() - t0 >= wanted_s * 1000) return outcome([]);
      await sleep(Math.min(250, Math.max(10, t0 + wanted_s * 1000 - Date.now())));
    }
  } finally {
    if (started.owned) await container.remove();
  }
}

// ---------------------------------------------------------------- HTTP

export interface HttpExpectation extends HttpRequest {
  /** Expected status (default 200). */
  status?: number;
  /** The body contains each string / matches each RegExp. */
  body?: TextPattern | TextPattern[];
  /** The body is JSON and contains this subset (objects: these keys; arrays: same length; RegExp values test the text). */
  json?: unknown;
  /** Response headers (case-insensitive names): contains the string / matches the RegExp. */
  headers?: Record<string, TextPattern>;
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
  if (expected instanceof RegExp) {
    return typeof actual !== "object" && actual !== undefined && expected.test(String(actual))
      ? []
      : [`${at} : attendu ${String(expected)}, trouvé ${show(actual)}`];
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
  /** The output (stdout and stderr) contains each string / matches each RegExp. */
  output?: TextPattern | TextPattern[];
}

/** A command run in the running container: its exit code and output. */
export async function check_exec(container: GradedContainer, expected: ExecExpectation): Promise<CheckOutcome> {
  const command = validate_command(expected.command);
  const want_code = expected.exit_code ?? 0;
  require_config(Number.isInteger(want_code) && want_code >= 0 && want_code <= 255, `code de sortie ${want_code} impossible (0 à 255).`);
  const patterns = as_list(expected.output);
  if (expected.output !== undefined) validate_patterns(patterns, "output");
  const what = `La commande ${JSON.stringify(command)}${expected.user ? ` (utilisateur ${expected.user})` : ""}`;

  let result: { exit_code: number; output: string };
  try {
    result = await container.exec(command, { user: expected.user });
  } catch (error) {
    const state = await container.state().catch(() => undefined);
    return outcome(
      [
        state && !state.running
          ? `${what} n'a pas pu être lancée : le conteneur est arrêté (code de sortie ${state.exit_code}).${explain_exit_code(state.exit_code, state.oom_killed)}`
          : `${what} n'a pas pu être lancée : ${(error as Error).message}`,
      ],
      await last_logs(container),
    );
  }
  const failures: string[] = [];
  const output = result.output;
  if (result.exit_code !== want_code) {
    // The engine's own words when it cannot start the program at all.
    const not_found = (result.exit_code === 126 || result.exit_code === 127) && /executable file not found|no such file or directory/i.test(output);
    const no_user = /unable to find user|no matching entries in passwd/i.test(output);
    failures.push(
      `${what} devait sortir avec le code ${want_code} ; elle est sortie avec le code ${result.exit_code}.` +
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
export async function check_logs(container: GradedContainer, patterns: TextPattern | TextPattern[], options: LogsOptions = {}): Promise<CheckOutcome> {
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
  program?: TextPattern;
  /** PID 1's effective UID. */
  uid?: number;
  /** PID 1 does not run as root. */
  non_root?: boolean;
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
  if (expected.program !== undefined && !runs_program(init.command, expected.program)) {
    const elsewhere = tree.processes.find((p: ProcessEntry) => p !== init && runs_program(p.command, expected.program!));
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
  if (expected.uid !== undefined && init.uid !== expected.uid) {
    failures.push(
      `Le processus PID 1 devait tourner avec l'UID ${expected.uid} ; il tourne avec l'UID ${init.uid}${init.uid === 0 ? " (root)" : ""}. ` +
        `Créez l'utilisateur dans l'image puis ajoutez USER ${expected.uid} (ou USER nom) avant CMD.`,
    );
  }
  if (expected.non_root && init.uid === 0) {
    failures.push(
      "Le processus PID 1 tourne en root (UID 0) ; il devait tourner avec un utilisateur non-root. " +
        "Créez un utilisateur (RUN useradd …) et ajoutez USER nom avant CMD.",
    );
  }
  return failures;
}

/** PID 1 runs the expected program as the expected user; the whole tree is shown on failure. */
export async function check_process_tree(container: GradedContainer, expected: ProcessExpectation): Promise<CheckOutcome> {
  require_config(
    expected.program !== undefined || expected.uid !== undefined || expected.non_root !== undefined,
    "check_process_tree : donnez program, uid ou non_root.",
  );
  if (typeof expected.program === "string") require_config(expected.program.trim() !== "", "program est vide.");
  if (expected.uid !== undefined) require_config(Number.isInteger(expected.uid) && expected.uid >= 0, `UID ${expected.uid} impossible.`);
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
export async function check_process_user(ex: ExerciseHandle, expected: ProcessUserExpectation, server: ContainerOptions = {}): Promise<CheckOutcome> {
  if (expected.uid !== undefined) require_config(Number.isInteger(expected.uid) && expected.uid >= 0, `UID ${expected.uid} impossible.`);
  const container = await ex.server(server);
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

// ---------------------------------------------------------------- env overrides

export interface EnvOverrideExpectation {
  /** Variables given at run time (docker run -e), on top of start.env. */
  env: Record<string, string>;
  /** What to observe: an HTTP request (its body) or any function of the started container. */
  probe: HttpRequest | ((container: GradedContainer) => Promise<string>);
  /** With the override, the observation contains the string / matches the RegExp. */
  expect?: TextPattern;
  /** The observation differs from a container started without the override (default true). */
  differs?: boolean;
  /** How to start both containers. */
  start?: ContainerOptions;
  /** Extra options for the overridden container only (e.g. other ports when PORT changes). */
  override_start?: ContainerOptions;
}

const show_env = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `-e ${k}=${v}`)
    .join(" ");

async function observe(container: GradedContainer, probe: EnvOverrideExpectation["probe"]): Promise<{ text: string } | { failure: CheckOutcome }> {
  if (typeof probe === "function") {
    try {
      return { text: await probe(container) };
    } catch (error) {
      if (error instanceof CheckFailure) return { failure: outcome([error.message], error.output) };
      throw error;
    }
  }
  const result = await request(container, probe);
  if ("error" in result) return { failure: await no_response_failure(container, probe, result.error) };
  return { text: result.response.body };
}

/** Starting the image with other env values changes what it does (and gives the expected result). */
export async function check_env_override(ex: ExerciseHandle, expected: EnvOverrideExpectation): Promise<CheckOutcome> {
  const names = Object.keys(expected.env ?? {});
  require_config(names.length > 0, "env est vide : donnez au moins une variable à changer au lancement.");
  for (const name of names) require_config(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name), `nom de variable impossible : « ${name} ».`);
  const differs = expected.differs ?? true;
  require_config(differs || expected.expect !== undefined, "check_env_override ne vérifie rien : donnez expect, ou laissez differs à true.");
  if (typeof expected.probe !== "function") {
    validate_request(expected.probe);
    const port = expected.probe.port;
    require_config(
      (expected.start?.ports ?? []).includes(port) && (expected.override_start?.ports ?? expected.start?.ports ?? []).includes(port),
      `probe appelle le port ${port} : ajoutez-le à start.ports (et à override_start.ports s'il est donné).`,
    );
  }
  validate_start(expected.start);
  validate_start(expected.override_start);
  if (typeof expected.expect === "string") require_config(expected.expect !== "", "expect est vide.");

  const base_options = expected.start ?? {};
  const override_options: ContainerOptions = {
    ...base_options,
    ...expected.override_start,
    env: { ...base_options.env, ...expected.override_start?.env, ...expected.env },
  };
  const flags = show_env(expected.env);
  const [base, overridden] = await Promise.all([
    differs ? start_for_check(ex, base_options) : Promise.resolve(undefined),
    start_for_check(ex, override_options),
  ]);
  try {
    if (base?.failure) return base.failure;
    if (overridden.failure) {
      return outcome([`Lancé avec ${flags}, ${overridden.failure.failures.join(" ")}`], overridden.failure.output);
    }
    const [seen_base, seen_override] = await Promise.all([
      base?.container ? observe(base.container, expected.probe) : Promise.resolve(undefined),
      observe(overridden.container, expected.probe),
    ]);
    if (seen_base && "failure" in seen_base) return seen_base.failure;
    if ("failure" in seen_override) {
      return outcome(seen_override.failure.failures.map((f) => `Lancé avec ${flags} : ${f}`), seen_override.failure.output);
    }
    const failures: string[] = [];
    const reads = `L'application doit lire ${names.join(", ")} dans son environnement au démarrage (os.environ, process.env…) au lieu d'une valeur écrite en dur ; ENV dans le Dockerfile ne donne que la valeur par défaut.`;
    if (expected.expect !== undefined && !matches(seen_override.text, expected.expect)) {
      failures.push(`Lancé avec ${flags}, le conteneur devait donner ${quote(expected.expect)} ; il donne ${excerpt(seen_override.text)}. ${reads}`);
    }
    if (seen_base && seen_base.text === seen_override.text) {
      failures.push(`Le résultat est le même avec et sans ${flags} (${excerpt(seen_base.text)}) : la variable n'a aucun effet. ${reads}`);
    }
    return outcome(failures, failures.length ? await last_logs(overridden.container) : undefined);
  } finally {
    await Promise.all([base?.container?.remove(), overridden.container?.remove()]);
  }
}

// ---------------------------------------------------------------- SIGTERM

export interface StopOptions {
  /** The container must be stopped within this many seconds (default 5). */
  within_s?: number;
  /** docker stop's grace period before SIGKILL (default within_s + 5). */
  grace_s?: number;
  /** How to start it, when the check is given the exercise. */
  start?: ContainerOptions;
}

/** `docker stop` (SIGTERM, or the image's STOPSIGNAL) ends the container within N seconds. */
export async function check_stops_on_sigterm(subject: CheckSubject, options: StopOptions = {}): Promise<CheckOutcome> {
  const within_s = options.within_s ?? 5;
  validate_duration(within_s, "within_s");
  require_config(within_s > 0, "within_s doit être supérieur à 0.");
  const grace_s = options.grace_s ?? within_s + 5;
  validate_duration(grace_s, "grace_s");
  require_config(grace_s > within_s, `grace_s (${grace_s}) doit dépasser within_s (${within_s}), sinon Docker tue le conteneur avant la fin du délai.`);
  validate_start(options.start);
  const started = await obtain(subject, options.start);
  if (!started.container) return started.failure;
  const container = started.container;
  try {
    const before = await container.state();
    if (!before.running) {
      return outcome(
        [`Le conteneur était déjà arrêté (code de sortie ${before.exit_code}) avant l'envoi de SIGTERM.${explain_exit_code(before.exit_code, before.oom_killed)}`],
        await last_logs(container),
      );
    }
    // Read before stopping: afterwards there is nothing left to show.
    const tree = await container.processes().catch(() => undefined);
    const logs = await last_logs(container);
    const { duration_ms, exit_code } = await container.stop(Math.ceil(grace_s));
    if (duration_ms <= within_s * 1000) return outcome([]);
    const init = tree?.init?.command;
    const cause =
      init && is_shell_wrapper(init)
        ? ` PID 1 est un shell (« ${init} ») : CMD est en forme shell, et le shell ne transmet pas SIGTERM à votre programme. ` +
          'Écrivez CMD en forme exec : CMD ["programme", "argument"].'
        : " Le programme ignore probablement SIGTERM : il tourne peut-être sous un shell (CMD en forme shell), ou, étant PID 1, il n'a pas le comportement par défaut des signaux et doit gérer SIGTERM lui-même " +
          "(signal.signal(signal.SIGTERM, …) en Python, process.on('SIGTERM', …) en Node).";
    return outcome(
      [
        `Le conteneur a mis ${seconds(duration_ms)} à s'arrêter après SIGTERM (attendu : moins de ${seconds(within_s * 1000)})` +
          (exit_code === 137
            ? ` ; Docker a fini par le tuer avec SIGKILL au bout du délai de ${seconds(grace_s * 1000)} (code de sortie 137).`
            : ` (code de sortie ${exit_code}).`) +
          cause,
      ],
      join_output(tree ? `Processus avant l'arrêt :\n${format_process_tree(tree)}` : undefined, logs),
    );
  } finally {
    if (started.owned) await container.remove();
  }
}

// ---------------------------------------------------------------- HEALTHCHECK

export interface HealthyOptions {
  /** How long the container has to become healthy (default 30 s). */
  deadline_ms?: number;
  /** How to start it, when the check is given the exercise. */
  start?: ContainerOptions;
}

function health_log(entries: Array<{ exit_code: number; output: string }>): string | undefined {
  if (entries.length === 0) return undefined;
  return `Derniers résultats du HEALTHCHECK :\n${entries
    .slice(-5)
    .map((e) => `- code ${e.exit_code} : ${e.output.trim().split("\n").slice(-3).join(" | ") || "(aucune sortie)"}`)
    .join("\n")}`;
}

/** The image's HEALTHCHECK reports "healthy" within the deadline. */
export async function check_healthy(subject: CheckSubject, options: HealthyOptions = {}): Promise<CheckOutcome> {
  const deadline_ms = options.deadline_ms ?? 30_000;
  validate_duration(deadline_ms, "deadline_ms");
  validate_start(options.start);
  const started = await obtain(subject, options.start);
  if (!started.container) return started.failure;
  const container = started.container;
  try {
    let state = await container.state();
    if (!state.healthcheck) {
      return outcome([
        "L'image n'a pas de HEALTHCHECK : Docker ne peut pas savoir si l'application répond. " +
          'Ajoutez une instruction HEALTHCHECK au Dockerfile, par exemple HEALTHCHECK --interval=5s --timeout=3s CMD ["programme", "argument"], ' +
          "dont la commande sort avec le code 0 quand l'application répond.",
      ]);
    }
    const t0 = Date.now();
    for (;;) {
      if (!state.running) {
        return outcome(
          [`Le conteneur s'est arrêté (code de sortie ${state.exit_code}) avant d'être « healthy ».${explain_exit_code(state.exit_code, state.oom_killed)}`],
          join_output(health_log(state.health?.log ?? []), await last_logs(container)),
        );
      }
      const status = state.health?.status ?? "starting";
      if (status === "healthy") return outcome([]);
      const check = state.healthcheck!;
      // A probe that answered "no" is the application's answer; one that timed
      // out (-1) may be a busy machine: that one can recover before the deadline.
      const timed_out = state.health?.log.at(-1)?.exit_code === -1;
      const past_deadline = Date.now() - t0 >= deadline_ms;
      if (status === "unhealthy" && (!timed_out || past_deadline)) {
        return outcome(
          [
            `Le HEALTHCHECK a déclaré le conteneur « unhealthy » après ${state.health?.failing_streak ?? check.retries} échec(s) de suite ; il devait devenir « healthy ». ` +
              `La commande du HEALTHCHECK (${JSON.stringify(check.test.slice(1))}) fonctionne-t-elle dans l'image : programme présent, bon port, bonne adresse ?`,
          ],
          join_output(health_log(state.health?.log ?? []), await last_logs(container)),
        );
      }
      if (past_deadline) {
        const slow = check.interval_ms >= deadline_ms / 2;
        return outcome(
          [
            `Le conteneur est encore « ${status} » après ${seconds(deadline_ms)} : le HEALTHCHECK n'a pas encore réussi.` +
              (slow
                ? ` Son intervalle est de ${seconds(check.interval_ms)} (30 s si rien n'est précisé) et le premier test n'a lieu qu'au bout de cet intervalle : réduisez-le, par exemple HEALTHCHECK --interval=5s.`
                : " Regardez les derniers résultats du test ci-dessous."),
          ],
          join_output(health_log(state.health?.log ?? []), await last_logs(container)),
        );
      }
      await sleep(250);
      state = await container.state();
    }
  } finally {
    if (started.owned) await container.remove();
  }
}

// ---------------------------------------------------------------- volumes

/** Something done to a running container: a command, or an HTTP request. */
export type ContainerAction = { exec: string[]; user?: string } | { http: HttpRequest };

export interface VolumeExpectation {
  /** Where the named volume is mounted in the container, e.g. "/data". */
  path: string;
  /** Writes the data (exit code 0 / HTTP status below 400 expected). */
  write: ContainerAction;
  /** Reads it back: its output (or body) must contain `expect`. */
  read: ContainerAction;
  expect: TextPattern;
  /** How to start both containers (ports for HTTP actions). */
  start?: ContainerOptions;
}

const describe_action = (a: ContainerAction) => ("exec" in a ? JSON.stringify(a.exec) : describe_request(a.http));

async function act(container: GradedContainer, action: ContainerAction): Promise<{ ok: boolean; text: string; problem?: string }> {
  if ("exec" in action) {
    try {
      const result = await container.exec(action.exec, { user: action.user });
      return { ok: result.exit_code === 0, text: result.output, problem: `code de sortie ${result.exit_code}` };
    } catch (error) {
      return { ok: false, text: "", problem: (error as Error).message };
    }
  }
  const result = await request(container, action.http);
  if ("error" in result) return { ok: false, text: "", problem: result.error };
  return { ok: result.response.status < 400, text: result.response.body, problem: `statut HTTP ${result.response.status}` };
}

function validate_action(action: ContainerAction, name: string, start: ContainerOptions | undefined): void {
  if ("exec" in action) {
    validate_command(action.exec, `${name}.exec`);
  } else {
    validate_request(action.http);
    require_config((start?.ports ?? []).includes(action.http.port), `${name} appelle le port ${action.http.port} : ajoutez-le à start.ports.`);
  }
}

/**
 * Data written under a named volume survives `docker rm` and a new container
 * on the same volume. The volume is removed at the end.
 */
export async function check_volume_persists(ex: ExerciseHandle, expected: VolumeExpectation): Promise<CheckOutcome> {
  require_config(typeof expected.path === "string" && expected.path.startsWith("/"), `path « ${expected.path} » doit être un chemin absolu, comme "/data".`);
  validate_start(expected.start);
  validate_action(expected.write, "write", expected.start);
  validate_action(expected.read, "read", expected.start);
  if (typeof expected.expect === "string") require_config(expected.expect !== "", "expect est vide.");

  const volume = volume_name(ex.session);
  const options: ContainerOptions = { ...expected.start, volumes: { ...expected.start?.volumes, [volume]: expected.path } };
  const ownership =
    ` Si l'application tourne avec USER, le dossier ${expected.path} doit exister dans l'image et lui appartenir (RUN mkdir -p ${expected.path} && chown …) : ` +
    "Docker recopie ce propriétaire dans un volume neuf.";
  const containers: GradedContainer[] = [];
  try {
    const first = await start_for_check(ex, options);
    if (!first.container) return first.failure;
    containers.push(first.container);
    const written = await act(first.container, expected.write);
    if (!written.ok) {
      return outcome(
        [`L'écriture des données (${describe_action(expected.write)}) a échoué (${written.problem}) : le volume est monté sur ${expected.path}.${ownership}`],
        join_output(written.text.trim() ? `Sortie : ${excerpt(written.text, 400)}` : undefined, await last_logs(first.container)),
      );
    }
    const same = await act(first.container, expected.read);
    if (!same.ok || !matches(same.text, expected.expect)) {
      return outcome(
        [
          `Juste après l'écriture, dans le même conteneur, la lecture (${describe_action(expected.read)}) devait donner ${quote(expected.expect)} ; ` +
            `elle donne ${same.ok ? excerpt(same.text) : `une erreur (${same.problem})`}. L'application n'enregistre pas ces données.`,
        ],
        await last_logs(first.container),
      );
    }
    await first.container.remove();

    const second = await start_for_check(ex, options);
    if (!second.container) return second.failure;
    containers.push(second.container);
    const read = await act(second.container, expected.read);
    if (!read.ok || !matches(read.text, expected.expect)) {
      return outcome(
        [
          `Les données écrites n'ont pas survécu à la recréation du conteneur : après ${describe_action(expected.write)}, docker rm, ` +
            `puis un nouveau conteneur sur le même volume (monté sur ${expected.path}), ${describe_action(expected.read)} donne ` +
            `${read.ok ? excerpt(read.text) : `une erreur (${read.problem})`} au lieu de ${quote(expected.expect)}. ` +
            `L'application doit écrire ses données sous ${expected.path}, le point de montage du volume (déclarez-le avec VOLUME ${expected.path}) : ` +
            "ce qui est écrit ailleurs disparaît avec le conteneur.",
        ],
        await last_logs(second.container),
      );
    }
    return outcome([]);
  } finally {
    await Promise.all(containers.map((c) => c.remove()));
    await remove_volume(volume);
  }
}

