// The CLI's entry: what the `dockerlings` program (and the scripts) drive.
// A spec imports the spec author's entry, grader/spec.ts, instead: the spec
// worker loads only that one. Anything else (the check functions behind the
// matchers, the engine's calls) is internal: tests of a module import that
// module.

// The course (packs, exercises, their metadata) and authoring (dev new, dev check).
export {
  load_course, load_exercise, find_exercise, default_course_root, grader_course_root, read_course_manifest, course_identity, wrong_answers_root,
  COURSE_FILE, CourseError, type Exercise,
} from "./course/course.js";
export { ExerciseMetadata, BASE_IMAGES, EXERCISE_FORMAT } from "./course/exercise-schema.js";
export { CourseManifest, COURSE_FORMAT, DEFAULT_WRONG_ANSWERS, type CoursePart } from "./course/course-schema.js";
export { WrongAnswerExpectation } from "./course/wrong-answer-schema.js";
export { check_pack, type PackEngine, type PackReport, type PackCheckOptions, type PackStep } from "./course/pack-check.js";
export { format_problem, hint_problems, hint_specificity, PLACEHOLDER, EXERCISE_FILES, type PackProblem, type ProblemKind } from "./course/pack-lint.js";
export { base_image_recipes } from "./course/recipes.js";
export { scaffold_exercise, type ScaffoldOptions, type Scaffolded } from "./course/scaffold.js";
// The one grading pipeline: a warm runner that stages, builds and grades (check, watch, grade, cohort, dev check).
export { Grader, type GraderOptions, type GradeRequest } from "./runner/grader.js";
export { run_specs, type GradingRequest } from "./runner/run-specs.js";
// The grading service a command starts and reuses (its light client is grader/service/client.ts).
export { serve, idle_ms_from_env, DEFAULT_IDLE_S, type ServeOptions } from "./service/server.js";
export { GRADING_DEFAULTS, grading_defaults, type GradingDefaults } from "./config/grading.js";
export { default_limits, default_build_limits, type ContainerLimits, type BuildLimits } from "./config/limits.js";
export type { ExerciseResult, CheckResult, CheckFact, ErrorKind, Status, GradedExercise } from "./result.js";
export { prepare_submission, SubmissionRefusedError, type PreparedSubmission, type SubmissionOptions } from "./submission/stage.js";
// A build shown live to the student (watch), and its failure in words.
export { build_image, type BuildOutcome, type BuildStep, type BuildProgressEvent } from "./engine/build.js";
export type { BuildFailure, BuildFailureKind } from "./dockerfile/build-failure.js";
// The engine: reachable, what it has, cleaning up after us.
export { require_engine, EngineUnavailableError, LABEL_MANAGED, LABEL_SESSION, type EngineInfo } from "./engine/client.js";
export { remove_managed, type CleanupReport } from "./engine/cleanup.js";
export { remove_sessions_from_base } from "./engine/sweep-sessions.js";
export { inspect_image, image_exists, type ImageFacts } from "./engine/image.js";
export { probe_buildkit, missing_images, free_bytes } from "./engine/diagnostics.js";
export { probe_docker_client, client_builder, type DockerClientFacts, type ClientBuilder } from "./engine/docker-client.js";
export { sweep_on_interrupt } from "./engine/interrupt.js";
// Reports: one summary object, every format.
export { summarise, type GradeSummary } from "./report/summary.js";
export { format_table } from "./report/table.js";
export { format_json } from "./report/json.js";
export { format_junit } from "./report/junit.js";
export { format_markdown } from "./report/markdown.js";
export { classroom_result, classroom_output, annotations, write_github, without_commands, type ClassroomResult } from "./report/github.js";
export { write_classroom50, format_classroom50 } from "./report/classroom50.js";
export { report_base, report_path } from "./report/paths.js";
// Words of a command line as a shell splits them (the CLI splits an editor command with it).
export { split_shell_words } from "./publish/script.js";
export { lint_dockerfile, LINT_RULES, type LintFinding, type LintRule, type LintSeverity } from "./lint/rules.js";
// Cohorts (roster, fetching, history, reports, shards): grader/cohort/.
export * from "./cohort/index.js";
// The one message catalogue and the language, decided once by the CLI's entry.
export { define_messages, detect_lang, set_lang, lang, LANGS, type Lang } from "./messages/index.js";
