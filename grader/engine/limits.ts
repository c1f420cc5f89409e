// Limits applied to every container the grader starts: a submission is
// untrusted code. Overridable by environment for slow machines.
export interface ContainerLimits {
  memory_bytes: number;
  nano_cpus: number;
  pids: number;
  /** Wall-clock limit for one run-to-completion or one start. */
  timeout_ms: number;
}

const env_number = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export function default_limits(): ContainerLimits {
  return {
    memory_bytes: env_number("DOCKERLINGS_MEMORY_MB", 512) * 1024 * 1024,
    nano_cpus: env_number("DOCKERLINGS_CPUS", 1) * 1e9,
    pids: env_number("DOCKERLINGS_PIDS", 256),
    timeout_ms: env_number("DOCKERLINGS_RUN_TIMEOUT_S", 30) * 1000,
  };
}

export function host_config(limits: ContainerLimits) {
  return {
    Memory: limits.memory_bytes,
    MemorySwap: limits.memory_bytes,
    NanoCpus: limits.nano_cpus,
    PidsLimit: limits.pids,
    Privileged: false,
    CapDrop: ["NET_RAW", "SYS_ADMIN"],
    SecurityOpt: ["no-new-privileges"],
  };
}
