// The checks of a running server, without an engine: fake containers answer
// as a spec's server would (right and wrong). What each check asks, what it
// concludes, and the spec's mistakes. containers.docker.test.ts runs them on
// real containers.
import { describe, expect, test, vi } from "vitest";
import type { ImageFileReader } from "../engine/files.js";
import { fake_container, fake_exercise, image_facts, memory_files } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import {
  check_exec,
  check_http,
  check_http_on_exposed,
  check_listens_on_exposed,
  check_logs,
  check_process_tree,
  check_process_user,
  is_shell_wrapper,
  json_subset_differences,
  runs_program,
} from "./server.js";

const image_files = vi.hoisted(() => ({ reader: undefined as ImageFileReader | undefined }));
vi.mock("../engine/files.js", async (original) => ({
  ...(await original<typeof import("../engine/files.js")>()),
  with_image_files: async <T>(_options: unknown, use: (reader: ImageFileReader) => Promise<T>) => use(image_files.reader!),
}));

const ok = (body: string, headers: Record<string, string> = {}) => ({ status: 200, headers, body });

describe("check_http", () => {
  const server = fake_container({
    ports: [8000],
    http: (_method, _port, path) =>
      path === "/api" ? ok('{"status":"ok","items":[1,2]}', { "content-type": "application/json" }) : path === "/" ? ok("<title>Accueil</title>Bonjour") : { status: 404, headers: {}, body: "not found" },
    logs: "démarré sur 0.0.0.0:8000",
  });

  test("status, body, JSON subset and headers: every difference said at once", async () => {
    expect(await check_http(server, { port: 8000, path: "/api", json: { status: "ok" }, headers: { "Content-Type": { matches: /json/, shown: "« json »" } } })).toMatchObject({ ok: true });
    const wrong = await check_http(server, { port: 8000, path: "/api", json: { status: "ko", items: [1] }, headers: { "X-App": "docker" }, body: "bonjour" });
    expect(wrong.failures).toEqual([
      "La réponse à GET /api devait contenir « bonjour » ; elle contient « {\"status\":\"ok\",\"items\":[1,2]} ». Vérifiez ce que l'application renvoie et que l'image contient les bons fichiers.",
      "Le JSON renvoyé par GET /api ne correspond pas à l'attendu : $.status : attendu \"ko\", trouvé \"ok\" ; $.items : attendu 1 élément(s), trouvé 2.",
      "La réponse à GET /api devait avoir l'en-tête X-App (« docker ») ; il est absent.",
    ]);
    expect(wrong.output).toContain("démarré sur 0.0.0.0:8000");
  });

  test("another status, with its hint; a page by its exact content", async () => {
    expect((await check_http(server, { port: 8000, path: "/nope" })).failures[0]).toBe(
      "GET /nope répond 404 au lieu de 200. La ressource n'existe pas : le fichier ou la route est-il au bon endroit dans l'image (WORKDIR, COPY) ?",
    );
    expect((await check_http(server, { port: 8000, body_equals: "<title>Contact</title>", body_name: "site/contact.html" })).failures[0]).toBe(
      "GET / renvoie « Accueil » au lieu de site/contact.html (« Contact »).",
    );
  });

  test("no answer: what the client saw, and the container's exit if it stopped (a memory kill as a fact)", async () => {
    const stopped = fake_container({ ports: [8000], http: () => "ECONNREFUSED", state: { running: false, exit_code: 137, oom_killed: true } });
    const result = await check_http(stopped, { port: 8000, deadline_ms: 0 });
    expect(result.failures[0]).toMatch(/^Aucune réponse HTTP à GET \/ sur le port 8000 après 0 s \(connexion refusée\)\. Le conteneur s'est arrêté \(code de sortie 137\)\. Il a été tué faute de mémoire/);
    expect(result.facts).toEqual([{ kind: "limit", limit: "memory" }]);
    const listening_inside = fake_container({ ports: [8000], http: () => "socket hang up" });
    expect((await check_http(listening_inside, { port: 8000, deadline_ms: 0 })).failures[0]).toMatch(/rien n'écoute sur ce port.* 0\.0\.0\.0:8000/);
  });

  test("a port not published, a path without /, an impossible status: the spec's mistakes", async () => {
    await expect(check_http(server, { port: 9000 })).rejects.toThrow(/le port 9000 n'est pas publié/);
    await expect(check_http(server, { port: 8000, path: "api" })).rejects.toThrow(SpecConfigError);
    await expect(check_http(server, { port: 8000, status: 42 })).rejects.toThrow(/statut HTTP 42 impossible/);
  });

  test("JSON subsets", () => {
    expect(json_subset_differences({ a: { b: [1, "x"] }, c: 1 }, { a: { b: [1, { matches: /^x$/, shown: "« x » seul" }] } })).toEqual([]);
    expect(json_subset_differences({ a: "y" }, { a: { matches: /^x$/, shown: "« x » seul" } })).toEqual(['$.a : attendu « x » seul, trouvé "y"']);
    expect(json_subset_differences([1], { a: 1 })).toEqual(["$ : attendu un objet, trouvé [1]"]);
  });
});

describe("check_exec", () => {
  const server = fake_container({
    exec: (command, user) =>
      command[0] === "id" ? { exit_code: 0, output: user === "root" ? "0\n" : "10001\n" } : command[0] === "curl" ? { exit_code: 127, output: "exec: \"curl\": executable file not found in $PATH" } : { exit_code: 1, output: "cat: /data/x: No such file" },
  });

  test("exit code and output; a missing program and a missing user are named", async () => {
    expect(await check_exec(server, { command: ["id", "-u"], output: "10001" })).toMatchObject({ ok: true });
    expect((await check_exec(server, { command: ["curl", "-s", "localhost"] })).failures).toEqual([
      'La commande ["curl","-s","localhost"] devait sortir avec le code 0 ; elle est sortie avec le code 127. Le programme curl est introuvable dans l\'image : installez-le ou corrigez son chemin.',
    ]);
    const missing = await check_exec(server, { command: ["cat", "/data/x"], output: "bonjour" });
    expect(missing.failures).toHaveLength(2);
    expect(missing.output).toBe("Sortie de la commande :\ncat: /data/x: No such file");
  });

  test("a stopped container: the exec could not run, the exit code said", async () => {
    const stopped = fake_container({ exec: () => "container is not running", state: { running: false, exit_code: 1 } });
    expect((await check_exec(stopped, { command: ["true"] })).failures[0]).toMatch(/^La commande \["true"\] n'a pas pu être lancée : le conteneur est arrêté \(code de sortie 1\)/);
  });

  test("a command as one string is the spec's mistake", async () => {
    await expect(check_exec(server, { command: ["ls -l /app"] })).rejects.toThrow(/une seule chaîne avec des espaces/);
  });
});

describe("check_logs", () => {
  test("every pattern, waiting for them; Python's buffering named when the logs are empty", async () => {
    expect(await check_logs(fake_container({ logs: "prêt sur le port 8000" }), [{ matches: /port \d+/, shown: "« port » suivi d'un numéro" }])).toMatchObject({ ok: true });
    const silent = await check_logs(fake_container({ logs: "" }), "prêt", { deadline_ms: 0 });
    expect(silent.failures[0]).toMatch(/ne le contiennent pas\. Le conteneur n'a rien écrit du tout\. Python garde sa sortie en mémoire/);
    await expect(check_logs(fake_container(), [])).rejects.toThrow(SpecConfigError);
    await expect(check_logs(fake_container(), [/port \d+/ as never])).rejects.toThrow("logs : le motif /port \\d+/ s'afficherait tel quel à l'élève");
  });
});

describe("check_process_tree", () => {
  const tree = (command: string, child?: string) => {
    const init = { pid: 1, ppid: 0, uid: 0, command, depth: 0 };
    return { init, processes: [init, ...(child ? [{ pid: 7, ppid: 1, uid: 0, command: child, depth: 1 }] : [])], source: "top" as const };
  };

  test("PID 1 runs the program; a shell in between is said as a shell-form CMD", async () => {
    expect(await check_process_tree(fake_container({ processes: tree("/usr/local/bin/python3 app.py") }), { program: "python3" })).toMatchObject({ ok: true });
    const shell = await check_process_tree(fake_container({ processes: tree("/bin/sh -c python3 app.py", "python3 app.py") }), { program: "python3" });
    expect(shell.failures[0]).toMatch(/^Le processus 1 du conteneur est « \/bin\/sh -c python3 app\.py », pas « python3 » \(« python3 » tourne, mais comme enfant de PID 1\) : un shell s'intercale/);
    expect(shell.output).toBe("Processus du conteneur :\nPID 1 (UID 0) /bin/sh -c python3 app.py\n└─ (UID 0) python3 app.py");
    const script = await check_process_tree(fake_container({ processes: tree("sh /app/start.sh", "python3 app.py") }), { program: "python3", shown: "python3 app.py" });
    expect(script.failures[0]).toMatch(/terminez le script de démarrage par exec python3 app\.py "\$@"\.$/);
  });

  test("a container gone: said with its exit code; an empty program is the spec's mistake", async () => {
    const gone = fake_container({ processes: "no such container", state: { running: false, exit_code: 0 } });
    expect((await check_process_tree(gone, { program: "node" })).failures[0]).toMatch(/^Le conteneur est arrêté \(code de sortie 0\)/);
    await expect(check_process_tree(gone, { program: " " })).rejects.toThrow(SpecConfigError);
  });

  test("program names", () => {
    expect(runs_program("/usr/local/bin/python3 app.py", "python3")).toBe(true);
    expect(runs_program("python3 -u app.py", "python3 -u")).toBe(true);
    expect(runs_program("/bin/sh -c python3 app.py", "python3")).toBe(false);
    expect(is_shell_wrapper("/bin/bash -c node server.js")).toBe(true);
  });
});

describe("check_process_user", () => {
  const passwd = memory_files({ "/etc/passwd": { content: "root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n" }, "/etc/group": { content: "root:x:0:\napp:x:10001:\n" } });
  const with_pid1_uid = (uid: number, user = "") =>
    fake_exercise({
      image: image_facts({ user }),
      container: { processes: { init: { pid: 1, ppid: 0, uid, command: "python3 app.py", depth: 0 }, processes: [], source: "top" } },
    });

  test("the UID PID 1 really runs as, named in the image; each mistake with what to write", async () => {
    image_files.reader = passwd;
    expect(await check_process_user(with_pid1_uid(10001, "app"), { uid: 10001, named: true, non_root: true })).toMatchObject({ ok: true });
    const root = await check_process_user(with_pid1_uid(0), { non_root: true });
    expect(root.failures).toEqual(["Le serveur tourne en root (UID 0) : le Dockerfile n'a pas d'instruction USER. Créez l'utilisateur (useradd --uid 10001 ...) puis ajoutez « USER nom » avant CMD."]);
    const unnamed = await check_process_user(with_pid1_uid(2000, "2000"), { named: true, uid: 10001 });
    expect(unnamed.failures).toHaveLength(2);
    expect(unnamed.output).toBe("Utilisateur du serveur : ? (UID 2000) ; USER déclaré : 2000");
  });

  test("its container is its own unless a server is given, and is removed after", async () => {
    image_files.reader = passwd;
    const ex = with_pid1_uid(10001, "app");
    await check_process_user(ex, { uid: 10001 });
    expect(ex.started.map((c) => c.removed)).toEqual([true]);
    const web = ex.server({ ports: [8000] });
    await check_process_user(ex, { uid: 10001 }, web);
    await check_process_user(ex, { uid: 10001 }, web);
    expect(ex.started.map((c) => c.removed)).toEqual([true, false]);
  });
});

describe("what `docker run -P` publishes", () => {
  test("listening on every exposed port, on all interfaces, and no other", async () => {
    const ex = (listening: Array<{ port: number; loopback_only: boolean }>, exposed = ["8080/tcp"]) =>
      fake_exercise({ image: image_facts({ exposed_ports: exposed }), container: { listening } });
    expect(await check_listens_on_exposed(ex([{ port: 8080, loopback_only: false }]))).toMatchObject({ ok: true });
    expect((await check_listens_on_exposed(ex([{ port: 3000, loopback_only: false }]))).failures[0]).toMatch(/^L'image expose 8080\/tcp, mais le serveur écoute sur 3000\/tcp\. EXPOSE ne fait que déclarer un port/);
    expect((await check_listens_on_exposed(ex([{ port: 8080, loopback_only: true }]))).failures[0]).toMatch(/seulement sur 127\.0\.0\.1/);
    expect((await check_listens_on_exposed(ex([{ port: 8080, loopback_only: false }], []))).failures[0]).toMatch(/l'image n'expose aucun port TCP/);
    // Started like docker run -P: the exposed ports published.
    const started = ex([{ port: 8080, loopback_only: false }]);
    await check_listens_on_exposed(started);
    expect(started.started[0]!.options).toEqual({ publish_exposed: true });
  });

  test("every published port answers; a server given must publish them", async () => {
    const ex = fake_exercise({ image: image_facts({ exposed_ports: ["8080/tcp", "9000/tcp"] }), container: { ports: [8080, 9000], http: (_m, port) => (port === 8080 ? ok("Bonjour") : "ECONNREFUSED") } });
    expect((await check_http_on_exposed(ex, { body: "Bonjour" })).failures).toEqual(["Le port 9000 du conteneur est publié, mais rien n'y répond : retirez-le de EXPOSE."]);
    expect((await check_http_on_exposed(fake_exercise({ image: image_facts() }), {})).failures[0]).toMatch(/^`docker run -P` ne publie que les ports déclarés par EXPOSE/);
    await expect(check_listens_on_exposed(ex, ex.server({ ports: [8080] }))).rejects.toThrow(/ce serveur doit publier les ports exposés/);
  });
});
