// The one set of defaults every grading uses: a student's `check`, the watch
// loop, a teacher's `grade` and a cohort's gradings. One set, so that the same
// folder gets the same verdict wherever it is graded (a build that passes at
// home in 400 s must not fail in CI at 300 s).
//
// Why these values (measured on the 2-core CI machine, see docs):
// - build 300 s: the slowest cold build of the course (an apt-get install on a
//   cold cache) takes well under a minute; 300 s leaves a slow laptop five
//   times that, and stops a build stuck on a network call in 5 minutes rather
//   than 10.
// - check 120 s per check, plus the build time for the first check that waits
//   for the image: the slowest check (a cache measure that rebuilds twice)
//   takes a few seconds; 2 minutes is a hang, not a slow machine.
// - build context 50 MiB (after .dockerignore): the largest context of the
//   course is 160 KiB; 50 MiB is the size where a forgotten .dockerignore
//   (a virtualenv, node_modules, a dataset) shows, and a teacher grading a
//   class does not send gigabytes per student to the engine.
// - containers and RUN steps: the limits of config/limits.ts (512 MiB, 1 CPU,
//   256 pids, 30 s per run; 1 GiB and 256 pids per RUN step, 2 GiB written).
// Each can be changed per run (`grade --build-timeout ...`) or, for slow
// machines, by environment (DOCKERLINGS_BUILD_TIMEOUT_S, DOCKERLINGS_CHECK_TIMEOUT_S,
// DOCKERLINGS_CONTEXT_LIMIT_MB, and those of limits.ts).
import { default_build_limits, default_limits, type BuildLimits, type ContainerLimits } from "./limits.js";

export interface GradingDefaults {
  /** Wall-clock limit of one build. */
  build_timeout_ms: number;
  /** Wall-clock limit of one check (the first check that waits for the image also gets the build's time). */
  check_timeout_ms: number;
  /** Largest build context accepted, after .dockerignore. */
  context_limit_bytes: number;
  /** Limit of a spec's hooks (its cleanup after the checks). */
  hook_timeout_ms: number;
  /** Spec files graded at once. */
  parallel: number;
  /** Limits of every container a spec starts. */
  container: ContainerLimits;
  /** Limits of every RUN step of a build. */
  build: BuildLimits;
}

const env_number = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export const CHECK_TIMEOUT_S = 120;
export const CONTEXT_LIMIT_MB = 50;

/** The defaults, environment overrides applied (read once per call: tests set the environment). */
export function grading_defaults(): GradingDefaults {
  const build = default_build_limits();
  return {
    // Declared with the other limits of a build (limits.ts), 300 s.
    build_timeout_ms: build.timeout_ms,
    check_timeout_ms: env_number("DOCKERLINGS_CHECK_TIMEOUT_S", CHECK_TIMEOUT_S) * 1000,
    context_limit_bytes: env_number("DOCKERLINGS_CONTEXT_LIMIT_MB", CONTEXT_LIMIT_MB) * 1024 * 1024,
    hook_timeout_ms: 120_000,
    parallel: 1,
    container: default_limits(),
    build,
  };
}

/** The defaults as this process started with them. */
export const GRADING_DEFAULTS: Readonly<GradingDefaults> = Object.freeze(grading_defaults());
