// Live build feedback: one line per finished step (number, instruction,
// elapsed time, cache), a status line for the steps still running when the
// output is a terminal, and the failing step's output, folded past a limit.
import type { BuildOutcome, BuildProgressEvent, BuildStep } from "../../grader/index.js";
import { define_messages } from "../i18n/index.js";
import { c } from "./color.js";
import { truncate, wrap } from "./text.js";

const m = define_messages({
  building: { fr: "Construction de l'image…", en: "Building the image…" },
  waiting: {
    fr: "En attente : une autre correction mesure le cache de build sur ce moteur Docker…",
    en: "Waiting: another grading is measuring the build cache on this Docker engine…",
  },
  cached: { fr: "(cache)", en: "(cached)" },
  built: { fr: (p: { seconds: string }) => `Image construite en ${p.seconds} s.`, en: (p: { seconds: string }) => `Image built in ${p.seconds} s.` },
  failed: { fr: "La construction a échoué.", en: "The build failed." },
  step_output: {
    fr: (p: { step: string; lines: number }) => `Sortie de l'étape ${p.step} (${p.lines} ligne${p.lines > 1 ? "s" : ""}) :`,
    en: (p: { step: string; lines: number }) => `Output of step ${p.step} (${p.lines} line${p.lines > 1 ? "s" : ""}):`,
  },
  step_cached: { fr: (p: { step: string }) => `  étape ${p.step} : en cache`, en: (p: { step: string }) => `  step ${p.step}: cached` },
  step_done: {
    fr: (p: { step: string; seconds: string }) => `  étape ${p.step} : faite en ${p.seconds} s`,
    en: (p: { step: string; seconds: string }) => `  step ${p.step}: done in ${p.seconds} s`,
  },
  step_failed: {
    fr: (p: { step: string; seconds: string }) => `  étape ${p.step} : échouée après ${p.seconds} s`,
    en: (p: { step: string; seconds: string }) => `  step ${p.step}: failed after ${p.seconds} s`,
  },
  still_running: {
    fr: (p: { steps: string }) => `  toujours en cours : ${p.steps}`,
    en: (p: { steps: string }) => `  still running: ${p.steps}`,
  },
  folded: {
    fr: (p: { hidden: number; where: string }) => `… ${p.hidden} ligne${p.hidden > 1 ? "s" : ""} plus haut masquée${p.hidden > 1 ? "s" : ""} : ${p.where}`,
    en: (p: { hidden: number; where: string }) => `… ${p.hidden} earlier line${p.hidden > 1 ? "s" : ""} hidden: ${p.where}`,
  },
});

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function step_label(step: Pick<BuildStep, "stage" | "index" | "total" | "instruction">): string {
  return `[${step.stage ? `${step.stage} ` : ""}${step.index}/${step.total}] ${step.instruction.replace(/\s+/g, " ")}`;
}

export interface BuildReporterOptions {
  width: number;
  /** A terminal: show the running steps on a status line, redrawn in place. */
  live: boolean;
  /**
   * Accessible output (screen readers): never live, words instead of the
   * step symbols, and a line every `heartbeat_ms` saying what still runs.
   */
  accessible?: boolean;
  heartbeat_ms?: number;
}

export class BuildReporter {
  private readonly running = new Map<string, { label: string; since: number }>();
  private pending: Array<{ stage: number; index: number; line: string }> = [];
  private flush_timer?: NodeJS.Timeout;
  private readonly stages: string[] = [];
  private readonly reported = new Set<string>();
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private status_shown = false;
  private frame = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly options: BuildReporterOptions,
  ) {}

  start(): void {
    this.out.write(`${m("building")}\n`);
  }

  /** The build waits for another grading's cache measure (see grader/engine/build-lock.ts). */
  readonly on_wait = (): void => {
    this.clear_status();
    this.out.write(`  ${c.gray(m("waiting"))}\n`);
  };

  readonly on_progress = (event: BuildProgressEvent): void => {
    const { step, state } = event;
    const label = step_label(step);
    if (state === "started") {
      this.running.set(step.name, { label, since: Date.now() });
      if (this.options.accessible && !this.heartbeat) {
        this.heartbeat = setInterval(() => this.beat(), this.options.heartbeat_ms ?? 5000);
        this.heartbeat.unref();
      }
      if (this.options.live && !this.options.accessible && !this.timer) {
        this.timer = setInterval(() => this.draw_status(), 120);
        this.timer.unref();
      }
      this.draw_status();
      return;
    }
    this.running.delete(step.name);
    // BuildKit may report the same step twice (a FROM resolved, then cached): once is enough.
    if (state !== "failed" && this.reported.has(step.name)) return;
    this.reported.add(step.name);
    if (!this.stages.includes(step.stage ?? "")) this.stages.push(step.stage ?? "");
    const room = this.options.width - 14;
    const shown = truncate(label, room);
    const spoken = (seconds_taken: string) =>
      state === "cached" ? m("step_cached", { step: shown }) : state === "done" ? m("step_done", { step: shown, seconds: seconds_taken }) : m("step_failed", { step: shown, seconds: seconds_taken });
    const line = this.options.accessible
      ? spoken(state === "cached" ? "" : seconds(event.elapsed_ms))
      : state === "cached"
        ? `  ${c.gray("↺")} ${truncate(label, room)} ${c.gray(m("cached"))}`
        : state === "done"
          ? `  ${c.green("•")} ${truncate(label, room)} ${c.gray(`${seconds(event.elapsed_ms)} s`)}`
          : `  ${c.red("✗")} ${truncate(label, room)} ${c.gray(`${seconds(event.elapsed_ms)} s`)}`;
    // Steps finished together (all of a cached build) arrive in any order:
    // gather them for a moment and print them in the Dockerfile's order.
    this.pending.push({ stage: this.stages.indexOf(step.stage ?? ""), index: step.index, line });
    this.flush_timer ??= setTimeout(() => this.flush(), 30);
  };

  private flush(): void {
    clearTimeout(this.flush_timer);
    this.flush_timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending.sort((a, b) => a.stage - b.stage || a.index - b.index).map((p) => `${p.line}\n`);
    this.pending = [];
    this.clear_status();
    this.out.write(lines.join(""));
    this.draw_status();
  }

  /** The last line: how long it took, or that it failed. */
  finish(outcome: BuildOutcome | undefined): void {
    this.stop();
    if (!outcome) return;
    this.out.write(outcome.ok ? c.gray(`${m("built", { seconds: seconds(outcome.duration_ms) })}\n`) : `${c.red(m("failed"))}\n`);
  }

  /** Accessible mode: one appended line saying which steps still run, and for how long. */
  private beat(): void {
    if (this.running.size === 0) return;
    const now = Date.now();
    const steps = [...this.running.values()].map((r) => `${r.label} ${seconds(now - r.since)} s`).join(", ");
    this.out.write(`${truncate(m("still_running", { steps }), this.options.width)}\n`);
  }

  stop(): void {
    this.flush();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.clear_status();
    this.running.clear();
  }

  private draw_status(): void {
    if (!this.options.live || this.options.accessible || this.running.size === 0) return;
    this.clear_status();
    const now = Date.now();
    const parts = [...this.running.values()].map((r) => `${r.label} ${seconds(now - r.since)} s`);
    const spinner = c.cyan(SPINNER[this.frame++ % SPINNER.length]!);
    this.out.write(`  ${spinner} ${truncate(parts.join(" · "), this.options.width - 5)}`);
    this.status_shown = true;
  }

  /** Clears the status line before something else is written; it comes back on the next tick. */
  clear_status(): void {
    if (!this.status_shown) return;
    this.out.write("\r\u001b[2K");
    this.status_shown = false;
  }
}

/** The step a failed build stopped on, if the engine got that far. */
export function failing_step(outcome: BuildOutcome): BuildStep | undefined {
  if (outcome.ok) return undefined;
  return outcome.steps.find((s) => s.error) ?? outcome.steps.find((s) => s.started && !s.completed);
}

/**
 * The failing step's output: in full up to `limit` lines, else its last
 * `limit` lines after a line saying how many were hidden and where to read
 * them (`where`). Undefined when the step printed nothing.
 */
export function format_failing_output(outcome: BuildOutcome, options: { limit?: number; width: number; where: string }): string | undefined {
  const step = failing_step(outcome);
  const output = step?.output.filter((line, i, all) => line !== "" || i < all.length - 1) ?? [];
  if (!step || output.length === 0) return undefined;
  const limit = options.limit ?? Infinity;
  const lines = [c.bold(m("step_output", { step: truncate(step_label(step), options.width - 36), lines: output.length }))];
  const shown = output.length > limit ? output.slice(-limit) : output;
  if (shown.length < output.length) {
    lines.push(c.yellow(wrap(`  ${m("folded", { hidden: output.length - shown.length, where: options.where })}`, options.width, "  ")));
  }
  lines.push(...shown.map((line) => c.gray(`  | ${line}`)));
  return lines.join("\n");
}

/** Everything the build said, for the log file a folded output points to. */
export function build_log_text(outcome: BuildOutcome): string {
  const parts: string[] = [];
  for (const step of outcome.steps) {
    parts.push(`${step_label(step)}${step.cached ? " (cache)" : ""}${step.error ? ` — ${step.error}` : ""}`);
    for (const line of step.output) parts.push(`  | ${line}`);
  }
  if (!outcome.ok) parts.push("", outcome.failure.message, "", outcome.failure.engine_message);
  return `${parts.join("\n")}\n`;
}
