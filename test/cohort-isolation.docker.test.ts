// Isolation between students: a submission may never build on, or copy
// from, an image the grader made for another student. Such a FROM fails as an
// absent image would, whether the other image is left over or being graded
// at the same moment.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { build_image } from "../grader/engine/build.js";
import { remove_managed } from "../grader/engine/cleanup.js";
import { image_references } from "../grader/engine/foreign-images.js";
import { sessions_from_base } from "../grader/engine/sweep-sessions.js";
import { load_exercise, default_course_root } from "../grader/course/course.js";
import { grade_cohort, History, parse_roster } from "../grader/cohort/index.js";
import { project_root } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT } from "./grade-helpers.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-iso-"));
const EXERCISE = "01-premier-dockerfile";
const solution = path.join(project_root, "solutions", EXERCISE);
const OTHER = "0ther000-0000-4000-8000-000000000000";
const ALICE = "a11ce000-0000-4000-8000-000000000000";
afterAll(async () => {
  await remove_managed(OTHER);
  fs.rmSync(root, { recursive: true, force: true });
});

function submission(id: string, dockerfile?: string): void {
  const dir = path.join(root, id, EXERCISE);
  fs.cpSync(solution, dir, { recursive: true });
  if (dockerfile) fs.writeFileSync(path.join(dir, "Dockerfile"), dockerfile);
}

test("the images a Dockerfile reads are found through ARGs, stages, COPY --from and RUN --mount", () => {
  expect(
    image_references(
      "ARG BASE=dockerlings/x:abc-0\nFROM $BASE AS one\nFROM debian:bookworm-slim\nCOPY --from=one /a /a\nCOPY --from=nginx:1.22 /etc/nginx /n\nRUN --mount=type=bind,from=dockerlings/y:def-1,target=/m true\nFROM scratch\n",
    ),
  ).toEqual([
    { image: "dockerlings/x:abc-0", line: 2 },
    { image: "debian:bookworm-slim", line: 3 },
    { image: "nginx:1.22", line: 5 },
    { image: "dockerlings/y:def-1", line: 6 },
  ]);
  expect(image_references("ARG BASE\nFROM ${BASE}\n", { BASE: "dockerlings/z:1" })).toEqual([{ image: "dockerlings/z:1", line: 2 }]);
});

test("a FROM or a COPY --from naming another student's graded image fails as an absent image, even graded at the same moment", async () => {
  // Another session's image, left on the engine (as if another student's grading still held it).
  const other_dir = path.join(root, "other");
  fs.cpSync(solution, other_dir, { recursive: true });
  const stolen = `dockerlings/${EXERCISE}:${OTHER.slice(0, 8)}-0`;
  const built = await build_image({ dir: other_dir, tag: stolen, session: OTHER, exercise: EXERCISE });
  expect(built.ok).toBe(true);

  submission("alice");
  // mallory builds on alice's image being graded now (her session's first tag); trudy on the leftover one, through an ARG and COPY --from.
  submission("mallory", `FROM dockerlings/${EXERCISE}:${ALICE.slice(0, 8)}-live\n`);
  submission("trudy", `ARG BASE=${stolen}\nFROM $BASE AS loot\nFROM python:3.11-slim\nCOPY --from=loot /app/bonjour.py /app/bonjour.py\nCMD ["python3", "/app/bonjour.py"]\n`);
  const roster = parse_roster(
    "students:\n  - { id: alice, path: alice }\n  - { id: mallory, path: mallory }\n  - { id: trudy, path: trudy }\n",
    path.join(root, "cohort.yaml"),
  );
  const course_root = default_course_root();
  const history = History.open(path.join(root, "cohort.db"));
  const sessions: string[] = [];
  try {
    await grade_cohort({
      roster,
      history,
      course_root,
      exercises: [load_exercise(course_root, EXERCISE)],
      course_version: "test",
      grader_version: "test",
      cache_dir: path.join(root, "cache"),
      concurrency: 3,
      retries: 0,
      // Worker 0 takes the first student, alice: her first grading's session is this base.
      session_base_for: (worker) => {
        const session = worker === 0 ? ALICE : `${String(worker).padStart(8, "b")}-0000-4000-8000-000000000000`;
        sessions.push(session);
        return session;
      },
    });
    const results = history.results();
    const by = Object.fromEntries(results.map((r) => [r.student_id, r]));
    expect(by.alice).toMatchObject({ status: "pass", points: 10 });
    for (const id of ["mallory", "trudy"]) {
      expect(by[id]).toMatchObject({ status: "fail", points: 0 });
      const messages = history.checks_of([by[id]!.id]).get(by[id]!.id)!.map((c) => c.message ?? "");
      expect(messages.join("\n")).toMatch(/l'image de base « dockerlings\/01-premier-dockerfile:[0-9a-z]{8}-(0|live) » n'est pas sur cette machine/);
    }
  } finally {
    history.close();
  }
  for (const base of sessions) {
    expect(await leftovers(base)).toEqual(NOTHING_LEFT);
    expect(await sessions_from_base(base)).toEqual([]);
  }
});
