// docs/authoring.md's example spec is exercise 10's, short enough to read (that
// it type-checks, and that the page's links hold, is test/docs.test.ts's, for
// every page).
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";

const docs = path.join(project_root, "docs");
const authoring = fs.readFileSync(path.join(docs, "authoring.md"), "utf8");

test("the example spec is an example, not a catalogue: about thirty lines", () => {
  const spec = /```ts\n([\s\S]*?)```/.exec(authoring)![1]!;
  expect(spec.split("\n").length).toBeLessThan(45);
});

test("the example spec is exercise 10's, as it is (only its import written for a pack)", () => {
  const spec = /```ts\n([\s\S]*?)```/.exec(authoring)![1]!;
  const real = fs
    .readFileSync(path.join(project_root, "exercises", "10-build-args-tags", "spec.test.ts"), "utf8")
    .replace('"../../grader/spec.js"', '"dockerlings/grader/spec.js"');
  expect(spec, "exercises/10-build-args-tags/spec.test.ts changed: copy it into docs/authoring.md's example").toBe(real);
});
