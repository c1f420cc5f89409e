import { describe, expect, test } from "vitest";
import { define_messages, detect_lang, set_lang } from "./index.js";

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

  test("messages with and without parameters", () => {
    const m = define_messages({
      hello: { fr: "Bonjour", en: "Hello" },
      saved: { fr: (p: { file: string }) => `Enregistré : ${p.file}`, en: (p: { file: string }) => `Saved: ${p.file}` },
    });
    set_lang("en");
    expect(m("hello")).toBe("Hello");
    expect(m("saved", { file: "a" })).toBe("Saved: a");
    set_lang("fr");
    expect(m("saved", { file: "a" })).toBe("Enregistré : a");
  });
});
