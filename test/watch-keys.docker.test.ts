// Every key of the watch loop, driven in a real terminal (tmux) on a course of
// two exercises with welcome and final messages: the welcome once, e (the
// student's EDITOR), l (the lesson's pager), c (the list: move, filter,
// search, reset after a question, go on at an exercise), x (reset after a
// question), a (every exercise checked, the ones to do listed), n, and the
// end of the course only once every exercise passes. Then the same loop with
// ACCESSIBLE=1: its raw output holds no redrawing sequence, and words say
// what the symbols say.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";
import { Terminal, student_dir, student_workspace } from "./helpers/terminal.js";
import { fixture_course, make_course, real_course } from "./helpers/course.js";

const EX = "01-premier-dockerfile";
const SERVER = "90-serveur";
const solution = (id: string, from: string) => fs.readFileSync(path.join(from, "solutions", id, "Dockerfile"), "utf8");
const course = make_course({ [EX]: real_course, [SERVER]: fixture_course });
fs.writeFileSync(
  path.join(course, "course.yaml"),
  [
    "format: 1",
    "name: essai",
    "title: Un cours d'essai",
    "language: fr",
    "version: 1.0.0",
    'parts: [{ id: "5.1", title: Comprendre }, { id: "5.3", title: Avancé }]',
    "base_images: [python:3.11-slim]",
    "welcome_message: |",
    "  Bienvenue dans le cours d'essai : MESSAGE-DE-BIENVENUE.",
    "final_message: |",
    "  Et maintenant : MESSAGE-DE-FIN.",
    "",
  ].join("\n"),
);
const terminals: Terminal[] = [];
const sessions: string[] = [];
const editor_log = path.join(student_dir("dl-editor-"), "editor.log");
const editor = path.join(path.dirname(editor_log), "editor.sh");
fs.writeFileSync(editor, `#!/bin/sh\necho "$@" >> ${editor_log}\necho ÉDITEUR-OUVERT\nsleep 1\n`, { mode: 0o755 });

function open(cwd: string, env: Record<string, string> = {}): Terminal {
  const session = randomUUID();
  sessions.push(session);
  const term = Terminal.open([], { cwd, width: 100, height: 40, env: { DOCKERLINGS_SESSION: session, DOCKERLINGS_COURSE: course, EDITOR: editor, ...env } });
  terminals.push(term);
  return term;
}

const progress_of = (ws: string) => JSON.parse(fs.readFileSync(path.join(ws, ".dockerlings", "progress.json"), "utf8"));
/** What is on screen after the last occurrence of `mark`. */
const after = (screen: string, mark: string) => screen.slice(screen.lastIndexOf(mark));

afterEach(() => {
  for (const term of terminals.splice(0)) term.close();
});
afterAll(async () => {
  fs.rmSync(course, { recursive: true, force: true });
  const { remove_managed } = await import("../grader/index.js");
  const { default: Docker } = await import("dockerode");
  const containers = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: ["dockerlings.managed=true"] }) });
  const ours = new Set(containers.map((c) => c.Labels["dockerlings.session"] ?? "").filter((s) => sessions.some((base) => s.endsWith(base))));
  await Promise.all([...ours].map((s) => remove_managed(s)));
});

describe("the watch loop's keys", () => {
  test("welcome, e, l, c (move, filter, search, reset, go on), x, a, n, and the end only when all pass", async () => {
    const cwd = student_workspace(course);
    const ws = path.join(cwd, "workspace");
    const term = open(ws);

    // The welcome, once: Enter starts.
    await term.wait_for(/MESSAGE-DE-BIENVENUE[\s\S]*Appuyez sur Entrée pour commencer\./);
    term.keys("Enter", true);
    let screen = await term.wait_for(/pas encore : \d\/4 vérifications/, 90_000);
    expect(progress_of(ws).welcomed).toBe(true);
    // Header and footer name every file the exercise lets the student edit.
    expect(screen).toMatch(/Fichiers à modifier dans 01-premier-dockerfile\/ : Dockerfile, \.dockerignore/);
    expect(screen).toMatch(/Modifiez Dockerfile ou \.dockerignore dans 01-premier-dockerfile\/ et enregistrez/);
    expect(screen).toMatch(/h indice · l leçon · e éditeur · n suivant · r relancer · a tout vérifier · c liste\nx remettre à zéro · q quitter/);

    // e: the student's EDITOR on the exercise's files, the terminal handed over and back.
    term.keys("e");
    await term.wait_for(/ÉDITEUR-OUVERT/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fs.readFileSync(editor_log, "utf8").trim()).toBe(path.join(ws, EX, "Dockerfile"));

    // l: the lesson in a pager, a screen at a time; q gives the loop back.
    term.keys("l");
    screen = await term.wait_for(/Leçon 01-premier-dockerfile — lignes 1–39 sur \d+ · espace ou ↓ suite/);
    term.keys("Space", true);
    await term.wait_for(/Leçon 01-premier-dockerfile — lignes 40–78 sur/);
    term.keys("q");
    await new Promise((r) => setTimeout(r, 500));
    expect(term.screen()).not.toMatch(/lignes 40–78/); // the loop's own screen is back
    expect(term.screen()).toMatch(/pas encore : \d\/4 vérifications/);

    // x: a question first; n keeps the files, o puts the starter back (kept in a backup).
    const dockerfile = path.join(ws, EX, "Dockerfile");
    fs.writeFileSync(dockerfile, "FROM python:3.11-slim\n# mon essai\n");
    await new Promise((r) => setTimeout(r, 3000));
    term.keys("x");
    await term.wait_for(/Remettre 01-premier-dockerfile\/ dans son état de départ \? Vos fichiers actuels seront gardés dans\s+\.dockerlings\/backups\/\. \[o\/N\]/);
    term.keys("n");
    await term.wait_for(/Rien n'a été changé\./);
    expect(fs.readFileSync(dockerfile, "utf8")).toMatch(/mon essai/);
    term.keys("x");
    await term.wait_for((s) => (s.match(/\[o\/N\]/g) ?? []).length >= 2);
    term.keys("o");
    await term.wait_for(/01-premier-dockerfile est revenu à son état de départ ; vos anciens fichiers sont dans\s+\.dockerlings\/backups\/01-premier-dockerfile-/, 60_000);
    expect(fs.readFileSync(dockerfile, "utf8")).not.toMatch(/mon essai/);

    // c: the list; j moves, p filters the ones to do, / searches, x resets after a question, Enter goes on there.
    term.keys("c");
    await term.wait_for(/Exercices \(tous : 2 sur 2\)/);
    term.keys("j");
    await term.wait_for(/>\s+· 90-serveur/);
    term.keys("/");
    term.keys("premier");
    await term.wait_for(/>▶ [✗·] 01-premier-dockerfile/);
    term.keys("Enter", true);
    term.keys("d");
    await term.wait_for(/Exercices \(réussis : 0 sur 2\)[\s\S]*Aucun exercice avec ce filtre/);
    term.keys("d");
    term.keys("p");
    await term.wait_for(/Exercices \(à faire : 2 sur 2\)/);
    term.keys("j");
    term.keys("x");
    await term.wait_for(/Remettre 90-serveur dans son état de départ \?[\s\S]*\[o\/N\]/);
    term.keys("o");
    await term.wait_for(/90-serveur est revenu à son état de départ/);
    term.keys("Enter", true);
    await term.wait_for(/90-serveur — Un serveur de test \(exercice 2\/2 · partie 5\.3\)/, 60_000);
    expect(progress_of(ws).current).toBe(SERVER);

    // 90-serveur passes, 01 does not: a pass says which exercise is next to do, not « terminé ».
    fs.writeFileSync(path.join(ws, SERVER, "Dockerfile"), solution(SERVER, fixture_course));
    screen = await term.wait_for(/Réussi ! Appuyez sur n pour passer à l'exercice suivant à faire \(01-premier-dockerfile\)\./, 90_000);
    expect(screen).not.toMatch(/terminé le cours/);

    // a: every exercise checked; the one to do is listed.
    term.keys("a");
    screen = await term.wait_for(/Tous les exercices vérifiés en \d+ s : 1 réussis sur 2\./, 180_000);
    expect(after(screen, "Tous les exercices vérifiés")).toMatch(/Encore à faire :\n {2}✗ 01-premier-dockerfile — Votre premier Dockerfile \(\d+\/10\)/);
    expect(screen).toMatch(/Presque : ces exercices ne passent plus \(ou pas encore\)\./);
    expect(screen).not.toMatch(/MESSAGE-DE-FIN/);

    // n: the next exercise to do; its pass is the last one: all checked again, then the end.
    term.keys("n");
    await term.wait_for(/01-premier-dockerfile — Votre premier Dockerfile \(exercice 1\/2/, 60_000);
    fs.writeFileSync(dockerfile, solution(EX, project_root));
    screen = await term.wait_for(/Bravo, vous avez terminé le cours ![\s\S]*Et maintenant : MESSAGE-DE-FIN\./, 240_000);
    expect(after(screen, "Réussi, et tous les autres")).toMatch(/Tous les exercices vérifiés en \d+ s : 2 réussis sur 2\./);

    term.keys("q");
    expect(await term.exit_code()).toBe(0);
    // The attempts kept: gradings of single exercises, not the check-alls.
    const attempts = fs.readFileSync(path.join(ws, ".dockerlings", "history.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(attempts.at(-1)).toMatchObject({ exercise: EX, points: 10 });
    expect(attempts.filter((a: { exercise: string }) => a.exercise === SERVER).at(-1)).toMatchObject({ points: 3 });
  });

  test("ACCESSIBLE=1: lines only appended, words for every symbol, in English too", async () => {
    const cwd = student_workspace(course);
    const ws = path.join(cwd, "workspace");
    fs.writeFileSync(path.join(ws, ".dockerlings", "progress.json"), JSON.stringify({ format: 1, current: EX, welcomed: true, exercises: {} }));
    const term = open(ws, { ACCESSIBLE: "1", DOCKERLINGS_LANG: "en" });
    const raw = path.join(cwd, "raw.log");
    term.record_output(raw);
    let screen = await term.wait_for(/not yet: \d\/4 checks/, 90_000);
    expect(screen).toMatch(/step \[[^\]]*\d+\/\d+\] .*: (cached|done in \d+\.\d s)/);
    expect(screen).toMatch(/\[passed\] the image builds|\[passed\] l'image se construit/);
    expect(screen).toMatch(/\[failed\] /);
    expect(screen).toMatch(/Progress: 0 of 2 exercises passed, \d+ of 13 points\./);
    expect(screen).toMatch(/Keys: h hint, l lesson, e editor, n next, r re-run, a check all, c list, x reset, q quit\./);
    expect(screen).not.toMatch(/[✓✗▶█░⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏↺•]/);

    // The lesson in appended pages; the list said line by line.
    term.keys("l");
    await term.wait_for(/— page 1 of \d+: space for more, b for the page before, q to close —/);
    term.keys("Space", true);
    await term.wait_for(/— page 2 of \d+/);
    term.keys("q");
    term.keys("c");
    await term.wait_for(/Exercises \(all: 2 of 2\)\n→ 01-premier-dockerfile — Votre premier Dockerfile \[failed\] \d+\/10 points \[current\]/);
    term.keys("j");
    await term.wait_for(/→ 90-serveur — Un serveur de test \[to do\] 0\/3 points/);
    term.keys("q");
    // A long step: a line every few seconds says it still runs.
    fs.writeFileSync(path.join(ws, EX, "Dockerfile"), `FROM python:3.11-slim\nRUN sleep 12 && echo ${randomUUID()}\n`);
    screen = await term.wait_for(/still running: \[2\/2\] RUN sleep 12 .* \d+\.\d s[\s\S]*still running: \[2\/2\] RUN sleep 12/, 90_000);
    await term.wait_for(/not yet: \d\/4 checks/, 90_000);
    term.keys("q");
    expect(await term.exit_code()).toBe(0);
    const bytes = fs.readFileSync(raw, "utf8");
    // Nothing repainted: no clearing, no alternate screen, no carriage return to redraw a line.
    expect(bytes).not.toMatch(/\u001b\[2J|\u001b\[\?1049h|\u001b\[2K/);
    expect(bytes).not.toMatch(/\r(?!\n)/);
  });
});
