// The docs stay true to the project: every TypeScript block of docs/ and the
// README type-checks against the code it shows (a spec against the spec
// entry, grader/spec.ts), every link and every project path they cite exists,
// and nothing cites the design document the project started from, which it
// does not have (what the code relies on from it is docs/contracts.md).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";

/** The pages held: README.md and every page under docs/. */
const pages = [
  "README.md",
  ...fs
    .readdirSync(path.join(project_root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => path.join("docs", file).split(path.sep).join("/"))
    .sort(),
];
const read = (page: string) => fs.readFileSync(path.join(project_root, page), "utf8");

interface Block {
  page: string;
  /** The page's line of the block's first line of code. */
  line: number;
  code: string;
}

/** The ```ts and ```typescript blocks of a page. */
function ts_blocks(page: string): Block[] {
  const blocks: Block[] = [];
  const lines = read(page).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})\s*(\S*)/.exec(lines[i]!);
    if (!fence) continue;
    const [, indent, marks, lang] = fence;
    // CommonMark: the block ends at a fence of the same character, at least as long, with nothing after it.
    const end = lines.findIndex((l, j) => j > i && new RegExp(`^\\s*\\${marks![0]}{${marks!.length},}\\s*$`).test(l));
    const close = end === -1 ? lines.length : end;
    if (lang === "ts" || lang === "typescript")
      blocks.push({ page, line: i + 2, code: lines.slice(i + 1, close).map((l) => l.slice(indent!.length)).join("\n") });
    i = close;
  }
  return blocks;
}

/** The spec entry's exports, as a spec would import them (types with `type`). */
function spec_entry_imports(): string {
  const file = path.join(project_root, "grader", "spec.ts");
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements)
      names.push(`${statement.isTypeOnly || element.isTypeOnly ? "type " : ""}${element.name.text}`);
  }
  return `import { ${names.join(", ")} } from "../../grader/spec.js";`;
}

/**
 * A block as a module. A complete example (it has its imports) is taken as
 * it is; a fragment (no import: a few checks, as a spec's test would write
 * them) gets what every spec has: vitest, the spec entry, and `ex`. Each is
 * read as a file two folders down in the project (grader/<folder>/ or
 * exercises/<id>/ alike), so that both a spec's `../../grader/spec.js` and a
 * grader module's `../messages/index.js` reach the real files; a pack's
 * `dockerlings/…` reaches the project's root, as `dev new`'s link does.
 */
function as_module(block: Block): { text: string; preamble_lines: number } {
  if (/^\s*import\s/m.test(block.code)) return { text: block.code, preamble_lines: 0 };
  const preamble = [
    `import { describe, test, expect } from "vitest";`,
    spec_entry_imports(),
    ...(/\b(const|let)\s+ex\b/.test(block.code) ? [] : ["const ex = use_exercise(import.meta.url);"]),
  ];
  return { text: `${preamble.join("\n")}\n${block.code}\nexport {};\n`, preamble_lines: preamble.length };
}

/** Type-checks the blocks with the project's own compiler options; one line per error, `page:line: message`. */
function type_errors(blocks: Block[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(project_root, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  })!;
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, baseUrl: project_root, paths: { "dockerlings/*": ["./*"] } };
  const virtual = new Map<string, { block: Block; text: string; preamble_lines: number }>();
  blocks.forEach((block, i) => {
    const name = `${block.page.replace(/[^\w]+/g, "-")}-${block.line}-${i}.ts`;
    virtual.set(path.join(project_root, "grader", "__docs__", name), { block, ...as_module(block) });
  });
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(path.resolve(file))?.text ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const own = virtual.get(path.resolve(file));
    return own ? ts.createSourceFile(file, own.text, language, true) : getSourceFile.call(host, file, language, ...rest);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const errors: string[] = [];
  for (const [file, { block, preamble_lines }] of virtual) {
    const source = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line - preamble_lines;
      const where = line < 0 ? `${block.page}:${block.line} (the preamble of the block)` : `${block.page}:${block.line + line}`;
      errors.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  }
  return errors;
}

/**
 * The one-line examples of the check tables, `await expect(ex)…` in a code
 * span, each a fragment of its own (a `\\|` in a table's cell is a `|`). A
 * signature (`{ port, path?, … }`, `toX(...)`) is prose, not an example.
 */
function inline_checks(page: string): Block[] {
  return read(page)
    .split("\n")
    .flatMap((text, i) =>
      [...text.matchAll(/`(await expect\b[^`]*)`/g)]
        .map((m) => m[1]!.replaceAll("\\|", "|"))
        .filter((code) => !/\.\.\.|…|\w\?[\s,)}]/.test(code))
        .map((code) => ({ page, line: i + 1, code })),
    );
}

describe("every TypeScript block of the docs type-checks", () => {
  const blocks = [...pages.flatMap(ts_blocks), ...pages.flatMap(inline_checks)];

  test("the docs have blocks to check, the example specs among them", () => {
    expect(blocks.length).toBeGreaterThan(4);
    expect(blocks.filter((b) => b.code.includes("use_exercise(import.meta.url)")).length).toBeGreaterThan(1);
  });

  test("against the spec entry and the modules they import", () => {
    expect(type_errors(blocks)).toEqual([]);
  });

  test("a wrong block is caught, with its page and line", () => {
    const wrong: Block[] = [
      { page: "docs/x.md", line: 10, code: "await expect(ex).toRunAsNonRoot();" },
      { page: "docs/x.md", line: 20, code: "await expect(ex).toServeHttp({ port: 8000, status: 200 }, {\n  start: { ports: [8000] },\n});" },
      { page: "docs/x.md", line: 30, code: 'import { use_exercise } from "../../grader/spec.js";\nconst ex = use_exercise(import.meta.url);\nex.server({ port: 8000 });' },
    ];
    const errors = type_errors(wrong);
    expect(errors).toEqual([
      expect.stringMatching(/^docs\/x\.md:10: .*toRunAsNonRoot/),
      expect.stringMatching(/^docs\/x\.md:21: .*start/),
      expect.stringMatching(/^docs\/x\.md:32: .*'port'/),
    ]);
  });
});

/** A page's text with its fenced blocks blanked (lines kept): examples show other folders (a pack, a student's). */
const prose = (text: string) => text.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, (block) => block.replace(/[^\n]/g, ""));

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
const anchors = (file: string) =>
  new Set([...prose(fs.readFileSync(file, "utf8")).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));

/** The folders and files of the project's root a path in the docs starts with. */
const ROOTS = ["grader", "cli", "test", "scripts", "docs", "exercises", "solutions", "templates", "bin", ".ci", ".devcontainer"];

/**
 * Every place of a page that cites the project's files: its relative links,
 * and the paths from the root it names (in a code span or not; a `../` path
 * in prose is read from a folder the page names, not checked).
 */
function citations(text: string): { line: number; target: string; link: boolean }[] {
  const found: { line: number; target: string; link: boolean }[] = [];
  const path_like = new RegExp(`(?<![\\w./<-])((?:${ROOTS.map((r) => r.replace(".", "\\.")).join("|")})/[^\\s\`)\\]|,;:'"»]*)`, "g");
  prose(text)
    .split("\n")
    .forEach((text, i) => {
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g))
        if (!/^(https?:|mailto:)/.test(target!)) found.push({ line: i + 1, target: target!, link: true });
      const without_links = text.replace(/\]\([^)\s]+\)/g, "]");
      for (const [, target] of without_links.matchAll(path_like)) {
        const cited = target!.replace(/[.]+$/, "");
        // A pattern or a placeholder (`exercises/<id>/`, `grader/**`, `exercises/NN-…`) names no one file.
        if (!/[<>*…{}$]|NN/.test(cited)) found.push({ line: i + 1, target: cited, link: false });
      }
    });
  return found;
}

describe("the docs cite only what the project has", () => {
  test("every relative link reaches a file, and a heading when it names one; every project path cited exists", () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const { line, target, link } of citations(read(page))) {
        const [file, hash] = target.split("#");
        const resolved = file ? path.resolve(project_root, path.dirname(page), file) : path.join(project_root, page);
        // A path in prose is read from the root (`grader/x.ts`) or, as a link is, from the page.
        const exists = fs.existsSync(resolved) || (!link && fs.existsSync(path.join(project_root, file!)));
        if (!exists) broken.push(`${page}:${line}: ${target}: no such file`);
        else if (link && hash && !anchors(resolved).has(hash)) broken.push(`${page}:${line}: ${target}: no such heading in ${file || page}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("a wrong citation is caught", () => {
    const text = "See [the map](architecture.md#no-such-heading), `grader/checks/basic.ts`\nand scripts/gone.sh; not `exercises/<id>/spec.test.ts` nor ../../grader/spec.js.";
    expect(citations(text)).toEqual([
      { line: 1, target: "architecture.md#no-such-heading", link: true },
      { line: 1, target: "grader/checks/basic.ts", link: false },
      { line: 2, target: "scripts/gone.sh", link: false },
    ]);
  });

  test("nothing in the repository cites the design document the project started from (what the code relies on is docs/contracts.md)", () => {
    const name = ["ARCHITECTURE", "md"].join(".");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: project_root, encoding: "utf8" })
      .split("\n")
      .filter((f) => f && !/(^|\/)(node_modules|dist)\//.test(f) && fs.existsSync(path.join(project_root, f)));
    expect(files.length).toBeGreaterThan(100);
    const citing = files.filter((f) => fs.readFileSync(path.join(project_root, f)).includes(name));
    expect(citing, `these cite ${name}, which the project does not have: cite docs/contracts.md or docs/architecture.md`).toEqual([]);
  });
});
