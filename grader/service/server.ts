// The grading service: a process the CLI starts on a first `check` or
// `grade` and talks to afterwards (as Gradle's daemon, tsserver or eslint_d),
// so that a command pays neither loading the grader nor starting vitest and
// its worker: it keeps a Grader warm (grader/runner/grader.ts) and, once an
// exercise is graded, loads its spec again, so the next check of it starts at
// once. One per user, course and engine settings (place.ts), listening on a
// socket only the user can open. It ends after an idle time, on `stop`
// (`dockerlings stop`, or a command whose version stamp differs), and when
// its socket is removed or taken by another service. It keeps nothing a
// command needs: the command records progress and results itself, and grades
// in its own process if the service goes away mid-grading.
import fs from "node:fs";
import net from "node:net";
import createDebug from "debug";
import { randomUUID } from "node:crypto";
import { grading_defaults } from "../config/grading.js";
import { load_exercise } from "../course/course.js";
import { set_lang, LANGS, type Lang } from "../messages/index.js";
import { Grader } from "../runner/grader.js";
import type { GradedExercise } from "../result.js";
import { frame, read_lines, type ClientMessage, type ServiceError, type ServiceMessage, type ServiceSettings } from "./protocol.js";

export const DEFAULT_IDLE_S = 15 * 60;

// DEBUG=dockerlings:service (in the environment of the command that starts the service): each grading's steps, on its log.
const debug = createDebug("dockerlings:service");

export interface ServeOptions {
  socket: string;
  stamp: string;
  course_root: string;
  /** Ends after this long with no command (15 minutes by default, DOCKERLINGS_DAEMON_IDLE_S). */
  idle_ms?: number;
  /** Said on the service's log (its standard error). */
  log?: (line: string) => void;
}

/** Graders kept, one per set of settings; the least recently used goes past this many. */
const GRADERS_KEPT = 2;

export function idle_ms_from_env(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.DOCKERLINGS_DAEMON_IDLE_S);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_IDLE_S) * 1000;
}

const as_service_error = (error: unknown): ServiceError => {
  const e = error as Error & { cause_text?: unknown };
  return { name: e?.name ?? "Error", message: e?.message ?? String(error), ...(typeof e?.cause_text === "string" ? { cause_text: e.cause_text } : {}) };
};

/** Serves until stopped, idle or replaced; resolves once everything it opened is closed. */
export async function serve(options: ServeOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
  const idle_ms = options.idle_ms ?? idle_ms_from_env();
  // What this service's gradings create is labelled with sessions derived from this base: a command that
  // sees the service die sweeps them (engine/sweep-sessions.ts).
  const session_base = randomUUID();
  const graders = new Map<string, Promise<Grader>>();
  const connections = new Set<net.Socket>();
  let busy = 0;
  let idle_timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let resolve_stopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolve_stopped = resolve));

  const server = net.createServer((socket) => on_connection(socket));
  await listen(server, options.socket);
  fs.chmodSync(options.socket, 0o600);
  const inode = fs.statSync(options.socket).ino;
  log(`listening on ${options.socket} (pid ${process.pid}, stamp ${options.stamp}, sessions *-${session_base}, idle ${Math.round(idle_ms / 1000)} s)`);

  // Gone or taken by another service: this one is no longer the one commands reach.
  const watch = setInterval(() => {
    let current: number | undefined;
    try {
      current = fs.statSync(options.socket).ino;
    } catch {
      current = undefined;
    }
    if (current !== inode) void stop(current === undefined ? "socket removed" : "socket taken by another service");
  }, 2000);
  watch.unref();

  const arm_idle = (): void => {
    clearTimeout(idle_timer);
    if (busy === 0 && !stopping) idle_timer = setTimeout(() => void stop(`idle for ${Math.round(idle_ms / 1000)} s`), idle_ms);
  };
  arm_idle();

  async function stop(why: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    clearTimeout(idle_timer);
    clearInterval(watch);
    server.close();
    // Only our own socket: a newer service may already listen at that path.
    try {
      if (fs.statSync(options.socket).ino === inode) fs.unlinkSync(options.socket);
    } catch {
      // Already gone.
    }
    const open = [...graders.values()];
    graders.clear();
    await Promise.all(open.map((g) => g.then((grader) => grader.close(), () => undefined)));
    for (const socket of connections) socket.destroy();
    log("stopped");
    resolve_stopped();
  }

  async function grader_for(asked: ServiceSettings): Promise<Grader> {
    // The defaults written out: a check (which names none) and a grade (which names them all) share a Grader.
    const d = grading_defaults();
    const settings: Required<ServiceSettings> = {
      parallel: asked.parallel ?? d.parallel,
      build_timeout_ms: asked.build_timeout_ms ?? d.build_timeout_ms,
      check_timeout_ms: asked.check_timeout_ms ?? d.check_timeout_ms,
      context_limit_bytes: asked.context_limit_bytes ?? d.context_limit_bytes,
    };
    const key = JSON.stringify(settings);
    let grader = graders.get(key);
    if (grader) {
      // Most recently used last.
      graders.delete(key);
      graders.set(key, grader);
      return grader;
    }
    // Each Grader its own sessions, all derived from the service's base.
    grader = Grader.open({ course_root: options.course_root, session: `${randomUUID().slice(0, 8)}-${session_base}`, ...settings });
    graders.set(key, grader);
    grader.catch(() => graders.delete(key));
    while (graders.size > GRADERS_KEPT) {
      const [oldest_key, oldest] = graders.entries().next().value as [string, Promise<Grader>];
      graders.delete(oldest_key);
      void oldest.then((g) => g.close(), () => undefined);
    }
    return grader;
  }

  function on_connection(socket: net.Socket): void {
    connections.add(socket);
    const send = (message: ServiceMessage): void => {
      if (!socket.destroyed) socket.write(frame(message));
    };
    // The command went away (Ctrl-C, a crash): what it asked for is abandoned.
    const gone = new AbortController();
    socket.on("close", () => {
      connections.delete(socket);
      gone.abort();
    });
    socket.on("error", () => undefined);
    socket.on(
      "data",
      read_lines<ClientMessage>(
        (message) => void on_message(message),
        () => socket.destroy(),
      ),
    );

    async function on_message(message: ClientMessage): Promise<void> {
      if (message.type === "hello") return send({ type: "hello", stamp: options.stamp, pid: process.pid });
      if (message.type === "stop") {
        send({ type: "stopping" });
        socket.end();
        return void stop("asked to stop");
      }
      if (message.type !== "grade" || stopping) return void socket.end();
      busy++;
      clearTimeout(idle_timer);
      try {
        await grade(message);
      } catch (error) {
        send({ type: "failed", error: as_service_error(error) });
        // No engine at all: nothing is worth keeping warm.
        if ((error as Error).name === "EngineUnavailableError" && graders.size === 0) void stop("no engine answers");
      } finally {
        busy--;
        socket.end();
        arm_idle();
      }
    }

    async function grade(message: Extract<ClientMessage, { type: "grade" }>): Promise<void> {
      // One process, one language setting: the messages a grading words (its errors) follow the command's.
      if ((LANGS as readonly string[]).includes(message.lang)) set_lang(message.lang as Lang);
      const t0 = performance.now();
      const since = (): string => `+${Math.round(performance.now() - t0)} ms`;
      debug("grade %o", message.requests.map((r) => r.exercise));
      const exercises = message.requests.map((r) => load_exercise(options.course_root, r.exercise));
      const grader = await grader_for(message.settings);
      debug("%s: grader ready", since());
      send({ type: "started", session: session_base });
      const results = await Promise.all(
        message.requests.map((request, index) =>
          grader
            .grade({
              exercise: exercises[index]!,
              dir: request.dir,
              shown: request.shown,
              ...(request.checks ? { checks: request.checks } : {}),
              signal: gone.signal,
              on_progress: message.progress ? (event) => send({ type: "build_progress", index, event }) : undefined,
              on_wait: message.progress ? () => send({ type: "build_wait", index }) : undefined,
              on_build: (outcome) => {
                debug("%s: %s built", since(), request.exercise);
                send({ type: "build_outcome", index, outcome });
              },
            })
            .then((result: GradedExercise) => {
              debug("%s: %s graded", since(), request.exercise);
              send({ type: "graded", index, result });
              return result;
            }),
        ),
      );
      send({ type: "finished", results });
      const last = exercises.at(-1);
      if (message.prepare_next && last && !stopping) grader.prepare(last);
    }
  }

  return stopped;
}

/**
 * Listens at `socket`. A socket file nobody answers at (a service killed
 * without its cleanup) is removed first; one a live service answers at is
 * left to it (EADDRINUSE).
 */
async function listen(server: net.Server, socket: string): Promise<void> {
  const attempt = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(socket, () => {
        server.off("error", reject);
        resolve();
      });
    });
  try {
    await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    const alive = await new Promise<boolean>((resolve) => {
      const probe = net.connect(socket);
      probe.once("connect", () => {
        probe.destroy();
        resolve(true);
      });
      probe.once("error", () => resolve(false));
    });
    if (alive) throw error;
    fs.rmSync(socket, { force: true });
    await attempt();
  }
}
