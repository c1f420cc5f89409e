// A check cut short (its test timed out, or the student quit and the run was
// cancelled) goes on in the background: vitest stops waiting for it, not the
// work itself. The handle's dispose(), run after the file's tests, must stop
// that work and remove what it made, even what the engine was still making:
// otherwise a container or an image is made after every sweep, and outlives
// the grading (seen once as a container left by the watch loop's quit).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExerciseHandle, HandleDisposedError } from "./use-exercise.js";
import { remove_managed } from "../engine/cleanup.js";
import { docker, LABEL_SESSION } from "../engine/client.js";
import { temp_folders } from "../../test/helpers/folders.js";

const folder = temp_folders();
const sessions: string[] = [];

// A server that listens only after 20 s: its start is still waiting when dispose() comes.
const SLOW_SERVER = `FROM python:3.11-slim
CMD ["sh", "-c", "sleep 20 && exec python3 -m http.server 8000"]
`;

function handle(dockerfile: string): ExerciseHandle {
  const session = randomUUID();
  sessions.push(session);
  return new ExerciseHandle("dispose-test", folder({ Dockerfile: dockerfile }), session);
}

/** Containers and images the engine holds with the handle's session label. */
async function made_by(h: ExerciseHandle): Promise<string[]> {
  const filters = JSON.stringify({ label: [`${LABEL_SESSION}=${h.session}`] });
  const [containers, images] = await Promise.all([docker().listContainers({ all: true, filters }), docker().listImages({ filters })]);
  return [...containers.map((c) => `container ${c.Id}`), ...images.map((i) => `image ${i.Id} ${i.RepoTags?.join(",")}`)];
}

/** Calls dispose() while `work` goes on; how long dispose took, and how `work` ended. */
async function dispose_during(h: ExerciseHandle, work: Promise<unknown>): Promise<{ ms: number; ended: PromiseSettledResult<unknown> }> {
  const t0 = Date.now();
  await h.dispose();
  const ms = Date.now() - t0;
  const [ended] = await Promise.allSettled([work]);
  return { ms, ended: ended! };
}

beforeAll(async () => {
  // The image the starts and runs use, built before: dispose() then meets a start or a run, not a build.
  await handle(SLOW_SERVER).image();
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => remove_managed(s)));
});

describe("dispose() stops what a cut-short check left going", () => {
  test("a start still waiting for its port: stopped, its container removed", async () => {
    const h = handle(SLOW_SERVER);
    await h.image();
    const start = h.start({ ports: [8000] });
    // Until the engine has the container: dispose() then meets a start waiting for its port.
    const deadline = Date.now() + 30_000;
    while ((await made_by(h)).every((m) => !m.startsWith("container")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const { ms, ended } = await dispose_during(h, start);
    expect(ended.status).toBe("rejected");
    expect((ended as PromiseRejectedResult).reason).toBeInstanceOf(HandleDisposedError);
    expect(ms).toBeLessThan(15_000); // not the 20 s the server takes
    expect((await made_by(h)).filter((m) => m.startsWith("container"))).toEqual([]);
  });

  test("a start the engine is still creating: removed once made", async () => {
    const h = handle(SLOW_SERVER);
    await h.image();
    // dispose() at once: the start has sent nothing yet, or its create is in flight.
    const start = h.start({ ports: [8000] });
    await new Promise((r) => setImmediate(r));
    const { ended } = await dispose_during(h, start);
    expect(ended.status).toBe("rejected");
    expect(await made_by(h)).toEqual([]);
  });

  test("a run to completion: killed, its container removed", async () => {
    const h = handle(SLOW_SERVER);
    await h.image();
    const run = h.run(["sleep", "60"]);
    const deadline = Date.now() + 30_000;
    while ((await made_by(h)).every((m) => !m.startsWith("container")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const { ms, ended } = await dispose_during(h, run);
    expect(ended.status).toBe("rejected");
    expect(ms).toBeLessThan(15_000);
    expect(await made_by(h)).toEqual([]);
  });

  test("a build: stopped, no image left", async () => {
    const h = handle(`FROM python:3.11-slim\nRUN sleep 60 && echo ${randomUUID()}\n`);
    const build = h.build();
    await new Promise((r) => setTimeout(r, 1500));
    const { ms, ended } = await dispose_during(h, build);
    expect(ended.status).toBe("rejected");
    expect(ms).toBeLessThan(20_000);
    expect(await made_by(h)).toEqual([]);
  });

  test("after dispose(), a late call is refused at once", async () => {
    const h = handle(SLOW_SERVER);
    await h.dispose();
    await expect(h.run(["true"])).rejects.toBeInstanceOf(HandleDisposedError);
    await expect(h.start()).rejects.toBeInstanceOf(HandleDisposedError);
    expect(await made_by(h)).toEqual([]);
  });
});
