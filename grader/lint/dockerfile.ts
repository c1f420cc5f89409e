// Reading a Dockerfile with dockerfile-ast: the instructions, their lines and
// stages, and the mistakes that can be named before any build (a misspelt
// instruction, an empty file). No Docker here.
import { DockerfileParser, type Instruction } from "dockerfile-ast";

export const KNOWN_INSTRUCTIONS = [
  "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
  "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
] as const;

export interface DockerfileInstruction {
  keyword: string;
  /** Arguments with line continuations joined. */
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
}

export function parse_dockerfile(content: string): ParsedDockerfile {
  const ast = DockerfileParser.parse(content);
  const instructions: DockerfileInstruction[] = [];
  const stages: DockerfileStage[] = [];
  let stage = -1;
  for (const instruction of ast.getInstructions() as Instruction[]) {
    const keyword = instruction.getKeyword().toUpperCase();
    const range = instruction.getRange();
    if (keyword === "FROM") {
      stage++;
      const from = ast.getFROMs()[stage];
      stages.push({
        index: stage,
        image: from?.getImage() ?? "",
        name: from?.getBuildStage() ?? undefined,
        line: range.start.line + 1,
      });
    }
    instructions.push({
      keyword,
      args: instruction.getArgumentsContent() ?? "",
      line: range.start.line + 1,
      end_line: range.end.line + 1,
      stage,
    });
  }
  const directives: Record<string, string> = {};
  for (const d of ast.getDirectives()) {
    const name = d.getName()?.toLowerCase();
    if (name) directives[name] = d.getValue() ?? "";
  }
  return { instructions, stages, directives };
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

/** The known instruction closest to a misspelt one, if close enough to be a typo. */
export function suggest_instruction(keyword: string): string | undefined {
  let best: string | undefined;
  let best_distance = Infinity;
  for (const known of KNOWN_INSTRUCTIONS) {
    const d = distance(keyword.toUpperCase(), known);
    if (d < best_distance) {
      best = known;
      best_distance = d;
    }
  }
  return best_distance <= 2 ? best : undefined;
}
