// Build tools left in the final image, its files given as the image holds
// them (no engine): where they come from, a single stage or a final stage
// started from a build image.
import { describe, expect, test, vi } from "vitest";
import type { ImageFileReader } from "../engine/files.js";
import { fake_exercise, memory_files } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_no_build_tools } from "./toolchain.js";

const image_files = vi.hoisted(() => ({ reader: undefined as ImageFileReader | undefined }));
vi.mock("../engine/files.js", async (original) => ({
  ...(await original<typeof import("../engine/files.js")>()),
  with_image_files: async <T>(_options: unknown, use: (reader: ImageFileReader) => Promise<T>) => use(image_files.reader!),
}));

describe("check_no_build_tools", () => {
  test("none of Go and a C compiler: passes", async () => {
    image_files.reader = memory_files({ "/app/prix-ttc": {} });
    expect(await check_no_build_tools(fake_exercise({ dockerfile: "FROM golang:1.19 AS build\nFROM scratch\n" }))).toMatchObject({ ok: true });
  });

  test("Go left: where each tool is, and why it is there", async () => {
    image_files.reader = memory_files({ "/usr/local/go": { type: "directory" }, "/usr/bin/gcc": {} });
    const single = await check_no_build_tools(fake_exercise({ dockerfile: "FROM golang:1.19\nRUN go build\n" }));
    expect(single.failures).toEqual([
      "L'image finale contient encore Go et un compilateur C : /usr/local/go, /usr/bin/gcc. Le Dockerfile n'a qu'une étape : tout ce qui a servi à compiler reste dans l'image.",
    ]);
    const from_build = await check_no_build_tools(fake_exercise({ dockerfile: "FROM golang:1.19 AS build\nFROM golang:1.19\n" }));
    expect(from_build.failures[0]).toMatch(/L'étape finale part de « golang:1\.19 », une image qui contient ces outils/);
  });

  test("a tool with a relative path is the spec's mistake", async () => {
    await expect(check_no_build_tools(fake_exercise(), [{ name: "x", paths: ["bin/x"] }])).rejects.toThrow(SpecConfigError);
  });
});
