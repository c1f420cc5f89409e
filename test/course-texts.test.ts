// The course's words, held to docs/glossaire.md: one French word per notion
// (issue 11). Pure: reads lessons, hints, check names and the grader's and the
// CLI's French strings; no engine.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse as parse_yaml } from "yaml";
import { project_root } from "./helpers/cli.js";

interface Rule {
  /** What the glossary says, as the failure shows it. */
  say: string;
  /** The word the glossary gives; the test checks the glossary still holds it. */
  term: string;
  /** A sentence breaks the rule when it matches... */
  bad: RegExp;
  /** ...unless it also matches this. */
  unless?: RegExp;
  /** "course": lessons, titles and hints only; "all" (default): check names and messages too. */
  scope?: "course" | "all";
}

// JavaScript's \b does not know accented letters: W marks a word's edge for French.
const W_BEFORE = "(?<![\\p{L}\\p{N}_])";
const W_AFTER = "(?![\\p{L}\\p{N}_])";
const word = (alternatives: string): string => `${W_BEFORE}(?:${alternatives})${W_AFTER}`;

const STEP_WORDS = word("RUN|ADD|CACHED|cache|refaites?|reconstruites?|reprises?");

const RULES: Rule[] = [
  {
    say: "« étiquette » est ambigu : un tag s'appelle « tag », une paire de LABEL « label »",
    term: "**tag**",
    bad: new RegExp(word("étiquettes?"), "iu"),
    // Exercise 15's app prints a shipping label: the app's own word, not Docker's.
    unless: /expédition|QR/,
  },
  {
    say: "un stage s'appelle « étape » (« étape (stage) » la première fois)",
    term: "**étape**",
    bad: new RegExp(`(?<!\\()${word("stages?")}(?!\\.)`, "iu"),
  },
  {
    say: "« étape » est réservé au stage (FROM … AS) : une ligne du Dockerfile, reprise du cache ou refaite, est une « instruction »",
    term: "**instruction**",
    bad: new RegExp(`${word("étapes?")}.*${STEP_WORDS}|${STEP_WORDS}.*${word("étapes?")}`, "iu"),
    unless: /--from|--target|\bAS\b|multi-étapes|étapes? finale|cible|étape \(stage\)|deux étapes/i,
  },
  {
    say: "l'action de docker build est « le build » (verbe : construire), pas « la construction »",
    term: "**build** (le build)",
    bad: new RegExp(word("(?:re)?constructions?"), "iu"),
    scope: "course",
  },
  {
    say: "une vérification notée s'appelle « vérification », pas « check »",
    term: "**vérification**",
    bad: /(?<!(dockerlings|dev|--|npm run|`)\s*)\bchecks?\b(?!\.ts|\/| \d|`|\\`|\))/i,
  },
  {
    say: "le programme qui note s'appelle « le correcteur », pas « le grader »",
    term: "**correcteur**",
    bad: /\b(le|du|au) grader\b/i,
  },
  {
    say: "une couche s'appelle « couche », pas « layer »",
    term: "**couche**",
    bad: new RegExp(word("layers?"), "iu"),
    unless: /--layers|layer\.tar|\bdive\b/i,
  },
];

interface Text {
  where: string;
  text: string;
}

/** Prose of a lesson: code blocks and inline code removed, one entry per line. */
function lesson_texts(file: string): Text[] {
  const source = fs.readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, ""));
  return source.split("\n").map((line, i) => ({ where: `${path.relative(project_root, file)}:${i + 1}`, text: line.replace(/`[^`]*`/g, "`…`") }));
}

/** String literals of a source file that read as French (the student-facing ones). */
function french_strings(file: string): Text[] {
  const out: Text[] = [];
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`|'((?:[^'\\]|\\.)*)'/g)) {
      let text = (match[1] ?? match[2] ?? match[3] ?? "").replace(/\$\{[^}]*\}/g, "…");
      // A bilingual help line, "français / English": only the French half.
      text = text.replace(/ \/ [^/éèàùçêôû]*$/, "");
      // Messages to a spec's author name the option (« check_base_image : stage … »): code, not prose.
      if (/^check_\w+ :/.test(text)) continue;
      if (/[éèàùçêôû]|\b(vous|votre|les|une|dans|est)\b| : /i.test(text)) out.push({ where: `${path.relative(project_root, file)}:${i + 1}`, text });
    }
  });
  return out;
}

function files_under(dir: string, keep: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile() && keep(f));
}

const exercises_dir = path.join(project_root, "exercises");
const exercise_ids = fs.readdirSync(exercises_dir).filter((id) => fs.existsSync(path.join(exercises_dir, id, "exercise.yaml")));

const lessons = exercise_ids.flatMap((id) => lesson_texts(path.join(exercises_dir, id, "lesson.md")));
const metadata = exercise_ids.flatMap((id) => {
  const file = path.join(exercises_dir, id, "exercise.yaml");
  const data = parse_yaml(fs.readFileSync(file, "utf8")) as { title: string; hints: string[] };
  const where = path.relative(project_root, file);
  return [{ where: `${where} (title)`, text: data.title }, ...data.hints.map((hint, i) => ({ where: `${where} (hint ${i + 1})`, text: hint.replace(/`[^`]*`/g, "`…`") }))];
});
const source = (file: string) => file.endsWith(".ts") && !file.endsWith(".test.ts");
const messages = [
  ...exercise_ids.flatMap((id) => french_strings(path.join(exercises_dir, id, "spec.test.ts"))),
  ...files_under(path.join(project_root, "grader"), source).flatMap(french_strings),
  ...files_under(path.join(project_root, "cli"), source).flatMap(french_strings),
];

/**
 * Messages in files other helpers own, whose change is requested
 * (/work/coord/h4-spec-requests.md). Each must still occur: once fixed, it
 * leaves this list, and the rule holds it from then on.
 */
const PENDING: { where: RegExp; text: RegExp }[] = [];

/** Sentences of a text: a rule reads one sentence at a time, so that two notions in one paragraph do not mix. */
const sentences = (text: string): string[] => text.split(/(?<=[.;!?])\s+|\s+:\s+/);

function violations(texts: Text[], scope: "course" | "all"): string[] {
  const found: string[] = [];
  for (const { where, text } of texts) {
    for (const sentence of sentences(text)) {
      for (const rule of RULES.filter((r) => scope === "course" || (r.scope ?? "all") === "all")) {
        if (rule.bad.test(sentence) && !(rule.unless && rule.unless.test(sentence))) found.push(`${where}: « ${sentence.trim()} » — ${rule.say}`);
      }
    }
  }
  return found;
}

describe("the course's words follow docs/glossaire.md", () => {
  const glossary = fs.readFileSync(path.join(project_root, "docs", "glossaire.md"), "utf8");

  test("the glossary holds every word the rules ask for", () => {
    for (const rule of RULES) expect(glossary, rule.say).toContain(rule.term);
  });

  test("lessons", () => {
    expect(violations(lessons, "course")).toEqual([]);
  });

  test("titles and hints", () => {
    expect(violations(metadata, "course")).toEqual([]);
  });

  test("check names and messages (specs, grader, CLI)", () => {
    const found = violations(messages, "all");
    const pending = found.filter((v) => PENDING.some((p) => p.where.test(v) && p.text.test(v)));
    expect(found.filter((v) => !pending.includes(v))).toEqual([]);
    // A pending entry that no longer occurs has been fixed: take it off the list.
    for (const p of PENDING) expect(pending.some((v) => p.where.test(v) && p.text.test(v)), `${p.where} ${p.text} is fixed: remove it from PENDING`).toBe(true);
  });

  test("no prose line of a lesson starts with ? : ! ; or » (French spacing kept on its line)", () => {
    const bad = lessons.filter((t) => /^\s*[?!:;»](\s|$)/.test(t.text)).map((t) => t.where);
    expect(bad).toEqual([]);
  });
});
