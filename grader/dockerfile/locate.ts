// Which instruction of the Dockerfile a BuildKit step is ("[builder 2/4] RUN
// make" gives the stage `builder` and the text `RUN make`): the build-failure
// locator and the cache check both need it. Pure: the step is given as text.
import type { DockerfileModel, Instruction } from "./model.js";

const normalise = (s: string): string => s.replace(/\\\s*\n/g, " ").replace(/\s+/g, " ").trim();

/** The stage a BuildKit step names: a stage name, `stage-N`, or none (the only stage). */
export function step_stage(model: DockerfileModel, stage: string | undefined): number | undefined {
  if (!stage) return model.stages.length === 1 ? 0 : undefined;
  const numbered = /^stage-(\d+)$/.exec(stage);
  if (numbered) return Number(numbered[1]);
  return /^\d+$/.test(stage) ? undefined : model.stage(stage)?.index;
}

/**
 * The instruction a step runs: BuildKit names a step by the instruction as
 * written (flags included, continuations joined); it expands some variables
 * and rewrites some forms, hence a prefix match, then the only candidate.
 */
export function locate_instruction(model: DockerfileModel, step: { stage?: string | undefined; instruction: string }): Instruction | undefined {
  const stage_index = step_stage(model, step.stage);
  const wanted = normalise(step.instruction);
  const keyword = wanted.split(" ")[0]!.toUpperCase();
  const candidates = model.instructions.filter((i) => i.keyword === keyword && (stage_index === undefined || i.stage === stage_index));
  const written = (i: Instruction) => normalise(`${i.keyword} ${i.text}`);
  const without_flags = (i: Instruction) => normalise(`${i.keyword} ${i.text.replace(/^(?:--\S+\s+)+/, "")}`);
  const exact = candidates.find((i) => written(i) === wanted || without_flags(i) === wanted);
  if (exact) return exact;
  const prefix = candidates.find((i) => wanted.startsWith(written(i).slice(0, 20)) || wanted.startsWith(without_flags(i).slice(0, 20)));
  if (prefix) return prefix;
  return candidates.length === 1 ? candidates[0] : undefined;
}
