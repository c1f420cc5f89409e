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
 * It also upper-cases everything before the first space, to write a lowercase
 * keyword in capitals: `RUN<tab>pip install` is named `RUN<tab>PIP install`,
 * hence the same matches again without case.
 */
export function locate_instruction(model: DockerfileModel, step: { stage?: string | undefined; instruction: string }): Instruction | undefined {
  const stage_index = step_stage(model, step.stage);
  const wanted = normalise(step.instruction);
  const keyword = wanted.split(" ")[0]!.toUpperCase();
  const candidates = model.instructions.filter((i) => i.keyword === keyword && (stage_index === undefined || i.stage === stage_index));
  const written = (i: Instruction) => normalise(`${i.keyword} ${i.text}`);
  const without_flags = (i: Instruction) => normalise(`${i.keyword} ${i.text.replace(/^(?:--\S+\s+)+/, "")}`);
  for (const fold of [(s: string) => s, (s: string) => s.toLowerCase()]) {
    const want = fold(wanted);
    const exact = candidates.find((i) => fold(written(i)) === want || fold(without_flags(i)) === want);
    if (exact) return exact;
    const prefix = candidates.find((i) => want.startsWith(fold(written(i)).slice(0, 20)) || want.startsWith(fold(without_flags(i)).slice(0, 20)));
    if (prefix) return prefix;
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}
