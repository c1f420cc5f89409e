// Unix accounts and permissions as the image itself defines them: /etc/passwd
// and /etc/group parsed, a USER value resolved to a UID/GID the way Docker
// (runc's user lookup) does it, and the owner/group/other permission rule.
// Pure functions: the files come from engine/files.ts.

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** A user as a process in the container would run: what `id` would print. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  /** The name from /etc/passwd, when the user has an entry. */
  name?: string;
  group_name?: string;
  /** Supplementary groups (from /etc/group membership of the user's name). */
  groups: number[];
}

export type UserResolution = { ok: true; user: ResolvedUser } | { ok: false; reason: string };

const MAX_ID = 2 ** 31 - 1;

function parse_id(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value <= MAX_ID ? value : undefined;
}

/** The entries of an /etc/passwd file; comments and malformed lines are skipped, as libc does. */
export function parse_passwd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const fields = line.split(":");
    const uid = parse_id(fields[2]);
    const gid = parse_id(fields[3]);
    if (!fields[0] || uid === undefined || gid === undefined) continue;
    entries.push({ name: fields[0], uid, gid, home: fields[5] ?? "", shell: (fields[6] ?? "").trim() });
  }
  return entries;
}

/** The entries of an /etc/group file. */
export function parse_group(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const fields = line.split(":");
    const gid = parse_id(fields[2]);
    if (!fields[0] || gid === undefined) continue;
    const members = (fields[3] ?? "")
      .trim()
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
    entries.push({ name: fields[0], gid, members });
  }
  return entries;
}

/**
 * Resolves a USER value ("app", "10001", "app:app", "1000:staff", "" for root)
 * through the image's own account files, with Docker's rules: a numeric user
 * is a UID even without a passwd entry (its group is then 0); a name must
 * exist; an explicit group replaces the primary group and drops the
 * supplementary ones. `passwd`/`group` are null when the image lacks the file.
 */
export function resolve_user(spec: string, passwd: PasswdEntry[] | null, group: GroupEntry[] | null): UserResolution {
  const colon = spec.indexOf(":");
  const user_part = colon < 0 ? spec : spec.slice(0, colon);
  const group_part = colon < 0 ? "" : spec.slice(colon + 1);
  const users = passwd ?? [];
  const groups = group ?? [];

  let user: ResolvedUser;
  let matched_name: string | undefined;
  if (user_part === "") {
    const root = users.find((u) => u.uid === 0);
    user = { uid: 0, gid: root?.gid ?? 0, name: root?.name ?? "root", groups: [] };
    matched_name = root?.name;
  } else if (/^\d+$/.test(user_part)) {
    const uid = parse_id(user_part);
    if (uid === undefined) return { ok: false, reason: `l'UID ${user_part} dépasse la valeur maximale (${MAX_ID})` };
    const entry = users.find((u) => u.uid === uid);
    user = { uid, gid: entry?.gid ?? 0, name: entry?.name, groups: [] };
    matched_name = entry?.name;
  } else {
    const entry = users.find((u) => u.name === user_part);
    if (!entry) {
      return {
        ok: false,
        reason: passwd
          ? `l'utilisateur « ${user_part} » n'existe pas dans /etc/passwd de l'image`
          : `l'image n'a pas de fichier /etc/passwd, donc pas d'utilisateur « ${user_part} »`,
      };
    }
    user = { uid: entry.uid, gid: entry.gid, name: entry.name, groups: [] };
    matched_name = entry.name;
  }

  if (group_part !== "") {
    if (/^\d+$/.test(group_part)) {
      const gid = parse_id(group_part);
      if (gid === undefined) return { ok: false, reason: `le GID ${group_part} dépasse la valeur maximale (${MAX_ID})` };
      user.gid = gid;
    } else {
      const entry = groups.find((g) => g.name === group_part);
      if (!entry) {
        return {
          ok: false,
          reason: group
            ? `le groupe « ${group_part} » n'existe pas dans /etc/group de l'image`
            : `l'image n'a pas de fichier /etc/group, donc pas de groupe « ${group_part} »`,
        };
      }
      user.gid = entry.gid;
    }
  } else if (matched_name !== undefined) {
    user.groups = [...new Set(groups.filter((g) => g.members.includes(matched_name)).map((g) => g.gid))].filter((gid) => gid !== user.gid);
  }
  user.group_name = groups.find((g) => g.gid === user.gid)?.name;
  return { ok: true, user };
}

/** "app (uid 10001)", "uid 10001", "root (uid 0)". */
export function describe_user(user: Pick<ResolvedUser, "uid" | "name">): string {
  return user.name ? `${user.name} (uid ${user.uid})` : `uid ${user.uid}`;
}

export type Access = "read" | "write" | "execute";

export interface Permissions {
  /** Permission bits (0o7777 mask; setuid/setgid/sticky are ignored here). */
  mode: number;
  uid: number;
  gid: number;
  directory: boolean;
}

/** Which permission class (owner, group or other) applies to a user, as the kernel chooses it: the first that matches. */
export function permission_class(target: Pick<Permissions, "uid" | "gid">, user: Pick<ResolvedUser, "uid" | "gid" | "groups">): "owner" | "group" | "other" {
  if (user.uid === target.uid) return "owner";
  if (user.gid === target.gid || user.groups.includes(target.gid)) return "group";
  return "other";
}

const BITS: Record<Access, number> = { read: 4, write: 2, execute: 1 };

/**
 * The Unix rule for one access: root may read and write anything and execute
 * a file when any execute bit is set (a directory always); others get the
 * bits of the first class that matches them, owner, then group, then other.
 * For a directory, execute means entering it, write means creating files
 * in it (which also needs execute: checked by the caller).
 */
export function has_access(target: Permissions, user: Pick<ResolvedUser, "uid" | "gid" | "groups">, access: Access): boolean {
  if (user.uid === 0) {
    if (access !== "execute" || target.directory) return true;
    return (target.mode & 0o111) !== 0;
  }
  const shift = { owner: 6, group: 3, other: 0 }[permission_class(target, user)];
  return ((target.mode >> shift) & BITS[access]) !== 0;
}

/** True when an access does not depend on who the user is among non-root users (the three classes agree). */
export function same_for_everyone(mode: number, access: Access): boolean {
  const bit = BITS[access];
  const owner = ((mode >> 6) & bit) !== 0;
  return owner === (((mode >> 3) & bit) !== 0) && owner === ((mode & bit) !== 0);
}

/** "rwxr-xr-x" for 0o755 (with s/t for setuid, setgid, sticky). */
export function format_mode(mode: number): string {
  const chars = ["r", "w", "x", "r", "w", "x", "r", "w", "x"].map((c, i) => ((mode >> (8 - i)) & 1 ? c : "-"));
  const special = (index: number, bit: number, set: string) => {
    if (mode & bit) chars[index] = chars[index] === "x" ? set : set.toUpperCase();
  };
  special(2, 0o4000, "s");
  special(5, 0o2000, "s");
  special(8, 0o1000, "t");
  return chars.join("");
}

/** "0755" */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/** The image's /etc/passwd and /etc/group (null for a file the image lacks, as in scratch). */
export async function read_accounts(reader: {
  read(file: string, options?: { follow?: boolean }): Promise<{ type: string; content?: string } | null>;
}): Promise<{ passwd: PasswdEntry[] | null; group: GroupEntry[] | null }> {
  const [passwd, group] = await Promise.all([reader.read("/etc/passwd", { follow: true }), reader.read("/etc/group", { follow: true })]);
  return {
    passwd: passwd?.type === "file" ? parse_passwd(passwd.content ?? "") : null,
    group: group?.type === "file" ? parse_group(group.content ?? "") : null,
  };
}
