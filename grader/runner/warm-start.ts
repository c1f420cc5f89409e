// Setup file of SpecRunner's runs (spec-runner.ts), run in the vitest worker
// before the spec. Importing the grader here loads it (testcontainers,
// dockerode, ...) while the caller is still building the image; the spec then
// waits for the caller's word on a BroadcastChannel named after the session:
//   worker -> caller  { type: "ready" }
//   caller -> worker  { type: "go", prebuilt? }  grade now
//   caller -> worker  { type: "abandon" }         a newer save replaced this one
import { BroadcastChannel } from "node:worker_threads";
import { inject } from "vitest";
import { ExerciseHandle } from "../index.js";
import type { BuildOptions, BuildOutcome } from "../engine/build.js";

export interface GoMessage {
  type: "go";
  /** The default build of this exercise, made by the caller with the same options the spec would use. */
  prebuilt?: { exercise: string; dir: string; outcome: BuildOutcome };
}
export type WarmMessage = GoMessage | { type: "abandon" } | { type: "ready" };

export class GradingAbandoned extends Error {
  constructor() {
    super("grading abandoned: a newer version of the submission replaced this one");
    this.name = "GradingAbandoned";
  }
}

const { session } = inject("dockerlings");
const channel = new BroadcastChannel(`dockerlings:${session}`);
const abandoned = new AbortController();

const order = await new Promise<GoMessage | { type: "abandon" }>((resolve) => {
  channel.onmessage = (event) => {
    const message = event.data as WarmMessage;
    if (message.type === "abandon") {
      abandoned.abort(new GradingAbandoned());
      resolve(message);
    } else if (message.type === "go") resolve(message);
  };
  channel.postMessage({ type: "ready" } satisfies WarmMessage);
});
// Still listening for "abandon", without keeping the worker alive.
channel.unref();
if (order.type === "abandon") throw new GradingAbandoned();

// The spec's own builds: the default one is the caller's (already built, shown
// live to the student), the others stop when the grading is abandoned.
const prebuilt = order.prebuilt;
const build = ExerciseHandle.prototype.build;
type BuildRequest = Parameters<typeof build>[0];
ExerciseHandle.prototype.build = function (this: ExerciseHandle, options: BuildRequest = {}): Promise<BuildOutcome> {
  const is_default = Object.keys(options).length === 0;
  if (is_default && prebuilt && prebuilt.exercise === this.id && prebuilt.dir === this.submission_dir) {
    return Promise.resolve(prebuilt.outcome);
  }
  if (is_default) return build.call(this, options);
  return build.call(this, { ...options, signal: abandoned.signal } as BuildRequest & Pick<BuildOptions, "signal">);
};
