// Setup file of the Grader's runs (grader.ts), run in the vitest worker before
// each spec file. Importing the spec author's entry here loads what a spec
// uses (testcontainers, dockerode, the checks) while the Grader is still
// building the image, and nothing else (no cohort, no reports); the spec then
// waits for the Grader's word (worker-protocol.ts). The default build is
// handed to the spec's exercise handle through the documented hook
// provide_builds (grader/spec/use-exercise.ts).
import path from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import { afterAll, beforeEach, expect, inject } from "vitest";
import "../spec.js";
import { provide_builds, type ExerciseHandle } from "../spec/use-exercise.js";
import { forget_image_contents } from "../engine/layers.js";
import { channel_name, GradingAbandoned, HELD_BACK, type GoMessage, type WarmMessage } from "./worker-protocol.js";

const { session } = inject("dockerlings");
// The spec file this setup runs for: exercises/<id>/spec.test.ts.
const exercise = path.basename(path.dirname(expect.getState().testPath ?? ""));
const channel = new BroadcastChannel(channel_name(session));
const abandoned = new AbortController();
afterAll(() => {
  channel.close();
  // The worker outlives this grading (thread-park.ts): what it memoized for this image goes.
  forget_image_contents();
});

const order = await new Promise<GoMessage | { type: "abandon" }>((resolve) => {
  channel.onmessage = (event) => {
    const message = event.data as WarmMessage;
    if (message.exercise !== exercise) return;
    if (message.type === "abandon") {
      abandoned.abort(new GradingAbandoned());
      resolve(message);
    } else if (message.type === "go") resolve(message);
  };
  channel.postMessage({ type: "ready", exercise } satisfies WarmMessage);
});
// Still listening for "abandon", without keeping the worker alive.
channel.unref();
if (order.type === "abandon") throw new GradingAbandoned();

// A student's own grading: a check they do not see yet is not run at all (its
// name, message and timing would tell them what it looks for); the verdict
// counts it as held back.
if (order.visible_only) {
  beforeEach((context) => {
    if (context.task.meta.visible === "after_deadline") context.skip(HELD_BACK);
  });
}

const prebuilt = order.prebuilt;
provide_builds({
  provide: (handle: ExerciseHandle, options) => {
    const plain = Object.keys(options ?? {}).length === 0 && (handle as { is_default?: boolean }).is_default !== false;
    if (plain && prebuilt && handle.id === exercise && path.resolve(handle.submission_dir) === prebuilt.dir) return Promise.resolve(prebuilt.outcome);
    return undefined;
  },
  signal: abandoned.signal,
});
