import { describe, expect, test } from "vitest";
import { locate_instruction, read_dockerfile } from "./index.js";

describe("locate_instruction: the instruction a BuildKit step names", () => {
  const model = read_dockerfile(
    "FROM golang:1.19 AS Build\nRUN go build \\\n  -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=build /etc/passwd /etc/passwd\n",
  );

  test("by stage name (any case) or stage-N, continuations joined, flags included or not", () => {
    expect(locate_instruction(model, { stage: "build", instruction: "RUN go build   -o /out/app ." })?.line).toBe(2);
    expect(locate_instruction(model, { stage: "stage-1", instruction: "COPY --from=build /etc/passwd /etc/passwd" })?.line).toBe(6);
    expect(locate_instruction(model, { stage: "stage-1", instruction: "COPY /out/app /app" })?.line).toBe(5);
  });

  test("a prefix when BuildKit rewrote the end, else nothing among several", () => {
    expect(locate_instruction(model, { stage: "build", instruction: "RUN go build   -o /out/app . # expanded" })?.line).toBe(2);
    expect(locate_instruction(model, { stage: "stage-1", instruction: "COPY something else" })).toBeUndefined();
  });

  test("a tab after the keyword: BuildKit names the step with its first word in capitals, found all the same", () => {
    const tabbed = read_dockerfile("from python:3.11-slim\nrun\tpip install -r requirements.txt\nrun\tpython3 -m compileall .\n");
    expect(locate_instruction(tabbed, { instruction: "RUN\tPIP install -r requirements.txt" })?.line).toBe(2);
    expect(locate_instruction(tabbed, { instruction: "RUN\tPYTHON3 -m compileall ." })?.line).toBe(3);
  });

  test("a Dockerfile saved with a byte-order mark and CRLF line ends reads as BuildKit reads it", () => {
    const saved = read_dockerfile("\uFEFFFROM debian:bookworm-slim\r\nRUN echo a \\\r\n  && echo b\r\nCMD [\"true\"]");
    expect(saved.instructions.map((i) => [i.keyword, i.line, i.text])).toEqual([
      ["FROM", 1, "debian:bookworm-slim"],
      ["RUN", 2, "echo a   && echo b"],
      ["CMD", 4, '["true"]'],
    ]);
  });
});
