// Rosters in their four forms, all mapped onto the smallest one, with every
// problem named with its line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse_roster, load_roster, repository_url_problem, RosterError, read_csv, write_csv } from "../grader/cohort/index.js";

function issues_of(text: string, file: string, options = {}): { line: number; message: string }[] {
  try {
    parse_roster(text, file, options);
  } catch (error) {
    if (error instanceof RosterError) return error.issues;
    throw error;
  }
  throw new Error("the roster was accepted");
}

describe("the smallest roster (YAML)", () => {
  const yaml = `# cohort.yaml
students:
  - id: alice
    name: Alice Martin
    path: rendus/alice
  - id: bob
    name: Bob Durand
    repo: https://git.example.org/bob/tp-docker.git
    branch: main
  - id: chloe
    repo: git@git.example.org:chloe/tp-docker.git
    commit: 0123abcd
`;
  test("gives the students in the file's order, paths relative to the roster", () => {
    const roster = parse_roster(yaml, "/classes/b1/cohort.yaml");
    expect(roster.form).toBe("yaml");
    expect(roster.students.map((s) => s.id)).toEqual(["alice", "bob", "chloe"]);
    expect(roster.students[0]!.source).toEqual({ kind: "path", written: "rendus/alice", path: "/classes/b1/rendus/alice" });
    expect(roster.students[1]!.source).toEqual({ kind: "repo", url: "https://git.example.org/bob/tp-docker.git", branch: "main" });
    expect(roster.students[2]!).toMatchObject({ name: "chloe", line: 10, source: { kind: "repo", commit: "0123abcd" } });
  });

  test("the same file always gives the same digest; another student changes it", () => {
    const a = parse_roster(yaml, "/x/cohort.yaml");
    // The folder the roster sits in does not matter: CI runners check it out elsewhere.
    expect(parse_roster(yaml, "/elsewhere/cohort.yaml").digest).toBe(a.digest);
    expect(parse_roster(yaml.replace("Bob Durand", "Bob D."), "/x/cohort.yaml").digest).not.toBe(a.digest);
  });

  test("duplicate ids, missing fields, unknown fields and bad URLs are named with their lines, all at once", () => {
    const issues = issues_of(
      `students:
  - id: alice
    path: a
  - id: Alice
    path: b
  - name: Sans Identifiant
    path: c
  - id: dan
    name: Dan
  - id: eve
    repo: https://github.com/acme
  - id: fay
    repo: "ext::sh -c touch% /tmp/pwned"
  - id: gus
    path: g
    colour: blue
  - id: hal
    repo: http://git.example.org/hal/tp.git
`,
      "cohort.yaml",
    );
    expect(issues).toEqual([
      { line: 4, message: expect.stringMatching(/« Alice » en double \(déjà ligne 2\)/) },
      { line: 6, message: "champ manquant : id" },
      { line: 8, message: expect.stringMatching(/champ manquant pour « dan » : path .* ou repo/) },
      { line: 10, message: expect.stringMatching(/n'est pas l'adresse d'un dépôt GitHub/) },
      { line: 12, message: expect.stringMatching(/ext::.*ne sont pas acceptés/) },
      { line: 14, message: expect.stringMatching(/champ\(s\) inconnu\(s\) : colour/) },
      { line: 17, message: expect.stringMatching(/protocole http refusé/) },
    ]);
  });

  test("invalid YAML says where", () => {
    expect(issues_of("students:\n  - id: a\n   path: [", "c.yaml")[0]).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/^YAML invalide/) });
  });

  test("an empty roster is refused", () => {
    expect(issues_of("students: []\n", "c.yaml")).toEqual([{ line: 1, message: "aucun étudiant dans le roster" }]);
  });
});

describe("our CSV", () => {
  test("has the same columns as the YAML form", () => {
    const roster = parse_roster('id,name,path,repo,branch\nalice,"Martin, Alice",rendus/alice,,\nbob,Bob,,https://git.example.org/bob/tp.git,main\n', "/c/roster.csv");
    expect(roster.form).toBe("csv");
    expect(roster.students.map((s) => [s.id, s.name, s.source.kind])).toEqual([
      ["alice", "Martin, Alice", "path"],
      ["bob", "Bob", "repo"],
    ]);
  });

  test("unknown columns are named; short rows, missing ids and duplicates have their line", () => {
    expect(issues_of("id,name,path,github\nalice,A,a,x\n", "r.csv")).toEqual([
      { line: 1, message: expect.stringMatching(/colonne\(s\) inconnue\(s\) : « github » \(les colonnes sont id, name, path/) },
    ]);
    expect(issues_of('id,name,path\nalice,A,a\n,B,b\nbob,"Bob\nDurand",b\ncarl,C\nbob,Bob2,c\n', "r.csv")).toEqual([
      { line: 3, message: "champ manquant : id" },
      { line: 6, message: "2 champ(s) pour 3 colonne(s)" },
      { line: 7, message: expect.stringMatching(/« bob » en double \(déjà ligne 4\)/) },
    ]);
  });
});

describe("Classroom 50's roster", () => {
  const csv = "username,first_name,last_name,email,section,github_id,role\nalice-m,Alice,Martin,alice@example.org,B1,1001,student\nprof,Paul,Prof,p@example.org,,1,teacher\nbob-d,Bob,Durand,,B2,1002,student\n";
  test("maps each student to the repository of the pattern; teachers are not graded", () => {
    const roster = parse_roster(csv, "roster.csv", { repo_pattern: "https://github.com/acme/tp-docker-{username}" });
    expect(roster.form).toBe("classroom50");
    expect(roster.students).toMatchObject([
      { id: "alice-m", name: "Alice Martin", section: "B1", email: "alice@example.org", source: { kind: "repo", url: "https://github.com/acme/tp-docker-alice-m" } },
      { id: "bob-d", name: "Bob Durand", section: "B2", source: { kind: "repo", url: "https://github.com/acme/tp-docker-bob-d" } },
    ]);
  });

  test("needs --repo-pattern", () => {
    expect(issues_of(csv, "roster.csv")).toEqual([{ line: 1, message: expect.stringMatching(/--repo-pattern/) }]);
  });
});

describe("a GitHub Classroom grades export", () => {
  test("takes each student's repository; one who never accepted has no submission", () => {
    const csv =
      "assignment_name,assignment_url,starter_code_url,github_username,roster_identifier,student_repository_name,student_repository_url,submission_timestamp,points_awarded,points_available\n" +
      "tp-docker,https://classroom.github.com/a/x,,alice,Alice Martin,tp-docker-alice,https://github.com/acme/tp-docker-alice,2026-12-01,10,160\n" +
      "tp-docker,https://classroom.github.com/a/x,,bob,,,,,,160\n";
    const roster = parse_roster(csv, "grades.csv");
    expect(roster.form).toBe("github-classroom");
    expect(roster.students).toMatchObject([
      { id: "alice", name: "Alice Martin", source: { kind: "repo", url: "https://github.com/acme/tp-docker-alice" } },
      { id: "bob", name: "bob", source: { kind: "none" } },
    ]);
  });
});

describe("repository URLs", () => {
  test.each([
    ["https://github.com/acme/tp-docker", undefined],
    ["https://github.com/acme/tp-docker.git", undefined],
    ["https://gitlab.example.org/group/sub/tp.git", undefined],
    ["ssh://git@git.example.org/acme/tp.git", undefined],
    ["git@github.com:acme/tp-docker.git", undefined],
    ["file:///srv/git/alice.git", undefined],
  ])("%s is a repository", (url, problem) => {
    expect(repository_url_problem(url)).toBe(problem);
  });
  test.each([
    ["https://github.com/acme", /GitHub/],
    ["https://github.com/acme/tp/tree/main", /GitHub/],
    ["https://git.example.org/", /ne nomme pas de dépôt/],
    ["http://git.example.org/a/b.git", /protocole http refusé/],
    ["ext::sh -c id", /ext::/],
    ["ftp://x.org/a", /protocole ftp refusé/],
    ["not a url", /n'est pas une URL de dépôt/],
    ["https://git.example.org/a/b.git?x=1", /requête/],
  ])("%s is not", (url, pattern) => {
    expect(repository_url_problem(url)).toMatch(pattern);
  });
});

test("a roster file that cannot be read is one clear issue", () => {
  const missing = path.join(os.tmpdir(), "dl-no-such-roster.yaml");
  fs.rmSync(missing, { force: true });
  expect(() => load_roster(missing)).toThrow(/ne peut pas être lu \(ENOENT\)/);
});

test("CSV: quotes, doubled quotes, CRLF and line breaks in fields round-trip; formulas are kept as text", () => {
  const rows = [["a", 'say "hi"', "x,y"], ["multi\nline", "", "=1+1"]];
  const text = write_csv(rows);
  expect(text).toBe('a,"say ""hi""","x,y"\r\n"multi\nline",,\'=1+1\r\n');
  expect(read_csv(text).map((r) => r.fields)).toEqual([["a", 'say "hi"', "x,y"], ["multi\nline", "", "'=1+1"]]);
  expect(read_csv(text).map((r) => r.line)).toEqual([1, 2]);
});

test("CSV read by csv-parse: each record keeps the line it starts on, across blank lines, mixed line ends and quoted line breaks", () => {
  const text = '\uFEFFid;name\r\n\r\nalice;"Martin\nAlice"\nbob;Bob\rcarl;"Dan ""the man"""\n';
  expect(read_csv(text)).toEqual([
    { line: 1, fields: ["id", "name"] },
    { line: 3, fields: ["alice", "Martin\nAlice"] },
    { line: 5, fields: ["bob", "Bob"] },
    { line: 6, fields: ["carl", 'Dan "the man"'] },
  ]);
  // csv-parse alone counts a CRLF inside quotes as two lines: the reader makes every line end one LF first.
  expect(read_csv('id\r\nbob,"Bob\r\nX"\r\ncarl\r\n').map((r) => r.line)).toEqual([1, 2, 4]);
});

test("a quote never closed is a roster error on the line of the record it opens", () => {
  expect(issues_of('id,name,path\nalice,A,a\nbob,"Bob,b\ncarl,C,c\n', "r.csv")).toEqual([
    { line: 3, message: expect.stringMatching(/CSV invalide : guillemet ouvert dans la ligne 3 jamais refermé/) },
  ]);
});
