// docs/authoring.md stays true: its links reach files and headings that
// exist (GitHub's anchors), and every matcher its example spec uses is one the
// library has.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";

const docs = path.join(project_root, "docs");
const authoring = fs.readFileSync(path.join(docs, "authoring.md"), "utf8");

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

const anchors = (file: string) =>
  new Set([...fs.readFileSync(file, "utf8").matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));

test("every link of docs/authoring.md reaches a file, and a heading when it names one", () => {
  const broken: string[] = [];
  for (const [, target] of authoring.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^https?:/.test(target!)) continue;
    const [file, hash] = target!.split("#");
    const resolved = path.resolve(docs, file!);
    if (!fs.existsSync(resolved)) broken.push(`${target}: no such file`);
    else if (hash && !anchors(resolved).has(hash)) broken.push(`${target}: no such heading in ${file}`);
  }
  expect(broken).toEqual([]);
});

test("the example spec uses only matchers the library has", () => {
  const spec = /```ts\n([\s\S]*?)```/.exec(authoring)![1]!;
  const used = [...new Set([...spec.matchAll(/\.\s*(to[A-Z]\w*)\(/g)].map((m) => m[1]!))];
  expect(used.length).toBeGreaterThan(2);
  const library = fs.readFileSync(path.join(project_root, "grader", "checks", "matchers.ts"), "utf8");
  expect(used.filter((name) => !new RegExp(`\\b${name}\\(`).test(library))).toEqual([]);
  // About thirty lines: an example, not a catalogue.
  expect(spec.split("\n").length).toBeLessThan(45);
});

test("the example spec is exercise 10's, as it is (only its import written for a pack)", () => {
  const spec = /```ts\n([\s\S]*?)```/.exec(authoring)![1]!;
  const real = fs
    .readFileSync(path.join(project_root, "exercises", "10-build-args-tags", "spec.test.ts"), "utf8")
    .replace('"../../grader/spec.js"', '"dockerlings/grader/spec.js"');
  expect(spec, "exercises/10-build-args-tags/spec.test.ts changed: copy it into docs/authoring.md's example").toBe(real);
});
