// The cohort's history: one SQLite file (better-sqlite3), written by one
// process only (the one running `cohort grade`; graders hand it their
// results). WAL mode and one transaction per student's submission: a kill -9
// at any moment loses at most the submission being graded, never one already
// recorded, and the next run goes on from there. The schema is versioned
// (PRAGMA user_version) and migrated forward when opened.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { GradedExercise } from "../result.js";
import type { Student } from "./roster.js";

export const SCHEMA_VERSION = 1;

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

export interface SubmissionRecord {
  student_id: string;
  status: SubmissionStatus;
  commit_graded?: string;
  commit_time?: string;
  commit_latest?: string;
  latest_time?: string;
  message?: string;
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
  checks: { name: string; status: string; points: number; max_points: number; message?: string }[];
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
}

export interface CheckRow {
  result_id: number;
  position: number;
  name: string;
  status: string;
  points: number;
  max_points: number;
  message: string | null;
}

export interface StudentRow {
  id: string;
  name: string;
  position: number;
  section: string | null;
  email: string | null;
  source: string;
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
}

export function results_of(graded: GradedExercise): Pick<ResultRecord, "status" | "points" | "max_points" | "message" | "error_kind" | "duration_ms" | "checks"> {
  return {
    status: graded.status,
    points: graded.points,
    max_points: graded.max_points,
    ...(graded.message !== undefined ? { message: graded.message } : {}),
    ...(graded.error_kind !== undefined ? { error_kind: graded.error_kind } : {}),
    ...(graded.duration_ms !== undefined ? { duration_ms: Math.round(graded.duration_ms) } : {}),
    checks: graded.tests.map((t) => ({ name: t.name, status: t.status, points: t.points, max_points: t.max_points, ...(t.message ? { message: t.message } : {}) })),
  };
}

const now = (): string => new Date().toISOString();

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
    let db: Database.Database;
    try {
      db = new Database(resolved, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
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

  /** The students of the roster, kept in its order (a student no longer on it stays, for the history). */
  record_students(students: Student[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO students (id, name, position, section, email, source) VALUES (@id, @name, @position, @section, @email, @source)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, position = excluded.position, section = excluded.section,
         email = excluded.email, source = excluded.source`,
    );
    this.db.transaction(() => {
      students.forEach((s, position) =>
        upsert.run({
          id: s.id,
          name: s.name,
          position,
          section: s.section ?? null,
          email: s.email ?? null,
          source: JSON.stringify(s.source.kind === "path" ? { kind: "path", path: s.source.written } : s.source),
        }),
      );
    })();
  }

  start_run(run: { course_version: string; grader_version: string; roster_digest: string; shard?: string; options: Record<string, unknown> }): number {
    const info = this.db
      .prepare("INSERT INTO runs (started_at, course_version, grader_version, roster_digest, shard, options) VALUES (?, ?, ?, ?, ?, ?)")
      .run(now(), run.course_version, run.grader_version, run.roster_digest, run.shard ?? null, JSON.stringify(run.options));
    return Number(info.lastInsertRowid);
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

  /** One student's submission in a run and its fresh results, in one transaction: all of it or none. */
  record_submission(run_id: number, submission: SubmissionRecord, results: ResultRecord[]): void {
    const recorded_at = now();
    const insert_submission = this.db.prepare(
      `INSERT INTO submissions (run_id, student_id, status, commit_graded, commit_time, commit_latest, latest_time, message, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, student_id) DO UPDATE SET status = excluded.status, commit_graded = excluded.commit_graded,
         commit_time = excluded.commit_time, commit_latest = excluded.commit_latest, latest_time = excluded.latest_time,
         message = excluded.message, recorded_at = excluded.recorded_at`,
    );
    const insert_result = this.db.prepare(
      `INSERT INTO results (run_id, student_id, exercise_id, submission_digest, exercise_digest, commit_graded, status, points, max_points,
         message, error_kind, attempts, duration_ms, graded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insert_check = this.db.prepare(
      "INSERT INTO checks (result_id, position, name, status, points, max_points, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.db.transaction(() => {
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
      );
      for (const r of results) {
        const info = insert_result.run(
          run_id,
          submission.student_id,
          r.exercise_id,
          r.submission_digest,
          r.exercise_digest,
          submission.commit_graded ?? null,
          r.status,
          r.points,
          r.max_points,
          r.message ?? null,
          r.error_kind ?? null,
          r.attempts,
          r.duration_ms ?? null,
          recorded_at,
        );
        r.checks.forEach((c, position) =>
          insert_check.run(info.lastInsertRowid, position, c.name, c.status, c.points, c.max_points, c.message ?? null),
        );
      }
    }).immediate();
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

  students(): StudentRow[] {
    return this.db.prepare("SELECT * FROM students ORDER BY position, id").all() as StudentRow[];
  }

  /** Every result, oldest first. */
  results(): ResultRow[] {
    return this.db.prepare("SELECT * FROM results ORDER BY id").all() as ResultRow[];
  }

  checks_of(result_ids: number[]): Map<number, CheckRow[]> {
    const by_result = new Map<number, CheckRow[]>();
    const select = this.db.prepare("SELECT * FROM checks WHERE result_id = ? ORDER BY position");
    for (const id of result_ids) by_result.set(id, select.all(id) as CheckRow[]);
    return by_result;
  }

  submissions(): SubmissionRow[] {
    return this.db.prepare("SELECT * FROM submissions ORDER BY run_id, student_id").all() as SubmissionRow[];
  }
}
