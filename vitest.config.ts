// The project's own tests, in two vitest projects:
//   unit    every *.test.ts that is not *.docker.test.ts: pure, no engine,
//           `npm run test:unit` (a machine without Docker, under a minute);
//   docker  every *.docker.test.ts: against the real engine, which the
//           global setup checks first and leaves clean after.
// `npm test` runs both. Exercise specs (exercises/*/spec.test.ts) are not
// tests of the project: the runner runs them against submissions.
import { defineConfig } from "vitest/config";

const roots = ["grader/**", "cli/**", "test/**"];
const exclude = ["node_modules/**", "exercises/**", "solutions/**", "workspace/**", "test/fixtures/**", "dist/**"];

export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "unit",
          // Threads start faster than forks (measured: import 25 s against 39 s
          // summed over the files, 27 s of CPU against 29 s); nothing pure
          // needs a process of its own.
          pool: "threads",
          include: roots.map((root) => `${root}/*.test.ts`),
          exclude: [...exclude, "**/*.docker.test.ts"],
          // Some run the CLI as a child process: generous for a loaded machine.
          testTimeout: 120_000,
          // The grading services their commands start: in a folder of the run, all stopped after it.
          globalSetup: ["test/service-setup.ts"],
        },
      },
      {
        test: {
          name: "docker",
          include: roots.map((root) => `${root}/*.docker.test.ts`),
          exclude,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ["test/global-setup.ts", "test/service-setup.ts"],
        },
      },
    ],
  },
});
