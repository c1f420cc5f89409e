// The Grader keeps its spec worker's thread from one grading to the next
// (grader/runner/thread-park.ts): a second grading, of the same exercise or
// another, starts no thread and loads no grader again, and gives the verdict
// a fresh worker gives.
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { Grader, load_exercise } from "../grader/index.js";
import { project_root } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT } from "./grade-helpers.js";

test("successive gradings share one spec worker thread, with the verdicts of fresh ones", async () => {
  const session = `threads-${randomUUID().slice(0, 8)}`;
  const first = load_exercise(project_root, "01-premier-dockerfile");
  const other = load_exercise(project_root, "05-cmd-entrypoint");
  const solution = (id: string) => path.join(project_root, "solutions", id);
  const starter = (id: string) => path.join(project_root, "exercises", id, "starter");

  const grader = await Grader.open({ course_root: project_root, session });
  const results = [];
  try {
    results.push(await grader.grade({ exercise: first, dir: solution(first.id) }));
    results.push(await grader.grade({ exercise: first, dir: starter(first.id) }));
    results.push(await grader.grade({ exercise: other, dir: solution(other.id) }));
    expect(grader.threads).toEqual({ started: 1, reused: 2 });
  } finally {
    await grader.close();
  }
  expect(results.map((r) => [r.exercise, r.status, r.points])).toEqual([
    [first.id, "pass", first.points],
    [first.id, "fail", expect.any(Number)],
    [other.id, "pass", other.points],
  ]);

  // The starter again, in a Grader of its own (a thread that graded nothing before): the same checks, the same verdicts.
  const fresh = await Grader.open({ course_root: project_root, session: `${session}-fresh` });
  try {
    const alone = await fresh.grade({ exercise: first, dir: starter(first.id) });
    expect(fresh.threads).toEqual({ started: 1, reused: 0 });
    const verdicts = (r: typeof alone) => r.tests.map((t) => [t.name, t.status, t.points]);
    expect(verdicts(alone)).toEqual(verdicts(results[1]!));
  } finally {
    await fresh.close();
  }
  expect(await leftovers(session)).toEqual(NOTHING_LEFT);
});
