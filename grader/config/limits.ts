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

// ---------------------------------------------------------------------------
// Limits of a build's RUN steps. What can hold them where, and how, is said
// in grader/host/build-guard.ts, which applies them.
// ---------------------------------------------------------------------------

export interface BuildLimits {
  /** Wall-clock limit for a whole build. */
  timeout_ms: number;
  /** Processes and threads of one RUN step. */
  pids: number;
  /** Memory of one RUN step. */
  memory_bytes: number;
  /** Bytes one RUN step may write to the engine's disk. */
  disk_bytes: number;
}

export function default_build_limits(): BuildLimits {
  return {
    // The build time limit of every grading: why 300 s is said in grading.ts.
    timeout_ms: env_number("DOCKERLINGS_BUILD_TIMEOUT_S", 300) * 1000,
    pids: env_number("DOCKERLINGS_BUILD_PIDS", 256),
    memory_bytes: env_number("DOCKERLINGS_BUILD_MEMORY_MB", 1024) * 1024 * 1024,
    disk_bytes: env_number("DOCKERLINGS_BUILD_DISK_MB", 2048) * 1024 * 1024,
  };
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** The words a student reads when a limit stopped their build or container. */
export const limit_messages = {
  build_pids: (pids: number) =>
    `limite de ${pids} processus atteinte par une instruction RUN : le build a été arrêté. ` +
    "Une commande lance-t-elle des processus sans fin (une « fork bomb ») ?",
  build_memory: (bytes: number) =>
    `l'instruction a été tuée : limite de mémoire de ${mb(bytes)} Mo par instruction RUN. ` +
    "Une commande du build consomme-t-elle trop de mémoire ?",
  build_disk: (bytes: number) =>
    `limite de ${mb(bytes)} Mo écrits sur le disque par une instruction RUN : le build a été arrêté. ` +
    "Une instruction RUN écrit-elle un fichier énorme ou sans fin ?",
  container_memory: (bytes: number) => `le conteneur a été tué : limite de mémoire de ${mb(bytes)} Mo`,
  container_pids: (pids: number) => `limite de ${pids} processus atteinte dans le conteneur`,
  container_timeout: (timeout_ms: number) => `limite de temps de ${Math.round(timeout_ms / 1000)} s par exécution du conteneur`,
};

/** Output that shows a process could not fork: the pids limit was reached. */
export const FORK_FAILURE = /fork: (retry: )?Resource temporarily unavailable|can't fork|Cannot fork|fork failed|BlockingIOError: \[Errno 11\]|EAGAIN.*spawn|spawn.*EAGAIN/i;

/**
 * Names the container limit a failed check ran into, when its text shows one:
 * the memory limit (the engine's OOM kill), the pids limit (forks refused)
 * or the time limit of a run.
 */
export function name_container_limit(message: string, output: string | undefined, limits: ContainerLimits = default_limits()): string | undefined {
  const text = `${message}\n${output ?? ""}`;
  if (/faute de mémoire|OOMKilled|out of memory|oom-kill/i.test(text) && !/limite de mémoire/.test(message)) {
    return limit_messages.container_memory(limits.memory_bytes);
  }
  if (FORK_FAILURE.test(text) && !/processus atteinte/.test(message)) return limit_messages.container_pids(limits.pids);
  if (/ne s'est pas terminé dans le temps imparti/.test(message)) return limit_messages.container_timeout(limits.timeout_ms);
  return undefined;
}
