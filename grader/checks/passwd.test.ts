// Accounts and permissions without Docker: /etc/passwd and /etc/group as
// images carry them, USER resolved as Docker does, and the Unix permission rule.
import { describe, expect, test } from "vitest";
import { format_mode, has_access, octal, parse_group, parse_passwd, permission_class, resolve_user, same_for_everyone } from "./passwd.js";

const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
# a comment
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
broken line without fields
app:x:10001:10001::/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;
const GROUP = `root:x:0:
www-data:x:33:
app:x:10001:
staff:x:50:app,www-data
readers:x:2000: app , other
`;
const passwd = parse_passwd(PASSWD);
const group = parse_group(GROUP);

describe("parse_passwd / parse_group", () => {
  test("reads the entries and skips comments and malformed lines", () => {
    expect(passwd.map((u) => u.name)).toEqual(["root", "daemon", "www-data", "app", "nobody"]);
    expect(passwd[3]).toEqual({ name: "app", uid: 10001, gid: 10001, home: "/home/app", shell: "/bin/sh" });
    expect(group.find((g) => g.name === "staff")?.members).toEqual(["app", "www-data"]);
    expect(group.find((g) => g.name === "readers")?.members).toEqual(["app", "other"]);
  });

  test("an empty file has no entries", () => {
    expect(parse_passwd("")).toEqual([]);
    expect(parse_group("\n\n")).toEqual([]);
  });
});

describe("resolve_user", () => {
  test("an empty USER is root", () => {
    expect(resolve_user("", passwd, group)).toEqual({ ok: true, user: { uid: 0, gid: 0, name: "root", group_name: "root", groups: [] } });
  });

  test("a name is looked up, with its supplementary groups", () => {
    const r = resolve_user("app", passwd, group);
    expect(r).toEqual({ ok: true, user: { uid: 10001, gid: 10001, name: "app", group_name: "app", groups: [50, 2000] } });
  });

  test("a numeric UID works with or without an entry (gid 0 without one)", () => {
    expect(resolve_user("10001", passwd, group)).toMatchObject({ ok: true, user: { uid: 10001, gid: 10001, name: "app" } });
    expect(resolve_user("4242", passwd, group)).toEqual({ ok: true, user: { uid: 4242, gid: 0, name: undefined, group_name: "root", groups: [] } });
    expect(resolve_user("4242", null, null)).toMatchObject({ ok: true, user: { uid: 4242, gid: 0 } });
  });

  test("an explicit group replaces the primary group and drops supplementary groups", () => {
    expect(resolve_user("app:staff", passwd, group)).toMatchObject({ ok: true, user: { uid: 10001, gid: 50, group_name: "staff", groups: [] } });
    expect(resolve_user("10001:777", passwd, group)).toMatchObject({ ok: true, user: { uid: 10001, gid: 777, groups: [] } });
  });

  test("an unknown name or group is an error naming the file", () => {
    expect(resolve_user("ghost", passwd, group)).toEqual({ ok: false, reason: "l'utilisateur « ghost » n'existe pas dans /etc/passwd de l'image" });
    expect(resolve_user("app:ghosts", passwd, group)).toEqual({ ok: false, reason: "le groupe « ghosts » n'existe pas dans /etc/group de l'image" });
    expect(resolve_user("app", null, null)).toEqual({ ok: false, reason: "l'image n'a pas de fichier /etc/passwd, donc pas d'utilisateur « app »" });
  });
});

describe("Unix permissions", () => {
  const app = { uid: 10001, gid: 10001, groups: [50] };
  const root = { uid: 0, gid: 0, groups: [] };
  const file = (mode: number, uid = 0, gid = 0) => ({ mode, uid, gid, directory: false });
  const dir = (mode: number, uid = 0, gid = 0) => ({ mode, uid, gid, directory: true });

  test("the first matching class decides: owner, then group (primary or supplementary), then other", () => {
    expect(permission_class(file(0o644, 10001), app)).toBe("owner");
    expect(permission_class(file(0o644, 0, 50), app)).toBe("group");
    expect(permission_class(file(0o644, 0, 10001), app)).toBe("group");
    expect(permission_class(file(0o644), app)).toBe("other");
    // The owner gets the owner bits even when "other" would allow more.
    expect(has_access(file(0o047, 10001), app, "read")).toBe(false);
    expect(has_access(file(0o047), app, "read")).toBe(true);
  });

  test("write needs the w bit of the user's class", () => {
    expect(has_access(file(0o644, 10001), app, "write")).toBe(true);
    expect(has_access(file(0o664, 0, 50), app, "write")).toBe(true);
    expect(has_access(file(0o644), app, "write")).toBe(false);
    expect(has_access(file(0o666), app, "write")).toBe(true);
  });

  test("root reads and writes anything, and executes a file only if some x bit is set", () => {
    expect(has_access(file(0o000), root, "write")).toBe(true);
    expect(has_access(file(0o000), root, "read")).toBe(true);
    expect(has_access(file(0o644), root, "execute")).toBe(false);
    expect(has_access(file(0o744, 10001), root, "execute")).toBe(true);
    expect(has_access(dir(0o000), root, "execute")).toBe(true);
  });

  test("same_for_everyone tells when owner and group do not matter", () => {
    expect(same_for_everyone(0o755, "execute")).toBe(true);
    expect(same_for_everyone(0o700, "execute")).toBe(false);
    expect(same_for_everyone(0o644, "write")).toBe(false);
    expect(same_for_everyone(0o444, "write")).toBe(true);
  });

  test("modes are shown as ls and chmod write them", () => {
    expect(format_mode(0o755)).toBe("rwxr-xr-x");
    expect(format_mode(0o4755)).toBe("rwsr-xr-x");
    expect(format_mode(0o1777)).toBe("rwxrwxrwt");
    expect(format_mode(0o2640)).toBe("rw-r-S---");
    expect(octal(0o755)).toBe("0755");
    expect(octal(0o4755)).toBe("4755");
  });
});
