// Every message the course can print, read as a French-speaking beginner reads
// it: the catalogue (define_messages, fr), the grader's and the CLI's French
// strings, the specs' advice and their patterns, and the sentence shapes of the
// checks that name a subject. It fails on a raw pattern (a student does not
// read /Ran [1-9]\d* tests?/), a sentence repeated within one message, and an
// agreement the glossary's genders forbid. Pure: the TypeScript parser, no
// engine. test/wrong-answers.docker.test.ts holds the same rules on the
// messages of every graded wrong answer, once per verdict.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { run_failure_text } from "../grader/checks/run.js";
import { project_root } from "./helpers/cli.js";
import { message_problems } from "./helpers/message-rules.js";

function sources(dir: string, keep: (file: string) => boolean): string[] {
  return (fs.readdirSync(path.join(project_root, dir), { recursive: true }) as string[])
    .map((f) => path.join(dir, f).split(path.sep).join("/"))
    .filter((f) => keep(f) && fs.statSync(path.join(project_root, f)).isFile());
}
const is_source = (f: string): boolean => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("/fixtures/");
const specs = sources("exercises", (f) => f.endsWith("/spec.test.ts"));
const code = [...sources("grader", is_source), ...sources("cli", is_source)];

interface Text {
  where: string;
  text: string;
}

const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, fs.readFileSync(path.join(project_root, file), "utf8"), ts.ScriptTarget.Latest, true);
const at = (source: ts.SourceFile, node: ts.Node): string => `${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

/** A string or template literal as the reader sees it: each ${…} becomes « … ». */
function literal_text(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `…${s.literal.text}`).join("");
  return undefined;
}

/** French texts of a file: every string or template literal outside comments and imports that reads as French. */
function french_texts(file: string): Text[] {
  const source = parse(file);
  const out: Text[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    const text = literal_text(node);
    if (text !== undefined && (ts.isTemplateExpression(node) || !ts.isTemplateSpan(node.parent))) {
      if (/[éèàùçêôûœ]|\b(vous|votre|les|une|dans|est|pas)\b| : /i.test(text)) out.push({ where: at(source, node), text });
      if (ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The French side of every define_messages entry. */
function catalogue_texts(file: string): Text[] {
  const source = parse(file);
  const out: Text[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && node.name.getText() === "fr") {
      const collect = (n: ts.Node): void => {
        const text = literal_text(n);
        if (text !== undefined) out.push({ where: at(source, n), text });
        else ts.forEachChild(n, collect);
      };
      collect(node.initializer);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/**
 * Where a spec may write a bare RegExp: places a student never reads (when to
 * add an explanation, a log line to wait for, the RUN a check looks for, a
 * program recognised with its `shown` words) and `matches` beside `shown`.
 */
const HIDDEN_PROPERTIES = new Set(["when", "log", "run", "program"]);

function shown_beside(object: ts.Node | undefined): boolean {
  return (
    object !== undefined &&
    ts.isObjectLiteralExpression(object) &&
    object.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === "shown" && literal_text(p.initializer)?.trim())
  );
}

/** The place a pattern ends up: a property (its name, its object), or nowhere checkable. */
function pattern_place(node: ts.Node): { property?: string; object?: ts.Node } {
  let n: ts.Node = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  if (ts.isPropertyAssignment(n.parent)) return { property: n.parent.name.getText(), object: n.parent.parent };
  if (ts.isShorthandPropertyAssignment(n.parent)) return { property: n.parent.name.getText(), object: n.parent.parent };
  return {};
}

/** A RegExp the spec's own code uses (text.replace(/…/, …), /…/.test(x)): never shown. */
const CODE_METHODS = new Set(["replace", "replaceAll", "test", "exec", "match", "matchAll", "split", "search"]);
function used_as_code(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) return CODE_METHODS.has(node.parent.name.text);
  const call = node.parent;
  return ts.isCallExpression(call) && call.arguments.includes(node as ts.Expression) && ts.isPropertyAccessExpression(call.expression) && CODE_METHODS.has(call.expression.name.text);
}

function allowed(place: { property?: string; object?: ts.Node }): boolean {
  if (!place.property) return false;
  if (place.property === "matches") return shown_beside(place.object);
  if (place.property === "program") return shown_beside(place.object);
  return HIDDEN_PROPERTIES.has(place.property);
}

/** Every RegExp of a spec that a message could show as /…/: in a place above, directly or through a constant. */
function raw_patterns_in_spec(file: string): string[] {
  const source = parse(file);
  const problems: string[] = [];
  const constants = new Map<string, ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      let holder: ts.Node = node;
      while (ts.isBinaryExpression(holder.parent) || ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
      if (ts.isVariableDeclaration(holder.parent) && ts.isIdentifier(holder.parent.name)) constants.set(holder.parent.name.text, node);
      else if (!used_as_code(holder) && !allowed(pattern_place(holder))) problems.push(`${at(source, node)}: ${node.text} would reach the student as a raw pattern: write { matches: ${node.text}, shown: "…" }`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const uses = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && constants.has(node.text) && !ts.isVariableDeclaration(node.parent)) {
      if (!used_as_code(node) && !allowed(pattern_place(node))) {
        problems.push(`${at(source, node)}: ${node.text} (${constants.get(node.text)!.getText()}) would reach the student as a raw pattern: give it its words, { matches, shown }`);
      }
    }
    ts.forEachChild(node, uses);
  };
  uses(source);
  return problems;
}

const catalogue = code.filter((f) => /\bdefine_messages\(/.test(fs.readFileSync(path.join(project_root, f), "utf8"))).flatMap(catalogue_texts);
const strings = [...specs, ...code].flatMap(french_texts);

describe("every message the course can print reads as French for a beginner", () => {
  test("there is something to read", () => {
    expect(catalogue.length).toBeGreaterThan(200);
    expect(strings.length).toBeGreaterThan(500);
    expect(specs.length).toBeGreaterThanOrEqual(19);
  });

  test("the catalogue: no raw pattern, no sentence said twice, no agreement the glossary forbids", () => {
    expect(catalogue.flatMap((t) => message_problems(t.text).map((p) => `${t.where}: ${p}`))).toEqual([]);
  });

  test("the grader's, the CLI's and the specs' French strings: the same rules", () => {
    expect(strings.flatMap((t) => message_problems(t.text).map((p) => `${t.where}: ${p}`))).toEqual([]);
  });

  test("no spec hands a bare RegExp to a check that shows it", () => {
    expect(specs.flatMap(raw_patterns_in_spec)).toEqual([]);
  });

  test("a message that names its subject in a variable never makes a word agree with it", () => {
    // The shape of the old one: « ${what} devait afficher …, il affiche … », wrong for « La cible dev ».
    const subject_first = [...specs, ...code].flatMap((file) => {
      const source = parse(file);
      const found: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTemplateExpression(node) && node.head.text === "" && /^(e\.)?what\b|^subject\b/.test(node.templateSpans[0]!.expression.getText())) {
          const rest = node.templateSpans.map((s) => s.literal.text).join("…");
          if (/\b(il|elle|ils|elles)\s|\b(est|a été)\s+\p{L}+(é|ée|és|ées)\b/u.test(rest)) found.push(`${at(source, node)}: ${node.getText().slice(0, 80)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return found;
    });
    expect(subject_first).toEqual([]);
    for (const what of ["La cible dev", "Le rapport", "Les tests de l'image", "L'image des outils", "docker run <image> --nom Alice"]) {
      const missing = run_failure_text({ what, wanted: ["« OK » seul sur une ligne"], want_code: 0, code: 1, stdout: "", stderr: "Erreur" });
      const code_only = run_failure_text({ what, wanted: [], want_code: 0, code: 2, stdout: "x", stderr: "" });
      for (const text of [missing, code_only]) {
        expect(text.startsWith(`${what} : `), text).toBe(true);
        expect(text.slice(what.length), text).not.toMatch(/\b(il|elle|ils|elles)\b|\b(sorti|sortie|sortis|sorties) avec\b/);
        expect(message_problems(text), text).toEqual([]);
      }
    }
  });

  test("the rules themselves catch what they are for", () => {
    expect(message_problems("La cible dev devait contenir /Ran [1-9]\\d* tests?/ et /^OK$/m, il affiche « x ».")).toEqual([
      expect.stringMatching(/raw pattern/),
    ]);
    const advice = "Lisez le digest après le push, puis passez-le au build par un argument de build.";
    expect(message_problems(`${advice} ${advice}`)).toEqual([expect.stringMatching(/said twice/)]);
    expect(message_problems("Cette instruction a été refait après la modification.")).toEqual([expect.stringMatching(/agreement/)]);
    expect(message_problems("Le tag a été reprise du cache.")).toEqual([expect.stringMatching(/agreement/)]);
    expect(message_problems("Le chemin /app/data (dossier) est à l'utilisateur app ; une URL comme http://x/y/ reste lisible.")).toEqual([]);
  });
});
