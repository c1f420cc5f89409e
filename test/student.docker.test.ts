// What a student sees when a build step fails: the step, its output in full
// up to a limit, then folded with where to read the rest (a log file, or
// --verbose); the check itself does not repeat it.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { remove_managed } from "../grader/index.js";
import { dockerlings } from "./helpers/cli.js";
import { student_workspace } from "./helpers/terminal.js";
import { make_course, real_course } from "./helpers/course.js";

const EX = "01-premier-dockerfile";
const course = make_course({ [EX]: real_course });
const session = randomUUID();
afterAll(async () => {
  await remove_managed(session);
  fs.rmSync(course, { recursive: true, force: true });
});

const flat = (text: string) => text.replace(/\s+/g, " ");

describe("a failing build step", () => {
  test("its output is shown, folded past 30 lines, in full in a log file and with --verbose", async () => {
    const cwd = student_workspace(course);
    const env = { DOCKERLINGS_COURSE: course, DOCKERLINGS_SESSION: session };
    fs.writeFileSync(
      path.join(cwd, "workspace", EX, "Dockerfile"),
      `FROM python:3.11-slim\nRUN for i in $(seq 1 45); do echo ligne-$i; done; echo ${randomUUID().slice(0, 8)} >/dev/null; exit 3\n`,
    );
    const run = await dockerlings(["check"], { cwd, env });
    expect(run.code).toBe(1);
    const out = run.stdout;
    expect(out).toMatch(/ {2}✗ \[2\/2\] RUN for i in \$\(seq 1 45\).* \d+\.\d s\n/);
    expect(out).toMatch(/La construction a échoué\.\n[\s\S]*Sortie de l'étape \[2\/2\] RUN for i in .* \(\d+ lignes\) :/);
    const log = path.join("workspace", ".dockerlings", "logs", `${EX}-build.log`);
    expect(flat(out)).toMatch(
      new RegExp(`… \\d+ lignes plus haut masquées : sortie complète dans ${log.replace(/\./g, "\\.")} ou avec \`dockerlings check ${EX} --verbose\``),
    );
    expect(out).toMatch(/ {2}\| ligne-45\n/);
    expect(out).not.toMatch(/\| ligne-10\n/);
    // The check says what failed and how to fix it, without the output again.
    expect(flat(out)).toMatch(/✗ l'image se construit \(0\/2\) L'image ne se construit pas\. Ligne 2 \(RUN for i in/);
    expect(out).not.toMatch(/Fin de la sortie de l'étape/);
    const full = fs.readFileSync(path.join(cwd, log), "utf8");
    for (const n of [1, 10, 45]) expect(full).toContain(`| ligne-${n}\n`);

    const verbose = await dockerlings(["check", "--verbose"], { cwd, env });
    expect(verbose.stdout).toMatch(/ {2}\| ligne-1\n[\s\S]* {2}\| ligne-45\n/);
    expect(verbose.stdout).not.toMatch(/masquées/);
  });
});
