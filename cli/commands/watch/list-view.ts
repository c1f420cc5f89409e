// The list of exercises in the watch loop (key c), the list of rustlings 6
// and a little more: move in it, filter it (passed, to do), search it, go on
// at an exercise, put an exercise back to its start after a question. Drawn
// on the alternate screen; in accessible mode every change is said in an
// appended line instead.
import { define_messages } from "../../i18n/index.js";
import { c } from "../../ui/color.js";
import { pad_end, truncate, wrap } from "../../ui/text.js";
import { ALT_SCREEN_OFF, ALT_SCREEN_ON } from "../../ui/pager.js";
import { status_mark, type ListRow } from "../../ui/exercise-list.js";
import { mark } from "../../ui/color.js";

const m = define_messages({
  title: {
    fr: (p: { filter: string; shown: number; total: number }) => `Exercices (${p.filter} : ${p.shown} sur ${p.total})`,
    en: (p: { filter: string; shown: number; total: number }) => `Exercises (${p.filter}: ${p.shown} of ${p.total})`,
  },
  all: { fr: "tous", en: "all" },
  done: { fr: "réussis", en: "passed" },
  pending: { fr: "à faire", en: "to do" },
  keys: {
    fr: "↑↓ ou j k bouger · Entrée ou c continuer ici · x remettre à zéro · d réussis · p à faire · / chercher · q revenir",
    en: "↑↓ or j k move · Enter or c go on here · x reset · d passed · p to do · / search · q back",
  },
  searching: { fr: (p: { query: string }) => `Recherche : ${p.query}▏ (Entrée ou Échap pour finir)`, en: (p: { query: string }) => `Search: ${p.query}▏ (Enter or Esc to end)` },
  not_found: { fr: (p: { query: string }) => `Aucun exercice ne contient « ${p.query} ».`, en: (p: { query: string }) => `No exercise contains "${p.query}".` },
  found: { fr: (p: { query: string; row: string }) => `Recherche « ${p.query} » : ${p.row}`, en: (p: { query: string; row: string }) => `Search "${p.query}": ${p.row}` },
  empty: { fr: "Aucun exercice avec ce filtre : d ou p de nouveau pour les voir tous.", en: "No exercise with this filter: d or p again to see them all." },
  confirm: {
    fr: (p: { id: string }) => `Remettre ${p.id} dans son état de départ ? Vos fichiers seront gardés dans .dockerlings/backups/. [o/N]`,
    en: (p: { id: string }) => `Put ${p.id} back to its starting state? Your files will be kept in .dockerlings/backups/. [y/N]`,
  },
  declined: { fr: "Rien n'a été changé.", en: "Nothing was changed." },
  selected: { fr: (p: { row: string }) => `→ ${p.row}`, en: (p: { row: string }) => `→ ${p.row}` },
  spoken_keys: {
    fr: "Touches : j ou flèche bas, k ou flèche haut pour bouger ; Entrée pour continuer à l'exercice choisi ; x pour le remettre à zéro ; d réussis, p à faire ; / pour chercher ; q pour revenir.",
    en: "Keys: j or down arrow, k or up arrow to move; Enter to go on at the chosen exercise; x to reset it; d passed, p to do; / to search; q to go back.",
  },
});

export type ListAction = { kind: "close" } | { kind: "continue"; id: string } | { kind: "reset"; id: string };
type Filter = "all" | "done" | "pending";

export interface ListScreen {
  write(text: string): void;
  rows(): number;
  columns(): number;
  accessible: boolean;
}

export class ListView {
  private filter: Filter = "all";
  private selected = 0;
  private offset = 0;
  private query: string | undefined;
  private confirming: string | undefined;
  private message = "";

  constructor(
    private rows: ListRow[],
    private readonly screen: ListScreen,
  ) {
    this.selected = Math.max(0, rows.findIndex((r) => r.current));
  }

  private shown(): ListRow[] {
    return this.rows.filter((r) => this.filter === "all" || (this.filter === "done") === (r.status === "pass"));
  }

  /** The rows again (after a reset), keeping the selection. */
  update(rows: ListRow[], message: string): void {
    this.rows = rows;
    this.say(message);
  }

  open(): void {
    if (this.screen.accessible) {
      this.say_list();
      this.screen.write(`${m("spoken_keys")}\n`);
      return;
    }
    this.screen.write(`${ALT_SCREEN_ON}\u001b[?25l`);
    this.draw();
  }

  close(): void {
    if (!this.screen.accessible) this.screen.write(`\u001b[?25h${ALT_SCREEN_OFF}`);
  }

  key(name: string): ListAction | undefined {
    const rows = this.shown();
    this.message = "";
    if (this.confirming !== undefined) {
      const id = this.confirming;
      this.confirming = undefined;
      if (["y", "Y", "o", "O"].includes(name)) return { kind: "reset", id };
      this.say(m("declined"));
      return undefined;
    }
    if (this.query !== undefined) {
      if (name === "return" || name === "escape") {
        this.query = undefined;
        this.draw();
        return undefined;
      }
      if (name === "backspace") this.query = this.query.slice(0, -1);
      else if ([...name].length === 1) this.query += name;
      else if (name === "space") this.query += " ";
      else return undefined;
      this.search(rows);
      return undefined;
    }
    const row = rows[this.selected];
    switch (name) {
      case "q":
      case "escape":
        return { kind: "close" };
      case "down":
      case "j":
        return this.move(rows, this.selected + 1);
      case "up":
      case "k":
        return this.move(rows, this.selected - 1);
      case "home":
      case "g":
        return this.move(rows, 0);
      case "end":
      case "G":
        return this.move(rows, rows.length - 1);
      case "return":
      case "c":
        return row ? { kind: "continue", id: row.id } : undefined;
      case "x":
        if (!row) return undefined;
        this.confirming = row.id;
        this.say(m("confirm", { id: row.id }));
        return undefined;
      case "d":
      case "p": {
        const wanted: Filter = name === "d" ? "done" : "pending";
        this.filter = this.filter === wanted ? "all" : wanted;
        const still = this.shown().findIndex((r) => r.id === row?.id);
        this.selected = Math.max(0, still);
        this.offset = 0;
        if (this.screen.accessible) this.say_list();
        else this.draw();
        return undefined;
      }
      case "/":
      case "s":
        this.query = "";
        this.say(m("searching", { query: "" }));
        return undefined;
      default:
        return undefined;
    }
  }

  private move(rows: ListRow[], to: number): undefined {
    if (rows.length === 0) return undefined;
    this.selected = Math.min(rows.length - 1, Math.max(0, to));
    if (this.screen.accessible) this.screen.write(`${m("selected", { row: this.spoken_row(rows[this.selected]!) })}\n`);
    else this.draw();
    return undefined;
  }

  private search(rows: ListRow[]): void {
    const query = this.query ?? "";
    const needle = fold(query);
    const at = needle === "" ? -1 : rows.findIndex((r) => fold(`${r.id} ${r.title}`).includes(needle));
    if (at >= 0) this.selected = at;
    if (this.screen.accessible) {
      const text = needle === "" ? m("searching", { query }) : at >= 0 ? m("found", { query, row: this.spoken_row(rows[at]!) }) : m("not_found", { query });
      this.screen.write(`${text}\n`);
      return;
    }
    this.message = needle !== "" && at < 0 ? m("not_found", { query }) : "";
    this.draw();
  }

  /** A message under the list (drawn), or one line (accessible). */
  private say(text: string): void {
    if (this.screen.accessible) {
      this.screen.write(`${text}\n`);
      return;
    }
    this.message = text;
    this.draw();
  }

  private filter_name(): string {
    return m(this.filter);
  }

  private spoken_row(row: ListRow): string {
    return `${row.id} — ${row.title} ${status_mark(row.status)} ${row.points}/${row.max_points} points${row.current ? ` ${mark.current(true)}` : ""}`;
  }

  private say_list(): void {
    const rows = this.shown();
    const lines = [m("title", { filter: this.filter_name(), shown: rows.length, total: this.rows.length })];
    if (rows.length === 0) lines.push(m("empty"));
    rows.forEach((row, i) => lines.push(`${i === this.selected ? "→" : " "} ${this.spoken_row(row)}`));
    this.screen.write(`${lines.join("\n")}\n`);
  }

  private draw(): void {
    const width = this.screen.columns();
    const rows = this.shown();
    const room = Math.max(3, this.screen.rows() - 5);
    if (this.selected < this.offset) this.offset = this.selected;
    if (this.selected >= this.offset + room) this.offset = this.selected - room + 1;
    const out = [c.bold(m("title", { filter: this.filter_name(), shown: rows.length, total: this.rows.length })), ""];
    if (rows.length === 0) out.push(c.gray(m("empty")));
    rows.slice(this.offset, this.offset + room).forEach((row, i) => {
      const line = `${mark.current(row.current)} ${status_mark(row.status)} ${row.id.padEnd(24)} ${String(row.points).padStart(2)}/${String(row.max_points).padEnd(2)}  ${row.title}`;
      const text = pad_end(truncate(line, width - 2), width - 2);
      out.push(this.offset + i === this.selected ? `${c.inverse(`>${text}`)}` : ` ${text}`);
    });
    while (out.length < room + 2) out.push("");
    const footer = this.query !== undefined ? m("searching", { query: this.query }) : this.message || m("keys");
    // Two lines at most: a question keeps its [o/N].
    out.push(...wrap(footer, width).split("\n").slice(0, 2).map((line) => c.cyan(line)));
    this.screen.write(`\u001b[H\u001b[2J${out.join("\n")}`);
  }
}

/** Lower case, without accents: « entrée » finds « Entree ». */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}
