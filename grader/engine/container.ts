// Long-running containers (servers) through testcontainers: start, wait until
// ports listen, talk HTTP on published ports, exec, logs, stop. Every container
// carries the grader's labels and limits and is removed by stop() or, failing
// that, by the session sweep.
import fs from "node:fs";
import net from "node:net";
import { randomUUID } from "node:crypto";
import type Dockerode from "dockerode";
import type { BoundPorts, StartedTestContainer, WaitStrategy } from "testcontainers";
import { docker, grading_labels } from "./client.js";
import { default_limits, type ContainerLimits } from "../config/limits.js";
import { container_processes, type ProcessTree } from "./process.js";

export interface StartOptions {
  image: string;
  session: string;
  exercise?: string;
  /** Container ports to publish (on 127.0.0.1) and wait for. */
  ports?: number[];
  env?: Record<string, string>;
  args?: string[];
  /** Replaces the image's ENTRYPOINT (`docker run --entrypoint`). */
  entrypoint?: string[];
  user?: string;
  /** Named volumes: { volume_name: "/path/in/container" }. */
  volumes?: Record<string, string>;
  /** What "started" means: ports listening (default when ports are given), a log line, or running. */
  wait_for?: { log: string | RegExp } | "ports" | "running" | "healthy";
  limits?: Partial<ContainerLimits>;
  /** Stops the start: what it made is removed before the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A TCP socket in LISTEN state: its port, and whether it only listens on the loopback interface. */
export interface ListeningSocket {
  port: number;
  loopback_only: boolean;
}

/** TCP sockets in LISTEN state, from the text of /proc/net/tcp and /proc/net/tcp6. */
export function parse_listening(proc_net: string): ListeningSocket[] {
  const sockets = new Map<number, boolean>();
  for (const line of proc_net.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (!/^\d+:$/.test(fields[0] ?? "") || fields[3] !== "0A") continue;
    const [address, port_hex] = (fields[1] ?? "").split(":");
    const port = parseInt(port_hex ?? "", 16);
    if (!Number.isFinite(port)) continue;
    const loopback = address === "0100007F" || address === "00000000000000000000000001000000";
    sockets.set(port, (sockets.get(port) ?? true) && loopback);
  }
  return [...sockets].map(([port, loopback_only]) => ({ port, loopback_only })).sort((a, b) => a.port - b.port);
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ExecResult {
  exit_code: number;
  output: string;
}

export interface HealthLogEntry {
  exit_code: number;
  output: string;
  start: string;
  end: string;
}

/** The container as the engine sees it now. */
export interface ContainerState {
  running: boolean;
  /** created, running, exited, ... */
  status: string;
  exit_code: number;
  oom_killed: boolean;
  started_at: string;
  finished_at: string;
  /** Present when the image (or the run) has a HEALTHCHECK. */
  health?: { status: string; failing_streak: number; log: HealthLogEntry[] };
  /** The HEALTHCHECK the container runs; undefined when there is none (or HEALTHCHECK NONE). */
  healthcheck?: { test: string[]; interval_ms: number; timeout_ms: number; retries: number; start_period_ms: number };
}

export class ContainerStartError extends Error {
  constructor(
    message: string,
    readonly logs: string,
    readonly exit_code?: number,
    /** The start's time limit, when the container was not ready within it. */
    readonly time_limit_ms?: number,
  ) {
    super(message);
    this.name = "ContainerStartError";
  }
}

/** The container exited while the grader waited for it to be ready. */
class ContainerExitedError extends Error {
  constructor(readonly exit_code: number) {
    super(`container exited with code ${exit_code}`);
    this.name = "ContainerExitedError";
  }
}

/**
 * True when something in the container accepts a TCP connection on the host
 * port. Docker's userland proxy accepts every connection on a published port,
 * even when nothing listens inside, and closes it a few milliseconds later:
 * so a connection that stays open for `hold_ms` (or sends data) is the
 * application; one closed at once is the proxy finding no listener.
 */
export function port_accepts(host_port: number, hold_ms = 150, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(host_port, host);
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      socket.destroy();
      resolve(ok);
    };
    const overall = setTimeout(() => done(false), hold_ms + 1000);
    socket.once("connect", () => setTimeout(() => done(true), hold_ms));
    socket.once("data", () => done(true));
    socket.once("end", () => done(false));
    socket.once("close", () => done(false));
    socket.once("error", () => done(false));
  });
}

/**
 * Ready when every published TCP port accepts a connection from the host,
 * polled every 100 ms. Replaces testcontainers' HostPortWaitStrategy, whose
 * host check is fooled by the userland proxy (it passes at once) and whose
 * in-container check runs three shell commands per round (slow, impossible
 * without a shell, and satisfied by a server bound to 127.0.0.1 that the
 * host cannot reach).
 */
class ListeningPortsWait implements WaitStrategy {
  private timeout_ms = 60_000;
  private timeout_set = false;
  constructor(private readonly enabled = true) {}
  withStartupTimeout(ms: number): this {
    this.timeout_ms = ms;
    this.timeout_set = true;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return this.timeout_set;
  }
  getStartupTimeout(): number {
    return this.timeout_ms;
  }
  async waitUntilReady(_container: Dockerode.Container, bound: BoundPorts): Promise<void> {
    if (!this.enabled) return;
    const pending = new Map<string, number>();
    for (const [key, host_port] of bound.iterator()) if (!key.toLowerCase().endsWith("/udp")) pending.set(key, host_port);
    const deadline = Date.now() + this.timeout_ms;
    while (pending.size > 0) {
      await Promise.all(
        [...pending].map(async ([key, host_port]) => {
          if (await port_accepts(host_port)) pending.delete(key);
        }),
      );
      if (pending.size === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`Port ${[...pending.keys()].join(", ")} not bound after ${this.timeout_ms}ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Any wait strategy, cut short with ContainerExitedError when the container exits while it waits. */
class ExitAwareWait implements WaitStrategy {
  waiting = false;
  constructor(
    private readonly inner: WaitStrategy,
    private readonly exited: Promise<number>,
  ) {}
  withStartupTimeout(ms: number): this {
    this.inner.withStartupTimeout(ms);
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return this.inner.isStartupTimeoutSet();
  }
  getStartupTimeout(): number {
    return this.inner.getStartupTimeout();
  }
  async waitUntilReady(container: Dockerode.Container, bound: BoundPorts, start_time?: Date): Promise<void> {
    this.waiting = true;
    let ready = false;
    const exit = this.exited.then((code) => {
      if (!ready) throw new ContainerExitedError(code);
    });
    exit.catch(() => undefined);
    await Promise.race([this.inner.waitUntilReady(container, bound, start_time).then(() => (ready = true)), exit]);
  }
}

async function container_logs(id: string, tail: number | "all" = 200): Promise<string> {
  try {
    const buffer = (await docker()
      .getContainer(id)
      .logs({ stdout: true, stderr: true, tail: tail as number })) as unknown as Buffer;
    return demux_buffer(buffer);
  } catch {
    return "";
  }
}

/** Decodes the engine's multiplexed log format (8-byte frame headers) when there is no TTY. */
export function demux_buffer(buffer: Buffer): string {
  let out = "";
  let i = 0;
  while (i + 8 <= buffer.length && (buffer[i] === 1 || buffer[i] === 2 || buffer[i] === 0)) {
    const size = buffer.readUInt32BE(i + 4);
    out += buffer.subarray(i + 8, i + 8 + size).toString("utf8");
    i += 8 + size;
  }
  return i === 0 ? buffer.toString("utf8") : out;
}

export class GradedContainer {
  constructor(
    private readonly started: StartedTestContainer,
    readonly id: string,
  ) {}

  /** The host port bound to a container port. */
  host_port(port: number): number {
    return this.started.getMappedPort(port);
  }

  url(port: number, path = "/"): string {
    return `http://127.0.0.1:${this.host_port(port)}${path}`;
  }

  /** One HTTP request, retried on connection errors until the deadline. */
  async http(
    method: string,
    port: number,
    path = "/",
    body?: string,
    options: { headers?: Record<string, string>; deadline_ms?: number } = {},
  ): Promise<HttpResponse> {
    const deadline = Date.now() + (options.deadline_ms ?? 10_000);
    let last: unknown;
    // At least one attempt, whatever the deadline.
    for (let first = true; first || Date.now() < deadline; first = false) {
      try {
        const response = await fetch(this.url(port, path), {
          method,
          body,
          headers: options.headers,
          signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
        });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => (headers[key] = value));
        return { status: response.status, headers, body: await response.text() };
      } catch (error) {
        last = error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(
      `Aucune réponse HTTP sur le port ${port} (${method} ${path}) : ${(last as Error)?.cause ?? (last as Error)?.message ?? "délai dépassé"}`,
    );
  }

  /** Runs a command (argument array, never a shell string) in the container. */
  async exec(command: string[], options: { user?: string } = {}): Promise<ExecResult> {
    const result = await this.started.exec(command, { user: options.user });
    return { exit_code: result.exitCode, output: result.output };
  }

  /** The last `tail` lines the container printed (stdout and stderr), or all of them. */
  async logs(tail: number | "all" = 200): Promise<string> {
    return container_logs(this.id, tail);
  }

  async state(): Promise<ContainerState> {
    const info = await docker().getContainer(this.id).inspect();
    const s = info.State as typeof info.State & {
      Health?: { Status: string; FailingStreak: number; Log?: Array<{ ExitCode: number; Output: string; Start: string; End: string }> };
    };
    const check = (info.Config as { Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number } })
      .Healthcheck;
    const ms = (ns: number | undefined, fallback: number) => (ns ? ns / 1e6 : fallback);
    return {
      running: s.Running,
      status: s.Status,
      exit_code: s.ExitCode,
      oom_killed: Boolean(s.OOMKilled),
      started_at: s.StartedAt,
      finished_at: s.FinishedAt,
      health: s.Health
        ? {
            status: s.Health.Status,
            failing_streak: s.Health.FailingStreak,
            log: (s.Health.Log ?? []).map((e) => ({ exit_code: e.ExitCode, output: e.Output, start: e.Start, end: e.End })),
          }
        : undefined,
      // Docker's defaults: 30 s interval and timeout, 3 retries.
      healthcheck:
        check?.Test?.length && check.Test[0] !== "NONE"
          ? {
              test: check.Test,
              interval_ms: ms(check.Interval, 30_000),
              timeout_ms: ms(check.Timeout, 30_000),
              retries: check.Retries || 3,
              start_period_ms: ms(check.StartPeriod, 0),
            }
          : undefined,
    };
  }

  /** The processes running in the container, PID 1 first (see process.ts). */
  /**
   * The TCP sockets listening in the container, read from its network
   * namespace: from the host's /proc/<pid>/net when the engine runs on this
   * machine (no program needed in the image), else with `cat` in the container.
   */
  async listening(): Promise<ListeningSocket[]> {
    const info = await docker().getContainer(this.id).inspect();
    const pid = info.State?.Pid;
    let table: string | undefined;
    if (pid && pid > 0) {
      try {
        // The process must be this container's: its cgroup names the container's ID.
        if (fs.readFileSync(`/proc/${pid}/cgroup`, "utf8").includes(this.id)) {
          table = ["tcp", "tcp6"].map((f) => (fs.existsSync(`/proc/${pid}/net/${f}`) ? fs.readFileSync(`/proc/${pid}/net/${f}`, "utf8") : "")).join("\n");
        }
      } catch {
        table = undefined;
      }
    }
    table ??= (await this.exec(["cat", "/proc/net/tcp", "/proc/net/tcp6"])).output;
    return parse_listening(table);
  }

  async processes(): Promise<ProcessTree> {
    return container_processes(this.id);
  }

  async running(): Promise<boolean> {
    const state = (await docker().getContainer(this.id).inspect()).State;
    return state.Running;
  }

  async inspect() {
    return docker().getContainer(this.id).inspect();
  }

  /** Stops with the image's stop signal; returns how long it took. */
  async stop(timeout_s = 10): Promise<{ duration_ms: number; exit_code: number }> {
    const t0 = Date.now();
    await docker()
      .getContainer(this.id)
      .stop({ t: timeout_s })
      .catch(() => undefined);
    const state = (await docker().getContainer(this.id).inspect()).State;
    return { duration_ms: Date.now() - t0, exit_code: state.ExitCode };
  }

  async remove(): Promise<void> {
    // v: the anonymous volumes an image's VOLUME creates (unlabelled, so no
    // sweep would find them); named volumes are never removed by it.
    await docker()
      .getContainer(this.id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
}

/** A fresh name for a named volume of this session (start_container creates it, labelled). */
export function volume_name(session: string): string {
  return `dockerlings-${session.slice(0, 8)}-${randomUUID().slice(0, 8)}`;
}

/** Removes a named volume; quiet when it is already gone. */
export async function remove_volume(name: string): Promise<void> {
  await docker()
    .getVolume(name)
    .remove({ force: true })
    .catch(() => undefined);
}

export async function start_container(options: StartOptions): Promise<GradedContainer> {
  const limits = { ...default_limits(), ...options.limits };
  const { signal } = options;
  signal?.throwIfAborted();
  // testcontainers is loaded on the first server started: half a second a
  // check that only builds and runs does not pay.
  const { LimitedContainer, Wait } = await import("./limited-container.js");
  const container = new LimitedContainer(options.image, limits)
    .withLabels(grading_labels(options.session, options.exercise))
    .withStartupTimeout(limits.timeout_ms);
  if (options.ports?.length) container.withExposedPorts(...options.ports).publish_on_loopback();
  if (options.env) container.withEnvironment(options.env);
  if (options.entrypoint) container.withEntrypoint(options.entrypoint);
  if (options.args) container.withCommand(options.args);
  if (options.user) container.withUser(options.user);
  // A named volume the engine makes with the container carries our labels: cleanup finds it.
  if (options.volumes) container.with_volume_mounts(options.volumes, grading_labels(options.session, options.exercise));
  const wait = options.wait_for ?? (options.ports?.length ? "ports" : "running");
  // "running" waits for no port: the short pause below then tells a server
  // from a program that exits at once.
  const strategy = new ExitAwareWait(
    wait === "ports" || wait === "running"
      ? new ListeningPortsWait(wait === "ports")
      : wait === "healthy"
        ? Wait.forHealthCheck()
        : Wait.forLogMessage(wait.log),
    container.exited,
  );
  container.withWaitStrategy(strategy);

  let starting: Promise<unknown> = Promise.resolve();
  let stop_listening = (): void => undefined;
  try {
    // A container that dies before the wait begins would keep testcontainers
    // polling for its ports for 10 s: its exit ends the start at once.
    const started_now = container.start();
    starting = started_now.catch(() => undefined);
    const exited_early = container.exited.then((code) =>
      strategy.waiting ? new Promise<never>(() => undefined) : Promise.reject(new ContainerExitedError(code)),
    );
    const aborted = new Promise<never>((_, reject) => {
      const reject_now = (): void => reject(signal?.reason);
      signal?.addEventListener("abort", reject_now, { once: true });
      stop_listening = () => signal?.removeEventListener("abort", reject_now);
    });
    aborted.catch(() => undefined);
    const started = await Promise.race([started_now, exited_early, aborted]);
    const graded = new GradedContainer(started, started.getId());
    if (wait === "running") await Promise.race([new Promise((r) => setTimeout(r, 300)), aborted]);
    signal?.throwIfAborted();
    if (!(await graded.running())) {
      throw new ContainerExitedError(await Promise.race([container.exited, new Promise<number>((r) => setTimeout(() => r(-1), 2000))]));
    }
    return graded;
  } catch (error) {
    if (signal?.aborted) {
      // The engine may still be making the container: it is removed once made
      // (or once the start gave up), so that nothing outlives the call.
      await Promise.race([container.created, starting]);
      if (container.created_id) await docker().getContainer(container.created_id).remove({ force: true, v: true }).catch(() => undefined);
      throw signal.reason;
    }
    const id = container.created_id;
    let logs = container.output.trim();
    if (id) {
      // testcontainers attaches the log stream only once the ports are bound:
      // a container that died before then has its logs in the engine alone.
      if (!logs) logs = (await container_logs(id)).trim();
      await docker().getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
    }
    const exited = error instanceof ContainerExitedError;
    const not_ready = !exited && /not bound|timed? ?out|timeout|health/i.test((error as Error).message);
    const exit_code = exited
      ? error.exit_code
      : !not_ready && container.exit_code
        ? await Promise.race([container.exit_code, new Promise<undefined>((r) => setTimeout(r, 2000))])
        : undefined;
    const message = not_ready
      ? `Le conteneur tourne mais n'est pas prêt après ${Math.round(limits.timeout_ms / 1000)} s` +
        (options.ports?.length ? ` : rien n'écoute sur le port ${options.ports.join(", ")}` : "") +
        ". Le programme écoute-t-il sur 0.0.0.0 (et pas 127.0.0.1) et sur le bon port ?"
      : exit_code !== undefined && exit_code >= 0
        ? `Le conteneur s'est arrêté aussitôt (code de sortie ${exit_code}) au lieu de rester en marche. ` +
          (logs ? "Regardez ses logs ci-dessous : la commande (CMD/ENTRYPOINT) est-elle la bonne ?" : "Il n'a rien écrit : la commande (CMD/ENTRYPOINT) est-elle la bonne ?") +
          (exit_code === 127 ? " Le code 127 veut dire « commande introuvable »." : "")
        : `Le conteneur n'a pas pu démarrer : ${(error as Error).message}`;
    throw new ContainerStartError(message, logs, exit_code, not_ready ? limits.timeout_ms : undefined);
  } finally {
    stop_listening();
  }
}
