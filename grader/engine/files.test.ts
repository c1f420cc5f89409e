// The pure parts of reading image files: the engine's Go file modes and path normalisation.
import { describe, expect, test } from "vitest";
import { from_go_mode, normalize_image_path } from "./files.js";

describe("from_go_mode", () => {
  test("converts the modes seen from dockerd 20.10's stat header", () => {
    // Values observed on this engine: /etc/passwd, /tmp, /bin (symlink), /usr/bin/passwd (setuid).
    expect(from_go_mode(420)).toEqual({ type: "file", mode: 0o644 });
    expect(from_go_mode(2148532735)).toEqual({ type: "directory", mode: 0o1777 });
    expect(from_go_mode(134218239)).toEqual({ type: "symlink", mode: 0o777 });
    expect(from_go_mode(8389101)).toEqual({ type: "file", mode: 0o4755 });
  });

  test("setgid, devices, pipes and sockets", () => {
    expect(from_go_mode(2 ** 22 + 0o755)).toEqual({ type: "file", mode: 0o2755 });
    expect(from_go_mode(2 ** 26 + 2 ** 21 + 0o666)).toEqual({ type: "other", mode: 0o666 });
    expect(from_go_mode(2 ** 25 + 0o600)).toEqual({ type: "other", mode: 0o600 });
    expect(from_go_mode(2 ** 24 + 0o755)).toEqual({ type: "other", mode: 0o755 });
  });
});

describe("normalize_image_path", () => {
  test("normalises absolute paths and refuses relative ones", () => {
    expect(normalize_image_path("/app/")).toBe("/app");
    expect(normalize_image_path("/app/./data/../x")).toBe("/app/x");
    expect(normalize_image_path("/")).toBe("/");
    expect(() => normalize_image_path("app")).toThrow(/not an absolute path/);
  });
});
