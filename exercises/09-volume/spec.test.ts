import { describe, test, expect } from "vitest";
import { use_exercise, CheckFailure, report, outcome, volume_name } from "../../grader/index.js";

const ex = use_exercise(import.meta.url);

type Server = Awaited<ReturnType<typeof ex.start>>;

/** One visit: the count the server answers, or why it could not count. */
async function visit(server: Server): Promise<{ count?: number; problem?: string }> {
  const response = await server.http("GET", 8000, "/");
  const count = response.status === 200 ? (JSON.parse(response.body) as { visites?: unknown }).visites : undefined;
  if (typeof count === "number") return { count };
  return { problem: `GET / a répondu ${response.status} : « ${response.body.trim().slice(0, 200)} »` };
}

const cannot_write =
  "Le dossier /data de l'image doit exister et appartenir à l'utilisateur app : un volume neuf reprend le contenu " +
  "et le propriétaire du dossier de l'image. Ajoutez « RUN mkdir /data && chown app:app /data » avant « VOLUME /data ».";

describe("09 — VOLUME : persister les données", () => {
  test("l'image se construit", { meta: { points: 1 } }, async () => {
    const image = await ex.image();
    expect(image.id).toMatch(/^sha256:/);
  });

  test("/data est déclaré comme volume", { meta: { points: 2 } }, async () => {
    const volumes = (await ex.image()).facts.config.volumes;
    if (volumes.includes("/data")) return;
    throw new CheckFailure(
      volumes.length === 0
        ? "L'image ne déclare aucun volume : sans « -v », le compte serait écrit dans le conteneur et perdu avec lui. " +
            "Déclarez le dossier des données avec « VOLUME /data »."
        : `L'image déclare ${volumes.join(", ")} comme volume, mais le compteur écrit dans /data : déclarez « VOLUME /data ».`,
    );
  });

  test("le compte survit à la suppression du conteneur, avec le même volume nommé", { meta: { points: 4 } }, async () => {
    const volume = volume_name(ex.session);
    const mount = { [volume]: "/data" };
    const first = await ex.start({ ports: [8000], volumes: mount });
    const visits = [await visit(first), await visit(first)];
    const problem = visits.find((v) => v.problem)?.problem;
    if (problem) {
      throw new CheckFailure(`Le compteur n'arrive pas à compter avec un volume monté sur /data. ${problem}. ${cannot_write}`, await first.logs(20));
    }
    await first.remove();
    const second = await ex.start({ ports: [8000], volumes: mount });
    const after = await visit(second);
    const before = visits[1]!.count!;
    const failures: string[] = [];
    if (after.problem) failures.push(`Après recréation du conteneur avec le même volume, le compteur échoue. ${after.problem}.`);
    else if (after.count !== before + 1) {
      failures.push(
        `Après suppression du conteneur et recréation avec le même volume (${volume}:/data), le compte vaut ${after.count} ` +
          `au lieu de ${before + 1} : les visites n'ont pas été gardées dans le volume.`,
      );
    }
    report(outcome(failures));
  });

  test("/data appartient à l'utilisateur de l'application, qui n'est pas root", { meta: { points: 3 } }, async () => {
    // A fresh container: /data there is what the image gives a new volume.
    const run = await ex.run(["sh", "-c", "id -u; stat -c '%u %U %a' /data"]);
    const [uid_line, stat_line] = run.stdout.trim().split("\n");
    const uid = Number(uid_line);
    const [owner, owner_name] = (stat_line ?? "").split(" ");
    if (uid === 0) {
      throw new CheckFailure(
        "Le compteur tourne en root. Gardez « USER app » : un problème de droits sur un volume se règle en donnant " +
          "le dossier à l'utilisateur (chown), pas en repassant root.",
      );
    }
    if (run.exit_code !== 0 || !stat_line) {
      throw new CheckFailure(`/data n'existe pas dans l'image. ${cannot_write}`, (run.stdout + run.stderr).trim());
    }
    if (Number(owner) !== uid) {
      throw new CheckFailure(
        `/data appartient à ${owner_name} (UID ${owner}), alors que le compteur tourne sous l'UID ${uid} : il ne peut pas y écrire. ` +
          "« VOLUME /data » seul crée un dossier qui appartient à root. " +
          cannot_write,
      );
    }
  });
});
