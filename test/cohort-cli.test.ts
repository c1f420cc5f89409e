// `dockerlings cohort` as a teacher types it, where no engine is needed: a
// deadline that does not exist is refused before anything runs; a reader
// that goes away (`… | head`) costs the output, never the work; the report's
// HTML says the deadline, an interrupted run and each message whole.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { dockerlings, project_root } from "./helpers/cli.js";
import { History, cohort_report, parse_roster, report_html } from "../grader/cohort/index.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test("a deadline that does not exist (30 February) is refused, saying what is expected", async () => {
  fs.writeFileSync(path.join(root, "r.yaml"), "students:\n  - { id: a, path: a }\n");
  const run = await dockerlings(["cohort", "grade", path.join(root, "r.yaml"), "--db", path.join(root, "x.db"), "--deadline", "2026-02-30T10:00+01:00"], { cwd: root });
  expect(run.code).toBe(2);
  expect(run.stderr.replace(/\s+/g, " ")).toContain("--deadline attend une date ISO 8601 qui existe, avec son fuseau (ex. 2026-12-15T23:59+01:00), pas « 2026-02-30T10:00+01:00 ».");
  expect(fs.existsSync(path.join(root, "x.db"))).toBe(false);
});

/** A history of a large class: enough output for a pipe to close while it is written. */
function big_history(students: number): string {
  const ids = Array.from({ length: students }, (_, i) => `s${String(i).padStart(4, "0")}`);
  const file = path.join(root, `big-${students}.db`);
  const roster = parse_roster(`students:\n${ids.map((id) => `  - { id: ${id}, path: ${id} }`).join("\n")}\n`, path.join(root, "big.yaml"));
  const history = History.open(file);
  history.record_students(roster.students);
  const run = history.start_run({ course_version: "c", grader_version: "g", roster_digest: roster.digest, exercises: [{ id: "01-a", max_points: 10 }], options: {} });
  for (const id of ids) {
    history.record_submission(run, { student_id: id, status: "graded" }, [
      { exercise_id: "01-a", submission_digest: id, exercise_digest: "e", status: "pass", points: 10, max_points: 10, attempts: 1, checks: [] },
    ]);
  }
  history.finish_run(run);
  history.close();
  return file;
}

test("a reader that goes away (`cohort report | head`) ends nothing in error: the command goes on to its end, exit 0", async () => {
  const db = big_history(3000);
  const child = spawn(process.execPath, [path.join(project_root, "bin", "dockerlings.js"), "cohort", "report", "--db", db], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", DOCKERLINGS_LANG: "fr" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  // Like head: read the first lines, then close the pipe.
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  expect(stderr).not.toMatch(/EPIPE|Unhandled|erreur inattendue/);
  expect(code).toBe(0);
});

test("the HTML says the deadline, a run that was interrupted, and each failure's message whole", () => {
  const roster = parse_roster("students:\n  - { id: zoe, name: Zoé, path: z }\n", path.join(root, "z.yaml"));
  const history = History.open(path.join(root, "html.db"));
  history.record_students(roster.students);
  const long = `Ligne 3 (RUN pip install -r requirements.txt) : la commande a échoué avec le code de sortie 1.\n${"ERROR: Could not find a version that satisfies the requirement flask==99. ".repeat(6)}\nDeuxième ligne utile à la fin du message`;
  const run1 = history.start_run({ course_version: "c", grader_version: "g", roster_digest: roster.digest, exercises: [{ id: "01-a", max_points: 10 }], options: { deadline: "2026-12-15T22:59:00.000Z" } });
  history.record_submission(run1, { student_id: "zoe", status: "graded" }, [
    { exercise_id: "01-a", submission_digest: "d", exercise_digest: "e", status: "fail", points: 2, max_points: 10, attempts: 1, checks: [{ name: "l'image se construit", status: "fail", points: 0, max_points: 8, message: long }, { name: "FROM", status: "pass", points: 2, max_points: 2 }] },
  ]);
  // Not finished: killed with -9, as the history shows it.
  const html = report_html(cohort_report(history));
  history.close();
  expect(html).toContain("Date limite de la dernière correction : <b>2026-12-15T22:59:00.000Z</b>");
  expect(html).toMatch(/<tr class="interrupted"><td>1<\/td>[^]*interrompue \(tuée, ou encore en cours\)/);
  // The panel keeps the whole message (escaped), its last line too, nothing cut mid-word.
  expect(html).toContain("Deuxième ligne utile à la fin du message");
  expect(html).toContain("flask==99. ERROR: Could not find");
});
