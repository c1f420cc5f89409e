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
