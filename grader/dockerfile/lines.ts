// Where each instruction of a Dockerfile starts and ends, by BuildKit's own
// line rules: parser directives at the very top (until the first line that
// is not one), comment and blank lines skipped (inside a continued
// instruction too), a line ending with the escape character continued on
// the next, and for RUN, COPY and ADD the heredocs (`<<EOF`, `<<-EOF`,
// `<<'EOF'`) whose bodies follow the instruction. This is the hot path of
// the lint on long files, hence not dockerfile-ast, whose per-argument
// ranges cost more than all the rules together.

export interface RawInstruction {
  /** The keyword as written. */
  keyword: string;
  /** 0-based first and last line, heredoc bodies included. */
  start_line: number;
  end_line: number;
  /** Everything after the keyword, continuations joined (escape character and line break removed), comment lines dropped. */
  text: string;
  heredocs: { name: string; body: string }[];
}

export interface RawDockerfile {
  directives: Record<string, string>;
  escape: string;
  instructions: RawInstruction[];
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

/** The `<<NAME` markers of an instruction's text, outside quotes (`<<<` is a here-string, not a heredoc). */
export function heredoc_markers(text: string): { name: string; strip_tabs: boolean }[] {
  const markers: { name: string; strip_tabs: boolean }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c !== "<" || text[i + 1] !== "<" || text[i + 2] === "<" || text[i - 1] === "<") continue;
    const match = /^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(text.slice(i));
    if (match) {
      markers.push({ name: match[3]!, strip_tabs: match[1] === "-" });
      i += match[0].length - 1;
    }
  }
  return markers;
}

export function split_instructions(lines: string[]): RawDockerfile {
  const directives: Record<string, string> = {};
  let i = 0;
  // Directives: only before anything else; a blank line, a plain comment or an instruction ends them.
  for (; i < lines.length; i++) {
    const match = DIRECTIVE.exec(lines[i]!.trim());
    if (!match) break;
    const name = match[1]!.toLowerCase();
    if (name in directives) break;
    directives[name] = match[2]!;
  }
  const escape = directives["escape"] === "`" ? "`" : "\\";
  const instructions: RawInstruction[] = [];
  for (; i < lines.length; i++) {
    const first = lines[i]!;
    const trimmed = first.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const start_line = i;
    const keyword_match = /^[ \t]*(\S+)/.exec(first)!;
    const keyword = keyword_match[1]!;
    // A keyword continued on the next line (`RU\<newline>N`) is too rare to read; the rest is.
    let text = "";
    let segment = first.slice(keyword_match[0].length);
    let end_line = i;
    for (;;) {
      const right = segment.replace(/[ \t]+$/, "");
      if (right.endsWith(escape)) {
        text += right.slice(0, -escape.length);
        // The next line that is neither blank nor a comment goes on the instruction.
        let next = end_line + 1;
        while (next < lines.length && (lines[next]!.trim() === "" || lines[next]!.trimStart().startsWith("#"))) next++;
        if (next >= lines.length) break;
        end_line = next;
        segment = lines[next]!;
        continue;
      }
      text += segment;
      break;
    }
    text = text.replace(/^[ \t]+/, "").replace(/[ \t]+$/, "");
    const heredocs: { name: string; body: string }[] = [];
    if (HEREDOC_KEYWORDS.has(keyword.toUpperCase())) {
      for (const marker of heredoc_markers(text)) {
        const body: string[] = [];
        let line = end_line + 1;
        for (; line < lines.length; line++) {
          const candidate = marker.strip_tabs ? lines[line]!.replace(/^\t+/, "") : lines[line]!;
          if (candidate === marker.name) break;
          body.push(lines[line]!);
        }
        end_line = Math.min(line, lines.length - 1);
        heredocs.push({ name: marker.name, body: body.join("\n") });
      }
    }
    instructions.push({ keyword, start_line, end_line, text, heredocs });
    i = end_line;
  }
  return { directives, escape, instructions };
}
