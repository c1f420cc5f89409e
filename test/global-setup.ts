// Before the suite: the engine must answer (starting it is scripts/engine.sh's
// job, never a test's). After it: nothing of ours may be left in the engine.
import Docker from "dockerode";

const docker = new Docker();
const ours = JSON.stringify({ label: ["dockerlings.managed=true"] });
/** The anonymous volumes an image's VOLUME makes carry no label of ours: those made during the suite are told apart by name. */
const anonymous = JSON.stringify({ label: ["com.docker.volume.anonymous"], dangling: ["true"] });
let anonymous_before = new Set<string>();

export async function setup(): Promise<void> {
  try {
    await docker.ping();
  } catch {
    throw new Error("No Docker engine answers: run `bash scripts/setup.sh` first.");
  }
  anonymous_before = new Set(((await docker.listVolumes({ filters: anonymous })).Volumes ?? []).map((v) => v.Name));
}

export async function teardown(): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: ours });
  const volumes = (await docker.listVolumes({ filters: ours })).Volumes ?? [];
  const networks = await docker.listNetworks({ filters: ours });
  // A container removed without its anonymous volumes (docker rm without -v) leaves them: unused, new since the suite began.
  if (process.env.CI) {
    const left = ((await docker.listVolumes({ filters: anonymous })).Volumes ?? []).filter((v) => !anonymous_before.has(v.Name));
    volumes.push(...left);
  }
  if (containers.length + volumes.length + networks.length > 0) {
    // In CI nothing else runs: leave the engine clean, but fail loudly, a leak
    // is a bug. On a developer's machine another run may own them: only report.
    if (process.env.CI) {
      await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
      await Promise.all(volumes.map((v) => docker.getVolume(v.Name).remove()));
    }
    throw new Error(
      `The test suite left ${containers.length} container(s), ${volumes.length} volume(s), ${networks.length} network(s) of ours behind.`,
    );
  }
}
