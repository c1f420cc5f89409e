// One history from the shards of a CI matrix. Shards belong together when
// they graded the same roster with the same course and grader versions, as
// i/n for one n, every i once; a student graded in two shards, a missing
// shard or a stranger's database is refused before anything is written.
// The runs of one CI run are one run of the class: the shards' runs are
// paired from the latest back (each shard's last run with the others' last,
// and so on), so that the merged history has the class's runs, not one per
// shard, and its progression compares the whole class run after run.
import fs from "node:fs";
import path from "node:path";
import { History, HistoryError, type AttemptsRow, type CheckRow, type OverrideRow, type ResultRow, type RunExerciseRow, type RunInfo, type StudentRow, type SubmissionRow } from "./history.js";
import { parse_shard } from "./shard.js";

export class MergeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeRefusedError";
  }
}

interface ShardContent {
  file: string;
  index: number;
  count: number;
  roster_digest: string;
  course_version: string;
  grader_version: string;
  runs: RunInfo[];
  students: StudentRow[];
  submissions: SubmissionRow[];
  results: ResultRow[];
  checks: Map<number, CheckRow[]>;
  run_exercises: RunExerciseRow[];
  commits: { student_id: string; sha: string; first_seen: string }[];
  overrides: OverrideRow[];
  attempts: AttemptsRow[];
}

function read_shard(file: string): ShardContent {
  let history: History;
  try {
    history = History.open(file, { readonly: true });
  } catch (error) {
    throw new MergeRefusedError(`${file} : ${(error as Error).message}`);
  }
  try {
    const runs = history.runs();
    if (runs.length === 0) throw new MergeRefusedError(`${file} : aucune correction enregistrée`);
    const shards = new Set(runs.map((r) => r.shard));
    if (shards.size !== 1 || [...shards][0] === null) {
      throw new MergeRefusedError(`${file} n'est pas la base d'un shard (ses corrections : ${[...shards].map((s) => s ?? "sans --shard").join(", ")})`);
    }
    const shard = parse_shard([...shards][0]!)!;
    // Shards belong together by their latest run: a shard's history may hold runs of an older roster or version.
    const latest = runs[runs.length - 1]!;
    const one = (what: "roster_digest" | "course_version" | "grader_version"): string => latest[what];
    const results = history.results();
    return {
      file,
      index: shard.index,
      count: shard.count,
      roster_digest: one("roster_digest"),
      course_version: one("course_version"),
      grader_version: one("grader_version"),
      runs,
      students: history.students(),
      submissions: history.submissions(),
      results,
      checks: history.checks_of(results.map((r) => r.id)),
      run_exercises: history.run_exercises(),
      commits: history.db.prepare("SELECT student_id, sha, first_seen FROM commits").all() as ShardContent["commits"],
      overrides: history.overrides(),
      attempts: history.attempts(),
    };
  } finally {
    history.close();
  }
}

export function merge_histories(files: string[], target: string): { shards: number; students: number; results: number } {
  if (files.length === 0) throw new MergeRefusedError("aucune base de shard donnée");
  const resolved_target = path.resolve(target);
  if (files.some((f) => path.resolve(f) === resolved_target)) throw new MergeRefusedError(`${target} est aussi l'un des shards`);
  if (fs.existsSync(resolved_target)) throw new MergeRefusedError(`${target} existe déjà : la fusion écrit une nouvelle base (supprimez-la ou choisissez un autre --db)`);
  const shards = files.map(read_shard);
  const first = shards[0]!;
  for (const s of shards) {
    if (s.roster_digest !== first.roster_digest) throw new MergeRefusedError(`${s.file} a corrigé un autre roster que ${first.file}`);
    if (s.course_version !== first.course_version) throw new MergeRefusedError(`${s.file} : cours ${s.course_version}, ${first.file} : ${first.course_version}`);
    if (s.grader_version !== first.grader_version) throw new MergeRefusedError(`${s.file} : correcteur ${s.grader_version}, ${first.file} : ${first.grader_version}`);
    if (s.count !== first.count) throw new MergeRefusedError(`${s.file} est un shard sur ${s.count}, ${first.file} sur ${first.count}`);
  }
  const by_index = new Map<number, string>();
  for (const s of shards) {
    const other = by_index.get(s.index);
    if (other) throw new MergeRefusedError(`le shard ${s.index}/${s.count} est donné deux fois (${other} et ${s.file})`);
    by_index.set(s.index, s.file);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((i) => !by_index.has(i));
  if (missing.length > 0) throw new MergeRefusedError(`shard(s) manquant(s) : ${missing.map((i) => `${i}/${first.count}`).join(", ")}`);
  const graded_in = new Map<string, string>();
  for (const s of shards) {
    for (const id of new Set(s.submissions.map((x) => x.student_id))) {
      const other = graded_in.get(id);
      if (other) throw new MergeRefusedError(`l'étudiant « ${id} » est dans deux shards (${other} et ${s.file})`);
      graded_in.set(id, s.file);
    }
  }

  // Written to a temporary file renamed at the end: a merge stopped half-way leaves no half-merged base.
  const partial = `${resolved_target}.partial-${process.pid}`;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(partial + suffix, { force: true });
  let history: History;
  try {
    history = History.open(partial);
  } catch (error) {
    throw new HistoryError((error as Error).message);
  }
  let results = 0;
  try {
    const db = history.db;
    db.transaction(() => {
      const insert = (table: string, row: Record<string, unknown>): number => {
        const columns = Object.keys(row);
        return Number(
          db.prepare(`INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(row).lastInsertRowid,
        );
      };
      for (const s of shards) for (const st of s.students) insert("students", { ...st });
      // The class's runs: the shards' runs paired from the latest back.
      const ordered = [...shards].sort((a, b) => a.index - b.index);
      const depth = Math.max(...ordered.map((s) => s.runs.length));
      const groups: RunInfo[][] = Array.from({ length: depth }, () => []);
      for (const s of ordered) s.runs.forEach((run, i) => groups[depth - s.runs.length + i]!.push(run));
      const merged_run = new Map<string, number>(); // `${shard index}:${run id}` -> merged run id
      for (const group of groups) {
        const latest = group[group.length - 1]!;
        const options = JSON.parse(latest.options) as Record<string, unknown>;
        const run_id = insert("runs", {
          started_at: group.map((r) => r.started_at).sort()[0]!,
          finished_at: group.every((r) => r.finished_at) ? group.map((r) => r.finished_at!).sort().at(-1)! : null,
          course_version: latest.course_version,
          grader_version: latest.grader_version,
          roster_digest: latest.roster_digest,
          shard: group.map((r) => r.shard).join(" "),
          options: JSON.stringify({ ...options, shards: group.map((r) => r.shard) }),
        });
        for (const r of group) {
          const s = ordered.find((x) => x.runs.includes(r))!;
          merged_run.set(`${s.index}:${r.id}`, run_id);
        }
      }
      for (const s of ordered) {
        const run_of = (id: number): number => merged_run.get(`${s.index}:${id}`)!;
        for (const e of s.run_exercises) insert("run_exercises", { ...e, run_id: run_of(e.run_id) });
        for (const sub of s.submissions) insert("submissions", { ...sub, run_id: run_of(sub.run_id) });
        const result_ids = new Map<number, number>();
        for (const r of s.results) {
          const { id, ...rest } = r;
          const new_id = insert("results", { ...rest, run_id: run_of(r.run_id), reused_from: r.reused_from === null ? null : result_ids.get(r.reused_from) ?? null });
          result_ids.set(id, new_id);
          for (const c of s.checks.get(id) ?? []) insert("checks", { ...c, result_id: new_id });
          results++;
        }
        for (const c of s.commits) insert("commits", { ...c });
        for (const a of s.attempts) insert("attempts", { ...a, run_id: run_of(a.run_id) });
      }
      // A teacher's corrections made in a shard's history, in the order they were made.
      const overrides = ordered.flatMap((s) => s.overrides).sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
      for (const { id: _id, ...o } of overrides) insert("overrides", { ...o });
    })();
    history.set_meta("roster_digest", first.roster_digest);
    history.set_meta("course_version", first.course_version);
    history.set_meta("grader_version", first.grader_version);
    history.set_meta("merged_from", JSON.stringify(shards.map((s) => `${s.index}/${s.count}`).sort()));
    history.db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    history.close();
  }
  fs.renameSync(partial, resolved_target);
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(partial + suffix, { force: true });
  return { shards: shards.length, students: graded_in.size, results };
}
