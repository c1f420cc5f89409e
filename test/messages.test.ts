// The one message catalogue is complete. Every define_messages call of cli/
// and grader/ is read from the source (the TypeScript parser, nothing loaded,
// so one module that does not load yet cannot hide the others): each message
// has a non-empty text in every language, both plain texts or both functions
// of the same parameters. And every command, option and argument of
// `dockerlings --help` has its entry in cli/i18n/help.ts. A missing
// translation fails here rather than showing the student another language.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { catalogue_problems, LANGS, type Entry } from "../grader/messages/index.js";
import { report_words } from "../grader/report/summary.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => !file.includes("/fixtures/"));
}

const name_of = (node: ts.PropertyName): string | undefined =>
  ts.isIdentifier(node) || ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) ? node.text : undefined;

/** The parameters a message's function reads: p.x accesses, or the names of a destructuring. */
function parameters_read(fn: ts.ArrowFunction | ts.FunctionExpression): string[] {
  const param = fn.parameters[0];
  if (!param) return [];
  if (ts.isObjectBindingPattern(param.name)) return param.name.elements.map((e) => e.name.getText()).sort();
  const own = param.name.getText();
  const read = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === own) read.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return [...read].sort();
}

interface Found {
  file: string;
  messages: number;
  problems: string[];
}

/** Every define_messages call of a file, and what is wrong with its entries. */
function read_messages(file: string): Found {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Found = { file, messages: 0, problems: [] };
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "define_messages") {
      const table = node.arguments[0];
      if (!table || !ts.isObjectLiteralExpression(table)) {
        found.problems.push(`${at(node)}: define_messages takes its messages as an object literal, so that they can be checked here`);
        return;
      }
      for (const property of table.properties) {
        const key = property.name ? name_of(property.name) : undefined;
        if (!ts.isPropertyAssignment(property) || key === undefined || !ts.isObjectLiteralExpression(property.initializer)) {
          found.problems.push(`${at(property)}: each message is written out as { fr: …, en: … }`);
          continue;
        }
        found.messages++;
        const texts = new Map<string, ts.Expression>();
        for (const translation of property.initializer.properties) {
          const lang = translation.name ? name_of(translation.name) : undefined;
          if (ts.isPropertyAssignment(translation) && lang) texts.set(lang, translation.initializer);
          else found.problems.push(`${at(translation)}: ${key}: each language is written out as fr: …`);
        }
        const kinds = new Map<string, string>();
        for (const lang of LANGS) {
          const value = texts.get(lang);
          if (!value) {
            found.problems.push(`${at(property)}: ${key}: no ${lang} text`);
            continue;
          }
          if (ts.isStringLiteralLike(value)) {
            if (value.text.trim() === "") found.problems.push(`${at(value)}: ${key}: empty ${lang} text`);
            kinds.set(lang, "text");
          } else if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
            kinds.set(lang, `function of (${parameters_read(value).join(", ")})`);
          }
        }
        for (const lang of texts.keys()) if (!(LANGS as readonly string[]).includes(lang)) found.problems.push(`${at(property)}: ${key}: ${lang} is not a language of the catalogue`);
        if (new Set(kinds.values()).size > 1) {
          found.problems.push(`${at(property)}: ${key}: the languages differ: ${[...kinds].map(([l, k]) => `${l} is a ${k}`).join(", ")}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the message catalogue", () => {
  const files = [...sources("cli"), ...sources("grader")].filter((file) => file !== "grader/messages/index.ts");
  const declaring = files.filter((file) => /\bdefine_messages\(/.test(fs.readFileSync(path.join(root, file), "utf8"))).map(read_messages);

  test("every message of cli/ and grader/, in every language, with the same parameters", () => {
    // The CLI's commands, its UI and state, the reports, the interrupt message...
    expect(declaring.length).toBeGreaterThan(15);
    expect(declaring.filter((f) => f.messages === 0).map((f) => f.file)).toEqual([]);
    expect(declaring.flatMap((f) => f.problems)).toEqual([]);
  });

  test("no other table of words in two languages beside the catalogue", () => {
    // The shape of the old tables ({ fr: { …words } , en: { … } } or { fr: "…", en: "…" }
    // outside define_messages) is how a second message system starts again.
    const outside: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const inside = (node: ts.Node): boolean => {
        for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
          if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "define_messages") return true;
        }
        return false;
      };
      const visit = (node: ts.Node): void => {
        if (ts.isObjectLiteralExpression(node) && !inside(node)) {
          const names = node.properties.map((p) => (p.name ? name_of(p.name) : undefined));
          if (names.includes("fr") && names.includes("en")) {
            outside.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(outside).toEqual(KNOWN_TABLES);
  });

  test("the reports' words, in every language", () => {
    expect(catalogue_problems(report_words.entries as Record<string, Entry>)).toEqual([]);
    for (const lang of LANGS) expect(Object.keys(report_words.table(lang)).sort()).toEqual(Object.keys(report_words.entries).sort());
  });

  test("every command, option and argument of --help has its entry in cli/i18n/help.ts", async () => {
    const { program } = await import("../cli/cli.js");
    const { missing_help } = await import("../cli/i18n/help.js");
    expect(missing_help(program)).toEqual([]);
  });
});

/**
 * Tables in two languages still outside the catalogue, each with its owner:
 * the course's part titles, which belong in course.yaml (H5) rather than here.
 */
const KNOWN_TABLES: string[] = [];
