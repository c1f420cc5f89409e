// Grading services (grader/service/) started by the tests' commands live in a
// folder of this run (DOCKERLINGS_RUNTIME_DIR, which every test and every
// command it runs inherits), never in the user's own; after the run each is
// stopped, its process waited for, and the folder removed: no test leaves a
// service running. Both projects list this setup: they share one folder, and
// each one's teardown stops the services (the docker project's, before its
// check that nothing is left on the engine).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stop_services_in } from "../grader/service/client.js";

const RUN = Symbol.for("dockerlings.test-services");
type Run = { dir: string; projects: number };
const shared = globalThis as typeof globalThis & { [RUN]?: Run };

export function setup(): void {
  shared[RUN] ??= { dir: fs.mkdtempSync(path.join(os.tmpdir(), "dl-test-services-")), projects: 0 };
  shared[RUN].projects++;
  process.env.DOCKERLINGS_RUNTIME_DIR = shared[RUN].dir;
}

export async function teardown(): Promise<void> {
  const run = shared[RUN];
  if (!run) return;
  await stop_services_in(run.dir);
  if (--run.projects > 0) return;
  fs.rmSync(run.dir, { recursive: true, force: true });
  delete shared[RUN];
}
