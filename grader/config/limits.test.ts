// The limit messages a student reads. No Docker.
import { describe, expect, test } from "vitest";
import { limit_messages } from "./limits.js";

describe("the words of each limit", () => {
  test("a container's", () => {
    expect(limit_messages.container_memory(512 * 1024 * 1024)).toBe("le conteneur a été tué : limite de mémoire de 512 Mo");
    expect(limit_messages.container_pids(256)).toBe("limite de 256 processus atteinte dans le conteneur");
    expect(limit_messages.container_timeout(30_000)).toBe("limite de temps de 30 s par exécution du conteneur");
  });
  test("a build's name their limit", () => {
    expect(limit_messages.build_pids(256)).toMatch(/^limite de 256 processus atteinte par une instruction RUN/);
    expect(limit_messages.build_disk(2048 * 1024 * 1024)).toMatch(/^limite de 2048 Mo écrits sur le disque par une instruction RUN/);
    expect(limit_messages.build_memory(1024 * 1024 * 1024)).toMatch(/limite de mémoire de 1024 Mo par instruction RUN/);
  });
});
