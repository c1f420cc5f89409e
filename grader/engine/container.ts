// Long-running containers (servers) through testcontainers: start, wait until
// ports listen, talk HTTP on published ports, exec, logs, stop. Every container
// carries the grader's labels and limits and is removed by stop() or, failing
// that, by the session sweep.
import "./testcontainers-env.js";
import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { docker, grading_labels } from "./client.js";
import { default_limits, host_config, type ContainerLimits } from "./limits.js";

export interface StartOptions {
  image: string;
  session: string;
  exercise?: string;
  /** Container ports to publish (on 127.0.0.1) and wait for. */
  ports?: number[];
  env?: Record<string, string>;
  args?: string[];
  user?: string;
  /** Named volumes: { volume_name: "/path/in/container" }. */
  volumes?: Record<string, string>;
  /** What "started" means: ports listening (default when ports are given), a log line, or running. */
  wait_for?: { log: string | RegExp } | "ports" | "running" | "healthy";
  limits?: Partial<ContainerLimits>;
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

export class ContainerStartError extends Error {
  constructor(
    message: string,
    readonly logs: string,
    readonly exit_code?: number,
  ) {
    super(message);
    this.name = "ContainerStartError";
  }
}

class LimitedContainer extends GenericContainer {
  created_id?: string;
  /** Resolves with the exit code when the container exits (testcontainers removes a container that fails to start). */
  exit_code?: Promise<number>;
  /** Everything the container printed, collected as it runs. */
  output = "";
  constructor(image: string, limits: ContainerLimits) {
    super(image);
    Object.assign(this.hostConfig, host_config(limits));
    this.withLogConsumer((stream) => {
      stream.on("data", (chunk: Buffer | string) => {
        if (this.output.length < 64 * 1024) this.output += chunk.toString();
      });
      stream.on("error", () => undefined);
    });
  }
  protected override async containerCreated(id: string): Promise<void> {
    this.created_id = id;
    this.exit_code = docker()
      .getContainer(id)
      .wait({ condition: "next-exit" })
      .then((r: { StatusCode: number }) => r.StatusCode, () => -1);
  }
  with_volume_mounts(volumes: Record<string, string>): this {
    // Named volumes only: a submission never gets a host mount.
    this.hostConfig.Binds = Object.entries(volumes).map(([name, target]) => `${name}:${target}`);
    return this;
  }
}

async function container_logs(id: string, tail = 200): Promise<string> {
  try {
    const buffer = (await docker().getContainer(id).logs({ stdout: true, stderr: true, tail })) as unknown as Buffer;
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
    while (Date.now() < deadline) {
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

  async logs(tail = 200): Promise<string> {
    return container_logs(this.id, tail);
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
    await docker()
      .getContainer(this.id)
      .remove({ force: true, v: false })
      .catch(() => undefined);
  }
}

export async function start_container(options: StartOptions): Promise<GradedContainer> {
  const limits = { ...default_limits(), ...options.limits };
  const container = new LimitedContainer(options.image, limits)
    .withLabels(grading_labels(options.session, options.exercise))
    .withStartupTimeout(limits.timeout_ms);
  if (options.ports?.length) container.withExposedPorts(...options.ports);
  if (options.env) container.withEnvironment(options.env);
  if (options.args) container.withCommand(options.args);
  if (options.user) container.withUser(options.user);
  if (options.volumes) {
    // Created here, labelled, so that cleanup finds them (the engine would
    // otherwise create them on the fly, unlabelled).
    for (const name of Object.keys(options.volumes)) {
      await docker()
        .createVolume({ Name: name, Labels: grading_labels(options.session, options.exercise) })
        .catch(() => undefined);
    }
    container.with_volume_mounts(options.volumes);
  }
  const wait = options.wait_for ?? (options.ports?.length ? "ports" : "running");
  // "running" with no ports: listening on nothing resolves at once; the
  // short pause below then tells a server from a program that exits at once.
  if (wait === "ports" || wait === "running") container.withWaitStrategy(Wait.forListeningPorts());
  else if (wait === "healthy") container.withWaitStrategy(Wait.forHealthCheck());
  else container.withWaitStrategy(Wait.forLogMessage(wait.log));

  try {
    const started = await container.start();
    const graded = new GradedContainer(started, started.getId());
    if (wait === "running") await new Promise((r) => setTimeout(r, 300));
    if (!(await graded.running())) {
      throw new Error("container stopped right after starting");
    }
    return graded;
  } catch (error) {
    const id = container.created_id;
    if (id) await docker().getContainer(id).remove({ force: true }).catch(() => undefined);
    const not_ready = /not bound|timed? ?out|timeout|health/i.test((error as Error).message);
    const exit_code = !not_ready && container.exit_code
      ? await Promise.race([container.exit_code, new Promise<undefined>((r) => setTimeout(r, 2000))])
      : undefined;
    const logs = container.output.trim();
    const message = not_ready
      ? `Le conteneur tourne mais n'est pas prêt après ${Math.round(limits.timeout_ms / 1000)} s` +
        (options.ports?.length ? ` : rien n'écoute sur le port ${options.ports.join(", ")}` : "") +
        ". Le programme écoute-t-il sur 0.0.0.0 (et pas 127.0.0.1) et sur le bon port ?"
      : exit_code !== undefined && exit_code >= 0
        ? `Le conteneur s'est arrêté aussitôt (code de sortie ${exit_code}) au lieu de rester en marche. ` +
          "Regardez ses logs ci-dessous : la commande (CMD/ENTRYPOINT) est-elle la bonne ?" +
          (exit_code === 127 ? " Le code 127 veut dire « commande introuvable »." : "")
        : `Le conteneur n'a pas pu démarrer : ${(error as Error).message}`;
    throw new ContainerStartError(message, logs, exit_code);
  }
}
