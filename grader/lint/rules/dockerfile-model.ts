// What the lint rules read: the instructions of a Dockerfile with their
// stage, their arguments without flags or heredoc bodies, the text of the
// arguments with line continuations joined (whatever the escape character)
// and comment lines dropped, and the stages with the ARG values before the
// first FROM substituted in their image.
import { Arg, DockerfileParser, Env, type Heredoc, type Instruction } from "dockerfile-ast";
import { KNOWN_INSTRUCTIONS } from "../dockerfile.js";

export interface InstructionFlag {
  name: string;
  value: string | null;
}

export interface LintInstruction {
  keyword: string;
  /** 1-based line where the instruction starts. */
  line: number;
  /** 1-based line where it ends, heredoc bodies included. */
  end_line: number;
  /** Index of its stage, -1 before the first FROM. */
  stage: number;
  /** Arguments as written, split on whitespace, without flags or heredoc bodies. */
  args: string[];
  flags: InstructionFlag[];
  /** Arguments text with continuations joined and comment lines dropped, heredoc bodies excluded. */
  text: string;
  /** The strings of the exec form (`["a", "b"]`), when the arguments are a JSON array of strings. */
  exec_form?: string[];
  heredocs: { name: string; body: string }[];
  /** Variables set by ENV or declared by ARG; value null when none is given, quotes removed. */
  properties: { name: string; value: string | null }[];
}

export interface LintStage {
  index: number;
  /** 1-based line of its FROM. */
  line: number;
  /** The image as written after FROM. */
  written_image: string;
  /** The image with ARG values substituted; undefined when a variable has no known value. */
  image: string | undefined;
  /** Lower-cased stage name (`AS name`). */
  name?: string;
  /** Index of the earlier stage it builds on (`FROM builder`), if any. */
  parent?: number;
  instructions: LintInstruction[];
}

export interface DockerfileModel {
  instructions: LintInstruction[];
  stages: LintStage[];
  /** ARGs declared before the first FROM; null when declared without a default. */
  initial_args: Map<string, string | null>;
  /** Lines of the file (0-based array). */
  lines: string[];
}

const KNOWN = new Set<string>(KNOWN_INSTRUCTIONS);

export function is_known_instruction(keyword: string): boolean {
  return KNOWN.has(keyword);
}

function heredocs_of(node: Instruction, keyword: string): Heredoc[] {
  if (keyword !== "RUN" && keyword !== "COPY" && keyword !== "ADD") return [];
  // Run and Copy expose getHeredocs; Add inherits it from Instruction, where it is protected.
  const reader = node as unknown as { getHeredocs?: () => Heredoc[] };
  return reader.getHeredocs?.() ?? [];
}

function properties_of(node: Instruction): { name: string; value: string | null }[] {
  const properties = node instanceof Env ? node.getProperties() : node instanceof Arg ? [node.getProperty()] : [];
  return properties.flatMap((property) => (property ? [{ name: property.getName(), value: property.getValue() }] : []));
}

function slice_lines(lines: string[], from_line: number, to_line: number): string {
  return lines.slice(from_line, to_line + 1).join("\n");
}

/** Joins continuation lines the way Docker does and drops the comment lines between them. */
function joined_text(lines: string[], start_line: number, start_character: number, end_line: number, escape: string): string {
  let text = "";
  for (let l = start_line; l <= end_line; l++) {
    let segment = l === start_line ? (lines[l] ?? "").slice(start_character) : (lines[l] ?? "");
    if (l > start_line && (segment.trim() === "" || segment.trimStart().startsWith("#"))) continue;
    const trimmed = segment.replace(/[ \t]+$/, "");
    if (l < end_line && trimmed.endsWith(escape)) {
      segment = trimmed.slice(0, -escape.length);
      text += segment;
    } else {
      text += l < end_line ? `${segment}\n` : segment;
    }
  }
  return text;
}

function exec_form_of(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  } catch {
    // Not JSON: Docker runs it in shell form.
  }
  return undefined;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}`.
 * Undefined when a variable has no value and no default: the result would
 * depend on `--build-arg`.
 */
export function expand_variables(text: string, variables: ReadonlyMap<string, string | null>): string | undefined {
  let unknown = false;
  const expanded = text.replace(VARIABLE, (_match, braced: string | undefined, modifier: string | undefined, word: string | undefined, plain: string | undefined) => {
    const name = braced ?? plain ?? "";
    const value = variables.get(name);
    const is_set = value !== undefined && value !== null && value !== "";
    if (modifier?.endsWith("+")) return is_set ? (word ?? "") : "";
    if (is_set) return value;
    if (modifier?.endsWith("-")) return word ?? "";
    unknown = true;
    return "";
  });
  return unknown ? undefined : expanded;
}

export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return text.slice(1, -1);
  }
  return text;
}

export function build_model(content: string): DockerfileModel {
  const ast = DockerfileParser.parse(content);
  const escape = ast.getEscapeCharacter() || "\\";
  const lines = content.split("\n");
  const initial_args = new Map<string, string | null>();
  for (const arg of ast.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) initial_args.set(property.getName(), property.getValue());
  }

  const instructions: LintInstruction[] = [];
  const stages: LintStage[] = [];
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const range = node.getRange();
    const heredocs = heredocs_of(node, keyword);
    const header_end = heredocs.length > 0
      ? Math.max(...heredocs.map((heredoc) => heredoc.getStartRange().end.line))
      : range.end.line;
    const args = node.getArguments().filter((arg) => arg.getRange().start.line <= header_end);
    const first = args[0]?.getRange().start;
    const text = first ? joined_text(lines, first.line, first.character, header_end, escape) : "";
    const flags_reader = node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] };
    const instruction: LintInstruction = {
      keyword,
      line: range.start.line + 1,
      end_line: range.end.line + 1,
      stage: keyword === "FROM" ? stages.length : stages.length - 1,
      args: args.map((arg) => arg.getValue()),
      flags: (flags_reader.getFlags?.() ?? []).map((flag) => ({ name: flag.getName(), value: flag.getValue() })),
      text,
      heredocs: heredocs.map((heredoc) => {
        const body = heredoc.getContentRange();
        return { name: heredoc.getName(), body: body ? slice_lines(lines, body.start.line, body.end.line) : "" };
      }),
      properties: properties_of(node),
    };
    const exec_form = heredocs.length === 0 ? exec_form_of(text) : undefined;
    if (exec_form) instruction.exec_form = exec_form;
    instructions.push(instruction);

    if (keyword === "FROM") {
      const written_image = instruction.args[0] ?? "";
      const name = instruction.args.length >= 3 && instruction.args[1]!.toUpperCase() === "AS"
        ? instruction.args[2]!.toLowerCase()
        : undefined;
      const image = expand_variables(written_image, initial_args);
      const parent = image === undefined
        ? undefined
        : stages.find((stage) => stage.name !== undefined && stage.name === image.toLowerCase())?.index;
      const stage: LintStage = { index: stages.length, line: instruction.line, written_image, image, instructions: [] };
      if (name !== undefined) stage.name = name;
      if (parent !== undefined) stage.parent = parent;
      stages.push(stage);
    }
    stages[instruction.stage]?.instructions.push(instruction);
  }
  return { instructions, stages, initial_args, lines };
}

/** The stage and the earlier stages it is built on, nearest first. */
export function stage_lineage(model: DockerfileModel, stage: LintStage): LintStage[] {
  const lineage: LintStage[] = [];
  let current: LintStage | undefined = stage;
  while (current && !lineage.includes(current)) {
    lineage.push(current);
    current = current.parent === undefined ? undefined : model.stages[current.parent];
  }
  return lineage;
}
