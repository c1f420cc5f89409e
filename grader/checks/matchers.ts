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
// negated check teach?): a spec that writes it gets a SpecConfigError, and
// every mistake of the spec's is said with the name of the matcher written.
// The list of matchers is written once (`matchers` below): the type a spec
// sees (ExerciseMatchers) is derived from it.
import { chai, expect } from "vitest";
import type { ContainerChoice, ContainerOptions, ExerciseHandle } from "../spec/use-exercise.js";
import { BuildFailedError, CheckFailure, failure_text, is_exercise_handle, SpecConfigError, merge, outcome, type CheckOutcome } from "./check.js";
import {
  check_exposed_ports,
  check_user,
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
import { on_container } from "./containers.js";
import type { Described, Expected } from "./words.js";
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

/**
 * Which container a check of a running server looks at: `ex.server({...})`,
 * a server of the file shared by every check given it; or options, a
 * container of the check's own, removed after it (the default: one of its own).
 */
export interface ContainerOption {
  container?: ContainerChoice;
}

/**
 * What a matcher reads of vitest's MatcherState (`this`). Written here, not
 * taken from vitest: its `assertion` is typed with the matchers themselves,
 * which would make the derived ExerciseMatchers refer to itself.
 */
interface CheckState {
  isNot: boolean;
  assertion?: object;
}

/**
 * The exercise's advice: the message given to expect(ex, "..."). vitest hands
 * a matcher the chai assertion (`this.assertion`, in vitest's MatcherState
 * type but marked experimental: free to change in any release), and keeps the
 * message in chai's "message" flag, read through chai's plugin API. So
 * package.json pins vitest to one version, and matchers.test.ts says why and
 * fails at once if an upgrade loses the advice.
 */
export function advice_of(state: CheckState): string | undefined {
  const message: unknown = state.assertion ? chai.util.flag(state.assertion, "message") : undefined;
  return typeof message === "string" && message.trim() !== "" ? message.trim() : undefined;
}

type Verdict = Promise<{ pass: boolean; message: () => string }>;

async function verdict(
  state: CheckState,
  received: unknown,
  name: string,
  run: (ex: ExerciseHandle) => CheckOutcome | Promise<CheckOutcome>,
): Verdict {
  if (!is_exercise_handle(received)) {
    throw new SpecConfigError(`expect() prend l'exercice (const ex = use_exercise(import.meta.url)), pas ${typeof received}.`, name);
  }
  if (state.isNot) throw new SpecConfigError("ne s'écrit pas avec .not : écrivez la vérification positive qui dit ce qui est attendu.", name);
  let result: CheckOutcome;
  try {
    result = await run(received);
  } catch (error) {
    // A server that would not start is this check's failure: the exercise's advice still applies.
    if (error instanceof CheckFailure && !(error instanceof BuildFailedError)) {
      result = outcome([error.message], error.output, error.facts);
    } else if (error instanceof SpecConfigError && !error.matcher) {
      // The spec's mistake, said with the name of the matcher the author wrote.
      throw new SpecConfigError(error.detail, name);
    } else throw error;
  }
  if (result.ok) return { pass: true, message: () => `${name} : réussi` };
  throw new CheckFailure(failure_text(result, advice_of(state)), result.output, result.facts);
}

const matchers = {
  /** The image builds; a failed build says which instruction, on which line, and what to change. */
  async toBuild(this: CheckState, received: unknown): Verdict {
    return verdict(this, received, "toBuild", async (ex) => {
      await ex.image();
      return outcome([]);
    });
  },
  /** The final stage (or `stage`) starts from this image, ARG defaults and earlier stages followed; the image sits on its layers. */
  async toStartFrom(this: CheckState, received: unknown, expected: string | Described, options: { stage?: number | string } = {}): Verdict {
    return verdict(this, received, "toStartFrom", async (ex) => {
      const written = check_base_image(ex, expected, options);
      if (!written.ok || typeof expected !== "string" || options.stage !== undefined) return written;
      return check_base_image_layers(await ex.image(), expected);
    });
  },
  /** The final stage's base image has a precise tag (not latest, not absent) or a digest. */
  async toPinBaseImage(this: CheckState, received: unknown): Verdict {
    return verdict(this, received, "toPinBaseImage", (ex) => check_base_pinned(ex));
  },
  /** The Dockerfile has this many stages: a number, or { min, max }. */
  async toHaveStages(this: CheckState, received: unknown, expected: number | { min?: number; max?: number }): Verdict {
    return verdict(this, received, "toHaveStages", (ex) => check_stage_count(ex, expected));
  },
  /** CMD / ENTRYPOINT is declared by the Dockerfile in exec form (a JSON array). */
  async toUseExecForm(this: CheckState, received: unknown, ...instructions: Array<"CMD" | "ENTRYPOINT">): Verdict {
    return verdict(this, received, "toUseExecForm", async (ex) => {
      const image = await ex.image();
      const list = instructions.length > 0 ? instructions : (["CMD"] as const);
      return merge(...list.map((instruction) => check_exec_form(ex, image, instruction)));
    });
  },
  /** `docker run --rm IMAGE args...`: exit code and output (the program's own errors explained). */
  async toRun(this: CheckState, received: unknown, expected: RunExpectation | RunExpectation[] = {}): Verdict {
    return verdict(this, received, "toRun", (ex) => check_run(ex, expected));
  },
  /** The image exposes these ports (80, "8080/tcp", "53/udp"); `only` refuses others. */
  async toExpose(this: CheckState, received: unknown, ports: PortSpec | PortSpec[], options: ExposedPortsOptions = {}): Verdict {
    return verdict(this, received, "toExpose", async (ex) => check_exposed_ports(await ex.image(), ports, options));
  },
  /** The image runs as this user, resolved through its own /etc/passwd (USER app, USER 10001, USER app:app), or as anyone but root ({ non_root: true }). */
  async toRunAs(this: CheckState, received: unknown, expected: UserExpectation): Verdict {
    return verdict(this, received, "toRunAs", (ex) => check_user(ex, expected));
  },
  /** The server's PID 1 really runs as this UID (read by the engine), a UID with a name in the image. */
  async toServeAs(this: CheckState, received: unknown, expected: ProcessUserExpectation, options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toServeAs", (ex) => check_process_user(ex, expected, options.container));
  },
  /** The image's environment (ENV): exact values, RegExps, ABSENT or PRESENT. */
  async toHaveEnv(this: CheckState, received: unknown, expected: Record<string, ValueExpectation>): Verdict {
    return verdict(this, received, "toHaveEnv", async (ex) => check_env(await ex.image(), expected, ex));
  },
  /** The image's working directory, set in the final stage by an absolute WORKDIR (and `expected` when given). */
  async toHaveWorkdir(this: CheckState, received: unknown, expected?: string): Verdict {
    return verdict(this, received, "toHaveWorkdir", async (ex) => check_working_directory(ex, await ex.image(), expected));
  },
  /** The image's CMD: an exact array or a CommandExpectation. */
  async toHaveCmd(this: CheckState, received: unknown, expected: string[] | CommandExpectation): Verdict {
    return verdict(this, received, "toHaveCmd", async (ex) => check_cmd(await ex.image(), expected));
  },
  /** The image's ENTRYPOINT: an exact array, a CommandExpectation, or ABSENT. */
  async toHaveEntrypoint(this: CheckState, received: unknown, expected: string[] | CommandExpectation | typeof ABSENT): Verdict {
    return verdict(this, received, "toHaveEntrypoint", async (ex) => check_entrypoint(await ex.image(), expected));
  },
  /** The image declares these volumes; `only` refuses others. */
  async toDeclareVolumes(this: CheckState, received: unknown, volumes: string | string[], options: VolumesOptions = {}): Verdict {
    return verdict(this, received, "toDeclareVolumes", async (ex) => check_volumes(await ex.image(), volumes, options));
  },
  /** The image's labels: names that must be present, or values (exact, RegExp, ABSENT, PRESENT). */
  async toHaveLabels(this: CheckState, received: unknown, expected: string[] | Record<string, ValueExpectation>): Verdict {
    return verdict(this, received, "toHaveLabels", async (ex) => check_labels(await ex.image(), expected));
  },
  /** OCI annotations (org.opencontainers.image.*), by short name ("title") or full key. */
  async toHaveOciLabels(this: CheckState, received: unknown, expected: Array<OciKey | string> | Partial<Record<OciKey | string, ValueExpectation>>): Verdict {
    return verdict(this, received, "toHaveOciLabels", async (ex) => check_oci_labels(await ex.image(), expected));
  },
  /** The image declares a HEALTHCHECK (exec form, interval and timeout within bounds, ...). */
  async toHaveHealthcheck(this: CheckState, received: unknown, expected: HealthcheckExpectation = {}): Verdict {
    return verdict(this, received, "toHaveHealthcheck", async (ex) => check_healthcheck(await ex.image(), expected));
  },
  /** The image's STOPSIGNAL. */
  async toHaveStopSignal(this: CheckState, received: unknown, expected: string | number): Verdict {
    return verdict(this, received, "toHaveStopSignal", async (ex) => check_stop_signal(await ex.image(), expected));
  },
  /** Paths of the image: existence, type, content, mode, owner, who may read/write/enter (read without running anything). */
  async toHaveFiles(this: CheckState, received: unknown, expected: FileExpectation | FileExpectation[]): Verdict {
    return verdict(this, received, "toHaveFiles", (ex) => check_files(ex, expected));
  },
  /** None of these paths can be changed by the image's user (or `user`): the code and the system stay read-only to it. */
  async toKeepReadOnly(this: CheckState, received: unknown, paths: string[], options: { user?: UserRef } = {}): Verdict {
    return verdict(this, received, "toKeepReadOnly", (ex) => check_read_only(ex, paths, options));
  },
  /** Exactly this tree under `roots`: types, modes, owners, contents, link targets, and nothing more. */
  async toHaveTree(this: CheckState, received: unknown, roots: string | string[], expected: Record<string, TreeEntry>): Verdict {
    return verdict(this, received, "toHaveTree", (ex) => check_tree(ex, Array.isArray(roots) ? roots : [roots], expected));
  },
  /** The Dockerfile's instructions: what they must and must not do (apt usage, ADD for archives, ...). */
  async toHaveInstructions(this: CheckState, received: unknown, expected: InstructionExpectation): Verdict {
    return verdict(this, received, "toHaveInstructions", (ex) => check_instructions(ex, expected));
  },
  /** The started container is still running after `seconds`. */
  async toStayUp(this: CheckState, received: unknown, options: StaysUpOptions = {}): Verdict {
    return verdict(this, received, "toStayUp", (ex) => check_stays_up(ex, options));
  },
  /** An HTTP request to the server answers as expected (status, body, JSON, headers). */
  async toServeHttp(this: CheckState, received: unknown, expected: HttpExpectation | HttpExpectation[], options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toServeHttp", (ex) => {
      const requests = Array.isArray(expected) ? expected : [expected];
      // A container of its own publishes the ports the requests call.
      const container = options.container ?? { ports: [...new Set(requests.map((r) => r.port))] };
      return on_container(ex, container, async (server) => {
        const results: CheckOutcome[] = [];
        for (const r of requests) results.push(await check_http(server, r));
        return merge(...results);
      });
    });
  },
  /** Started like `docker run -P`, the server listens on every exposed TCP port, on all interfaces, and on no other. */
  async toListenOnExposedPorts(this: CheckState, received: unknown, options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toListenOnExposedPorts", (ex) => check_listens_on_exposed(ex, options.container));
  },
  /** Started like `docker run -P`, every published port answers this HTTP request. */
  async toAnswerOnExposedPorts(this: CheckState, received: unknown, expected: Omit<HttpExpectation, "port">, options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toAnswerOnExposedPorts", (ex) => check_http_on_exposed(ex, expected, options.container));
  },
  /** A command run in the server: exit code and output. */
  async toExec(this: CheckState, received: unknown, expected: ExecExpectation, options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toExec", (ex) => on_container(ex, options.container, (container) => check_exec(container, expected)));
  },
  /** The server's logs contain these texts. */
  async toLog(this: CheckState, received: unknown, patterns: Expected | Expected[], options: LogsOptions & ContainerOption = {}): Verdict {
    return verdict(this, received, "toLog", (ex) => on_container(ex, options.container, (container) => check_logs(container, patterns, options)));
  },
  /** PID 1 of the server runs this program, not a shell (read by the engine, no shell needed in the image). */
  async toRunProcess(this: CheckState, received: unknown, expected: ProcessExpectation, options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toRunProcess", (ex) => on_container(ex, options.container, (container) => check_process_tree(container, expected)));
  },
  /** `docker run -e ...` changes what the application does. */
  async toHonourEnv(this: CheckState, received: unknown, expected: EnvOverrideExpectation): Verdict {
    return verdict(this, received, "toHonourEnv", (ex) => check_env_override(ex, expected));
  },
  /** `docker stop` ends the container within N seconds (the program gets SIGTERM). */
  async toStopOnSigterm(this: CheckState, received: unknown, options: StopOptions = {}): Verdict {
    return verdict(this, received, "toStopOnSigterm", (ex) => check_stops_on_sigterm(ex, options));
  },
  /** The container becomes healthy, within a deadline counted from its own start. */
  async toBecomeHealthy(this: CheckState, received: unknown, options: HealthyOptions = {}): Verdict {
    return verdict(this, received, "toBecomeHealthy", (ex) => check_healthy(ex, options));
  },
  /** What the container writes in a named volume survives removing and recreating it. */
  async toPersistInVolume(this: CheckState, received: unknown, expected: VolumeExpectation): Verdict {
    return verdict(this, received, "toPersistInVolume", (ex) => check_volume_persists(ex, expected));
  },
  /** The image weighs at most max_mb, and/or adds at most max_mb_above_base above its base. */
  async toWeighAtMost(this: CheckState, received: unknown, limits: SizeBudget): Verdict {
    return verdict(this, received, "toWeighAtMost", (ex) => check_size_under(ex, limits));
  },
  /** The image has at most `max` layers (with above_base, those the Dockerfile adds). */
  async toHaveLayersAtMost(this: CheckState, received: unknown, max: number, options: LayerCountOptions = {}): Verdict {
    return verdict(this, received, "toHaveLayersAtMost", (ex) => check_layers_at_most(ex, max, options));
  },
  /** Wasted bytes (dive's figures) within the budget. */
  async toWasteAtMost(this: CheckState, received: unknown, limits: WasteBudget): Verdict {
    return verdict(this, received, "toWasteAtMost", (ex) => check_wasted_under(ex, limits));
  },
  /** Nothing of the build context that should stay out (secrets, .git, node_modules, tests, logs) is in the image. */
  async toLeaveOutOfImage(this: CheckState, received: unknown, options: LeftoverOptions = {}): Verdict {
    return verdict(this, received, "toLeaveOutOfImage", (ex) => check_no_context_leftovers(ex, options));
  },
  /** After a change to the submission, these steps come from the cache and those are rebuilt. */
  async toRebuildAfterChange(this: CheckState, received: unknown, expectation: CacheExpectation): Verdict {
    return verdict(this, received, "toRebuildAfterChange", (ex) => check_cache_after_change(ex, expectation));
  },
  /** A second identical build comes entirely from the cache. */
  async toBeFullyCached(this: CheckState, received: unknown, options: CacheBuildOptions = {}): Verdict {
    return verdict(this, received, "toBeFullyCached", async (ex) => {
      await ex.image();
      return check_fully_cached(ex, options);
    });
  },
  /** The Dockerfile has no lint finding of these rules / this severity. */
  async toPassLint(this: CheckState, received: unknown, expected: LintExpectation = {}): Verdict {
    return verdict(this, received, "toPassLint", (ex) => check_lint(ex, expected));
  },
  /** The build context sends what the build needs, leaves out what it must not send, within a size budget. */
  async toSendContext(this: CheckState, received: unknown, expected: ContextExpectation): Verdict {
    return verdict(this, received, "toSendContext", (ex) => check_context(ex, expected));
  },
  /** A build argument reaches these labels and environment variables (its default, or the variant's --build-arg value). */
  async toPassBuildArg(this: CheckState, received: unknown, expected: BuildArgExpectation): Verdict {
    return verdict(this, received, "toPassBuildArg", (ex) => check_build_arg(ex, expected));
  },
  /** The final image holds no build tool (Go, a C compiler by default). */
  async toLeaveOutBuildTools(this: CheckState, received: unknown, tools?: readonly BuildTool[]): Verdict {
    return verdict(this, received, "toLeaveOutBuildTools", (ex) => check_no_build_tools(ex, tools));
  },
  /** The image starts (the server given, or a container of its own); a refused start is explained. */
  async toStart(this: CheckState, received: unknown, options: ContainerOption = {}): Verdict {
    return verdict(this, received, "toStart", (ex) => check_starts(ex, options.container));
  },
  /** The Dockerfile has stages of these names, which docker build --target can name. */
  async toHaveStagesNamed(this: CheckState, received: unknown, names: string[]): Verdict {
    return verdict(this, received, "toHaveStagesNamed", (ex) => check_stages_named(ex, names));
  },
  /** A plain docker build (no --target) gives the image of --target `target`: that stage comes last. */
  async toBuildTargetByDefault(this: CheckState, received: unknown, target: string): Verdict {
    return verdict(this, received, "toBuildTargetByDefault", (ex) => check_default_target(ex, target));
  },
  /** The handle's Dockerfile (a variant's -f file) exists in the submission and has a FROM. */
  async toHaveDockerfile(this: CheckState, received: unknown): Verdict {
    return verdict(this, received, "toHaveDockerfile", (ex) => check_dockerfile_present(ex));
  },
  /** The RUN matching `run` mounts a BuildKit cache on each of these folders (RUN --mount=type=cache,target=…). */
  async toMountCache(this: CheckState, received: unknown, expected: CacheMountExpectation): Verdict {
    return verdict(this, received, "toMountCache", (ex) => check_cache_mounts(ex, expected));
  },
  /** After a package is added to the list, apt-get downloads it but takes the others from the cache mount. */
  async toReuseCacheMount(this: CheckState, received: unknown, expected: AptCacheReuseExpectation): Verdict {
    return verdict(this, received, "toReuseCacheMount", (ex) => check_apt_cache_reused(ex, expected));
  },
  /** The publication script is there, made only of commands the grader carries out, and pushes an image. */
  async toHavePublishScript(this: CheckState, received: unknown, options: PublicationOptions): Verdict {
    return verdict(this, received, "toHavePublishScript", (ex) => check_publish_script(ex, options));
  },
  /** The publication script, carried out through a registry of the grading, runs to its end; the registry then holds these tags, digests, a base pinned by digest. */
  async toPublish(this: CheckState, received: unknown, expected: PublishExpectation): Verdict {
    return verdict(this, received, "toPublish", (ex) => check_publish(ex, expected));
  },
};

// Through a function: written as a statement, vitest's check of the argument
// would need ExerciseMatchers (below) while it is being derived from `matchers`.
function register(list: typeof matchers): void {
  expect.extend(list);
}
register(matchers);

type MatcherArguments<M> = M extends (this: CheckState, received: unknown, ...args: infer A) => unknown ? A : never;

/** The checks a spec can write on `expect(ex)`, as `matchers` takes them; each is async: `await expect(ex).toBuild()`. */
export type ExerciseMatchers<R = unknown> = {
  [Name in keyof typeof matchers]: (...args: MatcherArguments<(typeof matchers)[Name]>) => Promise<R>;
};

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends ExerciseMatchers<T> {}
}
