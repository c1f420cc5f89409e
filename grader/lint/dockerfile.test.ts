import { describe, expect, test } from "vitest";
import { parse_dockerfile, suggest_instruction } from "./dockerfile.js";

describe("parse_dockerfile", () => {
  test("instructions with 1-based lines, stages and continuations", () => {
    const parsed = parse_dockerfile("ARG V=1\nFROM golang:1.19 AS build\nRUN go build \\\n  -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\n");
    expect(parsed.stages).toEqual([
      { index: 0, image: "golang:1.19", name: "build", line: 2 },
      { index: 1, image: "scratch", name: undefined, line: 6 },
    ]);
    expect(parsed.instructions.map((i) => [i.keyword, i.line, i.stage])).toEqual([
      ["ARG", 1, -1],
      ["FROM", 2, 0],
      ["RUN", 3, 0],
      ["FROM", 6, 1],
      ["COPY", 7, 1],
    ]);
    expect(parsed.instructions[2]!.end_line).toBe(4);
  });

  test("suggests the instruction a typo was meant to be", () => {
    expect(suggest_instruction("RUNN")).toBe("RUN");
    expect(suggest_instruction("COPPY")).toBe("COPY");
    expect(suggest_instruction("WORKDIRR")).toBe("WORKDIR");
    expect(suggest_instruction("ENTRYPONT")).toBe("ENTRYPOINT");
    expect(suggest_instruction("BANANA")).toBeUndefined();
  });
});
