// What a command and the grading service say to each other over the
// service's socket: one JSON message a line, one command per connection.
//   command -> service  hello { stamp }            which code and course the command has
//   service -> command  hello { stamp, pid }       the service's; a different stamp: the command sends stop and starts another
//   command -> service  grade { ... }              grade these folders; closing the connection abandons them
//   service -> command  build_progress / build_wait / build_outcome / graded (one exercise), finished (all), failed
//   command -> service  stop                       the service ends (what it grades is finished first)
// Types only, and the line framing: light.
import type { BuildOutcome, BuildProgressEvent } from "../engine/build.js";
import type { GradedExercise } from "../result.js";

/** The pipeline's settings a grading asks for (GraderOptions without the course and the session). */
export interface ServiceSettings {
  parallel?: number;
  build_timeout_ms?: number;
  check_timeout_ms?: number;
  context_limit_bytes?: number;
}

export interface ServiceGradeRequest {
  /** Exercise id, loaded by the service from its course. */
  exercise: string;
  /** The student's folder, absolute. */
  dir: string;
  shown?: string;
  /** "visible": a student's `check`, held-back checks not run (GradeRequest.checks). */
  checks?: "visible" | "all";
}

export type ClientMessage =
  | { type: "hello"; stamp: string }
  | {
      type: "grade";
      lang: string;
      requests: ServiceGradeRequest[];
      settings: ServiceSettings;
      /** Send the builds' steps as they happen (a terminal shows them). */
      progress: boolean;
      /** Load the spec of the last exercise again once done: the next `check` of it starts at once. */
      prepare_next: boolean;
    }
  | { type: "stop" };

/** An error of the service's, as the command rethrows it (EngineUnavailableError keeps its name and cause). */
export interface ServiceError {
  name: string;
  message: string;
  cause_text?: string;
}

export type ServiceMessage =
  | { type: "hello"; stamp: string; pid: number }
  | { type: "started"; session: string }
  | { type: "build_progress"; index: number; event: BuildProgressEvent }
  | { type: "build_wait"; index: number }
  | { type: "build_outcome"; index: number; outcome: BuildOutcome }
  | { type: "graded"; index: number; result: GradedExercise }
  | { type: "finished"; results: GradedExercise[] }
  | { type: "failed"; error: ServiceError }
  | { type: "stopping" };

/** One line of JSON. */
export const frame = (message: ClientMessage | ServiceMessage): string => `${JSON.stringify(message)}\n`;

/** Splits a byte stream into messages; a line that is not JSON ends the exchange (the caller's `on_garbage`). */
export function read_lines<T>(on_message: (message: T) => void, on_garbage: (line: string) => void): (chunk: Buffer) => void {
  let rest = "";
  return (chunk) => {
    const lines = (rest + chunk.toString("utf8")).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        on_garbage(line);
        return;
      }
      on_message(message);
    }
  };
}
