// The sessions a Grader derived from one base (the first batch is the base,
// later ones `<8 hex>-<base>`): found by their labels, so that what a killed
// process left can be removed by whoever knows only the base.
import { docker, LABEL_MANAGED, LABEL_SESSION } from "./client.js";
import { remove_managed } from "./cleanup.js";

export async function sessions_from_base(base: string): Promise<string[]> {
  const d = docker();
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`] });
  const labels = (items: { Labels?: Record<string, string> | null }[]): (string | undefined)[] => items.map((i) => i.Labels?.[LABEL_SESSION]);
  const found = [
    ...labels(await d.listContainers({ all: true, filters }).catch(() => [])),
    ...labels(await d.listImages({ filters }).catch(() => [])),
    ...labels(await d.listVolumes({ filters }).then((r) => r.Volumes ?? [], () => [])),
    ...labels(await d.listNetworks({ filters }).catch(() => [])),
  ];
  return [...new Set(found.filter((s): s is string => s === base || (s !== undefined && s.endsWith(`-${base}`))))];
}

/** Removes everything of the sessions derived from `base`. Never throws. */
export async function remove_sessions_from_base(base: string): Promise<number> {
  const sessions = await sessions_from_base(base).catch(() => [] as string[]);
  for (const session of sessions) await remove_managed(session);
  return sessions.length;
}
