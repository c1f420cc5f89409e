// The watch loop end to end, as a student meets it: in a real terminal (tmux),
// on the real course and engine. Save a wrong Dockerfile, see the failure;
// save during a build, see it start again; save the right one, see the pass
// and the progress move; press keys; quit, and find nothing left behind.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import Docker from "dockerode";
import { dockerlings, project_root } from "./helpers/cli.js";
import { Terminal, student_dir, student_workspace } from "./helpers/terminal.js";
import { fixture_course, make_course, real_course } from "./helpers/course.js";

const EX = "01-premier-dockerfile";
const solution = fs.readFileSync(path.join(project_root, "solutions", EX, "Dockerfile"), "utf8");
const docker = new Docker();
// Exercise 01 of the course, then the fixture course's server exercise.
const course = make_course({ [EX]: real_course, "90-serveur": fixture_course });
const terminals: Terminal[] = [];
const sessions: string[] = [];

function open(args: string[], cwd: string): { term: Terminal; session: string } {
  const session = randomUUID();
  sessions.push(session);
  const term = Terminal.open(args, { cwd, env: { DOCKERLINGS_SESSION: session, DOCKERLINGS_COURSE: course } });
  terminals.push(term);
  return { term, session };
}

/** Everything of ours the engine still holds for a watch loop's sessions (`<run>-<session>`). */
async function leftovers(session: string): Promise<string[]> {
  const filters = JSON.stringify({ label: ["dockerlings.managed=true"] });
  const mine = (labels: Record<string, string> | undefined) => (labels?.["dockerlings.session"] ?? "").endsWith(`-${session}`);
  const [containers, images, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listImages({ filters }),
    docker.listVolumes({ filters }).then((r) => r.Volumes ?? []),
  ]);
  return [
    ...containers.filter((c) => mine(c.Labels)).map((c) => `container ${c.Id}`),
    ...images.filter((i) => mine(i.Labels)).map((i) => `image ${i.Id}`),
    ...volumes.filter((v) => mine(v.Labels)).map((v) => `volume ${v.Name}`),
  ];
}

const progress_of = (cwd: string) =>
  JSON.parse(fs.readFileSync(path.join(cwd, "workspace", ".dockerlings", "progress.json"), "utf8"));

afterEach(() => {
  for (const term of terminals.splice(0)) term.close();
});
afterAll(async () => {
  fs.rmSync(course, { recursive: true, force: true });
  const { remove_managed } = await import("../grader/index.js");
  // A failed test may leave a loop's sessions: sweep them by their label's end.
  const filters = JSON.stringify({ label: ["dockerlings.managed=true"] });
  const containers = await docker.listContainers({ all: true, filters });
  const ours = new Set(
    containers.map((c) => c.Labels["dockerlings.session"] ?? "").filter((s) => sessions.some((base) => s.endsWith(`-${base}`))),
  );
  await Promise.all([...ours].map((s) => remove_managed(s)));
});

describe("the watch loop", () => {
  test("save, fail, restart a build, pass, keys, quit: nothing left", async () => {
    const cwd = student_workspace(course);
    const dockerfile = path.join(cwd, "workspace", EX, "Dockerfile");
    const { term, session } = open([], cwd);

    // Opens on the current exercise: title, files to edit, how to read the lesson; grades the starter.
    let screen = await term.wait_for(/pas encore : \d\/4 vérifications/, 90_000);
    expect(screen).toMatch(/01-premier-dockerfile — Votre premier Dockerfile \(exercice 1\/2 · partie 5\.1\)/);
    expect(screen).toMatch(/Fichiers à modifier dans workspace\/01-premier-dockerfile\/ : Dockerfile, \.dockerignore/);
    expect(screen).toMatch(/Leçon : touche l, ou `dockerlings lesson 01-premier-dockerfile`/);
    expect(screen).toMatch(/h indice · l leçon · e éditeur · n suivant · r relancer · a tout vérifier · c liste\nx remettre à zéro · q quitter/);
    expect(term.screen(true)).not.toMatch(/\u001b\[3\dm/); // NO_COLOR: no colour codes

    // A wrong Dockerfile: the failure, with its line and fix.
    fs.writeFileSync(dockerfile, 'FROM python:3.11-slim\nCOPY bonjour.py /app/\nCMDD ["python3", "/app/bonjour.py"]\n');
    screen = await term.wait_for(/Ligne 3 : « CMDD » n'est pas une instruction Dockerfile\. Vouliez-vous écrire « CMD » \?/, 60_000);

    // h: the next hint, counted.
    term.keys("h");
    await term.wait_for(/indices \(1\/3\)[\s\S]*Encore bloqué \? la touche h donne l'indice suivant\./);
    term.keys("h");
    await term.wait_for(/indices \(2\/3\)/);
    expect(progress_of(cwd).exercises[EX].hints_shown).toBe(2);

    // n before passing: refused, with what to do.
    term.keys("n");
    await term.wait_for(/L'exercice n'est pas encore réussi : n sera possible ensuite/);

    // A save while a build runs: that build stops and grading starts again.
    fs.writeFileSync(dockerfile, solution.replace(/^FROM .*$/m, `$&\nRUN sleep 60 && echo ${randomUUID()}`));
    await term.wait_for(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \[2\/\d\] RUN sleep 60 .* \d+\.\d s/, 60_000); // the running step's status line
    const saved_at = Date.now();
    fs.writeFileSync(dockerfile, solution);
    screen = await term.wait_for(/réussi : 4\/4 vérifications, 10\/10 points/, 50_000);
    expect(Date.now() - saved_at).toBeLessThan(50_000); // did not wait for the 60 s step
    expect(screen).not.toMatch(/RUN sleep 60/); // a fresh screen for the new grading
    expect(screen).toMatch(/Réussi ! Appuyez sur n pour passer à l'exercice suivant à faire \(90-serveur\)\./);
    expect(screen).toMatch(/\[█{8}░{8}\] 1\/2 exercices réussis · 10\/13 points/);
    expect(progress_of(cwd).exercises[EX]).toMatchObject({ status: "pass", points: 10, hints_shown: 2 });

    // l: the lesson, rendered, in a pager; c: the list with the current exercise marked (test/watch-keys.docker.test.ts drives them further).
    term.keys("l");
    await term.wait_for(/Ce qu'est un Dockerfile\n─+\n/);
    term.keys("q");
    term.keys("c");
    await term.wait_for(/>▶ ✓ 01-premier-dockerfile +10\/10/);
    term.keys("q");

    // n after passing: the next exercise opens, becomes the current one, is graded.
    term.keys("n");
    await term.wait_for(/90-serveur — Un serveur de test \(exercice 2\/2 · partie 5\.3\)/);
    expect(progress_of(cwd).current).toBe("90-serveur");

    // q, even while its server is being started and checked: a clean exit, progress kept, nothing left.
    term.keys("q");
    expect(await term.exit_code()).toBe(0);
    expect(term.screen()).toMatch(/À bientôt ! Votre progression est enregistrée dans workspace\/\.dockerlings\/progress\.json\./);
    expect(await leftovers(session)).toEqual([]);
    expect(progress_of(cwd).exercises[EX].status).toBe("pass");
  });

  test("--manual grades only on r; Ctrl-C quits cleanly", async () => {
    const cwd = student_workspace(course);
    const { term, session } = open(["watch", "--manual"], cwd);
    await term.wait_for(/pas encore : \d\/4 vérifications/, 90_000);
    expect(term.screen()).toMatch(/Mode manuel : appuyez sur r pour corriger après avoir enregistré\./);
    fs.writeFileSync(path.join(cwd, "workspace", EX, "Dockerfile"), solution);
    await new Promise((r) => setTimeout(r, 1500));
    expect(term.screen()).not.toMatch(/réussi : 4\/4/);
    term.keys("r");
    await term.wait_for(/réussi : 4\/4 vérifications, 10\/10 points/, 60_000);
    term.keys("C-c", true);
    expect(await term.exit_code()).toBe(130);
    expect(await leftovers(session)).toEqual([]);
    expect(progress_of(cwd).exercises[EX].status).toBe("pass");
  });

  test("without a terminal: says so, names the commands to use instead, exit 2", async () => {
    const cwd = student_dir();
    for (const args of [[], ["watch"]]) {
      const run = await dockerlings(args, { cwd, env: { DOCKERLINGS_COURSE: course } });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/a besoin d'un terminal/);
      expect(run.stderr).toMatch(/dockerlings check +corrige l'exercice en cours/);
    }
    const english = await dockerlings(["--lang", "en"], { cwd, env: { DOCKERLINGS_COURSE: course } });
    expect(english.stderr).toMatch(/needs a terminal[\s\S]*dockerlings check +grades the current exercise/);
  });
});

describe("stopping a grading midway (what a new save does)", () => {
  test("build_image stops on its signal: an AbortError, the step's process gone, nothing left", async () => {
    const { build_image, remove_managed } = await import("../grader/index.js");
    const session = randomUUID();
    const dir = student_dir("dl-abort-");
    fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM debian:bookworm-slim\nRUN sleep 120 && echo ${session}\n`);
    const abort = new AbortController();
    const started = Date.now();
    const build = build_image({
      dir,
      tag: `dockerlings/abort:${session.slice(0, 8)}`,
      session,
      signal: abort.signal,
      on_progress: (event) => {
        if (event.state === "started" && event.step.instruction.startsWith("RUN sleep")) abort.abort();
      },
    });
    await expect(build).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(60_000);
    // The engine runs on this machine (CI): the step's process must end too.
    const running = () =>
      fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).some((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(session);
        } catch {
          return false;
        }
      });
    for (let i = 0; i < 50 && running(); i++) await new Promise((r) => setTimeout(r, 200));
    expect(running()).toBe(false);
    const images = await docker.listImages({ filters: JSON.stringify({ label: [`dockerlings.session=${session}`] }) });
    expect(images).toEqual([]);
    await remove_managed(session);
  });

  test("run_specs stops on its signal: an AbortError, its containers removed", async () => {
    const { run_specs, load_exercise, remove_managed } = await import("../grader/index.js");
    const session = randomUUID();
    const exercise = load_exercise(fixture_course, "90-serveur");
    const abort = new AbortController();
    const run = run_specs([{ exercise, submission_dir: exercise.solution_dir }], { course_root: fixture_course, session, signal: abort.signal });
    // Abort once the spec's server container exists.
    const filters = JSON.stringify({ label: [`dockerlings.session=${session}`] });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && (await docker.listContainers({ all: true, filters })).length === 0) await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    await remove_managed(session);
  });
});
