// The only place that creates the Docker client. Everything the grader creates
// carries LABEL_MANAGED and the session label, so that it can be found and
// removed whatever happened to the process that made it.
import Docker from "dockerode";

export const LABEL_MANAGED = "dockerlings.managed";
export const LABEL_SESSION = "dockerlings.session";
export const LABEL_EXERCISE = "dockerlings.exercise";

let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export function grading_labels(session: string, exercise?: string): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_MANAGED]: "true", [LABEL_SESSION]: session };
  if (exercise) labels[LABEL_EXERCISE] = exercise;
  return labels;
}

/** Raised when no Docker engine answers: grading cannot happen (exit code 2). */
export class EngineUnavailableError extends Error {
  readonly code = "ENGINE_UNAVAILABLE";
  constructor(readonly cause_text: string) {
    super(
      `Aucun moteur Docker ne répond (${cause_text}).\n` +
        "Démarrez-en un : `sudo systemctl start docker` (ou `sudo dockerd &`, ou lancez Docker Desktop), " +
        "vérifiez avec `docker info`, puis relancez la commande.",
    );
    this.name = "EngineUnavailableError";
  }
}

export interface EngineInfo {
  version: string;
  api_version: string;
  os: string;
  storage_driver: string;
  root_dir: string;
}

/** Pings the engine with a short deadline; throws EngineUnavailableError when it does not answer. */
export async function require_engine(timeout_ms = 5000): Promise<EngineInfo> {
  const d = docker();
  try {
    const ping = d.ping();
    const timer = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`pas de réponse en ${timeout_ms / 1000} s`)), timeout_ms).unref(),
    );
    await Promise.race([ping, timer]);
    const [version, info] = await Promise.all([d.version(), d.info()]);
    return {
      version: version.Version,
      api_version: version.ApiVersion,
      os: info.OperatingSystem,
      storage_driver: info.Driver,
      root_dir: info.DockerRootDir,
    };
  } catch (error) {
    throw new EngineUnavailableError(describe_connection_error(error));
  }
}

function describe_connection_error(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const where = process.env.DOCKER_HOST ?? "/var/run/docker.sock";
  if (e?.code === "ENOENT") return `${where} n'existe pas`;
  if (e?.code === "ECONNREFUSED") return `connexion refusée sur ${where}`;
  if (e?.code === "EACCES") return `accès refusé à ${where} : ajoutez votre utilisateur au groupe docker`;
  return e?.message ?? String(error);
}
