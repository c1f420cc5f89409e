// The public API: cli/ and specs import only this.
// The spec API: `const ex = use_exercise(import.meta.url)`, then checks as vitest matchers on it
// (`await expect(ex).toRunAs({ uid: 10001 })`), registered by importing this module.
import "./checks/matchers.js";
export type { ExerciseMatchers, ServerOption } from "./checks/matchers.js";
export type { RunExpectation } from "./checks/behaviour.js";
export type { InstructionExpectation } from "./checks/instructions.js";
export type { TreeEntry } from "./checks/files.js";
export { use_exercise, ExerciseHandle, CheckFailure, BuildFailedError, type BuiltImage, type GradingContext, type VariantOptions } from "./spec/use-exercise.js";
export { report, outcome, merge, require_config, SpecConfigError, GradingError, BaseImageMissingError, type CheckOutcome } from "./checks/check.js";
export { expect_base_image, expect_exec_form, expect_exit_code, expect_output } from "./checks/basic.js";
export {
  check_exposed_ports, expect_exposed_ports, check_user, expect_user, check_non_root, expect_non_root, check_env, expect_env,
  check_workdir, expect_workdir, check_workdir_absolute, expect_workdir_absolute, check_cmd, expect_cmd, check_entrypoint, expect_entrypoint,
  check_exec_form, check_volumes, expect_volumes, check_labels, expect_labels, check_oci_labels, expect_oci_labels,
  check_healthcheck, expect_healthcheck, check_stop_signal, expect_stop_signal, check_base_image, check_stage_count, expect_stage_count,
  resolve_stages, normalize_port, normalize_signal, normalize_image_ref, parse_duration, is_shell_form, ABSENT, PRESENT, OCI_KEYS,
  type ValueExpectation, type ImageWithConfig, type ImageFilesSubject, type DockerfileSubject, type PortSpec, type UserExpectation,
  type CommandExpectation, type HealthcheckExpectation, type Duration, type OciKey, type ResolvedStage,
} from "./checks/metadata.js";
export { check_files, expect_files, type FileExpectation, type UserRef } from "./checks/files.js";
export { read_image_files, with_image_files, type FileEntry, type FileStat, type ImageFileReader } from "./engine/files.js";
export { parse_passwd, parse_group, resolve_user, has_access, type ResolvedUser } from "./checks/passwd.js";
export {
  check_stays_up, expect_stays_up, check_http, expect_http, check_exec, expect_exec, check_logs, expect_logs,
  check_process_tree, expect_process_tree, check_env_override, expect_env_override, check_stops_on_sigterm, expect_stops_on_sigterm,
  check_healthy, expect_healthy, check_volume_persists, expect_volume_persists,
  validate_command, json_subset_differences, runs_program, is_shell_wrapper, explain_exit_code,
  type TextPattern, type ContainerOptions, type CheckSubject, type HttpRequest, type HttpExpectation, type ExecExpectation,
  type StaysUpOptions, type LogsOptions, type ProcessExpectation, type EnvOverrideExpectation, type StopOptions, type HealthyOptions,
  type VolumeExpectation, type ContainerAction,
} from "./checks/behaviour.js";
export {
  GradedContainer, ContainerStartError, port_accepts, volume_name, remove_volume,
  type StartOptions, type HttpResponse, type ExecResult, type ContainerState, type HealthLogEntry,
} from "./engine/container.js";
export { format_process_tree, type ProcessTree, type ProcessEntry } from "./engine/process.js";
export {
  check_size_under, expect_size_under, check_layers_at_most, expect_layers_at_most, check_wasted_under, expect_wasted_under,
  check_no_context_leftovers, expect_no_context_leftovers, final_base_image, format_bytes, DEFAULT_LEFTOVER_RULES, DEFAULT_LEFTOVER_ALLOW,
  type ImageSubject, type SizeBudget, type LayerCountOptions, type WasteBudget, type LeftoverOptions, type LeftoverRule,
} from "./checks/size.js";
export {
  check_cache_after_change, expect_cache_after_change, check_fully_cached, expect_fully_cached,
  type CacheExpectation, type CacheOutcome, type CacheStep, type StepMatcher, type ChangeSet, type FileChange,
} from "./checks/cache.js";
export { summarize_layers, read_image_contents, compute_waste, analyze_waste, type LayerSummary, type LayerFacts, type WasteFigures } from "./engine/layers.js";
export { build_image, type BuildOutcome, type BuildStep, type BuildProgressEvent } from "./engine/build.js";
export { format_build_failure, type BuildFailure, type BuildFailureKind } from "./engine/build-failure.js";
export { require_engine, EngineUnavailableError, LABEL_MANAGED, LABEL_SESSION, type EngineInfo } from "./engine/client.js";
export { remove_managed, type CleanupReport } from "./engine/cleanup.js";
export { inspect_image, image_exists, type ImageFacts } from "./engine/image.js";
export { plan_context, ContextRefusedError } from "./submission/context.js";
export {
  load_course, load_exercise, find_exercise, default_course_root, grader_course_root, read_course_manifest, course_identity, wrong_answers_root,
  COURSE_FILE, CourseError, type Exercise,
} from "./course/course.js";
export { ExerciseMetadata, BASE_IMAGES, EXERCISE_FORMAT } from "./course/exercise-schema.js";
export { CourseManifest, COURSE_FORMAT, DEFAULT_WRONG_ANSWERS, type CoursePart } from "./course/course-schema.js";
export { WrongAnswerExpectation } from "./course/wrong-answer-schema.js";
export {
  check_pack, format_problem, hint_problems, hint_specificity, PLACEHOLDER, EXERCISE_FILES,
  type PackProblem, type ProblemKind, type PackEngine, type PackReport, type PackCheckOptions, type PackStep,
} from "./course/pack-check.js";
export { base_image_recipes } from "./course/recipes.js";
export { scaffold_exercise, type ScaffoldOptions, type Scaffolded } from "./course/scaffold.js";
export { run_specs, type GradingRequest } from "./runner/run-specs.js";
export { Grader, type GraderOptions, type GradeRequest } from "./runner/grader.js";
export { GRADING_DEFAULTS, grading_defaults, type GradingDefaults } from "./config/grading.js";
export { type ExerciseResult, type CheckResult, type Status, cap_output, OUTPUT_LIMIT } from "./runner/result.js";
export { prepare_submission, SubmissionRefusedError, type PreparedSubmission, type SubmissionOptions } from "./submission/stage.js";
export { summarise, type GradeSummary, type GradedExercise } from "./report/summary.js";
export { format_table } from "./report/table.js";
export { format_json } from "./report/json.js";
export { format_junit } from "./report/junit.js";
export { format_markdown } from "./report/markdown.js";
export { classroom_result, classroom_output, annotations, write_github, type ClassroomResult } from "./report/github.js";
export { default_limits, default_build_limits, limit_messages, type ContainerLimits, type BuildLimits } from "./config/limits.js";
export { parse_dockerfile, type ParsedDockerfile } from "./lint/dockerfile.js";
export { lint_dockerfile, LINT_RULES, type LintFinding, type LintRule, type LintSeverity } from "./lint/rules.js";
export { check_lint, expect_lint, type LintExpectation } from "./checks/lint.js";
// Cohorts (roster, fetching, history, reports, shards): grader/cohort/.
export * from "./cohort/index.js";
export { probe_buildkit, missing_images, free_bytes } from "./engine/diagnostics.js";
export { sweep_on_interrupt } from "./engine/interrupt.js";
export { define_messages, detect_lang, set_lang, lang, LANGS, type Lang } from "./messages/index.js";
// Tags and a registry (exercise 18): a registry:2 container, tag, push, digests; a publication script is read, never run.
export {
  start_registry, Registry, RegistryImageMissing, REGISTRY_IMAGE, tag_image, push_image, repo_digests, untag, split_reference,
  type RegistryManifest, type PushOutcome,
} from "./engine/registry.js";
export { read_publish_script, split_shell_words, expand as expand_publish_word, type PublishStep, type PublishScript } from "./publish/script.js";
export { read_dockerfile, type DockerfileModel } from "./dockerfile/index.js";
