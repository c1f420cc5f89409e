// How `check` and `grade` grade: through the user's grading service
// (grader/service/), which keeps the grader and its spec worker warm between
// commands, or in this process (--no-daemon, DOCKERLINGS_DAEMON=off, CI, a
// caller's own DOCKERLINGS_SESSION), with the same Grader and settings. A
// service that cannot be reached, or that goes away mid-grading, costs only
// time: the grading is done here instead, after removing what the service's
// grading had made, and the command says so on its standard error.
import type { BuildOutcome, BuildProgressEvent, Exercise, GradedExercise } from "../grader/index.js";
import { grade_with_service, service_wanted, type ServiceOutcome } from "../grader/service/client.js";
import type { ServiceSettings } from "../grader/service/protocol.js";
import { define_messages, lang } from "./i18n/index.js";
import { c } from "./ui/color.js";

const m = define_messages({
  unavailable: {
    fr: (p: { why: string }) => `Service de correction indisponible (${p.why}) : correction dans ce processus.`,
    en: (p: { why: string }) => `Grading service unavailable (${p.why}): grading in this process.`,
  },
  lost: {
    fr: (p: { log: string }) =>
      `Le service de correction s'est arrêté pendant la correction (son journal : ${p.log}) : correction de nouveau, dans ce processus. La prochaine commande en démarre un autre.`,
    en: (p: { log: string }) =>
      `The grading service stopped during the grading (its log: ${p.log}): grading again, in this process. The next command starts another.`,
  },
});

export interface GradingCall {
  course_root: string;
  requests: { exercise: Exercise; dir: string; shown?: string; checks?: "visible" | "all" }[];
  settings: ServiceSettings;
  /** --no-daemon. */
  no_daemon?: boolean;
  /** Build steps as they happen (on_progress, on_wait). */
  progress: boolean;
  /** A `check`: the service loads the exercise's spec again afterwards, for the next check. */
  prepare_next?: boolean;
  /** Grading begins (the engine answered). */
  on_started?: () => void;
  on_progress?: (index: number, event: BuildProgressEvent) => void;
  on_wait?: (index: number) => void;
  on_build?: (index: number, outcome: BuildOutcome) => void;
  on_graded?: (index: number, result: GradedExercise) => void;
}

/** Grades the folders of `call`, in order of the requests. Throws what grading cannot get past (no engine). */
export async function grade_folders(call: GradingCall): Promise<GradedExercise[]> {
  let lost_session: string | undefined;
  if (service_wanted(call.no_daemon ?? false)) {
    let started = false;
    const start = (): void => {
      if (!started) call.on_started?.();
      started = true;
    };
    const served: ServiceOutcome = await grade_with_service(
      {
        course_root: call.course_root,
        requests: call.requests.map((r) => ({ exercise: r.exercise.id, dir: r.dir, ...(r.shown !== undefined ? { shown: r.shown } : {}), ...(r.checks ? { checks: r.checks } : {}) })),
        settings: call.settings,
        lang: lang(),
        progress: call.progress,
        prepare_next: call.prepare_next ?? false,
      },
      {
        on_started: start,
        on_progress: (index, event) => (start(), call.on_progress?.(index, event)),
        on_wait: (index) => (start(), call.on_wait?.(index)),
        on_build: (index, outcome) => (start(), call.on_build?.(index, outcome)),
        on_graded: (index, result) => (start(), call.on_graded?.(index, result)),
      },
    );
    if (served.kind === "graded") {
      start();
      return served.results;
    }
    process.stderr.write(`${c.gray(served.kind === "lost" ? m("lost", { log: served.log }) : m("unavailable", { why: served.why }))}\n`);
    if (served.kind === "lost") lost_session = served.session_base;
  }
  return grade_here(call, lost_session);
}

/** The same grading in this process. */
async function grade_here(call: GradingCall, lost_session: string | undefined): Promise<GradedExercise[]> {
  const { Grader, remove_sessions_from_base } = await import("../grader/index.js");
  if (lost_session) await remove_sessions_from_base(lost_session);
  // DOCKERLINGS_SESSION lets a caller (a test, a CI job) find what this run created.
  const grader = await Grader.open({ course_root: call.course_root, session: process.env.DOCKERLINGS_SESSION || undefined, ...call.settings });
  call.on_started?.();
  try {
    return await Promise.all(
      call.requests.map((request, index) =>
        grader
          .grade({
            ...request,
            on_progress: call.progress ? (event) => call.on_progress?.(index, event) : undefined,
            on_wait: call.progress ? () => call.on_wait?.(index) : undefined,
            on_build: (outcome) => call.on_build?.(index, outcome),
          })
          .then((result) => {
            call.on_graded?.(index, result);
            return result;
          }),
      ),
    );
  } finally {
    await grader.close();
  }
}
