// How messages write what they compare: a text quoted the French way, a
// pattern by its words (never the RegExp), a count with its noun; and how a
// text is matched, a /g pattern included.
import { describe, expect, test } from "vitest";
import { is_described, matches, plural, quote, quote_all, show, test_pattern } from "./words.js";

const ok_line = { matches: /^OK$/m, shown: "« OK » seul sur une ligne" };

describe("words", () => {
  test("a text is quoted, a pattern is named by its words, never its source", () => {
    expect(quote("Bonjour")).toBe("« Bonjour »");
    expect(quote(ok_line)).toBe("« OK » seul sur une ligne");
    expect(quote(ok_line)).not.toContain("^OK$");
    expect(quote_all(["a", ok_line])).toBe("« a » et « OK » seul sur une ligne");
  });

  test("is_described accepts a pattern with its words only", () => {
    expect(is_described(ok_line)).toBe(true);
    expect(is_described(/^OK$/)).toBe(false);
    expect(is_described({ matches: "OK", shown: "OK" })).toBe(false);
    expect(is_described({ matches: /x/ })).toBe(false);
    expect(is_described(null)).toBe(false);
  });

  test("counts carry their noun, values are JSON", () => {
    expect(plural(1, "fichier", "fichiers")).toBe("1 fichier");
    expect(plural(0, "fichier", "fichiers")).toBe("0 fichiers");
    expect(plural(3, "fichier", "fichiers")).toBe("3 fichiers");
    expect(show("8080/tcp")).toBe('"8080/tcp"');
    expect(show({ uid: 1000 })).toBe('{"uid":1000}');
  });

  test("a /g pattern matches from the start every time (its lastIndex is reset)", () => {
    const global = /OK/g;
    expect(test_pattern(global, "OK")).toBe(true);
    expect(test_pattern(global, "OK")).toBe(true);
    expect(global.test("OK")).toBe(false); // what a bare .test() would have said the second time
  });

  test("matches: a text is contained, a RegExp or a described pattern is tested", () => {
    expect(matches("Ran 3 tests\nOK\n", "Ran 3")).toBe(true);
    expect(matches("Ran 3 tests\nOK\n", "Ran 4")).toBe(false);
    expect(matches("Ran 3 tests\nOK\n", /Ran [1-9]\d* tests?/)).toBe(true);
    expect(matches("Ran 3 tests\nOK\n", ok_line)).toBe(true);
    expect(matches("Ran 3 tests\nOK computed\n", ok_line)).toBe(false);
  });
});
