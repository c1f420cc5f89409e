// The one reading of a Dockerfile that every check, lint rule and the
// build-failure locator share. lines.ts finds where each instruction starts
// and ends (directives, continuations, comments, heredocs) by BuildKit's
// rules; the words of each instruction are then read here the way BuildKit
// reads them, so quoted arguments keep their backslashes. dockerfile-ast
// (through dockerfile-utils) still validates the syntax for DL1000. No
// Docker here.
import { parse_image_ref, type ImageRef } from "./image-ref.js";
import { split_instructions } from "./lines.js";
import { expand_variables, split_words, unquote_word, type Word } from "./words.js";

export interface InstructionFlag {
  /** Name without the dashes: `from`, `mount`, `chown`. */
  name: string;
  /** Value as Docker reads it (quotes removed); undefined for a bare `--flag`. */
  value: string | undefined;
}

export interface Property {
  name: string;
  /** Quotes removed, variables kept; undefined for `ARG NAME` without a default. */
  value: string | undefined;
}

export interface Instruction {
  /** Upper-cased keyword. */
  keyword: string;
  /** 1-based line where the instruction starts (for an ONBUILD trigger, the ONBUILD line). */
  line: number;
  /** 1-based last line, heredoc bodies included. */
  end_line: number;
  /** Index of its stage, -1 for the ARGs before the first FROM. */
  stage: number;
  /** The `--name[=value]` words at the start of the arguments. */
  flags: InstructionFlag[];
  /**
   * The other words as Docker reads them (quotes removed, escapes applied per
   * the escape directive, variables kept); the strings of the JSON array for
   * RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD and VOLUME written in that form.
   */
  args: string[];
  /** Everything after the keyword, continuations joined, comment lines dropped, heredoc bodies left out. */
  text: string;
  /** For RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD: the strings of a JSON array form. */
  exec_form?: string[];
  /** For RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD not in JSON form: the command text, flags left out. */
  shell_form?: string;
  heredocs: { name: string; body: string }[];
  /** ENV, ARG and LABEL: the names they set and their values. */
  properties: Property[];
  /** ONBUILD: the instruction it adds to images built FROM this one, read as such. */
  trigger?: Instruction;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as Docker does. */
  name?: string;
  /** 1-based line of its FROM. */
  line: number;
  /** The image as written after FROM (may contain `${VAR}`). */
  written: string;
  /** The image with the global ARGs (and build arguments) substituted; undefined when a variable has no value. */
  image?: string;
  /** Variables of `written` that have no value. */
  unresolved: string[];
  /** Index of the earlier stage it builds on (`FROM builder`). */
  from_stage?: number;
  /** The image the stage really starts from, following earlier stages; undefined for scratch or unresolved. */
  base?: ImageRef;
  is_scratch: boolean;
  /** Its instructions, FROM included. */
  instructions: Instruction[];
  /** The `COPY --from` references: a stage index as a number, else the name or image as written. */
  copies_from: (number | string)[];
}

export interface DockerfileDirectives {
  escape: string;
  syntax?: string;
  [name: string]: string | undefined;
}

export interface DockerfileModel {
  text: string;
  /** Lines of the file (0-based array: line N is lines[N - 1]). */
  lines: string[];
  directives: DockerfileDirectives;
  /** In file order; ONBUILD triggers are in their ONBUILD's `trigger`. */
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM, with the build arguments applied; undefined when without a value. */
  global_args: Map<string, string | undefined>;
  final_stage(): Stage | undefined;
  /** A stage by index or by name (case-insensitive). */
  stage(ref: number | string): Stage | undefined;
}

export interface ReadOptions {
  /** The build's `--build-arg` values. */
  build_args?: Record<string, string>;
}

const SHELL_COMMAND_KEYWORDS = new Set(["RUN", "CMD", "ENTRYPOINT"]);
// Instructions whose arguments Docker also accepts as a JSON array.
const JSON_ARGUMENT_KEYWORDS = new Set(["RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"]);

function json_array(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  } catch {
    // Not JSON: Docker takes it in shell form.
  }
  return undefined;
}

/** The leading `--flag[=value]` words, and the index of the first word that is not one. */
function leading_flags(words: Word[]): { flags: InstructionFlag[]; rest: number } {
  const flags: InstructionFlag[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (!word.raw.startsWith("--") || word.raw === "--") break;
    const equals = word.value.indexOf("=");
    flags.push(equals === -1
      ? { name: word.value.slice(2), value: undefined }
      : { name: word.value.slice(2, equals), value: word.value.slice(equals + 1) });
  }
  return { flags, rest: i };
}

function properties_of(keyword: string, text: string, words: Word[], escape: string): Property[] {
  if (keyword !== "ENV" && keyword !== "ARG" && keyword !== "LABEL") return [];
  if (words.length === 0) return [];
  // `ENV NAME value with spaces`: the old form, one variable, the rest of the line its value.
  if (keyword === "ENV" && !words[0]!.raw.includes("=")) {
    const value = text.slice(words[0]!.end).trim();
    return [{ name: words[0]!.value, value: unquote_word(value, escape) }];
  }
  return words.map((word) => {
    const equals = word.raw.indexOf("=");
    if (equals === -1) return { name: word.value, value: undefined };
    return { name: unquote_word(word.raw.slice(0, equals), escape), value: unquote_word(word.raw.slice(equals + 1), escape) };
  });
}

interface Span {
  keyword: string;
  line: number;
  end_line: number;
  stage: number;
  text: string;
  heredocs: { name: string; body: string }[];
}

/** Reads the words of one instruction from its joined text. */
function read_instruction(span: Span, escape: string): Instruction {
  const { keyword, text } = span;
  const words = split_words(text, escape);
  const { flags, rest } = leading_flags(words);
  const after_flags = rest < words.length ? text.slice(words[rest]!.start) : "";
  const instruction: Instruction = {
    keyword,
    line: span.line,
    end_line: span.end_line,
    stage: span.stage,
    flags,
    args: (JSON_ARGUMENT_KEYWORDS.has(keyword) && span.heredocs.length === 0 ? json_array(after_flags) : undefined) ??
      words.slice(rest).map((word) => word.value),
    text,
    heredocs: span.heredocs,
    properties: properties_of(keyword, text, words.slice(rest), escape),
  };
  let command: string | undefined;
  if (SHELL_COMMAND_KEYWORDS.has(keyword)) command = after_flags;
  else if (keyword === "HEALTHCHECK" && words[rest]?.value.toUpperCase() === "CMD") {
    command = words[rest + 1] ? text.slice(words[rest + 1]!.start) : "";
  } else if (keyword === "SHELL") {
    const exec = json_array(after_flags);
    if (exec) instruction.exec_form = exec;
  }
  if (command !== undefined) {
    const exec = span.heredocs.length === 0 ? json_array(command) : undefined;
    if (exec) instruction.exec_form = exec;
    else instruction.shell_form = command.trim();
  }
  if (keyword === "ONBUILD") {
    const first = words[0];
    if (first) {
      instruction.trigger = read_instruction(
        { ...span, keyword: first.value.toUpperCase(), text: text.slice(first.end).replace(/^[ \t]+/, ""), heredocs: [] },
        escape,
      );
    }
  }
  return instruction;
}

function copies_from(instructions: Instruction[]): (number | string)[] {
  const refs: (number | string)[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword !== "COPY") continue;
    const from = instruction.flags.find((flag) => flag.name === "from")?.value;
    if (from === undefined || from === "") continue;
    refs.push(/^\d+$/.test(from) ? Number(from) : from);
  }
  return refs;
}

export function read_dockerfile(content: string, options: ReadOptions = {}): DockerfileModel {
  // As BuildKit reads it: a UTF-8 byte-order mark at the start (some Windows
  // editors save one) is dropped, and CRLF or CR line ends are line ends.
  const text = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const raw = split_instructions(lines);
  const escape = raw.escape;
  const directives: DockerfileDirectives = { ...raw.directives, escape };

  const build_args = options.build_args ?? {};
  const global_args = new Map<string, string | undefined>();
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  for (const node of raw.instructions) {
    const keyword = node.keyword.toUpperCase();
    const stage = keyword === "FROM" ? stages.length : stages.length - 1;
    const instruction = read_instruction({
      keyword,
      line: node.start_line + 1,
      end_line: node.end_line + 1,
      stage,
      text: node.text,
      heredocs: node.heredocs,
    }, escape);
    instructions.push(instruction);

    if (keyword === "ARG" && stage === -1) {
      for (const property of instruction.properties) {
        global_args.set(property.name, Object.hasOwn(build_args, property.name) ? build_args[property.name] : property.value);
      }
    }
    if (keyword === "FROM") stages.push(new_stage(instruction, stages, global_args));
    stages[stage]?.instructions.push(instruction);
  }
  for (const stage of stages) stage.copies_from = copies_from(stage.instructions);

  return {
    text,
    lines,
    directives,
    instructions,
    stages,
    global_args,
    final_stage: () => stages[stages.length - 1],
    stage: (ref) => {
      if (typeof ref === "number") return stages[ref];
      const name = ref.toLowerCase();
      return stages.find((stage) => stage.name === name) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
    },
  };
}

function new_stage(from: Instruction, earlier: Stage[], global_args: Map<string, string | undefined>): Stage {
  const written = from.args[0] ?? "";
  const { value, unresolved } = expand_variables(written, global_args);
  const stage: Stage = {
    index: earlier.length,
    line: from.line,
    written,
    unresolved,
    is_scratch: false,
    instructions: [],
    copies_from: [],
  };
  if (from.args.length >= 3 && from.args[1]!.toUpperCase() === "AS") stage.name = from.args[2]!.toLowerCase();
  if (unresolved.length > 0 || value === "") return stage;
  stage.image = value;
  const parent = earlier.find((s) => s.name !== undefined && s.name === value.toLowerCase());
  if (parent) {
    stage.from_stage = parent.index;
    stage.is_scratch = parent.is_scratch;
    if (parent.base) stage.base = parent.base;
    return stage;
  }
  if (value.toLowerCase() === "scratch") {
    stage.is_scratch = true;
    return stage;
  }
  const base = parse_image_ref(value);
  if (base) stage.base = base;
  return stage;
}
