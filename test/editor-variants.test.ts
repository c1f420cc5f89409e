// Each way an editor may save a Dockerfile (a byte-order mark, CRLF, no final
// newline, tabs, lowercase instructions) leaves every solution's Dockerfile the
// same to the one model the grader reads it with: same instructions, lines,
// flags and arguments. test/variants.docker.test.ts grades the five together.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { load_course } from "../grader/index.js";
import { read_dockerfile } from "../grader/dockerfile/index.js";
import { project_root } from "./helpers/cli.js";
import { EDITOR_WAYS, editor_variant } from "./helpers/editor.js";

const dockerfiles = load_course(project_root).flatMap((e) =>
  fs
    .readdirSync(e.solution_dir)
    .filter((name) => /^Dockerfile/.test(name))
    .map((name) => ({ key: `${e.id}/${name}`, text: fs.readFileSync(path.join(e.solution_dir, name), "utf8") })),
);

/** What the grader reads of a Dockerfile, whitespace inside arguments folded. */
function reading(text: string) {
  const model = read_dockerfile(text);
  return {
    instructions: model.instructions.map((i) => ({
      keyword: i.keyword,
      line: i.line,
      end_line: i.end_line,
      flags: i.flags.map((f) => `${f.name}=${f.value}`),
      // `FROM … as build` and `AS build` are the same stage (its name is compared below).
      args: i.args.join(" ").replace(/\s+/g, " ").replace(/ as (\S+)$/i, " AS $1"),
      exec_form: i.exec_form,
    })),
    stages: model.stages.map((s) => ({ name: s.name, image: s.image, line: s.line })),
  };
}

describe("an editor's way of saving leaves the Dockerfile the same to the grader", () => {
  test("there are solutions to try", () => expect(dockerfiles.length).toBeGreaterThanOrEqual(19));

  describe.each(Object.entries(EDITOR_WAYS))("%s", (_name, save) => {
    test.each(dockerfiles.map((d) => [d.key, d] as const))("%s", (_key, d) => {
      const saved = save(d.text);
      expect(saved, "the way changes the file").not.toBe(d.text);
      expect(reading(saved)).toEqual(reading(d.text));
    });
  });

  test.each(dockerfiles.map((d) => [d.key, d] as const))("all five at once: %s", (_key, d) => {
    expect(reading(editor_variant(d.text))).toEqual(reading(d.text));
  });
});
