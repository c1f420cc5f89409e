// Which grader the spec workers load: the sources (this file's tree) or the
// compiled copy in dist/ (after `npm run build`, as `npm ci` makes it).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { compiled_grader_file, transform_caches, warm_start_path } from "./worker-grader.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const compiled_module = path.join(root, "dist", "grader", "runner", "worker-grader.js");

test("from the sources, a spec's import of the grader stays in the sources, and the setup file is the TypeScript one", () => {
  expect(compiled_grader_file("../../grader/spec.js", path.join(root, "exercises", "01-premier-dockerfile", "spec.test.ts"))).toBeUndefined();
  expect(warm_start_path()).toBe(path.join(root, "grader", "runner", "warm-start.ts"));
});

test.skipIf(!fs.existsSync(compiled_module))("the sources and the compiled grader never share a transform cache (a spec transformed for one imports that one's tree)", async () => {
  const compiled = (await import(/* @vite-ignore */ compiled_module)) as typeof import("./worker-grader.js");
  const pack = fs.mkdtempSync(path.join(os.tmpdir(), "dl-caches-"));
  try {
    const from_sources = transform_caches(pack);
    const from_dist = compiled.transform_caches(pack);
    expect(from_dist.modules).not.toBe(from_sources.modules);
    expect(from_dist.vite).not.toBe(from_sources.vite);
    // Both beside the pack, told apart by the tree only.
    expect(path.dirname(from_dist.modules)).toBe(path.dirname(from_sources.modules));
    // The compiled copy does send a spec's import to dist/: the transform it caches names that tree.
    expect(compiled.compiled_grader_file("../../grader/spec.js", path.join(root, "exercises", "01-premier-dockerfile", "spec.test.ts"))).toBe(
      path.join(root, "dist", "grader", "spec.js"),
    );
  } finally {
    fs.rmSync(pack, { recursive: true, force: true });
  }
});
