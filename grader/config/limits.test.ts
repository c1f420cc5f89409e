// The limit messages a student reads. No Docker.
import { describe, expect, test } from "vitest";
import { limit_messages, name_container_limit, type ContainerLimits } from "./limits.js";

const limits: ContainerLimits = { memory_bytes: 512 * 1024 * 1024, nano_cpus: 1e9, pids: 256, timeout_ms: 30_000 };

describe("naming the container limit a failure ran into", () => {
  test("memory: the engine's OOM kill", () => {
    expect(name_container_limit("… sorti avec le code 137. Il a été tué faute de mémoire.", "", limits)).toBe(
      "le conteneur a été tué : limite de mémoire de 512 Mo",
    );
  });
  test("pids: forks refused in the output", () => {
    expect(name_container_limit("ne s'est pas terminé dans le temps imparti", "bash: fork: retry: Resource temporarily unavailable", limits)).toBe(
      "limite de 256 processus atteinte dans le conteneur",
    );
  });
  test("time: a run that never ended", () => {
    expect(name_container_limit("le conteneur ne s'est pas terminé dans le temps imparti : attend-il une saisie ?", "", limits)).toBe(
      "limite de temps de 30 s par exécution du conteneur",
    );
  });
  test("nothing for an ordinary failure", () => {
    expect(name_container_limit("devait sortir avec le code 0, il est sorti avec le code 1.", "Traceback", limits)).toBeUndefined();
  });
  test("build messages name their limit", () => {
    expect(limit_messages.build_pids(256)).toMatch(/^limite de 256 processus atteinte par une instruction RUN/);
    expect(limit_messages.build_disk(2048 * 1024 * 1024)).toMatch(/^limite de 2048 Mo écrits sur le disque par une instruction RUN/);
  });
});
