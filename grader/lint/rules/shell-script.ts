// Splits the shell script of a RUN into the simple commands it runs, so that
// rules can ask "is apt-get install called without -y?" without being fooled
// by quotes, `&&`, `;`, `||`, pipes, subshells or `sudo` in front. This is not
// a full POSIX parser: command substitutions and control-flow bodies are read
// loosely, which is enough for the programs the rules look for.

export interface ShellCommand {
  /** Program name without its directory (`/usr/bin/apt-get` gives `apt-get`). */
  name: string;
  args: string[];
  /** `NAME=value` words written before the program. */
  assignments: Record<string, string>;
  /** Part of a pipeline (`a | b`). */
  in_pipeline: boolean;
  /** Run by another command in front of it (`sudo apt-get ...`, `sh -c "..."`). */
  nested: boolean;
}

export interface ShellScript {
  commands: ShellCommand[];
}

type Token = { kind: "word"; value: string } | { kind: "operator"; value: string };

const SEPARATORS = new Set([";", "&", "&&", "||", "|", "|&", "(", ")", ";;", "\n"]);
const REDIRECTIONS = new Set([">", ">>", "<", "<<", "<<-", "<<<", ">&", "<&", "<>", ">|", "&>", "&>>"]);
// Words that open or close a compound command; the command that matters is after them.
const RESERVED_WORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac"]);
// Programs that run the command given after them.
const WRAPPERS = new Set(["sudo", "doas", "env", "exec", "command", "nohup", "time", "nice", "eatmydata"]);
// Options of those wrappers that take a value as the next word.
const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"]),
  doas: new Set(["-u", "-C"]),
  env: new Set(["-u", "-C", "-S"]),
  nice: new Set(["-n"]),
};
export const POSIX_SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]);
const MAX_NESTING = 3;

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let word = "";
  let in_word = false;
  const end_word = () => {
    if (in_word) tokens.push({ kind: "word", value: word });
    word = "";
    in_word = false;
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      end_word();
      i++;
    } else if (c === "\n") {
      end_word();
      tokens.push({ kind: "operator", value: "\n" });
      i++;
    } else if (c === "#" && !in_word) {
      while (i < script.length && script[i] !== "\n") i++;
    } else if (c === "\\") {
      if (script[i + 1] !== "\n" && i + 1 < script.length) {
        word += script[i + 1];
        in_word = true;
      }
      i += 2;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? script.length : end;
      word += script.slice(i + 1, stop);
      in_word = true;
      i = stop + 1;
    } else if (c === '"') {
      in_word = true;
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === "\\" && i + 1 < script.length && '"\\$`\n'.includes(script[i + 1]!)) {
          if (script[i + 1] !== "\n") word += script[i + 1];
          i += 2;
        } else {
          word += script[i];
          i++;
        }
      }
      i++;
    } else if (c === "$" && script[i + 1] === "(") {
      // Command or arithmetic substitution: kept as text, up to the matching parenthesis.
      let depth = 0;
      const start = i;
      i++;
      while (i < script.length) {
        if (script[i] === "(") depth++;
        else if (script[i] === ")" && --depth === 0) break;
        i++;
      }
      word += script.slice(start, i + 1);
      in_word = true;
      i++;
    } else if (c === "`") {
      const end = script.indexOf("`", i + 1);
      const stop = end === -1 ? script.length : end;
      word += script.slice(i, stop + 1);
      in_word = true;
      i = stop + 1;
    } else if ("|&;()<>".includes(c)) {
      // `2>` and `2>&1`: a file descriptor number is part of the redirection, not a word.
      if ((c === "<" || c === ">") && in_word && /^\d+$/.test(word)) {
        word = "";
        in_word = false;
      }
      end_word();
      const operator = read_operator(script, i);
      tokens.push({ kind: "operator", value: operator });
      i += operator.length;
    } else {
      word += c;
      in_word = true;
      i++;
    }
  }
  end_word();
  return tokens;
}

function read_operator(script: string, at: number): string {
  for (const candidate of ["&>>", "<<-", "<<<", "&&", "||", "|&", ";;", ">>", "<<", ">&", "<&", "<>", ">|", "&>"]) {
    if (script.startsWith(candidate, at)) return candidate;
  }
  return script[at]!;
}

function basename(program: string): string {
  const slash = program.lastIndexOf("/");
  return slash === -1 ? program : program.slice(slash + 1);
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Builds the commands of one simple command's words, unwrapping `sudo x` and `sh -c "x"`. */
function commands_of(words: string[], in_pipeline: boolean, nested: boolean, depth: number): ShellCommand[] {
  let start = 0;
  while (start < words.length && RESERVED_WORDS.has(words[start]!)) start++;
  const assignments: Record<string, string> = {};
  while (start < words.length) {
    const match = ASSIGNMENT.exec(words[start]!);
    if (!match) break;
    assignments[match[1]!] = match[2]!;
    start++;
  }
  if (start >= words.length) return [];
  const name = basename(words[start]!);
  const args = words.slice(start + 1);
  const command: ShellCommand = { name, args, assignments, in_pipeline, nested };
  const result = [command];
  // `command -v sudo` asks where sudo is; it does not run it.
  const only_looks_up = name === "command" && args.some((arg) => /^-[a-zA-Z]*[vV]/.test(arg));
  if (WRAPPERS.has(name) && !only_looks_up) {
    const with_value = WRAPPER_OPTIONS_WITH_VALUE[name] ?? new Set<string>();
    let i = 0;
    while (i < args.length && (args[i]!.startsWith("-") || (name === "env" && ASSIGNMENT.test(args[i]!)))) {
      if (args[i] === "--") {
        i++;
        break;
      }
      i += with_value.has(args[i]!) ? 2 : 1;
    }
    // `env A=1 prog` keeps the assignments for the program.
    const inner_words = args.slice(i);
    if (name === "env") inner_words.unshift(...args.slice(0, i).filter((arg) => ASSIGNMENT.test(arg)));
    result.push(...commands_of(inner_words, in_pipeline, true, depth));
  } else if (POSIX_SHELLS.has(name) && depth < MAX_NESTING) {
    const script = script_after_c(args);
    if (script !== undefined) {
      for (const inner of parse_shell_script(script, depth + 1).commands) result.push({ ...inner, nested: true });
    }
  }
  return result;
}

/** The script given to `sh -c "..."` (also `bash -ec "..."`), if any. */
export function script_after_c(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--" || !arg.startsWith("-")) {
      // `bash -o pipefail -c ...`: the value of -o is not the script.
      if (/^[-+][a-zA-Z]*o$/.test(args[i - 1] ?? "")) continue;
      return undefined;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return args[i + 1];
  }
  return undefined;
}

/** The commands of an exec-form instruction (`RUN ["apt-get", "install", "x"]`). */
export function parse_argv(argv: string[]): ShellScript {
  return { commands: commands_of(argv, false, false, 0) };
}

export function parse_shell_script(script: string, depth = 0): ShellScript {
  const tokens = tokenize(script);
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let piped_in = false;
  const flush = (piped_out: boolean) => {
    commands.push(...commands_of(words, piped_in || piped_out, false, depth));
    words = [];
    piped_in = piped_out;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "word") {
      words.push(token.value);
    } else if (REDIRECTIONS.has(token.value)) {
      // The word after a redirection is its target, not an argument.
      if (tokens[i + 1]?.kind === "word") i++;
    } else if (SEPARATORS.has(token.value)) {
      flush(token.value === "|" || token.value === "|&");
    }
  }
  flush(false);
  return { commands };
}

/** Top-level commands only: what a reader counts as "the commands of this RUN". */
export function count_commands(script: ShellScript): number {
  return script.commands.filter((command) => !command.nested).length;
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
 * The words of a script that is a single simple command with nothing for a
 * shell to do (no operator, redirection or variable), else undefined.
 */
export function simple_command_words(script: string): string[] | undefined {
  const tokens = tokenize(script.trim());
  if (tokens.some((token) => token.kind === "operator")) return undefined;
  const words = tokens.map((token) => token.value);
  if (words.length === 0 || words.some((word) => word.includes("$") || word.includes("`") || /[*?]/.test(word))) return undefined;
  return words;
}
