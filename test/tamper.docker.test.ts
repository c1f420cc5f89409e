// Tamper-proof grading, end to end: a submission that plants its own spec,
// links to a host file, or sends an oversized build context is refused for
// that exercise (the student's fail, with a clear reason of what to remove or
// change, never a grader error), and grading goes on with the others.
// The planted spec never runs, and nothing is left behind.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { dockerlings, type CliRun } from "./helpers/cli.js";
import { leftovers, NOTHING_LEFT, temp_course, temp_dir, workspace } from "./grade-helpers.js";

const marker = path.join(temp_dir("dl-tamper-marker-"), "the-planted-spec-ran");
const course = temp_course([
  { id: "01-premier-dockerfile", from: "01" },
  { id: "93-spec", from: "90" },
  { id: "94-lien", from: "90" },
  { id: "95-gros", from: "90", editable: ["Dockerfile", ".dockerignore", "data/**"] },
]);
const ws = workspace({
  "01-premier-dockerfile": { from: "01", base: "solution" },
  "93-spec": {
    from: "90",
    base: "solution",
    files: {
      "spec.test.ts": `import fs from "node:fs";\nimport { test } from "vitest";\nfs.writeFileSync(${JSON.stringify(marker)}, "ran");\ntest("tout passe", () => {});\n`,
    },
  },
  "94-lien": { from: "90", base: "solution" },
  "95-gros": { from: "90", base: "solution" },
});
// A link to a host file, and a 60 MB file (sparse: no disk used) in an editable folder.
fs.symlinkSync("/etc/hostname", path.join(ws, "94-lien", "hostname"));
fs.mkdirSync(path.join(ws, "95-gros", "data"));
const big = path.join(ws, "95-gros", "data", "big.bin");
fs.writeFileSync(big, "");
fs.truncateSync(big, 60 * 1024 * 1024);

const session = randomUUID();
const tmp = temp_dir("dl-tamper-tmp-");
let run: CliRun;
let doc: { points: number; max_points: number; results: Array<{ exercise: string; status: string; error_kind?: string; grading_message?: string; points: number }> };

beforeAll(async () => {
  const json = path.join(temp_dir("dl-tamper-out-"), "r.json");
  run = await dockerlings(["grade", "--workspace", ws, "--json", json], {
    env: { DOCKERLINGS_COURSE: course, DOCKERLINGS_SESSION: session, TMPDIR: tmp, DOCKERLINGS_LANG: "fr" },
  });
  doc = JSON.parse(fs.readFileSync(json, "utf8"));
}, 240_000);

const result = (id: string) => doc.results.find((r) => r.exercise === id)!;

describe("refused submissions", () => {
  test("grading happened and went on: exit 0, the untouched exercise passed", () => {
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(result("01-premier-dockerfile")).toMatchObject({ status: "pass", points: 10 });
    expect(doc).toMatchObject({ points: 10, max_points: 19 });
  });

  test("a planted spec file is refused, and never runs", () => {
    expect(result("93-spec")).toMatchObject({ status: "fail", error_kind: "refused", points: 0 });
    expect(result("93-spec").grading_message).toBe(
      "Soumission refusée : elle contient « spec.test.ts », un fichier de test ou de configuration des tests. " +
        "Les vérifications viennent toujours du cours, jamais de la soumission : supprimez ce fichier.",
    );
    expect(fs.existsSync(marker)).toBe(false);
  });

  test("a link to a host file is refused, naming the link and where it leads", () => {
    expect(result("94-lien")).toMatchObject({ status: "fail", error_kind: "refused", points: 0 });
    expect(result("94-lien").grading_message).toMatch(
      /^Soumission refusée : le lien symbolique « hostname » mène hors du dossier de l'exercice \(vers \/etc\/hostname\)\..*remplacez ce lien par une copie/,
    );
  });

  test("a build context over the size limit is refused, naming the limit", () => {
    expect(result("95-gros")).toMatchObject({ status: "fail", error_kind: "refused", points: 0 });
    expect(result("95-gros").grading_message).toMatch(/^Soumission refusée : les fichiers de l'exercice dépassent la limite de 50 Mo du contexte de build\./);
  });

  test("the terminal shows each refusal", () => {
    // A fail (✗), the student's, not a grader error (!).
    for (const id of ["93-spec", "94-lien", "95-gros"]) expect(run.stdout).toMatch(new RegExp(`✗ ${id} 0/3 refusé`));
  });

  test("nothing left behind: no container, image or volume of the session, no staging folder", async () => {
    expect(await leftovers(session)).toEqual(NOTHING_LEFT);
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith("dockerlings-stage-"))).toEqual([]);
  });
});
