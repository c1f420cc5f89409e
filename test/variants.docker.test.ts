// Valid variants of every solution pass every check, for full points: the
// course judges the image and what the Dockerfile means, not how it is
// spelled. Three kinds, all graded through one Grader:
//
// - naming: every image named in full (docker.io/library/python:3.11-slim),
//   the first through `ARG BASE_IMAGE=...` and `FROM ${BASE_IMAGE}`, every
//   unnamed stage given `AS stageN`;
// - editor: the Dockerfiles and .dockerignore as some editors save them: a
//   UTF-8 byte-order mark, CRLF line ends, no final newline, tabs (after the
//   keyword and to indent continuation lines), instructions in lowercase. The
//   five are applied together here, graded as the engine builds them; each
//   alone is held to the Dockerfile model by test/editor-variants.test.ts;
// - the corpus, test/variants/<exercise id>/<name>/: files laid over a copy
//   of the solution, and variant.yaml:
//     why: what the variant does differently (one line)
//     lesson: words of the exercise's lesson that allow it (the alternative
//             it shows), or of the official image's documentation
//     delete: [paths]   (optional) files of the solution to remove
//   Every alternative a lesson mentions has one; an alternative the grader
//   cannot accept is said in the lesson instead.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse as parse_yaml } from "yaml";
import { z } from "zod";
import { load_course, type ExerciseResult } from "../grader/index.js";
import { project_root } from "./helpers/cli.js";
import { grade_corpus, solution_copy } from "./helpers/corpus.js";
import { editor_variant } from "./helpers/editor.js";

const FROM = /^(\s*FROM\s+)((?:--\S+\s+)*)(\S+)(.*)$/i;

/** Rewrites one Dockerfile as the naming variant above; stage names are kept as they are. */
export function variant_of(text: string): string {
  const lines = text.split("\n");
  const stage_names = new Set(lines.map((l) => /\bAS\s+(\S+)\s*$/i.exec(l.match(FROM)?.[4] ?? "")?.[1]?.toLowerCase()).filter(Boolean));
  let first_image: string | undefined;
  let stage = 0;
  const out = lines.map((line) => {
    const m = FROM.exec(line);
    if (!m) return line;
    const [, from, flags, image, rest] = m as unknown as [string, string, string, string, string];
    const named = /\bAS\s+\S+/i.test(rest) ? rest : `${rest} AS stage${stage}`;
    stage++;
    const is_image = image !== "scratch" && !image.includes("$") && !stage_names.has(image.toLowerCase());
    if (!is_image) return `${from}${flags}${image}${named}`;
    const qualified = image.includes("/") && /[.:]/.test(image.split("/")[0]!) ? image : `docker.io/${image.includes("/") ? image : `library/${image}`}`;
    if (first_image === undefined) {
      first_image = qualified;
      return `${from}${flags}\${BASE_IMAGE}${named}`;
    }
    return `${from}${flags}${qualified}${named}`;
  });
  if (first_image === undefined) return text;
  // Before the first FROM, after any parser directive at the top.
  const first = out.findIndex((l) => FROM.test(l) || (!/^\s*#/.test(l) && l.trim() !== ""));
  out.splice(Math.max(0, first), 0, `ARG BASE_IMAGE=${first_image}`);
  return out.join("\n");
}

const Variant = z
  .object({
    why: z.string().min(5),
    lesson: z.string().min(3),
    delete: z.array(z.string()).optional(),
  })
  .strict();

const exercises = load_course(project_root);
const corpus_root = path.join(project_root, "test", "variants");
const corpus = fs
  .readdirSync(corpus_root)
  .filter((id) => fs.statSync(path.join(corpus_root, id)).isDirectory())
  .flatMap((id) =>
    fs
      .readdirSync(path.join(corpus_root, id))
      .filter((name) => fs.existsSync(path.join(corpus_root, id, name, "variant.yaml")))
      .map((name) => ({
        id,
        name,
        dir: path.join(corpus_root, id, name),
        variant: Variant.parse(parse_yaml(fs.readFileSync(path.join(corpus_root, id, name, "variant.yaml"), "utf8"))),
      })),
  );

/** The solution with each of its Dockerfiles (and, for the editor kind, its .dockerignore) rewritten. */
function rewritten(exercise_id: string, rewrite: (text: string) => string, also_dockerignore: boolean): string {
  const dir = solution_copy(exercise_id);
  for (const name of fs.readdirSync(dir)) {
    if (!(/^Dockerfile/.test(name) || (also_dockerignore && name === ".dockerignore")) || !fs.statSync(path.join(dir, name)).isFile()) continue;
    const file = path.join(dir, name);
    fs.writeFileSync(file, rewrite(fs.readFileSync(file, "utf8")));
  }
  return dir;
}

let results = new Map<string, ExerciseResult>();

beforeAll(async () => {
  results = await grade_corpus([
    ...exercises.map((exercise) => ({ key: `naming/${exercise.id}`, exercise, make: () => rewritten(exercise.id, variant_of, false) })),
    ...exercises.map((exercise) => ({ key: `editor/${exercise.id}`, exercise, make: () => rewritten(exercise.id, editor_variant, true) })),
    ...corpus.flatMap((c) => {
      const exercise = exercises.find((e) => e.id === c.id);
      return exercise ? [{ key: `corpus/${c.id}/${c.name}`, exercise, make: () => solution_copy(c.id, c.dir, c.variant.delete, (n) => n === "variant.yaml") }] : [];
    }),
  ]);
}, 1_800_000);

function expect_full_points(key: string): void {
  const result = results.get(key);
  expect(result, `${key} was not graded (unknown exercise id?)`).toBeDefined();
  const failing = result!.tests.filter((t) => t.status !== "pass").map((t) => `${t.name}: ${t.message}`);
  expect(failing, result!.message).toEqual([]);
  expect(result!.status).toBe("pass");
  expect(result!.points).toBe(result!.max_points);
}

describe("the naming variant itself", () => {
  test("qualified names, the first image through an ARG, every stage named", () => {
    expect(variant_of("FROM golang:1.19 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /a /a\n")).toBe(
      "ARG BASE_IMAGE=docker.io/library/golang:1.19\nFROM ${BASE_IMAGE} AS build\nRUN go build\nFROM scratch AS stage1\nCOPY --from=build /a /a\n",
    );
    expect(variant_of("# a comment\nFROM python:3.11-slim\nFROM base\n")).toBe(
      "# a comment\nARG BASE_IMAGE=docker.io/library/python:3.11-slim\nFROM ${BASE_IMAGE} AS stage0\nFROM docker.io/library/base AS stage1\n",
    );
  });
});

describe("a valid variant of each solution passes, for full points", () => {
  test.each(exercises.map((e) => [e.id] as const))("named otherwise: %s", (id) => expect_full_points(`naming/${id}`));
  test.each(exercises.map((e) => [e.id] as const))("saved by another editor: %s", (id) => expect_full_points(`editor/${id}`));
});

describe("the corpus of valid variants", () => {
  test("every exercise has at least one; 15 to 19 at least three; each names the words of its lesson that allow it", () => {
    for (const e of exercises) {
      const mine = corpus.filter((c) => c.id === e.id);
      expect(mine.length, e.id).toBeGreaterThanOrEqual(Number(e.id.slice(0, 2)) >= 15 ? 3 : 1);
      const lesson = fs.readFileSync(e.lesson_path, "utf8").replace(/\s+/g, " ");
      for (const c of mine) expect(lesson, `${c.id}/${c.name}: « ${c.variant.lesson} » is not in the lesson`).toContain(c.variant.lesson.replace(/\s+/g, " "));
    }
    expect(corpus.filter((c) => !exercises.some((e) => e.id === c.id)).map((c) => c.id)).toEqual([]);
  });

  test.each(corpus.map((c) => [`${c.id}/${c.name}`, c] as const))("%s", (key) => expect_full_points(`corpus/${key}`));
});
