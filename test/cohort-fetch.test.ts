// Fetching submissions from git repositories the test makes (file:// URLs):
// the deadline picks the last commit before it and records the latest, a
// repository that cannot be fetched or has nothing before the deadline is
// reported, and git runs hardened (no ext::, a size limit).
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { fetch_submission, type Student } from "../grader/cohort/index.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-cohort-fetch-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.org", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.org" };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd, env, encoding: "utf8" }).trim();
}

/** A repository with one commit per (date, files) given, in order; returns its folder. */
function repository(name: string, commits: { date: string; files: Record<string, string> }[]): string {
  const dir = path.join(root, "src", name);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"]);
  for (const commit of commits) {
    for (const [file, content] of Object.entries(commit.files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", `at ${commit.date}`], commit.date);
  }
  return dir;
}

const student = (id: string, url: string, extra: { branch?: string; commit?: string } = {}): Student => ({ id, name: id, line: 1, source: { kind: "repo", url, ...extra } });
const cache_dir = path.join(root, "cache");
const deadline = new Date("2026-12-15T23:59+01:00");

describe("with a deadline", () => {
  const alice = repository("alice", [
    { date: "2026-12-10T10:00:00+01:00", files: { "01-premier-dockerfile/Dockerfile": "FROM debian:bookworm-slim\n" } },
    { date: "2026-12-15T23:00:00+01:00", files: { "01-premier-dockerfile/Dockerfile": "FROM debian:bookworm-slim\nCMD [\"echo\", \"v2\"]\n" } },
    { date: "2026-12-16T09:00:00+01:00", files: { "01-premier-dockerfile/Dockerfile": "FROM debian:bookworm-slim\nCMD [\"echo\", \"late\"]\n" } },
  ]);
  const commits = git(alice, ["log", "--format=%H"]).split("\n");

  test("grades the last commit before it and records the latest beside it", async () => {
    const outcome = await fetch_submission(student("alice", `file://${alice}`), { cache_dir, deadline });
    expect(outcome).toMatchObject({ status: "ready", commit: commits[1], latest: commits[0] });
    if (outcome.status !== "ready") throw new Error("not ready");
    expect(fs.readFileSync(path.join(outcome.dir, "01-premier-dockerfile", "Dockerfile"), "utf8")).toContain("v2");
    // The export is the commit's tree only: no .git of the student's.
    expect(fs.existsSync(path.join(outcome.dir, ".git"))).toBe(false);
  });

  test("without one, the latest commit; a new push is fetched on the next run", async () => {
    const first = await fetch_submission(student("alice", `file://${alice}`), { cache_dir });
    expect(first).toMatchObject({ status: "ready", commit: commits[0] });
    fs.writeFileSync(path.join(alice, "01-premier-dockerfile", "Dockerfile"), "FROM debian:bookworm-slim\nCMD [\"echo\", \"v4\"]\n");
    git(alice, ["commit", "-qam", "v4"], "2026-12-17T10:00:00+01:00");
    const second = await fetch_submission(student("alice", `file://${alice}`), { cache_dir });
    expect(second).toMatchObject({ status: "ready", commit: git(alice, ["rev-parse", "HEAD"]) });
  });

  test("a student with no commit before it is reported as such, with the latest", async () => {
    const bob = repository("bob", [{ date: "2026-12-16T08:00:00+01:00", files: { "01-premier-dockerfile/Dockerfile": "FROM debian:bookworm-slim\n" } }]);
    const outcome = await fetch_submission(student("bob", `file://${bob}`), { cache_dir, deadline });
    expect(outcome).toMatchObject({ status: "no-commit-before-deadline", latest: git(bob, ["rev-parse", "HEAD"]) });
    expect((outcome as { message: string }).message).toMatch(/aucun commit avant la date limite \(2026-12-15T22:59:00.000Z\)/);
  });
});

test("a branch or a commit named in the roster is the one graded", async () => {
  const dir = repository("chloe", [{ date: "2026-12-01T10:00:00Z", files: { "a.txt": "main" } }]);
  const first = git(dir, ["rev-parse", "HEAD"]);
  git(dir, ["checkout", "-q", "-b", "rendu"]);
  fs.writeFileSync(path.join(dir, "a.txt"), "rendu");
  git(dir, ["commit", "-qam", "rendu"], "2026-12-02T10:00:00Z");
  git(dir, ["checkout", "-q", "main"]);
  const on_branch = await fetch_submission(student("chloe", `file://${dir}`, { branch: "rendu" }), { cache_dir });
  expect(on_branch).toMatchObject({ status: "ready", commit: git(dir, ["rev-parse", "rendu"]) });
  const pinned = await fetch_submission(student("chloe", `file://${dir}`, { commit: first.slice(0, 10) }), { cache_dir });
  expect(pinned).toMatchObject({ status: "ready", commit: first });
  expect(await fetch_submission(student("chloe", `file://${dir}`, { branch: "nope" }), { cache_dir })).toMatchObject({ status: "unfetchable", message: expect.stringMatching(/pas de branche nope/) });
});

test("a repository that cannot be fetched is reported; an empty one is no submission", async () => {
  expect(await fetch_submission(student("dan", `file://${root}/no-such-repo`), { cache_dir })).toMatchObject({ status: "unfetchable" });
  const empty = path.join(root, "src", "empty");
  fs.mkdirSync(empty, { recursive: true });
  git(empty, ["init", "-q"]);
  expect(await fetch_submission(student("eve", `file://${empty}`), { cache_dir })).toMatchObject({ status: "missing", message: expect.stringMatching(/le dépôt n'a aucun commit/) });
  // A commit with nothing but a placeholder: nothing handed in either.
  const blank = repository("blank", [{ date: "2026-12-01T10:00:00Z", files: { "01-premier-dockerfile/.gitkeep": "" } }]);
  expect(await fetch_submission(student("bea", `file://${blank}`), { cache_dir })).toMatchObject({ status: "missing", message: expect.stringMatching(/ne contient aucun fichier/) });
});

test("a commit is exported with its links kept as links, wherever they lead; every fetch lists the branches' commits", async () => {
  const dir = repository("venv", [{ date: "2026-12-01T10:00:00Z", files: { "01-premier-dockerfile/Dockerfile": "FROM python:3.11-slim\n" } }]);
  // A committed virtualenv: its interpreter, an absolute link outside every exercise, and a relative one inside.
  fs.mkdirSync(path.join(dir, "venv", "bin"), { recursive: true });
  fs.symlinkSync("/usr/bin/python3", path.join(dir, "venv", "bin", "python"));
  fs.symlinkSync("Dockerfile", path.join(dir, "01-premier-dockerfile", "Dockerfile.lien"));
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-qm", "venv"], "2026-12-02T10:00:00Z");
  const outcome = await fetch_submission(student("vera", `file://${dir}`), { cache_dir });
  expect(outcome).toMatchObject({ status: "ready", commit: git(dir, ["rev-parse", "HEAD"]) });
  const tree = (outcome as { dir: string }).dir;
  expect(fs.readlinkSync(path.join(tree, "venv", "bin", "python"))).toBe("/usr/bin/python3");
  expect(fs.readlinkSync(path.join(tree, "01-premier-dockerfile", "Dockerfile.lien"))).toBe("Dockerfile");
  expect((outcome as { commits: string[] }).commits.sort()).toEqual(git(dir, ["rev-list", "--all"]).split("\n").sort());
  expect(Date.parse((outcome as { fetched_at: string }).fetched_at)).toBeGreaterThan(Date.now() - 60_000);
});

test("git's ext:: transport never runs, whatever the roster said", async () => {
  const marker = path.join(root, "ext-ran");
  const outcome = await fetch_submission(student("mallory", `ext::sh -c touch% ${marker}`), { cache_dir });
  expect(outcome.status).toBe("unfetchable");
  expect(fs.existsSync(marker)).toBe(false);
});

test("a repository over the size limit is stopped and reported", async () => {
  const big = repository("big", [{ date: "2026-12-01T10:00:00Z", files: { "blob.bin": crypto.randomBytes(3 * 1024 * 1024).toString("base64") } }]);
  const outcome = await fetch_submission(student("big", `file://${big}`), { cache_dir, max_bytes: 256 * 1024 });
  expect(outcome).toMatchObject({ status: "unfetchable", message: expect.stringMatching(/dépasse la limite/) });
  expect(fs.readdirSync(path.join(cache_dir, "repos")).some((n) => n.startsWith("big-"))).toBe(false);
});

test("a local folder is taken as it is; a folder that is not there, or holds no file, is a missing submission", async () => {
  const dir = fs.mkdtempSync(path.join(root, "local-"));
  fs.mkdirSync(path.join(dir, "01-premier-dockerfile"));
  fs.writeFileSync(path.join(dir, ".DS_Store"), "");
  expect(await fetch_submission({ id: "f", name: "f", line: 1, source: { kind: "path", written: "f", path: dir } }, { cache_dir })).toEqual({ status: "missing", message: "le dossier f est vide" });
  fs.writeFileSync(path.join(dir, "01-premier-dockerfile", "Dockerfile"), "FROM python:3.11-slim\n");
  expect(await fetch_submission({ id: "f", name: "f", line: 1, source: { kind: "path", written: "f", path: dir } }, { cache_dir })).toEqual({ status: "ready", dir });
  expect(await fetch_submission({ id: "g", name: "g", line: 1, source: { kind: "path", written: "rendus/g", path: path.join(root, "nope") } }, { cache_dir })).toMatchObject({
    status: "missing",
    message: "le dossier rendus/g n'existe pas",
  });
});
