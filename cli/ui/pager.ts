// A pager for long texts in the watch loop (the lesson, key l): one screen at
// a time on the terminal's alternate screen, which gives the loop's screen
// back untouched when it closes. In accessible mode, pages are appended one
// after the other instead: nothing is ever redrawn.
import { define_messages } from "../i18n/index.js";
import { c } from "./color.js";

const m = define_messages({
  footer: {
    fr: (p: { title: string; from: number; to: number; total: number }) =>
      `${p.title} — lignes ${p.from}–${p.to} sur ${p.total} · espace ou ↓ suite · b ou ↑ retour · q fermer`,
    en: (p: { title: string; from: number; to: number; total: number }) =>
      `${p.title} — lines ${p.from}–${p.to} of ${p.total} · space or ↓ more · b or ↑ back · q close`,
  },
  page: {
    fr: (p: { page: number; pages: number }) => `— page ${p.page} sur ${p.pages} : espace pour la suite, b pour la page d'avant, q pour fermer —`,
    en: (p: { page: number; pages: number }) => `— page ${p.page} of ${p.pages}: space for more, b for the page before, q to close —`,
  },
  end: {
    fr: (p: { pages: number }) => `— fin (page ${p.pages} sur ${p.pages}) : q pour fermer, b pour la page d'avant —`,
    en: (p: { pages: number }) => `— end (page ${p.pages} of ${p.pages}): q to close, b for the page before —`,
  },
});

export interface PagerScreen {
  write(text: string): void;
  rows(): number;
  accessible: boolean;
}

/** Enters and leaves the terminal's alternate screen (the main screen is kept as it was). */
export const ALT_SCREEN_ON = "\u001b[?1049h\u001b[H";
export const ALT_SCREEN_OFF = "\u001b[?1049l";

export class Pager {
  private top = 0;
  private page = 0;

  constructor(
    private readonly lines: string[],
    private readonly title: string,
    private readonly screen: PagerScreen,
  ) {}

  /** Lines per screen: the terminal's rows less the footer. */
  private size(): number {
    return Math.max(5, this.screen.rows() - 1);
  }

  private pages(): number {
    return Math.max(1, Math.ceil(this.lines.length / this.size()));
  }

  open(): void {
    if (this.screen.accessible) {
      this.show_page(0);
      return;
    }
    this.screen.write(ALT_SCREEN_ON);
    this.draw();
  }

  close(): void {
    if (!this.screen.accessible) this.screen.write(ALT_SCREEN_OFF);
  }

  /** Handles a key; returns "close" when the pager should close. */
  key(name: string): "close" | undefined {
    if (["q", "Q", "escape", "l"].includes(name)) return "close";
    if (this.screen.accessible) {
      if (["space", "f", "pagedown", "down", "j", "return"].includes(name)) this.show_page(this.page + 1);
      else if (["b", "pageup", "up", "k"].includes(name)) this.show_page(this.page - 1);
      else if (["g", "home"].includes(name)) this.show_page(0);
      return undefined;
    }
    const size = this.size();
    const last = Math.max(0, this.lines.length - size);
    if (["space", "f", "pagedown"].includes(name)) this.top = Math.min(last, this.top + size);
    else if (["b", "pageup"].includes(name)) this.top = Math.max(0, this.top - size);
    else if (["down", "j", "return"].includes(name)) this.top = Math.min(last, this.top + 1);
    else if (["up", "k"].includes(name)) this.top = Math.max(0, this.top - 1);
    else if (["g", "home"].includes(name)) this.top = 0;
    else if (["G", "end"].includes(name)) this.top = last;
    else return undefined;
    this.draw();
    return undefined;
  }

  private draw(): void {
    const size = this.size();
    const shown = this.lines.slice(this.top, this.top + size);
    const footer = m("footer", { title: this.title, from: this.top + 1, to: this.top + shown.length, total: this.lines.length });
    const pad = Array.from({ length: size - shown.length }, () => "");
    this.screen.write(`\u001b[H\u001b[2J${[...shown, ...pad].join("\n")}\n${c.inverse(footer)}`);
  }

  /** Accessible mode: appends one page and says where it is. */
  private show_page(page: number): void {
    const pages = this.pages();
    if (page < 0 || page >= pages) {
      this.screen.write(`${page >= pages ? m("end", { pages }) : m("page", { page: 1, pages })}\n`);
      return;
    }
    this.page = page;
    const size = this.size();
    const shown = this.lines.slice(page * size, (page + 1) * size);
    this.screen.write(`${shown.join("\n")}\n${page + 1 === pages ? m("end", { pages }) : m("page", { page: page + 1, pages })}\n`);
  }
}
