// What a check sees of an exercise and its containers, written in a test:
// the pure test of each check file (grader/checks/*.test.ts) gives a check
// these fakes instead of an engine. Each fake has only what the checks use of
// the real one (grader/spec/use-exercise.ts, grader/engine/container.ts), so
// a check that starts using more fails its pure test, and the real thing is
// what the *.docker.test.ts files grade.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { read_dockerfile } from "../../grader/dockerfile/index.js";
import type { BuildOutcome } from "../../grader/engine/build.js";
import type { ContainerState, GradedContainer, HttpResponse, ListeningSocket } from "../../grader/engine/container.js";
import type { FileEntry, FileStat, ImageFileReader } from "../../grader/engine/files.js";
import type { ImageConfig, ImageFacts } from "../../grader/engine/image.js";
import type { ProcessTree } from "../../grader/engine/process.js";
import type { RunResult } from "../../grader/engine/run.js";
import type { BuiltImage, ContainerChoice, ContainerOptions, ExerciseHandle, VariantOptions } from "../../grader/spec/use-exercise.js";

/** An image's facts as the engine reports them: an empty config unless given. */
export function image_facts(config: Partial<ImageConfig> = {}, facts: Partial<Omit<ImageFacts, "config">> = {}): ImageFacts {
  return {
    id: "sha256:" + "0".repeat(64),
    tags: [],
    size: 0,
    layers: [],
    ...facts,
    config: {
      user: "",
      env: {},
      cmd: null,
      entrypoint: null,
      exposed_ports: [],
      working_dir: "",
      volumes: [],
      labels: {},
      healthcheck: null,
      stop_signal: null,
      ...config,
    },
  };
}

/** A built image of these facts. */
export function built_image(facts: ImageFacts): BuiltImage {
  return { tag: "dockerlings/00-faux:test", id: facts.id, facts, history: async () => [] };
}

export interface FakeContainerSpec {
  /** Published ports: others are refused by host_port, as a real container refuses them. */
  ports?: number[];
  /** An answer per request, or an error message (no response). */
  http?: (method: string, port: number, path: string, body?: string) => HttpResponse | string;
  exec?: (command: string[], user?: string) => { exit_code: number; output: string } | string;
  logs?: string;
  state?: Partial<ContainerState>;
  /** States one after the other (the last one stays). */
  states?: Array<Partial<ContainerState>>;
  processes?: ProcessTree | string;
  listening?: ListeningSocket[];
  stop?: { duration_ms: number; exit_code: number };
}

export type FakeContainer = GradedContainer & { removed: boolean; spec: FakeContainerSpec; options?: ContainerOptions };

const RUNNING: ContainerState = {
  running: true,
  status: "running",
  exit_code: 0,
  oom_killed: false,
  started_at: "2026-01-01T00:00:00.000Z",
  finished_at: "0001-01-01T00:00:00Z",
};

/** A started container answering as `spec` says. */
export function fake_container(spec: FakeContainerSpec = {}, options?: ContainerOptions): FakeContainer {
  let state_index = 0;
  const container = {
    id: "fake-container",
    removed: false,
    spec,
    options,
    host_port(port: number): number {
      if (!(spec.ports ?? options?.ports ?? []).includes(port)) throw new Error(`port ${port} not published`);
      return 40000 + port;
    },
    url: (port: number, p = "/") => `http://127.0.0.1:${40000 + port}${p}`,
    async http(method: string, port: number, p: string, body?: string): Promise<HttpResponse> {
      const answer = spec.http?.(method, port, p, body) ?? "ECONNREFUSED";
      if (typeof answer === "string") throw new Error(`Aucune réponse HTTP : ${answer}`);
      return answer;
    },
    async exec(command: string[], o: { user?: string } = {}) {
      const answer = spec.exec?.(command, o.user) ?? { exit_code: 0, output: "" };
      if (typeof answer === "string") throw new Error(answer);
      return answer;
    },
    logs: async () => spec.logs ?? "",
    async state(): Promise<ContainerState> {
      if (spec.states?.length) {
        const s = spec.states[Math.min(state_index++, spec.states.length - 1)]!;
        return { ...RUNNING, ...s };
      }
      return { ...RUNNING, ...spec.state };
    },
    listening: async () => spec.listening ?? [],
    async processes(): Promise<ProcessTree> {
      if (typeof spec.processes === "string") throw new Error(spec.processes);
      return spec.processes ?? { processes: [], source: "top" };
    },
    running: async () => (await container.state()).running,
    stop: async () => spec.stop ?? { duration_ms: 100, exit_code: 0 },
    async remove() {
      container.removed = true;
    },
  };
  return container as unknown as FakeContainer;
}

/**
 * The image's files, from a table: `{ "/app/main.py": { content: "…" } }`;
 * the folders on the way are root's 0755 unless the table says otherwise.
 */
export function memory_files(entries: Record<string, Partial<FileEntry>>): ImageFileReader {
  const folders = new Set(Object.keys(entries).flatMap((file) => file.split("/").slice(1, -1).map((_, i, parts) => `/${parts.slice(0, i + 1).join("/")}`)));
  folders.add("/");
  const entry = (file: string): FileEntry | null => {
    const e = entries[file] ?? (folders.has(file) ? { type: "directory" as const } : undefined);
    if (!e) return null;
    const type = e.type ?? (e.link_target !== undefined ? "symlink" : "file");
    return { path: file, type, mode: e.mode ?? (type === "directory" ? 0o755 : 0o644), uid: e.uid ?? 0, gid: e.gid ?? 0, size: e.content?.length ?? e.size ?? 0, ...e };
  };
  return {
    async stat(file: string): Promise<FileStat | null> {
      const e = entry(file);
      return e ? { path: e.path, type: e.type, mode: e.mode, size: e.size, ...(e.link_target ? { resolved_target: e.link_target } : {}) } : null;
    },
    async read(file: string) {
      return entry(file);
    },
  };
}

export interface FakeExerciseSpec {
  /** The Dockerfile's text (the handle's model reads it); absent when undefined. */
  dockerfile?: string;
  /** Other files of the submission, written to a temporary folder. */
  files?: Record<string, string>;
  image?: ImageFacts;
  /** The default build and the others (a variant's, a rebuild's), in the order asked. */
  build?: BuildOutcome | ((options: unknown, handle: ExerciseHandle) => BuildOutcome | Promise<BuildOutcome>);
  run?: (args: string[] | undefined, options: { env?: Record<string, string>; entrypoint?: string[]; user?: string }) => RunResult | Error;
  /** The container a start gives (a spec per start), or why it would not start (a CheckFailure). */
  container?: FakeContainerSpec | ((options: ContainerOptions) => FakeContainerSpec | Error);
  variant_options?: VariantOptions;
}

export type FakeExercise = ExerciseHandle & { started: FakeContainer[] };

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An exercise handle of these parts; the checks cannot tell it from the real one, as far as they use it. */
export function fake_exercise(spec: FakeExerciseSpec = {}): FakeExercise {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-fake-"));
  folders.push(dir);
  const variant_options = spec.variant_options ?? {};
  const dockerfile_name = variant_options.dockerfile ?? "Dockerfile";
  if (spec.dockerfile !== undefined) fs.writeFileSync(path.join(dir, dockerfile_name), spec.dockerfile);
  for (const [name, text] of Object.entries(spec.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const started: FakeContainer[] = [];
  const servers = new Map<object, FakeContainer>();
  const handle = {
    id: "00-faux",
    session: "00000000-session-de-test",
    submission_dir: dir,
    variant_options,
    dockerfile_name,
    is_default: Object.keys(variant_options).length === 0,
    started,
    dockerfile: () => read_dockerfile(spec.dockerfile ?? "", { build_args: variant_options.build_args }),
    has_dockerfile: () => spec.dockerfile !== undefined,
    submission_file(name: string): string | undefined {
      const file = path.join(dir, name);
      return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    },
    async build(options: unknown = {}): Promise<BuildOutcome> {
      if (typeof spec.build === "function") return spec.build(options, handle as unknown as ExerciseHandle);
      return spec.build ?? { ok: true, image_id: (spec.image ?? image_facts()).id, tag: "dockerlings/00-faux:test", steps: [], duration_ms: 0, context: { files: [], bytes: 0 } as never };
    },
    async image(): Promise<BuiltImage> {
      return built_image(spec.image ?? image_facts());
    },
    async run(args?: string[], options: { env?: Record<string, string>; entrypoint?: string[]; user?: string } = {}): Promise<RunResult> {
      const result = spec.run?.(args, options) ?? { exit_code: 0, stdout: "", stderr: "", timed_out: false, oom_killed: false, duration_ms: 1 };
      if (result instanceof Error) throw result;
      return result;
    },
    async start(options: ContainerOptions = {}): Promise<FakeContainer> {
      const given = typeof spec.container === "function" ? spec.container(options) : (spec.container ?? {});
      if (given instanceof Error) throw given;
      const container = fake_container(given, options);
      started.push(container);
      return container;
    },
    async container_for(choice: ContainerChoice = {}): Promise<{ container: GradedContainer; shared: boolean }> {
      if ("handle" in choice && "options" in choice) {
        let server = servers.get(choice);
        if (!server) {
          server = await handle.start(choice.options);
          servers.set(choice, server);
        }
        return { container: server, shared: true };
      }
      return { container: await handle.start(choice as ContainerOptions), shared: false };
    },
    server(options: ContainerOptions = {}) {
      return { handle, options };
    },
    variant(options: VariantOptions): FakeExercise {
      return fake_exercise({ ...spec, variant_options: { ...variant_options, ...options } });
    },
  };
  return handle as unknown as FakeExercise;
}

/** What a run gave: its exit code and output. */
export function run_result(result: Partial<RunResult> = {}): RunResult {
  return { exit_code: 0, stdout: "", stderr: "", timed_out: false, oom_killed: false, duration_ms: 5, ...result };
}
