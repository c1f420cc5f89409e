// Markdown for a terminal, on marked's lexer: headings, paragraphs wrapped to
// the width, code blocks kept as written, lists, tables that fit, links with
// their address, inline code. Without colours, the marks that carry meaning
// (backticks, underlines under headings) stay, so nothing is lost.
import { Lexer, type Token, type Tokens } from "marked";
import { c } from "./color.js";
import { pad_end, visible_width, wrap } from "./text.js";

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " " };
const decode = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e);

export function render_markdown(markdown: string, width: number): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  return `${blocks(tokens, width).join("\n\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

function blocks(tokens: Token[], width: number): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const text = block(token, width);
    if (text !== undefined) out.push(text);
  }
  return out;
}

function block(token: Token, width: number): string | undefined {
  switch (token.type) {
    case "space":
    case "def":
      return undefined;
    case "heading":
      return heading(token as Tokens.Heading, width);
    case "paragraph":
      return wrap(inline((token as Tokens.Paragraph).tokens), width);
    case "text": {
      const t = token as Tokens.Text;
      return wrap(t.tokens ? inline(t.tokens) : decode(t.text), width);
    }
    case "code":
      return code_block(token as Tokens.Code);
    case "list":
      return list(token as Tokens.List, width);
    case "table":
      return table(token as Tokens.Table, width);
    case "blockquote": {
      const inner = blocks((token as Tokens.Blockquote).tokens, width - 2).join("\n\n");
      return inner
        .split("\n")
        .map((line) => `${c.gray("│")} ${line}`)
        .join("\n");
    }
    case "hr":
      return c.gray("─".repeat(Math.min(width, 40)));
    case "html":
      return decode((token as Tokens.HTML).text.replace(/<[^>]+>/g, "")).trim() || undefined;
    default:
      return "raw" in token ? String(token.raw).trimEnd() : undefined;
  }
}

function heading(token: Tokens.Heading, width: number): string {
  const text = wrap(inline(token.tokens), width);
  const last = text.split("\n").at(-1) ?? text;
  if (token.depth === 1) return `${c.bold(c.cyan(text))}\n${c.cyan("═".repeat(Math.min(width, visible_width(last))))}`;
  if (token.depth === 2) return `${c.bold(c.cyan(text))}\n${c.cyan("─".repeat(Math.min(width, visible_width(last))))}`;
  return c.bold(c.enabled ? text : `▸ ${text}`);
}

function code_block(token: Tokens.Code): string {
  return token.text
    .split("\n")
    .map((line) => `    ${c.yellow(line)}`)
    .join("\n");
}

function list(token: Tokens.List, width: number): string {
  const start = typeof token.start === "number" ? token.start : 1;
  const marker_width = token.ordered ? `${start + token.items.length - 1}.`.length + 1 : 2;
  const items = token.items.map((item, i) => {
    const marker = token.ordered ? `${start + i}.` : "•";
    const task = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
    const inner_width = width - marker_width - 2;
    const body = blocks(
      item.tokens.filter((t) => t.type !== "checkbox"),
      inner_width,
    ).join(item.loose ? "\n\n" : "\n");
    const pad = " ".repeat(marker_width + 2);
    const lines = `${task}${body}`.split("\n");
    return lines.map((line, n) => (n === 0 ? `  ${pad_end(marker, marker_width)}${line}` : line ? pad + line : line)).join("\n");
  });
  return items.join(token.loose ? "\n\n" : "\n");
}

function table(token: Tokens.Table, width: number): string {
  const header = token.header.map((cell) => inline(cell.tokens));
  const rows = token.rows.map((row) => row.map((cell) => inline(cell.tokens)));
  const columns = header.length;
  const gap = 2;
  const natural = Array.from({ length: columns }, (_, i) =>
    Math.max(visible_width(header[i] ?? ""), ...rows.map((r) => visible_width(r[i] ?? ""))),
  );
  const widths = fit_columns(natural, width - 2 - gap * (columns - 1));
  const render_row = (cells: string[], paint: (s: string) => string): string[] => {
    const wrapped = cells.map((cell, i) => wrap(cell, widths[i]!).split("\n"));
    const height = Math.max(...wrapped.map((w) => w.length));
    const lines: string[] = [];
    for (let l = 0; l < height; l++) {
      const parts = wrapped.map((w, i) => pad_end(paint(w[l] ?? ""), widths[i]!));
      lines.push(`  ${parts.join(" ".repeat(gap))}`.trimEnd());
    }
    return lines;
  };
  const rule = `  ${widths.map((w) => "─".repeat(w)).join(" ".repeat(gap))}`;
  return [...render_row(header, c.bold), c.gray(rule), ...rows.flatMap((r) => render_row(r, (s) => s))].join("\n");
}

/** Shrinks the widest columns first until the table fits. */
function fit_columns(natural: number[], room: number): number[] {
  const widths = [...natural];
  while (widths.reduce((a, b) => a + b, 0) > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 8) break;
    widths[widest]!--;
  }
  return widths;
}

function inline(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  return tokens.map(inline_token).join("");
}

function inline_token(token: Token): string {
  switch (token.type) {
    case "text": {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : decode(t.text).replace(/\n/g, " ");
    }
    case "escape":
      return decode((token as Tokens.Escape).text);
    case "strong":
      return c.bold(inline((token as Tokens.Strong).tokens));
    case "em":
      return c.italic(inline((token as Tokens.Em).tokens));
    case "del":
      return c.strikethrough(inline((token as Tokens.Del).tokens));
    case "codespan": {
      const text = decode((token as Tokens.Codespan).text);
      return c.enabled ? c.yellow(text) : `\`${text}\``;
    }
    case "br":
      return "\n";
    case "link": {
      const link = token as Tokens.Link;
      const text = inline(link.tokens);
      if (text === link.href || `mailto:${text}` === link.href) return c.underline(text);
      return `${c.underline(text)} ${c.gray(`(${link.href})`)}`;
    }
    case "image": {
      const image = token as Tokens.Image;
      return `[${image.text}] ${c.gray(`(${image.href})`)}`;
    }
    case "html":
      return "";
    default:
      return "raw" in token ? String(token.raw) : "";
  }
}
