// Plausible wrong answers must fail the specific check they should, with the
// message a student needs. A spec that lets one through is a bug in the course.
//
// test/wrong-answers/<exercise id>/<case>/ holds files laid over a copy of
// solutions/<exercise id>/, and expect.yaml:
//   why: what the wrong answer does (one line)
//   fails: a substring of the name of the check that must fail
//   message: a regular expression the failing check's message must match
//   output: (optional) one its output must match: what is shown beside the
//           message (a failed build's step, a container's logs), never in it
//   delete: [paths]   (optional) files of the solution to remove
// DOCKERLINGS_WRONG_ANSWERS (below) grades a few exercises' cases only.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse as parse_yaml } from "yaml";
import { load_course, type ExerciseResult } from "../grader/index.js";
import { WrongAnswerExpectation } from "../grader/course/wrong-answer-schema.js";
import { project_root } from "./helpers/cli.js";
import { grade_corpus, solution_copy } from "./helpers/corpus.js";
import { message_problems, sentences_of } from "./helpers/message-rules.js";


const root = path.join(project_root, "test", "wrong-answers");
const exercises = load_course(project_root);
const cases = fs.existsSync(root)
  ? fs
      .readdirSync(root)
      .filter((id) => fs.statSync(path.join(root, id)).isDirectory())
      .flatMap((id) =>
        fs
          .readdirSync(path.join(root, id))
          .filter((name) => fs.existsSync(path.join(root, id, name, "expect.yaml")))
          .map((name) => ({
            id,
            name,
            dir: path.join(root, id, name),
            expectation: WrongAnswerExpectation.parse(parse_yaml(fs.readFileSync(path.join(root, id, name, "expect.yaml"), "utf8"))),
          })),
      )
  : [];

// DOCKERLINGS_WRONG_ANSWERS=19-cache,13-ordre grades only the cases whose key starts with one of these
// (vitest's -t would still grade every case in beforeAll); the whole corpus otherwise.
const only = (process.env.DOCKERLINGS_WRONG_ANSWERS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const graded = only.length ? cases.filter((c) => only.some((prefix) => `${c.id}/${c.name}`.startsWith(prefix))) : cases;

let results = new Map<string, ExerciseResult>();

beforeAll(async () => {
  results = await grade_corpus(
    graded.flatMap((c) => {
      const exercise = exercises.find((e) => e.id === c.id);
      return exercise ? [{ key: `${c.id}/${c.name}`, exercise, make: () => solution_copy(c.id, c.dir, c.expectation.delete) }] : [];
    }),
  );
}, 1_500_000);

describe("wrong answers fail the check they should", () => {
  test("every exercise with a spec has at least two wrong answers", () => {
    const with_cases = new Set(cases.map((c) => c.id));
    const missing = exercises.filter((e) => e.id !== "01-premier-dockerfile" && !with_cases.has(e.id)).map((e) => e.id);
    // 01 has its own below; every other exercise needs two or more.
    expect(missing).toEqual([]);
    for (const e of exercises) expect(cases.filter((c) => c.id === e.id).length, e.id).toBeGreaterThanOrEqual(2);
  });

  test("every message of every verdict reads as French for a beginner: no raw pattern, each sentence once per verdict, agreements kept", () => {
    expect(results.size).toBe(graded.length);
    const problems: string[] = [];
    for (const [key, result] of results) {
      const said = new Map<string, string>();
      for (const check of result.tests.filter((t) => t.message)) {
        for (const p of message_problems(check.message!)) problems.push(`${key} « ${check.name} »: ${p}`);
        // The references once_per_verdict writes (« Même cause que pour … ») name the earlier check on purpose.
        for (const sentence of sentences_of(check.message!).filter((x) => x.length >= 40 && !/^(Même cause que pour|\(La suite est dite plus haut)/.test(x))) {
          const earlier = said.get(sentence);
          if (earlier && earlier !== check.name) problems.push(`${key}: « ${sentence.slice(0, 70)}… » under « ${earlier} » and « ${check.name} »`);
          said.set(sentence, check.name);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test.each(graded.map((c) => [`${c.id}/${c.name}`, c] as const))("%s", (key, c) => {
    const result = results.get(key);
    expect(result, `${key} was not graded (unknown exercise id?)`).toBeDefined();
    expect(result!.status, result!.message).toBe("fail");
    const check = result!.tests.find((t) => t.name.includes(c.expectation.fails));
    expect(check, `no check named like « ${c.expectation.fails} » in ${result!.tests.map((t) => t.name).join(" | ")}`).toBeDefined();
    expect(check!.status, `${c.expectation.why}: the check « ${check!.name} » let it through`).toBe("fail");
    expect(check!.message ?? "").toMatch(new RegExp(c.expectation.message, "s"));
    if (c.expectation.output) expect(check!.output ?? "", "the check's output").toMatch(new RegExp(c.expectation.output, "s"));
  });
});
