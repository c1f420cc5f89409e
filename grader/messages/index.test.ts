import { describe, expect, test } from "vitest";
import { catalogue_problems, define_messages, detect_lang, lang, set_lang } from "./index.js";

describe("language", () => {
  test("--lang, then DOCKERLINGS_LANG, then the locale; C and no locale mean French", () => {
    expect(detect_lang("en", { DOCKERLINGS_LANG: "fr", LANG: "fr_FR.UTF-8" })).toBe("en");
    expect(detect_lang(undefined, { DOCKERLINGS_LANG: "en", LANG: "fr_FR.UTF-8" })).toBe("en");
    expect(detect_lang(undefined, { LANG: "fr_CA.UTF-8" })).toBe("fr");
    expect(detect_lang(undefined, { LANG: "de_DE.UTF-8" })).toBe("en");
    expect(detect_lang(undefined, { LC_ALL: "en_US.UTF-8", LANG: "fr_FR.UTF-8" })).toBe("en");
    expect(detect_lang(undefined, {})).toBe("fr");
    expect(detect_lang(undefined, { LANG: "C.UTF-8" })).toBe("fr");
  });

  test("the one setting: French until the entry sets it, never read from the environment behind its back", () => {
    const before = process.env.DOCKERLINGS_LANG;
    process.env.DOCKERLINGS_LANG = "en";
    try {
      set_lang("fr");
      expect(lang()).toBe("fr");
      set_lang("en");
      expect(lang()).toBe("en");
    } finally {
      if (before === undefined) delete process.env.DOCKERLINGS_LANG;
      else process.env.DOCKERLINGS_LANG = before;
    }
  });
});

describe("messages", () => {
  const m = define_messages({
    hello: { fr: "Bonjour", en: "Hello" },
    saved: { fr: (p: { file: string }) => `Enregistré : ${p.file}`, en: (p: { file: string }) => `Saved: ${p.file}` },
  });

  test("with and without parameters, in the setting's language", () => {
    set_lang("en");
    expect(m("hello")).toBe("Hello");
    expect(m("saved", { file: "a" })).toBe("Saved: a");
    set_lang("fr");
    expect(m("saved", { file: "a" })).toBe("Enregistré : a");
  });

  test("in a given language, whatever the setting; plain texts as a table", () => {
    set_lang("fr");
    expect(m.in("en")("saved", { file: "a" })).toBe("Saved: a");
    expect(m.table("en")).toEqual({ hello: "Hello" });
  });

  test("a missing or empty translation is a problem, never a fallback", () => {
    const broken = define_messages({
      a: { fr: "oui", en: "" },
      b: { fr: "oui" } as unknown as { fr: string; en: string },
      c: { fr: (p: { n: number }) => `${p.n}`, en: "n" },
    });
    expect(catalogue_problems(broken.entries)).toEqual([
      "a: empty en text",
      "b: no en text",
      "c: a function in one language, a plain text in another",
    ]);
    expect(() => broken.in("en")("b")).toThrow('message "b" has no en text');
  });
});
