import { afterEach, describe, expect, test } from "vitest";
import { accessible, file_link } from "./terminal.js";
import { strip_ansi, visible_width } from "./text.js";

const saved = { ...process.env };
afterEach(() => {
  for (const key of ["FORCE_HYPERLINK", "ACCESSIBLE", "TERM_PROGRAM"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe("file paths as hyperlinks (OSC 8)", () => {
  test("where the terminal shows them: the path shown, the file:// address hidden", () => {
    process.env.FORCE_HYPERLINK = "1";
    const link = file_link("/tmp/cours/01-premier dockerfile/Dockerfile", "Dockerfile");
    expect(link).toBe("\u001b]8;;file:///tmp/cours/01-premier%20dockerfile/Dockerfile\u001b\\Dockerfile\u001b]8;;\u001b\\");
    // It takes the width of what is shown, and reads as the plain path once stripped.
    expect(visible_width(link)).toBe("Dockerfile".length);
    expect(strip_ansi(link)).toBe("Dockerfile");
  });

  test("plain paths elsewhere: a terminal without them, accessible mode, a pipe", () => {
    process.env.FORCE_HYPERLINK = "0";
    expect(file_link("/tmp/x/Dockerfile", "Dockerfile")).toBe("Dockerfile");
    process.env.FORCE_HYPERLINK = "1";
    process.env.ACCESSIBLE = "1";
    expect(file_link("/tmp/x/Dockerfile", "Dockerfile")).toBe("Dockerfile");
    delete process.env.FORCE_HYPERLINK;
    delete process.env.ACCESSIBLE;
    expect(file_link("/tmp/x/Dockerfile", "Dockerfile", { isTTY: false } as NodeJS.WriteStream)).toBe("Dockerfile");
  });

  test("ACCESSIBLE: set and not 0 or false", () => {
    for (const [value, expected] of [["1", true], ["yes", true], ["0", false], ["false", false], ["", false]] as const) {
      process.env.ACCESSIBLE = value;
      expect(accessible(), value).toBe(expected);
    }
  });
});
