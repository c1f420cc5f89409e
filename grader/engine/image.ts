// What an image is made of: its config, layers, history and size.
import { docker } from "./client.js";

export interface ImageConfig {
  user: string;
  env: Record<string, string>;
  cmd: string[] | null;
  entrypoint: string[] | null;
  exposed_ports: string[];
  working_dir: string;
  volumes: string[];
  labels: Record<string, string>;
  healthcheck: { test: string[]; interval_ns?: number; timeout_ns?: number; retries?: number } | null;
  stop_signal: string | null;
}

export interface ImageFacts {
  id: string;
  tags: string[];
  size: number;
  /** Layer digests (RootFS diff IDs), base layers first. */
  layers: string[];
  config: ImageConfig;
}

export interface HistoryEntry {
  created_by: string;
  size: number;
  empty_layer: boolean;
  comment: string;
}

export async function image_exists(ref: string): Promise<boolean> {
  try {
    await docker().getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

export async function inspect_image(ref: string): Promise<ImageFacts> {
  const raw = await docker().getImage(ref).inspect();
  const c = raw.Config ?? ({} as typeof raw.Config);
  const env: Record<string, string> = {};
  for (const pair of c.Env ?? []) {
    const eq = pair.indexOf("=");
    env[eq < 0 ? pair : pair.slice(0, eq)] = eq < 0 ? "" : pair.slice(eq + 1);
  }
  const hc = (c as { Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number } }).Healthcheck;
  return {
    id: raw.Id,
    tags: raw.RepoTags ?? [],
    size: raw.Size,
    layers: raw.RootFS?.Layers ?? [],
    config: {
      user: c.User ?? "",
      env,
      cmd: (c.Cmd as string[] | null) ?? null,
      entrypoint: (c.Entrypoint as string[] | null | undefined) ?? null,
      exposed_ports: Object.keys(c.ExposedPorts ?? {}).sort(),
      working_dir: c.WorkingDir ?? "",
      volumes: Object.keys(c.Volumes ?? {}).sort(),
      labels: c.Labels ?? {},
      healthcheck: hc?.Test
        ? { test: hc.Test, interval_ns: hc.Interval, timeout_ns: hc.Timeout, retries: hc.Retries }
        : null,
      stop_signal: (c as { StopSignal?: string }).StopSignal ?? null,
    },
  };
}

export async function image_history(ref: string): Promise<HistoryEntry[]> {
  const history = (await docker().getImage(ref).history()) as Array<{
    CreatedBy: string;
    Size: number;
    Comment: string;
    Id: string;
  }>;
  // The engine lists newest first; we list base first, like a Dockerfile reads.
  return history.reverse().map((h) => ({
    created_by: h.CreatedBy,
    size: h.Size,
    comment: h.Comment,
    empty_layer: h.Size === 0 && /#\(nop\)|^(ENV|CMD|LABEL|EXPOSE|USER|WORKDIR|ENTRYPOINT|VOLUME|ARG|STOPSIGNAL|HEALTHCHECK|SHELL)\b/.test(h.CreatedBy),
  }));
}

export async function remove_image(ref: string): Promise<void> {
  await docker()
    .getImage(ref)
    .remove({ force: true })
    .catch(() => undefined);
}
