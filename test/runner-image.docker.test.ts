// The runner image (Dockerfile.runner): a student with only Docker runs the
// course from it. Built here from the repository (node_modules/ and dist/ as
// they are), then used the way the README says, through the engine's socket.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { docker, grading_labels } from "../grader/engine/client.js";
import { pack_context, plan_context } from "../grader/submission/context.js";
import { remove_managed } from "../grader/index.js";
import { project_root, run_process, type CliRun } from "./helpers/cli.js";

const session = randomUUID();
// What the runner grades carries its own session: a sweep of it must not end the runner.
const grading_session = randomUUID();
const tag = `dockerlings/runner-test:${session.slice(0, 8)}`;

/** The image, labelled with this test's session so that afterAll removes it. */
async function build_runner_image(): Promise<void> {
  const context = plan_context(project_root, 2 * 1024 ** 3, "Dockerfile.runner");
  expect(context.entries).not.toContain("workspace");
  expect(context.entries.some((e) => e.startsWith("node_modules/typescript/"))).toBe(false);
  const stream = await docker().buildImage(pack_context(context), {
    t: tag,
    dockerfile: "Dockerfile.runner",
    labels: grading_labels(session),
    version: "2",
    rm: true,
    forcerm: true,
  } as Parameters<ReturnType<typeof docker>["buildImage"]>[1]);
  const events = await new Promise<Array<{ error?: string; errorDetail?: { message?: string } }>>((resolve, reject) =>
    docker().modem.followProgress(stream, (error, output) => (error ? reject(error) : resolve(output))),
  );
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) throw new Error(`building Dockerfile.runner failed: ${failed.errorDetail?.message ?? failed.error}`);
}

/** `docker run --rm ...` as the README writes it, labelled so that nothing can outlive the test. */
function docker_run(args: string[], image_args: string[]): Promise<CliRun> {
  const argv = ["run", "--rm", "--label", "dockerlings.managed=true", "--label", `dockerlings.session=${session}`, ...args, tag, ...image_args];
  return run_process("docker", argv);
}

beforeAll(build_runner_image, 300_000);
afterAll(async () => {
  await remove_managed(grading_session);
  await remove_managed(session);
}, 60_000);

describe("the runner image", () => {
  test("grades exercise 01's solution through the engine's socket: status pass", async () => {
    const run = await docker_run(
      ["--network", "host", "-v", "/var/run/docker.sock:/var/run/docker.sock", "-e", `DOCKERLINGS_SESSION=${grading_session}`],
      ["check", "01", "--workspace", "/course/solutions", "--json"],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ exercise: "01-premier-dockerfile", status: "pass", points: 10, max_points: 10 });
  });

  test("without a terminal it says which command to use instead", async () => {
    const run = await docker_run([], []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/a besoin d'un terminal/);
    expect(run.stderr).toMatch(/dockerlings check/);
  });
});
