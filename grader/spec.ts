// The spec author's entry: what an exercise's spec imports, and all the spec
// worker loads before it (grader/runner/warm-start.ts). The CLI's entry is
// grader/index.ts; this one stays free of cohorts, SQLite and the reports, so
// that every grading loads only what a spec uses.
//
// `const ex = use_exercise(import.meta.url)`, then one vitest test per check,
// its points in `meta.points`, the checks as matchers on the exercise:
//   test("...", { meta: { points: 3 } }, async () => {
//     await expect(ex, "the exercise's advice").toRunAs({ uid: 10001 });
//   });
// Importing this module registers the matchers (docs/checks.md lists them).
import "./checks/matchers.js";
export type { ExerciseMatchers, ContainerOption } from "./checks/matchers.js";
export {
  use_exercise,
  ExerciseHandle,
  CheckFailure,
  type BuiltImage,
  type VariantOptions,
  type UseExerciseOptions,
  type GradingContext,
  type Server,
  type ContainerChoice,
  type ContainerOptions,
} from "./spec/use-exercise.js";
export { GradingError, BaseImageMissingError, SpecConfigError } from "./checks/check.js";
export { ABSENT, PRESENT, type ValueExpectation, type PortSpec, type UserExpectation, type CommandExpectation, type HealthcheckExpectation, type OciKey } from "./checks/metadata.js";
export type { TextPattern } from "./checks/words.js";
export type { RunExpectation } from "./checks/run.js";
export type { HttpExpectation, ExecExpectation, ProcessExpectation, ProcessUserExpectation } from "./checks/server.js";
export type { EnvOverrideExpectation, StopOptions, HealthyOptions, VolumeExpectation } from "./checks/own-container.js";
export type { InstructionExpectation } from "./checks/instructions.js";
export type { FileExpectation, TreeEntry, UserRef } from "./checks/files.js";
export type { SizeBudget, LayerCountOptions, WasteBudget, LeftoverOptions, LeftoverRule } from "./checks/size.js";
export type { CacheExpectation, ChangeSet, StepMatcher } from "./checks/cache.js";
export type { LintExpectation } from "./checks/lint.js";
// The one Dockerfile model, for a spec that reads the file itself.
export { read_dockerfile, parse_image_ref, same_image, type DockerfileModel, type Instruction, type Stage, type ImageRef } from "./dockerfile/index.js";
// An archive of the course (a .tar.gz of the starter), read into its files: what a spec compares the image's with.
export { read_archive } from "./layers/tar.js";
// What a spec may look at itself: an image's configuration as the engine reports it.
export { inspect_image, type ImageFacts } from "./engine/image.js";
// Tags and a registry (exercise 18): a registry:2 container, tag, push, digests; a publication script is read, never run.
export {
  start_registry, Registry, RegistryImageMissing, REGISTRY_IMAGE, tag_image, push_image, repo_digests, untag, split_reference,
  type RegistryManifest, type PushOutcome,
} from "./engine/registry.js";
export { read_publish_script, split_shell_words, expand as expand_publish_word, type PublishStep, type PublishScript } from "./publish/script.js";
export { remove_publications, type PublicationOptions, type PublishExpectation } from "./checks/registry.js";
