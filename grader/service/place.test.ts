import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { runtime_dir, service_place, version_stamp } from "./place.js";
import { service_wanted } from "./client.js";

const made: string[] = [];
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-place-"));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the user's folder of services", () => {
  test("made with mode 0700; one left open to others is closed", () => {
    const dir = path.join(temp(), "services");
    const made_now = runtime_dir({ DOCKERLINGS_RUNTIME_DIR: dir });
    expect(made_now).toEqual({ dir });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    fs.chmodSync(dir, 0o755);
    expect(runtime_dir({ DOCKERLINGS_RUNTIME_DIR: dir })).toEqual({ dir });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("under XDG_RUNTIME_DIR when set, else in the temporary folder by user id", () => {
    const xdg = temp();
    expect(runtime_dir({ XDG_RUNTIME_DIR: xdg })).toEqual({ dir: path.join(xdg, "dockerlings") });
    const fallback = runtime_dir({});
    expect("dir" in fallback && fallback.dir).toBe(path.join(os.tmpdir(), `dockerlings-${process.getuid!()}`));
  });

  test("refused when it is a link or a file: no service rather than a socket somewhere else", () => {
    const root = temp();
    fs.mkdirSync(path.join(root, "elsewhere"));
    fs.symlinkSync(path.join(root, "elsewhere"), path.join(root, "link"));
    expect(runtime_dir({ DOCKERLINGS_RUNTIME_DIR: path.join(root, "link") })).toMatchObject({ refused: expect.stringMatching(/is not a folder/) });
    fs.writeFileSync(path.join(root, "file"), "");
    expect(runtime_dir({ DOCKERLINGS_RUNTIME_DIR: path.join(root, "file") })).toHaveProperty("refused");
  });

  test.runIf(process.getuid?.() === 0)("refused when another user owns it", () => {
    const dir = path.join(temp(), "theirs");
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.chownSync(dir, 65534, 65534);
    expect(runtime_dir({ DOCKERLINGS_RUNTIME_DIR: dir })).toMatchObject({ refused: expect.stringMatching(/belongs to another user \(uid 65534\)/) });
  });
});

describe("which service a command reaches", () => {
  test("one per course and engine settings; the language, the session and the service's own settings do not count", () => {
    const dir = temp();
    const base = { DOCKER_HOST: "unix:///var/run/docker.sock", PATH: "/usr/bin" };
    const a = service_place(dir, "/course", base);
    expect(service_place(dir, "/course", { ...base, DOCKERLINGS_LANG: "en", DOCKERLINGS_SESSION: "x", DOCKERLINGS_DAEMON: "on", PATH: "/bin" })).toEqual(a);
    expect(service_place(dir, "/other-course", base).socket).not.toBe(a.socket);
    expect(service_place(dir, "/course", { ...base, DOCKER_HOST: "tcp://127.0.0.1:2375" }).socket).not.toBe(a.socket);
    expect(service_place(dir, "/course", { ...base, DOCKERLINGS_BUILD_TIMEOUT_S: "600" }).socket).not.toBe(a.socket);
    expect(path.dirname(a.socket)).toBe(dir);
  });

  test("the version stamp changes when a spec of the course changes", () => {
    const course = temp();
    fs.mkdirSync(path.join(course, "exercises", "01-x"), { recursive: true });
    const spec = path.join(course, "exercises", "01-x", "spec.test.ts");
    fs.writeFileSync(spec, "// v1\n");
    const before = version_stamp(course);
    expect(version_stamp(course)).toBe(before);
    fs.writeFileSync(spec, "// version 2\n");
    expect(version_stamp(course)).not.toBe(before);
  });

  test("the service is used unless --no-daemon, DOCKERLINGS_DAEMON=off, CI (unless DOCKERLINGS_DAEMON=on) or a session of the caller's", () => {
    expect(service_wanted(false, {})).toBe(true);
    expect(service_wanted(true, {})).toBe(false);
    for (const off of ["off", "0", "false", "no", "OFF"]) expect(service_wanted(false, { DOCKERLINGS_DAEMON: off })).toBe(false);
    expect(service_wanted(false, { CI: "true" })).toBe(false);
    expect(service_wanted(false, { CI: "false" })).toBe(true);
    expect(service_wanted(false, { CI: "true", DOCKERLINGS_DAEMON: "on" })).toBe(true);
    expect(service_wanted(false, { DOCKERLINGS_SESSION: "abc", DOCKERLINGS_DAEMON: "on" })).toBe(false);
    expect(service_wanted(true, { DOCKERLINGS_DAEMON: "on" })).toBe(false);
  });
});
