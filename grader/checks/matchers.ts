// The checks as a spec writes them: vitest matchers on one subject, the
// exercise handle. Each matcher gets from the handle what it looks at (the
// image, a run, a server, the Dockerfile), collects every failure its check
// finds, and appends the exercise's own advice, given as expect's message:
//
//   await expect(ex, "Créez l'utilisateur avec useradd --uid 10001.").toRunAs({ uid: 10001 });
//   await expect.soft(ex).toExpose(8080);   // records the failure and goes on
//
// A check is one vitest test: its name is what the student reads, its points
// are the test's `meta.points`. A matcher never answers `.not` (what would a
// negated check teach?): a spec that writes it gets a SpecConfigError.
import { expect } from "vitest";
import type { ExerciseHandle } from "../spec/use-exercise.js";
import { BuildFailedError, CheckFailure, is_exercise_handle } from "./check.js";
import { SpecConfigError, merge, outcome, type CheckOutcome } from "./check.js";
import {
  check_exposed_ports,
  check_user,
  check_non_root,
  check_env,
  check_working_directory,
  check_cmd,
  check_entrypoint,
  check_exec_form,
  check_volumes,
  check_labels,
  check_oci_labels,
  check_healthcheck,
  check_stop_signal,
  type PortSpec,
  type ExposedPortsOptions,
  type UserExpectation,
  type ValueExpectation,
  type CommandExpectation,
  type HealthcheckExpectation,
  type OciKey,
  type VolumesOptions,
  ABSENT,
} from "./metadata.js";
import { check_base_image_layers, check_base_image, check_base_pinned, check_stage_count } from "./stages.js";
import { check_files, check_read_only, check_tree, type FileExpectation, type TreeEntry, type UserRef } from "./files.js";
import { check_run, type RunExpectation } from "./run.js";
import {
  check_http,
  check_exec,
  check_logs,
  check_process_tree,
  check_listens_on_exposed,
  check_process_user,
  check_http_on_exposed,
  type ProcessUserExpectation,
  type HttpExpectation,
  type ExecExpectation,
  type LogsOptions,
  type ProcessExpectation,
} from "./server.js";
import {
  check_stays_up,
  check_env_override,
  check_stops_on_sigterm,
  check_healthy,
  check_volume_persists,
  type StaysUpOptions,
  type EnvOverrideExpectation,
  type StopOptions,
  type HealthyOptions,
  type VolumeExpectation,
} from "./own-container.js";
import type { ContainerOptions } from "./containers.js";
import type { TextPattern } from "./words.js";
import {
  check_size_under,
  check_layers_at_most,
  check_wasted_under,
  check_no_context_leftovers,
  type SizeBudget,
  type LayerCountOptions,
  type WasteBudget,
  type LeftoverOptions,
} from "./size.js";
import { check_cache_after_change, check_fully_cached, type CacheExpectation, type CacheBuildOptions } from "./cache.js";
import { check_lint, type LintExpectation } from "./lint.js";
import { check_instructions, type InstructionExpectation } from "./instructions.js";
import { check_context, type ContextExpectation } from "./context.js";
import { check_build_arg, type BuildArgExpectation } from "./build-args.js";
import { check_no_build_tools, type BuildTool } from "./toolchain.js";
import { check_starts } from "./start.js";
import { check_stages_named, check_default_target, check_dockerfile_present } from "./targets.js";
import { check_cache_mounts, check_apt_cache_reused, type CacheMountExpectation, type AptCacheReuseExpectation } from "./cache-mounts.js";
import { check_publish_script, check_publish, type PublicationOptions, type PublishExpectation } from "./registry.js";

/** Where a check on a running container gets its server: started with these options, shared with the file's other checks. */
export interface ServerOption {
  server?: ContainerOptions;
}

interface MatcherState {
  isNot: boolean;
  assertion?: { __flags?: { message?: unknown } };
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The exercise's advice: the message given to expect(ex, "..."). */
function advice_of(state: MatcherState): string | undefined {
  const message = state.assertion?.__flags?.message;
  return typeof message === "string" && message.trim() !== "" ? message.trim() : undefined;
}

/** The failure's message for the student: every failure, then the exercise's advice. */
export function failure_message(result: CheckOutcome, advice?: string): string {
  const body = result.failures.length === 1 ? result.failures[0]! : result.failures.map((f) => `- ${f}`).join("\n");
  if (!advice) return body;
  return result.failures.length === 1 ? `${body} ${advice}` : `${body}\n${advice}`;
}

async function verdict(
  state: MatcherState,
  received: unknown,
  name: string,
  run: (ex: ExerciseHandle) => CheckOutcome | Promise<CheckOutcome>,
): Promise<MatcherResult> {
  if (!(is_exercise_handle(received))) {
    throw new SpecConfigError(`${name} : expect() prend l'exercice (const ex = use_exercise(import.meta.url)), pas ${typeof received}.`);
  }
  if (state.isNot) throw new SpecConfigError(`${name} ne s'écrit pas avec .not : écrivez la vérification positive qui dit ce qui est attendu.`);
  let result: CheckOutcome;
  try {
    result = await run(received);
  } catch (error) {
    // A server that would not start is this check's failure: the exercise's advice still applies.
    if (error instanceof CheckFailure && !(error instanceof BuildFailedError)) {
      result = outcome([error.message], error.output, error.facts);
    } else throw error;
  }
  if (result.ok) return { pass: true, message: () => `${name} : réussi` };
  throw new CheckFailure(failure_message(result, advice_of(state)), result.output, result.facts);
}

/** The built image, or the build's own failure as the check's failure. */
async function image_of(ex: ExerciseHandle) {
  return ex.image();
}

const checks = {
  /** The image builds; a failed build says which instruction, on which line, and what to change. */
  async toBuild(this: MatcherState, received: unknown) {
    return verdict(this, received, "toBuild", async (ex) => {
      await ex.image();
      return outcome([]);
    });
  },
  /** The final stage (or `stage`) starts from this image, ARG defaults and earlier stages followed; the image sits on its layers. */
  async toStartFrom(this: MatcherState, received: unknown, expected: string | RegExp, options: { stage?: number | string } = {}) {
    return verdict(this, received, "toStartFrom", async (ex) => {
      const written = check_base_image(ex, expected, options);
      if (!written.ok || typeof expected !== "string" || options.stage !== undefined) return written;
      return check_base_image_layers(await image_of(ex), expected);
    });
  },
  /** The final stage's base image has a precise tag (not latest, not absent) or a digest. */
  async toPinBaseImage(this: MatcherState, received: unknown) {
    return verdict(this, received, "toPinBaseImage", (ex) => check_base_pinned(ex));
  },
  /** The Dockerfile has this many stages: a number, or { min, max }. */
  async toHaveStages(this: MatcherState, received: unknown, expected: number | { min?: number; max?: number }) {
    return verdict(this, received, "toHaveStages", (ex) => check_stage_count(ex, expected));
  },
  /** CMD / ENTRYPOINT is declared by the Dockerfile in exec form (a JSON array). */
  async toUseExecForm(this: MatcherState, received: unknown, ...instructions: Array<"CMD" | "ENTRYPOINT">) {
    return verdict(this, received, "toUseExecForm", async (ex) => {
      const image = await image_of(ex);
      const list = instructions.length > 0 ? instructions : (["CMD"] as const);
      return merge(...list.map((instruction) => check_exec_form(ex, image, instruction)));
    });
  },
  /** `docker run --rm IMAGE args...`: exit code and output (the program's own errors explained). */
  async toRun(this: MatcherState, received: unknown, expected: RunExpectation | RunExpectation[] = {}) {
    return verdict(this, received, "toRun", (ex) => check_run(ex, expected));
  },
  /** The image exposes these ports (80, "8080/tcp", "53/udp"); `only` refuses others. */
  async toExpose(this: MatcherState, received: unknown, ports: PortSpec | PortSpec[], options: ExposedPortsOptions = {}) {
    return verdict(this, received, "toExpose", async (ex) => check_exposed_ports(await image_of(ex), ports, options));
  },
  /** The image runs as this user, resolved through its own /etc/passwd (USER app, USER 10001, USER app:app). */
  async toRunAs(this: MatcherState, received: unknown, expected: UserExpectation) {
    return verdict(this, received, "toRunAs", (ex) => check_user(ex, expected));
  },
  /** The server's PID 1 really runs as this UID (read by the engine), a UID with a name in the image. */
  async toServeAs(this: MatcherState, received: unknown, expected: ProcessUserExpectation, options: ServerOption = {}) {
    return verdict(this, received, "toServeAs", (ex) => check_process_user(ex, expected, options.server));
  },
  /** The image does not run as root (USER resolves to a UID other than 0). */
  async toRunAsNonRoot(this: MatcherState, received: unknown) {
    return verdict(this, received, "toRunAsNonRoot", (ex) => check_non_root(ex));
  },
  /** The image's environment (ENV): exact values, RegExps, ABSENT or PRESENT. */
  async toHaveEnv(this: MatcherState, received: unknown, expected: Record<string, ValueExpectation>) {
    return verdict(this, received, "toHaveEnv", async (ex) => check_env(await image_of(ex), expected, ex));
  },
  /** The image's working directory, set in the final stage by an absolute WORKDIR (and `expected` when given). */
  async toHaveWorkdir(this: MatcherState, received: unknown, expected?: string) {
    return verdict(this, received, "toHaveWorkdir", async (ex) => check_working_directory(ex, await image_of(ex), expected));
  },
  /** The image's CMD: an exact array or a CommandExpectation. */
  async toHaveCmd(this: MatcherState, received: unknown, expected: string[] | CommandExpectation) {
    return verdict(this, received, "toHaveCmd", async (ex) => check_cmd(await image_of(ex), expected));
  },
  /** The image's ENTRYPOINT: an exact array, a CommandExpectation, or ABSENT. */
  async toHaveEntrypoint(this: MatcherState, received: unknown, expected: string[] | CommandExpectation | typeof ABSENT) {
    return verdict(this, received, "toHaveEntrypoint", async (ex) => check_entrypoint(await image_of(ex), expected));
  },
  /** The image declares these volumes; `only` refuses others. */
  async toDeclareVolumes(this: MatcherState, received: unknown, volumes: string | string[], options: VolumesOptions = {}) {
    return verdict(this, received, "toDeclareVolumes", async (ex) => check_volumes(await image_of(ex), volumes, options));
  },
  /** The image's labels: names that must be present, or values (exact, RegExp, ABSENT, PRESENT). */
  async toHaveLabels(this: MatcherState, received: unknown, expected: string[] | Record<string, ValueExpectation>) {
    return verdict(this, received, "toHaveLabels", async (ex) => check_labels(await image_of(ex), expected));
  },
  /** OCI annotations (org.opencontainers.image.*), by short name ("title") or full key. */
  async toHaveOciLabels(this: MatcherState, received: unknown, expected: Array<OciKey | string> | Partial<Record<OciKey | string, ValueExpectation>>) {
    return verdict(this, received, "toHaveOciLabels", async (ex) => check_oci_labels(await image_of(ex), expected));
  },
  /** The image declares a HEALTHCHECK (exec form, interval and timeout within bounds, ...). */
  async toHaveHealthcheck(this: MatcherState, received: unknown, expected: HealthcheckExpectation = {}) {
    return verdict(this, received, "toHaveHealthcheck", async (ex) => check_healthcheck(await image_of(ex), expected));
  },
  /** The image's STOPSIGNAL. */
  async toHaveStopSignal(this: MatcherState, received: unknown, expected: string | number) {
    return verdict(this, received, "toHaveStopSignal", async (ex) => check_stop_signal(await image_of(ex), expected));
  },
  /** Paths of the image: existence, type, content, mode, owner, who may read/write/enter (read without running anything). */
  async toHaveFiles(this: MatcherState, received: unknown, expected: FileExpectation | FileExpectation[]) {
    return verdict(this, received, "toHaveFiles", (ex) => check_files(ex, expected));
  },
  /** None of these paths can be changed by the image's user (or `user`): the code and the system stay read-only to it. */
  async toKeepReadOnly(this: MatcherState, received: unknown, paths: string[], options: { user?: UserRef } = {}) {
    return verdict(this, received, "toKeepReadOnly", (ex) => check_read_only(ex, paths, options));
  },
  /** Exactly this tree under `roots`: types, modes, owners, contents, link targets, and nothing more. */
  async toHaveTree(this: MatcherState, received: unknown, roots: string | string[], expected: Record<string, TreeEntry>) {
    return verdict(this, received, "toHaveTree", (ex) => check_tree(ex, Array.isArray(roots) ? roots : [roots], expected));
  },
  /** The Dockerfile's instructions: what they must and must not do (apt usage, ADD for archives, ...). */
  async toHaveInstructions(this: MatcherState, received: unknown, expected: InstructionExpectation) {
    return verdict(this, received, "toHaveInstructions", (ex) => check_instructions(ex, expected));
  },
  /** The started container is still running after `seconds`. */
  async toStayUp(this: MatcherState, received: unknown, options: StaysUpOptions = {}) {
    return verdict(this, received, "toStayUp", (ex) => check_stays_up(ex, options));
  },
  /** An HTTP request to the server answers as expected (status, body, JSON, headers). */
  async toServeHttp(this: MatcherState, received: unknown, expected: HttpExpectation | HttpExpectation[], options: ServerOption = {}) {
    return verdict(this, received, "toServeHttp", async (ex) => {
      const requests = Array.isArray(expected) ? expected : [expected];
      const server = await ex.server(options.server ?? { ports: [...new Set(requests.map((r) => r.port))] });
      const results: CheckOutcome[] = [];
      for (const r of requests) results.push(await check_http(server, r));
      return merge(...results);
    });
  },
  /** Started like `docker run -P`, the server listens on every exposed TCP port, on all interfaces, and on no other. */
  async toListenOnExposedPorts(this: MatcherState, received: unknown, options: ServerOption = {}) {
    return verdict(this, received, "toListenOnExposedPorts", (ex) => check_listens_on_exposed(ex, options.server));
  },
  /** Started like `docker run -P`, every published port answers this HTTP request. */
  async toAnswerOnExposedPorts(this: MatcherState, received: unknown, expected: Omit<HttpExpectation, "port">, options: ServerOption = {}) {
    return verdict(this, received, "toAnswerOnExposedPorts", (ex) => check_http_on_exposed(ex, expected, options.server));
  },
  /** A command run in the server: exit code and output. */
  async toExec(this: MatcherState, received: unknown, expected: ExecExpectation, options: ServerOption = {}) {
    return verdict(this, received, "toExec", async (ex) => check_exec(await ex.server(options.server ?? {}), expected));
  },
  /** The server's logs contain these texts. */
  async toLog(this: MatcherState, received: unknown, patterns: TextPattern | TextPattern[], options: LogsOptions & ServerOption = {}) {
    return verdict(this, received, "toLog", async (ex) => check_logs(await ex.server(options.server ?? {}), patterns, options));
  },
  /** PID 1 of the server runs this program, as this user (read by the engine, no shell needed in the image). */
  async toRunProcess(this: MatcherState, received: unknown, expected: ProcessExpectation, options: ServerOption = {}) {
    return verdict(this, received, "toRunProcess", async (ex) => check_process_tree(await ex.server(options.server ?? {}), expected));
  },
  /** `docker run -e ...` changes what the application does. */
  async toHonourEnv(this: MatcherState, received: unknown, expected: EnvOverrideExpectation) {
    return verdict(this, received, "toHonourEnv", (ex) => check_env_override(ex, expected));
  },
  /** `docker stop` ends the container within N seconds (the program gets SIGTERM). */
  async toStopOnSigterm(this: MatcherState, received: unknown, options: StopOptions = {}) {
    return verdict(this, received, "toStopOnSigterm", (ex) => check_stops_on_sigterm(ex, options));
  },
  /** The container becomes healthy, within a deadline counted from its own start. */
  async toBecomeHealthy(this: MatcherState, received: unknown, options: HealthyOptions = {}) {
    return verdict(this, received, "toBecomeHealthy", (ex) => check_healthy(ex, options));
  },
  /** What the container writes in a named volume survives removing and recreating it. */
  async toPersistInVolume(this: MatcherState, received: unknown, expected: VolumeExpectation) {
    return verdict(this, received, "toPersistInVolume", (ex) => check_volume_persists(ex, expected));
  },
  /** The image weighs at most max_mb, and/or adds at most max_mb_above_base above its base. */
  async toWeighAtMost(this: MatcherState, received: unknown, limits: SizeBudget) {
    return verdict(this, received, "toWeighAtMost", (ex) => check_size_under(ex, limits));
  },
  /** The image has at most `max` layers (with above_base, those the Dockerfile adds). */
  async toHaveLayersAtMost(this: MatcherState, received: unknown, max: number, options: LayerCountOptions = {}) {
    return verdict(this, received, "toHaveLayersAtMost", (ex) => check_layers_at_most(ex, max, options));
  },
  /** Wasted bytes (dive's figures) within the budget. */
  async toWasteAtMost(this: MatcherState, received: unknown, limits: WasteBudget) {
    return verdict(this, received, "toWasteAtMost", (ex) => check_wasted_under(ex, limits));
  },
  /** Nothing of the build context that should stay out (secrets, .git, node_modules, tests, logs) is in the image. */
  async toLeaveOutOfImage(this: MatcherState, received: unknown, options: LeftoverOptions = {}) {
    return verdict(this, received, "toLeaveOutOfImage", (ex) => check_no_context_leftovers(ex, options));
  },
  /** After a change to the submission, these steps come from the cache and those are rebuilt. */
  async toRebuildAfterChange(this: MatcherState, received: unknown, expectation: CacheExpectation) {
    return verdict(this, received, "toRebuildAfterChange", (ex) => check_cache_after_change(ex, expectation));
  },
  /** A second identical build comes entirely from the cache. */
  async toBeFullyCached(this: MatcherState, received: unknown, options: CacheBuildOptions = {}) {
    return verdict(this, received, "toBeFullyCached", async (ex) => {
      await ex.image();
      return check_fully_cached(ex, options);
    });
  },
  /** The Dockerfile has no lint finding of these rules / this severity. */
  async toPassLint(this: MatcherState, received: unknown, expected: LintExpectation = {}) {
    return verdict(this, received, "toPassLint", (ex) => check_lint(ex, expected));
  },
  /** The build context sends what the build needs, leaves out what it must not send, within a size budget. */
  async toSendContext(this: MatcherState, received: unknown, expected: ContextExpectation) {
    return verdict(this, received, "toSendContext", (ex) => check_context(ex, expected));
  },
  /** A build argument reaches these labels and environment variables (its default, or the variant's --build-arg value). */
  async toPassBuildArg(this: MatcherState, received: unknown, expected: BuildArgExpectation) {
    return verdict(this, received, "toPassBuildArg", (ex) => check_build_arg(ex, expected));
  },
  /** The final image holds no build tool (Go, a C compiler by default). */
  async toLeaveOutBuildTools(this: MatcherState, received: unknown, tools?: readonly BuildTool[]) {
    return verdict(this, received, "toLeaveOutBuildTools", (ex) => check_no_build_tools(ex, tools));
  },
  /** The image starts as a server (shared with the checks asking for the same options); a refused start is explained. */
  async toStart(this: MatcherState, received: unknown, options: ContainerOptions = {}) {
    return verdict(this, received, "toStart", (ex) => check_starts(ex, options));
  },
  /** The Dockerfile has stages of these names, which docker build --target can name. */
  async toHaveStagesNamed(this: MatcherState, received: unknown, names: string[]) {
    return verdict(this, received, "toHaveStagesNamed", (ex) => check_stages_named(ex, names));
  },
  /** A plain docker build (no --target) gives the image of --target `target`: that stage comes last. */
  async toBuildTargetByDefault(this: MatcherState, received: unknown, target: string) {
    return verdict(this, received, "toBuildTargetByDefault", (ex) => check_default_target(ex, target));
  },
  /** The handle's Dockerfile (a variant's -f file) exists in the submission and has a FROM. */
  async toHaveDockerfile(this: MatcherState, received: unknown) {
    return verdict(this, received, "toHaveDockerfile", (ex) => check_dockerfile_present(ex));
  },
  /** The RUN matching `run` mounts a BuildKit cache on each of these folders (RUN --mount=type=cache,target=…). */
  async toMountCache(this: MatcherState, received: unknown, expected: CacheMountExpectation) {
    return verdict(this, received, "toMountCache", (ex) => check_cache_mounts(ex, expected));
  },
  /** After a package is added to the list, apt-get downloads it but takes the others from the cache mount. */
  async toReuseCacheMount(this: MatcherState, received: unknown, expected: AptCacheReuseExpectation) {
    return verdict(this, received, "toReuseCacheMount", (ex) => check_apt_cache_reused(ex, expected));
  },
  /** The publication script is there, made only of commands the grader carries out, and pushes an image. */
  async toHavePublishScript(this: MatcherState, received: unknown, options: PublicationOptions) {
    return verdict(this, received, "toHavePublishScript", (ex) => check_publish_script(ex, options));
  },
  /** The publication script, carried out through a registry of the grading, runs to its end; the registry then holds these tags, digests, a base pinned by digest. */
  async toPublish(this: MatcherState, received: unknown, expected: PublishExpectation) {
    return verdict(this, received, "toPublish", (ex) => check_publish(ex, expected));
  },
};

expect.extend(checks as unknown as Parameters<typeof expect.extend>[0]);

/** The checks a spec can write on `expect(ex)`; each is async: `await expect(ex).toBuild()`. */
export interface ExerciseMatchers<R = unknown> {
  toBuild(): Promise<R>;
  toStartFrom(expected: string | RegExp, options?: { stage?: number | string }): Promise<R>;
  toPinBaseImage(): Promise<R>;
  toHaveStages(expected: number | { min?: number; max?: number }): Promise<R>;
  toUseExecForm(...instructions: Array<"CMD" | "ENTRYPOINT">): Promise<R>;
  toRun(expected?: RunExpectation | RunExpectation[]): Promise<R>;
  toExpose(ports: PortSpec | PortSpec[], options?: ExposedPortsOptions): Promise<R>;
  toRunAs(expected: UserExpectation): Promise<R>;
  toServeAs(expected: ProcessUserExpectation, options?: ServerOption): Promise<R>;
  toRunAsNonRoot(): Promise<R>;
  toHaveEnv(expected: Record<string, ValueExpectation>): Promise<R>;
  toHaveWorkdir(expected?: string): Promise<R>;
  toHaveCmd(expected: string[] | CommandExpectation): Promise<R>;
  toHaveEntrypoint(expected: string[] | CommandExpectation | typeof ABSENT): Promise<R>;
  toDeclareVolumes(volumes: string | string[], options?: VolumesOptions): Promise<R>;
  toHaveLabels(expected: string[] | Record<string, ValueExpectation>): Promise<R>;
  toHaveOciLabels(expected: Array<OciKey | string> | Partial<Record<OciKey | string, ValueExpectation>>): Promise<R>;
  toHaveHealthcheck(expected?: HealthcheckExpectation): Promise<R>;
  toHaveStopSignal(expected: string | number): Promise<R>;
  toHaveFiles(expected: FileExpectation | FileExpectation[]): Promise<R>;
  toKeepReadOnly(paths: string[], options?: { user?: UserRef }): Promise<R>;
  toHaveTree(roots: string | string[], expected: Record<string, TreeEntry>): Promise<R>;
  toHaveInstructions(expected: InstructionExpectation): Promise<R>;
  toStayUp(options?: StaysUpOptions): Promise<R>;
  toServeHttp(expected: HttpExpectation | HttpExpectation[], options?: ServerOption): Promise<R>;
  toListenOnExposedPorts(options?: ServerOption): Promise<R>;
  toAnswerOnExposedPorts(expected: Omit<HttpExpectation, "port">, options?: ServerOption): Promise<R>;
  toExec(expected: ExecExpectation, options?: ServerOption): Promise<R>;
  toLog(patterns: TextPattern | TextPattern[], options?: LogsOptions & ServerOption): Promise<R>;
  toRunProcess(expected: ProcessExpectation, options?: ServerOption): Promise<R>;
  toHonourEnv(expected: EnvOverrideExpectation): Promise<R>;
  toStopOnSigterm(options?: StopOptions): Promise<R>;
  toBecomeHealthy(options?: HealthyOptions): Promise<R>;
  toPersistInVolume(expected: VolumeExpectation): Promise<R>;
  toWeighAtMost(limits: SizeBudget): Promise<R>;
  toHaveLayersAtMost(max: number, options?: LayerCountOptions): Promise<R>;
  toWasteAtMost(limits: WasteBudget): Promise<R>;
  toLeaveOutOfImage(options?: LeftoverOptions): Promise<R>;
  toRebuildAfterChange(expectation: CacheExpectation): Promise<R>;
  toBeFullyCached(options?: CacheBuildOptions): Promise<R>;
  toPassLint(expected?: LintExpectation): Promise<R>;
  toSendContext(expected: ContextExpectation): Promise<R>;
  toPassBuildArg(expected: BuildArgExpectation): Promise<R>;
  toLeaveOutBuildTools(tools?: readonly BuildTool[]): Promise<R>;
  toStart(options?: ContainerOptions): Promise<R>;
  toHaveStagesNamed(names: string[]): Promise<R>;
  toBuildTargetByDefault(target: string): Promise<R>;
  toHaveDockerfile(): Promise<R>;
  toMountCache(expected: CacheMountExpectation): Promise<R>;
  toReuseCacheMount(expected: AptCacheReuseExpectation): Promise<R>;
  toHavePublishScript(options: PublicationOptions): Promise<R>;
  toPublish(expected: PublishExpectation): Promise<R>;
}

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends ExerciseMatchers<T> {}
}
