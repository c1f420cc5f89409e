// One colour switch for the whole CLI: off when not a terminal, with NO_COLOR,
// or with --no-color. The status marks are words in accessible mode.
import kleur from "kleur";
import { define_messages } from "../i18n/index.js";
import { accessible } from "./terminal.js";

export function configure_color(enabled: boolean | undefined): void {
  const env_off = "NO_COLOR" in process.env && process.env.NO_COLOR !== "";
  kleur.enabled = enabled ?? (Boolean(process.stdout.isTTY) && !env_off);
  if (env_off) kleur.enabled = false;
}

export const c = kleur;

const words = define_messages({
  pass: { fr: "[réussi]", en: "[passed]" },
  fail: { fr: "[échoué]", en: "[failed]" },
  error: { fr: "[erreur]", en: "[error]" },
  todo: { fr: "[à faire]", en: "[to do]" },
  current: { fr: "[en cours]", en: "[current]" },
});

/** A status as a symbol (✓ ✗ ! ·), or as a word for a screen reader (accessible mode). */
export const mark = {
  pass: () => (accessible() ? c.green(words("pass")) : c.green("✓")),
  fail: () => (accessible() ? c.red(words("fail")) : c.red("✗")),
  error: () => (accessible() ? c.yellow(words("error")) : c.yellow("!")),
  todo: () => (accessible() ? c.gray(words("todo")) : c.gray("·")),
  /** The current exercise in a list; " " for the others (or nothing, in words). */
  current: (is_current: boolean) => (accessible() ? (is_current ? c.cyan(words("current")) : "") : is_current ? c.cyan("▶") : " "),
};
