// The public API: cli/ and specs import only this.
export { use_exercise, ExerciseHandle, CheckFailure, BuildFailedError, type BuiltImage, type GradingContext } from "./spec/use-exercise.js";
export { report, outcome, merge, require_config, SpecConfigError, type CheckOutcome } from "./checks/check.js";
export { expect_base_image, expect_exec_form, expect_exit_code, expect_output } from "./checks/basic.js";
export { build_image, type BuildOutcome, type BuildStep, type BuildProgressEvent } from "./engine/build.js";
export { format_build_failure, type BuildFailure, type BuildFailureKind } from "./engine/build-failure.js";
export { require_engine, EngineUnavailableError, LABEL_MANAGED, LABEL_SESSION, type EngineInfo } from "./engine/client.js";
export { remove_managed, type CleanupReport } from "./engine/cleanup.js";
export { inspect_image, image_exists, type ImageFacts } from "./engine/image.js";
export { plan_context, ContextRefusedError } from "./engine/context.js";
export { load_course, load_exercise, find_exercise, default_course_root, CourseError, type Exercise } from "./course/course.js";
export { ExerciseMetadata, BASE_IMAGES, EXERCISE_FORMAT } from "./course/exercise-schema.js";
export { run_specs, type GradingRequest } from "./runner/run-specs.js";
export { type ExerciseResult, type CheckResult, type Status, cap_output, OUTPUT_LIMIT } from "./runner/result.js";
export { parse_dockerfile, type ParsedDockerfile } from "./lint/dockerfile.js";
