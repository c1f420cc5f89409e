// The checks of a running container (server.ts, own-container.ts) on real images: one well-behaved server (exec form,
// non-root, SIGTERM handled, data under /data, reads GREETING), the same with
// a HEALTHCHECK, and one that gets each of those wrong (shell-form CMD, root,
// no HEALTHCHECK, data under /tmp, fixed greeting). Same stdlib Python app.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExerciseHandle } from "../spec/use-exercise.js";
import { remove_managed } from "../engine/cleanup.js";
import { docker } from "../engine/client.js";
import type { GradedContainer } from "../engine/container.js";
import { SpecConfigError, type CheckOutcome } from "./check.js";
import { check_exec, check_http, check_logs, check_process_tree, json_subset_differences, runs_program } from "./server.js";
import { check_env_override, check_healthy, check_stays_up, check_stops_on_sigterm, check_volume_persists } from "./own-container.js";
import { must } from "../../test/helpers/outcome.js";
import { temp_folders } from "../../test/helpers/folders.js";

/** A check that must pass: its failures thrown as the student would read them. */

const APP = String.raw`
import json, os, signal, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "8000"))
DATA = os.environ.get("DATA_DIR", "/data")
# The "wrong" image ignores its environment for the greeting.
GREETING = "Bonjour" if os.environ.get("FIXED_GREETING") else os.environ.get("GREETING", "Bonjour")

class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body, kind="text/plain; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("X-App", "dockerlings")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/":
            self.reply(200, GREETING)
        elif self.path == "/health":
            self.reply(200, json.dumps({"status": "ok", "checks": ["disk", "db"], "version": 3}), "application/json")
        elif self.path == "/notes":
            try:
                with open(os.path.join(DATA, "notes.txt")) as f:
                    self.reply(200, f.read())
            except FileNotFoundError:
                self.reply(404, "aucune note")
        else:
            self.reply(404, "introuvable")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        os.makedirs(DATA, exist_ok=True)
        with open(os.path.join(DATA, "notes.txt"), "a") as f:
            f.write(body + "\n")
        self.reply(201, "ok")

if os.environ.get("HANDLE_SIGTERM", "1") == "1":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
print(f"prêt sur le port {PORT}", flush=True)
server.serve_forever()
`;

const GOOD = `FROM python:3.11-slim
RUN useradd --uid 10001 --no-create-home app && mkdir /data && chown app /data
COPY app.py /app/app.py
USER 10001
ENV GREETING=Bonjour
EXPOSE 8000
CMD ["python3", "-u", "/app/app.py"]
`;

// The same, with a HEALTHCHECK (apart: a probe every second in every test container would load the machine).
const HEALTHY = GOOD.replace(
  "CMD [",
  `HEALTHCHECK --interval=1s --timeout=5s --retries=2 CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ.get('HEALTH_URL', 'http://127.0.0.1:8000/health'), timeout=4)"]
CMD [`,
);

// Everything the lessons warn against.
const WRONG = `FROM python:3.11-slim
COPY app.py /app/app.py
ENV FIXED_GREETING=1 HANDLE_SIGTERM=0 DATA_DIR=/tmp/data
EXPOSE 8000
CMD python3 -u /app/app.py
`;

// A HEALTHCHECK whose first test comes long after any deadline.
const SLOW_HEALTH = `FROM python:3.11-slim
HEALTHCHECK --interval=60s CMD ["true"]
CMD ["sleep", "300"]
`;

const session = randomUUID();
const folder = temp_folders();
let good: ExerciseHandle;
let wrong: ExerciseHandle;
let slow_health: ExerciseHandle;
let healthy: ExerciseHandle;
let good_server: GradedContainer;
let wrong_server: GradedContainer;

beforeAll(async () => {
  good = new ExerciseHandle("behaviour-good", folder({ Dockerfile: GOOD, "app.py": APP }), session);
  wrong = new ExerciseHandle("behaviour-wrong", folder({ Dockerfile: WRONG, "app.py": APP }), session);
  slow_health = new ExerciseHandle("behaviour-slow-health", folder({ Dockerfile: SLOW_HEALTH }), session);
  healthy = new ExerciseHandle("behaviour-healthy", folder({ Dockerfile: HEALTHY, "app.py": APP }), session);
  await Promise.all([good.image(), wrong.image(), slow_health.image(), healthy.image()]);
  [good_server, wrong_server] = await Promise.all([good.start({ ports: [8000] }), wrong.start({ ports: [8000] })]);
});

afterAll(async () => {
  await Promise.all([good?.dispose(), wrong?.dispose(), slow_health?.dispose(), healthy?.dispose()]);
  await remove_managed(session);
});

const failures = (o: CheckOutcome) => o.failures.join("\n");

describe.concurrent("the container starts and stays up", () => {
  test("a server keeps running", async () => {
    expect(await check_stays_up(good_server, { seconds: 0.5 })).toEqual({ ok: true, failures: [], output: undefined });
  });

  test("a program that ends after a moment: how long it lived, its exit code and logs", async () => {
    const result = await check_stays_up(good, {
      seconds: 3,
      container: { args: ["python3", "-u", "-c", "import time; print('au revoir'); time.sleep(1); raise SystemExit(3)"] },
    });
    expect(result.ok).toBe(false);
    expect(failures(result)).toMatch(/devait rester en marche au moins 3 s ; il s'est arrêté au bout de \d+(,\d)? s avec le code de sortie 3\./);
    expect(failures(result)).toContain("doit tourner au premier plan");
    expect(result.output).toContain("au revoir");
  });

  test("a program that exits at once: the start's own explanation", async () => {
    const result = await check_stays_up(good, { container: { args: ["sh", "-c", "echo fini"] } });
    expect(failures(result)).toMatch(/s'est arrêté aussitôt \(code de sortie 0\)/);
    expect(result.output).toContain("fini");
  });
});

describe.concurrent("HTTP on a published port", () => {
  test("status, body, JSON subset and headers", async () => {
    await must(check_http(good_server, { port: 8000, body: "Bonjour", headers: { "content-type": "text/plain", "X-App": { matches: /docker/, shown: "/docker/" } } }));
    const health = await check_http(good_server, {
      port: 8000,
      path: "/health",
      json: { status: "ok", checks: ["disk", { matches: /d./, shown: "un nom en d" }], version: 3 },
      headers: { "Content-Type": "application/json" },
    });
    expect(health).toMatchObject({ ok: true });
  });

  test("every difference is reported, with the body and logs", async () => {
    const result = await check_http(good_server, {
      port: 8000,
      path: "/health",
      status: 201,
      body: ["degraded", { matches: /"status"/, shown: "/\"status\"/" }],
      json: { status: "ko", checks: ["disk"], missing: true },
      headers: { "Content-Type": "text/html", "X-Absent": "x" },
    });
    expect(result.failures).toHaveLength(5);
    expect(result.failures[0]).toBe(
      "GET /health répond 200 au lieu de 201. Vérifiez l'application et sa configuration dans l'image.",
    );
    expect(result.failures[1]).toMatch(/^La réponse à GET \/health devait contenir « degraded » ; elle contient « \{"status": "ok"/);
    expect(result.failures[2]).toBe(
      'Le JSON renvoyé par GET /health ne correspond pas à l\'attendu : $.status : attendu "ko", trouvé "ok" ; ' +
        "$.checks : attendu 1 élément(s), trouvé 2 ; $.missing : attendu true, absent.",
    );
    expect(result.failures[3]).toBe(
      "L'en-tête Content-Type de la réponse à GET /health devait contenir « text/html » ; il vaut « application/json ».",
    );
    expect(result.failures[4]).toBe("La réponse à GET /health devait avoir l'en-tête X-Absent (« x ») ; il est absent.");
    expect(result.output).toContain('"GET /health HTTP/1.1" 200');
  });

  test("a 404 says where to look", async () => {
    const result = await check_http(good_server, { port: 8000, path: "/nope" });
    expect(failures(result)).toContain("répond 404 au lieu de 200. La ressource n'existe pas");
  });

  test("a request made while the app boots is retried; a port nothing listens on fails after the deadline", async () => {
    const c = await good.start({ ports: [8000, 8001], wait_for: "running" });
    expect(await check_http(c, { port: 8000, deadline_ms: 30_000 })).toMatchObject({ ok: true });
    const t0 = Date.now();
    const result = await check_http(c, { port: 8001, deadline_ms: 1000 });
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(failures(result)).toMatch(/^Aucune réponse HTTP à GET \/ sur le port 8001 après 1 s \(.*\)\. Le serveur doit écouter sur 0\.0\.0\.0:8001/);
    await c.remove();
  });

  test("impossible configurations are the spec's errors", async () => {
    await expect(check_http(good_server, { port: 70000 })).rejects.toThrow(SpecConfigError);
    await expect(check_http(good_server, { port: 8000, deadline_ms: -1 })).rejects.toThrow(/deadline_ms vaut -1/);
    await expect(check_http(good_server, { port: 9000 })).rejects.toThrow(/le port 9000 n'est pas publié/);
    await expect(check_stays_up(good, { seconds: -2 })).rejects.toThrow(SpecConfigError);
  });
});

describe.concurrent("a command run in the container", () => {
  test("exit code and output, as the image's user or another", async () => {
    expect(await check_exec(good_server, { command: ["id", "-u"], output: "10001" })).toMatchObject({ ok: true });
    expect(await check_exec(good_server, { command: ["id", "-u"], user: "root", output: { matches: /^0$/m, shown: "/^0$/m" } })).toMatchObject({ ok: true });
    expect(await check_exec(good_server, { command: ["test", "-w", "/data"], exit_code: 0 })).toMatchObject({ ok: true });
  });

  test("wrong exit code and missing output are both reported", async () => {
    const result = await check_exec(wrong_server, { command: ["cat", "/data/notes.txt"], output: "bonjour" });
    expect(result.failures).toEqual([
      'La commande ["cat","/data/notes.txt"] devait sortir avec le code 0 ; elle est sortie avec le code 1. Lisez sa sortie ci-dessous.',
      'La sortie de ["cat","/data/notes.txt"] devait contenir « bonjour » ; elle contient « cat: /data/notes.txt: No such file or directory ».',
    ]);
    expect(result.output).toContain("No such file or directory");
  });

  test("a program missing from the image", async () => {
    const result = await check_exec(good_server, { command: ["curl", "-s", "http://127.0.0.1:8000/"] });
    expect(failures(result)).toMatch(/devait sortir avec le code 0 ; elle est sortie avec le code 12[67]\. Le programme curl est introuvable dans l'image/);
  });

  test("commands are argument arrays", async () => {
    await expect(check_exec(good_server, { command: ["ls -l /app"] })).rejects.toThrow(/une seule chaîne avec des espaces : séparez les arguments, \["ls","-l","\/app"\]/);
    await expect(check_exec(good_server, { command: "ls -l" as unknown as string[] })).rejects.toThrow(SpecConfigError);
    await expect(check_exec(good_server, { command: [] })).rejects.toThrow(/command est vide/);
  });
});

describe.concurrent("logs", () => {
  test("contain a line, waiting for it", async () => {
    expect(await check_logs(good_server, ["prêt sur le port 8000", { matches: /port \d+/, shown: "/port \\d+/" }])).toMatchObject({ ok: true });
  });

  test("a line that never comes", async () => {
    const result = await check_logs(good_server, "démarré", { deadline_ms: 300 });
    expect(failures(result)).toBe(
      "Les logs du conteneur devaient contenir « démarré » (attendu pendant 0,3 s) ; ils ne le contiennent pas. " +
        "Le programme écrit-il ce message sur sa sortie standard (et pas dans un fichier) ?",
    );
    expect(result.output).toContain("prêt sur le port 8000");
  });
});

// Alone: sibling describe.concurrent blocks run together, and a check's `docker exec` in the same
// container (the cat of "a command run in the container") would show in the tree it prints.
describe("the process tree", () => {
  test("PID 1 is python3", async () => {
    expect(await check_process_tree(good_server, { program: "python3" })).toMatchObject({ ok: true });
    expect(await check_process_tree(good_server, { program: /app\.py/ })).toMatchObject({ ok: true });
  });

  test("a shell as PID 1: said, with the whole tree", async () => {
    const result = await check_process_tree(wrong_server, { program: "python3" });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toBe(
      "Le processus 1 du conteneur est « /bin/sh -c python3 -u /app/app.py », pas « python3 » (« python3 » tourne, mais comme enfant de PID 1) : " +
        "un shell s'intercale, et c'est lui qui reçoit les signaux (le SIGTERM de docker stop), sans les transmettre. " +
        'Lancez le programme directement, en forme exec (un tableau JSON : CMD ou ENTRYPOINT ["python3"]).',
    );
    expect(result.output).toBe("Processus du conteneur :\nPID 1 (UID 0) /bin/sh -c python3 -u /app/app.py\n└─ (UID 0) python3 -u /app/app.py");
  });

  test("program names", () => {
    expect(runs_program("/usr/local/bin/python3 app.py", "python3")).toBe(true);
    expect(runs_program("python3 -u app.py", "python3 -u")).toBe(true);
    expect(runs_program("/bin/sh -c python3 app.py", "python3")).toBe(false);
    expect(runs_program("python3.11 app.py", "python3")).toBe(false);
  });
});

describe.concurrent("env overrides at run time", () => {
  test("GREETING changes the answer", async () => {
    const result = await check_env_override(good, {
      env: { GREETING: "Salut" },
      probe: { port: 8000 },
      expect: "Salut",
      container: { ports: [8000] },
    });
    expect(result).toMatchObject({ ok: true });
  });

  test("a probe on a port the containers do not publish is the spec's error", async () => {
    await expect(check_env_override(good, { env: { GREETING: "Salut" }, probe: { port: 8000 } })).rejects.toThrow(
      /probe appelle le port 8000 : ajoutez-le à container\.ports/,
    );
    await expect(check_env_override(good, { env: {}, probe: { port: 8000 }, container: { ports: [8000] } })).rejects.toThrow(/env est vide/);
  });

  test("a value written in the code: the same answer both ways", async () => {
    const result = await check_env_override(wrong, {
      env: { GREETING: "Salut" },
      probe: async (c) => (await c.http("GET", 8000, "/")).body,
      expect: "Salut",
      container: { ports: [8000] },
    });
    expect(result.failures).toEqual([
      "Lancé avec -e GREETING=Salut, le conteneur devait donner « Salut » ; il donne « Bonjour ». L'application doit lire GREETING dans son environnement au démarrage (os.environ, process.env…) au lieu d'une valeur écrite en dur ; ENV dans le Dockerfile ne donne que la valeur par défaut.",
      "Le résultat est le même avec et sans -e GREETING=Salut (« Bonjour ») : la variable n'a aucun effet. L'application doit lire GREETING dans son environnement au démarrage (os.environ, process.env…) au lieu d'une valeur écrite en dur ; ENV dans le Dockerfile ne donne que la valeur par défaut.",
    ]);
  });
});

describe.concurrent("stopping on SIGTERM", () => {
  test("a program that handles SIGTERM stops at once", async () => {
    const c = await good.start({ ports: [8000] });
    const result = await check_stops_on_sigterm(c, { within_s: 5 });
    expect(result).toMatchObject({ ok: true });
    expect((await c.state()).exit_code).toBe(0);
  });

  test("under a shell-form CMD it is killed after the grace period", async () => {
    const result = await check_stops_on_sigterm(wrong, { within_s: 1, grace_s: 2, container: { ports: [8000] } });
    expect(failures(result)).toMatch(
      /^Le conteneur a mis \d+(,\d)? s à s'arrêter après SIGTERM \(attendu : moins de 1 s\) ; Docker a fini par le tuer avec SIGKILL au bout du délai de 2 s \(code de sortie 137\)\. PID 1 est un shell \(« \/bin\/sh -c python3 -u \/app\/app\.py »\) : CMD est en forme shell/,
    );
    expect(result.output).toContain("Processus avant l'arrêt :\nPID 1 (UID 0) /bin/sh -c");
  });

  test("a grace period shorter than the limit is the spec's error", async () => {
    await expect(check_stops_on_sigterm(good_server, { within_s: 5, grace_s: 3 })).rejects.toThrow(/grace_s \(3\) doit dépasser within_s \(5\)/);
  });
});

describe.concurrent("HEALTHCHECK", () => {
  test("reaches healthy", async () => {
    const result = await check_healthy(healthy, { deadline_ms: 20_000, container: { ports: [8000] } });
    expect(result, `${result.failures.join("\n")}\n${result.output}`).toMatchObject({ ok: true });
  });

  test("with tests: the HEALTHCHECK must also fail where the application does not run, so a test that tests nothing is refused", async () => {
    const tests = { port: 8000, path: "/health" };
    const result = await check_healthy(healthy, { deadline_ms: 20_000, container: { ports: [8000] }, tests });
    expect(result, `${result.failures.join("\n")}\n${result.output}`).toMatchObject({ ok: true });
    // The engine's own health log and the grader's request are the facts: CMD ["true"] passes the first, not the second.
    const no_test = new ExerciseHandle(
      "behaviour-true-health",
      folder({ Dockerfile: GOOD.replace("CMD [", 'HEALTHCHECK --interval=1s CMD ["true"]\nCMD ['), "app.py": APP }),
      session,
    );
    try {
      const refused = await check_healthy(no_test, { deadline_ms: 20_000, container: { ports: [8000] }, tests });
      expect(failures(refused)).toMatch(
        /^Dans un conteneur de la même image où l'application ne tourne pas \(GET \/health sur le port 8000 : .*\), le test de santé \(\["true"\]\) réussit quand même \(code 0\) : il ne teste pas l'application\./,
      );
      expect(refused.output).toMatch(/^Derniers résultats du HEALTHCHECK :\n- code 0 : /);
    } finally {
      await no_test.dispose();
    }
  });

  test("no HEALTHCHECK is its own message", async () => {
    const result = await check_healthy(wrong_server, { deadline_ms: 1000 });
    expect(failures(result)).toMatch(/^L'image n'a pas de HEALTHCHECK : Docker ne peut pas savoir si l'application répond\. Ajoutez une instruction HEALTHCHECK/);
  });

  test("still starting at the deadline: the interval is named", async () => {
    const result = await check_healthy(slow_health, { deadline_ms: 500 });
    expect(failures(result)).toBe(
      "Le conteneur est encore « starting » après 0,5 s : le HEALTHCHECK n'a pas encore réussi. " +
        "Son intervalle est de 60 s (30 s si rien n'est précisé) et le premier test n'a lieu qu'au bout de cet intervalle : réduisez-le, par exemple HEALTHCHECK --interval=5s.",
    );
  });

  test("a test that keeps failing: unhealthy, with its last results", async () => {
    const result = await check_healthy(healthy, { deadline_ms: 15_000, container: { env: { HEALTH_URL: "http://127.0.0.1:9/" } } });
    expect(failures(result)).toMatch(/^Le HEALTHCHECK a déclaré le conteneur « unhealthy » après 2 échec\(s\) de suite ; il devait devenir « healthy »\./);
    // Code 1 (connection refused), or -1 when the probe itself timed out on a busy machine.
    expect(result.output).toMatch(/^Derniers résultats du HEALTHCHECK :\n- code -?1 : /);
  });
});

describe.concurrent("data in a named volume", () => {
  test("survives removing and recreating the container (HTTP write, exec read), and the volume is removed", async () => {
    // The same handle, noting the volumes the check mounts.
    const mounted: string[] = [];
    const watched = Object.create(good, {
      start: { value: (o: Parameters<ExerciseHandle["start"]>[0]) => (mounted.push(...Object.keys(o?.volumes ?? {})), good.start(o)) },
    }) as ExerciseHandle;
    const result = await check_volume_persists(watched, {
      path: "/data",
      write: { http: { port: 8000, path: "/notes", method: "POST", request_body: "note 42" } },
      read: { exec: ["cat", "/data/notes.txt"] },
      expect: "note 42",
      container: { ports: [8000] },
    });
    expect(result).toMatchObject({ ok: true });
    expect(new Set(mounted).size).toBe(1);
    const gone = await docker().getVolume(mounted[0]!).inspect().then(() => false, () => true);
    expect(gone).toBe(true);
  });

  test("data written outside the volume is lost", async () => {
    const result = await check_volume_persists(wrong, {
      path: "/data",
      write: { http: { port: 8000, path: "/notes", method: "POST", request_body: "note 42" } },
      read: { http: { port: 8000, path: "/notes" } },
      expect: { matches: /^note 42$/m, shown: "/^note 42$/m" },
      container: { ports: [8000] },
    });
    expect(failures(result)).toBe(
      "Les données écrites n'ont pas survécu à la recréation du conteneur : après POST /notes, docker rm, " +
        "puis un nouveau conteneur sur le même volume (monté sur /data), GET /notes donne une erreur (statut HTTP 404) au lieu de /^note 42$/m. " +
        "L'application doit écrire ses données sous /data, le point de montage du volume (déclarez-le avec VOLUME /data) : ce qui est écrit ailleurs disparaît avec le conteneur.",
    );
  });

  test("an HTTP action on a port that is not published is the spec's error", async () => {
    await expect(
      check_volume_persists(good, { path: "/data", write: { exec: ["true"] }, read: { http: { port: 8000 } }, expect: "x" }),
    ).rejects.toThrow(/read appelle le port 8000 : ajoutez-le à container\.ports/);
  });
});

test("JSON subsets", () => {
  expect(json_subset_differences({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] } })).toEqual([]);
  expect(json_subset_differences({ a: "x" }, { a: { matches: /y/, shown: "un texte avec y" } })).toEqual(["$.a : attendu un texte avec y, trouvé \"x\""]);
  expect(json_subset_differences([1], { a: 1 })).toEqual(["$ : attendu un objet, trouvé [1]"]);
});
