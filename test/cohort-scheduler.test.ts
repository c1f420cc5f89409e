// How a class is scheduled, with a stand-in for the grading pipeline (the
// real one is graded in cohort.docker.test.ts): infrastructure errors retried
// twice then recorded as errors (never a zero), a student's refusal or a
// spec's mistake not retried, the concurrency cap, reuse of what did not
// change unless --force, missing exercise folders.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { load_exercise, default_course_root } from "../grader/course/course.js";
import { grade_cohort, History, parse_roster, cohort_report, report_csv, type CohortEvent, type WorkerGrader } from "../grader/cohort/index.js";
import type { GradedExercise } from "../grader/result.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-sched-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const course_root = default_course_root();
const exercise = load_exercise(course_root, "01-premier-dockerfile");
let n = 0;

function cohort(ids: string[], dockerfile = "FROM python:3.11-slim\n") {
  const dir = fs.mkdtempSync(path.join(root, "c-"));
  for (const id of ids) {
    fs.mkdirSync(path.join(dir, id, exercise.id), { recursive: true });
    fs.writeFileSync(path.join(dir, id, exercise.id, "Dockerfile"), `${dockerfile}# ${id}\n`);
  }
  const roster = parse_roster(`students:\n${ids.map((id) => `  - { id: ${id}, path: ${id} }`).join("\n")}\n`, path.join(dir, "cohort.yaml"));
  return { dir, roster };
}

const passed = (): GradedExercise => ({ version: 3, exercise: exercise.id, status: "pass", points: 10, max_points: 10, tests: [{ name: "ok", status: "pass", points: 10, max_points: 10 }] });
const errored = (kind: "engine" | "spec"): GradedExercise => ({ version: 3, exercise: exercise.id, status: "error", error_kind: kind, message: `panne ${kind}`, points: 0, max_points: 10, tests: [] });

/** A stand-in pipeline answering from a script: one answer per call, in order, per student. */
function scripted(answers: Record<string, GradedExercise[]>, calls: string[], restarts: { n: number }, active = { now: 0, max: 0 }) {
  return (): WorkerGrader => ({
    async grade(items) {
      active.now++;
      active.max = Math.max(active.max, active.now);
      await new Promise((r) => setTimeout(r, 20));
      active.now--;
      const student = path.basename(path.dirname(items[0]!.dir));
      calls.push(student);
      const list = answers[student] ?? [passed()];
      return [list.length > 1 ? list.shift()! : list[0]!];
    },
    async restart() {
      restarts.n++;
    },
    async close() {},
  });
}

async function run(roster: ReturnType<typeof cohort>["roster"], history: History, open_grader: () => WorkerGrader, extra: { force?: boolean; concurrency?: number } = {}) {
  const events: CohortEvent[] = [];
  const result = await grade_cohort({
    roster,
    history,
    course_root,
    exercises: [exercise],
    course_version: "c1",
    grader_version: "g1",
    cache_dir: path.join(root, "cache"),
    concurrency: extra.concurrency ?? 1,
    force: extra.force ?? false,
    open_grader,
    on_event: (e) => events.push(e),
  });
  return { result, events };
}

test("an engine failure is retried twice; then it is an error, not a zero, and the class goes on", async () => {
  const { roster } = cohort(["flaky", "broken", "fine"]);
  const history = History.open(path.join(root, `h${n++}.db`));
  const calls: string[] = [];
  const restarts = { n: 0 };
  const { result, events } = await run(
    roster,
    history,
    scripted({ flaky: [errored("engine"), errored("engine"), passed()], broken: [errored("engine")] }, calls, restarts),
  );
  expect(calls).toEqual(["flaky", "flaky", "flaky", "broken", "broken", "broken", "fine"]);
  expect(restarts.n).toBe(4);
  expect(events.filter((e) => e.kind === "retry").map((e) => [(e as { student: { id: string } }).student.id, (e as { attempt: number }).attempt])).toEqual([
    ["flaky", 2],
    ["flaky", 3],
    ["broken", 2],
    ["broken", 3],
  ]);
  // An error is no grade: the student's total is not known, never 0.
  expect(result.students.map((s) => [s.student.id, s.outcome, s.points])).toEqual([
    ["flaky", "graded", 10],
    ["broken", "error", null],
    ["fine", "graded", 10],
  ]);
  const rows = history.results();
  expect(rows.map((r) => [r.student_id, r.status, r.attempts, r.error_kind])).toEqual([
    ["flaky", "pass", 3, null],
    ["broken", "error", 3, "engine"],
    ["fine", "pass", 1, null],
  ]);
  // In the gradebook: "error" and no total, never 0.
  expect(report_csv(cohort_report(history)).split("\r\n")[2]).toBe("broken,broken,,graded,,,error,,,10,,,");
  // The next run grades the error again, and only it.
  calls.length = 0;
  await run(roster, history, scripted({}, calls, restarts));
  expect(calls).toEqual(["broken"]);
  history.close();
});

test("a spec's own mistake is not retried; a submission refused by staging is never graded, and is the student's fail", async () => {
  const { dir, roster } = cohort(["spec", "linked"]);
  fs.symlinkSync("/etc/passwd", path.join(dir, "linked", exercise.id, "secret"));
  const history = History.open(path.join(root, `h${n++}.db`));
  const calls: string[] = [];
  await run(roster, history, scripted({ spec: [errored("spec")] }, calls, { n: 0 }));
  expect(calls).toEqual(["spec"]);
  expect(history.results().map((r) => [r.student_id, r.status, r.error_kind, r.attempts])).toEqual([
    ["spec", "error", "spec", 1],
    ["linked", "fail", "refused", 1],
  ]);
  const linked = cohort_report(history).students.find((s) => s.id === "linked")!;
  expect(linked).toMatchObject({ points: 0, errors: [], cells: { [exercise.id]: { state: "fail", points: 0 } } });
  expect(linked.failures[0]).toMatchObject({ check: "la soumission peut être corrigée", message: expect.stringMatching(/le lien symbolique « secret » mène hors du dossier de l'exercice \(vers \/etc\/passwd\)/) });
  history.close();
});

test("at most --concurrency students at once; students come back in roster order", async () => {
  const ids = ["s1", "s2", "s3", "s4", "s5", "s6"];
  const { roster } = cohort(ids);
  const history = History.open(path.join(root, `h${n++}.db`));
  const active = { now: 0, max: 0 };
  const { result } = await run(roster, history, scripted({}, [], { n: 0 }, active), { concurrency: 2 });
  expect(active.max).toBe(2);
  expect(result.students.map((s) => s.student.id)).toEqual(ids);
  history.close();
});

test("a rerun grades only what changed; --force grades everything; a missing exercise folder is recorded as such", async () => {
  const { dir, roster } = cohort(["same", "changed", "empty"]);
  // A submission with a file but no folder for the exercise (a folder with nothing at all is no submission: cohort-standing).
  fs.rmSync(path.join(dir, "empty", exercise.id), { recursive: true });
  fs.writeFileSync(path.join(dir, "empty", "LISEZMOI.md"), "rendu plus tard\n");
  const history = History.open(path.join(root, `h${n++}.db`));
  const calls: string[] = [];
  await run(roster, history, scripted({}, calls, { n: 0 }));
  expect(calls).toEqual(["same", "changed"]);
  expect(history.results().find((r) => r.student_id === "empty")).toMatchObject({ status: "missing", points: 0 });
  calls.length = 0;
  fs.appendFileSync(path.join(dir, "changed", exercise.id, "Dockerfile"), "CMD [\"true\"]\n");
  // A file the exercise does not let the student edit changes nothing graded.
  fs.writeFileSync(path.join(dir, "same", exercise.id, "notes.txt"), "brouillon");
  const { result } = await run(roster, history, scripted({}, calls, { n: 0 }));
  expect(calls).toEqual(["changed"]);
  expect(result.students.map((s) => s.outcome)).toEqual(["unchanged", "graded", "unchanged"]);
  calls.length = 0;
  await run(roster, history, scripted({}, calls, { n: 0 }), { force: true });
  expect(calls).toEqual(["same", "changed"]);
  history.close();
});
