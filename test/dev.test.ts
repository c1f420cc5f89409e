// Course packs without an engine: `dev new` makes a pack outside the
// repository, `dev check` finds it sound once completed, and each mistake an
// author can make is one line naming its file and line. The grading half
// (starters, solutions, wrong answers) is in dev.docker.test.ts.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { check_pack, format_problem, hint_problems, scaffold_exercise, base_image_recipes, type PackReport } from "../grader/index.js";
import { dockerlings } from "./helpers/cli.js";
import { EXERCISE, complete_pack, edit, pack_dir, sound_pack, write } from "./dev-pack.js";

const lines = (report: PackReport) => report.problems.map(format_problem);
const check = (root: string) => check_pack(root, { recipes: base_image_recipes() ?? [] });
const EX = `exercises/${EXERCISE}`;

describe("dev new", () => {
  test("makes a pack in an empty folder: course.yaml, the exercise, its solution, a wrong answer, the link to the grader", () => {
    const root = pack_dir();
    const made = scaffold_exercise(root, EXERCISE);
    expect(made.new_pack).toBe(true);
    expect(made.files).toEqual([
      "course.yaml",
      ".gitignore",
      `${EX}/exercise.yaml`,
      `${EX}/lesson.md`,
      `${EX}/starter/Dockerfile`,
      `${EX}/spec.test.ts`,
      `solutions/${EXERCISE}/Dockerfile`,
      `wrong-answers/${EXERCISE}/cmd-shell-form/Dockerfile`,
      `wrong-answers/${EXERCISE}/cmd-shell-form/expect.yaml`,
    ]);
    expect(made.linked).toBe("node_modules/dockerlings");
    // Every field of the metadata has its comment.
    const yaml = fs.readFileSync(path.join(root, EX, "exercise.yaml"), "utf8").split("\n");
    for (const [i, line] of yaml.entries()) if (/^[a-z_]+:/.test(line)) expect(yaml[i - 1], line).toMatch(/^#/);
    const lesson = fs.readFileSync(path.join(root, EX, "lesson.md"), "utf8");
    expect(lesson.match(/^## .*/gm)).toEqual(["## L'instruction", "## Pièges fréquents", "## L'exercice"]);
    expect(fs.readFileSync(path.join(root, EX, "spec.test.ts"), "utf8")).toContain('from "dockerlings/grader/spec.js"');
  });

  test("refuses an id that is malformed or whose number the pack already has", () => {
    const root = pack_dir();
    scaffold_exercise(root, EXERCISE);
    expect(() => scaffold_exercise(root, "Deux")).toThrow(/looks like 17-mon-exercice/);
    expect(() => scaffold_exercise(root, "01-autre")).toThrow(/already has 01-salut-env/);
    const second = scaffold_exercise(root, "02-autre");
    expect(second.new_pack).toBe(false);
    expect(fs.readFileSync(path.join(root, "exercises/02-autre/exercise.yaml"), "utf8")).toMatch(/^order: 2$/m);
  });

  test("in an English pack, the lesson's sections and the checks' names are English", () => {
    const root = pack_dir();
    scaffold_exercise(root, EXERCISE);
    edit(root, "course.yaml", (t) => t.replace("language: fr", "language: en"));
    scaffold_exercise(root, "02-hello", { title: "Hello", base: "debian:bookworm-slim" });
    const lesson = fs.readFileSync(path.join(root, "exercises/02-hello/lesson.md"), "utf8");
    expect(lesson.match(/^#{1,2} .*/gm)).toEqual(["# 02 — Hello", "## The instruction", "## Common pitfalls", "## The exercise"]);
    expect(fs.readFileSync(path.join(root, "exercises/02-hello/spec.test.ts"), "utf8")).toContain('test("CMD is written in exec form"');
    expect(fs.readFileSync(path.join(root, "wrong-answers/02-hello/cmd-shell-form/expect.yaml"), "utf8")).toMatch(/^fails: exec form$/m);
  });

  test("a fresh scaffold is not finished: dev check names each TODO(author) left", async () => {
    const root = pack_dir();
    scaffold_exercise(root, EXERCISE);
    const report = await check(root);
    expect(new Set(report.problems.map((p) => p.kind))).toEqual(new Set(["placeholder"]));
    expect(lines(report)).toContain(`${EX}/exercise.yaml:20: hint 1 is still the scaffold's TODO(author)`);
    expect(lines(report)).toContain("course.yaml:10: the title is still the scaffold's TODO(author)");
  });
});

describe("dev check, without grading", () => {
  test("the completed pack is sound; grading is said to be left undone", async () => {
    const report = await check(sound_pack());
    expect(lines(report)).toEqual([]);
    expect(report.unchecked).toEqual([expect.stringMatching(/were not graded/)]);
  });

  // Each mistake, made on a sound pack, and the line that must name it.
  const mistakes: Array<[string, (root: string) => void, string | RegExp]> = [
    ["invalid YAML in course.yaml", (r) => edit(r, "course.yaml", (t) => t.replace("version: 0.1.0", "version: [0.1.0")), /^course\.yaml:\d+: not valid YAML/],
    ["course.yaml missing", (r) => fs.rmSync(path.join(r, "course.yaml")), /^course\.yaml: missing: a pack says its name/],
    ["course.yaml: a wrong version", (r) => edit(r, "course.yaml", (t) => t.replace("version: 0.1.0", "version: un")), /^course\.yaml:14: version: version must be semver/],
    ["exercise.yaml: an unknown field", (r) => edit(r, `${EX}/exercise.yaml`, (t) => `${t}difficulte: 3\n`), `${EX}/exercise.yaml:13: unknown field difficulte`],
    ["exercise.yaml: zero points", (r) => edit(r, `${EX}/exercise.yaml`, (t) => t.replace("points: 10", "points: 0")), /^exercises\/01-salut-env\/exercise\.yaml:6: points: /],
    ["exercise.yaml: an id that is not the folder's", (r) => edit(r, `${EX}/exercise.yaml`, (t) => t.replace(`id: ${EXERCISE}`, "id: 01-autre")), `${EX}/exercise.yaml:2: id 01-autre is not the folder's name ${EXERCISE}`],
    ["a part course.yaml does not list", (r) => edit(r, `${EX}/exercise.yaml`, (t) => t.replace("part: bases", "part: avance")), `${EX}/exercise.yaml:4: part avance is not in course.yaml's parts (bases)`],
    [
      "two exercises with one order",
      (r) => {
        scaffold_exercise(r, "02-deux");
        complete_copy(r, "02-deux");
        edit(r, "exercises/02-deux/exercise.yaml", (t) => t.replace(/^order: 2$/m, "order: 1"));
      },
      "exercises/02-deux/exercise.yaml:11: order 1 is 01-salut-env's too: each exercise has its own place",
    ],
    ["a stray file in the exercise folder", (r) => write(r, `${EX}/notes.txt`, "à faire\n"), `${EX}/notes.txt: a stray file: an exercise folder holds only exercise.yaml, lesson.md, spec.test.ts, starter`],
    ["a starter file the solution does not mirror", (r) => fs.rmSync(path.join(r, "solutions", EXERCISE, "salut.sh")), `solutions/${EXERCISE}/salut.sh: missing: the starter has salut.sh, the solution must mirror it path for path`],
    ["no solution at all", (r) => fs.rmSync(path.join(r, "solutions", EXERCISE), { recursive: true }), /^solutions\/01-salut-env: missing: exercises\/ and solutions\/ mirror/],
    ["a solution without an exercise", (r) => write(r, "solutions/09-perdu/Dockerfile", "FROM debian:bookworm-slim\n"), /^solutions\/09-perdu: no exercises\/09-perdu\//],
    ["a base image course.yaml does not list", (r) => edit(r, `${EX}/exercise.yaml`, (t) => t.replace("base_images: [debian:bookworm-slim]", "base_images: [debian:bookworm-slim, alpine:3.20]")), `${EX}/exercise.yaml:7: base image alpine:3.20 is not in course.yaml's base_images: add it there`],
    ["a base image without a recipe", (r) => edit(r, "course.yaml", (t) => t.replace("  - debian:bookworm-slim", "  - debian:bookworm-slim\n  - alpine:3.20")), /^course\.yaml:22: base image alpine:3\.20 has no recipe in scripts\/base-images\.sh/],
    ["a last hint that names no code", (r) => edit(r, `${EX}/exercise.yaml`, (t) => t.replace(/ {2}- "Presque la réponse.*"/, '  - "Relisez bien la leçon, tout y est expliqué."')), `${EX}/exercise.yaml:12: the last hint names no code (an instruction, a \`command\`, a path, an image): it should be almost the answer`],
    ["a hint repeated", (r) => edit(r, `${EX}/exercise.yaml`, (t) => t.replace(/ {2}- "Une variable.*"/, '  - "Le script lit son nom dans une variable d\'environnement : laquelle ? Lisez salut.sh."')), `${EX}/exercise.yaml:11: hint 2 repeats hint 1`],
    ["a lesson without a title", (r) => edit(r, `${EX}/lesson.md`, (t) => t.replace(/^# .*\n/, "")), `${EX}/lesson.md:1: a lesson starts with its title: \`# NN — Title\``],
    ["a TODO(author) left in the lesson", (r) => edit(r, `${EX}/lesson.md`, (t) => t.replace("## ENV", "## ENV\n\nTODO(author) un exemple")), `${EX}/lesson.md:8: still the scaffold's TODO(author): write this part of the lesson`],
    ["a spec that cannot reach the grader", (r) => fs.rmSync(path.join(r, "node_modules"), { recursive: true }), /^exercises\/01-salut-env\/spec\.test\.ts:5: imports dockerlings\/grader\/spec\.js but the pack has no node_modules\/dockerlings/],
    ["a spec importing the CLI's entry", (r) => edit(r, `${EX}/spec.test.ts`, (t) => t.replace("dockerlings/grader/spec.js", "dockerlings/grader/index.js")), `${EX}/spec.test.ts:5: imports dockerlings/grader/index.js, the CLI's entry: a spec imports the spec author's entry, dockerlings/grader/spec.js`],
    ["a # syntax= directive in the solution", (r) => edit(r, `solutions/${EXERCISE}/Dockerfile`, (t) => `# syntax=docker/dockerfile:1\n${t}`), /^solutions\/01-salut-env\/Dockerfile:1: a # syntax= directive/],
    ["a wrong answer without its check", (r) => write(r, `wrong-answers/${EXERCISE}/cmd-shell-form/expect.yaml`, "why: CMD en forme shell\nmessage: forme shell\n"), `wrong-answers/${EXERCISE}/cmd-shell-form/expect.yaml: (root): Invalid input: expected string, received undefined`.replace("(root)", "fails")],
  ];

  test.each(mistakes)("%s", async (_what, make, line) => {
    const root = sound_pack();
    make(root);
    const found = lines(await check(root));
    if (typeof line === "string") expect(found).toContain(line);
    else expect(found.some((l) => line.test(l)), found.join("\n")).toBe(true);
  });

  test("progressive hints: the last names code, at least as much as the first", () => {
    expect(hint_problems(["Regardez FROM.", "Utilisez `COPY app.py /app/` puis `CMD [\"python3\", \"/app/app.py\"]`.", "Relisez la leçon."]))
      .toEqual([{ index: 2, message: expect.stringMatching(/the last hint names no code/) }]);
    expect(hint_problems(["`FROM` `COPY` `CMD` `RUN`", "une direction", "`EXPOSE`"])).toEqual([
      { index: 2, message: expect.stringMatching(/the hints are not progressive: the last names 1 piece\(s\) of code, the first 4/) },
    ]);
  });
});

/** A second exercise, completed like the first (its own texts). */
function complete_copy(root: string, id: string): void {
  const from = path.join(root, "exercises", EXERCISE);
  for (const file of ["lesson.md", "spec.test.ts"]) fs.copyFileSync(path.join(from, file), path.join(root, "exercises", id, file));
  edit(root, `exercises/${id}/exercise.yaml`, (t) =>
    t
      .replace(/title: .*/, "title: Deuxième exercice")
      .replace(/hints:[\s\S]*/, fs.readFileSync(path.join(from, "exercise.yaml"), "utf8").replace(/^[\s\S]*?hints:/, "hints:")),
  );
}

describe("the CLI", () => {
  test("dockerlings dev --help lists new and check", async () => {
    const run = await dockerlings(["dev", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+new \[options\] <id>/m);
    expect(run.stdout).toMatch(/^\s+check \[options\] \[ids\.\.\.\]/m);
  });

  test("--course: dev new makes the pack, list shows its exercise, dev check --static passes, dev check without an engine exits 2", async () => {
    const root = pack_dir();
    const made = await dockerlings(["dev", "new", EXERCISE, "--course", root]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`+ ${EX}/spec.test.ts`);
    complete_pack(root);
    const list = await dockerlings(["--course", root, "list", "--json", "--workspace", path.join(root, "..", "ws")]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).exercises.map((e: { id: string }) => e.id)).toEqual([EXERCISE]);
    const progress = await dockerlings(["--course", root, "progress", "--json", "--workspace", path.join(root, "..", "ws")]);
    expect(JSON.parse(progress.stdout).parts.map((p: { part: string; title: string }) => [p.part, p.title])).toEqual([["bases", "Les bases"]]);
    const quick = await dockerlings(["dev", "check", "--static", "--course", root]);
    expect(quick.code, quick.stdout + quick.stderr).toBe(0);
    const no_engine = await dockerlings(["dev", "check", "--course", root], { env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    expect(no_engine.code, no_engine.stdout + no_engine.stderr).toBe(2);
    expect(no_engine.stderr).toMatch(/Non vérifié : no Docker engine answers/);
    // A mistake is found without an engine too: exit 1, the line on stdout.
    edit(root, `${EX}/exercise.yaml`, (t) => `${t}difficulte: 3\n`);
    const broken = await dockerlings(["dev", "check", "--course", root], { env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe(`${EX}/exercise.yaml:13: unknown field difficulte\n`);
  });
});
