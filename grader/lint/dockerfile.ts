// The old reading of a Dockerfile, kept as a thin adapter over the one model
// (grader/dockerfile/) for the code that still imports it. New code reads
// grader/dockerfile/ directly; this file goes once nothing imports it.
import { read_dockerfile, type DockerfileModel } from "../dockerfile/index.js";

export { KNOWN_INSTRUCTIONS, suggest_instruction } from "../dockerfile/index.js";

export interface DockerfileInstruction {
  keyword: string;
  /** Arguments after the flags, line continuations joined (heredoc bodies included). */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
  end_line: number;
  /** Index of the stage it belongs to (-1 for ARG before the first FROM). */
  stage: number;
}

export interface DockerfileStage {
  index: number;
  /** The image as written after FROM (may contain ${ARG}). */
  image: string;
  name?: string;
  line: number;
}

export interface ParsedDockerfile {
  instructions: DockerfileInstruction[];
  stages: DockerfileStage[];
  /** Parser directives at the top (`# syntax=...`, `# escape=...`), lower-cased names. */
  directives: Record<string, string>;
  /** The one model this was read from. */
  model: DockerfileModel;
}

export function parse_dockerfile(content: string): ParsedDockerfile {
  const model = read_dockerfile(content);
  const directives: Record<string, string> = {};
  for (const [name, value] of Object.entries(model.directives)) if (value !== undefined) directives[name] = value;
  // The default escape character is not a directive that was written.
  if (!/^\s*#\s*escape\s*=/im.test(model.lines.slice(0, 5).join("\n"))) delete directives["escape"];
  return {
    instructions: model.instructions.map((instruction) => ({
      keyword: instruction.keyword,
      // Flags left out, as dockerfile-ast's getArgumentsContent did.
      args: [instruction.text.replace(/^(?:--\S+\s+)+/, ""), ...instruction.heredocs.flatMap((heredoc) => [heredoc.body, heredoc.name])].filter((part) => part !== "").join("\n"),
      line: instruction.line,
      end_line: instruction.end_line,
      stage: instruction.stage,
    })),
    stages: model.stages.map((stage) => {
      const from = stage.instructions[0]!;
      const written_name = from.args.length >= 3 && from.args[1]!.toUpperCase() === "AS" ? from.args[2] : undefined;
      return { index: stage.index, image: stage.written, name: written_name, line: stage.line };
    }),
    directives,
    model,
  };
}
