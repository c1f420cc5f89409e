// The processes of a running container, as a tree under PID 1. Read through
// the engine's `top` (it runs `ps` beside the engine, so it works for images
// without a shell, scratch included); when the engine cannot run `ps`, read
// /proc inside the container, which needs a shell there.
import { PassThrough } from "node:stream";
import { docker } from "./client.js";

export interface ProcessEntry {
  /** The PID the engine reports (the host's PID with `top`, the container's own through /proc). */
  pid: number;
  ppid: number;
  /** Effective UID. */
  uid: number;
  /** The full command line, arguments separated by spaces. */
  command: string;
  /** Distance from PID 1 (0 for PID 1 itself). */
  depth: number;
}

export interface ProcessTree {
  /** PID 1 of the container; undefined only if it could not be identified. */
  init?: ProcessEntry;
  /** Every process, PID 1 first, then depth-first. */
  processes: ProcessEntry[];
  source: "top" | "proc";
}

// `args` last: it is the one column that contains spaces.
const PS_ARGS = "-o pid,ppid,uid,args";

export async function container_processes(id: string): Promise<ProcessTree> {
  const container = docker().getContainer(id);
  const info = await container.inspect();
  try {
    const top = (await container.top({ ps_args: PS_ARGS })) as { Titles: string[]; Processes: string[][] };
    const column = (name: string) => top.Titles.findIndex((t) => t.toUpperCase() === name);
    const [pid, ppid, uid] = [column("PID"), column("PPID"), column("UID")];
    const command = top.Titles.length - 1;
    const rows = top.Processes.map((p) => ({
      pid: Number(p[pid]),
      ppid: Number(p[ppid]),
      uid: Number(p[uid]),
      command: p.slice(command).join(" "),
    }));
    return { ...as_tree(rows, info.State.Pid), source: "top" };
  } catch {
    return { ...as_tree(await processes_from_proc(id), 1), source: "proc" };
  }
}

/** Orders processes depth-first from `init_pid` and sets their depth. */
export function as_tree(rows: Array<Omit<ProcessEntry, "depth">>, init_pid: number): Omit<ProcessTree, "source"> {
  const by_parent = new Map<number, Array<Omit<ProcessEntry, "depth">>>();
  for (const row of rows) by_parent.set(row.ppid, [...(by_parent.get(row.ppid) ?? []), row]);
  const ordered: ProcessEntry[] = [];
  const seen = new Set<number>();
  const visit = (row: Omit<ProcessEntry, "depth">, depth: number) => {
    if (seen.has(row.pid)) return;
    seen.add(row.pid);
    ordered.push({ ...row, depth });
    for (const child of (by_parent.get(row.pid) ?? []).sort((a, b) => a.pid - b.pid)) visit(child, depth + 1);
  };
  const init = rows.find((r) => r.pid === init_pid);
  if (init) visit(init, 0);
  // Processes started by `docker exec` have a parent outside the container.
  for (const row of [...rows].sort((a, b) => a.pid - b.pid)) visit(row, 0);
  return { init: ordered.find((p) => p.pid === init_pid), processes: ordered };
}

/** The tree as a student reads it: PID 1 named, children indented under their parent. */
export function format_process_tree(tree: ProcessTree): string {
  if (tree.processes.length === 0) return "(aucun processus)";
  return tree.processes
    .map((p) => {
      const who = p === tree.init ? "PID 1" : tree.source === "proc" ? `PID ${p.pid}` : "";
      const indent = p.depth === 0 ? "" : `${"   ".repeat(p.depth - 1)}└─ `;
      return `${indent}${who ? `${who} ` : ""}(UID ${p.uid}) ${p.command}`;
    })
    .join("\n");
}

async function processes_from_proc(id: string): Promise<Array<Omit<ProcessEntry, "depth">>> {
  // One line per process: pid, ppid, effective uid, then the command line.
  const script =
    "for d in /proc/[0-9]*; do " +
    '[ -r "$d/status" ] || continue; ' +
    "p=$(sed -n 's/^Pid:[[:space:]]*//p' $d/status); " +
    "pp=$(sed -n 's/^PPid:[[:space:]]*//p' $d/status); " +
    "u=$(sed -n 's/^Uid:[[:space:]]*[0-9]*[[:space:]]*\\([0-9]*\\).*/\\1/p' $d/status); " +
    'c=$(tr "\\000" " " < $d/cmdline 2>/dev/null); ' +
    'echo "$p $pp $u $c"; done';
  const output = await exec_output(id, ["sh", "-c", script]);
  const self = new Set<number>();
  const rows = output
    .split("\n")
    .map((line) => line.trim().match(/^(\d+) (\d+) (\d+) ?(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), uid: Number(m[3]), command: m[4]!.trim() }));
  // Leave out the probe itself (the sh and its children, parented outside the container: ppid 0).
  for (const row of rows) if (row.ppid === 0 && row.pid !== 1) self.add(row.pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of rows) if (!self.has(row.pid) && self.has(row.ppid)) (self.add(row.pid), (grew = true));
  }
  return rows.filter((r) => !self.has(r.pid) && r.command !== "");
}

async function exec_output(id: string, command: string[]): Promise<string> {
  const exec = await docker().getContainer(id).exec({ Cmd: command, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  let out = "";
  const stdout = new PassThrough();
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  docker().modem.demuxStream(stream, stdout, new PassThrough());
  await new Promise<void>((resolve) => {
    stream.on("end", () => resolve());
    stream.on("close", () => resolve());
    stream.on("error", () => resolve());
  });
  const result = await exec.inspect();
  if (result.ExitCode !== 0) throw new Error(`la lecture de /proc a échoué (code ${result.ExitCode})`);
  return out;
}
