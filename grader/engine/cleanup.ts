// Removal of everything the grader created, by label. Used at the end of each
// grading session, on Ctrl-C, and by `dockerlings clean` for leftovers.
import { docker, LABEL_MANAGED, LABEL_SESSION } from "./client.js";

export interface CleanupReport {
  containers: number;
  images: number;
  volumes: number;
  networks: number;
}

const REMOVE_WAIT_MS = 30_000;

/** Removes what carries our label (and, if given, the session label). Never throws. */
export async function remove_managed(session?: string): Promise<CleanupReport> {
  const d = docker();
  const label = [session ? `${LABEL_SESSION}=${session}` : `${LABEL_MANAGED}=true`];
  const filters = JSON.stringify({ label });
  const report: CleanupReport = { containers: 0, images: 0, volumes: 0, networks: 0 };

  // Another remover (a spec's own cleanup, a cancel racing the end of a run)
  // may already be removing a container: the engine then answers "removal in
  // progress" at once. Wait until the list is empty, so that a caller never
  // returns while one of ours still exists (and its volume can be removed).
  const deadline = Date.now() + REMOVE_WAIT_MS;
  for (let round = 0; ; round++) {
    if (round > 0) await new Promise((r) => setTimeout(r, 100));
    const containers = await d.listContainers({ all: true, filters }).catch(() => []);
    if (containers.length === 0 || Date.now() > deadline) break;
    await Promise.all(
      containers.map(async (c) => {
        if (c.State === "removing") return;
        await d.getContainer(c.Id).remove({ force: true, v: true }).then(() => report.containers++, () => undefined);
      }),
    );
  }
  const volumes = await d.listVolumes({ filters }).then((r) => r.Volumes ?? [], () => []);
  await Promise.all(
    volumes.map((v) => d.getVolume(v.Name).remove().then(() => report.volumes++, () => undefined)),
  );
  const networks = await d.listNetworks({ filters }).catch(() => []);
  await Promise.all(
    networks.map((n) => d.getNetwork(n.Id).remove().then(() => report.networks++, () => undefined)),
  );
  const images = await d.listImages({ all: false, filters }).catch(() => []);
  for (const image of images) {
    // Images may share layers or tags: remove one at a time, forcing untag.
    await d.getImage(image.Id).remove({ force: true, noprune: false }).then(() => report.images++, () => undefined);
  }
  return report;
}
