// Where a student's work lives, through the real CLI and no engine: `init`
// makes the folder and says what to do next; every command finds the
// workspace from the current folder upward (a teacher's repository of exercise
// folders too); without one, each says how to make it; `progress` shows the
// attempts kept in the workspace.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { dockerlings as run_cli, project_root } from "./helpers/cli.js";
import { student_dir } from "./helpers/terminal.js";
import { fixture_course, make_course, real_course } from "./helpers/course.js";

const EX = "01-premier-dockerfile";
const course = make_course({ [EX]: real_course, "90-serveur": fixture_course });
const starter = fs.readFileSync(path.join(project_root, "exercises", EX, "starter", "Dockerfile"), "utf8");
afterAll(() => fs.rmSync(course, { recursive: true, force: true }));

const dockerlings = (args: string[], cwd: string, env: Record<string, string> = {}) => run_cli(args, { cwd, env: { DOCKERLINGS_COURSE: course, ...env } });
const flat = (text: string) => text.replace(/\s+/g, " ");

describe("dockerlings init", () => {
  test("makes dockerlings/: a folder per exercise, a README, a .gitignore, the progress folder; says the next command", async () => {
    const cwd = student_dir();
    const run = await dockerlings(["init"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ Espace de travail prêt : dockerlings\/ \(2 exercices, un dossier chacun, et un\n {2}README\)\.\n\nPour commencer :\n {2}cd dockerlings\n {2}dockerlings\n/);
    expect(flat(run.stdout)).toMatch(/L'exercice en cours s'ouvre, corrigé à chaque enregistrement de ses fichiers\. $/);
    const ws = path.join(cwd, "dockerlings");
    expect(fs.readdirSync(ws).sort()).toEqual([".dockerlings", ".gitignore", EX, "90-serveur", "README.md"]);
    expect(fs.readFileSync(path.join(ws, EX, "Dockerfile"), "utf8")).toBe(starter);
    const readme = fs.readFileSync(path.join(ws, "README.md"), "utf8");
    expect(readme).toMatch(/^# /);
    expect(readme).toContain(`- \`${EX}/\` — Votre premier Dockerfile`);
    expect(readme).toMatch(/`\.dockerlings\/history\.jsonl`/);
    expect(fs.readFileSync(path.join(ws, ".dockerlings", ".gitignore"), "utf8")).toMatch(/^logs\/$/m);
    expect(JSON.parse(fs.readFileSync(path.join(ws, ".dockerlings", "progress.json"), "utf8"))).toEqual({ format: 1, current: EX, exercises: {} });
  });

  test("into a named or the current folder; in English", async () => {
    const cwd = student_dir();
    fs.mkdirSync(path.join(cwd, "vide"));
    const named = await dockerlings(["init", "vide", "--lang", "en"], cwd);
    expect(flat(named.stdout)).toMatch(/^✓ Workspace ready: vide\/ \(2 exercises, one folder each, and a README\)\. To start: cd vide dockerlings The current exercise opens/);
    // A new repository (a README, .git) is empty enough; the current folder needs no `cd`.
    const repo = student_dir();
    fs.writeFileSync(path.join(repo, "README.md"), "# tp\n");
    fs.mkdirSync(path.join(repo, ".git"));
    const here = await dockerlings(["init", "."], repo);
    expect(here.code).toBe(0);
    expect(here.stdout).not.toMatch(/cd /);
    expect(fs.readFileSync(path.join(repo, "README.md"), "utf8")).toBe("# tp\n"); // never overwritten
    expect(fs.existsSync(path.join(repo, EX, "Dockerfile"))).toBe(true);
  });

  test("again in a workspace: adds the exercises it lacks, keeps every file; refuses a folder with other files, or inside a workspace", async () => {
    const cwd = student_dir();
    await dockerlings(["init"], cwd);
    const ws = path.join(cwd, "dockerlings");
    fs.writeFileSync(path.join(ws, EX, "Dockerfile"), "FROM scratch\n# à moi\n");
    fs.rmSync(path.join(ws, "90-serveur"), { recursive: true });
    const again = await dockerlings(["init"], cwd);
    expect(again.code).toBe(0);
    expect(flat(again.stdout)).toMatch(/dockerlings\/ était déjà un espace de travail : exercices ajoutés : 90-serveur\. Rien d'autre n'a changé\./);
    expect(fs.readFileSync(path.join(ws, EX, "Dockerfile"), "utf8")).toBe("FROM scratch\n# à moi\n");
    expect(flat((await dockerlings(["init", "dockerlings"], cwd)).stdout)).toMatch(/déjà un espace de travail avec tous les exercices : rien n'a changé/);

    const inside = await dockerlings(["init"], ws);
    expect(inside.code).toBe(2);
    expect(flat(inside.stderr)).toMatch(/dockerlings\/ est dans l'espace de travail \.\/ : continuez-y/);

    fs.mkdirSync(path.join(cwd, "photos"));
    fs.writeFileSync(path.join(cwd, "photos", "vacances.jpg"), "");
    const busy = await dockerlings(["init", "photos"], cwd);
    expect(busy.code).toBe(2);
    expect(flat(busy.stderr)).toMatch(/photos\/ existe déjà et contient d'autres fichiers \(vacances\.jpg\).*`dockerlings init AUTRE-DOSSIER`/);
    expect(fs.readdirSync(path.join(cwd, "photos"))).toEqual(["vacances.jpg"]);
  });
});

describe("finding the workspace", () => {
  test("from any folder inside it", async () => {
    const cwd = student_dir();
    await dockerlings(["init"], cwd);
    const deep = path.join(cwd, "dockerlings", "90-serveur");
    const start = await dockerlings(["start", "90"], deep);
    expect(start.code).toBe(0);
    expect(flat(start.stdout)).toMatch(/Fichiers à modifier dans \.\/ : Dockerfile/);
    const listed = JSON.parse((await dockerlings(["list", "--json"], deep)).stdout);
    expect(listed.workspace).toBe(path.join(cwd, "dockerlings"));
    expect(listed.exercises.find((e: { current: boolean }) => e.current).id).toBe("90-serveur");
  });

  test("a teacher's repository of exercise folders: used as it is, nothing added but .dockerlings/", async () => {
    const repo = student_dir();
    fs.mkdirSync(path.join(repo, EX));
    fs.writeFileSync(path.join(repo, EX, "Dockerfile"), "FROM python:3.11-slim\n");
    const hint = await dockerlings(["hint"], path.join(repo, EX));
    expect(hint.code).toBe(0);
    expect(fs.readdirSync(repo).sort()).toEqual([".dockerlings", EX]);
    expect(fs.readFileSync(path.join(repo, ".dockerlings", ".gitignore"), "utf8")).toMatch(/^backups\/$/m);
    const list = await dockerlings(["list", "--json"], repo);
    expect(JSON.parse(list.stdout).workspace).toBe(repo);
  });

  test("none here or above: every command says so and names `dockerlings init`, exit 2, nothing made", async () => {
    const cwd = student_dir();
    for (const args of [["list"], ["hint"], ["progress"], ["check"], ["start", "01"], ["grade"]]) {
      const run = await dockerlings(args, cwd);
      expect(run.code, args.join(" ")).toBe(2);
      expect(flat(run.stderr)).toMatch(/Pas d'espace de travail dockerlings dans .* ni dans les dossiers au-dessus\. Pour en créer un : `dockerlings init`/);
    }
    const en = await dockerlings(["list", "--lang", "en"], cwd);
    expect(flat(en.stderr)).toMatch(/No dockerlings workspace in .* or in the folders above it\. To make one: `dockerlings init`/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test("--course: a pack given on the command line works the same", async () => {
    const cwd = student_dir();
    const made = await run_cli(["--course", course, "init", "cours"], { cwd });
    expect(made.code).toBe(0);
    const listed = await run_cli(["--course", course, "list"], { cwd: path.join(cwd, "cours") });
    expect(listed.stdout).toMatch(/90-serveur/);
  });
});

describe("dockerlings progress: attempts and time spent", () => {
  test("per exercise and in all, from the workspace's history", async () => {
    const cwd = student_dir();
    await dockerlings(["init"], cwd);
    const ws = path.join(cwd, "dockerlings");
    fs.writeFileSync(
      path.join(ws, ".dockerlings", "history.jsonl"),
      [
        { time: "2026-12-05T10:00:00Z", exercise: EX, points: 4, hints: 0 },
        { time: "2026-12-05T10:04:00Z", exercise: EX, points: 6, hints: 1 },
        { time: "2026-12-05T10:09:00Z", exercise: EX, points: 10, hints: 1 },
        { time: "2026-12-05T10:12:00Z", exercise: "90-serveur", points: 0, hints: 0 },
      ]
        .map((a) => JSON.stringify(a))
        .join("\n") + "\n",
    );
    const text = (await dockerlings(["progress"], ws)).stdout;
    expect(text).toMatch(/· 01-premier-dockerfile +Votre premier Dockerfile +3 essais · 9 min\n/);
    expect(text).toMatch(/· 90-serveur +Un serveur de test +1 essai · 3 min\n/);
    expect(flat(text)).toMatch(/4 essais en tout, environ 12 min de travail/);
    expect(text.split("\n").filter((line) => [...line].length > 80)).toEqual([]);
    const json = JSON.parse((await dockerlings(["progress", "--json"], ws)).stdout);
    expect(json).toMatchObject({ attempts: 4, time_spent_s: 720 });
    expect(json.parts[0].exercises[0]).toMatchObject({ id: EX, attempts: 3, time_spent_s: 540 });

    // A line that cannot be read is said, and the rest still counts.
    fs.appendFileSync(path.join(ws, ".dockerlings", "history.jsonl"), "oops\n");
    const again = await dockerlings(["progress", "--lang", "en"], ws);
    expect(flat(again.stderr)).toMatch(/Some lines of \.dockerlings\/history\.jsonl cannot be read \(5\): they are not counted\./);
    expect(again.stdout).toMatch(/3 attempts · 9 min/);
  });
});
