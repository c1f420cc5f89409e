// Grades many submissions of the course (wrong answers, valid variants) with
// one Grader kept warm for all of them, a few at a time: a Grader per
// submission would start vitest and load the grader each time (measured on
// four gradings of 01: 29 s one Grader each, 8 s through one).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Grader, type Exercise, type GradedExercise } from "../../grader/index.js";
import { project_root } from "./cli.js";

export interface CorpusSubmission {
  key: string;
  exercise: Exercise;
  /** Makes the folder to grade (removed after its grading). */
  make: () => string;
}

/** A copy of the exercise's solution with `files` laid over it and `remove` taken out. */
export function solution_copy(exercise_id: string, overlay?: string, remove: string[] = [], skip: (name: string) => boolean = (name) => name === "expect.yaml"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dl-corpus-${exercise_id.slice(0, 2)}-`));
  fs.cpSync(path.join(project_root, "solutions", exercise_id), dir, { recursive: true, verbatimSymlinks: true });
  if (overlay) fs.cpSync(overlay, dir, { recursive: true, filter: (source) => !skip(path.basename(source)) });
  for (const file of remove) fs.rmSync(path.join(dir, file), { recursive: true, force: true });
  return dir;
}

export async function grade_corpus(submissions: CorpusSubmission[], workers = 2): Promise<Map<string, GradedExercise>> {
  const results = new Map<string, GradedExercise>();
  const grader = await Grader.open({ course_root: project_root, parallel: workers });
  try {
    const queue = [...submissions];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const dir = next.make();
        try {
          results.set(next.key, await grader.grade({ exercise: next.exercise, dir }));
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    await grader.close();
  }
  return results;
}
