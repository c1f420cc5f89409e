// A command's side of the grading service (server.ts): find the user's
// service for this course, start it if there is none (or if it runs another
// version of the grader or the course), ask it to grade, and hand its
// messages to the command as they come. Whatever goes wrong with the service
// itself is an outcome, never a lost grading: "unavailable" (it could not be
// reached or started) and "lost" (it went away mid-grading) both tell the
// command to grade in its own process. Light: node builtins and the
// service's types, so a command that grades through it starts in a fraction
// of a second.
import { spawn, type ChildProcess } from "node:child_process";
import createDebug from "debug";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { BuildOutcome, BuildProgressEvent } from "../engine/build.js";
import type { GradedExercise } from "../result.js";
import { install_root, runtime_dir, service_place, version_stamp, type ServicePlace } from "./place.js";
import { frame, read_lines, type ClientMessage, type ServiceGradeRequest, type ServiceMessage, type ServiceSettings } from "./protocol.js";

// DEBUG=dockerlings:service: each step, in milliseconds since the process started.
const debug = createDebug("dockerlings:service");
const at = (): string => `${Math.round(performance.now())} ms`;

/** How long a starting service has to answer before the command grades without it. */
const START_TIMEOUT_MS = 30_000;

/**
 * Whether a command grades through the service: not with --no-daemon, nor
 * DOCKERLINGS_DAEMON=off (or 0, false, no); not in CI (CI set, as CI services
 * do: a fresh machine per job gains nothing) unless DOCKERLINGS_DAEMON=on;
 * not when the caller names its own session (DOCKERLINGS_SESSION: what the
 * grading creates must carry that label, which a shared service cannot give).
 */
export function service_wanted(no_daemon: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (no_daemon) return false;
  const setting = (env.DOCKERLINGS_DAEMON ?? "").toLowerCase();
  if (["off", "0", "false", "no"].includes(setting)) return false;
  if (env.DOCKERLINGS_SESSION) return false;
  if (["on", "1", "true", "yes"].includes(setting)) return true;
  return !env.CI || ["0", "false"].includes(env.CI.toLowerCase());
}

export interface ServiceCall {
  course_root: string;
  requests: ServiceGradeRequest[];
  settings: ServiceSettings;
  lang: string;
  /** Build steps as they happen. */
  progress: boolean;
  prepare_next: boolean;
}

export interface ServiceHandlers {
  /** The service has a Grader for the call (the engine answered): grading begins. */
  on_started?: () => void;
  on_progress?: (index: number, event: BuildProgressEvent) => void;
  on_wait?: (index: number) => void;
  on_build?: (index: number, outcome: BuildOutcome) => void;
  on_graded?: (index: number, result: GradedExercise) => void;
}

export type ServiceOutcome =
  | { kind: "graded"; results: GradedExercise[] }
  /** Not reached, not started: grade in this process. */
  | { kind: "unavailable"; why: string; log?: string }
  /** Went away mid-grading: grade in this process, after removing what its gradings made (its sessions' base). */
  | { kind: "lost"; why: string; log: string; session_base?: string };

/** An error the service met, rethrown here with its name (EngineUnavailableError, CourseError...) and words. */
export class ServiceGradingError extends Error {
  constructor(
    name: string,
    message: string,
    readonly cause_text?: string,
  ) {
    super(message);
    this.name = name;
  }
}

/** A connection to a socket, or the reason there is none (ENOENT, ECONNREFUSED...). */
function connect(socket: string): Promise<net.Socket | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const connection = net.connect(socket);
    connection.once("connect", () => {
      connection.removeAllListeners("error");
      resolve(connection);
    });
    connection.once("error", (error) => resolve(error));
  });
}

/** Messages of one connection, in order, as a pull queue; `undefined` once it closed. */
function messages(connection: net.Socket): () => Promise<ServiceMessage | undefined> {
  const queue: (ServiceMessage | undefined)[] = [];
  let waiting: ((m: ServiceMessage | undefined) => void) | undefined;
  const push = (m: ServiceMessage | undefined): void => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(m);
    } else queue.push(m);
  };
  connection.on(
    "data",
    read_lines<ServiceMessage>(push, () => connection.destroy()),
  );
  connection.on("error", () => undefined);
  connection.on("close", () => push(undefined));
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => (waiting = resolve)));
}

const send = (connection: net.Socket, message: ClientMessage): void => {
  connection.write(frame(message));
};

/** Says hello; the service's stamp and pid, or undefined if it closed. */
async function hello(connection: net.Socket, next: () => Promise<ServiceMessage | undefined>, stamp: string): Promise<{ stamp: string; pid: number } | undefined> {
  send(connection, { type: "hello", stamp });
  const answer = await next();
  return answer?.type === "hello" ? { stamp: answer.stamp, pid: answer.pid } : undefined;
}

/** Starts a service for `course_root` at `place`, detached, its output in its log. */
function start_service(place: ServicePlace, course_root: string, stamp: string, env: NodeJS.ProcessEnv): ChildProcess {
  // The log of the last service only: a long-lived one says little, a failing one says why.
  const log = fs.openSync(place.log, "w", 0o600);
  try {
    const child_env: NodeJS.ProcessEnv = { ...env, DOCKERLINGS_COURSE: course_root };
    delete child_env.DOCKERLINGS_SESSION;
    return spawn(process.execPath, [path.join(install_root(), "bin", "dockerlings.js"), "serve", "--socket", place.socket, "--stamp", stamp], {
      cwd: course_root,
      detached: true,
      stdio: ["ignore", log, log],
      env: child_env,
    });
  } finally {
    fs.closeSync(log);
  }
}

/** Waits until `pid` has ended (polling), at most `timeout_ms`; true if it did. */
async function ended(pid: number, timeout_ms: number): Promise<boolean> {
  const deadline = Date.now() + timeout_ms;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return true;
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A connection to this course's service, started (or replaced) if need be. */
async function reach_service(
  place: ServicePlace,
  course_root: string,
  stamp: string,
  env: NodeJS.ProcessEnv,
): Promise<{ connection: net.Socket; next: () => Promise<ServiceMessage | undefined> } | { why: string }> {
  const first = await connect(place.socket);
  if (first instanceof net.Socket) {
    const next = messages(first);
    const answer = await hello(first, next, stamp);
    if (answer?.stamp === stamp) return { connection: first, next };
    // Another version of the grader or the course: that service goes, a new one comes.
    if (answer) {
      send(first, { type: "stop" });
      while ((await next()) !== undefined);
    } else first.destroy();
  }
  const child = start_service(place, course_root, stamp, env);
  let exited: { why: string; at: number } | undefined;
  child.once("exit", (code, signal) => (exited = { why: `exit ${signal ?? code}`, at: Date.now() }));
  child.once("error", (error) => (exited = { why: error.message, at: Date.now() }));
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      const attempt = await connect(place.socket);
      if (attempt instanceof net.Socket) {
        const next = messages(attempt);
        const answer = await hello(attempt, next, stamp);
        if (answer?.stamp === stamp) return { connection: attempt, next };
        attempt.destroy();
        // Another command started another version at the same moment: not ours to replace.
        if (answer) return { why: `another version of the grading service answers at ${place.socket}` };
      }
      // Ours ended: another command's service won the socket (a moment to answer), or it failed to start.
      if (exited && Date.now() - exited.at > 2000) return { why: `the grading service did not start (${exited.why})` };
      if (Date.now() > deadline) return { why: `the grading service did not answer in ${START_TIMEOUT_MS / 1000} s` };
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.unref();
  }
}

/** Grades through the user's service; see ServiceOutcome for what may come back. Throws the service's grading errors (no engine, an unknown exercise). */
export async function grade_with_service(call: ServiceCall, handlers: ServiceHandlers = {}, env: NodeJS.ProcessEnv = process.env): Promise<ServiceOutcome> {
  const folder = runtime_dir(env);
  if ("refused" in folder) return { kind: "unavailable", why: folder.refused };
  const place = service_place(folder.dir, call.course_root, env);
  debug("%s: asking %s", at(), place.socket);
  const stamp = version_stamp(call.course_root);
  debug("%s: version stamp %s", at(), stamp);
  const reached = await reach_service(place, call.course_root, stamp, env);
  if ("why" in reached) return { kind: "unavailable", why: reached.why, log: place.log };
  debug("%s: connected", at());
  const { connection, next } = reached;
  send(connection, {
    type: "grade",
    lang: call.lang,
    requests: call.requests,
    settings: call.settings,
    progress: call.progress,
    prepare_next: call.prepare_next,
  });
  let session_base: string | undefined;
  try {
    for (;;) {
      const message = await next();
      debug("%s: %s", at(), message?.type ?? "closed");
      if (message === undefined) return { kind: "lost", why: "the grading service stopped before the end of the grading", log: place.log, session_base };
      switch (message.type) {
        case "started":
          session_base = message.session;
          handlers.on_started?.();
          break;
        case "build_progress":
          handlers.on_progress?.(message.index, message.event);
          break;
        case "build_wait":
          handlers.on_wait?.(message.index);
          break;
        case "build_outcome":
          handlers.on_build?.(message.index, message.outcome);
          break;
        case "graded":
          handlers.on_graded?.(message.index, message.result);
          break;
        case "finished":
          return { kind: "graded", results: message.results };
        case "failed":
          throw new ServiceGradingError(message.error.name, message.error.message, message.error.cause_text);
        default:
          break;
      }
    }
  } finally {
    connection.destroy();
  }
}

/** Stops every service of the user's folder (of `env`); the pids of those that ended. */
export async function stop_services(env: NodeJS.ProcessEnv = process.env, timeout_ms = 60_000): Promise<number[]> {
  const folder = runtime_dir(env);
  if ("refused" in folder) return [];
  return stop_services_in(folder.dir, timeout_ms);
}

/** The services answering in `dir`: their socket, process and version stamp. */
export async function running_services(dir: string): Promise<{ socket: string; pid: number; stamp: string }[]> {
  let sockets: string[];
  try {
    sockets = fs.readdirSync(dir).filter((name) => name.endsWith(".sock"));
  } catch {
    return [];
  }
  const found = await Promise.all(
    sockets.map(async (name) => {
      const socket = path.join(dir, name);
      const connection = await connect(socket);
      if (!(connection instanceof net.Socket)) return undefined;
      const answer = await hello(connection, messages(connection), "");
      connection.destroy();
      return answer ? { socket, ...answer } : undefined;
    }),
  );
  return found.filter((s) => s !== undefined);
}

/** Stops every service listening in `dir` and waits for their processes to end; the pids stopped. */
export async function stop_services_in(dir: string, timeout_ms = 60_000): Promise<number[]> {
  let sockets: string[];
  try {
    sockets = fs.readdirSync(dir).filter((name) => name.endsWith(".sock"));
  } catch {
    return [];
  }
  const pids = await Promise.all(
    sockets.map(async (name) => {
      const socket = path.join(dir, name);
      const connection = await connect(socket);
      if (!(connection instanceof net.Socket)) {
        // Nobody answers: a service killed without its cleanup left it.
        if (connection.code === "ECONNREFUSED") fs.rmSync(socket, { force: true });
        return undefined;
      }
      const next = messages(connection);
      const answer = await hello(connection, next, "");
      if (!answer) return undefined;
      send(connection, { type: "stop" });
      while ((await next()) !== undefined);
      return (await ended(answer.pid, timeout_ms)) ? answer.pid : undefined;
    }),
  );
  return pids.filter((pid): pid is number => pid !== undefined);
}
