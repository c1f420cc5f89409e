// What every rule walks: the instructions of the one Dockerfile model in
// file order, each ONBUILD's trigger right after it, read as the instruction
// it will become in the image built FROM this one (reported on the ONBUILD
// line, as hadolint does).
import type { DockerfileModel, Instruction, Stage } from "../../dockerfile/index.js";

export interface Visited {
  instruction: Instruction;
  /** Whether it is an ONBUILD trigger: it runs in a later image, not in this build. */
  onbuild: boolean;
}

export function* instructions_of(model: DockerfileModel): Generator<Visited> {
  for (const instruction of model.instructions) {
    yield { instruction, onbuild: false };
    if (instruction.trigger) yield { instruction: instruction.trigger, onbuild: true };
  }
}

/** The stage and the earlier stages it is built on, nearest first. */
export function stage_lineage(model: DockerfileModel, stage: Stage): Stage[] {
  const lineage: Stage[] = [];
  let current: Stage | undefined = stage;
  while (current && !lineage.includes(current)) {
    lineage.push(current);
    current = current.from_stage === undefined ? undefined : model.stages[current.from_stage];
  }
  return lineage;
}

/** The indexes of the stages whose content ends in the final image: the last stage and those it is built FROM. */
export function final_image_stages(model: DockerfileModel): Set<number> {
  const final = model.final_stage();
  return new Set(final ? stage_lineage(model, final).map((stage) => stage.index) : []);
}
