// What the student's own `docker build` will do on this machine (doctor): the
// grader builds through the engine's API with BuildKit whatever the client
// does, but the lessons' commands are typed into the docker CLI, and an old
// client, a missing buildx plugin or DOCKER_BUILDKIT=0 gives the legacy
// builder (no RUN --mount, no BuildKit output) or a refusal.
//
// The rules are docker/cli's (cmd/docker/builder.go, processBuilder, since
// 23.0: DOCKER_BUILDKIT, the builder alias, then the buildx plugin) and, for
// older clients, cli/command/image/build.go's BuildKitEnabled (DOCKER_BUILDKIT,
// else what the engine advertises in its ping's Builder-Version header).
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { docker } from "./client.js";

export interface DockerClientFacts {
  /** The `docker` program first on PATH; undefined when there is none. */
  path?: string;
  /** Its version, "28.2.2". */
  client_version?: string;
  /** The buildx plugin's version, "0.13.1"; undefined when `docker buildx` does not answer. */
  buildx_version?: string;
  /** DOCKER_BUILDKIT as set in the environment. */
  env_buildkit?: string;
  /** aliases.builder of the client's config.json ("buildx" after `docker buildx install`). */
  builder_alias?: string;
  /** The engine's ping header Builder-Version: "2" when it offers BuildKit by default. */
  engine_builder?: string;
  /** The engine's OS type ("linux", "windows"). */
  engine_os?: string;
}

export type ClientBuilder =
  | { builder: "none" }
  | { builder: "buildkit"; via: "buildx" | "client" }
  | { builder: "legacy"; why: "disabled" | "no-buildx" | "old-client" }
  | { builder: "refused"; why: "no-buildx" | "bad-env" };

/** Go's strconv.ParseBool, which the CLI applies to DOCKER_BUILDKIT. */
function parse_bool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** Which builder `docker build` uses with these facts. */
export function client_builder(facts: DockerClientFacts): ClientBuilder {
  if (!facts.path || !facts.client_version) return { builder: "none" };
  const major = Number(/^(\d+)\./.exec(facts.client_version)?.[1] ?? 0);
  const env = facts.env_buildkit ?? "";
  const env_value = env === "" ? undefined : parse_bool(env);
  if (env !== "" && env_value === undefined) return { builder: "refused", why: "bad-env" };
  if (major < 23) {
    // 20.10 and older: BuildKit only when asked for, or when the engine offers it by default.
    if (facts.builder_alias === "buildx" && facts.buildx_version) return { builder: "buildkit", via: "buildx" };
    if (env_value === false) return { builder: "legacy", why: "disabled" };
    if (env_value === true || facts.engine_builder === "2") return { builder: "buildkit", via: "client" };
    return { builder: "legacy", why: "old-client" };
  }
  if (env_value === false) return { builder: "legacy", why: "disabled" };
  const use_builder = env_value === true || facts.builder_alias !== undefined;
  if (!use_builder && facts.engine_os === "windows" && facts.engine_builder !== "2") return { builder: "legacy", why: "old-client" };
  if (!facts.buildx_version) return use_builder ? { builder: "refused", why: "no-buildx" } : { builder: "legacy", why: "no-buildx" };
  return { builder: "buildkit", via: "buildx" };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 15_000, encoding: "utf8" }, (error, stdout) => resolve({ ok: !error, stdout: stdout ?? "" }));
  });
}

/** The first executable `docker` on PATH, as a shell would find it. */
function find_on_path(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function builder_alias(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), ".docker");
  try {
    const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")) as { aliases?: Record<string, string> };
    return config.aliases?.builder;
  } catch {
    return undefined;
  }
}

/** The engine's Builder-Version ping header (a unix socket only; undefined otherwise). */
function engine_builder_version(): Promise<string | undefined> {
  const socket = (docker().modem as { socketPath?: unknown }).socketPath;
  if (typeof socket !== "string") return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const request = http.get({ socketPath: socket, path: "/_ping", timeout: 5_000 }, (response) => {
      response.resume();
      const header = response.headers["builder-version"];
      resolve(typeof header === "string" ? header : undefined);
    });
    request.on("error", () => resolve(undefined));
    request.on("timeout", () => request.destroy());
  });
}

/** Reads the facts client_builder decides on: the docker program, its buildx plugin, the environment, the engine. */
export async function probe_docker_client(engine_os?: string, env: NodeJS.ProcessEnv = process.env): Promise<DockerClientFacts> {
  const facts: DockerClientFacts = { env_buildkit: env.DOCKER_BUILDKIT, builder_alias: builder_alias(env), engine_os };
  facts.path = find_on_path("docker", env);
  facts.engine_builder = await engine_builder_version();
  if (!facts.path) return facts;
  // `docker version` prints the client's part even when no engine answers; the
  // client refuses every command when DOCKER_BUILDKIT is not a boolean, so the
  // program and its plugin are asked without it (client_builder reads it).
  const quiet: NodeJS.ProcessEnv = { ...env, DOCKER_BUILDKIT: undefined };
  const version = await run(facts.path, ["version", "--format", "{{.Client.Version}}"], quiet);
  facts.client_version = version.stdout.trim().split("\n")[0] || undefined;
  const buildx = await run(facts.path, ["buildx", "version"], quiet);
  // "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3" (Debian) or "github.com/docker/buildx v0.17.1 257815a"
  if (buildx.ok) facts.buildx_version = /^\S+\s+v?(\d+\.\d+\.\d+)/.exec(buildx.stdout.trim())?.[1] ?? (buildx.stdout.trim() || undefined);
  return facts;
}
