// Valid variants of every solution pass every check, for full points: the
// course judges the image and what the Dockerfile means, not how it is
// spelled. Each solution's Dockerfiles are rewritten as a student may write
// the same thing:
//   - qualified: every image named in full (docker.io/library/python:3.11-slim);
//   - through an ARG: the first image given by `ARG BASE_IMAGE=...` and `FROM ${BASE_IMAGE}`,
//     its default qualified too;
//   - named stages: every unnamed stage gets `AS stageN`.
// The three are applied together, one grading per exercise (the model's tests
// in grader/dockerfile/ and grader/checks/metadata.test.ts cover each alone).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { load_course, run_specs, type ExerciseResult } from "../grader/index.js";
import { project_root } from "./helpers/cli.js";

const FROM = /^(\s*FROM\s+)((?:--\S+\s+)*)(\S+)(.*)$/i;

/** Rewrites one Dockerfile as the variant above; stage names are kept as they are. */
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

const exercises = load_course(project_root);
const copies: string[] = [];
let results: ExerciseResult[] = [];

function variant_folder(solution_dir: string, id: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dl-variant-${id}-`));
  copies.push(dir);
  fs.cpSync(solution_dir, dir, { recursive: true, verbatimSymlinks: true });
  for (const name of fs.readdirSync(dir)) {
    if (!/^Dockerfile/.test(name) || !fs.statSync(path.join(dir, name)).isFile()) continue;
    const file = path.join(dir, name);
    fs.writeFileSync(file, variant_of(fs.readFileSync(file, "utf8")));
  }
  return dir;
}

beforeAll(async () => {
  const requests = exercises.map((exercise) => ({ exercise, submission_dir: variant_folder(exercise.solution_dir, exercise.id) }));
  results = await run_specs(requests, { course_root: project_root, parallel: 2 });
}, 1_200_000);

afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the variant itself", () => {
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
  test.each(exercises.map((e, i) => [e.id, i] as const))("%s", (_id, i) => {
    const result = results[i]!;
    const failing = result.tests.filter((t) => t.status !== "pass").map((t) => `${t.name}: ${t.message}`);
    expect(failing, result.message).toEqual([]);
    expect(result.status).toBe("pass");
    expect(result.points).toBe(result.max_points);
  });
});
