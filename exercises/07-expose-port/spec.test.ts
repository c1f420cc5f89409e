import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure, report, outcome } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

const EXPECTED_PORT = "8080/tcp";

/** The exposed TCP ports as numbers: what `docker run -P` publishes for HTTP. */
async function exposed_tcp_ports(): Promise<number[]> {
  const image = await ex.image();
  return image.facts.config.exposed_ports.filter((p) => p.endsWith("/tcp")).map((p) => Number(p.split("/")[0]));
}

// One server for the file, started like `docker run -P`: every exposed TCP
// port published. It is ready once it has printed its start-up line
// (« Serveur à l'écoute sur le port N », from server.js).
let server: ReturnType<typeof ex.start> | undefined;
function start_server() {
  server ??= exposed_tcp_ports().then((ports) =>
    ex.start({ ports, wait_for: { log: /coute sur le port/ }, limits: { timeout_ms: 15_000 } }),
  );
  return server;
}

interface ListeningSocket {
  port: number;
  loopback_only: boolean;
}

/** TCP sockets in LISTEN state, read from /proc/net/tcp{,6} inside the container (no ss/netstat needed). */
function parse_listening(proc_net: string): ListeningSocket[] {
  const sockets = new Map<number, boolean>();
  for (const line of proc_net.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (!/^\d+:$/.test(fields[0] ?? "") || fields[3] !== "0A") continue;
    const [address, port_hex] = (fields[1] ?? "").split(":");
    const port = parseInt(port_hex ?? "", 16);
    if (!Number.isFinite(port)) continue;
    const loopback = address === "0100007F" || address === "00000000000000000000000001000000";
    sockets.set(port, (sockets.get(port) ?? true) && loopback);
  }
  return [...sockets].map(([port, loopback_only]) => ({ port, loopback_only })).sort((a, b) => a.port - b.port);
}

describe("07 — EXPOSE et ports", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("l'image expose le port 8080 en TCP, et lui seul", { meta: { points: 3 } }, async () => {
    const exposed = (await ex.image()).facts.config.exposed_ports;
    const failures: string[] = [];
    if (exposed.length === 0) {
      failures.push(
        `L'image n'expose aucun port : \`docker run -P\` ne publiera rien. Ajoutez « EXPOSE 8080 » (TCP est le protocole par défaut).`,
      );
    } else {
      if (!exposed.includes(EXPECTED_PORT)) {
        const udp = exposed.includes("8080/udp");
        failures.push(
          `L'image expose ${exposed.join(", ")} au lieu de ${EXPECTED_PORT}. ` +
            (udp
              ? "HTTP passe par TCP, pas UDP : écrivez « EXPOSE 8080 » ou « EXPOSE 8080/tcp »."
              : "Déclarez le port où le serveur doit écouter : « EXPOSE 8080 »."),
        );
      }
      const extra = exposed.filter((p) => p !== EXPECTED_PORT && p !== "8080/udp");
      if (exposed.includes(EXPECTED_PORT) && extra.length > 0) {
        failures.push(
          `L'image expose aussi ${extra.join(", ")}, où rien n'est attendu : n'exposez que les ports où le serveur écoute ` +
            "(retirez-le de la ligne EXPOSE).",
        );
      }
    }
    report(outcome(failures));
  });

  test("le serveur écoute sur le port exposé, sur toutes les interfaces", { meta: { points: 3 } }, async () => {
    const exposed = await exposed_tcp_ports();
    const container = await start_server();
    const read = await container.exec(["cat", "/proc/net/tcp", "/proc/net/tcp6"]);
    const listening = parse_listening(read.output);
    const shown = (ports: number[]) => ports.map((p) => `${p}/tcp`).join(", ");
    const failures: string[] = [];
    if (listening.length === 0) {
      failures.push("Aucun programme n'écoute en TCP dans le conteneur : le serveur a-t-il démarré ? Vérifiez CMD.");
    } else if (exposed.length === 0) {
      const ports = listening.map((s) => s.port);
      failures.push(
        `Le serveur écoute sur ${shown(ports)}, mais l'image n'expose aucun port TCP. ` +
          (ports.includes(8080)
            ? "Déclarez ce port avec « EXPOSE 8080 » (TCP par défaut)."
            : "Faites-le écouter sur 8080 (variable PORT) et déclarez ce port avec EXPOSE."),
      );
    } else {
      const listened = exposed.filter((port) => listening.some((s) => s.port === port));
      for (const port of exposed) {
        const socket = listening.find((s) => s.port === port);
        if (!socket && listened.length > 0) {
          failures.push(
            `L'image expose ${port}/tcp, où rien n'écoute (le serveur écoute sur ${shown(listened)}) : retirez ce port de EXPOSE.`,
          );
        } else if (!socket) {
          failures.push(
            `L'image expose ${port}/tcp, mais le serveur écoute sur ${shown(listening.map((s) => s.port))}. ` +
              "EXPOSE ne fait que déclarer un port : il ne change pas celui où le programme écoute. " +
              "C'est l'application qui choisit son port (ici la variable PORT lue par server.js) : réglez-la avec ENV " +
              "pour qu'elle corresponde au port exposé.",
          );
        } else if (socket.loopback_only) {
          failures.push(
            `Le serveur écoute sur ${port}/tcp mais seulement sur 127.0.0.1 : depuis l'extérieur du conteneur, ` +
              "personne ne peut le joindre. Il doit écouter sur 0.0.0.0.",
          );
        }
      }
    }
    const seen = listening.map((s) => `${s.port}/tcp (${s.loopback_only ? "127.0.0.1 seulement" : "toutes interfaces"})`);
    report(outcome(failures, `Ports en écoute dans le conteneur : ${seen.join(", ") || "aucun"}`));
  });

  test("avec docker run -P, le serveur répond en HTTP sur le port publié", { meta: { points: 3 } }, async () => {
    const ports = await exposed_tcp_ports();
    if (ports.length === 0) {
      throw new CheckFailure(
        "`docker run -P` ne publie que les ports déclarés par EXPOSE, et l'image n'en déclare aucun en TCP : " +
          "le serveur est injoignable de l'extérieur. Ajoutez « EXPOSE 8080 ».",
      );
    }
    const container = await start_server();
    const failures: string[] = [];
    const silent: number[] = [];
    for (const port of ports) {
      try {
        const response = await container.http("GET", port, "/", undefined, { deadline_ms: 3000 });
        if (response.status !== 200 || !response.body.includes("Bonjour depuis Node.js")) {
          failures.push(
            `GET / sur le port publié ${port} a répondu ${response.status} « ${response.body.trim().slice(0, 120)} » ` +
              "au lieu du message de bienvenue de server.js.",
          );
        }
      } catch {
        silent.push(port);
      }
    }
    for (const port of silent) {
      failures.push(
        silent.length < ports.length
          ? `Le port ${port} du conteneur est publié, mais rien n'y répond : retirez-le de EXPOSE.`
          : `Le port ${port} du conteneur est publié, mais personne n'y répond en HTTP : le serveur écoute ailleurs. ` +
              "Faites écouter le serveur sur le port exposé (variable PORT).",
      );
    }
    report(outcome(failures, (await container.logs(20)).trim()));
  });
});
