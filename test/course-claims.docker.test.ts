// What the lessons say about Docker, shown on this machine's engine: a lesson
// that says something false teaches it to every student (issue 11).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { build_image, image_exists, inspect_image, remove_managed } from "../grader/index.js";
import { project_root } from "./helpers/cli.js";
import { temp_folders } from "./helpers/folders.js";

const session = randomUUID();
const folder = temp_folders();
let n = 0;
const build = (dir: string, extra: Partial<Parameters<typeof build_image>[0]> = {}) =>
  build_image({ dir, tag: `dockerlings/test-claims:${session.slice(0, 8)}-${n++}`, session, ...extra });
afterAll(() => remove_managed(session));

describe("the lessons' claims about the engine", () => {
  test("01: a Dockerfile under another name builds when it is named (docker build -f), lowercase dockerfile included", async () => {
    const dir = folder({ dockerfile: "FROM debian:bookworm-slim\nCMD [\"true\"]\n", "Dockerfile.dev": "FROM debian:bookworm-slim\nCMD [\"true\"]\n" });
    expect((await build(dir, { dockerfile: "dockerfile" })).ok).toBe(true);
    expect((await build(dir, { dockerfile: "Dockerfile.dev" })).ok).toBe(true);
    // Without -f, the grader (like the course) asks for the conventional name.
    const outcome = await build(dir);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure.message).toMatch(/« dockerfile »|« Dockerfile\.dev »/);
  });

  test("10: after an ARG changes, a COPY after it stays cached; every RUN after it is rebuilt, even one that does not use it", async () => {
    const dir = folder({
      Dockerfile: `FROM debian:bookworm-slim\nARG VERSION=1\nCOPY a.txt /a.txt\nRUN echo "${randomUUID()}" > /sans-arg\nRUN echo "$VERSION" > /version\n`,
      "a.txt": "a\n",
    });
    expect((await build(dir, { build_args: { VERSION: "1" } })).ok).toBe(true);
    const second = await build(dir, { build_args: { VERSION: "2" } });
    expect(second.ok).toBe(true);
    const cached = (end: string) => second.steps.find((s) => s.instruction.endsWith(end))?.cached;
    expect(cached("/a.txt")).toBe(true);
    expect(cached("/sans-arg")).toBe(false);
    expect(cached("/version")).toBe(false);
  });

  test("04: ADD of a URL fails the build on an HTTP error", async () => {
    // The Debian mirror is reachable from builds on this machine (ENVIRONMENT.md).
    const dir = folder({ Dockerfile: "FROM debian:bookworm-slim\nADD http://deb.debian.org/debian/dockerlings-absent.txt /x\n" });
    const outcome = await build(dir);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure.engine_message).toMatch(/404/);
  });

  test("05: a shell-form CMD after an exec-form ENTRYPOINT reaches the program as /bin/sh -c ...; CMD --verbose does not build", async () => {
    const bad = await build(folder({ Dockerfile: "FROM debian:bookworm-slim\nENTRYPOINT [\"echo\"]\nCMD --verbose\n" }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.failure.engine_message).toMatch(/unknown flag: verbose/i);
    const good = await build(folder({ Dockerfile: "FROM debian:bookworm-slim\nENTRYPOINT [\"echo\"]\nCMD -v\n" }));
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    const config = (await inspect_image(good.image_id)).config;
    expect([...(config.entrypoint ?? []), ...(config.cmd ?? [])]).toEqual(["echo", "/bin/sh", "-c", "-v"]);
  });

  test("14: the lesson's multi-stage C example builds (its output path exists in the build stage)", async () => {
    const lesson = fs.readFileSync(path.join(project_root, "exercises", "14-multi-stage", "lesson.md"), "utf8");
    const example = [...lesson.matchAll(/```dockerfile\n([\s\S]*?)```/g)].map((m) => m[1]!).find((block) => /AS build/.test(block));
    expect(example).toBeDefined();
    // gcc:12 is made only when an exercise needs it; golang:1.19 holds the same GCC 12 and static libc.
    const dockerfile = (await image_exists("gcc:12")) ? example! : example!.replace("FROM gcc:12", "FROM golang:1.19");
    const outcome = await build(folder({ Dockerfile: dockerfile, "bonjour.c": '#include <stdio.h>\nint main(void) { puts("bonjour"); return 0; }\n' }));
    expect(outcome.ok, outcome.ok ? "" : outcome.failure.message).toBe(true);
  });

  test("19: a cache mount keeps its files from one build to the next, works without a # syntax line, and --no-cache starts it empty", async () => {
    // A mount id of its own: no other build on the engine shares this cache. The
    // id is in the command too: a mount is not part of a RUN's cache key, so the
    // same command with another mount would come from the layer cache.
    const id = randomUUID();
    const dir = folder({
      Dockerfile:
        "FROM debian:bookworm-slim\nARG N\n" +
        `RUN --mount=type=cache,id=${id},target=/cache echo "build $N '${id}'" && if [ -f /cache/mark ]; then echo CACHE-HIT; else echo CACHE-EMPTY; fi && touch /cache/mark\n`,
    });
    const said = async (n: string, no_cache = false): Promise<string> => {
      const outcome = await build(dir, { build_args: { N: n }, no_cache });
      expect(outcome.ok, outcome.ok ? "" : outcome.failure.message).toBe(true);
      return outcome.steps.find((s) => s.instruction.startsWith("RUN"))!.output.join("\n");
    };
    expect(await said("1")).toContain("CACHE-EMPTY");
    expect(await said("2")).toContain("CACHE-HIT");
    expect(await said("3", true)).toContain("CACHE-EMPTY");
  });
});

