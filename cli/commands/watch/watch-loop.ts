// The watch loop: the current exercise is graded each time one of its files
// is saved (or on `r` in manual mode), and keys drive the rest: a hint, the
// lesson in a pager, the editor, the next exercise to do, every exercise
// checked at once, the list (move, filter, search, go on, reset), a reset
// after a question. One grading at a time: a save during a grading aborts it
// (its build, its checks, its containers) and starts again. One Grader for
// the loop's life: the next grading's spec is loaded as soon as one ends
// (Grader.prepare), so a save costs the build and the checks, little more.
//
// While the pager, the list, a question or a terminal editor has the screen,
// what the loop would print is held, and printed when it closes. In
// accessible mode (ACCESSIBLE=1, --accessible) nothing is ever redrawn: no
// clearing, no alternate screen, no spinner, words for every symbol.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Grader, read_course_manifest, type BuildOutcome, type Exercise, type ExerciseResult } from "../../../grader/index.js";
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { terminal_width, visible_width, wrap } from "../../ui/text.js";
import { accessible, file_link, file_list } from "../../ui/terminal.js";
import { BuildReporter } from "../../ui/build-progress.js";
import { course_bar, course_totals } from "../../ui/course-bar.js";
import { Pager } from "../../ui/pager.js";
import { next_to_do, record_grading, shown_path, update_progress, type CourseState } from "../../state/course-state.js";
import { load_progress, progress_path } from "../../state/progress.js";
import { backups_dir, build_log_path, reset_exercise } from "../../state/workspace.js";
import { FOLD_LINES, graded_text } from "../../ui/graded.js";
import { reveal_hints } from "../../ui/hints.js";
import { render_lesson } from "../../ui/lesson.js";
import { list_rows } from "../../ui/exercise-list.js";
import { check_all } from "./check-all.js";
import { files_to_open, find_editor, open_beside, open_in_terminal, type Editor } from "./editor.js";
import { ListView, type ListAction } from "./list-view.js";

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
  keys_spoken: { fr: (p: { keys: string }) => `Touches : ${p.keys}.`, en: (p: { keys: string }) => `Keys: ${p.keys}.` },
  key_h: { fr: "indice", en: "hint" },
  key_l: { fr: "leçon", en: "lesson" },
  key_e: { fr: "éditeur", en: "editor" },
  key_n: { fr: "suivant", en: "next" },
  key_r: { fr: "relancer", en: "re-run" },
  key_a: { fr: "tout vérifier", en: "check all" },
  key_c: { fr: "liste", en: "list" },
  key_x: { fr: "remettre à zéro", en: "reset" },
  key_q: { fr: "quitter", en: "quit" },
  or: { fr: "ou", en: "or" },
  mode_watch: { fr: "Corrigé à chaque enregistrement.", en: "Graded on every save." },
  mode_manual: {
    fr: "Mode manuel : appuyez sur r pour corriger après avoir enregistré.",
    en: "Manual mode: press r to grade after saving.",
  },
  separator: { fr: (p: { id: string }) => `──── nouvelle correction : ${p.id} ────`, en: (p: { id: string }) => `──── new grading: ${p.id} ────` },
  passed_next: {
    fr: (p: { next: string }) => `Réussi ! Appuyez sur n pour passer à l'exercice suivant à faire (${p.next}).`,
    en: (p: { next: string }) => `Passed! Press n to go to the next exercise to do (${p.next}).`,
  },
  passed_all: {
    fr: "Réussi, et tous les autres exercices sont réussis : vérification de tout le cours avant de le dire terminé…",
    en: "Passed, and every other exercise has passed: checking the whole course before calling it finished…",
  },
  finished: { fr: "Bravo, vous avez terminé le cours !", en: "Well done, you have finished the course!" },
  not_finished: {
    fr: "Presque : ces exercices ne passent plus (ou pas encore). n ouvre le premier d'entre eux.",
    en: "Almost: these exercises do not pass (any more, or yet). n opens the first of them.",
  },
  fix_watch: {
    fr: (p: { files: string; dir: string }) => `Modifiez ${p.files} dans ${p.dir} et enregistrez : la correction repart d'elle-même. Bloqué ? h donne un indice.`,
    en: (p: { files: string; dir: string }) => `Edit ${p.files} in ${p.dir} and save: grading starts again by itself. Stuck? h gives a hint.`,
  },
  fix_manual: {
    fr: (p: { files: string; dir: string }) => `Modifiez ${p.files} dans ${p.dir}, enregistrez, puis appuyez sur r. Bloqué ? h donne un indice.`,
    en: (p: { files: string; dir: string }) => `Edit ${p.files} in ${p.dir}, save, then press r. Stuck? h gives a hint.`,
  },
  not_yet: {
    fr: "L'exercice n'est pas encore réussi : n sera possible ensuite (ou c pour choisir un autre exercice dans la liste).",
    en: "The exercise has not passed yet: n works once it has (or c to choose another exercise in the list).",
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
  welcome_continue: { fr: "Appuyez sur Entrée pour commencer.", en: "Press Enter to start." },
  checking: { fr: "Vérification en cours : q pour quitter.", en: "Checking: q to quit." },
  reset_question: {
    fr: (p: { dir: string; backups: string }) =>
      `Remettre ${p.dir} dans son état de départ ? Vos fichiers actuels seront gardés dans ${p.backups}. [o/N]`,
    en: (p: { dir: string; backups: string }) => `Put ${p.dir} back to its starting state? Your current files will be kept in ${p.backups}. [y/N]`,
  },
  reset_done: {
    fr: (p: { id: string; backup: string }) => `${p.id} est revenu à son état de départ ; vos anciens fichiers sont dans ${p.backup}.`,
    en: (p: { id: string; backup: string }) => `${p.id} is back to its starting state; your previous files are in ${p.backup}.`,
  },
  declined: { fr: "Rien n'a été changé.", en: "Nothing was changed." },
  no_editor: {
    fr: (p: { files: string }) =>
      `Aucun éditeur connu : ouvrez ${p.files} dans le vôtre, ou relancez avec \`dockerlings --edit-cmd "code"\` (une commande qui ouvre une fenêtre), ou définissez EDITOR (vim, nano…).`,
    en: (p: { files: string }) =>
      `No editor known: open ${p.files} in yours, or run again with \`dockerlings --edit-cmd "code"\` (a command that opens a window), or set EDITOR (vim, nano…).`,
  },
  opened: { fr: (p: { editor: string; files: string }) => `Ouvert avec ${p.editor} : ${p.files}`, en: (p: { editor: string; files: string }) => `Opened with ${p.editor}: ${p.files}` },
  editor_failed: {
    fr: (p: { editor: string; why: string }) => `L'éditeur ${p.editor} n'a pas pu s'ouvrir (${p.why}).`,
    en: (p: { editor: string; why: string }) => `The editor ${p.editor} could not open (${p.why}).`,
  },
  lesson_title: { fr: (p: { id: string }) => `Leçon ${p.id}`, en: (p: { id: string }) => `Lesson ${p.id}` },
  bye: {
    fr: (p: { file: string }) => `À bientôt ! Votre progression est enregistrée dans ${p.file}.`,
    en: (p: { file: string }) => `See you! Your progress is saved in ${p.file}.`,
  },
});

/** Files an editor writes beside the real ones while saving: never a reason to grade. */
const EDITOR_NOISE = /(^|\/)(\.#.*|.*~|.*\.sw[px]|4913|\.dockerlings)(\/|$)/;
const DEBOUNCE_MS = 50;
const KEYS = ["h", "l", "e", "n", "r", "a", "c", "x", "q"] as const;

export interface WatchLoopOptions {
  manual?: boolean;
  /** --edit-cmd: a command that opens the exercise's files beside the loop. */
  edit_cmd?: string;
  /** --no-editor: never open an editor by itself. */
  editor?: boolean;
  out?: NodeJS.WriteStream;
  input?: NodeJS.ReadStream;
}

interface Grading {
  abort: AbortController;
  done: Promise<void>;
  signature: string;
}

/** What has the screen instead of the exercise, with the key handler it gets. */
type Overlay =
  | { kind: "pager"; pager: Pager }
  | { kind: "list"; view: ListView }
  | { kind: "question"; answer: (key: string) => void }
  | { kind: "editor" }
  | { kind: "welcome" };

/** A key as the loop names it: a character ("h", "G", "/"), a named key ("down", "return"), or "C-c". */
function key_name(text: string | undefined, key: readline.Key | undefined): string {
  if (key?.ctrl && key.name) return `C-${key.name}`;
  const named = ["up", "down", "left", "right", "pageup", "pagedown", "home", "end", "escape", "return", "enter", "backspace", "space", "tab"];
  if (key?.name && named.includes(key.name)) return key.name === "enter" ? "return" : key.name;
  return text ?? key?.sequence ?? "";
}

export class WatchLoop {
  private exercise: Exercise;
  private grader?: Promise<Grader>;
  private grading?: Grading;
  private reporter?: BuildReporter;
  private watcher?: fs.FSWatcher;
  private debounce?: NodeJS.Timeout;
  private last_result?: ExerciseResult;
  private overlay?: Overlay;
  private held: string[] = [];
  private checking?: AbortController;
  private checking_done?: Promise<void>;
  /** Said under the header of the next grading's screen (a reset, which starts one). */
  private notice?: string;
  private quitting = false;
  private finish!: (code: number) => void;
  private readonly out: NodeJS.WriteStream;
  private readonly input: NodeJS.ReadStream;
  private readonly accessible = accessible();
  private readonly editor: Editor | undefined;

  constructor(
    private readonly state: CourseState,
    first: Exercise,
    private readonly options: WatchLoopOptions = {},
  ) {
    this.exercise = first;
    this.out = options.out ?? process.stdout;
    this.input = options.input ?? process.stdin;
    this.editor = find_editor(options);
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
    readline.emitKeypressEvents(this.input);
    this.input.setRawMode?.(true);
    this.input.on("keypress", this.on_keypress);
    this.input.resume();
    const welcome = read_course_manifest(this.state.course_root).welcome_message;
    if (welcome && !this.state.progress.welcomed) {
      this.clear();
      this.out.write(`${wrap(welcome.trim(), this.width())}\n\n${c.cyan(m("welcome_continue"))}\n`);
      this.overlay = { kind: "welcome" };
    } else this.open_exercise(this.exercise);
    return ended;
  }

  private dir(exercise = this.exercise): string {
    return path.join(this.state.workspace.dir, exercise.id);
  }

  /** What the loop prints: held while something else has the screen. */
  private emit(text: string): void {
    if (this.quitting) return;
    if (this.overlay) this.held.push(text);
    else this.out.write(text);
  }

  private write(text: string): void {
    if (this.quitting) return;
    if (!this.overlay) this.reporter?.clear_status();
    this.emit(text);
  }

  /** A fresh screen for a new grading; in accessible mode, a line that says so instead. */
  private clear(id?: string): void {
    if (this.accessible) {
      if (id) this.emit(`\n${m("separator", { id })}\n`);
      return;
    }
    this.emit("\u001b[2J\u001b[3J\u001b[H");
  }

  private width(): number {
    return terminal_width(this.out);
  }

  private rows(): number {
    return this.out.rows && this.out.rows > 0 ? this.out.rows : 24;
  }

  private screen() {
    return { write: (text: string) => this.out.write(text), rows: () => this.rows(), columns: () => this.width(), accessible: this.accessible };
  }

  private open_exercise(exercise: Exercise): void {
    this.exercise = exercise;
    this.watch_folder();
    if (this.editor?.kind === "beside") void this.open_editor(false);
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
    if (this.quitting || this.checking || EDITOR_NOISE.test(name.split(path.sep).join("/"))) return;
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
    if (this.quitting || this.checking) return;
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
    this.clear(exercise.id);
    this.write(`${this.header()}\n\n`);
    if (this.notice) this.write(`${this.notice}\n\n`);
    this.notice = undefined;
    const reporter = new BuildReporter({ write: (text: string) => this.emit(text) }, { width, live: !this.accessible, accessible: this.accessible });
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
    const totals = course_totals(this.state.exercises, progress);
    const course_done = result.status === "pass" && totals.done === totals.total;
    lines.push(this.next_step(result, exercise, width, course_done), "", course_bar(totals));
    if (!course_done) lines.push(this.keys_line());
    this.write(`${lines.join("\n")}\n`);
    if (course_done) {
      void this.check_everything(false);
      return;
    }
    // Ready for the next save: the next run starts loading now.
    if (!this.quitting) grader.prepare(this.exercise);
  }

  private shown_dir(exercise: Exercise): string {
    return file_link(this.dir(exercise), `${shown_path(this.dir(exercise))}${path.sep}`, this.out);
  }

  private header(): string {
    const exercise = this.exercise;
    const width = this.width();
    const n = this.state.exercises.findIndex((e) => e.id === exercise.id) + 1;
    const progress = load_progress(this.state.workspace.dir).progress;
    return [
      wrap(`${c.bold(`${exercise.id} — ${exercise.title}`)} ${c.gray(`(${m("header", { n, total: this.state.exercises.length, part: exercise.part })})`)}`, width, "  "),
      wrap(m("files", { dir: this.shown_dir(exercise), files: file_list(this.dir(exercise), exercise.editable, undefined, this.out) }), width, "  "),
      c.gray(wrap(m("lesson", { id: exercise.id }), width, "  ")),
      c.gray(this.options.manual ? m("mode_manual") : m("mode_watch")),
      course_bar(course_totals(this.state.exercises, progress)),
    ].join("\n");
  }

  private next_step(result: ExerciseResult, exercise: Exercise, width: number, course_done: boolean): string {
    if (result.status === "pass") {
      if (course_done) return c.green(wrap(m("passed_all"), width));
      const next = next_to_do(this.state.exercises, exercise, load_progress(this.state.workspace.dir).progress);
      return c.green(wrap(m("passed_next", { next: next?.id ?? "" }), width));
    }
    const p = { files: file_list(this.dir(exercise), exercise.editable, m("or"), this.out), dir: this.shown_dir(exercise) };
    return wrap(this.options.manual ? m("fix_manual", p) : m("fix_watch", p), width);
  }

  private keys_line(): string {
    const keys = KEYS.map((k) => [k, m(`key_${k}`)] as const);
    if (this.accessible) return m("keys_spoken", { keys: keys.map(([k, w]) => `${k} ${w}`).join(", ") });
    // Wrapped between keys, never inside one.
    const lines: string[] = [];
    for (const [k, w] of keys) {
      const entry = `${k} ${w}`;
      const last = lines.length - 1;
      if (last >= 0 && visible_width(lines[last]!) + 3 + visible_width(entry) <= this.width()) lines[last] += ` · ${entry}`;
      else lines.push(entry);
    }
    return c.cyan(lines.join("\n"));
  }

  /** Every exercise graded again (key a, or the last exercise passed); the course finished only if all pass. */
  private async check_everything(fresh_screen = true): Promise<void> {
    if (this.checking || this.quitting) return;
    const abort = new AbortController();
    this.checking = abort;
    let done!: () => void;
    this.checking_done = new Promise((resolve) => (done = resolve));
    this.grading?.abort.abort();
    await this.grading?.done;
    this.grading = undefined;
    // After the last pass, its verdict stays on screen above.
    if (fresh_screen) this.clear("check all");
    this.write(`\n${c.gray(m("checking"))}\n`);
    let outcome;
    try {
      outcome = await check_all(this.state, { ...this.screen(), write: (text: string) => this.emit(text) }, abort.signal);
    } catch (error) {
      this.write(`\n${c.red(wrap(m("grading_failed", { why: (error as Error).message }), this.width()))}\n`);
    } finally {
      this.checking = undefined;
      done();
    }
    if (!outcome || this.quitting) {
      if (!this.quitting) this.write(`${this.keys_line()}\n`);
      return;
    }
    const width = this.width();
    const lines = ["", outcome.report, ""];
    if (outcome.all_passed) {
      const final = read_course_manifest(this.state.course_root).final_message;
      lines.push(c.green(c.bold(m("finished"))));
      if (final) lines.push("", wrap(final.trim(), width));
    } else lines.push(wrap(m("not_finished"), width));
    lines.push("", course_bar(course_totals(this.state.exercises, load_progress(this.state.workspace.dir).progress)), this.keys_line());
    this.write(`${lines.join("\n")}\n`);
  }

  // ---- keys -------------------------------------------------------------

  private readonly on_keypress = (text: string | undefined, key: readline.Key | undefined): void => {
    const name = key_name(text, key);
    if (name === "C-c") {
      void this.quit(130);
      return;
    }
    try {
      if (this.overlay) this.overlay_key(name);
      else this.handle_key(name);
    } catch (error) {
      this.write(`\n${c.red(wrap((error as Error).message, this.width()))}\n${this.keys_line()}\n`);
    }
  };

  private overlay_key(name: string): void {
    const overlay = this.overlay!;
    switch (overlay.kind) {
      case "welcome":
        update_progress(this.state.workspace.dir, (p) => {
          p.welcomed = true;
        });
        this.overlay = undefined;
        this.open_exercise(this.exercise);
        return;
      case "pager":
        if (overlay.pager.key(name) === "close") {
          overlay.pager.close();
          this.close_overlay();
        }
        return;
      case "list":
        this.list_action(overlay.view, overlay.view.key(name));
        return;
      case "question":
        this.overlay = undefined;
        this.flush_held();
        overlay.answer(name);
        return;
      case "editor":
        return;
    }
  }

  /** Gives the screen back to the loop and prints what it held meanwhile. */
  private close_overlay(): void {
    this.overlay = undefined;
    if (!this.accessible) this.out.write(`${this.keys_line()}\n`);
    this.flush_held();
    if (this.accessible) this.out.write(`${this.keys_line()}\n`);
  }

  private flush_held(): void {
    const held = this.held.join("");
    this.held = [];
    if (held) this.out.write(held);
  }

  private handle_key(name: string): void {
    if (this.quitting) return;
    if (this.checking) {
      if (name === "q" || name === "C-d") void this.quit(0);
      return;
    }
    const width = this.width();
    switch (name.length === 1 ? name.toLowerCase() : name) {
      case "h": {
        const text = reveal_hints(this.state.workspace.dir, this.exercise, { how: m("hint_key"), width });
        this.write(`\n${text}\n${this.keys_line()}\n`);
        return;
      }
      case "l": {
        const lines = render_lesson(this.exercise, Math.min(width, 100)).replace(/\n+$/, "").split("\n");
        const pager = new Pager(lines, m("lesson_title", { id: this.exercise.id }), this.screen());
        this.reporter?.clear_status();
        this.overlay = { kind: "pager", pager };
        if (this.accessible) this.out.write("\n");
        pager.open();
        return;
      }
      case "c": {
        const view = new ListView(list_rows(this.state.exercises, load_progress(this.state.workspace.dir).progress), this.screen());
        this.reporter?.clear_status();
        this.overlay = { kind: "list", view };
        if (this.accessible) this.out.write("\n");
        view.open();
        return;
      }
      case "e":
        void this.open_editor(true);
        return;
      case "x":
        this.ask_reset();
        return;
      case "a":
        void this.check_everything();
        return;
      case "r":
        this.regrade(true);
        return;
      case "n":
        this.next();
        return;
      case "q":
      case "C-d":
        void this.quit(0);
        return;
      default:
        return;
    }
  }

  private list_action(view: ListView, action: ListAction | undefined): void {
    if (!action) return;
    if (action.kind === "close") {
      view.close();
      this.close_overlay();
      return;
    }
    if (action.kind === "reset") {
      const exercise = this.state.exercises.find((e) => e.id === action.id)!;
      const { backup } = reset_exercise(this.state.workspace.dir, exercise);
      view.update(
        list_rows(this.state.exercises, load_progress(this.state.workspace.dir).progress),
        m("reset_done", { id: exercise.id, backup: backup ? `${shown_path(backup)}${path.sep}` : "-" }),
      );
      if (exercise.id === this.exercise.id) {
        this.watch_folder();
        this.regrade(true);
      }
      return;
    }
    // Go on at the chosen exercise: a fresh screen for it.
    view.close();
    this.overlay = undefined;
    this.held = [];
    const exercise = this.state.exercises.find((e) => e.id === action.id)!;
    update_progress(this.state.workspace.dir, (p) => {
      p.current = exercise.id;
    });
    this.last_result = undefined;
    this.open_exercise(exercise);
  }

  private ask_reset(): void {
    const exercise = this.exercise;
    const question = m("reset_question", { dir: `${shown_path(this.dir(exercise))}${path.sep}`, backups: `${shown_path(backups_dir(this.state.workspace.dir))}${path.sep}` });
    this.reporter?.clear_status();
    this.out.write(`\n${c.yellow(wrap(question, this.width()))}\n`);
    this.overlay = {
      kind: "question",
      answer: (key) => {
        if (!["y", "Y", "o", "O"].includes(key)) {
          this.out.write(`${m("declined")}\n${this.keys_line()}\n`);
          return;
        }
        const { backup } = reset_exercise(this.state.workspace.dir, exercise);
        this.notice = c.green(wrap(m("reset_done", { id: exercise.id, backup: backup ? `${shown_path(backup)}${path.sep}` : "-" }), this.width()));
        if (this.accessible) this.out.write(`${this.notice}\n`);
        this.watch_folder();
        this.regrade(true);
      },
    };
  }

  private async open_editor(asked: boolean): Promise<void> {
    const files = files_to_open(this.dir(), this.exercise.editable);
    const shown = files.map((f) => shown_path(f)).join(", ");
    const editor = this.editor;
    if (!editor) {
      if (asked) this.write(`\n${wrap(m("no_editor", { files: shown }), this.width())}\n${this.keys_line()}\n`);
      return;
    }
    if (editor.kind === "beside") {
      const failed = await open_beside(editor, files);
      const text = failed ? c.yellow(m("editor_failed", { editor: editor.command[0]!, why: failed })) : c.gray(m("opened", { editor: editor.command[0]!, files: shown }));
      if (asked || failed) this.write(`${wrap(text, this.width())}\n`);
      return;
    }
    // A terminal editor takes the terminal until it quits; the loop holds its output meanwhile.
    this.reporter?.clear_status();
    this.overlay = { kind: "editor" };
    this.input.off("keypress", this.on_keypress);
    this.input.setRawMode?.(false);
    this.input.pause();
    const ended = await open_in_terminal(editor, files);
    this.input.setRawMode?.(true);
    this.input.on("keypress", this.on_keypress);
    this.input.resume();
    if ("error" in ended) this.held.unshift(`${c.yellow(m("editor_failed", { editor: editor.command[0]!, why: ended.error }))}\n`);
    this.close_overlay();
  }

  private next(): void {
    const entry = load_progress(this.state.workspace.dir).progress.exercises[this.exercise.id];
    const passed = this.last_result?.exercise === this.exercise.id ? this.last_result.status === "pass" : entry?.status === "pass";
    if (!passed) {
      this.write(`\n${c.yellow(wrap(m("not_yet"), this.width()))}\n${this.keys_line()}\n`);
      return;
    }
    const next = next_to_do(this.state.exercises, this.exercise, load_progress(this.state.workspace.dir).progress);
    if (!next) {
      void this.check_everything();
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
    if (this.overlay?.kind === "pager") this.overlay.pager.close();
    if (this.overlay?.kind === "list") this.overlay.view.close();
    this.quitting = true;
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.reporter?.stop();
    this.checking?.abort();
    this.grading?.abort.abort();
    await this.grading?.done;
    await this.checking_done;
    await this.grader?.then((g) => g.close(), () => undefined);
    this.input.off("keypress", this.on_keypress);
    this.input.setRawMode?.(false);
    this.input.pause();
    this.out.write(`\n${m("bye", { file: shown_path(progress_path(this.state.workspace.dir)) })}\n`);
    this.finish(code);
  }
}
