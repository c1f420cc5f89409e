// The shell reading the lint rules need, done once with a real parser:
// tree-sitter's bash grammar (tree-sitter-bash, run by web-tree-sitter). A
// script becomes the list of simple commands it runs, wherever they are
// (lists, pipelines, subshells, `$(...)`, `if`, `case`, loops, functions),
// each with its arguments as the shell will pass them, the variables set
// before it, and where it sits (in a pipeline, in a subshell). `sudo x`,
// `env A=1 x` and `sh -c "x"` are also read as the command they run. Pure: no
// Docker here.
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

export interface ShellCommand {
  /** Program name without its directory (`/usr/bin/apt-get` gives `apt-get`). */
  name: string;
  /** The words after the program, quotes removed; expansions (`$X`, `$(...)`) kept as written. */
  args: string[];
  /** `NAME=value` words written before the program. */
  assignments: Record<string, string>;
  /** Variables the script has set before this command, at its level or above (`export A=1 && x`, `A=1; x`). */
  variables: Record<string, string>;
  /** Part of a pipeline (`a | b`), at any level. */
  in_pipeline: boolean;
  /** Inside `( ... )`, `$( ... )` or backquotes: its `cd` or `exit` does not reach the rest of the script. */
  in_subshell: boolean;
  /** Run by another command in front of it (`sudo apt-get ...`, `sh -c "..."`), not written as a command itself. */
  nested: boolean;
}

export interface ShellScript {
  /** False when the script does not parse as a shell script; `commands` then holds what could be read. */
  parsed: boolean;
  commands: ShellCommand[];
  /** Pipes (`|`, `|&`) anywhere in the script, `$(...)` included. */
  pipes: number;
}

// The grammar is WebAssembly, compiled once when this module loads (about 50 ms).
await Parser.init();
const BASH = await Language.load(createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
const parser = new Parser();
parser.setLanguage(BASH);

// Programs that run the command given after them.
const WRAPPERS = new Set(["sudo", "doas", "env", "exec", "command", "nohup", "time", "nice", "eatmydata", "xargs", "su-exec", "gosu", "chroot", "timeout", "stdbuf"]);
// Wrappers whose first operand is not the command (`gosu user cmd`, `timeout 5 cmd`, `chroot dir cmd`).
const WRAPPER_LEADING_OPERANDS: Record<string, number> = { "su-exec": 1, gosu: 1, chroot: 1, timeout: 1 };
// Options of those wrappers that take a value as the next word.
const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"]),
  doas: new Set(["-u", "-C"]),
  env: new Set(["-u", "-C", "-S"]),
  nice: new Set(["-n"]),
  xargs: new Set(["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"]),
  timeout: new Set(["-k", "-s"]),
  stdbuf: new Set(["-i", "-o", "-e"]),
};
export const POSIX_SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]);
const MAX_NESTING = 3;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
// Nodes that hold statements to read in the same shell.
const SAME_SHELL = new Set(["program", "list", "compound_statement", "do_group", "if_statement", "elif_clause", "else_clause", "while_statement", "for_statement", "c_style_for_statement", "case_statement", "case_item", "negated_command", "redirected_statement"]);

function basename(program: string): string {
  const slash = program.lastIndexOf("/");
  return slash === -1 ? program : program.slice(slash + 1);
}

/** A word's text as the shell passes it: quotes removed, escapes applied, expansions kept as written. */
function word_value(node: Node): string {
  switch (node.type) {
    case "word":
    case "command_name":
      return node.text.replace(/\\(.)/gs, (_m, c: string) => (c === "\n" ? "" : c));
    case "raw_string":
      return node.text.slice(1, -1);
    case "ansi_c_string":
      return node.text.slice(2, -1);
    case "string":
      return node.text.slice(1, -1).replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === "\n" ? "" : c));
    case "concatenation":
      return node.namedChildren.map((child) => (child ? word_value(child) : "")).join("");
    default:
      // $X, ${X:-y}, $(...), `...`, $((...)), numbers: as written.
      return node.text;
  }
}

interface Context {
  in_pipeline: boolean;
  in_subshell: boolean;
  /** Variables set so far at this level; a subshell gets a copy. */
  variables: Record<string, string>;
}

class Reader {
  readonly commands: ShellCommand[] = [];
  pipes = 0;

  /** Whether the script has any `$(`, backquote or `<(`: without one, no word holds commands (most words of most scripts). */
  private readonly substitutes: boolean;

  constructor(script: string, private readonly depth: number) {
    this.substitutes = /\$\(|`|[<>]\(/.test(script);
  }

  statements(node: Node, context: Context): void {
    const type = node.type;
    if (type === "command") return this.command(node, context);
    if (type === "pipeline") {
      for (const child of node.children) if (child && (child.type === "|" || child.type === "|&")) this.pipes++;
      const inner = { ...context, in_pipeline: true };
      for (const child of node.namedChildren) if (child) this.statements(child, inner);
      return;
    }
    if (type === "subshell") {
      const inner = { ...context, in_subshell: true, variables: { ...context.variables } };
      for (const child of node.namedChildren) if (child) this.statements(child, inner);
      return;
    }
    if (type === "function_definition") {
      const body = node.childForFieldName("body");
      if (body) this.statements(body, { ...context, variables: { ...context.variables } });
      return;
    }
    if (type === "heredoc_redirect") {
      // `cat <<EOF | sh`: what follows the heredoc's start is a pipeline the redirected command feeds.
      for (const child of node.namedChildren) {
        if (!child || child.type.startsWith("heredoc_")) continue;
        if (child.type === "pipeline" || child.type === "command") this.pipes++;
        this.statements(child, { ...context, in_pipeline: true });
      }
      return;
    }
    if (type === "declaration_command") return this.declaration(node, context);
    if (type === "variable_assignment" || type === "variable_assignments") {
      for (const assignment of type === "variable_assignment" ? [node] : node.namedChildren) {
        if (!assignment) continue;
        this.substitutions(assignment, context);
        const name = assignment.childForFieldName("name")?.text;
        const value = assignment.childForFieldName("value");
        if (name) context.variables[name] = value ? word_value(value) : "";
      }
      return;
    }
    if (type === "case_statement") {
      const value = node.childForFieldName("value");
      if (value) this.substitutions(value, context);
      // The patterns (`amd64|arm64)`) are neither commands nor pipes.
      for (const item of node.namedChildren) if (item?.type === "case_item") this.case_item(item, context);
      return;
    }
    if (type === "for_statement") {
      for (const value of node.childrenForFieldName("value")) if (value) this.substitutions(value, context);
      const body = node.childForFieldName("body");
      if (body) this.statements(body, context);
      return;
    }
    if (SAME_SHELL.has(type)) {
      for (const child of node.namedChildren) if (child) this.statements(child, context);
      return;
    }
    // Words, tests (`[ ... ]`), redirections: only their substitutions run commands.
    this.substitutions(node, context);
  }

  private case_item(item: Node, context: Context): void {
    const patterns = new Set(item.childrenForFieldName("value").map((pattern) => pattern?.id));
    for (const child of item.namedChildren) if (child && !patterns.has(child.id)) this.statements(child, context);
  }

  private declaration(node: Node, context: Context): void {
    // export A=1, declare, local, readonly: they set variables for what follows.
    const variant = node.child(0)?.text ?? "export";
    const args: string[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      this.substitutions(child, context);
      if (child.type === "variable_assignment") {
        const name = child.childForFieldName("name")?.text ?? "";
        const value_node = child.childForFieldName("value");
        const value = value_node ? word_value(value_node) : "";
        context.variables[name] = value;
        args.push(`${name}=${value}`);
      } else {
        args.push(word_value(child));
      }
    }
    this.push(variant, args, {}, context);
  }

  private command(node: Node, context: Context): void {
    const assignments: Record<string, string> = {};
    let name: string | undefined;
    const args: string[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      this.substitutions(child, context);
      if (child.type === "variable_assignment") {
        const key = child.childForFieldName("name")?.text;
        const value = child.childForFieldName("value");
        if (key) assignments[key] = value ? word_value(value) : "";
      } else if (child.type === "command_name") {
        name = word_value(child.namedChild(0) ?? child);
      } else if (!child.type.endsWith("redirect")) {
        args.push(word_value(child));
      }
    }
    if (name === undefined) {
      Object.assign(context.variables, assignments);
      return;
    }
    this.push(name, args, assignments, context);
  }

  /** The commands inside `$(...)`, backquotes and `<(...)` anywhere in a node, the node included. */
  private substitutions(node: Node, context: Context): void {
    if (!this.substitutes) return;
    if (node.type === "command_substitution" || node.type === "process_substitution") {
      const inner = { in_pipeline: false, in_subshell: true, variables: { ...context.variables } };
      for (const statement of node.namedChildren) if (statement) this.statements(statement, inner);
      return;
    }
    if (node.namedChildCount === 0 || !/\$\(|`|[<>]\(/.test(node.text)) return;
    for (const child of node.namedChildren) if (child) this.substitutions(child, context);
  }

  private push(program: string, args: string[], assignments: Record<string, string>, context: Context): void {
    const name = basename(program);
    this.commands.push({
      name,
      args,
      assignments,
      variables: { ...context.variables },
      in_pipeline: context.in_pipeline,
      in_subshell: context.in_subshell,
      nested: false,
    });
    this.unwrap(name, args, assignments, context);
  }

  /** `sudo x`, `env A=1 x`, `sh -c "x"`: the command they run. */
  private unwrap(name: string, args: string[], assignments: Record<string, string>, context: Context): void {
    // `command -v sudo` asks where sudo is; it does not run it.
    const only_looks_up = name === "command" && args.some((arg) => /^-[a-zA-Z]*[vV]/.test(arg));
    if (WRAPPERS.has(name) && !only_looks_up) {
      const with_value = WRAPPER_OPTIONS_WITH_VALUE[name] ?? new Set<string>();
      let i = 0;
      const inner_assignments: Record<string, string> = { ...assignments };
      while (i < args.length && (args[i]!.startsWith("-") || (name === "env" && ASSIGNMENT.test(args[i]!)))) {
        if (args[i] === "--") {
          i++;
          break;
        }
        const assignment = name === "env" ? ASSIGNMENT.exec(args[i]!) : null;
        if (assignment) inner_assignments[assignment[1]!] = assignment[2]!;
        i += with_value.has(args[i]!) ? 2 : 1;
      }
      i += WRAPPER_LEADING_OPERANDS[name] ?? 0;
      const inner = args.slice(i);
      if (inner.length > 0) {
        const inner_name = basename(inner[0]!);
        this.commands.push({
          name: inner_name,
          args: inner.slice(1),
          assignments: inner_assignments,
          variables: { ...context.variables },
          in_pipeline: context.in_pipeline,
          in_subshell: context.in_subshell,
          nested: true,
        });
        this.unwrap(inner_name, inner.slice(1), inner_assignments, context);
      }
    } else if (POSIX_SHELLS.has(name) && this.depth < MAX_NESTING) {
      const script = script_after_c(args);
      if (script !== undefined) {
        const inner = read_shell(script, this.depth + 1);
        this.pipes += inner.pipes;
        for (const command of inner.commands) {
          this.commands.push({
            ...command,
            variables: { ...context.variables, ...command.variables },
            in_pipeline: command.in_pipeline || context.in_pipeline,
            in_subshell: true,
            nested: true,
          });
        }
      }
    }
  }
}

/** The script given to `sh -c "..."` (also `bash -ec "..."`, `bash -o pipefail -c "..."`), if any. */
export function script_after_c(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--" || !/^[-+]/.test(arg)) {
      // `bash -o pipefail -c ...`: the value of -o is not the script.
      if (/^[-+][a-zA-Z]*o$/.test(args[i - 1] ?? "")) continue;
      return undefined;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return args[i + 1];
  }
  return undefined;
}

const cache = new Map<string, ShellScript>();
const CACHE_LIMIT = 2000;

/** Reads a shell script (a RUN in shell form, a heredoc body run by a shell). */
export function read_shell(script: string, depth = 0): ShellScript {
  const cached = depth === 0 ? cache.get(script) : undefined;
  if (cached) return cached;
  const tree = parser.parse(script);
  if (!tree) return { parsed: false, commands: [], pipes: 0 };
  const reader = new Reader(script, depth);
  let parsed: boolean;
  try {
    // tree-sitter recovers from errors: what it could read is kept, and marked as such.
    parsed = !tree.rootNode.hasError;
    reader.statements(tree.rootNode, { in_pipeline: false, in_subshell: false, variables: {} });
  } finally {
    tree.delete();
  }
  const result: ShellScript = { parsed, commands: reader.commands, pipes: reader.pipes };
  if (depth === 0) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(script, result);
  }
  return result;
}

/** The commands of an exec-form instruction (`RUN ["apt-get", "install", "x"]`): no shell, so no pipes or lists. */
export function read_argv(argv: string[]): ShellScript {
  if (argv.length === 0) return { parsed: true, commands: [], pipes: 0 };
  const [program, ...args] = argv;
  const name = basename(program!);
  const commands: ShellCommand[] = [{ name, args, assignments: {}, variables: {}, in_pipeline: false, in_subshell: false, nested: false }];
  // `["sh", "-c", "..."]` runs a script after all.
  if (POSIX_SHELLS.has(name)) {
    const script = script_after_c(args);
    if (script !== undefined) {
      const inner = read_shell(script, 1);
      return { parsed: inner.parsed, commands: [...commands, ...inner.commands.map((command) => ({ ...command, nested: true }))], pipes: inner.pipes };
    }
  }
  return { parsed: true, commands, pipes: 0 };
}

/**
 * The option names a command was given: `-qy` gives `q` and `y`, `--yes`
 * gives `yes`, `--quiet=2` gives `quiet=2`. Stops at `--`. Options listed in
 * `with_value` swallow the next word (or the rest of a short cluster).
 */
export function options_of(args: string[], with_value: ReadonlySet<string> = new Set()): string[] {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (with_value.has(name) && !name.includes("=")) {
        options.push(`${name}=${args[i + 1] ?? ""}`);
        i++;
      } else {
        options.push(name);
      }
    } else if (arg.startsWith("-") && arg.length > 1) {
      const cluster = arg.slice(1);
      if (/^[a-zA-Z]=/.test(cluster)) {
        options.push(cluster);
        continue;
      }
      for (let j = 0; j < cluster.length; j++) {
        const letter = cluster[j]!;
        if (with_value.has(letter)) {
          const rest = cluster.slice(j + 1);
          options.push(rest ? `${letter}=${rest}` : `${letter}=${args[i + 1] ?? ""}`);
          if (!rest) i++;
          break;
        }
        options.push(letter);
      }
    }
  }
  return options;
}

/** Words that are not options, skipping the values of options in `with_value`. */
export function operands_of(args: string[], with_value: ReadonlySet<string> = new Set()): string[] {
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      if (with_value.has(arg.slice(2)) && !arg.includes("=")) i++;
    } else if (arg.startsWith("-") && arg.length > 1) {
      const cluster = arg.slice(1);
      const last = cluster[cluster.length - 1]!;
      // A value-taking short option at the end of its cluster takes the next word.
      if (!cluster.includes("=") && with_value.has(last) && [...cluster].findIndex((l) => with_value.has(l)) === cluster.length - 1) i++;
    } else {
      operands.push(arg);
    }
  }
  return operands;
}

/**
 * The words of a script that is one simple command with nothing for a shell
 * to do (no operator, redirection, variable or glob), else undefined: what
 * can be rewritten in JSON form as it is.
 */
export function simple_command_words(script: string): string[] | undefined {
  if (/[|&;<>()$`*?\n\\]/.test(script)) return undefined;
  const read = read_shell(script);
  if (!read.parsed || read.commands.length !== 1) return undefined;
  const command = read.commands[0]!;
  if (Object.keys(command.assignments).length > 0) return undefined;
  const words = script.trim().split(/\s+/);
  // Quotes were removed by the shell: take the words it passes.
  return [words[0]!, ...command.args];
}
