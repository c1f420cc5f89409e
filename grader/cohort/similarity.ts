// Who copied whom: the students' Dockerfiles of one exercise compared on
// their fragments (grader/dockerfile/fragments.ts: the one model's
// instructions in a normal form, so renamed variables, reordered lines,
// spacing, case and comments change nothing). A Dockerfile is short and most
// of it is what everybody writes: the starter's fragments are subtracted,
// and so is every fragment more than `common_share` of the class holds. What
// two students still share is rare, and each rare fragment weighs more the
// fewer hold it (log((n + 1) / holders)): pairs are ranked by that weight.
// Pure but for reading the submissions (collect_dockerfiles).
import fs from "node:fs";
import path from "node:path";
import { dockerfile_fragments, type Fragment } from "../dockerfile/fragments.js";
import type { Exercise } from "../course/course.js";
import { fetch_submission, type FetchOutcome } from "./fetch.js";
import type { History } from "./history.js";
import type { Student } from "./roster.js";

export interface SimilaritySubmission {
  student_id: string;
  name: string;
  section?: string;
  /** The Dockerfile as the student wrote it. */
  dockerfile: string;
  /** The commit compared and its date (a repository's). */
  commit?: string;
  commit_time?: string;
}

export interface SimilarityOptions {
  /** A fragment held by more than this share of the class is common, not evidence (0.3 by default). */
  common_share?: number;
  /** Pairs sharing fewer rare fragments than this are not listed (2 by default). */
  min_shared?: number;
}

export const DEFAULT_COMMON_SHARE = 0.3;
export const DEFAULT_MIN_SHARED = 2;

/** Where a fragment is in one student's Dockerfile, with the lines as written. */
export interface FragmentPlace {
  line: number;
  end_line: number;
  text: string;
}

export interface SharedFragment {
  /** The normal form. */
  text: string;
  /** How many students' Dockerfiles hold it. */
  holders: number;
  weight: number;
  a: FragmentPlace[];
  b: FragmentPlace[];
}

export interface SimilarPair {
  a: string;
  b: string;
  /** The weights of the rare fragments they share, added up: the ranking. */
  score: number;
  shared: SharedFragment[];
  /** Of each one's own rare fragments, the share the other holds too. */
  a_share: number;
  b_share: number;
}

export interface ExerciseSimilarity {
  exercise_id: string;
  /** The submissions compared (those with a Dockerfile for the exercise). */
  submissions: SimilaritySubmission[];
  /** Fragments of the starter, subtracted from every Dockerfile. */
  starter: string[];
  /** Fragments held by more than this many students are common. */
  common_above: number;
  /** The common fragments set aside, the most held first. */
  common: { text: string; holders: number }[];
  /** Ranked: the highest score first. */
  pairs: SimilarPair[];
}

interface Read {
  submission: SimilaritySubmission;
  lines: string[];
  /** Fragment text -> its places, the starter's left out. */
  fragments: Map<string, Fragment[]>;
}

const place = (lines: string[], f: Fragment): FragmentPlace => ({ line: f.line, end_line: f.end_line, text: lines.slice(f.line - 1, f.end_line).join("\n") });

/** Compares the Dockerfiles of one exercise: the pairs sharing rare fragments, ranked. */
export function compare_exercise(
  exercise_id: string,
  submissions: SimilaritySubmission[],
  starter: string | undefined,
  options: SimilarityOptions = {},
): ExerciseSimilarity {
  const common_share = options.common_share ?? DEFAULT_COMMON_SHARE;
  const min_shared = options.min_shared ?? DEFAULT_MIN_SHARED;
  const starter_fragments = new Set(starter === undefined ? [] : dockerfile_fragments(starter).map((f) => f.text));
  const reads: Read[] = submissions.map((submission) => {
    const fragments = new Map<string, Fragment[]>();
    for (const f of dockerfile_fragments(submission.dockerfile)) {
      if (starter_fragments.has(f.text)) continue;
      (fragments.get(f.text) ?? fragments.set(f.text, []).get(f.text)!).push(f);
    }
    return { submission, lines: submission.dockerfile.replace(/\r\n?/g, "\n").split("\n"), fragments };
  });
  const n = reads.length;
  const holders = new Map<string, number>();
  for (const r of reads) for (const text of r.fragments.keys()) holders.set(text, (holders.get(text) ?? 0) + 1);
  // Two students sharing a fragment is what is looked for: it is never common, however small the class.
  const common_above = Math.max(2, Math.floor(common_share * n));
  const is_common = (text: string): boolean => holders.get(text)! > common_above;
  const rare = reads.map((r) => [...r.fragments.keys()].filter((text) => !is_common(text)));
  const weight = (text: string): number => Math.log((n + 1) / holders.get(text)!);

  const pairs: SimilarPair[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = reads[i]!;
      const b = reads[j]!;
      const shared_texts = rare[i]!.filter((text) => b.fragments.has(text));
      if (shared_texts.length === 0 || shared_texts.length < min_shared) continue;
      const shared = shared_texts
        .map((text) => ({
          text,
          holders: holders.get(text)!,
          weight: weight(text),
          a: a.fragments.get(text)!.map((f) => place(a.lines, f)),
          b: b.fragments.get(text)!.map((f) => place(b.lines, f)),
        }))
        .sort((x, y) => x.a[0]!.line - y.a[0]!.line);
      pairs.push({
        a: a.submission.student_id,
        b: b.submission.student_id,
        score: shared.reduce((sum, s) => sum + s.weight, 0),
        shared,
        a_share: shared.length / rare[i]!.length,
        b_share: shared.length / rare[j]!.length,
      });
    }
  }
  pairs.sort((x, y) => y.score - x.score || y.shared.length - x.shared.length || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  const common = [...holders.entries()]
    .filter(([text]) => is_common(text))
    .map(([text, count]) => ({ text, holders: count }))
    .sort((x, y) => y.holders - x.holders || x.text.localeCompare(y.text));
  return { exercise_id, submissions, starter: [...starter_fragments], common_above, common, pairs };
}

/** The starter's Dockerfile of an exercise, if it has one. */
export function starter_dockerfile(exercise: Exercise): string | undefined {
  try {
    return fs.readFileSync(path.join(exercise.starter_dir, "Dockerfile"), "utf8");
  } catch {
    return undefined;
  }
}

export interface CollectOptions {
  cache_dir: string;
  /** The history of the class's gradings: a student's graded commit is the one compared. */
  history?: History;
  /** Each student's deadline, for one not graded yet (the last commit before it is compared). */
  deadline_of?: (student: Student) => Date | undefined;
}

export interface CollectedClass {
  /** Exercise id -> the Dockerfiles of the students who have one. */
  dockerfiles: Map<string, SimilaritySubmission[]>;
  /** Students with nothing to compare, and why. */
  absent: { student: Student; message: string }[];
}

/**
 * Every student's Dockerfile of each exercise: the commit their latest grading
 * graded when the history has one, else the submission as `cohort grade`
 * fetches it (a folder as it is, a repository's last commit before the deadline).
 */
export async function collect_dockerfiles(students: Student[], exercises: Exercise[], options: CollectOptions): Promise<CollectedClass> {
  // The latest run that looked at a student decides (standing.ts): its graded commit, if it graded one.
  const graded = new Map<string, string | undefined>();
  for (const s of options.history?.submissions() ?? []) graded.set(s.student_id, s.status === "graded" ? (s.commit_graded ?? undefined) : undefined);
  const dockerfiles = new Map<string, SimilaritySubmission[]>(exercises.map((e) => [e.id, []]));
  const absent: CollectedClass["absent"] = [];
  for (const student of students) {
    const commit = graded.get(student.id);
    const source = student.source.kind === "repo" && commit ? { ...student.source, commit } : student.source;
    const deadline = student.source.kind === "repo" && !commit ? options.deadline_of?.(student) : undefined;
    const fetched: FetchOutcome = await fetch_submission({ ...student, source }, { cache_dir: options.cache_dir, ...(deadline ? { deadline } : {}) });
    if (fetched.status !== "ready") {
      absent.push({ student, message: fetched.message });
      continue;
    }
    for (const exercise of exercises) {
      let dockerfile: string;
      try {
        const file = path.join(fetched.dir, exercise.id, "Dockerfile");
        // A link is not followed: what a submission links to is not its text.
        if (!fs.lstatSync(file).isFile()) continue;
        dockerfile = fs.readFileSync(file, "utf8");
      } catch {
        continue;
      }
      dockerfiles.get(exercise.id)!.push({
        student_id: student.id,
        name: student.name,
        ...(student.section ? { section: student.section } : {}),
        dockerfile,
        ...(fetched.commit ? { commit: fetched.commit } : {}),
        ...(fetched.commit_time ? { commit_time: fetched.commit_time } : {}),
      });
    }
  }
  return { dockerfiles, absent };
}
