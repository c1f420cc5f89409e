// The one Dockerfile model: what every check, lint rule and the build-failure
// locator read of a Dockerfile. Pure: no Docker, no engine.
export {
  read_dockerfile,
  type DockerfileDirectives,
  type DockerfileModel,
  type Instruction,
  type InstructionFlag,
  type Property,
  type ReadOptions,
  type Stage,
} from "./model.js";
export { parse_image_ref, same_image, DOCKER_HUB, type ImageRef } from "./image-ref.js";
export { expand_variables, split_words, unquote_word, type Expansion, type Word } from "./words.js";
export { locate_instruction, step_stage } from "./locate.js";
export { KNOWN_INSTRUCTIONS, is_known_instruction, suggest_instruction } from "./instructions.js";
