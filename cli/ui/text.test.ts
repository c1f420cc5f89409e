import { describe, expect, test } from "vitest";
import { strip_ansi, truncate, visible_width, wrap } from "./text.js";

describe("text for a terminal", () => {
  test("widths ignore colour codes", () => {
    expect(visible_width("\u001b[32m✓\u001b[39m ok")).toBe(4);
    expect(strip_ansi("\u001b[1mgras\u001b[22m")).toBe("gras");
  });

  test("wraps on spaces, keeps indentation and list markers, leaves long words whole", () => {
    const text = "      Le Dockerfile n'a pas d'instruction CMD : l'image garde celle de son image de base.";
    const wrapped = wrap(text, 40);
    for (const line of wrapped.split("\n")) expect(visible_width(line)).toBeLessThanOrEqual(40);
    expect(wrapped.split("\n").every((line) => line.startsWith("      "))).toBe(true);
    expect(wrapped.replace(/\s+/g, " ").trim()).toBe(text.trim());
    expect(wrap("  • un point de liste assez long pour être coupé en deux", 30)).toBe("  • un point de liste assez\n    long pour être coupé en\n    deux");
    expect(wrap("voir /un/chemin/tres/long/qui/ne/se/coupe/pas/du/tout ici", 20)).toBe(
      "voir\n/un/chemin/tres/long/qui/ne/se/coupe/pas/du/tout\nici",
    );
    expect(wrap("court", 80)).toBe("court");
    expect(wrap("a b\n\nc d", 2)).toBe("a\nb\n\nc\nd");
  });

  test("a hanging indent for continuations", () => {
    expect(wrap("dockerlings : un message d'erreur plutôt long", 25, "  ")).toBe("dockerlings : un message\n  d'erreur plutôt long");
  });

  test("truncates with an ellipsis", () => {
    expect(truncate("RUN apt-get update && apt-get install -y jq", 20)).toBe("RUN apt-get update …");
    expect(truncate("court", 20)).toBe("court");
  });

  test("never starts a wrapped line with ? : ! ; or », nor ends one with «", () => {
    const text = "Voulez-vous vraiment supprimer ? Le correcteur dit : « tout va bien » ! Relancez ; puis recommencez ?";
    for (let width = 8; width <= 60; width++) {
      for (const line of wrap(text, width).split("\n")) {
        expect(line, `width ${width}`).not.toMatch(/^\s*[?!:;»]/);
        expect(line, `width ${width}`).not.toMatch(/«\s*$/);
      }
    }
    expect(wrap("aaaa bbbb ?", 10)).toBe("aaaa\nbbbb ?");
    // Code after a colon is a word of its own: `:80` or a path is not glued.
    expect(wrap("publiez le port :80 maintenant", 12)).toBe("publiez le\nport :80\nmaintenant");
  });
});

