import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { attempt_time, format_duration, history_path, PAUSE_MS, read_history, record_attempt, summarise_attempts, type Attempt } from "./history.js";

const workspace = () => fs.mkdtempSync(path.join(os.tmpdir(), "dl-history-"));

describe("the attempts history", () => {
  test("one line per attempt, its four fields in order, nothing else; the folder keeps only the file", () => {
    const dir = workspace();
    record_attempt(dir, { time: "2026-12-05T10:00:00Z", exercise: "01-premier-dockerfile", points: 4, hints: 0 });
    record_attempt(dir, { time: "2026-12-05T10:03:10Z", exercise: "01-premier-dockerfile", points: 10, hints: 1 });
    expect(fs.readFileSync(history_path(dir), "utf8")).toBe(
      '{"time":"2026-12-05T10:00:00Z","exercise":"01-premier-dockerfile","points":4,"hints":0}\n' +
        '{"time":"2026-12-05T10:03:10Z","exercise":"01-premier-dockerfile","points":10,"hints":1}\n',
    );
    // Written through a temporary file and a rename: nothing else is left beside it.
    expect(fs.readdirSync(path.dirname(history_path(dir))).sort()).toEqual([".gitignore", "history.jsonl"]);
    expect(read_history(dir)).toEqual({
      attempts: [
        { time: "2026-12-05T10:00:00Z", exercise: "01-premier-dockerfile", points: 4, hints: 0 },
        { time: "2026-12-05T10:03:10Z", exercise: "01-premier-dockerfile", points: 10, hints: 1 },
      ],
      unreadable: [],
    });
  });

  test("refuses a field it does not document, so nothing else ever lands in the file", () => {
    const dir = workspace();
    expect(() => record_attempt(dir, { time: attempt_time(), exercise: "01", points: 1, hints: 0, user: "alice" } as Attempt)).toThrow();
    expect(() => record_attempt(dir, { time: new Date().toISOString(), exercise: "01", points: 1, hints: 0 })).toThrow(); // milliseconds
    expect(fs.existsSync(history_path(dir))).toBe(false);
  });

  test("a line that cannot be read (a hand edit, a merge) is skipped and counted; a missing last newline is mended", () => {
    const dir = workspace();
    fs.mkdirSync(path.dirname(history_path(dir)));
    fs.writeFileSync(history_path(dir), '{"time":"2026-12-05T10:00:00Z","exercise":"01","points":4,"hints":0}\n<<<<<<< HEAD\n{"time":"2026-12-05T10:01:00Z","exercise":"01","points":6,"hints":0}');
    record_attempt(dir, { time: "2026-12-05T10:02:00Z", exercise: "01", points: 10, hints: 0 });
    const history = read_history(dir);
    expect(history.unreadable).toEqual([2]);
    expect(history.attempts.map((a) => a.points)).toEqual([4, 6, 10]);
  });

  test("stays small: a thousand attempts under 100 kB", () => {
    const dir = workspace();
    const lines = Array.from({ length: 1000 }, (_, i) => ({ time: "2026-12-05T10:00:00Z", exercise: "19-cache-de-paquets", points: i % 21, hints: 3 }));
    fs.mkdirSync(path.dirname(history_path(dir)));
    fs.writeFileSync(history_path(dir), lines.map((l) => JSON.stringify(l)).join("\n"));
    record_attempt(dir, { time: "2026-12-05T10:00:00Z", exercise: "19-cache-de-paquets", points: 20, hints: 3 });
    expect(fs.statSync(history_path(dir)).size).toBeLessThan(100_000);
  });
});

describe("attempts and time spent per exercise", () => {
  const at = (minutes: number) => `2026-12-05T${String(10 + Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00Z`;

  test("each grading counts the time since the one before (any exercise), a pause up to ten minutes", () => {
    const summary = summarise_attempts([
      { time: at(0), exercise: "01", points: 2, hints: 0 },
      { time: at(4), exercise: "01", points: 6, hints: 1 },
      { time: at(7), exercise: "01", points: 10, hints: 1 },
      { time: at(12), exercise: "02", points: 0, hints: 0 },
      // lunch: a pause of 70 minutes counts as ten
      { time: at(82), exercise: "02", points: 10, hints: 0 },
    ]);
    expect(summary.get("01")).toEqual({ attempts: 3, time_spent_ms: 7 * 60_000, first: at(0), last: at(7) });
    expect(summary.get("02")).toEqual({ attempts: 2, time_spent_ms: 5 * 60_000 + PAUSE_MS, first: at(12), last: at(82) });
  });

  test("order in the file does not matter (two terminals, a merge)", () => {
    const a = summarise_attempts([
      { time: at(5), exercise: "01", points: 10, hints: 0 },
      { time: at(0), exercise: "01", points: 0, hints: 0 },
    ]);
    expect(a.get("01")).toMatchObject({ attempts: 2, time_spent_ms: 5 * 60_000, first: at(0), last: at(5) });
  });

  test("durations as the table shows them", () => {
    expect(format_duration(0)).toBe("–");
    expect(format_duration(20_000)).toBe("< 1 min");
    expect(format_duration(7 * 60_000)).toBe("7 min");
    expect(format_duration(65 * 60_000)).toBe("1 h 05");
  });
});
