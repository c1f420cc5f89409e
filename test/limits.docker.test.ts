// Limits for untrusted code, end to end through `dockerlings grade`: each
// submission tries one abuse and ends in a clear result naming the limit,
// with nothing left behind (no container, image, process or cached layer).
// Small limits keep the file fast: they come from the flags and from the
// DOCKERLINGS_* variables that set the engine limits (grader/engine/limits.ts).
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { dockerlings, type CliRun } from "./helpers/cli.js";
import { cache_records, leftovers, NOTHING_LEFT, processes_with, temp_course, temp_dir, workspace } from "./grade-helpers.js";

interface Result {
  exercise: string;
  status: string;
  points: number;
  max_points: number;
  tests: Array<{ name: string; status: string; message?: string; output?: string; points: number; lines?: number[] }>;
}

// Unique per run, so that no build cache hides a step and leftovers can be found.
const marker = `dl-limit-${randomUUID().slice(0, 8)}`;
const dockerfile = (run: string) => `FROM python:3.11-slim\nRUN ${run}\nCOPY bonjour.py /app/bonjour.py\nCMD ["python3", "/app/bonjour.py"]\n`;
const with_cmd = (cmd: string[]) => `FROM python:3.11-slim\nCOPY bonjour.py /app/bonjour.py\nCMD ${JSON.stringify(cmd)}\n`;

async function grade(exercises: Record<string, string>, args: string[], env: Record<string, string>) {
  const course = temp_course(Object.keys(exercises).map((id) => ({ id, from: "01" as const })));
  const ws = workspace(
    Object.fromEntries(Object.entries(exercises).map(([id, content]) => [id, { from: "01" as const, base: "solution" as const, files: { Dockerfile: content } }])),
  );
  const json = path.join(temp_dir("dl-limits-out-"), "r.json");
  const session = randomUUID();
  const run = await dockerlings(["grade", "--workspace", ws, "--json", json, "--parallel", "2", ...args], {
    env: { DOCKERLINGS_COURSE: course, DOCKERLINGS_SESSION: session, DOCKERLINGS_LANG: "fr", ...env },
  });
  const results = fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, "utf8")).results as Result[]) : [];
  return { run, session, result: (id: string) => results.find((r) => r.exercise === id)! };
}

describe("a build that exceeds a limit fails that exercise, naming the limit", () => {
  let graded: { run: CliRun; session: string; result: (id: string) => Result };
  beforeAll(async () => {
    graded = await grade(
      {
        "11-sans-fin": dockerfile(`echo ${marker}-sansfin && sleep 600`),
        "12-bombe": dockerfile(`echo ${marker}-bombe; bash -c ':(){ :|:& };:'; sleep 600`),
        "13-disque": dockerfile(`echo ${marker}-disque; dd if=/dev/zero of=/big bs=1M count=2048`),
        "14-check-sans-fin": with_cmd(["sleep", "600"]),
      },
      ["--build-timeout", "20", "--check-timeout", "4"],
      { DOCKERLINGS_BUILD_PIDS: "16", DOCKERLINGS_BUILD_DISK_MB: "64" },
    );
  }, 240_000);

  const first_check = (id: string) => graded.result(id).tests[0]!;

  test("grading happened: exit 0, every exercise has a result", () => {
    expect(graded.run.code, graded.run.stderr + graded.run.stdout).toBe(0);
    for (const id of ["11-sans-fin", "12-bombe", "13-disque", "14-check-sans-fin"]) expect(graded.result(id)).toBeDefined();
  });

  test("a RUN that never ends: stopped at the build time limit", () => {
    expect(graded.result("11-sans-fin")).toMatchObject({ status: "fail", points: 0 });
    expect(first_check("11-sans-fin").message).toMatch(/Le build a dépassé la limite de 20 s pendant l'étape « RUN echo dl-limit-\w+-sansfin && sleep 600 »/);
  });

  test("a fork bomb in a RUN: stopped at the pids limit of a build step", () => {
    expect(graded.result("12-bombe")).toMatchObject({ status: "fail", points: 0 });
    expect(first_check("12-bombe").message).toMatch(/Ligne 2 \(RUN echo dl-limit-\w+-bombe.*\) : limite de 16 processus atteinte par une instruction RUN : le build a été arrêté\./);
    expect(first_check("12-bombe").lines).toEqual([2]);
  });

  test("a RUN writing 2 GB: stopped at the disk limit of a build step, its layer discarded", async () => {
    expect(graded.result("13-disque")).toMatchObject({ status: "fail", points: 0 });
    expect(first_check("13-disque").message).toMatch(/Ligne 2 \(RUN echo dl-limit-\w+-disque.*\) : limite de 64 Mo écrits sur le disque par une instruction RUN : le build a été arrêté\./);
    const cached = await cache_records(`${marker}-disque`);
    expect(cached.filter((r) => r.size > 100 * 1024 * 1024)).toEqual([]);
  });

  test("a check that never ends: stopped at the check time limit, the other checks keep their points", () => {
    const result = graded.result("14-check-sans-fin");
    expect(result).toMatchObject({ status: "fail", points: 6, max_points: 10 });
    const hung = result.tests.find((t) => t.status === "fail")!;
    expect(hung.message).toBe(
      "La vérification a dépassé sa limite de temps : 24 s, construction de l'image comprise. " +
        "Le conteneur attend-il une saisie, ou une commande tourne-t-elle sans fin ?",
    );
  });

  test("nothing left: no container or image of the session, no step still running", async () => {
    expect(await leftovers(graded.session)).toEqual(NOTHING_LEFT);
    expect(processes_with(marker)).toEqual([]);
  });
});

describe("a container that exceeds a limit fails its check, naming the limit", () => {
  let graded: { run: CliRun; session: string; result: (id: string) => Result };
  beforeAll(async () => {
    graded = await grade(
      {
        "21-memoire": with_cmd(["python3", "-c", "b = bytearray(400 * 1024 * 1024); print('Bonjour depuis un conteneur Docker !')"]),
        "22-bombe": with_cmd(["bash", "-c", ":(){ :|:& };:; sleep 600"]),
        "23-bavard": with_cmd(["python3", "-c", "print('x' * 3000); raise SystemExit(3)"]),
      },
      ["--check-timeout", "30"],
      { DOCKERLINGS_MEMORY_MB: "128", DOCKERLINGS_PIDS: "64", DOCKERLINGS_RUN_TIMEOUT_S: "6" },
    );
  }, 240_000);

  const run_check = (id: string) => graded.result(id).tests.find((t) => t.name.startsWith("lancée sans argument"))!;

  test("over memory: killed, the message names the memory limit; the other checks keep their points", () => {
    expect(graded.result("21-memoire")).toMatchObject({ status: "fail", points: 6 });
    expect(run_check("21-memoire").message).toMatch(/\(code de sortie 137 au lieu de 0\)\. Il a été tué faute de mémoire \(limite dépassée\)\.\nLimite atteinte : le conteneur a été tué : limite de mémoire de 128 Mo\.$/);
  });

  test("a fork bomb: contained by the pids limit, stopped by the run's time limit, both named", () => {
    const check = run_check("22-bombe");
    expect(check.status).toBe("fail");
    expect(check.message).toMatch(/ne s'est pas terminé dans le temps imparti/);
    expect(check.message).toMatch(/Limite atteinte : limite de 64 processus atteinte dans le conteneur\.$/);
  });

  test("output kept per check is capped at 500 characters, with a visible notice", () => {
    const check = run_check("23-bavard");
    expect(check.message).toMatch(/\(code de sortie 3 au lieu de 0\)/);
    expect(check.output!.length).toBeLessThanOrEqual(500);
    // The JSON result says it with the Exercism interface's own words.
    expect(check.output).toMatch(/^Output was truncated\. Please limit to 500 chars\n/);
  });

  test("nothing left: no container or image of the session", async () => {
    expect(await leftovers(graded.session)).toEqual(NOTHING_LEFT);
  });
});
