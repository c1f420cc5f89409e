// Runs an image to completion, like `docker run --rm IMAGE [args]`, with the
// grader's labels and limits, and returns its exit code and output.
import { PassThrough } from "node:stream";
import { docker, grading_labels } from "./client.js";
import { default_limits, host_config, type ContainerLimits } from "../config/limits.js";

export interface RunOptions {
  image: string;
  session: string;
  exercise?: string;
  /** Arguments after the image name (replace CMD), as an array: never a shell string. */
  args?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  user?: string;
  limits?: Partial<ContainerLimits>;
  network?: "none" | "bridge";
  /** Stops the run: its container is killed and removed before the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface RunResult {
  exit_code: number;
  stdout: string;
  stderr: string;
  timed_out: boolean;
  oom_killed: boolean;
  duration_ms: number;
}

const MAX_OUTPUT = 1024 * 1024;

export async function run_to_completion(options: RunOptions): Promise<RunResult> {
  const limits = { ...default_limits(), ...options.limits };
  const d = docker();
  const t0 = Date.now();
  const { signal } = options;
  signal?.throwIfAborted();
  // The create is not aborted mid-request: the engine could still make the
  // container after the call gave up. It is made, then removed below.
  const container = await d.createContainer({
    Image: options.image,
    Cmd: options.args,
    Entrypoint: options.entrypoint,
    Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
    User: options.user,
    Labels: grading_labels(options.session, options.exercise),
    Tty: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { ...host_config(limits), NetworkMode: options.network ?? "none" },
  });
  const kill = (): void => void container.kill().catch(() => undefined);
  signal?.addEventListener("abort", kill, { once: true });
  try {
    signal?.throwIfAborted();
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    let stdout = "";
    let stderr = "";
    const out = new PassThrough();
    const err = new PassThrough();
    out.on("data", (c: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += c.toString("utf8");
    });
    err.on("data", (c: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += c.toString("utf8");
    });
    d.modem.demuxStream(stream, out, err);
    const ended = new Promise<void>((resolve) => stream.on("end", () => resolve()));
    await container.start();
    // Aborted while it started: the kill came too early to stop it.
    signal?.throwIfAborted();
    let timed_out = false;
    const timer = setTimeout(() => {
      timed_out = true;
      container.kill().catch(() => undefined);
    }, limits.timeout_ms);
    const waited = (await container.wait()) as { StatusCode: number };
    clearTimeout(timer);
    signal?.throwIfAborted();
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000))]);
    const state = (await container.inspect()).State;
    return {
      exit_code: waited.StatusCode,
      stdout,
      stderr,
      timed_out,
      oom_killed: Boolean(state.OOMKilled),
      duration_ms: Date.now() - t0,
    };
  } finally {
    signal?.removeEventListener("abort", kill);
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
