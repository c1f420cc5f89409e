// The public API: cli/ and specs import only this. Two audiences, two parts:
// what a spec author writes with, then what the CLI drives. Anything else
// (the check functions behind the matchers, the engine's calls) is internal:
// tests of a module import that module.

// ---------------------------------------------------------------- for spec authors
// `const ex = use_exercise(import.meta.url)`, then one vitest test per check,
// its points in `meta.points`, the checks as matchers on the exercise:
//   test("...", { meta: { points: 3 } }, async () => {
//     await expect(ex, "the exercise's advice").toRunAs({ uid: 10001 });
//   });
// Importing this module registers the matchers (docs/checks.md lists them).
import "./checks/matchers.js";
export type { ExerciseMatchers, ServerOption } from "./checks/matchers.js";
export {
  use_exercise,
  ExerciseHandle,
  CheckFailure,
  type BuiltImage,
  type VariantOptions,
  type UseExerciseOptions,
  type GradingContext,
} from "./spec/use-exercise.js";
export { GradingError, BaseImageMissingError, SpecConfigError } from "./checks/check.js";
export { ABSENT, PRESENT, type ValueExpectation, type PortSpec, type UserExpectation, type CommandExpectation, type HealthcheckExpectation, type OciKey } from "./checks/metadata.js";
export type {
  RunExpectation,
  TextPattern,
  ContainerOptions,
  HttpExpectation,
  ExecExpectation,
  ProcessExpectation,
  ProcessUserExpectation,
  EnvOverrideExpectation,
  StopOptions,
  HealthyOptions,
  VolumeExpectation,
} from "./checks/behaviour.js";
export type { InstructionExpectation } from "./checks/instructions.js";
export type { FileExpectation, TreeEntry, UserRef } from "./checks/files.js";
export type { SizeBudget, LayerCountOptions, WasteBudget, LeftoverOptions, LeftoverRule } from "./checks/size.js";
export type { CacheExpectation, ChangeSet, StepMatcher } from "./checks/cache.js";
export type { LintExpectation } from "./checks/lint.js";
// The one Dockerfile model, for a spec that reads the file itself.
export { read_dockerfile, parse_image_ref, same_image, type DockerfileModel, type Instruction, type Stage, type ImageRef } from "./dockerfile/index.js";
// Tags and a registry (exercise 18): a registry:2 container, tag, push, digests; a publication script is read, never run.
export {
  start_registry, Registry, RegistryImageMissing, REGISTRY_IMAGE, tag_image, push_image, repo_digests, untag, split_reference,
  type RegistryManifest, type PushOutcome,
} from "./engine/registry.js";
export { read_publish_script, split_shell_words, expand as expand_publish_word, type PublishStep, type PublishScript } from "./publish/script.js";
export { remove_publications, type PublicationOptions, type PublishExpectation } from "./checks/registry.js";

// ---------------------------------------------------------------- for the CLI
// The course (packs, exercises, their metadata) and authoring (dev new, dev check).
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
// The one grading pipeline: a warm runner that stages, builds and grades (check, watch, grade, cohort, dev check).
export { Grader, type GraderOptions, type GradeRequest } from "./runner/grader.js";
export { run_specs, type GradingRequest } from "./runner/run-specs.js";
export { GRADING_DEFAULTS, grading_defaults, type GradingDefaults } from "./config/grading.js";
export { default_limits, default_build_limits, type ContainerLimits, type BuildLimits } from "./config/limits.js";
export { type ExerciseResult, type CheckResult, type CheckFact, type ErrorKind, type Status } from "./runner/result.js";
export { prepare_submission, SubmissionRefusedError, type PreparedSubmission, type SubmissionOptions } from "./submission/stage.js";
// A build shown live to the student (watch), and its failure in words.
export { build_image, type BuildOutcome, type BuildStep, type BuildProgressEvent } from "./engine/build.js";
export { format_build_failure, type BuildFailure, type BuildFailureKind } from "./dockerfile/build-failure.js";
// The engine: reachable, what it has, cleaning up after us.
export { require_engine, EngineUnavailableError, LABEL_MANAGED, LABEL_SESSION, type EngineInfo } from "./engine/client.js";
export { remove_managed, type CleanupReport } from "./engine/cleanup.js";
export { inspect_image, image_exists, type ImageFacts } from "./engine/image.js";
export { probe_buildkit, missing_images, free_bytes } from "./engine/diagnostics.js";
export { sweep_on_interrupt } from "./engine/interrupt.js";
// Reports: one summary object, every format.
export { summarise, type GradeSummary, type GradedExercise } from "./report/summary.js";
export { format_table } from "./report/table.js";
export { format_json } from "./report/json.js";
export { format_junit } from "./report/junit.js";
export { format_markdown } from "./report/markdown.js";
export { classroom_result, classroom_output, annotations, write_github, without_commands, type ClassroomResult } from "./report/github.js";
export { write_classroom50, format_classroom50 } from "./report/classroom50.js";
export { report_base, report_path } from "./report/paths.js";
export { lint_dockerfile, LINT_RULES, type LintFinding, type LintRule, type LintSeverity } from "./lint/rules.js";
// Cohorts (roster, fetching, history, reports, shards): grader/cohort/.
export * from "./cohort/index.js";
// The one message catalogue and the language, decided once by the CLI's entry.
export { define_messages, detect_lang, set_lang, lang, LANGS, type Lang } from "./messages/index.js";
