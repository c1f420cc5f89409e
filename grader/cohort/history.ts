// The cohort's history: one SQLite file (better-sqlite3), written by one
// process only (the one running `cohort grade`; graders hand it their
// results). WAL mode and one transaction per student's submission: a kill -9
// at any moment loses at most the submission being graded, never one already
// recorded, and the next run goes on from there. The schema is versioned
// (PRAGMA user_version) and migrated forward when opened.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import type { GradedExercise } from "../result.js";
import type { Student } from "./roster.js";

export const SCHEMA_VERSION = 3;

/** Each step takes the schema from version i to i+1. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    course_version TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    roster_digest TEXT NOT NULL,
    shard TEXT,
    options TEXT NOT NULL
  );
  CREATE TABLE students (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    section TEXT,
    email TEXT,
    source TEXT NOT NULL
  );
  CREATE TABLE submissions (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    student_id TEXT NOT NULL REFERENCES students(id),
    status TEXT NOT NULL,
    commit_graded TEXT,
    commit_time TEXT,
    commit_latest TEXT,
    latest_time TEXT,
    message TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (run_id, student_id)
  );
  CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    student_id TEXT NOT NULL REFERENCES students(id),
    exercise_id TEXT NOT NULL,
    submission_digest TEXT NOT NULL,
    exercise_digest TEXT NOT NULL,
    commit_graded TEXT,
    status TEXT NOT NULL,
    points REAL NOT NULL,
    max_points REAL NOT NULL,
    message TEXT,
    error_kind TEXT,
    attempts INTEGER NOT NULL,
    duration_ms INTEGER,
    graded_at TEXT NOT NULL,
    UNIQUE (run_id, student_id, exercise_id)
  );
  CREATE INDEX results_by_student ON results (student_id, exercise_id, id);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    student_id TEXT NOT NULL,
    started_at TEXT NOT NULL
  );
  CREATE TABLE checks (
    result_id INTEGER NOT NULL REFERENCES results(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    points REAL NOT NULL,
    max_points REAL NOT NULL,
    message TEXT,
    PRIMARY KEY (result_id, position)
  );
  `,
  // 2: what each run looked at (its exercises), a result reused from an
  // earlier run recorded in the run that reused it, the students still on
  // the roster, when each commit was first fetched and how the graded one
  // compares with the deadline.
  `
  CREATE TABLE run_exercises (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    exercise_id TEXT NOT NULL,
    max_points REAL NOT NULL,
    PRIMARY KEY (run_id, exercise_id)
  );
  INSERT INTO run_exercises (run_id, exercise_id, max_points)
    SELECT runs.id, e.value, COALESCE((SELECT max(r.max_points) FROM results r WHERE r.exercise_id = e.value), 0)
    FROM runs, json_each(runs.options, '$.exercises') e WHERE json_valid(runs.options);
  ALTER TABLE results ADD COLUMN reused_from INTEGER REFERENCES results(id);
  ALTER TABLE students ADD COLUMN on_roster INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE students ADD COLUMN sis_id TEXT;
  ALTER TABLE submissions ADD COLUMN fetched_at TEXT;
  ALTER TABLE submissions ADD COLUMN first_seen TEXT;
  ALTER TABLE submissions ADD COLUMN pushed_late TEXT;
  CREATE TABLE commits (
    student_id TEXT NOT NULL,
    sha TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (student_id, sha)
  );
  `,
  // 3: each student's deadline and the late credit of what was graded (raw
  // and credited points both kept), the teacher's overrides (never touched by
  // a regrade), each check's Dockerfile lines and visibility, and the
  // attempts the student's own history (.dockerlings/history.jsonl) shows.
  `
  ALTER TABLE students ADD COLUMN lang TEXT;
  ALTER TABLE submissions ADD COLUMN deadline TEXT;
  ALTER TABLE submissions ADD COLUMN late_ms INTEGER;
  ALTER TABLE submissions ADD COLUMN credit REAL;
  ALTER TABLE results ADD COLUMN credited_points REAL;
  ALTER TABLE checks ADD COLUMN lines TEXT;
  ALTER TABLE checks ADD COLUMN visible TEXT;
  CREATE TABLE overrides (
    id INTEGER PRIMARY KEY,
    student_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    points REAL,
    reason TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE TABLE attempts (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    student_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    time_spent_ms INTEGER NOT NULL,
    first_at TEXT,
    passed_at TEXT,
    attempts_to_pass INTEGER,
    time_to_pass_ms INTEGER,
    PRIMARY KEY (run_id, student_id, exercise_id)
  );
  `,
];

export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryError";
  }
}

export interface RunInfo {
  id: number;
  started_at: string;
  finished_at: string | null;
  course_version: string;
  grader_version: string;
  roster_digest: string;
  shard: string | null;
  options: string;
}

/** Where a student's submission stood in one run. `missing`: nothing to grade; the others are fetch outcomes. */
export type SubmissionStatus = "graded" | "missing" | "unfetchable" | "no-commit-before-deadline";

/**
 * How the graded commit stands against the deadline when its committer date
 * says before: `certain`, first fetched after a fetch that was already past
 * the deadline and did not have it (pushed after the deadline, back-dated);
 * `possible`, first fetched after the deadline, the fetch before it being
 * earlier than the deadline (pushed in between, or after).
 */
export type PushedLate = "certain" | "possible";

export interface SubmissionRecord {
  student_id: string;
  status: SubmissionStatus;
  commit_graded?: string;
  commit_time?: string;
  commit_latest?: string;
  latest_time?: string;
  message?: string;
  /** When the repository was fetched for this run. */
  fetched_at?: string;
  /** When the graded commit was first fetched (this run or an earlier one). */
  first_seen?: string;
  pushed_late?: PushedLate;
  /** The commits the fetch saw on the repository's branches: their first fetch is this one unless an earlier one saw them. */
  commits?: string[];
  /** The student's deadline (their own, their section's or the course's), ISO 8601. */
  deadline?: string;
  /** How late the graded commit was made, past the deadline (ms; absent when on time or not known). */
  late_ms?: number;
  /** The late credit applied to every result of this submission (absent: 1). */
  credit?: number;
}

/** An exercise's status in the history: the grader's, plus `missing` for an exercise folder the submission lacks. */
export type HistoryStatus = "pass" | "fail" | "error" | "missing";

export interface ResultRecord {
  exercise_id: string;
  submission_digest: string;
  exercise_digest: string;
  status: HistoryStatus;
  points: number;
  max_points: number;
  message?: string;
  error_kind?: string;
  attempts: number;
  duration_ms?: number;
  checks: { name: string; status: string; points: number; max_points: number; message?: string; lines?: number[]; visible?: string }[];
  /** A result of an earlier run with the same submission, exercise and versions, taken as this run's: recorded again, its checks read from it. */
  reused_from?: ResultRow;
}

export interface ResultRow {
  id: number;
  run_id: number;
  student_id: string;
  exercise_id: string;
  submission_digest: string;
  exercise_digest: string;
  commit_graded: string | null;
  status: HistoryStatus;
  points: number;
  max_points: number;
  message: string | null;
  error_kind: string | null;
  attempts: number;
  duration_ms: number | null;
  graded_at: string;
  /** The result this run took again instead of grading (the first of the chain); its checks are that result's. */
  reused_from: number | null;
  /** The points once the submission's late credit is applied (null in a history older than schema 3: the points). */
  credited_points: number | null;
}

export interface CheckRow {
  result_id: number;
  position: number;
  name: string;
  status: string;
  points: number;
  max_points: number;
  message: string | null;
  /** The Dockerfile lines the failure is about, as JSON. */
  lines: string | null;
  /** "after_deadline" for a check the student sees only then. */
  visible: string | null;
}

export interface StudentRow {
  id: string;
  name: string;
  position: number;
  section: string | null;
  email: string | null;
  /** The student's id in the school's information system (Canvas's SIS User ID). */
  sis_id: string | null;
  source: string;
  /** 0 once the student is no longer on the roster of the latest run: kept in the history, left out of every report. */
  on_roster: number;
  /** The language of the student's own page (fr, en), when the roster gives one. */
  lang: string | null;
}

export interface SubmissionRow {
  run_id: number;
  student_id: string;
  status: SubmissionStatus;
  commit_graded: string | null;
  commit_time: string | null;
  commit_latest: string | null;
  latest_time: string | null;
  message: string | null;
  recorded_at: string;
  fetched_at: string | null;
  first_seen: string | null;
  pushed_late: PushedLate | null;
  deadline: string | null;
  late_ms: number | null;
  credit: number | null;
}

/** A teacher's correction of one grade: the latest row of a student's exercise decides; points null clears it. */
export interface OverrideRow {
  id: number;
  student_id: string;
  exercise_id: string;
  points: number | null;
  reason: string;
  by: string;
  at: string;
}

/** What a student's own history showed of an exercise when a run fetched their work. */
export interface AttemptsRow {
  run_id: number;
  student_id: string;
  exercise_id: string;
  attempts: number;
  time_spent_ms: number;
  first_at: string | null;
  passed_at: string | null;
  attempts_to_pass: number | null;
  time_to_pass_ms: number | null;
}

/** An exercise a run looked at, and what it was worth then. */
export interface RunExerciseRow {
  run_id: number;
  exercise_id: string;
  max_points: number;
}

export function results_of(graded: GradedExercise): Pick<ResultRecord, "status" | "points" | "max_points" | "message" | "error_kind" | "duration_ms" | "checks"> {
  return {
    status: graded.status,
    points: graded.points,
    max_points: graded.max_points,
    ...(graded.message !== undefined ? { message: graded.message } : {}),
    ...(graded.error_kind !== undefined ? { error_kind: graded.error_kind } : {}),
    ...(graded.duration_ms !== undefined ? { duration_ms: Math.round(graded.duration_ms) } : {}),
    checks: graded.tests.map((t) => ({
      name: t.name,
      status: t.status,
      points: t.points,
      max_points: t.max_points,
      ...(t.message ? { message: t.message } : {}),
      ...(t.lines?.length ? { lines: t.lines } : {}),
      ...(t.visible ? { visible: t.visible } : {}),
    })),
  };
}

const now = (): string => new Date().toISOString();

/**
 * better-sqlite3 is an optional dependency: only a class's history needs it,
 * and its native module may be missing where a student's install could not
 * build or download it (npx with install scripts off, no compiler). It is
 * loaded when a history is opened, so `check`, the watch loop and `grade` never
 * depend on it, and its absence is said with what to do.
 */
export function sqlite(load: (id: string) => unknown = createRequire(import.meta.url)): typeof Database {
  try {
    return load("better-sqlite3") as typeof Database;
  } catch (error) {
    throw new HistoryError(
      `l'historique d'une classe demande le module better-sqlite3, qui n'a pas pu être chargé (${(error as Error).message.split("\n")[0]}) : ` +
        "installez-le à côté de dockerlings (`npm install better-sqlite3@12`, avec les scripts d'installation permis) puis relancez la commande",
    );
  }
}

export class History {
  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** Opens (creating, migrating) the history; `readonly` for reports, which must not create a file. */
  static open(file: string, options: { readonly?: boolean } = {}): History {
    const resolved = path.resolve(file);
    if (options.readonly && !fs.existsSync(resolved)) throw new HistoryError(`pas d'historique ici : ${resolved} n'existe pas`);
    if (!options.readonly) fs.mkdirSync(path.dirname(resolved), { recursive: true });
    const Sqlite = sqlite();
    let db: Database.Database;
    try {
      db = new Sqlite(resolved, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    } catch (error) {
      throw new HistoryError(`${resolved} ne peut pas être ouvert : ${(error as Error).message}`);
    }
    const history = new History(db, resolved);
    try {
      db.pragma("busy_timeout = 10000");
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new HistoryError(`${resolved} a le schéma ${version}, plus récent que celui de cette version de dockerlings (${SCHEMA_VERSION}) : mettez dockerlings à jour`);
      }
      if (!options.readonly) {
        db.pragma("journal_mode = WAL");
        // WAL with NORMAL loses nothing when the process is killed (only a power cut could lose the last commits).
        db.pragma("synchronous = NORMAL");
        db.pragma("foreign_keys = ON");
        history.migrate(version);
      } else if (version < SCHEMA_VERSION) {
        throw new HistoryError(`${resolved} a un ancien schéma (${version}) : lancez \`dockerlings cohort grade\` une fois pour le mettre à jour`);
      }
    } catch (error) {
      db.close();
      if (error instanceof HistoryError) throw error;
      throw new HistoryError(`${resolved} n'est pas un historique dockerlings lisible : ${(error as Error).message}`);
    }
    return history;
  }

  private migrate(from: number): void {
    for (let v = from; v < SCHEMA_VERSION; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  close(): void {
    this.db.close();
  }

  meta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  set_meta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  /** The students of the roster, kept in its order; a student no longer on it stays, for the history, marked so. */
  record_students(students: Student[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO students (id, name, position, section, email, sis_id, source, on_roster, lang) VALUES (@id, @name, @position, @section, @email, @sis_id, @source, 1, @lang)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, position = excluded.position, section = excluded.section,
         email = excluded.email, sis_id = excluded.sis_id, source = excluded.source, on_roster = 1, lang = excluded.lang`,
    );
    this.db.transaction(() => {
      this.db.prepare("UPDATE students SET on_roster = 0").run();
      students.forEach((s, position) =>
        upsert.run({
          id: s.id,
          name: s.name,
          position,
          section: s.section ?? null,
          email: s.email ?? null,
          sis_id: s.sis_id ?? null,
          lang: s.lang ?? null,
          source: JSON.stringify(s.source.kind === "path" ? { kind: "path", path: s.source.written } : s.source),
        }),
      );
    })();
  }

  /** A new run, with the exercises it looks at (each student it reaches is graded on these, and only these). */
  start_run(run: {
    course_version: string;
    grader_version: string;
    roster_digest: string;
    shard?: string;
    exercises: { id: string; max_points: number }[];
    options: Record<string, unknown>;
  }): number {
    return this.db.transaction(() => {
      const info = this.db
        .prepare("INSERT INTO runs (started_at, course_version, grader_version, roster_digest, shard, options) VALUES (?, ?, ?, ?, ?, ?)")
        .run(now(), run.course_version, run.grader_version, run.roster_digest, run.shard ?? null, JSON.stringify({ exercises: run.exercises.map((e) => e.id), ...run.options }));
      const run_id = Number(info.lastInsertRowid);
      const add = this.db.prepare("INSERT INTO run_exercises (run_id, exercise_id, max_points) VALUES (?, ?, ?)");
      for (const e of run.exercises) add.run(run_id, e.id, e.max_points);
      return run_id;
    }).immediate();
  }

  finish_run(run_id: number): void {
    this.db.prepare("UPDATE runs SET finished_at = ? WHERE id = ?").run(now(), run_id);
  }

  /**
   * The result already recorded for this student's exercise with the same
   * submission, exercise and versions, if any: what a rerun need not grade
   * again. Errors are never reused: they are graded again.
   */
  reusable(student_id: string, exercise_id: string, key: { submission_digest: string; exercise_digest: string; course_version: string; grader_version: string }): ResultRow | undefined {
    return this.db
      .prepare(
        `SELECT r.* FROM results r JOIN runs ON runs.id = r.run_id
         WHERE r.student_id = ? AND r.exercise_id = ? AND r.submission_digest = ? AND r.exercise_digest = ?
           AND runs.course_version = ? AND runs.grader_version = ? AND r.status != 'error'
         ORDER BY r.id DESC LIMIT 1`,
      )
      .get(student_id, exercise_id, key.submission_digest, key.exercise_digest, key.course_version, key.grader_version) as ResultRow | undefined;
  }

  /**
   * One student's submission in a run and its results, in one transaction:
   * all of it or none. A result reused from an earlier run is recorded again
   * in this run (so that the run says what it found for every exercise it
   * looked at), pointing at the result it repeats.
   */
  record_submission(run_id: number, submission: SubmissionRecord, results: ResultRecord[]): void {
    const recorded_at = now();
    const insert_submission = this.db.prepare(
      `INSERT INTO submissions (run_id, student_id, status, commit_graded, commit_time, commit_latest, latest_time, message, recorded_at, fetched_at, first_seen, pushed_late, deadline, late_ms, credit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, student_id) DO UPDATE SET status = excluded.status, commit_graded = excluded.commit_graded,
         commit_time = excluded.commit_time, commit_latest = excluded.commit_latest, latest_time = excluded.latest_time,
         message = excluded.message, recorded_at = excluded.recorded_at, fetched_at = excluded.fetched_at,
         first_seen = excluded.first_seen, pushed_late = excluded.pushed_late, deadline = excluded.deadline,
         late_ms = excluded.late_ms, credit = excluded.credit`,
    );
    const insert_result = this.db.prepare(
      `INSERT INTO results (run_id, student_id, exercise_id, submission_digest, exercise_digest, commit_graded, status, points, max_points,
         message, error_kind, attempts, duration_ms, graded_at, reused_from, credited_points)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, student_id, exercise_id) DO NOTHING`,
    );
    const insert_check = this.db.prepare(
      "INSERT INTO checks (result_id, position, name, status, points, max_points, message, lines, visible) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    // The credit is the submission's (when its commit was made): the same for a result taken again.
    const credit = submission.credit ?? 1;
    const insert_commit = this.db.prepare("INSERT OR IGNORE INTO commits (student_id, sha, first_seen) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      for (const sha of submission.commits ?? []) insert_commit.run(submission.student_id, sha, submission.fetched_at ?? recorded_at);
      insert_submission.run(
        run_id,
        submission.student_id,
        submission.status,
        submission.commit_graded ?? null,
        submission.commit_time ?? null,
        submission.commit_latest ?? null,
        submission.latest_time ?? null,
        submission.message ?? null,
        recorded_at,
        submission.fetched_at ?? null,
        submission.first_seen ?? null,
        submission.pushed_late ?? null,
        submission.deadline ?? null,
        submission.late_ms ?? null,
        submission.credit ?? null,
      );
      for (const r of results) {
        const reused = r.reused_from;
        const info = insert_result.run(
          run_id,
          submission.student_id,
          r.exercise_id,
          r.submission_digest,
          r.exercise_digest,
          submission.commit_graded ?? null,
          reused?.status ?? r.status,
          reused?.points ?? r.points,
          reused?.max_points ?? r.max_points,
          (reused ? reused.message : r.message) ?? null,
          (reused ? reused.error_kind : r.error_kind) ?? null,
          reused ? 0 : r.attempts,
          (reused ? reused.duration_ms : r.duration_ms) ?? null,
          reused?.graded_at ?? recorded_at,
          reused ? (reused.reused_from ?? reused.id) : null,
          Math.round((reused?.points ?? r.points) * credit * 100) / 100,
        );
        if (reused || info.changes === 0) continue;
        r.checks.forEach((c, position) =>
          insert_check.run(
            info.lastInsertRowid, position, c.name, c.status, c.points, c.max_points, c.message ?? null,
            c.lines?.length ? JSON.stringify(c.lines) : null, c.visible ?? null,
          ),
        );
      }
    }).immediate();
  }

  /** When a commit of this student's was first fetched, if it ever was. */
  first_seen(student_id: string, sha: string): string | undefined {
    return (this.db.prepare("SELECT first_seen FROM commits WHERE student_id = ? AND sha = ?").get(student_id, sha) as { first_seen: string } | undefined)?.first_seen;
  }

  /** The latest fetch of this student's repository before `before` (an ISO time), if any. */
  fetch_before(student_id: string, before: string): string | undefined {
    return (
      this.db
        .prepare("SELECT max(fetched_at) AS at FROM submissions WHERE student_id = ? AND fetched_at IS NOT NULL AND fetched_at < ?")
        .get(student_id, before) as { at: string | null }
    ).at ?? undefined;
  }

  /**
   * A grading session about to create images and containers: recorded first,
   * so that if this process is killed the next run removes what it left.
   */
  open_session(session: string, student_id: string): void {
    this.db.prepare("INSERT OR REPLACE INTO sessions (id, student_id, started_at) VALUES (?, ?, ?)").run(session, student_id, now());
  }

  close_session(session: string): void {
    this.db.prepare("DELETE FROM sessions WHERE id = ?").run(session);
  }

  /** Sessions opened and never closed: a killed run's. */
  open_sessions(): string[] {
    return (this.db.prepare("SELECT id FROM sessions ORDER BY started_at").all() as { id: string }[]).map((r) => r.id);
  }

  runs(): RunInfo[] {
    return this.db.prepare("SELECT * FROM runs ORDER BY id").all() as RunInfo[];
  }

  /** Every student the history knows, the ones no longer on the roster too (on_roster 0). */
  students(): StudentRow[] {
    return this.db.prepare("SELECT * FROM students ORDER BY position, id").all() as StudentRow[];
  }

  /** Every result, oldest first. */
  results(): ResultRow[] {
    return this.db.prepare("SELECT * FROM results ORDER BY id").all() as ResultRow[];
  }

  /** The exercises each run looked at. */
  run_exercises(): RunExerciseRow[] {
    return this.db.prepare("SELECT * FROM run_exercises ORDER BY run_id, exercise_id").all() as RunExerciseRow[];
  }

  /** The checks of results by their ids (a reused result's are those of the result it repeats: ask for `reused_from ?? id`). */
  checks_of(result_ids: number[]): Map<number, CheckRow[]> {
    const by_result = new Map<number, CheckRow[]>();
    const select = this.db.prepare("SELECT * FROM checks WHERE result_id = ? ORDER BY position");
    for (const id of result_ids) by_result.set(id, select.all(id) as CheckRow[]);
    return by_result;
  }

  submissions(): SubmissionRow[] {
    return this.db.prepare("SELECT * FROM submissions ORDER BY run_id, student_id").all() as SubmissionRow[];
  }

  /** A teacher's correction of a grade (points null: the correction is withdrawn); the history keeps every one. */
  record_override(o: { student_id: string; exercise_id: string; points: number | null; reason: string; by: string }): OverrideRow {
    const at = now();
    const info = this.db
      .prepare("INSERT INTO overrides (student_id, exercise_id, points, reason, by, at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(o.student_id, o.exercise_id, o.points, o.reason, o.by, at);
    return { id: Number(info.lastInsertRowid), ...o, at };
  }

  /** Every override and withdrawal, oldest first. */
  overrides(): OverrideRow[] {
    return this.db.prepare("SELECT * FROM overrides ORDER BY id").all() as OverrideRow[];
  }

  /** What the student's own history showed when this run fetched their work (one row per exercise it names). */
  record_attempts(run_id: number, student_id: string, rows: Omit<AttemptsRow, "run_id" | "student_id">[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO attempts (run_id, student_id, exercise_id, attempts, time_spent_ms, first_at, passed_at, attempts_to_pass, time_to_pass_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const r of rows) insert.run(run_id, student_id, r.exercise_id, r.attempts, r.time_spent_ms, r.first_at, r.passed_at, r.attempts_to_pass, r.time_to_pass_ms);
    })();
  }

  attempts(): AttemptsRow[] {
    return this.db.prepare("SELECT * FROM attempts ORDER BY run_id, student_id, exercise_id").all() as AttemptsRow[];
  }
}
