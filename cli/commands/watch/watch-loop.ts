// The watch loop: the current exercise is graded each time one of its files
// is saved (or on `r` in manual mode), and keys drive the rest. One grading
// at a time: a save during a grading aborts it (its build, its checks, its
// containers) and starts again. One Grader for the loop's life: the next
// grading's spec is loaded as soon as one ends (Grader.prepare), so a save
// costs the build and the checks, little more.
import fs from "node:fs";
import path from "node:path";
import { Grader, type BuildOutcome, type Exercise, type ExerciseResult } from "../../../grader/index.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, wrap } from "../../ui/text.js";
import { BuildReporter } from "../../ui/build-progress.js";
import { course_bar, course_totals } from "../../ui/course-bar.js";
import { next_exercise, record_grading, shown_path, update_progress, type CourseState } from "../../state/course-state.js";
import { load_progress, progress_path } from "../../state/progress.js";
import { build_log_path } from "../../state/workspace.js";
import { FOLD_LINES, graded_text } from "../../ui/graded.js";
import { reveal_hints } from "../../ui/hints.js";
import { render_lesson } from "../../ui/lesson.js";
import { format_list, list_rows } from "../../ui/exercise-list.js";

const m = define_messages({
  header: {
    fr: (p: { n: number; total: number; part: string }) => `exercice ${p.n}/${p.total} · partie ${p.part}`,
    en: (p: { n: number; total: number; part: string }) => `exercise ${p.n}/${p.total} · part ${p.part}`,
  },
  files: {
    fr: (p: { dir: string; files: string }) => `Fichiers à modifier dans ${p.dir} : ${p.files}`,
    en: (p: { dir: string; files: string }) => `Files to edit in ${p.dir}: ${p.files}`,
  },
  lesson: {
    fr: (p: { id: string }) => `Leçon : touche l, ou \`dockerlings lesson ${p.id}\` dans un autre terminal.`,
    en: (p: { id: string }) => `Lesson: key l, or \`dockerlings lesson ${p.id}\` in another terminal.`,
  },
  keys: {
    fr: "h indice · l leçon · n suivant · r relancer · c liste · q quitter",
    en: "h hint · l lesson · n next · r re-run · c list · q quit",
  },
  mode_watch: { fr: "Corrigé à chaque enregistrement.", en: "Graded on every save." },
  mode_manual: {
    fr: "Mode manuel : appuyez sur r pour corriger après avoir enregistré.",
    en: "Manual mode: press r to grade after saving.",
  },
  passed_next: {
    fr: (p: { next: string }) => `Réussi ! Appuyez sur n pour passer à l'exercice suivant (${p.next}).`,
    en: (p: { next: string }) => `Passed! Press n to go to the next exercise (${p.next}).`,
  },
  passed_last: { fr: "Réussi, et c'était le dernier exercice : bravo, le cours est terminé !", en: "Passed, and that was the last exercise: well done, the course is finished!" },
  fix_watch: {
    fr: (p: { file: string }) => `Modifiez ${p.file} et enregistrez : la correction repart d'elle-même. Bloqué ? h donne un indice.`,
    en: (p: { file: string }) => `Edit ${p.file} and save: grading starts again by itself. Stuck? h gives a hint.`,
  },
  fix_manual: {
    fr: (p: { file: string }) => `Modifiez ${p.file}, enregistrez, puis appuyez sur r. Bloqué ? h donne un indice.`,
    en: (p: { file: string }) => `Edit ${p.file}, save, then press r. Stuck? h gives a hint.`,
  },
  not_yet: {
    fr: "L'exercice n'est pas encore réussi : n sera possible ensuite (ou `dockerlings start <id>` pour sauter ailleurs).",
    en: "The exercise has not passed yet: n works once it has (or `dockerlings start <id>` to jump elsewhere).",
  },
  grading_failed: {
    fr: (p: { why: string }) => `La correction n'a pas pu se faire : ${p.why}`,
    en: (p: { why: string }) => `Grading could not happen: ${p.why}`,
  },
  hint_key: { fr: "la touche h", en: "key h" },
  no_events: {
    fr: (p: { why: string }) => `Les enregistrements de ce dossier ne peuvent pas être suivis (${p.why}) : appuyez sur r pour corriger.`,
    en: (p: { why: string }) => `Saves in this folder cannot be followed (${p.why}): press r to grade.`,
  },
  bye: {
    fr: (p: { file: string }) => `À bientôt ! Votre progression est enregistrée dans ${p.file}.`,
    en: (p: { file: string }) => `See you! Your progress is saved in ${p.file}.`,
  },
});

/** Files an editor writes beside the real ones while saving: never a reason to grade. */
const EDITOR_NOISE = /(^|\/)(\.#.*|.*~|.*\.sw[px]|4913|\.dockerlings)(\/|$)/;
const DEBOUNCE_MS = 50;

export interface WatchLoopOptions {
  manual?: boolean;
  out?: NodeJS.WriteStream;
  input?: NodeJS.ReadStream;
}

interface Grading {
  abort: AbortController;
  done: Promise<void>;
  signature: string;
}

export class WatchLoop {
  private exercise: Exercise;
  private grader?: Promise<Grader>;
  private grading?: Grading;
  private reporter?: BuildReporter;
  private watcher?: fs.FSWatcher;
  private debounce?: NodeJS.Timeout;
  private last_result?: ExerciseResult;
  private quitting = false;
  private finish!: (code: number) => void;
  private readonly out: NodeJS.WriteStream;
  private readonly input: NodeJS.ReadStream;

  constructor(
    private readonly state: CourseState,
    first: Exercise,
    private readonly options: WatchLoopOptions = {},
  ) {
    this.exercise = first;
    this.out = options.out ?? process.stdout;
    this.input = options.input ?? process.stdin;
  }

  /** Runs until the student quits; resolves with the exit code. */
  async run(): Promise<number> {
    const ended = new Promise<number>((resolve) => (this.finish = resolve));
    // vitest starts while the first image builds. DOCKERLINGS_SESSION (a test,
    // a CI job) names what the first grading creates, and the later ones derive from it.
    this.grader = Grader.open({ course_root: this.state.course_root, session: process.env.DOCKERLINGS_SESSION || undefined });
    this.grader.catch((error: unknown) => {
      this.write(`\n${c.red(wrap(m("grading_failed", { why: (error as Error).message }), this.width()))}\n`);
      void this.quit(2);
    });
    this.input.setRawMode?.(true);
    this.input.setEncoding("utf8");
    this.input.on("data", this.on_key);
    this.input.resume();
    this.open_exercise(this.exercise);
    return ended;
  }

  private dir(exercise = this.exercise): string {
    return path.join(this.state.workspace.dir, exercise.id);
  }

  private write(text: string): void {
    if (this.quitting) return;
    this.reporter?.clear_status();
    this.out.write(text);
  }

  private width(): number {
    return terminal_width(this.out);
  }

  private open_exercise(exercise: Exercise): void {
    this.exercise = exercise;
    this.watch_folder();
    this.regrade(true);
  }

  // ---- file events ------------------------------------------------------

  private watch_folder(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.options.manual) return;
    const dir = this.dir();
    const on_event = (_event: string, name: string | Buffer | null): void => this.on_file_event(name ? String(name) : "");
    try {
      try {
        this.watcher = fs.watch(dir, { recursive: true }, on_event);
      } catch {
        this.watcher = fs.watch(dir, on_event);
      }
    } catch (error) {
      this.write(`${c.yellow(wrap(m("no_events", { why: (error as Error).message }), this.width()))}\n`);
      return;
    }
    // The folder itself replaced (a reset from another terminal): watch the new one.
    this.watcher.on("error", () => setTimeout(() => !this.quitting && fs.existsSync(dir) && this.watch_folder(), 200).unref());
  }

  private on_file_event(name: string): void {
    if (this.quitting || EDITOR_NOISE.test(name.split(path.sep).join("/"))) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.regrade(false), DEBOUNCE_MS);
  }

  /** What the exercise's files look like now: names, sizes and modification times. */
  private signature(): string {
    const parts: string[] = [];
    const walk = (rel: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(this.dir(), rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (EDITOR_NOISE.test(child)) continue;
        if (entry.isDirectory()) walk(child);
        else {
          const stat = fs.statSync(path.join(this.dir(), child), { throwIfNoEntry: false });
          if (stat) parts.push(`${child}:${stat.size}:${stat.mtimeMs}`);
        }
      }
    };
    walk("");
    return parts.join("\n");
  }

  // ---- grading ----------------------------------------------------------

  /** Grades the current exercise, aborting a grading in progress. `force`: even if nothing changed since it started. */
  private regrade(force: boolean): void {
    if (this.quitting) return;
    const signature = this.signature();
    if (!force && this.grading && this.grading.signature === signature) return;
    const previous = this.grading;
    previous?.abort.abort();
    const abort = new AbortController();
    const exercise = this.exercise;
    const done = (async () => {
      await previous?.done;
      if (abort.signal.aborted || this.quitting) return;
      await this.grade_once(exercise, abort.signal);
    })().catch((error: unknown) => {
      this.write(`\n${c.red(wrap(m("grading_failed", { why: (error as Error).message }), this.width()))}\n${this.keys_line()}\n`);
    });
    this.grading = { abort, done, signature };
  }

  private async grade_once(exercise: Exercise, signal: AbortSignal): Promise<void> {
    const grader = await this.grader!;
    const width = this.width();
    this.out.write("\u001b[2J\u001b[3J\u001b[H");
    this.write(`${this.header()}\n\n`);
    const reporter = new BuildReporter(this.out, { width, live: true });
    this.reporter = reporter;
    reporter.start();
    let outcome: BuildOutcome | undefined;
    let result: ExerciseResult;
    try {
      result = await grader.grade({
        exercise,
        dir: this.dir(exercise),
        on_progress: reporter.on_progress,
        on_wait: reporter.on_wait,
        on_build: (built) => (outcome = built),
        signal,
        // The student's own grading: checks held back until the deadline are not run (the result says how many).
        checks: "visible",
      });
    } catch (error) {
      // A newer save replaced this grading: nothing to say.
      if ((error as Error).name === "AbortError") return;
      throw error;
    } finally {
      reporter.stop();
      this.reporter = undefined;
    }
    if (signal.aborted || this.quitting) return;
    this.last_result = result;
    const progress = record_grading(this.state.workspace, result, { current: "set" });
    if (outcome) reporter.finish(outcome);
    const lines = [graded_text(outcome, result, exercise, { width, limit: FOLD_LINES, log_file: build_log_path(this.state.workspace, exercise) }), ""];
    lines.push(this.next_step(result, exercise, width), "", course_bar(course_totals(this.state.exercises, progress)), this.keys_line());
    this.write(`${lines.join("\n")}\n`);
    // Ready for the next save: the next run starts loading now.
    if (!this.quitting) grader.prepare(this.exercise);
  }

  private header(): string {
    const exercise = this.exercise;
    const width = this.width();
    const n = this.state.exercises.findIndex((e) => e.id === exercise.id) + 1;
    const dir = `${shown_path(this.dir())}${path.sep}`;
    const progress = load_progress(this.state.workspace.dir).progress;
    return [
      wrap(`${c.bold(`${exercise.id} — ${exercise.title}`)} ${c.gray(`(${m("header", { n, total: this.state.exercises.length, part: exercise.part })})`)}`, width, "  "),
      wrap(m("files", { dir, files: exercise.editable.join(", ") }), width, "  "),
      c.gray(wrap(m("lesson", { id: exercise.id }), width, "  ")),
      c.gray(this.options.manual ? m("mode_manual") : m("mode_watch")),
      course_bar(course_totals(this.state.exercises, progress)),
    ].join("\n");
  }

  private next_step(result: ExerciseResult, exercise: Exercise, width: number): string {
    if (result.status === "pass") {
      const next = next_exercise(this.state.exercises, exercise);
      return c.green(wrap(next ? m("passed_next", { next: next.id }) : m("passed_last"), width));
    }
    const file = shown_path(path.join(this.dir(exercise), "Dockerfile"));
    return wrap(this.options.manual ? m("fix_manual", { file }) : m("fix_watch", { file }), width);
  }

  private keys_line(): string {
    return c.cyan(m("keys"));
  }

  // ---- keys -------------------------------------------------------------

  private readonly on_key = (data: string): void => {
    // Arrows and function keys arrive as escape sequences ("\u001b[C"): not ours.
    if (data.startsWith("\u001b")) return;
    for (const key of data) {
      try {
        this.handle_key(key);
      } catch (error) {
        this.write(`\n${c.red(wrap((error as Error).message, this.width()))}\n${this.keys_line()}\n`);
      }
    }
  };

  private handle_key(key: string): void {
    if (this.quitting) return;
    const width = this.width();
    switch (key.toLowerCase()) {
      case "h": {
        const text = reveal_hints(this.state.workspace.dir, this.exercise, { how: m("hint_key"), width });
        this.write(`\n${text}\n${this.keys_line()}\n`);
        return;
      }
      case "l":
        this.write(`\n${render_lesson(this.exercise, Math.min(width, 100))}\n${this.keys_line()}\n`);
        return;
      case "c": {
        const rows = list_rows(this.state.exercises, load_progress(this.state.workspace.dir).progress);
        this.write(`\n${format_list(rows, width)}\n${this.keys_line()}\n`);
        return;
      }
      case "r":
        this.regrade(true);
        return;
      case "n":
        this.next();
        return;
      case "q":
      case "\u0004": // Ctrl-D
        void this.quit(0);
        return;
      case "\u0003": // Ctrl-C: the terminal is raw, so it arrives as a key
        void this.quit(130);
        return;
      default:
        return;
    }
  }

  private next(): void {
    const entry = load_progress(this.state.workspace.dir).progress.exercises[this.exercise.id];
    const passed = this.last_result?.exercise === this.exercise.id ? this.last_result.status === "pass" : entry?.status === "pass";
    if (!passed) {
      this.write(`\n${c.yellow(wrap(m("not_yet"), this.width()))}\n${this.keys_line()}\n`);
      return;
    }
    const next = next_exercise(this.state.exercises, this.exercise);
    if (!next) {
      this.write(`\n${c.green(m("passed_last"))}\n${this.keys_line()}\n`);
      return;
    }
    update_progress(this.state.workspace.dir, (p) => {
      p.current = next.id;
    });
    this.last_result = undefined;
    this.open_exercise(next);
  }

  /** Stops everything, sweeps every session this loop used, gives the terminal back. */
  async quit(code: number): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.reporter?.stop();
    this.grading?.abort.abort();
    await this.grading?.done;
    await this.grader?.then((g) => g.close(), () => undefined);
    this.input.off("data", this.on_key);
    this.input.setRawMode?.(false);
    this.input.pause();
    this.out.write(`\n${m("bye", { file: shown_path(progress_path(this.state.workspace.dir)) })}\n`);
    this.finish(code);
  }
}
