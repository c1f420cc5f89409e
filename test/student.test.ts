// The student's commands that need no engine: reset (with and without a
// confirmation), hints, a corrupt progress file, the solution, the lesson,
// progress and start, languages, colours and the 80-column layout.
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { dockerlings as run_cli, project_root } from "./helpers/cli.js";
import { Terminal, student_dir, student_workspace } from "./helpers/terminal.js";
import { fixture_course, make_course, real_course } from "./helpers/course.js";

const EX = "01-premier-dockerfile";
const course = make_course({ [EX]: real_course, "90-serveur": fixture_course });
const starter = fs.readFileSync(path.join(project_root, "exercises", EX, "starter", "Dockerfile"), "utf8");
const terminals: Terminal[] = [];

const dockerlings = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  run_cli(args, { cwd, env: { DOCKERLINGS_COURSE: course, ...env } });
const terminal = (args: string[], cwd: string, env: Record<string, string> = {}) => {
  const term = Terminal.open(args, { cwd, env: { DOCKERLINGS_COURSE: course, ...env } });
  terminals.push(term);
  return term;
};
const progress_file = (cwd: string) => path.join(cwd, "workspace", ".dockerlings", "progress.json");
const progress_of = (cwd: string) => JSON.parse(fs.readFileSync(progress_file(cwd), "utf8"));
/** Messages are wrapped to the terminal: compare them with spaces and line breaks folded. */
const flat = (text: string) => text.replace(/\s+/g, " ");
const no_line_wider = (text: string, width: number) => text.split("\n").filter((line) => [...line].length > width);

afterEach(() => {
  for (const term of terminals.splice(0)) term.close();
});
afterAll(() => fs.rmSync(course, { recursive: true, force: true }));

describe("dockerlings reset", () => {
  test("asks first: n keeps the files, y puts the starter back and keeps a backup", async () => {
    const cwd = student_workspace(course);
    const dockerfile = path.join(cwd, "workspace", EX, "Dockerfile");
    fs.writeFileSync(dockerfile, "FROM scratch\n# mon travail\n");

    let term = terminal(["reset", "01"], cwd);
    await term.wait_for(/Remettre workspace\/01-premier-dockerfile\/ dans son état de départ \?[\s\S]*\[o\/N\]/);
    term.keys("n");
    term.keys("Enter", true);
    expect(await term.exit_code()).toBe(1);
    expect(term.screen()).toMatch(/Rien n'a été changé\./);
    expect(fs.readFileSync(dockerfile, "utf8")).toBe("FROM scratch\n# mon travail\n");
    expect(fs.existsSync(path.join(cwd, "workspace", ".dockerlings", "backups"))).toBe(false);

    term = terminal(["reset", "01"], cwd);
    await term.wait_for(/\[o\/N\]/);
    term.keys("y");
    term.keys("Enter", true);
    expect(await term.exit_code()).toBe(0);
    expect(term.screen()).toMatch(/workspace\/01-premier-dockerfile\/ est revenu à son état de départ\./);
    expect(fs.readFileSync(dockerfile, "utf8")).toBe(starter);
    const backups = fs.readdirSync(path.join(cwd, "workspace", ".dockerlings", "backups"));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^01-premier-dockerfile-\d{4}-\d\d-\d\dT/);
    expect(fs.readFileSync(path.join(cwd, "workspace", ".dockerlings", "backups", backups[0]!, "Dockerfile"), "utf8")).toBe(
      "FROM scratch\n# mon travail\n",
    );
    expect(fs.existsSync(path.join(cwd, "workspace", ".dockerlings", "backups", backups[0]!, "bonjour.py"))).toBe(true);
  });

  test("without a terminal: --yes is required, and then no question is asked", async () => {
    const cwd = student_workspace(course);
    const dockerfile = path.join(cwd, "workspace", EX, "Dockerfile");
    fs.writeFileSync(dockerfile, "FROM scratch\n");
    const refused = await dockerlings(["reset", "01"], cwd);
    expect(refused.code).toBe(2);
    expect(flat(refused.stderr)).toMatch(/pas de terminal.*`dockerlings reset 01-premier-dockerfile --yes`/);
    expect(fs.readFileSync(dockerfile, "utf8")).toBe("FROM scratch\n");
    const done = await dockerlings(["reset", "01", "--yes"], cwd);
    expect(done.code).toBe(0);
    expect(flat(done.stdout)).toMatch(/Vos anciens fichiers sont dans workspace\/\.dockerlings\/backups\/01-premier-dockerfile-/);
    expect(fs.readFileSync(dockerfile, "utf8")).toBe(starter);
  });
});

describe("hints and progress", () => {
  test("each hint is counted, shown in progress, never past the last", async () => {
    const cwd = student_workspace(course);
    expect((await dockerlings(["hint"], cwd)).stdout).toMatch(/indices \(1\/3\)/);
    const second = await dockerlings(["hint", "01"], cwd);
    expect(second.stdout).toMatch(/Indice 2 : /);
    expect(flat(second.stdout)).toMatch(/Encore bloqué \? `dockerlings hint 01-premier-dockerfile` donne l'indice suivant\./);
    expect(progress_of(cwd).exercises[EX].hints_shown).toBe(2);
    const progress = await dockerlings(["progress"], cwd);
    expect(progress.stdout).toMatch(/indices vus : 2/);
    const all = await dockerlings(["hint", "01", "--all"], cwd);
    expect(flat(all.stdout)).toMatch(/indices \(3\/3\).*Indice 3 : .*C'était le dernier indice\./);
    expect(progress_of(cwd).exercises[EX].hints_shown).toBe(3);
  });

  test("start jumps anywhere; progress shows the summary and the course map", async () => {
    const cwd = student_workspace(course);
    const start = await dockerlings(["start", "90"], cwd);
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/Exercice en cours : 90-serveur — Un serveur de test/);
    expect(progress_of(cwd).current).toBe("90-serveur");
    const json = JSON.parse((await dockerlings(["progress", "--json"], cwd)).stdout);
    expect(json).toMatchObject({ current: "90-serveur", done: 0, total: 2, points: 0, max_points: 13 });
    expect(json.parts.map((p: { part: string }) => p.part)).toEqual(["5.1", "5.3"]);
    const text = (await dockerlings(["progress"], cwd)).stdout;
    expect(text).toMatch(/\[░{16}\] 0\/2 exercices réussis · 0\/13 points/);
    expect(text).toMatch(/5\.1 +Comprendre le Dockerfile +0\/1 +0\/10 pts/);
    expect(text).toMatch(/▶ · 90-serveur/);
    expect(no_line_wider(text, 80)).toEqual([]);
    const list = await dockerlings(["list"], cwd);
    expect(list.stdout).toMatch(/▶ · 90-serveur/);
  });

  test("a corrupt progress file is reported and set aside, never silently reset", async () => {
    const cwd = student_workspace(course);
    await dockerlings(["hint", "01"], cwd);
    fs.writeFileSync(progress_file(cwd), '{ "format": 1, "exercises": { oops');
    const list = await dockerlings(["list"], cwd);
    expect(list.code).toBe(0);
    expect(flat(list.stderr)).toMatch(/Le fichier de progression workspace\/\.dockerlings\/progress\.json était illisible/);
    const aside = /mis de côté sous\s+(\S+progress\.json\.corrupt-\S+?)\./.exec(list.stderr)?.[1];
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(cwd, aside!), "utf8")).toBe('{ "format": 1, "exercises": { oops');
    // Reported once: the next command finds no corrupt file, and a new progress starts.
    await dockerlings(["hint", "01"], cwd);
    const again = await dockerlings(["list"], cwd);
    expect(again.stderr).toBe("");
    expect(progress_of(cwd).exercises[EX].hints_shown).toBe(1);
  });
});

describe("dockerlings solution", () => {
  test("locked until passed; --force shows it after a warning; once passed, shown plainly", async () => {
    const cwd = student_workspace(course);
    const locked = await dockerlings(["solution", "01"], cwd);
    expect(locked.code).toBe(1);
    expect(flat(locked.stderr)).toMatch(/s'affiche une fois l'exercice réussi.*`dockerlings solution 01-premier-dockerfile --force`/);
    expect(locked.stdout).toBe("");

    const forced = await dockerlings(["solution", "01", "--force"], cwd);
    expect(forced.code).toBe(0);
    expect(flat(forced.stderr)).toMatch(/Attention : vous n'avez pas encore réussi cet exercice/);
    expect(forced.stdout).toContain(fs.readFileSync(path.join(project_root, "solutions", EX, "Dockerfile"), "utf8").trimEnd());
    expect(forced.stdout).not.toMatch(/bonjour\.py ──/); // same as the starter's: not shown

    fs.mkdirSync(path.dirname(progress_file(cwd)), { recursive: true });
    fs.writeFileSync(
      progress_file(cwd),
      JSON.stringify({ format: 1, exercises: { [EX]: { status: "pass", points: 10, max_points: 10, last_checked: "x", hints_shown: 0 } } }),
    );
    const shown = await dockerlings(["solution", "01"], cwd);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toMatch(/FROM python:3\.11-slim/);
    expect(flat(shown.stdout)).toMatch(/diff -ru workspace\/01-premier-dockerfile\//);
  });
});

describe("lesson, language, colour, width", () => {
  test("the lesson is rendered for the terminal: headings, code, tables, lists, 80 columns", async () => {
    const cwd = student_workspace(course);
    const lesson = await dockerlings(["lesson", "01"], cwd);
    expect(lesson.code).toBe(0);
    expect(lesson.stdout).toMatch(/^01 — Votre premier Dockerfile\n═+\n/);
    expect(lesson.stdout).toMatch(/\nCe qu'est un Dockerfile\n─+\n/);
    expect(lesson.stdout).toMatch(/\n {4}FROM debian:bookworm-slim\n/); // code block, as written
    expect(lesson.stdout).toMatch(/ {2}instruction +rôle\n/); // table header
    expect(lesson.stdout).toMatch(/ {2}• Un fichier nommé `Dockerfile\.txt`/); // list, inline code
    expect(lesson.stdout).not.toMatch(/\u001b\[/);
    expect(lesson.stdout).not.toMatch(/^#+ /m);
    expect(no_line_wider(lesson.stdout, 80)).toEqual([]);
  });

  test("--lang, DOCKERLINGS_LANG; the course's own words stay French", async () => {
    const fresh = student_dir();
    const made = await dockerlings(["init", "--lang", "en"], fresh);
    expect(made.stdout).toMatch(/Workspace ready: dockerlings\/ \(2 exercises, one folder each, and a README\)\.\n\nTo start:\n {2}cd dockerlings\n/);
    const cwd = student_workspace(course);
    const en = await dockerlings(["list", "--lang", "en"], cwd);
    expect(en.stdout).toMatch(/0\/2 exercises passed, 0\/13 points\./);
    expect(en.stdout).toMatch(/Votre premier Dockerfile/);
    const env = await dockerlings(["hint", "01"], cwd, { DOCKERLINGS_LANG: "en" });
    expect(env.stdout).toMatch(/01-premier-dockerfile — hints \(1\/3\)[\s\S]*Hint 1 : Un Dockerfile se lit de haut en bas/);
    const unknown = await dockerlings(["check", "42", "--lang", "en"], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^dockerlings: Unknown exercise: "42"/);
    const help = await dockerlings(["--help", "--lang", "en"], cwd);
    expect(help.stdout).toMatch(/reset \[options\] <id> +puts an exercise's starting files back/);
  });

  test("colours on a terminal, none with NO_COLOR or --no-color", async () => {
    const cwd = student_workspace(course);
    let term = terminal(["list"], cwd, { NO_COLOR: "" });
    await term.exit_code();
    expect(term.screen(true)).toMatch(/\u001b\[\d+m/);
    term = terminal(["list", "--no-color"], cwd, { NO_COLOR: "" });
    await term.exit_code();
    expect(term.screen(true)).not.toMatch(/\u001b\[(3\d|9\d|1|2)m/);
    term = terminal(["list"], cwd, { NO_COLOR: "1" });
    await term.exit_code();
    expect(term.screen(true)).not.toMatch(/\u001b\[(3\d|9\d|1|2)m/);
  });
});
