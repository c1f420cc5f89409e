// Builds on the real engine: progress, cache, and each kind of failure with the
// message a student sees.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { build_image, type BuildProgressEvent } from "./build.js";
import { remove_managed } from "./cleanup.js";
import { temp_folders } from "../../test/helpers/folders.js";

const session = randomUUID();
const folder = temp_folders();
let n = 0;
const build = (dir: string, extra: Partial<Parameters<typeof build_image>[0]> = {}) =>
  build_image({ dir, tag: `dockerlings/test-build:${session.slice(0, 8)}-${n++}`, session, ...extra });
afterAll(() => remove_managed(session));

describe("build_image", () => {
  test("builds, streams step progress, and a second identical build is all cache hits", async () => {
    const dir = folder({
      Dockerfile: `FROM debian:bookworm-slim\nCOPY a.txt /a.txt\nRUN echo "${randomUUID()}" > /id && cat /a.txt\nCMD ["cat", "/a.txt"]\n`,
      "a.txt": "hello\n",
    });
    const events: BuildProgressEvent[] = [];
    const first = await build(dir, { on_progress: (e) => events.push(e) });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.image_id).toMatch(/^sha256:/);
    const run_step = first.steps.find((s) => s.instruction.startsWith("RUN"))!;
    expect(run_step).toMatchObject({ index: 3, total: 3, cached: false });
    expect(run_step.output).toContain("hello");
    expect(events.some((e) => e.state === "started")).toBe(true);
    expect(events.some((e) => e.state === "done" && e.step.instruction.startsWith("RUN"))).toBe(true);

    const second = await build(dir);
    expect(second.ok).toBe(true);
    expect(second.steps.filter((s) => s.index > 1).every((s) => s.cached)).toBe(true);
  });

  test("honours .dockerignore in what COPY . sees", async () => {
    const dir = folder({
      Dockerfile: "FROM debian:bookworm-slim\nCOPY . /ctx\nRUN ls -A /ctx | sort | tr '\\n' ' '\n",
      ".dockerignore": ".env\nlogs\n",
      ".env": "SECRET=1",
      "logs/a.log": "x",
      "app.py": "print()",
    });
    const outcome = await build(dir, { no_cache: true });
    expect(outcome.ok).toBe(true);
    const listing = outcome.steps.find((s) => s.instruction.startsWith("RUN ls"))!.output.join(" ");
    expect(listing).toContain("app.py");
    expect(listing).not.toContain(".env");
    expect(listing).not.toContain("logs");
  });

  test("a failing RUN: its line, exit code and the end of its output", async () => {
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nRUN echo ok\nRUN echo about to fail \\\n  && ls /missing-folder\n" });
    const outcome = await build(dir);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: "run-failed", line: 3, exit_code: 2 });
    // stdout and stderr reach BuildKit's log apart: their lines may come in either order.
    expect([...(outcome.failure.output_tail ?? [])].sort()).toEqual(["about to fail", "ls: cannot access '/missing-folder': No such file or directory"]);
    expect(outcome.failure.message).toMatch(/^Ligne 3 \(RUN echo about to fail && ls \/missing-folder\) : la commande a échoué avec le code de sortie 2/);
  });

  test("a missing COPY source", async () => {
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nCOPY app.py /app/\n", "App.py": "" });
    const outcome = await build(dir);
    expect(!outcome.ok && outcome.failure).toMatchObject({ kind: "copy-source-missing", line: 2 });
    expect(!outcome.ok && outcome.failure.message).toMatch(/« app\.py » est introuvable.*majuscules comprises/);
  });

  test("a COPY source excluded by .dockerignore", async () => {
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nCOPY config.ini /etc/\n", "config.ini": "", ".dockerignore": "*.ini\n" });
    const outcome = await build(dir);
    expect(!outcome.ok && outcome.failure.kind).toBe("copy-source-missing");
  });

  test("a FROM image that is absent and cannot be pulled", async () => {
    const dir = folder({ Dockerfile: "FROM python:3.99-nowhere\nRUN true\n" });
    const outcome = await build(dir);
    expect(!outcome.ok && outcome.failure).toMatchObject({ kind: "base-image-missing", line: 1 });
    expect(!outcome.ok && outcome.failure.message).toMatch(/« python:3\.99-nowhere » n'est pas sur cette machine/);
  });

  test("a misspelt instruction never reaches the engine", async () => {
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nRUNN echo hi\n" });
    const outcome = await build(dir);
    expect(!outcome.ok && outcome.failure).toMatchObject({ kind: "unknown-instruction", line: 2 });
    expect(outcome.steps).toEqual([]);
  });

  test("an empty and a missing Dockerfile", async () => {
    const empty = await build(folder({ Dockerfile: "# TODO\n" }));
    expect(!empty.ok && empty.failure.kind).toBe("empty-dockerfile");
    const missing = await build(folder({ "app.py": "" }));
    expect(!missing.ok && missing.failure.kind).toBe("no-dockerfile");
  });

  test("a build over its time limit is stopped and says which step", async () => {
    const dir = folder({ Dockerfile: `FROM debian:bookworm-slim\nRUN echo ${randomUUID()} && sleep 600\n` });
    const t0 = Date.now();
    const outcome = await build(dir, { timeout_ms: 3000 });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(!outcome.ok && outcome.failure.kind).toBe("timeout");
    expect(!outcome.ok && outcome.failure.message).toMatch(/limite de 3 s pendant l'étape « RUN echo .* && sleep 600 »/);
    expect(!outcome.ok && outcome.failure.limit).toEqual({ limit: "time", value: 3000 });
  });

  test("a context with a link leaving the folder is refused", async () => {
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nCOPY . /x\n" });
    const fs = await import("node:fs");
    fs.symlinkSync("/etc/shadow", `${dir}/shadow`);
    const outcome = await build(dir);
    expect(!outcome.ok && outcome.failure.kind).toBe("context-refused");
    // Not a limit: a link is refused whatever its size.
    expect(!outcome.ok && outcome.failure.limit).toBeUndefined();
  });

  test("a context over its size limit: refused, the limit as data", async () => {
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nCOPY . /x\n", "big.bin": "x".repeat(4096) });
    const outcome = await build(dir, { context_limit_bytes: 1024 });
    expect(!outcome.ok && outcome.failure).toMatchObject({ kind: "context-refused", limit: { limit: "context_size", value: 1024 } });
  });
});
