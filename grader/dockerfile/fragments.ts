// A Dockerfile as the fragments two students can share, each in a normal
// form: what the one model (model.ts) reads of an instruction, with what a
// copy changes without changing the image taken out. Keywords upper-cased,
// spacing, quotes and comments gone; image references as Docker normalises
// them; flags, ENV/ARG/LABEL pairs, ports, COPY sources, a command's options
// and the packages of an install in one order; a RUN's `&&` chain split into its commands (one
// RUN or several gives the same fragments); a variable the Dockerfile names
// and uses itself renamed away (ARG APP_HOME=/app and ARG HOME_DIR=/app are
// one fragment) and its uses replaced by its value; stage names replaced by
// their number. Each fragment keeps the lines it comes from. Pure: no Docker.
import { parse_image_ref } from "./image-ref.js";
import { read_dockerfile, type Instruction } from "./model.js";
import { POSIX_SHELLS, read_argv, read_shell, type ShellCommand } from "./shell.js";

export interface Fragment {
  /** The normal form: two Dockerfiles share a fragment when this text is the same. */
  text: string;
  /** 1-based lines of the instruction it comes from. */
  line: number;
  end_line: number;
}

/** What stands for a renamed variable, a stage's name and a value not known. */
const RENAMED = "·";

/** Installers whose packages, and options, may come in any order: program -> the sub-commands that take packages. */
const INSTALLERS: Record<string, Set<string> | undefined> = {
  "apt-get": new Set(["install", "remove", "purge"]),
  apt: new Set(["install", "remove", "purge"]),
  apk: new Set(["add", "del"]),
  pip: new Set(["install", "uninstall"]),
  pip3: new Set(["install", "uninstall"]),
  npm: new Set(["install", "i", "ci", "uninstall"]),
  yarn: new Set(["add", "remove"]),
  yum: new Set(["install", "remove"]),
  dnf: new Set(["install", "remove"]),
  microdnf: new Set(["install", "remove"]),
  gem: new Set(["install"]),
};

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The names an instruction declares (ARG, ENV). */
function declared(instruction: Instruction): string[] {
  return instruction.keyword === "ARG" || instruction.keyword === "ENV" ? instruction.properties.map((p) => p.name) : [];
}

/**
 * The variables of the Dockerfile's own: declared by ARG or ENV and used by
 * another instruction. One never used is configuration a program reads
 * (PYTHONUNBUFFERED): its name is what it means, and is kept.
 */
function own_variables(instructions: Instruction[]): Map<string, string | undefined> {
  const used = new Set<string>();
  for (const instruction of instructions) {
    const mine = new Set(declared(instruction));
    for (const match of instruction.text.matchAll(REFERENCE)) {
      const name = match[1] ?? match[2]!;
      if (!mine.has(name)) used.add(name);
    }
  }
  const values = new Map<string, string | undefined>();
  for (const instruction of instructions) {
    for (const property of instruction.keyword === "ARG" || instruction.keyword === "ENV" ? instruction.properties : []) {
      if (!used.has(property.name)) continue;
      // A variable set twice to different values has no one value to stand for it.
      const before = values.get(property.name);
      values.set(property.name, values.has(property.name) && before !== property.value ? undefined : property.value);
    }
  }
  return values;
}

class Normaliser {
  constructor(
    private readonly variables: Map<string, string | undefined>,
    /** Stage names (lower-cased) -> their number. */
    private readonly stages: Map<string, number>,
  ) {}

  /** A word with the Dockerfile's own variables replaced by their values (or the mark, when not known). */
  word(text: string): string {
    return text.replace(REFERENCE, (match, braced: string | undefined, plain: string | undefined) => {
      const name = braced ?? plain!;
      if (!this.variables.has(name)) return match;
      const value = this.variables.get(name);
      // A value made of other variables is not one text: the mark stands for it.
      return value === undefined || value.includes("$") ? `$${RENAMED}` : value;
    });
  }

  name(name: string): string {
    return this.variables.has(name) ? RENAMED : name;
  }

  stage(ref: string): string | undefined {
    // `COPY --from=0` names the first stage by its number.
    const index = /^\d+$/.test(ref) ? Number(ref) : this.stages.get(ref.toLowerCase());
    return index === undefined ? undefined : `stage${index}`;
  }

  image(written: string): string {
    const value = this.word(written);
    const stage = this.stage(value);
    if (stage) return stage;
    if (value.toLowerCase() === "scratch") return "scratch";
    const ref = parse_image_ref(value);
    if (!ref) return value;
    // No tag and no digest is `latest`: written or not, the same image.
    return ref.tag === undefined && ref.digest === undefined ? `${ref.familiar}:latest` : ref.familiar;
  }

  flags(instruction: Instruction): string[] {
    return instruction.flags
      .map((flag) => {
        if (flag.value === undefined) return `--${flag.name.toLowerCase()}`;
        const value = flag.name.toLowerCase() === "from" ? (this.stage(flag.value) ?? this.image(flag.value)) : this.word(flag.value);
        return `--${flag.name.toLowerCase()}=${value}`;
      })
      .sort();
  }

  /**
   * One simple command of a RUN: the words before its first option as written
   * (a sub-command: `apt-get install`), then its options in one order (a value
   * written after its option stays among the operands, in its place), then its
   * operands as written; an installer's verb first and its packages in one order.
   */
  command(command: ShellCommand): string {
    const args = command.args.map((a) => this.word(a));
    const assignments = Object.entries(command.assignments)
      .map(([k, v]) => `${this.name(k)}=${this.word(v)}`)
      .sort();
    const is_option = (a: string): boolean => a.startsWith("-") && a !== "-" && a !== "--";
    const end = args.indexOf("--");
    const body = end === -1 ? args : args.slice(0, end);
    const tail = end === -1 ? [] : args.slice(end);
    const sub = INSTALLERS[command.name];
    const verb = sub ? body.findIndex((a) => sub.has(a)) : -1;
    if (verb !== -1) {
      const rest = body.filter((_, i) => i !== verb);
      return [...assignments, command.name, body[verb]!, ...rest.filter(is_option).sort(), ...rest.filter((a) => !is_option(a)).sort(), ...tail].join(" ");
    }
    const first_option = body.findIndex(is_option);
    const lead = first_option === -1 ? body : body.slice(0, first_option);
    const rest = first_option === -1 ? [] : body.slice(first_option);
    return [...assignments, command.name, ...lead, ...rest.filter(is_option).sort(), ...rest.filter((a) => !is_option(a)), ...tail].join(" ");
  }

  /** The commands a RUN (or a heredoc it runs) carries out, each one fragment. */
  run_commands(instruction: Instruction): string[] {
    const scripts: ShellCommand[][] = [];
    if (instruction.heredocs.length > 0) for (const heredoc of instruction.heredocs) scripts.push(read_shell(heredoc.body).commands);
    else if (instruction.exec_form) scripts.push(read_argv(instruction.exec_form).commands);
    else if (instruction.shell_form !== undefined) {
      const read = read_shell(instruction.shell_form);
      if (!read.parsed && read.commands.length === 0) return [collapse(this.word(instruction.shell_form))];
      scripts.push(read.commands);
    }
    // A wrapper (sudo x, sh -c "x") and the command it runs are both read: the command it runs is the fragment.
    const commands = scripts.flat();
    const wrapped = commands.some((c) => c.nested);
    return commands.filter((c) => !(wrapped && !c.nested && WRAPPERS.has(c.name))).map((c) => this.command(c));
  }
}

/** Programs that run the command after them (shell.ts reads that command too). */
const WRAPPERS = new Set([...POSIX_SHELLS, "sudo", "doas", "env", "exec", "command", "nohup", "gosu", "su-exec", "timeout", "nice"]);

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

function stage_numbers(instructions: Instruction[]): Map<string, number> {
  const stages = new Map<string, number>();
  let index = 0;
  for (const instruction of instructions) {
    if (instruction.keyword !== "FROM") continue;
    const args = instruction.args;
    if (args.length >= 3 && args[1]!.toUpperCase() === "AS") stages.set(args[2]!.toLowerCase(), index);
    index++;
  }
  return stages;
}

/** The fragments of one instruction (usually one; a RUN one per command, an ENV one per variable). */
function fragments_of(instruction: Instruction, n: Normaliser): string[] {
  const k = instruction.keyword;
  const flags = n.flags(instruction);
  const head = [k, ...flags].join(" ");
  switch (k) {
    case "FROM":
      return [`${head} ${n.image(instruction.args[0] ?? "")}`];
    case "ARG":
    case "ENV":
    case "LABEL":
      return instruction.properties.map((p) => `${k} ${k === "LABEL" ? p.name : n.name(p.name)}${p.value === undefined ? "" : `=${n.word(p.value)}`}`);
    case "EXPOSE":
      return instruction.args.map((port) => {
        const value = n.word(port).toLowerCase();
        return `EXPOSE ${value.includes("/") ? value : `${value}/tcp`}`;
      });
    case "RUN":
      return n.run_commands(instruction).map((command) => `${head} ${command}`);
    case "CMD":
    case "ENTRYPOINT":
      if (instruction.exec_form) return [`${head} ${JSON.stringify(instruction.exec_form.map((w) => n.word(w)))}`];
      return [`${head} ${collapse(n.word(instruction.shell_form ?? ""))}`];
    case "COPY":
    case "ADD": {
      const paths = instruction.args.map((a) => n.word(a).replace(/^\.\/(?=.)/, ""));
      const destination = paths.pop() ?? "";
      return [`${head} ${[...paths.sort(), destination].join(" ")}`];
    }
    case "VOLUME":
      return instruction.args.map((v) => `VOLUME ${n.word(v)}`);
    case "ONBUILD":
      return instruction.trigger ? fragments_of(instruction.trigger, n).map((f) => `ONBUILD ${f}`) : [`ONBUILD ${collapse(instruction.text)}`];
    case "HEALTHCHECK":
      return [`${head} ${collapse(n.word(instruction.args.join(" ")))}`];
    default:
      return [`${head} ${instruction.args.map((a) => n.word(a)).join(" ")}`.trim()];
  }
}

/** The fragments of a Dockerfile, in file order. */
export function dockerfile_fragments(text: string): Fragment[] {
  const model = read_dockerfile(text);
  const normaliser = new Normaliser(own_variables(model.instructions), stage_numbers(model.instructions));
  const fragments: Fragment[] = [];
  for (const instruction of model.instructions) {
    for (const fragment of fragments_of(instruction, normaliser)) {
      fragments.push({ text: fragment.replace(/\s+/g, " ").trim(), line: instruction.line, end_line: instruction.end_line });
    }
  }
  return fragments;
}
