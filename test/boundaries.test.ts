// The boundaries of docs/architecture.md, held. Every import of every source
// file is read with the TypeScript parser (static, dynamic, re-exports and
// `import("…")` types) and checked against one table, test/boundaries.json:
// what each folder may import, which npm packages only some may, who may end
// the process, what may sit at the root. Pure: reads files, loads none.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface ModuleRule {
  may_import: string[];
  may_import_types?: string[];
  may_import_files?: Record<string, string[]>;
}
interface Known {
  file: string;
  imports: string;
  owner: string;
  todo: string;
}
interface Rules {
  modules: Record<string, ModuleRule | string>;
  packages: Record<string, string[] | string>;
  process_exit: { allowed: string[] };
  light_entries: { entries: string[]; never_loads: string[]; never_loads_packages: string[]; loads_also?: Record<string, string[]> };
  engine: { talks_to_docker_without_importing_it: Record<string, string> };
  root: { allowed: string[] };
  known: Known[];
}

const rules = JSON.parse(fs.readFileSync(path.join(root, "test", "boundaries.json"), "utf8")) as Rules;
const modules = Object.entries(rules.modules).filter((entry): entry is [string, ModuleRule] => !entry[0].startsWith("$"));
const packages = Object.entries(rules.packages).filter((entry): entry is [string, string[]] => !entry[0].startsWith("$"));

/** A path is inside an entry of the table when it is that file or under that folder. */
const inside = (file: string, entry: string): boolean => entry === "*" || file === entry || file.startsWith(`${entry}/`);

/** The module a file belongs to: the longest entry of the table that holds it. */
function module_of(file: string): string | undefined {
  return modules
    .map(([name]) => name)
    .filter((name) => inside(file, name))
    .sort((a, b) => b.length - a.length)[0];
}

const SOURCE = /\.(ts|mts|js|mjs)$/;

/** The project's own source files, "/"-separated, relative to the root. */
function project_files(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const file = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        // Content, not code of the project: the course's starters and
        // solutions (apps in many languages), the tests' fixtures and wrong answers.
        if (["node_modules", "dist", "fixtures", "wrong-answers", "starter", "solutions", "templates", "workspace", ".git"].includes(entry.name)) continue;
        walk(file);
      } else if (SOURCE.test(entry.name)) out.push(file);
    }
  };
  for (const dir of ["grader", "cli", "test", "scripts", "bin", "exercises"]) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return out.sort();
}

const is_project_test = (file: string): boolean => /\.test\.ts$/.test(file) && !file.startsWith("exercises/");

interface Import {
  file: string;
  line: number;
  specifier: string;
  type_only: boolean;
  /** import(): loaded when the code runs, not when the file loads. */
  dynamic?: boolean;
}

const parsed = new Map<string, ts.SourceFile>();

function parse(file: string): ts.SourceFile {
  const cached = parsed.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const kind = /\.m?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  parsed.set(file, source);
  return source;
}

/** Every import of a file: declarations, re-exports, import(), import("…") types, import = require(). */
function imports_of(file: string, source: ts.SourceFile): Import[] {
  const out: Import[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined, type_only: boolean, dynamic = false): void => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    out.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier: specifier.text, type_only, dynamic });
  };
  const visit = (node: ts.Node): void => {
    // Under verbatimModuleSyntax only `import type` is erased: `import { type X }` still loads the module.
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], false, true);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Where a relative specifier leads, as a project path (the .js of ESM imports read as the .ts it compiles from). */
function resolve(from: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), `${target}.ts`, `${target}/index.ts`];
  return candidates.find((c) => fs.existsSync(path.join(root, c)) && fs.statSync(path.join(root, c)).isFile()) ?? target.replace(/\.js$/, ".ts");
}

const package_of = (specifier: string): string =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;

interface Violation {
  file: string;
  line: number;
  imports: string;
  why: string;
}

function import_violations(): Violation[] {
  const found: Violation[] = [];
  for (const file of project_files()) {
    if (is_project_test(file)) continue;
    const from = module_of(file);
    const source = parse(file);
    for (const imp of imports_of(file, source)) {
      if (imp.specifier.startsWith("node:")) continue;
      if (!imp.specifier.startsWith(".")) {
        const name = package_of(imp.specifier);
        const allowed = packages.find(([pkg]) => pkg === name)?.[1];
        if (allowed && !allowed.some((entry) => inside(file, entry))) {
          found.push({ file, line: imp.line, imports: name, why: `only ${allowed.join(", ")} may import ${name}` });
        }
        continue;
      }
      const target = resolve(file, imp.specifier);
      if (!from) {
        found.push({ file, line: imp.line, imports: target, why: "the file is in no module of test/boundaries.json" });
        continue;
      }
      const to = module_of(target);
      if (to === from) continue;
      const rule = rules.modules[from] as ModuleRule;
      const may = [...rule.may_import, ...(rule.may_import_files?.[file] ?? []), ...(imp.type_only ? (rule.may_import_types ?? []) : [])];
      if (may.some((entry) => inside(target, entry))) continue;
      const types_only = (rule.may_import_types ?? []).some((entry) => inside(target, entry));
      found.push({
        file,
        line: imp.line,
        imports: target,
        why: types_only ? `${from} may import ${target} for its types only (import type)` : `${from} may not import ${to ?? target}`,
      });
    }
  }
  return found;
}

const shown = (v: Violation): string => `${v.file}:${v.line}: imports ${v.imports}: ${v.why}`;
/** A known crossing names the file and what it imports: a file, a folder (a module) or a package. */
const is_known = (v: Violation): Known | undefined => rules.known.find((k) => k.file === v.file && inside(v.imports, k.imports));

describe("boundaries (docs/architecture.md, test/boundaries.json)", () => {
  const violations = import_violations();

  test("the scanner sees every kind of import, and which are types only", () => {
    const text = [
      'import a from "./a.js";',
      'import type { B } from "./b.js";',
      'import { type C } from "./c.js";',
      'export { d } from "./d.js";',
      'export type { E } from "./e.js";',
      'const f = await import("./f.js");',
      'let g: import("./g.js").G;',
      'import "./h.js";',
    ].join("\n");
    const source = ts.createSourceFile("cli/x.ts", text, ts.ScriptTarget.Latest, true);
    expect(imports_of("cli/x.ts", source).map((i) => `${i.line} ${i.specifier}${i.type_only ? " (type)" : ""}`)).toEqual([
      "1 ./a.js", "2 ./b.js (type)", "3 ./c.js", "4 ./d.js", "5 ./e.js (type)", "6 ./f.js", "7 ./g.js (type)", "8 ./h.js",
    ]);
    expect(module_of("cli/commands/check/index.ts")).toBe("cli");
    expect(module_of("grader/engine/build.ts")).toBe("grader/engine");
    expect(module_of("grader/index.ts")).toBe("grader/index.ts");
    expect(resolve("cli/commands/clean/index.ts", "../../../grader/index.js")).toBe("grader/index.ts");
  });

  test("every import crosses only a boundary the table allows", () => {
    expect(violations.filter((v) => !is_known(v)).map(shown)).toEqual([]);
  });

  test("each known crossing still occurs (once fixed, it leaves the table's known list)", () => {
    const fixed = rules.known.filter((k) => k.imports !== "(no Docker)" && !violations.some((v) => v.file === k.file && inside(v.imports, k.imports)));
    expect(fixed.map((k) => `${k.file} no longer imports ${k.imports} (${k.owner}): remove it from "known"`)).toEqual([]);
  });

  test("the table lists only imports that exist: each module's may_import entries are each used by one of its files", () => {
    const used = new Set<string>();
    for (const file of project_files()) {
      if (is_project_test(file)) continue;
      const from = module_of(file);
      if (!from) continue;
      for (const imp of imports_of(file, parse(file))) {
        if (!imp.specifier.startsWith(".")) continue;
        const target = resolve(file, imp.specifier);
        const rule = rules.modules[from] as ModuleRule;
        const entries = [...rule.may_import, ...(rule.may_import_types ?? []), ...Object.values(rule.may_import_files ?? {}).flat()];
        for (const entry of entries) if (module_of(target) !== from && inside(target, entry)) used.add(`${from} -> ${entry}`);
      }
    }
    const unused: string[] = [];
    // scripts/ and bin/ load the compiled grader (dist/), which this scan does not follow.
    for (const [name, rule] of modules.filter(([name]) => !["scripts", "bin"].includes(name))) {
      for (const entry of [...rule.may_import, ...(rule.may_import_types ?? [])]) {
        if (entry !== "*" && !used.has(`${name} -> ${entry}`)) unused.push(`${name} -> ${entry}`);
      }
    }
    expect(unused).toEqual([]);
  });

  test("docs/architecture.md's table says what the table of test/boundaries.json says, folder by folder of grader/", () => {
    const page = fs.readFileSync(path.join(root, "docs", "architecture.md"), "utf8");
    const full = (name: string): string => `grader/${name.replace(/`/g, "").replace(/\/$/, "")}`;
    const differences: string[] = [];
    const documented = new Set<string>();
    for (const [, folder, cell] of page.matchAll(/^\| `(grader\/[^`]*)` \|.*\| ([^|]*) \|$/gm)) {
      const name = folder!.replace(/\/$/, "");
      documented.add(name);
      const [values = "", types = ""] = cell!.split("; types only: ");
      const list = (text: string): string[] => (text.trim() === "nothing" || text.trim() === "" ? [] : text.split(",").map((e) => full(e.trim())));
      const rule = rules.modules[name] as ModuleRule | undefined;
      if (!rule) differences.push(`${name}: not in the table`);
      else {
        if (list(values).sort().join() !== [...rule.may_import].sort().join()) differences.push(`${name}: page says ${list(values).join(", ")}; table says ${rule.may_import.join(", ")}`);
        if (list(types).sort().join() !== [...(rule.may_import_types ?? [])].sort().join()) differences.push(`${name}: types only differ`);
      }
    }
    for (const [name] of modules) if (name.startsWith("grader/") && !documented.has(name)) differences.push(`${name}: not on the page`);
    expect(differences).toEqual([]);
  });

  test("a spec's worker loads no cohort, no SQLite and no report: what the spec entry and the worker's setup load, import by import", () => {
    const found: string[] = [];
    const seen = new Set<string>();
    const queue: { file: string; via: string[] }[] = ["grader/spec.ts", "grader/runner/warm-start.ts"].map((file) => ({ file, via: [] }));
    while (queue.length > 0) {
      const { file, via } = queue.shift()!;
      if (seen.has(file) || !fs.existsSync(path.join(root, file))) continue;
      seen.add(file);
      const chain = [...via, file];
      for (const imp of imports_of(file, parse(file))) {
        if (imp.type_only || imp.specifier.startsWith("node:")) continue;
        if (!imp.specifier.startsWith(".")) {
          if (["better-sqlite3", "csv-parse", "fast-xml-parser"].includes(package_of(imp.specifier))) found.push(`${chain.join(" -> ")} -> ${package_of(imp.specifier)}`);
          continue;
        }
        const target = resolve(file, imp.specifier);
        if (["grader/cohort", "grader/report", "grader/index.ts"].some((heavy) => inside(target, heavy))) found.push(`${chain.join(" -> ")} -> ${target}`);
        else queue.push({ file: target, via: chain });
      }
    }
    expect(found).toEqual([]);
    // The walk reached what a spec uses: the matchers and the handle.
    expect([...seen]).toEqual(expect.arrayContaining(["grader/checks/matchers.ts", "grader/spec/use-exercise.ts"]));
  });

  test("every source file is in a module of the table (a new folder of grader/ is added to it)", () => {
    expect(project_files().filter((file) => !module_of(file))).toEqual([]);
  });

  test("grader/engine holds only what talks to Docker (imports dockerode or testcontainers, runs the docker CLI, or uses another engine file)", () => {
    const engine = project_files().filter((file) => file.startsWith("grader/engine/") && !is_project_test(file));
    const talks = (file: string): boolean => {
      const source = parse(file);
      if (/\b(spawn|execFile)(Sync)?\(\s*["']docker["']/.test(source.getFullText())) return true;
      return imports_of(file, source).some(
        (imp) =>
          ["dockerode", "testcontainers"].includes(package_of(imp.specifier)) ||
          (imp.specifier.startsWith(".") && !imp.type_only && resolve(file, imp.specifier).startsWith("grader/engine/")),
      );
    };
    const exempt = Object.keys(rules.engine.talks_to_docker_without_importing_it).filter((k) => !k.startsWith("$"));
    const pure = engine.filter((file) => !talks(file) && !exempt.includes(file));
    expect(pure.filter((file) => !rules.known.some((k) => k.file === file && k.imports === "(no Docker)"))).toEqual([]);
    const moved = rules.known.filter((k) => k.imports === "(no Docker)" && !pure.includes(k.file));
    expect(moved.map((k) => `${k.file} is no longer a pure file of grader/engine/ (${k.owner}): remove it from "known"`)).toEqual([]);
  });

  test("the light entries, and the commands that grade nothing, load no engine, runner or heavy package", () => {
    const { entries, never_loads, never_loads_packages, loads_also = {} } = rules.light_entries;
    const found: string[] = [];
    for (const entry of entries) {
      const allowed = loads_also[entry] ?? [];
      // What loading the entry loads: its static value imports, followed (types
      // are erased; an import() loads when it runs, as cli.ts loads each command).
      const seen = new Set<string>();
      const queue: { file: string; via: string[] }[] = [{ file: entry, via: [] }];
      while (queue.length > 0) {
        const { file, via } = queue.shift()!;
        if (seen.has(file) || !fs.existsSync(path.join(root, file))) continue;
        seen.add(file);
        const chain = [...via, file];
        for (const imp of imports_of(file, parse(file))) {
          if (imp.type_only || imp.dynamic || imp.specifier.startsWith("node:")) continue;
          if (!imp.specifier.startsWith(".")) {
            if (never_loads_packages.includes(package_of(imp.specifier))) found.push(`${chain.join(" -> ")} -> ${package_of(imp.specifier)}`);
            continue;
          }
          const target = resolve(file, imp.specifier);
          if (never_loads.some((heavy) => inside(target, heavy)) && !allowed.some((ok) => inside(target, ok))) found.push(`${chain.join(" -> ")} -> ${target}`);
          else queue.push({ file: target, via: chain });
        }
      }
    }
    expect(found).toEqual([]);
  });

  test("a command imports no other command's files: what two commands share lives in cli/ui/ or cli/state/", () => {
    const command_of = (file: string): string | undefined => /^cli\/commands\/([^/]+)\//.exec(file)?.[1];
    const found: string[] = [];
    for (const file of project_files()) {
      const own = command_of(file);
      if (!own || is_project_test(file)) continue;
      for (const imp of imports_of(file, parse(file))) {
        if (!imp.specifier.startsWith(".")) continue;
        const other = command_of(resolve(file, imp.specifier));
        if (other && other !== own) found.push(`${file}:${imp.line}: imports ${resolve(file, imp.specifier)}`);
      }
    }
    expect(found).toEqual([]);
  });

  test("only the CLI's entry ends the process (process.exit, process.exitCode)", () => {
    const found: string[] = [];
    for (const file of project_files()) {
      if (file.startsWith("test/") || is_project_test(file) || rules.process_exit.allowed.some((entry) => inside(file, entry))) continue;
      const source = parse(file);
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "process") {
          const parent = node.parent;
          const ends =
            (node.name.text === "exit" && ts.isCallExpression(parent) && parent.expression === node) ||
            (node.name.text === "exitCode" && ts.isBinaryExpression(parent) && parent.left === node);
          if (ends) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: process.${node.name.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  test("no stray files at the root", () => {
    let names: string[];
    try {
      names = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean).map((f) => f.split("/")[0]!);
    } catch {
      // Not a git checkout (a tarball): what is there, less what git would ignore.
      names = fs.readdirSync(root).filter((n) => !["node_modules", "dist", "workspace", ".dockerlings", ".vitest-results.json"].includes(n) && !n.endsWith(".tmp"));
    }
    expect([...new Set(names)].filter((n) => !rules.root.allowed.includes(n)).sort()).toEqual([]);
  });
});
