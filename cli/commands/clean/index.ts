// `dockerlings clean`: removes every container, image, volume and network the
// grader created, including leftovers of a run that crashed.
import { require_engine } from "../../../grader/engine/client.js";
import { remove_managed } from "../../../grader/engine/cleanup.js";

export async function clean_command(): Promise<number> {
  await require_engine();
  const report = await remove_managed();
  process.stdout.write(
    `Supprimé : ${report.containers} conteneur(s), ${report.images} image(s), ${report.volumes} volume(s), ${report.networks} réseau(x) créés par dockerlings.\n`,
  );
  return 0;
}
