// The CLI's own words exist in French and English. The language comes from
// --lang, then DOCKERLINGS_LANG, then the system locale (LC_ALL, LC_MESSAGES,
// LANG); French for a French locale, English otherwise. Lessons, hints and
// check messages are the course's, in French, whatever the language.
//
// Each command declares its messages next to it:
//   const m = define_messages({ saved: { fr: (p: { file: string }) => `Enregistré : ${p.file}`, en: (p) => `Saved: ${p.file}` } });
//   m("saved", { file })
export type Lang = "fr" | "en";

let current: Lang | undefined;

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

export function set_lang(lang: Lang): void {
  current = lang;
}

export function lang(): Lang {
  current ??= detect_lang();
  return current;
}

type Text<P> = string | ((params: P) => string);
type Entry = { fr: Text<never>; en: Text<never> };

export function define_messages<T extends Record<string, { fr: Text<any>; en: Text<any> }>>(messages: T) {
  return <K extends keyof T>(
    key: K,
    ...params: T[K]["fr"] extends (p: infer P) => string ? [P] : []
  ): string => {
    const entry = messages[key] as unknown as Entry;
    const text = entry[lang()] as Text<unknown>;
    return typeof text === "function" ? text(params[0]) : text;
  };
}
