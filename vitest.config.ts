// The project's own tests. Exercise specs (exercises/*/spec.test.ts) are not
// tests of the project: the runner runs them against submissions.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["grader/**/*.test.ts", "cli/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["node_modules/**", "exercises/**", "solutions/**", "workspace/**", "test/fixtures/**", "dist/**"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
    globalSetup: ["test/global-setup.ts"],
  },
});
