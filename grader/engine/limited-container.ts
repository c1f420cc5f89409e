// The testcontainers side of container.ts, loaded on first use (importing
// testcontainers takes about half a second).
import "./testcontainers-env.js";
import { GenericContainer } from "testcontainers";
import type { MountSettings } from "dockerode";
import { docker } from "./client.js";
import { host_config, type ContainerLimits } from "../config/limits.js";

export { Wait } from "testcontainers";

export class LimitedContainer extends GenericContainer {
  created_id?: string;
  /** Resolves with the id once the engine has made the container (never, if it is not made). */
  readonly created: Promise<string>;
  private resolve_created!: (id: string) => void;
  /** Resolves with the exit code when the container exits (testcontainers removes a container that fails to start). */
  exit_code?: Promise<number>;
  /** Same, but exists before the container does, so that start() can race it. */
  readonly exited: Promise<number>;
  private resolve_exited!: (code: number) => void;
  /** Everything the container printed, collected as it runs. */
  output = "";
  constructor(image: string, limits: ContainerLimits) {
    super(image);
    this.exited = new Promise((resolve) => (this.resolve_exited = resolve));
    this.created = new Promise((resolve) => (this.resolve_created = resolve));
    Object.assign(this.hostConfig, host_config(limits));
    this.withLogConsumer((stream) => {
      stream.on("data", (chunk: Buffer | string) => {
        if (this.output.length < 64 * 1024) this.output += chunk.toString();
      });
      stream.on("error", () => undefined);
    });
  }
  protected override async containerCreated(id: string): Promise<void> {
    this.created_id = id;
    this.resolve_created(id);
    this.exit_code = docker()
      .getContainer(id)
      .wait({ condition: "next-exit" })
      .then((r: { StatusCode: number }) => r.StatusCode, () => -1);
    void this.exit_code.then(this.resolve_exited);
  }
  /** Publishes on 127.0.0.1 only: a submission's server is never reachable from the network. */
  publish_on_loopback(): this {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as Array<Array<{ HostIp?: string }>>) {
      for (const binding of bindings) binding.HostIp = "127.0.0.1";
    }
    return this;
  }
  /**
   * Named volumes only: a submission never gets a host mount. A volume the
   * engine has to make on the fly (removed meanwhile by a sweep) gets `labels`
   * too, so that the next sweep finds it.
   */
  with_volume_mounts(volumes: Record<string, string>, labels: Record<string, string>): this {
    this.hostConfig.Mounts = Object.entries(volumes).map(([name, target]) => ({
      Type: "volume" as const,
      Source: name,
      Target: target,
      // The engine's defaults for the rest (its types ask for every field).
      VolumeOptions: { Labels: labels } as NonNullable<MountSettings["VolumeOptions"]>,
    }));
    return this;
  }
}

