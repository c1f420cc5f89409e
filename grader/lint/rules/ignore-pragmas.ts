// hadolint's inline ignores: `# hadolint ignore=DL3008,DL3015` in the comment
// lines just above an instruction silences those codes for that instruction;
// `# hadolint global ignore=DL3059` silences them for the whole file.
import type { DockerfileModel } from "../../dockerfile/index.js";

const PRAGMA = /^\s*#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9, ]+)/;

export interface IgnorePragmas {
  global: Set<string>;
  /** Codes ignored per instruction, keyed by the instruction's first line. */
  by_line: Map<number, Set<string>>;
}

function codes_of(list: string): string[] {
  return list.split(",").map((code) => code.trim().toUpperCase()).filter((code) => code !== "");
}

export function read_ignore_pragmas(model: DockerfileModel): IgnorePragmas {
  const pragmas: IgnorePragmas = { global: new Set(), by_line: new Map() };
  // Lines that belong to an instruction (continuations, heredoc bodies) are not comments of the file.
  const inside = new Set<number>();
  for (const instruction of model.instructions) {
    for (let line = instruction.line; line <= instruction.end_line; line++) inside.add(line);
  }
  model.lines.forEach((text, index) => {
    const match = PRAGMA.exec(text);
    if (match?.[1] && !inside.has(index + 1)) for (const code of codes_of(match[2]!)) pragmas.global.add(code);
  });
  for (const instruction of model.instructions) {
    const codes = new Set<string>();
    // The block of comment lines right above the instruction.
    for (let line = instruction.line - 1; line >= 1 && !inside.has(line); line--) {
      const text = model.lines[line - 1] ?? "";
      if (!text.trimStart().startsWith("#")) break;
      const match = PRAGMA.exec(text);
      if (match && !match[1]) for (const code of codes_of(match[2]!)) codes.add(code);
    }
    if (codes.size > 0) pragmas.by_line.set(instruction.line, codes);
  }
  return pragmas;
}
