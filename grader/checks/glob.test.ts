// The one reading of a path pattern: `*` within a component, `**` across
// them (none included), `?` one character, `\` escapes, everything else
// literal. The cases of moby/patternmatcher (what .dockerignore runs) that
// concern those: its rules, ported here, not our examples.
import { describe, expect, test } from "vitest";
import { glob_source } from "./glob.js";

const whole = (pattern: string) => new RegExp(`^${glob_source(pattern)}$`);

describe("glob_source", () => {
  test("* stays within a path component", () => {
    expect(whole("*.log").test("app.log")).toBe(true);
    expect(whole("*.log").test("logs/app.log")).toBe(false);
    expect(whole("logs/*").test("logs/app.log")).toBe(true);
    expect(whole("logs/*").test("logs/2024/app.log")).toBe(false);
  });

  test("** crosses components, at any depth, none included", () => {
    expect(whole("**/*.log").test("a/b/c.log")).toBe(true);
    // moby: "**/foo matches foo" (suffixMatch), and `**/` is read as `**`.
    expect(whole("**/*.log").test("c.log")).toBe(true);
    expect(whole("**/*.log").test("c.log/x")).toBe(false);
    expect(whole("a/**/b").test("a/b")).toBe(true);
    expect(whole("a/**/b").test("a/x/y/b")).toBe(true);
    expect(whole("a/**/b").test("ab")).toBe(false);
    // A trailing `**` takes everything under the prefix.
    expect(whole("node_modules/**").test("node_modules/x/y/z.js")).toBe(true);
    expect(whole("node_modules/**").test("node_module")).toBe(false);
    expect(whole("**").test("any/thing")).toBe(true);
  });

  test("? is one character, never a slash", () => {
    expect(whole("?.txt").test("a.txt")).toBe(true);
    expect(whole("?.txt").test("ab.txt")).toBe(false);
    expect(whole("a?b").test("a/b")).toBe(false);
  });

  test("a backslash makes the next character literal", () => {
    expect(whole("\\*.txt").test("*.txt")).toBe(true);
    expect(whole("\\*.txt").test("a.txt")).toBe(false);
    expect(whole("a\\?").test("a?")).toBe(true);
    expect(whole("a\\?").test("ab")).toBe(false);
  });

  test("everything else is literal: dots, brackets, pluses, dollars", () => {
    expect(whole(".env").test(".env")).toBe(true);
    expect(whole(".env").test("xenv")).toBe(false);
    expect(whole("a+b(1)[2]{3}$^|.txt").test("a+b(1)[2]{3}$^|.txt")).toBe(true);
    expect(whole("a+b").test("aab")).toBe(false);
  });
});
