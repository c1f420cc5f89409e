// What the checks on a running image share (run.ts, server.ts,
// own-container.ts): how a check starts a container (a start that fails is
// the check's failure, not a crash), an HTTP request to a published port, the
// validation of a spec's options, and exit codes and network errors in words.
import type { ContainerChoice, ContainerOptions, ExerciseHandle, Server } from "../spec/use-exercise.js";
import { BuildFailedError, CheckFailure, is_exercise_handle, outcome, require_config, SpecConfigError, type CheckOutcome } from "./check.js";
import type { GradedContainer, HttpResponse } from "../engine/container.js";
import { is_described, type Expected, type TextPattern } from "./words.js";
import type { CheckFact } from "../result.js";

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

export const LOG_TAIL = 40;

export const as_list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
export const seconds = (ms: number): string => `${(Math.round(ms / 100) / 10).toString().replace(".", ",")} s`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A short view of a text for a message: first 200 characters, or "(vide)". */
export function excerpt(text: string, limit = 200): string {
  const clean = text.trim();
  if (!clean) return "(vide)";
  return `« ${clean.length > limit ? `${clean.slice(0, limit)}…` : clean} »`;
}

export function validate_port(port: number, what = "port"): void {
  require_config(Number.isInteger(port) && port >= 1 && port <= 65535, `${what} ${port} impossible : un port est un entier de 1 à 65535.`);
}

export function validate_duration(value: number | undefined, name: string): void {
  if (value === undefined) return;
  require_config(Number.isFinite(value) && value >= 0, `${name} vaut ${value} : une durée doit être un nombre positif ou nul.`);
}

/** What a message will show: texts, or patterns with their words (a bare RegExp would reach the student as /…/). */
export function validate_patterns(patterns: Expected[], name: string): void {
  require_config(patterns.length > 0, `${name} : donnez au moins un texte ou un motif décrit ({ matches, shown }) à chercher.`);
  for (const p of patterns) validate_expected(p, name);
}

export function validate_expected(p: unknown, name: string): void {
  if (typeof p === "string") return require_config(p.length > 0, `${name} : un texte à chercher est vide.`);
  require_config(
    is_described(p) && p.shown.trim() !== "",
    p instanceof RegExp
      ? `${name} : le motif ${String(p)} s'afficherait tel quel à l'élève ; donnez-le avec ses mots : { matches: ${String(p)}, shown: "…" }.`
      : `${name} : attendu un texte, ou un motif décrit { matches: /…/, shown: "…" }.`,
  );
}

export function validate_start(options: ContainerOptions | undefined): void {
  for (const port of options?.ports ?? []) validate_port(port);
}

export function validate_request(request: HttpRequest): void {
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
export function require_published(container: GradedContainer, port: number): void {
  try {
    container.host_port(port);
  } catch {
    throw new SpecConfigError(`le port ${port} n'est pas publié : démarrez le conteneur avec ports: [${port}].`);
  }
}

export async function last_logs(container: GradedContainer, tail = LOG_TAIL): Promise<string | undefined> {
  const logs = (await container.logs(tail).catch(() => "")).trim();
  return logs ? `Derniers logs du conteneur :\n${logs}` : undefined;
}

export function join_output(...parts: Array<string | undefined>): string | undefined {
  return parts.filter(Boolean).join("\n\n") || undefined;
}

/** Output that shows a process could not fork: the container's processes limit was reached. */
export const FORK_FAILURE = /fork: (retry: )?Resource temporarily unavailable|can't fork|Cannot fork|fork failed|BlockingIOError: \[Errno 11\]|EAGAIN.*spawn|spawn.*EAGAIN/i;

/**
 * The limits a container met, as facts (the reports name them from these):
 * its memory (the engine's OOM kill), its processes (a fork refused, read in
 * its output), its time (a run stopped at its limit).
 */
export function limit_facts(seen: { oom_killed?: boolean; output?: string; timed_out?: boolean; time_limit_ms?: number }): CheckFact[] {
  return [
    ...(seen.oom_killed ? [{ kind: "limit" as const, limit: "memory" as const }] : []),
    ...(seen.output !== undefined && FORK_FAILURE.test(seen.output) ? [{ kind: "limit" as const, limit: "pids" as const }] : []),
    ...(seen.timed_out ? [{ kind: "limit" as const, limit: "time" as const, ...(seen.time_limit_ms !== undefined ? { value: seen.time_limit_ms } : {}) }] : []),
  ];
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

export type Started = { container: GradedContainer; failure?: undefined } | { container?: undefined; failure: CheckOutcome };

/** Starts a container for a check; a start that fails is the check's failure, not a crash. */
export async function start_for_check(ex: ExerciseHandle, options: ContainerOptions = {}): Promise<Started> {
  try {
    return { container: await ex.start(options) };
  } catch (error) {
    if (error instanceof CheckFailure && !(error instanceof BuildFailedError)) {
      return { failure: outcome([error.message], error.output ? `Logs du conteneur :\n${error.output}` : undefined, error.facts) };
    }
    throw error;
  }
}

/**
 * Runs `look` on the container a check is given: a server of the file
 * (shared, left running) or a container of the check's own, started with
 * these options and removed after. A start that fails is the check's failure.
 */
/** A server of the file, told from container options by what it holds (grader/checks/ takes the handle's types only). */
export const is_server = (choice: ContainerChoice): choice is Server => "handle" in choice && "options" in choice;

export async function on_container(ex: ExerciseHandle, choice: ContainerChoice | undefined, look: (container: GradedContainer) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  if (choice && !is_server(choice)) validate_start(choice);
  let given: { container: GradedContainer; shared: boolean };
  try {
    given = await ex.container_for(choice);
  } catch (error) {
    if (error instanceof CheckFailure && !(error instanceof BuildFailedError)) {
      return outcome([error.message], error.output ? `Logs du conteneur :\n${error.output}` : undefined, error.facts);
    }
    throw error;
  }
  try {
    return await look(given.container);
  } finally {
    if (!given.shared) await given.container.remove();
  }
}

export async function obtain(subject: CheckSubject, options?: ContainerOptions): Promise<Started & { owned: boolean }> {
  if (!is_exercise_handle(subject)) return { container: subject, owned: false };
  return { ...(await start_for_check(subject, options)), owned: true };
}

/** The response, or the reason there was none. */
export async function request(container: GradedContainer, r: HttpRequest): Promise<{ response: HttpResponse } | { error: string }> {
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

export const describe_request = (r: HttpRequest) => `${r.method ?? "GET"} ${r.path ?? "/"}`;

/** The network error in words: what the client saw when it tried. */
export function describe_network_error(message: string): string {
  if (/ECONNREFUSED/.test(message)) return "connexion refusée";
  if (/other side closed|ECONNRESET|socket hang up/i.test(message)) return "connexion fermée aussitôt : rien n'écoute sur ce port dans le conteneur";
  if (/timeout|aborted/i.test(message)) return "pas de réponse dans le délai";
  return message.replace(/^Aucune réponse HTTP[^:]*: /, "");
}

export async function no_response_failure(container: GradedContainer, r: HttpRequest, error: string): Promise<CheckOutcome> {
  const state = await container.state().catch(() => undefined);
  const stopped =
    state && !state.running
      ? ` Le conteneur s'est arrêté (code de sortie ${state.exit_code}).${explain_exit_code(state.exit_code, state.oom_killed)}`
      : ` Le serveur doit écouter sur 0.0.0.0:${r.port} dans le conteneur (pas 127.0.0.1, qui n'accepte que les connexions venues du conteneur lui-même) ; vérifiez le port et la commande de démarrage.`;
  return outcome(
    [`Aucune réponse HTTP à ${describe_request(r)} sur le port ${r.port} après ${seconds(r.deadline_ms ?? 10_000)} (${describe_network_error(error)}).${stopped}`],
    await last_logs(container),
    limit_facts({ oom_killed: state && !state.running ? state.oom_killed : false }),
  );
}
