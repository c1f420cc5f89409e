// The checks that start a container of their own, without an engine: fake
// containers live, stop, answer and keep data as a spec's would. Each check
// removes what it started. containers.docker.test.ts runs them for real.
import { describe, expect, test, vi } from "vitest";
import { CheckFailure, SpecConfigError } from "./check.js";
import { fake_container, fake_exercise, type FakeContainerSpec } from "../../test/helpers/fake-exercise.js";
import { check_env_override, check_healthy, check_stays_up, check_stops_on_sigterm, check_volume_persists } from "./own-container.js";

const volumes = vi.hoisted(() => ({ removed: [] as string[] }));
vi.mock("../engine/container.js", async (original) => ({
  ...(await original<typeof import("../engine/container.js")>()),
  remove_volume: async (name: string) => void volumes.removed.push(name),
}));

const at = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();

describe("check_stays_up", () => {
  test("still running after the time asked: passes, and its container is removed", async () => {
    const ex = fake_exercise();
    expect(await check_stays_up(ex, { seconds: 0.05 })).toMatchObject({ ok: true });
    expect(ex.started.map((c) => c.removed)).toEqual([true]);
  });

  test("stopped: how long it lived, its exit code and what it means, its last logs; a memory kill as a fact", async () => {
    const ex = fake_exercise({ container: { state: { running: false, exit_code: 0, finished_at: at(1200) }, logs: "fini" } });
    const result = await check_stays_up(ex, { seconds: 3 });
    expect(result.failures[0]).toBe(
      "Le conteneur devait rester en marche au moins 3 s ; il s'est arrêté au bout de 1,2 s avec le code de sortie 0. Le code 0 veut dire que le programme s'est terminé normalement : il n'a rien qui tourne au premier plan (serveur lancé en arrière-plan avec &, ou service qui se détache ?). Le programme principal (CMD/ENTRYPOINT) doit tourner au premier plan et ne pas se terminer.",
    );
    expect(result.output).toBe("Derniers logs du conteneur :\nfini");
    const oom = await check_stays_up(fake_exercise({ container: { state: { running: false, exit_code: 137, oom_killed: true, finished_at: at(500) } } }));
    expect(oom.facts).toEqual([{ kind: "limit", limit: "memory" }]);
  });

  test("a container that does not start is the check's failure; a negative time the spec's", async () => {
    const ex = fake_exercise({ container: () => new CheckFailure("Le conteneur s'est arrêté aussitôt (code de sortie 127) au lieu de rester en marche.", "sh: app: not found") });
    expect(await check_stays_up(ex)).toEqual({ ok: false, failures: ["Le conteneur s'est arrêté aussitôt (code de sortie 127) au lieu de rester en marche."], output: "Logs du conteneur :\nsh: app: not found" });
    await expect(check_stays_up(ex, { seconds: -1 })).rejects.toThrow(SpecConfigError);
  });

  test("given a started container, it watches it and leaves it", async () => {
    const container = fake_container();
    expect(await check_stays_up(container, { seconds: 0.02 })).toMatchObject({ ok: true });
    expect(container.removed).toBe(false);
  });
});

describe("check_env_override", () => {
  const answering = (greeting: (env: Record<string, string> | undefined) => string) =>
    fake_exercise({ container: (options) => ({ ports: options.ports, http: () => ({ status: 200, headers: {}, body: greeting(options.env) }) }) });

  test("read at start: the overridden container gives the value, and differs from the default", async () => {
    const ex = answering((env) => env?.GREETING ?? "Bonjour");
    expect(await check_env_override(ex, { env: { GREETING: "Salut" }, probe: { port: 8000 }, expect: "Salut", container: { ports: [8000] } })).toMatchObject({ ok: true });
    expect(ex.started).toHaveLength(2);
    expect(ex.started.every((c) => c.removed)).toBe(true);
    expect(ex.started[1]!.options?.env).toEqual({ GREETING: "Salut" });
  });

  test("a value written in the code: the same answer both ways, both said", async () => {
    const result = await check_env_override(answering(() => "Bonjour"), { env: { GREETING: "Salut" }, probe: { port: 8000 }, expect: "Salut", container: { ports: [8000] } });
    expect(result.failures).toHaveLength(2);
    expect(result.failures[1]).toMatch(/^Le résultat est le même avec et sans -e GREETING=Salut \(« Bonjour »\) : la variable n'a aucun effet\./);
  });

  test("a probe on a port not published, or nothing to check: the spec's mistakes", async () => {
    const ex = answering(() => "x");
    await expect(check_env_override(ex, { env: { GREETING: "Salut" }, probe: { port: 8000 } })).rejects.toThrow(/probe appelle le port 8000 : ajoutez-le à container\.ports/);
    await expect(check_env_override(ex, { env: { A: "1" }, probe: async () => "x", differs: false })).rejects.toThrow(/ne vérifie rien/);
  });
});

describe("check_stops_on_sigterm", () => {
  test("stopped in time: passes", async () => {
    expect(await check_stops_on_sigterm(fake_exercise({ container: { stop: { duration_ms: 300, exit_code: 0 } } }), { within_s: 5 })).toMatchObject({ ok: true });
  });

  test("too slow with a shell as PID 1: killed at the end of the grace, the shell-form CMD named, the tree shown", async () => {
    const init = { pid: 1, ppid: 0, uid: 0, command: "/bin/sh -c python3 app.py", depth: 0 };
    const spec: FakeContainerSpec = { stop: { duration_ms: 10_200, exit_code: 137 }, processes: { init, processes: [init], source: "top" } };
    const result = await check_stops_on_sigterm(fake_exercise({ container: spec }), { within_s: 5 });
    expect(result.failures[0]).toBe(
      "Le conteneur a mis 10,2 s à s'arrêter après SIGTERM (attendu : moins de 5 s) ; Docker a fini par le tuer avec SIGKILL au bout du délai de 10 s (code de sortie 137). " +
        'PID 1 est un shell (« /bin/sh -c python3 app.py ») : CMD est en forme shell, et le shell ne transmet pas SIGTERM à votre programme. Écrivez CMD en forme exec : CMD ["programme", "argument"].',
    );
    expect(result.output).toBe("Processus avant l'arrêt :\nPID 1 (UID 0) /bin/sh -c python3 app.py");
  });

  test("already stopped before the signal; a grace not above the deadline is the spec's mistake", async () => {
    expect((await check_stops_on_sigterm(fake_exercise({ container: { state: { running: false, exit_code: 1 } } }))).failures[0]).toMatch(/^Le conteneur était déjà arrêté \(code de sortie 1\) avant l'envoi de SIGTERM\./);
    await expect(check_stops_on_sigterm(fake_exercise(), { within_s: 5, grace_s: 3 })).rejects.toThrow(/grace_s \(3\) doit dépasser within_s \(5\)/);
  });
});

describe("check_healthy", () => {
  const healthcheck = { test: ["CMD", "curl", "-f", "http://localhost:8000/"], interval_ms: 1000, timeout_ms: 1000, retries: 3, start_period_ms: 0 };

  test("healthy after starting: passes", async () => {
    const ex = fake_exercise({ container: { states: [{ healthcheck, health: { status: "starting", failing_streak: 0, log: [] } }, { healthcheck, health: { status: "healthy", failing_streak: 0, log: [] } }] } });
    expect(await check_healthy(ex, { deadline_ms: 5000 })).toMatchObject({ ok: true });
  });

  test("no HEALTHCHECK; unhealthy with its last probes", async () => {
    expect((await check_healthy(fake_exercise())).failures[0]).toMatch(/^L'image n'a pas de HEALTHCHECK/);
    const unhealthy = fake_exercise({ container: { state: { healthcheck, health: { status: "unhealthy", failing_streak: 3, log: [{ exit_code: 7, output: "curl: (7) Failed to connect", start: "", end: "" }] } } } });
    const result = await check_healthy(unhealthy);
    expect(result.failures[0]).toMatch(/^Le HEALTHCHECK a déclaré le conteneur « unhealthy » après 3 échec\(s\) de suite/);
    expect(result.output).toBe("Derniers résultats du HEALTHCHECK :\n- code 7 : curl: (7) Failed to connect");
  });

  test("still starting at the deadline: a long interval is named", async () => {
    const slow = fake_exercise({ container: { state: { healthcheck: { ...healthcheck, interval_ms: 30_000 }, health: { status: "starting", failing_streak: 0, log: [] } } } });
    expect((await check_healthy(slow, { deadline_ms: 0 })).failures[0]).toMatch(/Son intervalle est de 30 s .*HEALTHCHECK --interval=5s\.$/);
  });
});

describe("check_volume_persists", () => {
  /** Containers sharing one volume's content: what a write stores under the mount is there after recreation. */
  function with_volume(stores_under_mount: boolean) {
    const volume = new Map<string, string>();
    return fake_exercise({
      container: () => {
        const local = new Map<string, string>();
        const store = stores_under_mount ? volume : local;
        return {
          exec: (command) => {
            if (command[0] === "write") return store.set("notes", command[1]!), { exit_code: 0, output: "" };
            return { exit_code: 0, output: store.get("notes") ?? "" };
          },
        };
      },
    });
  }
  const expected = { path: "/data", write: { exec: ["write", "42"] }, read: { exec: ["read"] }, expect: "42" };

  test("written under the mount: survives the container; the volume is removed", async () => {
    volumes.removed.length = 0;
    const ex = with_volume(true);
    expect(await check_volume_persists(ex, expected)).toMatchObject({ ok: true });
    expect(ex.started).toHaveLength(2);
    expect(Object.values(ex.started[0]!.options?.volumes ?? {})).toEqual(["/data"]);
    expect(volumes.removed).toEqual(Object.keys(ex.started[0]!.options?.volumes ?? {}));
  });

  test("written elsewhere: lost with the container, said with where to write", async () => {
    const result = await check_volume_persists(with_volume(false), expected);
    expect(result.failures[0]).toMatch(/^Les données écrites n'ont pas survécu à la recréation du conteneur .*L'application doit écrire ses données sous \/data/);
  });

  test("a relative path or an HTTP action on a port not published: the spec's mistakes", async () => {
    await expect(check_volume_persists(with_volume(true), { ...expected, path: "data" })).rejects.toThrow(/doit être un chemin absolu/);
    await expect(check_volume_persists(with_volume(true), { ...expected, read: { http: { port: 8000 } } })).rejects.toThrow(/ajoutez-le à container\.ports/);
  });
});
