// Rules about what RUN instructions execute: cd, sudo, apt, apt-get, pip,
// pipes, and RUNs that follow each other. The script is read once by the
// shell parser (grader/dockerfile/shell.ts); ONBUILD RUN triggers are checked
// too, reported on their ONBUILD line. Each rule reports at most once per
// RUN, on the RUN's first line.
import type { DockerfileModel, Instruction } from "../../dockerfile/index.js";
import { operands_of, options_of, POSIX_SHELLS, read_argv, read_shell, script_after_c, type ShellCommand, type ShellScript } from "../../dockerfile/shell.js";
import type { ReportFinding } from "./catalog.js";
import { final_image_stages, instructions_of } from "./walk.js";

/** What SHELL, ENV and ARG have set so far in a stage (inherited by `FROM <stage>`). */
interface StageShellState {
  pipefail: boolean;
  non_posix_shell: boolean;
  /** The value of PIP_NO_CACHE_DIR set by ENV or ARG, if any. */
  pip_no_cache?: string;
}

const APT_OPTIONS_WITH_VALUE = new Set(["o", "c", "t", "a", "option", "config-file", "target-release", "default-release", "host-architecture"]);
const PIP_OPTIONS_WITH_VALUE = new Set(["log", "proxy", "retries", "timeout", "exists-action", "trusted-host", "cert", "client-cert", "cache-dir", "python", "use-feature", "r", "requirement", "c", "constraint", "i", "index-url", "extra-index-url", "f", "find-links", "t", "target"]);
const TRUTHY = new Set(["1", "true", "on", "yes"]);
const NON_POSIX_SHELLS = /^(pwsh|powershell|cmd)(\.exe)?$/i;
const PIPEFAIL_SHELLS = new Set(["bash", "zsh", "ash", "ksh", "mksh"]);
const APT_PROGRAMS = new Set(["apt-get", "apt", "aptitude"]);

function basename(program: string): string {
  return program.split(/[\\/]/).pop() ?? program;
}

/** `-o pipefail`, `-eo pipefail`, `-euxo pipefail` among the arguments. */
function sets_pipefail(args: string[]): boolean {
  return args.some((arg, i) => arg === "pipefail" && /^-[a-zA-Z]*o$/.test(args[i - 1] ?? ""));
}

// `<<EOF`, `<<-'EOF'`, `<<"EOF"`: the heredoc markers of a RUN header, removed before the header is read as a command.
const HEREDOC_MARKER = /<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g;

/** Whether a heredoc body is run by the shell: `RUN <<EOF` or `RUN bash <<EOF`, not `RUN python3 <<EOF` nor `RUN cat <<EOF > file`. */
function heredoc_is_shell(header: ShellScript, body: string): boolean {
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body);
  if (shebang) {
    const program = basename(shebang[1]!) === "env" ? (shebang[2] ?? "") : basename(shebang[1]!);
    if (!POSIX_SHELLS.has(program)) return false;
  }
  const top = header.commands.filter((command) => !command.nested);
  if (top.length === 0) return true;
  return top.length === 1 && POSIX_SHELLS.has(top[0]!.name) && script_after_c(top[0]!.args) === undefined;
}

/** Every command the RUN executes, heredoc scripts included, in order. */
export function run_script(instruction: Instruction): ShellScript {
  if (instruction.exec_form) return read_argv(instruction.exec_form);
  const shell_form = instruction.shell_form ?? "";
  if (instruction.heredocs.length === 0) return read_shell(shell_form);
  const header = read_shell(shell_form.replace(HEREDOC_MARKER, " "));
  const script: ShellScript = { parsed: header.parsed, commands: [...header.commands], pipes: header.pipes };
  for (const heredoc of instruction.heredocs) {
    if (!heredoc_is_shell(header, heredoc.body)) continue;
    const body = read_shell(heredoc.body);
    script.parsed &&= body.parsed;
    script.commands.push(...body.commands);
    script.pipes += body.pipes;
  }
  return script;
}

function mount_options(instruction: Instruction): Record<string, string>[] {
  return instruction.flags
    .filter((flag) => flag.name === "mount" && flag.value)
    .map((flag) => {
      const options: Record<string, string> = { type: "bind" };
      for (const part of flag.value!.split(",")) {
        const [key, ...value] = part.split("=");
        options[key!.trim().toLowerCase()] = value.join("=").trim();
      }
      return options;
    });
}

function mount_targets(instruction: Instruction, types: string[]): string[] {
  return mount_options(instruction)
    .filter((options) => types.includes(options["type"] ?? ""))
    .map((options) => options["target"] ?? options["dst"] ?? options["destination"] ?? "")
    .map((target) => target.replace(/^["']|["']$/g, ""));
}

function apt_subcommand(command: ShellCommand): string | undefined {
  if (!APT_PROGRAMS.has(command.name)) return undefined;
  return operands_of(command.args, APT_OPTIONS_WITH_VALUE)[0];
}

const APT_SIMULATE_OPTIONS = new Set(["s", "simulate", "just-print", "dry-run", "recon", "no-act"]);

/** `apt-get install -s` only prints what would happen: no prompt, nothing installed. */
function apt_simulates(command: ShellCommand): boolean {
  return options_of(command.args, APT_OPTIONS_WITH_VALUE).some((option) => APT_SIMULATE_OPTIONS.has(option));
}

function apt_assumes_yes(command: ShellCommand): boolean {
  let quiet = 0;
  for (const option of options_of(command.args, APT_OPTIONS_WITH_VALUE)) {
    if (option === "y" || option === "yes" || option === "assume-yes") return true;
    if (option === "q" || option === "quiet") quiet++;
    const level = /^(?:q|quiet)=(\d+)$/.exec(option);
    if (level) quiet = Math.max(quiet, Number(level[1]));
    if (/^(?:o|option)=APT::Get::Assume-Yes=(true|1|yes)$/i.test(option)) return true;
  }
  // apt-get: "quiet level 2 implies -y".
  return quiet >= 2;
}

function apt_skips_recommends(command: ShellCommand): boolean {
  return options_of(command.args, APT_OPTIONS_WITH_VALUE).some(
    (option) => option === "no-install-recommends" || /^(?:o|option)=APT::Install-Recommends=(false|0|no)$/i.test(option),
  );
}

function removes_apt_lists(command: ShellCommand): boolean {
  // `apt-get dist-clean` (apt 2.7.8+) removes the lists too.
  if (apt_subcommand(command) === "dist-clean") return true;
  return command.name === "rm" && operands_of(command.args).some((path) => /^\/var\/lib\/apt\/lists\/?\*?$/.test(path));
}

function is_pip_install(command: ShellCommand): boolean {
  let args: string[];
  // pip, pip3, pip3.12; not pipx nor pipenv, which keep no cache of their own in the image.
  if (/^pip\d*(\.\d+)*$/.test(command.name)) {
    args = command.args;
  } else if (/^python\d*(\.\d+)*$/.test(command.name)) {
    const module = command.args.indexOf("-m");
    if (module === -1 || command.args[module + 1] !== "pip") return false;
    args = command.args.slice(module + 2);
  } else {
    return false;
  }
  return operands_of(args, PIP_OPTIONS_WITH_VALUE)[0] === "install";
}

/** `--no-cache-dir`, or PIP_NO_CACHE_DIR true for this command: written before it, exported earlier in the script, or set by ENV/ARG. */
function pip_skips_cache(command: ShellCommand, state: StageShellState): boolean {
  if (command.args.some((arg) => arg === "--no-cache-dir" || arg.startsWith("--no-cache-dir="))) return true;
  const value = command.assignments["PIP_NO_CACHE_DIR"] ?? command.variables["PIP_NO_CACHE_DIR"] ?? state.pip_no_cache;
  return value !== undefined && TRUTHY.has(value.toLowerCase());
}

function show(command: ShellCommand): string {
  const words = [command.name, ...command.args];
  const text = words.join(" ");
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function check_pipefail(instruction: Instruction, script: ShellScript, state: StageShellState, report: ReportFinding): void {
  if (script.pipes === 0) return;
  // SHELL applies to the shell form only; an exec form runs its program directly.
  if (!instruction.exec_form && (state.non_posix_shell || state.pipefail)) return;
  for (const command of script.commands) {
    if (command.in_pipeline) break;
    // `set -o pipefail` (or `bash -o pipefail -c ...`) before the first pipe covers it.
    if (command.name === "set" && !command.in_subshell && sets_pipefail(command.args)) return;
    if (PIPEFAIL_SHELLS.has(command.name) && sets_pipefail(command.args)) return;
  }
  report(
    "DL4006",
    instruction.line,
    "Ce RUN contient un pipe (`|`) : sans pipefail, seul le code de retour de la dernière commande compte et " +
      "un échec en début de pipe passe inaperçu. Ajoutez avant ce RUN `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` " +
      "(sur Alpine : `SHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]`).",
  );
}

function check_run(
  instruction: Instruction,
  state: StageShellState,
  in_final_image: boolean,
  report: ReportFinding,
): void {
  const script = run_script(instruction);
  const commands = script.commands;
  const line = instruction.line;
  const first_command = (list: ShellCommand[], predicate: (command: ShellCommand) => boolean) => list.find(predicate);

  // A `cd` in a subshell (`( cd dir && make )`, `$(cd dir && pwd)`) does not change where the rest runs: allowed.
  if (first_command(commands, (command) => command.name === "cd" && !command.in_subshell)) {
    report(
      "DL3003",
      line,
      "`cd` dans un RUN ne vaut que pour ce RUN. Utilisez `WORKDIR /chemin` avant ce RUN (les instructions suivantes " +
        "s'y exécuteront aussi) au lieu de `cd chemin && ...`.",
    );
  }
  if (first_command(commands, (command) => command.name === "sudo")) {
    report(
      "DL3004",
      line,
      "`sudo` est inutile pendant la construction : les RUN s'exécutent en root tant qu'aucun USER ne l'a changé. " +
        "Retirez `sudo` et placez ce RUN avant l'instruction USER.",
    );
  }
  const apt = first_command(commands, (command) => command.name === "apt");
  if (apt) {
    report(
      "DL3027",
      line,
      `\`${show(apt)}\` : apt est fait pour un usage interactif. Remplacez \`apt\` par \`apt-get\` ` +
        "(ou `apt-cache` pour search et show).",
    );
  }

  const installs = commands.filter((command) => apt_subcommand(command) === "install" && !apt_simulates(command));
  const without_yes = installs.find((command) => !apt_assumes_yes(command));
  if (without_yes) {
    report(
      "DL3014",
      line,
      `\`${show(without_yes)}\` attend une confirmation que personne ne peut donner pendant la construction. ` +
        `Ajoutez \`-y\` : \`${without_yes.name} install -y ...\`.`,
    );
  }
  const with_recommends = installs.find((command) => !apt_skips_recommends(command));
  if (with_recommends) {
    report(
      "DL3015",
      line,
      `\`${show(with_recommends)}\` installe aussi les paquets recommandés. ` +
        `Ajoutez \`--no-install-recommends\` : \`${with_recommends.name} install -y --no-install-recommends ...\`.`,
    );
  }

  // `update` is what downloads the lists (apt-get, apt or aptitude).
  const fills_apt_lists = commands.some((command) => apt_subcommand(command) === "update");
  if (fills_apt_lists && in_final_image) {
    const cleaned = commands.some(removes_apt_lists);
    // A cache or tmpfs mount over the lists keeps them out of the layer.
    const cached = mount_targets(instruction, ["cache", "tmpfs"]).some((target) => /^\/var\/lib\/apt(\/lists)?\/?$/.test(target) || target === "/var/lib" || target === "/var/lib/");
    if (!cleaned && !cached) {
      report(
        "DL3009",
        line,
        "Les listes de paquets téléchargées par apt-get update restent dans l'image. Terminez ce même RUN par " +
          "`&& rm -rf /var/lib/apt/lists/*` (un rm dans un RUN suivant ne réduit pas la taille de l'image).",
      );
    }
  }

  const pip_cache_mounted = mount_targets(instruction, ["cache", "tmpfs"]).some((target) => target.includes(".cache/pip") || /\/\.cache\/?$/.test(target));
  const pip = first_command(commands, (command) => is_pip_install(command) && !pip_skips_cache(command, state));
  if (pip && !pip_cache_mounted) {
    report(
      "DL3042",
      line,
      `\`${show(pip)}\` garde les paquets téléchargés dans le cache de pip, qui alourdit l'image. ` +
        "Ajoutez `--no-cache-dir` : `pip install --no-cache-dir ...` (ou `ENV PIP_NO_CACHE_DIR=1` plus haut).",
    );
  }

  check_pipefail(instruction, script, state, report);
}

function fresh_state(): StageShellState {
  return { pipefail: false, non_posix_shell: false };
}

function update_state(instruction: Instruction, state: StageShellState): void {
  if (instruction.keyword === "SHELL" && instruction.exec_form && instruction.exec_form.length > 0) {
    const [program, ...args] = instruction.exec_form;
    const name = basename(program!);
    state.non_posix_shell = NON_POSIX_SHELLS.test(name);
    state.pipefail = PIPEFAIL_SHELLS.has(name) && sets_pipefail(args);
  }
  if (instruction.keyword === "ENV" || instruction.keyword === "ARG") {
    for (const property of instruction.properties) {
      if (property.name === "PIP_NO_CACHE_DIR" && property.value !== undefined) state.pip_no_cache = property.value;
    }
  }
}

/**
 * DL3059 as hadolint counts: two RUNs in a row (comments between them do not
 * count, their flags equal) are reported only when each runs a single
 * command. hadolint's threshold reads "more than 2", but its count sees each
 * simple command twice; a RUN that already chains commands was split on
 * purpose.
 */
function check_consecutive_runs(model: DockerfileModel, report: ReportFinding): void {
  let previous: { flags: string; commands: number } | undefined;
  for (const instruction of model.instructions) {
    if (instruction.keyword !== "RUN") {
      previous = undefined;
      continue;
    }
    const flags = instruction.flags.map((flag) => `${flag.name}=${flag.value ?? ""}`).sort().join(" ");
    const commands = run_script(instruction).commands.filter((command) => !command.nested).length;
    if (previous && previous.flags === flags && commands <= 1 && previous.commands <= 1) {
      report(
        "DL3059",
        instruction.line,
        "Ce RUN suit directement un autre RUN : chacun crée une couche. Regroupez-les en un seul RUN avec `&&` " +
          "(et `\\` pour passer à la ligne).",
      );
      continue;
    }
    previous = { flags, commands };
  }
}

export function check_runs(model: DockerfileModel, report: ReportFinding): void {
  const final_image = final_image_stages(model);
  // Without any FROM, what is written is taken as the image itself.
  if (model.stages.length === 0) final_image.add(-1);
  const states = new Map<number, StageShellState>();
  let state = fresh_state();
  for (const { instruction, onbuild } of instructions_of(model)) {
    if (instruction.keyword === "FROM" && !onbuild) {
      const stage = model.stages[instruction.stage]!;
      const parent = stage.from_stage === undefined ? undefined : states.get(stage.from_stage);
      state = parent ? { ...parent } : fresh_state();
      states.set(stage.index, state);
    }
    if (!onbuild) update_state(instruction, state);
    // An ONBUILD RUN runs in every image built FROM this one: it always ends in an image.
    if (instruction.keyword === "RUN") check_run(instruction, state, onbuild || final_image.has(instruction.stage), report);
  }
  check_consecutive_runs(model, report);
}
