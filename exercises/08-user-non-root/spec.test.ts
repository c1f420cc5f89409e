import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure, report, outcome } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const EXPECTED_UID = 10001;
const DATA_DIR = "/app/data";
/** What the server must not be able to change: its own code and system folders. */
const READ_ONLY_PATHS = ["/app", "/app/server.py", "/etc", "/usr/bin", "/usr/local/lib/python3.11"];

// One server for the file, run as `docker run` would: with the image's USER.
let server: ReturnType<typeof ex.start> | undefined;
function start_server() {
  server ??= ex.start({ ports: [8000] });
  return server;
}

/** The UID the server process (PID 1) really runs as, and its name if the image knows one. */
let identity: Promise<{ uid: number; name?: string }> | undefined;
function server_identity() {
  identity ??= read_identity();
  return identity;
}
async function read_identity(): Promise<{ uid: number; name?: string }> {
  const container = await start_server();
  const status = await container.exec(["cat", "/proc/1/status"]);
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status.output)?.[1] ?? NaN);
  if (!Number.isInteger(uid)) throw new CheckFailure("Impossible de lire l'utilisateur du serveur dans le conteneur.", status.output);
  const entry = await container.exec(["getent", "passwd", String(uid)]);
  return { uid, name: entry.exit_code === 0 ? entry.output.split(":")[0] : undefined };
}

describe("08 — USER : ne pas tourner en root", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("le serveur tourne sous un utilisateur nommé, non root, d'UID 10001", { meta: { points: 3 } }, async () => {
    const declared = (await ex.image()).facts.config.user;
    const { uid, name } = await server_identity();
    const failures: string[] = [];
    if (uid === 0) {
      failures.push(
        (declared && !/^(root|0)(:.*)?$/.test(declared) ? `L'image déclare USER ${declared}, mais le serveur tourne quand même en root (UID 0). ` : "Le serveur tourne en root (UID 0) : le Dockerfile n'a pas d'instruction USER. ") +
          "Créez l'utilisateur app (useradd --uid 10001 ...) puis ajoutez « USER app » avant CMD.",
      );
    } else {
      if (!name) {
        failures.push(
          `Le serveur tourne sous l'UID ${uid}, qui n'a pas de nom dans l'image (absent de /etc/passwd) : ` +
            "« USER 10001 » seul ne crée pas l'utilisateur. Créez-le avec useradd --uid 10001 ... app, puis « USER app ».",
        );
      }
      if (uid !== EXPECTED_UID) {
        failures.push(
          `Le serveur tourne sous ${name ?? "un utilisateur"} d'UID ${uid}, l'exercice demande l'UID ${EXPECTED_UID}. ` +
            "Sans --uid, useradd prend le premier UID libre, qui change d'une image à l'autre : " +
            "fixez-le avec « useradd --uid 10001 ... ».",
        );
      }
    }
    report(outcome(failures, `Utilisateur du serveur : ${name ?? "?"} (UID ${uid}) ; USER déclaré : ${declared || "(aucun)"}`));
  });

  test("le serveur peut écrire dans son dossier de données, qui est à lui", { meta: { points: 3 } }, async () => {
    const container = await start_server();
    const failures: string[] = [];
    const content = `essai ${Date.now()}`;
    const posted = await container.http("POST", 8000, "/fichiers/essai.txt", content);
    if (posted.status !== 201) {
      failures.push(
        `L'envoi d'un fichier (POST /fichiers/essai.txt) a échoué avec le code ${posted.status} : ` +
          `« ${posted.body.trim().slice(0, 200)} ». Le serveur doit pouvoir écrire dans ${DATA_DIR} : ` +
          "donnez ce dossier à son utilisateur (chown app:app) après l'avoir créé.",
      );
    } else {
      const read = await container.http("GET", 8000, "/fichiers/essai.txt");
      if (read.status !== 200 || read.body !== content) {
        failures.push(`Le fichier envoyé n'a pas été relu à l'identique (code ${read.status}).`);
      }
    }
    const { uid } = await server_identity();
    const stat = await container.exec(["stat", "-c", "%u %a", DATA_DIR]);
    const [owner, mode] = stat.output.trim().split(" ");
    if (stat.exit_code !== 0) {
      failures.push(`${DATA_DIR} n'existe pas dans l'image : créez-le (mkdir) et donnez-le à l'utilisateur du serveur.`);
    } else {
      if (uid !== 0 && Number(owner) !== uid) {
        failures.push(
          `${DATA_DIR} appartient à l'UID ${owner}, pas à l'utilisateur du serveur (UID ${uid}) : ` +
            "donnez-le lui avec « chown app:app data », pendant que le Dockerfile est encore root.",
        );
      }
      if (mode && (parseInt(mode, 8) & 0o002) !== 0) {
        failures.push(
          `${DATA_DIR} est modifiable par tous les utilisateurs (droits ${mode}) : n'utilisez pas chmod 777, ` +
            "donnez le dossier à l'utilisateur du serveur avec chown et gardez des droits 755.",
        );
      }
    }
    report(outcome(failures));
  });

  test("le serveur ne peut modifier ni son code ni les dossiers système", { meta: { points: 3 } }, async () => {
    const container = await start_server();
    // `test -w` asks the kernel whether the server's user may write there, without writing
    // anything; one exec for all paths (the paths are the spec's, passed as arguments).
    const probe = await container.exec(["sh", "-c", 'for p in "$@"; do test -w "$p" && echo "$p"; done; true', "sh", ...READ_ONLY_PATHS]);
    const writable = probe.output.split("\n").map((line) => line.trim()).filter((line) => READ_ONLY_PATHS.includes(line));
    if (writable.length === 0) return;
    const { uid, name } = await server_identity();
    if (uid === 0) {
      throw new CheckFailure(
        `Le serveur tourne en root : il peut écrire partout, y compris dans ${writable.join(", ")}. ` +
          "Faites-le tourner sous un utilisateur non root avec USER.",
      );
    }
    throw new CheckFailure(
      `L'utilisateur ${name ?? uid} peut écrire dans ${writable.join(", ")}. Si le serveur est compromis, ` +
        "son code peut être réécrit. Laissez le code à root (COPY sans --chown, pas de chown -R sur /app) " +
        `et ne donnez à l'utilisateur que ${DATA_DIR}.`,
    );
  });
});
