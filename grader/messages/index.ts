// The one message catalogue of the CLI and the reports, and the one language
// setting. It imports nothing of the grader, so the CLI's entry loads it
// before anything else (it decides the language before commander prints
// --help) without loading the grader.
//
// Messages are declared next to the code that shows them, every one in every
// language (the type requires it; test/messages.test.ts walks every entry
// declared anywhere in the source and fails on a missing, empty or
// mismatched one):
//   const m = define_messages({
//     saved: { fr: (p: { file: string }) => `Enregistré : ${p.file}`, en: (p) => `Saved: ${p.file}` },
//   });
//   m("saved", { file })             // in the language the program decided
//   m.in("en")("saved", { file })    // in a given one (a report written for someone else)
//
// What the course says (lessons, hints, check names and messages) is the
// course's, in its own language, and not in this catalogue.

export type Lang = "fr" | "en";
export const LANGS: readonly Lang[] = ["fr", "en"];

/** A message: a plain text, or a function of its parameters. */
export type Text<P = never> = string | ((params: P) => string);
/** One message in every language. */
export type Entry = { [L in Lang]: Text<any> };
type Params<E extends Entry> = E["fr"] extends (params: infer P) => string ? [params: P] : [];

let current: Lang | undefined;

/**
 * The language asked for: the --lang flag, then DOCKERLINGS_LANG, then the
 * system locale (LC_ALL, LC_MESSAGES, LANG); French for a French locale and
 * for no locale or C (the course is French), English otherwise.
 */
export function detect_lang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  const pick = (value: string | undefined): Lang | undefined => {
    if (!value) return undefined;
    const v = value.toLowerCase();
    if (v.startsWith("fr")) return "fr";
    if (v.startsWith("en")) return "en";
    return undefined;
  };
  const explicit = pick(flag) ?? pick(env.DOCKERLINGS_LANG);
  if (explicit) return explicit;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  if (!locale || locale === "C" || locale === "POSIX" || locale.startsWith("C.")) return "fr";
  return pick(locale) ?? "en";
}

/** Sets the one language setting: done once, by the program's entry (cli/cli.ts). */
export function set_lang(lang: Lang): void {
  current = lang;
}

/** The language of messages: what the entry set, French (the course's) until it does. */
export function lang(): Lang {
  return current ?? "fr";
}

export interface Messages<T extends Record<string, Entry>> {
  /** The message in the language of the one setting. */
  <K extends keyof T & string>(key: K, ...params: Params<T[K]>): string;
  /** The messages in a given language. */
  in(lang: Lang): <K extends keyof T & string>(key: K, ...params: Params<T[K]>) => string;
  /** The plain-text entries (no parameters) as one table in a language. */
  table(lang: Lang): { [K in keyof T]: string };
  readonly entries: T;
}

function render(entry: Entry | undefined, key: string, lang: Lang, params: unknown): string {
  const text = entry?.[lang];
  // The type makes this unreachable; a JavaScript caller or a cast gets told
  // rather than shown another language's words.
  if (text === undefined) throw new Error(`message "${key}" has no ${lang} text`);
  return typeof text === "function" ? (text as (p: unknown) => string)(params) : text;
}

export function define_messages<T extends Record<string, Entry>>(messages: T): Messages<T> {
  const in_lang =
    (l: Lang) =>
    <K extends keyof T & string>(key: K, ...params: Params<T[K]>): string =>
      render(messages[key], key, l, params[0]);
  const m = ((key: string, ...params: unknown[]) => render(messages[key], key, lang(), params[0])) as unknown as Messages<T>;
  m.in = in_lang;
  m.table = (l: Lang) =>
    Object.fromEntries(
      Object.entries(messages).filter(([, entry]) => typeof entry[l] === "string").map(([key, entry]) => [key, entry[l] as string]),
    ) as { [K in keyof T]: string };
  (m as { entries: T }).entries = messages;
  return m;
}

/**
 * What is wrong with a group of messages: a language missing or empty, or a
 * message that takes parameters in one language and not in another.
 * (test/messages.test.ts reads every define_messages of the source the same
 * way, without loading it.)
 */
export function catalogue_problems(entries: Readonly<Record<string, Entry>>): string[] {
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const kinds = new Set<string>();
    for (const l of LANGS) {
      const text = entry[l];
      if (text === undefined) problems.push(`${key}: no ${l} text`);
      else if (typeof text === "string" && text.trim() === "") problems.push(`${key}: empty ${l} text`);
      else kinds.add(typeof text);
    }
    if (kinds.size > 1) problems.push(`${key}: a function in one language, a plain text in another`);
  }
  return problems;
}
