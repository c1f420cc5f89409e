// Detached sweeper: removes everything labelled with a grading session, a few
// times over some seconds, so that what was still being created when the user
// pressed Ctrl-C is caught too. Plain JavaScript: it runs on its own, after
// the process that started it has exited.
//
//   node grader/engine/sweeper.mjs SESSION [SESSION...]
import Docker from "dockerode";

const docker = new Docker();
const sessions = process.argv.slice(2);

async function sweep(session) {
  const filters = JSON.stringify({ label: [`dockerlings.session=${session}`] });
  const containers = await docker.listContainers({ all: true, filters }).catch(() => []);
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})));
  const volumes = await docker.listVolumes({ filters }).then((r) => r.Volumes ?? [], () => []);
  await Promise.all(volumes.map((v) => docker.getVolume(v.Name).remove().catch(() => {})));
  const networks = await docker.listNetworks({ filters }).catch(() => []);
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(() => {})));
  const images = await docker.listImages({ filters }).catch(() => []);
  for (const image of images) await docker.getImage(image.Id).remove({ force: true }).catch(() => {});
}

for (const delay of [0, 1500, 4000, 8000]) {
  await new Promise((r) => setTimeout(r, delay));
  await Promise.all(sessions.map(sweep));
}
