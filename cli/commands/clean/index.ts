// `dockerlings clean`: removes every container, image, volume and network the
// grader created, including leftovers of a run that crashed.
import { require_engine, remove_managed } from "../../../grader/index.js";
import { define_messages } from "../../i18n/index.js";

const m = define_messages({
  removed: {
    fr: (p: { containers: number; images: number; volumes: number; networks: number }) =>
      `Supprimé : ${p.containers} conteneur(s), ${p.images} image(s), ${p.volumes} volume(s), ${p.networks} réseau(x) créés par dockerlings.`,
    en: (p: { containers: number; images: number; volumes: number; networks: number }) =>
      `Removed: ${p.containers} container(s), ${p.images} image(s), ${p.volumes} volume(s), ${p.networks} network(s) created by dockerlings.`,
  },
});

/** Everything of ours, or only what one grading session made (`--session`, the value of DOCKERLINGS_SESSION). */
export async function clean_command(options: { session?: string } = {}): Promise<number> {
  await require_engine();
  const report = await remove_managed(options.session);
  process.stdout.write(`${m("removed", report)}\n`);
  return 0;
}
