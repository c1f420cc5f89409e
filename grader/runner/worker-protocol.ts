// What the Grader (grader.ts) and a spec's worker (warm-start.ts) say to each
// other, on a BroadcastChannel named after the batch's session, each message
// naming its exercise:
//   worker -> Grader  { type: "ready", exercise }
//   Grader -> worker  { type: "go", exercise, prebuilt?, visible_only? }  grade now, with this default build
//   Grader -> worker  { type: "abandon", exercise }         dropped (a newer save, the Grader closing)
// Both sides import this module alone: the Grader never loads the worker's
// setup file, the worker never loads the Grader.
import type { BuildOutcome } from "../engine/build.js";

export interface GoMessage {
  type: "go";
  exercise: string;
  /** The default build of this exercise's staged folder, made by the Grader with the options the spec would use. */
  prebuilt?: { dir: string; outcome: BuildOutcome };
  /** A student's own grading: checks held back until the deadline are skipped (noted HELD_BACK). */
  visible_only?: boolean;
}
export type WarmMessage = GoMessage | { type: "abandon"; exercise: string } | { type: "ready"; exercise: string };

/** The channel of one batch of gradings. */
export const channel_name = (session: string): string => `dockerlings:${session}`;

/** What the spec's run stops with when the Grader drops the grading. */
export class GradingAbandoned extends Error {
  constructor() {
    super("grading abandoned: a newer version of the submission replaced this one");
    this.name = "GradingAbandoned";
  }
}

/** The note of a check skipped because the student does not see it yet (the verdict knows it by this). */
export const HELD_BACK = "dockerlings:held-back";
