// Who copied whom, on a class made for it (test/fixtures/similarity/class.ts):
// the copied pair ranks first although the copy renamed its variables and
// reordered its lines; the student who wrote the common answer is in no
// pair; one common line shared by chance lists nobody; the starter and the
// common lines are set aside and said so.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compare_exercise, type SimilaritySubmission } from "../grader/cohort/similarity.js";
import { read_csv } from "../grader/cohort/csv.js";
import { dockerlings, project_root, type CliRun } from "./helpers/cli.js";
import { dolos_read } from "./helpers/dolos.js";
import { has_chromium, in_browser } from "./helpers/browser.js";
import { CLASS, STARTER } from "./fixtures/similarity/class.js";

const submissions: SimilaritySubmission[] = CLASS.map((s) => ({ student_id: s.id, name: s.id, dockerfile: s.dockerfile }));

describe("compare_exercise", () => {
  const result = compare_exercise("30-service", submissions, STARTER);

  test("the copy ranks first, with the lines it shares on both sides", () => {
    const [first] = result.pairs;
    expect([first!.a, first!.b]).toEqual(["cleo", "gus"]);
    const shared = first!.shared.map((s) => s.text);
    expect(shared).toEqual(
      expect.arrayContaining([
        "ARG ·=/srv/catalogue",
        "ENV ·=8080",
        "WORKDIR /srv/catalogue",
        "RUN apt-get install --no-install-recommends -y curl tini",
        "RUN useradd --no-create-home --uid 10001 catalogue",
        "RUN pip install --no-cache-dir -r gunicorn==21.2.0 requirements.txt",
        'CMD ["gunicorn","--bind","0.0.0.0:8080","app:app"]',
      ]),
    );
    // Every rare fragment of each is the other's too.
    expect(first!.a_share).toBe(1);
    expect(first!.b_share).toBe(1);
    const install = first!.shared.find((s) => s.text.startsWith("RUN apt-get install"))!;
    expect(install.a.map((p) => p.line)).toEqual([5]);
    expect(install.b.map((p) => [p.line, p.end_line])).toEqual([[10, 11]]);
    expect(install.b[0]!.text).toContain("apt-get install --no-install-recommends -y curl tini");
  });

  test("the common answer appears in no pair; a line two students share by chance lists nobody", () => {
    const listed = result.pairs.flatMap((p) => [p.a, p.b]);
    expect(listed).not.toContain("eli");
    expect(result.pairs).toHaveLength(1);
    // ana and dora share ENV PYTHONUNBUFFERED=1 only: below two rare lines.
    const chance = compare_exercise("30-service", submissions, STARTER, { min_shared: 1 }).pairs.find((p) => p.a === "ana" && p.b === "dora");
    expect(chance?.shared.map((s) => s.text)).toEqual(["ENV PYTHONUNBUFFERED=1"]);
  });

  test("the starter's lines and the lines most of the class writes are set aside, and said", () => {
    expect(result.starter).toEqual(["FROM python:3.11-slim"]);
    expect(result.common.map((c) => c.text)).toEqual(
      expect.arrayContaining(["COPY requirements.txt .", "RUN pip install --no-cache-dir -r requirements.txt", 'CMD ["python3","app.py"]']),
    );
    // 8 students, 30 %: a fragment held by more than 2 is common.
    expect(result.common_above).toBe(2);
    expect(result.common.every((c) => c.holders > 2)).toBe(true);
  });

  test("without the subtraction, the common answer would be everywhere: that is what it prevents", () => {
    const raw = compare_exercise("30-service", submissions, undefined, { common_share: 1, min_shared: 1 });
    expect(raw.pairs.some((p) => p.a === "eli" || p.b === "eli")).toBe(true);
  });
});

// The command as a teacher types it, on a class on disk and in a git
// repository: the terminal, the CSV, the HTML in a real browser, and the
// Dolos folder read by Dolos's own rules (test/helpers/dolos.ts).
describe("dockerlings cohort similarity", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-similarity-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const EX = "01-premier-dockerfile";
  const roster = path.join(root, "classe.yaml");
  const out = path.join(root, "out");
  let run: CliRun;

  beforeAll(async () => {
    const lines: string[] = [];
    for (const [i, s] of CLASS.entries()) {
      const section = i % 2 === 0 ? "groupe-a" : "groupe-b";
      if (s.id === "gus") {
        // The copier's work is in a repository: the commit compared is its last.
        const repo = path.join(root, "depots", "gus");
        fs.mkdirSync(path.join(repo, EX), { recursive: true });
        fs.writeFileSync(path.join(repo, EX, "Dockerfile"), s.dockerfile);
        const env = { ...process.env, GIT_AUTHOR_NAME: "g", GIT_AUTHOR_EMAIL: "g@example.org", GIT_COMMITTER_NAME: "g", GIT_COMMITTER_EMAIL: "g@example.org", GIT_COMMITTER_DATE: "2026-12-10T10:00:00Z", GIT_AUTHOR_DATE: "2026-12-10T10:00:00Z" };
        execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q"], { cwd: repo, env });
        execFileSync("git", ["add", "-A"], { cwd: repo, env });
        execFileSync("git", ["commit", "-q", "-m", "tp"], { cwd: repo, env });
        lines.push(`  - { id: gus, name: Gus Petit, section: ${section}, repo: "file://${repo}" }`);
      } else {
        fs.mkdirSync(path.join(root, "rendus", s.id, EX), { recursive: true });
        fs.writeFileSync(path.join(root, "rendus", s.id, EX, "Dockerfile"), s.dockerfile);
        lines.push(`  - { id: ${s.id}, name: ${s.id.toUpperCase()}, section: ${section}, path: rendus/${s.id} }`);
      }
    }
    lines.push("  - { id: ivy, name: Ivy, path: rendus/ivy }"); // nothing handed in
    fs.writeFileSync(roster, `students:\n${lines.join("\n")}\n`);
    run = await dockerlings(
      ["cohort", "similarity", roster, "--only", "01", "--html", path.join(out, "paires.html"), "--csv", path.join(out, "paires.csv"), "--dolos", path.join(out, "dolos")],
      { cwd: root },
    );
  }, 60_000);

  test("the terminal ranks the copied pair first and says who has nothing to compare", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/01-premier-dockerfile : 8 Dockerfile\(s\), \d+ ligne\(s\) commune\(s\) mise\(s\) de côté, 1 paire\(s\)/);
    expect(run.stdout).toMatch(/ {2}1\. cleo ↔ gus {2}score [\d.]+ · 1[0-9] ligne\(s\) rare\(s\) en commun \(100 % \/ 100 %/);
    expect(run.stdout).not.toMatch(/eli/);
    expect(run.stdout).toMatch(/Sans Dockerfile à comparer :\n {2}· ivy : le dossier rendus\/ivy n'existe pas/);
    expect(run.stdout).toMatch(/dolos run -f web -M 0\.3 out\/dolos\/01-premier-dockerfile\/info\.csv/);
  });

  test("the CSV, read back: one row per pair, the copy first, its lines on both sides", () => {
    const [head, first, ...rest] = read_csv(fs.readFileSync(path.join(out, "paires.csv"), "utf8"));
    const row = Object.fromEntries(head!.fields.map((h, i) => [h, first!.fields[i]]));
    expect(row).toMatchObject({ exercise: EX, rank: "1", student_a: "cleo", name_a: "CLEO", student_b: "gus", name_b: "Gus Petit", share_a: "1", share_b: "1" });
    expect(row.fragments!.split("\n")).toContain("RUN apt-get install --no-install-recommends -y curl tini");
    expect(rest).toEqual([]);
  });

  test("Dolos reads the folder as it is: every Dockerfile, the starter as its template, char tokenizer, names, sections, dates", () => {
    const dataset = dolos_read(path.join(out, "dolos", EX, "info.csv"));
    expect(dataset.language).toBe("char");
    expect(dataset.files).toHaveLength(8);
    expect(dataset.ignored?.content).toBe(fs.readFileSync(path.join(project_root, "exercises", EX, "starter", "Dockerfile"), "utf8"));
    const gus = dataset.files.find((f) => f.extra.fullName === "Gus Petit")!;
    expect(gus.content).toBe(CLASS.find((s) => s.id === "gus")!.dockerfile);
    expect(gus.extra.labels).toBe("groupe-a");
    expect(gus.extra.createdAt.toISOString()).toBe("2026-12-10T10:00:00.000Z");
    // A folder has no commit date: Dolos reads no date (Invalid Date, written as null), which it allows.
    expect(Number.isNaN(dataset.files.find((f) => f.extra.fullName === "ANA")!.extra.createdAt.getTime())).toBe(true);
  });

  test.skipIf(!has_chromium)("the HTML in a real browser: no network, the copy first and open, its lines side by side", async () => {
    await in_browser(
      path.join(out, "paires.html"),
      async ({ page, problems, requests }) => {
        const pairs = page.locator("details.pair");
        expect(await pairs.count()).toBe(1);
        expect(await pairs.first().getAttribute("data-a")).toBe("cleo");
        expect(await pairs.first().getAttribute("data-b")).toBe("gus");
        expect(await pairs.first().getAttribute("open")).not.toBeNull();
        expect(await pairs.first().locator("table.shared tr").count()).toBeGreaterThan(10);
        expect(await page.locator("text=eli").count()).toBe(0);
        expect(problems).toEqual([]);
        expect(requests).toEqual([]);
      },
      "similarity.png",
    );
  });

  test("a share that is not one is refused before anything runs", async () => {
    const bad = await dockerlings(["cohort", "similarity", roster, "--common-share", "30"], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr.replace(/\s+/g, " ")).toContain("--common-share attend une part de la classe entre 0 et 1 (ex. 0.3), pas « 30 ».");
  });
});
