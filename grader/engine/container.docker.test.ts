// Running images on the real engine: to completion, and as servers through
// testcontainers, with limits, logs, and clear failures.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build_image } from "./build.js";
import { docker, LABEL_SESSION } from "./client.js";
import { remove_managed } from "./cleanup.js";
import { run_to_completion } from "./run.js";
import { start_container, ContainerStartError, port_accepts } from "./container.js";
import { temp_folders } from "../../test/helpers/folders.js";

const session = randomUUID();
const folder = temp_folders();
let server_image = "";
let cli_image = "";

beforeAll(async () => {
  const server = await build_image({
    dir: folder({
      Dockerfile: 'FROM python:3.11-slim\nWORKDIR /srv\nRUN echo bonjour > index.html\nEXPOSE 8000\nCMD ["python3", "-u", "-m", "http.server", "8000"]\n',
    }),
    tag: `dockerlings/test-server:${session.slice(0, 8)}`,
    session,
  });
  const cli = await build_image({
    dir: folder({ Dockerfile: 'FROM debian:bookworm-slim\nENTRYPOINT ["sh", "-c", "echo out; echo err >&2; exit ${CODE:-0}"]\n' }),
    tag: `dockerlings/test-cli:${session.slice(0, 8)}`,
    session,
  });
  if (!server.ok || !cli.ok) throw new Error("test images did not build");
  server_image = server.image_id;
  cli_image = cli.image_id;
});
afterAll(() => remove_managed(session));

async function ours(): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL_SESSION}=${session}`] });
  return (await docker().listContainers({ all: true, filters })).length;
}

describe("run_to_completion", () => {
  test("returns exit code, stdout and stderr apart, and removes the container", async () => {
    const result = await run_to_completion({ image: cli_image, session, env: { CODE: "3" } });
    expect(result).toMatchObject({ exit_code: 3, stdout: "out\n", stderr: "err\n", timed_out: false });
    expect(await ours()).toBe(0);
  });

  test("kills a run over its time limit", async () => {
    const result = await run_to_completion({
      image: cli_image,
      session,
      entrypoint: ["sleep", "60"],
      limits: { timeout_ms: 1500 },
    });
    expect(result.timed_out).toBe(true);
    expect(result.duration_ms).toBeLessThan(20_000);
    expect(await ours()).toBe(0);
  });

  test("applies memory, CPU and pids limits, without privileges or network", async () => {
    const result = await run_to_completion({
      image: cli_image,
      session,
      entrypoint: ["sh", "-c", "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max"],
    });
    expect(result.stdout.split("\n").slice(0, 2)).toEqual(["256", String(512 * 1024 * 1024)]);
  });
});

describe("start_container", () => {
  test("serves HTTP on a published port, runs commands, keeps logs, stops", async () => {
    const container = await start_container({ image: server_image, session, ports: [8000] });
    try {
      const response = await container.http("GET", 8000, "/index.html");
      expect(response.status).toBe(200);
      expect(response.body).toBe("bonjour\n");
      expect(response.headers["content-type"]).toMatch(/text\/html/);
      const exec = await container.exec(["cat", "/srv/index.html"]);
      expect(exec).toEqual({ exit_code: 0, output: "bonjour\n" });
      expect(await container.logs()).toMatch(/GET \/index\.html/);
      const host = (await container.inspect()).HostConfig;
      expect(host).toMatchObject({ Memory: 512 * 1024 * 1024, PidsLimit: 256, Privileged: false });
    } finally {
      await container.remove();
    }
    expect(await ours()).toBe(0);
  });

  test("a container that exits at once: its exit code and logs, and nothing left", async () => {
    const error = await start_container({
      image: server_image,
      session,
      ports: [8000],
      args: ["python3", "-c", "import sys; print('config manquante'); sys.exit(4)"],
      limits: { timeout_ms: 10_000 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerStartError);
    const e = error as ContainerStartError;
    expect(e.message).toMatch(/s'est arrêté aussitôt \(code de sortie 4\)/);
    expect(e.exit_code).toBe(4);
    expect(e.logs).toContain("config manquante");
    expect(await ours()).toBe(0);
  });

  test("a container that never listens on the expected port", async () => {
    const error = await start_container({
      image: server_image,
      session,
      ports: [9999],
      limits: { timeout_ms: 3000 },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/rien n'écoute sur le port 9999.*0\.0\.0\.0/);
    expect(await ours()).toBe(0);
  });
});

describe("start_container readiness", () => {
  test("ports are published on 127.0.0.1 only, and the wait ends once the app listens", async () => {
    const t0 = Date.now();
    const container = await start_container({ image: server_image, session, ports: [8000] });
    const ready_ms = Date.now() - t0;
    try {
      const bindings = (await container.inspect()).HostConfig.PortBindings as Record<string, Array<{ HostIp: string }>>;
      expect(bindings["8000/tcp"]).toEqual([expect.objectContaining({ HostIp: "127.0.0.1" })]);
      expect(await port_accepts(container.host_port(8000))).toBe(true);
      expect((await container.http("GET", 8000, "/index.html", undefined, { deadline_ms: 1 })).status).toBe(200);
      expect(ready_ms).toBeLessThan(15_000);
    } finally {
      await container.remove();
    }
  });

  test("a container that dies at once is reported at once, with its exit code and logs", async () => {
    const t0 = Date.now();
    const error = await start_container({
      image: server_image,
      session,
      ports: [8000],
      args: ["sh", "-c", "echo boom; exit 3"],
    }).catch((e: unknown) => e);
    // Before: testcontainers polled 10 s for the ports of a dead container and called it "not ready".
    expect(Date.now() - t0).toBeLessThan(9000);
    expect((error as ContainerStartError).message).toMatch(/s'est arrêté aussitôt \(code de sortie 3\)/);
    expect((error as ContainerStartError).logs).toBe("boom");
    expect(await ours()).toBe(0);
  });

  test("a server bound to 127.0.0.1 inside the container is not ready (the host cannot reach it)", async () => {
    const error = await start_container({
      image: server_image,
      session,
      ports: [8000],
      args: ["python3", "-m", "http.server", "8000", "--bind", "127.0.0.1"],
      limits: { timeout_ms: 3000 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerStartError);
    expect((error as Error).message).toMatch(/rien n'écoute sur le port 8000.*0\.0\.0\.0/);
    expect(await ours()).toBe(0);
  });

  test('wait_for "running" does not wait for the ports', async () => {
    const container = await start_container({ image: server_image, session, ports: [8000], wait_for: "running", args: ["sleep", "30"] });
    try {
      expect(await port_accepts(container.host_port(8000))).toBe(false);
      expect(await container.state()).toMatchObject({ running: true, status: "running", healthcheck: undefined });
      const tree = await container.processes();
      expect(tree.init).toMatchObject({ uid: 0, command: "sleep 30", depth: 0 });
    } finally {
      await container.remove();
    }
  });
});

describe("start_container volumes", () => {
  test("a named volume the engine makes on the fly carries the session's labels (a sweep finds it)", async () => {
    const { LimitedContainer } = await import("./limited-container.js");
    const { default_limits } = await import("../config/limits.js");
    const { grading_labels } = await import("./client.js");
    const name = `dl-test-fly-${randomUUID().slice(0, 8)}`;
    // No createVolume first: as when a sweep removed it between start_container's create and the container's.
    const started = await new LimitedContainer(server_image, default_limits())
      .withLabels(grading_labels(session))
      .with_volume_mounts({ [name]: "/data" }, grading_labels(session))
      .withCommand(["sh", "-c", "echo gardé > /data/note && sleep 30"])
      .start();
    try {
      expect((await docker().getVolume(name).inspect()).Labels).toMatchObject({ [LABEL_SESSION]: session });
      expect((await started.exec(["cat", "/data/note"])).output).toBe("gardé\n");
    } finally {
      await docker().getContainer(started.getId()).remove({ force: true, v: true });
      await remove_managed(session);
    }
    expect(await docker().getVolume(name).inspect().then(() => "still there", () => "removed")).toBe("removed");
  });
});
